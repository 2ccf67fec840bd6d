// Internal: the field syntax of a journal line (docs/journal-format.md),
// read at start-up for every movement of an organization, so by hand and a
// word at a time. Not part of the public API; tests/core/journal_fields_test.cc
// checks it against the obvious byte-by-byte and std::from_chars versions.
#ifndef STOCKROOM_SRC_JOURNAL_FIELDS_H_
#define STOCKROOM_SRC_JOURNAL_FIELDS_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string_view>

#include "words.h"

namespace stockroom::journal {

/// Fields on a line.
inline constexpr int kFields = 16;

/// Splits the line that starts at `p` (and ends at the next '\n' or at `end`)
/// at its tabs into f[0..kFields); sets `*count` to the number of fields,
/// counting at most kFields + 1. Returns where the next line starts, or
/// nullptr when the line has too many fields. Eight bytes at a time, finding
/// tabs and the newline in the same pass: the fields are a few bytes each, so
/// a memchr call or a branch on every byte costs more than the field.
inline const char* split_line(const char* p, const char* end,
                              std::string_view (&f)[kFields], int* count) {
  const char* start = p;
  int n = 0;
  // Records the field that ends at `stop`; false when it is one too many.
  const auto cut = [&](const char* stop) {
    if (n == kFields) return false;
    f[n++] = std::string_view(start, static_cast<std::size_t>(stop - start));
    start = stop + 1;
    return true;
  };
  const auto too_many = [&]() -> const char* {
    *count = kFields + 1;
    return nullptr;
  };
  for (; end - p >= 8; p += 8) {
    const std::uint64_t word = load8(p);
    for (std::uint64_t hits = bytes_equal(word, '\t') | bytes_equal(word, '\n');
         hits != 0; hits &= hits - 1) {
      const char* const hit = p + std::countr_zero(hits) / 8;
      if (!cut(hit)) return too_many();
      if (*hit == '\n') {
        *count = n;
        return hit + 1;
      }
    }
  }
  for (; p < end; ++p) {
    if (*p != '\t' && *p != '\n') continue;
    if (!cut(p)) return too_many();
    if (*p == '\n') {
      *count = n;
      return p + 1;
    }
  }
  if (!cut(end)) return too_many();
  *count = n;
  return end;
}

/// Whether the 8 bytes at `p` are all ASCII digits; if so, their value.
inline bool eight_digits(const char* p, std::uint64_t* value) {
  std::uint64_t w = load8(p);
  // A digit is 0x30..0x39: its high nibble is 3, and stays 3 after adding 6.
  // (A byte that carries out of +6 is >= 0xFA and already fails the first
  // test.)
  constexpr std::uint64_t kHigh = 0xF0F0F0F0F0F0F0F0ULL;
  if (((w & kHigh) | (((w + 0x0606060606060606ULL) & kHigh) >> 4)) !=
      0x3333333333333333ULL)
    return false;
  w -= 0x3030303030303030ULL;
  w = w * 10 + (w >> 8);  // byte 2k: the two-digit number of bytes 2k, 2k+1
  // Pairs 0 and 2 (x100 and x1,000,000), pairs 1 and 3 (x1 and x10,000),
  // summed in the high half.
  constexpr std::uint64_t kPairs = 0x000000FF000000FFULL;
  *value = (((w & kPairs) * (100 + (1000000ULL << 32))) +
            (((w >> 16) & kPairs) * (1 + (10000ULL << 32)))) >>
           32;
  return true;
}

/// An integer field: an optional '-' and decimal digits, in range of int64
/// (what std::from_chars accepts, leading zeros included). Empty reads as 0
/// when `allow_empty`. Eight digits at a time, then one at a time.
/// Always inlined in WebAssembly, where the optimizer left it a call that
/// passes the string_view through memory (the wasm32 ABI): ~9 % of a replay
/// there. (Forced natively too, it made g++'s replay loop slower.)
#if defined(__wasm__)
__attribute__((always_inline))
#endif
inline bool read_int(std::string_view field, bool allow_empty,
                     std::int64_t* out) {
  const char* p = field.data();
  const char* const end = p + field.size();
  if (p == end) {
    *out = 0;
    return allow_empty;
  }
  const bool negative = *p == '-';
  if (negative) ++p;
  if (p == end) return false;
  while (end - p > 1 && *p == '0') ++p;
  if (end - p > 19) return false;  // 19 digits always fit in 64 unsigned bits
  std::uint64_t value = 0;
  for (std::uint64_t chunk = 0; end - p >= 8; p += 8) {
    if (!eight_digits(p, &chunk)) return false;
    value = value * 100000000 + chunk;
  }
  for (; p < end; ++p) {
    const auto digit = static_cast<unsigned>(*p - '0');
    if (digit > 9) return false;
    value = value * 10 + digit;
  }
  constexpr auto kMax =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value > kMax + (negative ? 1 : 0)) return false;
  *out = negative ? static_cast<std::int64_t>(0 - value)
                  : static_cast<std::int64_t>(value);
  return true;
}

}  // namespace stockroom::journal

#endif  // STOCKROOM_SRC_JOURNAL_FIELDS_H_
