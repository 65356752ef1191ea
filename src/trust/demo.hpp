#pragma once
// Demo content for `linli seed-demo`: a few finished exchanges between the demo people — some
// rated by both sides (published), one waiting for the resident's rating — a long clean record
// that makes 李明 a 社区资源大使, a late return in 王秀英's history, a verification, a pending
// report of a listing and an open dispute, so every trust page and queue shows something.
// Idempotent: exchanges by source id, everything else checked before it is added.
#include <cstdint>
#include <optional>

#include "trust/service.hpp"

namespace linli::trust {

struct DemoPeople {
  std::int64_t community_id = 0;
  std::int64_t resident_id = 0;             // 王秀英
  std::int64_t resident2_id = 0;            // 李明 (volunteer, repairs)
  std::int64_t merchant_id = 0;             // 好邻居家政
  std::optional<Listing> reported_listing;  // a card of 李明's that 王秀英 reports
};

// Source ids of demo exchanges ("service", far above real ids).
inline constexpr std::int64_t kDemoSourceBase = 9'000'000'000;

Status SeedDemo(storage::Store& store, TrustService& service, const DemoPeople& people);

}  // namespace linli::trust
