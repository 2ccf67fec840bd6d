// Internal: storage for the ledger's large arrays, in mappings of their own
// that start and end on huge-page boundaries (Linux, natively).
//
// glibc maps a large block at whatever 4 KiB page the kernel offers, so a
// block starts and ends part-way through a 2 MiB page. The huge-page advice
// (huge_pages.h) can only take the whole 2 MiB pages inside a block: the two
// partial ones at its ends were 4 KiB pages, ~512 page faults a block on
// average, and a growing array takes a new block at each doubling (a 10M
// replay: 5-9k faults, at 10-37 µs each on the VM of bench/NOTES.md). Here a
// block of 2 MiB or more is its own mapping, aligned and sized to 2 MiB, and
// advised before its first byte is written. Smaller blocks, WebAssembly and
// other systems use the ordinary allocator.
//
// malloc's statistics do not see these mappings: mapped_bytes() (public,
// stockroom/memory.h) counts them, for the memory benchmark.
#ifndef STOCKROOM_SRC_HUGE_PAGE_ALLOCATOR_H_
#define STOCKROOM_SRC_HUGE_PAGE_ALLOCATOR_H_

#include <cstddef>
#include <limits>
#include <memory>
#include <new>
#include <vector>

#include "huge_pages.h"

namespace stockroom {

namespace mapped {
/// `bytes` (at least kHugePageBytes) rounded up to whole huge pages: the
/// length of the mapping that holds them.
[[nodiscard]] constexpr std::size_t length_for(std::size_t bytes) {
  return (bytes + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
}
/// Whether a block of `bytes` gets a mapping of its own here. Not under
/// AddressSanitizer, which checks accesses past a block only in blocks of its
/// own allocator (the ASan test run keeps them checked).
[[nodiscard]] constexpr bool maps(std::size_t bytes) {
#if defined(__linux__) && !defined(__EMSCRIPTEN__) && !defined(__SANITIZE_ADDRESS__)
  return bytes >= kHugePageBytes;
#else
  (void)bytes;
  return false;
#endif
}
/// A new mapping of length_for(bytes), 2 MiB aligned and advised for huge
/// pages; throws std::bad_alloc when the system has none to give.
[[nodiscard]] void* map(std::size_t bytes);
/// Gives back what map(bytes) returned.
void unmap(void* block, std::size_t bytes) noexcept;
}  // namespace mapped

/// A std::allocator that puts blocks of 2 MiB or more in mappings of their
/// own (above). Stateless: any two are equal.
template <class T>
class HugePageAllocator {
 public:
  using value_type = T;

  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>& /*other*/) noexcept {}  // NOLINT: rebinding, as std::allocator

  [[nodiscard]] T* allocate(std::size_t n) {
    if (n > std::numeric_limits<std::size_t>::max() / sizeof(T)) throw std::bad_array_new_length();
    if (mapped::maps(n * sizeof(T))) return static_cast<T*>(mapped::map(n * sizeof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* block, std::size_t n) noexcept {
    if (mapped::maps(n * sizeof(T))) {
      mapped::unmap(block, n * sizeof(T));
    } else {
      std::allocator<T>().deallocate(block, n);
    }
  }

  template <class U>
  bool operator==(const HugePageAllocator<U>& /*other*/) const noexcept {
    return true;
  }
};

/// A vector of the ledger's that grows large (records, levels, contexts, texts, invoices).
template <class T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace stockroom

#endif  // STOCKROOM_SRC_HUGE_PAGE_ALLOCATOR_H_
