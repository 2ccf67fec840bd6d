// Internal: decimal digits written by hand, backwards into a buffer whose end is known, for the
// texts every answer carries many of (decimals, timestamps, ids in WebAssembly). No printf and no
// to_chars there: in WebAssembly both are calls into general code, longer than the few digits they
// write.
#ifndef STOCKROOM_SRC_DIGITS_H_
#define STOCKROOM_SRC_DIGITS_H_

#include <charconv>
#include <concepts>
#include <cstring>
#include <type_traits>

namespace stockroom {

/// Writes the `n` last decimal digits of `v` (leading zeros included) ending just before `end`, two
/// per division; returns where they start.
inline char* put_digits_backwards(char* end, unsigned long long v, int n) {
  static constexpr char kDigitPairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  for (; n >= 2; n -= 2, v /= 100) {
    end -= 2;
    std::memcpy(end, kDigitPairs + 2 * (v % 100), 2);
  }
  if (n == 1) *--end = static_cast<char>('0' + v % 10);
  return end;
}

/// How many decimal digits `v` has (1 for 0).
inline int digit_count(unsigned long long v) {
  int n = 1;
  for (unsigned long long bound = 10; n < 20 && v >= bound; bound *= 10) ++n;
  return n;
}

/// Writes `v` in decimal at `out` (room for 20 digits and a sign); returns the end. In WebAssembly
/// by hand: there libc++'s std::to_chars is a chain of out-of-line calls, and a JSON object of three
/// integers measured 29 ns against 15 ns this way. Natively libstdc++'s to_chars is the faster one
/// (JSON report, callgrind: 2.7 % fewer instructions than this loop), so it stays (bench/NOTES.md,
/// session 15). The tests run both: natively and in WebAssembly.
template <std::integral T>
inline char* write_integer(char* out, T v) {
#if defined(__wasm__)
  auto magnitude = static_cast<unsigned long long>(v);
  if constexpr (std::is_signed_v<T>) {
    if (v < 0) {
      *out++ = '-';
      magnitude = 0ULL - magnitude;  // also for the most negative value
    }
  }
  const int n = digit_count(magnitude);
  put_digits_backwards(out + n, magnitude, n);
  return out + n;
#else
  return std::to_chars(out, out + 21, v).ptr;
#endif
}

}  // namespace stockroom

#endif  // STOCKROOM_SRC_DIGITS_H_
