// The property runner: applies generated commands to a Ledger and checks it
// against the reference model after every step, with periodic deep checks
// (queries and reports, checkpoint/rollback, journal replay).
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include "props_harness.h"

namespace props {

using stockroom::Checkpoint;
using stockroom::ErrorCode;
using stockroom::LevelView;
using stockroom::Ledger;
using stockroom::Movement;
using stockroom::MovementFilter;
using stockroom::MovementType;
using stockroom::ReportRow;
using stockroom::StockStatus;

namespace {

std::string codes(const std::set<ErrorCode>& set) {
  std::string out = "{";
  for (ErrorCode c : set) {
    if (out.size() > 1) out += ", ";
    out += std::string(stockroom::error_code_name(c));
  }
  return out + "}";
}

std::string describe_error(const stockroom::Error& e) {
  std::ostringstream os;
  os << stockroom::error_code_name(e.code) << ": " << e.message;
  for (const auto& f : e.fields) os << " [" << f.field << ": " << f.message << "]";
  if (e.details) {
    os << " details{p=" << e.details->product_id << " ws=" << e.details->workspace_id
       << " available=" << e.details->available << " requested=" << e.details->requested << "}";
  }
  return os.str();
}

std::string show(const Movement& m) {
  std::ostringstream os;
  os << "{id=" << m.id << " type=" << static_cast<int>(m.type) << " p=" << m.product_id
     << " ws=" << m.workspace_id << " q=" << m.quantity << " bal=" << m.balance_after
     << " from=" << m.from_workspace_id << " to=" << m.to_workspace_id
     << " reason=" << static_cast<int>(m.reason) << " invoice=" << m.invoice_id
     << " cost=" << (m.unit_cost ? std::to_string(*m.unit_cost) : "none")
     << " linked=" << m.linked_movement_id << " actor=" << m.created_by.id << "/" << m.created_by.name.size()
     << "B at=" << m.created_at << " ref=" << m.reference.size() << "B notes=" << m.notes.size() << "B}";
  return os.str();
}

/// Field-by-field comparison; empty when equal. `loose` relaxes the fields
/// the documents leave open for the reversal of a sale; `strict_actor`
/// compares the actor name even for system movements (id 0).
std::string diff(const Movement& want, const Movement& got, bool loose, bool strict_actor) {
  std::ostringstream os;
  auto field = [&os](const char* name, auto a, auto b) {
    if (!(a == b)) os << " " << name << ": want " << a << " got " << b << ";";
  };
  field("id", want.id, got.id);
  field("type", static_cast<int>(want.type), static_cast<int>(got.type));
  field("product_id", want.product_id, got.product_id);
  field("workspace_id", want.workspace_id, got.workspace_id);
  field("quantity", want.quantity, got.quantity);
  field("balance_after", want.balance_after, got.balance_after);
  if (loose) {
    if (got.from_workspace_id != 0 && got.from_workspace_id != want.workspace_id) {
      os << " from_workspace_id: " << got.from_workspace_id << " is neither null nor the workspace;";
    }
    if (got.to_workspace_id != 0 && got.to_workspace_id != want.workspace_id) {
      os << " to_workspace_id: " << got.to_workspace_id << " is neither null nor the workspace;";
    }
  } else {
    field("from_workspace_id", want.from_workspace_id, got.from_workspace_id);
    field("to_workspace_id", want.to_workspace_id, got.to_workspace_id);
    field("reference", want.reference, got.reference);
  }
  field("reason", static_cast<int>(want.reason), static_cast<int>(got.reason));
  field("invoice_id", want.invoice_id, got.invoice_id);
  field("unit_cost", want.unit_cost ? std::to_string(*want.unit_cost) : std::string("none"),
        got.unit_cost ? std::to_string(*got.unit_cost) : std::string("none"));
  field("linked_movement_id", want.linked_movement_id, got.linked_movement_id);
  field("created_by.id", want.created_by.id, got.created_by.id);
  if (strict_actor || want.created_by.id != 0) field("created_by.name", want.created_by.name, got.created_by.name);
  field("created_at", want.created_at, got.created_at);
  field("notes", want.notes, got.notes);
  return os.str();
}

bool same_rows(const ReportRow& a, const ReportRow& b, bool with_counts) {
  return a.product_id == b.product_id && a.workspace_id == b.workspace_id && a.opening == b.opening &&
         a.quantity_in == b.quantity_in && a.quantity_out == b.quantity_out && a.net == b.net &&
         a.closing == b.closing && (!with_counts || a.counts == b.counts);
}

std::string show(const ReportRow& r) {
  std::ostringstream os;
  os << "{p=" << r.product_id << " ws=" << r.workspace_id << " open=" << r.opening << " in=" << r.quantity_in
     << " out=" << r.quantity_out << " net=" << r.net << " close=" << r.closing << " counts=";
  for (auto c : r.counts) os << c << ",";
  return os.str() + "}";
}

bool same_level(const LevelView& a, const LevelView& b) {
  return a.product_id == b.product_id && a.workspace_id == b.workspace_id && a.quantity == b.quantity &&
         a.minimum == b.minimum && a.status == b.status;
}

std::string show(const LevelView& l) {
  std::ostringstream os;
  os << "{p=" << l.product_id << " ws=" << l.workspace_id << " q=" << l.quantity << " min=" << l.minimum
     << " status=" << static_cast<int>(l.status) << "}";
  return os.str();
}

StockStatus expected_status(Raw q, Raw minimum) {
  if (q <= 0) return StockStatus::kOutOfStock;
  if (minimum > 0 && q <= minimum) return StockStatus::kLowStock;
  return StockStatus::kInStock;
}

std::string filter_text(const MovementFilter& f) {
  std::ostringstream os;
  os << "filter{ws=" << (f.workspace_id ? std::to_string(*f.workspace_id) : "unset")
     << " p=" << (f.product_id ? std::to_string(*f.product_id) : "unset") << " types=" << f.types
     << " from=" << (f.from ? std::to_string(*f.from) : "unset")
     << " until=" << (f.until ? std::to_string(*f.until) : "unset") << "}";
  return os.str();
}

// Ids that name nothing in the catalog, for reads.
constexpr Id kUnknownProduct = 999;
constexpr Id kUnknownWorkspace = 5;

}  // namespace

#define PROP_CHECK(cond, msg)                                                              \
  do {                                                                                     \
    if (!(cond)) {                                                                         \
      std::ostringstream prop_os_;                                                         \
      prop_os_ << where() << "\n  property violated: " #cond "\n  " << msg;                \
      BOOST_FAIL(prop_os_.str());                                                          \
    }                                                                                      \
  } while (0)

class Runner {
 public:
  explicit Runner(const RunOptions& options)
      : opt_(options),
        gen_(options.seed),
        qrng_(options.seed ^ 0x9E3779B97F4A7C15ull),
        period_(env_long("STOCKROOM_PROPS_PERIOD", 500)),
        rollback_period_(env_long("STOCKROOM_PROPS_ROLLBACK_PERIOD", 100)),
        verify_every_(env_long("STOCKROOM_PROPS_VERIFY_EVERY", 1)),
        trace_(std::getenv("STOCKROOM_PROPS_TRACE") != nullptr) {}

