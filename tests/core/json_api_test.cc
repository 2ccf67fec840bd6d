// The JSON boundary: error shape, bad_request, value forms, field paths, and every
// ErrorCode reachable and named.
#include <cstdint>
#include <iterator>
#include <limits>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

json Stock(Ledger& ledger, const std::string& quantity) {
  return handle(ledger, json{{"op", "initial_stock"},
                             {"at", "2026-03-20T10:30:00.000Z"},
                             {"workspace_id", 1},
                             {"items", {{{"product_id", 78}, {"quantity", quantity}}}}});
}

json AdjustOne(Ledger& ledger, const json& item) {
  return handle(ledger, json{{"op", "adjust"},
                             {"at", "2026-03-20T10:30:00.000Z"},
                             {"workspace_id", 1},
                             {"items", json::array({item})}});
}

class JsonApiTest : public ::testing::Test {
 protected:
  void SetUp() override { RegisterCatalogJson(ledger); }
  Ledger ledger;
};

TEST(ErrorCodes, EveryCodeHasItsStableName) {
  const std::vector<std::string> expected = {
      "bad_request",        "validation_failed",   "not_found",
      "conflict",           "insufficient_stock",  "product_not_tracked",
      "initial_stock_already_set", "stale_quantity"};
  ASSERT_EQ(std::size(kAllErrorCodes), expected.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(error_code_name(kAllErrorCodes[i]), expected[i]);
    seen.insert(std::string(error_code_name(kAllErrorCodes[i])));
  }
  EXPECT_EQ(seen.size(), expected.size());
}

TEST(Names, MovementTypesAndReasons) {
  const std::pair<MovementType, const char*> types[] = {
      {MovementType::kInitialStock, "initial_stock"}, {MovementType::kPurchase, "purchase"},
      {MovementType::kSale, "sale"},                  {MovementType::kTransferOut, "transfer_out"},
      {MovementType::kTransferIn, "transfer_in"},     {MovementType::kAdjustment, "adjustment"}};
  for (const auto& [type, name] : types) {
    EXPECT_EQ(movement_type_name(type), name);
    EXPECT_EQ(parse_movement_type(name), std::optional<MovementType>(type)) << name;
  }
  EXPECT_EQ(parse_movement_type("transfer"), std::nullopt);
  EXPECT_EQ(parse_movement_type(""), std::nullopt);
  EXPECT_EQ(parse_movement_type("Sale"), std::nullopt);
  const std::pair<Reason, const char*> reasons[] = {{Reason::kDamaged, "damaged"},
                                                    {Reason::kLost, "lost"},
                                                    {Reason::kFound, "found"},
                                                    {Reason::kRecount, "recount"},
                                                    {Reason::kOther, "other"}};
  for (const auto& [reason, name] : reasons) {
    EXPECT_EQ(reason_name(reason), name);
    EXPECT_EQ(parse_reason(name), std::optional<Reason>(reason)) << name;
  }
  EXPECT_EQ(reason_name(Reason::kNone), "");
  EXPECT_EQ(parse_reason(""), std::nullopt);
  EXPECT_EQ(parse_reason("none"), std::nullopt);
  EXPECT_EQ(parse_reason("stolen"), std::nullopt);
}

TEST_F(JsonApiTest, NotJsonIsABadRequestWithTheFullErrorShape) {
  for (const char* text : {"", "{", "not json", "{\"op\": \"stats\"} trailing", "[1,2", "nul"}) {
    std::string out = handle_json(ledger, text);
    json r = json::parse(out, nullptr, false);
    ASSERT_FALSE(r.is_discarded()) << "answer is not JSON: " << out;
    ASSERT_TRUE(JsonError(r, "bad_request")) << "for input " << text;
    EXPECT_TRUE(r["error"]["message"].is_string());
    EXPECT_FALSE(r["error"]["message"].get<std::string>().empty());
    EXPECT_EQ(r["error"]["errors"], json::object());
    ASSERT_TRUE(r["error"].contains("details"));
    EXPECT_TRUE(r["error"]["details"].is_null());
  }
}

TEST_F(JsonApiTest, UnreadableRequestsAreBadRequests) {
  for (const json& req : {json::array({1, 2}), json("stats"), json(42), json(nullptr),
                          json::object(), json{{"op", 7}}, json{{"op", "explode"}},
                          json{{"op", ""}}, json{{"OP", "stats"}}}) {
    EXPECT_TRUE(JsonError(handle(ledger, req), "bad_request")) << req.dump();
  }
}

