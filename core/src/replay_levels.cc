#include "replay_levels.h"

#include <algorithm>
#include <cstdint>

#include "huge_pages.h"

namespace stockroom {

ReplayLevels::ReplayLevels(LedgerState& state, std::size_t lines)
    : s_(state),
      settled_(state.records.size()),
      width_(static_cast<Index>(state.workspaces.size())) {
  const std::uint64_t entries =
      static_cast<std::uint64_t>(s_.products.size()) * width_;
  const std::uint64_t budget =
      std::max<std::uint64_t>(4 * static_cast<std::uint64_t>(lines), 1u << 16);
  if (entries <= budget && entries < kNoIndex) {
    reserve_on_huge_pages(slots_, static_cast<std::size_t>(entries));
    slots_.resize(static_cast<std::size_t>(entries));
    seen_.assign(static_cast<std::size_t>((entries + 63) / 64), 0);
    for (const Level& level : s_.levels) mark(dense_key(level.product, level.workspace));
    new_levels_ = 0;
  }
}

Index ReplayLevels::key(Index product, Index workspace) {
  if (slots_.empty()) return s_.ensure_level(product, workspace);
  const Index k = dense_key(product, workspace);
  mark(k);
  return k;
}

ReplayLevels::Slot& ReplayLevels::resolve(Index key) {
  Slot& slot = slots_[key];
  if (slot.level == kNoIndex) {
    slot.level = s_.ensure_level(key / width_, key % width_);
    slot.quantity = s_.levels[slot.level].quantity;
  }
  return slot;
}

std::size_t ReplayLevels::settle() {
  auto& records = s_.records;
  const std::size_t end = records.size();
  std::size_t p = settled_;
  if (slots_.empty()) {
    for (; p < end; ++p) {
      Record& r = records[p];
      Raw& quantity = s_.levels[r.level].quantity;
      Raw after = 0;
      if (__builtin_add_overflow(quantity, r.quantity, &after)) break;
      quantity = after;
      r.balance_after = after;
      if (after < 0) s_.watch(r.level);
    }
  } else {
    // Room for exactly the levels this replay creates: none moves while
    // settling, and none is left over for good (at 1M movements the room for
    // every level the replay could create left 19k of 200k unused: 0.77 bytes
    // a movement).
    reserve_on_huge_pages(s_.levels, s_.levels.size() + new_levels_);
    new_levels_ = 0;
    // Far enough ahead to cover a miss, near enough that the slot is still
    // in cache when its record comes.
    constexpr std::size_t kAhead = 16;
    for (; p < end; ++p) {
      if (p + kAhead < end)
        __builtin_prefetch(&slots_[records[p + kAhead].level]);
      Record& r = records[p];
      Slot& slot = resolve(r.level);
      Raw after = 0;
      if (__builtin_add_overflow(slot.quantity, r.quantity, &after)) break;
      slot.quantity = after;
      ++slot.records;
      r.balance_after = after;
      r.level = slot.level;
    }
    flush();
  }
  settled_ = p;
  return p;
}

void ReplayLevels::flush() {
  for (const Slot& slot : slots_) {
    if (slot.level == kNoIndex) continue;
    s_.levels[slot.level].quantity = slot.quantity;
    if (slot.quantity < 0) s_.watch(slot.level);
  }
}

std::vector<std::uint32_t> ReplayLevels::records_per_level() const {
  std::vector<std::uint32_t> per_level;
  if (slots_.empty()) return per_level;
  per_level.assign(s_.levels.size(), 0);
  for (const Slot& slot : slots_) {
    if (slot.level != kNoIndex) per_level[slot.level] = slot.records;
  }
  return per_level;
}

void ReplayLevels::abandon() {
  auto& records = s_.records;
  for (std::size_t p = settled_; p < records.size(); ++p) {
    Record& r = records[p];
    if (!slots_.empty()) r.level = resolve(r.level).level;
    r.quantity = 0;
  }
  settled_ = records.size();
}

}  // namespace stockroom
