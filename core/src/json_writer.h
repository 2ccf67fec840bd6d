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

#include <concepts>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "digits.h"
#include "stockroom/decimal.h"

// Forced inline in WebAssembly: there the optimizer left a member's pieces as
// calls, each passing its std::string_view through memory (the wasm32 ABI) and
// copying a name of constant length with a call to memcpy. Inlined, the
// length is a constant and the copy a few stores.
#if defined(__wasm__)
#define STOCKROOM_WRITER_INLINE __attribute__((always_inline))
#else
#define STOCKROOM_WRITER_INLINE
#endif

namespace stockroom {

/// Appends `text` as a JSON string (quotes included) exactly as nlohmann's
/// dump(-1, ' ', false, error_handler_t::replace) writes it: short escapes for
/// \b \t \n \f \r \" \\, \u00xx for other control characters, UTF-8 copied
/// as is, invalid UTF-8 replaced by U+FFFD. Never throws (but bad_alloc).
void append_json_string(std::string& out, std::string_view text);

/// Writes one JSON value into `out`. Separators are placed automatically:
/// call key() before each member of an object, nothing between array items.
/// The writer does not check nesting; the handlers' tests do.
///
/// Each piece (separator, quoted name, value) is written straight into the
/// output, which is kept ahead of the text: in WebAssembly every std::string
/// call is an out-of-line function (and its copy another), and a member
/// written as four appends cost more than the ledger's work for a report row.
class JsonWriter {
 public:
  /// Appends to `out`. While the writer works, `out` runs ahead of the text
  /// (finish() ends it there): read it only after finish() or the writer's end.
  explicit JsonWriter(std::string& out) : out_(out), at_(out.data() + out.size()), limit_(at_) {}
  ~JsonWriter() { finish(); }
  JsonWriter(const JsonWriter&) = delete;
  JsonWriter& operator=(const JsonWriter&) = delete;

  /// Ends `out` at the text written; nothing may be written after. Call it
  /// before `out` is read or moved while the writer still exists.
  void finish() {
    if (!finished_) out_.resize(written());
    finished_ = true;
  }

  /// Room for `bytes` more of output at once: a long answer whose size is known
  /// roughly (a report's rows) then grows its buffer once instead of doubling
  /// and copying everything written so far each time.
  void reserve_more(std::size_t bytes) { room(bytes); }

  STOCKROOM_WRITER_INLINE void begin_object() { open('{'); }
  STOCKROOM_WRITER_INLINE void end_object() { close('}'); }
  STOCKROOM_WRITER_INLINE void begin_array() { open('['); }
  STOCKROOM_WRITER_INLINE void end_array() { close(']'); }

  /// A member name: a literal of plain ASCII that needs no escaping.
  STOCKROOM_WRITER_INLINE void key(std::string_view name) {
    Piece piece{*this};
    piece.name(need_comma_, name);
    piece.flush();
    need_comma_ = false;
  }

  /// A member name that may need escaping (an error's field path).
  void key_escaped(std::string_view name) {
    separate();
    char* end = spill_escaped(room(0), name);
    *end++ = ':';
    advance(end);
    need_comma_ = false;
  }

  template <std::integral T>
    requires(!std::same_as<T, bool>)
  STOCKROOM_WRITER_INLINE void integer(T value) {
    Piece piece{*this};
    piece.separator(need_comma_);
    piece.integer(value);
    piece.flush();
    need_comma_ = true;
  }
  STOCKROOM_WRITER_INLINE void string(std::string_view text) {
    Piece piece{*this};
    piece.separator(need_comma_);
    piece.text(text);
    piece.flush();
    need_comma_ = true;
  }
  void boolean(bool value) { literal(value ? "true" : "false"); }
  void null() { literal("null"); }

