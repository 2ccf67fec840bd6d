// The one JSON entry point every host uses (protocol: docs/core-protocol.md).
#ifndef STOCKROOM_JSON_API_H_
#define STOCKROOM_JSON_API_H_

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "stockroom/ledger.h"

namespace stockroom {

/// Runs one request document against `ledger` and returns the response
/// document. Never throws: malformed input gives {"ok": false, ...}.
/// This is handle_json's answer parsed back into a DOM, for C++ callers that
/// want one (tests); hosts should call handle_json, which builds no DOM.
nlohmann::json handle(Ledger& ledger, const nlohmann::json& request);

/// The same over text: parses `request`, runs it, and writes the answer
/// straight into the returned string (compact, members in key order, invalid
/// UTF-8 in stored texts replaced by U+FFFD). Text that is not JSON answers a
/// `bad_request` error document.
std::string handle_json(Ledger& ledger, std::string_view request);

/// handle_json's answer split for hosts that hand it on as it is (an HTTP
/// body): whether the request succeeded, and the same document without its
/// `ok` member. An error's document is {"error": {...}}.
struct AnswerBody {
  bool ok = false;
  std::string document;
};
AnswerBody handle_json_body(Ledger& ledger, std::string_view request);

/// The body of `product_stock` for `product_id`, without a request document
/// to write and parse: for a host that answers it on every request (the REST
/// service's GET .../products/{id}/stock). For a positive id, exactly what
/// handle_json_body answers to {"op":"product_stock","product_id":id}. Zero
/// and negative ids, which that request refuses as `validation_failed` (not
/// an id), answer `not_found` here: there is no request to validate.
AnswerBody product_stock_body(const Ledger& ledger, Id product_id);

/// Replays journal text (docs/journal-format.md) and answers the document of
/// the `replay_journal` op ({"ok": true, "appended": n} or an error), for
/// hosts that pass a large journal without escaping it into a JSON request.
std::string replay_journal_json(Ledger& ledger, std::string_view journal);

}  // namespace stockroom

#endif  // STOCKROOM_JSON_API_H_