  RunStats run() {
    register_catalog(ledger_, model_.registered);
    for (step_ = 1; step_ <= opt_.steps; ++step_) {
      phase_ = "main";
      if (step_ % 300 == 0) register_next_product();
      apply(gen_.next(model_));
      ++stats_.steps;
      if (step_ % rollback_period_ == 0) rollback_check();
      if (step_ % period_ == 0) deep();
    }
    --step_;
    phase_ = "end";
    if (opt_.checks) {
      check_queries();
      replay_check(false);
    }
    stats_.journal = ledger_.export_journal();
    stats_.movements = ledger_.movement_count();
    return stats_;
  }

 private:
  // ------------------------------------------------------------ context
  std::string where() const {
    std::ostringstream os;
    os << "seed=" << opt_.seed << " step=" << step_ << " phase=" << phase_ << " movements=" << model_.movements.size()
       << "\n  last command: " << last_cmd_;
    return os.str();
  }

  std::uint64_t qbelow(std::uint64_t n) { return n == 0 ? 0 : qrng_() % n; }

  // ------------------------------------------------------------ snapshots
  struct Snapshot {
    std::size_t count = 0;
    std::vector<Raw> levels;    // catalog products x workspaces (+ unknowns)
    std::vector<Raw> minimums;
  };

  Snapshot snapshot(const Ledger& l) const {
    Snapshot s;
    s.count = l.movement_count();
    for (const auto& p : catalog().products) {
      for (const auto& w : catalog().workspaces) {
        s.levels.push_back(l.level(p.id, w.id));
        s.minimums.push_back(l.minimum(p.id, w.id));
      }
      s.levels.push_back(l.level(p.id, kUnknownWorkspace));
    }
    s.levels.push_back(l.level(kUnknownProduct, 2));
    return s;
  }

  void check_same(const Snapshot& want, const Snapshot& got, const char* what) {
    PROP_CHECK(want.count == got.count, what << ": movement_count " << want.count << " -> " << got.count);
    for (std::size_t i = 0; i < want.levels.size(); ++i) {
      PROP_CHECK(want.levels[i] == got.levels[i], what << ": level #" << i << " " << want.levels[i] << " -> "
                                                        << got.levels[i]);
    }
    for (std::size_t i = 0; i < want.minimums.size(); ++i) {
      PROP_CHECK(want.minimums[i] == got.minimums[i], what << ": minimum #" << i << " " << want.minimums[i]
                                                            << " -> " << got.minimums[i]);
    }
  }

  // The host registers a new product (catalog changes are not part of
  // checkpoints, so this happens only outside bursts).
  void register_next_product() {
    if (model_.registered >= catalog().products.size()) return;
    const auto& p = catalog().products[model_.registered];
    auto r = ledger_.upsert_product(p);
    if (opt_.checks) PROP_CHECK(r.ok(), "upsert_product(" << p.id << ") fails: " << describe_error(r.error()));
    if (replica_) replica_->upsert_product(p);
    ++model_.registered;
  }

