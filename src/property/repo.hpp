#pragma once
// SQL of the property module, written once in portable SQL (storage/store.hpp rules). Reads of
// the accounts hierarchy (users' households, buildings, grids) are joins on accounts' tables:
// they are the tenancy every module scopes by.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"
#include "property/model.hpp"
#include "storage/store.hpp"

namespace linli::property::repo {

using storage::Session;

// ---- the accounts hierarchy

// Where a user lives in a community: their household, its building and grid.
struct Home {
  std::int64_t household_id = 0;
  std::int64_t building_id = 0;
  std::optional<std::int64_t> grid_id;
};
Result<std::optional<Home>> HomeOf(Session& s, std::int64_t user_id, std::int64_t community_id);
Result<std::optional<Home>> HouseholdHome(Session& s, std::int64_t community_id,
                                          std::int64_t household_id);
// How many of `ids` are buildings (or grids) of the community.
Result<std::int64_t> CountBuildings(Session& s, std::int64_t community_id,
                                    const std::vector<std::int64_t>& ids);
Result<std::int64_t> CountGrids(Session& s, std::int64_t community_id,
                                const std::vector<std::int64_t>& ids);
Result<std::string> BuildingName(Session& s, std::int64_t building_id);
// Households of the community in `building_ids` (all when empty), in id order, up to `limit`.
Result<std::vector<Home>> Households(Session& s, std::int64_t community_id,
                                     const std::vector<std::int64_t>& building_ids,
                                     std::size_t limit);
Result<std::optional<std::string>> CommunityTimezone(Session& s, std::int64_t community_id);

// ---- visitor passes

struct PassRow {
  VisitorPass pass;                         // visitor_phone unset: see phone_sealed
  std::optional<std::string> phone_sealed;  // sealed bytes
  std::string building_name;
};
// Inserts the pass; nullopt when its code is already taken in the community (nothing written).
Result<std::optional<std::int64_t>> InsertPass(Session& s, const VisitorPass& pass);
Status SetPhoneSealed(Session& s, std::int64_t community_id, std::int64_t pass_id,
                      const std::string& sealed);
Result<std::optional<PassRow>> FindPass(Session& s, std::int64_t pass_id);
Result<std::optional<PassRow>> FindPassByCode(Session& s, std::int64_t community_id,
                                              const std::string& code);
Result<Page<PassRow>> PassesCreatedBy(Session& s, std::int64_t user_id, std::int64_t community_id,
                                      const PageRequest& page);
// Passes whose window overlaps [from, until), not revoked, in id order.
Result<Page<PassRow>> PassesOverlapping(Session& s, std::int64_t community_id, std::int64_t from,
                                        std::int64_t until, const PageRequest& page);
// Counts one use if the pass still allows one at `now_s` (the guard repeats Decide in SQL, so
// two concurrent verifications can never both take the last use). Returns rows changed (0/1).
Result<std::int64_t> ConsumeUse(Session& s, std::int64_t community_id, std::int64_t pass_id,
                                std::int64_t now_s);
Result<std::int64_t> RevokePass(Session& s, std::int64_t community_id, std::int64_t pass_id,
                                std::int64_t now_s);
struct UseRecord {
  std::int64_t community_id = 0;
  PassUse use;
  std::optional<std::int64_t> api_key_id;
  std::optional<std::int64_t> verified_by;
};
Status InsertUse(Session& s, const UseRecord& record);
Result<std::vector<PassUse>> UsesOf(Session& s, std::int64_t community_id, std::int64_t pass_id,
                                    std::size_t limit);

// ---- bills and payments

// Inserts the bill; nullopt when the household already has one of this kind and period.
Result<std::optional<std::int64_t>> InsertBill(Session& s, const Bill& bill);
Result<std::optional<Bill>> FindBill(Session& s, std::int64_t bill_id);
Result<Page<Bill>> ListBills(Session& s, std::int64_t community_id, const BillFilter& filter,
                             const PageRequest& page);
// Adds a payment to paid_fen unless it would exceed the amount or the bill is void (0 rows).
Result<std::int64_t> AddPaid(Session& s, std::int64_t community_id, std::int64_t bill_id,
                             std::int64_t amount_fen);
Result<std::int64_t> VoidBill(Session& s, std::int64_t community_id, std::int64_t bill_id,
                              std::int64_t now_s);
// Nullopt when the idempotency key was used before in the community (nothing written).
Result<std::optional<std::int64_t>> InsertPayment(Session& s, const Payment& payment,
                                                  const std::optional<std::string>& key);
Result<std::optional<Payment>> FindPaymentByKey(Session& s, std::int64_t community_id,
                                                const std::string& key);
Result<std::vector<Payment>> PaymentsOf(Session& s, std::int64_t community_id,
                                        std::int64_t bill_id);
// Overdue, not fully paid, not void bills (due before `today`), oldest due first.
Result<std::vector<Bill>> ArrearsBills(Session& s, std::int64_t community_id,
                                       const std::string& today,
                                       std::optional<std::int64_t> building_id, std::size_t limit);
Result<std::vector<ArrearsBuilding>> ArrearsByBuilding(Session& s, std::int64_t community_id,
                                                       const std::string& today,
                                                       std::optional<std::int64_t> building_id);

// ---- announcements

Result<std::int64_t> InsertAnnouncement(Session& s, const Announcement& announcement);
Result<std::optional<Announcement>> FindAnnouncement(Session& s, std::int64_t id);
// Who reads: staff see every announcement of the community; others those for the whole
// community, their building or their grid.
struct Viewer {
  bool staff = false;
  std::optional<std::int64_t> building_id;
  std::optional<std::int64_t> grid_id;
};
Result<std::vector<Announcement>> PinnedVisible(Session& s, std::int64_t community_id,
                                                std::int64_t now_s, const Viewer& viewer,
                                                std::size_t limit);
Result<Page<Announcement>> UnpinnedVisible(Session& s, std::int64_t community_id,
                                           std::int64_t now_s, const Viewer& viewer,
                                           const PageRequest& page);
Result<std::int64_t> WithdrawAnnouncement(Session& s, std::int64_t community_id, std::int64_t id,
                                          std::int64_t now_s);
Result<std::vector<std::int64_t>> PendingFanouts(Session& s, std::size_t limit);
// Active members of the announcement's audience with user id > after, ascending, up to limit.
Result<std::vector<std::int64_t>> Recipients(Session& s, const Announcement& announcement,
                                             std::int64_t after, int limit);
// Moves the fan-out cursor from `after` (optimistic: 0 rows when someone else moved it).
Result<std::int64_t> AdvanceFanout(Session& s, const Announcement& announcement,
                                   std::int64_t new_after, std::int64_t delivered, bool done);

}  // namespace linli::property::repo
