// How many lines a replay reserves its records for (core/src/journal_lines.h):
// a small journal's lines are counted; a large one's are estimated from
// windows spread across it, a little above the count for an even journal. A
// journal whose short lines all fall between the windows misleads the
// estimate, and its replay still lands exactly: it counts the rest when the
// room runs low, moving what it has appended so far. (Debug builds, the ASan
// run, also assert in the replay that no piece outgrew its room: with the
// count of the rest taken out, this test fails there.)
#include "../../core/src/journal_lines.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "test_support.h"

namespace stockroom::testing {
namespace {

using journal::count_lines;
using journal::estimate_lines;
using journal::kCountedJournal;

// A purchase line of the journal form (docs/journal-format.md), with notes.
std::string Purchase(Id id, Id product, Millis at, const std::string& notes) {
  return std::to_string(id) + "\tpurchase\t" + std::to_string(product) + "\t" + std::to_string(kMain) +
         "\t" + std::to_string(U(1)) + "\t\t" + std::to_string(kMain) + "\t\t\t\t\t\t\t" +
         std::to_string(at) + "\t\t" + notes + "\n";
}

// Lines with notes of 0-40 bytes, from id `first`, until the journal holds `bytes`.
std::string EvenJournal(Id first, std::size_t bytes) {
  std::mt19937 rng(20261130);
  std::string journal;
  for (Id id = first; journal.size() < bytes; ++id) {
    journal += Purchase(id, id % 2 == 0 ? kBolt : kPremium, kT0 + id, std::string(rng() % 41, 'n'));
  }
  return journal;
}

TEST(JournalLines, ASmallJournalIsCounted) {
  const std::string journal = EvenJournal(1, 100'000);
  const journal::LineCount count = estimate_lines(journal);
  EXPECT_TRUE(count.exact);
  EXPECT_EQ(count.lines, count_lines(journal));
  EXPECT_EQ(count_lines(""), 1u);
  EXPECT_EQ(count_lines("a\nb"), 2u);
  EXPECT_EQ(count_lines("a\nb\n"), 3u);  // the empty "line" after the last newline
}

TEST(JournalLines, AnEvenLargeJournalIsEstimatedALittleAboveItsCount) {
  const std::string journal = EvenJournal(1, 3 * kCountedJournal);
  const std::size_t lines = count_lines(journal);
  const journal::LineCount count = estimate_lines(journal);
  EXPECT_FALSE(count.exact);
  EXPECT_GE(count.lines, lines);
  EXPECT_LE(count.lines, lines + lines / 32 + lines / 100);  // the 1/32 and 1 % of sampling
}

// Where estimate_lines looks, for a journal of `bytes` (a copy of its arithmetic, so that the test
// can put lines where it does not look).
bool NearAWindow(std::size_t offset, std::size_t bytes, std::size_t margin) {
  constexpr std::size_t kWindow = 16 << 10;
  const std::size_t step = (bytes - kWindow) / 31;
  for (std::size_t i = 0; i < 32; ++i) {
    const std::size_t start = i * step;
    if (offset + margin >= start && offset < start + kWindow + margin) return true;
  }
  return false;
}

// A journal of about `bytes` from id `first`: short lines over its first third and, after that,
// between the estimate's windows; long lines (2,000 bytes of notes) in and near the windows. The
// windows see far fewer lines than there are, but enough that the replay appends thousands of
// records before its room runs low.
std::string MisleadingJournal(Id first, std::size_t bytes) {
  constexpr std::size_t kMargin = 8 << 10;  // the journal ends within a long line of `bytes`
  std::string journal;
  for (Id id = first; journal.size() < bytes; ++id) {
    const bool dense = journal.size() < bytes / 3 || !NearAWindow(journal.size(), bytes, kMargin);
    journal += Purchase(id, id % 2 == 0 ? kBolt : kPremium, kT0 + id, dense ? "" : std::string(2'000, 'x'));
  }
  return journal;
}

TEST(JournalLines, AReplayTheEstimateMisleadsCountsTheRestAndLandsExactly) {
  Ledger ledger;
  RegisterCatalog(ledger);
  const std::string before = EvenJournal(1, 20'000);
  ASSERT_TRUE(Succeeded(ledger.replay_journal(before)));
  const auto movements_before = static_cast<Id>(ledger.movement_count());

  const std::string journal = MisleadingJournal(movements_before + 1, 2 * kCountedJournal);
  const std::size_t lines = count_lines(journal) - 1;  // it ends with a newline
  const journal::LineCount count = estimate_lines(journal);
  ASSERT_FALSE(count.exact);
  // Short by far more than its 1/32, yet enough for several pieces of the replay before it runs out.
  ASSERT_LT(count.lines, lines / 2);
  ASSERT_GT(count.lines, 15'000u);

  const Result<std::size_t> replayed = ledger.replay_journal(journal);
  ASSERT_TRUE(Succeeded(replayed));
  EXPECT_EQ(replayed.value(), lines);
  EXPECT_EQ(ledger.export_journal(), before + journal);
  EXPECT_EQ(ledger.level(kBolt, kMain) + ledger.level(kPremium, kMain),
            U(1) * static_cast<Raw>(ledger.movement_count()));
  EXPECT_TRUE(ledger.verify().empty());
}

}  // namespace
}  // namespace stockroom::testing