  // ------------------------------------------------------------ one step
  void apply(const Step& step) {
    const std::size_t kind = step.cmd.index();
    const Expected e = model_.predict(step);
    if (opt_.checks || trace_) last_cmd_ = describe(step);
    if (trace_) std::cerr << "[" << phase_ << " " << step_ << "] " << last_cmd_ << "\n";
    if (phase_.rfind("burst", 0) == 0) ++stats_.burst_steps;

    if (!opt_.checks) {
      auto r = execute(ledger_, step);
      if (r.ok()) {
        ++stats_.ok_by_kind[kind];
        model_.commit(e);
      } else {
        ++stats_.failed_by_kind[kind];
      }
      return;
    }

    const Snapshot before = snapshot(ledger_);
    Raw total_before = 0;
    const auto* transfer = std::get_if<stockroom::TransferCommand>(&step.cmd);
    if (transfer != nullptr) {
      for (const auto& w : catalog().workspaces) total_before += ledger_.level(transfer->product_id, w.id);
    }

    auto r = execute(ledger_, step);
    if (trace_) {
      if (r.ok()) {
        std::cerr << "    -> ok ids=";
        for (Id id : r.value().movement_ids) std::cerr << id << ",";
        std::cerr << "\n";
      } else {
        std::cerr << "    -> " << describe_error(r.error()) << "\n";
      }
    }

    if (replica_) {
      auto rr = execute(*replica_, step);
      PROP_CHECK(rr.ok() == r.ok(), "the replayed ledger answers differently: "
                                        << (r.ok() ? "ok" : describe_error(r.error())) << " vs "
                                        << (rr.ok() ? "ok" : describe_error(rr.error())));
      if (r.ok()) {
        PROP_CHECK(rr.value().movement_ids == r.value().movement_ids, "the replayed ledger assigns other ids");
      } else {
        PROP_CHECK(rr.error().code == r.error().code, "the replayed ledger fails differently");
      }
      if (--replica_left_ == 0) {
        PROP_CHECK(replica_->export_journal() == ledger_.export_journal(),
                   "a ledger rebuilt from the journal diverges from the original after more commands");
        replica_.reset();
      }
    }

    if (r.ok()) {
      ++stats_.ok_by_kind[kind];
      PROP_CHECK(e.errors.empty() || e.may_succeed,
                 "the command succeeded; the documents require it to fail with one of " << codes(e.errors));
      const auto& out = r.value();
      PROP_CHECK(out.movement_ids.size() == e.movements.size(),
                 "wrote " << out.movement_ids.size() << " movements, expected " << e.movements.size());
      for (std::size_t i = 0; i < out.movement_ids.size(); ++i) {
        const Id id = out.movement_ids[i];
        PROP_CHECK(id == static_cast<Id>(before.count + 1 + i),
                   "movement ids are not consecutive: #" << i << " is " << id << ", expected "
                                                          << before.count + 1 + i);
        const auto got = ledger_.movement(id);
        PROP_CHECK(got.has_value(), "movement(" << id << ") is missing");
        PROP_CHECK(got->quantity != 0, "a movement has quantity zero: " << show(*got));
        const std::string d = diff(e.movements[i], *got, e.loose[i], false);
        PROP_CHECK(d.empty(), "movement " << id << " differs from the documented outcome:" << d
                                          << "\n  expected " << show(e.movements[i]) << "\n  got      "
                                          << show(*got));
        Raw& lvl = derived_[{got->product_id, got->workspace_id}];
        lvl += got->quantity;
        PROP_CHECK(got->balance_after == lvl, "balance_after " << got->balance_after
                                                                << " is not the level right after the movement ("
                                                                << lvl << "): " << show(*got));
      }
      PROP_CHECK(ledger_.movement_count() == before.count + out.movement_ids.size(),
                 "movement_count " << ledger_.movement_count() << " after writing " << out.movement_ids.size()
                                   << " on top of " << before.count);
      // Minimums: every listed change was asked for; every real change is listed.
      for (const auto& mc : out.minimums) {
        const bool asked = std::any_of(e.minimums.begin(), e.minimums.end(), [&](const auto& x) {
          return x.product_id == mc.product_id && x.workspace_id == mc.workspace_id && x.minimum == mc.minimum;
        });
        PROP_CHECK(asked, "outcome lists a minimum nobody set: p=" << mc.product_id << " ws=" << mc.workspace_id
                                                                    << " min=" << mc.minimum);
      }
      for (const auto& x : e.minimums) {
        if (model_.minimum(x.product_id, x.workspace_id) == x.minimum) continue;
        const bool listed = std::any_of(out.minimums.begin(), out.minimums.end(), [&](const auto& mc) {
          return x.product_id == mc.product_id && x.workspace_id == mc.workspace_id && x.minimum == mc.minimum;
        });
        PROP_CHECK(listed, "the outcome does not list the changed minimum p=" << x.product_id << " ws="
                                                                              << x.workspace_id << " min="
                                                                              << x.minimum);
      }
      if (transfer != nullptr) {
        Raw total_after = 0;
        for (const auto& w : catalog().workspaces) total_after += ledger_.level(transfer->product_id, w.id);
        PROP_CHECK(total_after == total_before, "a transfer changed the product's total " << total_before
                                                                                          << " -> " << total_after);
        PROP_CHECK(ledger_.level(transfer->product_id, transfer->from_workspace_id) >= 0,
                   "a transfer took its source below zero");
      }
      model_.commit(e);
    } else {
      const auto& err = r.error();
      ++stats_.failed_by_kind[kind];
      ++stats_.errors[std::string(stockroom::error_code_name(err.code))];
      PROP_CHECK(!e.errors.empty(), "the command failed (" << describe_error(err)
                                                           << "); the documents require it to succeed");
      PROP_CHECK(e.errors.count(err.code) != 0, "failed with " << describe_error(err) << "; expected one of "
                                                                << codes(e.errors));
      if (err.code == ErrorCode::kValidationFailed) {
        PROP_CHECK(!err.fields.empty(), "validation_failed names no field: " << describe_error(err));
      }
      if (err.code == ErrorCode::kInsufficientStock || err.code == ErrorCode::kStaleQuantity) {
        PROP_CHECK(err.details.has_value(), "no details on " << describe_error(err));
        PROP_CHECK(e.detail_keys.count({err.details->product_id, err.details->workspace_id}) != 0,
                   "details name the wrong level: " << describe_error(err));
      }
      // A failed command changes nothing.
      check_same(before, snapshot(ledger_), "failed command");
    }
    check_state();
  }

  void check_state() {
    const std::size_t n = ledger_.movement_count();
    PROP_CHECK(n == model_.movements.size(), "movement_count " << n << ", model " << model_.movements.size());
    for (const auto& p : catalog().products) {
      for (const auto& w : catalog().workspaces) {
        const Raw got = ledger_.level(p.id, w.id);
        const Raw want = model_.level(p.id, w.id);
        PROP_CHECK(got == want, "level(" << p.id << "," << w.id << ") is " << got << ", expected " << want);
        auto d = derived_.find({p.id, w.id});
        const Raw summed = d == derived_.end() ? 0 : d->second;
        PROP_CHECK(got == summed, "level(" << p.id << "," << w.id << ") is " << got
                                           << " but its movements sum to " << summed);
        PROP_CHECK(got >= 0 || p.allow_negative_stock,
                   "level(" << p.id << "," << w.id << ") is below zero: " << got);
        const Raw min_got = ledger_.minimum(p.id, w.id);
        PROP_CHECK(min_got == model_.minimum(p.id, w.id),
                   "minimum(" << p.id << "," << w.id << ") is " << min_got << ", expected "
                              << model_.minimum(p.id, w.id));
      }
    }
    if (++verify_tick_ % verify_every_ == 0) {
      const auto diffs = ledger_.verify();
      PROP_CHECK(diffs.empty(), "verify() reports " << diffs.size() << " differences, first p="
                                                    << diffs.front().product_id << " ws="
                                                    << diffs.front().workspace_id << " kept=" << diffs.front().kept
                                                    << " recomputed=" << diffs.front().recomputed);
    }
  }

