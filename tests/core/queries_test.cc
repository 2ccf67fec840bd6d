// Reads: movement lists (filters, sorts, pages), product stock, workspace levels,
// low stock and levels as of a time.
#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

std::vector<Id> Ids(const MovementPage& page) {
  std::vector<Id> ids;
  for (const Movement& m : page.items) ids.push_back(m.id);
  return ids;
}

// Movements (all by John Doe):
//  1 initial_stock  Premium Main       +100 -> 100   2026-03-20 10:30
//  2 initial_stock  Bolt    Main        +40 ->  40   2026-03-20 10:30
//  3 adjustment     Premium Main   -5 damaged -> 95  2026-03-20 11:30
//  4 transfer_out   Premium Main        -20 ->  75   2026-03-20 12:30 (linked 5)
//  5 transfer_in    Premium Warehouse   +20 ->  20   2026-03-20 12:30 (linked 4)
//  6 sale           Bolt    Main        -10 ->  30   2026-03-21 10:30 (invoice 77)
//  7 adjustment     Bolt    Main    +3 found -> 33   2026-03-21 11:30
//  8 purchase       Premium Main         +3 ->  78   2026-03-21 12:30
class QueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCatalog(ledger);
    InitialStockCommand init;
    init.workspace_id = kMain;
    init.items.push_back({kPremium, U(100), std::nullopt, std::nullopt});
    init.items.push_back({kBolt, U(40), std::nullopt, std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));
    AdjustCommand damaged;
    damaged.workspace_id = kMain;
    damaged.items.push_back({kPremium, -U(5), Reason::kDamaged, "", std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0 + kHour), damaged)));
    TransferCommand t;
    t.product_id = kPremium;
    t.from_workspace_id = kMain;
    t.to_workspace_id = kWarehouse;
    t.quantity = U(20);
    ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0 + 2 * kHour), t)));
    SellCommand s;
    s.workspace_id = kMain;
    s.invoice_id = 77;
    s.lines.push_back({kBolt, U(10)});
    ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0 + 24 * kHour), s)));
    AdjustCommand found;
    found.workspace_id = kMain;
    found.items.push_back({kBolt, U(3), Reason::kFound, "", std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0 + 25 * kHour), found)));
    PurchaseCommand p;
    p.workspace_id = kMain;
    p.items.push_back({kPremium, U(3), std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + 26 * kHour), p)));
    ASSERT_EQ(ledger.movement_count(), 8u);
  }

  MovementPage List(MovementFilter f, SortField field = SortField::kCreatedAt,
                    bool descending = true, std::int64_t page = 1, std::int64_t per_page = 15) {
    PageRequest pr;
    pr.page = page;
    pr.per_page = per_page;
    pr.sort.field = field;
    pr.sort.descending = descending;
    return ledger.list_movements(f, pr);
  }
  static MovementFilter InMain() {
    MovementFilter f;
    f.workspace_id = kMain;
    return f;
  }

  Ledger ledger;
};

TEST_F(QueriesTest, DefaultSortIsNewestFirstWithIdTieBreak) {
  MovementPage p = ledger.list_movements(InMain(), PageRequest{});
  EXPECT_EQ(Ids(p), (std::vector<Id>{8, 7, 6, 4, 3, 2, 1}));
  EXPECT_EQ(p.total, 7);
}

TEST_F(QueriesTest, SortByCreatedAtAndIdAscending) {
  EXPECT_EQ(Ids(List(InMain(), SortField::kCreatedAt, false)),
            (std::vector<Id>{1, 2, 3, 4, 6, 7, 8}));
  EXPECT_EQ(Ids(List(InMain(), SortField::kId, false)), (std::vector<Id>{1, 2, 3, 4, 6, 7, 8}));
  EXPECT_EQ(Ids(List(InMain(), SortField::kId, true)), (std::vector<Id>{8, 7, 6, 4, 3, 2, 1}));
}

