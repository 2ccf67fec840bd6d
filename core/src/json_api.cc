// The JSON entry point: parse, dispatch on "op", write the answer, and make
// sure nothing escapes as an exception (the WebAssembly host cannot afford one).
#include "stockroom/json_api.h"

#include <string_view>
#include <utility>

#include "json_commands.h"
#include "words.h"

namespace stockroom {
namespace {

using Handler = void (*)(Ledger&, const JsonValue&, JsonWriter&);

constexpr std::pair<std::string_view, Handler> kHandlers[] = {
    {"register", handle_register},
    {"initial_stock", handle_initial_stock},
    {"adjust", handle_adjust},
    {"transfer", handle_transfer},
    {"sell", handle_sell},
    {"void_sale", handle_void_sale},
    {"purchase", handle_purchase},
    {"count", handle_count},
    {"set_minimum", handle_set_minimum},
    {"get_movement", handle_get_movement},
    {"list_movements", handle_list_movements},
    {"report", handle_report},
    {"product_stock", handle_product_stock},
    {"workspace_levels", handle_workspace_levels},
    {"low_stock", handle_low_stock},
    {"level_as_of", handle_level_as_of},
    {"checkpoint", handle_checkpoint},
    {"rollback", handle_rollback},
    {"verify", handle_verify},
    {"stats", handle_stats},
    {"export_journal", handle_export_journal},
    {"replay_journal", handle_replay_journal},
};

// Every answer is written by one of these; `ok_member` is off for
// handle_json_body.
AnswerBody bad_request(bool ok_member, std::string message) {
  AnswerBody body;
  JsonWriter w(body.document);
  w.answer().ok_member = ok_member;
  write_error_document(w, Error::make(ErrorCode::kBadRequest, std::move(message)));
  w.finish();
  return body;
}

// Answers to the most common requests fit; longer ones grow by doubling.
constexpr std::size_t kInitialAnswerBytes = 1024;

// An answer written by `write(w)`. An exception (only allocation failure or
// a defect can throw) drops the partial answer for an error: nothing escapes.
template <class Write>
AnswerBody write_answer(bool ok_member, Write&& write) {
  try {
    AnswerBody body;
    body.document.reserve(kInitialAnswerBytes);
    JsonWriter w(body.document);
    w.answer().ok_member = ok_member;
    write(w);
    w.finish();
    body.ok = !w.answer().failed;
    return body;
  } catch (const std::exception& e) {
    return bad_request(ok_member, std::string("The request failed: ") + e.what());
  }
}

AnswerBody answer(Ledger& ledger, const JsonValue& request, bool ok_member) {
  if (!request.is_object()) return bad_request(ok_member, "The request must be a JSON object.");
  const JsonValue* op = request.find("op");
  if (op == nullptr || !op->is_string()) return bad_request(ok_member, "The request has no op.");
  const std::string_view name = op->str();
  for (const auto& [key, found] : kHandlers) {
    if (equal_text(key, name)) {
      const Handler handler = found;  // (clang 14 cannot capture a structured binding)
      return write_answer(ok_member, [&](JsonWriter& w) { handler(ledger, request, w); });
    }
  }
  return bad_request(ok_member, "Unknown op \"" + std::string(name) + "\".");
}

// The most a thread's request document keeps between requests (values and unescaped text, each).
constexpr std::size_t kKeptDocumentBytes = 64 * 1024;

// One request document per thread, reused: once a first request has sized it, parsing a request
// allocates nothing (before, every request's values were a malloc and a free; in WebAssembly that pair
// was about a tenth of a small query's fixed cost). No handler parses a request of its own, so a
// document is never in use twice at once.
JsonDocument& request_document() {
  thread_local JsonDocument document;
  return document;
}

AnswerBody parse_and_answer(Ledger& ledger, std::string_view request, bool ok_member) {
  try {
    JsonDocument& parsed = request_document();
    struct Clear {
      JsonDocument& document;
      ~Clear() { document.clear(kKeptDocumentBytes); }
    } clear_after{parsed};
    if (!parsed.parse(request)) return bad_request(ok_member, "The request is not valid JSON.");
    return answer(ledger, parsed.root(), ok_member);
  } catch (const std::exception& e) {
    return bad_request(ok_member, std::string("The request failed: ") + e.what());
  }
}

}  // namespace

nlohmann::json handle(Ledger& ledger, const nlohmann::json& request) {
  // The typed-document form for C++ callers (tests): the request written as text (a string that is
  // not UTF-8 cannot be: that is a bad request), answered, and the answer parsed. Answers are always
  // valid JSON (invalid UTF-8 is replaced when written).
  std::string text;
  try {
    text = request.dump();
  } catch (const std::exception& e) {
    return nlohmann::json::parse(bad_request(true, std::string("The request failed: ") + e.what()).document);
  }
  return nlohmann::json::parse(parse_and_answer(ledger, text, true).document, nullptr,
                               /*allow_exceptions=*/false);
}

std::string handle_json(Ledger& ledger, std::string_view request) {
  return parse_and_answer(ledger, request, true).document;
}

AnswerBody handle_json_body(Ledger& ledger, std::string_view request) {
  return parse_and_answer(ledger, request, false);
}

AnswerBody product_stock_body(const Ledger& ledger, Id product_id) {
  return write_answer(false, [&](JsonWriter& w) { write_product_stock(ledger, product_id, w); });
}

std::string replay_journal_json(Ledger& ledger, std::string_view journal) {
  std::string out;
  JsonWriter w(out);
  write_replay_journal(ledger, journal, w);
  w.finish();
  return out;
}

}  // namespace stockroom
