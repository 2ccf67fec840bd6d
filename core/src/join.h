// Internal: a text made of pieces in one allocation, for the messages built on a command's error
// path. A chain of operator+ grows the string once per piece or two, and in WebAssembly (libc++,
// dlmalloc) each growth is a malloc, a copy and a free: a refused sale's message and field path were a
// fifth of its time there (bench/NOTES.md, session 16).
#ifndef STOCKROOM_SRC_JOIN_H_
#define STOCKROOM_SRC_JOIN_H_

#include <initializer_list>
#include <string>
#include <string_view>

#include "stockroom/decimal.h"

namespace stockroom {

/// The pieces one after the other.
inline std::string join(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (const std::string_view piece : pieces) size += piece.size();
  std::string out;
  out.reserve(size);
  for (const std::string_view piece : pieces) out.append(piece);
  return out;
}

/// A decimal as format_decimal writes it, held on the stack for join().
class DecimalText {
 public:
  DecimalText(Raw value, int places) : end_(write_decimal(text_, value, places)) {}
  DecimalText(const DecimalText&) = delete;
  DecimalText& operator=(const DecimalText&) = delete;
  // NOLINTNEXTLINE(google-explicit-constructor): a piece of join()
  operator std::string_view() const { return {text_, static_cast<std::size_t>(end_ - text_)}; }

 private:
  char text_[kMaxDecimalChars];
  char* end_;
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JOIN_H_
