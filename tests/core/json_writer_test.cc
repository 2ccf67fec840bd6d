// The streaming writer of answers (core/src/json_writer.h): escaping, numbers
// and nesting, each checked against what nlohmann's dump writes, since the
// answers must stay byte-identical to the DOM-built ones they replaced.
#include "../../core/src/json_writer.h"

#include <chrono>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "test_support.h"

namespace stockroom::testing {
namespace {

// What the protocol wrote before: nlohmann's compact dump, invalid UTF-8 replaced.
std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string Quoted(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}

TEST(JsonWriterTest, EscapesLikeNlohmann) {
  EXPECT_EQ(Quoted(""), "\"\"");
  EXPECT_EQ(Quoted("plain text"), "\"plain text\"");
  EXPECT_EQ(Quoted("q\"b\\s/"), R"("q\"b\\s/")");
  EXPECT_EQ(Quoted("\b\t\n\f\r"), R"("\b\t\n\f\r")");
  EXPECT_EQ(Quoted(std::string("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(Quoted("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  for (int c = 0; c < 0x80; ++c) {
    const std::string one(1, static_cast<char>(c));
    EXPECT_EQ(Quoted(one), Dump(one)) << c;
  }
}

TEST(JsonWriterTest, ReplacesInvalidUtf8LikeNlohmann) {
  const char* cases[] = {"bad \xff end", "trunc \xe2\x82", "\xc0\xaf overlong", "\xed\xa0\x80 surrogate",
                         "\xe2\x28\xa1", "\x80\x80", "\xf4\x90\x80\x80 above", "end \xc3", "\xf0\x9f\x98"};
  for (const char* text : cases) {
    const std::string quoted = Quoted(text);
    EXPECT_EQ(quoted, Dump(text)) << text;
    EXPECT_NE(quoted.find("\xEF\xBF\xBD"), std::string::npos) << text;
    EXPECT_FALSE(json::parse(quoted, nullptr, false).is_discarded()) << text;
  }
}

TEST(JsonWriterTest, AgreesWithNlohmannOnRandomBytes) {
  std::mt19937 rng(6);
  // Mostly bytes around the UTF-8 boundaries, so that valid and invalid
  // sequences of every length both come up often.
  const unsigned char pool[] = {0x00, 0x0a, 0x1f, 0x20, '"', '\\', 'a', 0x7f, 0x80, 0x8f, 0x90, 0x9f,
                                0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  for (int n = 0; n < 20000; ++n) {
    std::string text(rng() % 9, '\0');
    for (char& c : text) c = static_cast<char>(pool[rng() % sizeof pool]);
    ASSERT_EQ(Quoted(text), Dump(text)) << ::testing::PrintToString(text);
  }
}

// Texts longer than the writer escapes per step (4,096 input bytes): escapes and multi-byte
// sequences at every offset around the step's end, an invalid byte late in a long text (the text
// written so far is taken back), and texts after an escaped one in the same answer.
TEST(JsonWriterTest, AgreesWithNlohmannOnLongTexts) {
  const std::string pieces[] = {"a", "\t", "\"", "\x01", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80"};
  for (std::size_t pad = 4080; pad < 4100; ++pad) {
    for (const std::string& piece : pieces) {
      std::string text(pad, 'x');
      for (int k = 0; k < 3; ++k) text += piece;
      text += std::string(5000, 'y') + piece;
      ASSERT_EQ(Quoted(text), Dump(text)) << pad << ' ' << piece.size();
    }
  }
  std::mt19937 rng(7);
  for (int n = 0; n < 50; ++n) {
    std::string text(9000 + rng() % 9000, 'z');
    for (int k = 0; k < 400; ++k) text[rng() % text.size()] = "\t\n\"\\\x02"[rng() % 5];
    if (n % 5 == 0) text[8000 + rng() % 1000] = '\xff';
    ASSERT_EQ(Quoted(text), Dump(text)) << n;
    std::string out;
    {
      JsonWriter w(out);
      w.begin_object();
      w.member("a", text);
      w.key_escaped(text);
      w.null();
      w.member("b", "\"short\"");
      w.end_object();
    }
    ASSERT_EQ(out, "{\"a\":" + Dump(text) + "," + Dump(text) + ":null,\"b\":" + Dump("\"short\"") + "}")
        << n;
  }
}

TEST(JsonWriterTest, WritesIntegersExactly) {
  std::string out;
  JsonWriter w(out);
  w.begin_array();
  w.integer(0);
  w.integer(-1);
  w.integer(std::numeric_limits<std::int64_t>::min());
  w.integer(std::numeric_limits<std::int64_t>::max());
  w.integer(std::numeric_limits<std::uint64_t>::max());
  w.integer(std::size_t{42});
  // Around the one-digit shortcut, signed and unsigned.
  json expected = json::array({0, -1, std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max(),
                               std::numeric_limits<std::uint64_t>::max(), 42});
  for (std::int64_t v = -12; v <= 12; ++v) {
    w.integer(v);
    expected.push_back(v);
  }
  for (std::uint32_t v = 0; v <= 11; ++v) {
    w.integer(v);
    expected.push_back(v);
  }
  // Each digit count's first and last value (the digits are counted before they are written).
  std::uint64_t power = 10;
  for (int k = 1; k <= 19; ++k, power *= 10) {
    for (const std::uint64_t v : {power - 1, power, power + 1}) {
      w.integer(v);
      expected.push_back(v);
      if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        w.integer(-static_cast<std::int64_t>(v));
        expected.push_back(-static_cast<std::int64_t>(v));
      }
    }
  }
  w.integer(std::numeric_limits<int>::min());
  expected.push_back(std::numeric_limits<int>::min());
  w.end_array();
  w.finish();
  EXPECT_EQ(out, Dump(expected));
}

TEST(JsonWriterTest, NestsWithSeparators) {
  std::string out;
  JsonWriter w(out);
  w.begin_object();
  w.key("a");
  w.begin_array();
  w.begin_object();
  w.end_object();
  w.begin_array();
  w.end_array();
  w.null();
  w.boolean(true);
  w.boolean(false);
  w.string("s");
  w.end_array();
  w.key_escaped("b\"c");
  w.begin_object();
  w.nullable_id("id", 0);
  w.nullable_id("n", 7);
  w.nullable_text("t", "");
  w.member("u", "x");
  w.end_object();
  w.member("z", 1);
  w.end_object();
  w.finish();
  EXPECT_EQ(out, R"({"a":[{},[],null,true,false,"s"],"b\"c":{"id":null,"n":7,"t":null,"u":"x"},"z":1})");
  EXPECT_EQ(out, Dump(json::parse(out)));
}

// The writer keeps its output ahead of the text while it works: the text
// must end exactly where writing ended (finish() or the writer's end),
// after whatever the string held before, however far it grew.
TEST(JsonWriterTest, AppendsAfterExistingTextAndEndsAtItsEnd) {
  std::string out = "prefix:";
  json expected = json::array();
  {
    JsonWriter w(out);
    w.begin_array();
    for (int i = 0; i < 5000; ++i) {
      w.begin_object();
      w.member("i", i);
      w.decimal("q", i * 137, 2);
      const std::string text(static_cast<std::size_t>(i % 90), 'x');  // around the 64-byte piece
      w.member("s", text);
      w.end_object();
      expected.push_back({{"i", i}, {"q", format_decimal(i * 137, 2)}, {"s", text}});
    }
    w.end_array();
  }
  EXPECT_EQ(out, "prefix:" + Dump(expected));
  std::string empty;
  { JsonWriter w(empty); }
  EXPECT_EQ(empty, "");
}

// Texts that need escaping (or are longer than a piece) go through a scratch
// string: the output is never cut back while writing, which would make the
// next piece zero-fill as much as the whole answer again. 120,000 such members
// (16 MB) take milliseconds; cut back each time, they took ~20 s.
TEST(JsonWriterTest, ManyEscapedTextsGrowTheOutputInLinearTime) {
  const std::string text = "caf\xc3\xa9 \"quoted\" " + std::string(100, 'x');
  std::string out;
  const auto start = std::chrono::steady_clock::now();
  {
    JsonWriter w(out);
    w.begin_array();
    for (int i = 0; i < 120000; ++i) w.string(text);
    w.end_array();
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 2.0);
  const std::string one = Dump(text);
  ASSERT_EQ(out.size(), 2 + 120000 * one.size() + 119999);
  EXPECT_EQ(out.substr(0, one.size() + 2), "[" + one + ",");
  EXPECT_EQ(out.back(), ']');
}

// An answer that fits the capacity reserved for it, with the room a piece asks for (kMaxPiece, 158
// bytes for a short member), is written there and never moved: the writer fills the capacity before it
// grows the string. (Doubling the size alone, 256 then 768 then 1,792 bytes, moved this 770-byte answer
// out of its 1 KiB reserve, and a 400-byte error answer too.)
TEST(JsonWriterTest, FillsTheReservedCapacityBeforeGrowing) {
  std::string out;
  out.reserve(1024);
  const char* const reserved = out.data();
  {
    JsonWriter w(out);
    w.begin_object();
    for (int i = 0; i < 10; ++i) w.member("message_" + std::to_string(i), std::string(60, 'm'));
    w.end_object();
  }
  ASSERT_EQ(out.size(), 2 + 10 * (12 + 62) + 9);
  EXPECT_EQ(out.data(), reserved);
  EXPECT_EQ(out.substr(0, 15), R"({"message_0":"m)");
}

// The writer puts a member together in one buffer when its name and text are
// short and plain, and falls back to append_json_string otherwise: names and
// texts around the buffer's limit (64 bytes), plain or needing escapes, in
// members and array items, must all come out as nlohmann writes them.
TEST(JsonWriterTest, MembersOfEveryLengthAgreeWithNlohmann) {
  std::mt19937 rng(64);
  const unsigned char pool[] = {'a', 'Z', '0', ' ', '-', '.', '~', '"', '\\', 0x01, 0x7f, 0xc3, 0xa9};
  for (int n = 0; n < 5000; ++n) {
    const std::string name(rng() % 100, static_cast<char>('a' + rng() % 26));
    std::string text(rng() % 100, '\0');
    const bool plain = rng() % 2 == 0;
    for (char& c : text) c = plain ? static_cast<char>('a' + rng() % 26) : static_cast<char>(pool[rng() % sizeof pool]);
    const auto value = static_cast<std::int64_t>(rng()) - (std::int64_t{1} << 31);
    std::string out;
    JsonWriter w(out);
    w.begin_object();
    w.member(name, text);
    w.member("n", value);
    w.key(name);
    w.begin_array();
    w.string(text);
    w.integer(value);
    w.end_array();
    w.end_object();
    w.finish();
    const std::string expected = "{" + Dump(name) + ":" + Dump(text) + ",\"n\":" + std::to_string(value) + "," +
                                 Dump(name) + ":[" + Dump(text) + "," + std::to_string(value) + "]}";
    ASSERT_EQ(out, expected) << ::testing::PrintToString(text);
  }
}

// decimal() writes format_decimal's text as a JSON string; format_decimal is
// checked here against the obvious arithmetic on strings, over random values
// of every size and sign, the extremes and every number of places.
TEST(JsonWriterTest, DecimalsAgreeWithTheObviousFormatting) {
  const auto obvious = [](std::int64_t raw, int places) {
    const bool negative = raw < 0;
    const std::uint64_t magnitude = negative ? 0 - static_cast<std::uint64_t>(raw) : static_cast<std::uint64_t>(raw);
    std::string whole = std::to_string(magnitude / 10000);
    std::string fraction = std::to_string(10000 + magnitude % 10000).substr(1, static_cast<std::size_t>(places));
    const bool zero = whole == "0" && fraction.find_first_not_of('0') == std::string::npos;
    return std::string(negative && !zero ? "-" : "") + whole + (places > 0 ? "." + fraction : "");
  };
  std::mt19937_64 rng(24);
  std::vector<std::int64_t> values = {0, 1, -1, 9999, -9999, 10000, -10000, std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::int64_t>::min()};
  for (int n = 0; n < 20000; ++n) values.push_back(static_cast<std::int64_t>(rng() >> (rng() % 64)) * (n % 2 ? -1 : 1));
  for (const std::int64_t raw : values) {
    for (int places = 0; places <= 4; ++places) {
      ASSERT_EQ(format_decimal(raw, places), obvious(raw, places)) << raw << " places " << places;
      std::string out;
      JsonWriter w(out);
      w.begin_object();
      w.decimal("q", raw, places);
      w.end_object();
      w.finish();
      ASSERT_EQ(out, "{\"q\":\"" + obvious(raw, places) + "\"}");
    }
  }
}

// Every answer, success or error, is already in nlohmann's canonical form:
// members in key order, compact. This is what keeps the answers
// byte-identical to the DOM-built ones (json_writer.h).
class CanonicalAnswersTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterCatalogJson(ledger); }

  void Expect(const std::string& request) {
    const std::string out = handle_json(ledger, request);
    const json parsed = json::parse(out, nullptr, false);
    ASSERT_FALSE(parsed.is_discarded()) << out;
    EXPECT_EQ(out, Dump(parsed)) << request;
  }

  Ledger ledger;
};

TEST_F(CanonicalAnswersTest, EveryOpAnswersInCanonicalForm) {
  const std::string at = R"("at":"2026-03-20T10:30:00.000Z","actor":{"id":5,"name":"John \"JD\" Doe"})";
  Expect(R"({"op":"initial_stock",)" + at +
         R"(,"workspace_id":1,"reference":"R-1","notes":"first\nline","items":[{"product_id":78,"quantity":"170","cost_per_unit":"2.5","minimum_quantity":"20"},{"product_id":79,"quantity":"4"}]})");
  Expect(R"({"op":"purchase",)" + at + R"(,"workspace_id":1,"items":[{"product_id":78,"quantity":"3","unit_cost":"0.0125"}]})");
  Expect(R"({"op":"transfer",)" + at + R"(,"product_id":78,"from_workspace_id":1,"to_workspace_id":2,"quantity":"50"})");
  Expect(R"({"op":"adjust",)" + at + R"(,"workspace_id":1,"items":[{"product_id":79,"quantity":"-1","reason":"damaged"}]})");
  Expect(R"({"op":"sell",)" + at + R"(,"workspace_id":1,"invoice_id":9,"lines":[{"product_id":78,"quantity":"2"},{"product_id":81,"quantity":"1"}]})");
  Expect(R"({"op":"void_sale",)" + at + R"(,"invoice_id":9})");
  Expect(R"({"op":"count",)" + at + R"(,"workspace_id":2,"items":[{"product_id":78,"quantity":"40"}]})");
  Expect(R"({"op":"set_minimum",)" + at + R"(,"product_id":79,"workspace_id":1,"minimum_quantity":"10"})");
  // Errors: several fields (sorted, one field twice), and details.
  Expect(R"({"op":"purchase","workspace_id":"x","items":[{"product_id":0,"quantity":0.5},{}]})");
  Expect(R"({"op":"transfer",)" + at + R"(,"product_id":78,"from_workspace_id":1,"to_workspace_id":2,"quantity":"5000"})");
  Expect(R"({"op":"transfer",)" + at + R"(,"product_id":78,"from_workspace_id":1,"to_workspace_id":2,"quantity":"1","expected_quantity":"1"})");
  Expect(R"({"op":"get_movement","id":99})");
  Expect("not json");
  for (const char* query :
       {R"({"op":"get_movement","id":2})", R"({"op":"list_movements","per_page":3,"page":2})",
        R"({"op":"report","filter":{"workspace_id":1}})", R"({"op":"product_stock","product_id":78})",
        R"({"op":"workspace_levels","workspace_id":1})", R"({"op":"low_stock","workspace_id":1})",
        R"({"op":"level_as_of","product_id":78,"workspace_id":1,"as_of_date":"2026-03-20"})",
        R"({"op":"checkpoint"})", R"({"op":"verify"})", R"({"op":"stats"})",
        R"({"op":"export_journal","after_id":2})", R"({"op":"register","products":[{"id":"x"}]})"}) {
    Expect(query);
  }
}

TEST_F(CanonicalAnswersTest, StoredInvalidUtf8IsReplacedNotThrown) {
  ProductInfo p = Prod(90, "BAD-\xff", "Bad \xe2\x82 name\t");
  ASSERT_TRUE(ledger.upsert_product(p).ok());
  Expect(R"({"op":"initial_stock","at":1,"workspace_id":1,"items":[{"product_id":90,"quantity":"1"}]})");
  Expect(R"({"op":"workspace_levels","workspace_id":1})");
  const json r = handle(ledger, json{{"op", "get_movement"}, {"id", 1}});
  ASSERT_TRUE(JsonOk(r));
  EXPECT_EQ(r["movement"]["product"]["sku"], "BAD-\xEF\xBF\xBD");
}

}  // namespace
}  // namespace stockroom::testing
