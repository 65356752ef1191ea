// What every request passes through: JSON parsing, content type, size limits, routing, static
// files — and that a rejected request changes nothing.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using MiddlewareApiTest = ApiTest;

constexpr std::size_t kMiB = 1024 * 1024;

TEST_F(MiddlewareApiTest, MalformedJsonIsRejected) {
  ApiClient client = Client();
  for (const char* body : {R"({"login":)", "{'login': 'x'}", "nul", R"({"a":1}{"b":2})"}) {
    auto response = client.Send("POST", "/api/v1/auth/login", body);
    EXPECT_EQ(response.status, 400) << body << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "malformed_json") << body;
  }
  for (const char* body : {"[1,2]", R"("text")", "42", "null"}) {
    auto response = client.Send("POST", "/api/v1/auth/login", body);
    EXPECT_EQ(response.status, 400) << body << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "expected_object") << body;
  }
  ApiClient resident = SignedIn("resident");
  auto patch = resident.Send("PATCH", "/api/v1/me/preferences", R"({"elder_mode": tru)");
  EXPECT_EQ(patch.status, 400) << Describe(patch);
  EXPECT_EQ(patch.Reason(), "malformed_json");
  EXPECT_FALSE(resident.Get("/api/v1/me").Bool("elder_mode"));
}

TEST_F(MiddlewareApiTest, BodiesMustBeJson) {
  ApiClient client = Client();
  const std::string body = R"({"login":"resident","password":"linli-demo-pass"})";
  for (const char* type :
       {"text/plain", "application/x-www-form-urlencoded", "application/jsonp"}) {
    auto response = client.Send("POST", "/api/v1/auth/login", body, WithContentType(type));
    EXPECT_EQ(response.status, 415) << type << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "unsupported_media_type") << type;
  }
  auto missing = client.Send("POST", "/api/v1/auth/login", body, WithContentType(""));
  EXPECT_EQ(missing.status, 415) << Describe(missing);
  EXPECT_EQ(missing.Reason(), "unsupported_media_type");
  EXPECT_FALSE(client.HasCookie("linli_session"));
  // Parameters and case do not matter.
  auto with_charset = client.Send("POST", "/api/v1/auth/login", body,
                                  WithContentType("Application/JSON; charset=utf-8"));
  EXPECT_EQ(with_charset.status, 200) << Describe(with_charset);
}

TEST_F(MiddlewareApiTest, BodyOverOneMebibyteIsRejected) {
  ApiClient client = Client();
  // A valid JSON object just over the limit.
  std::string body = R"({"login":"resident","password":")";
  body += std::string(kMiB + 1 - body.size() - 2, 'x');
  body += "\"}";
  ASSERT_EQ(body.size(), kMiB + 1);
  auto response = client.Send("POST", "/api/v1/auth/register", body);
  EXPECT_EQ(response.status, 413) << Describe(response);
  EXPECT_EQ(response.Reason(), "body_too_large");
  auto login = client.Send("POST", "/api/v1/auth/login", body);
  EXPECT_EQ(login.status, 413) << Describe(login);
  EXPECT_EQ(login.Reason(), "body_too_large");
}

// The limit is meant to be applied before the body is read (Router::BodyLimitFor): a client
// announcing 5 MiB should be answered 413 at once, without the server buffering the body.
TEST_F(MiddlewareApiTest, OversizedBodyIsRejectedBeforeItIsRead) {
  ApiClient client = Client();
  const std::string head =
      "POST /api/v1/auth/register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(5 * kMiB) + "\r\n\r\n{\"login\":";
  auto response =
      client.SendRaw("POST", "/api/v1/auth/register", head, std::chrono::milliseconds(3000));
  EXPECT_EQ(response.status, 413) << Describe(response);
  EXPECT_EQ(response.Reason(), "body_too_large");
  // The server still serves others afterwards.
  EXPECT_EQ(Client().Get("/healthz").status, 200);
}

TEST_F(MiddlewareApiTest, HeadersOverEightKibibytesAreRejected) {
  ApiClient client = Client();
  auto response = client.Get("/api/v1/me", WithHeader("X-Padding", std::string(9 * 1024, 'p')));
  EXPECT_EQ(response.status, 431) << Describe(response);
  EXPECT_EQ(response.Reason(), "header_too_large");
  EXPECT_EQ(response.Header("connection"), "close");
  // Just under the limit is fine.
  auto under = client.Get("/api/v1/me", WithHeader("X-Padding", std::string(7 * 1024, 'p')));
  EXPECT_EQ(under.status, 401) << Describe(under);
  EXPECT_EQ(under.Reason(), "unauthenticated");
}

TEST_F(MiddlewareApiTest, PathTraversalNeverLeavesTheWebRoot) {
  ApiClient client = Client();
  for (const char* target : {"/../etc/passwd", "/%2e%2e/etc/passwd", "/..%2fetc%2fpasswd",
                             "/%2e%2e%2f%2e%2e%2fetc/passwd", "/assets/../../secret.txt",
                             "/assets/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt",
                             "/.%2e/secret.txt", "/%2E%2E/secret.txt"}) {
    auto response = client.Get(target);
    EXPECT_GE(response.status, 400) << target << ": " << Describe(response);
    EXPECT_LT(response.status, 500) << target << ": " << Describe(response);
    EXPECT_EQ(response.body.find("root:"), std::string::npos) << target;
    EXPECT_EQ(response.body.find("TOP-SECRET"), std::string::npos) << target;
  }
  auto dotdot = client.Get("/../etc/passwd");
  EXPECT_EQ(dotdot.status, 400) << Describe(dotdot);
  EXPECT_EQ(dotdot.Reason(), "invalid_path");
  auto encoded = client.Get("/%2e%2e/etc/passwd");
  EXPECT_EQ(encoded.status, 400) << Describe(encoded);
  EXPECT_EQ(encoded.Reason(), "invalid_path");
  auto hidden = client.Get("/.env");
  EXPECT_EQ(hidden.status, 400) << Describe(hidden);

  // The web root itself is served, with an SPA fallback for client routes.
  auto asset = client.Get("/assets/app.js");
  EXPECT_EQ(asset.status, 200) << Describe(asset);
  EXPECT_EQ(asset.body, "console.log('linli');\n");
  auto spa = client.Get("/me/settings");
  EXPECT_EQ(spa.status, 200) << Describe(spa);
  EXPECT_NE(spa.body.find("linli api test"), std::string::npos);
  auto missing = client.Get("/assets/missing.js");
  EXPECT_EQ(missing.status, 404) << Describe(missing);
  EXPECT_EQ(missing.Reason(), "not_found");
}

TEST_F(MiddlewareApiTest, UnknownRoutesAndMethods) {
  ApiClient client = Client();
  for (const char* target : {"/api/v1/nope", "/api/v2/me", "/api/v1/me/", "/api", "/api/v1"}) {
    auto response = client.Get(target);
    EXPECT_EQ(response.status, 404) << target << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "route_not_found") << target;
  }
  struct Case {
    const char* method;
    const char* target;
  };
  for (const auto& c : {Case{"DELETE", "/api/v1/me"}, Case{"GET", "/api/v1/auth/login"},
                        Case{"PUT", "/api/v1/me/preferences"}, Case{"POST", "/healthz"},
                        Case{"PATCH", "/api/v1/communities/1/api-keys"}}) {
    auto response = client.Send(c.method, c.target, "");
    EXPECT_EQ(response.status, 405) << c.method << " " << c.target << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "method_not_allowed") << c.method << " " << c.target;
  }
}

