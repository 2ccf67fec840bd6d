// Internal: the ledger's data layout. Not part of the public API.
//
// Movements are kept as compact fixed-size records (40 bytes) in one vector;
// their id is their position + 1. A record names its level (product x
// workspace) and its context (actor, texts, a transfer's other workspace:
// shared by many records) by small indexes into side tables; its
// linked movement is implicit for transfer legs (the other leg, adjacent) and
// kept in a sparse side table otherwise (voids). Besides the record, each
// movement costs a 4-byte entry in its level's position list and one in its
// workspace's, and each sale invoice an 8-byte entry (an append-only vector
// while invoice ids grow, a hash map for the others). A level's first five
// positions are kept in the level itself (position_list.h). Journal replay
// sizes the position lists exactly (a counting pass) instead of letting them
// double, the level lists it grows in one pool (PositionPool), and gives back
// the slack of the lists it cannot size in advance (LedgerState::compact).
// Levels are found through a per-product list sorted by workspace (no global
// hash table: memory stays proportional to the levels that exist).
#ifndef STOCKROOM_SRC_LEDGER_STATE_H_
#define STOCKROOM_SRC_LEDGER_STATE_H_

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "flat_map.h"
#include "huge_page_allocator.h"
#include "huge_pages.h"
#include "mark_lineage.h"
#include "position_list.h"
#include "text_store.h"
#include "stockroom/ledger.h"

namespace stockroom {

using Index = std::uint32_t;
inline constexpr Index kNoIndex = std::numeric_limits<Index>::max();

/// A host id (product, workspace) -> its index. Hosts mostly use database
/// keys, small and dense: those ids are answered by a plain array (one load,
/// no hashing; replay looks one product and one or two workspaces up per
/// line). The array covers ids below a few times the count; every id is also
/// in a hash map, which answers for the ids beyond the array.
class IdIndex {
 public:
  [[nodiscard]] Index find(Id id) const {
    if (id >= 0 && static_cast<std::uint64_t>(id) < direct_.size()) {
      return direct_[static_cast<std::size_t>(id)];
    }
    const Index* i = all_.find(static_cast<std::uint64_t>(id));
    return i == nullptr ? kNoIndex : *i;
  }
  /// Adds `id` (not present yet).
  void add(Id id, Index index);

 private:
  std::vector<Index> direct_;  ///< By id; kNoIndex where none.
  FlatMap<Index> all_;
};

/// Workspaces a ledger can hold: a level keeps its workspace in 30 bits.
inline constexpr Index kMaxWorkspaces = (1u << 30) - 1;

/// One movement in 40 bytes. from/to workspaces are derived from the type:
/// transfers take the other workspace from their context, sales set from =
/// workspace, purchases set to = workspace. The time shares one 64-bit word
/// with the type, the reason, the cost flag and the link flag.
struct Record {
  // What a report reads of every movement (level, time and type, quantity) is the first 24 bytes.
  Index level = 0;    ///< Into LedgerState::levels: the product and workspace.
  Index context = 0;  ///< Into LedgerState::contexts: the actor, the texts, the other workspace.

 private:
  // Bits 0-2 the type, 3-5 the reason, 6 the cost flag, 7 the link flag; the time above them.
  std::uint64_t stamp_ = static_cast<std::uint64_t>(MovementType::kAdjustment);

 public:
  Raw quantity = 0;
  Raw balance_after = 0;
  Raw aux = 0;  ///< invoice id (sales) or unit cost (when has_cost()).

  [[nodiscard]] MovementType type() const { return static_cast<MovementType>(stamp_ & 7u); }
  [[nodiscard]] Reason reason() const { return static_cast<Reason>((stamp_ >> 3) & 7u); }
  [[nodiscard]] bool has_cost() const { return ((stamp_ >> 6) & 1u) != 0; }
  /// Whether the linked movement id is in LedgerState::links (otherwise it is
  /// default_link()).
  [[nodiscard]] bool has_link_entry() const { return ((stamp_ >> 7) & 1u) != 0; }
  /// The time (an arithmetic shift brings back its sign).
  [[nodiscard]] Millis created_at() const { return static_cast<Millis>(stamp_) >> kTimeShift; }
  void set_type(MovementType t) { put(0, 7u, static_cast<std::uint64_t>(t)); }
  void set_reason(Reason r) { put(3, 7u, static_cast<std::uint64_t>(r)); }
  void set_has_cost(bool c) { put(6, 1u, c ? 1u : 0u); }
  void set_has_link_entry(bool l) { put(7, 1u, l ? 1u : 0u); }
  /// `at` must be from kEarliestTime to kLatestTime.
  void set_created_at(Millis at) {
    stamp_ = (static_cast<std::uint64_t>(at) << kTimeShift) | (stamp_ & kFlagsMask);
  }

