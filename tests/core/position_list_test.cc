// core/src/position_list.h: a level's positions, five in place and the rest on the heap, held to a
// std::vector doing the same operations.
#include "../../core/src/position_list.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <span>
#include <utility>
#include <vector>

namespace stockroom {
namespace {

void ExpectSame(const PositionList& list, const std::vector<std::uint32_t>& model) {
  ASSERT_EQ(list.size(), model.size());
  EXPECT_EQ(list.empty(), model.empty());
  EXPECT_GE(list.capacity(), list.size());
  const std::span<const std::uint32_t> view = list;
  EXPECT_EQ(std::vector<std::uint32_t>(view.begin(), view.end()), model);
  EXPECT_EQ(std::vector<std::uint32_t>(list.begin(), list.end()), model);
  for (std::size_t i = 0; i < model.size(); ++i) EXPECT_EQ(list[i], model[i]) << i;
  if (!model.empty()) {
    EXPECT_EQ(list.back(), model.back());
  }
}

TEST(PositionList, HoldsFiveInPlaceThenMovesToTheHeap) {
  PositionList list;
  std::vector<std::uint32_t> model;
  EXPECT_EQ(list.capacity(), PositionList::kInPlace);
  for (std::uint32_t p = 0; p < PositionList::kInPlace; ++p) {
    list.push_back(p * 3);
    model.push_back(p * 3);
  }
  EXPECT_EQ(list.capacity(), PositionList::kInPlace);  // still no heap block
  list.push_back(4'000'000'000u);
  model.push_back(4'000'000'000u);
  EXPECT_GT(list.capacity(), PositionList::kInPlace);
  ExpectSame(list, model);
}

TEST(PositionList, ReservesExactlyWhatItIsAsked) {
  PositionList list;
  list.reserve(3);  // within the place it has: nothing to do
  EXPECT_EQ(list.capacity(), PositionList::kInPlace);
  list.push_back(7);
  list.reserve(13);
  EXPECT_EQ(list.capacity(), 13u);
  std::vector<std::uint32_t> model{7};
  for (std::uint32_t p = 8; p < 20; ++p) {
    list.push_back(p);
    model.push_back(p);
  }
  EXPECT_EQ(list.capacity(), 13u);  // the replay's count was right: no growth
  ExpectSame(list, model);
  list.reserve(5);  // never shrinks
  EXPECT_EQ(list.capacity(), 13u);
}

// A rollback pops back below five; the heap block stays and later appends use it.
TEST(PositionList, PopsBackAcrossTheBoundaryAndAppendsAgain) {
  PositionList list;
  std::vector<std::uint32_t> model;
  for (std::uint32_t p = 0; p < 9; ++p) {
    list.push_back(p);
    model.push_back(p);
  }
  for (int i = 0; i < 7; ++i) {
    list.pop_back();
    model.pop_back();
    ExpectSame(list, model);
  }
  for (std::uint32_t p = 100; p < 110; ++p) {
    list.push_back(p);
    model.push_back(p);
  }
  ExpectSame(list, model);
}

TEST(PositionList, MovesLeaveTheSourceEmptyAndUsable) {
  for (const std::uint32_t n : {0u, 3u, 5u, 6u, 40u}) {
    PositionList list;
    std::vector<std::uint32_t> model;
    for (std::uint32_t p = 0; p < n; ++p) {
      list.push_back(p + 1);
      model.push_back(p + 1);
    }
    PositionList moved(std::move(list));
    ExpectSame(moved, model);
    ExpectSame(list, {});  // NOLINT(bugprone-use-after-move): a moved-from list is empty
    list.push_back(9);
    ExpectSame(list, {9});

    PositionList assigned;
    for (std::uint32_t p = 0; p < 12; ++p) assigned.push_back(p);  // a heap block to free
    assigned = std::move(moved);
    ExpectSame(assigned, model);
    ExpectSame(moved, {});  // NOLINT(bugprone-use-after-move)
  }
}

// Lists in a vector that grows, as LedgerState::levels does, under random appends, pops and reserves.
TEST(PositionList, AgreesWithVectorsUnderRandomOperations) {
  std::mt19937 rng(7);
  std::vector<PositionList> lists;
  std::vector<std::vector<std::uint32_t>> models;
  for (int step = 0; step < 20'000; ++step) {
    const std::uint32_t op = rng() % 10;
    if (lists.empty() || op == 0) {
      lists.emplace_back();
      models.emplace_back();
      continue;
    }
    const std::size_t i = rng() % lists.size();
    if (op <= 6) {
      const std::uint32_t p = static_cast<std::uint32_t>(rng());
      lists[i].push_back(p);
      models[i].push_back(p);
    } else if (op <= 8) {
      if (!models[i].empty()) {
        lists[i].pop_back();
        models[i].pop_back();
      }
    } else {
      const std::size_t n = models[i].size() + rng() % 12;
      lists[i].reserve(n);
      EXPECT_GE(lists[i].capacity(), n);
    }
  }
  for (std::size_t i = 0; i < lists.size(); ++i) ExpectSame(lists[i], models[i]);
}

}  // namespace
}  // namespace stockroom
