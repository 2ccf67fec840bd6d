// Journal replay settles levels and balances after parsing the lines
// (core/src/replay_levels.h). These tests hold it to what a line-by-line
// replay did: the first error in line order wins (an overflow on an early
// line before a syntax error on a later one), line numbers count blank lines,
// a failed replay leaves the ledger exactly as it was (levels it created
// included), and both ways of finding levels (the dense table for a catalog
// that is small beside the journal, per-product lists otherwise) agree.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "test_support.h"

namespace stockroom::testing {
namespace {

std::string Line(Id id, Id product, Id workspace, Raw quantity, Millis at) {
  return std::to_string(id) + "\tpurchase\t" + std::to_string(product) + "\t" +
         std::to_string(workspace) + "\t" + std::to_string(quantity) + "\t\t" +
         std::to_string(workspace) + "\t\t\t\t\t\t\t" + std::to_string(at) +
         "\t\t\n";
}

constexpr Raw kHuge = std::numeric_limits<Raw>::max() - 10;

// The ledger is unchanged by a failed replay: movements, levels, lists.
void ExpectUnchanged(const Ledger& ledger, const std::string& journal_before,
                     std::size_t main_levels) {
  EXPECT_EQ(ledger.export_journal(), journal_before);
  EXPECT_TRUE(ledger.verify().empty());
  EXPECT_EQ(ledger.workspace_levels(kMain).size(), main_levels);
  EXPECT_EQ(ledger.workspace_levels(kOutlet).size(), 0u);
}

TEST(ReplaySettle, AnOverflowOnAnEarlierLineIsTheError) {
  Ledger ledger;
  RegisterCatalog(ledger);
  const std::string journal =
      Line(1, kPremium, kMain, kHuge, kT0) +
      Line(2, kBolt, kOutlet, U(1), kT0) +
      Line(3, kPremium, kMain, 100, kT0) +           // overflows
      "4\tgift\t78\t1\t1\t\t\t\t\t\t\t\t\t1\t\t\n";  // and a bad type later
  const Result<std::size_t> r = ledger.replay_journal(journal);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidationFailed);
  EXPECT_NE(r.error().message.find("Journal line 3: the level overflows"),
            std::string::npos)
      << r.error().message;
  ExpectUnchanged(ledger, "", 0);
  EXPECT_EQ(ledger.level(kPremium, kMain), 0);
}

TEST(ReplaySettle, ASyntaxErrorBeforeAnyOverflowIsTheError) {
  Ledger ledger;
  RegisterCatalog(ledger);
  const std::string journal = Line(1, kPremium, kMain, kHuge, kT0) +
                              "2\tgift\t78\t1\t1\t\t\t\t\t\t\t\t\t1\t\t\n" +
                              Line(3, kPremium, kMain, 100, kT0);
  const Result<std::size_t> r = ledger.replay_journal(journal);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Journal line 2: unknown movement type"),
            std::string::npos)
      << r.error().message;
  ExpectUnchanged(ledger, "", 0);
}

TEST(ReplaySettle, LineNumbersCountBlankLines) {
  Ledger ledger;
  RegisterCatalog(ledger);
  const std::string journal = "\n\n" + Line(1, kPremium, kMain, kHuge, kT0) +
                              "\n" + Line(2, kPremium, kMain, 11, kT0);
  const Result<std::size_t> r = ledger.replay_journal(journal);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Journal line 5: the level overflows"),
            std::string::npos)
      << r.error().message;
  ExpectUnchanged(ledger, "", 0);
}

// A replay parses a long journal in pieces of 256 KB (journal.cc, kReplayPiece): 12,000 lines of ~50
// bytes with blank lines between them span three pieces. Line numbers, the first error in line order
// and the all-or-nothing rule hold across the pieces' ends.
std::string LongJournal(std::size_t lines, std::size_t blank_every, std::size_t* blank_lines) {
  std::string journal;
  *blank_lines = 0;
  for (std::size_t i = 1; i <= lines; ++i) {
    if (i % blank_every == 0) {
      journal += '\n';
      ++*blank_lines;
    }
    const Id product = i % 2 == 0 ? kPremium : kBolt;
    journal += Line(static_cast<Id>(i), product, kMain, U(1), kT0 + static_cast<Millis>(i));
  }
  return journal;
}

