#include "validation.h"

#include "digits.h"
#include "join.h"

namespace stockroom {

std::string field_label(const std::string& path) {
  const std::size_t dot = path.rfind('.');
  std::string label = dot == std::string::npos ? path : path.substr(dot + 1);
  for (char& c : label) {
    if (c == '_') c = ' ';
  }
  return label;
}

std::string FieldPath::str() const {
  if (field_ == nullptr) return list_;
  char index[24];
  const char* end = write_integer(index, index_);
  return join({list_, ".", std::string_view(index, static_cast<std::size_t>(end - index)), ".", field_});
}

Validator::Validator(const LedgerState& state, const Context& ctx) : s_(state) {
  if (ctx.at < kEarliestTime || ctx.at > kLatestTime) {
    add("at", "The at must be a time within about a million years of 1970.");
  }
}

void Validator::add(const FieldPath& path, std::string message) {
  errors_.push_back({path.str(), std::move(message)});
}

Index Validator::workspace(const FieldPath& path, Id id) {
  const Index w = id > 0 ? s_.find_workspace(id) : kNoIndex;
  if (w == kNoIndex) {
    add(path, "The selected workspace is invalid.");
  } else if (!s_.workspaces[w].active) {
    add(path, "The selected workspace is inactive.");
    return kNoIndex;
  }
  return w;
}

Index Validator::product(const FieldPath& path, Id id) {
  const Index p = id > 0 ? s_.find_product(id) : kNoIndex;
  if (p == kNoIndex) add(path, "The selected product is invalid.");
  return p;
}

void Validator::quantity(const FieldPath& path, Raw value, Index product, Sign sign) {
  if (value > kMaxInputMagnitude || value < -kMaxInputMagnitude) {
    add(path, "The " + path.label() + " must not exceed 1000000000000 in magnitude.");
    return;
  }
  switch (sign) {
    case Sign::kPositive:
      if (value <= 0) return add(path, "The " + path.label() + " must be greater than 0.");
      break;
    case Sign::kNonNegative:
      if (value < 0) return add(path, "The " + path.label() + " must be at least 0.");
      break;
    case Sign::kNonZero:
      if (value == 0) return add(path, "The " + path.label() + " must not be zero.");
      break;
    case Sign::kAny:
      break;
  }
  const int places = product == kNoIndex ? kScalePlaces : s_.products[product].decimals;
  if (!fits_places(value, places)) {
    add(path, "The " + path.label() + " " + describe(DecimalError::kTooManyPlaces, places) + ".");
  }
}

void Validator::money(const FieldPath& path, Raw value) {
  if (value < 0) return add(path, "The " + path.label() + " must be at least 0.");
  if (value > kMaxInputMagnitude) {
    add(path, "The " + path.label() + " must not exceed 1000000000000 in magnitude.");
  }
}

void Validator::text(const FieldPath& path, const std::string& value, std::size_t max_bytes) {
  if (value.size() > max_bytes) {
    add(path, "The " + path.label() + " must not be greater than " +
                  std::to_string(max_bytes) + " characters.");
  }
}

bool Validator::count(const FieldPath& path, std::size_t n) {
  if (n == 0) {
    add(path, "The " + path.label() + " field must have at least 1 item.");
    return false;
  }
  if (n > kMaxItems) {
    add(path, "The " + path.label() + " field must not have more than " +
                  std::to_string(kMaxItems) + " items.");
    return false;
  }
  return true;
}

void Validator::positive_id(const FieldPath& path, Id id) {
  if (id <= 0) add(path, "The " + path.label() + " must be a positive integer.");
}

}  // namespace stockroom
