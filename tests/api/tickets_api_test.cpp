// Tickets over HTTP: report → track by code (anonymously, never revealing the reporter) → the
// staff queue → accept, wait, resume, resolve → close with a rating; and an Open311 GeoReport v2
// client flow with requests built as the spec's examples show (form-encoded POST with api_key).
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using TicketsApiTest = ApiTest;

std::string TicketPath(std::int64_t id, std::string_view rest = "") {
  return "/api/v1/tickets/" + std::to_string(id) + std::string(rest);
}

TEST_F(TicketsApiTest, ReportTrackWorkAndCloseWithoutRevealingTheReporter) {
  ApiClient resident = SignedIn("resident");  // 王秀英
  auto created = resident.Post("/api/v1/tickets",
                               json::object{{"category", "water_leak"},
                                            {"description", "王秀英家卫生间漏水，电话13800001111"},
                                            {"unit_label", "2单元301"}});
  ASSERT_EQ(created.status, 201) << Describe(created);
  const auto id = created.Int("id");
  const std::string code = created.String("code");
  EXPECT_EQ(created.String("colour"), "red");
  EXPECT_EQ(code.front(), 'B');

  // Someone else's ticket is not found.
  ApiClient neighbour = SignedIn("resident2");
  EXPECT_EQ(neighbour.Get(TicketPath(id)).status, 404);
  const auto neighbours_tickets = neighbour.Get("/api/v1/tickets/mine");  // outlives the loop
  for (const auto& item : neighbours_tickets.Items()) {
    EXPECT_NE(item.at("id").as_int64(), id);
  }

  // Anyone with the code follows it without signing in; nothing about the reporter shows.
  ApiClient anonymous = Client();
  std::string lower = code;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto tracked = anonymous.Get("/api/v1/track/" + lower);
  ASSERT_EQ(tracked.status, 200) << Describe(tracked);
  EXPECT_EQ(tracked.String("status"), "submitted");
  for (std::string_view secret :
       {"王秀英", "13800001111", "2单元301", "reporter_user_id", "description"}) {
    EXPECT_EQ(tracked.body.find(secret), std::string::npos) << secret << " in " << tracked.body;
  }
  std::string typo = code;
  typo.back() = typo.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(anonymous.Get("/api/v1/track/" + typo).status, 404);

  // The staff queue has it; staff work it; the reporter sees each public step.
  ApiClient staff = SignedIn("staff");
  auto queue = staff.Get("/api/v1/communities/1/tickets/queue?team=property");
  ASSERT_EQ(queue.status, 200) << Describe(queue);
  bool queued = false;
  for (const auto& item : queue.Items()) queued |= item.at("id").as_int64() == id;
  EXPECT_TRUE(queued);
  EXPECT_EQ(resident.Get("/api/v1/communities/1/tickets/queue").status, 404);
  auto accepted = staff.Post(TicketPath(id, "/accept"), json::object{{"note", "已派维修工"}});
  ASSERT_EQ(accepted.status, 200) << Describe(accepted);
  EXPECT_EQ(staff.Post(TicketPath(id, "/accept"), json::object{}).Reason(), "illegal_transition");
  ASSERT_EQ(staff.PostEmpty(TicketPath(id, "/start")).status, 200);
  auto waiting = staff.Post(TicketPath(id, "/wait"), json::object{{"note", "请上传照片"}});
  ASSERT_EQ(waiting.status, 200) << Describe(waiting);
  EXPECT_EQ(waiting.String("status"), "waiting_on_resident");
  auto comment = resident.Post(TicketPath(id, "/notes"), json::object{{"note", "照片已传"}});
  ASSERT_EQ(comment.status, 201) << Describe(comment);
  EXPECT_EQ(comment.String("status"), "in_progress");
  ASSERT_EQ(staff
                .Post(TicketPath(id, "/notes"),
                      json::object{{"note", "内部：联系过住户"}, {"public", false}})
                .status,
            201);
  ASSERT_EQ(staff.Post(TicketPath(id, "/resolve"), json::object{{"note", "已修复"}}).status, 200);
  auto detail = resident.Get(TicketPath(id));
  ASSERT_EQ(detail.status, 200) << Describe(detail);
  EXPECT_EQ(detail.body.find("内部：联系过住户"), std::string::npos);
  EXPECT_TRUE(detail.Bool("is_reporter"));
  auto closed = resident.Post(TicketPath(id, "/close"), json::object{{"rating", 5}});
  ASSERT_EQ(closed.status, 200) << Describe(closed);
  EXPECT_EQ(closed.String("status"), "closed");
  auto after = anonymous.Get("/api/v1/track/" + code);
  EXPECT_EQ(after.String("status"), "closed");
  EXPECT_EQ(after.body.find("照片已传"), std::string::npos);  // the reporter's words stay private
}

TEST_F(TicketsApiTest, TrackingIsRateLimitedPerAddress) {
  ApiClient anonymous = Client();
  int limited = 0;
  for (int i = 0; i < 31; ++i) {
    auto response = anonymous.Get("/api/v1/track/B-22222-22222-22222");
    if (response.status == 429) {
      EXPECT_EQ(response.Reason(), "rate_limited");
      ++limited;
    }
  }
  EXPECT_EQ(limited, 1);
}

