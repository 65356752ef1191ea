// The household register 一户一档 over HTTP against the demo data: the authorisation matrix,
// consent rules, export, erasure and grid guides — every response checked against the OpenAPI
// document by the harness.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using HouseholdsApiTest = ApiTest;

// Demo households (seed-demo): 1 = 1号楼101室 (王秀英 and her grandson, 第1网格), 2 = 1号楼201室
// (李明, 张丽), 7 = 4号楼101室 (陈华, 第2网格). The demo guide is assigned to 第1网格.
constexpr std::string_view kWangHousehold = "/api/v1/households/1";
constexpr std::string_view kLiHousehold = "/api/v1/households/2";
constexpr std::string_view kChenHousehold = "/api/v1/households/7";

std::string Path(std::string_view base, std::string_view rest) {
  return std::string(base) + std::string(rest);
}

const json::object* MemberNamed(const HttpResponse& household, std::string_view name) {
  for (const auto& member : household.json.at("members").as_array()) {
    const auto& object = member.as_object();
    if (const auto* value = object.if_contains("name"); value && value->as_string() == name) {
      return &object;
    }
  }
  return nullptr;
}

const json::object* MinorOf(const HttpResponse& household) {
  for (const auto& member : household.json.at("members").as_array()) {
    if (member.at("is_minor").as_bool()) return &member.as_object();
  }
  return nullptr;
}

std::string MemberPath(std::string_view household, std::int64_t member_id,
                       std::string_view rest = "") {
  return std::string(household) + "/members/" + std::to_string(member_id) + std::string(rest);
}

TEST_F(HouseholdsApiTest, TheGuideSeesTheirGridWithHealthButNoIdNumbers) {
  ApiClient guide = SignedIn("guide");
  auto list = guide.Get("/api/v1/households?community_id=1");
  ASSERT_EQ(list.status, 200) << Describe(list);
  EXPECT_EQ(list.Items().size(), 6u);  // 第1网格: 3 buildings × 2 households
  for (const auto& item : list.Items()) {
    EXPECT_EQ(item.at("grid").at("name").as_string(), "第1网格");
  }
  auto household = guide.Get(kWangHousehold);
  ASSERT_EQ(household.status, 200) << Describe(household);
  EXPECT_EQ(household.Header("etag"), "\"1\"");
  const auto* wang = MemberNamed(household, "王秀英");
  ASSERT_NE(wang, nullptr);
  EXPECT_EQ(wang->at("phone").as_string(), "13800210001");
  EXPECT_FALSE(wang->contains("id_number"));
  EXPECT_TRUE(wang->contains("health_notes"));
  const auto* child = MinorOf(household);
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->contains("name"));
  EXPECT_TRUE(household.json.at("permissions").at("edit_notes").as_bool());

  auto other_grid = guide.Get(kChenHousehold);
  EXPECT_EQ(other_grid.status, 404) << Describe(other_grid);
  EXPECT_EQ(other_grid.Reason(), "not_found");
}

TEST_F(HouseholdsApiTest, ResidentsSeeOnlyTheirOwnHousehold) {
  ApiClient resident = SignedIn("resident");
  auto own = resident.Get(kWangHousehold);
  ASSERT_EQ(own.status, 200) << Describe(own);
  const auto* wang = MemberNamed(own, "王秀英");
  ASSERT_NE(wang, nullptr);
  EXPECT_EQ(wang->at("id_number").as_string(), "310115195203124527");
  auto list = resident.Get("/api/v1/households");  // current community by default
  ASSERT_EQ(list.status, 200) << Describe(list);
  ASSERT_EQ(list.Items().size(), 1u);

  ApiClient neighbour = SignedIn("resident2");
  for (const std::string& path :
       {std::string(kWangHousehold), Path(kWangHousehold, "/members"),
        Path(kWangHousehold, "/history"), MemberPath(kWangHousehold, wang->at("id").as_int64()),
        MemberPath(kWangHousehold, wang->at("id").as_int64(), "/export"),
        MemberPath(kWangHousehold, wang->at("id").as_int64(), "/consents")}) {
    auto response = neighbour.Get(path);
    EXPECT_EQ(response.status, 404) << path << " " << Describe(response);
    EXPECT_EQ(response.Reason(), "not_found") << path;
  }
  auto write = neighbour.Patch(kWangHousehold, json::object{{"willingness", "no"}});
  EXPECT_EQ(write.status, 404) << Describe(write);
}

