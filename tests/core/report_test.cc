// The audit report: opening / in / out / net / closing per product and workspace.
#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace stockroom::testing {
namespace {

constexpr Millis kDay19 = kDay20 - kMillisPerDay;
constexpr Millis kDay22 = kDay21 + kMillisPerDay;

std::int64_t Count(const ReportRow& row, MovementType type) {
  return row.counts[static_cast<std::size_t>(type)];
}

// Movements:
//  1 initial_stock Premium Main +50 -> 50       03-19 10:30
//  2 initial_stock Bolt    Main +20 -> 20       03-19 10:30
//  3 sale          Premium Main  -5 -> 45       03-20 10:30 (invoice 11)
//  4 purchase      Premium Main +10 -> 55       03-20 11:30
//  5 transfer_out  Premium Main -15 -> 40       03-20 12:30
//  6 transfer_in   Premium Wh   +15 -> 15       03-20 12:30
//  7 adjustment    Premium Main  -2 -> 38       03-20 13:30 (damaged)
//  8 sale          Premium Main  -8 -> 30       03-21 10:30 (invoice 12)
//  9 purchase      Bolt    Main  +5 -> 25       03-21 10:30
class ReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    RegisterCatalog(ledger);
    InitialStockCommand init;
    init.workspace_id = kMain;
    init.items.push_back({kPremium, U(50), std::nullopt, std::nullopt});
    init.items.push_back({kBolt, U(20), std::nullopt, std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0 - 24 * kHour), init)));
    SellCommand s;
    s.workspace_id = kMain;
    s.invoice_id = 11;
    s.lines.push_back({kPremium, U(5)});
    ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), s)));
    PurchaseCommand p;
    p.workspace_id = kMain;
    p.items.push_back({kPremium, U(10), Q("4.25")});
    ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + kHour), p)));
    TransferCommand t;
    t.product_id = kPremium;
    t.from_workspace_id = kMain;
    t.to_workspace_id = kWarehouse;
    t.quantity = U(15);
    ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0 + 2 * kHour), t)));
    AdjustCommand a;
    a.workspace_id = kMain;
    a.items.push_back({kPremium, -U(2), Reason::kDamaged, "", std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0 + 3 * kHour), a)));
    SellCommand s2;
    s2.workspace_id = kMain;
    s2.invoice_id = 12;
    s2.lines.push_back({kPremium, U(8)});
    ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0 + 24 * kHour), s2)));
    PurchaseCommand p2;
    p2.workspace_id = kMain;
    p2.items.push_back({kBolt, U(5), std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + 24 * kHour), p2)));
    ASSERT_EQ(ledger.movement_count(), 9u);
  }

  static MovementFilter Filter(Id workspace, std::optional<Millis> from,
                               std::optional<Millis> until) {
    MovementFilter f;
    f.workspace_id = workspace;
    f.from = from;
    f.until = until;
    return f;
  }

  Ledger ledger;
};

TEST_F(ReportTest, OneDay) {
  std::vector<ReportRow> rows = ledger.report(Filter(kMain, kDay20, kDay21));
  ASSERT_EQ(rows.size(), 2u);
  const ReportRow& p = rows[0];
  EXPECT_EQ(p.product_id, kPremium);
  EXPECT_EQ(p.workspace_id, kMain);
  EXPECT_EQ(p.opening, U(50));
  EXPECT_EQ(p.quantity_in, U(10));
  EXPECT_EQ(p.quantity_out, U(22));
  EXPECT_EQ(p.net, -U(12));
  EXPECT_EQ(p.closing, U(38));
  EXPECT_EQ(Count(p, MovementType::kInitialStock), 0);
  EXPECT_EQ(Count(p, MovementType::kPurchase), 1);
  EXPECT_EQ(Count(p, MovementType::kSale), 1);
  EXPECT_EQ(Count(p, MovementType::kTransferOut), 1);
  EXPECT_EQ(Count(p, MovementType::kTransferIn), 0);
  EXPECT_EQ(Count(p, MovementType::kAdjustment), 1);
  // No movement that day but a non-zero opening balance: still a row.
  const ReportRow& b = rows[1];
  EXPECT_EQ(b.product_id, kBolt);
  EXPECT_EQ(b.opening, U(20));
  EXPECT_EQ(b.quantity_in, 0);
  EXPECT_EQ(b.quantity_out, 0);
  EXPECT_EQ(b.net, 0);
  EXPECT_EQ(b.closing, U(20));
  for (int t = 0; t < kMovementTypeCount; ++t) EXPECT_EQ(b.counts[static_cast<std::size_t>(t)], 0);
}

