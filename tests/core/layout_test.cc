// The ledger's internal layout (core/src/ledger_state.h) seen from the API:
// links kept implicitly or in a side table, invoices in a vector or a map,
// levels found per product, ids through a direct array or a hash map, and
// replay filling the position lists at the end. Each test checks that export,
// replay and rollback agree whichever representation a movement landed in.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace stockroom::testing {
namespace {

// Dense and sparse ids, registered out of order, so that the index of a
// product or workspace differs from its id and some ids go to the hash map.
std::vector<Id> WideWorkspaces() {
  std::vector<Id> ids;
  for (Id w = 40; w >= 1; --w) ids.push_back(w);
  ids.push_back(5'000'000'000'000);
  return ids;
}
std::vector<Id> WideProducts() {
  std::vector<Id> ids;
  for (Id p = 1; p <= 60; ++p) ids.push_back(p * 7 % 61);  // 1..60, shuffled
  ids.push_back(1'000'000'000'000);
  ids.push_back(3'000);
  return ids;
}

void RegisterWide(Ledger& ledger) {
  for (const Id w : WideWorkspaces()) {
    ASSERT_TRUE(
        Succeeded(ledger.upsert_workspace(Ws(w, "W" + std::to_string(w)))));
  }
  for (const Id p : WideProducts()) {
    ASSERT_TRUE(Succeeded(ledger.upsert_product(
        Prod(p, "SKU" + std::to_string(p), "P" + std::to_string(p), 0))));
  }
}

// Many levels per product, created in descending workspace order, with
// transfers, sales under non-ascending invoice ids, voids and adjustments.
void BuildWide(Ledger& ledger) {
  const std::vector<Id> ws = WideWorkspaces();
  const std::vector<Id> ps = WideProducts();
  Millis at = kT0;
  Id invoice = 1'000;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    PurchaseCommand p;
    p.workspace_id = ws[i % ws.size()];
    p.reference = "PO-" + std::to_string(i);
    p.items.push_back({ps[i], U(1'000), std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(at += kMinute), p)));
  }
  for (std::size_t k = 0; k < 600; ++k) {
    const Id product = ps[k % ps.size()];
    const Id home = ws[k % ps.size() % ws.size()];
    const Id other = ws[(k * 13 + 5) % ws.size()];
    if (other != home) {
      TransferCommand t;
      t.product_id = product;
      t.from_workspace_id = home;
      t.to_workspace_id = other;
      t.quantity = U(1);
      ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(at += kMinute), t)));
    }
    if (k % 3 == 0) {
      SellCommand s;
      s.workspace_id = home;
      // Alternately above every earlier id and below: both invoice stores.
      s.invoice_id = k % 2 == 0 ? (invoice += 10) : static_cast<Id>(k + 1);
      s.lines.push_back({product, U(2)});
      ASSERT_TRUE(Succeeded(ledger.sell(Ctx(at += kMinute), s)));
      if (k % 9 == 0) {
        VoidSaleCommand v;
        v.invoice_id = s.invoice_id;
        ASSERT_TRUE(Succeeded(ledger.void_sale(Ctx(at += kMinute), v)));
      }
    }
    if (k % 7 == 0) {
      AdjustCommand a;
      a.workspace_id = other;
      a.items.push_back({product, U(1), Reason::kFound, "n" + std::to_string(k),
                         std::nullopt});
      ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(at += kMinute), a)));
    }
  }
}

