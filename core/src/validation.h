// Internal: field checks shared by every command, collecting every error
// (not only the first) with its path, in the words the REST contract uses.
#ifndef STOCKROOM_SRC_VALIDATION_H_
#define STOCKROOM_SRC_VALIDATION_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ledger_state.h"

namespace stockroom {

/// Which values a quantity field admits.
enum class Sign { kPositive, kNonNegative, kNonZero, kAny };

/// "items.2.unit_cost" -> "unit cost": the words used in messages.
std::string field_label(const std::string& path);

/// Where a checked field is in its command: a name ("workspace_id") or an
/// item's field ("items.2.quantity"). It is written out as text only when a
/// check fails: the checks run on every item of every command, and building
/// each path (and its label) on success was a fifth of applying a command in
/// WebAssembly (bench/NOTES.md).
class FieldPath {
 public:
  // Implicit: a plain field name is a path.
  FieldPath(const char* name) : list_(name) {}  // NOLINT(google-explicit-constructor)
  FieldPath(const char* list, std::size_t index, const char* field)
      : list_(list), index_(index), field_(field) {}
  [[nodiscard]] std::string str() const;
  /// The field in words, for messages: "unit cost" (field_label).
  [[nodiscard]] std::string label() const { return field_label(str()); }

 private:
  const char* list_;
  std::size_t index_ = 0;
  const char* field_ = nullptr;  ///< nullptr: a plain name.
};

class Validator {
 public:
  /// Starts with the checks of the command's context: its time is one a
  /// record can hold (kEarliestTime to kLatestTime).
  Validator(const LedgerState& state, const Context& ctx);

  /// An existing, active workspace; kNoIndex (and an error) otherwise.
  Index workspace(const FieldPath& path, Id id);
  /// An existing product; kNoIndex (and an error) otherwise.
  Index product(const FieldPath& path, Id id);
  /// A quantity of `product` (its decimals; 4 when the product is unknown).
  void quantity(const FieldPath& path, Raw value, Index product, Sign sign);
  /// Money: at least zero, at most four places.
  void money(const FieldPath& path, Raw value);
  void text(const FieldPath& path, const std::string& value, std::size_t max_bytes);
  /// 1 to kMaxItems entries.
  bool count(const FieldPath& path, std::size_t n);
  void positive_id(const FieldPath& path, Id id);
  void add(const FieldPath& path, std::string message);

  [[nodiscard]] bool ok() const { return errors_.empty(); }
  [[nodiscard]] Error error() { return Error::fields_failed(std::move(errors_)); }

 private:
  const LedgerState& s_;
  std::vector<FieldError> errors_;
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_VALIDATION_H_
