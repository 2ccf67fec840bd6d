// core/src/position_list.h: a level's positions, five in place and the rest on the heap, held to a
// std::vector doing the same operations.
#include "../../core/src/position_list.h"

#include <gtest/gtest.h>

#include <algorithm>
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

// Replay lends lists room in a pool (LedgerState::index_positions): a list uses it, never frees it
// (the pool is a std::vector here: ASan would report a free of its memory), and moves to a block of
// its own when it outgrows it.
TEST(PositionList, UsesBorrowedRoomWithoutFreeingIt) {
  std::vector<std::uint32_t> pool(40, 0xFFFFFFFFu);
  PositionList list;
  std::vector<std::uint32_t> model;
  for (std::uint32_t p = 0; p < 3; ++p) {
    list.push_back(p);
    model.push_back(p);
  }
  list.adopt(pool.data(), 10);
  EXPECT_TRUE(list.borrowed());
  EXPECT_EQ(list.capacity(), 10u);
  EXPECT_EQ(list.data(), pool.data());
  ExpectSame(list, model);
  for (std::uint32_t p = 3; p < 10; ++p) {
    list.push_back(p);
    model.push_back(p);
  }
  EXPECT_TRUE(list.borrowed());  // exactly the room it was lent
  EXPECT_EQ(pool[9], 9u);
  list.push_back(10);
  model.push_back(10);
  EXPECT_FALSE(list.borrowed());
  EXPECT_NE(list.data(), pool.data());
  EXPECT_GE(list.capacity(), 11u);
  ExpectSame(list, model);
  std::fill(pool.begin(), pool.end(), 0u);  // the pool's room is no longer read
  ExpectSame(list, model);

  PositionList lent;
  lent.adopt(pool.data() + 20, 8);
  lent.push_back(5);
  PositionList moved(std::move(lent));  // a move keeps borrowing the same room
  EXPECT_TRUE(moved.borrowed());
  EXPECT_EQ(moved.data(), pool.data() + 20);
  ExpectSame(moved, {5});
}

// Before a pool is freed (a rolled-back replay), the lists still in it take their positions home:
// in place when five or fewer fit, else a block of their own of that size.
TEST(PositionList, OwnsBorrowedPositionsAgain) {
  for (const std::uint32_t n : {0u, 1u, 5u, 6u, 30u}) {
    std::vector<std::uint32_t> pool(64, 0);
    PositionList list;
    list.adopt(pool.data(), 40);
    std::vector<std::uint32_t> model;
    for (std::uint32_t p = 0; p < n; ++p) {
      list.push_back(p * 11);
      model.push_back(p * 11);
    }
    list.own();
    EXPECT_FALSE(list.borrowed()) << n;
    EXPECT_EQ(list.capacity(), std::max<std::size_t>(n, PositionList::kInPlace)) << n;
    std::fill(pool.begin(), pool.end(), 0xABABABABu);
    ExpectSame(list, model);
    list.push_back(1'000);
    model.push_back(1'000);
    ExpectSame(list, model);
    list.own();  // nothing borrowed: nothing to do
    ExpectSame(list, model);
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
