// Whether the request parser (core/src/json_request.h) read a text as nlohmann::json::parse does:
// shared by tests/core/json_request_test.cc and fuzz/json_request_fuzz.cc.
#ifndef STOCKROOM_TESTS_CORE_JSON_REQUEST_COMPARE_H_
#define STOCKROOM_TESTS_CORE_JSON_REQUEST_COMPARE_H_

#include <cstring>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "../../core/src/json_request.h"

namespace stockroom::testing {

/// The same value: kind for kind (a signed integer, an unsigned one and a float are three kinds, as
/// in nlohmann), the same numbers bit for bit, the same strings, elements in order, and for objects
/// the same keys, each with the value nlohmann kept (the last of a repeated key).
inline bool same_value(const JsonValue& ours, const nlohmann::json& theirs) {
  using Kind = JsonValue::Kind;
  switch (theirs.type()) {
    case nlohmann::json::value_t::null: return ours.kind() == Kind::kNull;
    case nlohmann::json::value_t::boolean:
      return ours.kind() == Kind::kBoolean && ours.as_bool() == theirs.get<bool>();
    case nlohmann::json::value_t::number_integer:
      return ours.kind() == Kind::kInteger && ours.as_int() == theirs.get<std::int64_t>();
    case nlohmann::json::value_t::number_unsigned:
      return ours.kind() == Kind::kUnsigned && ours.as_uint() == theirs.get<std::uint64_t>();
    case nlohmann::json::value_t::number_float: {
      if (ours.kind() != Kind::kFloat) return false;
      const double a = ours.as_float(), b = theirs.get<double>();
      return std::memcmp(&a, &b, sizeof a) == 0;
    }
    case nlohmann::json::value_t::string:
      return ours.kind() == Kind::kString && ours.str() == theirs.get_ref<const std::string&>();
    case nlohmann::json::value_t::array: {
      if (ours.kind() != Kind::kArray || ours.size() != theirs.size()) return false;
      std::size_t i = 0;
      for (const JsonValue& element : ours.children()) {
        if (!same_value(element, theirs[i++])) return false;
      }
      return true;
    }
    case nlohmann::json::value_t::object: {
      if (ours.kind() != Kind::kObject) return false;
      std::set<std::string_view> keys;
      for (const JsonValue& member : ours.children()) keys.insert(member.key());
      if (keys.size() != theirs.size()) return false;
      for (const auto& [key, value] : theirs.items()) {
        const JsonValue* mine = ours.find(key);
        if (mine == nullptr || !same_value(*mine, value)) return false;
      }
      return true;
    }
    default: return false;  // binary and discarded values never come out of parse()
  }
}

/// Whether both parsers accept `text` or both refuse it, and when they accept it, read the same value.
inline bool parses_like_nlohmann(std::string_view text) {
  JsonDocument doc;
  const bool ours = doc.parse(text);
  const nlohmann::json theirs = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (ours == theirs.is_discarded()) return false;
  return !ours || same_value(doc.root(), theirs);
}

}  // namespace stockroom::testing

#endif  // STOCKROOM_TESTS_CORE_JSON_REQUEST_COMPARE_H_
