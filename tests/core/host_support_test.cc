// Host support: checkpoint / rollback, verify, stats and the journal (export, replay).
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "test_support.h"

namespace stockroom::testing {
namespace {

// A ledger exercising every movement type; returns the number of movements.
std::size_t BuildHistory(Ledger& ledger) {
  RegisterCatalog(ledger);
  InitialStockCommand init;
  init.workspace_id = kMain;
  init.reference = "OPEN";
  init.items.push_back({kPremium, U(100), Q("2.5"), U(10)});
  init.items.push_back({kFlour, Q("12.125"), std::nullopt, std::nullopt});
  EXPECT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0), init)));  // 1, 2
  TransferCommand t;
  t.product_id = kPremium;
  t.from_workspace_id = kMain;
  t.to_workspace_id = kWarehouse;
  t.quantity = U(30);
  t.notes = "To the\twarehouse\nsecond line \\ backslash\r";
  EXPECT_TRUE(Succeeded(ledger.transfer(Ctx(kT0 + kHour, 6, "Zoë\tTab"), t)));  // 3, 4
  SellCommand s;
  s.workspace_id = kMain;
  s.invoice_id = 900;
  s.lines.push_back({kPremium, U(7)});
  s.lines.push_back({kFlour, Q("20")});
  EXPECT_TRUE(Succeeded(ledger.sell(Ctx(kT0 + 2 * kHour), s)));  // 5, 6 (flour negative)
  VoidSaleCommand v;
  v.invoice_id = 900;
  EXPECT_TRUE(Succeeded(ledger.void_sale(Ctx(kT0 + 3 * kHour, 0, ""), v)));  // 7, 8
  PurchaseCommand p;
  p.workspace_id = kWarehouse;
  p.items.push_back({kOil, Q("1.2345"), Q("0.0125")});
  EXPECT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + 4 * kHour), p)));  // 9
  AdjustCommand a;
  a.workspace_id = kWarehouse;
  a.items.push_back({kPremium, -U(3), Reason::kDamaged, "Dropped", std::nullopt});
  EXPECT_TRUE(Succeeded(ledger.adjust(Ctx(kT0 + 5 * kHour), a)));  // 10
  CountCommand c;
  c.workspace_id = kMain;
  c.items.push_back({kPremium, U(60), ""});
  EXPECT_TRUE(Succeeded(ledger.count(Ctx(kT0 + 6 * kHour), c)));  // 11: 70 -> 60
  return 11;
}

void ExpectSameMovement(const Movement& a, const Movement& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.type, b.type) << a.id;
  EXPECT_EQ(a.product_id, b.product_id) << a.id;
  EXPECT_EQ(a.workspace_id, b.workspace_id) << a.id;
  EXPECT_EQ(a.quantity, b.quantity) << a.id;
  EXPECT_EQ(a.balance_after, b.balance_after) << a.id;
  EXPECT_EQ(a.from_workspace_id, b.from_workspace_id) << a.id;
  EXPECT_EQ(a.to_workspace_id, b.to_workspace_id) << a.id;
  EXPECT_EQ(a.reason, b.reason) << a.id;
  EXPECT_EQ(a.invoice_id, b.invoice_id) << a.id;
  EXPECT_EQ(a.unit_cost, b.unit_cost) << a.id;
  EXPECT_EQ(a.linked_movement_id, b.linked_movement_id) << a.id;
  EXPECT_EQ(a.created_by.id, b.created_by.id) << a.id;
  EXPECT_EQ(a.created_by.name, b.created_by.name) << a.id;
  EXPECT_EQ(a.created_at, b.created_at) << a.id;
  EXPECT_EQ(a.reference, b.reference) << a.id;
  EXPECT_EQ(a.notes, b.notes) << a.id;
}

