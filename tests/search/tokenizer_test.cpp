#include "search/tokenizer.hpp"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace linli::search {
namespace {

std::vector<std::string> TextsOf(const std::vector<Token>& tokens, Token::Kind kind) {
  std::vector<std::string> out;
  for (const auto& token : tokens) {
    if (token.kind == kind) out.push_back(token.text);
  }
  return out;
}

TEST(FoldTest, FullWidthAndCaseFoldToHalfWidthLowerCase) {
  EXPECT_EQ(FoldText("ＷｉＦｉ ６"), "wifi 6");
  EXPECT_EQ(FoldText("WiFi"), "wifi");
  EXPECT_EQ(FoldText("３Ｄ打印"), "3d打印");
  EXPECT_EQ(FoldText("\xE3\x80\x80"), " ");  // ideographic space
}

TEST(FoldTest, TraditionalFoldsToSimplified) {
  EXPECT_EQ(FoldText("雨傘"), "雨伞");
  EXPECT_EQ(FoldText("電鑽"), "电钻");
  EXPECT_EQ(FoldText("家電維修"), "家电维修");
  EXPECT_EQ(FoldText("車位"), "车位");
  EXPECT_EQ(FoldText("社區課堂"), "社区课堂");
  EXPECT_EQ(FoldText("雨伞"), "雨伞");  // simplified stays
}

TEST(FoldTest, CompatibilityIdeographsFold) {
  // U+F900 → U+8C48 豈 (NFKC), then → 岂 (t2s).
  EXPECT_EQ(FoldText("\xEF\xA4\x80"), FoldText("豈"));
  EXPECT_EQ(FoldText("豈"), "岂");
}

TEST(FoldTest, IsPerCodePointSoSubstringsSurvive) {
  // Fold(a + b) == Fold(a) + Fold(b): a substring of a text folds to a substring of its fold.
  const std::vector<std::string> pieces{"雨", "傘",           "電", "鑽", "Ａ", "b", "，", " ",
                                        "㎡", "\xE2\x80\x8B", "乾", "後", "x",  "7", "ß",  "é"};
  std::mt19937 rng(7);
  for (int round = 0; round < 500; ++round) {
    std::string a;
    std::string b;
    for (int i = 0; i < 6; ++i) a += pieces[rng() % pieces.size()];
    for (int i = 0; i < 6; ++i) b += pieces[rng() % pieces.size()];
    EXPECT_EQ(FoldText(a + b), FoldText(a) + FoldText(b));
  }
}

TEST(FoldTest, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(FoldText("a\xFF\xC0\x80z"), "a\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDz");
  EXPECT_EQ(FoldText("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // a surrogate
  EXPECT_EQ(FoldText("\xE7\x94"), "\xEF\xBF\xBD\xEF\xBF\xBD");                  // truncated
}

TEST(FoldTest, CompactCollapsesSeparators) {
  EXPECT_EQ(FoldCompact("  电钻，出借！！ WiFi  ", 100), "电钻 出借 wifi");
  EXPECT_EQ(FoldCompact("电钻出借", 2), "电钻");  // reads at most chars_max code points
}

TEST(TokenizeTest, CjkGivesUnigramsAndBigrams) {
  const auto tokens = Tokenize("电钻出借");
  EXPECT_EQ(TextsOf(tokens, Token::Kind::kUnigram),
            (std::vector<std::string>{"电", "钻", "出", "借"}));
  EXPECT_EQ(TextsOf(tokens, Token::Kind::kBigram),
            (std::vector<std::string>{"电钻", "钻出", "出借"}));
  EXPECT_TRUE(TextsOf(tokens, Token::Kind::kWord).empty());
}

TEST(TokenizeTest, SeparatorsBreakBigramsAndWords) {
  const auto tokens = Tokenize("电，钻 WiFi-6 3D打印");
  EXPECT_EQ(TextsOf(tokens, Token::Kind::kBigram), (std::vector<std::string>{"打印"}));
  EXPECT_EQ(TextsOf(tokens, Token::Kind::kWord), (std::vector<std::string>{"wifi", "6", "3d"}));
}

TEST(TokenizeTest, TraditionalTextTokenizesAsSimplified) {
  EXPECT_EQ(TextsOf(Tokenize("雨傘"), Token::Kind::kBigram), (std::vector<std::string>{"雨伞"}));
}

TEST(TokenizeTest, LongWordsAreCut) {
  const auto tokens = Tokenize(std::string(200, 'a'));
  ASSERT_EQ(tokens.size(), 1U);
  EXPECT_EQ(tokens[0].text.size(), limits::kWordBytesMax);
}

TEST(ParseQueryTextTest, SplitsIntoRunsAndWordPrefixes) {
  const auto terms = ParseQueryText("電鑽 WiFi，3D打印");
  ASSERT_EQ(terms.size(), 4U);
  EXPECT_EQ(terms[0].kind, QueryTerm::Kind::kRun);
  EXPECT_EQ(terms[0].text, "电钻");
  EXPECT_EQ(terms[1].kind, QueryTerm::Kind::kWordPrefix);
  EXPECT_EQ(terms[1].text, "wifi");
  EXPECT_EQ(terms[2].text, "3d");
  EXPECT_EQ(terms[3].text, "打印");
  EXPECT_EQ(terms[3].chars, U"打印");
}

TEST(ParseQueryTextTest, DropsDuplicatesAndPunctuation) {
  EXPECT_TRUE(ParseQueryText("！？。 ,, ").empty());
  EXPECT_EQ(ParseQueryText("电钻 電鑽 电钻").size(), 1U);
}

TEST(ParseQueryTextTest, BoundsTermsAndBytes) {
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(ParseQueryText(many).size(), limits::kQueryTermsMax);
  std::string long_run;
  for (int i = 0; i < 1000; ++i) long_run += "电";
  const auto terms = ParseQueryText(long_run);
  ASSERT_EQ(terms.size(), 1U);
  // Cut at a character boundary: 170 whole characters, no replacement character.
  EXPECT_EQ(terms[0].text.size(), limits::kQueryBytesMax / 3 * 3);
}

}  // namespace
}  // namespace linli::search
