#pragma once
// SQL of the resources module; portable across SQLite and PostgreSQL. Owns the tables of
// migration 0005_resources. Functions run inside the caller's transaction.
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"
#include "resources/model.hpp"
#include "storage/store.hpp"

namespace linli::resources::repo {

using storage::Session;

Result<std::int64_t> InsertCard(Session& s, const Card& card);
// Inserts many cards with multi-row INSERTs (bulk seeding); ids are not returned.
Status InsertCards(Session& s, const std::vector<Card>& cards);
// Writes every column of `card` except id and community_id (which address it).
Status UpdateCard(Session& s, const Card& card);

// Cards with their photo ids.
Result<std::optional<Card>> FindCard(Session& s, std::int64_t id);
// In no particular order; missing ids are skipped.
Result<std::vector<Card>> FindCards(Session& s, const std::vector<std::int64_t>& ids);
// A user, or an organisation API key.
struct Owner {
  bool api_key = false;
  std::int64_t id = 0;
};
// Newest first; PageRequest::after is a card id.
Result<Page<Card>> CardsOfOwner(Session& s, const Owner& owner, std::optional<Lifecycle> lifecycle,
                                const PageRequest& page);
// Oldest first; PageRequest::after is a card id.
Result<Page<Card>> PendingReview(Session& s, std::int64_t community_id, const PageRequest& page);
// Every card of the community except archived ones, by id.
Result<std::vector<Card>> CommunityCards(Session& s, std::int64_t community_id);
// Listed cards with id > after_id, by id (index rebuild in batches); without photo ids.
Result<std::vector<Card>> ListedCardsAfter(Session& s, std::int64_t after_id, std::size_t limit);
Result<std::vector<std::int64_t>> CommunitiesWithListedCards(Session& s);
// Which of `refs` the community already uses.
Result<std::vector<std::string>> TakenRefs(Session& s, std::int64_t community_id,
                                           const std::vector<std::string>& refs);
// How many cards of the community have a ref starting with `prefix`.
Result<std::int64_t> CountRefsWithPrefix(Session& s, std::int64_t community_id,
                                         const std::string& prefix);

Status InsertReview(Session& s, std::int64_t community_id, std::int64_t resource_id,
                    const Review& review);
Result<std::vector<Review>> ReviewsOf(Session& s, std::int64_t community_id,
                                      std::int64_t resource_id);

struct Photo {
  std::int64_t id = 0;
  std::string media_type;
  std::string bytes;
  std::string sha256;
  std::int64_t created_at = 0;
};
Result<std::int64_t> InsertPhoto(Session& s, std::int64_t community_id, std::int64_t resource_id,
                                 const Photo& photo);
Result<std::optional<Photo>> FindPhoto(Session& s, std::int64_t community_id,
                                       std::int64_t resource_id, std::int64_t photo_id);
Result<bool> DeletePhoto(Session& s, std::int64_t community_id, std::int64_t resource_id,
                         std::int64_t photo_id);

// The change log that keeps every process's search index current.
struct Change {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t resource_id = 0;  // 0: rebuild everything
};
Status AppendChange(Session& s, std::int64_t community_id, std::int64_t resource_id,
                    std::int64_t now_s);
Result<std::vector<Change>> ChangesAfter(Session& s, std::int64_t after_id, std::size_t limit);
Result<std::int64_t> MaxChangeId(Session& s);
Result<std::int64_t> PruneChanges(Session& s, std::int64_t before_s);

Result<std::optional<Policy>> FindSettings(Session& s, std::int64_t community_id);
Status UpsertSettings(Session& s, std::int64_t community_id, const Policy& policy,
                      std::int64_t now_s);

// The reconfirmation job's work lists (listed cards only, at most `limit`), using each
// community's settings or `defaults`.
Result<std::vector<Card>> DueForReminder(Session& s, std::int64_t now_s, const Policy& defaults,
                                         std::size_t limit);
Result<std::vector<Card>> Overdue(Session& s, std::int64_t now_s, std::size_t limit);
Result<std::vector<Card>> Idle(Session& s, std::int64_t now_s, const Policy& defaults,
                               std::size_t limit);
Status MarkReminded(Session& s, std::int64_t community_id, std::int64_t resource_id,
                    std::int64_t now_s);
// Marks a card as used now (bookings, loans), postponing its idle delisting.
Status TouchActivity(Session& s, std::int64_t community_id, std::int64_t resource_id,
                     std::int64_t now_s);

}  // namespace linli::resources::repo
