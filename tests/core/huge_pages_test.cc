// The huge-page helpers (core/src/huge_pages.h) change where the ledger's large
// arrays live, never what they hold or how much they take: growth doubles as
// push_back does (the memory goal counts the heap's bytes), a shrink leaves
// exactly the elements, and on Linux with transparent huge pages on request
// ("madvise" or "always") a large reserved array is backed by huge pages once
// written.
#include "../../core/src/huge_pages.h"

#include <gtest/gtest.h>

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
// kB of anonymous huge pages mapped by this process, or -1 when the kernel does
// not say.
long anon_huge_kb() {
  std::ifstream in("/proc/self/smaps_rollup");
  std::string key;
  long kb = 0;
  while (in >> key) {
    if (key == "AnonHugePages:") return (in >> kb) ? kb : -1;
    in.ignore(1 << 10, '\n');
  }
  return -1;
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
  const long before = anon_huge_kb();
  std::vector<std::uint64_t> records;
  reserve_on_huge_pages(records, 64u << 17);  // 64 MiB
  records.resize(records.capacity(), 1);
  const long after = anon_huge_kb();
  if (mode == "madvise" || mode == "always") {
    ASSERT_GE(before, 0) << "the kernel reports AnonHugePages";
    // at least half of the 32 whole huge pages inside (memory may be too
    // fragmented for a few)
    EXPECT_GE(after - before, 16L * 2048) << "mode " << mode;
  } else {
    EXPECT_EQ(after, before)
        << "huge pages are off (" << mode << "): the advice changes nothing";
  }
}
#endif

}  // namespace
}  // namespace stockroom
