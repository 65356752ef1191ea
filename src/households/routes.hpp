#pragma once
#include <optional>

#include <boost/json.hpp>

#include "households/service.hpp"
#include "http/router.hpp"

namespace linli::households {

// /api/v1/households/... (records, members, consents, history, person export and erasure) and
// /api/v1/communities/{id}/grid-guides, /api/v1/communities/{id}/grids/{grid_id}/guides/{user_id}.
void RegisterRoutes(http::Router& router, HouseholdsService& service);

// Request parsing, pure so it is unit-tested without a server (400 invalid_field with
// errors[] for every problem found).
Result<MemberSave> ParseMemberSave(const boost::json::object& body, bool create);
Result<RecordPatch> ParseRecordPatch(const boost::json::object& body);
Result<ConsentChange> ParseConsentChange(const boost::json::object& body);
Result<HistoryInput> ParseHistoryInput(const boost::json::object& body);
// An If-Match header: `"<version>"` (or W/"<version>"); nullopt when absent or `*`.
Result<std::optional<std::int64_t>> ParseIfMatch(std::optional<std::string_view> header);

// Responses, with the fields the caller may not see left out.
boost::json::object HouseholdJson(const Household& household,
                                  const std::vector<std::string>& hidden_fields);
boost::json::object MemberJson(const MemberView& view);

}  // namespace linli::households
