// Internal: field checks shared by every command, collecting every error
// (not only the first) with its path, in the words the REST contract uses.
#ifndef STOCKROOM_SRC_VALIDATION_H_
#define STOCKROOM_SRC_VALIDATION_H_

#include <optional>
#include <string>
#include <vector>

#include "ledger_state.h"

namespace stockroom {

/// Which values a quantity field admits.
enum class Sign { kPositive, kNonNegative, kNonZero, kAny };

/// "items.2.unit_cost" -> "unit cost": the words used in messages.
std::string field_label(const std::string& path);

class Validator {
 public:
  explicit Validator(const LedgerState& state) : s_(state) {}

  /// An existing, active workspace; kNoIndex (and an error) otherwise.
  Index workspace(const std::string& path, Id id);
  /// An existing product; kNoIndex (and an error) otherwise.
  Index product(const std::string& path, Id id);
  /// A quantity of `product` (its decimals; 4 when the product is unknown).
  void quantity(const std::string& path, Raw value, Index product, Sign sign);
  /// Money: at least zero, at most four places.
  void money(const std::string& path, Raw value);
  void text(const std::string& path, const std::string& value, std::size_t max_bytes);
  /// 1 to kMaxItems entries.
  bool count(const std::string& path, std::size_t n);
  void positive_id(const std::string& path, Id id);
  void add(std::string path, std::string message);

  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] Error error() { return Error::fields_failed(std::move(errors_)); }

 private:
  const LedgerState& s_;
  std::vector<FieldError> errors_;
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_VALIDATION_H_
