// The ledger's large arrays in mappings of their own (core/src/huge_page_allocator.h): natively on
// Linux a block of 2 MiB or more starts on a huge-page boundary, is counted by mapped_bytes() while it
// lives, and holds what a std::vector would; smaller blocks, and every block elsewhere (the same
// tests run in WebAssembly), come from the ordinary allocator and are not counted.
#include "../../core/src/huge_page_allocator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "stockroom/ledger.h"
#include "stockroom/memory.h"
#include "test_support.h"

namespace stockroom::testing {
namespace {

bool on_boundary(const void* p) { return reinterpret_cast<std::uintptr_t>(p) % kHugePageBytes == 0; }

TEST(HugePageAllocator, ALargeBlockIsAnAlignedMappingCountedWhileItLives) {
  const std::size_t base = mapped_bytes();
  {
    LargeVector<std::uint64_t> words;
    words.reserve((3u << 20) / sizeof(std::uint64_t));  // 3 MiB: two huge pages' mapping
    if (mapped::maps(3u << 20)) {
      EXPECT_TRUE(on_boundary(words.data()));
      EXPECT_EQ(mapped_bytes() - base, 4u << 20);
    } else {
      EXPECT_EQ(mapped_bytes(), base);
    }
    words.assign(words.capacity(), 7);
    for (const std::uint64_t w : words) ASSERT_EQ(w, 7u);
  }
  EXPECT_EQ(mapped_bytes(), base);
}

TEST(HugePageAllocator, ASmallBlockComesFromTheOrdinaryAllocator) {
  const std::size_t base = mapped_bytes();
  LargeVector<char> bytes(kHugePageBytes - 1, 'x');
  EXPECT_FALSE(mapped::maps(bytes.capacity()));
  EXPECT_EQ(mapped_bytes(), base);
  EXPECT_EQ(bytes.back(), 'x');
}

TEST(HugePageAllocator, AVectorGrowsAcrossTheThresholdAsAStdVectorDoes) {
  const std::size_t base = mapped_bytes();
  {
    LargeVector<std::uint32_t> ours;
    std::vector<std::uint32_t> plain;
    for (std::uint32_t i = 0; i < 3'000'000; ++i) {  // 12 MB: blocks below and above 2 MiB
      ours.push_back(i * 2654435761u);
      plain.push_back(i * 2654435761u);
    }
    ASSERT_EQ(ours.size(), plain.size());
    EXPECT_TRUE(std::equal(ours.begin(), ours.end(), plain.begin()));
    EXPECT_EQ(ours.capacity(), plain.capacity());
    if (mapped::maps(ours.capacity() * sizeof(std::uint32_t))) {
      EXPECT_TRUE(on_boundary(ours.data()));
      EXPECT_EQ(mapped_bytes() - base, mapped::length_for(ours.capacity() * sizeof(std::uint32_t)));
    }
    ours.clear();
    ours.shrink_to_fit();
    EXPECT_EQ(mapped_bytes(), base);
  }
  EXPECT_EQ(mapped_bytes(), base);
}

// A ledger's records (2.4 MB here; its levels and position pool stay below 2 MiB) take such a mapping
// as they grow, and every mapping is given back when the ledger goes.
TEST(HugePageAllocator, ALedgerGivesBackEveryMappingItTook) {
  const std::size_t base = mapped_bytes();
  {
    Ledger ledger;
    ASSERT_TRUE(ledger.upsert_workspace(Ws(1, "Main")).ok());
    PurchaseCommand purchase;
    purchase.workspace_id = 1;
    for (Id id = 1; id <= 500; ++id) {
      ASSERT_TRUE(ledger.upsert_product(Prod(id, "SKU-" + std::to_string(id), "P", 0)).ok());
      purchase.items.push_back({id, U(1), std::nullopt});
    }
    for (int i = 0; i < 120; ++i) ASSERT_TRUE(Succeeded(ledger.purchase(Ctx(kT0 + i), purchase)));
    EXPECT_EQ(ledger.movement_count(), 60'000u);  // 2.4 MB of records
    const std::string journal = ledger.export_journal();
    Ledger replayed;
    ASSERT_TRUE(replayed.upsert_workspace(Ws(1, "Main")).ok());
    for (Id id = 1; id <= 500; ++id) ASSERT_TRUE(replayed.upsert_product(Prod(id, "SKU-" + std::to_string(id), "P", 0)).ok());
    ASSERT_TRUE(replayed.replay_journal(journal).ok());
    EXPECT_EQ(replayed.verify().size(), 0u);
    if (mapped::maps(kHugePageBytes)) {
      EXPECT_GT(mapped_bytes(), base);
    }
  }
  EXPECT_EQ(mapped_bytes(), base);
}

}  // namespace
}  // namespace stockroom::testing
