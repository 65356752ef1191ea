#pragma once
// A small community for household register tests, on any migrated store: two grids, three
// buildings, households, and people in every role the field × role matrix distinguishes.
// Users are inserted directly (no password hashing: tests build their Actors themselves).
#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "core/actor.hpp"
#include "storage/store.hpp"

namespace linli::households::testing {

inline std::string Describe(const Error& error) {
  return std::string(ErrcName(error.code)) + " " + error.reason + ": " + error.detail;
}

#define HH_ASSERT_OK(expr)                                                         \
  do {                                                                             \
    const auto& hh_ok_ = (expr);                                                   \
    ASSERT_TRUE(hh_ok_) << #expr << " -> "                                         \
                        << ::linli::households::testing::Describe(hh_ok_.error()); \
  } while (false)

#define HH_EXPECT_REASON(expr, expected)                                      \
  do {                                                                        \
    const auto& hh_result_ = (expr);                                          \
    ASSERT_FALSE(hh_result_) << #expr << " succeeded; expected " << expected; \
    EXPECT_EQ(hh_result_.error().reason, expected) << #expr;                  \
  } while (false)

// Inserts an active user, optionally living in a household, with roles in a community.
inline Result<std::int64_t> InsertUser(storage::Store& store, const std::string& login,
                                       std::int64_t community_id, std::initializer_list<Role> roles,
                                       std::optional<std::int64_t> household_id = std::nullopt) {
  return store.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(
        auto row,
        session.QueryOne(
            "INSERT INTO users (login, display_name, password_hash, status, locale, elder_mode, "
            "current_community_id, household_id, created_at) "
            "VALUES ($1, $1, 'x', 'active', 'zh-CN', 0, $2, $3, 1) RETURNING id",
            {login, community_id,
             household_id ? storage::Value(*household_id) : storage::Value(storage::Null{})}));
    const std::int64_t id = row->Int(0);
    for (Role role : roles) {
      LINLI_TRY(
          session.Execute("INSERT INTO memberships (community_id, user_id, role, granted_at) "
                          "VALUES ($1, $2, $3, 1)",
                          {community_id, id, std::string(RoleName(role))}));
    }
    return id;
  });
}

inline Actor ActorFor(std::int64_t user_id, std::int64_t community_id,
                      std::initializer_list<Role> roles) {
  Actor actor;
  actor.user_id = user_id;
  actor.roles_by_community[community_id] = std::vector<Role>(roles);
  actor.current_community_id = community_id;
  return actor;
}

struct World {
  std::int64_t community = 0;
  std::int64_t other_community = 0;
  std::int64_t grid1 = 0;
  std::int64_t grid2 = 0;
  std::int64_t household_a = 0;      // grid 1, resident_a lives here
  std::int64_t household_b = 0;      // grid 1, resident_b lives here
  std::int64_t household_c = 0;      // grid 2
  std::int64_t household_other = 0;  // the other community
  Actor resident_a, resident_b, guide1, guide2, committee, staff, admin, volunteer;
  Actor other_committee;  // committee of the other community
};

