#pragma once
// Demo data for the points bank / time bank of 阳光社区 (`linli seed-demo`): pools, default
// rules, funded rewards and subsidies, a corporate donation, and some history for the demo
// residents and the merchant so the wallet shows something. Idempotent (every movement has a
// fixed idempotency key).
#include <cstdint>

#include "ledger/service.hpp"
#include "storage/store.hpp"

namespace linli::ledger {

struct DemoLedger {
  std::int64_t community_id = 0;
  std::int64_t resident_id = 0;   // login resident
  std::int64_t volunteer_id = 0;  // login resident2
  std::int64_t merchant_id = 0;   // login merchant
};

Status SeedDemo(LedgerService& service, storage::Store& store, const DemoLedger& demo);

}  // namespace linli::ledger
