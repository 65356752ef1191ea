#include "search/card_text.hpp"

#include "search/limits.hpp"
#include "search/tokenizer.hpp"

namespace linli::search::detail {
namespace {

void AppendField(std::string& blob, std::string_view field) {
  std::size_t length = field.size();
  while (length >= 0x80) {
    blob += static_cast<char>(0x80 | (length & 0x7F));
    length >>= 7;
  }
  blob += static_cast<char>(length);
  blob += field;
}

}  // namespace

std::vector<std::string> FoldTags(const std::vector<std::string>& tags, std::size_t count_max) {
  std::vector<std::string> folded;
  for (const auto& tag : tags) {
    if (folded.size() >= count_max) break;
    folded.push_back(FoldText(tag, limits::kTagCharsMax));
  }
  std::sort(folded.begin(), folded.end());
  folded.erase(std::unique(folded.begin(), folded.end()), folded.end());
  return folded;
}

std::string BuildBlob(const Document& document) {
  std::string blob;
  AppendField(blob, FoldCompact(document.title, limits::kFieldCharsMax));
  AppendField(blob, FoldCompact(document.description, limits::kFieldCharsMax));
  for (const auto& tag : FoldTags(document.tags, limits::kTagsMax)) {
    if (!tag.empty()) AppendField(blob, tag);
  }
  blob.shrink_to_fit();
  return blob;
}

DocTerms ExtractTerms(std::string_view blob) {
  DocTerms terms;
  std::vector<std::uint64_t> grams;  // key << 1 | in title, one per occurrence
  std::vector<std::pair<std::string, std::uint32_t>> words;
  ForEachField(blob, [&](std::size_t index, std::string_view field) {
    const std::uint32_t title = index == kTitleField ? 1 : 0;
    ScanFolded(
        field, [&](char32_t cp) { grams.push_back((UnigramKey(cp) << 1) | title); },
        [&](char32_t a, char32_t b) { grams.push_back((BigramKey(a, b) << 1) | title); },
        [&](std::string_view word) { words.emplace_back(std::string(word), title); });
    if (index >= kFirstTagField) terms.tags.emplace_back(field);
  });
  terms.length = static_cast<std::uint32_t>(
      std::count_if(grams.begin(), grams.end(),
                    [](std::uint64_t g) { return ((g >> 1) & kBigramBit) == 0; }) +
      words.size());
  std::sort(grams.begin(), grams.end());
  for (std::size_t i = 0; i < grams.size();) {
    std::size_t j = i;
    bool in_title = false;
    for (; j < grams.size() && (grams[j] >> 1) == (grams[i] >> 1); ++j) {
      in_title = in_title || (grams[j] & 1) != 0;
    }
    terms.grams.push_back(((grams[i] >> 1) << kCodeBits) | CodeOf(in_title, j - i));
    i = j;
  }
  std::sort(words.begin(), words.end());
  for (std::size_t i = 0; i < words.size();) {
    std::size_t j = i;
    bool in_title = false;
    for (; j < words.size() && words[j].first == words[i].first; ++j) {
      in_title = in_title || words[j].second != 0;
    }
    terms.words.emplace_back(std::move(words[i].first), CodeOf(in_title, j - i));
    i = j;
  }
  std::sort(terms.tags.begin(), terms.tags.end());
  return terms;
}

}  // namespace linli::search::detail
