// Internal: which checkpoints a ledger can still roll back to. Not part of the
// public API.
//
// rollback() truncates the ledger's tables to a mark's counts. That is only
// sound for a mark of the history the ledger still has: after rollback(T), a
// mark taken after T describes a branch that is gone, and its counts (of
// texts, contexts, levels) may cut off entries that records written since
// still name. Each checkpoint gets a serial; a rollback to T abandons the
// serials after T's up to the last one handed out. Abandoned serials are kept
// as disjoint ranges: a host that takes a mark, runs a command and rolls back
// to that same mark (a failed request) abandons none, so the list stays short.
#ifndef STOCKROOM_SRC_MARK_LINEAGE_H_
#define STOCKROOM_SRC_MARK_LINEAGE_H_

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace stockroom {

class MarkLineage {
 public:
  /// The serial of a new checkpoint (from 1; 0 is the empty ledger's, which
  /// every history starts from).
  std::uint64_t next() { return ++taken_; }

  /// Whether `serial` is a mark of the current history: handed out, and not
  /// after the target of a later rollback.
  [[nodiscard]] bool holds(std::uint64_t serial) const {
    if (serial > taken_) return false;
    // The first range ending at or after `serial`; ranges are (first, last].
    const auto it = std::lower_bound(abandoned_.begin(), abandoned_.end(), serial,
                                     [](const Range& r, std::uint64_t s) { return r.second < s; });
    return it == abandoned_.end() || serial <= it->first;
  }

  /// Records a rollback to the mark `serial` (one that holds()): the marks
  /// handed out after it are abandoned.
  void roll_back_to(std::uint64_t serial) {
    if (taken_ == serial) return;
    // Every range starting at or after `serial` is inside the new one. The
    // others end before it (`serial` would not hold otherwise).
    while (!abandoned_.empty() && abandoned_.back().first >= serial) abandoned_.pop_back();
    abandoned_.emplace_back(serial, taken_);
  }

 private:
  using Range = std::pair<std::uint64_t, std::uint64_t>;  ///< Serials (first, last].
  std::uint64_t taken_ = 0;
  std::vector<Range> abandoned_;  ///< Disjoint, ascending.
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_MARK_LINEAGE_H_
