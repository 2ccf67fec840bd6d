// transfer: linked transfer_out / transfer_in legs (API.md §3, core-protocol.md).
#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

class TransferTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCatalog(ledger);
    InitialStockCommand c;
    c.workspace_id = kMain;
    c.items.push_back({kPremium, U(170), std::nullopt, std::nullopt});  // movement 1
    c.items.push_back({kFlour, U(2), std::nullopt, std::nullopt});      // movement 2
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), c)));
    InitialStockCommand w;
    w.workspace_id = kWarehouse;
    w.items.push_back({kPremium, U(30), std::nullopt, std::nullopt});   // movement 3
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), w)));
  }

  static TransferCommand Cmd(Id product, Id from, Id to, Raw quantity,
                             std::optional<Raw> expected = std::nullopt) {
    TransferCommand t;
    t.product_id = product;
    t.from_workspace_id = from;
    t.to_workspace_id = to;
    t.quantity = quantity;
    t.expected_quantity = expected;
    return t;
  }

  Ledger ledger;
};

TEST_F(TransferTest, WritesLinkedLegs) {
  TransferCommand t = Cmd(kPremium, kMain, kWarehouse, U(50));
  t.reference = "TRF-2026-001";
  t.notes = "Stock transfer to warehouse";
  Result<CommandOutcome> r = ledger.transfer(Ctx(kT0 + kHour), t);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{4, 5}));

  Movement out = Mv(ledger, 4);
  EXPECT_EQ(out.type, MovementType::kTransferOut);
  EXPECT_EQ(out.product_id, kPremium);
  EXPECT_EQ(out.workspace_id, kMain);
  EXPECT_EQ(out.quantity, -U(50));
  EXPECT_EQ(out.balance_after, U(120));
  EXPECT_EQ(out.from_workspace_id, kMain);
  EXPECT_EQ(out.to_workspace_id, kWarehouse);
  EXPECT_EQ(out.linked_movement_id, 5);
  EXPECT_EQ(out.reason, Reason::kNone);
  EXPECT_EQ(out.reference, "TRF-2026-001");
  EXPECT_EQ(out.notes, "Stock transfer to warehouse");
  EXPECT_EQ(out.created_at, kT0 + kHour);

  Movement in = Mv(ledger, 5);
  EXPECT_EQ(in.type, MovementType::kTransferIn);
  EXPECT_EQ(in.workspace_id, kWarehouse);
  EXPECT_EQ(in.quantity, U(50));
  EXPECT_EQ(in.balance_after, U(80));
  EXPECT_EQ(in.from_workspace_id, kMain);
  EXPECT_EQ(in.to_workspace_id, kWarehouse);
  EXPECT_EQ(in.linked_movement_id, 4);
  EXPECT_EQ(in.reference, "TRF-2026-001");
  EXPECT_EQ(in.created_at, kT0 + kHour);

  EXPECT_EQ(ledger.level(kPremium, kMain), U(120));
  EXPECT_EQ(ledger.level(kPremium, kWarehouse), U(80));
}

TEST_F(TransferTest, IntoAWorkspaceWithoutStock) {
  ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0), Cmd(kPremium, kWarehouse, kOutlet, U(30)))));
  EXPECT_EQ(Mv(ledger, 4).balance_after, 0);
  EXPECT_EQ(Mv(ledger, 5).balance_after, U(30));
  EXPECT_EQ(ledger.level(kPremium, kOutlet), U(30));
}

TEST_F(TransferTest, DestinationMustDifferBeKnownAndActive) {
  for (Id to : {kMain, Id{999}, kOldDepot}) {
    EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, to, U(1))),
                           ErrorCode::kValidationFailed, "to_workspace_id"))
        << "to " << to;
  }
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(TransferTest, SameWorkspaceMessage) {
  Result<CommandOutcome> r = ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, kMain, U(1)));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "to_workspace_id"));
  EXPECT_EQ(r.error().message,
            "The destination workspace must be different from the source workspace.");
}

TEST_F(TransferTest, UnknownSourceOrProduct) {
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kPremium, 999, kWarehouse, U(1))),
                         ErrorCode::kValidationFailed, "from_workspace_id"));
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(999, kMain, kWarehouse, U(1))),
                         ErrorCode::kValidationFailed, "product_id"));
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kGiftWrap, kMain, kWarehouse, U(1))),
                         ErrorCode::kProductNotTracked));
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(TransferTest, QuantityMustBePositiveAndFitThePlaces) {
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, kWarehouse, 0)),
                         ErrorCode::kValidationFailed, "quantity"));
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, kWarehouse, -U(5))),
                         ErrorCode::kValidationFailed, "quantity"));
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, kWarehouse, Q("0.005"))),
                         ErrorCode::kValidationFailed, "quantity"));
  EXPECT_EQ(ledger.movement_count(), 3u);
}

