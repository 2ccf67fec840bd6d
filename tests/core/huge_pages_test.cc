// The huge-page helpers (core/src/huge_pages.h) change where the ledger's large
// arrays live, never what they hold or how much they take: growth doubles as
// push_back does (the memory goal counts the heap's bytes), a shrink leaves
// exactly the elements, and on Linux with transparent huge pages on request
// ("madvise" or "always") a large reserved array is backed by huge pages once
// written.
#include "../../core/src/huge_pages.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace stockroom {
namespace {

TEST(HugePages, GrowthDoublesAsPushBackDoes) {
  std::vector<std::uint32_t> ours;
  std::vector<std::uint32_t> plain;
  for (std::uint32_t i = 0; i < 100'000; ++i) {
    room_for_one_more(ours);
    ours.push_back(i);
    plain.push_back(i);
    ASSERT_EQ(ours.capacity(), plain.capacity())
        << "after " << i + 1 << " elements";
  }
  EXPECT_EQ(ours, plain);
}

TEST(HugePages, ShrinkKeepsExactlyTheElements) {
  std::vector<std::string> texts;
  for (int i = 0; i < 1000; ++i)
    texts.push_back("a text long enough to be on the heap, number " +
                    std::to_string(i));
  const std::vector<std::string> before = texts;
  texts.reserve(5000);
  shrink_on_huge_pages(texts);
  EXPECT_EQ(texts.capacity(), texts.size());
  EXPECT_EQ(texts, before);
  std::vector<int> empty;
  empty.reserve(10);
  shrink_on_huge_pages(empty);
  EXPECT_EQ(empty.capacity(), 0U);
}

TEST(HugePages, AdviceOnARangeOfAnySizeOrAlignmentChangesNoContent) {
  std::vector<unsigned char> bytes(5 * kHugePageBytes + 12345, 0x5A);
  for (std::size_t offset : {std::size_t{0}, std::size_t{1}, std::size_t{4095},
                             kHugePageBytes - 1}) {
    for (std::size_t length : {std::size_t{0}, std::size_t{1}, kHugePageBytes,
                               3 * kHugePageBytes + 7}) {
      advise_huge_pages(bytes.data() + offset, length);
    }
  }
  for (unsigned char b : bytes) ASSERT_EQ(b, 0x5A);
}

#if defined(__linux__) && !defined(__EMSCRIPTEN__)
// kB of anonymous huge pages in the mappings that overlap [data, data +
// bytes) (the advice splits a mapping where it starts and ends), or -1 when the
// kernel does not say.
long anon_huge_kb_in(const void* data, std::size_t bytes) {
  const auto first = reinterpret_cast<std::uintptr_t>(data);
  const std::uintptr_t last = first + bytes;
  std::ifstream in("/proc/self/smaps");
  std::string line;
  bool overlaps = false;
  long kb = -1;
  while (std::getline(in, line)) {
    const auto dash = line.find('-');
    const auto space = line.find(' ');
    if (dash != std::string::npos && space != std::string::npos && dash < space &&
        line.find(':') > space) {  // a mapping's header: "start-end perms ..."
      const std::uintptr_t start = std::stoull(line.substr(0, dash), nullptr, 16);
      const std::uintptr_t end = std::stoull(line.substr(dash + 1, space - dash - 1), nullptr, 16);
      overlaps = start < last && first < end;
    } else if (overlaps && line.rfind("AnonHugePages:", 0) == 0) {
      kb = std::max(kb, 0L) + std::stol(line.substr(line.find(':') + 1));
    }
  }
  return kb;
}

std::string huge_page_mode() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string all((std::istreambuf_iterator<char>(in)),
                  std::istreambuf_iterator<char>());
  const auto open = all.find('[');
  const auto close = all.find(']');
  return open == std::string::npos || close == std::string::npos
             ? ""
             : all.substr(open + 1, close - open - 1);
}

TEST(HugePages, ALargeReservedArrayIsOnHugePagesWhereTheSystemOffersThem) {
  const std::string mode = huge_page_mode();
  std::vector<std::uint64_t> records;
  reserve_on_huge_pages(records, 64u << 17);  // 64 MiB
  records.resize(records.capacity(), 1);
  const long huge = anon_huge_kb_in(records.data(), records.size() * sizeof records[0]);
  if (mode == "madvise" || mode == "always") {
    ASSERT_GE(huge, 0) << "the kernel reports AnonHugePages";
    // at least half of the 32 whole huge pages inside (memory may be too
    // fragmented for a few)
    EXPECT_GE(huge, 16L * 2048) << "mode " << mode;
  } else {
    EXPECT_EQ(huge, 0)
        << "huge pages are off (" << mode << "): the advice changes nothing";
  }
}

TEST(HugePages, AGrownArrayIsOnHugePagesFromItsFirstElement) {
  const std::string mode = huge_page_mode();
  // 32 MiB, full, then grown to 64 MiB as push_back would: the elements moved
  // into the new storage must be written after the advice, or the half they
  // fill stays on ordinary pages.
  std::vector<std::uint64_t> list(32u << 17, 1);
  room_for_one_more(list);
  ASSERT_EQ(list.capacity(), 64u << 17);
  list.resize(list.capacity(), 2);
  const long huge = anon_huge_kb_in(list.data(), list.size() * sizeof list[0]);
  if (mode == "madvise" || mode == "always") {
    ASSERT_GE(huge, 0) << "the kernel reports AnonHugePages";
    // 31 whole huge pages at least are inside; the moved half alone is 16.
    EXPECT_GE(huge, 24L * 2048) << "mode " << mode;
  } else {
    EXPECT_EQ(huge, 0) << "huge pages are off (" << mode << ")";
  }
  EXPECT_EQ(list.front(), 1U);
  EXPECT_EQ(list[(32u << 17) - 1], 1U);
  EXPECT_EQ(list.back(), 2U);
}
#endif

}  // namespace
}  // namespace stockroom
