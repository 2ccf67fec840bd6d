// Exact fixed-point decimals for quantities and money.
//
// Every quantity and every amount of money in Stockroom is an int64 count of
// 1/10,000ths ("raw units"): "12.5" is 125000. Four places is the most any
// product may use, so one scale serves every product and sums never need
// rescaling. A product's `decimals` (0 to 4) only bounds what may be entered
// and fixes how many places are printed. No floating point is involved
// anywhere: parsing reads the digits, formatting writes them.
#ifndef STOCKROOM_DECIMAL_H_
#define STOCKROOM_DECIMAL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace stockroom {

/// A quantity or money value in raw units of 1/10,000.
using Raw = std::int64_t;

/// Number of decimal places held by a Raw value.
inline constexpr int kScalePlaces = 4;
/// Raw units per whole unit (10^kScalePlaces).
inline constexpr Raw kScale = 10'000;
/// Largest magnitude accepted as input: 10^12 whole units.
inline constexpr Raw kMaxInputMagnitude = 1'000'000'000'000 * kScale;

/// Why a decimal string was refused. kOk means it was accepted.
enum class DecimalError {
  kOk,
  kEmpty,          ///< Empty text.
  kSyntax,         ///< Not a plain decimal: letters, exponent, "NaN", "1.", ...
  kTooManyPlaces,  ///< More fractional digits than allowed.
  kOutOfRange,     ///< Magnitude above kMaxInputMagnitude.
};

/// The outcome of parse_decimal: `value` is meaningful only when error is kOk.
struct ParsedDecimal {
  DecimalError error = DecimalError::kOk;
  Raw value = 0;
};

/// Parses a plain decimal such as "12", "-0.5" or "+3.25" into raw units.
///
/// Accepted form: optional sign, one or more digits, optionally "." followed
/// by one or more digits (at most `max_places`, 0 to 4). Leading zeros are
/// accepted; whitespace, exponents, thousands separators, "NaN" and
/// "Infinity" are not. Magnitudes above 10^12 are kOutOfRange. Never rounds.
ParsedDecimal parse_decimal(std::string_view text, int max_places);

/// A clear English sentence for a parse error, naming the allowed places.
std::string describe(DecimalError error, int max_places);

/// Formats raw units with exactly `places` fractional digits (0 to 4), e.g.
/// format_decimal(-500000, 2) == "-50.00". Digits beyond `places` are not
/// printed, so callers pass only values that have at most `places` places
/// (the ledger guarantees this for every stored quantity).
std::string format_decimal(Raw value, int places);

/// The most characters format_decimal writes: a sign, 15 whole digits of an
/// int64 magnitude (at most 922337203685477), a point and 4 places.
inline constexpr std::size_t kMaxDecimalChars = 24;

/// format_decimal into `out` (room for kMaxDecimalChars); returns the end.
/// For writers that append many numbers and want no string per number.
char* write_decimal(char* out, Raw value, int places);

/// Formats money: two places, or more (up to four) where the value needs
/// them: 25000 -> "2.50", 125 -> "0.0125".
std::string format_money(Raw value);

/// True when `value` has no more than `places` significant fractional digits.
bool fits_places(Raw value, int places);

/// Adds two raw values; false (and `out` untouched) on int64 overflow.
bool checked_add(Raw a, Raw b, Raw* out);

/// value * price / kScale with a 128-bit intermediate (a quantity times a unit
/// cost gives money). Rounds half away from zero to raw units; false when the
/// result does not fit in int64.
bool multiply_scaled(Raw value, Raw price, Raw* out);

}  // namespace stockroom

#endif  // STOCKROOM_DECIMAL_H_
