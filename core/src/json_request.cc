#include "json_request.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "utf8.h"
#include "words.h"

namespace stockroom {

std::int64_t JsonValue::as_int() const {
  if (kind_ == Kind::kInteger) return value_.i;
  if (kind_ == Kind::kUnsigned) return static_cast<std::int64_t>(value_.u);
  return 0;
}

std::uint64_t JsonValue::as_uint() const {
  if (kind_ == Kind::kUnsigned) return value_.u;
  if (kind_ == Kind::kInteger) return static_cast<std::uint64_t>(value_.i);
  return 0;
}

const JsonValue* JsonValue::find(std::string_view key) const {
  if (kind_ != Kind::kObject) return nullptr;
  const JsonValue* found = nullptr;
  for (const JsonValue& member : children()) {
    if (equal_text(member.key(), key)) {
      found = &member;
    }
  }
  return found;
}

/// The parser: one pass, no recursion (a request nested 100,000 deep is only a long document), the
/// stack of open containers kept in their own span_ members.
class JsonParser {
 public:
  JsonParser(JsonDocument& doc, std::string_view text)
      : doc_(doc), text_size_(text.size()), p_(text.data()), end_(document_end(text)) {}

  bool run();

 private:
  static constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

  // Where the document ends: at the first NUL byte, as nlohmann reads a NUL where a token may start
  // as the end of the input. (Anywhere else a NUL is an error for both: in a string, a literal or an
  // escape, the text cut there is as wrong as the text with it.)
  static const char* document_end(std::string_view text) {
    return find_byte(text.data(), text.data() + text.size(), '\0');
  }