TEST_F(ReportTest, WholeHistory) {
  std::vector<ReportRow> rows = ledger.report(Filter(kMain, kDay19, kDay22));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].product_id, kPremium);
  EXPECT_EQ(rows[0].opening, 0);
  EXPECT_EQ(rows[0].quantity_in, U(60));
  EXPECT_EQ(rows[0].quantity_out, U(30));
  EXPECT_EQ(rows[0].net, U(30));
  EXPECT_EQ(rows[0].closing, U(30));
  EXPECT_EQ(Count(rows[0], MovementType::kInitialStock), 1);
  EXPECT_EQ(Count(rows[0], MovementType::kSale), 2);
  EXPECT_EQ(rows[1].product_id, kBolt);
  EXPECT_EQ(rows[1].quantity_in, U(25));
  EXPECT_EQ(rows[1].closing, U(25));
  EXPECT_EQ(Count(rows[1], MovementType::kInitialStock), 1);
  EXPECT_EQ(Count(rows[1], MovementType::kPurchase), 1);
  // Unbounded on both sides gives the same.
  std::vector<ReportRow> all = ledger.report(Filter(kMain, std::nullopt, std::nullopt));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].closing, U(30));
  EXPECT_EQ(all[1].closing, U(25));
}

TEST_F(ReportTest, OpenEndedRanges) {
  std::vector<ReportRow> from21 = ledger.report(Filter(kMain, kDay21, std::nullopt));
  ASSERT_EQ(from21.size(), 2u);
  EXPECT_EQ(from21[0].opening, U(38));
  EXPECT_EQ(from21[0].quantity_out, U(8));
  EXPECT_EQ(from21[0].closing, U(30));
  EXPECT_EQ(from21[1].opening, U(20));
  EXPECT_EQ(from21[1].quantity_in, U(5));
  EXPECT_EQ(from21[1].closing, U(25));
  std::vector<ReportRow> until20 = ledger.report(Filter(kMain, std::nullopt, kDay20));
  ASSERT_EQ(until20.size(), 2u);
  EXPECT_EQ(until20[0].opening, 0);
  EXPECT_EQ(until20[0].closing, U(50));
  EXPECT_EQ(until20[1].closing, U(20));
}

TEST_F(ReportTest, TypeFilterDoesNotChangeBalances) {
  MovementFilter f = Filter(kMain, kDay20, kDay21);
  f.types = type_bit(MovementType::kSale);
  std::vector<ReportRow> rows = ledger.report(f);
  ASSERT_GE(rows.size(), 1u);
  EXPECT_EQ(rows[0].product_id, kPremium);
  EXPECT_EQ(rows[0].opening, U(50));
  EXPECT_EQ(rows[0].quantity_in, U(10));
  EXPECT_EQ(rows[0].quantity_out, U(22));
  EXPECT_EQ(rows[0].net, -U(12));
  EXPECT_EQ(rows[0].closing, U(38));
  for (const ReportRow& r : rows) EXPECT_EQ(r.closing, r.opening + r.net);
}

TEST_F(ReportTest, ProductAndWorkspaceScope) {
  MovementFilter f = Filter(kMain, kDay20, kDay21);
  f.product_id = kBolt;
  std::vector<ReportRow> bolt = ledger.report(f);
  ASSERT_EQ(bolt.size(), 1u);
  EXPECT_EQ(bolt[0].product_id, kBolt);

  std::vector<ReportRow> wh = ledger.report(Filter(kWarehouse, kDay20, kDay21));
  ASSERT_EQ(wh.size(), 1u);
  EXPECT_EQ(wh[0].product_id, kPremium);
  EXPECT_EQ(wh[0].workspace_id, kWarehouse);
  EXPECT_EQ(wh[0].opening, 0);
  EXPECT_EQ(wh[0].quantity_in, U(15));
  EXPECT_EQ(wh[0].closing, U(15));
  EXPECT_EQ(Count(wh[0], MovementType::kTransferIn), 1);

  EXPECT_TRUE(ledger.report(Filter(kOutlet, kDay20, kDay21)).empty());
}

TEST_F(ReportTest, InvariantsHoldForEveryRow) {
  for (Millis from : {kDay19, kDay20, kDay21}) {
    for (Millis until : {kDay20, kDay21, kDay22}) {
      if (until <= from) continue;
      for (Id ws : {kMain, kWarehouse}) {
        for (const ReportRow& r : ledger.report(Filter(ws, from, until))) {
          EXPECT_EQ(r.closing, r.opening + r.net);
          EXPECT_EQ(r.net, r.quantity_in - r.quantity_out);
          EXPECT_EQ(r.opening, ledger.level_before(r.product_id, ws, from));
          EXPECT_EQ(r.closing, ledger.level_before(r.product_id, ws, until));
        }
      }
    }
  }
}

