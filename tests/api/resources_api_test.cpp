// The resource pool over HTTP: publish → review → listed → search → delist, the survey CSV
// import (all or nothing), photos, the market's filters on the demo pool, and settings.
#include <cctype>

#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using ResourcesApiTest = ApiTest;

// A word no demo card uses, so searches see only this test's card.
constexpr std::string_view kUniqueTitle = "蓝鲸牌电动螺丝刀";

json::object Screwdriver() {
  return json::object{{"kind", "goods"},
                      {"title", kUniqueTitle},
                      {"description", "充电式，带 20 个批头，周末可借。"},
                      {"tags", json::array{"螺丝刀", "工具"}},
                      {"condition", "good"},
                      {"quantity", 1},
                      {"rule", "deposit"},
                      {"deposit_points", 50},
                      {"lat", 31.1802},
                      {"lon", 121.4311}};
}

// Percent-encodes a query value (request targets are ASCII).
std::string Q(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 15];
    }
  }
  return out;
}

std::string ResourcePath(std::int64_t id, std::string_view rest = "") {
  return "/api/v1/resources/" + std::to_string(id) + std::string(rest);
}

std::vector<std::int64_t> SearchIds(ApiClient& client, const std::string& query) {
  auto response = client.Get("/api/v1/search?" + query);
  EXPECT_EQ(response.status, 200) << Describe(response);
  std::vector<std::int64_t> ids;
  for (const auto& item : response.Items()) ids.push_back(item.at("id").as_int64());
  return ids;
}

