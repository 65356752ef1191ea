// The index against a brute-force scan: for random Chinese queries of 1–6 characters, Search
// must return exactly the cards whose folded title, description or a tag contains the folded
// query (recall and precision 1.0), before and after churn (updates, removals, slot reuse).
#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "search/index.hpp"
#include "search/tokenizer.hpp"
#include "search/utf8.hpp"

namespace linli::search {
namespace {

// A small alphabet so that long queries still hit: simplified and traditional forms of the
// same words (電/电, 鑽/钻, 傘/伞, 維/维, 車/车), other ideographs, and non-gram characters.
const std::vector<std::string> kGrams{"电", "電", "钻", "鑽", "雨", "伞", "傘", "维", "維",
                                      "修", "车", "車", "位", "家", "政", "课", "堂", "借",
                                      "出", "租", "上", "门", "社", "区", "区", "的"};
const std::vector<std::string> kOthers{" ", "，", "。", "a", "B", "3", "ｄ", "！", "-"};

struct Card {
  std::int64_t id = 0;
  std::string title;
  std::string description;
  std::vector<std::string> tags;
  std::vector<std::string> folded;  // every field, folded: what the brute force scans
};

class RecallTest : public ::testing::Test {
 protected:
  std::string RandomText(int length_max, int other_percent) {
    std::string text;
    const int length = static_cast<int>(rng_() % (length_max + 1));
    for (int i = 0; i < length; ++i) {
      text += static_cast<int>(rng_() % 100) < other_percent ? kOthers[rng_() % kOthers.size()]
                                                             : kGrams[rng_() % kGrams.size()];
    }
    return text;
  }

  Card RandomCard(std::int64_t id) {
    Card card;
    card.id = id;
    card.title = RandomText(12, 10);
    card.description = RandomText(40, 20);
    const int tags = static_cast<int>(rng_() % 4);
    for (int i = 0; i < tags; ++i) card.tags.push_back(RandomText(4, 5));
    return card;
  }

  void Put(const Card& card) {
    Document doc;
    doc.id = card.id;
    doc.city_id = 1;
    doc.visibility = "city";
    doc.kind = "goods";
    doc.title = card.title;
    doc.description = card.description;
    doc.tags = card.tags;
    index_.Upsert(doc);
    cards_[card.id] = card;
    auto& folded = cards_[card.id].folded;
    folded = {FoldText(card.title), FoldText(card.description)};
    for (const auto& tag : card.tags) folded.push_back(FoldText(tag));
  }

  // A query of `length` gram characters: random, or cut from a card so that it hits.
  std::string RandomQuery(int length) {
    if (rng_() % 2 == 0) {
      std::string query;
      for (int i = 0; i < length; ++i) query += kGrams[rng_() % kGrams.size()];
      return query;
    }
    for (int attempt = 0; attempt < 5000; ++attempt) {
      const auto& card = cards_[rng_() % cards_.size()];
      if (card.id == 0) continue;
      const std::string& source = rng_() % 2 == 0 ? card.title : card.description;
      std::vector<std::string> chars;  // the source's characters, non-gram ones as ""
      for (std::size_t pos = 0; pos < source.size();) {
        const std::size_t at = pos;
        utf8::Next(source, pos);
        const std::string ch = source.substr(at, pos - at);
        const bool gram = std::find(kGrams.begin(), kGrams.end(), ch) != kGrams.end();
        chars.push_back(gram ? ch : "");
      }
      if (chars.size() < static_cast<std::size_t>(length)) continue;
      const std::size_t start = rng_() % (chars.size() - length + 1);
      std::string query;
      bool ok = true;
      for (int i = 0; i < length; ++i) {
        ok = ok && !chars[start + i].empty();
        query += chars[start + i];
      }
      if (ok) return query;
    }
    return std::string(kGrams[0]);
  }

  // The definition: the folded query is a substring of a folded field.
  std::vector<std::int64_t> BruteForce(const std::string& query) {
    const std::string needle = FoldText(query);
    std::vector<std::int64_t> ids;
    for (const auto& card : cards_) {
      if (card.id == 0) continue;
      const bool found = std::any_of(
          card.folded.begin(), card.folded.end(),
          [&](const std::string& field) { return field.find(needle) != std::string::npos; });
      if (found) ids.push_back(card.id);
    }
    return ids;
  }

