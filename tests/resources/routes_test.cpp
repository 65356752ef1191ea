#include "resources/routes.hpp"

#include <gtest/gtest.h>

namespace linli::resources {
namespace {

boost::json::object Parse(std::string_view text) {
  return boost::json::parse(text).as_object();
}

std::vector<std::pair<std::string, std::string>> FieldErrors(const Error& error) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& field : error.errors) out.emplace_back(field.field, field.reason);
  return out;
}

TEST(ParseCardBodyTest, ACreateNeedsKindAndTitleAndFillsEveryGroup) {
  auto missing = ParseCardBody(Parse(R"({"description":"x"})"), true);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(FieldErrors(missing.error()), (std::vector<std::pair<std::string, std::string>>{
                                              {"kind", "required"}, {"title", "required"}}));
  auto parsed =
      ParseCardBody(Parse(R"({"community_id":1,"kind":"space","title":" 车位 ","capacity":1,
                "open_hours":"工作日 8:00-18:00","rule":"price","price_fen":500,
                "price_unit":"小时","lat":31.18,"lon":121})"),
                    true);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(parsed->community_id, 1);
  const CardContent content = Apply(CardContent{}, parsed->patch);
  EXPECT_EQ(content.kind, Kind::kSpace);
  EXPECT_EQ(content.title, "车位");
  EXPECT_EQ(content.attributes.capacity, 1);
  EXPECT_EQ(content.rule.type, RuleType::kPrice);
  EXPECT_EQ(content.rule.price_fen, 500);
  EXPECT_EQ(content.location.lon, 121.0);
  EXPECT_TRUE(Validate(content).empty());
}

TEST(ParseCardBodyTest, AnUpdateSetsOnlyTheGroupsItTouches) {
  auto title_only = ParseCardBody(Parse(R"({"title":"电锤"})"), false).value().patch;
  EXPECT_TRUE(title_only.title.has_value());
  EXPECT_FALSE(title_only.attributes.has_value());
  EXPECT_FALSE(title_only.rule_amounts.has_value());
  EXPECT_FALSE(title_only.location.has_value());
  auto amounts = ParseCardBody(Parse(R"({"points":5})"), false).value().patch;
  EXPECT_FALSE(amounts.rule.has_value());
  ASSERT_TRUE(amounts.rule_amounts.has_value());
  EXPECT_EQ(amounts.rule_amounts->points, 5);
  auto located = ParseCardBody(Parse(R"({"building_id":3})"), false).value().patch;
  ASSERT_TRUE(located.location.has_value());
  EXPECT_FALSE(located.location->lat.has_value());
}

TEST(ParseCardBodyTest, RejectsUnknownFieldsBadEnumsAndEmptyUpdates) {
  auto bad = ParseCardBody(
      Parse(R"({"kind":"rocket","title":"x","colour":"red","lat":"north","community_id":0})"),
      false);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(FieldErrors(bad.error()),
            (std::vector<std::pair<std::string, std::string>>{{"kind", "unsupported"},
                                                              {"lat", "expected_number"},
                                                              {"colour", "unknown_field"},
                                                              {"community_id", "unknown_field"}}));
  EXPECT_EQ(ParseCardBody(Parse("{}"), false).error().reason, "invalid_field");
}

http::Request WithQuery(std::vector<std::pair<std::string, std::string>> query) {
  http::Request request;
  request.query = std::move(query);
  return request;
}

TEST(ParseSearchTest, ReadsEveryParameter) {
  auto parsed = ParseSearch(WithQuery({{"q", "电钻"},
                                       {"kind", "goods"},
                                       {"tag", "工具"},
                                       {"tag", "owner:merchant"},
                                       {"rule", "free"},
                                       {"status", "available"},
                                       {"lat", "31.18"},
                                       {"lon", "121.43"},
                                       {"radius_m", "1000"},
                                       {"sort", "distance"},
                                       {"limit", "50"},
                                       {"offset", "100"}}));
  ASSERT_TRUE(parsed.has_value()) << parsed.error().detail;
  EXPECT_EQ(parsed->text, "电钻");
  EXPECT_EQ(parsed->kind, Kind::kGoods);
  EXPECT_EQ(parsed->tags, (std::vector<std::string>{"工具", "owner:merchant"}));
  EXPECT_EQ(parsed->radius_m, 1000.0);
  EXPECT_EQ(parsed->sort, search::Sort::kDistance);
  EXPECT_EQ(parsed->limit, 50);
  EXPECT_EQ(parsed->offset, 100);
}

TEST(ParseSearchTest, ReportsEveryBadParameter) {
  auto parsed = ParseSearch(WithQuery({{"kind", "rocket"},
                                       {"lat", "95"},
                                       {"radius_m", "10"},
                                       {"sort", "distance"},
                                       {"limit", "0"},
                                       {"offset", "-1"},
                                       {"colour", "red"}}));
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(FieldErrors(parsed.error()),
            (std::vector<std::pair<std::string, std::string>>{{"kind", "unsupported"},
                                                              {"lat", "out_of_range"},
                                                              {"limit", "out_of_range"},
                                                              {"offset", "out_of_range"},
                                                              {"colour", "unknown_field"},
                                                              {"radius_m", "needs_point"},
                                                              {"sort", "needs_point"}}));
}

}  // namespace
}  // namespace linli::resources
