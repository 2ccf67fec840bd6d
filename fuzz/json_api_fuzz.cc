// Fuzzes the JSON entry point: the input is a series of request documents,
// one per line, run against one ledger. Beyond "no crash, no sanitizer
// report": every answer is a JSON object with a boolean ok, levels always
// equal the sum of their movements, and the journal replays to the same state.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_catalog.h"
#include "stockroom/json_api.h"

namespace {

void check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using stockroom::Ledger;
  Ledger ledger;
  stockroom::fuzz::register_catalog(ledger);
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t pos = 0;
  int requests = 0;
  while (pos <= input.size() && requests < 64) {
    std::size_t end = input.find('\n', pos);
    if (end == std::string_view::npos) end = input.size();
    const std::string answer = stockroom::handle_json(ledger, input.substr(pos, end - pos));
    const auto parsed = nlohmann::json::parse(answer, nullptr, false);
    check(parsed.is_object() && parsed.contains("ok") && parsed["ok"].is_boolean());
    pos = end + 1;
    ++requests;
  }
  check(ledger.verify().empty());
  Ledger replayed;
  stockroom::fuzz::register_catalog(replayed);
  const std::string journal = ledger.export_journal();
  check(replayed.replay_journal(journal).ok());
  check(replayed.export_journal() == journal);
  return 0;
}
