// Internal: eight bytes at a time in a plain 64-bit word (SWAR), for the scans that see every byte
// of a text: journal lines at start-up (journal_fields.h), strings in requests (json_request.cc)
// and in answers (json_writer.cc). Portable: no SIMD instructions, the same code natively and in
// WebAssembly, where 64-bit integer operations are single instructions.
#ifndef STOCKROOM_SRC_WORDS_H_
#define STOCKROOM_SRC_WORDS_H_

#include <bit>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace stockroom {

inline constexpr std::uint64_t kEachByte = 0x0101010101010101ULL;
inline constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
inline constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;

/// The 8 bytes at `p` as a word whose lowest byte is p[0], on any host.
inline std::uint64_t load8(const char* p) {
  std::uint64_t word = 0;
  std::memcpy(&word, p, 8);
  if constexpr (std::endian::native == std::endian::big) word = __builtin_bswap64(word);
  return word;
}

/// 0x80 in each byte of `word` equal to `c`, 0 elsewhere. Exact: the shorter
/// "has a zero byte" trick also flags some bytes after a match.
inline std::uint64_t bytes_equal(std::uint64_t word, char c) {
  const std::uint64_t x = word ^ (kEachByte * static_cast<unsigned char>(c));  // matches become 0
  return ~(((x & kLow7) + kLow7) | x | kLow7);
}

/// 0x80 in each byte of `word` below `n` (n <= 0x80), 0 elsewhere. Exact: the low seven bits plus
/// 0x80 - n never carry into the next byte.
inline std::uint64_t bytes_below(std::uint64_t word, unsigned char n) {
  return ~(((word & kLow7) + kEachByte * (0x80U - n)) | word) & kHighBits;
}

/// 0x80 in each byte that a JSON string cannot hold as it is or that starts a UTF-8 sequence: a
/// control character, '"', '\\' or a byte >= 0x80. 0 when all eight are plain ASCII.
inline std::uint64_t json_string_specials(std::uint64_t word) {
  return (word & kHighBits) | bytes_below(word, 0x20) | bytes_equal(word, '"') | bytes_equal(word, '\\');
}

/// The index (0-7) of the first byte flagged in a non-zero result of the functions above.
inline int first_flagged(std::uint64_t flags) { return std::countr_zero(flags) / 8; }

/// The first `c` in [p, end), or end. glibc's memchr natively (vectorized); in WebAssembly eight
/// bytes at a time here, where memchr is musl's: a call, then four bytes a step.
inline const char* find_byte(const char* p, const char* end, char c) {
#if defined(__wasm__)
  for (; end - p >= 8; p += 8) {
    const std::uint64_t hits = bytes_equal(load8(p), c);
    if (hits != 0) return p + first_flagged(hits);
  }
  for (; p < end; ++p) {
    if (*p == c) return p;
  }
  return end;
#else
  const void* hit = std::memchr(p, c, static_cast<std::size_t>(end - p));
  return hit == nullptr ? end : static_cast<const char*>(hit);
#endif
}

/// Whether the `n` bytes at `a` and at `b` are the same. memcmp natively; in WebAssembly inline, a
/// word at a time: musl's memcmp is a call and a byte loop, for member names and op names a few
/// bytes long (a JSON command compares a dozen of them).
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
#if defined(__wasm__)
  for (; n >= 8; a += 8, b += 8, n -= 8) {
    if (load8(a) != load8(b)) return false;
  }
  for (; n > 0; ++a, ++b, --n) {
    if (*a != *b) return false;
  }
  return true;
#else
  return std::memcmp(a, b, n) == 0;
#endif
}

/// a == b, compared by same_bytes: for the short texts compared on hot paths (member, op, type and
/// reason names; a journal line's texts against the line before's).
inline bool equal_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size());
}

}  // namespace stockroom

#endif  // STOCKROOM_SRC_WORDS_H_
