// purchase, count, set_minimum, and the clamping of command times.
#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

class CommandsTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterCatalog(ledger); }

  static PurchaseCommand Purchase(std::vector<PurchaseItem> items, Id workspace = kMain) {
    PurchaseCommand p;
    p.workspace_id = workspace;
    p.items = std::move(items);
    return p;
  }
  static CountCommand Count(std::vector<CountItem> items, Id workspace = kMain) {
    CountCommand c;
    c.workspace_id = workspace;
    c.items = std::move(items);
    return c;
  }
  static CountItem Counted(Id product, Raw counted) { return CountItem{product, counted, ""}; }
  static SetMinimumCommand Minimum(Id product, Id workspace, Raw minimum) {
    SetMinimumCommand m;
    m.product_id = product;
    m.workspace_id = workspace;
    m.minimum = minimum;
    return m;
  }

  Ledger ledger;
};

TEST_F(CommandsTest, PurchaseWritesOneMovementPerItemWithItsCost) {
  PurchaseCommand p = Purchase({{kPremium, U(24), Q("2.5")}, {kOil, Q("1.2345"), Q("0.0125")},
                                {kPremium, U(6), std::nullopt}});
  p.reference = "PO-1001";
  p.notes = "Weekly delivery";
  Result<CommandOutcome> r = ledger.purchase(Ctx(kT0), p);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{1, 2, 3}));
  Movement a = Mv(ledger, 1);
  EXPECT_EQ(a.type, MovementType::kPurchase);
  EXPECT_EQ(a.product_id, kPremium);
  EXPECT_EQ(a.workspace_id, kMain);
  EXPECT_EQ(a.quantity, U(24));
  EXPECT_EQ(a.balance_after, U(24));
  EXPECT_EQ(a.unit_cost, std::optional<Raw>(Q("2.5")));
  EXPECT_EQ(a.from_workspace_id, 0);
  EXPECT_EQ(a.to_workspace_id, kMain);
  EXPECT_EQ(a.reason, Reason::kNone);
  EXPECT_EQ(a.reference, "PO-1001");
  EXPECT_EQ(a.notes, "Weekly delivery");
  EXPECT_EQ(Mv(ledger, 2).unit_cost, std::optional<Raw>(125));
  EXPECT_EQ(Mv(ledger, 2).quantity, Q("1.2345"));
  EXPECT_EQ(Mv(ledger, 3).balance_after, U(30));
  EXPECT_EQ(Mv(ledger, 3).unit_cost, std::nullopt);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(30));
}

TEST_F(CommandsTest, PurchaseValidation) {
  Result<CommandOutcome> r =
      ledger.purchase(Ctx(kT0), Purchase({{kPremium, 0, std::nullopt}, {kBolt, -U(2), std::nullopt},
                                          {999, U(1), std::nullopt}}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "items.0.quantity"));
  EXPECT_TRUE(HasField(r.error(), "items.1.quantity")) << DescribeFields(r.error());
  EXPECT_TRUE(HasField(r.error(), "items.2.product_id")) << DescribeFields(r.error());
  EXPECT_TRUE(FailedWith(ledger.purchase(Ctx(kT0), Purchase({{kGiftWrap, U(1), std::nullopt}})),
                         ErrorCode::kProductNotTracked));
  EXPECT_TRUE(FailedWith(ledger.purchase(Ctx(kT0), Purchase({{kPremium, U(1), std::nullopt}}, kOldDepot)),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_EQ(ledger.movement_count(), 0u);
}

// Field paths and their words are written only when a check fails (validation.h): each error still
// names its item and says the field in words.
TEST_F(CommandsTest, ItemErrorsNameTheirItemAndField) {
  Result<CommandOutcome> r = ledger.purchase(
      Ctx(kT0), Purchase({{kPremium, U(1), std::nullopt}, {kBolt, -U(2), -Q("0.5")},
                          {999, U(1), std::nullopt}}));
  ASSERT_FALSE(r.ok());
  std::vector<std::pair<std::string, std::string>> fields;
  for (const FieldError& f : r.error().fields) fields.emplace_back(f.field, f.message);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"items.1.quantity", "The quantity must be greater than 0."},
      {"items.1.unit_cost", "The unit cost must be at least 0."},
      {"items.2.product_id", "The selected product is invalid."},
  };
  EXPECT_EQ(fields, expected) << DescribeFields(r.error());
}

