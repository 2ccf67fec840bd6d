// sell and void_sale (API.md §4 invoices, core-protocol.md).
#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

class SaleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCatalog(ledger);
    InitialStockCommand c;
    c.workspace_id = kMain;
    c.items.push_back({kPremium, U(10), std::nullopt, std::nullopt});  // movement 1
    c.items.push_back({kBolt, U(100), std::nullopt, std::nullopt});    // movement 2
    c.items.push_back({kFlour, U(1), std::nullopt, std::nullopt});     // movement 3
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), c)));
  }

  static SellCommand Cmd(Id invoice, std::vector<SaleLine> lines, Id workspace = kMain) {
    SellCommand s;
    s.workspace_id = workspace;
    s.invoice_id = invoice;
    s.lines = std::move(lines);
    return s;
  }
  static VoidSaleCommand Void(Id invoice) {
    VoidSaleCommand v;
    v.invoice_id = invoice;
    return v;
  }

  Ledger ledger;
};

TEST_F(SaleTest, LinesAreSummedPerProductInOrderOfFirstAppearance) {
  SellCommand s = Cmd(501, {{kBolt, U(3)}, {kPremium, U(2)}, {kBolt, U(4)}, {kGiftWrap, U(1)},
                            {kPremium, Q("0.5")}});
  s.reference = "INV-0501";
  Result<CommandOutcome> r = ledger.sell(Ctx(kT0 + kHour), s);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{4, 5}));
  Movement bolt = Mv(ledger, 4);
  EXPECT_EQ(bolt.type, MovementType::kSale);
  EXPECT_EQ(bolt.product_id, kBolt);
  EXPECT_EQ(bolt.workspace_id, kMain);
  EXPECT_EQ(bolt.quantity, -U(7));
  EXPECT_EQ(bolt.balance_after, U(93));
  EXPECT_EQ(bolt.invoice_id, 501);
  EXPECT_EQ(bolt.from_workspace_id, kMain);
  EXPECT_EQ(bolt.to_workspace_id, 0);
  EXPECT_EQ(bolt.reference, "INV-0501");
  EXPECT_EQ(bolt.linked_movement_id, 0);
  Movement premium = Mv(ledger, 5);
  EXPECT_EQ(premium.product_id, kPremium);
  EXPECT_EQ(premium.quantity, -Q("2.5"));
  EXPECT_EQ(premium.balance_after, Q("7.5"));
  EXPECT_EQ(premium.invoice_id, 501);
  EXPECT_EQ(ledger.movement_count(), 5u);
}

TEST_F(SaleTest, UntrackedLinesWriteNothing) {
  Result<CommandOutcome> r = ledger.sell(Ctx(kT0), Cmd(502, {{kGiftWrap, U(3)}}));
  ASSERT_TRUE(Succeeded(r));
  EXPECT_TRUE(r.value().movement_ids.empty());
  EXPECT_EQ(ledger.movement_count(), 3u);
  EXPECT_EQ(ledger.level(kGiftWrap, kMain), 0);
}

TEST_F(SaleTest, InsufficientStockReportsTheSummedRequest) {
  Result<CommandOutcome> r =
      ledger.sell(Ctx(kT0), Cmd(503, {{kBolt, U(1)}, {kPremium, U(6)}, {kPremium, U(6)}}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kInsufficientStock));
  ASSERT_TRUE(r.error().details.has_value());
  EXPECT_EQ(r.error().details->product_id, kPremium);
  EXPECT_EQ(r.error().details->workspace_id, kMain);
  EXPECT_EQ(r.error().details->available, U(10));
  EXPECT_EQ(r.error().details->requested, U(12));
  // The error points at the product's first line, so a client knows which one.
  ASSERT_EQ(r.error().fields.size(), 1u);
  EXPECT_EQ(r.error().fields[0].field, "lines.1.quantity");
  // All or nothing: the bolt line was not written either.
  EXPECT_EQ(ledger.movement_count(), 3u);
  EXPECT_EQ(ledger.level(kBolt, kMain), U(100));
}

TEST_F(SaleTest, AllowNegativeStockSellsBelowZero) {
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), Cmd(504, {{kFlour, Q("1.25")}}))));
  EXPECT_EQ(ledger.level(kFlour, kMain), -Q("0.25"));
  EXPECT_EQ(Mv(ledger, 4).balance_after, -Q("0.25"));
}

