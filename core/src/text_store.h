// Internal: the ledger's movement texts (a reference and notes), in one run of
// bytes. Not part of the public API.
//
// Each entry was a pair of std::string, 64 bytes before any text: in the
// benchmark's 10M ledger, 1.8M purchases with a reference of 9 bytes and no
// notes held 115 MB, grown by doubling (each doubling moved every string and
// faulted in its new storage: a third of a 10M replay's page faults). Here an
// entry is two end offsets into the bytes, and its texts are the bytes.
#ifndef STOCKROOM_SRC_TEXT_STORE_H_
#define STOCKROOM_SRC_TEXT_STORE_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "huge_page_allocator.h"
#include "huge_pages.h"

namespace stockroom {

class TextStore {
 public:
  /// Entry 0 is (none, none), the texts of a movement without any.
  TextStore() : ends_{0, 0} {}

  /// Appends (reference, notes) and returns its entry. The views may be texts
  /// of this store (a void copies its sale's reference).
  std::uint32_t add(std::string_view reference, std::string_view notes) {
    if (inside(reference) || inside(notes)) return add(std::string(reference), std::string(notes));
    if (ends_.size() == ends_.capacity()) reserve_on_huge_pages(ends_, 2 * ends_.size());
    const std::size_t needed = bytes_.size() + reference.size() + notes.size();
    if (needed > bytes_.capacity()) reserve_on_huge_pages(bytes_, std::max(needed, 2 * bytes_.capacity()));
    bytes_.insert(bytes_.end(), reference.begin(), reference.end());
    ends_.push_back(bytes_.size());
    bytes_.insert(bytes_.end(), notes.begin(), notes.end());
    ends_.push_back(bytes_.size());
    return static_cast<std::uint32_t>(size() - 1);
  }

  [[nodiscard]] std::string_view reference(std::uint32_t entry) const {
    return view(entry == 0 ? 0 : ends_[2 * entry - 1], ends_[2 * entry]);
  }
  [[nodiscard]] std::string_view notes(std::uint32_t entry) const { return view(ends_[2 * entry], ends_[2 * entry + 1]); }

  /// Entries, (none, none) included.
  [[nodiscard]] std::size_t size() const { return ends_.size() / 2; }

  /// Keeps the first `entries`: rollback. Entry 0 always stays (the empty
  /// checkpoint, Checkpoint{}, counts no entries).
  void truncate(std::size_t entries) {
    ends_.resize(2 * (entries == 0 ? 1 : entries));
    bytes_.resize(ends_.back());
  }

  /// Gives back spare room when more than an eighth is unused (after a
  /// replay, which grows both by doubling).
  void compact() {
    give_back_slack(ends_);
    give_back_slack(bytes_);
  }

 private:
  [[nodiscard]] std::string_view view(std::size_t begin, std::size_t end) const {
    return std::string_view(bytes_.data() + begin, end - begin);
  }
  // Whether `text` lies in bytes_, which an append may move.
  [[nodiscard]] bool inside(std::string_view text) const {
    const std::less<const char*> before;
    return !text.empty() && !before(text.data(), bytes_.data()) && before(text.data(), bytes_.data() + bytes_.size());
  }

  LargeVector<char> bytes_;  ///< Grown on huge pages, as the ledger's other large arrays.
  LargeVector<std::size_t> ends_;  ///< Per entry: where its reference ends, then where its notes end.
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_TEXT_STORE_H_