// Every read that depends on the position lists, compared between two ledgers.
void ExpectSameReads(const Ledger& a, const Ledger& b) {
  EXPECT_EQ(a.export_journal(), b.export_journal());
  EXPECT_TRUE(b.verify().empty());
  const Millis mid = kT0 + 400 * kMinute;
  for (const Id w : WideWorkspaces()) {
    for (const Id p : WideProducts()) {
      ASSERT_EQ(a.level(p, w), b.level(p, w)) << p << "@" << w;
      ASSERT_EQ(a.level_before(p, w, mid), b.level_before(p, w, mid))
          << p << "@" << w;
    }
    MovementFilter f;
    f.workspace_id = w;
    const MovementPage pa = a.list_movements(f, PageRequest{2, 7, {}});
    const MovementPage pb = b.list_movements(f, PageRequest{2, 7, {}});
    EXPECT_EQ(pa.total, pb.total) << w;
    ASSERT_EQ(pa.items.size(), pb.items.size()) << w;
    for (std::size_t i = 0; i < pa.items.size(); ++i)
      EXPECT_EQ(pa.items[i].id, pb.items[i].id);
    EXPECT_EQ(a.workspace_levels(w).size(), b.workspace_levels(w).size()) << w;
  }
  for (const Id p : WideProducts()) {
    MovementFilter f;
    f.product_id = p;
    f.from = kT0 + 100 * kMinute;
    EXPECT_EQ(a.list_movements(f, {}).total, b.list_movements(f, {}).total)
        << p;
    EXPECT_EQ(a.report(f).size(), b.report(f).size()) << p;
  }
}

