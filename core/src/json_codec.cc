#include "json_codec.h"

#include <algorithm>
#include <charconv>
#include <cstdint>

#include "stockroom/clock_format.h"
#include "validation.h"

namespace stockroom {
namespace {

// Up to 18 digits: a non-negative integer that fits int64, written as a string.
std::optional<std::int64_t> digits_value(std::string_view s) {
  if (s.empty() || s.size() > 18) return std::nullopt;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  std::int64_t n = 0;
  std::from_chars(s.data(), s.data() + s.size(), n);
  return n;
}

}  // namespace

void Reader::add(std::string path, std::string message) {
  errors_.push_back({std::move(path), std::move(message)});
}

const JsonValue* Reader::member(const JsonValue& obj, std::string_view key) const {
  const JsonValue* v = obj.find(key);
  return v == nullptr || v->is_null() ? nullptr : v;
}

Id Reader::id(const JsonValue& obj, std::string_view key, const FieldPath& path, bool required) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) {
    if (required) add(path.str(), "The " + path.label() + " field is required.");
    return 0;
  }
  if (v->is_number_unsigned() && v->as_uint() > 0 &&
      v->as_uint() <= static_cast<std::uint64_t>(INT64_MAX)) {
    return static_cast<Id>(v->as_uint());
  }
  if (v->is_number_integer() && v->as_int() > 0) return v->as_int();
  if (const auto n = digits_value(v->str()); n && *n > 0) return *n;
  add(path.str(), "The " + path.label() + " must be a positive integer.");
  return 0;
}

std::optional<Raw> Reader::decimal(const JsonValue& obj, std::string_view key, const FieldPath& path,
                                   int places, bool required) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) {
    if (required) add(path.str(), "The " + path.label() + " field is required.");
    return std::nullopt;
  }
  // Integers are exact in JSON; they are read as their decimal text, which covers range checking.
  // (is_number_integer() is also true for unsigned: test that first.)
  std::string integer;
  if (v->is_number_unsigned()) {
    integer = std::to_string(v->as_uint());
  } else if (v->is_number_integer()) {
    integer = std::to_string(v->as_int());
  } else if (v->is_number_float()) {
    add(path.str(), "The " + path.label() + " must be sent as a decimal string such as \"12.5\".");
    return std::nullopt;
  } else if (!v->is_string()) {
    add(path.str(), "The " + path.label() + " must be a decimal number.");
    return std::nullopt;
  }
  const ParsedDecimal parsed = parse_decimal(v->is_string() ? v->str() : integer, places);
  if (parsed.error != DecimalError::kOk) {
    add(path.str(), "The " + path.label() + " " + describe(parsed.error, places) + ".");
    return std::nullopt;
  }
  return parsed.value;
}

std::optional<Raw> Reader::quantity(const JsonValue& obj, std::string_view key, const FieldPath& path,
                                    Id product_id, bool required) {
  const ProductInfo* p = ledger_.product(product_id);
  return decimal(obj, key, path, p ? p->decimals : kScalePlaces, required);
}

std::string Reader::text(const JsonValue& obj, std::string_view key, const FieldPath& path) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) return "";
  if (!v->is_string()) {
    add(path.str(), "The " + path.label() + " must be a string.");
    return "";
  }
  return std::string(v->str());
}

std::optional<bool> Reader::boolean(const JsonValue& obj, std::string_view key, const FieldPath& path) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    add(path.str(), "The " + path.label() + " field must be true or false.");
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<int> Reader::integer(const JsonValue& obj, std::string_view key, const FieldPath& path,
                                   int min, int max) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  std::int64_t n = 0;
  if (v->is_number_unsigned()) {
    n = v->as_uint() > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX
                                                             : static_cast<std::int64_t>(v->as_uint());
  } else if (v->is_number_integer()) {
    n = v->as_int();
  } else if (const auto digits = digits_value(v->str())) {
    n = *digits;
  } else {
    add(path.str(), "The " + path.label() + " must be an integer.");
    return std::nullopt;
  }
  if (n < min || n > max) {
    add(path.str(), "The " + path.label() + " must be between " + std::to_string(min) + " and " +
                               std::to_string(max) + ".");
    return std::nullopt;
  }
  return static_cast<int>(n);
}