  /// Shorthands for a member: key(name) then the value.
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  STOCKROOM_WRITER_INLINE void member(std::string_view name, T value) {
    Piece piece{*this};
    piece.name(need_comma_, name);
    piece.integer(value);
    piece.flush();
    need_comma_ = true;
  }
  /// A decimal member, as format_decimal writes it (a JSON string).
  STOCKROOM_WRITER_INLINE void decimal(std::string_view name, std::int64_t raw, int places) {
    Piece piece{*this};
    piece.name(need_comma_, name);
    piece.put('"');
    piece.end = write_decimal(piece.end, raw, places);
    piece.put('"');
    piece.flush();
    need_comma_ = true;
  }
  STOCKROOM_WRITER_INLINE void member(std::string_view name, std::string_view text) {
    Piece piece{*this};
    piece.name(need_comma_, name);
    piece.text(text);
    piece.flush();
    need_comma_ = true;
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
  /// What the protocol's answer helpers (json_codec.h) need to know about the
  /// answer this writer holds: whether write_ok() and write_error_document()
  /// write the `ok` member (not for an answer handed on without it, see
  /// handle_json_body), and whether an error document was written.
  struct Answer {
    bool ok_member = true;
    bool failed = false;
  };
  Answer& answer() { return answer_; }

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
  // One member's worth of output, written in place and counted by flush(): a
  // separator, a name, a value. A name or text longer than kMaxName is
  // appended on its own (flushing what came before it), so a piece needs room
  // for at most: ',' + '"' name '":' + the longest of a text, a decimal, an int.
  static constexpr std::size_t kMaxName = 64;
  static constexpr std::size_t kMaxPiece = 1 + (kMaxName + 3) + (kMaxName + kMaxDecimalChars + 2);
  struct Piece {
    STOCKROOM_WRITER_INLINE explicit Piece(JsonWriter& writer) : w(writer), end(writer.room(kMaxPiece)) {}
    JsonWriter& w;
    char* end;  ///< Into the writer's buffer, with room for one piece.
    STOCKROOM_WRITER_INLINE void put(char c) { *end++ = c; }
    STOCKROOM_WRITER_INLINE void separator(bool comma) {
      if (comma) put(',');
    }
    STOCKROOM_WRITER_INLINE void name(bool comma, std::string_view text) {
      separator(comma);
      put('"');
      if (text.size() > kMaxName) {
        end = w.spill_raw(end, text);
      } else {
        std::memcpy(end, text.data(), text.size());
        end += text.size();
      }
      put('"');
      put(':');
    }
    template <std::integral T>
    STOCKROOM_WRITER_INLINE void integer(T value) {
      // One digit without the loop: most of a report's counts by type are 0.
      if (value >= 0 && value < 10) {
        put(static_cast<char>('0' + value));
        return;
      }
      end = write_integer(end, value);  // 20 digits and a sign at most
    }
    // A JSON string: checked and copied in one pass here when short and
    // printable ASCII without '"' or '\\' (names, SKUs, decimals, statuses),
    // else written by append_json_string.
    STOCKROOM_WRITER_INLINE void text(std::string_view value) {
      if (value.size() <= kMaxName && copy_plain(value)) return;
      end = w.spill_escaped(end, value);
    }
    // Writes `value` quoted when every byte of it is plain; else writes
    // nothing and returns false. (A byte loop, not memcpy: in WebAssembly a
    // copy of unknown length is a call, longer than a name or SKU takes.)
    STOCKROOM_WRITER_INLINE bool copy_plain(std::string_view value) {
      char* out = end;
      *out++ = '"';
      for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u >= 0x7F || c == '"' || c == '\\') return false;
        *out++ = c;
      }
      *out++ = '"';
      end = out;
      return true;
    }
    STOCKROOM_WRITER_INLINE void flush() { w.advance(end); }
  };

  // The text goes straight into out_, which is kept longer than the text
  // (at_) so that a piece needs no std::string call at all. The writer keeps
  // its own pointers to out_'s buffer: in WebAssembly (libc++) every size()
  // and data() first tests whether the string is short.
  STOCKROOM_WRITER_INLINE char* room(std::size_t bytes) {
    if (static_cast<std::size_t>(limit_ - at_) < bytes) grow(bytes);
    return at_;
  }
  [[nodiscard]] std::size_t written() const { return static_cast<std::size_t>(at_ - out_.data()); }
  void grow(std::size_t bytes);
  // A piece's rare cases, out of line so that the inlined pieces stay small:
  // the piece up to `end` is kept, then a long name (raw) or a text that needs
  // escaping is appended, and the room of a new piece is returned.
  char* spill_raw(char* end, std::string_view text);
  char* spill_escaped(char* end, std::string_view text);
  char* replace_invalid(std::size_t start, std::string_view text);
  STOCKROOM_WRITER_INLINE void advance(char* end) { at_ = end; }
  void raw(std::string_view text) {
    char* p = room(text.size());
    std::memcpy(p, text.data(), text.size());
    advance(p + text.size());
  }
  STOCKROOM_WRITER_INLINE void put(char c) {
    char* p = room(1);
    *p = c;
    advance(p + 1);
  }
  STOCKROOM_WRITER_INLINE void separate() {
    if (need_comma_) put(',');
  }
  STOCKROOM_WRITER_INLINE void open(char c) {
    separate();
    put(c);
    need_comma_ = false;
  }
  STOCKROOM_WRITER_INLINE void close(char c) {
    put(c);
    need_comma_ = true;
  }
  void literal(std::string_view text) {
    separate();
    raw(text);
    need_comma_ = true;
  }

  std::string& out_;
  char* at_;     ///< Where the text ends, in out_'s buffer (which may run ahead of it).
  char* limit_;  ///< The end of out_'s buffer: out_.data() + out_.size().
  bool finished_ = false;
  bool need_comma_ = false;
  Answer answer_;
};

}  // namespace stockroom

#undef STOCKROOM_WRITER_INLINE

#endif  // STOCKROOM_SRC_JSON_WRITER_H_
