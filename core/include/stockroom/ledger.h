// The ledger of one organization: catalog facts, the append-only list of
// movements, the levels derived from them, and everything asked of them.
//
// Single-threaded and deterministic: no clock, no randomness, no I/O. The
// same calls in the same order give the same ids, levels and reports.
// Nothing here throws (allocation failure aside); failures are Error values.
#ifndef STOCKROOM_LEDGER_H_
#define STOCKROOM_LEDGER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stockroom/model.h"
#include "stockroom/queries.h"
#include "stockroom/status.h"

namespace stockroom {

/// The ledger's internal state (defined in the implementation).
struct LedgerState;

/// The empty success value of Result<Done>.
struct Done {};

/// A point the ledger can be rolled back to (see Ledger::checkpoint).
struct Checkpoint {
  std::size_t movements = 0;
  std::size_t minimum_changes = 0;
  std::size_t levels = 0;
  std::size_t texts = 0;
  std::size_t contexts = 0;
  /// Which checkpoint this is (0: the empty ledger), so that a mark of a
  /// history a rollback has abandoned is told apart.
  std::uint64_t serial = 0;
};

/// Commands accept at most this many items or lines.
inline constexpr std::size_t kMaxItems = 500;
/// Longest reference and notes accepted, in bytes.
inline constexpr std::size_t kMaxReference = 100;
inline constexpr std::size_t kMaxNotes = 500;

class Ledger {
 public:
  Ledger();
  ~Ledger();
  Ledger(Ledger&&) noexcept;
  Ledger& operator=(Ledger&&) noexcept;
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // ---- Catalog. Registration is not part of checkpoints: the host owns the
  // catalog and re-registers what its own store holds.

  /// The checks upsert_workspace / upsert_product make, without applying.
  [[nodiscard]] Result<Done> validate_workspace(const WorkspaceInfo& workspace) const;
  [[nodiscard]] Result<Done> validate_product(const ProductInfo& product) const;

  /// Adds or replaces a workspace. Errors: validation_failed (id <= 0, empty
  /// name).
  Result<Done> upsert_workspace(const WorkspaceInfo& workspace);
  /// Adds or replaces a product. Errors: validation_failed (id <= 0, decimals
  /// outside 0..4, or a change of decimals once the product has movements).
  Result<Done> upsert_product(const ProductInfo& product);
  /// Sets a minimum without a command (used when loading the host's store).
  Result<Done> load_minimum(const MinimumChange& minimum);

  [[nodiscard]] const ProductInfo* product(Id id) const;
  [[nodiscard]] const WorkspaceInfo* workspace(Id id) const;
  /// Registered workspaces, ordered by id.
  [[nodiscard]] std::vector<const WorkspaceInfo*> workspaces() const;

  // ---- Commands. Each validates everything first, then applies all of it.

  Result<CommandOutcome> initial_stock(const Context& ctx, const InitialStockCommand& cmd);
  Result<CommandOutcome> adjust(const Context& ctx, const AdjustCommand& cmd);
  Result<CommandOutcome> transfer(const Context& ctx, const TransferCommand& cmd);
  Result<CommandOutcome> sell(const Context& ctx, const SellCommand& cmd);
  Result<CommandOutcome> void_sale(const Context& ctx, const VoidSaleCommand& cmd);
  Result<CommandOutcome> purchase(const Context& ctx, const PurchaseCommand& cmd);
  Result<CommandOutcome> count(const Context& ctx, const CountCommand& cmd);
  Result<CommandOutcome> set_minimum(const Context& ctx, const SetMinimumCommand& cmd);

  // ---- Reads.

  [[nodiscard]] std::size_t movement_count() const;
  /// The movement with this id, or nullopt.
  [[nodiscard]] std::optional<Movement> movement(Id id) const;
  /// Current level and minimum (0 when never touched).
  [[nodiscard]] Raw level(Id product_id, Id workspace_id) const;
  [[nodiscard]] Raw minimum(Id product_id, Id workspace_id) const;
  /// The level after every movement with created_at < `before`.
  [[nodiscard]] Raw level_before(Id product_id, Id workspace_id, Millis before) const;

  /// A filtered, sorted page of movements.
  [[nodiscard]] MovementPage list_movements(const MovementFilter& filter,
                                            const PageRequest& page) const;
  /// The product in every workspace. Errors: not_found.
  [[nodiscard]] Result<ProductStock> product_stock(Id product_id) const;
  /// Every tracked product's level in a workspace that has been touched
  /// (a movement or a minimum), ordered by product id.
  [[nodiscard]] std::vector<LevelView> workspace_levels(Id workspace_id) const;
  /// Same, as of a time (levels before `before`; minimums are current).
  [[nodiscard]] std::vector<LevelView> workspace_levels_before(Id workspace_id,
                                                               Millis before) const;
  /// Low-stock entries of a workspace, largest shortage first (then product
  /// id). Untracked and inactive products are left out.
  [[nodiscard]] std::vector<LowStockEntry> low_stock(Id workspace_id) const;
  /// Report summary rows (product id order) for levels matching the filter's
  /// workspace and product, over [from, until). A level appears when it has a
  /// movement in the range or a non-zero opening balance. The type filter
  /// does not narrow the balances (closing must equal opening + net).
  [[nodiscard]] std::vector<ReportRow> report(const MovementFilter& filter) const;

  // ---- Host support.

  /// Marks the current state; rollback() returns to it exactly.
  [[nodiscard]] Checkpoint checkpoint();
  /// Undoes every command applied since `mark` (movements and minimums).
  /// A mark that is not of the ledger's current history is ignored: one from
  /// the future, or one taken after the mark of an earlier rollback (its
  /// branch is gone). Returns whether it rolled back.
  bool rollback(const Checkpoint& mark);
  /// Recomputes every level from the movements; empty when all agree.
  [[nodiscard]] std::vector<LevelDifference> verify() const;

  /// The movements with id > `after_id` in the journal form (journal.h).
  [[nodiscard]] std::string export_journal(Id after_id = 0) const;
  /// Appends journal lines without re-running the business rules (they were
  /// checked when first written); checks only that ids continue the ledger,
  /// that products and workspaces are registered and that fields parse.
  /// All or nothing. Returns the number of movements appended.
  Result<std::size_t> replay_journal(std::string_view journal);

 private:
  std::unique_ptr<LedgerState> s_;
};

}  // namespace stockroom

#endif  // STOCKROOM_LEDGER_H_
