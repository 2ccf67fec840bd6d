#include "stockroom/model.h"

#include <array>

#include "words.h"

namespace stockroom {
namespace {

constexpr std::array<std::string_view, kMovementTypeCount> kTypeNames = {
    "initial_stock", "purchase", "sale", "transfer_out", "transfer_in", "adjustment"};
constexpr std::array<std::string_view, 6> kReasonNames = {"",      "damaged", "lost",
                                                          "found", "recount", "other"};

}  // namespace

std::string_view movement_type_name(MovementType type) {
  return kTypeNames[static_cast<std::size_t>(type)];
}

std::optional<MovementType> parse_movement_type(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (equal_text(kTypeNames[i], name)) return static_cast<MovementType>(i);
  }
  return std::nullopt;
}

std::string_view reason_name(Reason reason) { return kReasonNames[static_cast<std::size_t>(reason)]; }

std::optional<Reason> parse_reason(std::string_view name) {
  for (std::size_t i = 1; i < kReasonNames.size(); ++i) {
    if (equal_text(kReasonNames[i], name)) return static_cast<Reason>(i);
  }
  return std::nullopt;
}

}  // namespace stockroom
