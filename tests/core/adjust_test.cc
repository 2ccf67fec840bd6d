// adjust: signed, non-zero, with a reason; all or nothing (API.md §3, core-protocol.md).
#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

class AdjustTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCatalog(ledger);
    InitialStockCommand c;
    c.workspace_id = kMain;
    c.items.push_back({kPremium, U(10), std::nullopt, std::nullopt});  // movement 1
    c.items.push_back({kBolt, U(20), std::nullopt, std::nullopt});     // movement 2
    c.items.push_back({kFlour, Q("1.5"), std::nullopt, std::nullopt}); // movement 3
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), c)));
  }

  static AdjustItem Item(Id product, Raw quantity, Reason reason = Reason::kDamaged,
                         std::optional<Raw> expected = std::nullopt) {
    return AdjustItem{product, quantity, reason, "", expected};
  }
  static AdjustCommand Cmd(std::vector<AdjustItem> items, Id workspace = kMain) {
    AdjustCommand c;
    c.workspace_id = workspace;
    c.items = std::move(items);
    return c;
  }

  Ledger ledger;
};

TEST_F(AdjustTest, BothSignsWithReasons) {
  AdjustCommand cmd = Cmd({Item(kPremium, -U(3), Reason::kDamaged), Item(kBolt, U(5), Reason::kFound)});
  cmd.reference = "ADJ-7";
  cmd.items[0].notes = "Crushed box";
  Result<CommandOutcome> r = ledger.adjust(Ctx(kT0 + kHour), cmd);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{4, 5}));
  Movement a = Mv(ledger, 4);
  EXPECT_EQ(a.type, MovementType::kAdjustment);
  EXPECT_EQ(a.product_id, kPremium);
  EXPECT_EQ(a.workspace_id, kMain);
  EXPECT_EQ(a.quantity, -U(3));
  EXPECT_EQ(a.balance_after, U(7));
  EXPECT_EQ(a.reason, Reason::kDamaged);
  EXPECT_EQ(a.from_workspace_id, 0);
  EXPECT_EQ(a.to_workspace_id, 0);
  EXPECT_EQ(a.reference, "ADJ-7");
  EXPECT_EQ(a.notes, "Crushed box");
  EXPECT_EQ(a.unit_cost, std::nullopt);
  EXPECT_EQ(a.created_at, kT0 + kHour);
  Movement b = Mv(ledger, 5);
  EXPECT_EQ(b.quantity, U(5));
  EXPECT_EQ(b.balance_after, U(25));
  EXPECT_EQ(b.reason, Reason::kFound);
  EXPECT_EQ(b.reference, "ADJ-7");
  EXPECT_EQ(b.notes, "");
  EXPECT_EQ(ledger.level(kPremium, kMain), U(7));
  EXPECT_EQ(ledger.level(kBolt, kMain), U(25));
}

TEST_F(AdjustTest, EveryReasonIsAccepted) {
  Id next = 4;
  for (Reason reason : {Reason::kDamaged, Reason::kLost, Reason::kFound, Reason::kRecount,
                        Reason::kOther}) {
    ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), Cmd({Item(kBolt, U(1), reason)}))));
    EXPECT_EQ(Mv(ledger, next).reason, reason);
    ++next;
  }
  EXPECT_EQ(ledger.level(kBolt, kMain), U(25));
}

TEST_F(AdjustTest, ZeroQuantityAndMissingReasonAreRefused) {
  Result<CommandOutcome> r =
      ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, 0), Item(kBolt, U(1), Reason::kNone)}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "items.0.quantity"));
  EXPECT_TRUE(HasField(r.error(), "items.1.reason")) << DescribeFields(r.error());
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(AdjustTest, MorePlacesThanTheProductAllows) {
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({Item(kBolt, Q("0.5"))})),
                         ErrorCode::kValidationFailed, "items.0.quantity"));
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, Q("0.001"))})),
                         ErrorCode::kValidationFailed, "items.0.quantity"));
  EXPECT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), Cmd({Item(kFlour, Q("0.001"))}))));
  EXPECT_EQ(ledger.level(kFlour, kMain), Q("1.501"));
}

TEST_F(AdjustTest, AProductAtMostOnce) {
  Result<CommandOutcome> r = ledger.adjust(
      Ctx(kT0), Cmd({Item(kPremium, U(1)), Item(kBolt, U(1)), Item(kPremium, U(1))}));
  EXPECT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "items.2.product_id"));
  EXPECT_FALSE(HasField(r.error(), "items.0.product_id"));
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(AdjustTest, BelowZeroRefusedWithDetails) {
  Result<CommandOutcome> r = ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, -U(15), Reason::kLost)}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kInsufficientStock));
  ASSERT_TRUE(r.error().details.has_value());
  EXPECT_EQ(r.error().details->product_id, kPremium);
  EXPECT_EQ(r.error().details->workspace_id, kMain);
  EXPECT_EQ(r.error().details->available, U(10));
  EXPECT_EQ(r.error().details->requested, U(15));
  EXPECT_EQ(r.error().details->decimals, 2);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
}

