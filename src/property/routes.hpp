#pragma once
#include <cstdint>
#include <optional>

#include <boost/json.hpp>

#include "http/router.hpp"
#include "property/service.hpp"

namespace linli::property {

// /api/v1/visitors/passes/..., /api/v1/visitors/expected, /api/v1/gate/verify,
// /api/v1/bills/..., /api/v1/announcements/...
void RegisterRoutes(http::Router& router, PropertyService& service);

// Request parsing, pure so it is unit-tested without a server (400 invalid_field with errors[]
// for every problem found). `community_id` is read where a body may name one (0 when absent).
struct Targeted {
  std::int64_t community_id = 0;
};
Result<std::pair<Targeted, PassRequest>> ParsePassRequest(const boost::json::object& body);
Result<GateInput> ParseGateInput(const boost::json::object& body);
Result<std::pair<Targeted, BillInput>> ParseBillInput(const boost::json::object& body);
Result<std::pair<Targeted, BatchInput>> ParseBatchInput(const boost::json::object& body);
Result<PaymentInput> ParsePaymentInput(const boost::json::object& body);
Result<std::pair<Targeted, AnnouncementInput>> ParseAnnouncementInput(
    const boost::json::object& body);

// "active", "upcoming", "used_up", "expired" or "revoked" at `now_s`.
std::string_view PassStatus(const VisitorPass& pass, std::int64_t now_s);

}  // namespace linli::property
