#include "json_codec.h"

#include <cstdint>

#include "validation.h"

namespace stockroom {
namespace {

std::string label(const std::string& path) { return field_label(path); }

bool all_digits(const std::string& s) {
  if (s.empty() || s.size() > 18) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

void Reader::add(std::string path, std::string message) {
  errors_.push_back({std::move(path), std::move(message)});
}

const json* Reader::member(const json& obj, const std::string& key) const {
  if (!obj.is_object()) return nullptr;
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return nullptr;
  return &*it;
}

Id Reader::id(const json& obj, const std::string& key, const std::string& path, bool required) {
  const json* v = member(obj, key);
  if (v == nullptr) {
    if (required) add(path, "The " + label(path) + " field is required.");
    return 0;
  }
  if (v->is_number_unsigned() && v->get<std::uint64_t>() > 0 &&
      v->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<Id>(v->get<std::uint64_t>());
  }
  if (v->is_number_integer() && v->get<std::int64_t>() > 0) return v->get<std::int64_t>();
  if (v->is_string() && all_digits(v->get<std::string>())) {
    const Id id = std::stoll(v->get<std::string>());
    if (id > 0) return id;
  }
  add(path, "The " + label(path) + " must be a positive integer.");
  return 0;
}

std::optional<Raw> Reader::decimal(const json& obj, const std::string& key,
                                   const std::string& path, int places, bool required) {
  const json* v = member(obj, key);
  if (v == nullptr) {
    if (required) add(path, "The " + label(path) + " field is required.");
    return std::nullopt;
  }
  // Integers are exact in JSON; the string path covers range checking.
  // (nlohmann's is_number_integer() is also true for unsigned: test that first.)
  if (v->is_number_unsigned()) {
    return decimal(json{{"v", std::to_string(v->get<std::uint64_t>())}}, "v", path, places, true);
  }
  if (v->is_number_integer()) {
    return decimal(json{{"v", std::to_string(v->get<std::int64_t>())}}, "v", path, places, true);
  }
  if (v->is_number_float()) {
    add(path, "The " + label(path) + " must be sent as a decimal string such as \"12.5\".");
    return std::nullopt;
  }
  if (!v->is_string()) {
    add(path, "The " + label(path) + " must be a decimal number.");
    return std::nullopt;
  }
  const ParsedDecimal parsed = parse_decimal(v->get<std::string>(), places);
  if (parsed.error != DecimalError::kOk) {
    add(path, "The " + label(path) + " " + describe(parsed.error, places) + ".");
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<Raw> Reader::quantity(const json& obj, const std::string& key,
                                    const std::string& path, Id product_id, bool required) {
  const ProductInfo* p = ledger_.product(product_id);
  return decimal(obj, key, path, p ? p->decimals : kScalePlaces, required);
}

std::string Reader::text(const json& obj, const std::string& key, const std::string& path) {
  const json* v = member(obj, key);
  if (v == nullptr) return "";
  if (!v->is_string()) {
    add(path, "The " + label(path) + " must be a string.");
    return "";
  }
  return v->get<std::string>();
}

std::optional<bool> Reader::boolean(const json& obj, const std::string& key,
                                    const std::string& path) {
  const json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    add(path, "The " + label(path) + " field must be true or false.");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<int> Reader::integer(const json& obj, const std::string& key,
                                   const std::string& path, int min, int max) {
  const json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (v->is_number_unsigned()) {
    n = v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
            ? INT64_MAX
            : static_cast<std::int64_t>(v->get<std::uint64_t>());
  } else if (v->is_number_integer()) {
    n = v->get<std::int64_t>();
  } else if (v->is_string() && all_digits(v->get<std::string>())) {
    n = std::stoll(v->get<std::string>());
  } else {
    add(path, "The " + label(path) + " must be an integer.");
    return std::nullopt;
  }
  if (n < min || n > max) {
    add(path, "The " + label(path) + " must be between " + std::to_string(min) + " and " +
                  std::to_string(max) + ".");
    return std::nullopt;
  }
  return static_cast<int>(n);
}

std::optional<Millis> Reader::time(const json& obj, const std::string& key,
                                   const std::string& path, bool required) {
  const json* v = member(obj, key);
  if (v == nullptr) {
    if (required) add(path, "The " + label(path) + " field is required.");
    return std::nullopt;
  }
  if (v->is_number_integer() && v->get<std::int64_t>() >= 0) return v->get<std::int64_t>();
  if (v->is_string()) {
    if (auto t = parse_timestamp(v->get<std::string>())) return t;
  }
  add(path, "The " + label(path) + " must be a time: milliseconds since the epoch or RFC 3339.");
  return std::nullopt;
}

std::optional<Millis> Reader::date(const json& obj, const std::string& key,
                                   const std::string& path) {
  const json* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) {
    if (auto d = parse_date(v->get<std::string>())) return d;
  }
  add(path, "The " + label(path) + " must be a date in the form YYYY-MM-DD.");
  return std::nullopt;
}

const json* Reader::array(const json& obj, const std::string& key, const std::string& path) {
  const json* v = member(obj, key);
  if (v == nullptr) {
    add(path, "The " + label(path) + " field is required.");
    return nullptr;
  }
  if (!v->is_array()) {
    add(path, "The " + label(path) + " must be an array.");
    return nullptr;
  }
  return v;
}

Actor Reader::actor(const json& obj) {
  Actor a;
  const json* v = member(obj, "actor");
  if (v == nullptr) return a;
  if (!v->is_object()) {
    add("actor", "The actor must be an object with id and name.");
    return a;
  }
  // Id 0 (or none) is the system itself: created_by is then null.
  const auto given = v->find("id");
  const bool system = given == v->end() || given->is_null() ||
                      (given->is_number_integer() && given->get<std::int64_t>() == 0);
  a.id = system ? 0 : id(*v, "id", "actor.id", true);
  a.name = text(*v, "name", "actor.name");
  return a;
}

// ---- Writing.

json ok_document() { return json{{"ok", true}}; }

json error_document(const Error& error) {
  json errors = json::object();
  for (const FieldError& f : error.fields) errors[f.field].push_back(f.message);
  json details = nullptr;
  if (error.details) {
    const StockDetails& d = *error.details;
    details = {{"product_id", d.product_id},
               {"workspace_id", d.workspace_id},
               {"available", format_decimal(d.available, d.decimals)},
               {"requested", format_decimal(d.requested, d.decimals)}};
  }
  return {{"ok", false},
          {"error",
           {{"code", std::string(error_code_name(error.code))},
            {"message", error.message},
            {"errors", std::move(errors)},
            {"details", std::move(details)}}}};
}

std::string format_quantity(const Ledger& ledger, Id product_id, Raw value) {
  const ProductInfo* p = ledger.product(product_id);
  return format_decimal(value, p ? p->decimals : 2);
}

json product_ref(const Ledger& ledger, Id product_id) {
  const ProductInfo* p = ledger.product(product_id);
  if (p == nullptr) return nullptr;
  return {{"id", p->id}, {"name", p->name}, {"sku", p->sku}};
}

namespace {

json workspace_ref(const Ledger& ledger, Id workspace_id) {
  const WorkspaceInfo* w = workspace_id == 0 ? nullptr : ledger.workspace(workspace_id);
  if (w == nullptr) return nullptr;
  return {{"id", w->id}, {"name", w->name}};
}

json nullable_id(Id id) { return id == 0 ? json(nullptr) : json(id); }
json nullable_text(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

}  // namespace

json movement_json(const Ledger& ledger, const Movement& m) {
  return {{"id", m.id},
          {"product_id", m.product_id},
          {"workspace_id", m.workspace_id},
          {"type", std::string(movement_type_name(m.type))},
          {"quantity", format_quantity(ledger, m.product_id, m.quantity)},
          {"balance_after", format_quantity(ledger, m.product_id, m.balance_after)},
          {"from_workspace_id", nullable_id(m.from_workspace_id)},
          {"to_workspace_id", nullable_id(m.to_workspace_id)},
          {"reference", nullable_text(m.reference)},
          {"notes", nullable_text(m.notes)},
          {"reason", m.reason == Reason::kNone ? json(nullptr) : json(std::string(reason_name(m.reason)))},
          {"invoice_id", nullable_id(m.invoice_id)},
          {"unit_cost", m.unit_cost ? json(format_money(*m.unit_cost)) : json(nullptr)},
          {"linked_movement_id", nullable_id(m.linked_movement_id)},
          {"product", product_ref(ledger, m.product_id)},
          {"from_workspace", workspace_ref(ledger, m.from_workspace_id)},
          {"to_workspace", workspace_ref(ledger, m.to_workspace_id)},
          {"created_by", m.created_by.id == 0
                             ? json(nullptr)
                             : json{{"id", m.created_by.id}, {"name", m.created_by.name}}},
          {"created_at", format_timestamp(m.created_at)}};
}

json level_json(const Ledger& ledger, const LevelView& level, bool with_product) {
  json out = {{"product_id", level.product_id},
              {"workspace_id", level.workspace_id},
              {"quantity", format_quantity(ledger, level.product_id, level.quantity)},
              {"minimum_quantity", format_quantity(ledger, level.product_id, level.minimum)},
              {"status", std::string(stock_status_name(level.status))}};
  if (with_product) out["product"] = product_ref(ledger, level.product_id);
  return out;
}

json page_document(json data, std::int64_t total, const PageRequest& page) {
  const std::int64_t last_page = total == 0 ? 1 : (total + page.per_page - 1) / page.per_page;
  json out = ok_document();
  out["data"] = std::move(data);
  out["total"] = total;
  out["page"] = page.page;
  out["per_page"] = page.per_page;
  out["last_page"] = last_page;
  return out;
}

}  // namespace stockroom
