// The working-day calendar and SLA deadline arithmetic, on the shipped 2026 arrangement:
// the Mid-Autumn block (09-25..27), the National Day block (10-01..07) and its make-up
// working days (Sunday 09-20 and Saturday 10-10).
#include "tickets/calendar.hpp"

#include <gtest/gtest.h>

#include "tickets/holidays_cn.hpp"

namespace linli::tickets {
namespace {

std::int64_t Day(int y, int m, int d) {
  return DayFromCivil(y, m, d).value();
}

class CalendarTest : public ::testing::Test {
 protected:
  // Local wall-clock time in Shanghai → epoch seconds.
  std::int64_t At(int y, int m, int d, int hour = 0, int minute = 0) const {
    return zone_.ToUtc(Day(y, m, d), hour * 3600 + minute * 60);
  }

  TimeZone zone_ = TimeZone::Default();
  WorkCalendar calendar_{FindOfficialYear(2026)->days};
};

TEST_F(CalendarTest, Official2026MatchesTheStateCouncilNotice) {
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 10, 1)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 10, 7)));  // a Wednesday
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 10, 8)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 10, 10)));   // Saturday, make-up day
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 10, 11)));  // plain Sunday
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 9, 20)));    // Sunday, make-up day
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 9, 25)));   // Mid-Autumn, a Friday
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 2, 23)));   // Spring Festival, a Monday
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 2, 14)));    // Saturday, make-up day
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 2, 28)));
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 1, 4)));  // Sunday, make-up day
  EXPECT_TRUE(calendar_.IsWorkingDay(Day(2026, 5, 9)));
  EXPECT_FALSE(calendar_.IsWorkingDay(Day(2026, 5, 5)));
  EXPECT_TRUE(FindOfficialYear(2026)->confirmed);
  EXPECT_FALSE(FindOfficialYear(2027)->confirmed);  // provisional: admins confirm
}

TEST_F(CalendarTest, RedIsTwentyFourWallClockHoursEvenOnAHoliday) {
  const auto start = At(2026, 9, 30, 9);
  EXPECT_EQ(Deadline(calendar_, zone_, start, {WindowUnit::kHours, 24}), At(2026, 10, 1, 9));
}

TEST_F(CalendarTest, WorkingDaysSkipTheNationalDayBlockAndCountTheMakeUpSaturday) {
  const auto start = At(2026, 9, 30, 9);
  // 10-08 Thu (1), 10-09 Fri (2), 10-10 Sat make-up (3): due at the end of 10-10.
  EXPECT_EQ(Deadline(calendar_, zone_, start, {WindowUnit::kWorkingDays, 3}), At(2026, 10, 11));
  // ... 10-12 (4) to 10-15 (7).
  EXPECT_EQ(Deadline(calendar_, zone_, start, {WindowUnit::kWorkingDays, 7}), At(2026, 10, 16));
}

TEST_F(CalendarTest, WorkingDaysSkipMidAutumnAndCountTheMakeUpSunday) {
  // Thursday 09-24: 09-25..27 off, then 09-28, 09-29, 09-30.
  EXPECT_EQ(Deadline(calendar_, zone_, At(2026, 9, 24, 15), {WindowUnit::kWorkingDays, 3}),
            At(2026, 10, 1));
  // Friday 09-18: Sunday 09-20 is a working day, so 09-20, 09-21, 09-22.
  EXPECT_EQ(Deadline(calendar_, zone_, At(2026, 9, 18, 10), {WindowUnit::kWorkingDays, 3}),
            At(2026, 9, 23));
}

TEST_F(CalendarTest, WithoutDataOnlyWeekendsAreOff) {
  const WorkCalendar plain;
  // Friday 2026-10-02 with no holidays: Mon 10-05, Tue 10-06, Wed 10-07.
  EXPECT_EQ(Deadline(plain, zone_, At(2026, 10, 2, 12), {WindowUnit::kWorkingDays, 3}),
            At(2026, 10, 8));
}

TEST_F(CalendarTest, PausingKeepsTheWorkingTimeLeftAndResumesOnTheNextWorkingDay) {
  const auto due = At(2026, 10, 11);  // yellow from 09-30 09:00 (see above)
  const auto paused = At(2026, 9, 30, 12);
  // 12 h of 09-30, nothing 10-01..07, 24 h each of 10-08, 10-09, 10-10.
  const auto left = Remaining(calendar_, zone_, WindowUnit::kWorkingDays, paused, due);
  EXPECT_EQ(left, 84 * 3600);
  // Resumed on a holiday: the clock starts running on 10-08, and 84 h later is 10-12 12:00
  // (Sunday 10-11 does not count).
  EXPECT_EQ(ResumeDeadline(calendar_, zone_, WindowUnit::kWorkingDays, At(2026, 10, 3, 8), left),
            At(2026, 10, 12, 12));
  // Hour windows pause in wall time.
  EXPECT_EQ(Remaining(calendar_, zone_, WindowUnit::kHours, At(2026, 10, 1, 0), At(2026, 10, 1, 9)),
            9 * 3600);
  EXPECT_EQ(ResumeDeadline(calendar_, zone_, WindowUnit::kHours, At(2026, 10, 2, 0), 9 * 3600),
            At(2026, 10, 2, 9));
}

TEST_F(CalendarTest, WorkingSecondsAndAddAreInverse) {
  const auto from = At(2026, 9, 24, 17, 30);
  for (std::int64_t s : {0LL, 1LL, 3600LL, 86400LL, 5 * 86400LL + 123}) {
    const auto to = AddWorkingSeconds(calendar_, zone_, from, s);
    EXPECT_EQ(WorkingSecondsBetween(calendar_, zone_, from, to), s) << s;
  }
}

TEST_F(CalendarTest, WarningAtEightyPercentOfTheWallWindow) {
  EXPECT_EQ(WarnAt(1000, 2000), 1800);
  EXPECT_EQ(WarnAt(2000, 1000), 1000);
}

TEST_F(CalendarTest, LaterOverridesReplaceEarlierOnes) {
  WorkCalendar calendar(FindOfficialYear(2026)->days);
  calendar.Set({Day(2026, 10, 8), false, "台风停工"});
  EXPECT_FALSE(calendar.IsWorkingDay(Day(2026, 10, 8)));
}

}  // namespace
}  // namespace linli::tickets
