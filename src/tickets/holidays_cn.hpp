#pragma once
// The national holiday arrangements shipped as data: the default calendar of every community
// until its admins edit a year (GET/PUT /api/v1/communities/{id}/tickets/calendar/{year}).
#include <vector>

#include "tickets/calendar.hpp"

namespace linli::tickets {

struct OfficialYear {
  int year = 0;
  // true: from the State Council notice (国务院办公厅通知); false: only the statutory holiday
  // dates, without 调休 — admins must confirm the year once the notice is published.
  bool confirmed = false;
  const char* source = "";
  std::vector<CalendarDay> days;
};

// The shipped years (2026, 2027), or nullptr for other years (then weekends only).
const OfficialYear* FindOfficialYear(int year);
const std::vector<OfficialYear>& OfficialYears();

}  // namespace linli::tickets
