// The ledger's state, catalog, point reads and host support (checkpoints,
// verify). Commands live in commands.cc, list/report queries in queries.cc,
// the journal in journal.cc.
#include "stockroom/ledger.h"

#include <algorithm>
#include <cassert>

#include "huge_pages.h"
#include "ledger_state.h"

namespace stockroom {

// ---- State helpers.

void IdIndex::add(Id id, Index index) {
  all_.try_emplace(static_cast<std::uint64_t>(id), index);
  if (id < 0) return;
  const auto key = static_cast<std::uint64_t>(id);
  // Dense enough: the array stays within a few entries per id it holds.
  const std::uint64_t limit = 4 * static_cast<std::uint64_t>(all_.size()) + 1024;
  if (key >= direct_.size() && key < limit) {
    const std::size_t old_size = direct_.size();
    const std::size_t new_size =
        static_cast<std::size_t>(std::min<std::uint64_t>(limit, std::max<std::uint64_t>(key + 1, 2 * old_size)));
    direct_.resize(new_size, kNoIndex);
    for (std::size_t i = old_size; i < new_size; ++i) {
      if (const Index* found = all_.find(i)) direct_[i] = *found;
    }
  }
  if (key < direct_.size()) direct_[static_cast<std::size_t>(key)] = index;
}

Index LedgerState::find_product(Id id) const { return product_index.find(id); }

Index LedgerState::find_workspace(Id id) const { return workspace_index.find(id); }

namespace {
// The first of a product's levels whose workspace is not below `workspace`
// (a branch-free binary search: the workspaces a replay asks for are random).
template <class Refs>
auto level_slot(Refs& refs, Index workspace) {
  auto base = refs.begin();
  auto n = refs.size();
  if (n == 0) return base;
  while (n > 1) {
    const auto half = n / 2;
    base = base[static_cast<std::ptrdiff_t>(half)].workspace < workspace ? base + static_cast<std::ptrdiff_t>(half) : base;
    n -= half;
  }
  return base + (base->workspace < workspace ? 1 : 0);
}
}  // namespace

Index LedgerState::find_level(Index product, Index workspace) const {
  if (product == kNoIndex || workspace == kNoIndex) return kNoIndex;
  const std::vector<LevelRef>& refs = product_levels[product];
  const auto it = level_slot(refs, workspace);
  return it != refs.end() && it->workspace == workspace ? it->level : kNoIndex;
}

Index LedgerState::ensure_level(Index product, Index workspace) {
  std::vector<LevelRef>& refs = product_levels[product];
  const auto it = level_slot(refs, workspace);
  if (it != refs.end() && it->workspace == workspace) return it->level;
  const auto index = static_cast<Index>(levels.size());
  // Grown by a quarter, not doubled: levels are 40 bytes each and rarely added once a ledger is
  // loaded, so what a doubling leaves unused stays unused (before replay reserved its levels up front,
  // ReplayLevels, that was 3.9 MB in the benchmark's 1M ledger: 180,763 levels in room for 262,144).
  if (levels.size() == levels.capacity()) levels.reserve(levels.size() + levels.size() / 4 + 64);
  Level level;
  level.product = product;
  level.workspace = workspace;
  levels.push_back(std::move(level));
  refs.insert(it, LevelRef{workspace, index});
  workspace_levels[workspace].push_back(index);
  return index;
}

// ---- Invoices.

const InvoiceSales* InvoiceIndex::find(Id id, const Records& records) const {
  if (ascending_.empty()) return nullptr;
  const Id last = last_id(records);
  if (id >= last) return id == last ? &ascending_.back() : nullptr;  // others_ holds only lower ids
  const auto it = std::lower_bound(ascending_.begin(), ascending_.end(), id,
                                   [&](const InvoiceSales& e, Id key) { return id_of(e, records) < key; });
  if (id_of(*it, records) == id) return &*it;
  return others_.find(static_cast<std::uint64_t>(id));
}

InvoiceSales& InvoiceIndex::add(Id id, std::uint32_t first, const Records& records) {
  InvoiceSales sales;
  sales.first = first;
  if (ascending_.empty() || id > last_id(records)) {
    room_for_one_more(ascending_);
    ascending_.push_back(sales);
    return ascending_.back();
  }
  return *others_.try_emplace(static_cast<std::uint64_t>(id), sales).first;
}

void InvoiceIndex::erase(Id id, const Records& records) {
  if (!ascending_.empty() && last_id(records) == id) {
    ascending_.pop_back();
  } else {
    others_.erase(static_cast<std::uint64_t>(id));
  }
}

Index LedgerState::intern_actor(const Actor& actor) {
  if (actor.id == 0) return 0;
  // Every record of a command asks, and consecutive commands are mostly one actor's: the last one
  // found answers without building a key (an allocation in WebAssembly, whose strings keep 10 bytes
  // in place) and hashing it. 200k commands (callgrind): 597 -> 558 M instructions.
  const Actor& last = actors[last_actor];
  if (last.id == actor.id && last.name == actor.name) return last_actor;
  std::string key = std::to_string(actor.id);
  key += '\0';
  key += actor.name;
  const auto [it, inserted] = actor_index.try_emplace(std::move(key), static_cast<Index>(actors.size()));
  if (inserted) actors.push_back(actor);
  last_actor = it->second;
  return last_actor;
}

Index LedgerState::intern_text(std::string_view reference, std::string_view notes) {
  if (reference.empty() && notes.empty()) return 0;
  return texts.add(reference, notes);
}

Index LedgerState::add_context(const MovementContext& context) {
  const auto next = static_cast<Index>(contexts.size());
  if (context.text == 0) bare_contexts.try_emplace(bare_context_key(context), next);
  const MovementContext copy = context;  // before growing: `context` may be one of ours
  room_for_one_more(contexts);
  contexts.push_back(copy);
  return next;
}

void LedgerState::truncate_contexts(std::size_t count) {
  while (contexts.size() > count) {
    if (contexts.back().text == 0) bare_contexts.erase(bare_context_key(contexts.back()));
    contexts.pop_back();
  }
}

void LedgerState::append(Record record, std::uint32_t link) {
  const auto position = static_cast<std::uint32_t>(records.size());
  Level& level = levels[record.level];
  const Raw before = level.quantity;
  level.quantity += record.quantity;
  rewatch(record.level, before);
  record.balance_after = level.quantity;
  level.movements.push_back(position);
  workspace_records[level.workspace].push_back(position);
  ++product_movement_count[level.product];
  append_unsettled(record, link);
}

void LedgerState::append_unsettled(const Record& record, std::uint32_t link) {
  const auto position = static_cast<std::uint32_t>(records.size());
  records.push_back(record);
  if (link != record.default_link(position)) {
    records.back().set_has_link_entry(true);
    links.try_emplace(position, link);
  }
  if (record.type() == MovementType::kSale) {
    InvoiceSales* sales = invoices.find(record.aux, records);
    if (sales == nullptr) sales = &invoices.add(record.aux, position, records);
    if (link == 0) {
      ++sales->count;
    } else {
      sales->voided = 1;
    }
  }
  last_time = std::max(last_time, record.created_at());
}

std::vector<std::uint32_t> LedgerState::records_per_level(std::size_t from) const {
  std::vector<std::uint32_t> per_level(levels.size(), 0);
  for (std::size_t p = from; p < records.size(); ++p) ++per_level[records[p].level];
  return per_level;
}

void LedgerState::index_positions(std::size_t from, std::vector<std::uint32_t> per_level) {
  const std::size_t end = records.size();
  if (from >= end) return;
  if (per_level.empty()) per_level = records_per_level(from);
  // Debug builds (the ASan test run) hold counts from the caller to the records: a wrong count
  // changes no answer, only the room the lists are lent.
  assert(per_level == records_per_level(from));
  std::vector<std::size_t> per_workspace(workspaces.size(), 0);
  for (std::size_t l = 0; l < levels.size(); ++l) per_workspace[levels[l].workspace] += per_level[l];
  // The lists that outgrow their room move, at their exact new size, into one pool: the levels' and
  // the workspaces'. (A workspace's list on its own, 2 MB at 10M movements, holds no whole aligned
  // huge page: its 512 pages were each a fault, 10k of a first 10M replay's 21k.)
  const auto outgrown_size = [](const PositionList& list, std::size_t more) -> std::size_t {
    const std::size_t total = list.size() + more;
    return more != 0 && total > list.capacity() ? total : 0;
  };
  std::size_t lent = 0;
  for (std::size_t l = 0; l < levels.size(); ++l) lent += outgrown_size(levels[l].movements, per_level[l]);
  for (std::size_t w = 0; w < workspaces.size(); ++w) lent += outgrown_size(workspace_records[w], per_workspace[w]);
  std::uint32_t* room = nullptr;
  if (lent != 0) {
    PositionPool& pool = position_pools.emplace_back();
    pool.first_record = from;
    // Not written here: each position is written once, below. (Advised for huge pages by the
    // allocator, when it is large enough to hold one.)
    pool.room = {HugePageAllocator<std::uint32_t>().allocate(lent), ReleasePositionRoom{lent}};
    pool.size = lent;
    room = pool.room.get();
  }
  // Each list's new positions go at its end, in room it has or is lent above.
  const auto make_room = [&room, &outgrown_size](PositionList& list, std::size_t more) -> std::uint32_t* {
    if (more == 0) return nullptr;
    if (const std::size_t total = outgrown_size(list, more); total != 0) {
      list.adopt(room, total);
      room += total;
    }
    return list.extend(more);
  };
  // Each record's position goes to the end of its level's list and of its workspace's. Where the
  // next one goes is kept per level beside its workspace, 16 bytes in a table of their own: one
  // cache miss in a 3.2 MB table (at 200k levels) where reading the level and asking its list
  // were two in 8 MB. Prefetched 16 records ahead, and the place it points to 8 ahead, so that the
  // misses overlap.
  struct Cursor {
    std::uint32_t* next = nullptr;
    Index workspace = 0;
  };
  std::vector<Cursor> cursors(levels.size());
  for (std::size_t l = 0; l < levels.size(); ++l) {
    cursors[l] = {make_room(levels[l].movements, per_level[l]), levels[l].workspace};
  }
  std::vector<std::uint32_t*> workspace_next(workspaces.size(), nullptr);
  for (std::size_t w = 0; w < workspaces.size(); ++w) workspace_next[w] = make_room(workspace_records[w], per_workspace[w]);
  constexpr std::size_t kCursorAhead = 16;
  constexpr std::size_t kListAhead = 8;
  for (std::size_t p = from; p < end; ++p) {
    if (p + kCursorAhead < end) __builtin_prefetch(&cursors[records[p + kCursorAhead].level]);
    if (p + kListAhead < end) __builtin_prefetch(cursors[records[p + kListAhead].level].next, 1);
    Cursor& cursor = cursors[records[p].level];
    *cursor.next++ = static_cast<std::uint32_t>(p);
    *workspace_next[cursor.workspace]++ = static_cast<std::uint32_t>(p);
  }
}

void LedgerState::drop_position_pools(std::size_t records_left) {
  if (position_pools.empty() || position_pools.back().first_record < records_left) return;
  std::size_t keep = position_pools.size();
  while (keep > 0 && position_pools[keep - 1].first_record >= records_left) --keep;
  const auto lent_by_dropped = [&](const PositionList& list) {
    if (!list.borrowed()) return false;
    for (std::size_t i = keep; i < position_pools.size(); ++i) {
      const std::uint32_t* room = position_pools[i].room.get();
      if (list.data() >= room && list.data() < room + position_pools[i].size) return true;
    }
    return false;
  };
  for (Level& level : levels) {
    if (lent_by_dropped(level.movements)) level.movements.own();
  }
  for (PositionList& list : workspace_records) {
    if (lent_by_dropped(list)) list.own();
  }
  position_pools.resize(keep);
}

void LedgerState::compact() {
  give_back_slack(levels);
  for (std::vector<LevelRef>& refs : product_levels) give_back_slack(refs);
  for (std::vector<Index>& list : workspace_levels) give_back_slack(list);
  invoices.compact();
  texts.compact();
}

void LedgerState::pop() {
  const Record& record = records.back();
  const auto position = static_cast<std::uint32_t>(records.size() - 1);
  const std::uint32_t link = linked(position);
  if (record.has_link_entry()) links.erase(position);
  Level& level = levels[record.level];
  const Raw before = level.quantity;
  level.quantity -= record.quantity;
  // Back below zero: it was watched at the mark, but may have been compacted out since.
  rewatch(record.level, before);
  level.movements.pop_back();
  workspace_records[level.workspace].pop_back();
  --product_movement_count[level.product];
  if (record.type() == MovementType::kSale) {
    InvoiceSales& sales = *invoices.find(record.aux, records);
    if (link == 0) {
      if (--sales.count == 0) invoices.erase(record.aux, records);
    } else {
      sales.voided = 0;
    }
  }
  records.pop_back();
  last_time = records.empty() ? 0 : records.back().created_at();
}

std::uint32_t LedgerState::linked(std::uint32_t position) const {
  const Record& r = records[position];
  if (!r.has_link_entry()) return r.default_link(position);
  return *links.find(position);
}

void LedgerState::set_minimum(Index level, Raw minimum) {
  minimum_log.push_back({level, minimum_of(levels[level])});
  put_minimum(level, minimum);
}

void LedgerState::put_minimum(Index index, Raw minimum) {
  Level& level = levels[index];
  const std::uint64_t key = minimum_key(level);
  if (minimum == 0) {
    if (level.has_minimum == 0) return;
    minimums.erase(key);
    level.has_minimum = 0;
    if (level.quantity >= 0) unwatch_later(level.workspace);
    return;
  }
  *minimums.try_emplace(key, minimum).first = minimum;
  level.has_minimum = 1;
  minimum_bound[level.workspace] = std::max(minimum_bound[level.workspace], minimum);
  watch(index);
}

void LedgerState::watch(Index index) {
  Level& level = levels[index];
  if (level.watched != 0) return;
  level.watched = 1;
  watched[level.workspace].push_back(index);
}

void LedgerState::unwatch_later(Index workspace) {
  std::vector<Index>& list = watched[workspace];
  if (++stale_watched[workspace] * 2 <= list.size()) return;
  // More than half of the list can no longer be low: drop those, in one pass.
  std::erase_if(list, [&](Index l) {
    Level& level = levels[l];
    if (level.has_minimum != 0 || level.quantity < 0) return false;
    level.watched = 0;
    return true;
  });
  stale_watched[workspace] = 0;
}

Movement LedgerState::materialize(std::uint32_t position) const {
  Movement m = materialize_numbers(position);
  const MovementContext& context = contexts[records[position].context];
  m.created_by.name = actors[context.actor].name;
  m.reference = texts.reference(context.text);
  m.notes = texts.notes(context.text);
  return m;
}

Movement LedgerState::materialize_numbers(std::uint32_t position) const {
  const Record& r = records[position];
  Movement m;
  m.id = static_cast<Id>(position) + 1;
  m.type = r.type();
  const Level& level = levels[r.level];
  m.product_id = products[level.product].id;
  m.workspace_id = workspaces[level.workspace].id;
  m.quantity = r.quantity;
  m.balance_after = r.balance_after;
  const MovementContext& context = contexts[r.context];
  const Id other = context.other_workspace == kNoIndex ? 0 : workspaces[context.other_workspace].id;
  switch (r.type()) {
    case MovementType::kTransferOut:
      m.from_workspace_id = m.workspace_id;
      m.to_workspace_id = other;
      break;
    case MovementType::kTransferIn:
      m.from_workspace_id = other;
      m.to_workspace_id = m.workspace_id;
      break;
    case MovementType::kSale:
      m.from_workspace_id = m.workspace_id;
      m.invoice_id = r.aux;
      break;
    case MovementType::kPurchase:
      m.to_workspace_id = m.workspace_id;
      break;
    default:
      break;
  }
  m.reason = r.reason();
  if (r.has_cost()) m.unit_cost = r.aux;
  m.linked_movement_id = linked(position);
  m.created_by.id = actors[context.actor].id;
  m.created_at = r.created_at();
  return m;
}

void LedgerState::order_workspace(Index workspace) {
  const Id id = workspaces[workspace].id;
  const auto at = std::lower_bound(workspaces_by_id.begin(), workspaces_by_id.end(), id,
                                   [&](Index w, Id wanted) { return workspaces[w].id < wanted; });
  const auto first_moved = static_cast<std::size_t>(at - workspaces_by_id.begin());
  workspaces_by_id.insert(at, workspace);
  workspace_rank.resize(workspaces.size());
  for (std::size_t r = first_moved; r < workspaces_by_id.size(); ++r) {
    workspace_rank[workspaces_by_id[r]] = static_cast<Index>(r);
  }
}

// ---- Ledger.

Ledger::Ledger() : s_(std::make_unique<LedgerState>()) {}
Ledger::~Ledger() = default;
Ledger::Ledger(Ledger&&) noexcept = default;
Ledger& Ledger::operator=(Ledger&&) noexcept = default;

Result<Done> Ledger::validate_workspace(const WorkspaceInfo& workspace) const {
  std::vector<FieldError> errors;
  if (workspace.id <= 0) errors.push_back({"id", "The id must be a positive integer."});
  if (workspace.name.empty()) errors.push_back({"name", "The name field is required."});
  if (s_->find_workspace(workspace.id) == kNoIndex &&
      s_->workspaces.size() >= kMaxWorkspaces) {
    errors.push_back({"id", "A ledger holds at most " + std::to_string(kMaxWorkspaces) + " workspaces."});
  }
  if (!errors.empty()) return Error::fields_failed(std::move(errors));
  return Done{};
}

Result<Done> Ledger::upsert_workspace(const WorkspaceInfo& workspace) {
  if (auto valid = validate_workspace(workspace); !valid.ok()) return valid;
  const Index existing = s_->find_workspace(workspace.id);
  if (existing == kNoIndex) {
    s_->workspace_index.add(workspace.id, static_cast<Index>(s_->workspaces.size()));
    s_->workspaces.push_back(workspace);
    s_->order_workspace(static_cast<Index>(s_->workspaces.size() - 1));
    s_->workspace_levels.emplace_back();
    s_->watched.emplace_back();
    s_->stale_watched.push_back(0);
    s_->minimum_bound.push_back(0);
    s_->workspace_records.emplace_back();
  } else {
    s_->workspaces[existing] = workspace;
  }
  return Done{};
}

Result<Done> Ledger::validate_product(const ProductInfo& product) const {
  std::vector<FieldError> errors;
  if (product.id <= 0) errors.push_back({"id", "The id must be a positive integer."});
  if (product.decimals < 0 || product.decimals > kScalePlaces) {
    errors.push_back({"decimals", "The decimals must be between 0 and 4."});
  }
  const Index existing = s_->find_product(product.id);
  if (existing != kNoIndex && s_->product_movement_count[existing] > 0 &&
      s_->products[existing].decimals != product.decimals) {
    errors.push_back({"decimals", "The decimals cannot change once the product has movements."});
  }
  if (!errors.empty()) return Error::fields_failed(std::move(errors));
  return Done{};
}

Result<Done> Ledger::upsert_product(const ProductInfo& product) {
  if (auto valid = validate_product(product); !valid.ok()) return valid;
  const Index existing = s_->find_product(product.id);
  if (existing == kNoIndex) {
    if (!s_->products.empty() && product.id < s_->products.back().id) s_->products_by_id = false;
    s_->product_index.add(product.id, static_cast<Index>(s_->products.size()));
    s_->products.push_back(product);
    s_->product_movement_count.push_back(0);
    s_->product_levels.emplace_back();
  } else {
    s_->products[existing] = product;
  }
  return Done{};
}

Result<Done> Ledger::load_minimum(const MinimumChange& minimum) {
  const Index product = s_->find_product(minimum.product_id);
  const Index workspace = s_->find_workspace(minimum.workspace_id);
  std::vector<FieldError> errors;
  if (product == kNoIndex) errors.push_back({"product_id", "The selected product is invalid."});
  if (workspace == kNoIndex) {
    errors.push_back({"workspace_id", "The selected workspace is invalid."});
  }
  if (minimum.minimum < 0 || minimum.minimum > kMaxInputMagnitude) {
    errors.push_back({"minimum_quantity", "The minimum quantity must be between 0 and 1000000000000."});
  }
  if (!errors.empty()) return Error::fields_failed(std::move(errors));
  // Loading is not a command: it does not enter the undo log.
  s_->put_minimum(s_->ensure_level(product, workspace), minimum.minimum);
  return Done{};
}

const ProductInfo* Ledger::product(Id id) const {
  const Index i = s_->find_product(id);
  return i == kNoIndex ? nullptr : &s_->products[i];
}

const WorkspaceInfo* Ledger::workspace(Id id) const {
  const Index i = s_->find_workspace(id);
  return i == kNoIndex ? nullptr : &s_->workspaces[i];
}

std::vector<const WorkspaceInfo*> Ledger::workspaces() const {
  std::vector<const WorkspaceInfo*> out;
  out.reserve(s_->workspaces_by_id.size());
  for (const Index w : s_->workspaces_by_id) out.push_back(&s_->workspaces[w]);
  return out;
}

std::size_t Ledger::movement_count() const { return s_->records.size(); }

std::optional<Movement> Ledger::movement(Id id) const {
  if (id <= 0 || static_cast<std::size_t>(id) > s_->records.size()) return std::nullopt;
  return s_->materialize(static_cast<std::uint32_t>(id - 1));
}

Raw Ledger::level(Id product_id, Id workspace_id) const {
  const Index l = s_->find_level(s_->find_product(product_id), s_->find_workspace(workspace_id));
  return l == kNoIndex ? 0 : s_->levels[l].quantity;
}

Raw Ledger::minimum(Id product_id, Id workspace_id) const {
  const Index l = s_->find_level(s_->find_product(product_id), s_->find_workspace(workspace_id));
  return l == kNoIndex ? 0 : s_->minimum_of(s_->levels[l]);
}

Checkpoint Ledger::checkpoint() {
  return {s_->records.size(), s_->minimum_log.size(), s_->levels.size(), s_->texts.size(),
          s_->contexts.size(), s_->marks.next()};
}

bool Ledger::rollback(const Checkpoint& mark) {
  if (!s_->marks.holds(mark.serial) || mark.movements > s_->records.size() ||
      mark.minimum_changes > s_->minimum_log.size() || mark.levels > s_->levels.size() ||
      mark.texts > s_->texts.size() || mark.contexts > s_->contexts.size()) {
    return false;
  }
  s_->marks.roll_back_to(mark.serial);
  while (s_->records.size() > mark.movements) s_->pop();
  while (s_->minimum_log.size() > mark.minimum_changes) {
    const MinimumUndo undo = s_->minimum_log.back();
    s_->minimum_log.pop_back();
    s_->put_minimum(undo.level, undo.previous);
  }
  // Levels created since the mark leave the watched lists first (a compaction while they are removed
  // reads every level a list names). Those lists are in no order of level index: each is filtered once.
  std::vector<Index> watching;
  for (std::size_t l = mark.levels; l < s_->levels.size(); ++l) {
    if (s_->levels[l].watched != 0) watching.push_back(s_->levels[l].workspace);
  }
  std::sort(watching.begin(), watching.end());
  watching.erase(std::unique(watching.begin(), watching.end()), watching.end());
  for (const Index w : watching) {
    std::erase_if(s_->watched[w], [&](Index l) { return l >= mark.levels; });
  }
  // They are the last ones of their workspace's list; a product's list is sorted by workspace, so
  // they are found there.
  while (s_->levels.size() > mark.levels) {
    s_->put_minimum(static_cast<Index>(s_->levels.size() - 1), 0);  // a load sets one outside the log
    const Level& level = s_->levels.back();
    std::vector<LevelRef>& refs = s_->product_levels[level.product];
    refs.erase(level_slot(refs, level.workspace));
    s_->workspace_levels[level.workspace].pop_back();
    s_->levels.pop_back();
  }
  s_->drop_position_pools(mark.movements);
  s_->truncate_contexts(mark.contexts);
  s_->texts.truncate(mark.texts);
  return true;
}

std::vector<LevelDifference> Ledger::verify() const {
  std::vector<Raw> recomputed(s_->levels.size(), 0);
  std::vector<LevelDifference> out;
  for (const Record& r : s_->records) {
    const Index l = r.level;
    recomputed[l] += r.quantity;
    if (recomputed[l] != r.balance_after) {
      // A wrong balance_after is reported as a difference of its level.
      const Level& level = s_->levels[l];
      out.push_back({s_->products[level.product].id, s_->workspaces[level.workspace].id,
                     r.balance_after, recomputed[l]});
    }
  }
  for (std::size_t l = 0; l < s_->levels.size(); ++l) {
    const Level& level = s_->levels[l];
    if (level.quantity != recomputed[l]) {
      out.push_back({s_->products[level.product].id, s_->workspaces[level.workspace].id,
                     level.quantity, recomputed[l]});
    }
  }
  return out;
}

}  // namespace stockroom