TEST_F(CommandsTest, PurchaseMoneyInJson) {
  Ledger l;
  RegisterCatalogJson(l);
  json r = handle(l, json{{"op", "purchase"},
                          {"at", "2026-03-20T10:30:00.000Z"},
                          {"workspace_id", 2},
                          {"reference", "PO-1001"},
                          {"items",
                           {{{"product_id", 78}, {"quantity", "24"}, {"unit_cost", "2.5"}},
                            {{"product_id", 82}, {"quantity", "2"}, {"unit_cost", "0.0125"}},
                            {{"product_id", 79}, {"quantity", 5}, {"unit_cost", 3}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"movements",
            {{{"id", 1}, {"type", "purchase"}, {"quantity", "24.00"}, {"unit_cost", "2.50"},
              {"from_workspace_id", nullptr}, {"to_workspace_id", 2},
              {"to_workspace", {{"id", 2}, {"name", "Warehouse"}}}, {"from_workspace", nullptr},
              {"reference", "PO-1001"}},
             {{"id", 2}, {"quantity", "2.0000"}, {"unit_cost", "0.0125"}},
             {{"id", 3}, {"quantity", "5"}, {"balance_after", "5"}, {"unit_cost", "3.00"}}}}},
      r));
  json bad = handle(l, json{{"op", "purchase"},
                            {"at", "2026-03-20T10:30:00.000Z"},
                            {"workspace_id", 2},
                            {"items",
                             {{{"product_id", 78}, {"quantity", "1"}, {"unit_cost", "0.00001"}}}}});
  EXPECT_TRUE(JsonError(bad, "validation_failed", "items.0.unit_cost"));
}

TEST_F(CommandsTest, CountWritesRecountAdjustmentsForDifferences) {
  InitialStockCommand init;
  init.workspace_id = kMain;
  init.items.push_back({kPremium, U(10), std::nullopt, std::nullopt});  // 1
  init.items.push_back({kBolt, U(50), std::nullopt, std::nullopt});     // 2
  init.items.push_back({kOil, U(3), std::nullopt, std::nullopt});       // 3
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));

  CountCommand c = Count({Counted(kPremium, U(7)), Counted(kBolt, U(50)), Counted(kOil, Q("3.5")),
                          Counted(kFlour, U(2))});
  c.reference = "COUNT-03";
  c.items[0].notes = "Shelf A";
  Result<CommandOutcome> r = ledger.count(Ctx(kT0 + kHour), c);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().movement_ids, (std::vector<Id>{4, 5, 6}));
  Movement a = Mv(ledger, 4);
  EXPECT_EQ(a.type, MovementType::kAdjustment);
  EXPECT_EQ(a.reason, Reason::kRecount);
  EXPECT_EQ(a.product_id, kPremium);
  EXPECT_EQ(a.quantity, -U(3));
  EXPECT_EQ(a.balance_after, U(7));
  EXPECT_EQ(a.reference, "COUNT-03");
  EXPECT_EQ(a.notes, "Shelf A");
  Movement b = Mv(ledger, 5);  // the bolt count matched: no movement
  EXPECT_EQ(b.product_id, kOil);
  EXPECT_EQ(b.quantity, Q("0.5"));
  EXPECT_EQ(b.balance_after, Q("3.5"));
  EXPECT_EQ(b.reason, Reason::kRecount);
  Movement f = Mv(ledger, 6);  // never stocked before: the whole count is the difference
  EXPECT_EQ(f.product_id, kFlour);
  EXPECT_EQ(f.quantity, U(2));
  EXPECT_EQ(f.balance_after, U(2));
  EXPECT_EQ(ledger.level(kBolt, kMain), U(50));
}

TEST_F(CommandsTest, CountToZeroAndNothingWhenUnchanged) {
  PurchaseCommand p = Purchase({{kPremium, U(5), std::nullopt}});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0), p)));
  Result<CommandOutcome> r = ledger.count(Ctx(kT0), Count({Counted(kPremium, 0)}));
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(Mv(ledger, 2).quantity, -U(5));
  EXPECT_EQ(ledger.level(kPremium, kMain), 0);
  Result<CommandOutcome> same = ledger.count(Ctx(kT0), Count({Counted(kPremium, 0)}));
  ASSERT_TRUE(Succeeded(same));
  EXPECT_TRUE(same.value().movement_ids.empty());
  EXPECT_EQ(ledger.movement_count(), 2u);
}

TEST_F(CommandsTest, CountValidation) {
  Result<CommandOutcome> r = ledger.count(
      Ctx(kT0), Count({Counted(kPremium, -U(1)), Counted(kBolt, U(1)), Counted(kBolt, U(2)),
                       Counted(kBolt + 100, U(1))}));
  ASSERT_TRUE(FailedWith(r, ErrorCode::kValidationFailed, "items.0.quantity"));
  EXPECT_TRUE(HasField(r.error(), "items.2.product_id")) << DescribeFields(r.error());
  EXPECT_TRUE(HasField(r.error(), "items.3.product_id")) << DescribeFields(r.error());
  EXPECT_TRUE(FailedWith(ledger.count(Ctx(kT0), Count({Counted(kGiftWrap, U(1))})),
                         ErrorCode::kProductNotTracked));
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST_F(CommandsTest, CountJsonUsesQuantity) {
  Ledger l;
  RegisterCatalogJson(l);
  json r = handle(l, json{{"op", "count"},
                          {"at", "2026-03-20T10:30:00.000Z"},
                          {"workspace_id", 1},
                          {"items", {{{"product_id", 79}, {"quantity", "12"}}}}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"movements",
                               {{{"id", 1}, {"type", "adjustment"}, {"reason", "recount"},
                                 {"quantity", "12"}, {"balance_after", "12"}}}}},
                         r));
}

