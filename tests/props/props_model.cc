// Catalog, command generator and the reference model of the property tests.
// The model is written from the documents (API.md 2-4, core-protocol.md),
// independently of core/src.
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "props_harness.h"

namespace props {

using stockroom::ErrorCode;
using stockroom::kMaxInputMagnitude;
using stockroom::kMaxItems;
using stockroom::kMaxNotes;
using stockroom::kMaxReference;
using stockroom::Movement;
using stockroom::MovementType;
using stockroom::Reason;

// ---------------------------------------------------------------- catalog

const stockroom::ProductInfo* Catalog::product(Id id) const {
  for (const auto& p : products) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

const stockroom::WorkspaceInfo* Catalog::workspace(Id id) const {
  for (const auto& w : workspaces) {
    if (w.id == id) return &w;
  }
  return nullptr;
}

bool Catalog::usable_workspace(Id id) const {
  const auto* w = workspace(id);
  return w != nullptr && w->active;
}

const Catalog& catalog() {
  static const Catalog c = [] {
    Catalog out;
    out.workspaces = {
        {2, "Main Store", true},
        {3, "Warehouse", true},
        {7, "Outlet \"North\"", true},
        {11, "Closed Depot", false},
    };
    for (int i = 0; i < 20; ++i) {
      stockroom::ProductInfo p;
      p.id = 100 + 3 * i;
      p.sku = "SKU-" + std::to_string(i);
      p.name = "Product " + std::to_string(i);
      p.decimals = i % 5;
      p.allow_negative_stock = (i % 4 == 1);
      p.track_inventory = !(i == 6 || i == 13 || i == 18);
      p.active = true;
      out.products.push_back(p);
    }
    for (int k = 0; k < 30; ++k) {
      stockroom::ProductInfo p;
      // Hosts usually register products in id order, and the report orders a workspace's rows without
      // sorting while they are; one late product with a lower id ends that halfway through each run.
      p.id = k == 15 ? 99 : 200 + 2 * k;
      p.sku = "LATE-" + std::to_string(k);
      p.name = "Late product " + std::to_string(k);
      p.decimals = (k + 2) % 5;
      p.allow_negative_stock = (k % 3 == 0);
      p.track_inventory = (k % 10 != 7);
      out.products.push_back(p);
    }
    return out;
  }();
  return c;
}

void register_catalog(stockroom::Ledger& ledger, std::size_t products) {
  for (const auto& w : catalog().workspaces) {
    auto r = ledger.upsert_workspace(w);
    if (!r.ok()) BOOST_FAIL("upsert_workspace failed: " << r.error().message);
  }
  for (std::size_t i = 0; i < products && i < catalog().products.size(); ++i) {
    const auto& p = catalog().products[i];
    auto r = ledger.upsert_product(p);
    if (!r.ok()) BOOST_FAIL("upsert_product failed: " << r.error().message);
  }
}

// ---------------------------------------------------------------- helpers

namespace {

Raw unit_of(int decimals) {
  Raw u = 1;
  for (int i = decimals; i < stockroom::kScalePlaces; ++i) u *= 10;
  return u;
}

bool fits(Raw q, int decimals) { return q % unit_of(decimals) == 0; }

bool magnitude_ok(Raw q) { return q <= kMaxInputMagnitude && q >= -kMaxInputMagnitude; }

std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    switch (ch) {
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      default: out += ch;
    }
  }
  if (out.size() > 40) {
    out = out.substr(0, 30) + "...(" + std::to_string(s.size()) + " bytes)";
  }
  return out + "\"";
}

std::string opt(const std::optional<Raw>& v) {
  return v ? std::to_string(*v) : std::string("none");
}

const char* reason_text(Reason r) {
  switch (r) {
    case Reason::kNone: return "none";
    case Reason::kDamaged: return "damaged";
    case Reason::kLost: return "lost";
    case Reason::kFound: return "found";
    case Reason::kRecount: return "recount";
    case Reason::kOther: return "other";
  }
  return "?";
}

/// Accumulates the model's verdict on a command.
struct Verdict {
  Expected e;
  void fail(ErrorCode code) { e.errors.insert(code); }
};

}  // namespace

const char* command_kind_name(std::size_t index) {
  static const char* const kNames[kCommandKinds] = {
      "initial_stock", "adjust", "transfer", "sell", "void_sale", "purchase", "count", "set_minimum"};
  return index < static_cast<std::size_t>(kCommandKinds) ? kNames[index] : "?";
}

