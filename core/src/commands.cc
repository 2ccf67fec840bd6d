// Commands: validate everything, then apply all of it. Nothing is written
// unless every item passes, so each command is all or nothing.
#include <algorithm>
#include <optional>
#include <unordered_set>

#include "join.h"
#include "ledger_state.h"
#include "validation.h"

namespace stockroom {
namespace {

FieldPath item_path(const char* list, std::size_t i, const char* field) { return {list, i, field}; }

// The time a command is stamped with: never before the ledger's last
// movement, so id order is time order.
Millis stamp(const LedgerState& s, const Context& ctx) { return std::max(ctx.at, s.last_time); }

Error not_tracked(const LedgerState& s, Index product, const FieldPath& path) {
  Error e = Error::make(ErrorCode::kProductNotTracked,
                        "The product " + s.products[product].name + " (" + s.products[product].sku +
                            ") does not track inventory.");
  e.fields.push_back({path.str(), e.message});
  return e;
}

// The first item whose product does not track inventory, as an error.
std::optional<Error> first_untracked(const LedgerState& s, const std::vector<Index>& products) {
  for (std::size_t i = 0; i < products.size(); ++i) {
    if (!s.products[products[i]].track_inventory) {
      return not_tracked(s, products[i], item_path("items", i, "product_id"));
    }
  }
  return std::nullopt;
}

// Resolves items[i].product_id, refusing a product that an earlier item named.
Index unique_product(Validator& v, std::unordered_set<Index>& seen, std::size_t i, Id id) {
  const FieldPath path = item_path("items", i, "product_id");
  const Index p = v.product(path, id);
  if (p != kNoIndex && !seen.insert(p).second) v.add(path, "The product appears more than once.");
  return p;
}

// `path` names the request field that asked for the stock, so a client of a
// many-item command knows which item failed.
Error insufficient(const LedgerState& s, Index product, Index workspace, Raw available,
                   Raw requested, const FieldPath& path) {
  const ProductInfo& p = s.products[product];
  Error e = Error::make(ErrorCode::kInsufficientStock,
                        join({"Insufficient stock of ", p.name, " (", p.sku, ") in ",
                              s.workspaces[workspace].name, ": ", DecimalText(available, p.decimals),
                              " available, ", DecimalText(requested, p.decimals), " requested."}));
  e.details = StockDetails{p.id, s.workspaces[workspace].id, available, requested, p.decimals};
  e.fields.push_back({path.str(), e.message});
  return e;
}

Error stale(const LedgerState& s, Index product, Index workspace, Raw level, Raw expected,
            const FieldPath& path) {
  const ProductInfo& p = s.products[product];
  Error e = Error::make(ErrorCode::kStaleQuantity,
                        join({"The stock of ", p.name, " (", p.sku, ") is ", DecimalText(level, p.decimals),
                              ", not the expected ", DecimalText(expected, p.decimals), "."}));
  e.fields.push_back({path.str(), e.message});
  e.details = StockDetails{p.id, s.workspaces[workspace].id, level, expected, p.decimals};
  return e;
}

Error level_overflow(const FieldPath& path) {
  return Error::field(path.str(), "The resulting stock level would be out of range.");
}

Raw current(const LedgerState& s, Index product, Index workspace) {
  const Index l = s.find_level(product, workspace);
  return l == kNoIndex ? 0 : s.levels[l].quantity;
}

// A movement about to be written: its record and the id it links to.
struct Pending {
  Record record;
  std::uint32_t linked = 0;
};

// Appends `records` (already validated) and reports their ids.
CommandOutcome commit(LedgerState& s, const std::vector<Pending>& records) {
  CommandOutcome out;
  out.movement_ids.reserve(records.size());
  for (const Pending& p : records) {
    s.append(p.record, p.linked);
    out.movement_ids.push_back(static_cast<Id>(s.records.size()));
  }
  return out;
}

// A record of `level`, with the texts `text` and, for a transfer leg, the other workspace: call it
// only once the command has passed every check.
Record base_record(LedgerState& s, const Context& ctx, MovementType type, Index level, Raw quantity,
                   Index text, Index other_workspace = kNoIndex) {
  Record r;
  r.set_type(type);
  r.level = level;
  r.quantity = quantity;
  r.set_created_at(stamp(s, ctx));
  r.context = s.intern_context({s.intern_actor(ctx.actor), text, other_workspace});
  return r;
}

// The same for the level of `product` in `workspace`, which this creates if needed.
Record base_record(LedgerState& s, const Context& ctx, MovementType type, Index product,
                   Index workspace, Raw quantity, Index text, Index other_workspace = kNoIndex) {
  return base_record(s, ctx, type, s.ensure_level(product, workspace), quantity, text, other_workspace);
}

}  // namespace

Result<CommandOutcome> Ledger::initial_stock(const Context& ctx, const InitialStockCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index ws = v.workspace("workspace_id", cmd.workspace_id);
  v.text("reference", cmd.reference, kMaxReference);
  v.text("notes", cmd.notes, kMaxNotes);
  std::vector<Index> products(cmd.items.size(), kNoIndex);
  if (v.count("items", cmd.items.size())) {
    std::unordered_set<Index> seen;
    for (std::size_t i = 0; i < cmd.items.size(); ++i) {
      const InitialStockItem& item = cmd.items[i];
      const Index p = products[i] = unique_product(v, seen, i, item.product_id);
      v.quantity(item_path("items", i, "quantity"), item.quantity, p, Sign::kNonNegative);
      if (item.cost_per_unit) v.money(item_path("items", i, "cost_per_unit"), *item.cost_per_unit);
      if (item.minimum) {
        v.quantity(item_path("items", i, "minimum_quantity"), *item.minimum, p, Sign::kNonNegative);
      }
    }
  }
  if (!v.ok()) return v.error();
  if (auto untracked = first_untracked(s, products)) return *untracked;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const Index l = s.find_level(products[i], ws);
    if (l != kNoIndex && !s.levels[l].movements.empty()) {
      const ProductInfo& p = s.products[products[i]];
      Error e = Error::make(ErrorCode::kInitialStockAlreadySet,
                            "Initial stock of " + p.name + " (" + p.sku + ") in " +
                                s.workspaces[ws].name + " is already set: it has movements.");
      e.fields.push_back({item_path("items", i, "product_id").str(), e.message});
      return e;
    }
  }
  std::vector<Pending> records;
  const Index text = s.intern_text(cmd.reference, cmd.notes);
  for (std::size_t i = 0; i < products.size(); ++i) {
    const InitialStockItem& item = cmd.items[i];
    if (item.quantity == 0) continue;
    Record r = base_record(s, ctx, MovementType::kInitialStock, products[i], ws, item.quantity, text);
    if (item.cost_per_unit) {
      r.set_has_cost(true);
      r.aux = *item.cost_per_unit;
    }
    records.push_back({r});
  }
  CommandOutcome out = commit(s, records);
  for (std::size_t i = 0; i < products.size(); ++i) {
    const InitialStockItem& item = cmd.items[i];
    // Zero stock still "sets" the level: it now shows in the workspace.
    const Index l = s.ensure_level(products[i], ws);
    if (item.minimum) {
      s.set_minimum(l, *item.minimum);
      out.minimums.push_back({cmd.items[i].product_id, cmd.workspace_id, *item.minimum});
    }
  }
  return out;
}

