// Random-command properties of the Ledger, one test case per seed.
//
// Each seed runs STOCKROOM_PROPS_STEPS (default 10,000) random commands,
// valid and deliberately invalid, through the Ledger and checks after every
// one that the ledger agrees with the reference model (props_harness.h):
// levels, minimums, movements field by field, balances, consecutive ids,
// failures changing nothing, transfers conserving totals, verify() clean.
// Every STOCKROOM_PROPS_PERIOD (500) steps it also checks the queries and
// reports, a checkpoint / burst / rollback round trip and a journal replay.
#include <chrono>
#include <cstdint>
#include <string>

#include <boost/test/unit_test.hpp>

#include "props_harness.h"

namespace {

void run_seed(std::uint64_t seed) {
  const auto t0 = std::chrono::steady_clock::now();
  props::RunOptions opt;
  opt.seed = seed;
  opt.steps = props::default_steps();
  opt.checks = true;
  const props::RunStats stats = props::run(opt);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();

  std::string kinds;
  for (int k = 0; k < props::kCommandKinds; ++k) {
    kinds += std::string(" ") + props::command_kind_name(static_cast<std::size_t>(k)) + "=" +
             std::to_string(stats.ok_by_kind[static_cast<std::size_t>(k)]) + "/" +
             std::to_string(stats.failed_by_kind[static_cast<std::size_t>(k)]);
  }
  std::string errors;
  for (const auto& [code, n] : stats.errors) errors += " " + code + "=" + std::to_string(n);
  BOOST_TEST_MESSAGE("seed " << seed << ": " << stats.steps << " commands (+" << stats.burst_steps
                             << " rolled back), " << stats.movements << " movements, " << stats.rollbacks
                             << " rollbacks, " << stats.replays << " replays, " << stats.reports << " reports, "
                             << ms << " ms; ok/failed:" << kinds << "; errors:" << errors);

  BOOST_TEST(stats.steps >= opt.steps);
  // The generator must exercise every command both ways and every error the
  // commands can produce; otherwise the properties above prove little.
  for (int k = 0; k < props::kCommandKinds && opt.steps >= 2000; ++k) {
    BOOST_TEST(stats.ok_by_kind[static_cast<std::size_t>(k)] > 0, props::command_kind_name(static_cast<std::size_t>(k)));
    BOOST_TEST(stats.failed_by_kind[static_cast<std::size_t>(k)] > 0,
               props::command_kind_name(static_cast<std::size_t>(k)));
  }
  if (opt.steps >= 2000) {
    for (const char* code : {"validation_failed", "conflict", "insufficient_stock", "product_not_tracked",
                             "initial_stock_already_set", "stale_quantity"}) {
      BOOST_TEST(stats.errors.count(code) == 1u, "no command failed with " << code);
    }
  }

  // Determinism: the same seed again (without the checks, which only read)
  // gives a byte-identical journal.
  opt.checks = false;
  const props::RunStats again = props::run(opt);
  BOOST_TEST(again.movements == stats.movements);
  BOOST_TEST((again.journal == stats.journal), "seed " << seed << ": a second run exports a different journal");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(random_commands)

BOOST_AUTO_TEST_CASE(seed_1) { run_seed(1); }
BOOST_AUTO_TEST_CASE(seed_2) { run_seed(0x5EED0002); }
BOOST_AUTO_TEST_CASE(seed_3) { run_seed(20260320); }
BOOST_AUTO_TEST_CASE(seed_4) { run_seed(0xDEADBEEFCAFEull); }
BOOST_AUTO_TEST_CASE(seed_5) { run_seed(987654321); }

BOOST_AUTO_TEST_SUITE_END()
