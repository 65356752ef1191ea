// `linli seed-demo`: the demo community 阳光社区 with its people, idempotent.
#include <fmt/format.h>

#include "accounts/service.hpp"
#include "app/commands.hpp"
#include "app/data_keys.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "households/service.hpp"
#include "notify/service.hpp"
#include "resources/demo.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"

namespace linli::app {
namespace {

constexpr std::string_view kDemoPassword = "linli-demo-pass";
constexpr std::string_view kDemoInviteCode = "YANGGUANG-2026";

struct DemoUser {
  std::string login;
  std::string display_name;
  std::vector<Role> roles;
  bool also_in_second_community;
};

const std::vector<DemoUser>& DemoUsers() {
  static const std::vector<DemoUser> kUsers{
      {"admin", "系统管理员", {Role::kAdmin, Role::kAuditor}, true},
      {"resident", "王秀英", {Role::kResident}, false},
      {"resident2", "李明", {Role::kResident, Role::kVolunteer}, false},
      {"staff", "陈经理（物业）", {Role::kPropertyStaff}, false},
      {"guide", "刘芳（网格员）", {Role::kGridWorker}, false},
      {"committee", "赵主任（居委会）", {Role::kCommittee}, true},
      {"merchant", "好邻居家政", {Role::kMerchant}, false},
  };
  return kUsers;
}

Status Seed(accounts::AccountsService& accounts, households::HouseholdsService& households,
            int scale) {
  const Actor system = Actor::System();
  LINLI_ASSIGN_OR_RETURN(
      auto sunshine,
      accounts.EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai",
                                        std::string(kDemoInviteCode)}));
  LINLI_ASSIGN_OR_RETURN(
      auto harmony, accounts.EnsureCommunity(
                        system, {"上海市", "阳光街道", "和谐社区", "Asia/Shanghai", std::nullopt}));
  std::vector<std::int64_t> household_ids;
  for (int grid_number = 1; grid_number <= 2; ++grid_number) {
    LINLI_ASSIGN_OR_RETURN(
        auto grid, accounts.EnsureGrid(system, sunshine, fmt::format("第{}网格", grid_number)));
    for (int b = 1; b <= 3; ++b) {
      const int building_number = (grid_number - 1) * 3 + b;
      LINLI_ASSIGN_OR_RETURN(
          auto building,
          accounts.EnsureBuilding(system, sunshine, grid, fmt::format("{}号楼", building_number)));
      for (int floor = 1; floor <= 2; ++floor) {
        LINLI_ASSIGN_OR_RETURN(
            auto household,
            accounts.EnsureHousehold(system, sunshine, building, fmt::format("{}01室", floor)));
        household_ids.push_back(household);
      }
    }
  }
  std::size_t next_household = 0;
  households::DemoPeople people;
  for (const auto& user : DemoUsers()) {
    std::optional<std::int64_t> household;
    if (user.roles.front() == Role::kResident) household = household_ids[next_household++];
    LINLI_ASSIGN_OR_RETURN(
        auto user_id,
        accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                     sunshine, user.roles, household}));
    if (user.login == "guide") people.guide_user_id = user_id;
    if (user.login == "resident") people.resident_user_id = user_id;
    if (user.login == "resident2") people.resident2_user_id = user_id;
    if (user.also_in_second_community) {
      LINLI_TRY(
          accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                       harmony, user.roles, std::nullopt}));
    }
  }
  LINLI_TRY(households::SeedDemo(households, sunshine, people));
  // Synthetic households for benchmarks: cheap (no logins), deterministic names.
  if (scale > 0) {
    LINLI_ASSIGN_OR_RETURN(auto grid, accounts.EnsureGrid(system, sunshine, "合成网格"));
    for (int i = 0; i < scale; ++i) {
      const int building_number = i / 100 + 1;
      LINLI_ASSIGN_OR_RETURN(auto building,
                             accounts.EnsureBuilding(system, sunshine, grid,
                                                     fmt::format("合成{}号楼", building_number)));
      LINLI_TRY(accounts.EnsureHousehold(system, sunshine, building, fmt::format("{}室", i % 100)));
    }
  }
  return Ok();
}

// 阳光社区's resource pool (resources::SeedDemoPool) and, with --scale, synthetic listed cards.
// Looks up what it needs through the idempotent set-up calls, so it runs after Seed().
Status SeedResources(storage::Store& store, const audit::AuditService& audit,
                     accounts::AccountsService& accounts, const Clock& clock, int scale) {
  const Actor system = Actor::System();
  resources::DemoCommunity demo;
  demo.password = std::string(kDemoPassword);
  LINLI_ASSIGN_OR_RETURN(
      demo.sunshine_id,
      accounts.EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai",
                                        std::string(kDemoInviteCode)}));
  LINLI_ASSIGN_OR_RETURN(demo.harmony_id,
                         accounts.EnsureCommunity(system, {"上海市", "阳光街道", "和谐社区",
                                                           "Asia/Shanghai", std::nullopt}));
  LINLI_ASSIGN_OR_RETURN(auto community, accounts.GetCommunity(system, demo.sunshine_id));
  for (const auto& building : community.buildings) demo.building_ids.push_back(building.id);
  for (const auto& user : DemoUsers()) {
    LINLI_ASSIGN_OR_RETURN(
        auto id,
        accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                     demo.sunshine_id, user.roles, std::nullopt}));
    if (user.login == "resident") demo.resident_id = id;
    if (user.login == "resident2") demo.volunteer_id = id;
    if (user.login == "staff") demo.staff_id = id;
    if (user.login == "committee") demo.committee_id = id;
    if (user.login == "merchant") demo.merchant_id = id;
  }
  notify::NotifyService notify(store, clock);
  search::Index index;  // unused here: servers follow the change log
  resources::ResourcesService resources(store, audit, notify, accounts, index, clock);
  LINLI_TRY(resources::SeedDemoPool(resources, accounts, demo));
  if (scale > 0) {
    LINLI_TRY(resources.EnsureSynthetic(system, demo.sunshine_id, demo.resident_id, scale,
                                        resources::SyntheticCard));
  }
  return Ok();
}

}  // namespace

int RunSeedDemo(const Config& config, int scale) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  SecureRandom random;
  audit::AuditService audit(**store, clock);
  accounts::AccountsService accounts(**store, audit, clock, random);
  auto data_keys = LoadDataKeys(config, random);
  if (!data_keys) return ReportFatal(data_keys.error());
  households::HouseholdsService households(**store, audit, clock, random, *data_keys);
  if (auto seeded = Seed(accounts, households, scale); !seeded) {
    return ReportFatal(seeded.error());
  }
  if (auto seeded = SeedResources(**store, audit, accounts, clock, scale); !seeded) {
    return ReportFatal(seeded.error());
  }
  fmt::print("demo community 阳光社区 is ready (invite code {}).\n", kDemoInviteCode);
  fmt::print("demo logins (password: {}):\n", kDemoPassword);
  for (const auto& user : DemoUsers()) {
    std::string roles;
    for (Role role : user.roles) roles += (roles.empty() ? "" : ", ") + std::string(RoleName(role));
    fmt::print("  {:<10} {} — {}\n", user.login, user.display_name, roles);
  }
  return 0;
}

}  // namespace linli::app
