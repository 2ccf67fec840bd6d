// Shared helpers for the GoogleTest suite of the core: a standard catalog, raw-unit
// literals, error inspection and the JSON deep-subset match used by the fixtures.
#ifndef STOCKROOM_TESTS_CORE_TEST_SUPPORT_H_
#define STOCKROOM_TESTS_CORE_TEST_SUPPORT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "stockroom/clock_format.h"
#include "stockroom/decimal.h"
#include "stockroom/json_api.h"
#include "stockroom/ledger.h"
#include "stockroom/model.h"
#include "stockroom/queries.h"
#include "stockroom/status.h"

namespace stockroom::testing {

using nlohmann::json;

// ---- The standard catalog used by most tests.
inline constexpr Id kMain = 1;       // "Main Store"
inline constexpr Id kWarehouse = 2;  // "Warehouse"
inline constexpr Id kOutlet = 3;     // "Outlet"
inline constexpr Id kOldDepot = 4;   // "Old Depot", inactive

inline constexpr Id kPremium = 78;   // PROD-001, decimals 2
inline constexpr Id kBolt = 79;      // BOLT-M8, decimals 0
inline constexpr Id kFlour = 80;     // FLOUR-KG, decimals 3, allow_negative_stock
inline constexpr Id kGiftWrap = 81;  // GIFT-WRAP, track_inventory false
inline constexpr Id kOil = 82;       // OIL-L, decimals 4
inline constexpr Id kLamp = 83;      // LAMP-OLD, inactive product, decimals 2

// 2026-03-20T10:30:00.000Z and whole days around it.
inline constexpr Millis kT0 = 1774002600000;
inline constexpr Millis kDay20 = 1773964800000;  // 2026-03-20T00:00:00.000Z
inline constexpr Millis kDay21 = 1774051200000;  // 2026-03-21T00:00:00.000Z
inline constexpr Millis kMinute = 60'000;
inline constexpr Millis kHour = 3'600'000;

/// Whole units to raw units: U(12) == 120000.
constexpr Raw U(std::int64_t whole) { return whole * kScale; }

/// A decimal literal in raw units ("12.5" -> 125000); fails the test if unreadable.
inline Raw Q(std::string_view text) {
  ParsedDecimal p = parse_decimal(text, 4);
  EXPECT_EQ(p.error, DecimalError::kOk) << "bad test literal " << text;
  return p.value;
}

inline Context Ctx(Millis at, Id actor_id = 5, std::string name = "John Doe") {
  Context c;
  c.actor.id = actor_id;
  c.actor.name = std::move(name);
  c.at = at;
  return c;
}

inline WorkspaceInfo Ws(Id id, std::string name, bool active = true) {
  WorkspaceInfo w;
  w.id = id;
  w.name = std::move(name);
  w.active = active;
  return w;
}

inline ProductInfo Prod(Id id, std::string sku, std::string name, int decimals = 2,
                        bool track = true, bool allow_negative = false, bool active = true) {
  ProductInfo p;
  p.id = id;
  p.sku = std::move(sku);
  p.name = std::move(name);
  p.decimals = decimals;
  p.track_inventory = track;
  p.allow_negative_stock = allow_negative;
  p.active = active;
  return p;
}

/// Registers the standard catalog into `ledger`.
inline void RegisterCatalog(Ledger& ledger) {
  for (const WorkspaceInfo& w : {Ws(kMain, "Main Store"), Ws(kWarehouse, "Warehouse"),
                                 Ws(kOutlet, "Outlet"), Ws(kOldDepot, "Old Depot", false)}) {
    Result<Done> r = ledger.upsert_workspace(w);
    EXPECT_TRUE(r.ok()) << "workspace " << w.id;
  }
  for (const ProductInfo& p :
       {Prod(kPremium, "PROD-001", "Premium Product", 2),
        Prod(kBolt, "BOLT-M8", "Hex Bolt M8", 0),
        Prod(kFlour, "FLOUR-KG", "Flour", 3, true, /*allow_negative=*/true),
        Prod(kGiftWrap, "GIFT-WRAP", "Gift Wrapping", 2, /*track=*/false),
        Prod(kOil, "OIL-L", "Olive Oil", 4),
        Prod(kLamp, "LAMP-OLD", "Discontinued Lamp", 2, true, false, /*active=*/false)}) {
    Result<Done> r = ledger.upsert_product(p);
    EXPECT_TRUE(r.ok()) << "product " << p.id;
  }
}

/// The standard catalog as a JSON `register` request.
inline json CatalogRequest() {
  return json{
      {"op", "register"},
      {"workspaces",
       {{{"id", 1}, {"name", "Main Store"}},
        {{"id", 2}, {"name", "Warehouse"}},
        {{"id", 3}, {"name", "Outlet"}},
        {{"id", 4}, {"name", "Old Depot"}, {"active", false}}}},
      {"products",
       {{{"id", 78}, {"sku", "PROD-001"}, {"name", "Premium Product"}, {"decimals", 2}},
        {{"id", 79}, {"sku", "BOLT-M8"}, {"name", "Hex Bolt M8"}, {"decimals", 0}},
        {{"id", 80},
         {"sku", "FLOUR-KG"},
         {"name", "Flour"},
         {"decimals", 3},
         {"allow_negative_stock", true}},
        {{"id", 81}, {"sku", "GIFT-WRAP"}, {"name", "Gift Wrapping"}, {"track_inventory", false}},
        {{"id", 82}, {"sku", "OIL-L"}, {"name", "Olive Oil"}, {"decimals", 4}},
        {{"id", 83}, {"sku", "LAMP-OLD"}, {"name", "Discontinued Lamp"}, {"active", false}}}}};
}

// ---- Errors.

inline std::string DescribeFields(const Error& e) {
  std::string out = std::string(error_code_name(e.code)) + " \"" + e.message + "\" fields:";
  for (const FieldError& f : e.fields) out += " [" + f.field + ": " + f.message + "]";
  return out;
}

inline bool HasField(const Error& e, std::string_view field) {
  for (const FieldError& f : e.fields) {
    if (f.field == field) return true;
  }
  return false;
}

/// Asserts a typed result failed with `code` (and, when given, an error on `field`).
template <class T>
::testing::AssertionResult FailedWith(const Result<T>& r, ErrorCode code,
                                      std::string_view field = {}) {
  if (r.ok()) return ::testing::AssertionFailure() << "expected an error, got success";
  const Error& e = r.error();
  if (e.code != code) {
    return ::testing::AssertionFailure()
           << "expected code " << error_code_name(code) << ", got " << DescribeFields(e);
  }
  if (!field.empty() && !HasField(e, field)) {
    return ::testing::AssertionFailure() << "expected a field error on " << field << ", got "
                                         << DescribeFields(e);
  }
  if (e.message.empty()) return ::testing::AssertionFailure() << "empty error message";
  return ::testing::AssertionSuccess();
}

template <class T>
::testing::AssertionResult Succeeded(const Result<T>& r) {
  if (r.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << DescribeFields(r.error());
}

/// Buys `quantity` of `product` into `workspace` (no cost), failing the test when refused.
inline void Buy(Ledger& ledger, Id workspace, Id product, Raw quantity, Millis at = kT0) {
  PurchaseCommand p;
  p.workspace_id = workspace;
  p.items.push_back({product, quantity, std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(at), p)));
}

/// The movement with `id`, failing the test when absent.
inline Movement Mv(const Ledger& ledger, Id id) {
  std::optional<Movement> m = ledger.movement(id);
  EXPECT_TRUE(m.has_value()) << "no movement " << id;
  return m.value_or(Movement{});
}

// ---- JSON.

/// Deep subset match: every member of `expect` must equal `actual`'s (objects
/// recursively as subsets; arrays element-wise with equal length, each element as
/// a subset; scalars by equality). Returns "" on a match, else a description of the
/// first mismatch naming its path ("$.movements[0].balance_after").
inline std::string SubsetMismatch(const json& expect, const json& actual,
                                  const std::string& path = "$") {
  if (expect.is_object()) {
    if (!actual.is_object()) {
      return path + ": expected an object, got " + actual.dump();
    }
    for (auto it = expect.begin(); it != expect.end(); ++it) {
      const std::string sub = path + "." + it.key();
      auto found = actual.find(it.key());
      if (found == actual.end()) {
        return sub + ": missing (expected " + it.value().dump() + ")";
      }
      std::string m = SubsetMismatch(it.value(), *found, sub);
      if (!m.empty()) return m;
    }
    return "";
  }
  if (expect.is_array()) {
    if (!actual.is_array()) return path + ": expected an array, got " + actual.dump();
    if (expect.size() != actual.size()) {
      return path + ": expected " + std::to_string(expect.size()) + " elements, got " +
             std::to_string(actual.size()) + ": " + actual.dump();
    }
    for (std::size_t i = 0; i < expect.size(); ++i) {
      std::string m =
          SubsetMismatch(expect[i], actual[i], path + "[" + std::to_string(i) + "]");
      if (!m.empty()) return m;
    }
    return "";
  }
  // Scalars: numbers compare by value whatever their JSON integer flavour.
  if (expect.is_number_integer() && actual.is_number_integer()) {
    if (expect.get<std::int64_t>() == actual.get<std::int64_t>()) return "";
  } else if (expect == actual) {
    return "";
  }
  return path + ": expected " + expect.dump() + ", got " + actual.dump();
}

inline ::testing::AssertionResult JsonSubset(const json& expect, const json& actual) {
  std::string m = SubsetMismatch(expect, actual);
  if (m.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << m << "\nfull response: " << actual.dump();
}

/// A JSON ledger with the standard catalog registered through `register`.
inline void RegisterCatalogJson(Ledger& ledger) {
  json r = handle(ledger, CatalogRequest());
  EXPECT_EQ(r.value("ok", false), true) << r.dump();
}

/// Asserts a JSON response is an error with `code`, and (when given) names `field`.
inline ::testing::AssertionResult JsonError(const json& r, std::string_view code,
                                            std::string_view field = {}) {
  if (!r.is_object() || !r.contains("ok") || r["ok"] != false) {
    return ::testing::AssertionFailure() << "expected ok:false, got " << r.dump();
  }
  if (!r.contains("error") || !r["error"].is_object()) {
    return ::testing::AssertionFailure() << "no error object: " << r.dump();
  }
  const json& e = r["error"];
  if (e.value("code", std::string()) != code) {
    return ::testing::AssertionFailure() << "expected code " << code << ", got " << r.dump();
  }
  if (!e.contains("errors") || !e["errors"].is_object()) {
    return ::testing::AssertionFailure() << "errors must be an object: " << r.dump();
  }
  if (!field.empty()) {
    auto f = e["errors"].find(std::string(field));
    if (f == e["errors"].end() || !f->is_array() || f->empty() || !(*f)[0].is_string()) {
      return ::testing::AssertionFailure()
             << "expected errors[\"" << field << "\"] with a message, got " << r.dump();
    }
  }
  return ::testing::AssertionSuccess();
}

inline ::testing::AssertionResult JsonOk(const json& r) {
  if (r.is_object() && r.contains("ok") && r["ok"] == true) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "expected ok:true, got " << r.dump();
}

}  // namespace stockroom::testing

#endif  // STOCKROOM_TESTS_CORE_TEST_SUPPORT_H_
