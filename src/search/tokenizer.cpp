#include "search/tokenizer.hpp"

#include <algorithm>
#include <array>
#include <opencc/Config.hpp>
#include <opencc/Conversion.hpp>
#include <opencc/ConversionChain.hpp>
#include <opencc/Converter.hpp>
#include <opencc/Dict.hpp>
#include <opencc/Exception.hpp>
#include <opencc/Lexicon.hpp>
#include <opencc/opencc.h>
#include <stdexcept>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unordered_map>
#include <utility>

namespace linli::search {
namespace {

// A table entry is either a code point (< 0x110000) or, with kMultiBit set, a slice of the
// shared pool of multi-code-point forms: offset << kLengthBits | length.
constexpr std::uint32_t kMultiBit = 0x80000000U;
constexpr std::uint32_t kLengthBits = 5;
constexpr std::uint32_t kLengthMask = (1U << kLengthBits) - 1;
constexpr char32_t kBmpEnd = 0x10000;
// Beyond this (CJK Extension H) no code point has an NFKC or t2s mapping today.
constexpr char32_t kMappedEnd = 0x323B0;

CharClass Classify(char32_t cp) {
  if (cp < 0x80) {
    const bool alnum =
        (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
    return alnum ? CharClass::kWord : CharClass::kSeparator;
  }
  const auto mask = U_MASK(u_charType(static_cast<UChar32>(cp)));
  return (mask & (U_GC_L_MASK | U_GC_M_MASK | U_GC_N_MASK)) != 0 ? CharClass::kGram
                                                                 : CharClass::kSeparator;
}

// Traditional → simplified per character, from OpenCC's t2s.json: the single-character keys of
// its dictionaries (about 4,100), converted by OpenCC itself one per line, so the phrase
// dictionary never joins neighbours and the mapping is exactly what OpenCC does to a lone
// character.
std::unordered_map<char32_t, char32_t> LoadT2s() {
  std::string input;
  std::string output;
  try {
    opencc::Config config;
    const opencc::ConverterPtr converter = config.NewFromFile(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
    for (const auto& conversion : converter->GetConversionChain()->GetConversions()) {
      const opencc::LexiconPtr lexicon = conversion->GetDict()->GetLexicon();
      for (const auto& entry : *lexicon) {
        const std::string key = entry->Key();
        std::size_t end = 0;
        if (key.empty()) continue;
        utf8::Next(key, end);
        if (end != key.size()) continue;  // a phrase
        input += key;
        input += '\n';
      }
    }
    output = converter->Convert(input);
  } catch (const opencc::Exception& e) {
    throw std::runtime_error(std::string("search: cannot load OpenCC t2s.json: ") + e.what());
  }

  if (std::count(input.begin(), input.end(), '\n') !=
      std::count(output.begin(), output.end(), '\n')) {
    throw std::runtime_error("search: OpenCC t2s.json changed the number of lines");
  }
  std::unordered_map<char32_t, char32_t> t2s;
  std::size_t in_pos = 0;
  std::size_t out_pos = 0;
  while (in_pos < input.size() && out_pos < output.size()) {
    const std::size_t in_end = input.find('\n', in_pos);
    std::size_t out_end = output.find('\n', out_pos);
    if (out_end == std::string::npos) out_end = output.size();
    const std::string_view from(input.data() + in_pos, in_end - in_pos);
    const std::string_view to(output.data() + out_pos, out_end - out_pos);
    std::size_t from_pos = 0;
    std::size_t to_pos = 0;
    const char32_t from_cp = utf8::Next(from, from_pos);
    // Only one-to-one mappings: a character that became several is left as it is.
    if (!to.empty()) {
      const char32_t to_cp = utf8::Next(to, to_pos);
      if (to_pos == to.size() && to_cp != from_cp && to_cp != utf8::kReplacement) {
        t2s.emplace(from_cp, to_cp);
      }
    }
    in_pos = in_end + 1;
    out_pos = out_end + 1;
  }
  if (t2s.size() < 2000) {  // t2s has ~4,000 character mappings; fewer means broken data
    throw std::runtime_error("search: OpenCC t2s.json yielded too few character mappings");
  }
  return t2s;
}

class FoldTable {
 public:
  static const FoldTable& Get() {
    static const FoldTable table;
    return table;
  }

  std::u32string_view Fold(char32_t cp, char32_t& scratch) const {
    std::uint32_t entry = 0;
    if (cp < kBmpEnd) {
      entry = bmp_[cp];
    } else {
      const auto it = std::lower_bound(
          supplementary_.begin(), supplementary_.end(), cp,
          [](const std::pair<char32_t, std::uint32_t>& e, char32_t key) { return e.first < key; });
      entry = (it != supplementary_.end() && it->first == cp) ? it->second : cp;
    }
    if ((entry & kMultiBit) == 0) {
      scratch = entry;
      return {&scratch, 1};
    }
    return std::u32string_view(pool_).substr((entry & ~kMultiBit) >> kLengthBits,
                                             entry & kLengthMask);
  }

  CharClass Class(char32_t cp) const {
    return cp < kBmpEnd ? static_cast<CharClass>(bmp_class_[cp]) : Classify(cp);
  }

 private:
  FoldTable() : bmp_(kBmpEnd), bmp_class_(kBmpEnd) {
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2* nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    if (U_FAILURE(status)) {
      throw std::runtime_error(std::string("search: ICU NFKC_Casefold unavailable: ") +
                               u_errorName(status));
    }
    const auto t2s = LoadT2s();
    const auto simplify = [&](char32_t c) {
      const auto it = t2s.find(c);
      return it == t2s.end() ? c : it->second;
    };
    for (char32_t cp = 0; cp < kBmpEnd; ++cp) bmp_[cp] = cp;
    std::array<char32_t, kLengthMask + 1> folded{};
    for (char32_t cp = 0; cp < kMappedEnd; ++cp) {
      if (cp >= 0xD800 && cp <= 0xDFFF) {
        bmp_[cp] = utf8::kReplacement;  // the decoder never yields surrogates; callers might
        continue;
      }
      // Most code points change under neither mapping: skip them cheaply.
      const bool changes =
          u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_CHANGES_WHEN_NFKC_CASEFOLDED) != 0;
      if (!changes && !t2s.contains(cp)) continue;
      std::size_t length = 1;
      folded[0] = cp;
      if (changes) length = NormalizeOne(nfkc_cf, cp, folded);
      if (length > kLengthMask) continue;  // longer than an entry can say: leave it unfolded
      for (std::size_t i = 0; i < length; ++i) folded[i] = simplify(folded[i]);
      std::uint32_t entry = cp;
      if (length == 1) {
        entry = folded[0];
      } else {
        entry = kMultiBit | static_cast<std::uint32_t>(pool_.size() << kLengthBits) |
                static_cast<std::uint32_t>(length);
        pool_.append(folded.data(), length);
      }
      if (cp < kBmpEnd) {
        bmp_[cp] = entry;
      } else if (entry != cp) {
        supplementary_.emplace_back(cp, entry);  // ascending by construction
      }
    }
    for (char32_t cp = 0; cp < kBmpEnd; ++cp) {
      bmp_class_[cp] = static_cast<std::uint8_t>(Classify(cp));
    }
  }

  // NFKC_Casefold of one code point into `out`; returns its length (> out.size(): too long).
  static std::size_t NormalizeOne(const UNormalizer2* nfkc_cf, char32_t cp,
                                  std::array<char32_t, kLengthMask + 1>& out) {
    std::array<UChar, 2> source{};
    std::int32_t source_length = 0;
    U16_APPEND_UNSAFE(source.data(), source_length, static_cast<UChar32>(cp));
    std::array<UChar, 64> target{};
    UErrorCode status = U_ZERO_ERROR;
    const std::int32_t length =
        unorm2_normalize(nfkc_cf, source.data(), source_length, target.data(),
                         static_cast<std::int32_t>(target.size()), &status);
    if (U_FAILURE(status)) return out.size() + 1;
    std::size_t count = 0;
    for (std::int32_t i = 0; i < length;) {
      UChar32 c = 0;
      U16_NEXT(target.data(), i, length, c);
      if (count == out.size()) return out.size() + 1;
      out[count++] = static_cast<char32_t>(c);
    }
    return count;
  }

  std::vector<std::uint32_t> bmp_;
  std::vector<std::uint8_t> bmp_class_;
  std::vector<std::pair<char32_t, std::uint32_t>> supplementary_;
  std::u32string pool_;
};

// Folds `text` code point by code point, calling emit(cp) for each folded code point.
template <class Emit>
void FoldEach(std::string_view text, std::size_t chars_max, Emit&& emit) {
  const FoldTable& table = FoldTable::Get();
  std::size_t pos = 0;
  for (std::size_t chars = 0; pos < text.size() && chars < chars_max; ++chars) {
    char32_t scratch = 0;
    for (char32_t folded : table.Fold(utf8::Next(text, pos), scratch)) emit(folded);
  }
}

}  // namespace

std::u32string_view FoldCodePoint(char32_t cp, char32_t& scratch) {
  return FoldTable::Get().Fold(cp, scratch);
}

CharClass ClassOf(char32_t folded) {
  return FoldTable::Get().Class(folded);
}

std::string FoldText(std::string_view text, std::size_t chars_max) {
  std::string out;
  out.reserve(text.size());
  FoldEach(text, chars_max, [&](char32_t cp) { utf8::Append(out, cp); });
  return out;
}

std::string FoldCompact(std::string_view text, std::size_t chars_max) {
  const FoldTable& table = FoldTable::Get();
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  FoldEach(text, chars_max, [&](char32_t cp) {
    if (table.Class(cp) == CharClass::kSeparator) {
      pending_space = !out.empty();
      return;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    utf8::Append(out, cp);
  });
  return out;
}

std::vector<Token> Tokenize(std::string_view text) {
  const std::string folded = FoldText(text);
  std::vector<Token> tokens;
  ScanFolded(
      folded,
      [&](char32_t cp) {
        Token token{Token::Kind::kUnigram, {}};
        utf8::Append(token.text, cp);
        tokens.push_back(std::move(token));
      },
      [&](char32_t first, char32_t second) {
        Token token{Token::Kind::kBigram, {}};
        utf8::Append(token.text, first);
        utf8::Append(token.text, second);
        tokens.push_back(std::move(token));
      },
      [&](std::string_view word) {
        tokens.push_back({Token::Kind::kWord, std::string(word)});
      });
  return tokens;
}

std::vector<QueryTerm> ParseQueryText(std::string_view text) {
  std::size_t cut = std::min(text.size(), limits::kQueryBytesMax);
  // Never split a character (it would become U+FFFD): back up over continuation bytes.
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  const std::string folded = FoldText(text.substr(0, cut));
  std::vector<QueryTerm> terms;
  const auto add = [&](QueryTerm term) {
    if (term.chars.empty() || terms.size() >= limits::kQueryTermsMax) return;
    for (const auto& existing : terms) {
      if (existing.kind == term.kind && existing.chars == term.chars) return;
    }
    terms.push_back(std::move(term));
  };
  QueryTerm current;
  const auto flush = [&] {
    if (current.kind == QueryTerm::Kind::kWordPrefix &&
        current.text.size() > limits::kWordBytesMax) {
      // Indexed words are cut at the same length: compare like with like.
      current.text.resize(limits::kWordBytesMax);
      current.chars.resize(limits::kWordBytesMax);
    }
    add(std::move(current));
    current = QueryTerm{};
  };
  std::size_t pos = 0;
  while (pos < folded.size()) {
    const char32_t cp = utf8::Next(folded, pos);
    const CharClass cls = ClassOf(cp);
    const auto kind =
        cls == CharClass::kWord ? QueryTerm::Kind::kWordPrefix : QueryTerm::Kind::kRun;
    if (cls == CharClass::kSeparator || (!current.chars.empty() && current.kind != kind)) flush();
    if (cls == CharClass::kSeparator) continue;
    current.kind = kind;
    current.chars += cp;
    utf8::Append(current.text, cp);
  }
  flush();
  return terms;
}

void WarmUpTokenizer() {
  (void)FoldTable::Get();
}

}  // namespace linli::search
