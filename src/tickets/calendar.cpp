#include "tickets/calendar.hpp"

#include <algorithm>

#include "core/limits.hpp"

namespace linli::tickets {

WorkCalendar::WorkCalendar(const std::vector<CalendarDay>& overrides) {
  for (const auto& day : overrides) Set(day);
}

void WorkCalendar::Set(const CalendarDay& day) {
  overrides_[day.day] = day.working;
}

bool WorkCalendar::IsWorkingDay(std::int64_t day) const {
  if (auto found = overrides_.find(day); found != overrides_.end()) return found->second;
  return CivilFromDay(day).weekday <= 5;
}

std::int64_t WorkingSecondsBetween(const WorkCalendar& calendar, const TimeZone& zone,
                                   std::int64_t from_s, std::int64_t to_s) {
  if (to_s <= from_s) return 0;
  std::int64_t total = 0;
  std::int64_t day = zone.ToLocal(from_s).date.day;
  std::int64_t pos = from_s;
  // Bounded: a clock never spans more than the scan limit (years of calendar).
  for (int scanned = 0; pos < to_s && scanned < limits::kTicketCalendarScanDaysMax; ++scanned) {
    const std::int64_t day_end = zone.DayStartUtc(day + 1);
    const std::int64_t slice_end = std::min(day_end, to_s);
    if (calendar.IsWorkingDay(day)) total += slice_end - pos;
    pos = day_end;
    ++day;
  }
  return total;
}

std::int64_t AddWorkingSeconds(const WorkCalendar& calendar, const TimeZone& zone,
                               std::int64_t from_s, std::int64_t seconds) {
  std::int64_t day = zone.ToLocal(from_s).date.day;
  std::int64_t pos = from_s;
  for (int scanned = 0; scanned < limits::kTicketCalendarScanDaysMax; ++scanned) {
    const std::int64_t day_end = zone.DayStartUtc(day + 1);
    if (calendar.IsWorkingDay(day)) {
      if (seconds <= day_end - pos) return pos + seconds;
      seconds -= day_end - pos;
    }
    pos = day_end;
    ++day;
  }
  return pos;  // a calendar without working days for years: the clock never runs out sooner
}

std::int64_t Deadline(const WorkCalendar& calendar, const TimeZone& zone, std::int64_t start_s,
                      const Window& window) {
  if (window.unit == WindowUnit::kHours) return start_s + std::int64_t{window.amount} * 3600;
  std::int64_t day = zone.ToLocal(start_s).date.day;
  int counted = 0;
  for (int scanned = 0; counted < window.amount && scanned < limits::kTicketCalendarScanDaysMax;
       ++scanned) {
    ++day;
    if (calendar.IsWorkingDay(day)) ++counted;
  }
  return zone.DayStartUtc(day + 1);
}

std::int64_t Remaining(const WorkCalendar& calendar, const TimeZone& zone, WindowUnit unit,
                       std::int64_t now_s, std::int64_t due_s) {
  if (due_s <= now_s) return 0;
  if (unit == WindowUnit::kHours) return due_s - now_s;
  return WorkingSecondsBetween(calendar, zone, now_s, due_s);
}

std::int64_t ResumeDeadline(const WorkCalendar& calendar, const TimeZone& zone, WindowUnit unit,
                            std::int64_t now_s, std::int64_t remaining_s) {
  if (unit == WindowUnit::kHours) return now_s + remaining_s;
  return AddWorkingSeconds(calendar, zone, now_s, remaining_s);
}

std::int64_t WarnAt(std::int64_t start_s, std::int64_t due_s) {
  if (due_s <= start_s) return due_s;
  return start_s + (due_s - start_s) * kWarnPercent / 100;
}

}  // namespace linli::tickets
