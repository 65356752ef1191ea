#include "http/json.hpp"

#include <gtest/gtest.h>

#include "http/problem.hpp"

namespace linli::http {
namespace {

boost::json::object Parse(std::string_view text) {
  return boost::json::parse(text).as_object();
}

TEST(ParseJsonObjectTest, RejectsMalformedAndNonObjects) {
  Request request;
  request.body = "{\"a\":";
  EXPECT_EQ(ParseJsonObject(request).error().reason, "malformed_json");
  request.body = "[1,2]";
  EXPECT_EQ(ParseJsonObject(request).error().reason, "expected_object");
  request.body = R"({"a":1})";
  EXPECT_TRUE(ParseJsonObject(request).has_value());
}

TEST(FieldReaderTest, ReadsTypedFieldsAndTrimsText) {
  auto object = Parse(R"({"name":"  王秀英 ","age":72,"elder":true,"tags":["a","b"]})");
  FieldReader fields(object);
  EXPECT_EQ(fields.String("name", Need::kRequired, 64), "王秀英");
  EXPECT_EQ(fields.Int("age", Need::kRequired, 0, 150), 72);
  EXPECT_EQ(fields.Bool("elder", Need::kOptional), true);
  EXPECT_EQ(fields.Strings("tags", Need::kOptional, 4, 8), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(fields.String("missing", Need::kOptional, 8).has_value());
  EXPECT_TRUE(fields.Finish().has_value());
}

TEST(FieldReaderTest, ReadsNumbersOfEitherJsonKind) {
  auto object = Parse(R"({"lat":31.18,"lon":121,"big":500.5,"text":"1"})");
  FieldReader fields(object);
  EXPECT_DOUBLE_EQ(*fields.Number("lat", Need::kRequired, -90, 90), 31.18);
  EXPECT_DOUBLE_EQ(*fields.Number("lon", Need::kRequired, -180, 180), 121.0);
  EXPECT_FALSE(fields.Number("big", Need::kRequired, 0, 100).has_value());
  EXPECT_FALSE(fields.Number("text", Need::kRequired, 0, 100).has_value());
  auto status = fields.Finish();
  ASSERT_FALSE(status.has_value());
  ASSERT_EQ(status.error().errors.size(), 2u);
  EXPECT_EQ(status.error().errors[0].reason, "out_of_range");
  EXPECT_EQ(status.error().errors[1].reason, "expected_number");
}

TEST(FieldReaderTest, CollectsEveryProblemIncludingUnknownFields) {
  auto object = Parse(R"({"name":5,"age":200,"extra":1,"long":"abcdefghij"})");
  FieldReader fields(object);
  (void)fields.String("name", Need::kRequired, 64);
  (void)fields.Int("age", Need::kRequired, 0, 150);
  (void)fields.String("long", Need::kRequired, 4);
  (void)fields.Bool("needed", Need::kRequired);
  auto status = fields.Finish();
  ASSERT_FALSE(status.has_value());
  const Error& error = status.error();
  EXPECT_EQ(error.reason, "invalid_field");
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& field : error.errors) got.emplace_back(field.field, field.reason);
  EXPECT_EQ(got, (std::vector<std::pair<std::string, std::string>>{{"name", "expected_string"},
                                                                   {"age", "out_of_range"},
                                                                   {"long", "too_long"},
                                                                   {"needed", "required"},
                                                                   {"extra", "unknown_field"}}));
}

TEST(FieldReaderTest, RejectsControlCharacters) {
  auto object = Parse(R"({"name":"a\u0000b"})");
  FieldReader fields(object);
  EXPECT_FALSE(fields.String("name", Need::kRequired, 64).has_value());
  EXPECT_EQ(fields.Finish().error().errors.at(0).reason, "control_characters");
}

TEST(PageTest, ParsesLimitAndCursor) {
  Request request;
  request.query = {{"limit", "50"}, {"cursor", EncodeCursor(77)}};
  auto page = ParsePage(request);
  ASSERT_TRUE(page.has_value());
  EXPECT_EQ(page->limit, 50);
  EXPECT_EQ(page->after, 77);
  request.query = {{"limit", "1000"}};
  EXPECT_EQ(ParsePage(request).error().reason, "invalid_field");
  request.query = {{"cursor", "garbage"}};
  EXPECT_EQ(ParsePage(request).error().reason, "invalid_field");
}

TEST(PathIdTest, NonNumericIdsAreNotFound) {
  Request request;
  request.path_params = {{"id", "12"}};
  EXPECT_EQ(PathId(request, "id").value(), 12);
  request.path_params = {{"id", "12abc"}};
  EXPECT_EQ(PathId(request, "id").error().code, Errc::kNotFound);
  request.path_params = {{"id", "-3"}};
  EXPECT_EQ(PathId(request, "id").error().code, Errc::kNotFound);
}

TEST(ProblemTest, HasEveryRfc9457MemberAndHidesInternalDetail) {
  auto response = ProblemResponse({Errc::kConflict, "slot_taken", "taken", {{"start", "x"}}}, "r1");
  EXPECT_EQ(response.status, 409);
  EXPECT_EQ(response.content_type, "application/problem+json");
  auto body = Parse(response.body);
  for (const char* key : {"type", "title", "status", "detail", "reason", "errors", "request_id"}) {
    EXPECT_TRUE(body.contains(key)) << key;
  }
  EXPECT_EQ(body.at("errors").as_array().size(), 1u);
  auto internal =
      Parse(ProblemResponse({Errc::kInternal, "database_error", "SELECT secret"}, "r2").body);
  EXPECT_EQ(internal.at("detail").as_string().find("SELECT"), boost::json::string::npos);
}

TEST(JsonWriterTest, WritesWhatBoostJsonWouldSerialise) {
  const std::string tricky =
      std::string("王秀英 \"quoted\" back\\slash\n\t\r\b\f") + '\x01' + "\x1f tail/slash \x7f";
  std::string out;
  JsonWriter(out)
      .BeginObject()
      .Key("text")
      .String(tricky)
      .Key("n")
      .Int(-42)
      .Key("big")
      .Int(INT64_MAX)
      .Key("on")
      .Bool(true)
      .Key("none")
      .OptionalInt(std::nullopt)
      .Key("some")
      .OptionalInt(7)
      .Key("ms")
      .Fixed(1.23456, 3)
      .Key("empty")
      .BeginArray()
      .EndArray()
      .Key("list")
      .BeginArray()
      .BeginObject()
      .Key("a")
      .Int(1)
      .EndObject()
      .BeginObject()
      .EndObject()
      .String("x")
      .EndArray()
      .EndObject();
  const boost::json::value expected = {
      {"text", tricky},
      {"n", -42},
      {"big", INT64_MAX},
      {"on", true},
      {"none", nullptr},
      {"some", 7},
      {"ms", 1.235},
      {"empty", boost::json::array{}},
      {"list", boost::json::array{boost::json::object{{"a", 1}}, boost::json::object{}, "x"}}};
  EXPECT_EQ(boost::json::parse(out), expected);
  // The string's bytes are escaped exactly as boost::json escapes them.
  std::string text_only;
  JsonWriter(text_only).String(tricky);
  EXPECT_EQ(text_only, boost::json::serialize(boost::json::value(tricky)));
}

TEST(CookieTest, FindsNamedCookie) {
  Request request;
  request.headers.emplace_back("cookie", "a=1; linli_session=tok; b=2");
  EXPECT_EQ(request.Cookie("linli_session"), "tok");
  EXPECT_FALSE(request.Cookie("linli").has_value());
}

}  // namespace
}  // namespace linli::http
