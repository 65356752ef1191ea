#pragma once
#include <boost/json.hpp>

#include "http/router.hpp"
#include "resources/service.hpp"

namespace linli::resources {

// /api/v1/search, /api/v1/resources/*, and the community-level review queue, CSV import and
// export and reconfirmation settings under /api/v1/communities/{id}/resources/*.
void RegisterRoutes(http::Router& router, ResourcesService& service);

// Parsing is pure and unit-tested. A create needs kind and title; `community_id` is read (and
// allowed) only on create.
struct ParsedCard {
  CardPatch patch;
  std::int64_t community_id = 0;
};
Result<ParsedCard> ParseCardBody(const boost::json::object& body, bool create);
Result<SearchRequest> ParseSearch(const http::Request& request);

}  // namespace linli::resources
