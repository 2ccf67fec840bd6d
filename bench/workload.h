// A deterministic (seeded) inventory workload for benchmarks: a catalog of
// products and workspaces and a stream of mixed commands applied through the
// typed Ledger API. The same seed always yields the same ledger.
#ifndef STOCKROOM_BENCH_WORKLOAD_H_
#define STOCKROOM_BENCH_WORKLOAD_H_

#include <cstddef>
#include <cstdint>

#include "stockroom/ledger.h"

namespace stockroom::bench {

struct WorkloadShape {
  int products = 10'000;
  int workspaces = 20;
  std::uint64_t seed = 42;
  Millis start = 1'767'225'600'000;  ///< 2026-01-01T00:00:00Z.
  Millis step = 1'000;               ///< Time between commands.
};

/// Registers the catalog (products 1..N, workspaces 1..W) into `ledger`.
void register_catalog(Ledger& ledger, const WorkloadShape& shape);

/// Applies commands until the ledger holds at least `movements` movements:
/// initial stock first, then purchases, sales, transfers and adjustments in
/// a fixed mix. Returns the number of commands applied (rejected ones
/// included: a sale may find too little stock, as in real life).
std::size_t fill(Ledger& ledger, const WorkloadShape& shape, std::size_t movements);

}  // namespace stockroom::bench

#endif  // STOCKROOM_BENCH_WORKLOAD_H_
