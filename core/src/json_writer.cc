#include "json_writer.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "utf8.h"

namespace stockroom {
namespace {

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
