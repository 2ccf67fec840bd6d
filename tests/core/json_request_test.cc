// The request parser (core/src/json_request.h): what it accepts and refuses, each case also held to
// nlohmann::json::parse (the parser the protocol used before, whose rules it keeps), the values it
// gives, and a seeded run of mutated documents that must all parse as nlohmann parses them.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "../../core/src/json_request.h"
#include "json_request_compare.h"
#include "stockroom/json_api.h"

namespace stockroom {
namespace {

using testing::parses_like_nlohmann;
using Kind = JsonValue::Kind;

bool accepts(std::string_view text) {
  JsonDocument doc;
  return doc.parse(text);
}

TEST(JsonRequest, AcceptsWhatNlohmannAccepts) {
  const std::vector<std::string> texts = {
      "{}", "[]", " \t\r\n{ } ", "0", "-0", "7", "\"\"", "true", "false", "null",
      R"({"op":"level_as_of","product_id":12,"workspace_id":3,"as_of":1767657599999})",
      R"({"a":[1,[2,[3,{}]],{"b":{"c":[]}}],"d":null})",
      "18446744073709551615", "18446744073709551616", "-9223372036854775808", "-9223372036854775809",
      "1.5", "-0.0", "1e3", "1E-2", "2.5e+10", "1e-400", "123456789012345678901234567890",
      R"("a\"b\\c\/d\b\f\n\r\t")", R"("\u00e9\u20AC\ud83d\ude00")", R"("\u0000x")",
      "\"caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF\"", "\xEF\xBB\xBF{\"bom\":1}",
      R"({"a":1,"a":2})", "\"\x7F\"",
      // A NUL byte where a token may start ends the document (nlohmann's rule): what follows is not read.
      std::string("{}\0 not json", 12), std::string("0\0\0", 3), std::string("1\0.5", 4),
  };
  for (const std::string& text : texts) {
    EXPECT_TRUE(accepts(text)) << text;
    EXPECT_TRUE(parses_like_nlohmann(text)) << text;
  }
}

TEST(JsonRequest, RefusesWhatNlohmannRefuses) {
  const std::vector<std::string> texts = {
      "", " ", "{", "}", "[1,]", "[,1]", R"({"a":1,})", R"({"a" 1})", "{1:2}", "{'a':1}", "[1 2]",
      "01", "-", "1.", ".5", "1e", "1e+", "+1", "-a", "tru", "nul", "True", "{} x", "[]]",
      R"("\x")", R"("\u12")", R"("\ud800")", R"("\udc00")", R"("\ud800\u0041")", R"("\ud800x")",
      "\"abc", "\"a\nb\"", std::string("\"a\0b\"", 5), "\"\xC0\x80\"", "\"\xED\xA0\x80\"",
      "\"\xF5\x80\x80\x80\"", "\"\xE2\x82\"", "\"\x80\"", "\"\xF4\x90\x80\x80\"", "1e400", "-1e400",
      "\xEF\xBB", "\xEF\xBB{}", "\xEF{}",
      std::string("\0{}", 3), std::string("[1\0]", 4), std::string("{\"a\0\":1}", 8),
      std::string("nu\0ll", 5),
  };
  for (const std::string& text : texts) {
    EXPECT_FALSE(accepts(text)) << text;
    EXPECT_TRUE(parses_like_nlohmann(text)) << text;
  }
}

TEST(JsonRequest, NumbersKeepNlohmannsKinds) {
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(R"([7,-7,-0,18446744073709551615,-9223372036854775808,18446744073709551616,2.5])"));
  std::vector<const JsonValue*> v;
  for (const JsonValue& e : doc.root().children()) v.push_back(&e);
  ASSERT_EQ(v.size(), 7u);
  EXPECT_EQ(v[0]->kind(), Kind::kUnsigned);
  EXPECT_EQ(v[0]->as_int(), 7);
  EXPECT_TRUE(v[0]->is_number_integer());
  EXPECT_EQ(v[1]->kind(), Kind::kInteger);
  EXPECT_EQ(v[1]->as_int(), -7);
  EXPECT_FALSE(v[1]->is_number_unsigned());
  EXPECT_EQ(v[2]->kind(), Kind::kInteger);
  EXPECT_EQ(v[2]->as_int(), 0);
  EXPECT_EQ(v[3]->as_uint(), UINT64_MAX);
  EXPECT_EQ(v[4]->as_int(), INT64_MIN);
  EXPECT_EQ(v[5]->kind(), Kind::kFloat);
  EXPECT_EQ(v[6]->as_float(), 2.5);
  EXPECT_EQ(v[6]->as_int(), 0);
}

