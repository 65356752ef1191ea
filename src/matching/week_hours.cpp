#include "matching/week_hours.hpp"

#include <algorithm>
#include <bit>

namespace linli::matching {
namespace {

constexpr int kHoursPerWeek = 168;
constexpr std::int64_t kHourS = 3600;

void Set(WeekHours& hours, int slot) {
  hours[static_cast<std::size_t>(slot / 64)] |= std::uint64_t{1} << (slot % 64);
}

}  // namespace

WeekHours OpenHours(const std::vector<booking::WeeklyWindow>& windows) {
  if (windows.empty()) return AllWeek();
  WeekHours hours{0, 0, 0};
  for (const auto& window : windows) {
    if (window.weekday < 1 || window.weekday > 7 || window.end_s <= window.start_s) continue;
    const int first = static_cast<int>(window.start_s / kHourS);
    const int last = static_cast<int>((window.end_s - 1) / kHourS);  // the hour of the last second
    for (int hour = first; hour <= std::min(last, 23); ++hour) {
      Set(hours, (window.weekday - 1) * 24 + hour);
    }
  }
  return hours;
}

WeekHours WindowHours(const TimeZone& zone, std::int64_t from_s, std::int64_t to_s) {
  WeekHours hours{0, 0, 0};
  if (to_s <= from_s) return hours;
  if (to_s - from_s >= kHoursPerWeek * kHourS) return AllWeek();
  // Walk the window hour by hour in local time (168 steps at most); stepping by UTC hours is
  // exact for whole-hour zone offsets and touches every local hour for the others.
  const std::int64_t first = from_s - from_s % kHourS;
  for (std::int64_t at = first; at < to_s; at += kHourS) {
    const auto local = zone.ToLocal(std::max(at, from_s));
    Set(hours, (local.date.weekday - 1) * 24 + local.second_of_day / 3600);
  }
  const auto last = zone.ToLocal(to_s - 1);
  Set(hours, (last.date.weekday - 1) * 24 + last.second_of_day / 3600);
  return hours;
}

int Count(const WeekHours& hours) {
  int count = 0;
  for (auto word : hours) count += std::popcount(word);
  return count;
}

}  // namespace linli::matching
