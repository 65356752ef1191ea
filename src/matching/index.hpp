#pragma once
// The matcher's in-memory index of listed resource cards (SPEC §2). A need is matched against
// it without touching the database: a uniform geo grid (search/geo.hpp) prunes the candidates
// to the need's radius, tag postings prune them further, and every survivor is scored on the
// factors below. The database stays the source of truth: MatchFeed (feed.hpp) keeps the index
// in step with committed card, booking-settings and trust changes.
//
// Thread-safe: many concurrent Match calls; Upsert/Remove take the writer lock briefly.
//
// Scoring. Each factor is a value in [0, 1] (1 = best); the score is the weighted sum
// Σ weight_f · factor_f / Σ weight_f, so scores are comparable across communities with
// different weights. Factors:
//   tag_fit       share of the query's tags the card carries (folded as search does);
//                 1 when the query has no tags.
//   text          share of the query's text terms found in the card's title or tags (0..1);
//                 1 when the query has no text.
//   distance      1 at the point, falling linearly to 0 at the radius; 0.5 when either side
//                 has no location (and no radius was asked).
//   availability  share of the need's window (hour-of-week slots) inside the card's weekly
//                 open hours. Bookings already taken are checked by the service afterwards for
//                 the top candidates only (the index holds no bookings).
//   reputation    rating (average/5, or 0.6 without ratings) and credit (score/100) averaged;
//                 a 社区资源大使 provider gets kAmbassadorBonus on top (capped at 1).
//   price_fit     1 when the card's rule fits the budget (free always fits; points within
//                 max_points; price within max_price_fen); 0 otherwise. With
//                 Query::strict_budget, cards that do not fit are not returned at all.
//   response      1 for a provider who answers within 10 minutes (median), falling to 0 at
//                 24 hours; 0.5 when unknown.
// Hard filters (never scored): listed and not in maintenance, visibility reaches the viewer
// (as search::Query), kind when given, within radius_m when given, at least one query tag or
// one text term present when the query has any (a card sharing nothing with the need is not a
// candidate), not excluded_card_ids, and (strict_budget) the budget.
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace linli::matching {

// Hour-of-week slots in the community's local time: bit h of the 168 bits is the hour starting
// h hours after Monday 00:00. All ones = open at any time.
using WeekHours = std::array<std::uint64_t, 3>;
WeekHours AllWeek();

struct CardFacts {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t street_id = 0;
  std::int64_t city_id = 0;
  std::string visibility = "community";  // "community" | "street" | "city"
  std::string kind;                      // resources::Kind name
  std::string owner_type;                // resources::OwnerType name ("merchant", ...)
  std::string title;
  std::vector<std::string> tags;
  std::optional<double> lat;  // WGS-84 degrees (the card's own point or its building's)
  std::optional<double> lon;
  std::string rule;  // "free" | "price" | "points" | "exchange" | "deposit"
  std::int64_t price_fen = 0;
  std::int64_t points = 0;
  std::int64_t capacity = 1;          // units bookable at once
  WeekHours open_hours = AllWeek();   // booking settings' weekly windows
  std::int64_t provider_user_id = 0;  // 0: no owning user (community, API key)
};

// What trust and response history say about a provider (one per user).
struct ProviderFacts {
  std::int64_t user_id = 0;
  std::int64_t rating_count = 0;
  double rating_average = 0;      // 0..5
  std::int64_t credit_score = 0;  // 0..100
  bool ambassador = false;
  std::optional<std::int64_t> median_response_s;  // how fast they answer requests
};

struct Weights {
  double tag_fit = 3;
  double text = 1;
  double distance = 2;
  double availability = 2;
  double reputation = 1.5;
  double price_fit = 1;
  double response = 0.5;
};
inline constexpr double kAmbassadorBonus = 0.15;

enum class BudgetType : std::uint8_t { kFree, kPoints, kPrice, kAny };

struct Query {
  std::int64_t viewer_community_id = 0;
  std::int64_t viewer_street_id = 0;
  std::int64_t viewer_city_id = 0;
  std::optional<std::string> kind;
  std::vector<std::string> tags;
  std::string text;
  WeekHours window = AllWeek();  // the need's time window as hour-of-week slots
  std::optional<double> lat;
  std::optional<double> lon;
  std::optional<double> radius_m;
  BudgetType budget = BudgetType::kAny;
  std::int64_t max_points = 0;
  std::int64_t max_price_fen = 0;
  bool strict_budget = false;
  std::vector<std::int64_t> excluded_card_ids;
  Weights weights;
  int limit = 20;
};

struct Factors {
  double tag_fit = 0;
  double text = 0;
  double distance = 0;
  double availability = 0;
  double reputation = 0;
  double price_fit = 0;
  double response = 0;
};

struct Match {
  std::int64_t card_id = 0;
  double score = 0;  // 0..1
  Factors factors;
  std::optional<double> distance_m;
  std::vector<std::string> matched_tags;  // the query's tags the card carries
};

struct Matches {
  std::vector<Match> matches;   // best first; ties by nearer, then lower id
  std::int64_t candidates = 0;  // cards that passed the hard filters
};

class MatchIndex {
 public:
  MatchIndex();
  ~MatchIndex();
  MatchIndex(const MatchIndex&) = delete;
  MatchIndex& operator=(const MatchIndex&) = delete;

  void UpsertCard(const CardFacts& card);  // replaces the card with the same id
  void RemoveCard(std::int64_t card_id);   // unknown ids are ignored
  void UpsertProvider(const ProviderFacts& provider);
  void Clear();

  Matches Match(const Query& query) const;
  std::optional<CardFacts> Card(std::int64_t card_id) const;

  std::size_t size() const;
  std::size_t MemoryBytes() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace linli::matching
