// Core benchmarks (Google Benchmark) over the seeded workload of workload.h:
// commands applied, journal replay, the report / low stock / product stock /
// level-as-of reads over ledgers of 1M and 10M movements, and resident memory
// per movement. Run by `make bench` (scripts/bench-all.sh) with repetitions;
// BENCHMARKS.md has the medians.
//
//   core_bench [--sizes=1000000,10000000] [--commands=200000] [benchmark flags]
//
// --sizes / --commands make tiny runs possible (the smoke test uses
// --sizes=20000 --commands=2000).
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <sys/resource.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stockroom/json_api.h"
#include "stockroom/memory.h"
#include "workload.h"

namespace stockroom::bench {
namespace {

// Minor page faults of this process so far (first touches of fresh memory).
long minor_faults() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_minflt;
}

// One ledger per size, built once and shared by the read benchmarks.
const Ledger& ledger_of(std::size_t n) {
  static std::map<std::size_t, std::unique_ptr<Ledger>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<Ledger>();
    register_catalog(*slot, WorkloadShape{});
    fill(*slot, WorkloadShape{}, n);
  }
  return *slot;
}

const std::string& journal_of(std::size_t n) {
  static std::map<std::size_t, std::string> cache;
  auto& slot = cache[n];
  if (slot.empty()) slot = ledger_of(n).export_journal();
  return slot;
}

// The journal with its texts (reference, notes) emptied: fields 15 and 16.
std::string without_texts(const std::string& journal) {
  std::string out;
  out.reserve(journal.size());
  std::size_t pos = 0;
  while (pos < journal.size()) {
    const std::size_t end = journal.find('\n', pos);
    std::size_t tab = pos;
    for (int f = 0; f < 14 && tab != std::string::npos; ++f) tab = journal.find('\t', tab + 1);
    out.append(journal, pos, tab - pos);  // fields 1..14
    out += "\t\t\n";
    pos = end + 1;
  }
  return out;
}

// malloc's bytes in use, and the mappings the core keeps beside malloc (stockroom/memory.h).
std::size_t heap_in_use() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd + stockroom::mapped_bytes();
}

void apply_commands(benchmark::State& state, std::size_t count) {
  std::vector<TimedCommand> commands;
  CommandStream stream(WorkloadShape{});
  commands.reserve(count);
  for (std::size_t i = 0; i < count; ++i) commands.push_back(stream.next());
  std::size_t applied = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto ledger = std::make_unique<Ledger>();
    register_catalog(*ledger, WorkloadShape{});
    state.ResumeTiming();
    for (const auto& c : commands) benchmark::DoNotOptimize(apply(*ledger, c));
    applied += commands.size();
    state.PauseTiming();
    ledger.reset();  // free outside the timed region
    state.ResumeTiming();
  }
  state.counters["commands_per_s"] =
      benchmark::Counter(static_cast<double>(applied), benchmark::Counter::kIsRate);
}

void replay(benchmark::State& state, std::size_t n) {
  const std::string& journal = journal_of(n);
  const std::size_t movements = ledger_of(n).movement_count();
  std::size_t replayed = 0;
  long faults = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto fresh = std::make_unique<Ledger>();
    register_catalog(*fresh, WorkloadShape{});
    const long faults_before = minor_faults();
    state.ResumeTiming();
    const auto result = fresh->replay_journal(journal);
    if (!result.ok()) state.SkipWithError(result.error().message.c_str());
    replayed += movements;
    faults += minor_faults() - faults_before;
    state.PauseTiming();
    fresh.reset();
    state.ResumeTiming();
  }
  state.counters["movements_per_s"] =
      benchmark::Counter(static_cast<double>(replayed), benchmark::Counter::kIsRate);
  // Where a page fault is dear (a virtual machine), they explain much of a replay's time.
  state.counters["page_faults"] =
      benchmark::Counter(static_cast<double>(faults), benchmark::Counter::kAvgIterations);
}

// Heap bytes held per movement by a ledger replayed from the journal, with and
// without the texts (references, notes). One iteration: it is a size, not a speed.
void memory(benchmark::State& state, std::size_t n) {
  const std::string& journal = journal_of(n);
  const std::string bare = without_texts(journal);
  const double movements = static_cast<double>(ledger_of(n).movement_count());
  double with_texts = 0;
  double no_texts = 0;
  double catalog = 0;
  for (auto _ : state) {
    for (const std::string* j : {&journal, &bare}) {
      malloc_trim(0);
      const std::size_t before = heap_in_use();
      auto fresh = std::make_unique<Ledger>();
      register_catalog(*fresh, WorkloadShape{});
      const std::size_t registered = heap_in_use();
      const auto result = fresh->replay_journal(*j);
      if (!result.ok()) state.SkipWithError(result.error().message.c_str());
      const std::size_t after = heap_in_use();
      catalog = static_cast<double>(registered - before);
      (j == &journal ? with_texts : no_texts) = static_cast<double>(after - registered) / movements;
    }
  }
  state.counters["bytes_per_movement"] = with_texts;
  state.counters["bytes_per_movement_no_texts"] = no_texts;
  state.counters["catalog_bytes"] = catalog;
  state.counters["movements"] = movements;
}

