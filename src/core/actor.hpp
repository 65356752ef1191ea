#pragma once
// Who is acting: resolved once per request (session cookie or API key) and passed to services,
// which make every authorisation decision.
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linli {

enum class Role : std::uint8_t {
  kResident,
  kMerchant,
  kPropertyStaff,
  kGridWorker,
  kCommittee,
  kVolunteer,
  kOrganisation,
  kAdmin,
  kAuditor,
};

// "resident", "property_staff", ...; stable, used in the API and the database.
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view name);
const std::vector<Role>& AllRoles();

struct Actor {
  bool system = false;                     // the CLI or a scheduled job: trusted, acts for no user
  std::int64_t user_id = 0;                // 0 for an API key acting as its organisation
  std::optional<std::int64_t> acting_for;  // assisted mode: the resident a guide acts for
  std::map<std::int64_t, std::vector<Role>> roles_by_community;
  std::optional<std::int64_t> current_community_id;

  // Set when authenticated by an organisation API key.
  std::optional<std::int64_t> api_key_id;
  std::optional<std::int64_t> api_key_community_id;
  std::vector<std::string> scopes;

  // Set when authenticated by a session cookie; unsafe methods must echo csrf_token.
  std::optional<std::int64_t> session_id;
  std::string csrf_token;

  bool HasRole(std::int64_t community_id, Role role) const;
  bool HasAnyRole(std::int64_t community_id, std::initializer_list<Role> roles) const;
  bool IsMember(std::int64_t community_id) const;
  bool HasScope(std::string_view scope) const;

  bool IsAnonymous() const { return !system && user_id == 0 && !api_key_id; }

  static Actor System() {
    Actor actor;
    actor.system = true;
    return actor;
  }
};

}  // namespace linli
