#include "property/demo.hpp"

#include <fmt/format.h>

#include "core/time_zone.hpp"
#include "notify/service.hpp"
#include "property/payments.hpp"
#include "property/service.hpp"

namespace linli::property {
namespace {

struct DemoPlace {
  std::int64_t community_id = 0;
  std::int64_t resident_id = 0;
  std::int64_t household_id = 0;
  std::int64_t building_id = 0;
};

Result<DemoPlace> FindPlace(storage::Store& store) {
  return store.ReadValue([](storage::Session& session) -> Result<DemoPlace> {
    LINLI_ASSIGN_OR_RETURN(
        auto row, session.QueryOne("SELECT c.id, u.id, h.id, h.building_id FROM communities c "
                                   "JOIN users u ON u.login = 'resident' "
                                   "JOIN households h ON h.id = u.household_id "
                                   "WHERE c.name = '阳光社区' ORDER BY c.id LIMIT 1"));
    if (!row) return NotFoundError();
    return DemoPlace{row->Int(0), row->Int(1), row->Int(2), row->Int(3)};
  });
}

// Month keys relative to the demo day: "2026-08" for offset -1 from September.
std::string MonthKey(const CivilDate& today, int offset) {
  int month = today.month + offset;
  int year = today.year;
  while (month < 1) {
    month += 12;
    year -= 1;
  }
  while (month > 12) {
    month -= 12;
    year += 1;
  }
  return fmt::format("{:04}-{:02}", year, month);
}

// Issues a bill unless the household has it already; returns it when new.
Result<std::optional<Bill>> EnsureBill(PropertyService& service, std::int64_t community_id,
                                       const BillInput& input) {
  auto bill = service.IssueBill(Actor::System(), community_id, input);
  if (!bill && bill.error().reason == "duplicate") return std::optional<Bill>{};
  if (!bill) return bill.error();
  return std::optional<Bill>{std::move(*bill)};
}

Status SeedBills(PropertyService& service, const DemoPlace& place, const Clock& clock) {
  const CivilDate today = TimeZone::Default().ToLocal(clock.NowEpochS()).date;
  const auto date = [&](int days) { return FormatIsoDate(today.day + days); };
  LINLI_TRY(EnsureBill(
      service, place.community_id,
      {place.household_id, BillKind::kPropertyFee, MonthKey(today, -1), "", 32850, date(-20)}));
  LINLI_TRY(EnsureBill(
      service, place.community_id,
      {place.household_id, BillKind::kPropertyFee, MonthKey(today, 0), "", 32850, date(15)}));
  LINLI_ASSIGN_OR_RETURN(auto parking, EnsureBill(service, place.community_id,
                                                  {place.household_id, BillKind::kParking,
                                                   MonthKey(today, 0), "", 15000, date(10)}));
  if (parking) {
    LINLI_TRY(service.RecordPayment(
        Actor::System(), parking->id,
        {15000, PaymentMethod::kCounter, "物业前台 0001", std::nullopt, std::nullopt}));
  }
  return Ok();
}

Status SeedAnnouncements(PropertyService& service, const DemoPlace& place, const Clock& clock) {
  const Actor system = Actor::System();
  LINLI_ASSIGN_OR_RETURN(auto existing,
                         service.Announcements(system, place.community_id, {1, std::nullopt}));
  if (!existing.pinned.empty() || !existing.items.empty()) return Ok();
  AnnouncementInput notice;
  notice.category = "policy";
  notice.title = "关于第三季度物业费收缴的通知";
  notice.body =
      "各位居民：第三季度物业费已开始收缴，可在物业前台以现金或银行转账缴纳，"
      "也可在「我的账单」查看明细。如有疑问请联系物业服务中心。";
  notice.pinned = true;
  LINLI_TRY(service.Publish(system, place.community_id, notice));
  AnnouncementInput water;
  water.category = "maintenance";
  water.title = "1号楼二次供水水箱清洗";
  water.body = "本周六上午 9:00–12:00 清洗水箱，期间暂停供水，请提前储水。";
  water.audience = Audience::kBuildings;
  water.target_ids = {place.building_id};
  water.expires_at = clock.NowEpochS() + 7 * 24 * 3600;
  LINLI_TRY(service.Publish(system, place.community_id, water));
  AnnouncementInput alert;
  alert.kind = AnnouncementKind::kAlert;
  alert.category = "weather";
  alert.severity = Severity::kWarning;
  alert.title = "暴雨黄色预警";
  alert.body = "气象台发布暴雨黄色预警，请关好门窗，地下车库车辆请及时移至地面。";
  alert.expires_at = clock.NowEpochS() + 2 * 24 * 3600;
  LINLI_TRY(service.Publish(system, place.community_id, alert));
  return Ok();
}

Status SeedPass(PropertyService& service, const DemoPlace& place, const Clock& clock) {
  Actor resident;
  resident.user_id = place.resident_id;
  resident.roles_by_community[place.community_id] = {Role::kResident};
  resident.current_community_id = place.community_id;
  LINLI_ASSIGN_OR_RETURN(auto mine,
                         service.MyPasses(resident, place.community_id, {1, std::nullopt}));
  if (!mine.items.empty()) return Ok();
  PassRequest request;
  request.visitor_label = "李阿姨";
  request.purpose = "送菜";
  request.mode = PassMode::kWindow;
  request.max_uses = 4;
  request.valid_from = clock.NowEpochS();
  request.valid_until = request.valid_from + 2 * 24 * 3600;
  LINLI_TRY(service.CreatePass(resident, place.community_id, request));
  return Ok();
}

}  // namespace

Status SeedDemo(storage::Store& store, const audit::AuditService& audit, const Clock& clock,
                Random& random, const crypto::KeyRing& keys) {
  LINLI_ASSIGN_OR_RETURN(auto place, FindPlace(store));
  notify::NotifyService notify(store, clock);
  CounterPayments payments;
  PropertyService service(store, audit, notify, clock, random, keys, payments);
  LINLI_TRY(SeedBills(service, place, clock));
  LINLI_TRY(SeedAnnouncements(service, place, clock));
  return SeedPass(service, place, clock);
}

}  // namespace linli::property
