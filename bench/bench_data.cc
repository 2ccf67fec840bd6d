// Writes the benchmark workload (bench/workload.h) to files, so that the
// WebAssembly package and the SQLite baseline (bench/node/) run on exactly the
// data the native benchmarks use:
//
//   bench_data OUTDIR [--commands N] [--journal M]...
//
//   OUTDIR/catalog.json          a protocol `register` request (products, workspaces, minimums)
//   OUTDIR/commands-N.jsonl      the first N commands, one protocol request per line
//   OUTDIR/journal-M.tsv         the ledger after applying commands until it holds >= M movements,
//                                in the journal form (docs/journal-format.md)
//   OUTDIR/manifest.json         what was written, with sizes
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "workload.h"

namespace {
bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(out);
}
}  // namespace

int main(int argc, char** argv) {
  using namespace stockroom;
  using namespace stockroom::bench;
  if (argc < 2) {
    std::cerr << "usage: bench_data OUTDIR [--commands N] [--journal M]...\n";
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<std::size_t> commands;
  std::vector<std::size_t> journals;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const auto n = static_cast<std::size_t>(std::strtoull(argv[i + 1], nullptr, 10));
    if (flag == "--commands") {
      commands.push_back(n);
    } else if (flag == "--journal") {
      journals.push_back(n);
    } else {
      std::cerr << "bench_data: unknown flag " << flag << "\n";
      return 2;
    }
  }
  const WorkloadShape shape;
  std::string manifest = "{\"products\":" + std::to_string(shape.products) +
                         ",\"workspaces\":" + std::to_string(shape.workspaces) +
                         ",\"seed\":" + std::to_string(shape.seed) + ",\"start\":" +
                         std::to_string(shape.start) + ",\"files\":[";
  bool first = true;
  const auto note = [&](const std::string& kind, std::size_t n, const std::string& file,
                        std::size_t extra) {
    manifest += std::string(first ? "" : ",") + "{\"kind\":\"" + kind +
                "\",\"n\":" + std::to_string(n) + ",\"file\":\"" + file +
                "\",\"movements\":" + std::to_string(extra) + "}";
    first = false;
  };
  if (!write_file(dir + "/catalog.json", catalog_json(shape))) {
    std::cerr << "bench_data: cannot write to " << dir << "\n";
    return 1;
  }
  for (const std::size_t n : commands) {
    CommandStream stream(shape);
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      text += command_json(stream.next());
      text += '\n';
    }
    const std::string file = "commands-" + std::to_string(n) + ".jsonl";
    if (!write_file(dir + "/" + file, text)) return 1;
    note("commands", n, file, 0);
  }
  for (const std::size_t m : journals) {
    Ledger ledger;
    register_catalog(ledger, shape);
    const std::size_t applied = fill(ledger, shape, m);
    const std::string file = "journal-" + std::to_string(m) + ".tsv";
    if (!write_file(dir + "/" + file, ledger.export_journal())) return 1;
    note("journal", m, file, ledger.movement_count());
    std::fprintf(stderr, "bench_data: %s: %zu movements from %zu commands\n", file.c_str(),
                 ledger.movement_count(), applied);
  }
  manifest += "]}\n";
  return write_file(dir + "/manifest.json", manifest) ? 0 : 1;
}
