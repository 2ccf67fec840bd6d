// Fuzzes the decimal parser: whatever it accepts must format and parse back
// to the same value, stay within the input bounds, and respect the places.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "stockroom/decimal.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace stockroom;
  if (size == 0) return 0;
  const int places = data[0] % 6;  // 0..5: 5 is beyond the scale on purpose
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  const ParsedDecimal parsed = parse_decimal(text, places);
  if (parsed.error != DecimalError::kOk) return 0;
  if (parsed.value > kMaxInputMagnitude || parsed.value < -kMaxInputMagnitude) std::abort();
  if (!fits_places(parsed.value, places > 4 ? 4 : places)) std::abort();
  const std::string formatted = format_decimal(parsed.value, 4);
  const ParsedDecimal again = parse_decimal(formatted, 4);
  if (again.error != DecimalError::kOk || again.value != parsed.value) std::abort();
  const std::string money = format_money(parsed.value);
  const ParsedDecimal money_again = parse_decimal(money, 4);
  if (money_again.error != DecimalError::kOk || money_again.value != parsed.value) std::abort();
  return 0;
}
