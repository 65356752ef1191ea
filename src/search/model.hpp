#pragma once
// What the resource market searches: a flattened, denormalised view of a listed resource card.
// The resources module owns the cards and feeds this index with Upsert/Remove on every change
// (and a full rebuild at start); the database stays the source of truth.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace linli::search {

struct Document {
  std::int64_t id = 0;  // resource card id
  std::int64_t community_id = 0;
  std::int64_t street_id = 0;
  std::int64_t city_id = 0;
  std::string visibility = "community";  // "community" | "street" | "city"
  std::string kind;                      // "space" | "service" | "goods" | "manpower"
  std::vector<std::string> tags;         // second-level tags, e.g. "家电维修", "capacity:20"
  std::string rule;                      // "free" | "price" | "points" | "exchange" | "deposit"
  std::string status;                    // "available" | "reserved" | "in_use" | "maintenance"
  std::string title;
  std::string description;
  std::optional<double> lat;  // WGS-84 degrees
  std::optional<double> lon;
  std::int64_t price_fen = 0;
  std::int64_t points = 0;
  std::int64_t updated_at = 0;  // epoch seconds
};

enum class Sort : std::uint8_t { kRelevance, kDistance, kNewest, kPriceLow };

struct Query {
  std::string text;  // free text: Chinese (any length, simplified or traditional) and ASCII
  // The viewer's place: a card is visible when its visibility scope contains the viewer.
  std::int64_t viewer_community_id = 0;
  std::int64_t viewer_street_id = 0;
  std::int64_t viewer_city_id = 0;
  std::optional<std::string> kind;
  std::vector<std::string> tags;  // all must be present
  std::optional<std::string> rule;
  std::optional<std::string> status;
  std::optional<double> lat;  // with radius_m: only cards within the radius
  std::optional<double> lon;
  std::optional<double> radius_m;
  Sort sort = Sort::kRelevance;
  int limit = 20;
  int offset = 0;
};

struct Hit {
  std::int64_t id = 0;
  double score = 0;                  // text relevance (0 without text)
  std::optional<double> distance_m;  // when the query has a point and the card a location
};

struct Results {
  std::vector<Hit> hits;
  std::int64_t total = 0;  // matches before limit/offset
};

}  // namespace linli::search
