// Property services over HTTP against the demo data: a visitor pass through its QR and the gate
// API (with an organisation key), bills with payments and arrears (JSON and CSV), announcements
// and alerts reaching their audience — every response checked against the OpenAPI document.
#include <ctime>

#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using PropertyApiTest = ApiTest;

// Demo households (seed-demo): 1 = 1号楼101室 (resident 王秀英), 2 = 1号楼201室 (resident2),
// 7 = 4号楼101室 (第2网格).
constexpr std::int64_t kResidentHousehold = 1;

std::int64_t Now() {
  return static_cast<std::int64_t>(std::time(nullptr));
}

std::string IsoDate(std::int64_t epoch_s) {
  const std::time_t time = static_cast<std::time_t>(epoch_s + 8 * 3600);  // Asia/Shanghai
  std::tm tm{};
  gmtime_r(&time, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

json::object PassBody(std::string mode = "single_use") {
  return json::object{{"visitor_label", "王先生"}, {"visitor_phone", "13800001234"},
                      {"purpose", "探亲"},         {"mode", mode},
                      {"valid_from", Now()},       {"valid_until", Now() + 4 * 3600}};
}

// An organisation key of 阳光社区 with `scopes`, created by the demo admin.
ApiClient KeyClient(ApiClient admin, json::array scopes) {
  auto created = admin.Post(CommunityPath(kSunshine, "/api-keys"),
                            json::object{{"name", "东门门禁"}, {"scopes", std::move(scopes)}});
  EXPECT_EQ(created.status, 201) << Describe(created);
  ApiClient key(admin.port());
  key.SetBearer(created.String("secret"));
  return key;
}

TEST_F(PropertyApiTest, AVisitorPassOpensTheGateOnceThroughTheGateApi) {
  ApiClient resident = SignedIn("resident");
  auto created = resident.Post("/api/v1/visitors/passes", PassBody());
  ASSERT_EQ(created.status, 201) << Describe(created);
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  const std::int64_t id = created.Int("id");
  EXPECT_EQ(created.String("status"), "active");
  EXPECT_EQ(created.String("building_name"), "1号楼");
  EXPECT_EQ(created.String("visitor_phone"), "13800001234");
  const std::string token = created.String("token");
  const std::string code = created.String("code");
  ASSERT_TRUE(token.starts_with("LP1.")) << token;
  ASSERT_EQ(code.size(), 8u);

  auto qr = resident.Get(created.String("qr_url"));
  ASSERT_EQ(qr.status, 200) << Describe(qr);
  EXPECT_EQ(qr.ContentType(), "image/svg+xml");
  EXPECT_NE(qr.body.find("<svg"), std::string::npos);
  ApiClient neighbour = SignedIn("resident2");
  EXPECT_EQ(neighbour.Get("/api/v1/visitors/passes/" + std::to_string(id)).status, 404);
  EXPECT_EQ(neighbour.Get(created.String("qr_url")).status, 404);

  // Staff see the expected visitor without the credential.
  ApiClient staff = SignedIn("staff");
  auto expected = staff.Get("/api/v1/visitors/expected");
  ASSERT_EQ(expected.status, 200) << Describe(expected);
  bool listed = false;
  for (const auto& item : expected.Items()) {
    if (item.at("id").as_int64() != id) continue;
    listed = true;
    EXPECT_TRUE(item.at("code").is_null());
    EXPECT_TRUE(item.at("token").is_null());
    EXPECT_TRUE(item.at("visitor_phone").is_null());
  }
  EXPECT_TRUE(listed);
  EXPECT_EQ(resident.Get("/api/v1/visitors/expected").status, 404);

  ApiClient gate = KeyClient(SignedIn("admin"), json::array{"gate:verify"});
  auto first = gate.Post("/api/v1/gate/verify", json::object{{"token", token}, {"gate", "东门"}});
  ASSERT_EQ(first.status, 200) << Describe(first);
  EXPECT_EQ(first.String("decision"), "allow");
  EXPECT_EQ(first.String("reason"), "ok");
  EXPECT_EQ(first.String("visitor_label"), "王先生");
  EXPECT_EQ(first.body.find("13800001234"), std::string::npos);  // no phone at the gate
  auto again = gate.Post("/api/v1/gate/verify", json::object{{"code", code}});
  ASSERT_EQ(again.status, 200) << Describe(again);
  EXPECT_EQ(again.String("decision"), "deny");
  EXPECT_EQ(again.String("reason"), "pass_used_up");
  auto forged = gate.Post("/api/v1/gate/verify", json::object{{"token", token + "x"}});
  EXPECT_EQ(forged.String("reason"), "pass_invalid");
  EXPECT_TRUE(forged.json.at("pass_id").is_null());

  auto uses = resident.Get("/api/v1/visitors/passes/" + std::to_string(id) + "/uses");
  ASSERT_EQ(uses.status, 200) << Describe(uses);
  EXPECT_EQ(uses.Items().size(), 2u);
  auto pass = resident.Get("/api/v1/visitors/passes/" + std::to_string(id));
  EXPECT_EQ(pass.String("status"), "used_up");
}

TEST_F(PropertyApiTest, RevokedPassesAndWhoMayVerify) {
  ApiClient resident = SignedIn("resident");
  auto window = resident.Post("/api/v1/visitors/passes", PassBody("window"));
  ASSERT_EQ(window.status, 201) << Describe(window);
  EXPECT_EQ(window.Int("max_uses"), 20);
  const std::string path = "/api/v1/visitors/passes/" + std::to_string(window.Int("id"));
  auto revoked = resident.PostEmpty(path + "/revoke");
  ASSERT_EQ(revoked.status, 200) << Describe(revoked);
  EXPECT_EQ(revoked.String("status"), "revoked");
  EXPECT_TRUE(revoked.json.at("token").is_null());
  auto qr = resident.Get(path + "/qr.svg");
  EXPECT_EQ(qr.status, 422);
  EXPECT_EQ(qr.Reason(), "pass_inactive");

  ApiClient staff = SignedIn("staff");  // the guard desk
  auto desk = staff.Post("/api/v1/gate/verify", json::object{{"token", window.String("token")}});
  ASSERT_EQ(desk.status, 200) << Describe(desk);
  EXPECT_EQ(desk.String("reason"), "pass_revoked");

  auto by_resident = resident.Post("/api/v1/gate/verify", json::object{{"code", "12345678"}});
  EXPECT_EQ(by_resident.status, 403);
  EXPECT_EQ(by_resident.Reason(), "forbidden");
  ApiClient reader = KeyClient(SignedIn("admin"), json::array{"resources:read"});
  auto unscoped = reader.Post("/api/v1/gate/verify", json::object{{"code", "12345678"}});
  EXPECT_EQ(unscoped.status, 403);
  EXPECT_EQ(unscoped.Reason(), "insufficient_scope");
  auto both =
      staff.Post("/api/v1/gate/verify", json::object{{"code", "12345678"}, {"token", "LP1.x"}});
  EXPECT_EQ(both.status, 400);

  auto too_long = PassBody();
  too_long["valid_until"] = Now() + 9 * 24 * 3600;
  auto refused = resident.Post("/api/v1/visitors/passes", too_long);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.Reason(), "invalid_field");
  auto unknown = PassBody();
  unknown["id_number"] = "110101199001011234";
  EXPECT_EQ(resident.Post("/api/v1/visitors/passes", unknown).status, 400);
}

TEST_F(PropertyApiTest, BillsPaymentsAndArrears) {
  ApiClient staff = SignedIn("staff");
  const std::int64_t yesterday = Now() - 24 * 3600;
  auto bill = staff.Post("/api/v1/bills", json::object{{"household_id", kResidentHousehold},
                                                       {"kind", "parking"},
                                                       {"period", "api-test"},
                                                       {"amount_fen", 30000},
                                                       {"due_date", IsoDate(yesterday)}});
  ASSERT_EQ(bill.status, 201) << Describe(bill);
  EXPECT_TRUE(bill.Bool("overdue"));
  const std::string path = "/api/v1/bills/" + std::to_string(bill.Int("id"));
  auto duplicate = staff.Post("/api/v1/bills", json::object{{"household_id", kResidentHousehold},
                                                            {"kind", "parking"},
                                                            {"period", "api-test"},
                                                            {"amount_fen", 1},
                                                            {"due_date", IsoDate(Now())}});
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.Reason(), "duplicate");

  ApiClient resident = SignedIn("resident");
  auto mine = resident.Get("/api/v1/bills/mine");
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  bool seen = false;
  for (const auto& item : mine.Items()) seen = seen || item.at("id") == bill.json.at("id");
  EXPECT_TRUE(seen);
  EXPECT_EQ(resident.Post(path + "/payments", json::object{{"amount_fen", 100}, {"method", "cash"}})
                .status,
            404);

  auto part =
      staff.Post(path + "/payments", json::object{{"amount_fen", 10000}, {"method", "cash"}},
                 WithHeader("Idempotency-Key", "receipt-77"));
  ASSERT_EQ(part.status, 201) << Describe(part);
  EXPECT_EQ(part.String("status"), "partial");
  auto retry =
      staff.Post(path + "/payments", json::object{{"amount_fen", 10000}, {"method", "cash"}},
                 WithHeader("Idempotency-Key", "receipt-77"));
  ASSERT_EQ(retry.status, 201) << Describe(retry);
  EXPECT_EQ(retry.Int("paid_fen"), 10000);
  EXPECT_EQ(retry.json.at("payments").as_array().size(), 1u);
  auto over = staff.Post(path + "/payments",
                         json::object{{"amount_fen", 20001}, {"method", "bank_transfer"}});
  EXPECT_EQ(over.status, 422);
  EXPECT_EQ(over.Reason(), "overpayment");

  auto arrears = staff.Get("/api/v1/bills/arrears");
  ASSERT_EQ(arrears.status, 200) << Describe(arrears);
  bool listed = false;
  for (const auto& item : arrears.json.at("bills").as_array()) {
    if (item.at("id") == bill.json.at("id")) {
      listed = true;
      EXPECT_EQ(item.at("outstanding_fen").as_int64(), 20000);
    }
  }
  EXPECT_TRUE(listed);
  EXPECT_GE(arrears.Int("outstanding_fen"), 20000);
  auto csv = staff.Get("/api/v1/bills/arrears.csv");
  ASSERT_EQ(csv.status, 200) << Describe(csv);
  EXPECT_EQ(csv.ContentType(), "text/csv");
  EXPECT_NE(csv.body.find("200.00"), std::string::npos);
  EXPECT_EQ(resident.Get("/api/v1/bills/arrears").status, 404);
  EXPECT_EQ(resident.Get("/api/v1/bills/arrears.csv").status, 404);

  auto batch = staff.Post("/api/v1/bills/batch", json::object{{"kind", "other"},
                                                              {"period", "api-batch"},
                                                              {"amount_fen", 500},
                                                              {"due_date", IsoDate(Now())}});
  ASSERT_EQ(batch.status, 201) << Describe(batch);
  EXPECT_GT(batch.Int("created"), 10);
  EXPECT_EQ(batch.Int("skipped"), 0);
  auto list = staff.Get("/api/v1/bills?status=unpaid&period=api-batch&limit=5");
  ASSERT_EQ(list.status, 200) << Describe(list);
  EXPECT_EQ(list.Items().size(), 5u);
  EXPECT_FALSE(list.json.at("next_cursor").is_null());
}