TEST_F(JsonApiTest, AnswerBodiesLeaveOutOkAndSayItBeside) {
  // Success, a refused command, and text that is no request: each body is
  // handle_json's answer without `ok` (fixtures_test.cc compares every
  // fixture step the same way).
  const AnswerBody stats = handle_json_body(ledger, R"({"op":"stats"})");
  EXPECT_TRUE(stats.ok);
  EXPECT_EQ(json::parse(stats.document), (json{{"movements", 0}, {"last_movement_id", 0}})) << stats.document;

  const AnswerBody missing = handle_json_body(ledger, R"({"op":"product_stock","product_id":999})");
  EXPECT_FALSE(missing.ok);
  const json error = json::parse(missing.document);
  EXPECT_FALSE(error.contains("ok")) << missing.document;
  EXPECT_EQ(error["error"]["code"], "not_found");

  for (const char* text : {"{", R"({"op":"explode"})", "[]"}) {
    const AnswerBody bad = handle_json_body(ledger, text);
    json expected = json::parse(handle_json(ledger, text));
    ASSERT_EQ(expected.erase("ok"), 1U) << text;
    EXPECT_FALSE(bad.ok) << text;
    EXPECT_EQ(json::parse(bad.document), expected) << text;
  }
}

TEST_F(JsonApiTest, ProductStockBodyIsTheOpsBodyWithoutARequest) {
  ASSERT_TRUE(JsonOk(Stock(ledger, "10")));
  for (const Id id : {kPremium, kFlour, kGiftWrap, kLamp, Id{999}}) {
    const AnswerBody typed = product_stock_body(ledger, id);
    const AnswerBody op = handle_json_body(
        ledger, json{{"op", "product_stock"}, {"product_id", id}}.dump());
    EXPECT_EQ(typed.ok, op.ok) << id;
    EXPECT_EQ(typed.document, op.document) << id;
  }
  EXPECT_TRUE(product_stock_body(ledger, kPremium).ok);
  EXPECT_FALSE(product_stock_body(ledger, 999).ok);
  // No request to validate: ids that cannot name a product name none.
  for (const Id id : {Id{0}, Id{-5}}) {
    const AnswerBody typed = product_stock_body(ledger, id);
    EXPECT_FALSE(typed.ok) << id;
    EXPECT_EQ(json::parse(typed.document)["error"]["code"], "not_found") << typed.document;
  }
}

TEST_F(JsonApiTest, HandleJsonRoundTripsASuccess) {
  std::string out = handle_json(ledger, R"({"op":"stats"})");
  json r = json::parse(out, nullptr, false);
  ASSERT_FALSE(r.is_discarded()) << out;
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", 0}}, r));
}

TEST_F(JsonApiTest, EveryErrorCodeIsReachable) {
  for (ErrorCode code : kAllErrorCodes) {
    Ledger l;
    RegisterCatalogJson(l);
    ASSERT_TRUE(JsonOk(Stock(l, "10")));
    json r;
    switch (code) {
      case ErrorCode::kBadRequest:
        r = handle(l, json{{"op", "no_such_op"}});
        break;
      case ErrorCode::kValidationFailed:
        r = AdjustOne(l, json{{"product_id", 78}, {"quantity", "0"}, {"reason", "lost"}});
        break;
      case ErrorCode::kNotFound:
        r = handle(l, json{{"op", "get_movement"}, {"id", 99}});
        break;
      case ErrorCode::kConflict:
        ASSERT_TRUE(JsonOk(handle(l, json{{"op", "sell"},
                                          {"at", "2026-03-20T10:30:00.000Z"},
                                          {"workspace_id", 1},
                                          {"invoice_id", 3},
                                          {"lines", {{{"product_id", 78}, {"quantity", "1"}}}}})));
        ASSERT_TRUE(JsonOk(handle(l, json{{"op", "void_sale"},
                                          {"at", "2026-03-20T10:30:00.000Z"},
                                          {"invoice_id", 3}})));
        r = handle(l, json{{"op", "void_sale"}, {"at", "2026-03-20T10:30:00.000Z"},
                           {"invoice_id", 3}});
        break;
      case ErrorCode::kInsufficientStock:
        r = AdjustOne(l, json{{"product_id", 78}, {"quantity", "-15"}, {"reason", "lost"}});
        break;
      case ErrorCode::kProductNotTracked:
        r = AdjustOne(l, json{{"product_id", 81}, {"quantity", "1"}, {"reason", "found"}});
        break;
      case ErrorCode::kInitialStockAlreadySet:
        r = Stock(l, "5");
        break;
      case ErrorCode::kStaleQuantity:
        r = AdjustOne(l, json{{"product_id", 78}, {"quantity", "1"}, {"reason", "found"},
                              {"expected_quantity", "9"}});
        break;
    }
    EXPECT_TRUE(JsonError(r, error_code_name(code))) << error_code_name(code);
    EXPECT_EQ(l.movement_count(), code == ErrorCode::kConflict ? 3u : 1u) << error_code_name(code);
  }
}