TEST(Journal, ExactLineFormat) {
  Ledger ledger;
  RegisterCatalog(ledger);
  PurchaseCommand p;
  p.workspace_id = kMain;
  p.reference = "PO-1";
  p.notes = "line1\nwith\ttab and \\ slash\r";
  p.items.push_back({kPremium, Q("2.5"), Q("2.5")});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0), p)));
  TransferCommand t;
  t.product_id = kPremium;
  t.from_workspace_id = kMain;
  t.to_workspace_id = kWarehouse;
  t.quantity = U(1);
  ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0 + 1, 0, ""), t)));
  AdjustCommand a;
  a.workspace_id = kMain;
  a.items.push_back({kPremium, -Q("0.5"), Reason::kLost, "", std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0 + 2), a)));
  SellCommand s;
  s.workspace_id = kWarehouse;
  s.invoice_id = 31;
  s.lines.push_back({kPremium, U(1)});
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0 + 3), s)));

  const std::string expected =
      "1\tpurchase\t78\t1\t25000\t\t1\t\t\t25000\t\t5\tJohn Doe\t1774002600000\tPO-1\t"
      "line1\\nwith\\ttab and \\\\ slash\\r\n"
      "2\ttransfer_out\t78\t1\t-10000\t1\t2\t\t\t\t3\t\t\t1774002600001\t\t\n"
      "3\ttransfer_in\t78\t2\t10000\t1\t2\t\t\t\t2\t\t\t1774002600001\t\t\n"
      "4\tadjustment\t78\t1\t-5000\t\t\tlost\t\t\t\t5\tJohn Doe\t1774002600002\t\t\n"
      "5\tsale\t78\t2\t-10000\t2\t\t\t31\t\t\t5\tJohn Doe\t1774002600003\t\t\n";
  EXPECT_EQ(ledger.export_journal(), expected);
  EXPECT_EQ(ledger.export_journal(3),
            "4\tadjustment\t78\t1\t-5000\t\t\tlost\t\t\t\t5\tJohn Doe\t1774002600002\t\t\n"
            "5\tsale\t78\t2\t-10000\t2\t\t\t31\t\t\t5\tJohn Doe\t1774002600003\t\t\n");
  EXPECT_EQ(ledger.export_journal(5), "");
}

TEST(Journal, CommandAnswerCarriesTheNewLines) {
  Ledger ledger;
  RegisterCatalogJson(ledger);
  json first = handle(ledger, json{{"op", "purchase"},
                                   {"at", "2026-03-20T10:30:00.000Z"},
                                   {"workspace_id", 1},
                                   {"items", {{{"product_id", 79}, {"quantity", "4"}}}}});
  ASSERT_TRUE(JsonOk(first));
  EXPECT_EQ(first["journal"], "1\tpurchase\t79\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n");
  json second = handle(ledger, json{{"op", "transfer"},
                                    {"actor", {{"id", 5}, {"name", "John Doe"}}},
                                    {"at", "2026-03-20T10:31:00.000Z"},
                                    {"product_id", 79},
                                    {"from_workspace_id", 1},
                                    {"to_workspace_id", 2},
                                    {"quantity", "1"}});
  ASSERT_TRUE(JsonOk(second));
  EXPECT_EQ(second["journal"], ledger.export_journal(1));
  json minimum = handle(ledger, json{{"op", "set_minimum"},
                                     {"at", "2026-03-20T10:32:00.000Z"},
                                     {"product_id", 79},
                                     {"workspace_id", 1},
                                     {"minimum_quantity", "2"}});
  ASSERT_TRUE(JsonOk(minimum));
  EXPECT_EQ(minimum["journal"], "");
}

TEST(Journal, RoundTripThroughReplay) {
  Ledger original;
  const std::size_t n = BuildHistory(original);
  ASSERT_EQ(original.movement_count(), n);
  const std::string journal = original.export_journal();

  Ledger copy;
  RegisterCatalog(copy);
  Result<std::size_t> appended = copy.replay_journal(journal);
  ASSERT_TRUE(Succeeded(appended));
  EXPECT_EQ(appended.value(), n);
  ASSERT_EQ(copy.movement_count(), n);
  for (Id id = 1; id <= static_cast<Id>(n); ++id) {
    ExpectSameMovement(Mv(original, id), Mv(copy, id));
  }
  EXPECT_EQ(copy.export_journal(), journal);
  EXPECT_TRUE(copy.verify().empty());
  for (Id ws : {kMain, kWarehouse}) {
    for (Id p : {kPremium, kFlour, kOil}) {
      EXPECT_EQ(copy.level(p, ws), original.level(p, ws)) << p << "@" << ws;
    }
  }
  EXPECT_EQ(copy.level(kPremium, kMain), U(60));
  EXPECT_EQ(copy.level(kFlour, kMain), Q("12.125"));
  EXPECT_EQ(Mv(copy, 4).created_by.name, "Zoë\tTab");
  EXPECT_EQ(Mv(copy, 3).notes, "To the\twarehouse\nsecond line \\ backslash\r");

  // The replayed ledger keeps going where the original stopped.
  PurchaseCommand more;
  more.workspace_id = kMain;
  more.items.push_back({kPremium, U(1), std::nullopt});
  Result<CommandOutcome> r = copy.purchase(Ctx(kT0), more);
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.value().movement_ids, (std::vector<Id>{static_cast<Id>(n) + 1}));
  // An earlier `at` is clamped to the replayed history's latest time.
  EXPECT_EQ(Mv(copy, static_cast<Id>(n) + 1).created_at, kT0 + 6 * kHour);
  // The void state is rebuilt too: voiding invoice 900 again is a conflict.
  VoidSaleCommand v;
  v.invoice_id = 900;
  EXPECT_TRUE(FailedWith(copy.void_sale(Ctx(kT0 + 7 * kHour), v), ErrorCode::kConflict));
}