TEST_F(PropertyApiTest, AnnouncementsAndAlertsReachTheirAudience) {
  ApiClient staff = SignedIn("staff");
  auto building = SignedIn("committee").Get(CommunityPath(kSunshine));
  ASSERT_EQ(building.status, 200) << Describe(building);
  std::int64_t building4 = 0;
  for (const auto& b : building.json.at("buildings").as_array()) {
    if (b.at("name").as_string() == "4号楼") building4 = b.at("id").as_int64();
  }
  ASSERT_NE(building4, 0);
  auto elsewhere =
      staff.Post("/api/v1/announcements", json::object{{"title", "4号楼电梯检修"},
                                                       {"body", "周三上午九点至十一点。"},
                                                       {"category", "maintenance"},
                                                       {"audience", "buildings"},
                                                       {"target_ids", json::array{building4}}});
  ASSERT_EQ(elsewhere.status, 201) << Describe(elsewhere);
  auto alert = staff.Post("/api/v1/announcements", json::object{{"kind", "alert"},
                                                                {"severity", "warning"},
                                                                {"category", "weather"},
                                                                {"title", "台风橙色预警"},
                                                                {"body", "请关好门窗。"},
                                                                {"pinned", true}});
  ASSERT_EQ(alert.status, 201) << Describe(alert);
  EXPECT_TRUE(alert.Bool("delivery_complete"));
  EXPECT_GE(alert.Int("recipients"), 7);

  ApiClient resident = SignedIn("resident");  // lives in 1号楼
  auto list = resident.Get("/api/v1/announcements");
  ASSERT_EQ(list.status, 200) << Describe(list);
  bool pinned_alert = false;
  for (const auto& a : list.json.at("pinned").as_array()) {
    pinned_alert = pinned_alert || a.at("id") == alert.json.at("id");
  }
  EXPECT_TRUE(pinned_alert);
  for (const auto& a : list.Items()) EXPECT_NE(a.at("id"), elsewhere.json.at("id"));
  EXPECT_EQ(resident.Get("/api/v1/announcements/" + std::to_string(elsewhere.Int("id"))).status,
            404);
  auto inbox = resident.Get("/api/v1/notifications?limit=5");
  ASSERT_EQ(inbox.status, 200) << Describe(inbox);
  bool delivered = false;
  for (const auto& n : inbox.Items()) delivered = delivered || n.at("kind") == "property.alert";
  EXPECT_TRUE(delivered);

  auto refused =
      resident.Post("/api/v1/announcements", json::object{{"title", "x"}, {"body", "y"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.Reason(), "forbidden");
  auto withdrawn =
      staff.PostEmpty("/api/v1/announcements/" + std::to_string(alert.Int("id")) + "/withdraw");
  ASSERT_EQ(withdrawn.status, 200) << Describe(withdrawn);
  EXPECT_FALSE(withdrawn.Bool("active"));

  ApiClient organisation = KeyClient(SignedIn("admin"), json::array{"announcements:write"});
  auto by_key = organisation.Post("/api/v1/announcements",
                                  json::object{{"title", "街道通知"}, {"body", "社区义诊。"}});
  ASSERT_EQ(by_key.status, 201) << Describe(by_key);
}

}  // namespace
}  // namespace linli::api_test
