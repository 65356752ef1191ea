#pragma once
// The resource market's tokenizer.
//
// Folding: every code point is mapped on its own — NFKC case folding (full-width ASCII to
// half-width, upper to lower case, compatibility ideographs and forms; ICU), then OpenCC's
// traditional → simplified character table (雨傘 → 雨伞, 電鑽 → 电钻). Folding per code point
// is deliberate: Fold(a + b) == Fold(a) + Fold(b), so a substring of a text folds to a
// substring of the folded text, and "the folded query is a substring of the folded field" is a
// sound definition of a match that the index can reproduce exactly. (OpenCC's phrase tables are
// context dependent and would break that property, so only its character table is used.)
//
// Terms: after folding, ASCII letters and digits form words ("wifi", "3d"); other letters,
// marks and numbers (CJK ideographs, kana, hangul, accented Latin) are "gram" characters,
// indexed as single characters and as bigrams of neighbours; everything else separates.
//
// The tables are built once per process (about 0.1 s) from ICU and OpenCC's t2s.json; if
// OpenCC's data is missing the first use throws std::runtime_error (at startup: Index's
// constructor builds them).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "search/limits.hpp"
#include "search/utf8.hpp"

namespace linli::search {

enum class CharClass : std::uint8_t { kSeparator, kWord, kGram };

// The folded form of one code point: usually one code point, sometimes none (ignorables such
// as U+200B) or several (U+33A1 ㎡ → "m2"). The view points into `scratch` or static storage.
std::u32string_view FoldCodePoint(char32_t cp, char32_t& scratch);

// Class of an already folded code point.
CharClass ClassOf(char32_t folded);

// Folds UTF-8 text, reading at most `chars_max` code points of it. Invalid bytes → U+FFFD.
std::string FoldText(std::string_view text,
                     std::size_t chars_max = std::numeric_limits<std::size_t>::max());

// FoldText with every run of separators replaced by one space and none at either end: the same
// words and gram runs in fewer bytes (what the index stores to verify long queries).
std::string FoldCompact(std::string_view text, std::size_t chars_max);

// Walks folded UTF-8 text, calling on_unigram(cp) for each gram character, on_bigram(a, b) for
// each pair of adjacent gram characters and on_word(std::string_view) for each ASCII word (cut
// to limits::kWordBytesMax).
template <class OnUnigram, class OnBigram, class OnWord>
void ScanFolded(std::string_view folded, OnUnigram&& on_unigram, OnBigram&& on_bigram,
                OnWord&& on_word) {
  char32_t previous_gram = 0;
  std::size_t word_begin = 0;
  std::size_t word_end = 0;  // word_begin == word_end: no word in progress
  const auto flush_word = [&] {
    if (word_end > word_begin) {
      on_word(folded.substr(word_begin, std::min(word_end - word_begin, limits::kWordBytesMax)));
    }
    word_begin = word_end = 0;
  };
  std::size_t pos = 0;
  while (pos < folded.size()) {
    const std::size_t at = pos;
    const char32_t cp = utf8::Next(folded, pos);
    switch (ClassOf(cp)) {
      case CharClass::kWord:
        if (word_end == word_begin) word_begin = at;
        word_end = pos;
        previous_gram = 0;
        break;
      case CharClass::kGram:
        flush_word();
        on_unigram(cp);
        if (previous_gram != 0) on_bigram(previous_gram, cp);
        previous_gram = cp;
        break;
      case CharClass::kSeparator:
        flush_word();
        previous_gram = 0;
        break;
    }
  }
  flush_word();
}

// The terms of a text in order, for tests and tools (the index uses ScanFolded directly).
struct Token {
  enum class Kind : std::uint8_t { kUnigram, kBigram, kWord };
  Kind kind = Kind::kUnigram;
  std::string text;  // folded UTF-8
  bool operator==(const Token&) const = default;
};
std::vector<Token> Tokenize(std::string_view text);

// A query's text as terms, all of which a card must match:
//  - kRun: a maximal run of gram characters; matches when it is a substring of a folded field
//    (title, description or one tag). Exact for every length: 1 and 2 characters are looked up
//    directly, longer runs intersect their bigrams and are then checked as substrings.
//  - kWordPrefix: an ASCII word; matches when some word of the card starts with it.
// The text is cut to limits::kQueryBytesMax; duplicate terms are dropped and at most
// limits::kQueryTermsMax are kept. A text without terms (empty, punctuation) matches every card.
struct QueryTerm {
  enum class Kind : std::uint8_t { kRun, kWordPrefix };
  Kind kind = Kind::kRun;
  std::u32string chars;  // the folded characters
  std::string text;      // the same, UTF-8
};
std::vector<QueryTerm> ParseQueryText(std::string_view text);

// Builds the folding tables now rather than on first use (throws std::runtime_error if OpenCC's
// t2s.json or ICU's normalisation data cannot be loaded).
void WarmUpTokenizer();

}  // namespace linli::search
