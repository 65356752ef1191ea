#include "tickets/demo.hpp"

namespace linli::tickets {
namespace {

Actor Person(std::int64_t user_id, std::int64_t community_id, Role role) {
  Actor actor;
  actor.user_id = user_id;
  actor.roles_by_community[community_id] = {role};
  actor.current_community_id = community_id;
  return actor;
}

}  // namespace

Result<int> SeedDemo(TicketsService& service, const DemoPeople& people) {
  const std::int64_t c = people.community_id;
  const Actor resident = Person(people.resident_id, c, Role::kResident);
  const Actor resident2 = Person(people.resident2_id, c, Role::kResident);
  const Actor staff = Person(people.staff_id, c, Role::kPropertyStaff);
  const Actor system = Actor::System();
  LINLI_ASSIGN_OR_RETURN(auto existing, service.Mine(resident, std::nullopt, {1, std::nullopt}));
  if (!existing.items.empty()) return 0;

  LINLI_TRY(service.UpdateSettings(system, c, {7, people.committee_id}));
  Rule noise;
  noise.category = "noise";
  noise.assignee = {AssigneeKind::kGridWorker, people.guide_id, ""};
  LINLI_TRY(service.AddRule(system, c, noise));
  Rule illegal;
  illegal.category = "illegal_building";
  illegal.assignee = {AssigneeKind::kDepartment, std::nullopt, "街道城管执法中队"};
  LINLI_TRY(service.AddRule(system, c, illegal));

  const auto building = [&](std::size_t i) -> std::optional<std::int64_t> {
    if (people.building_ids.empty()) return std::nullopt;
    return people.building_ids[i % people.building_ids.size()];
  };
  const auto report = [&](const Actor& who, std::string category, std::string text,
                          std::size_t where) -> Result<Ticket> {
    NewTicket request;
    request.community_id = c;
    request.category = std::move(category);
    request.description = std::move(text);
    request.location.building_id = building(where);
    return service.Create(who, request);
  };
  int created = 0;
  LINLI_ASSIGN_OR_RETURN(auto leak,
                         report(resident, "water_leak", "卫生间天花板渗水，楼上可能漏水", 0));
  ++created;
  LINLI_ASSIGN_OR_RETURN(auto lift, report(resident2, "elevator", "2号楼电梯异响，偶尔停顿", 1));
  ++created;
  LINLI_TRY(service.Accept(staff, lift.id, std::nullopt, "已联系电梯维保单位"));
  LINLI_ASSIGN_OR_RETURN(auto light, report(resident, "lighting", "3楼楼道灯不亮", 2));
  ++created;
  LINLI_TRY(service.Accept(staff, light.id, std::nullopt, ""));
  LINLI_TRY(service.Start(staff, light.id, "电工今天下午上门"));
  LINLI_ASSIGN_OR_RETURN(auto noisy, report(resident2, "noise", "晚上十点后楼下商铺仍很吵", 3));
  ++created;
  LINLI_ASSIGN_OR_RETURN(auto door, report(resident, "door_access", "单元门禁刷卡无反应", 4));
  ++created;
  LINLI_TRY(service.Accept(staff, door.id, std::nullopt, ""));
  LINLI_TRY(service.Start(staff, door.id, ""));
  LINLI_TRY(service.Wait(staff, door.id, "请提供门禁卡号以便核对"));
  LINLI_ASSIGN_OR_RETURN(auto park, report(resident2, "parking", "消防通道常被私家车占用", 5));
  ++created;
  LINLI_TRY(service.Resolve(staff, park.id, "已张贴告示并加装地锁"));
  LINLI_ASSIGN_OR_RETURN(auto idea, report(resident, "suggestion", "建议在小花园增设休息长椅", 0));
  ++created;
  LINLI_TRY(service.Resolve(staff, idea.id, "已采纳，下月安装"));
  CloseRequest close;
  close.rating = 5;
  close.comment = "谢谢！";
  LINLI_TRY(service.Close(resident, idea.id, close));
  (void)leak;
  (void)noisy;
  return created;
}

}  // namespace linli::tickets
