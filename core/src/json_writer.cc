#include "json_writer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "utf8.h"
#include "words.h"

namespace stockroom {
namespace {

// The most one input byte becomes ("\u00XX"); a chunk of input is escaped per room() check, so
// that room is taken in proportion to the text (a short name does not grow a small answer).
constexpr std::size_t kMaxEscaped = 6;
constexpr std::size_t kEscapeChunk = 4096;

// Writes the escape of `c` (a control character, '"' or '\\') at `dst`; returns its end.
char* put_escape(char* dst, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  char letter = 0;
  switch (c) {
    case '\b': letter = 'b'; break;
    case '\t': letter = 't'; break;
    case '\n': letter = 'n'; break;
    case '\f': letter = 'f'; break;
    case '\r': letter = 'r'; break;
    case '"': letter = '"'; break;
    case '\\': letter = '\\'; break;
    default: break;
  }
  *dst++ = '\\';
  if (letter != 0) {
    *dst++ = letter;
    return dst;
  }
  const char u[] = {'u', '0', '0', kHex[c >> 4U], kHex[c & 0xFU]};
  std::memcpy(dst, u, sizeof u);
  return dst + sizeof u;
}

}  // namespace

void JsonWriter::grow(std::size_t bytes) {
  // At least doubled (out_ only grows while writing), so that growing and its zero-filling cost O(1)
  // per byte written; but not past the capacity the string already has (write_answer reserves some)
  // while that is enough, since resizing within it moves nothing. (Doubling alone, 256 then 768 then
  // 1,792 bytes, outgrew a 1 KiB reserve for a 400-byte error answer, whose escaped message asks for
  // room for six times its length: a copy and a free. Taking the whole capacity at once zero-filled
  // 1 KiB for answers of a few dozen bytes.)
  const std::size_t used = written();
  const std::size_t needed = used + bytes;
  std::size_t size = std::max(needed, 2 * out_.size() + 256);
  if (size > out_.capacity() && needed <= out_.capacity()) size = out_.capacity();
  out_.resize(size);
  at_ = out_.data() + used;
  limit_ = out_.data() + out_.size();
}

char* JsonWriter::spill_raw(char* end, std::string_view text) {
  advance(end);
  raw(text);
  return room(kMaxPiece);
}

// Escaped straight into the output (no std::string call per escape): a command's answer carries its
// journal lines, some thirty tabs each, and escaping them through appends was a sixth of the answer.
char* JsonWriter::spill_escaped(char* end, std::string_view text) {
  advance(end);
  const std::size_t start = written();
  put('"');
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  while (i < n) {
    const std::size_t stop = std::min(n, i + kEscapeChunk);
    // A UTF-8 sequence that starts before `stop` may end up to 3 bytes after it.
    char* dst = room(kMaxEscaped * (stop - i) + 3);
    while (i < stop) {
      if (stop - i >= 8) {  // eight plain bytes copied at once, or the plain ones before a special
        const std::uint64_t specials = json_string_specials(load8(text.data() + i));
        const std::size_t plain = specials == 0 ? 8 : static_cast<std::size_t>(first_flagged(specials));
        std::memcpy(dst, p + i, 8);  // room: at least 6 bytes for each of the 8 left before `stop`
        dst += plain;
        i += plain;
        if (plain == 8) continue;
      }
      const unsigned char c = p[i];
      if (c >= 0x80) {
        const std::size_t len = utf8_sequence(p + i, n - i);
        if (len == 0) return replace_invalid(start, text);
        for (const std::size_t last = i + len; i < last; ++i) *dst++ = static_cast<char>(p[i]);
      } else if (c < 0x20 || c == '"' || c == '\\') {
        dst = put_escape(dst, c);
        ++i;
      } else {
        *dst++ = static_cast<char>(c);
        ++i;
      }
    }
    advance(dst);
  }
  put('"');
  return room(kMaxPiece);
}

// Invalid UTF-8 (only a stored text can hold it; requests are parsed as UTF-8). Rare, so nlohmann
// writes it: its replacement rules (how many U+FFFD, which bytes are read again) stay exactly as
// before. The text written from `start` on is dropped first.
char* JsonWriter::replace_invalid(std::size_t start, std::string_view text) {
  at_ = out_.data() + start;
  raw(nlohmann::json(std::string(text)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  return room(kMaxPiece);
}

void append_json_string(std::string& out, std::string_view text) {
  JsonWriter w(out);
  w.string(text);
}

}  // namespace stockroom
