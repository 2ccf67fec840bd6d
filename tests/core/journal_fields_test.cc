// The journal's field syntax (core/src/journal_fields.h), read a word at a
// time, against the obvious byte-by-byte split and std::from_chars, over
// edge cases and many random inputs at every alignment.
#include "../../core/src/journal_fields.h"

#include <gtest/gtest.h>

#include <charconv>
#include <random>
#include <string>
#include <vector>

namespace stockroom::journal {
namespace {

// std::from_chars over the whole field: what read_int must accept.
bool ReferenceInt(std::string_view field, bool allow_empty, std::int64_t* out) {
  if (field.empty()) {
    *out = 0;
    return allow_empty;
  }
  const auto [end, ec] =
      std::from_chars(field.data(), field.data() + field.size(), *out);
  return ec == std::errc() && end == field.data() + field.size();
}

void ExpectSameInt(const std::string& text) {
  for (const bool allow_empty : {false, true}) {
    std::int64_t expected = -7;
    std::int64_t actual = -7;
    const bool expected_ok = ReferenceInt(text, allow_empty, &expected);
    // Read from a copy with bytes after it, as in a journal line, so a read
    // past the field's end would show.
    const std::string padded = text + "99999999\t";
    const bool actual_ok = read_int(
        std::string_view(padded.data(), text.size()), allow_empty, &actual);
    ASSERT_EQ(actual_ok, expected_ok) << '"' << text << '"';
    if (expected_ok) {
      ASSERT_EQ(actual, expected) << '"' << text << '"';
    }
  }
}

TEST(JournalFields, IntegersAtTheEdges) {
  const char* cases[] = {
      "",
      "0",
      "-0",
      "-",
      "+1",
      "1",
      "-1",
      "7",
      "12345678",
      "123456789",
      "1234567/",
      "/2345678",
      "1234567:",
      ":2345678",
      "12345678 ",
      " 12345678",
      "1774002600000",
      "-500000",
      "9223372036854775807",
      "9223372036854775808",
      "-9223372036854775808",
      "-9223372036854775809",
      "18446744073709551615",
      "18446744073709551616",
      "99999999999999999999",
      "0000000000000000000000000001",
      "-00000000000000000000042",
      "000000000000000000000",
      "00000000",
      "0x10",
      "1e5",
      "1.5",
      "--1",
      "1-",
      "12345678123456781",
      "1234567812345678",
      "\3771234567",  // octal: 0xFF then seven digits
      "1234567\x80",
  };
  for (const char* c : cases) ExpectSameInt(c);
}

TEST(JournalFields, IntegersRandom) {
  std::mt19937_64 rng(20261127);
  const std::string alphabet = "0123456789-+/: a\x80\xff";
  for (int i = 0; i < 200'000; ++i) {
    std::string text;
    const auto length = static_cast<int>(rng() % 24);
    const bool only_digits = rng() % 2 == 0;
    for (int k = 0; k < length; ++k) {
      text += only_digits || rng() % 8 != 0
                  ? static_cast<char>('0' + rng() % 10)
                  : alphabet[rng() % alphabet.size()];
    }
    if (rng() % 4 == 0) text.insert(text.begin(), '-');
    ExpectSameInt(text);
  }
}

TEST(JournalFields, EightDigitsRejectsEveryOtherByteAtEveryPlace) {
  for (int place = 0; place < 8; ++place) {
    for (int byte = 0; byte < 256; ++byte) {
      std::string text = "31415926";
      text[static_cast<std::size_t>(place)] = static_cast<char>(byte);
      std::uint64_t value = 0;
      const bool digit = byte >= '0' && byte <= '9';
      ASSERT_EQ(eight_digits(text.data(), &value), digit)
          << place << ' ' << byte;
      if (digit) {
        ASSERT_EQ(value, std::stoull(text)) << text;
      }
    }
  }
}

// The byte-by-byte split: the line ends at the first '\n' (or the end); more
// than kFields fields is reported as kFields + 1 with no next line.
const char* ReferenceSplit(const char* p, const char* end,
                           std::vector<std::string_view>* fields, int* count) {
  const char* line_end = p;
  while (line_end < end && *line_end != '\n') ++line_end;
  fields->clear();
  const char* start = p;
  for (const char* q = p; q <= line_end; ++q) {
    if (q == line_end || *q == '\t') {
      fields->emplace_back(start, static_cast<std::size_t>(q - start));
      start = q + 1;
    }
  }
  if (fields->size() > static_cast<std::size_t>(kFields)) {
    *count = kFields + 1;
    return nullptr;
  }
  *count = static_cast<int>(fields->size());
  return line_end == end ? end : line_end + 1;
}

void ExpectSameSplit(const std::string& buffer, std::size_t offset) {
  const char* const begin = buffer.data() + offset;
  const char* const end = buffer.data() + buffer.size();
  std::vector<std::string_view> expected;
  int expected_count = 0;
  const char* const expected_next =
      ReferenceSplit(begin, end, &expected, &expected_count);
  std::string_view fields[kFields];
  int count = 0;
  const char* const next = split_line(begin, end, fields, &count);
  ASSERT_EQ(count, expected_count) << '"' << buffer.substr(offset) << '"';
  ASSERT_EQ(next, expected_next) << '"' << buffer.substr(offset) << '"';
  if (next == nullptr) return;
  for (int i = 0; i < count; ++i) {
    ASSERT_EQ(fields[i].data(), expected[static_cast<std::size_t>(i)].data())
        << i;
    ASSERT_EQ(fields[i].size(), expected[static_cast<std::size_t>(i)].size())
        << i;
  }
}

TEST(JournalFields, SplitAtTheEdges) {
  const std::string exported =
      "1\tpurchase\t78\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n";
  const std::string cases[] = {
      exported,
      exported + exported,
      exported.substr(0, exported.size() - 1),  // no final newline
      "\n",
      "",
      "\t",
      std::string(15, '\t') + "\n",  // 16 empty fields
      std::string(16, '\t') + "\n",  // 17
      std::string(40, '\t'),
      "a\tb\nc\td",
      "\t\t\t\t\t\t\t\n\t\t\t\t\t\t\t\t\t",
  };
  for (const std::string& c : cases) {
    for (std::size_t offset = 0; offset < 9 && offset <= c.size(); ++offset)
      ExpectSameSplit(c, offset);
  }
}

TEST(JournalFields, SplitRandom) {
  std::mt19937_64 rng(112026);
  const std::string alphabet = "\t\t\t\n1a\\\x89\x0a\x09";
  for (int i = 0; i < 100'000; ++i) {
    std::string text;
    const auto length = static_cast<int>(rng() % 90);
    for (int k = 0; k < length; ++k) text += alphabet[rng() % alphabet.size()];
    ExpectSameSplit(text, static_cast<std::size_t>(rng() % (text.size() + 1)));
  }
}

}  // namespace
}  // namespace stockroom::journal
