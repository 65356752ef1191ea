#pragma once
// The people and accounts the process-level ledger tests need, created in-process through the
// services (not `seed-demo`, so the tests do not depend on other modules' demo data).
#include <cstdint>
#include <string>
#include <vector>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "ledger/service.hpp"
#include "storage/store.hpp"

namespace linli::ledger_process {

struct World {
  std::int64_t community_id = 0;
  std::vector<std::int64_t> accounts;  // household accounts, each funded with `funding` points
  std::int64_t funding = 0;
};

// A community with a committee login ("committee", password linli-demo-pass) and `households`
// household point accounts funded from the issuance pool.
inline Result<World> MakeWorld(storage::Store& store, int households, std::int64_t funding) {
  crypto::InitCrypto();
  SystemClock clock;
  SecureRandom random;
  audit::AuditService audit(store, clock);
  accounts::AccountsService accounts(store, audit, clock, random);
  ledger::LedgerService ledger(store, audit, clock);
  const Actor system = Actor::System();
  World world;
  world.funding = funding;
  LINLI_ASSIGN_OR_RETURN(world.community_id,
                         accounts.EnsureCommunity(system, {"上海市", "测试街道", "测试社区",
                                                           "Asia/Shanghai", std::nullopt}));
  LINLI_TRY(accounts.EnsureUser(system, {"committee",
                                         "委员",
                                         "linli-demo-pass",
                                         world.community_id,
                                         {Role::kCommittee},
                                         std::nullopt}));
  LINLI_ASSIGN_OR_RETURN(auto issuance, store.WriteValue([&](storage::Session& session) {
    return ledger.EnsurePool(session, world.community_id, ledger::Currency::kPoints,
                             ledger::Pool::kIssuance);
  }));
  for (int i = 1; i <= households; ++i) {
    LINLI_ASSIGN_OR_RETURN(auto opened, ledger.OpenAccount(system, {world.community_id,
                                                                    ledger::Currency::kPoints,
                                                                    ledger::OwnerKind::kHousehold,
                                                                    i,
                                                                    {},
                                                                    {}}));
    ledger::TransferRequest fund;
    fund.community_id = world.community_id;
    fund.idempotency_key = "fund-" + std::to_string(i);
    ledger::TransferItem item;
    item.debit_account_id = issuance.id;
    item.credit_account_id = opened.first.id;
    item.amount = funding;
    fund.items.push_back(item);
    LINLI_TRY(ledger.Submit(system, fund));
    world.accounts.push_back(opened.first.id);
  }
  return world;
}

}  // namespace linli::ledger_process
