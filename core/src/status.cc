#include "stockroom/status.h"

namespace stockroom {

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kBadRequest: return "bad_request";
    case ErrorCode::kValidationFailed: return "validation_failed";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kInsufficientStock: return "insufficient_stock";
    case ErrorCode::kProductNotTracked: return "product_not_tracked";
    case ErrorCode::kInitialStockAlreadySet: return "initial_stock_already_set";
    case ErrorCode::kStaleQuantity: return "stale_quantity";
  }
  return "unknown";
}

Error Error::field(std::string path, std::string message) {
  Error e;
  e.code = ErrorCode::kValidationFailed;
  e.message = message;
  e.fields.push_back({std::move(path), std::move(message)});
  return e;
}

Error Error::fields_failed(std::vector<FieldError> fields) {
  Error e;
  e.code = ErrorCode::kValidationFailed;
  e.message = fields.empty() ? "The given data was invalid." : fields.front().message;
  if (fields.size() > 1) {
    e.message += " (and " + std::to_string(fields.size() - 1) + " more error" +
                 (fields.size() > 2 ? "s)" : ")");
  }
  e.fields = std::move(fields);
  return e;
}

Error Error::make(ErrorCode code, std::string message) {
  Error e;
  e.code = code;
  e.message = std::move(message);
  return e;
}

}  // namespace stockroom