TEST(Layout, ManyLevelsAndSparseIdsReplayIdentically) {
  Ledger original;
  RegisterWide(original);
  BuildWide(original);
  ASSERT_GT(original.movement_count(), 1'000u);
  ASSERT_TRUE(original.verify().empty());

  Ledger copy;
  RegisterWide(copy);
  Result<std::size_t> replayed = copy.replay_journal(original.export_journal());
  ASSERT_TRUE(Succeeded(replayed));
  EXPECT_EQ(replayed.value(), original.movement_count());
  for (Id id = 1; id <= static_cast<Id>(original.movement_count()); id += 37) {
    EXPECT_EQ(Mv(copy, id).linked_movement_id,
              Mv(original, id).linked_movement_id)
        << id;
    EXPECT_EQ(Mv(copy, id).invoice_id, Mv(original, id).invoice_id) << id;
  }
  ExpectSameReads(original, copy);

  // The invoices came back in both stores: each voided one refuses a second
  // void, each sold one refuses a second sale.
  VoidSaleCommand v;
  v.invoice_id = 1;  // never sold: voiding it is a no-op
  EXPECT_TRUE(Succeeded(copy.void_sale(Ctx(kT0 + 1'000 * kHour), v)));
  v.invoice_id = 1'010;  // k = 0: sold and voided
  EXPECT_TRUE(FailedWith(copy.void_sale(Ctx(kT0 + 1'000 * kHour), v),
                         ErrorCode::kConflict));
  SellCommand s;
  s.workspace_id = 1;
  s.invoice_id = 4;  // k = 3: sold under a low id (the map)
  s.lines.push_back({1, U(1)});
  EXPECT_TRUE(
      FailedWith(copy.sell(Ctx(kT0 + 1'000 * kHour), s), ErrorCode::kConflict));
  v.invoice_id = 4;
  EXPECT_TRUE(Succeeded(copy.void_sale(Ctx(kT0 + 1'000 * kHour), v)));
}

TEST(Layout, ReplayInPiecesAndAFailedReplayKeepTheLists) {
  Ledger original;
  RegisterWide(original);
  BuildWide(original);
  const std::string all = original.export_journal();
  const std::string tail = original.export_journal(500);
  const std::string head = all.substr(0, all.size() - tail.size());

  Ledger copy;
  RegisterWide(copy);
  ASSERT_TRUE(Succeeded(copy.replay_journal(head)));
  const std::string at_head = copy.export_journal();
  // A long replay that fails on its last line leaves every list as it was.
  const std::string bad = tail + std::to_string(original.movement_count() + 1) +
                          "\tgift\t1\t1\t1\t\t\t\t\t\t\t\t\t" +
                          std::to_string(kT0 + 10'000 * kHour) + "\t\t\n";
  Result<std::size_t> failed = copy.replay_journal(bad);
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(copy.movement_count(), 500u);
  EXPECT_EQ(copy.export_journal(), at_head);
  EXPECT_TRUE(copy.verify().empty());
  ASSERT_TRUE(Succeeded(copy.replay_journal(tail)));
  ExpectSameReads(original, copy);
}

TEST(Layout, RollbackAcrossManyNewLevelsAndInvoices) {
  Ledger ledger;
  RegisterWide(ledger);
  BuildWide(ledger);
  const Checkpoint mark = ledger.checkpoint();
  const std::string journal = ledger.export_journal();
  const Result<ProductStock> stock_at_mark = ledger.product_stock(3'000);
  ASSERT_TRUE(Succeeded(stock_at_mark));
  std::vector<std::size_t> touched_at_mark;
  for (const Id w : WideWorkspaces())
    touched_at_mark.push_back(ledger.workspace_levels(w).size());

  // New levels for a new product in every workspace, in descending order of
  // index (each inserted first in the product's sorted list), then sales
  // under ids below and above every earlier one, and a void.
  Millis at = kT0 + 2'000 * kHour;
  const std::vector<Id> ws = WideWorkspaces();
  for (auto it = ws.rbegin(); it != ws.rend(); ++it) {
    const Id w = *it;
    PurchaseCommand p;
    p.workspace_id = w;
    p.items.push_back({3'000, U(5), std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(at += kMinute), p)));
  }
  for (const Id invoice : {Id{2}, Id{900'000}, Id{6}}) {
    SellCommand s;
    s.workspace_id = 7;
    s.invoice_id = invoice;
    s.lines.push_back({3'000, U(1)});
    ASSERT_TRUE(Succeeded(ledger.sell(Ctx(at += kMinute), s)));
  }
  VoidSaleCommand v;
  v.invoice_id = 900'000;
  ASSERT_TRUE(Succeeded(ledger.void_sale(Ctx(at += kMinute), v)));

  ledger.rollback(mark);
  EXPECT_EQ(ledger.export_journal(), journal);
  EXPECT_TRUE(ledger.verify().empty());
  Result<ProductStock> stock = ledger.product_stock(3'000);
  ASSERT_TRUE(Succeeded(stock));
  EXPECT_EQ(stock.value().total, stock_at_mark.value().total);
  ASSERT_EQ(stock.value().levels.size(), stock_at_mark.value().levels.size());
  for (std::size_t i = 0; i < stock.value().levels.size(); ++i) {
    EXPECT_EQ(stock.value().levels[i].quantity,
              stock_at_mark.value().levels[i].quantity)
        << i;
  }
  for (std::size_t i = 0; i < ws.size(); ++i) {
    EXPECT_EQ(ledger.workspace_levels(ws[i]).size(), touched_at_mark[i])
        << ws[i];
  }
  // The invoices are free again, and the ledger equals one that never saw them.
  Ledger fresh;
  RegisterWide(fresh);
  ASSERT_TRUE(Succeeded(fresh.replay_journal(journal)));
  for (Ledger* l : {&ledger, &fresh}) {
    PurchaseCommand p;
    p.workspace_id = 3;
    p.items.push_back({3'000, U(5), std::nullopt});
    ASSERT_TRUE(Succeeded(l->purchase(Ctx(at), p)));
    for (const Id invoice : {Id{6}, Id{900'000}}) {
      SellCommand s;
      s.workspace_id = 3;
      s.invoice_id = invoice;
      s.lines.push_back({3'000, U(1)});
      ASSERT_TRUE(Succeeded(l->sell(Ctx(at), s)));
    }
  }
  ExpectSameReads(fresh, ledger);
}

TEST(Layout, LinksThatAreNotTheDefaultSurviveReplayAndRollback) {
  // Transfer legs normally link to each other (implicit); a journal may carry
  // anything in range: none, another movement, a link on a purchase.
  const std::string first =
      "1\tpurchase\t78\t1\t40000\t\t1\t\t\t\t\t\t\t1774002600000\t\t\n";
  const std::string rest =
      "2\ttransfer_out\t78\t1\t-10000\t1\t2\t\t\t\t\t\t\t1774002600000\t\t\n"
      "3\ttransfer_in\t78\t2\t10000\t1\t2\t\t\t\t1\t\t\t1774002600000\t\t\n"
      "4\ttransfer_out\t78\t1\t-10000\t1\t2\t\t\t\t5\t\t\t1774002600000\t\t\n"
      "5\ttransfer_in\t78\t2\t10000\t1\t2\t\t\t\t4\t\t\t1774002600000\t\t\n"
      "6\tpurchase\t78\t1\t10000\t\t1\t\t\t\t2\t\t\t1774002600000\t\t\n";
  Ledger ledger;
  RegisterCatalog(ledger);
  ASSERT_TRUE(Succeeded(ledger.replay_journal(first)));
  const Checkpoint mark = ledger.checkpoint();
  ASSERT_TRUE(Succeeded(ledger.replay_journal(rest)));
  EXPECT_EQ(ledger.export_journal(), first + rest);
  EXPECT_EQ(Mv(ledger, 2).linked_movement_id, 0);
  EXPECT_EQ(Mv(ledger, 3).linked_movement_id, 1);
  EXPECT_EQ(Mv(ledger, 4).linked_movement_id, 5);
  EXPECT_EQ(Mv(ledger, 5).linked_movement_id, 4);
  EXPECT_EQ(Mv(ledger, 6).linked_movement_id, 2);
  ledger.rollback(mark);
  EXPECT_EQ(ledger.export_journal(), first);
  // The same positions, now written by commands, link by default again.
  TransferCommand t;
  t.product_id = kPremium;
  t.from_workspace_id = kMain;
  t.to_workspace_id = kWarehouse;
  t.quantity = U(1);
  ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0), t)));
  EXPECT_EQ(Mv(ledger, 2).linked_movement_id, 3);
  EXPECT_EQ(Mv(ledger, 3).linked_movement_id, 2);
  ASSERT_TRUE(Succeeded(ledger.replay_journal("")));
  Ledger copy;
  RegisterCatalog(copy);
  ASSERT_TRUE(Succeeded(copy.replay_journal(ledger.export_journal())));
  EXPECT_EQ(copy.export_journal(), ledger.export_journal());
}

// A level keeps its first five positions in place and the rest on the heap (position_list.h): a
// command that takes a level past five and back by rollback, one that takes it past again, and a
// replay of the same journal must read alike at every movement's time.
TEST(Layout, ALevelPastItsFivePositionsInPlaceAndBackByRollback) {
  Ledger ledger;
  RegisterCatalog(ledger);
  Millis at = kT0;
  const auto buy_a_bolt = [&] {
    PurchaseCommand p;
    p.workspace_id = kMain;
    p.items.push_back({kBolt, U(1), std::nullopt});
    return ledger.purchase(Ctx(at += kMinute), p);
  };
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(Succeeded(buy_a_bolt()));
  const Checkpoint mark = ledger.checkpoint();
  const std::string journal = ledger.export_journal();
  ASSERT_TRUE(Succeeded(buy_a_bolt()));  // four, then four sales: eight positions
  for (int i = 0; i < 4; ++i) {
    SellCommand s;
    s.workspace_id = kMain;
    s.invoice_id = 100 + i;
    s.lines.push_back({kBolt, U(1)});
    ASSERT_TRUE(Succeeded(ledger.sell(Ctx(at += kMinute), s)));
  }
  ASSERT_EQ(ledger.level(kBolt, kMain), 0);
  ledger.rollback(mark);
  EXPECT_EQ(ledger.export_journal(), journal);
  EXPECT_EQ(ledger.level(kBolt, kMain), U(3));
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(Succeeded(buy_a_bolt()));  // nine bolts: past five again
  EXPECT_TRUE(ledger.verify().empty());

  Ledger copy;
  RegisterCatalog(copy);
  ASSERT_TRUE(Succeeded(copy.replay_journal(ledger.export_journal())));
  MovementFilter bolts;
  bolts.product_id = kBolt;
  bolts.workspace_id = kMain;
  const MovementPage listed = ledger.list_movements(bolts, PageRequest{1, 100, {}});
  ASSERT_EQ(listed.total, 9);
  for (const Ledger* l : {&ledger, &copy}) {
    EXPECT_EQ(l->level(kBolt, kMain), U(9));
    EXPECT_EQ(l->list_movements(bolts, PageRequest{1, 100, {}}).total, 9);
    for (int k = 0; k < 9; ++k) {  // each bolt's purchase, newest first: before it, k fewer bolts
      const Movement& m = listed.items[static_cast<std::size_t>(k)];
      EXPECT_EQ(l->level_before(kBolt, kMain, m.created_at), U(8 - k)) << k;
      EXPECT_EQ(l->level_before(kBolt, kMain, m.created_at + 1), U(9 - k)) << k;
    }
  }
}

// Replay puts the level and workspace lists it grows into one pool (LedgerState::index_positions).
// A rollback of that replay, or a replay that fails, frees the pool: the lists that were in it
// before (one in place, one with a heap block, the workspace's) must be back in room of their own,
// unchanged (under ASan, any list left in the freed pool is a use after free when it is read or
// appended to below; with the workspace lists left there, it is).
TEST(Layout, ARolledBackReplayTakesItsListsOutOfThePoolItFrees) {
  Ledger source;
  RegisterCatalog(source);
  Millis at = kT0;
  const auto buy = [&](Ledger& ledger, Id product, int count) {
    for (int i = 0; i < count; ++i) {
      PurchaseCommand p;
      p.workspace_id = kMain;
      p.items.push_back({product, U(1), std::nullopt});
      ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(at += kMinute), p)));
    }
  };
  buy(source, kBolt, 3);   // three positions in place
  buy(source, kPremium, 8);  // eight on the heap
  const std::string before = source.export_journal();
  const std::size_t movements_before = source.movement_count();
  buy(source, kBolt, 6);
  buy(source, kPremium, 20);
  buy(source, kFlour, 7);
  const std::string tail = source.export_journal(static_cast<Id>(movements_before));

  Ledger ledger;
  RegisterCatalog(ledger);
  ASSERT_TRUE(Succeeded(ledger.replay_journal(before)));
  const Checkpoint mark = ledger.checkpoint();
  ASSERT_TRUE(Succeeded(ledger.replay_journal(tail)));
  ASSERT_EQ(ledger.export_journal(), source.export_journal());
  ASSERT_TRUE(ledger.rollback(mark));
  EXPECT_EQ(ledger.export_journal(), before);
  EXPECT_EQ(ledger.level(kBolt, kMain), U(3));
  EXPECT_EQ(ledger.level(kPremium, kMain), U(8));
  EXPECT_TRUE(ledger.verify().empty());

  // A replay whose last line is wrong fails after its lists were filled, and is rolled back too.
  std::string broken = tail;
  broken.replace(broken.rfind("purchase"), 8, "purchaze");
  EXPECT_FALSE(Succeeded(ledger.replay_journal(broken)));
  EXPECT_EQ(ledger.export_journal(), before);
  EXPECT_TRUE(ledger.verify().empty());

  // The lists take appends again, and the same replay lands as it did the first time.
  ASSERT_TRUE(Succeeded(ledger.replay_journal(tail)));
  EXPECT_EQ(ledger.export_journal(), source.export_journal());
  MovementFilter premiums;
  premiums.product_id = kPremium;
  premiums.workspace_id = kMain;
  EXPECT_EQ(ledger.list_movements(premiums, PageRequest{1, 100, {}}).total, 28);
  EXPECT_EQ(ledger.level_before(kPremium, kMain, kT0 + 11 * kMinute + 1), U(8));
  EXPECT_TRUE(ledger.verify().empty());
}

// Minimums live in a side table beside their levels (a level only flags that
// it has one). Every way a minimum changes: a command, a load, zero, and
// rollback across levels created since the mark, one of them by a load.
TEST(Layout, MinimumsBesideTheirLevelsThroughCommandsLoadsAndRollback) {
  Ledger ledger;
  RegisterWide(ledger);
  BuildWide(ledger);
  const std::vector<Id> ws = WideWorkspaces();
  const std::vector<Id> ps = WideProducts();
  std::map<std::pair<Id, Id>, Raw> expected;
  const auto set = [&](Id product, Id workspace, Raw minimum) {
    SetMinimumCommand m;
    m.product_id = product;
    m.workspace_id = workspace;
    m.minimum = minimum;
    ASSERT_TRUE(Succeeded(ledger.set_minimum(Ctx(kT0), m)));
    expected[{product, workspace}] = minimum;
  };
  const auto expect_all = [&](const Ledger& l, const std::map<std::pair<Id, Id>, Raw>& want) {
    for (const Id p : ps) {
      for (const Id w : ws) {
        const auto it = want.find({p, w});
        EXPECT_EQ(l.minimum(p, w), it == want.end() ? 0 : it->second) << p << " in " << w;
      }
    }
    for (const Id w : ws) {
      for (const LevelView& v : l.workspace_levels(w)) {
        const auto it = want.find({v.product_id, w});
        EXPECT_EQ(v.minimum, it == want.end() ? 0 : it->second) << v.product_id << " in " << w;
      }
      for (const LowStockEntry& low : l.low_stock(w)) {
        EXPECT_TRUE(low.level.quantity < 0 || low.level.quantity <= low.level.minimum) << low.level.product_id;
        EXPECT_EQ(low.shortage, low.level.minimum - low.level.quantity);
      }
    }
  };
  for (std::size_t i = 0; i < ps.size(); ++i) set(ps[i], ws[(i * 7) % ws.size()], U(static_cast<Raw>(i) + 1));
  set(ps[0], ws[0], 0);  // a minimum cleared
  set(ps[1], ws[5], U(2'000'000));  // every level of it is low now
  expect_all(ledger, expected);
  EXPECT_FALSE(ledger.low_stock(ws[5]).empty());

  const Checkpoint mark = ledger.checkpoint();
  const auto at_mark = expected;
  set(ps[2], ws[1], U(77));               // overwritten
  set(ps[3], ws[(3 * 7) % ws.size()], 0);  // cleared
  set(3'000, ws[2], U(5));                // a level created by the command
  ASSERT_TRUE(Succeeded(ledger.load_minimum({ps[4], ws[3], U(9)})));  // and one by a load
  expected[{ps[4], ws[3]}] = U(9);
  expect_all(ledger, expected);
  ledger.rollback(mark);
  expect_all(ledger, at_mark);
  EXPECT_TRUE(ledger.verify().empty());

  // The levels rolled back come back without their minimums.
  PurchaseCommand p;
  p.workspace_id = ws[2];
  p.items.push_back({3'000, U(1), std::nullopt});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + 9'000 * kHour), p)));
  EXPECT_EQ(ledger.minimum(3'000, ws[2]), 0);
  expect_all(ledger, at_mark);
}

// Records share their context (actor, texts, a transfer's other workspace) through a side table:
// contexts without texts are found again by actor and workspace, and the ones a rollback removes
// must be forgotten there too, or a later record would take the context now at their index.
TEST(Layout, ContextsSharedByRecordsAndForgottenByRollback) {
  Ledger ledger;
  RegisterCatalog(ledger);
  Buy(ledger, kMain, kPremium, U(100));
  TransferCommand t;
  t.product_id = kPremium;
  t.from_workspace_id = kMain;
  t.to_workspace_id = kWarehouse;
  t.quantity = U(1);
  const Checkpoint mark = ledger.checkpoint();
  ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0, 7, "Ann"), t)));  // two contexts, then gone
  ledger.rollback(mark);
  SellCommand sale;
  sale.workspace_id = kMain;
  sale.invoice_id = 1;
  sale.lines.push_back({kPremium, U(2)});
  ASSERT_TRUE(Succeeded(ledger.sell(Ctx(kT0, 8, "Bo"), sale)));  // where Ann's first context was
  for (int i = 0; i < 2; ++i) ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0, 7, "Ann"), t)));
  t.reference = "TR-9";
  t.to_workspace_id = kOutlet;
  ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(kT0, 7, "Ann"), t)));  // one text, two contexts

  const auto expect_history = [](const Ledger& l) {
    const Movement sold = Mv(l, 2);
    EXPECT_EQ(sold.created_by.id, 8);
    EXPECT_EQ(sold.created_by.name, "Bo");
    EXPECT_EQ(sold.to_workspace_id, 0);
    for (Id out = 3; out <= 7; out += 2) {
      const Id to = out == 7 ? kOutlet : kWarehouse;
      for (const Movement& m : {Mv(l, out), Mv(l, out + 1)}) {
        EXPECT_EQ(m.created_by.id, 7) << m.id;
        EXPECT_EQ(m.created_by.name, "Ann") << m.id;
        EXPECT_EQ(m.from_workspace_id, kMain) << m.id;
        EXPECT_EQ(m.to_workspace_id, to) << m.id;
        EXPECT_EQ(m.reference, out == 7 ? "TR-9" : "") << m.id;
      }
    }
  };
  expect_history(ledger);
  Ledger copy;
  RegisterCatalog(copy);
  ASSERT_TRUE(Succeeded(copy.replay_journal(ledger.export_journal())));
  expect_history(copy);
  EXPECT_EQ(copy.export_journal(), ledger.export_journal());
}

// A record keeps its time in 56 bits beside its type and flags: the latest time a command may
// carry comes back whole with the flags beside it, and a later one is refused, changing nothing.
TEST(Layout, TheLatestTimeFitsBesideTheFlagsAndALaterOneIsRefused) {
  Ledger ledger;
  RegisterCatalog(ledger);
  PurchaseCommand p;
  p.workspace_id = kMain;
  p.items.push_back({kPremium, U(5), U(3)});
  ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kLatestTime), p)));
  AdjustCommand a;
  a.workspace_id = kMain;
  a.items.push_back({kPremium, U(-1), Reason::kDamaged, "", std::nullopt});
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kLatestTime + 1), a), ErrorCode::kValidationFailed, "at"));
  EXPECT_TRUE(FailedWith(ledger.adjust(Ctx(kEarliestTime - 1), a), ErrorCode::kValidationFailed, "at"));
  EXPECT_EQ(ledger.movement_count(), 1u);
  ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), a)));  // time never goes back: stamped kLatestTime
  const Movement bought = Mv(ledger, 1);
  EXPECT_EQ(bought.created_at, kLatestTime);
  EXPECT_EQ(bought.type, MovementType::kPurchase);
  EXPECT_EQ(bought.unit_cost, U(3));
  const Movement damaged = Mv(ledger, 2);
  EXPECT_EQ(damaged.created_at, kLatestTime);
  EXPECT_EQ(damaged.type, MovementType::kAdjustment);
  EXPECT_EQ(damaged.reason, Reason::kDamaged);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(4));
}