  // The model without its (append-only) movement list, which is restored by
  // truncation: copying thousands of movements per rollback is the slow part.
  struct ModelMark {
    Model model;
    std::size_t movements = 0;
  };
  ModelMark mark_model() const {
    ModelMark m;
    m.model.levels = model_.levels;
    m.model.minimums = model_.minimums;
    m.model.moved = model_.moved;
    m.model.touched = model_.touched;
    m.model.invoices = model_.invoices;
    m.model.last_time = model_.last_time;
    m.model.registered = model_.registered;
    m.movements = model_.movements.size();
    return m;
  }
  void restore_model(const ModelMark& m) {
    std::vector<Movement> movements = std::move(model_.movements);
    movements.resize(m.movements);
    model_ = m.model;
    model_.movements = std::move(movements);
  }

  // ------------------------------------------------------------ deep checks
  void deep() {
    replica_.reset();  // the replica does not follow rollbacks
    if (opt_.checks) {
      phase_ = "queries";
      check_queries();
    }
    if (opt_.checks) replay_check(true);
    phase_ = "main";
  }

  Millis random_time() {
    const auto& ms = model_.movements;
    const auto r = qbelow(10);
    if (ms.empty() || r < 2) {
      const Millis lo = 1'767'225'600'000 - stockroom::kMillisPerDay;
      const Millis hi = (ms.empty() ? lo : ms.back().created_at) + 2 * stockroom::kMillisPerDay;
      return lo + static_cast<Millis>(qbelow(static_cast<std::uint64_t>(hi - lo)));
    }
    const Millis t = ms[qbelow(ms.size())].created_at;
    if (r < 6) return t - t % stockroom::kMillisPerDay + (r == 5 ? stockroom::kMillisPerDay : 0);  // whole days
    return t + static_cast<Millis>(qbelow(2));  // exactly at a movement, or just after
  }

  MovementFilter random_filter(bool all_types) {
    MovementFilter f;
    const auto wr = qbelow(100);
    if (wr < 85) {
      f.workspace_id = catalog().workspaces[qbelow(catalog().workspaces.size())].id;
    } else if (wr < 90) {
      f.workspace_id = kUnknownWorkspace;
    }
    const auto pr = qbelow(100);
    if (pr < 25) {
      f.product_id = catalog().products[qbelow(catalog().products.size())].id;
    } else if (pr < 30) {
      f.product_id = kUnknownProduct;
    }
    if (qbelow(5) != 0) f.from = random_time();
    if (qbelow(5) != 0) f.until = random_time();
    if (f.from && f.until && *f.from > *f.until) std::swap(*f.from, *f.until);
    if (!all_types) f.types = 1 + static_cast<std::uint32_t>(qbelow(stockroom::kAllTypes));
    return f;
  }

  std::vector<ReportRow> expected_report(const MovementFilter& f) const {
    const Millis from = f.from.value_or(std::numeric_limits<Millis>::min());
    const Millis until = f.until.value_or(std::numeric_limits<Millis>::max());
    std::map<Key, ReportRow> rows;
    std::set<Key> in_range;
    for (const auto& m : model_.movements) {
      if (f.workspace_id && m.workspace_id != *f.workspace_id) continue;
      if (f.product_id && m.product_id != *f.product_id) continue;
      const Key k{m.product_id, m.workspace_id};
      ReportRow& row = rows[k];
      row.product_id = m.product_id;
      row.workspace_id = m.workspace_id;
      if (m.created_at < from) {
        row.opening += m.quantity;
      } else if (m.created_at < until) {
        in_range.insert(k);
        (m.quantity > 0 ? row.quantity_in : row.quantity_out) += (m.quantity > 0 ? m.quantity : -m.quantity);
        ++row.counts[static_cast<std::size_t>(m.type)];
      }
    }
    std::vector<ReportRow> out;
    for (auto& [k, row] : rows) {
      if (in_range.count(k) == 0 && row.opening == 0) continue;
      row.net = row.quantity_in - row.quantity_out;
      row.closing = row.opening + row.net;
      out.push_back(row);
    }
    return out;
  }

  void check_report(const MovementFilter& f) {
    ++stats_.reports;
    const std::string ft = filter_text(f);
    auto got = ledger_.report(f);
    for (std::size_t i = 0; i < got.size(); ++i) {
      const auto& row = got[i];
      PROP_CHECK(i == 0 || got[i - 1].product_id <= row.product_id, ft << ": rows not in product id order");
      PROP_CHECK(row.closing == row.opening + row.net, ft << ": closing != opening + net " << show(row));
      PROP_CHECK(row.net == row.quantity_in - row.quantity_out, ft << ": net != in - out " << show(row));
      PROP_CHECK(row.quantity_in >= 0 && row.quantity_out >= 0, ft << ": negative in/out " << show(row));
      const Raw open = f.from ? ledger_.level_before(row.product_id, row.workspace_id, *f.from) : 0;
      const Raw close = f.until ? ledger_.level_before(row.product_id, row.workspace_id, *f.until)
                                : ledger_.level(row.product_id, row.workspace_id);
      PROP_CHECK(row.opening == open, ft << ": opening " << row.opening << " != level_before(start) " << open
                                         << " " << show(row));
      PROP_CHECK(row.closing == close, ft << ": closing " << row.closing << " != level_before(end) " << close
                                          << " " << show(row));
      PROP_CHECK(!f.workspace_id || row.workspace_id == *f.workspace_id, ft << ": row of another workspace");
      PROP_CHECK(!f.product_id || row.product_id == *f.product_id, ft << ": row of another product");
    }
    const auto want = expected_report(f);
    if (f.types == stockroom::kAllTypes) {
      std::sort(got.begin(), got.end(), [](const ReportRow& a, const ReportRow& b) {
        return std::make_pair(a.product_id, a.workspace_id) < std::make_pair(b.product_id, b.workspace_id);
      });
      PROP_CHECK(got.size() == want.size(), ft << ": " << got.size() << " rows, expected " << want.size()
                                               << (want.empty() ? std::string() : " first expected " + show(want[0]))
                                               << (got.empty() ? std::string() : " first got " + show(got[0])));
      for (std::size_t i = 0; i < got.size(); ++i) {
        PROP_CHECK(same_rows(got[i], want[i], true), ft << ": row " << i << " is " << show(got[i])
                                                          << ", expected " << show(want[i]));
      }
    } else {
      // The type filter narrows the listed movements, never the balances.
      for (const auto& row : got) {
        auto it = std::find_if(want.begin(), want.end(), [&](const ReportRow& w) {
          return w.product_id == row.product_id && w.workspace_id == row.workspace_id;
        });
        PROP_CHECK(it != want.end(), ft << ": unexpected row " << show(row));
        PROP_CHECK(same_rows(row, *it, false), ft << ": row " << show(row) << ", expected balances of "
                                                   << show(*it));
      }
    }
  }

