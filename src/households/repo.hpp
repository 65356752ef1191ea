#pragma once
// SQL of the households module; portable across SQLite and PostgreSQL. Owns the tables of
// migration 0004_households. Reads (never writes) the accounts hierarchy it hangs off:
// households, buildings, grids, and users.household_id / users.id for "own household" and
// links to accounts.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"
#include "households/model.hpp"
#include "storage/store.hpp"

namespace linli::households::repo {

using storage::Session;

// Owner tables of sealed values (part of each value's associated data: never rename).
inline constexpr std::string_view kMembersTable = "household_members";
inline constexpr std::string_view kHistoryTable = "household_history";
// Sealed field names (also part of the associated data).
inline constexpr std::string_view kPhoneField = "phone";
inline constexpr std::string_view kIdNumberField = "id_number";
inline constexpr std::string_view kHealthField = "health_notes";
inline constexpr std::string_view kProfileField = "profile";
inline constexpr std::string_view kNoteField = "note";

// Who may be listed: everything in the community, or the union of a guide's grids/households
// and the caller's own household.
struct ListScope {
  bool all = false;
  std::int64_t guide_user_id = 0;  // 0: not a guide
  std::int64_t own_household = 0;  // 0: none
};

Result<std::optional<Household>> FindHousehold(Session& s, std::int64_t household_id);
Result<Page<Household>> ListHouseholds(Session& s, std::int64_t community_id,
                                       const ListScope& scope, const ListFilter& filter,
                                       const PageRequest& page);
Status SaveRecord(Session& s, const Household& household, std::int64_t updated_by,
                  std::int64_t now_s);

// The household the user lives in (accounts), or 0.
Result<std::int64_t> OwnHouseholdOf(Session& s, std::int64_t user_id);
Result<bool> UserExists(Session& s, std::int64_t user_id);
Result<bool> GridInCommunity(Session& s, std::int64_t community_id, std::int64_t grid_id);
Result<std::vector<std::int64_t>> GuideGridsOf(Session& s, std::int64_t community_id,
                                               std::int64_t user_id);

// A member as stored: for a minor (sealed_profile) the plaintext profile columns are empty.
struct MemberRow {
  std::int64_t id = 0;
  std::int64_t household_id = 0;
  std::int64_t community_id = 0;
  std::optional<std::int64_t> user_id;
  bool sealed_profile = false;
  MemberProfile profile;
  std::int64_t version = 1;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

Result<std::vector<MemberRow>> MembersOf(Session& s, std::int64_t household_id);
Result<std::optional<MemberRow>> FindMember(Session& s, std::int64_t household_id,
                                            std::int64_t member_id);
// Members linked to a user account (not erased), across households.
Result<std::vector<MemberRow>> MembersOfUser(Session& s, std::int64_t user_id);
Result<std::int64_t> InsertMember(Session& s, const MemberRow& row);
Status UpdateMember(Session& s, const MemberRow& row);
// Overwrites the member's personal columns and marks it erased; the row stays so ids in the
// audit log and history aggregates keep pointing somewhere.
Status TombstoneMember(Session& s, std::int64_t member_id, std::int64_t now_s);

struct SealedRow {
  std::int64_t community_id = 0;
  std::string owner_table;
  std::int64_t owner_id = 0;
  std::string field;
  std::int64_t key_id = 0;
  std::string ciphertext;
};

// field → ciphertext of one owner row.
Result<std::map<std::string, std::string>> SealedOf(Session& s, std::int64_t community_id,
                                                    std::string_view owner_table,
                                                    std::int64_t owner_id);
Status PutSealed(Session& s, const SealedRow& row, std::int64_t now_s);
Status DeleteSealed(Session& s, std::int64_t community_id, std::string_view owner_table,
                    std::int64_t owner_id, std::string_view field);
Status DeleteAllSealed(Session& s, std::int64_t community_id, std::string_view owner_table,
                       std::int64_t owner_id);
// Up to `limit` values sealed under a key other than `current_key_id`.
Result<std::vector<SealedRow>> StaleSealed(Session& s, std::int64_t current_key_id, int limit);
Result<std::int64_t> CountSealed(Session& s);

Result<std::int64_t> InsertConsent(Session& s, std::int64_t community_id, std::int64_t household_id,
                                   const Consent& consent);
// Oldest first.
Result<std::vector<Consent>> ConsentsOf(Session& s, std::int64_t member_id);
// Whether the latest record of `kind` for the member grants (false when there is none).
Result<bool> ConsentGranted(Session& s, std::int64_t member_id, ConsentKind kind);

struct HistoryRow {
  HistoryEntry entry;
  std::int64_t community_id = 0;
  bool sealed_note = false;  // the note is in household_sealed (an entry about a minor)
};

Result<std::int64_t> InsertHistory(Session& s, const HistoryRow& row);
// Newest first; PageRequest::after is an entry id (older entries follow).
Result<Page<HistoryRow>> HistoryOf(Session& s, std::int64_t household_id, const PageRequest& page);
Result<std::vector<HistoryRow>> HistoryOfMember(Session& s, std::int64_t member_id);
Status BlankHistoryNotesOfMember(Session& s, std::int64_t member_id);

Result<std::vector<GridGuide>> GridGuidesOf(Session& s, std::int64_t community_id);
// Returns false when the assignment existed already / did not exist.
Result<bool> AssignGridGuide(Session& s, std::int64_t community_id, std::int64_t grid_id,
                             std::int64_t user_id, std::int64_t assigned_by, std::int64_t now_s);
Result<bool> UnassignGridGuide(Session& s, std::int64_t community_id, std::int64_t grid_id,
                               std::int64_t user_id);

// Tags are stored as a JSON array of strings.
std::string TagsToJson(const std::vector<std::string>& tags);
std::vector<std::string> TagsFromJson(std::string_view json);

}  // namespace linli::households::repo
