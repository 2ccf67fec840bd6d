// Catalog and command handlers: decode the request into a typed command,
// run it, and encode the movements it wrote.
#include <algorithm>

#include "json_commands.h"

namespace stockroom {
namespace {

// A stand-in for a quantity that failed to decode, so the ledger can still
// check the other fields of the same request (see run_command).
constexpr Raw kPlaceholder = kScale;

void write_command_outcome(JsonWriter& w, const Ledger& ledger, const CommandOutcome& outcome) {
  w.begin_object();
  w.member("journal", outcome.movement_ids.empty()
                          ? std::string()
                          : ledger.export_journal(outcome.movement_ids.front() - 1));
  w.key("minimums");
  w.begin_array();
  for (const MinimumChange& m : outcome.minimums) {
    w.begin_object();
    w.member("minimum_quantity", format_quantity(ledger, m.product_id, m.minimum));
    w.member("product_id", m.product_id);
    w.member("workspace_id", m.workspace_id);
    w.end_object();
  }
  w.end_array();
  w.key("movements");
  w.begin_array();
  for (const Id id : outcome.movement_ids) write_movement(w, ledger, *ledger.movement(id));
  w.end_array();
  write_ok(w);
  w.end_object();
}

// Decodes with `decode`, then runs with `run`. When decoding found errors the
// command is still run once against a checkpoint and rolled back, so that its
// own field errors (unknown products, zero quantities, ...) are reported in
// the same answer: every bad field at once.
template <class Command, class Decode, class Run>
void run_command(Ledger& ledger, const JsonValue& req, JsonWriter& w, Decode decode, Run run) {
  Reader reader(ledger);
  Context ctx;
  ctx.actor = reader.actor(req);
  ctx.at = reader.time(req, "at", "at", true).value_or(0);
  const Command cmd = decode(reader, req);
  if (reader.ok()) {
    const Result<CommandOutcome> result = run(ledger, ctx, cmd);
    if (!result.ok()) return write_error_document(w, result.error());
    return write_command_outcome(w, ledger, result.value());
  }
  std::vector<FieldError> errors = reader.errors();
  const Checkpoint mark = ledger.checkpoint();
  const Result<CommandOutcome> dry = run(ledger, ctx, cmd);
  ledger.rollback(mark);
  if (!dry.ok() && dry.error().code == ErrorCode::kValidationFailed) {
    for (const FieldError& f : dry.error().fields) {
      const bool known = std::any_of(errors.begin(), errors.end(),
                                     [&](const FieldError& e) { return e.field == f.field; });
      if (!known) errors.push_back(f);
    }
  }
  write_error_document(w, Error::fields_failed(std::move(errors)));
}

// The paths of one list entry's fields ("items.2.quantity"), for the Reader, which writes them out
// only when a field fails.
struct EntryPaths {
  const char* list;
  std::size_t index;
  FieldPath operator()(const char* field) const { return FieldPath(list, index, field); }
};

// Iterates a list member, calling `each(item, at)` with `at` the entry's field paths.
template <class Each>
void for_items(Reader& r, const JsonValue& req, const char* key, Each each) {
  const JsonValue* items = r.array(req, key, key);
  if (items == nullptr) return;
  std::size_t i = 0;
  for (const JsonValue& item : items->children()) {
    if (!item.is_object()) {
      const std::string list(key);
      r.add(list + "." + std::to_string(i), "Each entry of " + list + " must be an object.");
    } else {
      each(item, EntryPaths{key, i});
    }
    ++i;
  }
}

Reason read_reason(Reader& r, const JsonValue& obj, const FieldPath& path) {
  const JsonValue* it = obj.find("reason");
  if (it == nullptr || it->is_null()) {
    r.add(path.str(), "The reason field is required.");
    return Reason::kNone;
  }
  if (it->is_string()) {
    if (auto reason = parse_reason(it->str())) return *reason;
  }
  r.add(path.str(), "The reason must be one of damaged, lost, found, recount, other.");
  return Reason::kNone;
}

}  // namespace

void handle_register(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  std::vector<WorkspaceInfo> workspaces;
  std::vector<ProductInfo> products;
  std::vector<std::pair<MinimumChange, std::string>> minimums;
  const auto optional_list = [&](const char* key, auto each) {
    const JsonValue* list = req.find(key);
    if (list != nullptr && !list->is_null()) for_items(r, req, key, each);
  };
  optional_list("workspaces", [&](const JsonValue& item, const EntryPaths& at) {
    WorkspaceInfo w;
    w.id = r.id(item, "id", at("id"), true);
    w.name = r.text(item, "name", at("name"));
    w.active = r.boolean(item, "active", at("active")).value_or(true);
    if (auto valid = ledger.validate_workspace(w); !valid.ok() && w.id > 0) {
      for (const FieldError& f : valid.error().fields) r.add(at(f.field.c_str()).str(), f.message);
    }
    workspaces.push_back(std::move(w));
  });
  optional_list("products", [&](const JsonValue& item, const EntryPaths& at) {
    ProductInfo p;
    p.id = r.id(item, "id", at("id"), true);
    p.sku = r.text(item, "sku", at("sku"));
    p.name = r.text(item, "name", at("name"));
    p.track_inventory = r.boolean(item, "track_inventory", at("track_inventory")).value_or(true);
    p.allow_negative_stock =
        r.boolean(item, "allow_negative_stock", at("allow_negative_stock")).value_or(false);
    p.decimals = r.integer(item, "decimals", at("decimals"), 0, kScalePlaces).value_or(2);
    p.active = r.boolean(item, "active", at("active")).value_or(true);
    if (auto valid = ledger.validate_product(p); !valid.ok() && p.id > 0) {
      for (const FieldError& f : valid.error().fields) r.add(at(f.field.c_str()).str(), f.message);
    }
    products.push_back(std::move(p));
  });
  if (!r.ok()) return write_error_document(w, Error::fields_failed(r.errors()));
  for (const WorkspaceInfo& w : workspaces) (void)ledger.upsert_workspace(w);
  for (const ProductInfo& p : products) (void)ledger.upsert_product(p);
  // Minimums after the catalog they name, so one request can carry all three.
  optional_list("minimums", [&](const JsonValue& item, const EntryPaths& at) {
    MinimumChange m;
    m.product_id = r.id(item, "product_id", at("product_id"), true);
    m.workspace_id = r.id(item, "workspace_id", at("workspace_id"), true);
    m.minimum = r.quantity(item, "minimum_quantity", at("minimum_quantity"),
                           m.product_id, true).value_or(0);
    minimums.emplace_back(m, at("").str());
  });
  if (!r.ok()) return write_error_document(w, Error::fields_failed(r.errors()));
  for (const auto& [m, path] : minimums) {
    if (auto done = ledger.load_minimum(m); !done.ok()) {
      std::vector<FieldError> fields = done.error().fields;
      for (FieldError& f : fields) f.field = path + f.field;
      return write_error_document(w, Error::fields_failed(std::move(fields)));
    }
  }
  write_ok_document(w);
}

void handle_initial_stock(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<InitialStockCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        InitialStockCommand c;
        c.workspace_id = r.id(q, "workspace_id", "workspace_id", true);
        c.reference = r.text(q, "reference", "reference");
        c.notes = r.text(q, "notes", "notes");
        for_items(r, q, "items", [&](const JsonValue& item, const EntryPaths& at) {
          InitialStockItem it;
          it.product_id = r.id(item, "product_id", at("product_id"), true);
          it.quantity = r.quantity(item, "quantity", at("quantity"), it.product_id, true)
                            .value_or(kPlaceholder);
          it.cost_per_unit = r.decimal(item, "cost_per_unit", at("cost_per_unit"),
                                       kScalePlaces, false);
          it.minimum = r.quantity(item, "minimum_quantity", at("minimum_quantity"),
                                  it.product_id, false);
          c.items.push_back(it);
        });
        return c;
      },
      [](Ledger& l, const Context& ctx, const InitialStockCommand& c) { return l.initial_stock(ctx, c); });
}

