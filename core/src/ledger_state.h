// Internal: the ledger's data layout. Not part of the public API.
//
// Movements are kept as compact fixed-size records (64 bytes) in one vector;
// their id is their position + 1. Product, workspace, actor and text fields
// are small indexes into side tables, so a million movements take ~64 MB plus
// a 4-byte entry in two per-level / per-workspace index lists.
#ifndef STOCKROOM_SRC_LEDGER_STATE_H_
#define STOCKROOM_SRC_LEDGER_STATE_H_

#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flat_map.h"
#include "stockroom/ledger.h"

namespace stockroom {

using Index = std::uint32_t;
inline constexpr Index kNoIndex = std::numeric_limits<Index>::max();

/// One movement in 56 bytes. from/to workspaces are derived from the type:
/// transfers use `other_workspace`, sales set from = workspace, purchases
/// set to = workspace. The type, the reason, the cost flag and the other
/// workspace share one 32-bit word, which is what keeps a movement (with its
/// two 4-byte index entries) within 64 bytes.
struct Record {
  Raw quantity = 0;
  Raw balance_after = 0;
  Millis created_at = 0;
  Raw aux = 0;  ///< invoice id (sales) or unit cost (when has_cost()).
  Index product = 0;
  Index workspace = 0;
  std::uint32_t linked = 0;  ///< Movement id; 0 = none.
  Index actor = 0;           ///< Into LedgerState::actors; 0 is the system.
  Index text = 0;            ///< Into LedgerState::texts; 0 is (none, none).

  [[nodiscard]] MovementType type() const { return static_cast<MovementType>((packed_ >> 24) & 7u); }
  [[nodiscard]] Reason reason() const { return static_cast<Reason>((packed_ >> 27) & 7u); }
  [[nodiscard]] bool has_cost() const { return ((packed_ >> 30) & 1u) != 0; }
  [[nodiscard]] Index other_workspace() const {
    const std::uint32_t other = packed_ & kOtherMask;
    return other == kOtherMask ? kNoIndex : other;
  }
  void set_type(MovementType t) { put(24, 7u, static_cast<std::uint32_t>(t)); }
  void set_reason(Reason r) { put(27, 7u, static_cast<std::uint32_t>(r)); }
  void set_has_cost(bool c) { put(30, 1u, c ? 1u : 0u); }
  /// `w` must be below kMaxWorkspaces (or kNoIndex for none).
  void set_other_workspace(Index w) { put(0, kOtherMask, w == kNoIndex ? kOtherMask : w); }

  /// Workspaces a ledger can hold: the other-workspace field has 24 bits.
  static constexpr std::uint32_t kMaxWorkspaces = (1u << 24) - 1;

 private:
  static constexpr std::uint32_t kOtherMask = (1u << 24) - 1;
  void put(unsigned shift, std::uint32_t mask, std::uint32_t value) {
    packed_ = (packed_ & ~(mask << shift)) | ((value & mask) << shift);
  }
  std::uint32_t packed_ = kOtherMask | (static_cast<std::uint32_t>(MovementType::kAdjustment) << 24);
};
static_assert(sizeof(Record) == 56, "a movement record should stay at 56 bytes");

struct Level {
  Index product = 0;
  Index workspace = 0;
  Raw quantity = 0;
  Raw minimum = 0;
  std::vector<std::uint32_t> movements;  ///< Positions in State::records, ascending.
};

struct TextPair {
  std::string reference;
  std::string notes;
};

/// The sale movements of one invoice: a sell command writes them together,
/// so they are the contiguous positions [first, first + count).
struct InvoiceSales {
  std::uint32_t first = 0;
  std::uint32_t count = 0;
  bool voided = false;
};

struct MinimumUndo {
  Index level = 0;
  Raw previous = 0;
};

struct LedgerState {
  std::vector<ProductInfo> products;
  FlatMap<Index> product_index;
  std::vector<std::uint32_t> product_movement_count;  ///< By product index.
  std::vector<std::vector<Index>> product_levels;     ///< Level indexes by product.

  std::vector<WorkspaceInfo> workspaces;
  FlatMap<Index> workspace_index;
  std::vector<std::vector<Index>> workspace_levels;          ///< By workspace index.
  std::vector<std::vector<std::uint32_t>> workspace_records;  ///< Positions, ascending.

  std::vector<Level> levels;
  FlatMap<Index> level_index;

  std::vector<Record> records;
  std::vector<Actor> actors{Actor{}};
  std::unordered_map<std::string, Index> actor_index;  ///< Key: id + '\0' + name.
  std::vector<TextPair> texts{TextPair{}};

  FlatMap<InvoiceSales> invoices;

  std::vector<MinimumUndo> minimum_log;
  Millis last_time = 0;

  // ---- Helpers shared by the implementation files.
  static std::uint64_t level_key(Index product, Index workspace) {
    return (static_cast<std::uint64_t>(product) << 32) | workspace;
  }
  [[nodiscard]] Index find_product(Id id) const;
  [[nodiscard]] Index find_workspace(Id id) const;
  [[nodiscard]] Index find_level(Index product, Index workspace) const;
  Index ensure_level(Index product, Index workspace);
  /// The sales of an invoice, or nullptr.
  [[nodiscard]] const InvoiceSales* invoice(Id id) const {
    return invoices.find(static_cast<std::uint64_t>(id));
  }
  Index intern_actor(const Actor& actor);
  Index intern_text(const std::string& reference, const std::string& notes);
  /// Appends a record, updating its level (sets balance_after) and indexes.
  void append(Record record) { append_to(record, ensure_level(record.product, record.workspace)); }
  /// The same when the caller already holds the record's level index.
  void append_to(Record record, Index level);
  /// Removes the last record, undoing append().
  void pop();
  void set_minimum(Index level, Raw minimum);
  [[nodiscard]] Movement materialize(std::uint32_t position) const;
  [[nodiscard]] LevelView view(const Level& level) const;
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_LEDGER_STATE_H_