TEST(Journal, ReplayInPieces) {
  Ledger original;
  BuildHistory(original);
  Ledger copy;
  RegisterCatalog(copy);
  ASSERT_TRUE(Succeeded(copy.replay_journal(original.export_journal().substr(0, 0))));
  const std::string head = original.export_journal();
  const std::string tail = original.export_journal(6);
  const std::string first_six = head.substr(0, head.size() - tail.size());
  Result<std::size_t> a = copy.replay_journal(first_six);
  ASSERT_TRUE(Succeeded(a));
  EXPECT_EQ(a.value(), 6u);
  Result<std::size_t> b = copy.replay_journal(tail);
  ASSERT_TRUE(Succeeded(b));
  EXPECT_EQ(b.value(), 5u);
  EXPECT_EQ(copy.export_journal(), head);
}

TEST(Journal, ReplayRejectsBadJournalsWhole) {
  const std::string good = "1\tpurchase\t78\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n";
  struct Case {
    const char* why;
    std::string text;
  };
  const Case cases[] = {
      {"ids must start at 1", "2\tpurchase\t78\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"gap in ids", good + "3\tpurchase\t78\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"unknown product", good + "2\tpurchase\t999\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"unknown workspace", good + "2\tpurchase\t78\t99\t40000\t\t99\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"zero quantity", good + "2\tpurchase\t78\t1\t0\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"time goes back", good + "2\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t\t\t1774002599999\t\t\n"},
      {"unknown type", good + "2\tgift\t78\t1\t10000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"too few fields", good + "2\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t\t\t1774002600000\t\n"},
      {"not a number", good + "2\tpurchase\t78\t1\tten\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n"},
      {"a note ending in a lone backslash",
       good + "2\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t\t\t1774002600000\t\tends in \\\n"},
      {"an unknown escape in a reference",
       good + "2\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t\t\t1774002600000\tPO\\x1\t\n"},
      {"an unknown escape in an actor's name",
       good + "2\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t5\tJo\\e\t1774002600000\t\t\n"},
      // A sale keeps its invoice id where a cost would go; no command writes a sale with a cost.
      {"a sale with a unit cost", good + "2\tsale\t78\t1\t-10000\t1\t\t\t7\t5000\t\t\t\t1774002600000\t\t\n"},
      {"a time past kLatestTime (2^55 ms)",
       good + "2\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t\t\t36028797018963968\t\t\n"},
  };
  for (const Case& c : cases) {
    Ledger ledger;
    RegisterCatalog(ledger);
    Result<std::size_t> r = ledger.replay_journal(c.text);
    EXPECT_FALSE(r.ok()) << c.why;
    EXPECT_EQ(ledger.movement_count(), 0u) << c.why;
  }
  // The good line alone is fine.
  Ledger ledger;
  RegisterCatalog(ledger);
  Result<std::size_t> r = ledger.replay_journal(good);
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.value(), 1u);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(4));
  EXPECT_EQ(Mv(ledger, 1).balance_after, U(4));
  EXPECT_EQ(Mv(ledger, 1).created_by.id, 0);
  // The same sale without its cost, and a line at the latest time, are fine.
  const std::string sale = "2\tsale\t78\t1\t-10000\t1\t\t\t7\t\t\t\t\t1774002600000\t\t\n";
  const std::string latest = "3\tpurchase\t78\t1\t10000\t\t1\t\t\t\t\t\t\t36028797018963967\t\t\n";
  ASSERT_TRUE(Succeeded(ledger.replay_journal(sale + latest)));
  EXPECT_EQ(Mv(ledger, 2).invoice_id, 7);
  EXPECT_EQ(Mv(ledger, 3).created_at, kLatestTime);
  EXPECT_EQ(ledger.export_journal(), good + sale + latest);
}