void handle_adjust(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<AdjustCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        AdjustCommand c;
        c.workspace_id = r.id(q, "workspace_id", "workspace_id", true);
        c.reference = r.text(q, "reference", "reference");
        for_items(r, q, "items", [&](const JsonValue& item, const EntryPaths& at) {
          AdjustItem it;
          it.product_id = r.id(item, "product_id", at("product_id"), true);
          it.quantity = r.quantity(item, "quantity", at("quantity"), it.product_id, true)
                            .value_or(kPlaceholder);
          it.reason = read_reason(r, item, at("reason"));
          if (it.reason == Reason::kNone) it.reason = Reason::kOther;  // already reported
          it.notes = r.text(item, "notes", at("notes"));
          it.expected_quantity = r.quantity(item, "expected_quantity",
                                            at("expected_quantity"), it.product_id, false);
          c.items.push_back(it);
        });
        return c;
      },
      [](Ledger& l, const Context& ctx, const AdjustCommand& c) { return l.adjust(ctx, c); });
}

void handle_transfer(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<TransferCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        TransferCommand c;
        c.product_id = r.id(q, "product_id", "product_id", true);
        c.from_workspace_id = r.id(q, "from_workspace_id", "from_workspace_id", true);
        c.to_workspace_id = r.id(q, "to_workspace_id", "to_workspace_id", true);
        c.quantity = r.quantity(q, "quantity", "quantity", c.product_id, true).value_or(kPlaceholder);
        c.reference = r.text(q, "reference", "reference");
        c.notes = r.text(q, "notes", "notes");
        c.expected_quantity = r.quantity(q, "expected_quantity", "expected_quantity", c.product_id, false);
        return c;
      },
      [](Ledger& l, const Context& ctx, const TransferCommand& c) { return l.transfer(ctx, c); });
}

