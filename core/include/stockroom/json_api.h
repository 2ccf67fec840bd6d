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
nlohmann::json handle(Ledger& ledger, const nlohmann::json& request);

/// The same over text: parses `request`, runs it, serializes the answer.
/// Text that is not JSON answers a `bad_request` error document.
std::string handle_json(Ledger& ledger, std::string_view request);

/// Replays journal text (docs/journal-format.md) and answers the document of
/// the `replay_journal` op ({"ok": true, "appended": n} or an error), for
/// hosts that pass a large journal without escaping it into a JSON request.
std::string replay_journal_json(Ledger& ledger, std::string_view journal);

}  // namespace stockroom

#endif  // STOCKROOM_JSON_API_H_
