// A small fixed catalog shared by the fuzz harnesses, so that fuzzed
// commands reach the business rules instead of stopping at unknown ids.
#ifndef STOCKROOM_FUZZ_FUZZ_CATALOG_H_
#define STOCKROOM_FUZZ_FUZZ_CATALOG_H_

#include "stockroom/ledger.h"

namespace stockroom::fuzz {

inline void register_catalog(Ledger& ledger) {
  (void)ledger.upsert_workspace({1, "Main", true});
  (void)ledger.upsert_workspace({2, "Warehouse", true});
  (void)ledger.upsert_workspace({3, "Closed", false});
  for (int p = 1; p <= 5; ++p) {
    ProductInfo info;
    info.id = p;
    info.sku = "P" + std::to_string(p);
    info.name = "Product " + std::to_string(p);
    info.decimals = p - 1;                  // 0..4 places
    info.allow_negative_stock = p == 4;
    info.track_inventory = p != 5;
    (void)ledger.upsert_product(info);
  }
}

}  // namespace stockroom::fuzz

#endif  // STOCKROOM_FUZZ_FUZZ_CATALOG_H_
