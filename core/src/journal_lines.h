// Internal: how many lines a journal holds, counted or estimated, so that a
// replay reserves its records once (journal.cc). Not part of the public API;
// tests/core/journal_lines_test.cc checks the estimate and a replay it
// misleads.
#ifndef STOCKROOM_SRC_JOURNAL_LINES_H_
#define STOCKROOM_SRC_JOURNAL_LINES_H_

#include <bit>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "words.h"

namespace stockroom::journal {

/// The lines of `journal`, counting a last one without its newline: glibc's
/// memchr natively (vectorized; a byte loop costs more than parsing a line's
/// numbers), eight bytes at a time in WebAssembly, where memchr is musl's (a
/// word of 4 bytes at a time, behind a call per line).
inline std::size_t count_lines(std::string_view journal) {
  std::size_t lines = 1;
  const char* p = journal.data();
  const char* const end = p + journal.size();
#if defined(__wasm__)
  for (; end - p >= 8; p += 8) lines += std::popcount(bytes_equal(load8(p), '\n'));
  for (; p < end; ++p) lines += *p == '\n' ? 1 : 0;
#else
  for (; (p = find_byte(p, end, '\n')) != end; ++p) ++lines;
#endif
  return lines;
}

/// How many lines a replay reserves records for, and whether that is the exact count.
struct LineCount {
  std::size_t lines;
  bool exact;
};

/// A journal of this many bytes or fewer has its lines counted; a larger one has them estimated.
inline constexpr std::size_t kCountedJournal = std::size_t{2} << 20;

/// The lines of `journal`, counted when it is small; otherwise estimated from
/// 32 windows of 16 KiB spread evenly across it, plus 1/32 for an estimate
/// that falls short.
///
/// Why not count: counting is a pass of its own over the whole journal before
/// the parse reads it again, at 10M movements 774 MB from memory, 90-160 ms of
/// a ~1.9 s replay (bench/NOTES.md, session 20). The windows came within 0.3 %
/// of the count in the benchmark's 1M and 10M journals; the 1/32 is 1.25 bytes
/// a movement of room never written (natively, never resident either). When
/// the estimate runs short, the replay counts the rest (Ledger::replay_journal).
inline LineCount estimate_lines(std::string_view journal) {
  constexpr std::size_t kWindow = std::size_t{16} << 10;
  constexpr std::size_t kWindows = 32;
  static_assert(kCountedJournal >= kWindows * kWindow);
  if (journal.size() <= kCountedJournal) return {count_lines(journal), true};
  std::uint64_t newlines = 0;
  const std::size_t step = (journal.size() - kWindow) / (kWindows - 1);
  for (std::size_t i = 0; i < kWindows; ++i) newlines += count_lines(journal.substr(i * step, kWindow)) - 1;
  // Scaled from the windows' bytes to the journal's (64-bit: size_t is 32 bits in WebAssembly).
  const std::uint64_t lines = (newlines * journal.size()) / (kWindows * kWindow) + 1;
  return {static_cast<std::size_t>(lines + lines / 32), false};
}

}  // namespace stockroom::journal

#endif  // STOCKROOM_SRC_JOURNAL_LINES_H_