// Texts decode run by run between escapes: escapes first, last, back to back and alone, and an
// escaped backslash before a letter that would be an escape on its own.
TEST(Journal, ReplayDecodesEveryEscapeWherever) {
  const std::string line =
      "1\tpurchase\t78\t1\t40000\t\t1\t\t\t\t\t5\t\\tJo\\\\\\n\t1774002600000\t"
      "\\r\\n\\t\\\\\tplain \\\\n, not a newline\\n\n";
  Ledger ledger;
  RegisterCatalog(ledger);
  ASSERT_TRUE(Succeeded(ledger.replay_journal(line)));
  const Movement m = Mv(ledger, 1);
  EXPECT_EQ(m.created_by.name, "\tJo\\\n");
  EXPECT_EQ(m.reference, "\r\n\t\\");
  EXPECT_EQ(m.notes, "plain \\n, not a newline\n");
  EXPECT_EQ(ledger.export_journal(), line);
}

TEST(HostSupport, CheckpointAndRollback) {
  Ledger ledger;
  BuildHistory(ledger);
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kOil, kWarehouse, U(1)})));
  const Checkpoint mark = ledger.checkpoint();
  EXPECT_EQ(mark.movements, 11u);
  const std::string journal_at_mark = ledger.export_journal();

  SetMinimumCommand m;
  m.product_id = kPremium;
  m.workspace_id = kMain;
  m.minimum = U(99);
  ASSERT_TRUE(Succeeded(ledger.set_minimum(Ctx(kT0 + 10 * kHour), m)));
  InitialStockCommand init;
  init.workspace_id = kOutlet;
  init.items.push_back({kBolt, U(5), std::nullopt, U(2)});
  ASSERT_TRUE(Succeeded(ledger.initial_stock(Ctx(kT0 + 10 * kHour), init)));  // 12
  SellCommand s;
  s.workspace_id = kMain;
  s.invoice_id = 950;
  s.lines.push_back({kPremium, U(10)});
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0 + 10 * kHour), s)));  // 13
  ASSERT_EQ(ledger.movement_count(), 13u);

  ledger.rollback(mark);
  EXPECT_EQ(ledger.movement_count(), 11u);
  EXPECT_EQ(ledger.export_journal(), journal_at_mark);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(60));
  EXPECT_EQ(ledger.level(kBolt, kOutlet), 0);
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(10));  // back to initial stock's minimum
  EXPECT_EQ(ledger.minimum(kBolt, kOutlet), 0);
  EXPECT_EQ(ledger.minimum(kOil, kWarehouse), U(1));
  EXPECT_FALSE(ledger.movement(12).has_value());
  EXPECT_TRUE(ledger.verify().empty());

  // Ids continue from the mark; the rolled-back initial stock is possible again.
  Result<CommandOutcome> again = ledger.initial_stock(Ctx(kT0 + 11 * kHour), init);
  ASSERT_TRUE(Succeeded(again));
  EXPECT_EQ(again.value().movement_ids, (std::vector<Id>{12}));
  EXPECT_EQ(Mv(ledger, 12).balance_after, U(5));
}

TEST(HostSupport, RollbackOfAVoidAllowsVoidingAgain) {
  Ledger ledger;
  RegisterCatalog(ledger);
  Buy(ledger, kMain, kPremium, U(10));
  SellCommand s;
  s.workspace_id = kMain;
  s.invoice_id = 5;
  s.lines.push_back({kPremium, U(4)});
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0), s)));
  const Checkpoint mark = ledger.checkpoint();
  VoidSaleCommand v;
  v.invoice_id = 5;
  ASSERT_TRUE(Succeeded(ledger.void_sale(Ctx(kT0), v)));
  ledger.rollback(mark);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(6));
  Result<CommandOutcome> r = ledger.void_sale(Ctx(kT0), v);
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.value().movement_ids, (std::vector<Id>{3}));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
}

