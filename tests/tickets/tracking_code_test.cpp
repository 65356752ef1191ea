// Tracking codes: shape, randomness source, and the check symbol catching every single
// substitution and every transposition.
#include "tickets/tracking_code.hpp"

#include <set>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

namespace linli::tickets {
namespace {

TEST(TrackingCode, HasTypeLetterAlphabetAndValidCheck) {
  SeededRandom random(1);
  for (Type type : {Type::kConsult, Type::kHelp, Type::kComplaint, Type::kReport, Type::kSuggestion,
                    Type::kRepair}) {
    const auto code = NewTrackingCode(type, random);
    ASSERT_EQ(code.size(), kCodeLength);
    EXPECT_EQ(code.front(), TypeLetter(type));
    EXPECT_EQ(TypeOfLetter(code.front()), type);
    for (char c : code) EXPECT_NE(kCodeAlphabet.find(c), std::string_view::npos) << code;
    EXPECT_EQ(ParseTrackingCode(code), code);
  }
  EXPECT_EQ(TypeLetter(Type::kRepair), 'B');
  EXPECT_EQ(TypeLetter(Type::kReport), 'J');
}

TEST(TrackingCode, AlphabetHasNoAmbiguousCharacters) {
  for (char c : std::string_view("0O1ILU")) {
    EXPECT_EQ(kCodeAlphabet.find(c), std::string_view::npos) << c;
  }
  EXPECT_EQ(kCodeAlphabet.size(), 30u);
}

TEST(TrackingCode, FormatsInGroupsAndParsesAnyCaseAndSeparators) {
  SeededRandom random(2);
  const auto code = NewTrackingCode(Type::kRepair, random);
  const auto shown = FormatTrackingCode(code);
  ASSERT_EQ(shown.size(), 19u);
  EXPECT_EQ(shown[1], '-');
  EXPECT_EQ(shown[7], '-');
  EXPECT_EQ(shown[13], '-');
  EXPECT_EQ(ParseTrackingCode(shown), code);
  std::string lower = shown;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(ParseTrackingCode(" " + lower + " "), code);
}

TEST(TrackingCode, RejectsMalformedInput) {
  EXPECT_FALSE(ParseTrackingCode(""));
  EXPECT_FALSE(ParseTrackingCode("B"));
  EXPECT_FALSE(ParseTrackingCode("B-23456-78923-45678-9"));  // too long
  EXPECT_FALSE(ParseTrackingCode("X2345678923456A"));        // no such type letter
  EXPECT_FALSE(ParseTrackingCode("B0000000000000OO"));       // outside the alphabet
  EXPECT_FALSE(ParseTrackingCode(std::string("B234\0", 5)));
}

// Exhaustive over a sample of codes: every position, every other symbol.
TEST(TrackingCode, CheckCatchesEverySingleSubstitution) {
  SeededRandom random(3);
  for (int n = 0; n < 50; ++n) {
    const auto code = NewTrackingCode(Type::kHelp, random);
    for (std::size_t i = 0; i < code.size(); ++i) {
      for (char replacement : kCodeAlphabet) {
        if (replacement == code[i]) continue;
        std::string broken = code;
        broken[i] = replacement;
        EXPECT_FALSE(ParseTrackingCode(broken)) << code << " → " << broken;
      }
    }
  }
}

TEST(TrackingCode, CheckCatchesEveryTransposition) {
  SeededRandom random(4);
  for (int n = 0; n < 50; ++n) {
    const auto code = NewTrackingCode(Type::kComplaint, random);
    for (std::size_t i = 0; i < code.size(); ++i) {
      for (std::size_t j = i + 1; j < code.size(); ++j) {
        if (code[i] == code[j]) continue;
        std::string swapped = code;
        std::swap(swapped[i], swapped[j]);
        EXPECT_FALSE(ParseTrackingCode(swapped)) << code << " → " << swapped;
      }
    }
  }
}

TEST(TrackingCode, CodesDoNotRepeat) {
  SeededRandom random(5);
  std::set<std::string> seen;
  for (int n = 0; n < 20000; ++n) {
    EXPECT_TRUE(seen.insert(NewTrackingCode(Type::kRepair, random)).second);
  }
}

RC_GTEST_PROP(TrackingCodeProperty, ParseNeverAcceptsAnArbitraryStringWithABadCheck,
              (const std::string& text)) {
  // Whatever parses is canonical and re-parses to itself.
  if (auto parsed = ParseTrackingCode(text)) {
    RC_ASSERT(parsed->size() == kCodeLength);
    RC_ASSERT(ParseTrackingCode(*parsed) == parsed);
    RC_ASSERT(ParseTrackingCode(FormatTrackingCode(*parsed)) == parsed);
  }
}

}  // namespace
}  // namespace linli::tickets
