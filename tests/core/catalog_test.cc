// Catalog facts: workspaces, products, minimums (typed API and the `register` op).
#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

TEST(Catalog, UpsertAndReadBack) {
  Ledger ledger;
  RegisterCatalog(ledger);
  const ProductInfo* p = ledger.product(kFlour);
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->sku, "FLOUR-KG");
  EXPECT_EQ(p->name, "Flour");
  EXPECT_EQ(p->decimals, 3);
  EXPECT_TRUE(p->allow_negative_stock);
  EXPECT_TRUE(p->track_inventory);
  const WorkspaceInfo* w = ledger.workspace(kOldDepot);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->name, "Old Depot");
  EXPECT_FALSE(w->active);
  EXPECT_EQ(ledger.product(999), nullptr);
  EXPECT_EQ(ledger.workspace(999), nullptr);
}

TEST(Catalog, WorkspacesAreListedById) {
  Ledger ledger;
  ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(9, "Nine"))));
  ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(2, "Two"))));
  ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(5, "Five"))));
  std::vector<const WorkspaceInfo*> all = ledger.workspaces();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]->id, 2);
  EXPECT_EQ(all[1]->id, 5);
  EXPECT_EQ(all[2]->id, 9);
}

TEST(Catalog, UpsertReplaces) {
  Ledger ledger;
  ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(1, "Main"))));
  ASSERT_TRUE(Succeeded(ledger.upsert_workspace(Ws(1, "Main Store", false))));
  ASSERT_NE(ledger.workspace(1), nullptr);
  EXPECT_EQ(ledger.workspace(1)->name, "Main Store");
  EXPECT_FALSE(ledger.workspace(1)->active);
  EXPECT_EQ(ledger.workspaces().size(), 1u);
}

TEST(Catalog, RefusesBadWorkspaces) {
  Ledger ledger;
  EXPECT_TRUE(FailedWith(ledger.upsert_workspace(Ws(0, "Zero")), ErrorCode::kValidationFailed));
  EXPECT_TRUE(FailedWith(ledger.upsert_workspace(Ws(-3, "Neg")), ErrorCode::kValidationFailed));
  EXPECT_TRUE(FailedWith(ledger.upsert_workspace(Ws(3, "")), ErrorCode::kValidationFailed));
  EXPECT_TRUE(ledger.workspaces().empty());
}

TEST(Catalog, RefusesBadProducts) {
  Ledger ledger;
  EXPECT_TRUE(FailedWith(ledger.upsert_product(Prod(0, "X", "X")), ErrorCode::kValidationFailed));
  EXPECT_TRUE(FailedWith(ledger.upsert_product(Prod(1, "X", "X", 5)), ErrorCode::kValidationFailed));
  EXPECT_TRUE(FailedWith(ledger.upsert_product(Prod(1, "X", "X", -1)), ErrorCode::kValidationFailed));
  EXPECT_EQ(ledger.product(1), nullptr);
  for (int d = 0; d <= 4; ++d) {
    EXPECT_TRUE(Succeeded(ledger.upsert_product(Prod(10 + d, "D", "D", d)))) << d;
  }
}

TEST(Catalog, DecimalsAreFrozenOnceAProductHasMovements) {
  Ledger ledger;
  RegisterCatalog(ledger);
  // Before any movement decimals may change freely.
  ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(kPremium, "PROD-001", "Premium Product", 3))));
  ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(kPremium, "PROD-001", "Premium Product", 2))));
  InitialStockCommand cmd;
  cmd.workspace_id = kMain;
  cmd.items.push_back({kPremium, U(10), std::nullopt, std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), cmd)));
  EXPECT_TRUE(FailedWith(ledger.upsert_product(Prod(kPremium, "PROD-001", "Premium Product", 3)),
                         ErrorCode::kValidationFailed));
  EXPECT_EQ(ledger.product(kPremium)->decimals, 2);
  // Other facts may still change, with the same decimals.
  ASSERT_TRUE(Succeeded(ledger.upsert_product(Prod(kPremium, "PROD-001", "Premium Product v2", 2))));
  EXPECT_EQ(ledger.product(kPremium)->name, "Premium Product v2");
  // Embedded names are the current catalog names.
  Ledger& l = ledger;
  json r = handle(l, json{{"op", "get_movement"}, {"id", 1}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"movement",
                               {{"product", {{"id", 78}, {"name", "Premium Product v2"},
                                             {"sku", "PROD-001"}}}}}},
                         r));
}

