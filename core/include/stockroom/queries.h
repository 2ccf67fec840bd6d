// Typed read models: filters, pages, levels, low stock and the report.
#ifndef STOCKROOM_QUERIES_H_
#define STOCKROOM_QUERIES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "stockroom/model.h"

namespace stockroom {

/// Fields a movement list can be sorted on. created_at never decreases with
/// id in a ledger, so the two orders agree; ties are broken by id in the
/// same direction.
enum class SortField : std::uint8_t { kCreatedAt, kId, kQuantity };

struct Sort {
  SortField field = SortField::kCreatedAt;
  bool descending = true;
};

/// Bit for `type` in MovementFilter::types.
constexpr std::uint32_t type_bit(MovementType type) {
  return 1u << static_cast<unsigned>(type);
}
inline constexpr std::uint32_t kAllTypes = (1u << kMovementTypeCount) - 1;

/// Which movements a list or report covers. Unset members do not filter.
struct MovementFilter {
  std::optional<Id> workspace_id;  ///< Movements whose level is in it.
  std::optional<Id> product_id;
  std::uint32_t types = kAllTypes;  ///< A set of type_bit()s.
  std::optional<Reason> reason;
  std::optional<Millis> from;   ///< Inclusive lower bound on created_at.
  std::optional<Millis> until;  ///< Exclusive upper bound on created_at.
};

/// Page numbers start at 1; a page past the end is empty but `total` is true.
struct PageRequest {
  std::int64_t page = 1;
  std::int64_t per_page = 15;
  Sort sort;
};

struct MovementPage {
  std::vector<Movement> items;
  std::int64_t total = 0;
};

/// in_stock, low_stock (at or below a minimum above zero), out_of_stock
/// (zero or below): the rule of API.md section 3.
enum class StockStatus : std::uint8_t { kInStock, kLowStock, kOutOfStock };
std::string_view stock_status_name(StockStatus status);
StockStatus stock_status(Raw quantity, Raw minimum);

/// A product's level in one workspace.
struct LevelView {
  Id product_id = 0;
  Id workspace_id = 0;
  Raw quantity = 0;
  Raw minimum = 0;
  StockStatus status = StockStatus::kOutOfStock;
};

/// A product in every registered workspace (ordered by workspace id), with
/// the sum over all of them.
struct ProductStock {
  Id product_id = 0;
  std::vector<LevelView> levels;
  Raw total = 0;
};

/// A level at or below its (positive) minimum, or below zero.
struct LowStockEntry {
  LevelView level;
  Raw shortage = 0;  ///< minimum - quantity.
};

/// The audit summary of one product in one workspace over a date range.
/// closing == opening + net and net == in - out always hold.
struct ReportRow {
  Id product_id = 0;
  Id workspace_id = 0;
  Raw opening = 0;   ///< Level before the range starts.
  Raw quantity_in = 0;   ///< Sum of positive movements in the range.
  Raw quantity_out = 0;  ///< Sum of the magnitudes of negative ones.
  Raw net = 0;
  Raw closing = 0;   ///< Level at the end of the range.
  std::array<std::int64_t, kMovementTypeCount> counts{};  ///< By MovementType.
};

/// A level that verify() recomputed differently from the kept one.
struct LevelDifference {
  Id product_id = 0;
  Id workspace_id = 0;
  Raw kept = 0;
  Raw recomputed = 0;
};

}  // namespace stockroom

#endif  // STOCKROOM_QUERIES_H_
