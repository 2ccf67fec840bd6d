// Internal: the parser of request documents and the values it gives the handlers.
//
// A request is parsed into one flat array of values in document order, with no allocation per member:
// a string points into the request text unless it had escapes (then into one buffer the document
// owns), and a container is followed by its children, so reading one is a walk along the array.
// nlohmann's DOM, used before, allocated a map node per member and often a string per key and value,
// and its lexer appended strings a character at a time; parsing an 80-byte level_as_of request took
// 1.5 us natively and 2.8-3.2 us in WebAssembly, most of what handle_json cost (bench/NOTES.md).
//
// What it accepts is exactly what nlohmann::json::parse accepts (RFC 8259; UTF-8 checked; a leading
// UTF-8 byte order mark skipped; a NUL byte ends the document, text after it ignored; integers that
// overflow 64 bits read as floats; non-finite floats refused), and a repeated key reads as its last
// value, as nlohmann's map kept it. fuzz/json_request_fuzz.cc and tests/core/json_request_test.cc
// hold it to nlohmann on both counts.
#ifndef STOCKROOM_SRC_JSON_REQUEST_H_
#define STOCKROOM_SRC_JSON_REQUEST_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace stockroom {

/// One value of a parsed request (JsonDocument). Valid while its document and the request text live.
class JsonValue {
 public:
  enum class Kind : std::uint8_t {
    kNull,
    kBoolean,
    kInteger,   ///< A negative integer, or -0 (written with a minus sign).
    kUnsigned,  ///< A non-negative integer.
    kFloat,     ///< A number with a fraction or an exponent, or an integer beyond 64 bits.
    kString,
    kArray,
    kObject,
  };

  [[nodiscard]] Kind kind() const { return kind_; }
  [[nodiscard]] bool is_null() const { return kind_ == Kind::kNull; }
  [[nodiscard]] bool is_boolean() const { return kind_ == Kind::kBoolean; }
  /// An integer, with or without a sign (true for unsigned ones too, like nlohmann's).
  [[nodiscard]] bool is_number_integer() const {
    return kind_ == Kind::kInteger || kind_ == Kind::kUnsigned;
  }
  [[nodiscard]] bool is_number_unsigned() const { return kind_ == Kind::kUnsigned; }
  [[nodiscard]] bool is_number_float() const { return kind_ == Kind::kFloat; }
  [[nodiscard]] bool is_string() const { return kind_ == Kind::kString; }
  [[nodiscard]] bool is_array() const { return kind_ == Kind::kArray; }
  [[nodiscard]] bool is_object() const { return kind_ == Kind::kObject; }

  /// An integer's value as int64 (an unsigned one above INT64_MAX wraps, as a cast does); 0 for
  /// anything else.
  [[nodiscard]] std::int64_t as_int() const;
  /// An integer's value as uint64 (a negative one wraps, as a cast does); 0 for anything else.
  [[nodiscard]] std::uint64_t as_uint() const;
  /// A float's value; 0 for anything else.
  [[nodiscard]] double as_float() const { return kind_ == Kind::kFloat ? value_.f : 0; }
  [[nodiscard]] bool as_bool() const { return kind_ == Kind::kBoolean && value_.b; }
  /// A string's text (unescaped, valid UTF-8; may hold NUL bytes); empty for anything else.
  [[nodiscard]] std::string_view str() const {
    return kind_ == Kind::kString ? std::string_view(value_.s, size_) : std::string_view();
  }
  /// The key of a member of an object; empty for an element of an array or the document itself.
  [[nodiscard]] std::string_view key() const { return {key_, key_size_}; }
  /// Members of an object or elements of an array; 0 for anything else.
  [[nodiscard]] std::size_t size() const { return is_array() || is_object() ? size_ : 0; }

  /// The member named `key` of an object (the last one when the key repeats); nullptr when there is
  /// none or this is not an object.
  [[nodiscard]] const JsonValue* find(std::string_view key) const;

  /// The members of an object or the elements of an array, in document order.
  class Children {
   public:
    class Iterator {
     public:
      explicit Iterator(const JsonValue* at) : at_(at) {}
      const JsonValue& operator*() const { return *at_; }
      const JsonValue* operator->() const { return at_; }
      Iterator& operator++() {
        at_ += at_->span_;
        return *this;
      }
      bool operator!=(const Iterator& other) const { return at_ != other.at_; }

     private:
      const JsonValue* at_;
    };
    [[nodiscard]] Iterator begin() const { return Iterator(first_); }
    [[nodiscard]] Iterator end() const { return Iterator(end_); }

   private:
    friend class JsonValue;
    Children(const JsonValue* first, const JsonValue* end) : first_(first), end_(end) {}
    const JsonValue* first_;
    const JsonValue* end_;
  };
  [[nodiscard]] Children children() const {
    return is_array() || is_object() ? Children(this + 1, this + span_) : Children(this + 1, this + 1);
  }

 private:
  friend class JsonParser;
  Kind kind_ = Kind::kNull;
  std::uint32_t size_ = 0;  ///< A string's bytes, or a container's children.
  /// Values in this one's subtree, itself included: the next sibling is `this + span_`. While a
  /// container is being parsed, the index of the container it is in (the parser's stack).
  std::uint32_t span_ = 1;
  std::uint32_t key_size_ = 0;
  const char* key_ = "";
  union {
    std::int64_t i;
    std::uint64_t u;
    double f;
    bool b;
    const char* s;
  } value_{};
};

/// A parsed request: its values, in document order (the first is the document itself).
class JsonDocument {
 public:
  /// Parses `text` as one JSON value: false, and no values, when it is not one. Strings may point
  /// into `text`, which must outlive the document's values.
  bool parse(std::string_view text);
  /// The document's value (parse() must have succeeded).
  [[nodiscard]] const JsonValue& root() const { return values_.front(); }
  /// Forgets the values and, past `max_bytes` of either, gives their memory back: a document reused
  /// for request after request keeps only so much of what one large request made it take.
  void clear(std::size_t max_bytes);
  /// The memory the document holds for values and unescaped text, in bytes.
  [[nodiscard]] std::size_t held_bytes() const {
    return values_.capacity() * sizeof(JsonValue) + unescaped_.capacity();
  }

 private:
  friend class JsonParser;
  std::vector<JsonValue> values_;
  std::string unescaped_;  ///< Strings that had escapes, decoded (never reallocated while parsing).
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JSON_REQUEST_H_
