// Request parsing of the trust routes: pure, strict (unknown fields and bad values rejected).
#include "trust/routes.hpp"

#include <gtest/gtest.h>

namespace linli::trust {
namespace {

namespace json = boost::json;

json::object Parse(std::string_view text) {
  return json::parse(text).as_object();
}

std::string FirstField(const Error& error) {
  return error.errors.empty() ? "" : error.errors.front().field + ":" + error.errors.front().reason;
}

TEST(TrustRoutesTest, RatingNeedsOneToFiveStars) {
  auto ok = ParseRating(Parse(R"({"stars":5,"comment":"  很好  "})")).value();
  EXPECT_EQ(ok.stars, 5);
  EXPECT_EQ(ok.comment, "很好");
  EXPECT_EQ(FirstField(ParseRating(Parse(R"({"stars":0})")).error()), "stars:out_of_range");
  EXPECT_EQ(FirstField(ParseRating(Parse(R"({})")).error()), "stars:required");
  EXPECT_EQ(FirstField(ParseRating(Parse(R"({"stars":"5"})")).error()), "stars:expected_integer");
  EXPECT_EQ(FirstField(ParseRating(Parse(R"({"stars":3,"x":1})")).error()), "x:unknown_field");
  const std::string long_comment(501, 'a');
  EXPECT_EQ(FirstField(ParseRating(json::object{{"stars", 3}, {"comment", long_comment}}).error()),
            "comment:too_long");
}

TEST(TrustRoutesTest, ReportsAndDecisions) {
  auto report = ParseReport(Parse(R"({"card_id":7,"category":"misleading"})")).value();
  EXPECT_EQ(report.card_id, 7);
  EXPECT_EQ(report.category, ReportCategory::kMisleading);
  EXPECT_EQ(FirstField(ParseReport(Parse(R"({"card_id":7,"category":"Fake"})")).error()),
            "category:unsupported");
  EXPECT_TRUE(ParseReportDecision(Parse(R"({"decision":"upheld","reason":"核实"})"))->upheld);
  EXPECT_FALSE(ParseReportDecision(Parse(R"({"decision":"dismissed","reason":"x"})"))->upheld);
  EXPECT_EQ(FirstField(ParseReportDecision(Parse(R"({"decision":"maybe","reason":"x"})")).error()),
            "decision:unsupported");
  EXPECT_EQ(FirstField(ParseReportDecision(Parse(R"({"decision":"upheld","reason":" "})")).error()),
            "reason:required");
}

TEST(TrustRoutesTest, ResolutionsAndExchanges) {
  auto resolution = ParseResolution(
      Parse(R"({"outcome":"compensation","at_fault_user_id":3,"points":30,"resolution":"补偿"})"));
  ASSERT_TRUE(resolution.has_value());
  EXPECT_EQ(resolution->outcome, DisputeOutcome::kCompensation);
  EXPECT_EQ(resolution->at_fault_user_id, 3);
  EXPECT_EQ(resolution->points, 30);
  EXPECT_EQ(FirstField(ParseResolution(Parse(R"({"outcome":"refund","resolution":"x"})")).error()),
            "outcome:unsupported");
  auto record = ParseExchangeRecord(Parse(
      R"({"source":"ticket","source_id":9,"provider_user_id":1,"consumer_user_id":2,
          "completed_at":100,"outcome":"returned_late"})"));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->source, Source::kTicket);
  EXPECT_EQ(record->outcome, Outcome::kReturnedLate);
  EXPECT_EQ(record->community_id, 0);  // the caller's current community
  auto verification = ParseVerification(
      Parse(R"({"user_id":4,"kind":"background_check","issuer":"派出所","number":"A1"})"));
  ASSERT_TRUE(verification.has_value());
  EXPECT_EQ(verification->kind, VerificationKind::kBackgroundCheck);
  EXPECT_EQ(verification->number, "A1");
}

}  // namespace
}  // namespace linli::trust