  void check_queries() {
    const std::size_t n = model_.movements.size();
    // movement() outside the ledger.
    PROP_CHECK(!ledger_.movement(0).has_value(), "movement(0) exists");
    PROP_CHECK(!ledger_.movement(-1).has_value(), "movement(-1) exists");
    PROP_CHECK(!ledger_.movement(static_cast<Id>(n) + 1).has_value(), "movement(count + 1) exists");
    // The decimals of a product with movements cannot change; re-registering
    // it unchanged is fine.
    {
      const auto& m = model_.movements.empty() ? nullptr : &model_.movements[qbelow(model_.movements.size())];
      if (m != nullptr) {
        stockroom::ProductInfo info = *model_.known(m->product_id);
        const int d = info.decimals;
        info.decimals = (d + 1 + static_cast<int>(qbelow(4))) % 5;
        auto r = ledger_.upsert_product(info);
        PROP_CHECK(!r.ok() && r.error().code == ErrorCode::kValidationFailed,
                   "changing the decimals of product " << info.id << " (with movements) from " << d << " to "
                                                       << info.decimals << " is accepted");
        PROP_CHECK(ledger_.product(info.id) != nullptr && ledger_.product(info.id)->decimals == d,
                   "a refused upsert_product changed the decimals");
        info.decimals = d;
        auto again = ledger_.upsert_product(info);
        PROP_CHECK(again.ok(), "re-registering product " << info.id << " unchanged fails");
      }
    }
    // level_before at random times.
    for (int i = 0; i < 12; ++i) {
      const auto& p = catalog().products[qbelow(catalog().products.size())];
      const auto& w = catalog().workspaces[qbelow(catalog().workspaces.size())];
      const Millis t = random_time();
      PROP_CHECK(ledger_.level_before(p.id, w.id, t) == model_.level_before(p.id, w.id, t),
                 "level_before(" << p.id << "," << w.id << "," << t << ") is " << ledger_.level_before(p.id, w.id, t)
                                 << ", expected " << model_.level_before(p.id, w.id, t));
    }
    // Reports.
    for (int i = 0; i < 6; ++i) check_report(random_filter(true));
    for (int i = 0; i < 3; ++i) check_report(random_filter(false));
    // product_stock.
    for (const auto& p : catalog().products) {
      auto ps = ledger_.product_stock(p.id);
      if (model_.known(p.id) == nullptr) {
        PROP_CHECK(!ps.ok() && ps.error().code == ErrorCode::kNotFound,
                   "product_stock of an unregistered product " << p.id);
        continue;
      }
      PROP_CHECK(ps.ok(), "product_stock(" << p.id << ") fails: " << describe_error(ps.error()));
      const auto& v = ps.value();
      PROP_CHECK(v.product_id == p.id, "product_stock names product " << v.product_id);
      PROP_CHECK(v.levels.size() == catalog().workspaces.size(),
                 "product_stock(" << p.id << ") has " << v.levels.size() << " workspaces");
      Raw total = 0;
      for (std::size_t i = 0; i < v.levels.size(); ++i) {
        const Id w = catalog().workspaces[i].id;
        LevelView want{p.id, w, model_.level(p.id, w), model_.minimum(p.id, w),
                       expected_status(model_.level(p.id, w), model_.minimum(p.id, w))};
        PROP_CHECK(same_level(v.levels[i], want), "product_stock entry " << show(v.levels[i]) << ", expected "
                                                                         << show(want));
        total += want.quantity;
      }
      PROP_CHECK(v.total == total, "product_stock(" << p.id << ").total " << v.total << ", expected " << total);
    }
    {
      auto ps = ledger_.product_stock(kUnknownProduct);
      PROP_CHECK(!ps.ok() && ps.error().code == ErrorCode::kNotFound, "product_stock of an unknown product");
    }
    // low_stock, workspace_levels, workspace_levels_before.
    const Millis as_of = random_time();
    for (const auto& w : catalog().workspaces) {
      std::vector<stockroom::LowStockEntry> want;
      for (const auto& p : catalog().products) {
        if (!p.track_inventory || !p.active) continue;
        const Raw q = model_.level(p.id, w.id);
        const Raw mn = model_.minimum(p.id, w.id);
        if ((mn > 0 && q <= mn) || q < 0) {
          want.push_back({LevelView{p.id, w.id, q, mn, expected_status(q, mn)}, mn - q});
        }
      }
      std::stable_sort(want.begin(), want.end(), [](const auto& a, const auto& b) {
        if (a.shortage != b.shortage) return a.shortage > b.shortage;
        return a.level.product_id < b.level.product_id;
      });
      const auto got = ledger_.low_stock(w.id);
      PROP_CHECK(got.size() == want.size(), "low_stock(" << w.id << ") has " << got.size() << " entries, expected "
                                                         << want.size());
      for (std::size_t i = 0; i < got.size(); ++i) {
        PROP_CHECK(same_level(got[i].level, want[i].level) && got[i].shortage == want[i].shortage,
                   "low_stock(" << w.id << ")[" << i << "] is " << show(got[i].level) << " shortage "
                                << got[i].shortage << ", expected " << show(want[i].level) << " shortage "
                                << want[i].shortage);
      }

      const auto levels = ledger_.workspace_levels(w.id);
      std::set<Id> listed;
      for (std::size_t i = 0; i < levels.size(); ++i) {
        const auto& l = levels[i];
        const auto* p = catalog().product(l.product_id);
        PROP_CHECK(p != nullptr && p->track_inventory, "workspace_levels(" << w.id << ") lists " << show(l));
        PROP_CHECK(i == 0 || levels[i - 1].product_id < l.product_id,
                   "workspace_levels(" << w.id << ") not ordered by product id");
        LevelView want_l{l.product_id, w.id, model_.level(l.product_id, w.id), model_.minimum(l.product_id, w.id),
                         expected_status(model_.level(l.product_id, w.id), model_.minimum(l.product_id, w.id))};
        PROP_CHECK(same_level(l, want_l), "workspace_levels entry " << show(l) << ", expected " << show(want_l));
        PROP_CHECK(model_.touched.count({l.product_id, w.id}) != 0,
                   "workspace_levels(" << w.id << ") lists an untouched level " << show(l));
        listed.insert(l.product_id);
      }
      for (const auto& p : catalog().products) {
        if (!p.track_inventory) continue;
        const bool must = model_.moved.count({p.id, w.id}) != 0 || model_.minimum(p.id, w.id) > 0;
        PROP_CHECK(!must || listed.count(p.id) != 0,
                   "workspace_levels(" << w.id << ") leaves out product " << p.id);
      }

      const auto before = ledger_.workspace_levels_before(w.id, as_of);
      std::set<Id> listed_before;
      for (std::size_t i = 0; i < before.size(); ++i) {
        const auto& l = before[i];
        const Raw q = model_.level_before(l.product_id, w.id, as_of);
        const Raw mn = model_.minimum(l.product_id, w.id);
        LevelView want_l{l.product_id, w.id, q, mn, expected_status(q, mn)};
        PROP_CHECK(same_level(l, want_l), "workspace_levels_before(" << w.id << "," << as_of << ") entry " << show(l)
                                                                     << ", expected " << show(want_l));
        PROP_CHECK(i == 0 || before[i - 1].product_id < l.product_id,
                   "workspace_levels_before not ordered by product id");
        listed_before.insert(l.product_id);
      }
      for (const auto& m : model_.movements) {
        if (m.created_at >= as_of) break;
        PROP_CHECK(m.workspace_id != w.id || listed_before.count(m.product_id) != 0,
                   "workspace_levels_before(" << w.id << "," << as_of << ") leaves out product " << m.product_id);
      }
    }
    // list_movements against the model.
    for (int i = 0; i < 3; ++i) {
      MovementFilter f = random_filter(qbelow(2) == 0);
      std::vector<Id> want;
      for (const auto& m : model_.movements) {
        if (f.workspace_id && m.workspace_id != *f.workspace_id) continue;
        if (f.product_id && m.product_id != *f.product_id) continue;
        if ((f.types & stockroom::type_bit(m.type)) == 0) continue;
        if (f.from && m.created_at < *f.from) continue;
        if (f.until && m.created_at >= *f.until) continue;
        want.push_back(m.id);
      }
      stockroom::PageRequest page;
      page.per_page = 1 + static_cast<std::int64_t>(qbelow(100));
      const auto pages = static_cast<std::int64_t>(want.size()) / page.per_page + 2;
      page.page = 1 + static_cast<std::int64_t>(qbelow(static_cast<std::uint64_t>(pages)));
      const auto sort = qbelow(4);
      page.sort.field = sort == 3 ? stockroom::SortField::kQuantity
                                  : (sort == 2 ? stockroom::SortField::kId : stockroom::SortField::kCreatedAt);
      page.sort.descending = qbelow(2) == 0;
      if (page.sort.field == stockroom::SortField::kQuantity) {
        std::stable_sort(want.begin(), want.end(), [&](Id a, Id b) {
          return model_.movements[static_cast<std::size_t>(a - 1)].quantity <
                 model_.movements[static_cast<std::size_t>(b - 1)].quantity;
        });
      }
      if (page.sort.descending) std::reverse(want.begin(), want.end());
      const auto got = ledger_.list_movements(f, page);
      const std::string ft = filter_text(f) + " page=" + std::to_string(page.page) + " per_page=" +
                             std::to_string(page.per_page) + " sort=" + std::to_string(sort) +
                             (page.sort.descending ? " desc" : " asc");
      PROP_CHECK(got.total == static_cast<std::int64_t>(want.size()),
                 "list_movements " << ft << ": total " << got.total << ", expected " << want.size());
      const auto first = static_cast<std::size_t>((page.page - 1) * page.per_page);
      const std::size_t expect_n =
          first >= want.size() ? 0 : std::min(want.size() - first, static_cast<std::size_t>(page.per_page));
      PROP_CHECK(got.items.size() == expect_n,
                 "list_movements " << ft << ": " << got.items.size() << " items, expected " << expect_n);
      for (std::size_t k = 0; k < got.items.size(); ++k) {
        PROP_CHECK(got.items[k].id == want[first + k], "list_movements " << ft << ": item " << k << " is id "
                                                                           << got.items[k].id << ", expected "
                                                                           << want[first + k]);
        const auto direct = ledger_.movement(got.items[k].id);
        const std::string d = diff(*direct, got.items[k], false, true);
        PROP_CHECK(d.empty(), "list_movements item differs from movement(id):" << d);
      }
    }
  }