TEST_F(JsonApiTest, StockDetailsAreFormattedWithTheProductPlaces) {
  ASSERT_TRUE(JsonOk(Stock(ledger, "10")));
  json r = AdjustOne(ledger, json{{"product_id", 78}, {"quantity", "-15"}, {"reason", "lost"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", false},
                              {"error",
                               {{"code", "insufficient_stock"},
                                {"errors", json::object()},
                                {"details",
                                 {{"product_id", 78}, {"workspace_id", 1}, {"available", "10.00"},
                                  {"requested", "15.00"}}}}}},
                         r));
  json stale = AdjustOne(ledger, json{{"product_id", 78}, {"quantity", "1"}, {"reason", "found"},
                                      {"expected_quantity", "9.5"}});
  EXPECT_TRUE(JsonSubset(json{{"ok", false},
                              {"error",
                               {{"code", "stale_quantity"},
                                {"details",
                                 {{"product_id", 78}, {"workspace_id", 1}, {"available", "10.00"},
                                  {"requested", "9.50"}}}}}},
                         stale));
  json t = handle(ledger, json{{"op", "transfer"},
                               {"at", "2026-03-20T10:30:00.000Z"},
                               {"product_id", 78},
                               {"from_workspace_id", 1},
                               {"to_workspace_id", 2},
                               {"quantity", "10.01"}});
  EXPECT_TRUE(JsonSubset(json{{"error",
                               {{"code", "insufficient_stock"},
                                {"details", {{"available", "10.00"}, {"requested", "10.01"}}}}}},
                         t));
}

TEST_F(JsonApiTest, FieldPathsNameTheItem) {
  json r = handle(ledger, json{{"op", "adjust"},
                               {"at", "2026-03-20T10:30:00.000Z"},
                               {"workspace_id", 1},
                               {"items",
                                {{{"product_id", 78}, {"quantity", "1"}, {"reason", "found"}},
                                 {{"product_id", 79}, {"quantity", "1"}, {"reason", "found"}},
                                 {{"product_id", 82}, {"quantity", "0.00001"}, {"reason", "found"}}}}});
  ASSERT_TRUE(JsonError(r, "validation_failed", "items.2.quantity"));
  EXPECT_EQ(r["error"]["errors"].size(), 1u) << r.dump();
  EXPECT_EQ(r["error"]["message"], r["error"]["errors"]["items.2.quantity"][0]);
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST_F(JsonApiTest, EveryBadFieldIsNamed) {
  json r = handle(ledger, json{{"op", "adjust"},
                               {"at", "2026-03-20T10:30:00.000Z"},
                               {"workspace_id", 1},
                               {"reference", std::string(101, 'x')},
                               {"items",
                                {{{"product_id", 999}, {"quantity", "0"}, {"reason", "found"}},
                                 {{"product_id", 79}, {"quantity", "1"}},
                                 {{"product_id", 79}, {"quantity", "1"}, {"reason", "found"}}}}});
  ASSERT_TRUE(JsonError(r, "validation_failed"));
  const json& e = r["error"]["errors"];
  for (const char* field : {"reference", "items.0.product_id", "items.0.quantity",
                            "items.1.reason", "items.2.product_id"}) {
    EXPECT_TRUE(e.contains(field)) << field << " missing in " << r.dump();
  }
  EXPECT_FALSE(e.contains("items.1.product_id")) << r.dump();
  EXPECT_EQ(e["items.0.product_id"][0], "The selected product is invalid.");
}

TEST_F(JsonApiTest, QuantityForms) {
  // A string or a JSON integer is read; everything else is refused on the field.
  for (const json& q : {json("3"), json("3.00"), json(3), json("+3")}) {
    Ledger l;
    RegisterCatalogJson(l);
    json r = Stock(l, "0");
    r = AdjustOne(l, json{{"product_id", 78}, {"quantity", q}, {"reason", "found"}});
    EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", {{{"quantity", "3.00"}}}}}, r))
        << q.dump();
  }
  for (const json& q :
       {json(12.5), json(3.0), json(1e3), json("1e3"), json("NaN"), json("Infinity"), json(" 1"),
        json("1,000"), json("1."), json(".5"), json("0.001"), json(true), json(nullptr),
        json::array({1}), json::object(), json(""), json("1000000000001"),
        json(std::int64_t{1000000000001}), json(std::uint64_t{18446744073709551615ULL}),
        json(std::int64_t{-9223372036854775807LL - 1})}) {
    json r = AdjustOne(ledger, json{{"product_id", 78}, {"quantity", q}, {"reason", "found"}});
    EXPECT_TRUE(JsonError(r, "validation_failed", "items.0.quantity")) << q.dump();
  }
  json missing = AdjustOne(ledger, json{{"product_id", 78}, {"reason", "found"}});
  EXPECT_TRUE(JsonError(missing, "validation_failed", "items.0.quantity"));
  EXPECT_EQ(ledger.movement_count(), 0u);
}

TEST_F(JsonApiTest, MagnitudeBoundary) {
  json r = handle(ledger, json{{"op", "purchase"},
                               {"at", "2026-03-20T10:30:00.000Z"},
                               {"workspace_id", 1},
                               {"items", {{{"product_id", 79}, {"quantity", "1000000000000"}}}}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", {{{"quantity", "1000000000000"},
                                                            {"balance_after", "1000000000000"}}}}},
                         r));
}