TEST_F(CommandsTest, SetMinimum) {
  Result<CommandOutcome> r = ledger.set_minimum(Ctx(kT0), Minimum(kPremium, kWarehouse, Q("7.5")));
  ASSERT_TRUE(Succeeded(r));
  EXPECT_TRUE(r.value().movement_ids.empty());
  ASSERT_EQ(r.value().minimums.size(), 1u);
  EXPECT_EQ(r.value().minimums[0].product_id, kPremium);
  EXPECT_EQ(r.value().minimums[0].workspace_id, kWarehouse);
  EXPECT_EQ(r.value().minimums[0].minimum, Q("7.5"));
  EXPECT_EQ(ledger.minimum(kPremium, kWarehouse), Q("7.5"));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), 0);
  EXPECT_EQ(ledger.movement_count(), 0u);
  // Back to zero is allowed.
  ASSERT_TRUE(Succeeded(ledger.set_minimum(Ctx(kT0), Minimum(kPremium, kWarehouse, 0))));
  EXPECT_EQ(ledger.minimum(kPremium, kWarehouse), 0);
}

TEST_F(CommandsTest, SetMinimumValidation) {
  EXPECT_TRUE(FailedWith(ledger.set_minimum(Ctx(kT0), Minimum(kPremium, kMain, -U(1))),
                         ErrorCode::kValidationFailed, "minimum_quantity"));
  EXPECT_TRUE(FailedWith(ledger.set_minimum(Ctx(kT0), Minimum(kBolt, kMain, Q("0.5"))),
                         ErrorCode::kValidationFailed, "minimum_quantity"));
  EXPECT_TRUE(FailedWith(ledger.set_minimum(Ctx(kT0), Minimum(999, kMain, U(1))),
                         ErrorCode::kValidationFailed, "product_id"));
  EXPECT_TRUE(FailedWith(ledger.set_minimum(Ctx(kT0), Minimum(kPremium, 999, U(1))),
                         ErrorCode::kValidationFailed, "workspace_id"));
  EXPECT_TRUE(FailedWith(ledger.set_minimum(Ctx(kT0), Minimum(kGiftWrap, kMain, U(1))),
                         ErrorCode::kProductNotTracked));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), 0);
}

TEST_F(CommandsTest, SetMinimumJson) {
  Ledger l;
  RegisterCatalogJson(l);
  json r = handle(l, json{{"op", "set_minimum"},
                          {"at", "2026-03-20T10:30:00.000Z"},
                          {"product_id", 78},
                          {"workspace_id", 1},
                          {"minimum_quantity", "12.5"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"movements", json::array()},
                              {"minimums",
                               {{{"product_id", 78}, {"workspace_id", 1},
                                 {"minimum_quantity", "12.50"}}}}},
                         r));
}

TEST_F(CommandsTest, AnEarlierAtIsStampedWithTheLatestTime) {
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + kHour), Purchase({{kPremium, U(1), std::nullopt}}))));
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0), Purchase({{kPremium, U(1), std::nullopt}}))));
  EXPECT_EQ(Mv(ledger, 2).created_at, kT0 + kHour);
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + 2 * kHour), Purchase({{kPremium, U(1), std::nullopt}}))));
  EXPECT_EQ(Mv(ledger, 3).created_at, kT0 + 2 * kHour);
  // level_before the clamped time does not see movement 2.
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0 + kHour), 0);
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0 + kHour + 1), U(2));
}

TEST_F(CommandsTest, ClampingInJson) {
  Ledger l;
  RegisterCatalogJson(l);
  ASSERT_TRUE(JsonOk(handle(l, json{{"op", "purchase"},
                                    {"at", "2026-03-20T12:00:00.000Z"},
                                    {"workspace_id", 1},
                                    {"items", {{{"product_id", 79}, {"quantity", "1"}}}}})));
  json r = handle(l, json{{"op", "purchase"},
                          {"at", 1774002600000},  // 10:30, earlier: stamped 12:00
                          {"workspace_id", 1},
                          {"items", {{{"product_id", 79}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true}, {"movements", {{{"id", 2}, {"created_at", "2026-03-20T12:00:00.000Z"}}}}},
      r));
}

}  // namespace
}  // namespace stockroom::testing