  void skip_space() {
    while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  bool next_is(char c) {
    skip_space();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    return true;
  }
  JsonValue& push(JsonValue::Kind kind);
  void close();
  bool scalar();
  bool member_key();
  bool plain_run();
  bool string(const char*& text, std::uint32_t& size);
  bool escape(std::string& out);
  bool hex4(std::uint32_t& code);
  bool number();
  bool literal(std::string_view word);

  JsonDocument& doc_;
  std::size_t text_size_;
  const char* p_;
  const char* end_;
  std::uint32_t open_ = kNone;  ///< The innermost container being parsed.
  const char* key_ = "";        ///< The key of the member whose value comes next.
  std::uint32_t key_size_ = 0;
};

JsonValue& JsonParser::push(JsonValue::Kind kind) {
  std::vector<JsonValue>& values = doc_.values_;
  bool member = false;  // of an object: it takes the key just read
  if (open_ != kNone) {
    JsonValue& parent = values[open_];  // (before emplace_back, which may move it)
    ++parent.size_;
    member = parent.kind_ == JsonValue::Kind::kObject;
  }
  JsonValue& v = values.emplace_back();
  v.kind_ = kind;
  if (member) {
    v.key_ = key_;
    v.key_size_ = key_size_;
  }
  return v;
}

void JsonParser::close() {
  std::vector<JsonValue>& values = doc_.values_;
  JsonValue& container = values[open_];
  const std::uint32_t parent = container.span_;
  container.span_ = static_cast<std::uint32_t>(values.size() - open_);
  open_ = parent;
}

bool JsonParser::run() {
  std::vector<JsonValue>& values = doc_.values_;
  // A UTF-8 byte order mark is skipped; any other text starting with its first byte is refused.
  if (p_ != end_ && static_cast<unsigned char>(*p_) == 0xEF) {
    if (end_ - p_ < 3 || static_cast<unsigned char>(p_[1]) != 0xBB ||
        static_cast<unsigned char>(p_[2]) != 0xBF) {
      return false;
    }
    p_ += 3;
  }
  for (;;) {
    // A value.
    skip_space();
    if (p_ == end_) return false;
    if (*p_ == '{' || *p_ == '[') {
      const bool object = *p_ == '{';
      ++p_;
      push(object ? JsonValue::Kind::kObject : JsonValue::Kind::kArray).span_ = open_;
      open_ = static_cast<std::uint32_t>(values.size() - 1);
      if (next_is(object ? '}' : ']')) {
        close();
      } else {
        if (object && !member_key()) return false;
        continue;
      }
    } else if (!scalar()) {
      return false;
    }
    // What follows a value: the end of the document, a comma, or the end of its container.
    for (;;) {
      skip_space();
      if (open_ == kNone) return p_ == end_;
      if (p_ == end_) return false;
      const bool object = values[open_].kind_ == JsonValue::Kind::kObject;
      if (*p_ == ',') {
        ++p_;
        if (object && !member_key()) return false;
        break;
      }
      if (*p_ != (object ? '}' : ']')) return false;
      ++p_;
      close();
    }
  }
}

bool JsonParser::member_key() {
  skip_space();
  if (p_ == end_ || *p_ != '"') return false;
  return string(key_, key_size_) && next_is(':');
}

bool JsonParser::scalar() {
  switch (*p_) {
    case '"': {
      JsonValue& v = push(JsonValue::Kind::kString);
      return string(v.value_.s, v.size_);
    }
    case 't':
      if (!literal("true")) return false;
      push(JsonValue::Kind::kBoolean).value_.b = true;
      return true;
    case 'f':
      if (!literal("false")) return false;
      push(JsonValue::Kind::kBoolean).value_.b = false;
      return true;
    case 'n':
      if (!literal("null")) return false;
      push(JsonValue::Kind::kNull);
      return true;
    default: return number();
  }
}

bool JsonParser::literal(std::string_view word) {
  if (static_cast<std::size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0) {
    return false;
  }
  p_ += word.size();
  return true;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

void append_utf8(std::string& out, std::uint32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

}  // namespace

// Moves p_ over plain string bytes (checked UTF-8, no control characters) up to a quote or a
// backslash: false at anything else, or at the end of the text.
bool JsonParser::plain_run() {
  while (p_ != end_) {
    if (end_ - p_ >= 8) {  // eight plain bytes at once, or the plain ones before a special
      const std::uint64_t specials = json_string_specials(load8(p_));
      if (specials == 0) {
        p_ += 8;
        continue;
      }
      p_ += first_flagged(specials);
    }
    const auto c = static_cast<unsigned char>(*p_);
    if (c == '"' || c == '\\') return true;
    if (c < 0x20) return false;
    if (c < 0x80) {
      ++p_;
      continue;
    }
    const auto* bytes = reinterpret_cast<const unsigned char*>(p_);
    const std::size_t n = utf8_sequence(bytes, static_cast<std::size_t>(end_ - p_));
    if (n == 0) return false;
    p_ += n;
  }
  return false;
}

// A string (p_ at its opening quote). Without escapes it is the request's own bytes; with them it is
// decoded into the document's buffer, reserved once at the request's size: a decoded string is never
// longer than its source, so the buffer never moves and earlier strings stay where they are.
bool JsonParser::string(const char*& text, std::uint32_t& size) {
  const char* run = ++p_;
  if (!plain_run()) return false;
  if (*p_ == '"') {
    text = run;
    size = static_cast<std::uint32_t>(p_++ - run);
    return true;
  }
  std::string& out = doc_.unescaped_;
  if (out.capacity() < text_size_) out.reserve(text_size_);
  const std::size_t first = out.size();
  do {
    out.append(run, p_);
    if (*p_ == '"') {
      ++p_;
      text = out.data() + first;
      size = static_cast<std::uint32_t>(out.size() - first);
      return true;
    }
    if (!escape(out)) return false;
    run = p_;
  } while (plain_run());
  return false;
}

// One escape (p_ at its backslash), decoded onto `out`.
bool JsonParser::escape(std::string& out) {
  if (++p_ == end_) return false;
  switch (*p_++) {
    case '"': out += '"'; return true;
    case '\\': out += '\\'; return true;
    case '/': out += '/'; return true;
    case 'b': out += '\b'; return true;
    case 'f': out += '\f'; return true;
    case 'n': out += '\n'; return true;
    case 'r': out += '\r'; return true;
    case 't': out += '\t'; return true;
    case 'u': {
      std::uint32_t code = 0;
      if (!hex4(code)) return false;
      if (code >= 0xDC00 && code <= 0xDFFF) return false;  // a low surrogate first
      if (code >= 0xD800 && code <= 0xDBFF) {               // must be followed by a low one
        std::uint32_t low = 0;
        if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
        p_ += 2;
        if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
      }
      append_utf8(out, code);
      return true;
    }
    default: return false;
  }
}

bool JsonParser::hex4(std::uint32_t& code) {
  if (end_ - p_ < 4) return false;
  for (int i = 0; i < 4; ++i) {
    const char c = *p_++;
    std::uint32_t digit = 0;
    if (is_digit(c)) {
      digit = static_cast<std::uint32_t>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<std::uint32_t>(c - 'a' + 10);
    } else if (c >= 'A' && c <= 'F') {
      digit = static_cast<std::uint32_t>(c - 'A' + 10);
    } else {
      return false;
    }
    code = code * 16 + digit;
  }
  return true;
}

// A number: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?. An integer is exact when it fits
// 64 bits (signed when it has a minus sign); otherwise, like any fraction or exponent, it is read as
// a double by strtod, and one that is not finite is refused (nlohmann's rules).
bool JsonParser::number() {
  const char* start = p_;
  const bool negative = *p_ == '-';
  if (negative) ++p_;
  if (p_ == end_ || !is_digit(*p_)) return false;
  std::uint64_t magnitude = 0;
  bool overflow = false;
  if (*p_ == '0') {
    ++p_;
  } else {
    for (; p_ != end_ && is_digit(*p_); ++p_) {
      const auto digit = static_cast<std::uint64_t>(*p_ - '0');
      if (magnitude > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) overflow = true;
      magnitude = magnitude * 10 + digit;
    }
  }
  bool integer = true;
  if (p_ != end_ && *p_ == '.') {
    integer = false;
    if (++p_ == end_ || !is_digit(*p_)) return false;
    while (p_ != end_ && is_digit(*p_)) ++p_;
  }
  if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
    integer = false;
    if (++p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ == end_ || !is_digit(*p_)) return false;
    while (p_ != end_ && is_digit(*p_)) ++p_;
  }
  constexpr auto kMinMagnitude = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + 1;
  if (integer && !overflow && (!negative || magnitude <= kMinMagnitude)) {
    if (negative) {
      // -magnitude computed in unsigned arithmetic: INT64_MIN has no positive counterpart.
      push(JsonValue::Kind::kInteger).value_.i = static_cast<std::int64_t>(0 - magnitude);
    } else {
      push(JsonValue::Kind::kUnsigned).value_.u = magnitude;
    }
    return true;
  }
  const std::string token(start, p_);  // strtod needs the terminating NUL
  const double value = std::strtod(token.c_str(), nullptr);
  if (!std::isfinite(value)) return false;
  push(JsonValue::Kind::kFloat).value_.f = value;
  return true;
}

void JsonDocument::clear(std::size_t max_bytes) {
  values_.clear();
  unescaped_.clear();
  if (values_.capacity() * sizeof(JsonValue) > max_bytes) std::vector<JsonValue>().swap(values_);
  if (unescaped_.capacity() > max_bytes) std::string().swap(unescaped_);
}

bool JsonDocument::parse(std::string_view text) {
  values_.clear();
  unescaped_.clear();
  // Requests are mostly a handful of members: room for them at once.
  values_.reserve(16);
  JsonParser parser(*this, text);
  if (parser.run()) return true;
  values_.clear();
  return false;
}

}  // namespace stockroom
