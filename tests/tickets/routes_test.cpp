// Pure parsing of the tickets routes: JSON bodies, Open311 forms and ISO 8601 datetimes.
#include "tickets/routes.hpp"

#include <gtest/gtest.h>

namespace linli::tickets {
namespace {

namespace json = boost::json;

TEST(TicketRoutes, ParsesANewTicketStrictly) {
  auto ok = ParseNewTicket(json::parse(R"({"category":"water_leak","building_id":3,
      "unit_label":"2单元301","lat":31.2,"lon":121.4,"type":"help"})")
                               .as_object());
  ASSERT_TRUE(ok) << ok.error().detail;
  EXPECT_EQ(ok->category, "water_leak");
  EXPECT_EQ(ok->type, Type::kHelp);
  EXPECT_EQ(ok->location.building_id, 3);
  auto unknown = ParseNewTicket(json::parse(R"({"category":"noise","reporter":1})").as_object());
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().errors.at(0).field, "reporter");
  auto half = ParseNewTicket(json::parse(R"({"category":"noise","lat":31.2})").as_object());
  ASSERT_FALSE(half);
  EXPECT_EQ(half.error().errors.at(0).field, "lon");
  EXPECT_FALSE(ParseNewTicket(json::parse(R"({"category":"noise","type":"gossip"})").as_object()));
  EXPECT_FALSE(ParseNewTicket(json::parse(R"({})").as_object()));
}

TEST(TicketRoutes, DecodesFormsAsBrowsersAndOpen311ClientsSendThem) {
  auto form = ParseForm(
      "api_key=lk_a_b&service_code=noise&description=%E5%A4%AA%E5%90%B5+"
      "at+night&lat=31.18&long=121.43&empty=&flag");
  ASSERT_TRUE(form);
  ASSERT_EQ(form->size(), 7u);
  EXPECT_EQ((*form)[2].second, "太吵 at night");
  EXPECT_EQ((*form)[5].second, "");
  EXPECT_EQ((*form)[6].first, "flag");
  EXPECT_EQ(ParseForm("a=%4").error().reason, "invalid_form");
  EXPECT_EQ(ParseForm("a=%zz").error().reason, "invalid_form");
  EXPECT_TRUE(ParseForm("")->empty());
}

TEST(TicketRoutes, ReadsAnOpen311Post) {
  auto post = ParseOpen311Post(ParseForm("api_key=k&service_code=lighting&address_string=3%E5%8F%B7"
                                         "%E6%A5%BC&first_name=Ming&last_name=Li&email=x%40y.z")
                                   .value());
  ASSERT_TRUE(post);
  EXPECT_EQ(post->api_key, "k");
  EXPECT_EQ(post->ticket.location.address, "3号楼");
  EXPECT_TRUE(post->ticket.contact_name.empty());  // a name without a number is not kept
  EXPECT_EQ(
      ParseOpen311Post(ParseForm("api_key=k&service_code=x").value()).error().errors.at(0).field,
      "lat");
  EXPECT_EQ(ParseOpen311Post(ParseForm("api_key=k&service_code=x&lat=91&long=1").value())
                .error()
                .errors.at(0)
                .field,
            "lat");
  EXPECT_FALSE(ParseOpen311Post(ParseForm("api_key=k&lat=1&long=1").value()));
}

TEST(TicketRoutes, Iso8601DateTimes) {
  EXPECT_EQ(ParseIsoDateTime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIsoDateTime("2010-04-14T06:37:38-08:00"), 1271255858);
  EXPECT_EQ(ParseIsoDateTime("2026-10-01T08:00:00+08:00"),
            ParseIsoDateTime("2026-10-01T00:00:00Z"));
  EXPECT_FALSE(ParseIsoDateTime("2026-10-01"));
  EXPECT_FALSE(ParseIsoDateTime("2026-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseIsoDateTime("2026-10-01T25:00:00Z"));
  EXPECT_EQ(FormatIsoDateTime(0, TimeZone::Default()), "1970-01-01T08:00:00+08:00");
}

TEST(TicketRoutes, ParsesCalendarDays) {
  auto days = ParseCalendarDays(json::parse(R"({"days":[{"date":"2026-10-01","working":false,
      "note":"国庆节"},{"date":"2026-10-10","working":true}]})")
                                    .as_object());
  ASSERT_TRUE(days);
  ASSERT_EQ(days->size(), 2u);
  EXPECT_TRUE((*days)[1].working);
  EXPECT_FALSE(ParseCalendarDays(
      json::parse(R"({"days":[{"date":"2026-02-30","working":true}]})").as_object()));
  EXPECT_FALSE(ParseCalendarDays(json::parse(R"({"dayz":[]})").as_object()));
}

}  // namespace
}  // namespace linli::tickets
