#include "http/router.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "http/json.hpp"

namespace linli::http {
namespace {

Request MakeRequest(Verb verb, std::string path, std::string body = "") {
  Request request;
  request.verb = verb;
  request.path = std::move(path);
  request.body = std::move(body);
  request.request_id = "test";
  return request;
}

std::string ReasonOf(const Response& response) {
  return std::string(boost::json::parse(response.body).at("reason").as_string());
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Verb::kGet, "/api/v1/things/{id}/parts/{part}", [](Request& request) {
      Response response;
      response.body =
          std::string(request.PathParam("id")) + "/" + std::string(request.PathParam("part"));
      return response;
    });
    router_.Add(Verb::kPost, "/api/v1/things", [](Request&) { return NoContent(); });
    router_.Add(
        Verb::kPost, "/api/v1/open", [](Request&) { return NoContent(); },
        RouteOptions{.csrf_exempt = true});
    router_.SetFallback([](Request&) {
      Response response;
      response.body = "static";
      return response;
    });
  }
  Router router_;
};

TEST_F(RouterTest, MatchesPathParameters) {
  auto request = MakeRequest(Verb::kGet, "/api/v1/things/42/parts/wheel");
  auto dispatched = router_.Dispatch(request);
  EXPECT_EQ(dispatched.response.status, 200);
  EXPECT_EQ(dispatched.response.body, "42/wheel");
  EXPECT_EQ(dispatched.route, "/api/v1/things/{id}/parts/{part}");
}

TEST_F(RouterTest, HeadIsServedByTheGetRoute) {
  auto request = MakeRequest(Verb::kHead, "/api/v1/things/1/parts/2");
  EXPECT_EQ(router_.Dispatch(request).response.status, 200);
}

TEST_F(RouterTest, EmptyParameterDoesNotMatch) {
  auto request = MakeRequest(Verb::kGet, "/api/v1/things//parts/wheel");
  auto dispatched = router_.Dispatch(request);
  EXPECT_EQ(dispatched.response.status, 404);
  EXPECT_EQ(ReasonOf(dispatched.response), "route_not_found");
}

TEST_F(RouterTest, WrongMethodIs405) {
  auto request = MakeRequest(Verb::kDelete, "/api/v1/things");
  auto dispatched = router_.Dispatch(request);
  EXPECT_EQ(dispatched.response.status, 405);
  EXPECT_EQ(ReasonOf(dispatched.response), "method_not_allowed");
}

TEST_F(RouterTest, NonApiGetFallsBackToStaticFiles) {
  auto request = MakeRequest(Verb::kGet, "/market/123");
  EXPECT_EQ(router_.Dispatch(request).response.body, "static");
  auto api = MakeRequest(Verb::kGet, "/api/v1/nothing");
  EXPECT_EQ(router_.Dispatch(api).response.status, 404);
}

TEST_F(RouterTest, UnsafeRequestsNeedJsonContentType) {
  auto request = MakeRequest(Verb::kPost, "/api/v1/things", "{}");
  request.headers.emplace_back("content-type", "text/plain");
  auto dispatched = router_.Dispatch(request);
  EXPECT_EQ(dispatched.response.status, 415);
  EXPECT_EQ(ReasonOf(dispatched.response), "unsupported_media_type");

  auto ok = MakeRequest(Verb::kPost, "/api/v1/things", "{}");
  ok.headers.emplace_back("content-type", "Application/JSON; charset=utf-8");
  EXPECT_EQ(router_.Dispatch(ok).response.status, 204);
}