TEST_F(TicketsApiTest, CategoriesCalendarAndBadInput) {
  ApiClient resident = SignedIn("resident");
  auto categories = Client().Get("/api/v1/tickets/categories");
  ASSERT_EQ(categories.status, 200) << Describe(categories);
  EXPECT_GE(categories.Items().size(), 10u);
  auto calendar = resident.Get("/api/v1/communities/1/tickets/calendar/2026");
  ASSERT_EQ(calendar.status, 200) << Describe(calendar);
  EXPECT_EQ(calendar.String("source"), "official");
  EXPECT_EQ(resident.Get("/api/v1/communities/1/tickets/calendar/2027").String("source"),
            "provisional");
  auto bad = resident.Post("/api/v1/tickets", json::object{{"category", "volcano"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Reason(), "invalid_field");
  ApiClient admin = SignedIn("admin");
  auto put = admin.Send(
      "PUT", "/api/v1/communities/1/tickets/calendar/2027",
      json::serialize(json::object{
          {"days", json::array{json::object{
                       {"date", "2027-01-01"}, {"working", false}, {"note", "元旦"}}}}}));
  ASSERT_EQ(put.status, 200) << Describe(put);
  EXPECT_EQ(put.String("source"), "custom");
  EXPECT_EQ(resident.Send("PUT", "/api/v1/communities/1/tickets/calendar/2027", R"({"days":[]})")
                .Reason(),
            "forbidden");
}

// The GeoReport v2 flow, requests shaped as the spec's examples (wiki.open311.org/GeoReport_v2).
TEST_F(TicketsApiTest, Open311ClientFlow) {
  ApiClient admin = SignedIn("admin");
  auto key =
      admin.Post("/api/v1/communities/1/api-keys",
                 json::object{{"name", "市民热线"}, {"scopes", json::array{"tickets:write"}}});
  ASSERT_EQ(key.status, 201) << Describe(key);
  const std::string api_key = key.String("secret");

  ApiClient client = Client();
  auto discovery = client.Get("/open311/v2/discovery.json");
  ASSERT_EQ(discovery.status, 200) << Describe(discovery);
  auto services = client.Get("/open311/v2/services.json");
  ASSERT_EQ(services.status, 200) << Describe(services);
  ASSERT_TRUE(services.json.is_array());
  EXPECT_EQ(services.json.as_array()[0].at("service_code"), "water_leak");
  auto definition = client.Get("/open311/v2/services/lighting.json");
  ASSERT_EQ(definition.status, 200) << Describe(definition);
  EXPECT_EQ(client.Get("/open311/v2/services/volcano.json").status, 404);

  // POST requests.json exactly as the spec's example, with our service_code and key.
  const std::string form =
      "api_key=" + api_key +
      "&service_code=lighting&lat=31.18524078&long=121.4212043"
      "&address_string=1234+5th+street&email=smit333%40sfgov.edu&device_id=tt222111"
      "&account_id=123456&first_name=john&last_name=smith&phone=111111111"
      "&description=A+large+sinkhole+is+destroying+the+street"
      "&media_url=http%3A%2F%2Fwww.example.com%2Fimages%2Fsinkhole.jpg";
  auto posted = client.Send("POST", "/open311/v2/requests.json", form,
                            WithContentType("application/x-www-form-urlencoded"));
  ASSERT_EQ(posted.status, 201) << Describe(posted);
  ASSERT_TRUE(posted.json.is_array());
  const auto request_id =
      std::string(posted.json.as_array()[0].at("service_request_id").as_string());
  const auto token = std::string(posted.json.as_array()[0].at("token").as_string());

  auto one = client.Get("/open311/v2/requests/" + request_id + ".json");
  ASSERT_EQ(one.status, 200) << Describe(one);
  const auto& request = one.json.as_array()[0].as_object();
  EXPECT_EQ(request.at("status"), "open");
  EXPECT_EQ(request.at("service_code"), "lighting");
  ASSERT_TRUE(request.at("expected_datetime").is_string());  // the SLA deadline
  EXPECT_TRUE(request.at("expected_datetime").as_string().ends_with("+08:00"));

  auto by_token = client.Get("/open311/v2/tokens/" + token + ".json");
  ASSERT_EQ(by_token.status, 200) << Describe(by_token);
  EXPECT_EQ(by_token.json.as_array()[0].at("service_request_id").as_string(), request_id);

  auto listed = client.Get("/open311/v2/requests.json?status=open&service_code=lighting");
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  EXPECT_FALSE(listed.json.as_array().empty());
  for (std::string_view secret : {"smith", "111111111", "sinkhole", "smit333", "31.185"}) {
    EXPECT_EQ(listed.body.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(client.Get("/open311/v2/requests.json?start_date=yesterday").status, 400);

  // Spec error format: a list of {code, description}.
  auto no_key =
      client.Send("POST", "/open311/v2/requests.json", "service_code=lighting&lat=31.1&long=121.4",
                  WithContentType("application/x-www-form-urlencoded"));
  EXPECT_EQ(no_key.status, 403) << Describe(no_key);
  ASSERT_TRUE(no_key.json.is_array());
  EXPECT_EQ(no_key.json.as_array()[0].at("code"), 403);
  auto no_code =
      client.Send("POST", "/open311/v2/requests.json", "api_key=" + api_key + "&lat=1&long=2",
                  WithContentType("application/x-www-form-urlencoded"));
  EXPECT_EQ(no_code.status, 400) << Describe(no_code);

  // The ticket arrived in the community's queue, with the caller's contact for staff only.
  ApiClient staff = SignedIn("staff");
  auto detail = staff.Get(TicketPath(std::stoll(request_id)));
  ASSERT_EQ(detail.status, 200) << Describe(detail);
  EXPECT_EQ(detail.String("channel"), "open311");
  EXPECT_EQ(detail.json.at("contact").at("phone"), "111111111");
}

}  // namespace
}  // namespace linli::api_test
