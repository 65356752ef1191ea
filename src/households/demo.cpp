// Demo content of the household register for `linli seed-demo`. Every phone number, ID number
// and health note here is invented; tests scan raw database bytes for exactly these strings.
#include <string>

#include <fmt/format.h>

#include "households/service.hpp"

namespace linli::households {
namespace {

constexpr std::int64_t kDaySeconds = 24 * 3600;
// Index (in id order) of the demo households that get records: 1号楼101室 (王秀英), 1号楼201室
// (李明), 2号楼101室 — all 第一网格 — and 4号楼101室 in 第二网格 (outside the demo guide's grid).
constexpr std::size_t kWangHousehold = 0;
constexpr std::size_t kLiHousehold = 1;
constexpr std::size_t kZhaoHousehold = 2;
constexpr std::size_t kChenHousehold = 6;
constexpr int kDemoChildAgeYears = 8;

const char* const kWangPhone = "13800210001";
const char* const kWangIdNumber = "310115195203124527";
const char* const kWangHealth = "高血压，每日服药；膝关节不好，上下楼需扶手";
const char* const kChildName = "王小宇";
const char* const kChildHealth = "哮喘，家中备有吸入剂";
const char* const kChildHistoryNote = "王小宇参加社区书法兴趣班，表现积极";
const char* const kLiPhone = "13900210002";
const char* const kZhangPhone = "13700210003";
const char* const kZhangIdNumber = "310115198711020048";
const char* const kZhaoPhone = "13600210004";
const char* const kZhaoIdNumber = "310115194801150013";
const char* const kZhaoHealth = "2型糖尿病，需定期测血糖";
const char* const kChenPhone = "13500210005";

MemberSave Adult(std::string name, std::string relation, std::string birth_date,
                 std::vector<std::string> skills, std::vector<std::string> needs,
                 Willingness willingness) {
  MemberSave save;
  save.patch.name = std::move(name);
  save.patch.relation = std::move(relation);
  save.patch.birth_date = std::move(birth_date);
  save.patch.skills = std::move(skills);
  save.patch.needs = std::move(needs);
  save.patch.willingness = willingness;
  return save;
}

Status Record(HouseholdsService& service, std::int64_t household_id, Willingness willingness,
              std::vector<std::string> needs, std::string notes) {
  RecordPatch patch;
  patch.willingness = willingness;
  patch.needs = std::move(needs);
  patch.notes = std::move(notes);
  LINLI_TRY(service.UpdateRecord(Actor::System(), household_id, patch));
  return Ok();
}

}  // namespace

const std::vector<std::string>& DemoSensitiveValues() {
  static const std::vector<std::string> kValues{
      kWangPhone,        kWangIdNumber, kWangHealth, kChildName,     kChildHealth,
      kChildHistoryNote, kLiPhone,      kZhangPhone, kZhangIdNumber, kZhaoPhone,
      kZhaoIdNumber,     kZhaoHealth,   kChenPhone};
  return kValues;
}

Status SeedDemo(HouseholdsService& service, std::int64_t community_id, const DemoPeople& people) {
  const Actor system = Actor::System();
  PageRequest page;
  page.limit = static_cast<int>(kChenHousehold) + 1;
  LINLI_ASSIGN_OR_RETURN(auto listed, service.List(system, community_id, {}, page));
  const auto& households = listed.items;
  if (households.size() <= kChenHousehold) {
    return Error{Errc::kFailedPrecondition, "demo_layout_missing",
                 "the demo community has fewer households than the demo register needs"};
  }
  const Household& first = households[kWangHousehold].household;
  if (first.version > 0) return Ok();  // seeded before: leave the register as people left it

  if (first.grid && people.guide_user_id != 0) {
    LINLI_TRY(service.AssignGridGuide(system, community_id, first.grid->id, people.guide_user_id));
  }
  const std::int64_t now = service.clock().NowEpochS();
  const std::string today = CivilDateOf(now);
  const int year = std::stoi(today.substr(0, 4));

  // 王秀英 (the demo resident) and her grandson, who is under 14.
  const std::int64_t wang_household = households[kWangHousehold].household.id;
  LINLI_TRY(Record(service, wang_household, Willingness::kYes, {"助餐", "陪诊"},
                   "老人白天独自在家，每周探访一次"));
  auto wang =
      Adult("王秀英", "户主", "1952-03-12", {"剪纸", "包饺子"}, {"陪诊"}, Willingness::kYes);
  wang.patch.phone = kWangPhone;
  wang.patch.id_number = kWangIdNumber;
  wang.patch.health_notes = kWangHealth;
  if (people.resident_user_id != 0) wang.patch.user_id = people.resident_user_id;
  wang.health_consent = ConsentGrant{ConsentMethod::kInPerson, std::nullopt};
  LINLI_ASSIGN_OR_RETURN(auto wang_member, service.AddMember(system, wang_household, wang));
  auto child = Adult(kChildName, "孙子", fmt::format("{}-09-01", year - kDemoChildAgeYears),
                     {"书法"}, {"课后托管"}, Willingness::kYes);
  child.patch.health_notes = kChildHealth;
  child.guardian_consent = ConsentGrant{ConsentMethod::kPaper, wang_member.member.id};
  child.health_consent = ConsentGrant{ConsentMethod::kPaper, wang_member.member.id};
  LINLI_ASSIGN_OR_RETURN(auto child_member, service.AddMember(system, wang_household, child));
  LINLI_TRY(service.AddHistory(system, wang_household,
                               {std::nullopt, CivilDateOf(now - 14 * kDaySeconds),
                                HistoryKind::kVisit, "网格员上门走访，老人精神状态良好"}));
  LINLI_TRY(service.AddHistory(system, wang_household,
                               {child_member.member.id, CivilDateOf(now - 30 * kDaySeconds),
                                HistoryKind::kParticipation, kChildHistoryNote}));

  // 李明 and 张丽: a couple with skills to share.
  const std::int64_t li_household = households[kLiHousehold].household.id;
  LINLI_TRY(Record(service, li_household, Willingness::kYes, {}, "愿意参与邻里互助维修"));
  auto li = Adult("李明", "户主", "1985-06-20", {"家电维修", "水电"}, {}, Willingness::kYes);
  li.patch.phone = kLiPhone;
  if (people.resident2_user_id != 0) li.patch.user_id = people.resident2_user_id;
  LINLI_TRY(service.AddMember(system, li_household, li));
  auto zhang = Adult("张丽", "配偶", "1987-11-02", {"英语辅导"}, {}, Willingness::kMaybe);
  zhang.patch.phone = kZhangPhone;
  zhang.patch.id_number = kZhangIdNumber;
  LINLI_TRY(service.AddMember(system, li_household, zhang));

  // 赵建国: an older man living alone, with a health consent on paper.
  const std::int64_t zhao_household = households[kZhaoHousehold].household.id;
  LINLI_TRY(Record(service, zhao_household, Willingness::kMaybe, {"助餐", "上门理发"},
                   "子女在外地，紧急联系人见纸质档案"));
  auto zhao =
      Adult("赵建国", "户主", "1948-01-15", {"象棋"}, {"助餐", "上门理发"}, Willingness::kMaybe);
  zhao.patch.phone = kZhaoPhone;
  zhao.patch.id_number = kZhaoIdNumber;
  zhao.patch.health_notes = kZhaoHealth;
  zhao.health_consent = ConsentGrant{ConsentMethod::kPaper, std::nullopt};
  LINLI_TRY(service.AddMember(system, zhao_household, zhao));
  LINLI_TRY(service.AddHistory(system, zhao_household,
                               {std::nullopt, CivilDateOf(now - 7 * kDaySeconds),
                                HistoryKind::kFeedback, "希望助餐点增加软烂一些的菜品"}));

  // 陈华 in 第二网格: outside the demo guide's grid.
  const std::int64_t chen_household = households[kChenHousehold].household.id;
  LINLI_TRY(Record(service, chen_household, Willingness::kNo, {}, ""));
  auto chen = Adult("陈华", "户主", "1979-04-08", {"驾驶"}, {}, Willingness::kNo);
  chen.patch.phone = kChenPhone;
  LINLI_TRY(service.AddMember(system, chen_household, chen));
  return Ok();
}

}  // namespace linli::households
