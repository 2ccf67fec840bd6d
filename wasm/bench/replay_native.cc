// Native counterpart of the package's journal benchmark
// (tests/node/package-journal.test.js): registers a catalog (a `register`
// request, JSON), replays a journal file and exports it again, printing the
// times. Used to put the wasm numbers in wasm/README.md next to native ones.
//
//   node wasm/bench/make-journal.mjs /tmp/j            # writes
//   /tmp/j.catalog.json, /tmp/j.tsv g++ -O2 -std=c++20 -Icore/include
//   wasm/bench/replay_native.cc build/native/core/libstockroom_core.a
//   ./a.out /tmp/j.catalog.json /tmp/j.tsv
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "stockroom/json_api.h"
#include "stockroom/ledger.h"

namespace {
std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}
double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - t0)
      .count();
}
double cpu_ms_since(std::clock_t c0) {
  return 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: replay_native catalog.json journal.tsv\n";
    return 2;
  }
  stockroom::Ledger ledger;
  std::string answer = stockroom::handle_json(ledger, slurp(argv[1]));
  if (answer.find("\"ok\":true") == std::string::npos) {
    std::cerr << "register failed: " << answer << "\n";
    return 1;
  }
  const std::string journal = slurp(argv[2]);
  auto t0 = std::chrono::steady_clock::now();
  std::clock_t c0 = std::clock();
  auto replayed = ledger.replay_journal(journal);
  const double replay_ms = ms_since(t0);
  const double replay_cpu = cpu_ms_since(c0);
  if (!replayed.ok()) {
    std::cerr << "replay failed: " << replayed.error().message << "\n";
    return 1;
  }
  t0 = std::chrono::steady_clock::now();
  c0 = std::clock();
  const std::string exported = ledger.export_journal(0);
  const double export_ms = ms_since(t0);
  const double export_cpu = cpu_ms_since(c0);
  std::printf(
      "native: %zu movements (%.1f MB): replay %.0f ms wall / %.0f ms cpu; "
      "export %.0f ms wall / "
      "%.0f ms cpu; export %s\n",
      replayed.value(), static_cast<double>(journal.size()) / 1e6, replay_ms,
      replay_cpu, export_ms, export_cpu,
      exported == journal ? "identical" : "DIFFERS");
  return exported == journal ? 0 : 1;
}