TEST_F(JsonApiTest, IdForms) {
  for (const json& id : {json(78), json("78")}) {
    json r = AdjustOne(ledger, json{{"product_id", id}, {"quantity", "1"}, {"reason", "found"}});
    EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", {{{"product_id", 78}}}}}, r))
        << id.dump();
  }
  for (const json& id : {json(0), json(-78), json("7a"), json(""), json(78.5), json("-78"),
                         json(" 78"), json(nullptr), json(true), json::array({78})}) {
    json r = AdjustOne(ledger, json{{"product_id", id}, {"quantity", "1"}, {"reason", "found"}});
    EXPECT_TRUE(JsonError(r, "validation_failed", "items.0.product_id")) << id.dump();
  }
  json ws = handle(ledger, json{{"op", "adjust"},
                                {"at", "2026-03-20T10:30:00.000Z"},
                                {"workspace_id", "x1"},
                                {"items", {{{"product_id", 78}, {"quantity", "1"}, {"reason", "found"}}}}});
  EXPECT_TRUE(JsonError(ws, "validation_failed", "workspace_id"));
  EXPECT_EQ(ledger.movement_count(), 2u);
}

TEST_F(JsonApiTest, AtIsRequiredAndReadInBothForms) {
  json no_at = handle(ledger, json{{"op", "purchase"},
                                   {"workspace_id", 1},
                                   {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonError(no_at, "validation_failed", "at"));
  for (const json& bad : {json("2026-03-20"), json("2026-03-20T10:30:00+01:00"), json("yesterday"),
                          json(nullptr), json(1.5), json(kLatestTime + 1),
                          json(std::numeric_limits<std::int64_t>::max())}) {
    json r = handle(ledger, json{{"op", "purchase"},
                                 {"at", bad},
                                 {"workspace_id", 1},
                                 {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
    EXPECT_TRUE(JsonError(r, "validation_failed", "at")) << bad.dump();
  }
  EXPECT_EQ(ledger.movement_count(), 0u);
  json millis = handle(ledger, json{{"op", "purchase"},
                                    {"at", 1774002600123},
                                    {"workspace_id", 1},
                                    {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true}, {"movements", {{{"created_at", "2026-03-20T10:30:00.123Z"}}}}}, millis));
}

TEST_F(JsonApiTest, ActorFormsAndNullTexts) {
  json sys = handle(ledger, json{{"op", "purchase"},
                                 {"at", "2026-03-20T10:30:00.000Z"},
                                 {"actor", nullptr},
                                 {"reference", ""},
                                 {"workspace_id", 1},
                                 {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true},
                              {"movements",
                               {{{"created_by", nullptr}, {"reference", nullptr}, {"notes", nullptr}}}}},
                         sys));
  json zero = handle(ledger, json{{"op", "purchase"},
                                  {"at", "2026-03-20T10:30:00.000Z"},
                                  {"actor", {{"id", 0}, {"name", "Nobody"}}},
                                  {"workspace_id", 1},
                                  {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", {{{"created_by", nullptr}}}}}, zero));
  json person = handle(ledger, json{{"op", "purchase"},
                                    {"at", "2026-03-20T10:30:00.000Z"},
                                    {"actor", {{"id", "5"}, {"name", "John Doe"}}},
                                    {"workspace_id", 1},
                                    {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonSubset(
      json{{"ok", true}, {"movements", {{{"created_by", {{"id", 5}, {"name", "John Doe"}}}}}}},
      person));
}

TEST_F(JsonApiTest, TextLimitsAreBytes) {
  std::string e50;
  for (int i = 0; i < 50; ++i) e50 += "\xC3\xA9";  // 'é' is two bytes: 100 bytes
  json ok = handle(ledger, json{{"op", "purchase"},
                                {"at", "2026-03-20T10:30:00.000Z"},
                                {"workspace_id", 1},
                                {"reference", e50},
                                {"notes", std::string(500, 'n')},
                                {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", {{{"reference", e50}}}}}, ok));
  json long_ref = handle(ledger, json{{"op", "purchase"},
                                      {"at", "2026-03-20T10:30:00.000Z"},
                                      {"workspace_id", 1},
                                      {"reference", e50 + "\xC3\xA9"},
                                      {"notes", std::string(501, 'n')},
                                      {"items", {{{"product_id", 78}, {"quantity", "1"}}}}});
  EXPECT_TRUE(JsonError(long_ref, "validation_failed", "reference"));
  EXPECT_TRUE(JsonError(long_ref, "validation_failed", "notes"));
  EXPECT_EQ(ledger.movement_count(), 1u);
}

TEST_F(JsonApiTest, ItemsMustBeAnArrayOfOneTo500) {
  json items501 = json::array();
  for (int i = 0; i < 501; ++i) items501.push_back({{"product_id", 78}, {"quantity", "1"}});
  json items500 = json::array();
  for (int i = 0; i < 500; ++i) items500.push_back({{"product_id", 78}, {"quantity", "1"}});
  for (const json& items : {json::array(), json::object(), json("x"), items501}) {
    json r = handle(ledger, json{{"op", "purchase"},
                                 {"at", "2026-03-20T10:30:00.000Z"},
                                 {"workspace_id", 1},
                                 {"items", items}});
    EXPECT_TRUE(JsonError(r, "validation_failed", "items")) << items.dump().substr(0, 40);
  }
  json none = handle(ledger, json{{"op", "purchase"},
                                  {"at", "2026-03-20T10:30:00.000Z"},
                                  {"workspace_id", 1}});
  EXPECT_TRUE(JsonError(none, "validation_failed", "items"));
  EXPECT_EQ(ledger.movement_count(), 0u);
  json max = handle(ledger, json{{"op", "purchase"},
                                 {"at", "2026-03-20T10:30:00.000Z"},
                                 {"workspace_id", 1},
                                 {"items", items500}});
  ASSERT_TRUE(JsonOk(max));
  EXPECT_EQ(max["movements"].size(), 500u);
  EXPECT_EQ(max["movements"][499]["balance_after"], "500.00");
}

TEST_F(JsonApiTest, MissingRequiredMembers) {
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "transfer"},
                                            {"at", "2026-03-20T10:30:00.000Z"},
                                            {"from_workspace_id", 1}}),
                        "validation_failed", "product_id"));
  json t = handle(ledger, json{{"op", "transfer"}, {"at", "2026-03-20T10:30:00.000Z"}});
  for (const char* f : {"product_id", "from_workspace_id", "to_workspace_id", "quantity"}) {
    EXPECT_TRUE(JsonError(t, "validation_failed", f));
  }
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "set_minimum"},
                                            {"at", "2026-03-20T10:30:00.000Z"},
                                            {"product_id", 78},
                                            {"workspace_id", 1}}),
                        "validation_failed", "minimum_quantity"));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "get_movement"}}), "validation_failed", "id"));
  EXPECT_TRUE(JsonError(handle(ledger, json{{"op", "product_stock"}}), "validation_failed",
                        "product_id"));
}

}  // namespace
}  // namespace stockroom::testing
