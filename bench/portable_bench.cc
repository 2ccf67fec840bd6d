// The core workloads of core_bench.cc with a plain timing loop, built twice:
// natively (portable_bench) and to WebAssembly (portable_bench.js, run by
// node). Google Benchmark has no WebAssembly build here, so both targets share
// this loop instead; bench/node/portable.mjs runs the two side by side and
// their ratio is the compilation target alone: no JS boundary, no JSON except
// in the Json/ workloads, which are the protocol itself (handle_json, as every
// host calls it).
//
// Every workload folds its answers into a checksum, and both builds must print
// the same checksums: the WebAssembly core computes what the native one does,
// on the same seeded data.
//
//   portable_bench [--sizes=1000000,10000000] [--commands=200000] [--runs=5]
//   [--min-ms=300]
//
// Prints one JSON document on stdout: {"target", "benchmarks": {name: {unit,
// median, runs}}, "checksums": {name: "hex"}}.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "stockroom/json_api.h"
#include "workload.h"

namespace stockroom::bench {
namespace {

using Clock = std::chrono::steady_clock;

// Where timed checksums go, so that no compiler drops the calls that feed them.
volatile std::uint64_t g_sink = 0;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Folds values into a checksum: the same answers give the same sum. A timed
// sum only has to keep the calls alive, so it folds a text's length and three
// of its bytes; the sum compared between the two builds (run untimed) folds
// every byte. (Folding every byte of a 2.7 MB report answer took 3 ms on both
// sides, as long as writing it, and hid half of the WebAssembly ratio.)
struct Checksum {
  bool every_byte = false;
  std::uint64_t value = 14695981039346656037ull;
  void add(std::uint64_t v) { value = (value ^ v) * 1099511628211ull; }
  void add(const std::string& text) {
    add(text.size());
    if (every_byte) {
      for (const unsigned char c : text) value = (value ^ c) * 1099511628211ull;
    } else if (!text.empty()) {
      add((static_cast<std::uint64_t>(static_cast<unsigned char>(text.front())) << 16) ^
          (static_cast<std::uint64_t>(static_cast<unsigned char>(text[text.size() / 2])) << 8) ^
          static_cast<unsigned char>(text.back()));
    }
  }
};

struct Measurement {
  std::string unit;
  std::vector<double> runs;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

class Results {
 public:
  void add(const std::string& name, const std::string& unit, double value) {
    auto& m = measurements_[name];
    m.unit = unit;
    m.runs.push_back(value);
  }
  // Checksums are taken from the first run only: every run computes the same
  // answers.
  Checksum& checksum(const std::string& name) { return checksums_[name]; }

  void print(const char* target) const {
    std::printf("{\"target\":\"%s\",\"benchmarks\":{", target);
    const char* sep = "";
    for (const auto& [name, m] : measurements_) {
      std::printf("%s\"%s\":{\"unit\":\"%s\",\"median\":%.6g,\"runs\":[", sep,
                  name.c_str(), m.unit.c_str(), median(m.runs));
      for (std::size_t i = 0; i < m.runs.size(); ++i)
        std::printf("%s%.6g", i ? "," : "", m.runs[i]);
      std::printf("]}");
      sep = ",";
    }
    std::printf("},\"checksums\":{");
    sep = "";
    for (const auto& [name, c] : checksums_) {
      std::printf("%s\"%s\":\"%016llx\"", sep, name.c_str(),
                  static_cast<unsigned long long>(c.value));
      sep = ",";
    }
    std::printf("}}\n");
  }