// A workspace's report and the whole ledger's walk the window's movements in time order; a report of
// one product walks each level's own list. The three must give the same row for every level, including
// a level with no movement in the window (its opening then comes from before the window).
TEST_F(ReportTest, EveryScopeGivesTheSameRows) {
  const std::vector<std::optional<Millis>> bounds = {std::nullopt, kDay19, kDay20,
                                                    kT0 + kHour + 1, kDay21, kDay22};
  for (const auto& from : bounds) {
    for (const auto& until : bounds) {
      if (from && until && *until < *from) continue;
      std::vector<ReportRow> from_workspaces;
      for (Id ws : {kMain, kWarehouse, kOutlet}) {
        for (const ReportRow& r : ledger.report(Filter(ws, from, until))) from_workspaces.push_back(r);
      }
      std::sort(from_workspaces.begin(), from_workspaces.end(), [](const ReportRow& a, const ReportRow& b) {
        return std::pair(a.product_id, a.workspace_id) < std::pair(b.product_id, b.workspace_id);
      });
      MovementFilter all;
      all.from = from;
      all.until = until;
      const std::vector<ReportRow> whole = ledger.report(all);
      ASSERT_EQ(whole.size(), from_workspaces.size());
      for (std::size_t i = 0; i < whole.size(); ++i) {
        const ReportRow& r = whole[i];
        MovementFilter one = Filter(r.workspace_id, from, until);
        one.product_id = r.product_id;
        const std::vector<ReportRow> level = ledger.report(one);
        ASSERT_EQ(level.size(), 1u);
        for (const ReportRow* other : std::vector<const ReportRow*>{&from_workspaces[i], &level[0]}) {
          EXPECT_EQ(other->product_id, r.product_id);
          EXPECT_EQ(other->workspace_id, r.workspace_id);
          EXPECT_EQ(other->opening, r.opening);
          EXPECT_EQ(other->quantity_in, r.quantity_in);
          EXPECT_EQ(other->quantity_out, r.quantity_out);
          EXPECT_EQ(other->closing, r.closing);
          EXPECT_EQ(other->counts, r.counts);
        }
        EXPECT_EQ(r.opening, from ? ledger.level_before(r.product_id, r.workspace_id, *from) : 0);
      }
    }
  }
}

// Rows are in product id order whether or not the host registered its products in that order (the
// report skips its sort while they are).
TEST(ReportOrder, RowsFollowProductIdsInAnyRegistrationOrder) {
  for (const std::vector<Id>& ids : {std::vector<Id>{10, 20, 30}, std::vector<Id>{30, 10, 20}}) {
    Ledger ledger;
    ASSERT_TRUE(ledger.upsert_workspace(Ws(kMain, "Main")).ok());
    InitialStockCommand init;
    init.workspace_id = kMain;
    for (const Id id : ids) {
      ASSERT_TRUE(ledger.upsert_product(Prod(id, "SKU-" + std::to_string(id), "P")).ok());
      init.items.push_back({id, U(id), std::nullopt, std::nullopt});
    }
    ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));
    MovementFilter f;
    f.workspace_id = kMain;
    const std::vector<ReportRow> rows = ledger.report(f);
    ASSERT_EQ(rows.size(), 3u);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      EXPECT_EQ(rows[i].product_id, 10 * static_cast<Id>(i + 1));
      EXPECT_EQ(rows[i].closing, U(rows[i].product_id));
    }
  }
}

// A small workspace of a larger ledger is walked level by level and sorted (the tables over every
// level and product are not worth building for it): the same rows either way.
TEST(ReportOrder, ASmallWorkspaceOfALargeLedger) {
  Ledger ledger;
  ASSERT_TRUE(ledger.upsert_workspace(Ws(kMain, "Main")).ok());
  ASSERT_TRUE(ledger.upsert_workspace(Ws(kOutlet, "Outlet")).ok());
  InitialStockCommand init;
  init.workspace_id = kMain;
  for (Id id = 100; id > 0; --id) {  // registered out of id order too
    ASSERT_TRUE(ledger.upsert_product(Prod(id, "SKU-" + std::to_string(id), "P")).ok());
    init.items.push_back({id, U(5), std::nullopt, std::nullopt});
  }
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));
  InitialStockCommand outlet;
  outlet.workspace_id = kOutlet;
  outlet.items.push_back({70, U(7), std::nullopt, std::nullopt});
  outlet.items.push_back({30, U(3), std::nullopt, std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0 + kHour), outlet)));
  for (const auto& [from, until] : std::vector<std::pair<std::optional<Millis>, std::optional<Millis>>>{
           {std::nullopt, std::nullopt}, {kT0 + 2 * kHour, std::nullopt}, {std::nullopt, kT0 + kHour}}) {
    MovementFilter f;
    f.workspace_id = kOutlet;
    f.from = from;
    f.until = until;
    const std::vector<ReportRow> rows = ledger.report(f);
    if (until) {
      EXPECT_TRUE(rows.empty());
      continue;
    }
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].product_id, 30);
    EXPECT_EQ(rows[1].product_id, 70);
    EXPECT_EQ(rows[0].closing, U(3));
    EXPECT_EQ(rows[1].closing, U(7));
    EXPECT_EQ(rows[1].opening, from ? U(7) : 0);
    EXPECT_EQ(rows[1].quantity_in, from ? 0 : U(7));
  }
}