void report(benchmark::State& state, std::size_t n) {
  const Ledger& ledger = ledger_of(n);
  const MovementFilter filter = report_month_filter();
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = ledger.report(filter);
    rows = r.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void low_stock(benchmark::State& state, std::size_t n) {
  const Ledger& ledger = ledger_of(n);
  std::size_t rows = 0;
  for (auto _ : state) {
    auto r = ledger.low_stock(3);
    rows = r.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["rows"] = static_cast<double>(rows);
}

void product_stock(benchmark::State& state, std::size_t n) {
  const Ledger& ledger = ledger_of(n);
  Id product = 0;
  for (auto _ : state) benchmark::DoNotOptimize(ledger.product_stock(1 + (product++ % 10'000)));
}

void level_as_of(benchmark::State& state, std::size_t n) {
  const Ledger& ledger = ledger_of(n);
  Id product = 0;
  const Millis mid = WorkloadShape{}.start + 5 * kMillisPerDay;
  for (auto _ : state) {
    ++product;
    benchmark::DoNotOptimize(ledger.level_before(1 + product % 10'000, 1 + product % 20, mid));
  }
}

// ---- The same through the JSON protocol (handle_json): the boundary every host crosses, natively.
// Compared with the package's numbers, these split the WebAssembly cost from the JSON cost.

Ledger& mutable_ledger_of(std::size_t n) { return const_cast<Ledger&>(ledger_of(n)); }

void json_apply_commands(benchmark::State& state, std::size_t count) {
  std::vector<std::string> commands;
  CommandStream stream(WorkloadShape{});
  for (std::size_t i = 0; i < count; ++i) commands.push_back(command_json(stream.next()));
  std::size_t applied = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto ledger = std::make_unique<Ledger>();
    register_catalog(*ledger, WorkloadShape{});
    state.ResumeTiming();
    for (const auto& c : commands) benchmark::DoNotOptimize(handle_json(*ledger, c));
    applied += commands.size();
    state.PauseTiming();
    ledger.reset();
    state.ResumeTiming();
  }
  state.counters["commands_per_s"] =
      benchmark::Counter(static_cast<double>(applied), benchmark::Counter::kIsRate);
}

void json_query(benchmark::State& state, std::size_t n, int which) {
  Ledger& ledger = mutable_ledger_of(n);  // queries do not change it
  const std::string report =
      R"({"op":"report","filter":{"workspace_id":3,"start_date":"2026-01-03","end_date":"2026-02-01"},"per_page":1})";
  const std::string low = R"({"op":"low_stock","workspace_id":3,"per_page":100})";
  std::size_t i = 0;
  for (auto _ : state) {
    ++i;
    switch (which) {
      case 0: benchmark::DoNotOptimize(handle_json(ledger, report)); break;
      case 1: benchmark::DoNotOptimize(handle_json(ledger, low)); break;
      case 2:
        benchmark::DoNotOptimize(handle_json(
            ledger, R"({"op":"product_stock","product_id":)" + std::to_string(1 + i % 10'000) + "}"));
        break;
      default:
        benchmark::DoNotOptimize(handle_json(
            ledger, R"({"op":"level_as_of","product_id":)" + std::to_string(1 + i % 10'000) +
                        R"(,"workspace_id":)" + std::to_string(1 + i % 20) +
                        R"(,"as_of":1767657599999})"));
        break;
    }
  }
}

}  // namespace
}  // namespace stockroom::bench

int main(int argc, char** argv) {
  using namespace stockroom::bench;
  std::vector<std::size_t> sizes{1'000'000, 10'000'000};
  std::size_t commands = 200'000;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--sizes=", 0) == 0) {
      sizes = parse_sizes(arg.substr(8));
    } else if (arg.rfind("--commands=", 0) == 0) {
      commands = std::stoull(arg.substr(11));
    } else {
      rest.push_back(argv[i]);
    }
  }
  int rest_argc = static_cast<int>(rest.size());
  const std::string apply_name = std::string("ApplyCommands/").append(size_label(commands));
  benchmark::RegisterBenchmark(apply_name.c_str(), apply_commands, commands)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  const std::string json_apply_name = std::string("Json/ApplyCommands/").append(size_label(commands));
  benchmark::RegisterBenchmark(json_apply_name.c_str(), json_apply_commands, commands)
      ->Unit(benchmark::kMillisecond)->UseRealTime();
  for (const std::size_t n : sizes) {
    std::string s(1, '/');  // (not "/" + ...: GCC 12 -Wrestrict false positive)
    s += size_label(n);
    benchmark::RegisterBenchmark(("ReplayJournal" + s).c_str(), replay, n)
        ->Unit(benchmark::kMillisecond)
        ->Iterations(n >= 5'000'000 ? 1 : 3)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("ReportWorkspaceMonth" + s).c_str(), report, n)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("LowStock" + s).c_str(), low_stock, n)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("ProductStock" + s).c_str(), product_stock, n)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    benchmark::RegisterBenchmark(("LevelAsOf" + s).c_str(), level_as_of, n)
        ->Unit(benchmark::kMicrosecond)
        ->UseRealTime();
    const char* json_names[] = {"Json/ReportWorkspaceMonth", "Json/LowStock", "Json/ProductStock",
                                "Json/LevelAsOf"};
    for (int q = 0; q < 4; ++q) {
      benchmark::RegisterBenchmark((json_names[q] + s).c_str(), json_query, n, q)
          ->Unit(benchmark::kMicrosecond)
          ->UseRealTime();
    }
    benchmark::RegisterBenchmark(("MemoryPerMovement" + s).c_str(), memory, n)
        ->Iterations(1)
        ->Repetitions(1)
        ->Unit(benchmark::kMillisecond);
  }
  benchmark::Initialize(&rest_argc, rest.data());
  if (benchmark::ReportUnrecognizedArguments(rest_argc, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
