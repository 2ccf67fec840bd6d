// Internal: decimal digits written by hand, backwards into a buffer whose end is known, for the
// texts every answer carries many of (decimals, timestamps). No printf and no to_chars: in
// WebAssembly both are calls into general code, longer than the few digits they write.
#ifndef STOCKROOM_SRC_DIGITS_H_
#define STOCKROOM_SRC_DIGITS_H_

#include <cstring>

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

}  // namespace stockroom

#endif  // STOCKROOM_SRC_DIGITS_H_
