#include "core/actor.hpp"

#include <algorithm>
#include <array>

namespace linli {
namespace {
constexpr std::array<std::pair<Role, std::string_view>, 9> kRoleNames{{
    {Role::kResident, "resident"},
    {Role::kMerchant, "merchant"},
    {Role::kPropertyStaff, "property_staff"},
    {Role::kGridWorker, "grid_worker"},
    {Role::kCommittee, "committee"},
    {Role::kVolunteer, "volunteer"},
    {Role::kOrganisation, "organisation"},
    {Role::kAdmin, "admin"},
    {Role::kAuditor, "auditor"},
}};
}  // namespace

std::string_view RoleName(Role role) {
  for (const auto& [value, name] : kRoleNames) {
    if (value == role) return name;
  }
  return "resident";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const auto& [value, role_name] : kRoleNames) {
    if (role_name == name) return value;
  }
  return std::nullopt;
}

const std::vector<Role>& AllRoles() {
  static const std::vector<Role> kAll = [] {
    std::vector<Role> all;
    for (const auto& entry : kRoleNames) all.push_back(entry.first);
    return all;
  }();
  return kAll;
}

bool Actor::HasRole(std::int64_t community_id, Role role) const {
  auto found = roles_by_community.find(community_id);
  if (found == roles_by_community.end()) return false;
  return std::find(found->second.begin(), found->second.end(), role) != found->second.end();
}

bool Actor::HasAnyRole(std::int64_t community_id, std::initializer_list<Role> roles) const {
  return std::any_of(roles.begin(), roles.end(),
                     [&](Role role) { return HasRole(community_id, role); });
}

bool Actor::IsMember(std::int64_t community_id) const {
  return roles_by_community.contains(community_id);
}

bool Actor::HasScope(std::string_view scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

}  // namespace linli