TEST(ReplaySettle, AJournalOfSeveralPiecesReadsLikeOne) {
  std::size_t blanks = 0;
  const std::string journal = LongJournal(12'000, 997, &blanks);
  ASSERT_GT(journal.size(), 2u * (256u << 10));
  Ledger ledger;
  RegisterCatalog(ledger);
  const Result<std::size_t> r = ledger.replay_journal(journal);
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.value(), 12'000u);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(6'000));
  EXPECT_EQ(ledger.level(kBolt, kMain), U(6'000));
  std::string without_blanks;
  for (std::size_t i = 0; i < journal.size(); ++i) {
    if (!(journal[i] == '\n' && (i == 0 || journal[i - 1] == '\n'))) without_blanks += journal[i];
  }
  EXPECT_EQ(ledger.export_journal(), without_blanks);
  EXPECT_TRUE(ledger.verify().empty());
}

TEST(ReplaySettle, ErrorsInALaterPieceNameTheirLineAndChangeNothing) {
  std::size_t blanks = 0;
  std::string journal = LongJournal(12'000, 997, &blanks);
  // Movement 11,500 (in the third piece) gets an unknown type: its line counts the blank lines before it.
  const std::string bad_id = "11500\t";
  const std::size_t at = journal.find("\n" + bad_id) + 1;
  journal.replace(at + bad_id.size(), std::string("purchase").size(), "gift");
  const std::size_t line = 11'500 + 11'500 / 997;
  Ledger ledger;
  RegisterCatalog(ledger);
  const Result<std::size_t> r = ledger.replay_journal(journal);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Journal line " + std::to_string(line) + ": unknown movement type"),
            std::string::npos)
      << r.error().message;
  ExpectUnchanged(ledger, "", 0);

  // An overflow in the first piece comes first, though the bad type was parsed two pieces later.
  const std::string overflowing = Line(1, kBolt, kMain, kHuge, kT0) + journal.substr(journal.find('\n') + 1);
  const Result<std::size_t> first = ledger.replay_journal(overflowing);
  ASSERT_FALSE(first.ok());
  EXPECT_NE(first.error().message.find("Journal line 3: the level overflows"), std::string::npos)
      << first.error().message;
  ExpectUnchanged(ledger, "", 0);
}

// A journal of several pieces lands as the same lines replayed 500 at a time do: a level that dips
// below zero in the first piece and recovers later is not low, one that goes below zero in the last
// piece is, and every level and list agrees.
TEST(ReplaySettle, AJournalOfSeveralPiecesLandsAsSmallReplaysDo) {
  std::vector<std::string> lines;
  Raw bolt = 0;
  Raw premium = 0;
  Raw lowest_bolt = 0;
  for (Id id = 1; id <= 18'000; ++id) {
    if (id % 3 == 0) {
      const Raw q = id <= 3'000 ? -U(1) : U(1);  // below zero over the first piece, then back up
      lines.push_back(Line(id, kBolt, kMain, q, kT0 + id));
      lowest_bolt = std::min(lowest_bolt, bolt += q);
    } else if (id % 3 == 1) {
      const Raw q = id <= 17'000 ? U(1) : -U(20);  // below zero in the last piece
      lines.push_back(Line(id, kPremium, kOutlet, q, kT0 + id));
      premium += q;
    } else {
      lines.push_back(Line(id, kFlour, id % 2 == 0 ? kWarehouse : kMain, U(2), kT0 + id));
    }
  }
  ASSERT_LT(lowest_bolt, 0);
  ASSERT_GT(bolt, 0);
  ASSERT_LT(premium, 0);
  std::string journal;
  for (const std::string& line : lines) journal += line;
  ASSERT_GT(journal.size(), 3u * (256u << 10));  // four pieces at least

  Ledger whole;
  RegisterCatalog(whole);
  ASSERT_TRUE(Succeeded(whole.replay_journal(journal)));
  Ledger by_parts;
  RegisterCatalog(by_parts);
  for (std::size_t first = 0; first < lines.size(); first += 500) {
    std::string part;
    for (std::size_t i = first; i < first + 500 && i < lines.size(); ++i) part += lines[i];
    ASSERT_TRUE(Succeeded(by_parts.replay_journal(part)));
  }

  EXPECT_EQ(whole.export_journal(), journal);
  EXPECT_EQ(by_parts.export_journal(), journal);
  EXPECT_EQ(whole.level(kBolt, kMain), bolt);
  EXPECT_EQ(whole.level(kPremium, kOutlet), premium);
  for (const Id ws : {kMain, kWarehouse, kOutlet}) {
    const std::vector<LowStockEntry> low = whole.low_stock(ws);
    const std::vector<LowStockEntry> expected = by_parts.low_stock(ws);
    ASSERT_EQ(low.size(), expected.size()) << "workspace " << ws;
    for (std::size_t i = 0; i < low.size(); ++i) {
      EXPECT_EQ(low[i].level.product_id, expected[i].level.product_id);
      EXPECT_EQ(low[i].level.quantity, expected[i].level.quantity);
    }
    for (const Id product : {kBolt, kPremium, kFlour}) {
      EXPECT_EQ(whole.level(product, ws), by_parts.level(product, ws));
      MovementFilter filter;
      filter.product_id = product;
      filter.workspace_id = ws;
      EXPECT_EQ(whole.list_movements(filter, PageRequest{1, 100, {}}).total,
                by_parts.list_movements(filter, PageRequest{1, 100, {}}).total);
    }
  }
  ASSERT_EQ(whole.low_stock(kOutlet).size(), 1u);
  EXPECT_EQ(whole.low_stock(kOutlet)[0].level.product_id, kPremium);
  EXPECT_TRUE(whole.low_stock(kMain).empty());
  EXPECT_TRUE(whole.verify().empty());
  EXPECT_TRUE(by_parts.verify().empty());
}

TEST(ReplaySettle, AFailedReplayOnTopOfALedgerKeepsItsLevelsAndDropsNewOnes) {
  Ledger ledger;
  RegisterCatalog(ledger);
  Buy(ledger, kMain, kPremium, U(100));
  const std::string before = ledger.export_journal();
  // A new level at the outlet, more on the existing one, then an overflow
  // there.
  const std::string journal = Line(2, kBolt, kOutlet, U(5), kT0) +
                              Line(3, kPremium, kMain, U(1), kT0) +
                              Line(4, kPremium, kMain, kHuge, kT0);
  ASSERT_FALSE(ledger.replay_journal(journal).ok());
  ExpectUnchanged(ledger, before, 1);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(100));
  EXPECT_EQ(ledger.level(kBolt, kOutlet), 0);
  // Without the last line it settles on top of the existing level.
  const Result<std::size_t> ok = ledger.replay_journal(journal.substr(
      0, journal.size() - Line(4, kPremium, kMain, kHuge, kT0).size()));
  ASSERT_TRUE(Succeeded(ok));
  EXPECT_EQ(ok.value(), 2u);
  EXPECT_EQ(ledger.level(kPremium, kMain), U(101));
  EXPECT_EQ(Mv(ledger, 3).balance_after, U(101));
  EXPECT_EQ(Mv(ledger, 2).balance_after, U(5));
  EXPECT_TRUE(ledger.verify().empty());
}