TEST_F(ResourcesApiTest, PublishReviewListSearchDelist) {
  ApiClient owner = SignedIn("resident");
  ApiClient neighbour = SignedIn("resident2");
  ApiClient committee = SignedIn("committee");

  auto created = owner.Post("/api/v1/resources", Screwdriver());
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::int64_t id = created.Int("id");
  EXPECT_EQ(created.String("lifecycle"), "draft");
  EXPECT_EQ(created.Int("community_id"), kSunshine);
  EXPECT_TRUE(created.Bool("can_manage"));
  EXPECT_EQ(created.Header("location"), ResourcePath(id));
  EXPECT_EQ(created.Header("etag"), "\"1\"");
  EXPECT_TRUE(SearchIds(neighbour, "q=" + Q("蓝鲸")).empty());
  EXPECT_EQ(neighbour.Get(ResourcePath(id)).status, 404);  // drafts are private

  auto submitted = owner.PostEmpty(ResourcePath(id, "/submit"));
  ASSERT_EQ(submitted.status, 200) << Describe(submitted);
  EXPECT_EQ(submitted.String("lifecycle"), "pending_review");
  auto queue = committee.Get(CommunityPath(kSunshine, "/resources/review-queue?limit=100"));
  ASSERT_EQ(queue.status, 200) << Describe(queue);
  bool queued = false;
  for (const auto& item : queue.Items()) queued = queued || item.at("id").as_int64() == id;
  EXPECT_TRUE(queued);

  // Residents do not review: the same 404 as a missing card.
  auto by_resident = neighbour.Post(ResourcePath(id, "/approve"), json::object{});
  EXPECT_EQ(by_resident.status, 404) << Describe(by_resident);
  auto no_reason = committee.Post(ResourcePath(id, "/reject"), json::object{});
  EXPECT_EQ(no_reason.status, 400) << Describe(no_reason);
  auto approved =
      committee.Post(ResourcePath(id, "/approve"), json::object{{"reason", "信息完整"}});
  ASSERT_EQ(approved.status, 200) << Describe(approved);
  EXPECT_EQ(approved.String("lifecycle"), "listed");
  EXPECT_FALSE(approved.Bool("can_manage"));
  EXPECT_TRUE(approved.Bool("can_review"));

  EXPECT_EQ(SearchIds(neighbour, "q=" + Q("蓝鲸")), std::vector<std::int64_t>{id});
  EXPECT_EQ(SearchIds(neighbour, "q=" + Q("螺丝刀") + "&kind=goods&tag=" + Q("工具") +
                                     "&lat=31.18&lon=121.431&radius_m=500"),
            std::vector<std::int64_t>{id});
  EXPECT_TRUE(SearchIds(neighbour, "q=" + Q("蓝鲸") + "&kind=space").empty());
  auto detail = neighbour.Get(ResourcePath(id));
  ASSERT_EQ(detail.status, 200) << Describe(detail);
  EXPECT_EQ(detail.Int("deposit_points"), 50);
  auto inbox = owner.Get("/api/v1/notifications");
  ASSERT_EQ(inbox.status, 200) << Describe(inbox);
  ASSERT_FALSE(inbox.Items().empty());
  EXPECT_EQ(inbox.Items()[0].at("kind"), "resources.review.approved");

  // Editing a listed card needs the current version and sends it back to review.
  auto stale = owner.Patch(ResourcePath(id), json::object{{"title", "蓝鲸牌螺丝刀套装"}},
                           WithHeader("If-Match", "\"1\""));
  EXPECT_EQ(stale.status, 409) << Describe(stale);
  EXPECT_EQ(stale.Reason(), "version_mismatch");
  auto edited = owner.Patch(ResourcePath(id), json::object{{"title", "蓝鲸牌螺丝刀套装"}},
                            WithHeader("If-Match", *detail.Header("etag")));
  ASSERT_EQ(edited.status, 200) << Describe(edited);
  EXPECT_EQ(edited.String("lifecycle"), "pending_review");
  EXPECT_TRUE(SearchIds(neighbour, "q=" + Q("蓝鲸")).empty());
  ASSERT_EQ(committee.Post(ResourcePath(id, "/approve"), json::object{}).status, 200);
  EXPECT_EQ(SearchIds(neighbour, "q=" + Q("蓝鲸")).size(), 1u);

  auto delisted = owner.PostEmpty(ResourcePath(id, "/delist"));
  ASSERT_EQ(delisted.status, 200) << Describe(delisted);
  EXPECT_EQ(delisted.String("lifecycle"), "delisted");
  EXPECT_TRUE(SearchIds(neighbour, "q=" + Q("蓝鲸")).empty());
  auto illegal = owner.PostEmpty(ResourcePath(id, "/reconfirm"));
  EXPECT_EQ(illegal.status, 409) << Describe(illegal);
  EXPECT_EQ(illegal.Reason(), "illegal_transition");

  auto reviews = owner.Get(ResourcePath(id, "/reviews"));
  ASSERT_EQ(reviews.status, 200) << Describe(reviews);
  ASSERT_EQ(reviews.Items().size(), 2u);
  EXPECT_EQ(reviews.Items()[0].at("reason"), "信息完整");
  auto mine = owner.Get("/api/v1/resources/mine?lifecycle=delisted");
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  ASSERT_EQ(mine.Items().size(), 1u);
  EXPECT_EQ(mine.Items()[0].at("id"), id);
}

const std::string kSurveyHeader = "ref,kind,title,tags,building,rule,points,skill\r\n";