  void rollback_check() {
    // The shape of the burst comes from the command generator so that a
    // checked and an unchecked run issue the same commands.
    const long burst = 1 + static_cast<long>(gen_.below(60));
    const bool nested = gen_.chance(40);
    const long extra = nested ? 1 + static_cast<long>(gen_.below(10)) : 0;
    const long mid = burst / 2;
    // After the rollback the host's clock may be anywhere; half the time it
    // continues from before the burst, so that the next command is stamped
    // against the restored latest movement, not the rolled-back ones.
    const bool rewind = gen_.chance(50);
    const Millis clock0 = gen_.clock();

    const ModelMark model0 = mark_model();
    const auto derived0 = derived_;
    Snapshot snap0;
    std::string journal0;
    if (opt_.checks) {
      snap0 = snapshot(ledger_);
      journal0 = ledger_.export_journal();
    }
    const Checkpoint cp = ledger_.checkpoint();
    if (opt_.checks) {
      PROP_CHECK(cp.movements == snap0.count, "checkpoint().movements " << cp.movements << " != movement_count "
                                                                        << snap0.count);
    }

    Checkpoint cp2;
    ModelMark model2;
    std::map<Key, Raw> derived2;
    Snapshot snap2;
    std::string journal2;
    std::vector<Step> burst_steps;
    phase_ = "burst";
    for (long i = 0; i < burst; ++i) {
      if (nested && i == mid) {
        cp2 = ledger_.checkpoint();
        model2 = mark_model();
        derived2 = derived_;
        if (opt_.checks) {
          snap2 = snapshot(ledger_);
          journal2 = ledger_.export_journal();
        }
      }
      burst_steps.push_back(gen_.next(model_));
      apply(burst_steps.back());
    }
    const Checkpoint future = ledger_.checkpoint();
    if (nested) {
      phase_ = "rollback-inner";
      PROP_CHECK(ledger_.rollback(cp2), "rollback() refused the inner checkpoint");
      restore_model(model2);
      derived_ = derived2;
      if (opt_.checks) {
        check_same(snap2, snapshot(ledger_), "rollback to the inner checkpoint");
        PROP_CHECK(ledger_.export_journal() == journal2, "export_journal() differs after the inner rollback");
        check_state();
      }
      phase_ = "burst2";
      for (long i = 0; i < extra; ++i) apply(gen_.next(model_));
    }
    phase_ = "rollback";
    PROP_CHECK(ledger_.rollback(cp), "rollback() refused the burst's checkpoint");
    ++stats_.rollbacks;
    restore_model(model0);
    derived_ = derived0;
    if (opt_.checks) {
      check_same(snap0, snapshot(ledger_), "rollback");
      PROP_CHECK(ledger_.export_journal() == journal0, "export_journal() differs after rollback");
      const Checkpoint again = ledger_.checkpoint();
      PROP_CHECK(again.movements == cp.movements && again.minimum_changes == cp.minimum_changes,
                 "checkpoint() after rollback is {" << again.movements << "," << again.minimum_changes
                                                    << "}, the mark was {" << cp.movements << ","
                                                    << cp.minimum_changes << "}");
      check_state();
    }
    // A mark from the future is ignored.
    phase_ = "rollback-future";
    PROP_CHECK(!ledger_.rollback(future), "rollback() took a mark from the future");
    if (opt_.checks) {
      check_same(snap0, snapshot(ledger_), "rollback to a mark from the future");
      PROP_CHECK(ledger_.export_journal() == journal0, "export_journal() changed by a rollback to a future mark");
      check_state();
    }
    if (rewind) gen_.set_clock(clock0);
    // Half the time, issue some of the rolled-back commands again: they must
    // behave as if the burst had never happened (voids not voided, initial
    // stock not set, ids and times continuing from the restored state).
    if (gen_.chance(50)) {
      phase_ = "reissue";
      const std::size_t k = 1 + gen_.below(burst_steps.size());
      for (std::size_t i = 0; i < k; ++i) apply(burst_steps[i]);
    }
    // The burst's marks are of a branch that is gone, even where the reissued commands make their
    // counts fit the ledger again: refused, changing nothing.
    phase_ = "rollback-abandoned";
    const std::string journal_now = opt_.checks ? ledger_.export_journal() : std::string();
    PROP_CHECK(!ledger_.rollback(future), "rollback() took a mark of an abandoned branch");
    if (nested) PROP_CHECK(!ledger_.rollback(cp2), "rollback() took an abandoned inner mark");
    if (opt_.checks) {
      PROP_CHECK(ledger_.export_journal() == journal_now, "a refused rollback changed the journal");
      check_state();
    }
  }

