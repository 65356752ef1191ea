#pragma once
// HTTP routes of tickets: /api/v1/tickets/*, /api/v1/track/{code},
// /api/v1/communities/{id}/tickets/* (queue, rules, settings, calendar) and the Open311
// GeoReport v2 endpoints under /open311/v2/ (docs/tickets.md).
#include <string>
#include <utility>
#include <vector>

#include <boost/json.hpp>

#include "http/router.hpp"
#include "tickets/service.hpp"

namespace linli::tickets {

void RegisterRoutes(http::Router& router, TicketsService& service);

// Parsing is pure and unit-tested.
Result<NewTicket> ParseNewTicket(const boost::json::object& body);
Result<std::vector<CalendarDay>> ParseCalendarDays(const boost::json::object& body);
Result<Assignee> ParseAssignee(const boost::json::object& body, std::string* note);

// application/x-www-form-urlencoded → name/value pairs ('+' is a space, %XX decoded). 400
// invalid_form for a bad escape. Total: any input.
Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body);
// An Open311 POST requests.json form → the ticket and the api_key.
struct Open311Post {
  std::string api_key;
  NewTicket ticket;
};
Result<Open311Post> ParseOpen311Post(const std::vector<std::pair<std::string, std::string>>& form);
// ISO 8601 "2010-04-14T06:37:38-08:00" / "...Z" → epoch seconds, or nullopt.
std::optional<std::int64_t> ParseIsoDateTime(std::string_view text);
// epoch seconds → "2026-10-09T00:00:00+08:00" in `zone`.
std::string FormatIsoDateTime(std::int64_t epoch_s, const TimeZone& zone);

}  // namespace linli::tickets
