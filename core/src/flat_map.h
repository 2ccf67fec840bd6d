// Internal: an open-addressing hash map from 64-bit keys to small values.
//
// The ledger looks up a level, a product and an invoice for every movement it
// writes or replays; std::unordered_map's node per entry made those lookups
// cache misses and dominated replay time (measured with perf). Linear probing
// over one flat array keeps a lookup to one or two cache lines.
#ifndef STOCKROOM_SRC_FLAT_MAP_H_
#define STOCKROOM_SRC_FLAT_MAP_H_

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace stockroom {

template <class V>
class FlatMap {
 public:
  /// The value for `key`, or nullptr.
  [[nodiscard]] const V* find(std::uint64_t key) const {
    if (size_ == 0) return nullptr;
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (!s.used) return nullptr;
      if (s.key == key) return &s.value;
    }
  }
  V* find(std::uint64_t key) {
    return const_cast<V*>(static_cast<const FlatMap*>(this)->find(key));
  }

  /// Inserts `value` unless `key` is present; returns the stored value and
  /// whether it was inserted.
  std::pair<V*, bool> try_emplace(std::uint64_t key, V value) {
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    for (std::size_t i = slot(key);; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (!s.used) {
        s = Slot{key, std::move(value), true};
        ++size_;
        return {&s.value, true};
      }
      if (s.key == key) return {&s.value, false};
    }
  }

  /// Removes `key` if present (backward-shift deletion keeps probes short).
  void erase(std::uint64_t key) {
    if (size_ == 0) return;
    std::size_t i = slot(key);
    while (slots_[i].used && slots_[i].key != key) i = (i + 1) & mask_;
    if (!slots_[i].used) return;
    for (std::size_t j = (i + 1) & mask_; slots_[j].used; j = (j + 1) & mask_) {
      const std::size_t home = slot(slots_[j].key);
      // Move j into the hole at i when its home is not in (i, j].
      if (((j - home) & mask_) >= ((j - i) & mask_)) {
        slots_[i] = std::move(slots_[j]);
        i = j;
      }
    }
    slots_[i] = Slot{};
    --size_;
  }

  [[nodiscard]] std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint64_t key = 0;
    V value{};
    bool used = false;
  };

  [[nodiscard]] std::size_t slot(std::uint64_t key) const {
    // Fibonacci hashing spreads sequential ids over the table.
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift_) & mask_;
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    const std::size_t capacity = old.empty() ? 16 : old.size() * 2;
    slots_.assign(capacity, Slot{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c >>= 1) --shift_;
    size_ = 0;
    for (Slot& s : old) {
      if (s.used) try_emplace(s.key, std::move(s.value));
    }
  }

  std::vector<Slot> slots_;
  std::size_t size_ = 0;
  std::size_t mask_ = 0;
  unsigned shift_ = 64;
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_FLAT_MAP_H_
