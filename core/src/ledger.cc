// The ledger's state, catalog, point reads and host support (checkpoints,
// verify). Commands live in commands.cc, list/report queries in queries.cc,
// the journal in journal.cc.
#include "stockroom/ledger.h"

#include <algorithm>

#include "ledger_state.h"

namespace stockroom {

// ---- State helpers.

Index LedgerState::find_product(Id id) const {
  const Index* i = product_index.find(static_cast<std::uint64_t>(id));
  return i == nullptr ? kNoIndex : *i;
}

Index LedgerState::find_workspace(Id id) const {
  const Index* i = workspace_index.find(static_cast<std::uint64_t>(id));
  return i == nullptr ? kNoIndex : *i;
}

Index LedgerState::find_level(Index product, Index workspace) const {
  if (product == kNoIndex || workspace == kNoIndex) return kNoIndex;
  const Index* i = level_index.find(level_key(product, workspace));
  return i == nullptr ? kNoIndex : *i;
}

Index LedgerState::ensure_level(Index product, Index workspace) {
  const auto [index, inserted] =
      level_index.try_emplace(level_key(product, workspace), static_cast<Index>(levels.size()));
  if (inserted) {
    Level level;
    level.product = product;
    level.workspace = workspace;
    levels.push_back(std::move(level));
    product_levels[product].push_back(*index);
    workspace_levels[workspace].push_back(*index);
  }
  return *index;
}

Index LedgerState::intern_actor(const Actor& actor) {
  if (actor.id == 0) return 0;
  std::string key = std::to_string(actor.id);
  key += '\0';
  key += actor.name;
  const auto [it, inserted] = actor_index.try_emplace(std::move(key), static_cast<Index>(actors.size()));
  if (inserted) actors.push_back(actor);
  return it->second;
}

Index LedgerState::intern_text(const std::string& reference, const std::string& notes) {
  if (reference.empty() && notes.empty()) return 0;
  texts.push_back({reference, notes});
  return static_cast<Index>(texts.size() - 1);
}

void LedgerState::append_to(Record record, Index level_at) {
  const auto position = static_cast<std::uint32_t>(records.size());
  Level& level = levels[level_at];
  level.quantity += record.quantity;
  record.balance_after = level.quantity;
  level.movements.push_back(position);
  workspace_records[record.workspace].push_back(position);
  ++product_movement_count[record.product];
  if (record.type() == MovementType::kSale) {
    InvoiceSales& sales = *invoices.try_emplace(static_cast<std::uint64_t>(record.aux), {position, 0, false}).first;
    if (record.linked == 0) {
      ++sales.count;
    } else {
      sales.voided = true;
    }
  }
  last_time = std::max(last_time, record.created_at);
  records.push_back(record);
}

void LedgerState::pop() {
  const Record& record = records.back();
  Level& level = levels[find_level(record.product, record.workspace)];
  level.quantity -= record.quantity;
  level.movements.pop_back();
  workspace_records[record.workspace].pop_back();
  --product_movement_count[record.product];
  if (record.type() == MovementType::kSale) {
    const auto key = static_cast<std::uint64_t>(record.aux);
    InvoiceSales& sales = *invoices.find(key);
    if (record.linked == 0) {
      if (--sales.count == 0) invoices.erase(key);
    } else {
      sales.voided = false;
    }
  }
  records.pop_back();
  last_time = records.empty() ? 0 : records.back().created_at;
}

void LedgerState::set_minimum(Index level, Raw minimum) {
  minimum_log.push_back({level, levels[level].minimum});
  levels[level].minimum = minimum;
}

Movement LedgerState::materialize(std::uint32_t position) const {
  const Record& r = records[position];
  Movement m;
  m.id = static_cast<Id>(position) + 1;
  m.type = r.type();
  m.product_id = products[r.product].id;
  m.workspace_id = workspaces[r.workspace].id;
  m.quantity = r.quantity;
  m.balance_after = r.balance_after;
  const Id other = r.other_workspace() == kNoIndex ? 0 : workspaces[r.other_workspace()].id;
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
  m.linked_movement_id = r.linked;
  m.created_by = actors[r.actor];
  m.created_at = r.created_at;
  m.reference = texts[r.text].reference;
  m.notes = texts[r.text].notes;
  return m;
}

LevelView LedgerState::view(const Level& level) const {
  return {products[level.product].id, workspaces[level.workspace].id, level.quantity,
          level.minimum, stock_status(level.quantity, level.minimum)};
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
      s_->workspaces.size() >= Record::kMaxWorkspaces) {
    errors.push_back({"id", "A ledger holds at most 16777214 workspaces."});
  }
  if (!errors.empty()) return Error::fields_failed(std::move(errors));
  return Done{};
}

Result<Done> Ledger::upsert_workspace(const WorkspaceInfo& workspace) {
  if (auto valid = validate_workspace(workspace); !valid.ok()) return valid;
  const auto [index, inserted] = s_->workspace_index.try_emplace(
      static_cast<std::uint64_t>(workspace.id), static_cast<Index>(s_->workspaces.size()));
  if (inserted) {
    s_->workspaces.push_back(workspace);
    s_->workspace_levels.emplace_back();
    s_->workspace_records.emplace_back();
  } else {
    s_->workspaces[*index] = workspace;
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
    s_->product_index.try_emplace(static_cast<std::uint64_t>(product.id),
                                  static_cast<Index>(s_->products.size()));
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
  s_->levels[s_->ensure_level(product, workspace)].minimum = minimum.minimum;
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
  out.reserve(s_->workspaces.size());
  for (const WorkspaceInfo& w : s_->workspaces) out.push_back(&w);
  std::sort(out.begin(), out.end(),
            [](const WorkspaceInfo* a, const WorkspaceInfo* b) { return a->id < b->id; });
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
  return l == kNoIndex ? 0 : s_->levels[l].minimum;
}

Checkpoint Ledger::checkpoint() const {
  return {s_->records.size(), s_->minimum_log.size(), s_->levels.size(), s_->texts.size()};
}

void Ledger::rollback(const Checkpoint& mark) {
  if (mark.movements > s_->records.size() || mark.minimum_changes > s_->minimum_log.size() ||
      mark.levels > s_->levels.size() || mark.texts > s_->texts.size()) {
    return;
  }
  while (s_->records.size() > mark.movements) s_->pop();
  while (s_->minimum_log.size() > mark.minimum_changes) {
    const MinimumUndo undo = s_->minimum_log.back();
    s_->minimum_log.pop_back();
    s_->levels[undo.level].minimum = undo.previous;
  }
  // Levels created since the mark are the last ones of every list they joined.
  while (s_->levels.size() > mark.levels) {
    const Level& level = s_->levels.back();
    s_->level_index.erase(LedgerState::level_key(level.product, level.workspace));
    s_->product_levels[level.product].pop_back();
    s_->workspace_levels[level.workspace].pop_back();
    s_->levels.pop_back();
  }
  s_->texts.resize(mark.texts);
}

std::vector<LevelDifference> Ledger::verify() const {
  std::vector<Raw> recomputed(s_->levels.size(), 0);
  std::vector<LevelDifference> out;
  for (const Record& r : s_->records) {
    const Index l = s_->find_level(r.product, r.workspace);
    if (l == kNoIndex) continue;  // cannot happen: append() creates it
    recomputed[l] += r.quantity;
    if (recomputed[l] != r.balance_after) {
      // A wrong balance_after is reported as a difference of its level.
      out.push_back({s_->products[r.product].id, s_->workspaces[r.workspace].id, r.balance_after,
                     recomputed[l]});
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
