// Trust over HTTP against the demo data: blind ratings, credit, reports, disputes and
// verification — every response checked against the OpenAPI document by the harness. The
// server runs on the system clock, so review windows are exercised in tests/trust/ instead.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using TrustApiTest = ApiTest;

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

std::int64_t UserId(ApiClient& client) {
  auto me = client.Get("/api/v1/me");
  EXPECT_EQ(me.status, 200) << Describe(me);
  return me.Int("id");
}

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

HttpResponse Put(ApiClient& client, const std::string& target, const json::value& body) {
  return client.Send("PUT", target, json::serialize(body));
}

class TrustFlow : public TrustApiTest {
 protected:
  void SetUp() override {
    TrustApiTest::SetUp();
    resident_.emplace(SignedIn("resident"));
    neighbour_.emplace(SignedIn("resident2"));
    guide_.emplace(SignedIn("guide"));
    resident_id_ = UserId(*resident_);
    neighbour_id_ = UserId(*neighbour_);
  }

  // The guide records a finished service: the neighbour helped the resident.
  HttpResponse Record(std::int64_t source_id, std::string_view outcome = "completed") {
    return guide_->Post("/api/v1/trust/exchanges", json::object{{"source", "service"},
                                                                {"source_id", source_id},
                                                                {"provider_user_id", neighbour_id_},
                                                                {"consumer_user_id", resident_id_},
                                                                {"completed_at", Now()},
                                                                {"outcome", outcome}});
  }

  std::int64_t MySlot(ApiClient& client, std::int64_t exchange_id) {
    auto exchange = client.Get("/api/v1/trust/exchanges/" + std::to_string(exchange_id));
    EXPECT_EQ(exchange.status, 200) << Describe(exchange);
    return exchange.json.at("my_rating").at("id").as_int64();
  }

  std::optional<ApiClient> resident_, neighbour_, guide_;
  std::int64_t resident_id_ = 0, neighbour_id_ = 0;
};

TEST_F(TrustFlow, RatingsAreBlindUntilBothSidesRated) {
  const std::size_t audit_before = AuditCount();
  auto recorded = Record(900001);
  ASSERT_EQ(recorded.status, 201) << Describe(recorded);
  const std::int64_t exchange = recorded.Int("id");
  // A retry is the same exchange; other facts for the same source id are a conflict.
  EXPECT_EQ(Record(900001).Int("id"), exchange);
  EXPECT_EQ(Record(900001, "no_show").Reason(), "exchange_mismatch");
  EXPECT_EQ(resident_
                ->Post("/api/v1/trust/exchanges", json::object{{"source", "service"},
                                                               {"source_id", 5},
                                                               {"provider_user_id", 1},
                                                               {"consumer_user_id", 2},
                                                               {"completed_at", Now()},
                                                               {"outcome", "completed"}})
                .Reason(),
            "forbidden");

  auto pending = resident_->Get("/api/v1/ratings/pending");
  ASSERT_EQ(pending.status, 200) << Describe(pending);
  const std::int64_t slot = MySlot(*resident_, exchange);
  bool listed = false;
  for (const auto& item : pending.Items()) listed |= item.at("id").as_int64() == slot;
  EXPECT_TRUE(listed);

  const std::string target = "/api/v1/ratings/" + std::to_string(slot);
  EXPECT_EQ(Put(*resident_, target, {{"stars", 6}}).Reason(), "invalid_field");
  EXPECT_EQ(Put(*resident_, target, {{"stars", 5}, {"extra", 1}}).Reason(), "invalid_field");
  EXPECT_EQ(Put(*neighbour_, target, {{"stars", 1}}).Reason(), "not_found");
  auto given = Put(*resident_, target, {{"stars", 5}, {"comment", "李师傅很耐心"}});
  ASSERT_EQ(given.status, 200) << Describe(given);
  EXPECT_TRUE(given.json.at("published_at").is_null());
  EXPECT_EQ(Put(*resident_, target, {{"stars", 4}}).Reason(), "already_rated");

  // Before the other side rates, nobody else sees it.
  auto seen = neighbour_->Get("/api/v1/trust/exchanges/" + std::to_string(exchange));
  ASSERT_EQ(seen.status, 200) << Describe(seen);
  EXPECT_TRUE(seen.json.at("their_rating").is_null());
  auto received =
      resident_->Get("/api/v1/ratings/received?user_id=" + std::to_string(neighbour_id_));
  ASSERT_EQ(received.status, 200) << Describe(received);
  for (const auto& item : received.Items()) {
    EXPECT_NE(item.at("exchange_id").as_int64(), exchange);
  }

  auto second = Put(*neighbour_, "/api/v1/ratings/" + std::to_string(MySlot(*neighbour_, exchange)),
                    {{"stars", 4}});
  ASSERT_EQ(second.status, 200) << Describe(second);
  EXPECT_FALSE(second.json.at("published_at").is_null());
  seen = neighbour_->Get("/api/v1/trust/exchanges/" + std::to_string(exchange));
  EXPECT_EQ(seen.json.at("their_rating").at("stars").as_int64(), 5);
  EXPECT_EQ(seen.json.at("their_rating").at("comment").as_string(), "李师傅很耐心");
  EXPECT_GE(AuditCount(), audit_before + 4);  // record, two ratings, publication
}

