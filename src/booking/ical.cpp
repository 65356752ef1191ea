#include "booking/ical.hpp"

#include <ctime>

#include <fmt/format.h>

namespace linli::booking {
namespace {

constexpr std::size_t kLineOctetsMax = 75;

bool IsContinuation(unsigned char byte) {
  return (byte & 0xC0) == 0x80;
}

}  // namespace

std::string EscapeText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\n': out += "\\n"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') break;  // CRLF → one \n
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) break;
        out += c;
    }
  }
  return out;
}

std::string FoldLine(std::string_view line) {
  std::string out;
  out.reserve(line.size() + line.size() / kLineOctetsMax * 3 + 2);
  std::size_t limit = kLineOctetsMax;  // continuation lines start with a space: 74 more octets
  while (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && IsContinuation(static_cast<unsigned char>(line[cut]))) --cut;
    out.append(line.substr(0, cut));
    out += "\r\n ";
    line.remove_prefix(cut);
    limit = kLineOctetsMax - 1;
  }
  out.append(line);
  out += "\r\n";
  return out;
}

std::string FormatUtc(std::int64_t epoch_s) {
  const std::time_t time = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&time, &tm);
  return fmt::format("{:04}{:02}{:02}T{:02}{:02}{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string RenderCalendar(std::string_view product_id, std::string_view name,
                           const std::vector<CalendarEvent>& events) {
  std::string out;
  const auto line = [&out](std::string_view text) { out += FoldLine(text); };
  line("BEGIN:VCALENDAR");
  line("VERSION:2.0");
  line(fmt::format("PRODID:{}", product_id));
  line("CALSCALE:GREGORIAN");
  line("METHOD:PUBLISH");
  line(fmt::format("X-WR-CALNAME:{}", EscapeText(name)));
  for (const auto& event : events) {
    line("BEGIN:VEVENT");
    line(fmt::format("UID:{}", EscapeText(event.uid)));
    line(fmt::format("DTSTAMP:{}", FormatUtc(event.stamp_s)));
    line(fmt::format("DTSTART:{}", FormatUtc(event.start_s)));
    line(fmt::format("DTEND:{}", FormatUtc(event.end_s)));
    line(fmt::format("SEQUENCE:{}", event.sequence));
    line(fmt::format("SUMMARY:{}", EscapeText(event.summary)));
    if (!event.description.empty()) {
      line(fmt::format("DESCRIPTION:{}", EscapeText(event.description)));
    }
    line(event.cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
    line("TRANSP:OPAQUE");
    line("END:VEVENT");
  }
  line("END:VCALENDAR");
  return out;
}

}  // namespace linli::booking