TEST_F(QueriesTest, SortByQuantityBreaksTiesByIdInTheSameDirection) {
  // Quantities: 1:+100 2:+40 3:-5 4:-20 6:-10 7:+3 8:+3.
  EXPECT_EQ(Ids(List(InMain(), SortField::kQuantity, false)),
            (std::vector<Id>{4, 6, 3, 7, 8, 2, 1}));
  EXPECT_EQ(Ids(List(InMain(), SortField::kQuantity, true)),
            (std::vector<Id>{1, 2, 8, 7, 3, 6, 4}));
}

TEST_F(QueriesTest, FilterByProductTypeReasonAndTime) {
  MovementFilter by_product;
  by_product.product_id = kPremium;
  EXPECT_EQ(Ids(List(by_product, SortField::kId, false)), (std::vector<Id>{1, 3, 4, 5, 8}));

  MovementFilter transfers;
  transfers.types = type_bit(MovementType::kTransferOut) | type_bit(MovementType::kTransferIn);
  EXPECT_EQ(Ids(List(transfers, SortField::kId, false)), (std::vector<Id>{4, 5}));
  transfers.workspace_id = kMain;
  EXPECT_EQ(Ids(List(transfers, SortField::kId, false)), (std::vector<Id>{4}));
  transfers.workspace_id = kWarehouse;
  EXPECT_EQ(Ids(List(transfers, SortField::kId, false)), (std::vector<Id>{5}));

  MovementFilter damaged;
  damaged.reason = Reason::kDamaged;
  EXPECT_EQ(Ids(List(damaged)), (std::vector<Id>{3}));

  MovementFilter day21 = InMain();
  day21.from = kDay21;
  EXPECT_EQ(Ids(List(day21, SortField::kId, false)), (std::vector<Id>{6, 7, 8}));
  MovementFilter day20 = InMain();
  day20.until = kDay21;
  EXPECT_EQ(Ids(List(day20, SortField::kId, false)), (std::vector<Id>{1, 2, 3, 4}));
  MovementFilter window;
  window.from = kT0 + kHour;       // inclusive
  window.until = kT0 + 24 * kHour;  // exclusive
  EXPECT_EQ(Ids(List(window, SortField::kId, false)), (std::vector<Id>{3, 4, 5}));

  MovementFilter none;
  none.product_id = kOil;
  MovementPage empty = List(none);
  EXPECT_TRUE(empty.items.empty());
  EXPECT_EQ(empty.total, 0);
}

TEST_F(QueriesTest, PaginationIncludingPastTheEnd) {
  EXPECT_EQ(Ids(List(InMain(), SortField::kCreatedAt, true, 1, 3)), (std::vector<Id>{8, 7, 6}));
  EXPECT_EQ(Ids(List(InMain(), SortField::kCreatedAt, true, 2, 3)), (std::vector<Id>{4, 3, 2}));
  MovementPage last = List(InMain(), SortField::kCreatedAt, true, 3, 3);
  EXPECT_EQ(Ids(last), (std::vector<Id>{1}));
  EXPECT_EQ(last.total, 7);
  MovementPage past = List(InMain(), SortField::kCreatedAt, true, 4, 3);
  EXPECT_TRUE(past.items.empty());
  EXPECT_EQ(past.total, 7);
}