TEST_F(TrustFlow, CreditHistoryIsThePersonsAndStaffSeeTheScore) {
  auto before = resident_->Get("/api/v1/trust/me/credit");
  ASSERT_EQ(before.status, 200) << Describe(before);
  EXPECT_EQ(before.json.at("rules").at("base").as_int64(), 80);
  ASSERT_EQ(Record(900002, "no_show").status, 201);
  auto after = resident_->Get("/api/v1/trust/me/credit");
  ASSERT_EQ(after.status, 200) << Describe(after);
  EXPECT_EQ(after.Int("score"), std::max<std::int64_t>(0, before.Int("score") - 10));
  const auto& newest = after.json.at("events").as_array().front();
  EXPECT_EQ(newest.at("kind").as_string(), "no_show");
  EXPECT_EQ(newest.at("delta").as_int64(), -10);

  const std::string credit = "/api/v1/trust/users/" + std::to_string(resident_id_) + "/credit";
  auto by_staff = SignedIn("staff").Get(credit);
  ASSERT_EQ(by_staff.status, 200) << Describe(by_staff);
  EXPECT_EQ(by_staff.Int("score"), after.Int("score"));
  EXPECT_TRUE(by_staff.json.at("events").as_array().empty());
  EXPECT_EQ(neighbour_->Get(credit).Reason(), "not_found");

  const std::string summary = "/api/v1/trust/users/" + std::to_string(resident_id_) + "/summary";
  auto public_view = neighbour_->Get(summary);
  ASSERT_EQ(public_view.status, 200) << Describe(public_view);
  EXPECT_TRUE(public_view.json.at("credit_score").is_null());
  EXPECT_EQ(resident_->Get(summary).Int("credit_score"), after.Int("score"));
  EXPECT_EQ(resident_->Get("/api/v1/trust/me/credit?community_id=abc").Reason(), "invalid_field");
  EXPECT_EQ(Client().Get("/api/v1/trust/me/credit").Reason(), "unauthenticated");
  EXPECT_EQ(resident_->Get("/api/v1/trust/rules").status, 200);
}

TEST_F(TrustFlow, ReportsGoToTheCommitteeQueue) {
  auto search = resident_->Get("/api/v1/search?q=" + Q("家电维修") + "&kind=service&limit=5");
  ASSERT_EQ(search.status, 200) << Describe(search);
  ASSERT_FALSE(search.Items().empty());
  const std::int64_t card = search.Items().front().at("id").as_int64();
  auto report = resident_->Post(
      "/api/v1/reports",
      json::object{{"card_id", card}, {"category", "fake"}, {"text", "电话打不通，疑似虚假"}});
  ASSERT_EQ(report.status, 201) << Describe(report);
  EXPECT_EQ(report.String("status"), "open");
  EXPECT_EQ(
      resident_->Post("/api/v1/reports", json::object{{"card_id", card}, {"category", "fake"}})
          .Reason(),
      "already_reported");
  EXPECT_EQ(resident_->Post("/api/v1/reports", json::object{{"card_id", card}, {"category", "x"}})
                .Reason(),
            "invalid_field");
  EXPECT_EQ(resident_->Get("/api/v1/reports").Reason(), "forbidden");

  ApiClient committee = SignedIn("committee");
  auto queue = committee.Get("/api/v1/reports?status=open");
  ASSERT_EQ(queue.status, 200) << Describe(queue);
  bool queued = false;
  for (const auto& item : queue.Items()) queued |= item.at("id").as_int64() == report.Int("id");
  EXPECT_TRUE(queued);
  const std::string decision = "/api/v1/reports/" + std::to_string(report.Int("id")) + "/decision";
  auto decided =
      committee.Post(decision, json::object{{"decision", "dismissed"}, {"reason", "已电话核实"}});
  ASSERT_EQ(decided.status, 200) << Describe(decided);
  EXPECT_EQ(decided.String("status"), "dismissed");
  EXPECT_EQ(
      committee.Post(decision, json::object{{"decision", "upheld"}, {"reason", "再议"}}).Reason(),
      "illegal_transition");
  auto mine = resident_->Get("/api/v1/reports/mine");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Items().front().at("status").as_string(), "dismissed");
  EXPECT_EQ(neighbour_->Get("/api/v1/reports/" + std::to_string(report.Int("id"))).Reason(),
            "not_found");
}

