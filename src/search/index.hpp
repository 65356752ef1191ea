#pragma once
// The in-memory search index of the resource market: CJK bigrams (plus single characters, so
// 1- and 2-character queries match), simplified/traditional folding, ASCII words, tag and
// attribute filters, a geo grid for radius queries. Thread-safe: many concurrent searches,
// writers exclusive.
//
// What Search matches (see tokenizer.hpp for folding and terms):
//  - text: every term of Query::text must match. A run of CJK (gram) characters matches when
//    its folded form is a substring of the card's folded title, description or one tag —
//    exactly, for every length: recall and precision against a plain substring scan are 1.0.
//    An ASCII word matches when a word of the card starts with it ("wi" finds "WiFi"). Text
//    without terms (empty, punctuation only) matches every card.
//  - kind, rule, status: equal. tags: each must equal one of the card's tags after folding.
//  - visibility: a "community" card is visible to viewers of its community_id, "street" to its
//    street_id, "city" to its city_id (any other visibility value counts as "community"). A
//    card whose scope id is <= 0, or a viewer id <= 0, never matches: no scope means nobody.
//  - lat/lon with radius_m: cards within the radius (haversine, metres). lat/lon alone only
//    report distances. Invalid geometry (one of lat/lon, |lat| > 90, |lon| > 180, non-finite,
//    a radius without a point, a NaN or negative radius) matches nothing.
// Sorting: kRelevance (BM25 over the text terms, a title match counting most; without text:
// newest), kDistance (cards without a location last; without a point: newest), kNewest
// (updated_at), kPriceLow (price_fen); ties by newer, then id. limit/offset page the sorted
// matches (negative values count as 0); Results::total counts all matches. The caller (HTTP
// layer) bounds limit.
//
// Text beyond the bounds in limits.hpp (4096 characters per field, 32 tags, 512 query bytes)
// is not searchable. Only what filtering and sorting need is kept: not the raw description.
#include <cstddef>
#include <memory>

#include "search/model.hpp"

namespace linli::search {

class Index {
 public:
  // Builds the process-wide folding tables on first construction; throws std::runtime_error
  // if OpenCC's t2s.json or ICU's data is missing (a deployment error, caught at startup).
  Index();
  ~Index();
  Index(const Index&) = delete;
  Index& operator=(const Index&) = delete;

  void Upsert(const Document& document);  // replaces the document with the same id
  void Remove(std::int64_t id);           // unknown ids are ignored
  void Clear();

  Results Search(const Query& query) const;

  std::size_t size() const;
  std::size_t MemoryBytes() const;  // approximate heap bytes held by the index

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace linli::search