std::string describe(const Step& step) {
  std::ostringstream os;
  os << command_kind_name(step.cmd.index()) << " at=" << step.ctx.at << " actor={" << step.ctx.actor.id
     << "," << quote(step.ctx.actor.name) << "} ";
  std::visit(
      [&os](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, stockroom::InitialStockCommand>) {
          os << "ws=" << c.workspace_id << " ref=" << quote(c.reference) << " notes=" << quote(c.notes)
             << " items(" << c.items.size() << ")=[";
          for (std::size_t i = 0; i < c.items.size() && i < 8; ++i) {
            const auto& it = c.items[i];
            os << "{p=" << it.product_id << " q=" << it.quantity << " cost=" << opt(it.cost_per_unit)
               << " min=" << opt(it.minimum) << "}";
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, stockroom::AdjustCommand>) {
          os << "ws=" << c.workspace_id << " ref=" << quote(c.reference) << " items(" << c.items.size()
             << ")=[";
          for (std::size_t i = 0; i < c.items.size() && i < 8; ++i) {
            const auto& it = c.items[i];
            os << "{p=" << it.product_id << " q=" << it.quantity << " reason=" << reason_text(it.reason)
               << " notes=" << quote(it.notes) << " expected=" << opt(it.expected_quantity) << "}";
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, stockroom::TransferCommand>) {
          os << "p=" << c.product_id << " from=" << c.from_workspace_id << " to=" << c.to_workspace_id
             << " q=" << c.quantity << " ref=" << quote(c.reference) << " notes=" << quote(c.notes)
             << " expected=" << opt(c.expected_quantity);
        } else if constexpr (std::is_same_v<T, stockroom::SellCommand>) {
          os << "ws=" << c.workspace_id << " invoice=" << c.invoice_id << " ref=" << quote(c.reference)
             << " lines(" << c.lines.size() << ")=[";
          for (std::size_t i = 0; i < c.lines.size() && i < 8; ++i) {
            os << "{p=" << c.lines[i].product_id << " q=" << c.lines[i].quantity << "}";
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, stockroom::VoidSaleCommand>) {
          os << "invoice=" << c.invoice_id << " notes=" << quote(c.notes);
        } else if constexpr (std::is_same_v<T, stockroom::PurchaseCommand>) {
          os << "ws=" << c.workspace_id << " ref=" << quote(c.reference) << " notes=" << quote(c.notes)
             << " items(" << c.items.size() << ")=[";
          for (std::size_t i = 0; i < c.items.size() && i < 8; ++i) {
            const auto& it = c.items[i];
            os << "{p=" << it.product_id << " q=" << it.quantity << " cost=" << opt(it.unit_cost) << "}";
          }
          os << "]";
        } else if constexpr (std::is_same_v<T, stockroom::CountCommand>) {
          os << "ws=" << c.workspace_id << " ref=" << quote(c.reference) << " items(" << c.items.size()
             << ")=[";
          for (std::size_t i = 0; i < c.items.size() && i < 8; ++i) {
            const auto& it = c.items[i];
            os << "{p=" << it.product_id << " counted=" << it.counted << " notes=" << quote(it.notes)
               << "}";
          }
          os << "]";
        } else {
          os << "p=" << c.product_id << " ws=" << c.workspace_id << " min=" << c.minimum;
        }
      },
      step.cmd);
  return os.str();
}

stockroom::Result<stockroom::CommandOutcome> execute(stockroom::Ledger& ledger, const Step& step) {
  return std::visit(
      [&](const auto& c) -> stockroom::Result<stockroom::CommandOutcome> {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, stockroom::InitialStockCommand>) {
          return ledger.initial_stock(step.ctx, c);
        } else if constexpr (std::is_same_v<T, stockroom::AdjustCommand>) {
          return ledger.adjust(step.ctx, c);
        } else if constexpr (std::is_same_v<T, stockroom::TransferCommand>) {
          return ledger.transfer(step.ctx, c);
        } else if constexpr (std::is_same_v<T, stockroom::SellCommand>) {
          return ledger.sell(step.ctx, c);
        } else if constexpr (std::is_same_v<T, stockroom::VoidSaleCommand>) {
          return ledger.void_sale(step.ctx, c);
        } else if constexpr (std::is_same_v<T, stockroom::PurchaseCommand>) {
          return ledger.purchase(step.ctx, c);
        } else if constexpr (std::is_same_v<T, stockroom::CountCommand>) {
          return ledger.count(step.ctx, c);
        } else {
          return ledger.set_minimum(step.ctx, c);
        }
      },
      step.cmd);
}

// ---------------------------------------------------------------- model

const stockroom::ProductInfo* Model::known(Id id) const {
  const auto& ps = catalog().products;
  for (std::size_t i = 0; i < registered && i < ps.size(); ++i) {
    if (ps[i].id == id) return &ps[i];
  }
  return nullptr;
}

Raw Model::level(Id product, Id workspace) const {
  auto it = levels.find({product, workspace});
  return it == levels.end() ? 0 : it->second;
}

Raw Model::minimum(Id product, Id workspace) const {
  auto it = minimums.find({product, workspace});
  return it == minimums.end() ? 0 : it->second;
}

Raw Model::level_before(Id product, Id workspace, Millis before) const {
  Raw sum = 0;
  for (const auto& m : movements) {
    if (m.created_at >= before) break;  // created_at never decreases with id
    if (m.product_id == product && m.workspace_id == workspace) sum += m.quantity;
  }
  return sum;
}

Expected Model::predict(const Step& step) const {
  const Catalog& cat = catalog();
  Verdict v;
  Expected& e = v.e;
  const Millis at = std::max(step.ctx.at, last_time);
  std::map<Key, Raw> running;  // levels as the command's own movements change them
  auto current = [&](Id p, Id w) {
    auto it = running.find({p, w});
    return it == running.end() ? level(p, w) : it->second;
  };
  auto emit = [&](Movement m, bool loose = false) {
    m.id = static_cast<Id>(movements.size() + e.movements.size()) + 1;
    m.created_by = step.ctx.actor;
    m.created_at = at;
    Raw& r = running.try_emplace({m.product_id, m.workspace_id}, level(m.product_id, m.workspace_id))
                 .first->second;
    r += m.quantity;
    m.balance_after = r;
    e.movements.push_back(std::move(m));
    e.loose.push_back(loose);
  };
  auto check_items_size = [&](std::size_t n) {
    if (n == 0 || n > kMaxItems) v.fail(ErrorCode::kValidationFailed);
  };
  auto check_text = [&](const std::string& reference, const std::string& notes) {
    if (reference.size() > kMaxReference || notes.size() > kMaxNotes) v.fail(ErrorCode::kValidationFailed);
  };
  // A quantity that must be > 0 (or >= 0 with allow_zero), fitting the places.
  auto quantity_ok = [](Raw q, int decimals, bool allow_zero) {
    return (allow_zero ? q >= 0 : q > 0) && magnitude_ok(q) && fits(q, decimals);
  };
  auto money_ok = [](const std::optional<Raw>& m) { return !m || (*m >= 0 && magnitude_ok(*m)); };

  switch (step.cmd.index()) {
    case 0: {  // initial_stock
      const auto& c = std::get<stockroom::InitialStockCommand>(step.cmd);
      const bool ws_ok = cat.usable_workspace(c.workspace_id);
      if (!ws_ok) v.fail(ErrorCode::kValidationFailed);
      check_items_size(c.items.size());
      check_text(c.reference, c.notes);
      std::set<Id> seen;
      for (const auto& it : c.items) {
        if (!seen.insert(it.product_id).second) v.fail(ErrorCode::kValidationFailed);
        const auto* p = known(it.product_id);
        if (p == nullptr) {
          v.fail(ErrorCode::kValidationFailed);
          continue;
        }
        if (!p->track_inventory) v.fail(ErrorCode::kProductNotTracked);
        if (!quantity_ok(it.quantity, p->decimals, true)) v.fail(ErrorCode::kValidationFailed);
        if (!money_ok(it.cost_per_unit)) v.fail(ErrorCode::kValidationFailed);
        if (it.minimum && !quantity_ok(*it.minimum, p->decimals, true)) v.fail(ErrorCode::kValidationFailed);
        if (ws_ok && p->track_inventory && moved.count({it.product_id, c.workspace_id}) != 0) {
          v.fail(ErrorCode::kInitialStockAlreadySet);
        }
      }
      if (!e.errors.empty()) break;
      for (const auto& it : c.items) {
        e.touched.insert({it.product_id, c.workspace_id});
        if (it.quantity > 0) {
          Movement m;
          m.type = MovementType::kInitialStock;
          m.product_id = it.product_id;
          m.workspace_id = c.workspace_id;
          m.quantity = it.quantity;
          m.unit_cost = it.cost_per_unit;
          m.reference = c.reference;
          m.notes = c.notes;
          emit(std::move(m));
        }
        if (it.minimum) e.minimums.push_back({it.product_id, c.workspace_id, *it.minimum});
      }
      break;
    }
    case 1: {  // adjust
      const auto& c = std::get<stockroom::AdjustCommand>(step.cmd);
      const bool ws_ok = cat.usable_workspace(c.workspace_id);
      if (!ws_ok) v.fail(ErrorCode::kValidationFailed);
      check_items_size(c.items.size());
      check_text(c.reference, "");
      std::set<Id> seen;
      for (const auto& it : c.items) {
        if (!seen.insert(it.product_id).second) v.fail(ErrorCode::kValidationFailed);
        if (it.reason == Reason::kNone) v.fail(ErrorCode::kValidationFailed);
        check_text("", it.notes);
        const auto* p = known(it.product_id);
        if (p == nullptr) {
          v.fail(ErrorCode::kValidationFailed);
          continue;
        }
        if (!p->track_inventory) v.fail(ErrorCode::kProductNotTracked);
        const bool q_ok = it.quantity != 0 && magnitude_ok(it.quantity) && fits(it.quantity, p->decimals);
        if (!q_ok) v.fail(ErrorCode::kValidationFailed);
        // expected_quantity is an input quantity: the same limits apply.
        if (it.expected_quantity && !magnitude_ok(*it.expected_quantity)) v.fail(ErrorCode::kValidationFailed);
        if (!ws_ok || !p->track_inventory) continue;
        const Raw now = level(it.product_id, c.workspace_id);
        if (it.expected_quantity && *it.expected_quantity != now) {
          v.fail(ErrorCode::kStaleQuantity);
          e.detail_keys.insert({it.product_id, c.workspace_id});
        }
        if (q_ok && now + it.quantity < 0 && !p->allow_negative_stock) {
          v.fail(ErrorCode::kInsufficientStock);
          e.detail_keys.insert({it.product_id, c.workspace_id});
        }
      }
      if (!e.errors.empty()) break;
      for (const auto& it : c.items) {
        Movement m;
        m.type = MovementType::kAdjustment;
        m.product_id = it.product_id;
        m.workspace_id = c.workspace_id;
        m.quantity = it.quantity;
        m.reason = it.reason;
        m.reference = c.reference;
        m.notes = it.notes;
        emit(std::move(m));
      }
      break;
    }
    case 2: {  // transfer
      const auto& c = std::get<stockroom::TransferCommand>(step.cmd);
      const auto* p = known(c.product_id);
      const bool from_ok = cat.usable_workspace(c.from_workspace_id);
      const bool to_ok = cat.usable_workspace(c.to_workspace_id) && c.to_workspace_id != c.from_workspace_id;
      if (!from_ok || !to_ok) v.fail(ErrorCode::kValidationFailed);
      check_text(c.reference, c.notes);
      bool q_ok = false;
      if (p == nullptr) {
        v.fail(ErrorCode::kValidationFailed);
      } else {
        if (!p->track_inventory) v.fail(ErrorCode::kProductNotTracked);
        q_ok = quantity_ok(c.quantity, p->decimals, false);
        if (!q_ok) v.fail(ErrorCode::kValidationFailed);
      }
      if (c.expected_quantity && !magnitude_ok(*c.expected_quantity)) v.fail(ErrorCode::kValidationFailed);
      if (p != nullptr && p->track_inventory && from_ok) {
        const Raw now = level(c.product_id, c.from_workspace_id);
        if (c.expected_quantity && *c.expected_quantity != now) {
          v.fail(ErrorCode::kStaleQuantity);
          e.detail_keys.insert({c.product_id, c.from_workspace_id});
        }
        // Never below zero at the source, whatever the product allows.
        if (q_ok && now - c.quantity < 0) {
          v.fail(ErrorCode::kInsufficientStock);
          e.detail_keys.insert({c.product_id, c.from_workspace_id});
        }
      }
      if (!e.errors.empty()) break;
      const Id out_id = static_cast<Id>(movements.size()) + 1;
      Movement out;
      out.type = MovementType::kTransferOut;
      out.product_id = c.product_id;
      out.workspace_id = c.from_workspace_id;
      out.quantity = -c.quantity;
      out.from_workspace_id = c.from_workspace_id;
      out.to_workspace_id = c.to_workspace_id;
      out.linked_movement_id = out_id + 1;
      out.reference = c.reference;
      out.notes = c.notes;
      Movement in = out;
      in.type = MovementType::kTransferIn;
      in.workspace_id = c.to_workspace_id;
      in.quantity = c.quantity;
      in.linked_movement_id = out_id;
      emit(std::move(out));
      emit(std::move(in));
      break;
    }
    case 3: {  // sell
      const auto& c = std::get<stockroom::SellCommand>(step.cmd);
      const bool ws_ok = cat.usable_workspace(c.workspace_id);
      if (!ws_ok) v.fail(ErrorCode::kValidationFailed);
      if (c.invoice_id <= 0) v.fail(ErrorCode::kValidationFailed);
      check_items_size(c.lines.size());
      check_text(c.reference, "");
      auto inv = invoices.find(c.invoice_id);
      if (inv != invoices.end() && !inv->second.sales.empty()) {
        // The generator never reuses an invoice id; the documents do not
        // say what reusing one does.
        v.fail(ErrorCode::kConflict);
        v.fail(ErrorCode::kValidationFailed);
        e.may_succeed = true;
      }
      std::vector<Id> order;
      std::map<Id, Raw> sums;
      for (const auto& line : c.lines) {
        const auto* p = known(line.product_id);
        if (p == nullptr) {
          v.fail(ErrorCode::kValidationFailed);
          continue;
        }
        if (!quantity_ok(line.quantity, p->decimals, false)) {
          v.fail(ErrorCode::kValidationFailed);
          continue;
        }
        if (!p->track_inventory) continue;  // untracked lines write nothing
        if (sums.count(line.product_id) == 0) order.push_back(line.product_id);
        sums[line.product_id] += line.quantity;
      }
      if (ws_ok) {
        for (Id pid : order) {
          const auto* p = known(pid);
          if (!p->allow_negative_stock && level(pid, c.workspace_id) - sums[pid] < 0) {
            v.fail(ErrorCode::kInsufficientStock);
            e.detail_keys.insert({pid, c.workspace_id});
          }
        }
      }
      if (!e.errors.empty() && !e.may_succeed) break;
      e.sells = c.invoice_id;
      for (Id pid : order) {
        Movement m;
        m.type = MovementType::kSale;
        m.product_id = pid;
        m.workspace_id = c.workspace_id;
        m.quantity = -sums[pid];
        m.from_workspace_id = c.workspace_id;
        m.invoice_id = c.invoice_id;
        m.reference = c.reference;
        emit(std::move(m));
      }
      break;
    }
    case 4: {  // void_sale
      const auto& c = std::get<stockroom::VoidSaleCommand>(step.cmd);
      if (c.invoice_id <= 0) v.fail(ErrorCode::kValidationFailed);
      check_text("", c.notes);
      auto inv = invoices.find(c.invoice_id);
      const bool has_sales = inv != invoices.end() && !inv->second.sales.empty();
      if (has_sales && inv->second.voided) v.fail(ErrorCode::kConflict);
      if (!e.errors.empty()) break;
      if (!has_sales) break;  // ok, with no movements
      e.voids = c.invoice_id;
      for (Id sid : inv->second.sales) {
        const Movement& orig = movements[static_cast<std::size_t>(sid - 1)];
        Movement m;
        m.type = MovementType::kSale;
        m.product_id = orig.product_id;
        m.workspace_id = orig.workspace_id;
        m.quantity = -orig.quantity;
        m.from_workspace_id = orig.workspace_id;  // loose
        m.invoice_id = c.invoice_id;
        m.linked_movement_id = sid;
        m.reference = orig.reference;  // loose
        m.notes = c.notes;
        emit(std::move(m), true);
      }
      break;
    }
    case 5: {  // purchase
      const auto& c = std::get<stockroom::PurchaseCommand>(step.cmd);
      if (!cat.usable_workspace(c.workspace_id)) v.fail(ErrorCode::kValidationFailed);
      check_items_size(c.items.size());
      check_text(c.reference, c.notes);
      std::set<Id> seen;
      for (const auto& it : c.items) {
        if (!seen.insert(it.product_id).second) {
          // Repeated products: the documents do not say (the generator does
          // not produce them).
          e.may_succeed = true;
          v.fail(ErrorCode::kValidationFailed);
        }
        const auto* p = known(it.product_id);
        if (p == nullptr) {
          v.fail(ErrorCode::kValidationFailed);
          continue;
        }
        if (!p->track_inventory) v.fail(ErrorCode::kProductNotTracked);
        if (!quantity_ok(it.quantity, p->decimals, false)) v.fail(ErrorCode::kValidationFailed);
        if (!money_ok(it.unit_cost)) v.fail(ErrorCode::kValidationFailed);
      }
      if (e.may_succeed && e.errors.size() > 1) e.may_succeed = false;
      if (!e.errors.empty() && !e.may_succeed) break;
      for (const auto& it : c.items) {
        Movement m;
        m.type = MovementType::kPurchase;
        m.product_id = it.product_id;
        m.workspace_id = c.workspace_id;
        m.quantity = it.quantity;
        m.to_workspace_id = c.workspace_id;
        m.unit_cost = it.unit_cost;
        m.reference = c.reference;
        m.notes = c.notes;
        emit(std::move(m));
      }
      break;
    }
    case 6: {  // count
      const auto& c = std::get<stockroom::CountCommand>(step.cmd);
      if (!cat.usable_workspace(c.workspace_id)) v.fail(ErrorCode::kValidationFailed);
      check_items_size(c.items.size());
      check_text(c.reference, "");
      std::set<Id> seen;
      for (const auto& it : c.items) {
        if (!seen.insert(it.product_id).second) v.fail(ErrorCode::kValidationFailed);
        check_text("", it.notes);
        const auto* p = known(it.product_id);
        if (p == nullptr) {
          v.fail(ErrorCode::kValidationFailed);
          continue;
        }
        if (!p->track_inventory) v.fail(ErrorCode::kProductNotTracked);
        if (!quantity_ok(it.counted, p->decimals, true)) v.fail(ErrorCode::kValidationFailed);
      }
      if (!e.errors.empty()) break;
      for (const auto& it : c.items) {
        const Raw diff = it.counted - current(it.product_id, c.workspace_id);
        if (diff == 0) continue;
        Movement m;
        m.type = MovementType::kAdjustment;
        m.product_id = it.product_id;
        m.workspace_id = c.workspace_id;
        m.quantity = diff;
        m.reason = Reason::kRecount;
        m.reference = c.reference;
        m.notes = it.notes;
        emit(std::move(m));
      }
      break;
    }
    default: {  // set_minimum
      const auto& c = std::get<stockroom::SetMinimumCommand>(step.cmd);
      const auto* p = known(c.product_id);
      if (!cat.usable_workspace(c.workspace_id)) v.fail(ErrorCode::kValidationFailed);
      if (p == nullptr) {
        v.fail(ErrorCode::kValidationFailed);
        break;
      }
      if (!quantity_ok(c.minimum, p->decimals, true)) v.fail(ErrorCode::kValidationFailed);
      if (!p->track_inventory) {
        // Not an "inventory operation" in the documents' list? Either way.
        if (e.errors.empty()) e.may_succeed = true;
        v.fail(ErrorCode::kProductNotTracked);
        v.fail(ErrorCode::kValidationFailed);
      }
      if (!e.errors.empty() && !e.may_succeed) break;
      e.minimums.push_back({c.product_id, c.workspace_id, c.minimum});
      e.touched.insert({c.product_id, c.workspace_id});
      break;
    }
  }
  if (!e.errors.empty() && !e.may_succeed) {
    e.movements.clear();
    e.loose.clear();
    e.minimums.clear();
    e.touched.clear();
    e.sells.reset();
    e.voids.reset();
  }
  return e;
}

void Model::commit(const Expected& e) {
  for (const auto& m : e.movements) {
    levels[{m.product_id, m.workspace_id}] += m.quantity;
    moved.insert({m.product_id, m.workspace_id});
    touched.insert({m.product_id, m.workspace_id});
    last_time = m.created_at;
    movements.push_back(m);
  }
  for (const auto& mc : e.minimums) minimums[{mc.product_id, mc.workspace_id}] = mc.minimum;
  for (const auto& k : e.touched) touched.insert(k);
  if (e.sells) {
    auto& inv = invoices[*e.sells];
    for (const auto& m : e.movements) inv.sales.push_back(m.id);
  }
  if (e.voids) invoices[*e.voids].voided = true;
}

// ---------------------------------------------------------------- generator

namespace {
// 2026-01-01T00:00:00Z
constexpr Millis kEpoch2026 = 1'767'225'600'000;
constexpr Millis kHour = 3'600'000;
}  // namespace

Generator::Generator(std::uint64_t seed) : rng_(seed), clock_(kEpoch2026) {}

stockroom::Context Generator::context() {
  stockroom::Context ctx;
  const auto r = below(100);
  if (r < 4) {
    clock_ -= static_cast<Millis>(below(static_cast<std::uint64_t>(stockroom::kMillisPerDay)));
    if (clock_ < kEpoch2026) clock_ = kEpoch2026;
  } else if (r < 20) {
    // same instant as the previous command
  } else {
    clock_ += static_cast<Millis>(below(static_cast<std::uint64_t>(4 * kHour)));
  }
  ctx.at = clock_;
  static const stockroom::Actor kActors[] = {
      {0, ""},
      {5, "John Doe"},
      {7, "Tab\tName \\ back"},
      {9, "Zo\xC3\xAB\nNew\rLine"},
  };
  ctx.actor = kActors[below(4)];
  return ctx;
}

Id Generator::pick_workspace() {
  // Mostly the three active workspaces; the inactive one appears by mutation.
  static const Id kActive[] = {2, 3, 7};
  return kActive[below(3)];
}

Id Generator::pick_product(int untracked_percent) {
  const auto& ps = catalog().products;
  for (;;) {
    const auto& p = ps[below(std::min(registered_, ps.size()))];
    if (p.track_inventory || chance(untracked_percent)) return p.id;
  }
}

std::vector<Id> Generator::distinct_products(std::size_t n, int untracked_percent) {
  std::vector<Id> out;
  while (out.size() < n) {
    const Id id = pick_product(untracked_percent);
    if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

Raw Generator::amount(int decimals) {
  const Raw unit = unit_of(decimals);
  Raw per_whole = stockroom::kScale / unit;  // 10^decimals
  switch (below(10)) {
    case 0: case 1: case 2: case 3: case 4:
      return static_cast<Raw>(1 + below(10)) * stockroom::kScale;
    case 5: case 6: case 7:
      return static_cast<Raw>(1 + below(static_cast<std::uint64_t>(20 * per_whole))) * unit;
    case 8:
      return unit;
    default:
      return static_cast<Raw>(10 + below(2000)) * stockroom::kScale;
  }
}

Raw Generator::decrease(const Model& model, Id product, Id workspace) {
  const auto* p = catalog().product(product);
  const int d = p != nullptr ? p->decimals : 2;
  const Raw unit = unit_of(d);
  const Raw now = model.level(product, workspace);
  const auto r = below(10);
  if (now > 0 && r < 3) return now;                           // down to exactly zero
  if (r < 5) return std::max(now, Raw{0}) + unit;             // one step too far
  if (now >= unit && r < 7) return static_cast<Raw>(1 + below(static_cast<std::uint64_t>(now / unit))) * unit;
  return amount(d);
}

Raw Generator::money() {
  switch (below(4)) {
    case 0: return static_cast<Raw>(below(1'000'000));                       // any 4 places
    case 1: return static_cast<Raw>(below(100'000)) * 100;                   // cents
    case 2: return 0;
    default: return static_cast<Raw>(1 + below(5000)) * stockroom::kScale;  // whole
  }
}

std::string Generator::reference() {
  switch (below(8)) {
    case 0: case 1: case 2: return "";
    case 3: return "REF-" + std::to_string(below(100000));
    case 4: return "tab\there";
    case 5: return "back\\slash\r\nnew";
    case 6: return std::string(kMaxReference, 'r');
    default: return "TRF-2026-" + std::to_string(below(1000));
  }
}

std::string Generator::notes() {
  switch (below(8)) {
    case 0: case 1: case 2: case 3: return "";
    case 4: return "Stock moved\tfor \"reasons\"\n2nd line \\n";
    case 5: return std::string(kMaxNotes, 'n');
    case 6: return "\\";
    default: return "note " + std::to_string(below(1000));
  }
}

Step Generator::next(const Model& model) {
  registered_ = model.registered;
  Step step;
  step.ctx = context();
  const auto kind = below(100);
  if (kind < 8) {
    stockroom::InitialStockCommand c;
    c.workspace_id = pick_workspace();
    c.reference = reference();
    c.notes = notes();
    for (Id pid : distinct_products(1 + below(4), 3)) {
      // Prefer levels without movements so that many of these succeed.
      if (model.moved.count({pid, c.workspace_id}) != 0 && chance(70)) {
        for (int tries = 0; tries < 10; ++tries) {
          const Id other = pick_product(3);
          if (model.moved.count({other, c.workspace_id}) == 0 &&
              std::none_of(c.items.begin(), c.items.end(),
                           [&](const auto& it) { return it.product_id == other; })) {
            pid = other;
            break;
          }
        }
      }
      if (std::any_of(c.items.begin(), c.items.end(), [&](const auto& it) { return it.product_id == pid; })) {
        continue;
      }
      stockroom::InitialStockItem it;
      it.product_id = pid;
      const int d = catalog().product(pid)->decimals;
      it.quantity = chance(15) ? 0 : amount(d);
      if (chance(60)) it.cost_per_unit = money();
      if (chance(40)) it.minimum = chance(20) ? 0 : amount(d);
      c.items.push_back(it);
    }
    step.cmd = std::move(c);
  } else if (kind < 26) {
    stockroom::AdjustCommand c;
    c.workspace_id = pick_workspace();
    c.reference = reference();
    for (Id pid : distinct_products(1 + below(4), 3)) {
      stockroom::AdjustItem it;
      it.product_id = pid;
      it.quantity = chance(50) ? amount(catalog().product(pid)->decimals) : -decrease(model, pid, c.workspace_id);
      static const Reason kReasons[] = {Reason::kDamaged, Reason::kLost, Reason::kFound, Reason::kRecount,
                                        Reason::kOther};
      it.reason = kReasons[below(5)];
      it.notes = notes();
      if (chance(15)) it.expected_quantity = model.level(pid, c.workspace_id);
      c.items.push_back(it);
    }
    step.cmd = std::move(c);
  } else if (kind < 44) {
    stockroom::TransferCommand c;
    c.product_id = pick_product(3);
    c.from_workspace_id = pick_workspace();
    do {
      c.to_workspace_id = pick_workspace();
    } while (c.to_workspace_id == c.from_workspace_id);
    c.quantity = decrease(model, c.product_id, c.from_workspace_id);
    c.reference = reference();
    c.notes = notes();
    if (chance(15)) c.expected_quantity = model.level(c.product_id, c.from_workspace_id);
    step.cmd = std::move(c);
  } else if (kind < 64) {
    stockroom::SellCommand c;
    c.workspace_id = pick_workspace();
    c.invoice_id = next_invoice_++;
    invoices_.push_back(c.invoice_id);
    c.reference = reference();
    const auto pool = distinct_products(1 + below(3), 20);
    const auto lines = 1 + below(6);
    for (std::uint64_t i = 0; i < lines; ++i) {
      stockroom::SaleLine line;
      line.product_id = pool[below(pool.size())];
      const int d = catalog().product(line.product_id)->decimals;
      line.quantity = (i == 0 && chance(40)) ? decrease(model, line.product_id, c.workspace_id)
                      : chance(70)           ? unit_of(d) * static_cast<Raw>(1 + below(3))
                                             : amount(d);
      c.lines.push_back(line);
    }
    step.cmd = std::move(c);
  } else if (kind < 70) {
    stockroom::VoidSaleCommand c;
    const auto r = below(100);
    if (!voided_.empty() && r < 20) {
      // Again an invoice a recent void named: voided twice, or voided again
      // after that void was rolled back.
      c.invoice_id = voided_[below(voided_.size())];
    } else if (invoices_.empty() || r < 28) {
      c.invoice_id = 900000 + static_cast<Id>(below(1000));  // never sold: ok, nothing to do
    } else if (r < 50) {
      c.invoice_id = invoices_[invoices_.size() - 1 - below(std::min<std::size_t>(5, invoices_.size()))];
    } else {
      c.invoice_id = invoices_[below(invoices_.size())];
    }
    c.notes = notes();
    voided_.push_back(c.invoice_id);
    if (voided_.size() > 8) voided_.erase(voided_.begin());
    step.cmd = std::move(c);
  } else if (kind < 84) {
    stockroom::PurchaseCommand c;
    c.workspace_id = pick_workspace();
    c.reference = reference();
    c.notes = notes();
    for (Id pid : distinct_products(1 + below(4), 3)) {
      stockroom::PurchaseItem it;
      it.product_id = pid;
      it.quantity = amount(catalog().product(pid)->decimals);
      if (chance(70)) it.unit_cost = money();
      c.items.push_back(it);
    }
    step.cmd = std::move(c);
  } else if (kind < 94) {
    stockroom::CountCommand c;
    c.workspace_id = pick_workspace();
    c.reference = reference();
    for (Id pid : distinct_products(1 + below(4), 3)) {
      stockroom::CountItem it;
      it.product_id = pid;
      const int d = catalog().product(pid)->decimals;
      const Raw now = model.level(pid, c.workspace_id);
      const auto r = below(100);
      if (r < 30) {
        it.counted = std::max(now, Raw{0});
      } else if (r < 45) {
        it.counted = 0;
      } else if (r < 60) {
        it.counted = std::max(Raw{0}, now + (chance(50) ? 1 : -1) * unit_of(d) * static_cast<Raw>(1 + below(3)));
      } else {
        it.counted = amount(d);
      }
      it.notes = notes();
      c.items.push_back(it);
    }
    step.cmd = std::move(c);
  } else {
    stockroom::SetMinimumCommand c;
    c.product_id = pick_product(10);
    c.workspace_id = pick_workspace();
    c.minimum = chance(30) ? 0 : amount(catalog().product(c.product_id)->decimals);
    step.cmd = std::move(c);
  }
  if (chance(15)) mutate(step, model);
  return step;
}

void Generator::mutate(Step& step, const Model& model) {
  static const Id kBadWorkspaces[] = {0, -4, 5, 12, 11 /* inactive */, 11, 1'000'000};
  static const Id kBadProducts[] = {0, -3, 101, 999, 1'000'000'007};
  const Id bad_ws = kBadWorkspaces[below(7)];
  // Unknown ids, and a product of the catalog not registered yet.
  const Id bad_product = (model.registered < catalog().products.size() && chance(20))
                             ? catalog().products[model.registered].id
                             : kBadProducts[below(5)];
  auto decimals_of = [](Id pid) {
    const auto* p = catalog().product(pid);
    return p != nullptr ? p->decimals : 4;
  };
  // Quantity mutations shared by every command kind; `positive` says whether
  // the field must be > 0 (else it is signed or >= 0).
  auto mutate_quantity = [&](Raw& q, Id pid, bool positive) {
    const int d = decimals_of(pid);
    switch (below(6)) {
      case 0: q = 0; break;                                       // zero
      case 1:                                                     // too many places
        if (d < stockroom::kScalePlaces) {
          q += (q < 0 ? -1 : 1) * (1 + static_cast<Raw>(below(static_cast<std::uint64_t>(unit_of(d) - 1))));
        } else {
          q = 0;
        }
        break;
      case 2: q = (q < 0 ? -1 : 1) * (kMaxInputMagnitude + unit_of(d)); break;  // over 10^12
      case 3: q = positive ? -std::max(q, unit_of(d)) : -(kMaxInputMagnitude + unit_of(d)); break;
      case 4: q = positive ? kMaxInputMagnitude : -kMaxInputMagnitude; break;  // the largest valid
      default: q = std::numeric_limits<Raw>::max() - static_cast<Raw>(below(3)); break;
    }
  };
  const auto r = below(10);
  switch (step.cmd.index()) {
    case 0: {
      auto& c = std::get<stockroom::InitialStockCommand>(step.cmd);
      auto& it = c.items[below(c.items.size())];
      if (r == 0) c.workspace_id = bad_ws;
      else if (r == 1) it.product_id = bad_product;
      else if (r == 2) c.items.clear();
      else if (r == 3) c.items.push_back(c.items.front());
      else if (r == 4) it.minimum = chance(50) ? -unit_of(decimals_of(it.product_id)) : Raw{2};
      else if (r == 5) it.cost_per_unit = kMaxInputMagnitude + 1;
      else if (r == 6) c.reference = std::string(kMaxReference + 1, 'x');
      else if (r == 7) c.notes = std::string(kMaxNotes + 1, 'y');
      else {
        mutate_quantity(it.quantity, it.product_id, false);
        if (it.quantity == kMaxInputMagnitude && model.level(it.product_id, c.workspace_id) != 0) it.quantity = -1;
      }
      break;
    }
    case 1: {
      auto& c = std::get<stockroom::AdjustCommand>(step.cmd);
      auto& it = c.items[below(c.items.size())];
      if (r == 0) c.workspace_id = bad_ws;
      else if (r == 1) it.product_id = bad_product;
      else if (r == 2) c.items.clear();
      else if (r == 3) {
        while (c.items.size() <= kMaxItems) c.items.push_back(c.items.back());
      } else if (r == 4) c.items.push_back(c.items.front());
      else if (r == 5) it.reason = Reason::kNone;
      else if (r == 6) it.expected_quantity = model.level(it.product_id, c.workspace_id) + unit_of(decimals_of(it.product_id));
      else if (r == 7) (chance(50) ? c.reference = std::string(kMaxReference + 1, 'x') : it.notes = std::string(kMaxNotes + 1, 'y'));
      else {
        mutate_quantity(it.quantity, it.product_id, false);
        if (it.quantity == kMaxInputMagnitude) it.quantity = -kMaxInputMagnitude;  // never pile up stock
      }
      break;
    }
    case 2: {
      auto& c = std::get<stockroom::TransferCommand>(step.cmd);
      if (r == 0) c.from_workspace_id = bad_ws;
      else if (r == 1) c.to_workspace_id = chance(50) ? bad_ws : c.from_workspace_id;
      else if (r == 2) c.to_workspace_id = c.from_workspace_id;  // same-workspace transfer
      else if (r == 3) c.product_id = bad_product;
      else if (r == 4) c.expected_quantity = model.level(c.product_id, c.from_workspace_id) - unit_of(decimals_of(c.product_id));
      else if (r == 5) (chance(50) ? c.reference = std::string(kMaxReference + 1, 'x') : c.notes = std::string(kMaxNotes + 1, 'y'));
      else mutate_quantity(c.quantity, c.product_id, true);
      break;
    }
    case 3: {
      auto& c = std::get<stockroom::SellCommand>(step.cmd);
      auto& line = c.lines[below(c.lines.size())];
      if (r == 0) c.workspace_id = bad_ws;
      else if (r == 1) line.product_id = bad_product;
      else if (r == 2) c.lines.clear();
      else if (r == 3) {
        while (c.lines.size() <= kMaxItems) c.lines.push_back(c.lines.back());
      } else if (r == 4) c.invoice_id = chance(50) ? 0 : -c.invoice_id;
      else if (r == 5) c.reference = std::string(kMaxReference + 1, 'x');
      else mutate_quantity(line.quantity, line.product_id, true);
      break;
    }
    case 4: {
      auto& c = std::get<stockroom::VoidSaleCommand>(step.cmd);
      if (r < 5) c.invoice_id = chance(50) ? 0 : -7;
      else c.notes = std::string(kMaxNotes + 1, 'y');
      break;
    }
    case 5: {
      auto& c = std::get<stockroom::PurchaseCommand>(step.cmd);
      auto& it = c.items[below(c.items.size())];
      if (r == 0) c.workspace_id = bad_ws;
      else if (r == 1) it.product_id = bad_product;
      else if (r == 2) c.items.clear();
      else if (r == 3) it.unit_cost = chance(50) ? kMaxInputMagnitude + 1 : -kMaxInputMagnitude - 1;
      else if (r == 4) (chance(50) ? c.reference = std::string(kMaxReference + 1, 'x') : c.notes = std::string(kMaxNotes + 1, 'y'));
      else {
        mutate_quantity(it.quantity, it.product_id, true);
        if (it.quantity == kMaxInputMagnitude) it.quantity = 0;  // never pile up stock
      }
      break;
    }
    case 6: {
      auto& c = std::get<stockroom::CountCommand>(step.cmd);
      auto& it = c.items[below(c.items.size())];
      if (r == 0) c.workspace_id = bad_ws;
      else if (r == 1) it.product_id = bad_product;
      else if (r == 2) c.items.clear();
      else if (r == 3) c.items.push_back(c.items.front());
      else if (r == 4) (chance(50) ? c.reference = std::string(kMaxReference + 1, 'x') : it.notes = std::string(kMaxNotes + 1, 'y'));
      else {
        mutate_quantity(it.counted, it.product_id, false);
        if (it.counted > 0 && it.counted <= kMaxInputMagnitude) it.counted = -it.counted;
      }
      break;
    }
    default: {
      auto& c = std::get<stockroom::SetMinimumCommand>(step.cmd);
      if (r < 2) c.workspace_id = bad_ws;
      else if (r < 4) c.product_id = bad_product;
      else {
        mutate_quantity(c.minimum, c.product_id, false);
        if (c.minimum == kMaxInputMagnitude) c.minimum = -1;
      }
      break;
    }
  }
}

// ---------------------------------------------------------------- env

long env_long(const char* name, long fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  char* end = nullptr;
  const long n = std::strtol(v, &end, 10);
  return (end != nullptr && *end == '\0' && n > 0) ? n : fallback;
}

long default_steps() { return env_long("STOCKROOM_PROPS_STEPS", 10000); }

}  // namespace props
