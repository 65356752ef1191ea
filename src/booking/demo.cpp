#include "booking/demo.hpp"

#include <fmt/format.h>

namespace linli::booking {
namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 24 * kHour;

Result<std::optional<std::int64_t>> CardId(storage::Store& store, std::int64_t community_id,
                                           const std::string& where, const std::string& value) {
  return store.ReadValue([&](storage::Session& s) -> Result<std::optional<std::int64_t>> {
    LINLI_ASSIGN_OR_RETURN(
        auto row, s.QueryOne(fmt::format("SELECT id FROM resource_cards WHERE community_id = $1 "
                                         "AND {} = $2 ORDER BY id LIMIT 1",
                                         where),
                             {community_id, value}));
    if (!row) return std::optional<std::int64_t>{};
    return std::optional<std::int64_t>{row->Int(0)};
  });
}

// Writes `settings` unless the card was configured before (by a manager or an earlier run).
Status Configure(BookingService& service, std::int64_t card_id, const Settings& settings) {
  LINLI_ASSIGN_OR_RETURN(auto current, service.GetSettings(Actor::System(), card_id));
  if (current.customised) return Ok();
  LINLI_TRY(service.PutSettings(Actor::System(), card_id, settings, std::nullopt));
  return Ok();
}

Actor Resident(const DemoPeople& people, std::int64_t user_id) {
  Actor actor;
  actor.user_id = user_id;
  actor.roles_by_community[people.community_id] = {Role::kResident};
  actor.current_community_id = people.community_id;
  return actor;
}

// Books with a stable key; a key used on an earlier day (other times) is skipped, and so is a
// slot someone took meanwhile.
Status Book(BookingService& service, const Actor& actor, CreateRequest request, std::string key) {
  request.idempotency_key = std::move(key);
  auto created = service.Create(actor, request);
  if (created) return Ok();
  const auto& reason = created.error().reason;
  if (reason == "idempotency_key_reused" || reason == "slot_taken") return Ok();
  return created.error();
}

}  // namespace

Status SeedDemo(BookingService& service, storage::Store& store, const DemoPeople& people,
                std::int64_t now_s) {
  // Tomorrow 00:00 in UTC+8 (the demo community's zone), as the base of the demo bookings.
  const std::int64_t tomorrow = ((now_s + 8 * kHour) / kDay + 1) * kDay - 8 * kHour;
  const Actor resident = Resident(people, people.resident_id);
  const Actor resident2 = Resident(people, people.resident2_id);

  LINLI_ASSIGN_OR_RETURN(auto room, CardId(store, people.community_id, "ref", "demo:classroom:1"));
  if (room) {
    Settings s;
    s.capacity = 1;
    s.requires_approval = true;
    s.buffer_s = 15 * 60;
    s.max_duration_s = 4 * kHour;
    for (int day = 1; day <= 7; ++day) s.windows.push_back({day, 9 * 3600, 21 * 3600});
    LINLI_TRY(Configure(service, *room, s));
    LINLI_TRY(Book(service, resident,
                   {*room, Kind::kBooking, tomorrow + 10 * kHour, tomorrow + 12 * kHour,
                    "亲子绘本会", std::nullopt},
                   "demo:booking:room:1"));
    LINLI_TRY(Book(service, resident2,
                   {*room, Kind::kBooking, tomorrow + 14 * kHour, tomorrow + 16 * kHour,
                    "太极拳练习", std::nullopt},
                   "demo:booking:room:2"));
  }
  for (int i = 1; i <= 3; ++i) {
    LINLI_ASSIGN_OR_RETURN(
        auto spot, CardId(store, people.community_id, "ref", fmt::format("demo:parking:{}", i)));
    if (!spot) continue;
    Settings s;
    s.price_fen_per_hour = 500;
    s.min_duration_s = kHour;
    s.max_duration_s = 10 * kHour;
    for (int day = 1; day <= 5; ++day) s.windows.push_back({day, 8 * 3600, 18 * 3600});
    LINLI_TRY(Configure(service, *spot, s));
  }
  LINLI_ASSIGN_OR_RETURN(auto drill, CardId(store, people.community_id, "title", "冲击电钻"));
  if (drill) {
    Settings s;
    s.capacity = 5;
    s.min_duration_s = kHour;
    s.max_duration_s = 14 * kDay;
    LINLI_TRY(Configure(service, *drill, s));
    LINLI_TRY(Book(service, resident2,
                   {*drill, Kind::kLoan, now_s, tomorrow + 2 * kDay, "装窗帘杆", std::nullopt},
                   "demo:loan:drill:1"));
  }
  return Ok();
}

}  // namespace linli::booking
