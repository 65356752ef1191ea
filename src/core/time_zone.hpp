#pragma once
// Civil (wall-clock) time in a community's IANA time zone, from the system tzdata. Storage is
// always UTC epoch seconds; windows, calendars and working days are evaluated in the zone.
// Thread-safe: a TimeZone is an immutable handle to the process-wide tz database.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace date {
class time_zone;
}

namespace linli {

// A civil date: days since 1970-01-01 and its calendar fields.
struct CivilDate {
  std::int64_t day = 0;  // days since 1970-01-01 (negative before)
  int year = 1970;
  int month = 1;     // 1..12
  int monthday = 1;  // 1..31
  int weekday = 4;   // ISO: 1 = Monday … 7 = Sunday
};

// Calendar fields of a day number, and back; pure, no zone involved.
CivilDate CivilFromDay(std::int64_t day);
// Days since 1970-01-01 of y-m-d, or 400 invalid_field ("date") when it is no real date.
Result<std::int64_t> DayFromCivil(int year, int month, int monthday);
// "2026-10-01" → its day number; 400 invalid_field (field "date") for anything else.
Result<std::int64_t> ParseIsoDate(std::string_view text);
std::string FormatIsoDate(std::int64_t day);

struct LocalTime {
  CivilDate date;
  int second_of_day = 0;  // 0..86399
};

class TimeZone {
 public:
  // 400 invalid_field (field "timezone") when the zone is unknown.
  static Result<TimeZone> Find(std::string_view name);
  // Asia/Shanghai, the default of every community.
  static TimeZone Default();

  LocalTime ToLocal(std::int64_t epoch_s) const;
  // The UTC instant of a local wall-clock time. A time skipped by a DST change maps to the
  // instant after the gap; an ambiguous one to its first occurrence.
  std::int64_t ToUtc(std::int64_t day, int second_of_day) const;
  // The UTC instant the local day starts.
  std::int64_t DayStartUtc(std::int64_t day) const { return ToUtc(day, 0); }
  const std::string& name() const;

 private:
  explicit TimeZone(const date::time_zone* zone) : zone_(zone) {}
  const date::time_zone* zone_;
};

}  // namespace linli
