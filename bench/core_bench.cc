// Core benchmarks: commands applied, journal replay, reads over a large
// ledger. Run with `make bench`; the workload is seeded and deterministic.
#include <benchmark/benchmark.h>

#include <memory>

#include "workload.h"

namespace stockroom::bench {
namespace {

constexpr std::size_t kMillion = 1'000'000;

// One ledger of 1M movements shared by the read benchmarks.
const Ledger& million_ledger() {
  static const std::unique_ptr<Ledger> ledger = [] {
    auto l = std::make_unique<Ledger>();
    register_catalog(*l, WorkloadShape{});
    fill(*l, WorkloadShape{}, kMillion);
    return l;
  }();
  return *ledger;
}

void BM_ApplyCommands(benchmark::State& state) {
  std::size_t commands = 0;
  for (auto _ : state) {
    Ledger ledger;
    register_catalog(ledger, WorkloadShape{});
    commands += fill(ledger, WorkloadShape{}, static_cast<std::size_t>(state.range(0)));
  }
  state.counters["commands_per_s"] =
      benchmark::Counter(static_cast<double>(commands), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ApplyCommands)->Arg(200'000)->Unit(benchmark::kMillisecond);

void BM_ReplayJournal(benchmark::State& state) {
  const std::string journal = million_ledger().export_journal();
  std::size_t replayed = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Ledger fresh;
    register_catalog(fresh, WorkloadShape{});
    state.ResumeTiming();
    const auto result = fresh.replay_journal(journal);
    if (!result.ok()) state.SkipWithError(result.error().message.c_str());
    replayed += million_ledger().movement_count();
    state.PauseTiming();
    {
      Ledger discard = std::move(fresh);  // free outside the timed region
    }
    state.ResumeTiming();
  }
  state.counters["movements_per_s"] =
      benchmark::Counter(static_cast<double>(replayed), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReplayJournal)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ReportOneWorkspaceMonth(benchmark::State& state) {
  const Ledger& ledger = million_ledger();
  MovementFilter filter;
  filter.workspace_id = 3;
  filter.from = WorkloadShape{}.start + 2 * kMillisPerDay;
  filter.until = *filter.from + 30 * kMillisPerDay;
  for (auto _ : state) benchmark::DoNotOptimize(ledger.report(filter));
}
BENCHMARK(BM_ReportOneWorkspaceMonth)->Unit(benchmark::kMicrosecond);

void BM_LowStock(benchmark::State& state) {
  const Ledger& ledger = million_ledger();
  for (auto _ : state) benchmark::DoNotOptimize(ledger.low_stock(3));
}
BENCHMARK(BM_LowStock)->Unit(benchmark::kMicrosecond);

void BM_ProductStock(benchmark::State& state) {
  const Ledger& ledger = million_ledger();
  Id product = 0;
  for (auto _ : state) benchmark::DoNotOptimize(ledger.product_stock(1 + (product++ % 10'000)));
}
BENCHMARK(BM_ProductStock);

void BM_LevelBefore(benchmark::State& state) {
  const Ledger& ledger = million_ledger();
  Id product = 0;
  const Millis mid = WorkloadShape{}.start + 5 * kMillisPerDay;
  for (auto _ : state) {
    ++product;
    benchmark::DoNotOptimize(ledger.level_before(1 + product % 10'000, 1 + product % 20, mid));
  }
}
BENCHMARK(BM_LevelBefore);

}  // namespace
}  // namespace stockroom::bench

BENCHMARK_MAIN();
