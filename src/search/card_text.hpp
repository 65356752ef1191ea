#pragma once
// Internal to the search index: what it keeps of a card's text, and the terms derived from it.
//
// The blob is the card's searchable text, folded: varint-length-prefixed fields — title and
// description (FoldCompact) and each distinct tag (FoldText, so the exact tag filter can be
// rebuilt from it). A card's terms are derived from its blob, both to index it and to unindex
// it, and query runs of 3+ characters are verified against it; the description itself is not
// kept.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "search/model.hpp"
#include "search/postings.hpp"

namespace linli::search::detail {

// Gram keys: a code point needs 21 bits; bigrams carry a marker bit above two code points.
constexpr std::uint64_t kBigramBit = std::uint64_t{1} << 42;
constexpr std::uint64_t UnigramKey(char32_t cp) {
  return cp;
}
constexpr std::uint64_t BigramKey(char32_t a, char32_t b) {
  return kBigramBit | (std::uint64_t{a} << 21) | b;
}

constexpr std::size_t kTitleField = 0;
constexpr std::size_t kFirstTagField = 2;

std::string BuildBlob(const Document& document);

template <class Fn>  // fn(field_index, field_text)
void ForEachField(std::string_view blob, Fn&& fn) {
  std::size_t pos = 0;
  for (std::size_t index = 0; pos < blob.size(); ++index) {
    std::size_t length = 0;
    for (int shift = 0; pos < blob.size(); shift += 7) {
      const auto byte = static_cast<unsigned char>(blob[pos++]);
      length |= static_cast<std::size_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) break;
    }
    length = std::min(length, blob.size() - pos);
    fn(index, blob.substr(pos, length));
    pos += length;
  }
}

// Tags folded like text (cut to limits::kTagCharsMax), sorted, without duplicates; at most
// `count_max` of the given tags are read.
std::vector<std::string> FoldTags(const std::vector<std::string>& tags, std::size_t count_max);

struct DocTerms {
  std::vector<std::uint64_t> grams;  // gram key << kCodeBits | match code, sorted by key
  std::vector<std::pair<std::string, std::uint32_t>> words;  // (word, match code), sorted
  std::vector<std::string> tags;                             // exact tag keys, sorted
  std::uint32_t length = 0;  // gram characters and words: BM25's document length
};

// The match code of a term from where and how often it occurs.
constexpr std::uint32_t CodeOf(bool in_title, std::size_t occurrences) {
  if (in_title) return kCodeTitle;
  return occurrences > 1 ? kCodeRepeated : kCodePlain;
}

DocTerms ExtractTerms(std::string_view blob);

}  // namespace linli::search::detail
