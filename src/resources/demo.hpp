#pragma once
// Demo data for `linli seed-demo`: 阳光社区's resource pool as the seed document describes it —
// 23 residents with 家电维修 skills, 15 merchants offering 折扣家政, 8 spaces free for 社区课堂 —
// plus shared goods (电钻, 雨伞, 投影仪, 平板电脑 ...), idle parking spots (车位), volunteers and
// neighbourhood services: 326 cards in all, most listed, some pending review, many located near
// 31.18N 121.43E. And synthetic cards for benchmarks. Deterministic and idempotent.
#include <cstdint>
#include <string>
#include <vector>

#include "accounts/service.hpp"
#include "resources/service.hpp"

namespace linli::resources {

struct DemoCommunity {
  std::int64_t sunshine_id = 0;            // 阳光社区
  std::int64_t harmony_id = 0;             // 和谐社区 (same street)
  std::vector<std::int64_t> building_ids;  // 阳光社区's buildings
  // Existing demo users who also publish cards.
  std::int64_t resident_id = 0;
  std::int64_t volunteer_id = 0;
  std::int64_t staff_id = 0;
  std::int64_t committee_id = 0;
  std::int64_t merchant_id = 0;
  std::string password;  // for the providers this creates
};

inline constexpr int kDemoCardCount = 326;
inline constexpr double kDemoLat = 31.18;
inline constexpr double kDemoLon = 121.43;

// Creates the providers (EnsureUser) and the cards (EnsureCards). Returns cards created.
Result<int> SeedDemoPool(ResourcesService& resources, accounts::AccountsService& accounts,
                         const DemoCommunity& demo);

// The content of synthetic card `n`: varied kinds, Chinese titles (电钻, 车位, 维修 ...),
// coordinates within ~5 km of the demo centre. Pure.
CardContent SyntheticCard(int n);

}  // namespace linli::resources
