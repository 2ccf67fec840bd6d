// initial_stock: the first stock of a product in a workspace (API.md §3, core-protocol.md).
#include <string>

#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

class InitialStockTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterCatalog(ledger); }

  static InitialStockCommand Cmd(Id workspace, std::vector<InitialStockItem> items) {
    InitialStockCommand c;
    c.workspace_id = workspace;
    c.items = std::move(items);
    return c;
  }
  static InitialStockItem Item(Id product, Raw quantity, std::optional<Raw> cost = std::nullopt,
                               std::optional<Raw> minimum = std::nullopt) {
    return InitialStockItem{product, quantity, cost, minimum};
  }

  Ledger ledger;
};

TEST_F(InitialStockTest, WritesOneMovementPerItem) {
  InitialStockCommand cmd = Cmd(kMain, {Item(kPremium, U(120), Q("2.5")), Item(kBolt, U(40))});
  cmd.reference = "OPEN-2026";
  cmd.notes = "Opening balance";
  Result<CommandOutcome> r = ledger.initial_stock(Ctx(kT0), cmd);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{1, 2}));
  EXPECT_TRUE(r.value().minimums.empty());

  Movement m = Mv(ledger, 1);
  EXPECT_EQ(m.id, 1);
  EXPECT_EQ(m.type, MovementType::kInitialStock);
  EXPECT_EQ(m.product_id, kPremium);
  EXPECT_EQ(m.workspace_id, kMain);
  EXPECT_EQ(m.quantity, U(120));
  EXPECT_EQ(m.balance_after, U(120));
  EXPECT_EQ(m.from_workspace_id, 0);
  EXPECT_EQ(m.to_workspace_id, 0);
  EXPECT_EQ(m.reason, Reason::kNone);
  EXPECT_EQ(m.invoice_id, 0);
  EXPECT_EQ(m.unit_cost, std::optional<Raw>(25000));
  EXPECT_EQ(m.linked_movement_id, 0);
  EXPECT_EQ(m.created_by.id, 5);
  EXPECT_EQ(m.created_by.name, "John Doe");
  EXPECT_EQ(m.created_at, kT0);
  EXPECT_EQ(m.reference, "OPEN-2026");
  EXPECT_EQ(m.notes, "Opening balance");

  Movement b = Mv(ledger, 2);
  EXPECT_EQ(b.product_id, kBolt);
  EXPECT_EQ(b.quantity, U(40));
  EXPECT_EQ(b.balance_after, U(40));
  EXPECT_EQ(b.unit_cost, std::nullopt);

  EXPECT_EQ(ledger.level(kPremium, kMain), U(120));
  EXPECT_EQ(ledger.level(kBolt, kMain), U(40));
  EXPECT_EQ(ledger.level(kPremium, kWarehouse), 0);
  EXPECT_EQ(ledger.movement_count(), 2u);
}

TEST_F(InitialStockTest, SetsTheMinimumAndReportsTheChange) {
  Result<CommandOutcome> r =
      ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kPremium, U(10), std::nullopt, U(5))}));
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(5));
  ASSERT_EQ(r.value().minimums.size(), 1u);
  EXPECT_EQ(r.value().minimums[0].product_id, kPremium);
  EXPECT_EQ(r.value().minimums[0].workspace_id, kMain);
  EXPECT_EQ(r.value().minimums[0].minimum, U(5));
}

TEST_F(InitialStockTest, ZeroQuantityWritesNoMovementButSetsTheMinimum) {
  Result<CommandOutcome> r =
      ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kPremium, 0, std::nullopt, U(8))}));
  ASSERT_TRUE(Succeeded(r));
  EXPECT_TRUE(r.value().movement_ids.empty());
  EXPECT_EQ(ledger.movement_count(), 0u);
  EXPECT_EQ(ledger.level(kPremium, kMain), 0);
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(8));
  ASSERT_EQ(r.value().minimums.size(), 1u);
  EXPECT_EQ(r.value().minimums[0].minimum, U(8));
  // No movement was written, so initial stock is still possible afterwards.
  Result<CommandOutcome> again =
      ledger.initial_stock(Ctx(kT0 + kMinute), Cmd(kMain, {Item(kPremium, U(3))}));
  ASSERT_TRUE(Succeeded(again));
  EXPECT_EQ(again.value().movement_ids, (std::vector<Id>{1}));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(3));
}

TEST_F(InitialStockTest, AlreadySetWhenAnyMovementExistsAndNothingIsWritten) {
  // A purchase is "any movement": initial stock is no longer possible there.
  PurchaseCommand p;
  p.workspace_id = kMain;
  p.items.push_back({kPremium, U(4), std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0), p)));

  Result<CommandOutcome> r = ledger.initial_stock(
      Ctx(kT0 + kMinute), Cmd(kMain, {Item(kBolt, U(10), std::nullopt, U(2)), Item(kPremium, U(10))}));
  EXPECT_TRUE(FailedWith(r, ErrorCode::kInitialStockAlreadySet));
  EXPECT_EQ(ledger.movement_count(), 1u);
  EXPECT_EQ(ledger.level(kBolt, kMain), 0);
  EXPECT_EQ(ledger.minimum(kBolt, kMain), 0);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(4));

  // Another workspace is independent.
  EXPECT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0 + kMinute),
                                             Cmd(kWarehouse, {Item(kPremium, U(10))}))));
}

TEST_F(InitialStockTest, SecondInitialStockIsRefused) {
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kPremium, U(10))}))));
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kPremium, U(10))})),
                         ErrorCode::kInitialStockAlreadySet));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
}

