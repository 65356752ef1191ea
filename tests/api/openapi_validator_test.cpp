// The validator itself: the document is sound, and a wrong response really fails — otherwise
// every other API test's "matches the document" would prove nothing.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

json::object GoodMe() {
  return json::object{
      {"id", 3},
      {"login", "resident"},
      {"display_name", "王秀英"},
      {"locale", "zh-CN"},
      {"elder_mode", false},
      {"current_community_id", 1},
      {"communities", json::array{json::object{
                          {"id", 1}, {"name", "阳光社区"}, {"roles", json::array{"resident"}}}}},
      {"csrf_token", "abcDEF123_-"}};
}

HttpResponse JsonResponse(int status, const json::value& body,
                          std::string content_type = "application/json") {
  HttpResponse response;
  response.status = status;
  response.headers = {{"content-type", content_type}, {"cache-control", "no-store"}};
  response.body = json::serialize(body);
  response.json = body;
  return response;
}

json::object GoodProblem(int status, std::string_view reason) {
  return json::object{{"type", "https://linli.example/problems/" + std::string(reason)},
                      {"title", "Unauthorized"},
                      {"status", status},
                      {"detail", "sign in first"},
                      {"reason", reason},
                      {"errors", json::array{}},
                      {"request_id", "0123456789abcdef"}};
}

const OpenApi& Api() {
  return OpenApi::Instance();
}

TEST(OpenApiDocument, IsSound) {
  const auto problems = Api().SelfCheck();
  for (const auto& problem : problems) ADD_FAILURE() << problem;
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(json::serialize(Api().document().at("openapi")), "\"3.1.0\"");
}

TEST(OpenApiDocument, MatchesPathTemplates) {
  EXPECT_EQ(Api().MatchPath("/api/v1/me"), "/api/v1/me");
  EXPECT_EQ(Api().MatchPath("/api/v1/communities/7"), "/api/v1/communities/{id}");
  EXPECT_EQ(Api().MatchPath("/api/v1/communities/7/registrations/9/approve"),
            "/api/v1/communities/{id}/registrations/{user_id}/approve");
  EXPECT_EQ(Api().MatchPath("/api/v1/communities//audit"), std::nullopt);
  EXPECT_EQ(Api().MatchPath("/api/v1/nothing"), std::nullopt);
}

TEST(OpenApiValidator, AcceptsAConformingMe) {
  EXPECT_EQ(Api().ValidateComponent("Me", GoodMe()), "");
  EXPECT_EQ(Api().CheckResponse("GET", "/api/v1/me", JsonResponse(200, GoodMe())), "");
}

TEST(OpenApiValidator, RejectsMeWithAnUndocumentedField) {
  auto me = GoodMe();
  me["password_hash"] = "$argon2id$...";
  EXPECT_NE(Api().ValidateComponent("Me", me), "");
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me", JsonResponse(200, me)), "");
}

TEST(OpenApiValidator, RejectsMeWithoutARequiredField) {
  auto me = GoodMe();
  me.erase("csrf_token");
  EXPECT_NE(Api().ValidateComponent("Me", me), "");
}

TEST(OpenApiValidator, RejectsWrongTypesAndValues) {
  auto wrong_type = GoodMe();
  wrong_type["elder_mode"] = "yes";
  EXPECT_NE(Api().ValidateComponent("Me", wrong_type), "");
  auto bad_null = GoodMe();
  bad_null["login"] = nullptr;
  EXPECT_NE(Api().ValidateComponent("Me", bad_null), "");
  auto bad_enum = GoodMe();
  bad_enum["locale"] = "fr";
  EXPECT_NE(Api().ValidateComponent("Me", bad_enum), "");
  auto bad_role = GoodMe();
  bad_role["communities"].as_array()[0].as_object()["roles"] = json::array{"superuser"};
  EXPECT_NE(Api().ValidateComponent("Me", bad_role), "");
  // Nullable where documented.
  auto no_community = GoodMe();
  no_community["current_community_id"] = nullptr;
  EXPECT_EQ(Api().ValidateComponent("Me", no_community), "");
}

TEST(OpenApiValidator, RejectsUndocumentedStatusMediaTypeAndPath) {
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me", JsonResponse(418, GoodMe())), "");
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me", JsonResponse(200, GoodMe(), "text/html")), "");
  // Under /api an undocumented path may only be route_not_found, a wrong method only 405.
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/users", JsonResponse(200, GoodMe())), "");
  EXPECT_EQ(Api().CheckResponse(
                "GET", "/api/v1/users",
                JsonResponse(404, GoodProblem(404, "route_not_found"), "application/problem+json")),
            "");
  EXPECT_NE(Api().CheckResponse(
                "DELETE", "/api/v1/me",
                JsonResponse(404, GoodProblem(404, "route_not_found"), "application/problem+json")),
            "");
}

TEST(OpenApiValidator, ChecksProblemsPerStatus) {
  const auto problem = [](int status, std::string_view reason) {
    return JsonResponse(status, GoodProblem(status, reason), "application/problem+json");
  };
  EXPECT_EQ(Api().CheckResponse("GET", "/api/v1/me", problem(401, "unauthenticated")), "");
  // A reason that status never carries, a status field that disagrees, a missing member.
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me", problem(401, "not_found")), "");
  auto mismatched = problem(401, "unauthenticated");
  mismatched.json.as_object()["status"] = 403;
  mismatched.body = json::serialize(mismatched.json);
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me", mismatched), "");
  auto no_request_id = GoodProblem(401, "unauthenticated");
  no_request_id.erase("request_id");
  EXPECT_NE(Api().ValidateComponent("Problem", no_request_id), "");
  // Problems must come as application/problem+json.
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me",
                                JsonResponse(401, GoodProblem(401, "unauthenticated"))),
            "");
}

TEST(OpenApiValidator, ChecksRequiredHeadersAndEmptyBodies) {
  auto no_store_missing = JsonResponse(200, GoodMe());
  no_store_missing.headers = {{"content-type", "application/json"}};
  EXPECT_NE(Api().CheckResponse("GET", "/api/v1/me", no_store_missing), "");
  HttpResponse logout;
  logout.status = 204;
  logout.body = "unexpected";
  logout.headers = {{"set-cookie", "linli_session=; Path=/; Max-Age=0"}};
  EXPECT_NE(Api().CheckResponse("POST", "/api/v1/auth/logout", logout), "");
  logout.body.clear();
  EXPECT_EQ(Api().CheckResponse("POST", "/api/v1/auth/logout", logout), "");
}

TEST(OpenApiValidator, ClientHelperFailsTheTestOnMismatch) {
  auto me = GoodMe();
  me["extra"] = 1;
  EXPECT_NONFATAL_FAILURE(ValidateExchange("GET", "/api/v1/me", JsonResponse(200, me)),
                          "does not match docs/api/openapi.yaml");
  HttpResponse nothing;
  nothing.transport_error = "connection refused";
  EXPECT_NONFATAL_FAILURE(ValidateExchange("GET", "/api/v1/me", nothing), "no response");
}

}  // namespace
}  // namespace linli::api_test
