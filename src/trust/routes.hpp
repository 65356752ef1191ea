#pragma once
#include <boost/json.hpp>

#include "http/router.hpp"
#include "trust/service.hpp"

namespace linli::trust {

// /api/v1/ratings/*, /api/v1/reports/*, /api/v1/disputes/*, /api/v1/trust/* (exchanges, credit,
// summaries, rules, verifications). Documented in docs/api/openapi.yaml.
void RegisterRoutes(http::Router& router, TrustService& service);

// Request parsing, pure so it is unit-tested without a server (400 invalid_field with errors[]).
struct RatingInput {
  std::int64_t stars = 0;
  std::string comment;
};
Result<RatingInput> ParseRating(const boost::json::object& body);
Result<ReportInput> ParseReport(const boost::json::object& body);
struct ReportDecision {
  bool upheld = false;
  std::string reason;
};
Result<ReportDecision> ParseReportDecision(const boost::json::object& body);
Result<Resolution> ParseResolution(const boost::json::object& body);
Result<ExchangeRecord> ParseExchangeRecord(const boost::json::object& body);
Result<VerificationInput> ParseVerification(const boost::json::object& body);

// Responses.
boost::json::object RatingJson(const Rating& rating);
boost::json::object CreditJson(const CreditReport& report);
boost::json::object RulesJson(const CreditRules& rules);

}  // namespace linli::trust
