// Query and host-support handlers.
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

PageRequest read_page(Reader& r, const json& req) {
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
std::uint32_t read_types(Reader& r, const json& filter) {
  const auto it = filter.find("type");
  if (it == filter.end() || it->is_null()) return kAllTypes;
  std::vector<std::string> names;
  if (it->is_string()) {
    std::stringstream in(it->get<std::string>());
    for (std::string name; std::getline(in, name, ',');) names.push_back(name);
  } else if (it->is_array()) {
    for (const json& n : *it) names.push_back(n.is_string() ? n.get<std::string>() : "");
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

MovementFilter read_filter(Reader& r, const json& req) {
  MovementFilter f;
  const auto it = req.find("filter");
  if (it == req.end() || it->is_null()) return f;
  if (!it->is_object()) {
    r.add("filter", "The filter must be an object.");
    return f;
  }
  const json& q = *it;
  if (Id ws = r.id(q, "workspace_id", "filter.workspace_id", false)) f.workspace_id = ws;
  if (Id p = r.id(q, "product_id", "filter.product_id", false)) f.product_id = p;
  f.types = read_types(r, q);
  const auto reason = q.find("reason");
  if (reason != q.end() && !reason->is_null()) {
    const auto parsed = reason->is_string() ? parse_reason(reason->get<std::string>()) : std::nullopt;
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

json movements_json(const Ledger& ledger, const std::vector<Movement>& items) {
  json data = json::array();
  for (const Movement& m : items) data.push_back(movement_json(ledger, m));
  return data;
}

json validation_error(const Reader& r) { return error_document(Error::fields_failed(r.errors())); }

json not_found(const char* what) {
  return error_document(Error::make(ErrorCode::kNotFound, std::string("The ") + what + " was not found."));
}

}  // namespace

json handle_get_movement(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const Id id = r.id(req, "id", "id", true);
  if (!r.ok()) return validation_error(r);
  const std::optional<Movement> m = ledger.movement(id);
  if (!m) return not_found("movement");
  json out = ok_document();
  out["movement"] = movement_json(ledger, *m);
  return out;
}

json handle_list_movements(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const MovementFilter filter = read_filter(r, req);
  const PageRequest page = read_page(r, req);
  if (!r.ok()) return validation_error(r);
  const MovementPage result = ledger.list_movements(filter, page);
  return page_document(movements_json(ledger, result.items), result.total, page);
}

json handle_report(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const MovementFilter filter = read_filter(r, req);
  const PageRequest page = read_page(r, req);
  if (r.ok() && !filter.workspace_id) r.add("filter.workspace_id", "The workspace id field is required.");
  if (!r.ok()) return validation_error(r);
  const MovementPage result = ledger.list_movements(filter, page);
  json out = page_document(movements_json(ledger, result.items), result.total, page);
  json summary = json::array();
  for (const ReportRow& row : ledger.report(filter)) {
    json counts = json::object();
    for (int t = 0; t < kMovementTypeCount; ++t) {
      counts[std::string(movement_type_name(static_cast<MovementType>(t)))] = row.counts[t];
    }
    const auto q = [&](Raw v) { return format_quantity(ledger, row.product_id, v); };
    summary.push_back({{"product_id", row.product_id},
                       {"product", product_ref(ledger, row.product_id)},
                       {"workspace_id", row.workspace_id},
                       {"opening_balance", q(row.opening)},
                       {"quantity_in", q(row.quantity_in)},
                       {"quantity_out", q(row.quantity_out)},
                       {"net", q(row.net)},
                       {"closing_balance", q(row.closing)},
                       {"counts", std::move(counts)}});
  }
  out["summary"] = std::move(summary);
  return out;
}

json handle_product_stock(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const Id id = r.id(req, "product_id", "product_id", true);
  if (!r.ok()) return validation_error(r);
  const Result<ProductStock> stock = ledger.product_stock(id);
  if (!stock.ok()) return error_document(stock.error());
  json data = json::array();
  for (const LevelView& level : stock.value().levels) {
    json entry = level_json(ledger, level, false);
    entry.erase("product_id");
    entry["workspace_name"] = ledger.workspace(level.workspace_id)->name;
    data.push_back(std::move(entry));
  }
  json out = ok_document();
  out["product_id"] = id;
  out["total_quantity"] = format_quantity(ledger, id, stock.value().total);
  out["data"] = std::move(data);
  return out;
}

json handle_workspace_levels(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const Id ws = r.id(req, "workspace_id", "workspace_id", true);
  const std::optional<Millis> as_of = r.time(req, "as_of", "as_of", false);
  const std::optional<Millis> as_of_date = r.date(req, "as_of_date", "as_of_date");
  if (!r.ok()) return validation_error(r);
  std::vector<LevelView> levels;
  if (as_of) {
    levels = ledger.workspace_levels_before(ws, *as_of + 1);
  } else if (as_of_date) {
    levels = ledger.workspace_levels_before(ws, *as_of_date + kMillisPerDay);
  } else {
    levels = ledger.workspace_levels(ws);
  }
  json data = json::array();
  for (const LevelView& level : levels) data.push_back(level_json(ledger, level, true));
  json out = ok_document();
  out["data"] = std::move(data);
  return out;
}

json handle_low_stock(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const Id ws = r.id(req, "workspace_id", "workspace_id", true);
  const PageRequest page = read_page(r, req);
  if (!r.ok()) return validation_error(r);
  const std::vector<LowStockEntry> entries = ledger.low_stock(ws);
  json data = json::array();
  const auto total = static_cast<std::int64_t>(entries.size());
  const std::int64_t start = (page.page - 1) * page.per_page;
  for (std::int64_t i = start; i < total && i < start + page.per_page; ++i) {
    const LowStockEntry& e = entries[static_cast<std::size_t>(i)];
    json entry = level_json(ledger, e.level, true);
    entry["shortage"] = format_quantity(ledger, e.level.product_id, e.shortage);
    data.push_back(std::move(entry));
  }
  return page_document(std::move(data), total, page);
}

json handle_level_as_of(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const Id product = r.id(req, "product_id", "product_id", true);
  const Id ws = r.id(req, "workspace_id", "workspace_id", true);
  const std::optional<Millis> as_of = r.time(req, "as_of", "as_of", false);
  const std::optional<Millis> as_of_date = r.date(req, "as_of_date", "as_of_date");
  if (!as_of && !as_of_date && r.ok()) r.add("as_of", "The as of field is required.");
  if (!r.ok()) return validation_error(r);
  const Millis before = as_of ? *as_of + 1 : *as_of_date + kMillisPerDay;
  json out = ok_document();
  out["quantity"] = format_quantity(ledger, product, ledger.level_before(product, ws, before));
  return out;
}

json handle_checkpoint(Ledger& ledger, const json& /*req*/) {
  const Checkpoint c = ledger.checkpoint();
  json out = ok_document();
  out["checkpoint"] = {{"movements", c.movements},
                       {"minimum_changes", c.minimum_changes},
                       {"levels", c.levels},
                       {"texts", c.texts}};
  return out;
}

json handle_rollback(Ledger& ledger, const json& req) {
  const auto it = req.find("checkpoint");
  const auto read = [&](const char* key) -> std::optional<std::size_t> {
    if (it == req.end() || !it->is_object()) return std::nullopt;
    const auto v = it->find(key);
    if (v == it->end() || !v->is_number_unsigned()) return std::nullopt;
    return v->get<std::size_t>();
  };
  const auto movements = read("movements"), minimums = read("minimum_changes"),
             levels = read("levels"), texts = read("texts");
  if (!movements || !minimums || !levels || !texts) {
    return error_document(Error::field("checkpoint", "The checkpoint must be one returned by checkpoint."));
  }
  ledger.rollback({*movements, *minimums, *levels, *texts});
  return ok_document();
}

json handle_verify(Ledger& ledger, const json& /*req*/) {
  json differences = json::array();
  for (const LevelDifference& d : ledger.verify()) {
    differences.push_back({{"product_id", d.product_id},
                           {"workspace_id", d.workspace_id},
                           {"kept", format_quantity(ledger, d.product_id, d.kept)},
                           {"recomputed", format_quantity(ledger, d.product_id, d.recomputed)}});
  }
  json out = ok_document();
  out["differences"] = std::move(differences);
  return out;
}

json handle_stats(Ledger& ledger, const json& /*req*/) {
  json out = ok_document();
  out["movements"] = ledger.movement_count();
  out["last_movement_id"] = ledger.movement_count();
  return out;
}

json handle_export_journal(Ledger& ledger, const json& req) {
  Reader r(ledger);
  Id after = 0;
  const auto it = req.find("after_id");
  if (it != req.end() && !(it->is_number_integer() && it->get<std::int64_t>() == 0)) {
    after = r.id(req, "after_id", "after_id", false);
  }
  if (!r.ok()) return validation_error(r);
  json out = ok_document();
  out["journal"] = ledger.export_journal(after);
  return out;
}

json handle_replay_journal(Ledger& ledger, const json& req) {
  Reader r(ledger);
  const std::string journal = r.text(req, "journal", "journal");
  if (!r.ok()) return validation_error(r);
  return replay_journal_document(ledger, journal);
}

json replay_journal_document(Ledger& ledger, std::string_view journal) {
  const Result<std::size_t> appended = ledger.replay_journal(journal);
  if (!appended.ok()) return error_document(appended.error());
  json out = ok_document();
  out["appended"] = appended.value();
  return out;
}

}  // namespace stockroom
