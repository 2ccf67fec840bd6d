#include "stockroom/clock_format.h"

#include <algorithm>
#include <cstdio>
#include <string_view>

#include "digits.h"

namespace stockroom {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date, and back
// (Howard Hinnant's civil calendar algorithms).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month;
  unsigned day;
};

Civil civil_from_days(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2), m, d};
}

bool is_leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `pos`; false when any is not a digit.
bool read_digits(std::string_view s, std::size_t pos, std::size_t n, unsigned* out) {
  if (pos + n > s.size()) return false;
  unsigned v = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

std::size_t format_timestamp_to(Millis at, char (&out)[kTimestampRoom]) {
  std::int64_t days = at / kMillisPerDay;
  std::int64_t rest = at % kMillisPerDay;
  if (rest < 0) {
    rest += kMillisPerDay;
    --days;
  }
  const Civil c = civil_from_days(days);
  const auto ms = static_cast<unsigned>(rest);
  if (c.year < 0 || c.year > 9999) {
    const int n = std::snprintf(out, sizeof out, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ",
                                static_cast<long long>(c.year), c.month, c.day, ms / 3'600'000,
                                ms / 60'000 % 60, ms / 1000 % 60, ms % 1000);
    return std::min(static_cast<std::size_t>(n), sizeof out - 1);
  }
  // Every movement written as JSON carries a timestamp: digits by hand, since printf's format
  // interpreter (musl's, in WebAssembly) was ~8 % of a command's time through handle_json there.
  constexpr std::string_view kShape = "0000-00-00T00:00:00.000Z";
  std::copy(kShape.begin(), kShape.end(), out);
  put_digits_backwards(out + 4, static_cast<unsigned>(c.year), 4);
  put_digits_backwards(out + 7, c.month, 2);
  put_digits_backwards(out + 10, c.day, 2);
  put_digits_backwards(out + 13, ms / 3'600'000, 2);
  put_digits_backwards(out + 16, ms / 60'000 % 60, 2);
  put_digits_backwards(out + 19, ms / 1000 % 60, 2);
  put_digits_backwards(out + 23, ms % 1000, 3);
  return kShape.size();
}

std::string format_timestamp(Millis at) {
  char text[kTimestampRoom];
  return std::string(text, format_timestamp_to(at, text));
}

std::optional<Millis> parse_date(std::string_view text) {
  unsigned y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !read_digits(text, 0, 4, &y) ||
      !read_digits(text, 5, 2, &m) || !read_digits(text, 8, 2, &d)) {
    return std::nullopt;
  }
  if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m)) return std::nullopt;
  return days_from_civil(y, m, d) * kMillisPerDay;
}

std::optional<Millis> parse_timestamp(std::string_view text) {
  if (text.size() < 20 || text[10] != 'T') return std::nullopt;
  const std::optional<Millis> day = parse_date(text.substr(0, 10));
  unsigned hh = 0, mm = 0, ss = 0, ms = 0;
  if (!day || text[13] != ':' || text[16] != ':' || !read_digits(text, 11, 2, &hh) ||
      !read_digits(text, 14, 2, &mm) || !read_digits(text, 17, 2, &ss) || hh > 23 || mm > 59 ||
      ss > 59) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  if (text[pos] == '.') {
    const std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    const std::size_t n = pos - start;
    if (n == 0 || n > 9) return std::nullopt;
    unsigned digits = 0;
    // Milliseconds are the first three digits; finer ones are truncated.
    read_digits(text, start, n < 3 ? n : 3, &digits);
    ms = n == 1 ? digits * 100 : n == 2 ? digits * 10 : digits;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "Z" && zone != "z" && zone != "+00:00") return std::nullopt;
  return *day + hh * 3'600'000LL + mm * 60'000LL + ss * 1000LL + ms;
}

}  // namespace stockroom