TEST(HostSupport, MarksFromTheFutureAreIgnored) {
  Ledger ledger;
  BuildHistory(ledger);
  Checkpoint future;
  future.movements = 100;
  future.minimum_changes = 100;
  EXPECT_FALSE(ledger.rollback(future));
  EXPECT_EQ(ledger.movement_count(), 11u);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(60));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(10));
  Checkpoint unissued = ledger.checkpoint();
  ++unissued.serial;  // counts of the present, a serial not handed out yet
  EXPECT_FALSE(ledger.rollback(unissued));
}

// After rollback(T), a mark taken after T is of a branch that is gone: its counts fit the ledger, but
// applying them would cut off a context that records written since share (one by actor and
// workspace, interned after T). It is refused and changes nothing. Marks of the history the ledger
// has (T itself, marks before it, the empty ledger's) still roll back, nested as a host nests them.
TEST(HostSupport, MarksOfAnAbandonedBranchAreIgnored) {
  Ledger ledger;
  RegisterCatalog(ledger);
  Buy(ledger, kMain, kPremium, U(1));
  Buy(ledger, kMain, kBolt, U(1));
  const Checkpoint before = ledger.checkpoint();
  Buy(ledger, kMain, kPremium, U(1));  // John's context again
  const Checkpoint abandoned = ledger.checkpoint();
  ASSERT_TRUE(ledger.rollback(before));
  PurchaseCommand p;
  p.workspace_id = kMain;
  p.items = {{kPremium, U(2), std::nullopt}, {kBolt, U(2), std::nullopt}};  // Ann's new context, shared
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0, 7, "Ann"), p)));
  const std::string journal = ledger.export_journal();
  EXPECT_FALSE(ledger.rollback(abandoned));
  EXPECT_EQ(ledger.export_journal(), journal);
  EXPECT_EQ(Mv(ledger, 3).created_by.name, "Ann");
  EXPECT_EQ(Mv(ledger, 4).created_by.name, "Ann");

  // Nested as a host nests them: a batch's mark, a request's mark rolled back, the batch's mark.
  const Checkpoint batch = ledger.checkpoint();
  const Checkpoint request = ledger.checkpoint();
  Buy(ledger, kOutlet, kOil, U(3));
  EXPECT_TRUE(ledger.rollback(request));
  EXPECT_TRUE(ledger.rollback(request));  // the same mark again: nothing to undo
  Buy(ledger, kWarehouse, kOil, U(4));
  EXPECT_TRUE(ledger.rollback(batch));
  EXPECT_EQ(ledger.export_journal(), journal);
  EXPECT_TRUE(ledger.rollback(before));
  EXPECT_EQ(ledger.movement_count(), 2u);
  EXPECT_TRUE(ledger.rollback(Checkpoint{}));  // the empty ledger's
  EXPECT_EQ(ledger.movement_count(), 0u);
  EXPECT_FALSE(ledger.rollback(batch));  // after the empty ledger's: gone too
  EXPECT_TRUE(ledger.verify().empty());
}

// The empty checkpoint (Checkpoint{}) counts no texts, where a ledger always holds the texts of a
// movement without any (entry 0). A rollback to it keeps that entry: a movement without texts after
// it must not show the texts of the first one with them.
TEST(HostSupport, MovementsWithoutTextsAfterARollbackToTheEmptyCheckpoint) {
  Ledger ledger;
  RegisterCatalog(ledger);
  Buy(ledger, kMain, kBolt, U(1));
  ASSERT_TRUE(ledger.rollback(Checkpoint{}));
  PurchaseCommand with_texts;
  with_texts.workspace_id = kMain;
  with_texts.reference = "PO-1";
  with_texts.notes = "first";
  with_texts.items.push_back({kBolt, U(2), std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0), with_texts)));
  Buy(ledger, kMain, kBolt, U(3));
  EXPECT_EQ(Mv(ledger, 1).reference, "PO-1");
  EXPECT_EQ(Mv(ledger, 1).notes, "first");
  EXPECT_EQ(Mv(ledger, 2).reference, "");
  EXPECT_EQ(Mv(ledger, 2).notes, "");
  EXPECT_TRUE(ledger.verify().empty());
}