TEST_F(ReportTest, JsonReport) {
  json r = handle(ledger, json{{"op", "report"},
                               {"filter",
                                {{"workspace_id", 1},
                                 {"start_date", "2026-03-20"},
                                 {"end_date", "2026-03-20"}}},
                               {"sort", "id"}});
  json zero_counts = {{"initial_stock", 0}, {"purchase", 0}, {"sale", 0},
                      {"transfer_out", 0}, {"transfer_in", 0}, {"adjustment", 0}};
  json premium_counts = zero_counts;
  premium_counts["purchase"] = 1;
  premium_counts["sale"] = 1;
  premium_counts["transfer_out"] = 1;
  premium_counts["adjustment"] = 1;
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true},
           {"data", {{{"id", 3}}, {{"id", 4}, {"unit_cost", "4.25"}}, {{"id", 5}}, {{"id", 7}}}},
           {"total", 4},
           {"page", 1},
           {"last_page", 1},
           {"summary",
            {{{"product_id", 78},
              {"product", {{"id", 78}, {"name", "Premium Product"}, {"sku", "PROD-001"}}},
              {"workspace_id", 1},
              {"opening_balance", "50.00"},
              {"quantity_in", "10.00"},
              {"quantity_out", "22.00"},
              {"net", "-12.00"},
              {"closing_balance", "38.00"},
              {"counts", premium_counts}},
             {{"product_id", 79},
              {"workspace_id", 1},
              {"opening_balance", "20"},
              {"quantity_in", "0"},
              {"quantity_out", "0"},
              {"net", "0"},
              {"closing_balance", "20"},
              {"counts", zero_counts}}}}},
      r));

  json sales = handle(ledger, json{{"op", "report"},
                                   {"filter",
                                    {{"workspace_id", 1},
                                     {"type", "sale"},
                                     {"start_date", "2026-03-20"},
                                     {"end_date", "2026-03-21"}}}});
  ASSERT_TRUE(JsonOk(sales));
  EXPECT_TRUE(JsonSubset(json{{"data", {{{"id", 8}}, {{"id", 3}}}}, {"total", 2}}, sales));
  ASSERT_GE(sales["summary"].size(), 1u) << sales.dump();
  EXPECT_TRUE(JsonSubset(json{{"product_id", 78}, {"opening_balance", "50.00"},
                              {"quantity_in", "10.00"}, {"quantity_out", "30.00"},
                              {"net", "-20.00"}, {"closing_balance", "30.00"}},
                         sales["summary"][0]));
}

TEST_F(ReportTest, JsonValidation) {
  json backwards = handle(ledger, json{{"op", "report"},
                                       {"filter",
                                        {{"workspace_id", 1},
                                         {"start_date", "2026-03-21"},
                                         {"end_date", "2026-03-20"}}}});
  ASSERT_TRUE(JsonError(backwards, "validation_failed")) << backwards.dump();
  // The protocol names the field `end_date`; its path in the request is filter.end_date.
  const json& errors = backwards["error"]["errors"];
  EXPECT_TRUE(errors.contains("filter.end_date") || errors.contains("end_date")) << backwards.dump();
  EXPECT_FALSE(errors.contains("filter.start_date") || errors.contains("start_date"))
      << backwards.dump();

  // The same day at both ends is fine.
  EXPECT_TRUE(JsonOk(handle(ledger, json{{"op", "report"},
                                         {"filter",
                                          {{"workspace_id", 1},
                                           {"start_date", "2026-03-20"},
                                           {"end_date", "2026-03-20"}}}})));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "report"}, {"filter", json::object()}}),
                        "validation_failed", "filter.workspace_id"));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "report"},
                                            {"filter",
                                             {{"workspace_id", 1}, {"end_date", "2026/03/20"}}}}),
                        "validation_failed", "filter.end_date"));
}

}  // namespace
}  // namespace stockroom::testing