TEST_F(QueriesTest, JsonListShapeAndValidation) {
  json r = handle(ledger, json{{"op", "list_movements"},
                               {"filter", {{"workspace_id", 1}}},
                               {"page", 5},
                               {"per_page", 2}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"data", json::array()}, {"total", 7}, {"page", 5},
                              {"per_page", 2}, {"last_page", 4}},
                         r));
  json types = handle(ledger, json{{"op", "list_movements"},
                                   {"filter", {{"type", "transfer_out,transfer_in"}}},
                                   {"sort", "id"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"data", {{{"id", 4}}, {{"id", 5}}}}, {"total", 2},
                              {"page", 1}, {"per_page", 15}, {"last_page", 1}},
                         types));
  json arr = handle(ledger, json{{"op", "list_movements"},
                                 {"filter", {{"type", {"sale", "purchase"}}, {"workspace_id", "1"}}},
                                 {"sort", "-quantity"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"data", {{{"id", 8}}, {{"id", 6}}}}}, arr));
  json dates = handle(ledger, json{{"op", "list_movements"},
                                   {"filter", {{"start_date", "2026-03-21"}, {"end_date", "2026-03-21"}}},
                                   {"sort", "created_at"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"data", {{{"id", 6}}, {{"id", 7}}, {{"id", 8}}}}},
                         dates));
  json reason = handle(ledger, json{{"op", "list_movements"}, {"filter", {{"reason", "found"}}}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"data", {{{"id", 7}, {"reason", "found"}}}}}, reason));

  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "list_movements"}, {"per_page", 0}}),
                        "validation_failed", "per_page"));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "list_movements"}, {"per_page", 10001}}),
                        "validation_failed", "per_page"));
  EXPECT_TRUE(JsonOk(handle(ledger, json{{"op", "list_movements"}, {"per_page", 10000}})));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "list_movements"}, {"page", 0}}),
                        "validation_failed", "page"));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "list_movements"}, {"sort", "name"}}),
                        "validation_failed", "sort"));
  EXPECT_TRUE(JsonError(
      handle(ledger, json{{"op", "list_movements"}, {"filter", {{"type", "gift"}}}}),
      "validation_failed", "filter.type"));
  EXPECT_TRUE(JsonError(
      handle(ledger, json{{"op", "list_movements"}, {"filter", {{"start_date", "2026-02-30"}}}}),
      "validation_failed", "filter.start_date"));
}

TEST_F(QueriesTest, GetMovement) {
  json r = handle(ledger, json{{"op", "get_movement"}, {"id", 4}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"movement",
                               {{"id", 4}, {"type", "transfer_out"}, {"quantity", "-20.00"},
                                {"balance_after", "75.00"}, {"linked_movement_id", 5},
                                {"created_at", "2026-03-20T12:30:00.000Z"}}}},
                         r));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "get_movement"}, {"id", 9}}), "not_found"));
  EXPECT_FALSE(ledger.movement(9).has_value());
  EXPECT_FALSE(ledger.movement(0).has_value());
}

// Workspaces registered against their id order: a product's stock is still listed by workspace id,
// each level under its own workspace (the levels are placed by workspace index, not searched by id).
TEST(ProductStockOrder, WorkspacesRegisteredOutOfIdOrder) {
  Ledger ledger;
  for (const Id id : {30, 10, 20}) ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(id, "W" + std::to_string(id)))));
  ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(7, "SKU-7", "Seven", 2))));
  for (const auto& [ws, qty] : std::vector<std::pair<Id, Raw>>{{20, U(5)}, {30, U(9)}}) {
    InitialStockCommand init;
    init.workspace_id = ws;
    init.items.push_back({7, qty, std::nullopt, std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));
  }
  const Result<ProductStock> r = ledger.product_stock(7);
  ASSERT_TRUE(Succeeded(r));
  ASSERT_EQ(r.value().levels.size(), 3u);
  const std::vector<std::pair<Id, Raw>> want{{10, 0}, {20, U(5)}, {30, U(9)}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.value().levels[i].workspace_id, want[i].first) << i;
    EXPECT_EQ(r.value().levels[i].quantity, want[i].second) << i;
  }
  EXPECT_EQ(r.value().total, U(14));
  const json j = handle(ledger, json{{"op", "product_stock"}, {"product_id", 7}});
  ASSERT_EQ(j["data"].size(), 3u);
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(j["data"][i]["workspace_id"], want[i].first) << j.dump();
    EXPECT_EQ(j["data"][i]["workspace_name"], "W" + std::to_string(want[i].first)) << j.dump();
  }
  EXPECT_EQ(j["data"][1]["quantity"], "5.00");
  EXPECT_EQ(j["total_quantity"], "14.00");
}