Result<CommandOutcome> Ledger::adjust(const Context& ctx, const AdjustCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index ws = v.workspace("workspace_id", cmd.workspace_id);
  v.text("reference", cmd.reference, kMaxReference);
  std::vector<Index> products(cmd.items.size(), kNoIndex);
  if (v.count("items", cmd.items.size())) {
    std::unordered_set<Index> seen;
    for (std::size_t i = 0; i < cmd.items.size(); ++i) {
      const AdjustItem& item = cmd.items[i];
      const Index p = products[i] = unique_product(v, seen, i, item.product_id);
      v.quantity(item_path("items", i, "quantity"), item.quantity, p, Sign::kNonZero);
      if (item.reason == Reason::kNone) {
        v.add(item_path("items", i, "reason"),
              "The reason must be one of damaged, lost, found, recount, other.");
      }
      v.text(item_path("items", i, "notes"), item.notes, kMaxNotes);
      if (item.expected_quantity) {
        v.quantity(item_path("items", i, "expected_quantity"), *item.expected_quantity, p, Sign::kAny);
      }
    }
  }
  if (!v.ok()) return v.error();
  if (auto untracked = first_untracked(s, products)) return *untracked;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const AdjustItem& item = cmd.items[i];
    const Raw level = current(s, products[i], ws);
    if (item.expected_quantity && *item.expected_quantity != level) {
      return stale(s, products[i], ws, level, *item.expected_quantity,
                   item_path("items", i, "expected_quantity"));
    }
    Raw after = 0;
    if (!checked_add(level, item.quantity, &after)) {
      return level_overflow(item_path("items", i, "quantity"));
    }
    if (after < 0 && !s.products[products[i]].allow_negative_stock) {
      return insufficient(s, products[i], ws, level, -item.quantity, item_path("items", i, "quantity"));
    }
  }
  std::vector<Pending> records;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const AdjustItem& item = cmd.items[i];
    const Index text = s.intern_text(cmd.reference, item.notes);
    Record r = base_record(s, ctx, MovementType::kAdjustment, products[i], ws, item.quantity, text);
    r.set_reason(item.reason);
    records.push_back({r});
  }
  return commit(s, records);
}

