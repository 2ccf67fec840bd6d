// Internal: a level's (or a workspace's) ascending record positions, five of
// them in place.
//
// A ledger has a level per product and workspace that ever moved, and most
// levels move rarely: in the benchmark workload's 1M movements, 80 % of the
// 181k levels have five movements or fewer. As a std::vector, each such list
// was a heap block of its own (32 bytes at least, with glibc's header) behind
// a 24-byte handle. Here the handle's 24 bytes hold up to five positions
// themselves, and a longer list keeps its capacity and heap pointer there
// instead: 24 bytes, as a std::vector handle is, of the 40 of a Level.
//
// A longer list's storage is either a block of its own or borrowed: room in
// a pool that journal replay allocates for all the lists it fills at once
// (LedgerState::index_positions), which the pool's owner frees. A list that
// outgrows borrowed room moves to a block of its own and leaves the room
// unused.
#ifndef STOCKROOM_SRC_POSITION_LIST_H_
#define STOCKROOM_SRC_POSITION_LIST_H_

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace stockroom {

class PositionList {
 public:
  /// Positions kept without a heap block.
  static constexpr std::uint32_t kInPlace = 5;

  PositionList() = default;
  PositionList(const PositionList&) = delete;
  PositionList& operator=(const PositionList&) = delete;
  PositionList(PositionList&& other) noexcept { take(other); }
  PositionList& operator=(PositionList&& other) noexcept {
    if (this != &other) {
      release();
      take(other);
    }
    return *this;
  }
  ~PositionList() { release(); }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const { return on_heap_ ? words_[0] & kCapacityMask : kInPlace; }
  /// Whether the positions are in room borrowed from a pool (adopt()).
  [[nodiscard]] bool borrowed() const { return on_heap_ != 0 && (words_[0] & kBorrowedBit) != 0; }
  [[nodiscard]] const std::uint32_t* data() const { return on_heap_ ? heap() : words_; }
  [[nodiscard]] const std::uint32_t* begin() const { return data(); }
  [[nodiscard]] const std::uint32_t* end() const { return data() + size_; }
  [[nodiscard]] std::uint32_t operator[](std::size_t i) const { return data()[i]; }
  [[nodiscard]] std::uint32_t back() const { return data()[size_ - 1]; }
  // NOLINTNEXTLINE(google-explicit-constructor): a list reads as the span of its positions
  operator std::span<const std::uint32_t>() const { return {data(), size_}; }

  void push_back(std::uint32_t position) {
    // Growth stops below the bit that marks borrowed room (2^31 positions: 86 GB of records at
    // one level, beyond any ledger that fits in memory).
    if (size_ == capacity()) {
      grow_to(std::min<std::size_t>(std::max<std::size_t>(2 * capacity(), 8), kCapacityMask));
    }
    mutable_data()[size_++] = position;
  }
  void pop_back() { --size_; }  // a heap block stays: only rollback pops, and it may append again
  /// Room for `n` positions in all, exactly (journal replay counts them first).
  void reserve(std::size_t n) {
    if (n > capacity()) grow_to(n);
  }
  /// Makes the list `n` positions longer, within its capacity, and returns
  /// where they go: the caller writes them before anything reads the list.
  /// (Journal replay fills its lists this way, through one pointer a list.)
  std::uint32_t* extend(std::size_t n) {
    assert(size_ + n <= capacity());
    std::uint32_t* const end = mutable_data() + size_;
    size_ = static_cast<std::uint32_t>(size_ + n);
    return end;
  }
  /// Moves the positions into `room` for `n` positions in all (at least
  /// size(), more than kInPlace), which the list borrows: it never frees it.
  void adopt(std::uint32_t* room, std::size_t n) {
    std::copy(data(), data() + size_, room);
    release();
    set_heap(room, n, kBorrowedBit);
  }
  /// Moves borrowed positions to room of its own: in place when they fit.
  void own() {
    if (!borrowed()) return;
    if (size_ > kInPlace) {
      grow_to(size_);
      return;
    }
    std::uint32_t kept[kInPlace] = {};
    std::copy(data(), data() + size_, kept);
    on_heap_ = 0;
    std::copy(std::begin(kept), std::end(kept), words_);
  }

 private:
  // On the heap, words_[0] is the capacity (and whether it is borrowed) and words_[1..2] the block's
  // address (copied bytewise: the words are only 4-byte aligned).
  [[nodiscard]] std::uint32_t* heap() const {
    std::uint32_t* block = nullptr;
    std::memcpy(&block, &words_[1], sizeof block);
    return block;
  }
  std::uint32_t* mutable_data() { return on_heap_ ? heap() : words_; }

  void grow_to(std::size_t n) {
    auto* block = new std::uint32_t[n];
    std::copy(data(), data() + size_, block);
    release();
    set_heap(block, n, 0);
  }
  void set_heap(std::uint32_t* block, std::size_t n, std::uint32_t borrowed_bit) {
    on_heap_ = 1;
    words_[0] = static_cast<std::uint32_t>(n) | borrowed_bit;
    std::memcpy(&words_[1], &block, sizeof block);
  }
  void release() {
    if (on_heap_ != 0 && !borrowed()) delete[] heap();
    on_heap_ = 0;
  }
  // Leaves `other` empty and in place.
  void take(PositionList& other) {
    size_ = other.size_;
    on_heap_ = other.on_heap_;
    std::copy(std::begin(other.words_), std::end(other.words_), words_);
    other.size_ = 0;
    other.on_heap_ = 0;
  }

  // On the heap, words_[0] holds the capacity below kBorrowedBit: a list never holds more than the
  // 31 bits of size_.
  static constexpr std::uint32_t kBorrowedBit = std::uint32_t{1} << 31;
  static constexpr std::uint32_t kCapacityMask = kBorrowedBit - 1;

  std::uint32_t size_ : 31 = 0;
  std::uint32_t on_heap_ : 1 = 0;
  std::uint32_t words_[kInPlace] = {};
  static_assert(sizeof(std::uint32_t*) <= 2 * sizeof(std::uint32_t), "a block's address fits two words");
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_POSITION_LIST_H_