TEST_F(ResourcesApiTest, CsvImportWithABadRowChangesNothingAndReportsTheRow) {
  ApiClient committee = SignedIn("committee");
  const auto export_path = CommunityPath(kSunshine, "/resources/export");
  auto before = committee.Get(export_path);
  ASSERT_EQ(before.status, 200) << Describe(before);
  EXPECT_EQ(before.ContentType(), "text/csv");
  EXPECT_TRUE(before.body.starts_with("\xEF\xBB\xBFid,lifecycle,"));
  const auto audit_before = AuditCount();

  const std::string bad = "\xEF\xBB\xBF" + kSurveyHeader +
                          "API-1,物资,青花瓷茶具,茶具,1号楼,免费,,\r\n"
                          "API-2,服务,上门修表,修表,,积分,,修表\r\n";  // points missing
  const auto import_path = CommunityPath(kSunshine, "/resources/import");
  auto rejected = committee.Send("POST", import_path, bad, WithContentType("text/csv"));
  ASSERT_EQ(rejected.status, 422) << Describe(rejected);
  EXPECT_EQ(rejected.Reason(), "csv_invalid");
  const auto& rows = rejected.json.at("rows").as_array();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].at("row"), 3);
  EXPECT_EQ(rows[0].at("column"), "points");
  EXPECT_EQ(rows[0].at("reason"), "required");
  auto after = committee.Get(export_path);
  EXPECT_EQ(after.body, before.body) << "a rejected import must change nothing";
  EXPECT_EQ(AuditCount(), audit_before);

  auto wrong_type = committee.Send("POST", import_path, bad, WithContentType("text/plain"));
  EXPECT_EQ(wrong_type.status, 415) << Describe(wrong_type);
  ApiClient resident = SignedIn("resident");
  EXPECT_EQ(resident.Send("POST", import_path, bad, WithContentType("text/csv")).status, 404);

  const std::string good = kSurveyHeader +
                           "API-1,物资,青花瓷茶具,茶具,1号楼,免费,,\r\n"
                           "API-2,服务,上门修表,修表,,积分,15,修表\r\n";
  auto imported = committee.Send("POST", import_path, good, WithContentType("text/csv"));
  ASSERT_EQ(imported.status, 201) << Describe(imported);
  EXPECT_EQ(imported.Int("created"), 2);
  EXPECT_EQ(imported.String("lifecycle"), "pending_review");
  EXPECT_EQ(AuditCount(), audit_before + 1);
  auto exported = committee.Get(export_path);
  EXPECT_NE(exported.body.find("青花瓷茶具"), std::string::npos);
  // The same refs again: reported, not duplicated.
  auto again = committee.Send("POST", import_path, good, WithContentType("text/csv"));
  ASSERT_EQ(again.status, 422) << Describe(again);
  EXPECT_EQ(again.json.at("rows").at(0).at("reason"), "duplicate");
}

TEST_F(ResourcesApiTest, PhotosAreStoredCheckedAndCached) {
  ApiClient owner = SignedIn("resident");
  auto created = owner.Post("/api/v1/resources", Screwdriver());
  ASSERT_EQ(created.status, 201) << Describe(created);
  const std::int64_t id = created.Int("id");
  const std::string png = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16) + std::string(64, 'p');
  auto uploaded =
      owner.Send("POST", ResourcePath(id, "/photos"), png, WithContentType("image/png"));
  ASSERT_EQ(uploaded.status, 201) << Describe(uploaded);
  const auto photo_id = uploaded.json.at("photo_ids").at(0).as_int64();
  const auto photo_path = ResourcePath(id, "/photos/" + std::to_string(photo_id));
  auto photo = owner.Get(photo_path);
  ASSERT_EQ(photo.status, 200) << Describe(photo);
  EXPECT_EQ(photo.ContentType(), "image/png");
  EXPECT_EQ(photo.body, png);
  const auto etag = photo.Header("etag");
  ASSERT_TRUE(etag.has_value());
  auto cached = owner.Get(photo_path, WithHeader("If-None-Match", *etag));
  EXPECT_EQ(cached.status, 304) << Describe(cached);
  EXPECT_TRUE(cached.body.empty());

  auto svg = owner.Send("POST", ResourcePath(id, "/photos"), "<svg xmlns='x'/>",
                        WithContentType("image/png"));
  EXPECT_EQ(svg.status, 415) << Describe(svg);
  EXPECT_EQ(svg.Reason(), "unsupported_image");
  ApiClient neighbour = SignedIn("resident2");
  EXPECT_EQ(neighbour.Get(photo_path).status, 404);  // the card is a draft
  auto removed = owner.Delete(photo_path);
  ASSERT_EQ(removed.status, 200) << Describe(removed);
  EXPECT_TRUE(removed.json.at("photo_ids").as_array().empty());
}

