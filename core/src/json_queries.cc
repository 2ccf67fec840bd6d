// Query and host-support handlers.
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <sstream>

#include "json_commands.h"

namespace stockroom {
namespace {

constexpr int kMaxPerPage = 10'000;

std::optional<Sort> parse_sort(const std::string& text) {
  Sort sort;
  std::string_view name = text;
  sort.descending = !name.empty() && name.front() == '-';
  if (sort.descending) name.remove_prefix(1);
  if (name == "created_at") {
    sort.field = SortField::kCreatedAt;
  } else if (name == "id") {
    sort.field = SortField::kId;
  } else if (name == "quantity") {
    sort.field = SortField::kQuantity;
  } else {
    return std::nullopt;
  }
  return sort;
}

PageRequest read_page(Reader& r, const JsonValue& req) {
  PageRequest page;
  page.page = r.integer(req, "page", "page", 1, INT32_MAX).value_or(1);
  page.per_page = r.integer(req, "per_page", "per_page", 1, kMaxPerPage).value_or(15);
  const std::string sort = r.text(req, "sort", "sort");
  if (!sort.empty()) {
    if (auto parsed = parse_sort(sort)) {
      page.sort = *parsed;
    } else {
      r.add("sort", "The sort must be one of created_at, id, quantity, optionally prefixed with -.");
    }
  }
  return page;
}

// A type filter: one name, a comma-separated list, or an array of names.
std::uint32_t read_types(Reader& r, const JsonValue& filter) {
  const JsonValue* it = filter.find("type");
  if (it == nullptr || it->is_null()) return kAllTypes;
  std::vector<std::string> names;
  if (it->is_string()) {
    std::stringstream in{std::string(it->str())};
    for (std::string name; std::getline(in, name, ',');) names.push_back(name);
  } else if (it->is_array()) {
    for (const JsonValue& n : it->children()) names.emplace_back(n.str());
  }
  std::uint32_t types = 0;
  for (const std::string& name : names) {
    const auto type = parse_movement_type(name);
    if (!type) {
      r.add("filter.type", "The selected type is invalid.");
      return kAllTypes;
    }
    types |= type_bit(*type);
  }
  if (types == 0) r.add("filter.type", "The selected type is invalid.");
  return types;
}

MovementFilter read_filter(Reader& r, const JsonValue& req) {
  MovementFilter f;
  const JsonValue* it = req.find("filter");
  if (it == nullptr || it->is_null()) return f;
  if (!it->is_object()) {
    r.add("filter", "The filter must be an object.");
    return f;
  }
  const JsonValue& q = *it;
  if (Id ws = r.id(q, "workspace_id", "filter.workspace_id", false)) f.workspace_id = ws;
  if (Id p = r.id(q, "product_id", "filter.product_id", false)) f.product_id = p;
  f.types = read_types(r, q);
  const JsonValue* reason = q.find("reason");
  if (reason != nullptr && !reason->is_null()) {
    const auto parsed = reason->is_string() ? parse_reason(reason->str()) : std::nullopt;
    if (parsed) {
      f.reason = parsed;
    } else {
      r.add("filter.reason", "The reason must be one of damaged, lost, found, recount, other.");
    }
  }
  f.from = r.date(q, "start_date", "filter.start_date");
  const std::optional<Millis> end = r.date(q, "end_date", "filter.end_date");
  if (end) f.until = *end + kMillisPerDay;
  if (f.from && end && *f.from > *end) {
    r.add("filter.end_date", "The end date must be a date after or equal to the start date.");
  }
  return f;
}

void write_movements(JsonWriter& w, const Ledger& ledger, const std::vector<Movement>& items) {
  w.begin_array();
  for (const Movement& m : items) write_movement(w, ledger, m);
  w.end_array();
}

void validation_error(JsonWriter& w, const Reader& r) {
  write_error_document(w, Error::fields_failed(r.errors()));
}

void not_found(JsonWriter& w, const char* what) {
  write_error_document(w, Error::make(ErrorCode::kNotFound, std::string("The ") + what + " was not found."));
}

// The movement types in the order of their names: the keys of `counts`.
std::array<MovementType, kMovementTypeCount> types_by_name() {
  std::array<MovementType, kMovementTypeCount> types{};
  for (int t = 0; t < kMovementTypeCount; ++t) types[t] = static_cast<MovementType>(t);
  std::sort(types.begin(), types.end(), [](MovementType a, MovementType b) {
    return movement_type_name(a) < movement_type_name(b);
  });
  return types;
}

// About the size of one summary row with a product of short name and SKU.
constexpr std::size_t kSummaryRowBytes = 320;

void write_summary_row(JsonWriter& w, const Ledger& ledger, const ReportRow& row) {
  static const std::array<MovementType, kMovementTypeCount> kTypesByName = types_by_name();
  const ProductInfo* p = ledger.product(row.product_id);
  const int places = p ? p->decimals : 2;
  w.begin_object();
  w.decimal("closing_balance", row.closing, places);
  w.key("counts");
  w.begin_object();
  for (const MovementType t : kTypesByName) {
    w.member(movement_type_name(t), row.counts[static_cast<std::size_t>(t)]);
  }
  w.end_object();
  w.decimal("net", row.net, places);
  w.decimal("opening_balance", row.opening, places);
  w.key("product");
  write_product_ref(w, p);
  w.member("product_id", row.product_id);
  w.decimal("quantity_in", row.quantity_in, places);
  w.decimal("quantity_out", row.quantity_out, places);
  w.member("workspace_id", row.workspace_id);
  w.end_object();
}

}  // namespace

void handle_get_movement(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const Id id = r.id(req, "id", "id", true);
  if (!r.ok()) return validation_error(w, r);
  const std::optional<Movement> m = ledger.movement(id);
  if (!m) return not_found(w, "movement");
  w.begin_object();
  w.key("movement");
  write_movement(w, ledger, *m);
  write_ok(w);
  w.end_object();
}

void handle_list_movements(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const MovementFilter filter = read_filter(r, req);
  const PageRequest page = read_page(r, req);
  if (!r.ok()) return validation_error(w, r);
  const MovementPage result = ledger.list_movements(filter, page);
  w.begin_object();
  w.key("data");
  write_movements(w, ledger, result.items);
  write_paging(w, result.total, page, [] {});
  w.end_object();
}

void handle_report(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const MovementFilter filter = read_filter(r, req);
  const PageRequest page = read_page(r, req);
  if (r.ok() && !filter.workspace_id) r.add("filter.workspace_id", "The workspace id field is required.");
  if (!r.ok()) return validation_error(w, r);
  const MovementPage result = ledger.list_movements(filter, page);
  const std::vector<ReportRow> rows = ledger.report(filter);
  w.begin_object();
  w.key("data");
  write_movements(w, ledger, result.items);
  write_paging(w, result.total, page, [&] {
    w.key("summary");
    w.reserve_more(rows.size() * kSummaryRowBytes);
    w.begin_array();
    for (const ReportRow& row : rows) write_summary_row(w, ledger, row);
    w.end_array();
  });
  w.end_object();
}

void handle_product_stock(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const Id id = r.id(req, "product_id", "product_id", true);
  if (!r.ok()) return validation_error(w, r);
  write_product_stock(ledger, id, w);
}

void write_product_stock(const Ledger& ledger, Id id, JsonWriter& w) {
  const Result<ProductStock> stock = ledger.product_stock(id);
  if (!stock.ok()) return write_error_document(w, stock.error());
  // One product in every workspace, in the order of workspaces(): each is looked up once here.
  const ProductInfo* product = ledger.product(id);
  const std::vector<const WorkspaceInfo*> workspaces = ledger.workspaces();
  const std::vector<LevelView>& levels = stock.value().levels;
  w.begin_object();
  w.key("data");
  w.begin_array();
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const bool same = i < workspaces.size() && workspaces[i]->id == levels[i].workspace_id;
    write_level(w, levels[i], product, same ? workspaces[i] : ledger.workspace(levels[i].workspace_id),
                {.product_id = false, .workspace_name = true});
  }
  w.end_array();
  write_ok(w);
  w.key("product");
  write_product_ref(w, product);
  w.member("product_id", id);
  w.decimal("total_quantity", stock.value().total, product ? product->decimals : 2);
  w.end_object();
}