Result<CommandOutcome> Ledger::transfer(const Context& ctx, const TransferCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index p = v.product("product_id", cmd.product_id);
  const Index from = v.workspace("from_workspace_id", cmd.from_workspace_id);
  Index to = kNoIndex;
  if (cmd.to_workspace_id == cmd.from_workspace_id && cmd.to_workspace_id > 0) {
    v.add("to_workspace_id",
          "The destination workspace must be different from the source workspace.");
  } else {
    to = v.workspace("to_workspace_id", cmd.to_workspace_id);
  }
  v.quantity("quantity", cmd.quantity, p, Sign::kPositive);
  if (cmd.expected_quantity) v.quantity("expected_quantity", *cmd.expected_quantity, p, Sign::kAny);
  v.text("reference", cmd.reference, kMaxReference);
  v.text("notes", cmd.notes, kMaxNotes);
  if (!v.ok()) return v.error();
  if (!s.products[p].track_inventory) return not_tracked(s, p, "product_id");
  const Raw level = current(s, p, from);
  if (cmd.expected_quantity && *cmd.expected_quantity != level) {
    return stale(s, p, from, level, *cmd.expected_quantity, "expected_quantity");
  }
  // Transfers never take the source below zero, whatever the product allows:
  // stock that is not there cannot be shipped.
  if (level - cmd.quantity < 0) return insufficient(s, p, from, level, cmd.quantity, "quantity");
  Raw after = 0;
  if (!checked_add(current(s, p, to), cmd.quantity, &after)) return level_overflow("quantity");

  const auto out_id = static_cast<std::uint32_t>(s.records.size() + 1);
  const Index text = s.intern_text(cmd.reference, cmd.notes);
  std::vector<Pending> records;
  const Record out = base_record(s, ctx, MovementType::kTransferOut, p, from, -cmd.quantity, text, to);
  const Record in = base_record(s, ctx, MovementType::kTransferIn, p, to, cmd.quantity, text, from);
  records.push_back({out, out_id + 1});
  records.push_back({in, out_id});
  return commit(s, records);
}

Result<CommandOutcome> Ledger::sell(const Context& ctx, const SellCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index ws = v.workspace("workspace_id", cmd.workspace_id);
  v.positive_id("invoice_id", cmd.invoice_id);
  v.text("reference", cmd.reference, kMaxReference);
  // A product's lines are summed into one movement, in order of first appearance.
  std::vector<Index> order;
  std::vector<Raw> totals;
  std::vector<std::size_t> first_line;
  if (v.count("lines", cmd.lines.size())) {
    for (std::size_t i = 0; i < cmd.lines.size(); ++i) {
      const SaleLine& line = cmd.lines[i];
      const Index p = v.product(item_path("lines", i, "product_id"), line.product_id);
      v.quantity(item_path("lines", i, "quantity"), line.quantity, p, Sign::kPositive);
      if (p == kNoIndex || !s.products[p].track_inventory) continue;
      const auto it = std::find(order.begin(), order.end(), p);
      if (it == order.end()) {
        order.push_back(p);
        totals.push_back(line.quantity);
        first_line.push_back(i);
      } else {
        Raw& total = totals[static_cast<std::size_t>(it - order.begin())];
        if (!checked_add(total, line.quantity, &total)) {
          v.add(item_path("lines", i, "quantity"), "The quantity is out of range.");
        }
      }
    }
  }
  if (!v.ok()) return v.error();
  if (s.invoice(cmd.invoice_id) != nullptr) {
    return Error::make(ErrorCode::kConflict, "The invoice already has sale movements.");
  }
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Raw level = current(s, order[k], ws);
    if (level - totals[k] < 0 && !s.products[order[k]].allow_negative_stock) {
      return insufficient(s, order[k], ws, level, totals[k], item_path("lines", first_line[k], "quantity"));
    }
  }
  std::vector<Pending> records;
  const Index text = s.intern_text(cmd.reference, "");
  for (std::size_t k = 0; k < order.size(); ++k) {
    Record r = base_record(s, ctx, MovementType::kSale, order[k], ws, -totals[k], text);
    r.aux = cmd.invoice_id;
    records.push_back({r});
  }
  return commit(s, records);
}

