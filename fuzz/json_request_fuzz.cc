// Fuzzes the request parser (core/src/json_request.h) against nlohmann::json::parse, whose rules it
// keeps: for every input both accept or both refuse, and an accepted one reads as the same value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "../tests/core/json_request_compare.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (!stockroom::testing::parses_like_nlohmann(text)) std::abort();
  return 0;
}