// 300 x 300 = 90,000 product x workspace pairs: more than the dense table's
// budget for a journal of a few thousand lines (max(4 per line, 65,536)), so
// this replay finds levels through the per-product lists.
constexpr Id kWide = 300;

// Workspaces 1..workspaces and products 1..products; every seventh product may go below zero.
void RegisterWide(Ledger& ledger, Id workspaces = kWide, Id products = kWide) {
  for (Id w = 1; w <= workspaces; ++w)
    ASSERT_TRUE(
        Succeeded(ledger.upsert_workspace(Ws(w, "W" + std::to_string(w)))));
  for (Id p = 1; p <= products; ++p) {
    ASSERT_TRUE(Succeeded(ledger.upsert_product(
        Prod(p, "S" + std::to_string(p), "P" + std::to_string(p), 0, true, p % 7 == 0))));
  }
}

// Purchases, transfers and losses (taking the products that may go below zero there) over scattered
// pairs.
void BuildScattered(Ledger& ledger, Id workspaces, Id products) {
  Millis at = kT0;
  for (Id k = 0; k < 3'000; ++k) {
    const Id product = 1 + (k * 37) % products;
    const Id home = 1 + (k * 11) % workspaces;
    PurchaseCommand p;
    p.workspace_id = home;
    p.items.push_back({product, U(10 + k % 7), std::nullopt});
    ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(at += kMinute), p)));
    if (product % 7 == 0 && k % 2 == 0) {
      AdjustCommand a;
      a.workspace_id = home;
      a.items.push_back({product, U(-25), Reason::kLost, "", std::nullopt});
      ASSERT_TRUE(Succeeded(ledger.adjust(Ctx(at += kMinute), a)));
    }
    if (k % 3 == 0 && product % 7 != 0) {  // a transfer never takes a level below zero
      TransferCommand t;
      t.product_id = product;
      t.from_workspace_id = home;
      t.to_workspace_id = 1 + (k * 13 + 5) % workspaces;
      if (t.to_workspace_id == home) continue;
      t.quantity = U(3);
      ASSERT_TRUE(Succeeded(ledger.transfer(Ctx(at += kMinute), t)));
    }
  }
}