TEST_F(SaleTest, LineValidation) {
  Result<CommandOutcome> r = ledger.sell(
      Ctx(kT0), Cmd(505, {{kPremium, 0}, {999, U(1)}, {kBolt, -U(1)}, {kBolt, Q("0.5")}}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "lines.0.quantity"));
  EXPECT_TRUE(HasField(r.error(), "lines.1.product_id")) << DescribeFields(r.error());
  EXPECT_TRUE(HasField(r.error(), "lines.2.quantity")) << DescribeFields(r.error());
  EXPECT_TRUE(HasField(r.error(), "lines.3.quantity")) << DescribeFields(r.error());
  EXPECT_TRUE(FailedWith(ledger.sell(Ctx(kT0), Cmd(505, {})), ErrorCode::kValidationFailed,
                         "lines"));
  EXPECT_TRUE(FailedWith(ledger.sell(Ctx(kT0), Cmd(505, {{kPremium, U(1)}}, kOldDepot)),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_TRUE(FailedWith(ledger.sell(Ctx(kT0), Cmd(0, {{kPremium, U(1)}})),
                         ErrorCode::kValidationFailed, "invoice_id"));
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(SaleTest, VoidReversesEachSaleLinkedToIt) {
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), Cmd(601, {{kPremium, U(4)}, {kBolt, U(10)}}))));
  // movements 4 (premium -4 -> 6) and 5 (bolt -10 -> 90); an unrelated sale in between:
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), Cmd(602, {{kPremium, U(1)}}))));  // 6: -> 5
  VoidSaleCommand v = Void(601);
  v.notes = "Customer cancelled";
  Result<CommandOutcome> r = ledger.void_sale(Ctx(kT0 + kHour), v);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{7, 8}));
  Movement a = Mv(ledger, 7);
  EXPECT_EQ(a.type, MovementType::kSale);
  EXPECT_EQ(a.product_id, kPremium);
  EXPECT_EQ(a.workspace_id, kMain);
  EXPECT_EQ(a.quantity, U(4));
  EXPECT_EQ(a.balance_after, U(9));
  EXPECT_EQ(a.linked_movement_id, 4);
  EXPECT_EQ(a.invoice_id, 601);
  EXPECT_EQ(a.from_workspace_id, kMain);
  EXPECT_EQ(a.notes, "Customer cancelled");
  EXPECT_EQ(a.created_at, kT0 + kHour);
  Movement b = Mv(ledger, 8);
  EXPECT_EQ(b.product_id, kBolt);
  EXPECT_EQ(b.quantity, U(10));
  EXPECT_EQ(b.balance_after, U(100));
  EXPECT_EQ(b.linked_movement_id, 5);
  // The originals are never edited.
  EXPECT_EQ(Mv(ledger, 4).linked_movement_id, 0);
  EXPECT_EQ(Mv(ledger, 4).quantity, -U(4));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(9));
  EXPECT_EQ(ledger.level(kBolt, kMain), U(100));
}

TEST_F(SaleTest, VoidTwiceIsAConflict) {
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), Cmd(701, {{kPremium, U(2)}}))));
  ASSERT_TRUE(Succeeded(ledger.void_sale(Ctx(kT0), Void(701))));
  EXPECT_TRUE(FailedWith(ledger.void_sale(Ctx(kT0), Void(701)), ErrorCode::kConflict));
  EXPECT_EQ(ledger.movement_count(), 5u);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
}

TEST_F(SaleTest, VoidOfAnInvoiceWithoutSaleMovementsIsOkAndEmpty) {
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), Cmd(801, {{kGiftWrap, U(2)}}))));
  Result<CommandOutcome> r = ledger.void_sale(Ctx(kT0), Void(801));
  ASSERT_TRUE(Succeeded(r));
  EXPECT_TRUE(r.value().movement_ids.empty());
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(SaleTest, VoidReturnsStockEvenWhenLevelsMovedSince) {
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), Cmd(901, {{kPremium, U(10)}}))));  // 4: -> 0
  ASSERT_TRUE(Succeeded(ledger.void_sale(Ctx(kT0), Void(901))));                 // 5: -> 10
  EXPECT_EQ(Mv(ledger, 5).balance_after, U(10));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
}

TEST_F(SaleTest, JsonSellAndVoid) {
  Ledger l;
  RegisterCatalogJson(l);
  ASSERT_TRUE(JsonOk(handle(l, json{{"op", "purchase"},
                                    {"at", "2026-03-20T09:00:00.000Z"},
                                    {"workspace_id", 1},
                                    {"items", {{{"product_id", 78}, {"quantity", "10"}}}}})));
  json sold = handle(l, json{{"op", "sell"},
                             {"actor", {{"id", 7}, {"name", "Ana Clerk"}}},
                             {"at", "2026-03-20T10:30:00.000Z"},
                             {"workspace_id", 1},
                             {"invoice_id", 42},
                             {"lines",
                              {{{"product_id", 78}, {"quantity", "1.5"}},
                               {{"product_id", 81}, {"quantity", 2}},
                               {{"product_id", 78}, {"quantity", 2}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"movements",
            {{{"id", 2}, {"type", "sale"}, {"product_id", 78}, {"workspace_id", 1},
              {"quantity", "-3.50"}, {"balance_after", "6.50"}, {"invoice_id", 42},
              {"from_workspace_id", 1}, {"to_workspace_id", nullptr},
              {"from_workspace", {{"id", 1}, {"name", "Main Store"}}},
              {"created_by", {{"id", 7}, {"name", "Ana Clerk"}}}}}}},
      sold));
  json voided = handle(l, json{{"op", "void_sale"}, {"at", "2026-03-20T11:00:00.000Z"},
                               {"invoice_id", 42}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"movements",
                               {{{"id", 3}, {"type", "sale"}, {"quantity", "3.50"},
                                 {"balance_after", "10.00"}, {"linked_movement_id", 2},
                                 {"invoice_id", 42}, {"created_by", nullptr},
                                 {"created_at", "2026-03-20T11:00:00.000Z"}}}}},
                         voided));
  json again = handle(l, json{{"op", "void_sale"}, {"at", "2026-03-20T11:00:00.000Z"},
                              {"invoice_id", 42}});
  EXPECT_TRUE(JsonError(again, "conflict"));
}

}  // namespace
}  // namespace stockroom::testing