  std::vector<std::int64_t> Searched(const std::string& text) {
    Query query;
    query.text = text;
    query.viewer_city_id = 1;
    query.limit = 1 << 30;
    const auto results = index_.Search(query);
    std::vector<std::int64_t> ids;
    for (const auto& hit : results.hits) ids.push_back(hit.id);
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(results.total, static_cast<std::int64_t>(ids.size()));
    return ids;
  }

  void CheckQueries(int per_length) {
    for (int length = 1; length <= 6; ++length) {
      int hits = 0;
      for (int i = 0; i < per_length; ++i) {
        const std::string query = RandomQuery(length);
        const auto expected = BruteForce(query);
        hits += expected.empty() ? 0 : 1;
        ASSERT_EQ(Searched(query), expected) << "query " << query;
      }
      EXPECT_GT(hits, per_length / 4) << "length " << length << ": too few queries hit";
    }
  }

  std::mt19937_64 rng_{20240601};
  Index index_;
  // Enough cards that frequent characters switch their postings to the dense form.
  static constexpr std::int64_t kCards = 5000;
  std::vector<Card> cards_ = std::vector<Card>(kCards + 1);  // by id; id 0 unused
};

TEST_F(RecallTest, EqualsBruteForceSubstringScan) {
  for (std::int64_t id = 1; id <= kCards; ++id) Put(RandomCard(id));
  CheckQueries(60);
}

TEST_F(RecallTest, EqualsBruteForceAfterChurn) {
  for (std::int64_t id = 1; id <= kCards; ++id) Put(RandomCard(id));
  for (int round = 0; round < 2 * kCards; ++round) {
    const auto id = static_cast<std::int64_t>(1 + rng_() % kCards);
    switch (rng_() % 4) {
      case 0:
        index_.Remove(id);
        cards_[id] = Card{};
        break;
      case 1: {  // same text, title and description swapped: flags change, terms do not
        Card card = cards_[id];
        if (card.id == 0) break;
        std::swap(card.title, card.description);
        Put(card);
        break;
      }
      default: Put(RandomCard(id));
    }
  }
  CheckQueries(40);
}

// Frequent terms are stored as bitmaps and go back to arrays when they become rare again.
TEST_F(RecallTest, DenseAndSparseFormsAgree) {
  for (std::int64_t id = 1; id <= kCards; ++id) Put(RandomCard(id));
  CheckQueries(20);
  for (std::int64_t id = 1; id <= kCards; ++id) {
    if (id % 20 != 0) {
      index_.Remove(id);
      cards_[id] = Card{};
    }
  }
  CheckQueries(20);
  for (std::int64_t id = 1; id <= kCards; ++id) {
    if (id % 20 != 0) Put(RandomCard(id));
  }
  CheckQueries(20);
}

// Mixed queries follow the documented model: every gram run is a substring of a field and
// every ASCII word is a prefix of some word of the card.
TEST_F(RecallTest, MixedQueriesFollowTheTermModel) {
  for (std::int64_t id = 1; id <= kCards; ++id) Put(RandomCard(id));
  const auto words_of = [](const std::string& folded) {
    std::vector<std::string> words;
    ScanFolded(
        folded, [](char32_t) {}, [](char32_t, char32_t) {},
        [&](std::string_view w) { words.emplace_back(w); });
    return words;
  };
  for (int i = 0; i < 100; ++i) {
    const std::string query = RandomText(6, 40);
    const auto terms = ParseQueryText(query);
    std::vector<std::int64_t> expected;
    for (const auto& card : cards_) {
      if (card.id == 0) continue;
      const auto& fields = card.folded;
      bool all = true;
      for (const auto& term : terms) {
        bool found = false;
        for (const auto& field : fields) {
          if (term.kind == QueryTerm::Kind::kRun) {
            found = found || field.find(term.text) != std::string::npos;
          } else {
            for (const auto& word : words_of(field)) found = found || word.starts_with(term.text);
          }
        }
        all = all && found;
      }
      if (all) expected.push_back(card.id);
    }
    ASSERT_EQ(Searched(query), expected) << "query " << query;
  }
}

}  // namespace
}  // namespace linli::search
