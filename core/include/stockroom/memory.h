// What the core holds outside malloc's view, for hosts and benchmarks that
// account for memory.
#ifndef STOCKROOM_MEMORY_H_
#define STOCKROOM_MEMORY_H_

#include <cstddef>

namespace stockroom {

/// Bytes that every ledger of this process holds in mappings of its own: on
/// Linux (natively), each array of 2 MiB or more (records, levels, texts...)
/// lives in a mapping rounded up to whole 2 MiB huge pages, which malloc's
/// statistics (mallinfo2) do not count. Add it to them for the whole. Zero
/// elsewhere (WebAssembly, other systems), where malloc holds everything.
[[nodiscard]] std::size_t mapped_bytes() noexcept;

}  // namespace stockroom

#endif  // STOCKROOM_MEMORY_H_
