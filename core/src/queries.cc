// Reads over many movements: lists, levels, low stock and the report.
// Positions in every index are ascending and created_at never decreases
// with position, so time ranges are binary searches.
#include <algorithm>
#include <array>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "ledger_state.h"

namespace stockroom {
namespace {

/// Ascending record positions, read where they are: a level's list or a workspace's.
using Positions = std::span<const std::uint32_t>;

/// Ascending record positions: a list, or (list == nullptr) every record.
struct Candidates {
  const std::uint32_t* list = nullptr;
  std::size_t size = 0;
  [[nodiscard]] std::uint32_t at(std::size_t k) const {
    return list != nullptr ? list[k] : static_cast<std::uint32_t>(k);
  }
};

// The first k in [0, c.size) whose record has created_at >= t.
//
// Each step reads a record that is rarely in cache. Compiled to WebAssembly, clang turns the two arms
// into a `select` and V8 into a conditional move, so no step's load can start before the previous one
// has arrived; with a branch the CPU guesses the way and starts the next load at once. The empty asm
// keeps the branch (WebAssembly only: g++ keeps it anyway). Measured, one level as of a date over 10M
// movements (bench/NOTES.md): 1.28 -> 0.69 us in WebAssembly, against 0.49 us natively.
std::size_t lower_bound_time(const LedgerState& s, const Candidates& c, Millis t) {
  std::size_t lo = 0, hi = c.size;
  while (lo < hi) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (s.records[c.at(mid)].created_at() < t) {
      lo = mid + 1;
#if defined(__wasm__)
      __asm__ volatile("");  // keep the branch (above)
#endif
    } else {
      hi = mid;
    }
  }
  return lo;
}

// [first, last) of the candidates whose records fall in [from, until).
std::pair<std::size_t, std::size_t> time_range(const LedgerState& s, const Candidates& c,
                                               std::optional<Millis> from,
                                               std::optional<Millis> until) {
  const std::size_t first = from ? lower_bound_time(s, c, *from) : 0;
  const std::size_t last = until ? lower_bound_time(s, c, *until) : c.size;
  return {first, std::max(first, last)};
}

std::pair<std::size_t, std::size_t> time_range(const LedgerState& s, Positions positions,
                                               std::optional<Millis> from,
                                               std::optional<Millis> until) {
  return time_range(s, Candidates{positions.data(), positions.size()}, from, until);
}

// Reads over many levels (the report, a workspace's levels as of a time) turn the time bounds into
// record positions once: positions are in time order, so one search over the records serves every
// level, and each level's own search reads its list of positions alone (one contiguous array) rather
// than the records they point to. Over thousands of levels, two dependent cache misses per step were
// most of a report's time, and WebAssembly's branchless searches cannot run ahead of them. (For one
// list, time_range above is cheaper: it needs no search over all records.)

// The first record position whose created_at is >= t.
std::uint32_t first_position_at(const LedgerState& s, Millis t) {
  const auto it = std::partition_point(s.records.begin(), s.records.end(),
                                       [t](const Record& r) { return r.created_at() < t; });
  return static_cast<std::uint32_t>(it - s.records.begin());
}

/// A time range [from, until) as record positions [from, until).
struct PositionWindow {
  std::uint32_t from = 0;
  std::uint32_t until = std::numeric_limits<std::uint32_t>::max();
};

PositionWindow window_of(const LedgerState& s, std::optional<Millis> from, std::optional<Millis> until) {
  PositionWindow w;
  if (from) w.from = first_position_at(s, *from);
  if (until) w.until = first_position_at(s, *until);
  return w;
}

// [first, last) of a level's positions inside the window. A bound at either end of the ledger needs no
// search (a report up to now, levels as of the last movement).
std::pair<std::size_t, std::size_t> range_in(Positions list, PositionWindow w) {
  const auto bound = [&](std::uint32_t position) -> std::size_t {
    if (position == 0) return 0;
    if (list.empty() || position > list.back()) return list.size();
    return std::lower_bound(list.begin(), list.end(), position) - list.begin();
  };
  const std::size_t first = bound(w.from);
  return {first, std::max(first, bound(w.until))};
}

// The type and reason filters (workspace and product are settled by the
// choice of candidates).
bool matches(const Record& r, const MovementFilter& f) {
  if ((f.types & type_bit(r.type())) == 0) return false;
  return !f.reason || r.reason() == *f.reason;
}

// The level's balance after its first `count` movements (0 after none).
Raw balance_at(const LedgerState& s, const Level& level, std::size_t count) {
  return count == 0 ? 0 : s.records[level.movements[count - 1]].balance_after;
}

// The level's balance before `before`.
Raw balance_before(const LedgerState& s, const Level& level, Millis before) {
  return balance_at(s, level, time_range(s, level.movements, std::nullopt, before).second);
}

// Tables over every level (or product) of the ledger are used by a report only when its own work is of
// their order: a small workspace of a large ledger is sorted and walked level by level instead.
constexpr std::size_t kTableRatio = 8;

/// What a report adds up for one level while it reads the window's movements: kept apart from the
/// 104-byte rows so that the tallies of a workspace's levels (48 bytes each, 10,000 levels: 480 KB) stay
/// in a core's cache while movements land on them in time order, that is in no order of level. Counts
/// fit 32 bits: record positions do.
struct Tally {
  Raw opening = 0;
  Raw quantity_in = 0;
  Raw quantity_out = 0;
  std::array<std::uint32_t, kMovementTypeCount> counts{};
};

/// A level of a report's scope with the keys its row is ordered by.
struct Keyed {
  Id product;
  Id workspace;
  Index level;
};

// The levels of `scope` in (product id, workspace id) order, the order of a report's rows: sorted as
// level indexes with their keys, not as ~100-byte rows afterwards. `workspace` is the scope's one
// workspace when it is all of that workspace's levels, else kNoIndex.
std::vector<Keyed> in_row_order(const LedgerState& s, const std::vector<Index>& scope, Index workspace) {
  std::vector<Keyed> keyed;
  keyed.reserve(scope.size());
  if (workspace != kNoIndex && s.products_by_id && s.products.size() <= kTableRatio * scope.size()) {
    // One workspace, products registered in id order: its levels placed by product index come out
    // in order, with no sort (which was a tenth of a report over 9,000 levels).
    std::vector<Index> level_of(s.products.size(), kNoIndex);
    for (const Index l : scope) level_of[s.levels[l].product] = l;
    const Id workspace_id = s.workspaces[workspace].id;
    for (std::size_t p = 0; p < level_of.size(); ++p) {
      if (level_of[p] != kNoIndex) keyed.push_back({s.products[p].id, workspace_id, level_of[p]});
    }
    return keyed;
  }
  for (const Index l : scope) {
    keyed.push_back({s.products[s.levels[l].product].id, s.workspaces[s.levels[l].workspace].id, l});
  }
  std::sort(keyed.begin(), keyed.end(), [](const Keyed& a, const Keyed& b) {
    return a.product != b.product ? a.product < b.product : a.workspace < b.workspace;
  });
  return keyed;
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
  // The narrowest ascending index that covers the workspace and product
  // filters; every candidate already satisfies both.
  std::vector<std::uint32_t> merged;
  Candidates candidates{nullptr, s.records.size()};
  if (filter.workspace_id) {
    const Index ws = s.find_workspace(*filter.workspace_id);
    if (ws == kNoIndex) return out;
    const Index l = product == kNoIndex ? kNoIndex : s.find_level(product, ws);
    if (product != kNoIndex && l == kNoIndex) return out;
    const Positions list = l == kNoIndex ? Positions(s.workspace_records[ws]) : s.levels[l].movements;
    candidates = {list.data(), list.size()};
  } else if (product != kNoIndex) {
    for (const LevelRef& ref : s.product_levels[product]) {
      const Positions list = s.levels[ref.level].movements;
      merged.insert(merged.end(), list.begin(), list.end());
    }
    std::sort(merged.begin(), merged.end());
    candidates = {merged.data(), merged.size()};
  }
  // Plain variables, not a structured binding: clang 14 cannot capture those in a lambda.
  const std::pair<std::size_t, std::size_t> range =
      time_range(s, candidates, filter.from, filter.until);
  const std::size_t first = range.first, last = range.second;
  const std::int64_t per_page = std::max<std::int64_t>(page.per_page, 1);
  const std::int64_t start = (std::max<std::int64_t>(page.page, 1) - 1) * per_page;
  const bool desc = page.sort.descending;
  const bool unfiltered = filter.types == kAllTypes && !filter.reason;

  if (page.sort.field == SortField::kQuantity) {
    std::vector<std::uint32_t> hits;
    for (std::size_t k = first; k < last; ++k) {
      if (unfiltered || matches(s.records[candidates.at(k)], filter)) hits.push_back(candidates.at(k));
    }
    out.total = static_cast<std::int64_t>(hits.size());
    std::stable_sort(hits.begin(), hits.end(), [&](std::uint32_t a, std::uint32_t b) {
      const Raw qa = s.records[a].quantity, qb = s.records[b].quantity;
      if (qa != qb) return desc ? qa > qb : qa < qb;
      return desc ? a > b : a < b;
    });
    for (std::int64_t i = start; i < out.total && i < start + per_page; ++i) {
      out.items.push_back(s.materialize(hits[static_cast<std::size_t>(i)]));
    }
    return out;
  }
  // Id order is time order, so created_at and id sorts walk the range from
  // the requested end. Unfiltered, the page is index arithmetic; filtered,
  // every match is counted for the total but only the page is materialized.
  const auto nth = [&](std::size_t i) { return candidates.at(desc ? last - 1 - i : first + i); };
  if (unfiltered) {
    out.total = static_cast<std::int64_t>(last - first);
    for (std::int64_t i = start; i < out.total && i < start + per_page; ++i) {
      out.items.push_back(s.materialize(nth(static_cast<std::size_t>(i))));
    }
    return out;
  }
  for (std::size_t i = 0; i < last - first; ++i) {
    const std::uint32_t p = nth(i);
    if (!matches(s.records[p], filter)) continue;
    if (out.total >= start && out.total < start + per_page) out.items.push_back(s.materialize(p));
    ++out.total;
  }
  return out;
}

Result<ProductStock> Ledger::product_stock(Id product_id) const {
  const LedgerState& s = *s_;
  const Index p = s.find_product(product_id);
  if (p == kNoIndex) return Error::make(ErrorCode::kNotFound, "The product was not found.");
  ProductStock out;
  out.product_id = product_id;
  // Every workspace in id order, then the product's own levels put in their places: no search per
  // workspace, no sort and one allocation (in WebAssembly each of those is a call).
  out.levels.reserve(s.workspaces_by_id.size());
  for (const Index w : s.workspaces_by_id) {
    out.levels.push_back({product_id, s.workspaces[w].id, 0, 0, StockStatus::kOutOfStock});
  }
  for (const LevelRef& ref : s.product_levels[p]) {
    const LevelView view = s.view(s.levels[ref.level]);
    out.levels[s.workspace_rank[ref.workspace]] = view;
    out.total += view.quantity;
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
  const PositionWindow window = window_of(s, std::nullopt, before);
  for (const Index l : s.workspace_levels[ws]) {
    const Level& level = s.levels[l];
    if (!s.products[level.product].track_inventory) continue;
    LevelView view = s.view(level);
    if (before != std::numeric_limits<Millis>::max()) {
      view.quantity = balance_at(s, level, range_in(level.movements, window).second);
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
  // Only the watched levels can be low: the ones with a minimum or below zero (and some that were).
  // Room for all of them at once, and each one's minimum read once: in WebAssembly the vector's
  // growth and a second search per row were more than half of the call (10M: 11.1 -> 3.9 us).
  const std::vector<Index>& watched = s.watched[ws];
  out.reserve(watched.size());
  const Raw bound = s.minimum_bound[ws];
  for (const Index l : watched) {
    const Level& level = s.levels[l];
    // Above every minimum of the workspace (so not below zero either): not low, and its minimum is
    // not looked up. Levels that have a minimum mostly hold more than it: the 1M benchmark ledger's
    // 500 watched levels of a workspace all do.
    if (level.quantity > bound) continue;
    const Raw minimum = s.minimum_of(level);
    const bool under_minimum = minimum > 0 && level.quantity <= minimum;
    if (!under_minimum && level.quantity >= 0) continue;
    const ProductInfo& p = s.products[level.product];
    if (!p.track_inventory || !p.active) continue;
    out.push_back({s.view(level, minimum), minimum - level.quantity});
  }
  std::sort(out.begin(), out.end(), [](const LowStockEntry& a, const LowStockEntry& b) {
    if (a.shortage != b.shortage) return a.shortage > b.shortage;
    return a.level.product_id < b.level.product_id;
  });
  return out;
}

std::vector<ReportRow> Ledger::report(const MovementFilter& filter) const {
  const LedgerState& s = *s_;
  // The levels in scope: by workspace and/or product.
  std::vector<Index> scope;
  const Index product = filter.product_id ? s.find_product(*filter.product_id) : kNoIndex;
  if (filter.product_id && product == kNoIndex) return {};
  const Index ws = filter.workspace_id ? s.find_workspace(*filter.workspace_id) : kNoIndex;
  if (filter.workspace_id) {
    if (ws == kNoIndex) return {};
    if (product != kNoIndex) {
      const Index l = s.find_level(product, ws);
      if (l != kNoIndex) scope.push_back(l);
    } else {
      scope = s.workspace_levels[ws];
    }
  } else if (product != kNoIndex) {
    for (const LevelRef& ref : s.product_levels[product]) scope.push_back(ref.level);
  } else {
    for (std::size_t l = 0; l < s.levels.size(); ++l) scope.push_back(static_cast<Index>(l));
  }
  const std::vector<Keyed> keyed = in_row_order(s, scope, product == kNoIndex ? ws : kNoIndex);
  const PositionWindow window = window_of(s, filter.from, filter.until);
  std::vector<Tally> tallies(keyed.size());
  std::vector<char> seen(keyed.size(), 0);
  // One movement into its level's tally; the first one seen in the window also gives the opening
  // balance (balance_after is always the balance before it plus its quantity).
  // (`quantity` is r.quantity, passed apart for a caller that has loaded it already.)
  const auto tally = [&](std::size_t slot, const Record& r, Raw quantity) {
    Tally& t = tallies[slot];
    if (seen[slot] == 0) {
      seen[slot] = 1;
      t.opening = r.balance_after - quantity;
    }
    if (quantity > 0) {
      t.quantity_in += quantity;
    } else {
      t.quantity_out -= quantity;
    }
    ++t.counts[static_cast<std::size_t>(r.type())];
  };
  const auto tally_record = [&](std::size_t slot, const Record& r) { tally(slot, r, r.quantity); };
  // A workspace's levels or all of them: their movements in the window are one run of the
  // workspace's position list (or of the records), read in ascending order. Visiting level by level
  // read the same records in random order, each behind its level's search. A month of workspace 3
  // over the 1M workload, alternating builds (bench/NOTES.md): native 1.45-1.53 -> 1.19-1.47 ms,
  // WebAssembly 2.6-4.9 -> 1.5-1.7 ms.
  const PositionList* run_list = ws != kNoIndex ? &s.workspace_records[ws] : nullptr;
  const auto [first, last] =
      run_list != nullptr ? range_in(*run_list, window) : std::pair<std::size_t, std::size_t>{};
  const bool scan = product == kNoIndex &&
                    (ws == kNoIndex || s.levels.size() <= kTableRatio * (keyed.size() + (last - first)));
  if (scan) {
    std::vector<Index> slot_of(s.levels.size(), kNoIndex);
    for (std::size_t i = 0; i < keyed.size(); ++i) slot_of[keyed[i].level] = static_cast<Index>(i);
    if (run_list != nullptr) {
      // In batches, the loads first: a workspace's records are spread over the ledger (a cache miss
      // each), and with the tally's branches on their values in the same loop, each miss waited for
      // the one before. Loaded with no branch between them, a batch's misses overlap. The quantity
      // is loaded there too: a 40-byte record straddles two cache lines at half of the positions, the
      // quantity lies in the second at a quarter, and the level alone left that line to miss in the
      // tally (a month of workspace 3 over 10M, both builds in one process, alternating: native -4 to
      // -15 %, WebAssembly -10 to -18 %; over 1M within 2 %).
      const Positions list = *run_list;  // a plain span: no check of where the positions live per read
      constexpr std::size_t kBatch = 32;
      std::array<Index, kBatch> slots;
      std::array<Raw, kBatch> quantities;
      for (std::size_t i = first; i < last; i += kBatch) {
        const std::size_t n = std::min(kBatch, last - i);
        for (std::size_t k = 0; k < n; ++k) {
          const Record& r = s.records[list[i + k]];
          slots[k] = slot_of[r.level];
          quantities[k] = r.quantity;
        }
        for (std::size_t k = 0; k < n; ++k) tally(slots[k], s.records[list[i + k]], quantities[k]);
      }
    } else {
      const std::size_t end = std::min<std::size_t>(window.until, s.records.size());
      for (std::size_t p = window.from; p < end; ++p) tally_record(slot_of[s.records[p].level], s.records[p]);
    }
  } else {
    for (std::size_t slot = 0; slot < keyed.size(); ++slot) {
      const Positions list = s.levels[keyed[slot].level].movements;
      const auto [from, until] = range_in(list, window);
      for (std::size_t i = from; i < until; ++i) tally_record(slot, s.records[list[i]]);
    }
  }
  // The rows: a level with no movement in the window shows only if it held stock at the window's start.
  std::vector<ReportRow> rows;
  rows.reserve(keyed.size());
  for (std::size_t slot = 0; slot < keyed.size(); ++slot) {
    const Tally& t = tallies[slot];
    ReportRow row;
    row.opening = t.opening;
    if (seen[slot] == 0) {
      const Level& level = s.levels[keyed[slot].level];
      row.opening = balance_at(s, level, range_in(level.movements, window).first);
      if (row.opening == 0) continue;
    }
    row.product_id = keyed[slot].product;
    row.workspace_id = keyed[slot].workspace;
    row.quantity_in = t.quantity_in;
    row.quantity_out = t.quantity_out;
    row.net = t.quantity_in - t.quantity_out;
    row.closing = row.opening + row.net;
    std::copy(t.counts.begin(), t.counts.end(), row.counts.begin());
    rows.push_back(row);
  }
  return rows;
}

}  // namespace stockroom
