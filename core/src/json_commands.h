// Internal: the JSON handlers, one per op, grouped by kind. Each reads the
// request document and writes its whole answer into `w`.
#ifndef STOCKROOM_SRC_JSON_COMMANDS_H_
#define STOCKROOM_SRC_JSON_COMMANDS_H_

#include "json_codec.h"

namespace stockroom {

// Catalog and commands (json_commands.cc).
void handle_register(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_initial_stock(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_adjust(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_transfer(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_sell(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_void_sale(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_purchase(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_count(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_set_minimum(Ledger& ledger, const JsonValue& req, JsonWriter& w);

// Queries and host support (json_queries.cc).
void handle_get_movement(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_list_movements(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_report(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_product_stock(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_workspace_levels(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_low_stock(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_level_as_of(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_checkpoint(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_rollback(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_verify(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_stats(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_export_journal(Ledger& ledger, const JsonValue& req, JsonWriter& w);
void handle_replay_journal(Ledger& ledger, const JsonValue& req, JsonWriter& w);
/// The answer to product_stock for a product id (shared by the op and
/// product_stock_body, which has no request document to read).
void write_product_stock(const Ledger& ledger, Id product_id, JsonWriter& w);
/// The answer to replaying `journal` (shared by the op and replay_journal_json).
void write_replay_journal(Ledger& ledger, std::string_view journal, JsonWriter& w);

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JSON_COMMANDS_H_