TEST_F(ResourcesApiTest, TheDemoPoolIsSearchableInChinese) {
  ApiClient resident = SignedIn("resident");
  auto repairs = resident.Get("/api/v1/search?q=" + Q("家电维修") + "&kind=service&limit=100");
  ASSERT_EQ(repairs.status, 200) << Describe(repairs);
  EXPECT_GE(repairs.Int("total"), 20);  // 23 residents, a few still in review
  auto housekeeping = resident.Get("/api/v1/search?tag=" + Q("折扣家政") + "&limit=100");
  EXPECT_GE(housekeeping.Int("total"), 12);
  auto classrooms =
      resident.Get("/api/v1/search?q=" + Q("社区课堂") + "&kind=space&rule=free&limit=100");
  EXPECT_GE(classrooms.Int("total"), 7);
  // Two-character queries and traditional characters.
  EXPECT_GT(resident.Get("/api/v1/search?q=" + Q("车位")).Int("total"), 30);
  EXPECT_GT(resident.Get("/api/v1/search?q=" + Q("雨傘")).Int("total"), 10);
  auto near = resident.Get("/api/v1/search?q=" + Q("电钻") +
                           "&lat=31.18&lon=121.43&radius_m=1000&sort=distance");
  ASSERT_EQ(near.status, 200) << Describe(near);
  ASSERT_FALSE(near.Items().empty());
  double last = 0;
  for (const auto& item : near.Items()) {
    const double distance = item.at("distance_m").as_double();
    EXPECT_LE(distance, 1000.0);
    EXPECT_GE(distance, last);
    last = distance;
  }
  // 和谐社区's hall is shared with the street; its drill is not.
  EXPECT_EQ(resident.Get("/api/v1/search?q=" + Q("文化活动中心")).Int("total"), 1);
  EXPECT_EQ(resident.Get("/api/v1/search?q=" + Q("和谐社区")).Int("total"), 1);
}

TEST_F(ResourcesApiTest, SearchValidatesItsParameters) {
  auto anonymous = Client().Get("/api/v1/search?q=" + Q("电钻"));
  EXPECT_EQ(anonymous.status, 401) << Describe(anonymous);
  ApiClient resident = SignedIn("resident");
  auto radius = resident.Get("/api/v1/search?q=" + Q("电钻") + "&radius_m=500");
  EXPECT_EQ(radius.status, 400) << Describe(radius);
  ASSERT_FALSE(radius.json.at("errors").as_array().empty());
  EXPECT_EQ(radius.json.at("errors").at(0).at("reason"), "needs_point");
  EXPECT_EQ(resident.Get("/api/v1/search?kind=rocket").status, 400);
  EXPECT_EQ(resident.Get("/api/v1/search?limit=0").status, 400);
  EXPECT_EQ(resident.Get("/api/v1/search?color=red").status, 400);
}

TEST_F(ResourcesApiTest, SettingsBelongToTheCommittee) {
  const auto path = CommunityPath(kSunshine, "/resources/settings");
  ApiClient resident = SignedIn("resident");
  EXPECT_EQ(resident.Get(path).status, 404);
  ApiClient committee = SignedIn("committee");
  auto settings = committee.Get(path);
  ASSERT_EQ(settings.status, 200) << Describe(settings);
  EXPECT_EQ(settings.Int("reconfirm_days"), 90);
  EXPECT_FALSE(settings.Bool("customised"));
  auto bad = committee.Patch(path, json::object{{"reconfirm_days", 7}, {"reminder_days", 7}});
  EXPECT_EQ(bad.status, 400) << Describe(bad);
  auto updated = committee.Patch(path, json::object{{"reconfirm_days", 60}, {"idle_days", 90}});
  ASSERT_EQ(updated.status, 200) << Describe(updated);
  EXPECT_EQ(updated.Int("reconfirm_days"), 60);
  EXPECT_EQ(updated.Int("reminder_days"), 7);
  EXPECT_TRUE(updated.Bool("customised"));
}

}  // namespace
}  // namespace linli::api_test