std::optional<Millis> Reader::time(const JsonValue& obj, std::string_view key, const FieldPath& path,
                                   bool required) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) {
    if (required) add(path.str(), "The " + path.label() + " field is required.");
    return std::nullopt;
  }
  if (v->is_number_integer() && v->as_int() >= 0) return v->as_int();
  if (v->is_string()) {
    if (auto t = parse_timestamp(v->str())) return t;
  }
  add(path.str(), "The " + path.label() + " must be a time: milliseconds since the epoch or RFC 3339.");
  return std::nullopt;
}

std::optional<Millis> Reader::date(const JsonValue& obj, std::string_view key, const FieldPath& path) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) {
    if (auto d = parse_date(v->str())) return d;
  }
  add(path.str(), "The " + path.label() + " must be a date in the form YYYY-MM-DD.");
  return std::nullopt;
}

const JsonValue* Reader::array(const JsonValue& obj, std::string_view key, const FieldPath& path) {
  const JsonValue* v = member(obj, key);
  if (v == nullptr) {
    add(path.str(), "The " + path.label() + " field is required.");
    return nullptr;
  }
  if (!v->is_array()) {
    add(path.str(), "The " + path.label() + " must be an array.");
    return nullptr;
  }
  return v;
}

Actor Reader::actor(const JsonValue& obj) {
  Actor a;
  const JsonValue* v = member(obj, "actor");
  if (v == nullptr) return a;
  if (!v->is_object()) {
    add("actor", "The actor must be an object with id and name.");
    return a;
  }
  // Id 0 (or none) is the system itself: created_by is then null.
  const JsonValue* given = v->find("id");
  const bool system =
      given == nullptr || given->is_null() || (given->is_number_integer() && given->as_int() == 0);
  a.id = system ? 0 : id(*v, "id", "actor.id", true);
  a.name = text(*v, "name", "actor.name");
  return a;
}

// ---- Writing. Members in ascending key order (json_writer.h says why).

void write_ok(JsonWriter& w) {
  if (!w.answer().ok_member) return;
  w.key("ok");
  w.boolean(true);
}

void write_ok_document(JsonWriter& w) {
  w.begin_object();
  write_ok(w);
  w.end_object();
}

namespace {

// `errors`: the messages grouped by field, the `count` fields given by `at(i)` in key order.
template <class At>
void write_field_errors(JsonWriter& w, std::size_t count, At at) {
  w.key("errors");
  w.begin_object();
  for (std::size_t i = 0; i < count; ++i) {
    if (i == 0 || at(i).field != at(i - 1).field) {
      if (i > 0) w.end_array();
      w.key_escaped(at(i).field);
      w.begin_array();
    }
    w.string(at(i).message);
  }
  if (count > 0) w.end_array();
  w.end_object();
}

}  // namespace

void write_error_document(JsonWriter& w, const Error& error) {
  w.begin_object();
  w.key("error");
  w.begin_object();
  w.member("code", error_code_name(error.code));
  w.key("details");
  if (error.details) {
    const StockDetails& d = *error.details;
    w.begin_object();
    w.decimal("available", d.available, d.decimals);
    w.member("product_id", d.product_id);
    w.decimal("requested", d.requested, d.decimals);
    w.member("workspace_id", d.workspace_id);
    w.end_object();
  } else {
    w.null();
  }
  // Fields in key order, each field's messages in the order they were found. Most errors name one
  // field, or theirs in key order already: those are written as they are, with no sorted copy (in
  // WebAssembly its vector and stable_sort's buffer were two of a refused sale's few mallocs).
  const auto by_field = [](const FieldError& a, const FieldError& b) { return a.field < b.field; };
  const std::vector<FieldError>& given = error.fields;
  if (std::is_sorted(given.begin(), given.end(), by_field)) {
    write_field_errors(w, given.size(), [&](std::size_t i) -> const FieldError& { return given[i]; });
  } else {
    std::vector<const FieldError*> sorted;
    sorted.reserve(given.size());
    for (const FieldError& f : given) sorted.push_back(&f);
    std::stable_sort(sorted.begin(), sorted.end(),
                     [&](const FieldError* a, const FieldError* b) { return by_field(*a, *b); });
    write_field_errors(w, sorted.size(), [&](std::size_t i) -> const FieldError& { return *sorted[i]; });
  }
  w.member("message", error.message);
  w.end_object();
  w.answer().failed = true;
  if (w.answer().ok_member) {
    w.key("ok");
    w.boolean(false);
  }
  w.end_object();
}

