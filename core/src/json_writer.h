// Internal: a streaming JSON writer that appends straight into one
// std::string, so an answer costs no DOM (no node per value, no std::map per
// object, no second pass to serialize). Issue #6: the DOM made handle_json
// ~20x slower than the typed API.
//
// Byte-compatibility with the nlohmann dump the protocol used before is the
// caller's job in one respect: nlohmann's objects are std::maps, so their
// members came out in key order. Every writer of an answer therefore writes
// members in ascending key order (tests/core/json_writer_test.cc checks that
// each answer is already in nlohmann's canonical form).
#ifndef STOCKROOM_SRC_JSON_WRITER_H_
#define STOCKROOM_SRC_JSON_WRITER_H_

#include <charconv>
#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>

namespace stockroom {

/// Appends `text` as a JSON string (quotes included) exactly as nlohmann's
/// dump(-1, ' ', false, error_handler_t::replace) writes it: short escapes for
/// \b \t \n \f \r \" \\, \u00xx for other control characters, UTF-8 copied
/// as is, invalid UTF-8 replaced by U+FFFD. Never throws (but bad_alloc).
void append_json_string(std::string& out, std::string_view text);

/// Writes one JSON value into `out`. Separators are placed automatically:
/// call key() before each member of an object, nothing between array items.
/// The writer does not check nesting; the handlers' tests do.
class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  /// A member name: a literal of plain ASCII that needs no escaping.
  void key(std::string_view name) {
    separate();
    out_ += '"';
    out_ += name;
    out_ += "\":";
    need_comma_ = false;
  }

  /// A member name that may need escaping (an error's field path).
  void key_escaped(std::string_view name) {
    separate();
    append_json_string(out_, name);
    out_ += ':';
    need_comma_ = false;
  }

  template <std::integral T>
    requires(!std::same_as<T, bool>)
  void integer(T value) {
    separate();
    char buf[24];
    const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
    out_.append(buf, end);
    need_comma_ = true;
  }
  void string(std::string_view text) {
    separate();
    append_json_string(out_, text);
    need_comma_ = true;
  }
  void boolean(bool value) { literal(value ? "true" : "false"); }
  void null() { literal("null"); }

  /// Shorthands for a member: key(name) then the value.
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  void member(std::string_view name, T value) {
    key(name);
    integer(value);
  }
  void member(std::string_view name, std::string_view text) {
    key(name);
    string(text);
  }
  /// `null` when id is 0 (the protocol's "none"), else the id.
  void nullable_id(std::string_view name, std::int64_t id) {
    key(name);
    if (id == 0) {
      null();
    } else {
      integer(id);
    }
  }
  /// `null` when text is empty, else the string.
  void nullable_text(std::string_view name, std::string_view text) {
    key(name);
    if (text.empty()) {
      null();
    } else {
      string(text);
    }
  }

 private:
  void separate() {
    if (need_comma_) out_ += ',';
  }
  void open(char c) {
    separate();
    out_ += c;
    need_comma_ = false;
  }
  void close(char c) {
    out_ += c;
    need_comma_ = true;
  }
  void literal(std::string_view text) {
    separate();
    out_ += text;
    need_comma_ = true;
  }

  std::string& out_;
  bool need_comma_ = false;
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JSON_WRITER_H_
