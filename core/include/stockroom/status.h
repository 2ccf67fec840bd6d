// Errors as values. Nothing in the core throws across its API: every command
// returns either its result or an Error with a stable code.
#ifndef STOCKROOM_STATUS_H_
#define STOCKROOM_STATUS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "stockroom/decimal.h"

namespace stockroom {

/// Stable error codes. The string form (error_code_name) is what the JSON
/// boundary, the JS package and the REST service expose; hosts map each one
/// to their own error type or HTTP status, and tests prove none is missing.
enum class ErrorCode : std::uint8_t {
  kBadRequest,             ///< A core request that cannot be read (not JSON, no op).
  kValidationFailed,       ///< A field is missing, of the wrong type or out of range.
  kNotFound,               ///< The named resource does not exist in this ledger.
  kConflict,               ///< A state conflict, e.g. voiding a sale twice.
  kInsufficientStock,      ///< The level would go below zero where not allowed.
  kProductNotTracked,      ///< Inventory operation on a product without tracking.
  kInitialStockAlreadySet, ///< The product already has movements in the workspace.
  kStaleQuantity,          ///< An expected_quantity no longer matches the level.
};

/// Every code, in declaration order (for exhaustive mapping tests).
inline constexpr ErrorCode kAllErrorCodes[] = {
    ErrorCode::kBadRequest,        ErrorCode::kValidationFailed,
    ErrorCode::kNotFound,          ErrorCode::kConflict,
    ErrorCode::kInsufficientStock, ErrorCode::kProductNotTracked,
    ErrorCode::kInitialStockAlreadySet, ErrorCode::kStaleQuantity,
};

/// The stable snake_case name of a code, e.g. "insufficient_stock".
std::string_view error_code_name(ErrorCode code);

/// One invalid field: `field` is a dotted path such as "items.2.quantity".
struct FieldError {
  std::string field;
  std::string message;
};

/// Facts attached to kInsufficientStock (and kStaleQuantity): which level,
/// what it holds and what was asked. Quantities in raw units; `decimals` is
/// the product's, for formatting.
struct StockDetails {
  std::int64_t product_id = 0;
  std::int64_t workspace_id = 0;
  Raw available = 0;
  Raw requested = 0;
  int decimals = 2;
};

/// An error value: a code, a human sentence, and where relevant the field
/// errors (every bad field, not only the first) or the stock details.
struct Error {
  ErrorCode code = ErrorCode::kValidationFailed;
  std::string message;
  std::vector<FieldError> fields;
  std::optional<StockDetails> details;

  /// A validation error on one field; the message doubles as the headline.
  static Error field(std::string path, std::string message);
  /// A validation error over several fields; the headline is the first one's.
  static Error fields_failed(std::vector<FieldError> fields);
  static Error make(ErrorCode code, std::string message);
};

/// Either a value or an Error.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design
  [[nodiscard]] bool ok() const { return v_.index() == 0; }
  [[nodiscard]] const T& value() const { return std::get<0>(v_); }
  [[nodiscard]] T& value() { return std::get<0>(v_); }
  [[nodiscard]] const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace stockroom

#endif  // STOCKROOM_STATUS_H_
