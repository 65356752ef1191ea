// Sign-in, sessions, CSRF and preferences against the real server.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using AuthApiTest = ApiTest;

TEST_F(AuthApiTest, LoginStartsASessionAndMeDescribesTheUser) {
  ApiClient client = Client();
  auto login = client.Login("resident");
  ASSERT_EQ(login.status, 200) << Describe(login);
  EXPECT_TRUE(client.HasCookie("linli_session"));
  const auto set_cookie = login.Header("set-cookie").value_or("");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("SameSite=Lax"), std::string::npos) << set_cookie;
  EXPECT_EQ(login.Header("cache-control"), "no-store");
  const auto& user = login.json.at("user").as_object();
  EXPECT_EQ(user.at("login"), "resident");
  EXPECT_EQ(user.at("csrf_token"), login.json.at("csrf_token"));

  auto me = client.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << Describe(me);
  EXPECT_EQ(me.String("login"), "resident");
  EXPECT_EQ(me.String("display_name"), "王秀英");
  EXPECT_EQ(me.String("locale"), "zh-CN");
  EXPECT_FALSE(me.Bool("elder_mode"));
  EXPECT_EQ(me.Int("current_community_id"), kSunshine);
  EXPECT_EQ(me.String("csrf_token"), client.csrf_token());
  const auto& communities = me.json.at("communities").as_array();
  ASSERT_EQ(communities.size(), 1u);
  EXPECT_EQ(communities[0].at("name"), "阳光社区");
  EXPECT_EQ(communities[0].at("roles"), json::array{"resident"});
}

TEST_F(AuthApiTest, LoginIsCaseInsensitive) {
  ApiClient client = Client();
  auto login = client.Login("ReSiDeNt");
  ASSERT_EQ(login.status, 200) << Describe(login);
  EXPECT_EQ(login.json.at("user").at("login"), "resident");
}

TEST_F(AuthApiTest, WrongPasswordLooksExactlyLikeUnknownUser) {
  ApiClient client = Client();
  auto wrong_password = client.Login("resident", "not-the-password");
  auto unknown_user = client.Login("nobody-here", "not-the-password");
  ASSERT_EQ(wrong_password.status, 401) << Describe(wrong_password);
  ASSERT_EQ(unknown_user.status, 401) << Describe(unknown_user);
  EXPECT_EQ(wrong_password.Reason(), "invalid_credentials");
  EXPECT_EQ(unknown_user.Reason(), "invalid_credentials");
  // Same members with the same values, except the per-request id.
  auto a = wrong_password.json.as_object();
  auto b = unknown_user.json.as_object();
  a.erase("request_id");
  b.erase("request_id");
  EXPECT_EQ(a, b);
  EXPECT_EQ(wrong_password.ContentType(), unknown_user.ContentType());
  EXPECT_FALSE(client.HasCookie("linli_session"));
  EXPECT_EQ(client.Get("/api/v1/me").status, 401);
}

TEST_F(AuthApiTest, SixthFailedAttemptIsThrottledEvenWithTheRightPassword) {
  ApiClient client = Client();
  for (int attempt = 1; attempt <= 5; ++attempt) {
    auto response = client.Login("merchant", "wrong-password-" + std::to_string(attempt));
    ASSERT_EQ(response.status, 401) << "attempt " << attempt << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "invalid_credentials");
  }
  auto sixth = client.Login("merchant", "wrong-password-6");
  EXPECT_EQ(sixth.status, 429) << Describe(sixth);
  EXPECT_EQ(sixth.Reason(), "too_many_attempts");
  auto correct = client.Login("merchant");
  EXPECT_EQ(correct.status, 429) << Describe(correct);
  EXPECT_EQ(correct.Reason(), "too_many_attempts");
  EXPECT_FALSE(client.HasCookie("linli_session"));
  // Throttling is per login: others are unaffected.
  ApiClient other = Client();
  EXPECT_TRUE(other.LoginOk("resident"));
}

TEST_F(AuthApiTest, LogoutNeedsCsrfAndEndsTheSession) {
  ApiClient client = SignedIn("resident");
  ApiClient copy = client;  // the same cookie in a second "tab"

  auto no_csrf = client.PostEmpty("/api/v1/auth/logout", NoCsrf());
  EXPECT_EQ(no_csrf.status, 403) << Describe(no_csrf);
  EXPECT_EQ(no_csrf.Reason(), "csrf_token_invalid");
  EXPECT_EQ(client.Get("/api/v1/me").status, 200) << "a rejected logout must not end the session";

  auto logout = client.PostEmpty("/api/v1/auth/logout");
  ASSERT_EQ(logout.status, 204) << Describe(logout);
  EXPECT_NE(logout.Header("set-cookie").value_or("").find("Max-Age=0"), std::string::npos);
  EXPECT_FALSE(client.HasCookie("linli_session"));

  auto me = client.Get("/api/v1/me");
  EXPECT_EQ(me.status, 401) << Describe(me);
  EXPECT_EQ(me.Reason(), "unauthenticated");
  // The old cookie is dead on the server too, not just forgotten by this client.
  auto replay = copy.Get("/api/v1/me");
  EXPECT_EQ(replay.status, 401) << Describe(replay);
  EXPECT_EQ(replay.Reason(), "unauthenticated");
  auto again = copy.PostEmpty("/api/v1/auth/logout");
  EXPECT_EQ(again.status, 401) << Describe(again);
  EXPECT_EQ(again.Reason(), "unauthenticated");
}