TEST_F(MiddlewareApiTest, RequestIdIsEchoedInProblems) {
  ApiClient client = Client();
  auto response = client.Get("/api/v1/me", WithHeader("X-Request-Id", "trace-4711"));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.String("request_id"), "trace-4711");
  auto insane = client.Get("/api/v1/me", WithHeader("X-Request-Id", "bad id; drop"));
  EXPECT_NE(insane.String("request_id"), "bad id; drop");
  EXPECT_FALSE(insane.String("request_id").empty());
}

// After each rejected request the state is as before: no key, no audit entry, same preferences.
TEST_F(MiddlewareApiTest, BadInputChangesNothing) {
  ApiClient admin = SignedIn("admin");
  const auto keys_path = CommunityPath(kSunshine, "/api-keys");
  const auto audit_before = AuditCount();
  const auto me_before = admin.Get("/api/v1/me").json;
  const std::string good_key = R"({"name":"bot","scopes":["tickets:read"]})";

  struct Case {
    const char* name;
    const char* method;
    std::string target;
    std::string body;
    RequestOptions options;
    int status;
    const char* reason;
  };
  std::string oversized = R"({"name":")" + std::string(kMiB, 'n') + R"(","scopes":[]})";
  const std::vector<Case> cases{
      {"malformed", "POST", keys_path, R"({"name":"bot",)", {}, 400, "malformed_json"},
      {"not an object", "POST", keys_path, "[]", {}, 400, "expected_object"},
      {"unknown field",
       "POST",
       keys_path,
       R"({"name":"bot","scopes":[],"admin":true})",
       {},
       400,
       "invalid_field"},
      {"wrong type",
       "POST",
       keys_path,
       R"({"name":"bot","scopes":"tickets:read"})",
       {},
       400,
       "invalid_field"},
      {"unknown scope",
       "POST",
       keys_path,
       R"({"name":"bot","scopes":["root"]})",
       {},
       400,
       "unknown_scope"},
      {"wrong content type", "POST", keys_path, good_key, WithContentType("text/plain"), 415,
       "unsupported_media_type"},
      {"no csrf", "POST", keys_path, good_key, NoCsrf(), 403, "csrf_token_invalid"},
      {"oversized", "POST", keys_path, oversized, {}, 413, "body_too_large"},
      {"other community", "POST", CommunityPath(999, "/api-keys"), good_key, {}, 404, "not_found"},
      {"prefs malformed", "PATCH", "/api/v1/me/preferences", "{", {}, 400, "malformed_json"},
      {"prefs unknown field",
       "PATCH",
       "/api/v1/me/preferences",
       R"({"elder_mode":true,"role":"admin"})",
       {},
       400,
       "invalid_field"},
      {"prefs bad locale",
       "PATCH",
       "/api/v1/me/preferences",
       R"({"elder_mode":true,"locale":"xx"})",
       {},
       400,
       "invalid_field"},
      {"prefs no csrf", "PATCH", "/api/v1/me/preferences", R"({"elder_mode":true})", NoCsrf(), 403,
       "csrf_token_invalid"},
      {"prefs text", "PATCH", "/api/v1/me/preferences", R"({"elder_mode":true})",
       WithContentType("text/plain"), 415, "unsupported_media_type"},
  };
  for (const auto& c : cases) {
    auto response = admin.Send(c.method, c.target, c.body, c.options);
    EXPECT_EQ(response.status, c.status) << c.name << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), c.reason) << c.name;
    EXPECT_TRUE(admin.Get(keys_path).Items().empty()) << "after " << c.name;
  }
  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_EQ(admin.Get("/api/v1/me").json, me_before);
}

}  // namespace
}  // namespace linli::api_test
