#pragma once
// Booking demo data for 阳光社区 (`linli seed-demo`): booking settings on demo cards — the
// community activity room (capacity 1, approval), a few tidal parking spots (weekdays
// 08:00–18:00, 500 fen/hour), the impact drills (5 units, lent) — and a few bookings and loans
// of the demo residents so the UI shows data. Idempotent: settings are written once, bookings
// carry Idempotency-Keys (a re-run on another day skips the keys already used).
#include <cstdint>

#include "booking/service.hpp"
#include "storage/store.hpp"

namespace linli::booking {

struct DemoPeople {
  std::int64_t community_id = 0;
  std::int64_t resident_id = 0;
  std::int64_t resident2_id = 0;
};

Status SeedDemo(BookingService& service, storage::Store& store, const DemoPeople& people,
                std::int64_t now_s);

}  // namespace linli::booking