// Builds the world; guide1 is assigned to grid 1 and guide2 to grid 2 by the caller (through
// the service under test).
inline Result<World> BuildWorld(storage::Store& store, accounts::AccountsService& accounts) {
  const Actor system = Actor::System();
  World w;
  LINLI_ASSIGN_OR_RETURN(
      w.community, accounts.EnsureCommunity(
                       system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai", std::nullopt}));
  LINLI_ASSIGN_OR_RETURN(w.other_community,
                         accounts.EnsureCommunity(system, {"上海市", "阳光街道", "和谐社区",
                                                           "Asia/Shanghai", std::nullopt}));
  LINLI_ASSIGN_OR_RETURN(w.grid1, accounts.EnsureGrid(system, w.community, "第一网格"));
  LINLI_ASSIGN_OR_RETURN(w.grid2, accounts.EnsureGrid(system, w.community, "第二网格"));
  LINLI_ASSIGN_OR_RETURN(auto building1,
                         accounts.EnsureBuilding(system, w.community, w.grid1, "1号楼"));
  LINLI_ASSIGN_OR_RETURN(auto building2,
                         accounts.EnsureBuilding(system, w.community, w.grid2, "4号楼"));
  LINLI_ASSIGN_OR_RETURN(auto other_grid, accounts.EnsureGrid(system, w.other_community, "网格"));
  LINLI_ASSIGN_OR_RETURN(auto other_building,
                         accounts.EnsureBuilding(system, w.other_community, other_grid, "1号楼"));
  LINLI_ASSIGN_OR_RETURN(w.household_a,
                         accounts.EnsureHousehold(system, w.community, building1, "101室"));
  LINLI_ASSIGN_OR_RETURN(w.household_b,
                         accounts.EnsureHousehold(system, w.community, building1, "201室"));
  LINLI_ASSIGN_OR_RETURN(w.household_c,
                         accounts.EnsureHousehold(system, w.community, building2, "101室"));
  LINLI_ASSIGN_OR_RETURN(w.household_other, accounts.EnsureHousehold(system, w.other_community,
                                                                     other_building, "101室"));

  const auto user = [&](const std::string& login, std::int64_t community,
                        std::initializer_list<Role> roles,
                        std::optional<std::int64_t> household = std::nullopt) -> Result<Actor> {
    LINLI_ASSIGN_OR_RETURN(auto id, InsertUser(store, login, community, roles, household));
    return ActorFor(id, community, roles);
  };
  LINLI_ASSIGN_OR_RETURN(w.resident_a,
                         user("resident_a", w.community, {Role::kResident}, w.household_a));
  LINLI_ASSIGN_OR_RETURN(w.resident_b,
                         user("resident_b", w.community, {Role::kResident}, w.household_b));
  LINLI_ASSIGN_OR_RETURN(w.guide1, user("guide1", w.community, {Role::kGridWorker}));
  LINLI_ASSIGN_OR_RETURN(w.guide2, user("guide2", w.community, {Role::kGridWorker}));
  LINLI_ASSIGN_OR_RETURN(w.committee, user("committee", w.community, {Role::kCommittee}));
  LINLI_ASSIGN_OR_RETURN(w.staff, user("staff", w.community, {Role::kPropertyStaff}));
  LINLI_ASSIGN_OR_RETURN(w.admin, user("admin", w.community, {Role::kAdmin, Role::kAuditor}));
  LINLI_ASSIGN_OR_RETURN(w.volunteer, user("volunteer", w.community, {Role::kVolunteer}));
  LINLI_ASSIGN_OR_RETURN(w.other_committee,
                         user("other_committee", w.other_community, {Role::kCommittee}));
  return w;
}

// The layout `linli seed-demo` builds (two grids of three buildings with two households each,
// the guide and the resident), then the household register's demo content.
template <class SeedFn>
Status BuildDemo(storage::Store& store, accounts::AccountsService& accounts, SeedFn seed) {
  const Actor system = Actor::System();
  LINLI_ASSIGN_OR_RETURN(auto community,
                         accounts.EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区",
                                                           "Asia/Shanghai", std::nullopt}));
  std::vector<std::int64_t> households;
  for (int grid_number = 1; grid_number <= 2; ++grid_number) {
    LINLI_ASSIGN_OR_RETURN(
        auto grid,
        accounts.EnsureGrid(system, community, "第" + std::to_string(grid_number) + "网格"));
    for (int b = 1; b <= 3; ++b) {
      LINLI_ASSIGN_OR_RETURN(
          auto building,
          accounts.EnsureBuilding(system, community, grid,
                                  std::to_string((grid_number - 1) * 3 + b) + "号楼"));
      for (int floor = 1; floor <= 2; ++floor) {
        LINLI_ASSIGN_OR_RETURN(
            auto household,
            accounts.EnsureHousehold(system, community, building, std::to_string(floor) + "01室"));
        households.push_back(household);
      }
    }
  }
  LINLI_ASSIGN_OR_RETURN(auto guide, InsertUser(store, "guide", community, {Role::kGridWorker}));
  LINLI_ASSIGN_OR_RETURN(
      auto resident, InsertUser(store, "resident", community, {Role::kResident}, households[0]));
  return seed(community, guide, resident);
}

}  // namespace linli::households::testing