// Workspaces added after levels exist, before and between the others by id: every workspace after
// them moves one place down the id order, and each level must still land under its own workspace.
TEST(ProductStockOrder, WorkspacesAddedBetweenOthersLater) {
  Ledger ledger;
  for (const Id id : {30, 10}) ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(id, "W" + std::to_string(id)))));
  ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(7, "SKU-7", "Seven", 2))));
  const auto stock = [&](Id ws, Raw qty) {
    InitialStockCommand init;
    init.workspace_id = ws;
    init.items.push_back({7, qty, std::nullopt, std::nullopt});
    return Succeeded(ledger.initial_stock(Ctx(kT0), init));
  };
  ASSERT_TRUE(stock(30, U(9)));
  for (const Id id : {20, 5, 40}) ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(id, "W" + std::to_string(id)))));
  ASSERT_TRUE(stock(20, U(5)));
  ASSERT_TRUE(stock(5, U(1)));
  ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(20, "Renamed"))));  // an existing id keeps its place
  const Result<ProductStock> r = ledger.product_stock(7);
  ASSERT_TRUE(Succeeded(r));
  const std::vector<std::pair<Id, Raw>> want{{5, U(1)}, {10, 0}, {20, U(5)}, {30, U(9)}, {40, 0}};
  ASSERT_EQ(r.value().levels.size(), want.size());
  const std::vector<const WorkspaceInfo*> all = ledger.workspaces();
  ASSERT_EQ(all.size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(r.value().levels[i].workspace_id, want[i].first) << i;
    EXPECT_EQ(r.value().levels[i].quantity, want[i].second) << i;
    EXPECT_EQ(all[i]->id, want[i].first) << i;
  }
  EXPECT_EQ(r.value().total, U(15));
  const json j = handle(ledger, json{{"op", "product_stock"}, {"product_id", 7}});
  ASSERT_EQ(j["data"].size(), want.size());
  EXPECT_EQ(j["data"][2]["workspace_name"], "Renamed") << j.dump();
  EXPECT_EQ(j["data"][3]["quantity"], "9.00") << j.dump();
}

TEST_F(QueriesTest, ProductStockInEveryWorkspace) {
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kPremium, kMain, U(80)})));
  Result<ProductStock> r = ledger.product_stock(kPremium);
  ASSERT_TRUE(Succeeded(r));
  const ProductStock& ps = r.value();
  EXPECT_EQ(ps.product_id, kPremium);
  EXPECT_EQ(ps.total, U(98));
  ASSERT_EQ(ps.levels.size(), 4u);
  EXPECT_EQ(ps.levels[0].workspace_id, kMain);
  EXPECT_EQ(ps.levels[0].quantity, U(78));
  EXPECT_EQ(ps.levels[0].minimum, U(80));
  EXPECT_EQ(ps.levels[0].status, StockStatus::kLowStock);
  EXPECT_EQ(ps.levels[1].workspace_id, kWarehouse);
  EXPECT_EQ(ps.levels[1].quantity, U(20));
  EXPECT_EQ(ps.levels[1].status, StockStatus::kInStock);
  EXPECT_EQ(ps.levels[2].workspace_id, kOutlet);
  EXPECT_EQ(ps.levels[2].quantity, 0);
  EXPECT_EQ(ps.levels[2].status, StockStatus::kOutOfStock);
  EXPECT_EQ(ps.levels[3].workspace_id, kOldDepot);

  EXPECT_TRUE(FailedWith(ledger.product_stock(999), ErrorCode::kNotFound));

  json j = handle(ledger, json{{"op", "product_stock"}, {"product_id", 78}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"product_id", 78},
           {"total_quantity", "98.00"},
           {"data",
            {{{"workspace_id", 1}, {"workspace_name", "Main Store"}, {"quantity", "78.00"},
              {"minimum_quantity", "80.00"}, {"status", "low_stock"}},
             {{"workspace_id", 2}, {"workspace_name", "Warehouse"}, {"quantity", "20.00"},
              {"minimum_quantity", "0.00"}, {"status", "in_stock"}},
             {{"workspace_id", 3}, {"workspace_name", "Outlet"}, {"quantity", "0.00"},
              {"minimum_quantity", "0.00"}, {"status", "out_of_stock"}},
             {{"workspace_id", 4}, {"workspace_name", "Old Depot"}, {"quantity", "0.00"},
              {"status", "out_of_stock"}}}}},
      j));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "product_stock"}, {"product_id", 999}}),
                        "not_found"));
}