TEST(HostSupport, VerifyAgreesAfterEveryKindOfCommand) {
  Ledger ledger;
  BuildHistory(ledger);
  EXPECT_TRUE(ledger.verify().empty());
}

TEST(HostSupportJson, CheckpointRollbackStatsExportReplay) {
  Ledger ledger;
  RegisterCatalogJson(ledger);
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", 0}}, handle(ledger, json{{"op", "stats"}})));
  ASSERT_TRUE(JsonOk(handle(ledger, json{{"op", "initial_stock"},
                                         {"at", "2026-03-20T10:30:00.000Z"},
                                         {"workspace_id", 1},
                                         {"items",
                                          {{{"product_id", 78}, {"quantity", "10"},
                                            {"minimum_quantity", "3"}},
                                           {{"product_id", 79}, {"quantity", "5"}}}}})));
  json cp = handle(ledger, json{{"op", "checkpoint"}});
  ASSERT_TRUE(JsonOk(cp));
  EXPECT_TRUE(JsonSubset(json{{"checkpoint", {{"movements", 2}}}}, cp));
  ASSERT_TRUE(cp["checkpoint"].contains("minimum_changes")) << cp.dump();

  ASSERT_TRUE(JsonOk(handle(ledger, json{{"op", "set_minimum"},
                                         {"at", "2026-03-20T11:00:00.000Z"},
                                         {"product_id", 78},
                                         {"workspace_id", 1},
                                         {"minimum_quantity", "8"}})));
  ASSERT_TRUE(JsonOk(handle(ledger, json{{"op", "adjust"},
                                         {"at", "2026-03-20T11:00:00.000Z"},
                                         {"workspace_id", 1},
                                         {"items",
                                          {{{"product_id", 78}, {"quantity", "-1"},
                                            {"reason", "lost"}}}}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", 3}, {"last_movement_id", 3}},
                         handle(ledger, json{{"op", "stats"}})));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"rolled_back", true}},
                         handle(ledger, json{{"op", "rollback"}, {"checkpoint", cp["checkpoint"]}})));
  // Every member is needed; a mark this ledger did not hand out answers rolled_back false.
  const auto rollback = [&](const json& mark) {
    return handle(ledger, json{{"op", "rollback"}, {"checkpoint", mark}});
  };
  for (const char* member : {"contexts", "levels", "minimum_changes", "movements", "serial", "texts"}) {
    json partial = cp["checkpoint"];
    ASSERT_EQ(partial.erase(member), 1u) << member;
    EXPECT_TRUE(JsonError(rollback(partial), "validation_failed", "checkpoint")) << member;
  }
  json unissued = cp["checkpoint"];
  unissued["serial"] = 1'000;
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"rolled_back", false}}, rollback(unissued)));
  json beyond = cp["checkpoint"];
  beyond["movements"] = std::numeric_limits<std::uint64_t>::max();
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"rolled_back", false}}, rollback(beyond)));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"movements", 2}, {"last_movement_id", 2}},
                         handle(ledger, json{{"op", "stats"}})));
  EXPECT_EQ(ledger.minimum(kPremium, kMain), U(3));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(10));
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"differences", json::array()}},
                         handle(ledger, json{{"op", "verify"}})));

  json all = handle(ledger, json{{"op", "export_journal"}});
  ASSERT_TRUE(JsonOk(all));
  EXPECT_EQ(all["journal"], ledger.export_journal());
  json after1 = handle(ledger, json{{"op", "export_journal"}, {"after_id", 1}});
  ASSERT_TRUE(JsonOk(after1));
  EXPECT_EQ(after1["journal"], "2\tinitial_stock\t79\t1\t50000\t\t\t\t\t\t\t\t\t1774002600000\t\t\n");

  Ledger copy;
  RegisterCatalogJson(copy);
  json replayed = handle(copy, json{{"op", "replay_journal"}, {"journal", all["journal"]}});
  EXPECT_TRUE(JsonSubset(json{{"ok", true}, {"appended", 2}}, replayed));
  EXPECT_EQ(copy.level(kBolt, kMain), U(5));
  json bad = handle(copy, json{{"op", "replay_journal"}, {"journal", "garbage\n"}});
  EXPECT_EQ(bad.value("ok", true), false) << bad.dump();
  EXPECT_EQ(copy.movement_count(), 2u);
}

}  // namespace
}  // namespace stockroom::testing
