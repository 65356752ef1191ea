#pragma once
#include <boost/json.hpp>

#include "booking/service.hpp"
#include "http/router.hpp"

namespace linli::booking {

// /api/v1/bookings/*, /api/v1/loans/*, /api/v1/resources/{id}/availability (GET),
// /api/v1/resources/{id}/booking-settings and the anonymous /ical/{token} feeds.
void RegisterRoutes(http::Router& router, BookingService& service);

// Parsing is pure and unit-tested.
// PUT booking-settings body → settings (absent members take the defaults of `base`).
Result<Settings> ParseSettingsBody(const boost::json::object& body, const Settings& base);
// POST /bookings and /loans bodies; `now_s` is a loan's default start.
Result<CreateRequest> ParseCreateBody(const boost::json::object& body, Kind kind,
                                      std::int64_t now_s);
// ?from=&to= epoch seconds, both required.
Result<std::pair<std::int64_t, std::int64_t>> ParseRange(const http::Request& request);
// "abc.ics" → "abc".
std::string_view StripIcs(std::string_view text);

}  // namespace linli::booking