// Low stock reads only its workspace's watched levels (those with a minimum or below zero). A level
// a rollback removes leaves that list too: a later level at the same index, in another workspace,
// must not show in the first one's low stock.
TEST(Layout, LowStockWatchesTheLevelsThatCanBeLowAndForgetsTheOnesRolledBack) {
  Ledger ledger;
  RegisterCatalog(ledger);
  const auto lose = [&](Id workspace, Id product, Raw quantity) {
    AdjustCommand a;
    a.workspace_id = workspace;
    a.items.push_back({product, -quantity, Reason::kLost, "", std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(kT0), a)));
  };
  const auto low = [&](Id workspace) {
    std::vector<std::pair<Id, Raw>> out;
    for (const LowStockEntry& e : ledger.low_stock(workspace)) {
      EXPECT_EQ(e.level.workspace_id, workspace);
      out.emplace_back(e.level.product_id, e.shortage);
    }
    return out;
  };
  using Lows = std::vector<std::pair<Id, Raw>>;
  const Checkpoint empty = ledger.checkpoint();
  lose(kOutlet, kFlour, U(5));  // the first level, below zero
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kBolt, kOutlet, U(2)})));  // the second, with a minimum
  EXPECT_EQ(low(kOutlet), (Lows{{kFlour, U(5)}, {kBolt, U(2)}}));
  ledger.rollback(empty);
  EXPECT_EQ(low(kOutlet), Lows{});
  lose(kWarehouse, kFlour, U(2));  // the same two indexes, in another workspace
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kBolt, kWarehouse, U(1)})));
  EXPECT_EQ(low(kOutlet), Lows{});
  EXPECT_EQ(low(kWarehouse), (Lows{{kFlour, U(2)}, {kBolt, U(1)}}));

  // Back above zero and without a minimum: still watched, no longer low; and low again.
  Buy(ledger, kWarehouse, kFlour, U(3));
  SetMinimumCommand m;
  m.product_id = kBolt;
  m.workspace_id = kWarehouse;
  ASSERT_TRUE(Succeeded(ledger.set_minimum(Ctx(kT0), m)));
  EXPECT_EQ(low(kWarehouse), Lows{});
  lose(kWarehouse, kFlour, U(4));
  EXPECT_EQ(low(kWarehouse), (Lows{{kFlour, U(3)}}));
  // A rollback that takes a level below zero again. Back above zero, it was more than half of its
  // list (flour alone: the bolt has no minimum now) and left it; the rollback watches it again.
  const Checkpoint negative = ledger.checkpoint();
  Buy(ledger, kWarehouse, kFlour, U(10));
  EXPECT_EQ(low(kWarehouse), Lows{});
  ledger.rollback(negative);
  EXPECT_EQ(low(kWarehouse), (Lows{{kFlour, U(3)}}));

  // Many dips below zero and back: the list is compacted as it goes, and what is low stays found.
  for (int i = 0; i < 50; ++i) {
    lose(kWarehouse, kFlour, U(1));
    Buy(ledger, kWarehouse, kFlour, U(1));
  }
  EXPECT_EQ(low(kWarehouse), (Lows{{kFlour, U(3)}}));
  // New levels rolled back while the list is compacted under them: two with minimums (removing each
  // minimum counts a stale entry), one below zero.
  const Checkpoint three = ledger.checkpoint();
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kBolt, kOutlet, U(2)})));
  ASSERT_TRUE(Succeeded(ledger.load_minimum({kOil, kOutlet, U(2)})));
  lose(kOutlet, kFlour, U(1));
  Buy(ledger, kOutlet, kFlour, U(1));
  EXPECT_EQ(low(kOutlet), (Lows{{kBolt, U(2)}, {kOil, U(2)}}));
  ledger.rollback(three);
  EXPECT_EQ(low(kOutlet), Lows{});
  EXPECT_EQ(low(kWarehouse), (Lows{{kFlour, U(3)}}));
  lose(kOutlet, kFlour, U(2));  // a level at an index the rollback freed
  EXPECT_EQ(low(kOutlet), (Lows{{kFlour, U(2)}}));
}

// Actors are interned by id and name, the last one found answering first: a command by the same id
// under another name (a rename) is that name's, and the first name's again after it.
TEST(Layout, AnActorIsNamedAsEachCommandNamesIt) {
  Ledger ledger;
  RegisterCatalog(ledger);
  PurchaseCommand p;
  p.workspace_id = kMain;
  p.items = {{kPremium, U(1), std::nullopt}, {kBolt, U(1), std::nullopt}};
  const std::vector<std::pair<Id, std::string>> by = {
      {7, "Ann"}, {7, "Ann B."}, {8, "Ann"}, {7, "Ann"}, {0, ""}};
  for (const auto& [id, name] : by) ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0, id, name), p)));
  for (std::size_t i = 0; i < by.size(); ++i) {
    for (const Id m : {static_cast<Id>(2 * i + 1), static_cast<Id>(2 * i + 2)}) {
      EXPECT_EQ(Mv(ledger, m).created_by.id, by[i].first) << m;
      EXPECT_EQ(Mv(ledger, m).created_by.name, by[i].second) << m;
    }
  }
}

}  // namespace
}  // namespace stockroom::testing