TEST_F(QueriesTest, WorkspaceLevelsNowAndBefore) {
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kOil, kMain, U(2)})));
  std::vector<LevelView> now = ledger.workspace_levels(kMain);
  ASSERT_EQ(now.size(), 3u);
  EXPECT_EQ(now[0].product_id, kPremium);
  EXPECT_EQ(now[0].workspace_id, kMain);
  EXPECT_EQ(now[0].quantity, U(78));
  EXPECT_EQ(now[0].status, StockStatus::kInStock);
  EXPECT_EQ(now[1].product_id, kBolt);
  EXPECT_EQ(now[1].quantity, U(33));
  EXPECT_EQ(now[2].product_id, kOil);
  EXPECT_EQ(now[2].quantity, 0);
  EXPECT_EQ(now[2].minimum, U(2));
  EXPECT_EQ(now[2].status, StockStatus::kOutOfStock);

  std::vector<LevelView> before = ledger.workspace_levels_before(kMain, kDay21);
  ASSERT_GE(before.size(), 2u);
  EXPECT_EQ(before[0].product_id, kPremium);
  EXPECT_EQ(before[0].quantity, U(75));
  EXPECT_EQ(before[1].product_id, kBolt);
  EXPECT_EQ(before[1].quantity, U(40));

  std::vector<LevelView> warehouse = ledger.workspace_levels(kWarehouse);
  ASSERT_EQ(warehouse.size(), 1u);
  EXPECT_EQ(warehouse[0].product_id, kPremium);
  EXPECT_EQ(warehouse[0].quantity, U(20));
  EXPECT_TRUE(ledger.workspace_levels(kOutlet).empty());

  json j = handle(ledger, json{{"op", "workspace_levels"}, {"workspace_id", 1},
                               {"as_of_date", "2026-03-20"}});
  ASSERT_TRUE(JsonOk(j));
  ASSERT_GE(j["data"].size(), 2u) << j.dump();
  EXPECT_TRUE(JsonSubset(json{{"product_id", 78},
                              {"product", {{"id", 78}, {"name", "Premium Product"}, {"sku", "PROD-001"}}},
                              {"workspace_id", 1}, {"quantity", "75.00"}, {"status", "in_stock"}},
                         j["data"][0]));
  EXPECT_TRUE(JsonSubset(json{{"product_id", 79}, {"quantity", "40"}}, j["data"][1]));
  // `as_of` is inclusive: the transfer stamped exactly 12:30 counts.
  json at = handle(ledger, json{{"op", "workspace_levels"}, {"workspace_id", 1},
                                {"as_of", "2026-03-20T12:30:00.000Z"}});
  ASSERT_TRUE(JsonOk(at));
  ASSERT_GE(at["data"].size(), 2u) << at.dump();
  EXPECT_TRUE(JsonSubset(json{{"product_id", 78}, {"quantity", "75.00"}}, at["data"][0]));
  json just_before = handle(ledger, json{{"op", "workspace_levels"}, {"workspace_id", 1},
                                         {"as_of", "2026-03-20T12:29:59.999Z"}});
  ASSERT_TRUE(JsonOk(just_before));
  ASSERT_GE(just_before["data"].size(), 2u) << just_before.dump();
  EXPECT_TRUE(JsonSubset(json{{"product_id", 78}, {"quantity", "95.00"}}, just_before["data"][0]));
  json current = handle(ledger, json{{"op", "workspace_levels"}, {"workspace_id", 1}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"data",
                               {{{"product_id", 78}, {"quantity", "78.00"}},
                                {{"product_id", 79}, {"quantity", "33"}},
                                {{"product_id", 82}, {"quantity", "0.0000"},
                                 {"minimum_quantity", "2.0000"}, {"status", "out_of_stock"}}}}},
                         current));
}

