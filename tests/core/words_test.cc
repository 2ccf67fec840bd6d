// core/src/words.h: the eight-bytes-at-a-time tests, each held to the obvious byte-by-byte test for
// every byte value at every position of a word, among neighbours that would carry or borrow.
#include "../../core/src/words.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

namespace stockroom {
namespace {

// The 0x80 flags of `word` for the bytes where `pred` holds, written byte by byte.
template <class Pred>
std::uint64_t flags_of(const std::array<unsigned char, 8>& bytes, Pred pred) {
  std::uint64_t flags = 0;
  for (int k = 0; k < 8; ++k) {
    if (pred(bytes[k])) flags |= std::uint64_t{0x80} << (8 * k);
  }
  return flags;
}

bool json_special(unsigned char c) { return c < 0x20 || c == '"' || c == '\\' || c >= 0x80; }

TEST(Words, FlagEveryByteExactly) {
  // Neighbours: 0x00 and 0xFF (borrow and carry), the thresholds and the specials themselves.
  const unsigned char neighbours[] = {0x00, 0x1F, 0x20, 0x21, '"', '\\', 0x7F, 0x80, 0xFF};
  for (const unsigned char around : neighbours) {
    for (int position = 0; position < 8; ++position) {
      for (int value = 0; value < 256; ++value) {
        std::array<unsigned char, 8> bytes;
        bytes.fill(around);
        bytes[position] = static_cast<unsigned char>(value);
        const std::uint64_t word = load8(reinterpret_cast<const char*>(bytes.data()));
        ASSERT_EQ(bytes_equal(word, '"'), flags_of(bytes, [](unsigned char c) { return c == '"'; }));
        ASSERT_EQ(bytes_below(word, 0x20), flags_of(bytes, [](unsigned char c) { return c < 0x20; }));
        ASSERT_EQ(bytes_below(word, 0x80), flags_of(bytes, [](unsigned char c) { return c < 0x80; }));
        const std::uint64_t specials = json_string_specials(word);
        ASSERT_EQ(specials, flags_of(bytes, json_special)) << value << " at " << position;
        if (specials != 0) {
          int first = 0;
          while (!json_special(bytes[first])) ++first;
          ASSERT_EQ(first_flagged(specials), first);
        }
      }
    }
  }
}

TEST(Words, LoadsTheLowestAddressIntoTheLowestByte) {
  const std::string text = "abcdefgh";
  EXPECT_EQ(load8(text.data()) & 0xFF, static_cast<std::uint64_t>('a'));
  EXPECT_EQ(load8(text.data()) >> 56, static_cast<std::uint64_t>('h'));
}

// find_byte and same_bytes against memchr and memcmp, for every length up to three words and every
// place of the byte looked for (or of the one difference): the word loop, its tail, and both.
TEST(Words, FindByteAgreesWithMemchr) {
  for (std::size_t length = 0; length <= 24; ++length) {
    for (std::size_t at = 0; at <= length; ++at) {
      std::string text(length, 'a');
      if (at < length) text[at] = '\0';
      const char* end = text.data() + text.size();
      const void* expected = std::memchr(text.data(), '\0', text.size());
      EXPECT_EQ(find_byte(text.data(), end, '\0'), expected ? static_cast<const char*>(expected) : end)
          << length << " " << at;
    }
  }
}

TEST(Words, SameBytesAgreesWithMemcmp) {
  for (std::size_t length = 0; length <= 24; ++length) {
    const std::string a(length, 'k');
    EXPECT_TRUE(same_bytes(a.data(), std::string(a).data(), length));
    for (std::size_t at = 0; at < length; ++at) {
      std::string b = a;
      b[at] = 'K';
      EXPECT_FALSE(same_bytes(a.data(), b.data(), length)) << length << " " << at;
      EXPECT_TRUE(same_bytes(a.data(), b.data(), at)) << length << " " << at;  // up to the difference
    }
  }
  EXPECT_TRUE(equal_text("transfer_in", "transfer_in"));
  EXPECT_FALSE(equal_text("transfer_in", "transfer_out"));
  EXPECT_FALSE(equal_text("sale", "sales"));  // a prefix is not the text
  EXPECT_TRUE(equal_text("", ""));
}

}  // namespace
}  // namespace stockroom
