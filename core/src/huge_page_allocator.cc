#include "huge_page_allocator.h"

#include <atomic>
#include <cstdint>
#include <new>

#include "stockroom/memory.h"

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sys/mman.h>
#endif

namespace stockroom {
namespace {
std::atomic<std::size_t> g_mapped_bytes{0};
}  // namespace

std::size_t mapped_bytes() noexcept { return g_mapped_bytes.load(std::memory_order_relaxed); }

namespace mapped {

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
void* map(std::size_t bytes) {
  const std::size_t length = length_for(bytes);
  // One huge page more than needed, then the ends cut so that what is left starts on a boundary.
  // (Linux 6.7 and later place a mapping whose length is a multiple of 2 MiB on a boundary by
  // themselves; earlier ones do not.)
  void* const raw = mmap(nullptr, length + kHugePageBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  const auto begin = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (begin + kHugePageBytes - 1) & ~(kHugePageBytes - 1);
  const std::uintptr_t end = begin + length + kHugePageBytes;
  if (aligned > begin) (void)munmap(raw, aligned - begin);
  if (end > aligned + length) (void)munmap(reinterpret_cast<void*>(aligned + length), end - (aligned + length));
  advise_huge_pages(reinterpret_cast<void*>(aligned), length);
  g_mapped_bytes.fetch_add(length, std::memory_order_relaxed);
  return reinterpret_cast<void*>(aligned);
}

void unmap(void* block, std::size_t bytes) noexcept {
  const std::size_t length = length_for(bytes);
  (void)munmap(block, length);
  g_mapped_bytes.fetch_sub(length, std::memory_order_relaxed);
}
#else
// maps() is false here: nothing reaches these.
void* map(std::size_t /*bytes*/) { throw std::bad_alloc(); }
void unmap(void* /*block*/, std::size_t /*bytes*/) noexcept {}
#endif

}  // namespace mapped
}  // namespace stockroom