 private:
  std::map<std::string, Measurement> measurements_;
  std::map<std::string, Checksum> checksums_;
};

struct Options {
  std::vector<std::size_t> sizes{1'000'000, 10'000'000};
  std::size_t commands = 200'000;
  int runs = 5;
  double min_ms = 300;
};

// Microseconds per call of fn(i), i = 0, 1, ...: one untimed call first
// (caches), then calls in batches (the clock is a JS call in WebAssembly, so it
// is read once per batch) until min_ms has passed.
template <typename Fn>
double per_call_us(double min_ms, Fn&& fn) {
  fn(0);
  std::size_t calls = 0;
  std::size_t batch = 1;
  const Clock::time_point t0 = Clock::now();
  double elapsed = 0;
  while (elapsed < min_ms) {
    for (std::size_t k = 0; k < batch; ++k) fn(calls++);
    elapsed = ms_since(t0);
    if (elapsed < 1 && batch < (1u << 20)) batch *= 2;
  }
  return elapsed * 1000 / static_cast<double>(calls);
}

void apply_commands(const Options& o, Results& results) {
  std::vector<TimedCommand> typed;
  std::vector<std::string> json;
  CommandStream stream(WorkloadShape{});
  for (std::size_t i = 0; i < o.commands; ++i) {
    typed.push_back(stream.next());
    json.push_back(command_json(typed.back()));
  }
  const std::string name = "ApplyCommands/" + size_label(o.commands);
  for (int run = 0; run < o.runs; ++run) {
    for (const bool as_json : {false, true}) {
      auto ledger = std::make_unique<Ledger>();
      register_catalog(*ledger, WorkloadShape{});
      Checksum sum;
      const Clock::time_point t0 = Clock::now();
      if (as_json) {
        for (const std::string& c : json)
          sum.add(handle_json(*ledger, c).size());
      } else {
        for (const TimedCommand& c : typed) sum.add(apply(*ledger, c) ? 1 : 0);
      }
      const double ms = ms_since(t0);
      sum.add(ledger->movement_count());
      g_sink = g_sink ^ sum.value;
      const std::string key = (as_json ? "Json/" : "") + name;
      results.add(key, "commands_per_s",
                  static_cast<double>(o.commands) / (ms / 1000));
      if (run == 0) results.checksum(key) = sum;
    }
  }
}

void replay(const Options& o, std::size_t n, const std::string& journal,
            Results& results) {
  const std::string name = "ReplayJournal/" + size_label(n);
  const int runs = n >= 5'000'000 ? std::min(o.runs, 3) : o.runs;
  for (int run = 0; run < runs; ++run) {
    auto fresh = std::make_unique<Ledger>();
    register_catalog(*fresh, WorkloadShape{});
    const Clock::time_point t0 = Clock::now();
    const auto replayed = fresh->replay_journal(journal);
    const double ms = ms_since(t0);
    if (!replayed.ok()) {
      std::fprintf(stderr, "replay failed: %s\n",
                   replayed.error().message.c_str());
      std::exit(1);
    }
    results.add(name, "movements_per_s",
                static_cast<double>(replayed.value()) / (ms / 1000));
    if (run == 0) {
      results.checksum(name).add(replayed.value());
      results.checksum(name).add(
          fresh->export_journal(fresh->movement_count() - 1));
    }
  }
}

// The read workloads of core_bench.cc, typed and through handle_json, over one
// ledger.
void reads(const Options& o, std::size_t n, Ledger& ledger, Results& results) {
  std::string s(1, '/');  // (not "/" + ...: GCC 12 -Wrestrict false positive)
  s += size_label(n);
  const MovementFilter filter = report_month_filter();
  const Millis mid = WorkloadShape{}.start + 5 * kMillisPerDay;
  const std::string report_json =
      R"({"op":"report","filter":{"workspace_id":3,"start_date":"2026-01-03","end_date":"2026-02-01"},"per_page":1})";
  const std::string low_json =
      R"({"op":"low_stock","workspace_id":3,"per_page":100})";
  for (int run = 0; run < o.runs; ++run) {
    // Each workload folds every answer in; the first run's sum is the one kept.
    auto timed = [&](const std::string& name, auto&& call) {
      Checksum sum;
      results.add(name + s, "us",
                  per_call_us(o.min_ms, [&](std::size_t i) { call(i, sum); }));
      g_sink = g_sink ^ sum.value;
      if (run == 0) {
        Checksum first;  // the sum of a fixed number of calls: run lengths
                         // differ between targets
        first.every_byte = true;
        for (std::size_t i = 0; i < 64; ++i) call(i, first);
        results.checksum(name + s) = first;
      }
    };
    timed("ReportWorkspaceMonth", [&](std::size_t, Checksum& sum) {
      const std::vector<ReportRow> rows = ledger.report(filter);
      sum.add(rows.size());
      for (const ReportRow& row : rows)
        sum.add(static_cast<std::uint64_t>(row.closing));
    });
    timed("LowStock", [&](std::size_t, Checksum& sum) {
      const std::vector<LowStockEntry> low = ledger.low_stock(3);
      sum.add(low.size());
      for (const LowStockEntry& e : low)
        sum.add(static_cast<std::uint64_t>(e.shortage));
    });
    timed("ProductStock", [&](std::size_t i, Checksum& sum) {
      sum.add(static_cast<std::uint64_t>(
          ledger.product_stock(1 + i % 10'000).value().total));
    });
    timed("LevelAsOf", [&](std::size_t i, Checksum& sum) {
      const Id p = 1 + (i + 1) % 10'000;
      sum.add(static_cast<std::uint64_t>(
          ledger.level_before(p, 1 + (i + 1) % 20, mid)));
    });
    timed("Json/ReportWorkspaceMonth", [&](std::size_t, Checksum& sum) {
      sum.add(handle_json(ledger, report_json));
    });
    timed("Json/LowStock", [&](std::size_t, Checksum& sum) {
      sum.add(handle_json(ledger, low_json));
    });
    timed("Json/ProductStock", [&](std::size_t i, Checksum& sum) {
      sum.add(handle_json(ledger, R"({"op":"product_stock","product_id":)" +
                                      std::to_string(1 + i % 10'000) + "}"));
    });
    timed("Json/LevelAsOf", [&](std::size_t i, Checksum& sum) {
      sum.add(handle_json(ledger, R"({"op":"level_as_of","product_id":)" +
                                      std::to_string(1 + (i + 1) % 10'000) +
                                      R"(,"workspace_id":)" +
                                      std::to_string(1 + (i + 1) % 20) +
                                      R"(,"as_of":1767657599999})"));
    });
  }
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&](const char* prefix) {
      return arg.substr(std::string(prefix).size());
    };
    if (arg.rfind("--sizes=", 0) == 0) {
      o.sizes = parse_sizes(value("--sizes="));
    } else if (arg.rfind("--commands=", 0) == 0) {
      o.commands = std::stoull(value("--commands="));
    } else if (arg.rfind("--runs=", 0) == 0) {
      o.runs = std::stoi(value("--runs="));
    } else if (arg.rfind("--min-ms=", 0) == 0) {
      o.min_ms = std::stod(value("--min-ms="));
    } else {
      std::fprintf(stderr, "unknown argument %s\n", arg.c_str());
      std::exit(2);
    }
  }
  return o;
}

}  // namespace
}  // namespace stockroom::bench

int main(int argc, char** argv) {
  using namespace stockroom::bench;
  const Options o = parse_options(argc, argv);
  Results results;
  apply_commands(o, results);
  for (const std::size_t n : o.sizes) {
    // One size at a time, freed before the next: the 10M ledger and its journal
    // take ~1.5 GB, and the WebAssembly build has 4 GB at most.
    std::string journal;
    {
      stockroom::Ledger ledger;
      register_catalog(ledger, WorkloadShape{});
      fill(ledger, WorkloadShape{}, n);
      reads(o, n, ledger, results);
      journal = ledger.export_journal();
    }
    replay(o, n, journal, results);
  }
#ifdef __EMSCRIPTEN__
  results.print("wasm");
#else
  results.print("native");
#endif
  return 0;
}