TEST_F(AuthApiTest, AnonymousCallsAreUnauthenticated) {
  ApiClient client = Client();
  for (const char* path :
       {"/api/v1/me", "/api/v1/communities/1", "/api/v1/communities/1/registrations",
        "/api/v1/communities/1/audit", "/api/v1/communities/1/api-keys"}) {
    auto response = client.Get(path);
    EXPECT_EQ(response.status, 401) << path << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "unauthenticated") << path;
  }
  auto patch = client.Patch("/api/v1/me/preferences", json::object{{"elder_mode", true}});
  EXPECT_EQ(patch.status, 401) << Describe(patch);
  EXPECT_EQ(patch.Reason(), "unauthenticated");
  // An unknown session cookie is anonymous, not an error of its own.
  auto forged = client.Get("/api/v1/me", WithHeader("Cookie", "linli_session=forged"));
  EXPECT_EQ(forged.status, 401) << Describe(forged);
  EXPECT_EQ(forged.Reason(), "unauthenticated");
}

TEST_F(AuthApiTest, PreferencesNeedCsrfAndPersist) {
  ApiClient client = SignedIn("resident");
  const json::object change{{"elder_mode", true}, {"locale", "en"}};

  auto no_csrf = client.Patch("/api/v1/me/preferences", change, NoCsrf());
  EXPECT_EQ(no_csrf.status, 403) << Describe(no_csrf);
  EXPECT_EQ(no_csrf.Reason(), "csrf_token_invalid");
  auto forged_token = NoCsrf();
  forged_token.headers = {{"X-CSRF-Token", "not-the-token"}};
  auto wrong_csrf = client.Patch("/api/v1/me/preferences", change, forged_token);
  EXPECT_EQ(wrong_csrf.status, 403) << Describe(wrong_csrf);
  EXPECT_EQ(wrong_csrf.Reason(), "csrf_token_invalid");
  auto unchanged = client.Get("/api/v1/me");
  EXPECT_FALSE(unchanged.Bool("elder_mode"));
  EXPECT_EQ(unchanged.String("locale"), "zh-CN");

  auto updated = client.Patch("/api/v1/me/preferences", change);
  ASSERT_EQ(updated.status, 200) << Describe(updated);
  EXPECT_TRUE(updated.Bool("elder_mode"));
  EXPECT_EQ(updated.String("locale"), "en");

  // Persisted: a new session sees them.
  ApiClient later = SignedIn("resident");
  auto me = later.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << Describe(me);
  EXPECT_TRUE(me.Bool("elder_mode"));
  EXPECT_EQ(me.String("locale"), "en");

  // Only the fields sent change.
  auto partial = later.Patch("/api/v1/me/preferences", json::object{{"elder_mode", false}});
  ASSERT_EQ(partial.status, 200) << Describe(partial);
  EXPECT_FALSE(partial.Bool("elder_mode"));
  EXPECT_EQ(partial.String("locale"), "en");
}

TEST_F(AuthApiTest, InvalidPreferencesAreRejectedAndChangeNothing) {
  ApiClient client = SignedIn("committee");  // member of both communities
  struct Case {
    json::object body;
    std::string field;
    std::string reason;
  };
  const std::vector<Case> cases{
      {{{"locale", "fr"}}, "locale", "unsupported"},
      {{{"locale", 7}}, "locale", "expected_string"},
      {{{"elder_mode", "yes"}}, "elder_mode", "expected_boolean"},
      {{{"current_community_id", 0}}, "current_community_id", "out_of_range"},
      {{{"current_community_id", 999}}, "current_community_id", "not_member"},
      {{{"theme", "dark"}}, "theme", "unknown_field"},
  };
  for (const auto& c : cases) {
    auto response = client.Patch("/api/v1/me/preferences", c.body);
    EXPECT_EQ(response.status, 400) << json::serialize(c.body) << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "invalid_field") << json::serialize(c.body);
    ASSERT_FALSE(response.json.at("errors").as_array().empty()) << Describe(response);
    EXPECT_EQ(response.json.at("errors").at(0).at("field").as_string(), c.field);
    EXPECT_EQ(response.json.at("errors").at(0).at("reason").as_string(), c.reason);
  }
  auto me = client.Get("/api/v1/me");
  EXPECT_EQ(me.String("locale"), "zh-CN");
  EXPECT_FALSE(me.Bool("elder_mode"));
  EXPECT_EQ(me.Int("current_community_id"), kSunshine);

  // A community the user belongs to can become the current one.
  auto switched =
      client.Patch("/api/v1/me/preferences", json::object{{"current_community_id", kHarmony}});
  ASSERT_EQ(switched.status, 200) << Describe(switched);
  EXPECT_EQ(switched.Int("current_community_id"), kHarmony);
}

}  // namespace
}  // namespace linli::api_test