// Low stock (here: the levels below zero) in every workspace, as one list.
std::vector<std::pair<Id, Raw>> AllLowStock(const Ledger& ledger, Id workspaces) {
  std::vector<std::pair<Id, Raw>> out;
  for (Id w = 1; w <= workspaces; ++w) {
    for (const LowStockEntry& e : ledger.low_stock(w)) {
      EXPECT_EQ(e.level.workspace_id, w);
      out.emplace_back(w * 1'000 + e.level.product_id, e.level.quantity);
    }
  }
  return out;
}

void ExpectReplayAgrees(Ledger& original, Ledger& copy, Id workspaces,
                        Id products) {
  const std::vector<std::pair<Id, Raw>> low = AllLowStock(original, workspaces);
  EXPECT_GE(low.size(), 3u);  // some levels below zero, for the replay to find
  const std::string journal = original.export_journal();
  const Result<std::size_t> r = copy.replay_journal(journal);
  ASSERT_TRUE(Succeeded(r));
  EXPECT_EQ(r.value(), original.movement_count());
  EXPECT_EQ(copy.export_journal(), journal);
  EXPECT_TRUE(copy.verify().empty());
  for (Id w = 1; w <= workspaces; ++w) {
    EXPECT_EQ(copy.workspace_levels(w).size(),
              original.workspace_levels(w).size())
        << w;
    for (Id p = 1; p <= products; ++p)
      ASSERT_EQ(copy.level(p, w), original.level(p, w)) << p << "@" << w;
  }
  EXPECT_EQ(AllLowStock(copy, workspaces), low);
  // An overflow at the end undoes the whole replay in this ledger too.
  const auto next = static_cast<Id>(copy.movement_count()) + 1;
  const Millis later = kT0 + 100'000 * kMinute;
  const std::string bad = Line(next, 1, 1, U(1), later) +
                          Line(next + 1, products, workspaces, kHuge, later) +
                          Line(next + 2, products, workspaces, kHuge, later);
  const Result<std::size_t> failed = copy.replay_journal(bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("Journal line 3: the level overflows"),
            std::string::npos)
      << failed.error().message;
  EXPECT_EQ(copy.export_journal(), journal);
  EXPECT_TRUE(copy.verify().empty());
  EXPECT_EQ(copy.level(1, 1), original.level(1, 1));
  EXPECT_EQ(copy.level(products, workspaces),
            original.level(products, workspaces));
  EXPECT_EQ(AllLowStock(copy, workspaces), low);
}

TEST(ReplaySettle, WithoutTheDenseTable) {
  Ledger original;
  RegisterWide(original);
  BuildScattered(original, kWide, kWide);
  Ledger copy;
  RegisterWide(copy);
  ExpectReplayAgrees(original, copy, kWide, kWide);
}

TEST(ReplaySettle, WithTheDenseTable) {
  Ledger original;
  RegisterWide(original);
  BuildScattered(original, 20,
                 40);  // only 800 pairs used, but the same catalog
  Ledger copy;
  // A catalog of 20 x 40 = 800 pairs: within the dense table's budget.
  RegisterWide(copy, 20, 40);
  ExpectReplayAgrees(original, copy, 20, 40);
}

}  // namespace
}  // namespace stockroom::testing
