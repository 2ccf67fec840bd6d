// Internal: what well-formed UTF-8 is, for the request parser (json_request.cc), which refuses
// anything else, and the answer writer (json_writer.cc), which replaces it.
#ifndef STOCKROOM_SRC_UTF8_H_
#define STOCKROOM_SRC_UTF8_H_

#include <cstddef>

namespace stockroom {

/// Length of the well-formed UTF-8 sequence at p (2 to 4 bytes; `left` bytes readable), or 0 when
/// it is not one. The rules are RFC 3629's, as nlohmann's decoder (Hoehrmann's DFA) applies them: no
/// overlong forms, no surrogates, nothing above U+10FFFF.
inline std::size_t utf8_sequence(const unsigned char* p, std::size_t left) {
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

}  // namespace stockroom

#endif  // STOCKROOM_SRC_UTF8_H_