  /// The linked movement id a record at `position` has without an entry in
  /// LedgerState::links: a transfer's legs are written together, out then in,
  /// and link to each other; nothing else links by default.
  [[nodiscard]] std::uint32_t default_link(std::uint32_t position) const {
    switch (type()) {
      case MovementType::kTransferOut: return position + 2;
      case MovementType::kTransferIn: return position;
      default: return 0;
    }
  }

 private:
  static constexpr unsigned kTimeShift = 8;
  static constexpr std::uint64_t kFlagsMask = (std::uint64_t{1} << kTimeShift) - 1;
  static_assert(kLatestTime >> (63 - kTimeShift) == 0, "the latest time must fit beside the flags");
  void put(unsigned shift, std::uint64_t mask, std::uint64_t value) {
    stamp_ = (stamp_ & ~(mask << shift)) | ((value & mask) << shift);
  }
};
static_assert(sizeof(Record) == 40, "a movement record should stay at 40 bytes");

/// What records share: who wrote them, their texts and, for a transfer leg,
/// the other workspace. Commands without texts by one actor between the same
/// workspaces all share one context; the items of a command share theirs.
/// Keeping them here instead of in every record made a record 40 bytes instead of 48.
struct MovementContext {
  Index actor = 0;                    ///< Into LedgerState::actors; 0 is the system.
  Index text = 0;                     ///< Into LedgerState::texts; 0 is (none, none).
  Index other_workspace = kNoIndex;  ///< A transfer leg's other workspace; kNoIndex otherwise.
  bool operator==(const MovementContext&) const = default;
};

/// A product's stock in one workspace. Its minimum, when it has one, is in
/// LedgerState::minimums: most levels never get one (the 1M benchmark ledger
/// has 10k minimums over 181k levels), and 8 bytes in each level were 1.45 of
/// the 64 bytes a movement may cost.
struct Level {
  Index product = 0;
  Index workspace : 30 = 0;  ///< Below kMaxWorkspaces.
  /// Whether LedgerState::minimums holds a minimum for this level: a query
  /// over a workspace's levels looks up only those that have one.
  Index has_minimum : 1 = 0;
  /// Whether the level is in LedgerState::watched (its workspace's list).
  Index watched : 1 = 0;
  Raw quantity = 0;
  PositionList movements;  ///< Positions in State::records, ascending.
};
static_assert(sizeof(Level) == 40, "a level should stay at 40 bytes");

/// The sale movements of one invoice: a sell command writes them together,
/// so they are the contiguous positions [first, first + count).
struct InvoiceSales {
  std::uint32_t first = 0;
  std::uint32_t count : 31 = 0;
  std::uint32_t voided : 1 = 0;
};
static_assert(sizeof(InvoiceSales) == 8);

/// Invoice id -> its sales. Hosts usually number invoices upwards, so ids
/// above every earlier one go to an append-only vector sorted by id, and any
/// other id goes to a hash map. Every id in the map is below the vector's last
/// id, and entries are only ever removed last-in first-out (rollback), which
/// keeps both true. A vector entry is 8 bytes: it does not keep its id, which
/// is its first sale's `aux` (1.45 bytes a movement in the 1M benchmark
/// ledger). Adding an id above the others and finding the last invoice read
/// one recent record; finding an older invoice in the vector (a void, a sale
/// under an id out of order) is a binary search that reads a record per step.
/// Every method takes the ledger's records for those ids; an entry's first
/// sale is in them from add() until erase().
class InvoiceIndex {
 public:
  using Records = LargeVector<Record>;
  [[nodiscard]] const InvoiceSales* find(Id id, const Records& records) const;
  InvoiceSales* find(Id id, const Records& records) {
    return const_cast<InvoiceSales*>(std::as_const(*this).find(id, records));
  }
  /// Adds `id` (not present) with no sales yet, starting at `first`, the
  /// position of its first sale (already in `records`).
  InvoiceSales& add(Id id, std::uint32_t first, const Records& records);
  /// Removes `id`, the most recently added invoice still present.
  void erase(Id id, const Records& records);
  [[nodiscard]] std::size_t size() const { return ascending_.size() + others_.size(); }
  /// Gives back the vector's spare capacity when it is large (after a replay,
  /// which cannot size it in advance).
  void compact() { give_back_slack(ascending_); }

 private:
  [[nodiscard]] static Id id_of(const InvoiceSales& sales, const Records& records) {
    return records[sales.first].aux;
  }
  [[nodiscard]] Id last_id(const Records& records) const { return id_of(ascending_.back(), records); }

