// Internal: the JSON handlers, one per op, grouped by kind.
#ifndef STOCKROOM_SRC_JSON_COMMANDS_H_
#define STOCKROOM_SRC_JSON_COMMANDS_H_

#include "json_codec.h"

namespace stockroom {

// Catalog and commands (json_commands.cc).
json handle_register(Ledger& ledger, const json& req);
json handle_initial_stock(Ledger& ledger, const json& req);
json handle_adjust(Ledger& ledger, const json& req);
json handle_transfer(Ledger& ledger, const json& req);
json handle_sell(Ledger& ledger, const json& req);
json handle_void_sale(Ledger& ledger, const json& req);
json handle_purchase(Ledger& ledger, const json& req);
json handle_count(Ledger& ledger, const json& req);
json handle_set_minimum(Ledger& ledger, const json& req);

// Queries and host support (json_queries.cc).
json handle_get_movement(Ledger& ledger, const json& req);
json handle_list_movements(Ledger& ledger, const json& req);
json handle_report(Ledger& ledger, const json& req);
json handle_product_stock(Ledger& ledger, const json& req);
json handle_workspace_levels(Ledger& ledger, const json& req);
json handle_low_stock(Ledger& ledger, const json& req);
json handle_level_as_of(Ledger& ledger, const json& req);
json handle_checkpoint(Ledger& ledger, const json& req);
json handle_rollback(Ledger& ledger, const json& req);
json handle_verify(Ledger& ledger, const json& req);
json handle_stats(Ledger& ledger, const json& req);
json handle_export_journal(Ledger& ledger, const json& req);
json handle_replay_journal(Ledger& ledger, const json& req);
/// The answer to replaying `journal` (shared by the op and replay_journal_json).
json replay_journal_document(Ledger& ledger, std::string_view journal);

}  // namespace stockroom

#endif  // STOCKROOM_SRC_JSON_COMMANDS_H_