TEST_F(InitialStockTest, AlreadySetEvenWhenTheLevelIsBackToZero) {
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kPremium, U(2))}))));
  AdjustCommand a;
  a.workspace_id = kMain;
  a.items.push_back({kPremium, -U(2), Reason::kLost, "", std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), a)));
  ASSERT_EQ(ledger.level(kPremium, kMain), 0);
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kPremium, U(1))})),
                         ErrorCode::kInitialStockAlreadySet));
}

TEST_F(InitialStockTest, DuplicateProductIsRefusedOnTheLaterItem) {
  Result<CommandOutcome> r = ledger.initial_stock(
      Ctx(kT0), Cmd(kMain, {Item(kPremium, U(1)), Item(kBolt, U(1)), Item(kPremium, U(2))}));
  EXPECT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "items.2.product_id"));
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST_F(InitialStockTest, ValidationNamesEveryBadField) {
  Result<CommandOutcome> r = ledger.initial_stock(
      Ctx(kT0), Cmd(kMain, {Item(kPremium, -U(1)), Item(999, U(1)), Item(kBolt, Q("1.5")),
                            Item(kOil, U(1), std::nullopt, -U(1))}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "items.0.quantity"));
  EXPECT_TRUE(HasField(r.error(), "items.1.product_id")) << DescribeFields(r.error());
  EXPECT_TRUE(HasField(r.error(), "items.2.quantity")) << DescribeFields(r.error());
  EXPECT_TRUE(HasField(r.error(), "items.3.minimum_quantity")) << DescribeFields(r.error());
  EXPECT_EQ(ledger.movement_count(), 0u);
  EXPECT_EQ(ledger.minimum(kOil, kMain), 0);
}

TEST_F(InitialStockTest, UnknownOrInactiveWorkspace) {
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(999, {Item(kPremium, U(1))})),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(kOldDepot, {Item(kPremium, U(1))})),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST_F(InitialStockTest, ItemsCountLimits) {
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(kMain, {})),
                         ErrorCode::kValidationFailed, "items"));
  std::vector<InitialStockItem> many;
  for (Id i = 0; i < 501; ++i) many.push_back(Item(1000 + i, U(1)));
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(kMain, many)),
                         ErrorCode::kValidationFailed, "items"));
}

TEST_F(InitialStockTest, ReferenceAndNotesLengths) {
  InitialStockCommand ok = Cmd(kMain, {Item(kPremium, U(1))});
  ok.reference = std::string(100, 'R');
  ok.notes = std::string(500, 'n');
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), ok)));
  EXPECT_EQ(Mv(ledger, 1).reference.size(), 100u);

  InitialStockCommand long_ref = Cmd(kMain, {Item(kBolt, U(1))});
  long_ref.reference = std::string(101, 'R');
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), long_ref), ErrorCode::kValidationFailed,
                         "reference"));
  InitialStockCommand long_notes = Cmd(kMain, {Item(kBolt, U(1))});
  long_notes.notes = std::string(501, 'n');
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), long_notes), ErrorCode::kValidationFailed,
                         "notes"));
  EXPECT_EQ(ledger.movement_count(), 1u);
}

TEST_F(InitialStockTest, UntrackedProduct) {
  EXPECT_TRUE(FailedWith(ledger.initial_stock(Ctx(kT0), Cmd(kMain, {Item(kGiftWrap, U(5))})),
                         ErrorCode::kProductNotTracked));
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST_F(InitialStockTest, SystemActorHasNoCreator) {
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0, 0, ""), Cmd(kMain, {Item(kPremium, U(1))}))));
  EXPECT_EQ(Mv(ledger, 1).created_by.id, 0);
  json r = handle(ledger, json{{"op", "get_movement"}, {"id", 1}});
  ASSERT_TRUE(JsonOk(r));
  EXPECT_TRUE(r["movement"]["created_by"].is_null()) << r.dump();
}

TEST_F(InitialStockTest, JsonShapeOfTheAnswer) {
  Ledger fresh;
  RegisterCatalogJson(fresh);
  json r = handle(fresh, json{{"op", "initial_stock"},
                              {"actor", {{"id", 5}, {"name", "John Doe"}}},
                              {"at", "2026-03-20T10:30:00.000Z"},
                              {"workspace_id", 1},
                              {"items",
                               {{{"product_id", 78}, {"quantity", "120"}, {"cost_per_unit", "2.5"},
                                 {"minimum_quantity", "10"}},
                                {{"product_id", 82}, {"quantity", 0}, {"minimum_quantity", "0.25"}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"movements",
            {{{"id", 1}, {"product_id", 78}, {"workspace_id", 1}, {"type", "initial_stock"},
              {"quantity", "120.00"}, {"balance_after", "120.00"}, {"from_workspace_id", nullptr},
              {"to_workspace_id", nullptr}, {"reference", nullptr}, {"notes", nullptr},
              {"reason", nullptr}, {"invoice_id", nullptr}, {"unit_cost", "2.50"},
              {"linked_movement_id", nullptr},
              {"product", {{"id", 78}, {"name", "Premium Product"}, {"sku", "PROD-001"}}},
              {"from_workspace", nullptr}, {"to_workspace", nullptr},
              {"created_by", {{"id", 5}, {"name", "John Doe"}}},
              {"created_at", "2026-03-20T10:30:00.000Z"}}}},
           {"minimums",
            {{{"product_id", 78}, {"workspace_id", 1}, {"minimum_quantity", "10.00"}},
             {{"product_id", 82}, {"workspace_id", 1}, {"minimum_quantity", "0.2500"}}}}},
      r));
  EXPECT_TRUE(r["journal"].is_string()) << r.dump();
}

}  // namespace
}  // namespace stockroom::testing
