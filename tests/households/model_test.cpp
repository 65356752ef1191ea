// Pure model functions: dates, ages, names.
#include "households/model.hpp"

#include <gtest/gtest.h>

namespace linli::households {
namespace {

TEST(HouseholdsModelTest, AgesAndDates) {
  EXPECT_EQ(AgeYears("2012-09-21", 1'790'000'000), 14);  // 2026-09-21: the birthday itself
  EXPECT_EQ(AgeYears("2012-09-22", 1'790'000'000), 13);
  EXPECT_EQ(AgeYears("2012-02-29", 1'646'006'400), 9);  // 2022-02-28: not yet
  EXPECT_FALSE(AgeYears("2012-02-30", 1'790'000'000).has_value());
  EXPECT_FALSE(ParseCivilDate("2012-9-01").has_value());
  EXPECT_FALSE(ParseCivilDate("1899-12-31").has_value());
  EXPECT_EQ(ParseCivilDate("1970-01-02"), 1);
  EXPECT_EQ(CivilDateOf(1'790'000'000), "2026-09-21");
  EXPECT_EQ(ParseWillingness(WillingnessName(Willingness::kMaybe)), Willingness::kMaybe);
  EXPECT_FALSE(ParseConsentKind("marketing").has_value());
}

}  // namespace
}  // namespace linli::households
