// clock_format.h: RFC 3339 timestamps and whole UTC dates, no clock read.
#include <cstdio>
#include <limits>
#include <optional>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "stockroom/clock_format.h"

namespace stockroom {
namespace {

constexpr Millis kT0 = 1774002600000;     // 2026-03-20T10:30:00.000Z
constexpr Millis kDay20 = 1773964800000;  // 2026-03-20T00:00:00.000Z

TEST(ClockFormat, FormatsWithMilliseconds) {
  EXPECT_EQ(format_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(kT0), "2026-03-20T10:30:00.000Z");
  EXPECT_EQ(format_timestamp(kT0 + 1), "2026-03-20T10:30:00.001Z");
  EXPECT_EQ(format_timestamp(kT0 + 59'999), "2026-03-20T10:30:59.999Z");
  EXPECT_EQ(format_timestamp(1709164800000), "2024-02-29T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(kDay20 - 1), "2026-03-19T23:59:59.999Z");
}

// The digits are written by hand for years 0-9999: held to printf's formatting of the same fields
// (from the calendar's own round trip through parse_date) over random instants, and past 9999
// (printf itself) the year simply gets longer.
TEST(ClockFormat, FormatsRandomInstantsAsPrintfWould) {
  std::mt19937_64 rng(11);
  for (int n = 0; n < 20000; ++n) {
    const Millis at = static_cast<Millis>(rng() % 253402300800000);
    const std::string text = format_timestamp(at);
    ASSERT_EQ(text.size(), 24U) << at;
    const std::optional<Millis> day = parse_date(text.substr(0, 10));
    ASSERT_TRUE(day.has_value()) << text;
    const Millis ms = at - *day;
    char expected[32];
    std::snprintf(expected, sizeof expected, "%sT%02d:%02d:%02d.%03dZ", text.substr(0, 10).c_str(),
                  static_cast<int>(ms / 3'600'000), static_cast<int>(ms / 60'000 % 60),
                  static_cast<int>(ms / 1000 % 60), static_cast<int>(ms % 1000));
    ASSERT_EQ(text, expected) << at;
    ASSERT_EQ(parse_timestamp(text), std::optional<Millis>(at)) << text;
  }
  EXPECT_EQ(format_timestamp(253402300800000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(format_timestamp(253402300800000 + 86'399'999), "10000-01-01T23:59:59.999Z");
}

// format_timestamp_to writes what format_timestamp returns, within its room, at the ends of int64
// too (where printf writes the year of the far past or future), and before 1970.
TEST(ClockFormat, WritesIntoItsRoomWhatFormatTimestampReturns) {
  const Millis instants[] = {std::numeric_limits<Millis>::min(), -62167219200001, -1, 0, kT0,
                             253402300799999, 253402300800000, std::numeric_limits<Millis>::max()};
  for (const Millis at : instants) {
    char room[kTimestampRoom];
    const std::size_t n = format_timestamp_to(at, room);
    ASSERT_LT(n, kTimestampRoom) << at;
    EXPECT_EQ(std::string(room, n), format_timestamp(at)) << at;
  }
  EXPECT_EQ(format_timestamp(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_timestamp(-62167219200001), "-001-12-31T23:59:59.999Z");  // printf's %04lld of -1
  EXPECT_EQ(format_timestamp(std::numeric_limits<Millis>::max()), "292278994-08-17T07:12:55.807Z");
}

TEST(ClockFormat, ParsesDatesAsTheStartOfTheUtcDay) {
  EXPECT_EQ(parse_date("2026-03-20"), std::optional<Millis>(kDay20));
  EXPECT_EQ(parse_date("1970-01-01"), std::optional<Millis>(0));
  EXPECT_EQ(parse_date("2024-02-29"), std::optional<Millis>(1709164800000));
  EXPECT_EQ(parse_date("9999-12-31"), std::optional<Millis>(253402214400000));
}

TEST(ClockFormat, RefusesDatesThatAreNotRealOrNotPlain) {
  for (const char* text : {"", "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10",
                           "2026-04-31", "2026-03-00", "2026-03-32", "1969-12-31",
                           "2026-3-20", "2026-03-2", "26-03-20", "2026/03/20", "20260320",
                           " 2026-03-20", "2026-03-20 ", "2026-03-20T00:00:00Z", "10000-01-01",
                           "abcd-ef-gh"}) {
    EXPECT_EQ(parse_date(text), std::nullopt) << text;
  }
}

TEST(ClockFormat, ParsesUtcTimestamps) {
  EXPECT_EQ(parse_timestamp("2026-03-20T10:30:00.000Z"), std::optional<Millis>(kT0));
  EXPECT_EQ(parse_timestamp("2026-03-20T10:30:00Z"), std::optional<Millis>(kT0));
  EXPECT_EQ(parse_timestamp("2026-03-20T10:30:00+00:00"), std::optional<Millis>(kT0));
  EXPECT_EQ(parse_timestamp("2026-03-20T10:30:00.123Z"), std::optional<Millis>(kT0 + 123));
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00.000Z"), std::optional<Millis>(0));
  EXPECT_EQ(parse_timestamp("2026-03-19T23:59:59.999Z"), std::optional<Millis>(kDay20 - 1));
}

TEST(ClockFormat, RefusesOtherZonesAndMalformedTimestamps) {
  for (const char* text :
       {"", "2026-03-20", "2026-03-20T10:30:00", "2026-03-20T10:30:00+01:00",
        "2026-03-20T10:30:00-05:00", "2026-03-20T24:00:00Z", "2026-03-20T10:60:00Z",
        "2026-03-20T10:30:61Z", "2026-02-30T10:30:00Z", "2026-03-20T10:30Z",
        "2026-03-20T10:30:00.Z", "garbage", "1774002600000"}) {
    EXPECT_EQ(parse_timestamp(text), std::nullopt) << text;
  }
}

TEST(ClockFormat, FormatAndParseRoundTrip) {
  for (Millis t : {Millis{0}, kT0, kT0 + 987, Millis{1709164800000} + 86'399'999}) {
    EXPECT_EQ(parse_timestamp(format_timestamp(t)), std::optional<Millis>(t)) << t;
  }
}

}  // namespace
}  // namespace stockroom