void handle_workspace_levels(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const Id ws = r.id(req, "workspace_id", "workspace_id", true);
  const std::optional<Millis> as_of = r.time(req, "as_of", "as_of", false);
  const std::optional<Millis> as_of_date = r.date(req, "as_of_date", "as_of_date");
  if (!r.ok()) return validation_error(w, r);
  std::vector<LevelView> levels;
  if (as_of) {
    levels = ledger.workspace_levels_before(ws, std::min(*as_of, kLatestTime) + 1);
  } else if (as_of_date) {
    levels = ledger.workspace_levels_before(ws, *as_of_date + kMillisPerDay);
  } else {
    levels = ledger.workspace_levels(ws);
  }
  w.begin_object();
  w.key("data");
  w.begin_array();
  for (const LevelView& level : levels) write_level(w, ledger, level, {.product = true});
  w.end_array();
  write_ok(w);
  w.end_object();
}

void handle_low_stock(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const Id ws = r.id(req, "workspace_id", "workspace_id", true);
  const PageRequest page = read_page(r, req);
  if (!r.ok()) return validation_error(w, r);
  const std::vector<LowStockEntry> entries = ledger.low_stock(ws);
  const auto total = static_cast<std::int64_t>(entries.size());
  const std::int64_t start = (page.page - 1) * page.per_page;
  w.begin_object();
  w.key("data");
  w.begin_array();
  for (std::int64_t i = start; i < total && i < start + page.per_page; ++i) {
    const LowStockEntry& e = entries[static_cast<std::size_t>(i)];
    write_level(w, ledger, e.level, {.product = true, .shortage = &e.shortage});
  }
  w.end_array();
  write_paging(w, total, page, [] {});
  w.end_object();
}