TEST_F(QueriesTest, LevelBeforeAndAsOf) {
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0), 0);
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0 + 1), U(100));
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0 + 2 * kHour), U(95));
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kDay21), U(75));
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0 + 100 * kHour), U(78));
  EXPECT_EQ(ledger.level_before(kPremium, kWarehouse, kDay21), U(20));

  // `as_of` counts every movement at or before it.
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "75.00"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 78},
                                             {"workspace_id", 1},
                                             {"as_of", "2026-03-20T12:30:00.000Z"}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "95.00"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 78},
                                             {"workspace_id", 1},
                                             {"as_of", "2026-03-20T12:29:59.999Z"}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "100.00"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 78},
                                             {"workspace_id", 1}, {"as_of", 1774002600000}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "75.00"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 78},
                                             {"workspace_id", 1}, {"as_of_date", "2026-03-20"}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "40"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 79},
                                             {"workspace_id", 1}, {"as_of", 1774002600001}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "33"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 79},
                                             {"workspace_id", 1}, {"as_of_date", "2026-03-21"}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"quantity", "0"}},
                         handle(ledger, json{{"op", "level_as_of"}, {"product_id", 79},
                                             {"workspace_id", 1}, {"as_of_date", "2026-03-19"}})));
}

TEST(StockStatus, Rule) {
  EXPECT_EQ(stock_status(0, 0), StockStatus::kOutOfStock);
  EXPECT_EQ(stock_status(0, U(5)), StockStatus::kOutOfStock);
  EXPECT_EQ(stock_status(-U(1), 0), StockStatus::kOutOfStock);
  EXPECT_EQ(stock_status(U(5), U(5)), StockStatus::kLowStock);
  EXPECT_EQ(stock_status(U(4), U(5)), StockStatus::kLowStock);
  EXPECT_EQ(stock_status(U(5) + 1, U(5)), StockStatus::kInStock);
  EXPECT_EQ(stock_status(1, 0), StockStatus::kInStock);
  EXPECT_EQ(stock_status_name(StockStatus::kInStock), "in_stock");
  EXPECT_EQ(stock_status_name(StockStatus::kLowStock), "low_stock");
  EXPECT_EQ(stock_status_name(StockStatus::kOutOfStock), "out_of_stock");
}

// Low stock of Main:
//   Premium 78  level 4  min 5  -> shortage 1, low_stock
//   Bolt    79  level 0  min 10 -> shortage 10, out_of_stock (a minimum, no movement)
//   Flour   80  level -3 min 0  -> shortage 3, out_of_stock (below zero)
//   Oil     82  level 2  min 2  -> shortage 0, low_stock (at the minimum)
//   Tape    85  level 1  min 2  -> shortage 1, low_stock
//   Cable   84  level 10 min 5  -> not low
//   Gift wrap (untracked) and Lamp (inactive) with minimums: left out.
class LowStockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCatalog(ledger);
    ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(84, "CABLE-2M", "USB Cable 2m", 0))));
    ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(85, "TAPE-50", "Packing Tape", 0))));
    InitialStockCommand init;
    init.workspace_id = kMain;
    init.items.push_back({kPremium, U(4), std::nullopt, U(5)});
    init.items.push_back({kBolt, 0, std::nullopt, U(10)});
    init.items.push_back({kOil, U(2), std::nullopt, U(2)});
    init.items.push_back({84, U(10), std::nullopt, U(5)});
    init.items.push_back({85, U(1), std::nullopt, U(2)});
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));
    AdjustCommand a;
    a.workspace_id = kMain;
    a.items.push_back({kFlour, -U(3), Reason::kLost, "", std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), a)));
    ASSERT_TRUE(Succeeded(ledger.load_minimum({kGiftWrap, kMain, U(5)})));
    ASSERT_TRUE(Succeeded(ledger.load_minimum({kLamp, kMain, U(5)})));
  }
  Ledger ledger;
};