TEST_F(TrustFlow, ADisputeIsMediatedWithATimeline) {
  auto recorded = Record(900003);
  ASSERT_EQ(recorded.status, 201) << Describe(recorded);
  auto opened = resident_->Post(
      "/api/v1/disputes",
      json::object{{"exchange_id", recorded.Int("id")}, {"reason", "修完第二天又坏了"}});
  ASSERT_EQ(opened.status, 201) << Describe(opened);
  const std::string path = "/api/v1/disputes/" + std::to_string(opened.Int("id"));
  EXPECT_EQ(opened.String("viewer_role"), "party");
  EXPECT_EQ(SignedIn("staff").Get(path).Reason(), "not_found");
  EXPECT_EQ(resident_->PostEmpty(path + "/take").Reason(), "self_mediation");
  auto queue = guide_->Get("/api/v1/disputes?status=open");
  ASSERT_EQ(queue.status, 200) << Describe(queue);
  auto taken = guide_->PostEmpty(path + "/take");
  ASSERT_EQ(taken.status, 200) << Describe(taken);
  EXPECT_EQ(taken.String("status"), "in_mediation");
  EXPECT_EQ(taken.String("viewer_role"), "mediator");
  ASSERT_EQ(
      guide_->Post(path + "/notes", json::object{{"text", "先看维修记录"}, {"internal", true}})
          .status,
      200);
  ASSERT_EQ(
      neighbour_->Post(path + "/notes", json::object{{"text", "是新问题，不是我修的部分"}}).status,
      200);
  EXPECT_EQ(
      neighbour_->Post(path + "/notes", json::object{{"text", "x"}, {"internal", true}}).Reason(),
      "forbidden");
  auto as_party = resident_->Get(path);
  ASSERT_EQ(as_party.status, 200) << Describe(as_party);
  for (const auto& event : as_party.json.at("timeline").as_array()) {
    EXPECT_FALSE(event.at("internal").as_bool());
  }
  EXPECT_EQ(as_party.json.at("timeline").as_array().size(), 3u);  // opened, taken, statement
  EXPECT_EQ(guide_->Get(path).json.at("timeline").as_array().size(), 4u);

  EXPECT_EQ(guide_
                ->Post(path + "/resolution", json::object{{"outcome", "credit_deduction"},
                                                          {"at_fault_user_id", neighbour_id_},
                                                          {"points", 51},
                                                          {"resolution", "扣分"}})
                .Reason(),
            "invalid_field");
  auto resolved =
      guide_->Post(path + "/resolution", json::object{{"outcome", "credit_deduction"},
                                                      {"at_fault_user_id", neighbour_id_},
                                                      {"points", 5},
                                                      {"resolution", "维修方返修并扣信用分 5"}});
  ASSERT_EQ(resolved.status, 200) << Describe(resolved);
  EXPECT_EQ(resolved.String("status"), "resolved");
  EXPECT_EQ(resolved.String("outcome"), "credit_deduction");
  auto mine = neighbour_->Get("/api/v1/disputes/mine");
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.Items().front().at("status").as_string(), "resolved");
  auto credit = neighbour_->Get("/api/v1/trust/me/credit");
  EXPECT_EQ(credit.json.at("events").as_array().front().at("kind").as_string(), "credit_deduction");
}

TEST_F(TrustFlow, VerificationsShowAsVerifiedAndKeepTheirNumberPrivate) {
  ApiClient staff = SignedIn("staff");
  auto recorded = staff.Post("/api/v1/trust/verifications",
                             json::object{{"user_id", neighbour_id_},
                                          {"kind", "certificate"},
                                          {"issuer", "上海市人社局"},
                                          {"number", "DG-2026-0042"},
                                          {"valid_until", Now() + 365 * 24 * 3600},
                                          {"note", "家电维修工（四级）"}});
  ASSERT_EQ(recorded.status, 201) << Describe(recorded);
  EXPECT_EQ(recorded.String("number"), "DG-2026-0042");
  EXPECT_EQ(
      resident_
          ->Post("/api/v1/trust/verifications",
                 json::object{{"user_id", neighbour_id_}, {"kind", "certificate"}, {"issuer", "x"}})
          .Reason(),
      "forbidden");
  const std::string list =
      "/api/v1/trust/users/" + std::to_string(neighbour_id_) + "/verifications";
  auto own = neighbour_->Get(list);
  ASSERT_EQ(own.status, 200) << Describe(own);
  EXPECT_EQ(own.Items().front().at("number").as_string(), "DG-2026-0042");
  EXPECT_EQ(resident_->Get(list).Reason(), "not_found");
  const std::string summary = "/api/v1/trust/users/" + std::to_string(neighbour_id_) + "/summary";
  EXPECT_TRUE(resident_->Get(summary).Bool("verified"));
  auto revoked = SignedIn("committee")
                     .Delete("/api/v1/trust/verifications/" + std::to_string(recorded.Int("id")));
  ASSERT_EQ(revoked.status, 200) << Describe(revoked);
  EXPECT_FALSE(revoked.Bool("current"));
}

}  // namespace
}  // namespace linli::api_test