  LargeVector<InvoiceSales> ascending_;
  FlatMap<InvoiceSales> others_;
};

/// A level of a product, in LedgerState::product_levels (sorted by workspace).
struct LevelRef {
  Index workspace = 0;
  Index level = 0;
};

struct MinimumUndo {
  Index level = 0;
  Raw previous = 0;
};

/// Gives a PositionPool's room back to the allocator it came from.
struct ReleasePositionRoom {
  std::size_t size = 0;
  void operator()(std::uint32_t* room) const noexcept { HugePageAllocator<std::uint32_t>().deallocate(room, size); }
};

/// Room journal replay lends to the position lists it fills, its levels' and its workspaces'
/// (PositionList::adopt): one allocation on huge pages per replay instead of a heap block per list
/// (at 10M movements, 200k blocks and most of the page faults left in a replay). The lists that
/// later outgrow their room leave it unused until the ledger goes (at most the 8 bytes a movement
/// of the replay that lent it, when both of its lists move).
struct PositionPool {
  std::size_t first_record = 0;  ///< The positions of records from here on went into it.
  std::unique_ptr<std::uint32_t[], ReleasePositionRoom> room;
  std::size_t size = 0;
};

struct LedgerState {
  std::vector<ProductInfo> products;
  /// Whether `products` is in ascending id order (hosts usually number their
  /// products upwards and register them in that order): a product's index
  /// then orders it like its id. Products are only ever appended.
  bool products_by_id = true;
  IdIndex product_index;
  std::vector<std::uint32_t> product_movement_count;  ///< By product index.
  std::vector<std::vector<LevelRef>> product_levels;  ///< By product; sorted by workspace.

  std::vector<WorkspaceInfo> workspaces;
  IdIndex workspace_index;
  /// The workspaces' indices in ascending id order (the order product stock and workspaces() list
  /// them in), and each workspace's place in it (by index). Kept as workspaces are added, which is
  /// rare, so that no query sorts them.
  std::vector<Index> workspaces_by_id;
  std::vector<Index> workspace_rank;
  std::vector<std::vector<Index>> workspace_levels;          ///< By workspace, creation order.
  std::vector<PositionList> workspace_records;  ///< Positions, ascending.
  /// By workspace: the levels low stock reads. Every level that has a minimum
  /// or is below zero is in its workspace's list (Level::watched marks them).
  /// Low stock then reads the few levels that can be low instead of all of a
  /// workspace's (the 1M benchmark ledger: 500 of 9,000). A level that stops
  /// being either stays in the list until more than half of the list has: the
  /// list is then compacted, so levels that dip below zero and come back do
  /// not fill it for good (at most twice the levels that can be low, roughly).
  std::vector<std::vector<Index>> watched;
  std::vector<std::uint32_t> stale_watched;  ///< By workspace: levels that stopped, roughly.
  /// By workspace: no minimum of its levels is above this, the largest one ever set there (a minimum
  /// lowered, removed or rolled back leaves it: it only gets looser). A watched level above it is not
  /// low, and low stock skips it without looking its minimum up.
  std::vector<Raw> minimum_bound;

  LargeVector<Level> levels;
  std::vector<PositionPool> position_pools;  ///< In the order they were lent (first_record ascending).

  LargeVector<Record> records;
  /// Linked movement ids that are not their record's default_link(), by
  /// position (sale reversals; any link a replayed journal carries).
  FlatMap<std::uint32_t> links;
  std::vector<Actor> actors{Actor{}};
  std::unordered_map<std::string, Index> actor_index;  ///< Key: id + '\0' + name.
  Index last_actor = 0;  ///< The actor intern_actor() found last (actors are never removed).
  TextStore texts;
  LargeVector<MovementContext> contexts;
  /// The contexts without texts (the ones records share most), keyed by
  /// bare_context_key(); a context with texts is shared by the records written
  /// right after it (a command's items, a journal's lines of one command).
  FlatMap<Index> bare_contexts;

  InvoiceIndex invoices;

  /// The minimums above zero, keyed by minimum_key() (a level's index would
  /// not do: view() and the queries hold the level, not its index).
  FlatMap<Raw> minimums;
  std::vector<MinimumUndo> minimum_log;
  MarkLineage marks;  ///< Which checkpoints rollback() accepts.
  Millis last_time = 0;

