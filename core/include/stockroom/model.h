// The vocabulary of the ledger: catalog facts registered by the host, the
// movement record, and the typed commands. Ids of products and workspaces are
// the host's (positive int64); movement ids are assigned by the ledger.
#ifndef STOCKROOM_MODEL_H_
#define STOCKROOM_MODEL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stockroom/clock_format.h"
#include "stockroom/decimal.h"

namespace stockroom {

using Id = std::int64_t;

/// Movement types and the sign their quantity takes.
enum class MovementType : std::uint8_t {
  kInitialStock,  ///< +, the first stock of a product in a workspace.
  kPurchase,      ///< +, stock received.
  kSale,          ///< -, an invoice line; + for the reversal of a voided sale.
  kTransferOut,   ///< -, the source leg of a transfer.
  kTransferIn,    ///< +, the destination leg of a transfer.
  kAdjustment,    ///< either sign, never zero; carries a reason.
};
inline constexpr int kMovementTypeCount = 6;

/// Reasons for adjustments; kNone for every other type.
enum class Reason : std::uint8_t { kNone, kDamaged, kLost, kFound, kRecount, kOther };

std::string_view movement_type_name(MovementType type);
std::optional<MovementType> parse_movement_type(std::string_view name);
std::string_view reason_name(Reason reason);  ///< "" for kNone.
std::optional<Reason> parse_reason(std::string_view name);  ///< Never kNone.

/// Who wrote a movement, as the host names them.
struct Actor {
  Id id = 0;  ///< 0 for system-made movements (created_by is then null).
  std::string name;
};

/// The earliest and latest time a movement can carry: about 1.1 million years
/// either side of the epoch. A record keeps its time in 56 bits beside its
/// type and flags; a command whose `at` is outside is refused.
inline constexpr Millis kLatestTime = (Millis{1} << 55) - 1;
inline constexpr Millis kEarliestTime = -kLatestTime;

/// Who did it and when: passed by the host with every command.
struct Context {
  Actor actor;
  Millis at = 0;  ///< From kEarliestTime to kLatestTime.
};

struct WorkspaceInfo {
  Id id = 0;
  std::string name;
  bool active = true;
};

struct ProductInfo {
  Id id = 0;
  std::string sku;
  std::string name;
  bool track_inventory = true;
  bool allow_negative_stock = false;
  int decimals = 2;  ///< 0 to 4: places accepted and printed for quantities.
  bool active = true;
};

/// One entry of the append-only ledger. Quantities and costs in raw units.
struct Movement {
  Id id = 0;
  MovementType type = MovementType::kAdjustment;
  Id product_id = 0;
  Id workspace_id = 0;  ///< The workspace whose level changed.
  Raw quantity = 0;     ///< Signed; never zero.
  Raw balance_after = 0;
  Id from_workspace_id = 0;  ///< 0 = null.
  Id to_workspace_id = 0;    ///< 0 = null.
  Reason reason = Reason::kNone;
  Id invoice_id = 0;                ///< 0 = null; sales only.
  std::optional<Raw> unit_cost;     ///< Purchases and initial stock.
  Id linked_movement_id = 0;        ///< 0 = null.
  Actor created_by;                 ///< id 0 = system.
  Millis created_at = 0;
  std::string reference;
  std::string notes;
};

/// A change of a per-workspace minimum that the host must persist.
struct MinimumChange {
  Id product_id = 0;
  Id workspace_id = 0;
  Raw minimum = 0;
};

// ---- Commands. Every command is validated whole before anything is applied.

struct InitialStockItem {
  Id product_id = 0;
  Raw quantity = 0;  ///< >= 0; zero writes no movement.
  std::optional<Raw> cost_per_unit;
  std::optional<Raw> minimum;
};
struct InitialStockCommand {
  Id workspace_id = 0;
  std::string reference;
  std::string notes;
  std::vector<InitialStockItem> items;  ///< 1 to 500.
};

struct AdjustItem {
  Id product_id = 0;
  Raw quantity = 0;  ///< Signed, not zero.
  Reason reason = Reason::kNone;
  std::string notes;
  std::optional<Raw> expected_quantity;  ///< Optimistic concurrency.
};
struct AdjustCommand {
  Id workspace_id = 0;
  std::string reference;
  std::vector<AdjustItem> items;  ///< 1 to 500, a product at most once.
};

struct TransferCommand {
  Id product_id = 0;
  Id from_workspace_id = 0;
  Id to_workspace_id = 0;
  Raw quantity = 0;  ///< > 0.
  std::string reference;
  std::string notes;
  std::optional<Raw> expected_quantity;  ///< Of the source level.
};

struct SaleLine {
  Id product_id = 0;
  Raw quantity = 0;  ///< > 0; a product's lines are summed.
};
struct SellCommand {
  Id workspace_id = 0;
  Id invoice_id = 0;
  std::string reference;
  std::vector<SaleLine> lines;  ///< 1 to 500.
};

struct VoidSaleCommand {
  Id invoice_id = 0;
  std::string notes;
};

struct PurchaseItem {
  Id product_id = 0;
  Raw quantity = 0;  ///< > 0.
  std::optional<Raw> unit_cost;
};
struct PurchaseCommand {
  Id workspace_id = 0;
  std::string reference;
  std::string notes;
  std::vector<PurchaseItem> items;  ///< 1 to 500.
};

struct CountItem {
  Id product_id = 0;
  Raw counted = 0;  ///< The absolute quantity found.
  std::string notes;
};
struct CountCommand {
  Id workspace_id = 0;
  std::string reference;
  std::vector<CountItem> items;  ///< 1 to 500, a product at most once.
};

struct SetMinimumCommand {
  Id product_id = 0;
  Id workspace_id = 0;
  Raw minimum = 0;  ///< >= 0.
};

/// What a successful command did: ids of the movements it wrote (in order)
/// and the minimums it changed.
struct CommandOutcome {
  std::vector<Id> movement_ids;
  std::vector<MinimumChange> minimums;
};

}  // namespace stockroom

#endif  // STOCKROOM_MODEL_H_
