// `linli seed-demo`: the demo community 阳光社区 with its people, idempotent.
#include <fmt/format.h>

#include "accounts/service.hpp"
#include "app/commands.hpp"
#include "app/data_keys.hpp"
#include "audit/service.hpp"
#include "booking/demo.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "households/service.hpp"
#include "ledger/demo.hpp"
#include "notify/service.hpp"
#include "property/demo.hpp"
#include "resources/demo.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"
#include "tickets/demo.hpp"
#include "tickets/service.hpp"
#include "trust/demo.hpp"

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

// 阳光社区's points bank and time bank (ledger::SeedDemo); runs after Seed().
Status SeedLedger(storage::Store& store, const audit::AuditService& audit, const Clock& clock) {
  ledger::DemoLedger demo;
  LINLI_TRY(store.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(
        auto community,
        session.QueryOne("SELECT id FROM communities WHERE name = $1", {std::string("阳光社区")}));
    if (!community) return Error{Errc::kNotFound, "not_found", "demo community missing"};
    demo.community_id = community->Int(0);
    for (auto [login, id] :
         {std::pair{"resident", &demo.resident_id}, std::pair{"resident2", &demo.volunteer_id},
          std::pair{"merchant", &demo.merchant_id}}) {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT id FROM users WHERE login = $1",
                                                        {std::string(login)}));
      if (!row) return Error{Errc::kNotFound, "not_found", "demo user missing"};
      *id = row->Int(0);
    }
    return Ok();
  }));
  ledger::LedgerService ledger(store, audit, clock);
  return ledger::SeedDemo(ledger, store, demo);
}

// 阳光社区's ratings, credit history, a pending report and an open dispute (trust::SeedDemo);
// runs after SeedResources() (the report is about one of 李明's listed cards).
Status SeedTrust(storage::Store& store, const audit::AuditService& audit,
                 accounts::AccountsService& accounts, const Clock& clock, Random& random,
                 const crypto::KeyRing& keys) {
  trust::DemoPeople people;
  LINLI_TRY(store.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(
        auto community,
        session.QueryOne("SELECT id FROM communities WHERE name = $1", {std::string("阳光社区")}));
    if (!community) return Error{Errc::kNotFound, "not_found", "demo community missing"};
    people.community_id = community->Int(0);
    for (auto [login, id] :
         {std::pair{"resident", &people.resident_id}, std::pair{"resident2", &people.resident2_id},
          std::pair{"merchant", &people.merchant_id}}) {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT id FROM users WHERE login = $1",
                                                        {std::string(login)}));
      if (!row) return Error{Errc::kNotFound, "not_found", "demo user missing"};
      *id = row->Int(0);
    }
    return Ok();
  }));
  notify::NotifyService notify(store, clock);
  search::Index index;  // unused here: servers follow the change log
  resources::ResourcesService resources(store, audit, notify, accounts, index, clock);
  Actor owner;  // 李明 publishes several cards; 王秀英 reports one of them
  owner.user_id = people.resident2_id;
  owner.roles_by_community[people.community_id] = {Role::kResident};
  owner.current_community_id = people.community_id;
  LINLI_ASSIGN_OR_RETURN(auto cards,
                         resources.Mine(owner, resources::Lifecycle::kListed, {1, std::nullopt}));
  if (!cards.items.empty()) {
    const auto& card = cards.items.front();
    people.reported_listing =
        trust::Listing{card.id, card.community_id, card.owner_user_id, card.content.title};
  }
  trust::TrustService trust(store, audit, notify, clock, random, keys);
  trust.SetListingLookup(
      [&resources](const Actor& actor, std::int64_t card_id) -> Result<trust::Listing> {
        LINLI_ASSIGN_OR_RETURN(auto card, resources.Get(actor, card_id));
        return trust::Listing{card.id, card.community_id, card.owner_user_id, card.content.title};
      });
  return trust::SeedDemo(store, trust, people);
}

// 阳光社区's tickets (tickets::SeedDemo): rules, a supervisor, tickets in every state.
Status SeedTickets(storage::Store& store, const audit::AuditService& audit,
                   accounts::AccountsService& accounts, const Clock& clock, Random& random,
                   const crypto::KeyRing& keys) {
  const Actor system = Actor::System();
  tickets::DemoPeople people;
  LINLI_ASSIGN_OR_RETURN(
      people.community_id,
      accounts.EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai",
                                        std::string(kDemoInviteCode)}));
  LINLI_ASSIGN_OR_RETURN(auto community, accounts.GetCommunity(system, people.community_id));
  for (const auto& building : community.buildings) people.building_ids.push_back(building.id);
  for (const auto& user : DemoUsers()) {
    LINLI_ASSIGN_OR_RETURN(
        auto id,
        accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                     people.community_id, user.roles, std::nullopt}));
    if (user.login == "resident") people.resident_id = id;
    if (user.login == "resident2") people.resident2_id = id;
    if (user.login == "staff") people.staff_id = id;
    if (user.login == "guide") people.guide_id = id;
    if (user.login == "committee") people.committee_id = id;
  }
  notify::NotifyService notify(store, clock);
  tickets::TicketsService service(store, audit, notify, accounts, clock, random, keys);
  LINLI_TRY(tickets::SeedDemo(service, people));
  return Ok();
}

// 阳光社区's booking settings, bookings and a loan (booking::SeedDemo); runs after
// SeedResources() (it configures demo cards).
Status SeedBooking(storage::Store& store, const audit::AuditService& audit,
                   accounts::AccountsService& accounts, const Clock& clock, Random& random) {
  const Actor system = Actor::System();
  booking::DemoPeople people;
  LINLI_ASSIGN_OR_RETURN(
      people.community_id,
      accounts.EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai",
                                        std::string(kDemoInviteCode)}));
  for (const auto& user : DemoUsers()) {
    if (user.login != "resident" && user.login != "resident2") continue;
    LINLI_ASSIGN_OR_RETURN(
        auto id,
        accounts.EnsureUser(system, {user.login, user.display_name, std::string(kDemoPassword),
                                     people.community_id, user.roles, std::nullopt}));
    (user.login == "resident" ? people.resident_id : people.resident2_id) = id;
  }
  notify::NotifyService notify(store, clock);
  search::Index index;  // unused here: servers follow the change log
  resources::ResourcesService resources(store, audit, notify, accounts, index, clock);
  booking::BookingService service(store, audit, notify, accounts, resources, clock, random);
  return booking::SeedDemo(service, store, people, clock.NowEpochS());
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
  if (auto seeded = SeedLedger(**store, audit, clock); !seeded) return ReportFatal(seeded.error());
  if (auto seeded = SeedTrust(**store, audit, accounts, clock, random, *data_keys); !seeded) {
    return ReportFatal(seeded.error());
  }
  if (auto seeded = property::SeedDemo(**store, audit, clock, random, *data_keys); !seeded) {
    return ReportFatal(seeded.error());
  }
  if (auto seeded = SeedTickets(**store, audit, accounts, clock, random, *data_keys); !seeded) {
    return ReportFatal(seeded.error());
  }
  if (auto seeded = SeedBooking(**store, audit, accounts, clock, random); !seeded) {
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
