// A deterministic (seeded) inventory workload for benchmarks: a catalog of
// products and workspaces and a stream of mixed commands (initial stock,
// purchases, sales, transfers, adjustments). The same seed always yields the
// same commands, so the native benchmarks, the WebAssembly package and the
// SQLite baseline (which read the files bench_data writes) see the same data.
#ifndef STOCKROOM_BENCH_WORKLOAD_H_
#define STOCKROOM_BENCH_WORKLOAD_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <variant>
#include <vector>

#include "stockroom/ledger.h"

namespace stockroom::bench {

struct WorkloadShape {
  int products = 10'000;
  int workspaces = 20;
  std::uint64_t seed = 42;
  Millis start = 1'767'225'600'000;  ///< 2026-01-01T00:00:00Z.
  Millis step = 1'000;               ///< Time between commands.
};

/// The actor of every generated command.
inline const Actor kBenchActor{7, "Bench Clerk"};

using Command =
    std::variant<InitialStockCommand, PurchaseCommand, SellCommand, TransferCommand, AdjustCommand>;

struct TimedCommand {
  Millis at = 0;
  Command command;
};

/// The command stream: one initial stock per product (in its home workspace
/// 1 + p % workspaces), then a fixed mix: 20% purchases, 40% sales, 30%
/// transfers out of the home workspace, 10% adjustments (+/-).
class CommandStream {
 public:
  explicit CommandStream(const WorkloadShape& shape);
  TimedCommand next();

 private:
  WorkloadShape shape_;
  std::mt19937_64 rng_;
  Millis at_;
  int next_product_ = 1;  ///< Initial stock phase while <= products.
  std::size_t commands_ = 0;
  Id invoice_ = 0;
};

/// Registers the catalog (products 1..N, workspaces 1..W, one minimum of 20
/// per product in its home workspace) into `ledger`.
void register_catalog(Ledger& ledger, const WorkloadShape& shape);
/// The same catalog as a protocol `register` request (JSON text).
std::string catalog_json(const WorkloadShape& shape);

/// Applies one command through the typed API; false when the core refused it
/// (a sale may find too little stock, as in real life).
bool apply(Ledger& ledger, const TimedCommand& command);
/// The same command as a protocol request (docs/core-protocol.md), JSON text.
std::string command_json(const TimedCommand& command);

/// Applies commands until the ledger holds at least `movements` movements.
/// Returns the number of commands applied (rejected ones included).
std::size_t fill(Ledger& ledger, const WorkloadShape& shape, std::size_t movements);

/// The report window every layer asks for: workspace 3, 2026-01-03 ..
/// 2026-02-01 inclusive (bench/node/lib.mjs has the same as REPORT).
MovementFilter report_month_filter();

/// "1M", "200k" or the number: the size in benchmark names.
std::string size_label(std::size_t n);

/// "1000000,10000000" as sizes.
std::vector<std::size_t> parse_sizes(const std::string& text);

}  // namespace stockroom::bench

#endif  // STOCKROOM_BENCH_WORKLOAD_H_
