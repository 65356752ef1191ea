#include "resources/index_feed.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "core/limits.hpp"
#include "resources/repo.hpp"

namespace linli::resources {
namespace {

constexpr std::size_t kRebuildBatchRows = 5000;  // cards per read while loading the index
constexpr int kPollBatchesMax = 16;              // per Poll call, so one call stays short

}  // namespace

std::optional<Place> Places::Cached(std::int64_t community_id) {
  std::lock_guard lock(mutex_);
  if (auto found = cache_.find(community_id); found != cache_.end()) return found->second;
  return std::nullopt;
}

Result<Place> Places::Of(std::int64_t community_id) {
  if (auto cached = Cached(community_id)) return *cached;
  LINLI_ASSIGN_OR_RETURN(auto community, accounts_.GetCommunity(Actor::System(), community_id));
  const Place place{community.id, community.street_id, community.city_id};
  std::lock_guard lock(mutex_);
  cache_[community_id] = place;
  return place;
}

search::Document ToDocument(const Card& card, const Place& place) {
  const CardContent& c = card.content;
  search::Document document;
  document.id = card.id;
  document.community_id = card.community_id;
  document.street_id = place.street_id;
  document.city_id = place.city_id;
  document.visibility = std::string(Name(c.visibility));
  document.kind = std::string(Name(c.kind));
  document.tags = SearchTags(c);
  document.rule = std::string(Name(c.rule.type));
  document.status = std::string(Name(card.availability));
  document.title = c.title;
  document.description = c.description;
  document.lat = c.location.lat;
  document.lon = c.location.lon;
  document.price_fen = c.rule.price_fen;
  document.points = c.rule.type == RuleType::kDeposit ? c.rule.deposit_points : c.rule.points;
  document.updated_at = card.updated_at;
  return document;
}

Status IndexFeed::Rebuild() {
  std::lock_guard lock(mutex_);
  return RebuildLocked();
}

Status IndexFeed::RebuildLocked() {
  // Places come from the accounts module (its own reads), so they are resolved outside the
  // snapshot below: first for every community with listed cards, then for stragglers.
  LINLI_ASSIGN_OR_RETURN(auto communities, store_.ReadValue([](storage::Session& session) {
    return repo::CommunitiesWithListedCards(session);
  }));
  for (auto community_id : communities) LINLI_TRY(places_.Of(community_id));
  index_.Clear();
  std::int64_t max_change = 0;
  std::size_t loaded = 0;
  std::vector<Card> unplaced;  // cards of communities that appeared after the warm-up
  // One snapshot for the change log's end and the cards: nothing in between is missed.
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(max_change, repo::MaxChangeId(session));
    std::int64_t after = 0;
    while (true) {
      LINLI_ASSIGN_OR_RETURN(auto cards, repo::ListedCardsAfter(session, after, kRebuildBatchRows));
      for (auto& card : cards) {
        if (auto place = places_.Cached(card.community_id)) {
          index_.Upsert(ToDocument(card, *place));
        } else {
          unplaced.push_back(std::move(card));
        }
      }
      loaded += cards.size();
      if (cards.size() < kRebuildBatchRows) break;
      after = cards.back().id;
    }
    return Ok();
  }));
  for (const auto& card : unplaced) {
    LINLI_ASSIGN_OR_RETURN(auto place, places_.Of(card.community_id));
    index_.Upsert(ToDocument(card, place));
  }
  cursor_ = max_change;
  applied_above_.clear();
  gap_since_s_.reset();
  spdlog::info(R"({{"msg":"resource index rebuilt","cards":{},"bytes":{}}})", loaded,
               index_.MemoryBytes());
  return Ok();
}

Result<std::size_t> IndexFeed::Poll() {
  std::lock_guard lock(mutex_);
  std::size_t read = 0;
  for (int batch = 0; batch < kPollBatchesMax; ++batch) {
    bool rebuild = false;
    LINLI_ASSIGN_OR_RETURN(auto count, PollBatch(rebuild));
    read += count;
    if (rebuild) {
      LINLI_TRY(RebuildLocked());
      break;
    }
    if (count < limits::kIndexChangesPerPollMax) break;
  }
  return read;
}

Result<std::size_t> IndexFeed::PollBatch(bool& rebuild_requested) {
  std::vector<repo::Change> changes;
  std::vector<std::int64_t> resource_ids;
  std::vector<Card> cards;
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(changes,
                           repo::ChangesAfter(session, cursor_, limits::kIndexChangesPerPollMax));
    resource_ids.clear();
    for (const auto& change : changes) {
      if (change.resource_id == 0) rebuild_requested = true;
      if (!applied_above_.contains(change.id)) resource_ids.push_back(change.resource_id);
    }
    std::sort(resource_ids.begin(), resource_ids.end());
    resource_ids.erase(std::unique(resource_ids.begin(), resource_ids.end()), resource_ids.end());
    if (rebuild_requested) return Ok();
    LINLI_ASSIGN_OR_RETURN(cards, repo::FindCards(session, resource_ids));
    return Ok();
  }));
  if (rebuild_requested) return changes.size();
  LINLI_TRY(ApplyCards(resource_ids, cards));
  std::vector<std::int64_t> change_ids;
  for (const auto& change : changes) change_ids.push_back(change.id);
  Advance(change_ids);
  return changes.size();
}

Status IndexFeed::ApplyCards(const std::vector<std::int64_t>& resource_ids,
                             const std::vector<Card>& cards) {
  std::map<std::int64_t, const Card*> by_id;
  for (const auto& card : cards) by_id[card.id] = &card;
  for (auto id : resource_ids) {
    auto found = by_id.find(id);
    if (found == by_id.end() || found->second->lifecycle != Lifecycle::kListed) {
      index_.Remove(id);
      continue;
    }
    LINLI_ASSIGN_OR_RETURN(auto place, places_.Of(found->second->community_id));
    index_.Upsert(ToDocument(*found->second, place));
  }
  return Ok();
}

void IndexFeed::Advance(const std::vector<std::int64_t>& change_ids) {
  const std::int64_t now = clock_.NowEpochS();
  for (auto id : change_ids) applied_above_.insert(id);
  for (auto id : change_ids) {  // ascending
    if (id <= cursor_) continue;
    if (id != cursor_ + 1) {
      if (!gap_since_s_) gap_since_s_ = now;
      if (now - *gap_since_s_ < kChangeGapGraceS) break;  // maybe still in flight: wait
    }
    cursor_ = id;
    gap_since_s_.reset();
  }
  applied_above_.erase(applied_above_.begin(), applied_above_.upper_bound(cursor_));
}

std::int64_t IndexFeed::cursor() const {
  std::lock_guard lock(mutex_);
  return cursor_;
}

}  // namespace linli::resources
