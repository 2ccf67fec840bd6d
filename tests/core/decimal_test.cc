// decimal.h: parsing, formatting and arithmetic of raw units (1/10,000).
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "stockroom/decimal.h"

namespace stockroom {
namespace {

constexpr Raw kMax = std::numeric_limits<Raw>::max();
constexpr Raw kMin = std::numeric_limits<Raw>::min();

void ExpectValue(std::string_view text, int places, Raw expected) {
  ParsedDecimal p = parse_decimal(text, places);
  EXPECT_EQ(p.error, DecimalError::kOk) << "\"" << text << "\" places " << places;
  EXPECT_EQ(p.value, expected) << "\"" << text << "\" places " << places;
}

void ExpectError(std::string_view text, int places, DecimalError expected) {
  ParsedDecimal p = parse_decimal(text, places);
  EXPECT_EQ(p.error, expected) << "\"" << text << "\" places " << places << " gave value "
                               << p.value;
}

TEST(DecimalParse, PlainValues) {
  ExpectValue("12", 2, 120000);
  ExpectValue("12.5", 2, 125000);
  ExpectValue("12.50", 2, 125000);
  ExpectValue("0", 0, 0);
  ExpectValue("0.0001", 4, 1);
  ExpectValue("3.25", 2, 32500);
  ExpectValue("-0.5", 1, -5000);
  ExpectValue("-50", 2, -500000);
}

TEST(DecimalParse, SignsAndNegativeZero) {
  ExpectValue("+1", 2, 10000);
  ExpectValue("+3.25", 2, 32500);
  ExpectValue("-0", 2, 0);
  ExpectValue("-0.00", 2, 0);
  ExpectError("-", 2, DecimalError::kSyntax);
  ExpectError("+", 2, DecimalError::kSyntax);
  ExpectError("--1", 2, DecimalError::kSyntax);
  ExpectError("+-1", 2, DecimalError::kSyntax);
  ExpectError("1-", 2, DecimalError::kSyntax);
}

TEST(DecimalParse, PlacesPerDecimals) {
  // decimals 0: whole numbers only.
  ExpectValue("7", 0, 70000);
  ExpectError("7.0", 0, DecimalError::kTooManyPlaces);
  ExpectError("7.5", 0, DecimalError::kTooManyPlaces);
  // decimals 1.
  ExpectValue("7.5", 1, 75000);
  ExpectError("7.55", 1, DecimalError::kTooManyPlaces);
  ExpectError("7.50", 1, DecimalError::kTooManyPlaces);  // places are counted as written
  // decimals 2.
  ExpectValue("7.55", 2, 75500);
  ExpectError("7.555", 2, DecimalError::kTooManyPlaces);
  // decimals 3.
  ExpectValue("7.555", 3, 75550);
  ExpectError("7.5555", 3, DecimalError::kTooManyPlaces);
  // decimals 4.
  ExpectValue("7.5555", 4, 75555);
  ExpectError("7.55555", 4, DecimalError::kTooManyPlaces);
  ExpectError("0.00001", 4, DecimalError::kTooManyPlaces);
}

TEST(DecimalParse, EmptyIsItsOwnError) {
  ExpectError("", 2, DecimalError::kEmpty);
}

TEST(DecimalParse, MalformedTextIsSyntax) {
  for (const char* text : {"1.", ".5", "-.5", "1e3", "1E3", "1.5e2", "NaN", "nan", "Infinity",
                           "-Infinity", "inf", " 1", "1 ", "1,000", "1_000", "0x10", "abc",
                           "1.2.3", "12a", "１", "\t1", "1\n", "."}) {
    ExpectError(text, 4, DecimalError::kSyntax);
  }
}

TEST(DecimalParse, LeadingZerosAreAccepted) {
  ExpectValue("007", 0, 70000);
  ExpectValue("00.50", 2, 5000);
  ExpectValue("-007.25", 2, -72500);
  // Many leading zeros must not be mistaken for a huge or overflowing number.
  ExpectValue("0000000000000000000000000001", 0, 10000);
  ExpectValue("000000000000000000000001000000000000", 0, 1'000'000'000'000 * kScale);
}

TEST(DecimalParse, TenToTheTwelveIsTheLargestMagnitude) {
  ExpectValue("1000000000000", 0, kMaxInputMagnitude);
  ExpectValue("-1000000000000", 0, -kMaxInputMagnitude);
  ExpectValue("1000000000000.0000", 4, kMaxInputMagnitude);
  ExpectValue("999999999999.9999", 4, kMaxInputMagnitude - 1);
  ExpectError("1000000000000.0001", 4, DecimalError::kOutOfRange);
  ExpectError("-1000000000000.0001", 4, DecimalError::kOutOfRange);
  ExpectError("1000000000001", 0, DecimalError::kOutOfRange);
  ExpectError("10000000000000", 2, DecimalError::kOutOfRange);
}

TEST(DecimalParse, Int64OverflowAttemptsAreOutOfRange) {
  ExpectError("922337203685477.5807", 4, DecimalError::kOutOfRange);  // INT64_MAX raw
  ExpectError("922337203685478", 0, DecimalError::kOutOfRange);       // * 10^4 overflows
  ExpectError("9223372036854775807", 0, DecimalError::kOutOfRange);
  ExpectError("9223372036854775808", 0, DecimalError::kOutOfRange);
  ExpectError("-9223372036854775808", 0, DecimalError::kOutOfRange);
  ExpectError("18446744073709551616", 0, DecimalError::kOutOfRange);  // 2^64 wraps to 0
  ExpectError("99999999999999999999999999999999", 2, DecimalError::kOutOfRange);
}

TEST(DecimalParse, DescribeNamesTheAllowedPlaces) {
  for (DecimalError e : {DecimalError::kEmpty, DecimalError::kSyntax,
                         DecimalError::kTooManyPlaces, DecimalError::kOutOfRange}) {
    EXPECT_FALSE(describe(e, 2).empty());
  }
  EXPECT_NE(describe(DecimalError::kTooManyPlaces, 3).find('3'), std::string::npos)
      << describe(DecimalError::kTooManyPlaces, 3);
  EXPECT_NE(describe(DecimalError::kTooManyPlaces, 2), describe(DecimalError::kTooManyPlaces, 3));
}

TEST(DecimalFormat, ExactPlaces) {
  EXPECT_EQ(format_decimal(-500000, 2), "-50.00");
  EXPECT_EQ(format_decimal(1200000, 2), "120.00");
  EXPECT_EQ(format_decimal(125000, 1), "12.5");
  EXPECT_EQ(format_decimal(125000, 4), "12.5000");
  EXPECT_EQ(format_decimal(70000, 0), "7");
  EXPECT_EQ(format_decimal(75550, 3), "7.555");
  EXPECT_EQ(format_decimal(123456789, 4), "12345.6789");
}

TEST(DecimalFormat, ZeroAndNegativesBelowOne) {
  EXPECT_EQ(format_decimal(0, 0), "0");
  EXPECT_EQ(format_decimal(0, 2), "0.00");
  EXPECT_EQ(format_decimal(0, 4), "0.0000");
  EXPECT_EQ(format_decimal(-5000, 1), "-0.5");
  EXPECT_EQ(format_decimal(-5000, 2), "-0.50");
  EXPECT_EQ(format_decimal(-1, 4), "-0.0001");
  EXPECT_EQ(format_decimal(-10000, 0), "-1");
  EXPECT_EQ(format_decimal(-5, 4), "-0.0005");
}

TEST(DecimalFormat, ExtremeValues) {
  EXPECT_EQ(format_decimal(kMaxInputMagnitude, 2), "1000000000000.00");
  EXPECT_EQ(format_decimal(-kMaxInputMagnitude, 0), "-1000000000000");
  EXPECT_EQ(format_decimal(kMax, 4), "922337203685477.5807");
  EXPECT_EQ(format_decimal(kMin, 4), "-922337203685477.5808");
  // Whole parts on either side of 32 bits.
  EXPECT_EQ(format_decimal(4'294'967'295 * kScale + 1, 4), "4294967295.0001");
  EXPECT_EQ(format_decimal(-4'294'967'296 * kScale, 1), "-4294967296.0");
  EXPECT_EQ(format_decimal(42'949'672'960 * kScale + 9'999, 3), "42949672960.999");
}

TEST(DecimalFormat, RoundTripsThroughParse) {
  for (int places = 0; places <= 4; ++places) {
    for (Raw v : {Raw{0}, Raw{10000}, Raw{-10000}, Raw{1230000}, kMaxInputMagnitude,
                  -kMaxInputMagnitude}) {
      ParsedDecimal p = parse_decimal(format_decimal(v, places), places);
      EXPECT_EQ(p.error, DecimalError::kOk) << v << " places " << places;
      EXPECT_EQ(p.value, v) << v << " places " << places;
    }
  }
}

TEST(DecimalMoney, TwoPlacesOrMoreWhereNeeded) {
  EXPECT_EQ(format_money(25000), "2.50");
  EXPECT_EQ(format_money(125), "0.0125");
  EXPECT_EQ(format_money(0), "0.00");
  EXPECT_EQ(format_money(10000), "1.00");
  EXPECT_EQ(format_money(100), "0.01");
  EXPECT_EQ(format_money(1000), "0.10");
  EXPECT_EQ(format_money(12340), "1.234");
  EXPECT_EQ(format_money(12345), "1.2345");
  EXPECT_EQ(format_money(1), "0.0001");
  EXPECT_EQ(format_money(-25000), "-2.50");
  EXPECT_EQ(format_money(-125), "-0.0125");
  EXPECT_EQ(format_money(99990000), "9999.00");
}

TEST(DecimalArithmetic, FitsPlaces) {
  EXPECT_TRUE(fits_places(12500, 2));
  EXPECT_FALSE(fits_places(12500, 1));
  EXPECT_TRUE(fits_places(10000, 0));
  EXPECT_FALSE(fits_places(10001, 0));
  EXPECT_FALSE(fits_places(10001, 3));
  EXPECT_TRUE(fits_places(10001, 4));
  EXPECT_TRUE(fits_places(-5000, 1));
  EXPECT_FALSE(fits_places(-5500, 1));
  EXPECT_TRUE(fits_places(0, 0));
}

TEST(DecimalArithmetic, CheckedAdd) {
  Raw out = 42;
  EXPECT_TRUE(checked_add(20000, -50000, &out));
  EXPECT_EQ(out, -30000);
  out = 42;
  EXPECT_FALSE(checked_add(kMax, 1, &out));
  EXPECT_EQ(out, 42);
  EXPECT_FALSE(checked_add(kMin, -1, &out));
  EXPECT_EQ(out, 42);
  EXPECT_TRUE(checked_add(kMax, kMin, &out));
  EXPECT_EQ(out, -1);
}

TEST(DecimalArithmetic, MultiplyScaledRoundsHalfAwayFromZero) {
  Raw out = 0;
  ASSERT_TRUE(multiply_scaled(30000, 25000, &out));  // 3 x 2.50
  EXPECT_EQ(out, 75000);
  ASSERT_TRUE(multiply_scaled(-30000, 25000, &out));
  EXPECT_EQ(out, -75000);
  ASSERT_TRUE(multiply_scaled(1, 5000, &out));  // 0.0001 x 0.5 = 0.00005 -> 0.0001
  EXPECT_EQ(out, 1);
  ASSERT_TRUE(multiply_scaled(-1, 5000, &out));
  EXPECT_EQ(out, -1);
  ASSERT_TRUE(multiply_scaled(1, 4999, &out));
  EXPECT_EQ(out, 0);
  // 10^12 x 100 needs more than 64 bits in the intermediate but fits the result.
  ASSERT_TRUE(multiply_scaled(kMaxInputMagnitude, 100 * kScale, &out));
  EXPECT_EQ(out, kMaxInputMagnitude * 100);
  out = 7;
  EXPECT_FALSE(multiply_scaled(kMax, 20000, &out));
  EXPECT_FALSE(multiply_scaled(kMaxInputMagnitude, kMaxInputMagnitude, &out));
}

}  // namespace
}  // namespace stockroom