TEST_F(TransferTest, NeverBelowZeroAtTheSource) {
  Result<CommandOutcome> r = ledger.transfer(Ctx(kT0), Cmd(kPremium, kWarehouse, kMain, U(31)));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kInsufficientStock));
  ASSERT_TRUE(r.error().details.has_value());
  EXPECT_EQ(r.error().details->product_id, kPremium);
  EXPECT_EQ(r.error().details->workspace_id, kWarehouse);
  EXPECT_EQ(r.error().details->available, U(30));
  EXPECT_EQ(r.error().details->requested, U(31));
  EXPECT_EQ(ledger.movement_count(), 3u);
  // Exactly all of it is fine.
  EXPECT_TRUE(Succeeded(ledger.transfer(Ctx(kT0), Cmd(kPremium, kWarehouse, kMain, U(30)))));
  EXPECT_EQ(ledger.level(kPremium, kWarehouse), 0);
}

TEST_F(TransferTest, NeverBelowZeroEvenWithAllowNegativeStock) {
  Result<CommandOutcome> r = ledger.transfer(Ctx(kT0), Cmd(kFlour, kMain, kWarehouse, Q("2.001")));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kInsufficientStock));
  EXPECT_EQ(r.error().details->available, U(2));
  EXPECT_EQ(r.error().details->requested, Q("2.001"));
  EXPECT_EQ(r.error().details->decimals, 3);
  // A source already below zero cannot send anything.
  AdjustCommand a;
  a.workspace_id = kOutlet;
  a.items.push_back({kFlour, -U(1), Reason::kLost, "", std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), a)));
  EXPECT_TRUE(FailedWith(ledger.transfer(Ctx(kT0), Cmd(kFlour, kOutlet, kMain, Q("0.001"))),
                         ErrorCode::kInsufficientStock));
  EXPECT_EQ(ledger.movement_count(), 4u);
}

TEST_F(TransferTest, StaleExpectedQuantityOfTheSource) {
  Result<CommandOutcome> r =
      ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, kWarehouse, U(5), U(160)));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kStaleQuantity));
  ASSERT_TRUE(r.error().details.has_value());
  EXPECT_EQ(r.error().details->workspace_id, kMain);
  EXPECT_EQ(r.error().details->available, U(170));
  EXPECT_EQ(r.error().details->requested, U(160));
  EXPECT_EQ(ledger.movement_count(), 3u);
  EXPECT_TRUE(Succeeded(ledger.transfer(Ctx(kT0), Cmd(kPremium, kMain, kWarehouse, U(5), U(170)))));
}

TEST_F(TransferTest, JsonAnswerIsBothLegs) {
  Ledger l;
  RegisterCatalogJson(l);
  ASSERT_TRUE(JsonOk(handle(l, json{{"op", "initial_stock"},
                                    {"at", "2026-03-20T09:00:00.000Z"},
                                    {"workspace_id", 1},
                                    {"items", {{{"product_id", 78}, {"quantity", "170"}}}}})));
  json r = handle(l, json{{"op", "transfer"},
                          {"actor", {{"id", 5}, {"name", "John Doe"}}},
                          {"at", "2026-03-20T10:30:00.000Z"},
                          {"product_id", "78"},
                          {"from_workspace_id", 1},
                          {"to_workspace_id", "2"},
                          {"quantity", "50"},
                          {"reference", "TRF-2026-001"},
                          {"notes", "Stock transfer to warehouse"}});
  json out = {{"id", 2}, {"product_id", 78}, {"workspace_id", 1}, {"type", "transfer_out"},
              {"quantity", "-50.00"}, {"balance_after", "120.00"}, {"from_workspace_id", 1},
              {"to_workspace_id", 2}, {"reference", "TRF-2026-001"},
              {"notes", "Stock transfer to warehouse"}, {"reason", nullptr},
              {"invoice_id", nullptr}, {"unit_cost", nullptr}, {"linked_movement_id", 3},
              {"product", {{"id", 78}, {"name", "Premium Product"}, {"sku", "PROD-001"}}},
              {"from_workspace", {{"id", 1}, {"name", "Main Store"}}},
              {"to_workspace", {{"id", 2}, {"name", "Warehouse"}}},
              {"created_by", {{"id", 5}, {"name", "John Doe"}}},
              {"created_at", "2026-03-20T10:30:00.000Z"}};
  json in = {{"id", 3}, {"workspace_id", 2}, {"type", "transfer_in"}, {"quantity", "50.00"},
             {"balance_after", "50.00"}, {"from_workspace_id", 1}, {"to_workspace_id", 2},
             {"linked_movement_id", 2}};
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", {out, in}}, {"minimums", json::array()}}, r));
}

}  // namespace
}  // namespace stockroom::testing
