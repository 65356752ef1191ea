#pragma once
// Hour-of-week slots (index.hpp's WeekHours) from the two sources the matcher compares: a
// card's weekly booking windows and a need's concrete time window. Both are in the community's
// local time, so a need for "Saturday 14:00–17:00" meets a window "Saturday 08:00–18:00".
#include <cstdint>
#include <vector>

#include "booking/model.hpp"
#include "core/time_zone.hpp"
#include "matching/index.hpp"

namespace linli::matching {

// The slots a card is open: every hour that overlaps one of `windows` (ISO weekday 1 = Monday,
// seconds of the local day). No windows at all means open at any time (booking's rule).
WeekHours OpenHours(const std::vector<booking::WeeklyWindow>& windows);

// The slots a need's window [from_s, to_s) (UTC) touches in `zone`; a window of a week or more
// touches all of them. An empty or inverted window touches none.
WeekHours WindowHours(const TimeZone& zone, std::int64_t from_s, std::int64_t to_s);

// Number of set slots.
int Count(const WeekHours& hours);

}  // namespace linli::matching