void handle_level_as_of(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const Id product = r.id(req, "product_id", "product_id", true);
  const Id ws = r.id(req, "workspace_id", "workspace_id", true);
  const std::optional<Millis> as_of = r.time(req, "as_of", "as_of", false);
  const std::optional<Millis> as_of_date = r.date(req, "as_of_date", "as_of_date");
  if (!as_of && !as_of_date && r.ok()) r.add("as_of", "The as of field is required.");
  if (!r.ok()) return validation_error(w, r);
  // No movement is later than kLatestTime: the bound keeps the + 1 from overflowing.
  const Millis before = as_of ? std::min(*as_of, kLatestTime) + 1 : *as_of_date + kMillisPerDay;
  w.begin_object();
  write_ok(w);
  w.member("quantity", format_quantity(ledger, product, ledger.level_before(product, ws, before)));
  w.end_object();
}

void handle_checkpoint(Ledger& ledger, const JsonValue& /*req*/, JsonWriter& w) {
  const Checkpoint c = ledger.checkpoint();
  w.begin_object();
  w.key("checkpoint");
  w.begin_object();
  w.member("contexts", c.contexts);
  w.member("levels", c.levels);
  w.member("minimum_changes", c.minimum_changes);
  w.member("movements", c.movements);
  w.member("serial", c.serial);
  w.member("texts", c.texts);
  w.end_object();
  write_ok(w);
  w.end_object();
}

void handle_rollback(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  const JsonValue* it = req.find("checkpoint");
  const auto read = [&](const char* key) -> std::optional<std::uint64_t> {
    const JsonValue* v = it == nullptr ? nullptr : it->find(key);
    if (v == nullptr || !v->is_number_unsigned()) return std::nullopt;
    return v->as_uint();
  };
  const auto movements = read("movements"), minimums = read("minimum_changes"), levels = read("levels"),
             texts = read("texts"), contexts = read("contexts"), serial = read("serial");
  if (!movements || !minimums || !levels || !texts || !contexts || !serial) {
    return write_error_document(
        w, Error::field("checkpoint", "The checkpoint must be one returned by checkpoint."));
  }
  // A count past size_t (wasm32: 2^32) was never handed out, and cut to size_t it could pass for one.
  constexpr std::uint64_t kMostCount = std::numeric_limits<std::size_t>::max();
  const bool counts_fit = std::max({*movements, *minimums, *levels, *texts, *contexts}) <= kMostCount;
  const auto count = [](std::optional<std::uint64_t> n) { return static_cast<std::size_t>(*n); };
  const bool rolled_back =
      counts_fit && ledger.rollback({count(movements), count(minimums), count(levels), count(texts),
                                     count(contexts), *serial});
  w.begin_object();
  write_ok(w);
  w.key("rolled_back");
  w.boolean(rolled_back);
  w.end_object();
}

void handle_verify(Ledger& ledger, const JsonValue& /*req*/, JsonWriter& w) {
  w.begin_object();
  w.key("differences");
  w.begin_array();
  for (const LevelDifference& d : ledger.verify()) {
    w.begin_object();
    w.member("kept", format_quantity(ledger, d.product_id, d.kept));
    w.member("product_id", d.product_id);
    w.member("recomputed", format_quantity(ledger, d.product_id, d.recomputed));
    w.member("workspace_id", d.workspace_id);
    w.end_object();
  }
  w.end_array();
  write_ok(w);
  w.end_object();
}

void handle_stats(Ledger& ledger, const JsonValue& /*req*/, JsonWriter& w) {
  w.begin_object();
  w.member("last_movement_id", ledger.movement_count());
  w.member("movements", ledger.movement_count());
  write_ok(w);
  w.end_object();
}

void handle_export_journal(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  Id after = 0;
  const JsonValue* it = req.find("after_id");
  if (it != nullptr && !(it->is_number_integer() && it->as_int() == 0)) {
    after = r.id(req, "after_id", "after_id", false);
  }
  if (!r.ok()) return validation_error(w, r);
  w.begin_object();
  w.member("journal", ledger.export_journal(after));
  write_ok(w);
  w.end_object();
}

void handle_replay_journal(Ledger& ledger, const JsonValue& req, JsonWriter& w) {
  Reader r(ledger);
  const std::string journal = r.text(req, "journal", "journal");
  if (!r.ok()) return validation_error(w, r);
  write_replay_journal(ledger, journal, w);
}

void write_replay_journal(Ledger& ledger, std::string_view journal, JsonWriter& w) {
  const Result<std::size_t> appended = ledger.replay_journal(journal);
  if (!appended.ok()) return write_error_document(w, appended.error());
  w.begin_object();
  w.member("appended", appended.value());
  write_ok(w);
  w.end_object();
}

}  // namespace stockroom
