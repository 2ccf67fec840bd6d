// UTC timestamps and calendar dates, without reading any clock.
//
// Times are int64 milliseconds since the Unix epoch (UTC); the host passes
// "now" in every command. Dates are whole UTC days "YYYY-MM-DD".
#ifndef STOCKROOM_CLOCK_FORMAT_H_
#define STOCKROOM_CLOCK_FORMAT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace stockroom {

/// Milliseconds since 1970-01-01T00:00:00Z.
using Millis = std::int64_t;

inline constexpr Millis kMillisPerDay = 86'400'000;

/// RFC 3339 with milliseconds: "2026-03-20T10:30:00.000Z".
std::string format_timestamp(Millis at);

/// Parses "YYYY-MM-DD" (a real calendar date, years 1970 to 9999) into the
/// millisecond at the start of that UTC day.
std::optional<Millis> parse_date(std::string_view text);

/// Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC only, "Z" or "+00:00").
std::optional<Millis> parse_timestamp(std::string_view text);

}  // namespace stockroom

#endif  // STOCKROOM_CLOCK_FORMAT_H_
