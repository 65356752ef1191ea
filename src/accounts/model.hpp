#pragma once
// Accounts and tenancy: users, roles per community, sessions, API keys, and the
// city → street → community → grid → building → household hierarchy.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/actor.hpp"

namespace linli::accounts {

struct CommunityRoles {
  std::int64_t id = 0;
  std::string name;
  std::vector<Role> roles;
};

// The signed-in user as the UI sees them.
struct Me {
  std::int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string locale = "zh-CN";
  bool elder_mode = false;
  std::optional<std::int64_t> current_community_id;
  std::vector<CommunityRoles> communities;
  std::string csrf_token;
};

// Who sent a request, resolved from its session or API key in one read.
struct Identity {
  Actor actor;
  // A person's session also yields their profile as GET /me shows it, from the same snapshot
  // (so that route needs no second read); absent for API keys.
  std::optional<Me> me;
};

struct LoginResult {
  std::string session_token;  // goes only into the cookie; stored hashed
  Me me;
};

struct Preferences {
  std::optional<std::string> locale;
  std::optional<bool> elder_mode;
  std::optional<std::int64_t> current_community_id;
};

struct RegisterCommand {
  std::string login;
  std::string password;
  std::string display_name;
  std::optional<std::string> invite_code;
  std::optional<std::int64_t> community_id;  // required without an invite code
};

struct RegisterResult {
  std::int64_t user_id = 0;
  std::string status;  // "active" (valid invite code) or "pending" (awaits staff approval)
};

struct Registration {
  std::int64_t user_id = 0;
  std::string login;
  std::string display_name;
  std::int64_t created_at = 0;
};

struct ApiKey {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::string name;
  std::string prefix;  // shown so people can tell keys apart; not secret
  std::vector<std::string> scopes;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> revoked_at;
};

struct NewApiKey {
  ApiKey key;
  std::string secret;  // shown once
};

struct NamedRef {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::int64_t> parent_id;  // a building's grid
};

struct Community {
  std::int64_t id = 0;
  std::string name;
  std::string street;
  std::string city;
  std::string timezone;
  std::vector<NamedRef> grids;
  std::vector<NamedRef> buildings;
  // Where it sits, for modules that scope by street or city (e.g. the resource market).
  std::int64_t street_id = 0;
  std::int64_t city_id = 0;
};

// Session lifetimes, checked against the injected clock.
struct SessionPolicy {
  std::int64_t idle_s = 3 * 24 * 3600;
  std::int64_t absolute_s = 30 * 24 * 3600;
};

// Scopes an organisation API key may hold.
const std::vector<std::string>& KnownScopes();

}  // namespace linli::accounts