std::string format_quantity(const Ledger& ledger, Id product_id, Raw value) {
  const ProductInfo* p = ledger.product(product_id);
  return format_decimal(value, p ? p->decimals : 2);
}

void write_product_ref(JsonWriter& w, const Ledger& ledger, Id product_id) {
  write_product_ref(w, ledger.product(product_id));
}

void write_product_ref(JsonWriter& w, const ProductInfo* p) {
  if (p == nullptr) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("id", p->id);
  w.member("name", p->name);
  w.member("sku", p->sku);
  w.end_object();
}

namespace {

void write_workspace_ref(JsonWriter& w, const Ledger& ledger, Id workspace_id) {
  const WorkspaceInfo* w_info = workspace_id == 0 ? nullptr : ledger.workspace(workspace_id);
  if (w_info == nullptr) {
    w.null();
    return;
  }
  w.begin_object();
  w.member("id", w_info->id);
  w.member("name", w_info->name);
  w.end_object();
}

}  // namespace

void write_movement(JsonWriter& w, const Ledger& ledger, const Movement& m) {
  // One lookup for both quantities (format_quantity would look it up twice).
  const ProductInfo* p = ledger.product(m.product_id);
  const int places = p ? p->decimals : 2;
  w.begin_object();
  w.decimal("balance_after", m.balance_after, places);
  char created_at[kTimestampRoom];
  w.member("created_at", std::string_view(created_at, format_timestamp_to(m.created_at, created_at)));
  w.key("created_by");
  if (m.created_by.id == 0) {
    w.null();
  } else {
    w.begin_object();
    w.member("id", m.created_by.id);
    w.member("name", m.created_by.name);
    w.end_object();
  }
  w.key("from_workspace");
  write_workspace_ref(w, ledger, m.from_workspace_id);
  w.nullable_id("from_workspace_id", m.from_workspace_id);
  w.member("id", m.id);
  w.nullable_id("invoice_id", m.invoice_id);
  w.nullable_id("linked_movement_id", m.linked_movement_id);
  w.nullable_text("notes", m.notes);
  w.key("product");
  write_product_ref(w, p);
  w.member("product_id", m.product_id);
  w.decimal("quantity", m.quantity, places);
  w.nullable_text("reason", m.reason == Reason::kNone ? std::string_view() : reason_name(m.reason));
  w.nullable_text("reference", m.reference);
  w.key("to_workspace");
  write_workspace_ref(w, ledger, m.to_workspace_id);
  w.nullable_id("to_workspace_id", m.to_workspace_id);
  w.member("type", movement_type_name(m.type));
  w.key("unit_cost");
  if (m.unit_cost) {
    w.string(format_money(*m.unit_cost));
  } else {
    w.null();
  }
  w.member("workspace_id", m.workspace_id);
  w.end_object();
}

void write_level(JsonWriter& w, const Ledger& ledger, const LevelView& level, LevelMembers with) {
  write_level(w, level, ledger.product(level.product_id),
              with.workspace_name ? ledger.workspace(level.workspace_id) : nullptr, with);
}

void write_level(JsonWriter& w, const LevelView& level, const ProductInfo* p, const WorkspaceInfo* ws,
                 LevelMembers with) {
  const int places = p ? p->decimals : 2;
  w.begin_object();
  w.decimal("minimum_quantity", level.minimum, places);
  if (with.product) {
    w.key("product");
    write_product_ref(w, p);
  }
  if (with.product_id) w.member("product_id", level.product_id);
  w.decimal("quantity", level.quantity, places);
  if (with.shortage != nullptr) w.decimal("shortage", *with.shortage, places);
  w.member("status", stock_status_name(level.status));
  w.member("workspace_id", level.workspace_id);
  if (with.workspace_name) w.member("workspace_name", ws ? std::string_view(ws->name) : std::string_view());
  w.end_object();
}

}  // namespace stockroom
