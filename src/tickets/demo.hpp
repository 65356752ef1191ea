#pragma once
// Demo data for `linli seed-demo`: 阳光社区's routing rules (noise → the grid worker), the
// supervisor who receives escalations, and tickets in every state and colour so the staff
// queue and "my tickets" have something to show. Idempotent: skipped once the resident has
// tickets.
#include <cstdint>
#include <vector>

#include "tickets/service.hpp"

namespace linli::tickets {

struct DemoPeople {
  std::int64_t community_id = 0;
  std::int64_t resident_id = 0;
  std::int64_t resident2_id = 0;
  std::int64_t staff_id = 0;
  std::int64_t guide_id = 0;
  std::int64_t committee_id = 0;
  std::vector<std::int64_t> building_ids;
};

// Returns how many tickets were created.
Result<int> SeedDemo(TicketsService& service, const DemoPeople& people);

}  // namespace linli::tickets