void handle_sell(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<SellCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        SellCommand c;
        c.workspace_id = r.id(q, "workspace_id", "workspace_id", true);
        c.invoice_id = r.id(q, "invoice_id", "invoice_id", true);
        c.reference = r.text(q, "reference", "reference");
        for_items(r, q, "lines", [&](const JsonValue& item, const EntryPaths& at) {
          SaleLine line;
          line.product_id = r.id(item, "product_id", at("product_id"), true);
          line.quantity =
              r.quantity(item, "quantity", at("quantity"), line.product_id, true)
                  .value_or(kPlaceholder);
          c.lines.push_back(line);
        });
        return c;
      },
      [](Ledger& l, const Context& ctx, const SellCommand& c) { return l.sell(ctx, c); });
}

void handle_void_sale(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<VoidSaleCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        VoidSaleCommand c;
        c.invoice_id = r.id(q, "invoice_id", "invoice_id", true);
        c.notes = r.text(q, "notes", "notes");
        return c;
      },
      [](Ledger& l, const Context& ctx, const VoidSaleCommand& c) { return l.void_sale(ctx, c); });
}

void handle_purchase(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<PurchaseCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        PurchaseCommand c;
        c.workspace_id = r.id(q, "workspace_id", "workspace_id", true);
        c.reference = r.text(q, "reference", "reference");
        c.notes = r.text(q, "notes", "notes");
        for_items(r, q, "items", [&](const JsonValue& item, const EntryPaths& at) {
          PurchaseItem it;
          it.product_id = r.id(item, "product_id", at("product_id"), true);
          it.quantity = r.quantity(item, "quantity", at("quantity"), it.product_id, true)
                            .value_or(kPlaceholder);
          it.unit_cost =
              r.decimal(item, "unit_cost", at("unit_cost"), kScalePlaces, false);
          c.items.push_back(it);
        });
        return c;
      },
      [](Ledger& l, const Context& ctx, const PurchaseCommand& c) { return l.purchase(ctx, c); });
}

void handle_count(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<CountCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        CountCommand c;
        c.workspace_id = r.id(q, "workspace_id", "workspace_id", true);
        c.reference = r.text(q, "reference", "reference");
        for_items(r, q, "items", [&](const JsonValue& item, const EntryPaths& at) {
          CountItem it;
          it.product_id = r.id(item, "product_id", at("product_id"), true);
          it.counted = r.quantity(item, "quantity", at("quantity"), it.product_id, true)
                           .value_or(kPlaceholder);
          it.notes = r.text(item, "notes", at("notes"));
          c.items.push_back(it);
        });
        return c;
      },
      [](Ledger& l, const Context& ctx, const CountCommand& c) { return l.count(ctx, c); });
}

void handle_set_minimum(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  run_command<SetMinimumCommand>(
      ledger, req, w,
      [&](Reader& r, const JsonValue& q) {
        SetMinimumCommand c;
        c.product_id = r.id(q, "product_id", "product_id", true);
        c.workspace_id = r.id(q, "workspace_id", "workspace_id", true);
        c.minimum = r.quantity(q, "minimum_quantity", "minimum_quantity", c.product_id, true).value_or(0);
        return c;
      },
      [](Ledger& l, const Context& ctx, const SetMinimumCommand& c) { return l.set_minimum(ctx, c); });
}

}  // namespace stockroom
