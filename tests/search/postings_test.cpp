#include "search/postings.hpp"

#include <random>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace linli::search::detail {
namespace {

std::vector<std::uint32_t> Entries(const PostingList& list) {
  std::vector<std::uint32_t> out;
  list.ForEach([&](std::uint32_t entry) { out.push_back(entry); });
  return out;
}

TEST(PostingListTest, KeepsEntriesSortedWhateverTheInsertionOrder) {
  PostingList list;
  for (const std::uint32_t slot : {5U, 1U, 9U, 3U}) list.Add(slot, kCodePlain, 100);
  list.SetCode(3, kCodeTitle);
  EXPECT_EQ(Entries(list),
            (std::vector<std::uint32_t>{MakeEntry(1, kCodePlain), MakeEntry(3, kCodeTitle),
                                        MakeEntry(5, kCodePlain), MakeEntry(9, kCodePlain)}));
  list.Erase(5, 100);
  list.Erase(7, 100);  // absent: nothing happens
  EXPECT_EQ(list.Size(), 3U);
  EXPECT_EQ(list.Dense(), nullptr);
}

TEST(PostingListTest, FrequentTermsTurnDenseAndBack) {
  constexpr std::size_t kSlots = 40000;
  PostingList list;
  std::set<std::uint32_t> model;
  std::mt19937 rng(3);
  while (model.size() < kSlots / 8) {
    const std::uint32_t slot = rng() % kSlots;
    if (!model.insert(slot).second) continue;
    list.Add(slot, slot % 3 + 1, kSlots);
  }
  ASSERT_NE(list.Dense(), nullptr);  // 1/8 of the slots
  EXPECT_EQ(list.Size(), model.size());
  list.SetCode(*model.begin(), kCodeTitle);
  std::vector<std::uint32_t> expected;
  for (const std::uint32_t slot : model) {
    expected.push_back(MakeEntry(slot, slot == *model.begin() ? kCodeTitle : slot % 3 + 1));
  }
  EXPECT_EQ(Entries(list), expected);
  const DenseCodes& dense = *list.Dense();
  EXPECT_EQ(DenseCode(dense.low.data(), dense.high.data(),
                      static_cast<std::uint32_t>(dense.low.size()), *model.begin()),
            kCodeTitle);
  EXPECT_EQ(DenseCode(dense.low.data(), dense.high.data(),
                      static_cast<std::uint32_t>(dense.low.size()), kSlots * 2),
            0U);  // beyond the bitmap: absent

  while (model.size() > kSlots / 64) {  // below 1/32 of the slots: back to an array
    const std::uint32_t slot = *model.begin();
    model.erase(model.begin());
    list.Erase(slot, kSlots);
  }
  EXPECT_EQ(list.Dense(), nullptr);
  expected.clear();
  for (const std::uint32_t slot : model) expected.push_back(MakeEntry(slot, slot % 3 + 1));
  EXPECT_EQ(Entries(list), expected);
}

TEST(GallopTest, FindsTheFirstEntryAtOrAfterTheKey) {
  std::vector<std::uint32_t> entries;
  for (std::uint32_t slot = 0; slot < 1000; slot += 3) entries.push_back(MakeEntry(slot, 1));
  const auto size = static_cast<std::uint32_t>(entries.size());
  for (std::uint32_t from = 0; from < size; from += 37) {
    for (std::uint32_t slot = 0; slot < 1005; ++slot) {
      const std::uint32_t key = MakeEntry(slot, 0);
      const auto expected = static_cast<std::uint32_t>(
          std::lower_bound(entries.begin() + from, entries.end(), key) - entries.begin());
      ASSERT_EQ(Gallop(entries.data(), size, from, key), expected) << from << " " << slot;
    }
  }
}

}  // namespace
}  // namespace linli::search::detail
