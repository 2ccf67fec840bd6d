// UTC timestamps and calendar dates, without reading any clock.
//
// Times are int64 milliseconds since the Unix epoch (UTC); the host passes
// "now" in every command. Dates are whole UTC days "YYYY-MM-DD".
#ifndef STOCKROOM_CLOCK_FORMAT_H_
#define STOCKROOM_CLOCK_FORMAT_H_

#include <cstddef>
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

/// Room for any timestamp format_timestamp_to writes: 24 bytes for years 0 to
/// 9999, more for the years of the far past and future an int64 can name.
inline constexpr std::size_t kTimestampRoom = 48;

/// format_timestamp written into `out` (no terminating NUL); returns its
/// length. For writers that copy it on at once: no string to allocate (24
/// bytes is past the in-place capacity of std::string in every library).
std::size_t format_timestamp_to(Millis at, char (&out)[kTimestampRoom]);

/// Parses "YYYY-MM-DD" (a real calendar date, years 1970 to 9999) into the
/// millisecond at the start of that UTC day.
std::optional<Millis> parse_date(std::string_view text);

/// Parses RFC 3339 "YYYY-MM-DDTHH:MM:SS[.fff]Z" (UTC only, "Z" or "+00:00").
std::optional<Millis> parse_timestamp(std::string_view text);

}  // namespace stockroom

#endif  // STOCKROOM_CLOCK_FORMAT_H_
