// Reads over many movements: lists, levels, low stock and the report.
// Positions in every index are ascending and created_at never decreases
// with position, so time ranges are binary searches.
#include <algorithm>

#include "ledger_state.h"

namespace stockroom {
namespace {

using Positions = std::vector<std::uint32_t>;

// [first, last) of `positions` whose records fall in [from, until).
std::pair<std::size_t, std::size_t> time_range(const LedgerState& s, const Positions& positions,
                                               std::optional<Millis> from,
                                               std::optional<Millis> until) {
  const auto before = [&](Millis t) {
    return static_cast<std::size_t>(
        std::partition_point(positions.begin(), positions.end(),
                             [&](std::uint32_t p) { return s.records[p].created_at < t; }) -
        positions.begin());
  };
  const std::size_t first = from ? before(*from) : 0;
  const std::size_t last = until ? before(*until) : positions.size();
  return {first, std::max(first, last)};
}

bool matches(const Record& r, const MovementFilter& f, Index product) {
  if ((f.types & type_bit(r.type())) == 0) return false;
  if (f.reason && r.reason() != *f.reason) return false;
  return product == kNoIndex || r.product == product;
}

// The level's balance before `before` (0 when nothing happened yet).
Raw balance_before(const LedgerState& s, const Level& level, Millis before) {
  const auto [first, last] = time_range(s, level.movements, std::nullopt, before);
  (void)first;
  return last == 0 ? 0 : s.records[level.movements[last - 1]].balance_after;
}

}  // namespace

std::string_view stock_status_name(StockStatus status) {
  switch (status) {
    case StockStatus::kInStock: return "in_stock";
    case StockStatus::kLowStock: return "low_stock";
    case StockStatus::kOutOfStock: return "out_of_stock";
  }
  return "in_stock";
}

StockStatus stock_status(Raw quantity, Raw minimum) {
  if (quantity <= 0) return StockStatus::kOutOfStock;
  if (minimum > 0 && quantity <= minimum) return StockStatus::kLowStock;
  return StockStatus::kInStock;
}

Raw Ledger::level_before(Id product_id, Id workspace_id, Millis before) const {
  const Index l = s_->find_level(s_->find_product(product_id), s_->find_workspace(workspace_id));
  return l == kNoIndex ? 0 : balance_before(*s_, s_->levels[l], before);
}

MovementPage Ledger::list_movements(const MovementFilter& filter, const PageRequest& page) const {
  const LedgerState& s = *s_;
  MovementPage out;
  Index product = kNoIndex;
  if (filter.product_id) {
    product = s.find_product(*filter.product_id);
    if (product == kNoIndex) return out;
  }
  // Pick the narrowest ascending index that covers the filter.
  Positions all;
  const Positions* candidates = nullptr;
  if (filter.workspace_id) {
    const Index ws = s.find_workspace(*filter.workspace_id);
    if (ws == kNoIndex) return out;
    if (product != kNoIndex) {
      const Index l = s.find_level(product, ws);
      if (l == kNoIndex) return out;
      candidates = &s.levels[l].movements;
    } else {
      candidates = &s.workspace_records[ws];
    }
  } else if (product != kNoIndex) {
    for (const Index l : s.product_levels[product]) {
      all.insert(all.end(), s.levels[l].movements.begin(), s.levels[l].movements.end());
    }
    std::sort(all.begin(), all.end());
    candidates = &all;
  } else {
    all.resize(s.records.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<std::uint32_t>(i);
    candidates = &all;
  }
  const auto [first, last] = time_range(s, *candidates, filter.from, filter.until);
  Positions hits;
  for (std::size_t i = first; i < last; ++i) {
    const std::uint32_t p = (*candidates)[i];
    if (matches(s.records[p], filter, product)) hits.push_back(p);
  }
  out.total = static_cast<std::int64_t>(hits.size());
  const bool desc = page.sort.descending;
  if (page.sort.field == SortField::kQuantity) {
    std::stable_sort(hits.begin(), hits.end(), [&](std::uint32_t a, std::uint32_t b) {
      const Raw qa = s.records[a].quantity, qb = s.records[b].quantity;
      if (qa != qb) return desc ? qa > qb : qa < qb;
      return desc ? a > b : a < b;
    });
  } else if (desc) {
    std::reverse(hits.begin(), hits.end());
  }
  const std::int64_t per_page = std::max<std::int64_t>(page.per_page, 1);
  const std::int64_t start = (std::max<std::int64_t>(page.page, 1) - 1) * per_page;
  for (std::int64_t i = start; i < out.total && i < start + per_page; ++i) {
    out.items.push_back(s.materialize(hits[static_cast<std::size_t>(i)]));
  }
  return out;
}

Result<ProductStock> Ledger::product_stock(Id product_id) const {
  const LedgerState& s = *s_;
  const Index p = s.find_product(product_id);
  if (p == kNoIndex) return Error::make(ErrorCode::kNotFound, "The product was not found.");
  ProductStock out;
  out.product_id = product_id;
  for (const WorkspaceInfo* w : workspaces()) {
    const Index l = s.find_level(p, s.find_workspace(w->id));
    LevelView view{product_id, w->id, 0, 0, StockStatus::kOutOfStock};
    if (l != kNoIndex) view = s.view(s.levels[l]);
    out.total += view.quantity;
    out.levels.push_back(view);
  }
  return out;
}

std::vector<LevelView> Ledger::workspace_levels(Id workspace_id) const {
  return workspace_levels_before(workspace_id, std::numeric_limits<Millis>::max());
}

std::vector<LevelView> Ledger::workspace_levels_before(Id workspace_id, Millis before) const {
  const LedgerState& s = *s_;
  std::vector<LevelView> out;
  const Index ws = s.find_workspace(workspace_id);
  if (ws == kNoIndex) return out;
  for (const Index l : s.workspace_levels[ws]) {
    const Level& level = s.levels[l];
    if (!s.products[level.product].track_inventory) continue;
    LevelView view = s.view(level);
    if (before != std::numeric_limits<Millis>::max()) {
      view.quantity = balance_before(s, level, before);
      view.status = stock_status(view.quantity, view.minimum);
    }
    out.push_back(view);
  }
  std::sort(out.begin(), out.end(),
            [](const LevelView& a, const LevelView& b) { return a.product_id < b.product_id; });
  return out;
}

std::vector<LowStockEntry> Ledger::low_stock(Id workspace_id) const {
  const LedgerState& s = *s_;
  std::vector<LowStockEntry> out;
  const Index ws = s.find_workspace(workspace_id);
  if (ws == kNoIndex) return out;
  for (const Index l : s.workspace_levels[ws]) {
    const Level& level = s.levels[l];
    const ProductInfo& p = s.products[level.product];
    if (!p.track_inventory || !p.active) continue;
    const bool under_minimum = level.minimum > 0 && level.quantity <= level.minimum;
    if (!under_minimum && level.quantity >= 0) continue;
    out.push_back({s.view(level), level.minimum - level.quantity});
  }
  std::sort(out.begin(), out.end(), [](const LowStockEntry& a, const LowStockEntry& b) {
    if (a.shortage != b.shortage) return a.shortage > b.shortage;
    return a.level.product_id < b.level.product_id;
  });
  return out;
}

std::vector<ReportRow> Ledger::report(const MovementFilter& filter) const {
  const LedgerState& s = *s_;
  std::vector<ReportRow> out;
  // The levels in scope: by workspace and/or product.
  std::vector<Index> scope;
  const Index product = filter.product_id ? s.find_product(*filter.product_id) : kNoIndex;
  if (filter.product_id && product == kNoIndex) return out;
  if (filter.workspace_id) {
    const Index ws = s.find_workspace(*filter.workspace_id);
    if (ws == kNoIndex) return out;
    if (product != kNoIndex) {
      const Index l = s.find_level(product, ws);
      if (l != kNoIndex) scope.push_back(l);
    } else {
      scope = s.workspace_levels[ws];
    }
  } else if (product != kNoIndex) {
    scope = s.product_levels[product];
  } else {
    for (std::size_t l = 0; l < s.levels.size(); ++l) scope.push_back(static_cast<Index>(l));
  }
  for (const Index l : scope) {
    const Level& level = s.levels[l];
    const auto [first, last] = time_range(s, level.movements, filter.from, filter.until);
    ReportRow row;
    row.product_id = s.products[level.product].id;
    row.workspace_id = s.workspaces[level.workspace].id;
    row.opening = first == 0 ? 0 : s.records[level.movements[first - 1]].balance_after;
    for (std::size_t i = first; i < last; ++i) {
      const Record& r = s.records[level.movements[i]];
      if (r.quantity > 0) {
        row.quantity_in += r.quantity;
      } else {
        row.quantity_out -= r.quantity;
      }
      ++row.counts[static_cast<std::size_t>(r.type())];
    }
    row.net = row.quantity_in - row.quantity_out;
    row.closing = row.opening + row.net;
    if (first == last && row.opening == 0) continue;
    out.push_back(row);
  }
  std::sort(out.begin(), out.end(), [](const ReportRow& a, const ReportRow& b) {
    return a.product_id != b.product_id ? a.product_id < b.product_id
                                        : a.workspace_id < b.workspace_id;
  });
  return out;
}

}  // namespace stockroom
