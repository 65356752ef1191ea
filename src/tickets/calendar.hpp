#pragma once
// The working-day calendar of a community and the SLA deadline arithmetic on it. Pure.
//
// A calendar is Monday–Friday working, Saturday–Sunday off, changed by per-date overrides:
// public holidays (off, even on a weekday) and make-up working days (调休: a Saturday or Sunday
// that is a working day). Dates are civil dates in the community's time zone.
//
// Deadline semantics (docs/tickets.md):
//   - "N working days" from an instant t ends at local midnight at the end of the Nth working
//     day after t's local day. A ticket submitted on Friday 2026-09-18 with 3 working days is due
//     at the end of Tuesday 09-22 (Sunday 09-20 is a make-up working day): 2026-09-23 00:00.
//   - "N hours" is wall-clock: t + N·3600 s, holidays or not.
//   - Pausing a clock keeps what is left of it: for working-day windows the working time left
//     (a working day counts all 24 hours, other days count nothing), for hour windows the wall
//     time left. Resuming at r sets the deadline to the instant where that much time has run
//     from r, so resuming on a holiday starts the clock at the next working day.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/time_zone.hpp"
#include "tickets/model.hpp"

namespace linli::tickets {

struct CalendarDay {
  std::int64_t day = 0;  // days since 1970-01-01 (core/time_zone.hpp)
  bool working = false;  // false: a holiday; true: a make-up working day on a weekend
  std::string note;      // "国庆节", "国庆节调休上班"

  bool operator==(const CalendarDay&) const = default;
};

class WorkCalendar {
 public:
  WorkCalendar() = default;
  explicit WorkCalendar(const std::vector<CalendarDay>& overrides);

  // Later overrides of the same day replace earlier ones.
  void Set(const CalendarDay& day);
  bool IsWorkingDay(std::int64_t day) const;

 private:
  std::map<std::int64_t, bool> overrides_;
};

// Working seconds in [from_s, to_s) (0 when to_s <= from_s).
std::int64_t WorkingSecondsBetween(const WorkCalendar& calendar, const TimeZone& zone,
                                   std::int64_t from_s, std::int64_t to_s);
// The instant when `seconds` of working time have run from `from_s`.
std::int64_t AddWorkingSeconds(const WorkCalendar& calendar, const TimeZone& zone,
                               std::int64_t from_s, std::int64_t seconds);

// The deadline of `window` started at `start_s`.
std::int64_t Deadline(const WorkCalendar& calendar, const TimeZone& zone, std::int64_t start_s,
                      const Window& window);
// What is left of a clock due at `due_s`, measured at `now_s` in the window's unit (seconds of
// working time or of wall time); 0 when already due.
std::int64_t Remaining(const WorkCalendar& calendar, const TimeZone& zone, WindowUnit unit,
                       std::int64_t now_s, std::int64_t due_s);
// The new deadline when a clock with `remaining_s` left resumes at `now_s`.
std::int64_t ResumeDeadline(const WorkCalendar& calendar, const TimeZone& zone, WindowUnit unit,
                            std::int64_t now_s, std::int64_t remaining_s);
// When the warning fires for a clock running from `start_s` to `due_s`: after kWarnPercent of
// the wall time between them.
std::int64_t WarnAt(std::int64_t start_s, std::int64_t due_s);

}  // namespace linli::tickets