TEST_F(AdjustTest, DownToExactlyZeroIsAllowed) {
  ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, -U(10), Reason::kLost)}))));
  EXPECT_EQ(ledger.level(kPremium, kMain), 0);
  EXPECT_EQ(Mv(ledger, 4).balance_after, 0);
}

TEST_F(AdjustTest, BelowZeroAllowedWithAllowNegativeStock) {
  ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), Cmd({Item(kFlour, Q("-2.25"), Reason::kLost)}))));
  EXPECT_EQ(ledger.level(kFlour, kMain), Q("-0.75"));
  EXPECT_EQ(Mv(ledger, 4).balance_after, Q("-0.75"));
  // And further below, in a workspace it never had stock in.
  ASSERT_TRUE(Succeeded(
      ledger.adjust(Ctx(kT0), Cmd({Item(kFlour, -U(1), Reason::kOther)}, kWarehouse))));
  EXPECT_EQ(ledger.level(kFlour, kWarehouse), -U(1));
}

TEST_F(AdjustTest, AllOrNothingAcrossItems) {
  Result<CommandOutcome> r = ledger.adjust(
      Ctx(kT0), Cmd({Item(kBolt, -U(5)), Item(kFlour, -U(9)), Item(kPremium, -U(11))}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kInsufficientStock));
  ASSERT_TRUE(r.error().details.has_value());
  EXPECT_EQ(r.error().details->product_id, kPremium);
  EXPECT_EQ(ledger.movement_count(), 3u);
  EXPECT_EQ(ledger.level(kBolt, kMain), U(20));
  EXPECT_EQ(ledger.level(kFlour, kMain), Q("1.5"));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
}

TEST_F(AdjustTest, StaleExpectedQuantity) {
  Result<CommandOutcome> r =
      ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, -U(1), Reason::kDamaged, U(9))}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kStaleQuantity));
  ASSERT_TRUE(r.error().details.has_value());
  EXPECT_EQ(r.error().details->product_id, kPremium);
  EXPECT_EQ(r.error().details->workspace_id, kMain);
  EXPECT_EQ(r.error().details->available, U(10));
  EXPECT_EQ(r.error().details->requested, U(9));
  EXPECT_EQ(ledger.movement_count(), 3u);
  ASSERT_TRUE(Succeeded(
      ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, -U(1), Reason::kDamaged, U(10))}))));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(9));
}

TEST_F(AdjustTest, UnknownProductAndWorkspace) {
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({Item(999, U(1))})),
                         ErrorCode::kValidationFailed, "items.0.product_id"));
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, U(1))}, 999)),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({Item(kPremium, U(1))}, kOldDepot)),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({})), ErrorCode::kValidationFailed, "items"));
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(AdjustTest, UntrackedProduct) {
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kT0), Cmd({Item(kGiftWrap, U(1), Reason::kFound)})),
                         ErrorCode::kProductNotTracked));
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(AdjustTest, JsonReasonMustBeANamedReason) {
  Ledger l;
  RegisterCatalogJson(l);
  json r = handle(l, json{{"op", "adjust"},
                          {"at", "2026-03-20T10:30:00.000Z"},
                          {"workspace_id", 1},
                          {"items",
                           {{{"product_id", 79}, {"quantity", "2"}, {"reason", "stolen"}},
                            {{"product_id", 78}, {"quantity", "1"}},
                            {{"product_id", 82}, {"quantity", "1"}, {"reason", "found"}}}}});
  EXPECT_TRUE(JsonError(r, "validation_failed", "items.0.reason"));
  EXPECT_TRUE(JsonError(r, "validation_failed", "items.1.reason"));
  EXPECT_FALSE(r["error"]["errors"].contains("items.2.reason")) << r.dump();
  EXPECT_EQ(l.movement_count(), 0u);
}

TEST_F(AdjustTest, JsonAnswer) {
  Ledger l;
  RegisterCatalogJson(l);
  json r = handle(l, json{{"op", "adjust"},
                          {"actor", {{"id", 5}, {"name", "John Doe"}}},
                          {"at", "2026-03-20T10:30:00.000Z"},
                          {"workspace_id", 1},
                          {"reference", "ADJ-1"},
                          {"items",
                           {{{"product_id", 80}, {"quantity", "-0.125"}, {"reason", "damaged"},
                             {"notes", "Torn bag"}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"movements",
            {{{"id", 1}, {"type", "adjustment"}, {"product_id", 80}, {"workspace_id", 1},
              {"quantity", "-0.125"}, {"balance_after", "-0.125"}, {"reason", "damaged"},
              {"reference", "ADJ-1"}, {"notes", "Torn bag"}, {"from_workspace_id", nullptr},
              {"to_workspace_id", nullptr}, {"unit_cost", nullptr}, {"invoice_id", nullptr}}}},
           {"minimums", json::array()}},
      r));
}

}  // namespace
}  // namespace stockroom::testing