TEST(Catalog, LoadMinimumSetsAMinimumWithoutAMovement) {
  Ledger ledger;
  RegisterCatalog(ledger);
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kPremium, kMain, U(5)})));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(5));
  EXPECT_EQ(ledger.minimum(kPremium, kWarehouse), 0);
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST(CatalogJson, RegisterDefaults) {
  Ledger ledger;
  json r = handle(ledger, json{{"op", "register"},
                               {"workspaces", {{{"id", 1}, {"name", "Main"}}}},
                               {"products", {{{"id", 7}, {"sku", "A-1"}, {"name", "Apple"}}}}});
  ASSERT_TRUE(JsonOk(r));
  const ProductInfo* p = ledger.product(7);
  ASSERT_NE(p, nullptr);
  EXPECT_TRUE(p->track_inventory);
  EXPECT_FALSE(p->allow_negative_stock);
  EXPECT_EQ(p->decimals, 2);
  EXPECT_TRUE(p->active);
  ASSERT_NE(ledger.workspace(1), nullptr);
  EXPECT_TRUE(ledger.workspace(1)->active);
}

TEST(CatalogJson, RegisterMinimums) {
  Ledger ledger;
  RegisterCatalogJson(ledger);
  json r = handle(ledger, json{{"op", "register"},
                               {"minimums",
                                {{{"product_id", 78}, {"workspace_id", 1},
                                  {"minimum_quantity", "5"}}}}});
  ASSERT_TRUE(JsonOk(r));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(5));
}

TEST(CatalogJson, RegisterIsWholeOrNothing) {
  Ledger ledger;
  RegisterCatalogJson(ledger);
  json r = handle(ledger, json{{"op", "register"},
                               {"workspaces", {{{"id", 10}, {"name", "Pop-up"}}}},
                               {"products",
                                {{{"id", 90}, {"sku", "NEW-1"}, {"name", "New"}},
                                 {{"id", 91}, {"sku", "NEW-2"}, {"name", "Bad"}, {"decimals", 5}}}}});
  EXPECT_TRUE(JsonError(r, "validation_failed", "products.1.decimals"));
  EXPECT_EQ(ledger.workspace(10), nullptr);
  EXPECT_EQ(ledger.product(90), nullptr);
  EXPECT_EQ(ledger.product(91), nullptr);
}

TEST(CatalogJson, ChangingDecimalsAfterMovementsNamesTheField) {
  Ledger ledger;
  RegisterCatalogJson(ledger);
  ASSERT_TRUE(JsonOk(handle(ledger, json{{"op", "purchase"},
                                         {"at", "2026-03-20T10:30:00.000Z"},
                                         {"workspace_id", 1},
                                         {"items", {{{"product_id", 79}, {"quantity", "3"}}}}})));
  json r = handle(ledger, json{{"op", "register"},
                               {"workspaces", {{{"id", 10}, {"name", "Pop-up"}}}},
                               {"products",
                                {{{"id", 78}, {"sku", "PROD-001"}, {"name", "Premium Product"}},
                                 {{"id", 79}, {"sku", "BOLT-M8"}, {"name", "Hex Bolt M8"},
                                  {"decimals", 2}}}}});
  EXPECT_TRUE(JsonError(r, "validation_failed", "products.1.decimals"));
  EXPECT_EQ(ledger.product(kBolt)->decimals, 0);
  EXPECT_EQ(ledger.workspace(10), nullptr);
}

}  // namespace
}  // namespace stockroom::testing
