// Internal: how a journal replay settles each movement's level and running
// balance in bulk, after the lines are parsed. Not part of the public API.
//
// Parsing a line touches only the line and small tables; finding its level
// and adding its quantity is one random access into a large table (a cache
// miss per line). Doing the second in its own tight loop, a little ahead of
// itself with prefetches, lets those misses overlap instead of each stalling
// the parse of a whole line.
#ifndef STOCKROOM_SRC_REPLAY_LEVELS_H_
#define STOCKROOM_SRC_REPLAY_LEVELS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "ledger_state.h"

namespace stockroom {

class ReplayLevels {
 public:
  /// For a replay of about `lines` movements into `state`. Uses a dense
  /// product x workspace table while it stays small beside the journal (at
  /// most 4 entries a line, or 64 Ki entries); it is freed with this object,
  /// so resident memory after the replay is unchanged.
  ReplayLevels(LedgerState& state, std::size_t lines);

  /// What the parse stores in Record::level until settle(): a key into the
  /// dense table, or (without the table) the level itself, created if new.
  Index key(Index product, Index workspace);

  /// Settles the records from the first unsettled one to the end: their
  /// levels (created in record order, as commands would), quantities and
  /// balance_after. Returns the position of the first record whose level
  /// would overflow; that record and the ones after it stay unsettled. Returns
  /// the number of records when all are settled.
  std::size_t settle();

  /// Makes the unsettled records safe to pop (rollback): resolves their
  /// levels and zeroes their quantities, which were never added. Only for a
  /// replay that is being rolled back.
  void abandon();

  /// By level, how many records settle() has settled into it, for
  /// LedgerState::index_positions (which saves a pass over the records with
  /// them: at 10M movements, 400 MB read from memory); empty when there is no
  /// dense table, which counts nothing.
  [[nodiscard]] std::vector<std::uint32_t> records_per_level() const;

 private:
  struct Slot {
    Raw quantity = 0;
    Index level = kNoIndex;
    std::uint32_t records = 0;  ///< Settled into the level (in the padding: the slot stays 16 bytes).
  };
  [[nodiscard]] Index dense_key(Index product, Index workspace) const { return product * width_ + workspace; }
  /// The slot of `key`, its level created (and its quantity read) when new.
  Slot& resolve(Index key);
  void flush();
  /// Counts `key` in new_levels_ the first time it is seen. A bit a key (25 KB
  /// for the benchmark's 200k): cheap beside the parse of a line, and it sizes
  /// the levels exactly before settle() creates them.
  void mark(Index key) {
    std::uint64_t& word = seen_[key >> 6];
    const std::uint64_t bit = std::uint64_t{1} << (key & 63);
    new_levels_ += (word & bit) == 0 ? 1 : 0;
    word |= bit;
  }

  LedgerState& s_;
  std::size_t settled_;
  Index width_;  ///< Workspaces: key = product * width_ + workspace.
  std::vector<Slot> slots_;  ///< Empty when not dense.
  std::vector<std::uint64_t> seen_;  ///< By key: has a level or a line (dense only).
  std::size_t new_levels_ = 0;  ///< Keys seen without a level, not yet reserved for.
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_REPLAY_LEVELS_H_