TEST_F(LowStockTest, OrderedByShortageThenProductId) {
  std::vector<LowStockEntry> low = ledger.low_stock(kMain);
  ASSERT_EQ(low.size(), 5u);
  EXPECT_EQ(low[0].level.product_id, kBolt);
  EXPECT_EQ(low[0].shortage, U(10));
  EXPECT_EQ(low[0].level.status, StockStatus::kOutOfStock);
  EXPECT_EQ(low[1].level.product_id, kFlour);
  EXPECT_EQ(low[1].shortage, U(3));
  EXPECT_EQ(low[1].level.quantity, -U(3));
  EXPECT_EQ(low[1].level.status, StockStatus::kOutOfStock);
  EXPECT_EQ(low[2].level.product_id, kPremium);
  EXPECT_EQ(low[2].shortage, U(1));
  EXPECT_EQ(low[2].level.status, StockStatus::kLowStock);
  EXPECT_EQ(low[3].level.product_id, 85);
  EXPECT_EQ(low[3].shortage, U(1));
  EXPECT_EQ(low[4].level.product_id, kOil);
  EXPECT_EQ(low[4].shortage, 0);
  EXPECT_EQ(low[4].level.status, StockStatus::kLowStock);
  for (const LowStockEntry& e : low) EXPECT_EQ(e.level.workspace_id, kMain);
  EXPECT_TRUE(ledger.low_stock(kWarehouse).empty());
}

// Low stock skips the levels above the largest minimum ever set in the workspace without reading their
// minimums. A level at that bound is still low (at its minimum); a minimum lowered, or set and rolled
// back, leaves the bound high, and the answer must not change with it.
TEST_F(LowStockTest, LevelsAroundTheLargestMinimum) {
  const auto low_products = [&] {
    std::vector<Id> ids;
    for (const LowStockEntry& e : ledger.low_stock(kMain)) ids.push_back(e.level.product_id);
    return ids;
  };
  const std::vector<Id> before = low_products();  // Bolt, Flour, Premium, Tape, Oil
  // Cable holds 10: a minimum of exactly 10 (the workspace's largest) makes it low, at its minimum.
  ASSERT_TRUE(ledger.set_minimum(Ctx(kT0), {84, kMain, U(10)}).ok());
  std::vector<LowStockEntry> low = ledger.low_stock(kMain);
  ASSERT_EQ(low.size(), before.size() + 1);
  EXPECT_EQ(low.back().level.product_id, 84);  // shortage 0, the highest product id of those
  EXPECT_EQ(low.back().shortage, 0);
  // Lowered again, the bound stays at 10: Cable (10, minimum 9) is not low, the others are as before.
  ASSERT_TRUE(ledger.set_minimum(Ctx(kT0), {84, kMain, U(9)}).ok());
  EXPECT_EQ(low_products(), before);
  // A larger minimum set and rolled back: the same answer.
  const Checkpoint mark = ledger.checkpoint();
  ASSERT_TRUE(ledger.set_minimum(Ctx(kT0), {84, kMain, U(1000)}).ok());
  EXPECT_EQ(low_products().size(), before.size() + 1);
  ASSERT_TRUE(ledger.rollback(mark));
  EXPECT_EQ(low_products(), before);
}

TEST_F(LowStockTest, JsonPaged) {
  json r = handle(ledger, json{{"op", "low_stock"}, {"workspace_id", 1}, {"page", 2},
                               {"per_page", 2}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"data",
            {{{"product_id", 78},
              {"product", {{"id", 78}, {"name", "Premium Product"}, {"sku", "PROD-001"}}},
              {"workspace_id", 1}, {"quantity", "4.00"}, {"minimum_quantity", "5.00"},
              {"shortage", "1.00"}, {"status", "low_stock"}},
             {{"product_id", 85}, {"quantity", "1"}, {"minimum_quantity", "2"}, {"shortage", "1"},
              {"status", "low_stock"}}}},
           {"total", 5}, {"page", 2}, {"per_page", 2}, {"last_page", 3}},
      r));
  json first = handle(ledger, json{{"op", "low_stock"}, {"workspace_id", 1}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"data",
                               {{{"product_id", 79}, {"shortage", "10"}, {"status", "out_of_stock"}},
                                {{"product_id", 80}, {"quantity", "-3.000"}, {"shortage", "3.000"}},
                                {{"product_id", 78}}, {{"product_id", 85}},
                                {{"product_id", 82}, {"shortage", "0.0000"}}}},
                              {"total", 5}, {"page", 1}, {"per_page", 15}, {"last_page", 1}},
                         first));
}

}  // namespace
}  // namespace stockroom::testing