  // The first journal line that a fresh ledger refuses (binary search over
  // prefixes), escaped for printing.
  std::string first_refused_line(const std::string& journal) const {
    std::vector<std::size_t> ends;  // end offset of each line
    for (std::size_t i = 0; i < journal.size(); ++i) {
      if (journal[i] == '\n') ends.push_back(i + 1);
    }
    std::size_t lo = 0, hi = ends.size();  // prefix of lo lines replays; of hi lines does not
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      Ledger l;
      register_catalog(l, model_.registered);
      if (l.replay_journal(std::string_view(journal).substr(0, ends[mid - 1])).ok()) lo = mid; else hi = mid;
    }
    if (hi == 0) return "(none)";
    const std::size_t begin = hi >= 2 ? ends[hi - 2] : 0;
    std::string line = journal.substr(begin, ends[hi - 1] - begin);
    std::string out = "#" + std::to_string(hi) + ": ";
    for (char ch : line) out += ch == '\t' ? std::string("<TAB>") : (ch == '\n' ? std::string("<LF>") : std::string(1, ch));
    return out;
  }

  void replay_check(bool keep_replica) {
    phase_ = "replay";
    ++stats_.replays;
    const std::string journal = ledger_.export_journal();
    const std::size_t n = ledger_.movement_count();
    std::size_t lines = static_cast<std::size_t>(std::count(journal.begin(), journal.end(), '\n'));
    PROP_CHECK(lines == n, "export_journal() has " << lines << " lines for " << n << " movements");

    Ledger fresh;
    register_catalog(fresh, model_.registered);
    auto r = fresh.replay_journal(journal);
    PROP_CHECK(r.ok(), "replay of the ledger's own journal fails: " << describe_error(r.error())
                                                                     << "\n  first refused line: "
                                                                     << first_refused_line(journal));
    PROP_CHECK(r.value() == n, "replay appended " << r.value() << " of " << n);
    PROP_CHECK(fresh.movement_count() == n, "replayed movement_count " << fresh.movement_count());
    PROP_CHECK(fresh.export_journal() == journal, "the replayed ledger exports a different journal");
    for (Id id = 1; id <= static_cast<Id>(n); ++id) {
      const auto a = ledger_.movement(id);
      const auto b = fresh.movement(id);
      PROP_CHECK(a && b, "movement " << id << " missing after replay");
      const std::string d = diff(*a, *b, false, true);
      PROP_CHECK(d.empty(), "movement " << id << " differs after replay:" << d);
    }
    PROP_CHECK(fresh.verify().empty(), "verify() after replay reports differences");
    for (const auto& [k, mn] : model_.minimums) {
      auto lr = fresh.load_minimum({k.first, k.second, mn});
      PROP_CHECK(lr.ok(), "load_minimum fails: " << describe_error(lr.error()));
    }
    check_same(snapshot(ledger_), snapshot(fresh), "replayed ledger");
    for (int i = 0; i < 6; ++i) {
      const auto f = random_filter(qbelow(3) != 0);
      const auto a = ledger_.report(f);
      const auto b = fresh.report(f);
      PROP_CHECK(a.size() == b.size(), "report " << filter_text(f) << " differs after replay (size)");
      for (std::size_t j = 0; j < a.size(); ++j) {
        PROP_CHECK(same_rows(a[j], b[j], true), "report " << filter_text(f) << " row " << j << " differs after replay: "
                                                          << show(a[j]) << " vs " << show(b[j]));
      }
    }
    for (const auto& w : catalog().workspaces) {
      const auto a = ledger_.workspace_levels(w.id);
      const auto b = fresh.workspace_levels(w.id);
      // Levels touched only by a minimum may legitimately differ in presence
      // (load_minimum vs a command); every level with movements must match.
      for (const auto& l : a) {
        if (model_.moved.count({l.product_id, w.id}) == 0) continue;
        const bool found = std::any_of(b.begin(), b.end(), [&](const LevelView& x) { return same_level(x, l); });
        PROP_CHECK(found, "workspace_levels after replay lacks " << show(l));
      }
      const auto la = ledger_.low_stock(w.id);
      const auto lb = fresh.low_stock(w.id);
      PROP_CHECK(la.size() == lb.size(), "low_stock(" << w.id << ") differs after replay");
      for (std::size_t j = 0; j < la.size(); ++j) {
        PROP_CHECK(same_level(la[j].level, lb[j].level) && la[j].shortage == lb[j].shortage,
                   "low_stock(" << w.id << ")[" << j << "] differs after replay");
      }
    }

    // Incremental replay: a prefix, then export_journal(after_id) of the rest.
    {
      const std::size_t k = static_cast<std::size_t>(qbelow(n + 1));
      std::size_t pos = 0;
      for (std::size_t i = 0; i < k; ++i) pos = journal.find('\n', pos) + 1;
      Ledger inc;
      register_catalog(inc, model_.registered);
      auto r1 = inc.replay_journal(std::string_view(journal).substr(0, pos));
      PROP_CHECK(r1.ok() && r1.value() == k, "replay of the first " << k << " lines fails");
      const std::string rest = ledger_.export_journal(static_cast<Id>(k));
      PROP_CHECK(rest == journal.substr(pos), "export_journal(" << k << ") is not the tail of export_journal()");
      auto r2 = inc.replay_journal(rest);
      PROP_CHECK(r2.ok() && r2.value() == n - k, "replay of export_journal(" << k << ") fails");
      PROP_CHECK(inc.export_journal() == journal, "incremental replay exports a different journal");
    }
    // A journal with a gap, or with one bad line, is refused whole.
    if (n >= 2) {
      Ledger gap;
      register_catalog(gap, model_.registered);
      auto rg = gap.replay_journal(ledger_.export_journal(1));
      PROP_CHECK(!rg.ok(), "a journal starting at id 2 replays into an empty ledger");
      PROP_CHECK(gap.movement_count() == 0, "a refused journal left " << gap.movement_count() << " movements");

      // Replace the product id of the last line with an unregistered one.
      std::string bad = journal;
      const std::size_t last = bad.rfind('\n', bad.size() - 2) + 1;
      const std::size_t t1 = bad.find('\t', last);
      const std::size_t t2 = bad.find('\t', t1 + 1);
      const std::size_t t3 = bad.find('\t', t2 + 1);
      bad.replace(t2 + 1, t3 - t2 - 1, std::to_string(kUnknownProduct));
      Ledger partial;
      register_catalog(partial, model_.registered);
      auto rb = partial.replay_journal(bad);
      PROP_CHECK(!rb.ok(), "a journal naming an unregistered product replays");
      PROP_CHECK(partial.movement_count() == 0, "a refused journal left " << partial.movement_count()
                                                                          << " movements (not all or nothing)");
    }
    if (keep_replica) {
      replica_.emplace(std::move(fresh));
      replica_left_ = 25;
    }
  }

  RunOptions opt_;
  Generator gen_;
  std::mt19937_64 qrng_;  // randomness of the checks only, never of the commands
  long period_;
  long rollback_period_;
  long verify_every_;
  long verify_tick_ = 0;
  bool trace_;
  Ledger ledger_;
  Model model_;
  std::map<Key, Raw> derived_;  // levels summed from the ledger's own movements
  std::optional<Ledger> replica_;
  int replica_left_ = 0;
  long step_ = 0;
  std::string phase_ = "main";
  std::string last_cmd_;
  RunStats stats_;
};

RunStats run(const RunOptions& options) {
  Runner runner(options);
  return runner.run();
}

}  // namespace props