TEST_F(RouterTest, CookieSessionsMustEchoTheCsrfToken) {
  router_.SetAuthenticator([](const Request&) -> Result<std::optional<Actor>> {
    Actor actor;
    actor.user_id = 1;
    actor.session_id = 9;
    actor.csrf_token = "secret-token";
    return std::optional<Actor>{actor};
  });
  auto missing = MakeRequest(Verb::kPost, "/api/v1/things");
  auto dispatched = router_.Dispatch(missing);
  EXPECT_EQ(dispatched.response.status, 403);
  EXPECT_EQ(ReasonOf(dispatched.response), "csrf_token_invalid");

  auto wrong = MakeRequest(Verb::kPost, "/api/v1/things");
  wrong.headers.emplace_back("x-csrf-token", "secret-tokem");
  EXPECT_EQ(router_.Dispatch(wrong).response.status, 403);

  auto right = MakeRequest(Verb::kPost, "/api/v1/things");
  right.headers.emplace_back("x-csrf-token", "secret-token");
  EXPECT_EQ(router_.Dispatch(right).response.status, 204);

  auto exempt = MakeRequest(Verb::kPost, "/api/v1/open");
  EXPECT_EQ(router_.Dispatch(exempt).response.status, 204);

  auto safe = MakeRequest(Verb::kGet, "/api/v1/things/1/parts/2");
  EXPECT_EQ(router_.Dispatch(safe).response.status, 200);
}

TEST_F(RouterTest, AuthenticatorErrorsAreProblems) {
  router_.SetAuthenticator([](const Request&) -> Result<std::optional<Actor>> {
    return Error{Errc::kUnauthenticated, "invalid_api_key", "no"};
  });
  auto request = MakeRequest(Verb::kGet, "/api/v1/things/1/parts/2");
  auto dispatched = router_.Dispatch(request);
  EXPECT_EQ(dispatched.response.status, 401);
  EXPECT_EQ(ReasonOf(dispatched.response), "invalid_api_key");
}

TEST_F(RouterTest, PlanTellsBodyLimitAndWhereTheHandlerRuns) {
  router_.Add(
      Verb::kGet, "/api/v1/quick/{id}", [](Request&) { return NoContent(); },
      RouteOptions{.run_inline = true});
  router_.Add(
      Verb::kPost, "/api/v1/upload", [](Request&) { return NoContent(); },
      RouteOptions{.body_bytes_max = 1234});
  const RoutePlan quick = router_.PlanFor(Verb::kGet, "/api/v1/quick/5");
  EXPECT_TRUE(quick.run_inline);
  EXPECT_TRUE(router_.PlanFor(Verb::kHead, "/api/v1/quick/5").run_inline);
  const RoutePlan upload = router_.PlanFor(Verb::kPost, "/api/v1/upload");
  EXPECT_FALSE(upload.run_inline);
  EXPECT_EQ(upload.body_bytes_max, 1234u);
  EXPECT_EQ(router_.BodyLimitFor(Verb::kPost, "/api/v1/upload"), 1234u);
  // Unmatched paths, wrong methods and paths deeper than any route get the defaults.
  for (const auto& [verb, path] : std::vector<std::pair<Verb, std::string>>{
           {Verb::kPost, "/api/v1/quick/5"},
           {Verb::kGet, "/api/v1/quick/"},
           {Verb::kGet, "/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s"}}) {
    const RoutePlan plan = router_.PlanFor(verb, path);
    EXPECT_FALSE(plan.run_inline) << path;
    EXPECT_EQ(plan.body_bytes_max, limits::kJsonBodyBytesMax) << path;
  }
}

TEST_F(RouterTest, AuthenticatorMayLeaveContextForTheHandler) {
  router_.Add(Verb::kGet, "/api/v1/context", [](Request& request) {
    Response response;
    response.body = std::any_cast<std::string>(request.auth_context);
    return response;
  });
  router_.SetAuthenticator([](Request& request) -> Result<std::optional<Actor>> {
    request.auth_context = std::string("read with the session");
    Actor actor;
    actor.user_id = 3;
    return std::optional<Actor>{actor};
  });
  auto request = MakeRequest(Verb::kGet, "/api/v1/context");
  EXPECT_EQ(router_.Dispatch(request).response.body, "read with the session");
}

TEST(SplitPathTest, KeepsEmptySegments) {
  EXPECT_EQ(SplitPath("/a//b"), (std::vector<std::string_view>{"a", "", "b"}));
  EXPECT_EQ(SplitPath("/"), (std::vector<std::string_view>{""}));
}

}  // namespace
}  // namespace linli::http
