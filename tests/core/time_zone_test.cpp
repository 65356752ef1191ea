#include "core/time_zone.hpp"

#include <gtest/gtest.h>

namespace linli {
namespace {

TEST(TimeZone, ShanghaiIsEightHoursAheadWithoutDst) {
  const TimeZone zone = TimeZone::Default();
  EXPECT_EQ(zone.name(), "Asia/Shanghai");
  // 2026-10-01 00:00 in Shanghai is 2026-09-30 16:00 UTC.
  const std::int64_t day = DayFromCivil(2026, 10, 1).value();
  EXPECT_EQ(zone.DayStartUtc(day), 1790812800 - 8 * 3600);
  const LocalTime local = zone.ToLocal(1790812800 - 8 * 3600 + 3600 + 5);
  EXPECT_EQ(local.date.day, day);
  EXPECT_EQ(local.date.weekday, 4);  // a Thursday
  EXPECT_EQ(local.second_of_day, 3605);
}

TEST(TimeZone, DstGapAndOverlapInBerlin) {
  const TimeZone zone = TimeZone::Find("Europe/Berlin").value();
  const std::int64_t spring = DayFromCivil(2026, 3, 29).value();
  // 02:30 does not exist that night: the instant after the gap, 03:00 CEST = 01:00 UTC.
  EXPECT_EQ(zone.ToUtc(spring, 2 * 3600 + 1800), zone.ToUtc(spring, 3 * 3600));
  const std::int64_t autumn = DayFromCivil(2026, 10, 25).value();
  // 02:30 happens twice: the first one is still CEST (UTC+2).
  EXPECT_EQ(zone.ToUtc(autumn, 2 * 3600 + 1800), zone.DayStartUtc(autumn) + 2 * 3600 + 1800);
}

TEST(TimeZone, UnknownZoneIsAFieldError) {
  auto zone = TimeZone::Find("Mars/Olympus");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.error().reason, "invalid_field");
  EXPECT_EQ(zone.error().errors.at(0).field, "timezone");
}

TEST(CivilDate, ParsesAndFormatsIsoDates) {
  EXPECT_EQ(FormatIsoDate(ParseIsoDate("2027-02-28").value()), "2027-02-28");
  EXPECT_EQ(ParseIsoDate("1970-01-02").value(), 1);
  EXPECT_FALSE(ParseIsoDate("2026-02-29"));
  EXPECT_FALSE(ParseIsoDate("2026-2-01"));
  EXPECT_FALSE(ParseIsoDate("2026-02-01x"));
  EXPECT_FALSE(ParseIsoDate(""));
  EXPECT_EQ(CivilFromDay(-1).year, 1969);
}

}  // namespace
}  // namespace linli