Result<CommandOutcome> Ledger::void_sale(const Context& ctx, const VoidSaleCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  v.positive_id("invoice_id", cmd.invoice_id);
  v.text("notes", cmd.notes, kMaxNotes);
  if (!v.ok()) return v.error();
  const InvoiceSales* found = s.invoice(cmd.invoice_id);
  if (found == nullptr) return CommandOutcome{};
  if (found->voided) return Error::make(ErrorCode::kConflict, "The invoice has already been voided.");
  const InvoiceSales sales = *found;  // copied: append() updates the map
  std::vector<Pending> records;
  for (std::uint32_t position = sales.first; position < sales.first + sales.count; ++position) {
    const Record& original = s.records[position];
    Raw after = 0;
    if (!checked_add(s.levels[original.level].quantity, -original.quantity, &after)) {
      return level_overflow("invoice_id");
    }
    const Index text = s.intern_text(s.texts.reference(s.contexts[original.context].text), cmd.notes);
    Record r = base_record(s, ctx, MovementType::kSale, original.level, -original.quantity, text);
    r.aux = cmd.invoice_id;
    records.push_back({r, position + 1});
  }
  return commit(s, records);
}

Result<CommandOutcome> Ledger::purchase(const Context& ctx, const PurchaseCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index ws = v.workspace("workspace_id", cmd.workspace_id);
  v.text("reference", cmd.reference, kMaxReference);
  v.text("notes", cmd.notes, kMaxNotes);
  std::vector<Index> products(cmd.items.size(), kNoIndex);
  if (v.count("items", cmd.items.size())) {
    for (std::size_t i = 0; i < cmd.items.size(); ++i) {
      const PurchaseItem& item = cmd.items[i];
      products[i] = v.product(item_path("items", i, "product_id"), item.product_id);
      v.quantity(item_path("items", i, "quantity"), item.quantity, products[i], Sign::kPositive);
      if (item.unit_cost) v.money(item_path("items", i, "unit_cost"), *item.unit_cost);
    }
  }
  if (!v.ok()) return v.error();
  if (auto untracked = first_untracked(s, products)) return *untracked;
  // Several items may name one product: check the running level.
  std::unordered_map<Index, Raw> running;
  for (std::size_t i = 0; i < products.size(); ++i) {
    auto [it, inserted] = running.try_emplace(products[i], current(s, products[i], ws));
    if (!checked_add(it->second, cmd.items[i].quantity, &it->second)) {
      return level_overflow(item_path("items", i, "quantity"));
    }
  }
  std::vector<Pending> records;
  const Index text = s.intern_text(cmd.reference, cmd.notes);
  for (std::size_t i = 0; i < products.size(); ++i) {
    const PurchaseItem& item = cmd.items[i];
    Record r = base_record(s, ctx, MovementType::kPurchase, products[i], ws, item.quantity, text);
    if (item.unit_cost) {
      r.set_has_cost(true);
      r.aux = *item.unit_cost;
    }
    records.push_back({r});
  }
  return commit(s, records);
}

Result<CommandOutcome> Ledger::count(const Context& ctx, const CountCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index ws = v.workspace("workspace_id", cmd.workspace_id);
  v.text("reference", cmd.reference, kMaxReference);
  std::vector<Index> products(cmd.items.size(), kNoIndex);
  if (v.count("items", cmd.items.size())) {
    std::unordered_set<Index> seen;
    for (std::size_t i = 0; i < cmd.items.size(); ++i) {
      const CountItem& item = cmd.items[i];
      const Index p = products[i] = unique_product(v, seen, i, item.product_id);
      v.quantity(item_path("items", i, "quantity"), item.counted, p, Sign::kNonNegative);
      v.text(item_path("items", i, "notes"), item.notes, kMaxNotes);
    }
  }
  if (!v.ok()) return v.error();
  if (auto untracked = first_untracked(s, products)) return *untracked;
  std::vector<Pending> records;
  for (std::size_t i = 0; i < products.size(); ++i) {
    const Raw difference = cmd.items[i].counted - current(s, products[i], ws);
    if (difference == 0) continue;
    const Index text = s.intern_text(cmd.reference, cmd.items[i].notes);
    Record r = base_record(s, ctx, MovementType::kAdjustment, products[i], ws, difference, text);
    r.set_reason(Reason::kRecount);
    records.push_back({r});
  }
  return commit(s, records);
}

Result<CommandOutcome> Ledger::set_minimum(const Context& ctx, const SetMinimumCommand& cmd) {
  LedgerState& s = *s_;
  Validator v(s, ctx);
  const Index p = v.product("product_id", cmd.product_id);
  const Index ws = v.workspace("workspace_id", cmd.workspace_id);
  v.quantity("minimum_quantity", cmd.minimum, p, Sign::kNonNegative);
  if (!v.ok()) return v.error();
  if (!s.products[p].track_inventory) return not_tracked(s, p, "product_id");
  s.set_minimum(s.ensure_level(p, ws), cmd.minimum);
  CommandOutcome out;
  out.minimums.push_back({cmd.product_id, cmd.workspace_id, cmd.minimum});
  return out;
}

}  // namespace stockroom
