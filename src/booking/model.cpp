#include "booking/model.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include <fmt/format.h>

#include "core/limits.hpp"

namespace linli::booking {
namespace {

constexpr std::array<std::string_view, 2> kKindNames{"booking", "loan"};
constexpr std::array<std::string_view, 9> kStatusNames{"held",       "requested", "confirmed",
                                                       "checked_in", "completed", "cancelled",
                                                       "declined",   "no_show",   "expired"};
constexpr std::array<std::string_view, 2> kBlackoutNames{"blackout", "maintenance"};
constexpr std::array<std::string_view, 5> kWaitNames{"waiting", "offered", "accepted", "expired",
                                                     "left"};
constexpr int kDayS = 24 * 3600;

template <class E, std::size_t N>
std::optional<E> ParseName(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::vector<Interval> Merge(std::vector<Interval> intervals) {
  std::sort(intervals.begin(), intervals.end(),
            [](const Interval& a, const Interval& b) { return a.start_s < b.start_s; });
  std::vector<Interval> merged;
  for (const auto& interval : intervals) {
    if (interval.end_s <= interval.start_s) continue;
    if (!merged.empty() && interval.start_s <= merged.back().end_s) {
      merged.back().end_s = std::max(merged.back().end_s, interval.end_s);
    } else {
      merged.push_back(interval);
    }
  }
  return merged;
}

bool ParseInt(std::string_view text, std::int64_t& out) {
  const auto* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

}  // namespace

std::string_view Name(Kind value) {
  return kKindNames[static_cast<std::size_t>(value)];
}
std::string_view Name(BookingStatus value) {
  return kStatusNames[static_cast<std::size_t>(value)];
}
std::string_view Name(BlackoutKind value) {
  return kBlackoutNames[static_cast<std::size_t>(value)];
}
std::string_view Name(WaitStatus value) {
  return kWaitNames[static_cast<std::size_t>(value)];
}
std::optional<Kind> ParseKind(std::string_view text) {
  return ParseName<Kind>(kKindNames, text);
}
std::optional<BookingStatus> ParseStatus(std::string_view text) {
  return ParseName<BookingStatus>(kStatusNames, text);
}
std::optional<BlackoutKind> ParseBlackoutKind(std::string_view text) {
  return ParseName<BlackoutKind>(kBlackoutNames, text);
}
std::optional<WaitStatus> ParseWaitStatus(std::string_view text) {
  return ParseName<WaitStatus>(kWaitNames, text);
}

bool HoldsSlot(BookingStatus status) {
  return status == BookingStatus::kHeld || status == BookingStatus::kRequested ||
         status == BookingStatus::kConfirmed || status == BookingStatus::kCheckedIn;
}

bool IsFinal(BookingStatus status) {
  return !HoldsSlot(status);
}

std::vector<FieldError> Validate(const Settings& s) {
  std::vector<FieldError> errors;
  const auto fail = [&](std::string field, std::string reason) {
    errors.push_back({std::move(field), std::move(reason)});
  };
  if (s.capacity && (*s.capacity < 1 || *s.capacity > limits::kBookingCapacityMax)) {
    fail("capacity", "out_of_range");
  }
  if (s.buffer_s < 0 || s.buffer_s > limits::kBookingBufferSMax)
    fail("buffer_minutes", "out_of_range");
  if (s.min_duration_s < 60 || s.min_duration_s > limits::kBookingDurationSMax) {
    fail("min_duration_minutes", "out_of_range");
  }
  if (s.max_duration_s < s.min_duration_s || s.max_duration_s > limits::kBookingDurationSMax) {
    fail("max_duration_minutes", "out_of_range");
  }
  if (s.cancel_cutoff_s < 0 || s.cancel_cutoff_s > limits::kBookingDurationSMax) {
    fail("cancel_cutoff_minutes", "out_of_range");
  }
  if (s.no_show_grace_s < 0 || s.no_show_grace_s > limits::kBookingDurationSMax) {
    fail("no_show_grace_minutes", "out_of_range");
  }
  if (s.reminder_lead_s < 0 || s.reminder_lead_s > limits::kBookingDurationSMax) {
    fail("reminder_lead_minutes", "out_of_range");
  }
  if (s.price_fen_per_hour < 0 || s.price_fen_per_hour > limits::kResourcePriceFenMax) {
    fail("price_fen_per_hour", "out_of_range");
  }
  if (s.points < 0 || s.points > limits::kResourcePointsMax) fail("points", "out_of_range");
  if (s.deposit_points < 0 || s.deposit_points > limits::kResourcePointsMax) {
    fail("deposit_points", "out_of_range");
  }
  if (s.windows.size() > limits::kBookingWindowsMax) fail("windows", "too_many");
  for (const auto& w : s.windows) {
    if (w.weekday < 1 || w.weekday > 7 || w.start_s < 0 || w.end_s > kDayS ||
        w.end_s <= w.start_s) {
      fail("windows", "invalid");
      break;
    }
  }
  if (s.blackouts.size() > limits::kBookingBlackoutsMax) fail("blackouts", "too_many");
  for (const auto& b : s.blackouts) {
    if (b.end_s <= b.start_s || b.start_s < 0) {
      fail("blackouts", "invalid");
      break;
    }
    if (b.note.size() > limits::kBookingNoteBytesMax) {
      fail("blackouts", "too_long");
      break;
    }
  }
  return errors;
}

std::vector<Interval> OpenIntervals(const TimeZone& zone, const std::vector<WeeklyWindow>& windows,
                                    std::int64_t from_s, std::int64_t to_s) {
  if (to_s <= from_s) return {};
  if (windows.empty()) return {{from_s, to_s}};
  // Local days that can touch [from_s, to_s): one day of margin for any UTC offset.
  const std::int64_t first_day = zone.ToLocal(from_s).date.day - 1;
  const std::int64_t last_day = zone.ToLocal(to_s).date.day + 1;
  std::vector<Interval> open;
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    const int weekday = CivilFromDay(day).weekday;
    for (const auto& w : windows) {
      if (w.weekday != weekday) continue;
      // A window ending at 24:00 ends where the next day starts, so adjacent days join.
      const std::int64_t start = zone.ToUtc(day, w.start_s);
      const std::int64_t end =
          w.end_s >= kDayS ? zone.DayStartUtc(day + 1) : zone.ToUtc(day, w.end_s);
      const std::int64_t clipped_start = std::max(start, from_s);
      const std::int64_t clipped_end = std::min(end, to_s);
      if (clipped_end > clipped_start) open.push_back({clipped_start, clipped_end});
    }
  }
  return Merge(std::move(open));
}

bool WindowsCover(const TimeZone& zone, const std::vector<WeeklyWindow>& windows,
                  std::int64_t start_s, std::int64_t end_s) {
  if (windows.empty()) return true;
  const auto open = OpenIntervals(zone, windows, start_s, end_s);
  return open.size() == 1 && open.front().start_s == start_s && open.front().end_s == end_s;
}

const Blackout* BlackoutOverlapping(const std::vector<Blackout>& blackouts, std::int64_t start_s,
                                    std::int64_t end_s) {
  for (const auto& blackout : blackouts) {
    if (blackout.start_s < end_s && blackout.end_s > start_s) return &blackout;
  }
  return nullptr;
}

std::int64_t PriceFen(std::int64_t fen_per_hour, std::int64_t duration_s) {
  if (fen_per_hour <= 0 || duration_s <= 0) return 0;
  return (fen_per_hour * duration_s + 3599) / 3600;
}

std::vector<std::int64_t> FreeUnits(const std::vector<Occupied>& occupied, std::int64_t capacity,
                                    std::int64_t start_s, std::int64_t end_s) {
  std::vector<bool> taken(static_cast<std::size_t>(std::max<std::int64_t>(capacity, 0)), false);
  for (const auto& o : occupied) {
    if (o.unit < 0 || o.unit >= capacity) continue;
    if (o.start_s < end_s && o.end_s > start_s) taken[static_cast<std::size_t>(o.unit)] = true;
  }
  std::vector<std::int64_t> free;
  for (std::int64_t unit = 0; unit < capacity; ++unit) {
    if (!taken[static_cast<std::size_t>(unit)]) free.push_back(unit);
  }
  return free;
}

std::vector<Interval> FullIntervals(const std::vector<Occupied>& occupied, std::int64_t capacity,
                                    std::int64_t from_s, std::int64_t to_s) {
  // Sweep over interval edges counting occupied units (each unit holds at most one booking at a
  // time, so the count is the number of busy units).
  std::vector<std::pair<std::int64_t, int>> edges;
  for (const auto& o : occupied) {
    const std::int64_t s = std::max(o.start_s, from_s);
    const std::int64_t e = std::min(o.end_s, to_s);
    if (e <= s) continue;
    edges.emplace_back(s, 1);
    edges.emplace_back(e, -1);
  }
  std::sort(edges.begin(), edges.end());
  std::vector<Interval> full;
  std::int64_t count = 0;
  std::optional<std::int64_t> full_since;
  for (std::size_t i = 0; i < edges.size();) {
    const std::int64_t at = edges[i].first;
    while (i < edges.size() && edges[i].first == at) count += edges[i++].second;
    if (count >= capacity && !full_since) full_since = at;
    if (count < capacity && full_since) {
      full.push_back({*full_since, at});
      full_since.reset();
    }
  }
  return Merge(std::move(full));
}

std::optional<int> ParseClock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  std::int64_t hours = 0;
  std::int64_t minutes = 0;
  if (!ParseInt(text.substr(0, 2), hours) || !ParseInt(text.substr(3, 2), minutes)) {
    return std::nullopt;
  }
  if (hours < 0 || minutes < 0 || minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
    return std::nullopt;
  }
  return static_cast<int>(hours * 3600 + minutes * 60);
}

std::string FormatClock(int second_of_day) {
  return fmt::format("{:02}:{:02}", second_of_day / 3600, second_of_day % 3600 / 60);
}

std::string EncodeWindows(const std::vector<WeeklyWindow>& windows) {
  std::string out;
  for (const auto& w : windows) {
    if (!out.empty()) out += ';';
    out += fmt::format("{},{},{}", w.weekday, w.start_s, w.end_s);
  }
  return out;
}

std::optional<std::vector<WeeklyWindow>> DecodeWindows(std::string_view text) {
  std::vector<WeeklyWindow> windows;
  while (!text.empty()) {
    const auto end = text.find(';');
    std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    std::array<std::int64_t, 3> parts{};
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const auto comma = item.find(',');
      if ((comma == std::string_view::npos) != (i == parts.size() - 1)) return std::nullopt;
      if (!ParseInt(item.substr(0, comma), parts[i])) return std::nullopt;
      item = comma == std::string_view::npos ? std::string_view{} : item.substr(comma + 1);
    }
    windows.push_back(
        {static_cast<int>(parts[0]), static_cast<int>(parts[1]), static_cast<int>(parts[2])});
  }
  return windows;
}

}  // namespace linli::booking