TEST(JsonRequest, MembersAndStrings) {
  JsonDocument doc;
  const std::string text = R"({"a":{"x":[1,{"a":9}]},"b":"pl\u0061in","a":{"y":true},"c":"plain"})";
  ASSERT_TRUE(doc.parse(text));
  const JsonValue& root = doc.root();
  EXPECT_EQ(root.size(), 4u);
  // A repeated key reads as its last value; a nested member of the same name is not a member.
  const JsonValue* a = root.find("a");
  ASSERT_NE(a, nullptr);
  EXPECT_NE(a->find("y"), nullptr);
  EXPECT_EQ(a->find("x"), nullptr);
  EXPECT_EQ(root.find("x"), nullptr);
  EXPECT_EQ(root.find("b")->str(), "plain");
  // A string without escapes is the request's own bytes; one with escapes is decoded apart.
  const std::string_view c = root.find("c")->str();
  EXPECT_EQ(c, "plain");
  EXPECT_TRUE(c.data() >= text.data() && c.data() < text.data() + text.size());
  EXPECT_FALSE(root.find("b")->str().data() >= text.data() &&
               root.find("b")->str().data() < text.data() + text.size());
  std::vector<std::string> keys;
  for (const JsonValue& m : root.children()) keys.emplace_back(m.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"a", "b", "a", "c"}));
  EXPECT_EQ(root.find("c")->find("c"), nullptr);  // not an object
  EXPECT_EQ(root.find("c")->size(), 0u);
}

// handle_json reuses one document per thread: after a request of a megabyte with escapes, a document
// cleared keeps at most its limit of each kind (values, unescaped text), and the next parse is whole.
TEST(JsonRequest, AReusedDocumentGivesBackWhatALargeRequestTook) {
  JsonDocument doc;
  std::string big = R"({"notes":")";
  for (int i = 0; i < 100000; ++i) big += R"(line\tten\n)";
  big += R"(","items":[)";
  for (int i = 0; i < 10000; ++i) big += (i ? ",{\"q\":" : "{\"q\":") + std::to_string(i) + "}";
  big += "]}";
  ASSERT_TRUE(doc.parse(std::string_view(big)));
  EXPECT_GT(doc.held_bytes(), 1'000'000U);
  doc.clear(64 * 1024);
  EXPECT_LE(doc.held_bytes(), 2 * 64 * 1024U);
  ASSERT_TRUE(doc.parse(R"({"op":"stats","n":[1,2]})"));
  EXPECT_EQ(doc.root().find("op")->str(), "stats");
  EXPECT_EQ(doc.root().find("n")->size(), 2U);
  // and handle_json answers a request after a large bad one as if it came first
  Ledger ledger;
  EXPECT_NE(handle_json(ledger, big).find("\"ok\":false"), std::string::npos);
  EXPECT_NE(handle_json(ledger, R"({"op":"stats"})").find("\"ok\":true"), std::string::npos);
}

TEST(JsonRequest, DeepNestingIsOneLongDocument) {
  const std::string deep = std::string(100'000, '[') + std::string(100'000, ']');
  JsonDocument doc;
  ASSERT_TRUE(doc.parse(deep));
  EXPECT_EQ(doc.root().size(), 1u);
  EXPECT_FALSE(accepts(deep + "]"));
  EXPECT_FALSE(accepts(deep.substr(1)));
}

// Seeded mutations (a byte replaced by a JSON-significant one, inserted, or removed; a span cut out
// or repeated) of request-like documents: every one must parse, or fail, as nlohmann's does.
TEST(JsonRequest, MutatedDocumentsParseLikeNlohmann) {
  const std::vector<std::string> seeds = {
      R"({"op":"transfer","from_workspace_id":1,"to_workspace_id":2,"items":[{"product_id":5,"quantity":"2.50"}],"at":1767657599999,"actor":{"id":7,"name":"Zo\u00eb"}})",
      R"({"op":"report","filter":{"workspace_id":3,"type":["sale","purchase"],"start_date":"2026-01-03"},"per_page":1})",
      R"([-0,1e5,-12.5e-3,18446744073709551615,"\ud83d\ude00\n",true,false,null,{}])",
      "{\"caf\xC3\xA9\":\"\xE2\x82\xAC\",\"k\":[[[]]]}",
  };
  const std::string alphabet =
      "{}[]\",:\\u0123456789-+.eEtrufalsn \t\n\x80\xC3\xA9\xED\xF0\x9F\xEF\xBB\xBF" + std::string(1, '\0');
  std::mt19937 rng(20261127);
  int accepted = 0;
  for (int i = 0; i < 30'000; ++i) {
    std::string text = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const std::size_t at = rng() % text.size();
      const char c = alphabet[rng() % alphabet.size()];
      switch (rng() % 5) {
        case 0: text[at] = c; break;
        case 1: text.insert(at, 1, c); break;
        case 2: text.erase(at, 1); break;
        case 3: text.erase(at, rng() % 8); break;
        default: text.insert(at, text.substr(at, rng() % 8)); break;
      }
    }
    ASSERT_TRUE(parses_like_nlohmann(text)) << text;
    accepted += accepts(text) ? 1 : 0;
  }
  // Both outcomes were exercised.
  EXPECT_GT(accepted, 1'000);
  EXPECT_LT(accepted, 29'000);
}

TEST(JsonRequest, HandleJsonReadsEscapedAndRepeatedMembers) {
  Ledger ledger;
  const std::string answer = handle_json(ledger, R"({"op":"st\u0061ts","op":"stats"})");
  EXPECT_NE(answer.find("\"ok\":true"), std::string::npos) << answer;
  EXPECT_NE(handle_json(ledger, R"({"op":"stats","op":"nope"})").find(R"(Unknown op \"nope\")"),
            std::string::npos);
  EXPECT_NE(handle_json(ledger, "{\"op\":\"stats\"").find("not valid JSON"), std::string::npos);
}

}  // namespace
}  // namespace stockroom
