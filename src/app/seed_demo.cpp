// `linli seed-demo`: the demo community 阳光社区 with its people, idempotent.
#include <fmt/format.h>

#include "accounts/service.hpp"
#include "app/commands.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"

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

Status Seed(accounts::AccountsService& accounts, int scale) {
  const Actor system = Actor::System();
  LINLI_ASSIGN_OR_RETURN(
      auto sunshine,
      accounts.EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai",
                                        std::string(kDemoInviteCode)}));
  LINLI_ASSIGN_OR_RETURN(
      auto harmony, accounts.EnsureCommunity(
                        system, {"上海市", "阳光街道", "和谐社区", "Asia/Shanghai", std::nullopt}));
  std::vector<std::int64_t> households;
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
        households.push_back(household);
      }
    }
  }
  std::size_t next_household = 0;
  for (const auto& user : DemoUsers()) {
    std::optional<std::int64_t> household;
    if (user.roles.front() == Role::kResident) household = households[next_household++];
    LINLI_TRY(
        accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                     sunshine, user.roles, household}));
    if (user.also_in_second_community) {
      LINLI_TRY(
          accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                       harmony, user.roles, std::nullopt}));
    }
  }
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

}  // namespace

int RunSeedDemo(const Config& config, int scale) {
  auto store = OpenStore(config);
  if (!store) return ReportFatal(store.error());
  SystemClock clock;
  SecureRandom random;
  audit::AuditService audit(**store, clock);
  accounts::AccountsService accounts(**store, audit, clock, random);
  if (auto seeded = Seed(accounts, scale); !seeded) return ReportFatal(seeded.error());
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
