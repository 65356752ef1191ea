#include "core/time_zone.hpp"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <date/tz.h>

namespace linli {
namespace {

constexpr std::int64_t kDayS = 86400;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

}  // namespace

CivilDate CivilFromDay(std::int64_t day) {
  const date::sys_days days{date::days{day}};
  const date::year_month_day ymd{days};
  const date::weekday weekday{days};
  return CivilDate{day, static_cast<int>(ymd.year()), static_cast<int>(unsigned{ymd.month()}),
                   static_cast<int>(unsigned{ymd.day()}), static_cast<int>(weekday.iso_encoding())};
}

Result<std::int64_t> DayFromCivil(int year, int month, int monthday) {
  const date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                                 date::day{static_cast<unsigned>(monthday)}};
  if (month < 1 || monthday < 1 || !ymd.ok()) {
    return InvalidFieldError("date", "invalid_date");
  }
  return date::sys_days{ymd}.time_since_epoch().count();
}

Result<std::int64_t> ParseIsoDate(std::string_view text) {
  int parts[3] = {0, 0, 0};
  const std::size_t widths[3] = {4, 2, 2};
  std::size_t at = 0;
  for (int i = 0; i < 3; ++i) {
    if (i > 0) {
      if (at >= text.size() || text[at] != '-') {
        return InvalidFieldError("date", "invalid_date");
      }
      ++at;
    }
    const char* first = text.data() + at;
    const char* last = first + widths[i];
    if (at + widths[i] > text.size()) {
      return InvalidFieldError("date", "invalid_date");
    }
    auto [end, ec] = std::from_chars(first, last, parts[i]);
    if (ec != std::errc{} || end != last) {
      return InvalidFieldError("date", "invalid_date");
    }
    at += widths[i];
  }
  if (at != text.size()) {
    return InvalidFieldError("date", "invalid_date");
  }
  return DayFromCivil(parts[0], parts[1], parts[2]);
}

std::string FormatIsoDate(std::int64_t day) {
  const CivilDate civil = CivilFromDay(day);
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", civil.year, civil.month, civil.monthday);
  return buffer;
}

Result<TimeZone> TimeZone::Find(std::string_view name) {
  try {
    return TimeZone(date::locate_zone(name));
  } catch (const std::exception&) {
    return InvalidFieldError("timezone", "unknown_timezone");
  }
}

TimeZone TimeZone::Default() {
  static const date::time_zone* zone = date::locate_zone("Asia/Shanghai");
  return TimeZone(zone);
}

LocalTime TimeZone::ToLocal(std::int64_t epoch_s) const {
  const auto local = zone_->to_local(date::sys_seconds{std::chrono::seconds{epoch_s}});
  const std::int64_t seconds = local.time_since_epoch().count();
  const std::int64_t day = FloorDiv(seconds, kDayS);
  return LocalTime{CivilFromDay(day), static_cast<int>(seconds - day * kDayS)};
}

std::int64_t TimeZone::ToUtc(std::int64_t day, int second_of_day) const {
  const date::local_seconds local{std::chrono::seconds{day * kDayS + second_of_day}};
  const date::local_info info = zone_->get_info(local);
  switch (info.result) {
    case date::local_info::unique:
    case date::local_info::ambiguous:  // the first occurrence
      return (local - info.first.offset).time_since_epoch().count();
    case date::local_info::nonexistent:  // in the gap: the instant the gap ends
    default: return info.second.begin.time_since_epoch().count();
  }
}

const std::string& TimeZone::name() const {
  return zone_->name();
}

}  // namespace linli
