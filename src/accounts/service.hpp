#pragma once
// Use cases of accounts and tenancy. Every method authorises its caller; "not yours" is the
// same not_found as "missing". Writes append to the audit log in the same transaction.
//
// Error reasons: invalid_credentials (401), too_many_attempts (429), account_pending (403),
// unauthenticated (401), login_taken (409), invalid_field (400), invalid_invite_code (422),
// not_found (404), unknown_scope (400), hashing_busy (503).
#include <memory>
#include <optional>
#include <semaphore>
#include <string>
#include <string_view>

#include "accounts/model.hpp"
#include "accounts/repo.hpp"
#include "accounts/session_toucher.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "storage/store.hpp"

namespace linli::accounts {

class AccountsService {
 public:
  AccountsService(storage::Store& store, const audit::AuditService& audit, const Clock& clock,
                  Random& random, SessionPolicy policy = {});

  // Sessions.
  Result<LoginResult> Login(std::string_view login, std::string_view password);
  Status Logout(const Actor& actor);
  // Resolves a session token (cookie) or an API key secret (Bearer). Expired or unknown
  // sessions resolve to anonymous; an unknown API key is an error (401 invalid_api_key).
  Result<std::optional<Actor>> Authenticate(std::optional<std::string_view> session_token,
                                            std::optional<std::string_view> api_key);
  // The same, plus the session user's profile (one read transaction for both). A session's
  // idle expiry slides at most once per limits::kSessionTouchIntervalS, written in the
  // background: this never waits for a write.
  Result<std::optional<Identity>> Resolve(std::optional<std::string_view> session_token,
                                          std::optional<std::string_view> api_key);
  // Blocks until the last-seen times noted so far are in the database (tests, shutdown).
  void FlushSessionTouches();

  Result<Me> GetMe(const Actor& actor);
  Result<Me> UpdatePreferences(const Actor& actor, const Preferences& preferences);

  // Registration: active at once with a valid invite code, else pending staff approval.
  Result<RegisterResult> Register(const RegisterCommand& command);
  Result<Page<Registration>> PendingRegistrations(const Actor& actor, std::int64_t community_id,
                                                  const PageRequest& page);
  Status DecideRegistration(const Actor& actor, std::int64_t community_id, std::int64_t user_id,
                            bool approve);

  // Organisation API keys (community admins).
  Result<NewApiKey> CreateApiKey(const Actor& actor, std::int64_t community_id,
                                 const std::string& name, const std::vector<std::string>& scopes);
  Result<std::vector<ApiKey>> ListApiKeys(const Actor& actor, std::int64_t community_id);
  Status RevokeApiKey(const Actor& actor, std::int64_t community_id, std::int64_t key_id);

  Result<Community> GetCommunity(const Actor& actor, std::int64_t community_id);

  // Set-up for the CLI and demo seeding (system actor only); idempotent.
  struct CommunitySetup {
    std::string city;
    std::string street;
    std::string community;
    std::string timezone = "Asia/Shanghai";
    std::optional<std::string> invite_code;
  };
  Result<std::int64_t> EnsureCommunity(const Actor& actor, const CommunitySetup& setup);
  Result<std::int64_t> EnsureGrid(const Actor& actor, std::int64_t community_id,
                                  const std::string& name);
  Result<std::int64_t> EnsureBuilding(const Actor& actor, std::int64_t community_id,
                                      std::int64_t grid_id, const std::string& name);
  Result<std::int64_t> EnsureHousehold(const Actor& actor, std::int64_t community_id,
                                       std::int64_t building_id, const std::string& unit_label);
  struct UserSetup {
    std::string login;
    std::string display_name;
    std::string password;
    std::int64_t community_id = 0;
    std::vector<Role> roles;
    std::optional<std::int64_t> household_id;
  };
  // Creates the user if the login is free (existing users keep their password) and grants
  // the roles. Returns the user id.
  Result<std::int64_t> EnsureUser(const Actor& actor, const UserSetup& setup);

 private:
  // Set-up is idempotent: only what was really created is audited.
  Result<std::int64_t> AuditIfCreated(storage::Session& session, const Actor& actor,
                                      std::int64_t community_id, std::string action,
                                      std::string object_type, const repo::Ensured& ensured) const;
  Result<std::string> HashPassword(std::string_view password);
  Result<bool> VerifyPassword(const std::optional<std::string>& hash, std::string_view password);
  Result<Me> LoadMe(storage::Session& session, std::int64_t user_id, const std::string& csrf);

  storage::Store& store_;
  const audit::AuditService& audit_;
  const Clock& clock_;
  Random& random_;
  SessionPolicy policy_;
  // argon2id needs ~19 MiB per call: cap concurrent hashes so a login burst cannot exhaust memory.
  std::counting_semaphore<64> hashing_slots_;
  std::string dummy_hash_;  // verified against for unknown logins, so timing reveals nothing
  SessionToucher toucher_;  // last: its thread stops (and writes what is pending) first
};

}  // namespace linli::accounts
