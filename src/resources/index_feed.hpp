#pragma once
// Keeps this process's search::Index in step with the database. Every card change appends a
// row to resource_changes in the same transaction; Poll() reads the rows after the last one it
// applied and re-reads those cards, so several processes on one PostgreSQL each converge on the
// committed state. Rebuild() loads every listed card at start.
//
// Identity values are handed out before commit, so on PostgreSQL a change id can become visible
// after a higher one. Poll therefore applies everything it sees but only moves its cursor over
// contiguous ids; a gap is waited for kChangeGapGraceS and then skipped (its transaction rolled
// back). Re-applying a change is harmless: it re-reads the card.
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "accounts/service.hpp"
#include "core/clock.hpp"
#include "resources/model.hpp"
#include "search/index.hpp"
#include "storage/store.hpp"

namespace linli::resources {

inline constexpr std::int64_t kChangeGapGraceS = 10;

// Where a community sits (its street and city), cached: communities never move.
struct Place {
  std::int64_t community_id = 0;
  std::int64_t street_id = 0;
  std::int64_t city_id = 0;
};

class Places {
 public:
  explicit Places(accounts::AccountsService& accounts) : accounts_(accounts) {}
  // Thread-safe. not_found for an unknown community. Reads the database on a miss, so never
  // call it inside a Store::Read/Write of the same store (use Cached there).
  Result<Place> Of(std::int64_t community_id);
  std::optional<Place> Cached(std::int64_t community_id);

 private:
  accounts::AccountsService& accounts_;
  std::mutex mutex_;
  std::map<std::int64_t, Place> cache_;
};

// The market's view of a listed card.
search::Document ToDocument(const Card& card, const Place& place);

class IndexFeed {
 public:
  IndexFeed(storage::Store& store, search::Index& index, Places& places, const Clock& clock)
      : store_(store), index_(index), places_(places), clock_(clock) {}

  // Empties the index and loads every listed card; Poll continues after the changes the load
  // already covers. Thread-safe (serialised with Poll).
  Status Rebuild();
  // Applies the changes committed since the last call; returns how many change rows it read.
  // Thread-safe.
  Result<std::size_t> Poll();

  // All change ids up to this one are applied (for tests and metrics).
  std::int64_t cursor() const;

 private:
  Status RebuildLocked();
  Result<std::size_t> PollBatch(bool& rebuild_requested);
  void Advance(const std::vector<std::int64_t>& change_ids);
  Status ApplyCards(const std::vector<std::int64_t>& resource_ids, const std::vector<Card>& cards);

  storage::Store& store_;
  search::Index& index_;
  Places& places_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  std::int64_t cursor_ = 0;
  std::set<std::int64_t> applied_above_;     // applied change ids above the cursor
  std::optional<std::int64_t> gap_since_s_;  // when the gap after the cursor was first seen
};

}  // namespace linli::resources
