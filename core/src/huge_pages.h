// Internal: the ledger's large arrays on huge pages where the system offers
// them on request (Linux's transparent huge pages in "madvise" mode, the
// default of Debian and others).
//
// The first touch of each fresh 4 KiB page is a page fault. On a virtual
// machine a fault can cost far more than on bare hardware: 11 µs a page on the
// VM of bench/NOTES.md (session 18), where a replay of 1M movements spent more
// than half of its time faulting in its ~60 MB of records, levels and replay
// tables. With a huge page, one fault maps 2 MiB. The advice is only a hint: it
// changes no content and no size. Elsewhere (WebAssembly, other systems, huge
// pages turned off) nothing happens.
#ifndef STOCKROOM_SRC_HUGE_PAGES_H_
#define STOCKROOM_SRC_HUGE_PAGES_H_

#include <cstddef>
#include <cstdint>
#include <iterator>

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

namespace stockroom {

inline constexpr std::size_t kHugePageBytes = std::size_t{2} << 20;

/// Asks for huge pages for the whole 2 MiB pages inside [data, data + bytes).
/// The pages at the two ends that the range only partly covers are left alone,
/// so no memory outside the range is ever made resident.
inline void advise_huge_pages(const void* data, std::size_t bytes) noexcept {
#if defined(__linux__) && !defined(__EMSCRIPTEN__) && defined(MADV_HUGEPAGE)
  const auto begin = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t first =
      (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t last = (begin + bytes) & ~(kHugePageBytes - 1);
  // A failure (huge pages not built in) leaves ordinary pages: nothing to
  // report.
  if (last > first)
    (void)madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

/// Moves the elements of `vector` into new storage of room for `n` (at least
/// its size), advised before anything is written to it: vector.reserve()
/// would copy the elements into the new storage first, and the pages they
/// fill (half of a doubled vector) would be ordinary ones. (A LargeVector's
/// large blocks, huge_page_allocator.h, come advised: the advice repeats it.)
template <class Vector>
void move_to_advised_storage(Vector& vector, std::size_t n) {
  Vector moved;
  moved.reserve(n);
  advise_huge_pages(moved.data(),
                    moved.capacity() * sizeof(typename Vector::value_type));
  moved.insert(moved.end(), std::make_move_iterator(vector.begin()),
               std::make_move_iterator(vector.end()));
  vector.swap(moved);
}

/// vector.reserve(n), with the new storage advised before any of it is
/// touched.
template <class Vector>
void reserve_on_huge_pages(Vector& vector, std::size_t n) {
  if (n > vector.capacity()) move_to_advised_storage(vector, n);
}

/// Room for one more element, grown as push_back grows it (doubling), the new
/// storage advised.
template <class Vector>
void room_for_one_more(Vector& vector) {
  if (vector.size() == vector.capacity())
    reserve_on_huge_pages(vector, vector.empty() ? 1 : 2 * vector.capacity());
}

/// shrink_to_fit, into storage advised before the elements are moved in.
template <class Vector>
void shrink_on_huge_pages(Vector& vector) {
  move_to_advised_storage(vector, vector.size());
}

/// Shrinks `vector` to its size when more than an eighth of its capacity is
/// unused (after a replay, whose lists grow by doubling or by a quarter).
template <class Vector>
void give_back_slack(Vector& vector) {
  if (vector.capacity() - vector.size() > vector.size() / 8) shrink_on_huge_pages(vector);
}

}  // namespace stockroom

#endif  // STOCKROOM_SRC_HUGE_PAGES_H_