  // ---- Helpers shared by the implementation files.
  [[nodiscard]] Index find_product(Id id) const;
  [[nodiscard]] Index find_workspace(Id id) const;
  [[nodiscard]] Index find_level(Index product, Index workspace) const;
  Index ensure_level(Index product, Index workspace);
  /// The sales of an invoice, or nullptr.
  [[nodiscard]] const InvoiceSales* invoice(Id id) const { return invoices.find(id, records); }
  Index intern_actor(const Actor& actor);
  Index intern_text(std::string_view reference, std::string_view notes);
  /// The index of a context equal to `context`, added if there is none to share.
  /// Inline: replay asks once a line, and nearly always finds one.
  Index intern_context(const MovementContext& context) {
    if (!contexts.empty() && contexts.back() == context) return static_cast<Index>(contexts.size() - 1);
    if (context.text == 0) {
      if (const Index* shared = bare_contexts.find(bare_context_key(context))) return *shared;
    }
    return add_context(context);
  }
  /// Appends `context` (not shared yet), recording it in bare_contexts when it has no texts.
  Index add_context(const MovementContext& context);
  [[nodiscard]] static std::uint64_t bare_context_key(const MovementContext& context) {
    return (std::uint64_t{context.actor} << 32) | context.other_workspace;
  }
  /// Removes the contexts added after the first `count`, undoing intern_context().
  void truncate_contexts(std::size_t count);
  /// Appends a record (its level set), updating the level (sets
  /// balance_after), the position lists, the product's count and the invoice;
  /// `linked` is the movement id it links to (0 = none).
  void append(Record record, std::uint32_t linked);
  /// The part of append() that does not touch the level: the link, the
  /// invoice, the time. Journal replay counts the product's movements as it
  /// parses, then settles levels and balances (ReplayLevels) and the position
  /// lists (index_positions) in bulk before anything else reads or changes
  /// the ledger.
  void append_unsettled(const Record& record, std::uint32_t linked);
  /// Adds the positions of records [from, end) to their level's and
  /// workspace's lists, each list grown once to its exact new size (the
  /// level lists that grow, into room lent by one new PositionPool).
  /// `per_level`, when not empty, is how many of those records each level
  /// has (ReplayLevels counts them as it settles); otherwise they are
  /// counted here, in a pass of their own over the records.
  void index_positions(std::size_t from, std::vector<std::uint32_t> per_level = {});
  /// By level, how many of records [from, end) it has.
  [[nodiscard]] std::vector<std::uint32_t> records_per_level(std::size_t from) const;
  /// After a rollback to `records` records: frees the pools lent for records
  /// from there on, moving the lists that still borrow from them to room of
  /// their own first (they hold positions from before the pool).
  void drop_position_pools(std::size_t records);
  /// Gives back the spare capacity of the lists a replay cannot size in
  /// advance (levels, each product's and workspace's level list, invoices)
  /// where it is more than an eighth: for a replay that built most of the
  /// ledger, whose lists then hold for good what their last growth reserved.
  void compact();
  /// Removes the last record, undoing append().
  void pop();
  /// Sets a level's minimum as a command does: the previous one goes to
  /// minimum_log for rollback.
  void set_minimum(Index level, Raw minimum);
  /// Sets a level's minimum without the undo log (loading, rollback); zero
  /// removes it.
  void put_minimum(Index level, Raw minimum);
  /// Adds a level to its workspace's watched list unless it is there.
  void watch(Index level);
  /// After a level's quantity changed from `before`: watches it below zero, or
  /// counts it as stale when it is back at zero or above without a minimum.
  /// Inline: every movement asks, and almost always neither side is below zero.
  void rewatch(Index index, Raw before) {
    const Level& level = levels[index];
    if (level.quantity < 0) {
      watch(index);
    } else if (before < 0 && level.has_minimum == 0) {
      unwatch_later(level.workspace);
    }
  }
  /// Counts one level of `workspace` that stopped being low-able; compacts the
  /// list when those are more than half of it.
  void unwatch_later(Index workspace);
  [[nodiscard]] Raw minimum_of(const Level& level) const {
    return level.has_minimum != 0 ? *minimums.find(minimum_key(level)) : 0;
  }
  [[nodiscard]] static std::uint64_t minimum_key(const Level& level) {
    return (std::uint64_t{level.product} << 32) | level.workspace;
  }
  /// The linked movement id of the record at `position` (0 = none).
  [[nodiscard]] std::uint32_t linked(std::uint32_t position) const;
  [[nodiscard]] Movement materialize(std::uint32_t position) const;
  /// materialize() without its texts: the actor's name, reference and notes
  /// stay empty (copying them is an allocation each in WebAssembly, whose
  /// strings keep at most 10 bytes in place), for a caller that reads them
  /// from actors[] and texts[] (through contexts[]) where they are.
  [[nodiscard]] Movement materialize_numbers(std::uint32_t position) const;
  [[nodiscard]] LevelView view(const Level& level) const { return view(level, minimum_of(level)); }
  /// The same, for a caller that has read the level's minimum already.
  [[nodiscard]] LevelView view(const Level& level, Raw minimum) const {
    return {products[level.product].id, workspaces[level.workspace].id, level.quantity, minimum,
            stock_status(level.quantity, minimum)};
  }
  /// Places the workspace just appended to `workspaces` in workspaces_by_id and workspace_rank.
  void order_workspace(Index workspace);
};

}  // namespace stockroom

#endif  // STOCKROOM_SRC_LEDGER_STATE_H_
