#include "json_writer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace stockroom {
namespace {

// Length of the well-formed UTF-8 sequence at p (2 to 4 bytes), or 0 when it
// is not one. The rules are those of nlohmann's decoder (Hoehrmann's DFA): no
// overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t utf8_sequence(const unsigned char* p, std::size_t left) {
  const auto cont = [&](std::size_t k) { return k < left && (p[k] & 0xC0U) == 0x80U; };
  const unsigned c = p[0];
  if (c >= 0xC2 && c <= 0xDF) return cont(1) ? 2 : 0;
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
    if (c == 0xED && p[1] > 0x9F) return 0;  // surrogate
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (c == 0xF0 && p[1] < 0x90) return 0;  // overlong
    if (c == 0xF4 && p[1] > 0x8F) return 0;  // above U+10FFFF
    return 4;
  }
  return 0;
}

void append_escape(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789abcdef";
  switch (c) {
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    default: {
      const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4U], kHex[c & 0xFU]};
      out.append(u, sizeof u);
    }
  }
}

}  // namespace

void JsonWriter::grow(std::size_t bytes) {
  // At least doubled (out_ only grows while writing), so that growing and its
  // zero-filling cost O(1) per byte written.
  out_.resize(std::max(size_ + bytes, 2 * out_.size() + 256));
}

char* JsonWriter::spill_raw(const char* end, std::string_view text) {
  advance(end);
  raw(text);
  return room(kMaxPiece);
}

char* JsonWriter::spill_escaped(const char* end, std::string_view text) {
  advance(end);
  exact([&](std::string& out) { append_json_string(out, text); });
  return room(kMaxPiece);
}

void append_json_string(std::string& out, std::string_view text) {
  const std::size_t start = out.size();
  out += '"';
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t run = 0;  // start of the bytes not yet copied
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const std::size_t len = utf8_sequence(p + i, n - i);
      if (len == 0) {
        // Invalid UTF-8 (only a stored text can hold it; requests are parsed
        // as UTF-8). Rare, so let nlohmann write it: its replacement rules
        // (how many U+FFFD, which bytes are read again) stay exactly as before.
        out.resize(start);
        out += nlohmann::json(std::string(text)).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace);
        return;
      }
      i += len;
    } else if (c < 0x20 || c == '"' || c == '\\') {
      out.append(text.data() + run, i - run);
      append_escape(out, c);
      run = ++i;
    } else {
      ++i;
    }
  }
  out.append(text.data() + run, n - run);
  out += '"';
}

}  // namespace stockroom
