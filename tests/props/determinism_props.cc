// Determinism: the ledger has no clock and no randomness, so the same seed
// gives byte-identical journals run after run, and different seeds differ.
#include <cstdint>

#include <boost/test/unit_test.hpp>

#include "props_harness.h"

BOOST_AUTO_TEST_SUITE(determinism)

BOOST_AUTO_TEST_CASE(same_seed_same_journal) {
  for (std::uint64_t seed : {11ull, 0xABCDEF12345ull}) {
    props::RunOptions opt;
    opt.seed = seed;
    opt.steps = props::default_steps();
    opt.checks = false;
    const props::RunStats a = props::run(opt);
    const props::RunStats b = props::run(opt);
    BOOST_TEST(a.movements > 0u);
    BOOST_TEST(a.movements == b.movements);
    BOOST_TEST((a.journal == b.journal), "seed " << seed << ": two runs export different journals");
  }
}

BOOST_AUTO_TEST_CASE(different_seeds_differ) {
  props::RunOptions a;
  a.seed = 11;
  a.steps = 500;
  a.checks = false;
  props::RunOptions b = a;
  b.seed = 12;
  BOOST_TEST((props::run(a).journal != props::run(b).journal));
}

BOOST_AUTO_TEST_SUITE_END()