TEST_F(HouseholdsApiTest, StaffSeeBasicsAndCannotWrite) {
  ApiClient staff = SignedIn("staff");
  auto household = staff.Get(kWangHousehold);
  ASSERT_EQ(household.status, 200) << Describe(household);
  EXPECT_FALSE(household.json.as_object().contains("notes"));
  const auto* child = MinorOf(household);
  ASSERT_NE(child, nullptr);
  EXPECT_FALSE(child->contains("name"));
  EXPECT_FALSE(child->contains("health_notes"));
  auto write = staff.Patch(kWangHousehold, json::object{{"willingness", "no"}});
  EXPECT_EQ(write.status, 403) << Describe(write);
  EXPECT_EQ(write.Reason(), "forbidden");
  auto history = staff.Get(Path(kWangHousehold, "/history"));
  EXPECT_EQ(history.status, 403) << Describe(history);

  ApiClient admin = SignedIn("admin");
  EXPECT_EQ(admin.Get(kWangHousehold).status, 404);
  EXPECT_EQ(Client().Get(kWangHousehold).status, 401);
}

TEST_F(HouseholdsApiTest, MembersNeedConsentForHealthAndForChildren) {
  ApiClient guide = SignedIn("guide");
  const auto members = Path(kLiHousehold, "/members");
  auto no_health_consent =
      guide.Post(members, json::object{{"name", "李奶奶"}, {"health_notes", "骨质疏松"}});
  EXPECT_EQ(no_health_consent.status, 422) << Describe(no_health_consent);
  EXPECT_EQ(no_health_consent.Reason(), "consent_required");
  auto no_guardian =
      guide.Post(members, json::object{{"name", "李小花"}, {"birth_date", "2020-05-01"}});
  EXPECT_EQ(no_guardian.status, 422) << Describe(no_guardian);
  EXPECT_EQ(no_guardian.Reason(), "guardian_consent_required");

  auto child =
      guide.Post(members, json::object{{"name", "李小花"},
                                       {"birth_date", "2020-05-01"},
                                       {"guardian_consent", json::object{{"method", "paper"}}}});
  ASSERT_EQ(child.status, 201) << Describe(child);
  EXPECT_TRUE(child.Bool("is_minor"));
  EXPECT_TRUE(child.json.at("consents").at("guardian").as_bool());
  const auto child_id = child.Int("id");

  auto bad = guide.Post(members, json::object{{"name", "x"}, {"phone", "call me"}});
  EXPECT_EQ(bad.status, 400) << Describe(bad);

  // Optimistic concurrency on members.
  auto stale = guide.Patch(MemberPath(kLiHousehold, child_id), json::object{{"relation", "女儿"}},
                           WithHeader("If-Match", "\"9\""));
  EXPECT_EQ(stale.status, 409) << Describe(stale);
  EXPECT_EQ(stale.Reason(), "version_mismatch");
  auto fresh = guide.Patch(MemberPath(kLiHousehold, child_id), json::object{{"relation", "女儿"}},
                           WithHeader("If-Match", *child.Header("etag")));
  ASSERT_EQ(fresh.status, 200) << Describe(fresh);
  EXPECT_EQ(fresh.String("relation"), "女儿");

  auto consents = guide.Get(MemberPath(kLiHousehold, child_id, "/consents"));
  ASSERT_EQ(consents.status, 200) << Describe(consents);
  EXPECT_EQ(consents.Items().size(), 1u);
  auto revoke =
      guide.Post(MemberPath(kLiHousehold, child_id, "/consents"),
                 json::object{{"kind", "guardian"}, {"granted", false}, {"method", "in_person"}});
  ASSERT_EQ(revoke.status, 201) << Describe(revoke);
  EXPECT_EQ(guide.Get(MemberPath(kLiHousehold, child_id)).status, 404);
}

