#pragma once
// SQL of the accounts module; portable across SQLite and PostgreSQL. Owns the tables of
// migration 0001_accounts.
#include <optional>
#include <string>
#include <vector>

#include "accounts/model.hpp"
#include "core/page.hpp"
#include "storage/store.hpp"

namespace linli::accounts::repo {

using storage::Session;

struct UserRow {
  std::int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string password_hash;
  std::string status;
  std::string locale;
  bool elder_mode = false;
  std::optional<std::int64_t> current_community_id;
};

// A session with its user's status and profile: everything one request needs to know who is
// asking (and what GET /me shows), in one indexed read.
struct SessionRow {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string csrf_token;
  std::int64_t created_at = 0;
  std::int64_t last_seen_at = 0;
  std::string user_status;
  std::optional<std::int64_t> current_community_id;
  std::string login;
  std::string display_name;
  std::string locale;
  bool elder_mode = false;
};

struct ApiKeyRow {
  ApiKey key;
  bool revoked = false;
};

Result<std::optional<UserRow>> FindUserByLogin(Session& s, const std::string& login);
Result<std::optional<UserRow>> FindUser(Session& s, std::int64_t id);
Result<std::int64_t> InsertUser(Session& s, const UserRow& user, std::int64_t now_s);
Status UpdatePreferences(Session& s, std::int64_t user_id, const std::string& locale,
                         bool elder_mode, std::optional<std::int64_t> current_community_id);
Status SetUserStatus(Session& s, std::int64_t user_id, const std::string& status);
Status SetPasswordHash(Session& s, std::int64_t user_id, const std::string& hash);

Result<std::vector<CommunityRoles>> MembershipsOf(Session& s, std::int64_t user_id);
Status GrantRole(Session& s, std::int64_t community_id, std::int64_t user_id, Role role,
                 std::int64_t now_s);

// Login throttling: failures inside the current window.
Result<std::int64_t> RecentFailures(Session& s, const std::string& login_key,
                                    std::int64_t window_start_after);
Status RecordFailure(Session& s, const std::string& login_key, std::int64_t now_s,
                     std::int64_t window_s);
Status ClearFailures(Session& s, const std::string& login_key);

Result<std::int64_t> InsertSession(Session& s, const std::string& token_hash, std::int64_t user_id,
                                   const std::string& csrf_token, std::int64_t now_s);
Result<std::optional<SessionRow>> FindSession(Session& s, const std::string& token_hash);
// Moves last-seen forward to now_s (never back: another process may have touched it later).
Status TouchSession(Session& s, std::int64_t session_id, std::int64_t now_s);
Status DeleteSession(Session& s, std::int64_t session_id);

Result<std::optional<std::int64_t>> CommunityByInviteHash(Session& s,
                                                          const std::string& invite_hash);
Result<bool> CommunityExists(Session& s, std::int64_t community_id);
Status InsertRegistration(Session& s, std::int64_t community_id, std::int64_t user_id,
                          const std::string& status, std::int64_t now_s);
Result<Page<Registration>> PendingRegistrations(Session& s, std::int64_t community_id,
                                                const PageRequest& page);
// Returns false when there is no pending registration to decide.
Result<bool> DecideRegistration(Session& s, std::int64_t community_id, std::int64_t user_id,
                                const std::string& status, std::int64_t decided_by,
                                std::int64_t now_s);

Result<std::int64_t> InsertApiKey(Session& s, const ApiKey& key, const std::string& secret_hash,
                                  std::int64_t created_by);
Result<std::vector<ApiKey>> ApiKeysOf(Session& s, std::int64_t community_id);
Result<std::optional<ApiKey>> FindActiveApiKey(Session& s, const std::string& secret_hash);
Result<bool> RevokeApiKey(Session& s, std::int64_t community_id, std::int64_t key_id,
                          std::int64_t now_s);

Result<std::optional<Community>> FindCommunity(Session& s, std::int64_t community_id);

// Hierarchy set-up, idempotent by natural key (name within parent).
struct Ensured {
  std::int64_t id = 0;
  bool created = false;  // false: it existed already
};
Result<Ensured> EnsureCity(Session& s, const std::string& name);
Result<Ensured> EnsureStreet(Session& s, std::int64_t city_id, const std::string& name);
Result<Ensured> EnsureCommunity(Session& s, std::int64_t street_id, const std::string& name,
                                const std::string& timezone,
                                const std::optional<std::string>& invite_hash, std::int64_t now_s);
Result<Ensured> EnsureGrid(Session& s, std::int64_t community_id, const std::string& name);
Result<Ensured> EnsureBuilding(Session& s, std::int64_t community_id, std::int64_t grid_id,
                               const std::string& name);
Result<Ensured> EnsureHousehold(Session& s, std::int64_t community_id, std::int64_t building_id,
                                const std::string& unit_label);
Status SetUserHousehold(Session& s, std::int64_t user_id, std::int64_t household_id);

}  // namespace linli::accounts::repo
