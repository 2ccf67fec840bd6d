// Fuzzes journal replay with arbitrary text: it must either reject the whole
// journal leaving the ledger empty (no movement, no level), or accept it with
// consistent levels and export it back in the canonical form that replays
// identically.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "fuzz_catalog.h"
#include "stockroom/ledger.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using stockroom::Ledger;
  Ledger ledger;
  stockroom::fuzz::register_catalog(ledger);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto result = ledger.replay_journal(text);
  if (!result.ok()) {
    // Nothing of it stays: no movement, and no level the replay created.
    if (ledger.movement_count() != 0) std::abort();
    for (const stockroom::Id w : {1, 2, 3}) {
      if (!ledger.workspace_levels(w).empty()) std::abort();
    }
    return 0;
  }
  if (!ledger.verify().empty()) std::abort();
  Ledger again;
  stockroom::fuzz::register_catalog(again);
  const std::string canonical = ledger.export_journal();
  if (!again.replay_journal(canonical).ok() || again.export_journal() != canonical) std::abort();
  return 0;
}
