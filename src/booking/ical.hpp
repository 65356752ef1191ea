#pragma once
// iCalendar (RFC 5545) output for booking feeds. Pure: no I/O, no clock (DTSTAMP comes from
// the events). Lines end in CRLF and are folded at 75 octets without ever splitting a UTF-8
// character; TEXT values are escaped (backslash, semicolon, comma, newline).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace linli::booking {

struct CalendarEvent {
  std::string uid;  // stable across feeds and edits, e.g. "booking-42@linli"
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  std::int64_t stamp_s = 0;  // DTSTAMP: when this version of the event was last changed
  std::string summary;
  std::string description;
  bool cancelled = false;  // STATUS:CANCELLED (calendars then remove the event)
  std::int64_t sequence = 0;
};

// A VCALENDAR with one VEVENT per event; times in UTC ("20261001T080000Z").
std::string RenderCalendar(std::string_view product_id, std::string_view name,
                           const std::vector<CalendarEvent>& events);

// Escapes a TEXT value (RFC 5545 §3.3.11); control characters other than newline are dropped.
std::string EscapeText(std::string_view text);
// Folds one content line (without its CRLF) into lines of at most 75 octets joined by
// CRLF + space, never inside a UTF-8 sequence; the result ends in CRLF.
std::string FoldLine(std::string_view line);
// "20261001T080000Z".
std::string FormatUtc(std::int64_t epoch_s);

}  // namespace linli::booking