TEST_F(HouseholdsApiTest, RecordHistoryAndGuideAssignment) {
  ApiClient guide = SignedIn("guide");
  auto updated = guide.Patch(kLiHousehold, json::object{{"notes", "愿意牵头维修队"}},
                             WithHeader("If-Match", "\"1\""));
  ASSERT_EQ(updated.status, 200) << Describe(updated);
  EXPECT_EQ(updated.Int("version"), 2);
  EXPECT_EQ(updated.Header("etag"), "\"2\"");
  auto assign = guide.Patch(kLiHousehold, json::object{{"guide_user_id", 5}});
  EXPECT_EQ(assign.status, 403) << Describe(assign);

  auto added =
      guide.Post(Path(kLiHousehold, "/history"), json::object{{"occurred_on", "2025-01-05"},
                                                              {"kind", "service"},
                                                              {"note", "上门帮助修理水龙头"}});
  ASSERT_EQ(added.status, 201) << Describe(added);
  auto history = guide.Get(Path(kLiHousehold, "/history?limit=1"));
  ASSERT_EQ(history.status, 200) << Describe(history);
  ASSERT_EQ(history.Items().size(), 1u);
  EXPECT_EQ(history.Items()[0].at("note").as_string(), "上门帮助修理水龙头");

  ApiClient committee = SignedIn("committee");
  auto guides = committee.Get(CommunityPath(kSunshine, "/grid-guides"));
  ASSERT_EQ(guides.status, 200) << Describe(guides);
  ASSERT_EQ(guides.Items().size(), 1u);
  const auto guide_id = guides.Items()[0].at("user_id").as_int64();
  const auto second_grid = CommunityPath(kSunshine, "/grids/2/guides/" + std::to_string(guide_id));
  auto put = committee.Send("PUT", second_grid, "");
  ASSERT_EQ(put.status, 204) << Describe(put);
  EXPECT_EQ(guide.Get(kChenHousehold).status, 200);
  auto removed = committee.Delete(second_grid);
  ASSERT_EQ(removed.status, 204) << Describe(removed);
  EXPECT_EQ(guide.Get(kChenHousehold).status, 404);
  EXPECT_EQ(guide.Send("PUT", second_grid, "").status, 404);
}

TEST_F(HouseholdsApiTest, ExportAndErasure) {
  ApiClient resident = SignedIn("resident");
  auto household = resident.Get(kWangHousehold);
  ASSERT_EQ(household.status, 200) << Describe(household);
  const auto wang_id = MemberNamed(household, "王秀英")->at("id").as_int64();
  auto exported = resident.Get(MemberPath(kWangHousehold, wang_id, "/export"));
  ASSERT_EQ(exported.status, 200) << Describe(exported);
  EXPECT_EQ(exported.json.at("person").at("health_notes").as_string(),
            "高血压，每日服药；膝关节不好，上下楼需扶手");
  EXPECT_NE(exported.Header("content-disposition")->find("attachment"), std::string::npos);

  ApiClient guide = SignedIn("guide");
  auto not_theirs = guide.Get(MemberPath(kWangHousehold, wang_id, "/export"));
  EXPECT_EQ(not_theirs.status, 403) << Describe(not_theirs);

  const auto audit_before = AuditCount();
  ApiClient committee = SignedIn("committee");
  auto erased = committee.PostEmpty(MemberPath(kWangHousehold, wang_id, "/erasure"));
  ASSERT_EQ(erased.status, 204) << Describe(erased);
  EXPECT_EQ(committee.Get(MemberPath(kWangHousehold, wang_id)).status, 404);
  // One entry for the erasure, plus one per card of theirs that the erasure hook archived.
  EXPECT_GE(AuditCount(), audit_before + 1);
  auto verify = committee.PostEmpty(CommunityPath(kSunshine, "/audit/verify"));
  ASSERT_EQ(verify.status, 200) << Describe(verify);
  EXPECT_TRUE(verify.Bool("ok"));
  auto again = committee.PostEmpty(MemberPath(kWangHousehold, wang_id, "/erasure"));
  EXPECT_EQ(again.status, 404) << Describe(again);
}

}  // namespace
}  // namespace linli::api_test
