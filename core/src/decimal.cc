#include "stockroom/decimal.h"

#include <cstdint>

#include "digits.h"

namespace stockroom {
namespace {

// Both g++ and clang (native and Emscripten) provide a 128-bit integer;
// __extension__ keeps -Wpedantic quiet about it.
__extension__ typedef __int128 Int128;

constexpr Raw kPow10[] = {1, 10, 100, 1'000, 10'000};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

ParsedDecimal parse_decimal(std::string_view text, int max_places) {
  if (text.empty()) return {DecimalError::kEmpty, 0};
  std::size_t i = 0;
  const bool negative = text[0] == '-';
  if (text[0] == '+' || text[0] == '-') ++i;
  const std::size_t int_start = i;
  while (i < text.size() && is_digit(text[i])) ++i;
  const std::string_view int_digits = text.substr(int_start, i - int_start);
  std::string_view frac_digits;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac_start = ++i;
    while (i < text.size() && is_digit(text[i])) ++i;
    frac_digits = text.substr(frac_start, i - frac_start);
    if (frac_digits.empty()) return {DecimalError::kSyntax, 0};
  }
  if (int_digits.empty() || i != text.size()) return {DecimalError::kSyntax, 0};
  // The contract counts the places as written: "1.500" has three.
  if (frac_digits.size() > static_cast<std::size_t>(max_places) ||
      frac_digits.size() > static_cast<std::size_t>(kScalePlaces)) {
    return {DecimalError::kTooManyPlaces, 0};
  }
  Raw whole = 0;
  for (char c : int_digits) {
    whole = whole * 10 + (c - '0');
    // Checked on every digit so a long run of digits cannot overflow.
    if (whole > kMaxInputMagnitude / kScale) return {DecimalError::kOutOfRange, 0};
  }
  Raw fraction = 0;
  for (char c : frac_digits) fraction = fraction * 10 + (c - '0');
  fraction *= kPow10[kScalePlaces - frac_digits.size()];
  const Raw value = whole * kScale + fraction;
  if (value > kMaxInputMagnitude) return {DecimalError::kOutOfRange, 0};
  return {DecimalError::kOk, negative ? -value : value};
}

std::string describe(DecimalError error, int max_places) {
  switch (error) {
    case DecimalError::kOk:
      return "";
    case DecimalError::kEmpty:
      return "must not be empty";
    case DecimalError::kSyntax:
      return "must be a plain decimal number such as \"12.5\"";
    case DecimalError::kTooManyPlaces:
      if (max_places == 0) return "must be a whole number";
      return "must have at most " + std::to_string(max_places) +
             (max_places == 1 ? " decimal place" : " decimal places");
    case DecimalError::kOutOfRange:
      return "must not exceed 1000000000000 in magnitude";
  }
  return "is invalid";
}

char* write_decimal(char* out, Raw value, int places) {
  if (places < 0) places = 0;
  if (places > kScalePlaces) places = kScalePlaces;
  // Work on the unsigned magnitude so INT64_MIN does not overflow.
  const bool negative = value < 0;
  const unsigned long long magnitude =
      negative ? 0ULL - static_cast<unsigned long long>(value)
               : static_cast<unsigned long long>(value);
  const unsigned long long whole = magnitude / kScale;
  const unsigned long long fraction =
      (magnitude % kScale) / static_cast<unsigned long long>(kPow10[kScalePlaces - places]);
  // "-0.00" is "0.00": the sign only when a written digit is not zero.
  const bool sign = negative && (whole != 0 || fraction != 0);
  // Written in place, backwards from the text's end, its length counted first: no scratch buffer
  // and no copy (a copy of unknown length is a call in WebAssembly).
  const int whole_digits = digit_count(whole);
  char* const end = out + (sign ? 1 : 0) + whole_digits + (places > 0 ? places + 1 : 0);
  char* p = end;
  if (places > 0) {
    p = put_digits_backwards(p, fraction, places);
    *--p = '.';
  }
  put_digits_backwards(p, whole, whole_digits);
  if (sign) *out = '-';
  return end;
}

std::string format_decimal(Raw value, int places) {
  char buf[kMaxDecimalChars];
  return std::string(buf, write_decimal(buf, value, places));
}

std::string format_money(Raw value) {
  int places = 2;
  while (places < kScalePlaces && !fits_places(value, places)) ++places;
  return format_decimal(value, places);
}

bool fits_places(Raw value, int places) {
  if (places >= kScalePlaces) return true;
  if (places < 0) places = 0;
  return value % kPow10[kScalePlaces - places] == 0;
}

bool checked_add(Raw a, Raw b, Raw* out) {
  Raw sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return false;
  *out = sum;
  return true;
}

bool multiply_scaled(Raw value, Raw price, Raw* out) {
  const Int128 product = static_cast<Int128>(value) * price;
  const Int128 half = kScale / 2;
  const Int128 rounded = product >= 0 ? (product + half) / kScale : (product - half) / kScale;
  if (rounded > INT64_MAX || rounded < INT64_MIN) return false;
  *out = static_cast<Raw>(rounded);
  return true;
}

}  // namespace stockroom
