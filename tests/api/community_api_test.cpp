// Communities, organisation API keys and the audit log.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using CommunityApiTest = ApiTest;

TEST_F(CommunityApiTest, MembersSeeTheirCommunity) {
  ApiClient resident = SignedIn("resident");
  auto community = resident.Get(CommunityPath(kSunshine));
  ASSERT_EQ(community.status, 200) << Describe(community);
  EXPECT_EQ(community.String("name"), "阳光社区");
  EXPECT_EQ(community.String("street"), "阳光街道");
  EXPECT_EQ(community.String("city"), "上海市");
  EXPECT_EQ(community.String("timezone"), "Asia/Shanghai");
  EXPECT_EQ(community.json.at("grids").as_array().size(), 2u);
  EXPECT_EQ(community.json.at("buildings").as_array().size(), 6u);
}

TEST_F(CommunityApiTest, NotAMemberIsTheSame404AsMissing) {
  ApiClient resident = SignedIn("resident");  // member of 阳光社区 only
  auto not_member = resident.Get(CommunityPath(kHarmony));
  auto missing = resident.Get(CommunityPath(999));
  auto not_an_id = resident.Get("/api/v1/communities/abc");
  auto zero = resident.Get("/api/v1/communities/0");
  for (const auto* response : {&not_member, &missing, &not_an_id, &zero}) {
    EXPECT_EQ(response->status, 404) << Describe(*response);
    EXPECT_EQ(response->Reason(), "not_found");
  }
  auto a = not_member.json.as_object();
  auto b = missing.json.as_object();
  a.erase("request_id");
  b.erase("request_id");
  EXPECT_EQ(a, b) << "a community one is not a member of must look missing";

  ApiClient committee = SignedIn("committee");  // member of both
  EXPECT_EQ(committee.Get(CommunityPath(kHarmony)).status, 200);
}

TEST_F(CommunityApiTest, ApiKeyLifecycle) {
  ApiClient admin = SignedIn("admin");
  const auto keys_path = CommunityPath(kSunshine, "/api-keys");
  auto empty = admin.Get(keys_path);
  ASSERT_EQ(empty.status, 200) << Describe(empty);
  EXPECT_TRUE(empty.Items().empty());

  const auto audit_before = AuditCount();
  auto created = admin.Post(
      keys_path, json::object{{"name", "社区超市"},
                              {"scopes", json::array{"resources:read", "tickets:read"}}});
  ASSERT_EQ(created.status, 201) << Describe(created);
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  const std::string secret = created.String("secret");
  const auto key_id = created.Int("id");
  ASSERT_TRUE(secret.starts_with("lk_" + created.String("prefix") + "_")) << secret;
  EXPECT_EQ(AuditCount(), audit_before + 1);

  // The secret is shown once: the list carries no secret (the schema forbids the member).
  auto listed = admin.Get(keys_path);
  ASSERT_EQ(listed.status, 200) << Describe(listed);
  ASSERT_EQ(listed.Items().size(), 1u);
  EXPECT_EQ(listed.Items()[0].at("id"), key_id);
  EXPECT_EQ(listed.Items()[0].at("revoked_at"), nullptr);
  EXPECT_EQ(listed.body.find(secret.substr(12)), std::string::npos);

  // The key authenticates as its organisation, in its own community only, without CSRF.
  ApiClient organisation = Client();
  organisation.SetBearer(secret);
  auto community = organisation.Get(CommunityPath(kSunshine));
  ASSERT_EQ(community.status, 200) << Describe(community);
  EXPECT_EQ(community.String("name"), "阳光社区");
  auto other = organisation.Get(CommunityPath(kHarmony));
  EXPECT_EQ(other.status, 404) << Describe(other);
  EXPECT_EQ(other.Reason(), "not_found");
  auto audit = organisation.Get(CommunityPath(kSunshine, "/audit"));
  EXPECT_EQ(audit.status, 404) << Describe(audit);
  auto me = organisation.Get("/api/v1/me");
  EXPECT_EQ(me.status, 401) << Describe(me);
  EXPECT_EQ(me.Reason(), "unauthenticated");
  auto logout = organisation.PostEmpty("/api/v1/auth/logout");
  EXPECT_EQ(logout.status, 204) << "an API key has no session to end: " << Describe(logout);

  // Revoke: the key stops working at once.
  const auto key_path = keys_path + "/" + std::to_string(key_id);
  auto no_csrf = admin.Delete(key_path, NoCsrf());
  EXPECT_EQ(no_csrf.status, 403) << Describe(no_csrf);
  EXPECT_EQ(no_csrf.Reason(), "csrf_token_invalid");
  EXPECT_EQ(organisation.Get(CommunityPath(kSunshine)).status, 200);
  auto revoked = admin.Delete(key_path);
  ASSERT_EQ(revoked.status, 204) << Describe(revoked);
  auto rejected = organisation.Get(CommunityPath(kSunshine));
  EXPECT_EQ(rejected.status, 401) << Describe(rejected);
  EXPECT_EQ(rejected.Reason(), "invalid_api_key");
  auto after = admin.Get(keys_path);
  ASSERT_EQ(after.Items().size(), 1u);
  EXPECT_TRUE(after.Items()[0].at("revoked_at").is_int64());
  auto twice = admin.Delete(key_path);
  EXPECT_EQ(twice.status, 404) << Describe(twice);
  EXPECT_EQ(twice.Reason(), "not_found");
  EXPECT_EQ(AuditCount(), audit_before + 2);
}

TEST_F(CommunityApiTest, ApiKeysAreForAdminsAndKnownScopesOnly) {
  const auto keys_path = CommunityPath(kSunshine, "/api-keys");
  ApiClient admin = SignedIn("admin");
  const auto audit_before = AuditCount();

  auto unknown_scope = admin.Post(
      keys_path, json::object{{"name", "x"}, {"scopes", json::array{"everything:write"}}});
  EXPECT_EQ(unknown_scope.status, 400) << Describe(unknown_scope);
  EXPECT_EQ(unknown_scope.Reason(), "unknown_scope");
  auto no_name = admin.Post(keys_path, json::object{{"scopes", json::array{"tickets:read"}}});
  EXPECT_EQ(no_name.status, 400) << Describe(no_name);
  EXPECT_EQ(no_name.Reason(), "invalid_field");
  EXPECT_EQ(no_name.json.at("errors").at(0).at("field"), "name");

  ApiClient staff = SignedIn("staff");
  auto by_staff =
      staff.Post(keys_path, json::object{{"name", "x"}, {"scopes", json::array{"tickets:read"}}});
  EXPECT_EQ(by_staff.status, 404) << Describe(by_staff);
  EXPECT_EQ(by_staff.Reason(), "not_found");
  EXPECT_EQ(staff.Get(keys_path).status, 404);

  EXPECT_TRUE(admin.Get(keys_path).Items().empty());
  EXPECT_EQ(AuditCount(), audit_before);
}

TEST_F(CommunityApiTest, BadBearerKeysAreRejectedEverywhere) {
  ApiClient client = Client();
  client.SetBearer("lk_unknown_key");
  auto unknown = client.Get(CommunityPath(kSunshine));
  EXPECT_EQ(unknown.status, 401) << Describe(unknown);
  EXPECT_EQ(unknown.Reason(), "invalid_api_key");
  auto me = client.Get("/api/v1/me");
  EXPECT_EQ(me.status, 401) << Describe(me);
  EXPECT_EQ(me.Reason(), "invalid_api_key");
  ApiClient basic = Client();
  auto wrong_scheme =
      basic.Get(CommunityPath(kSunshine), WithHeader("Authorization", "Basic YWRtaW46eA=="));
  EXPECT_EQ(wrong_scheme.status, 401) << Describe(wrong_scheme);
  EXPECT_EQ(wrong_scheme.Reason(), "invalid_api_key");
}

TEST_F(CommunityApiTest, CommitteeReadsAndVerifiesTheAuditLog) {
  ApiClient committee = SignedIn("committee");
  auto page = committee.Get(CommunityPath(kSunshine, "/audit"));
  ASSERT_EQ(page.status, 200) << Describe(page);
  ASSERT_FALSE(page.Items().empty());
  // Newest first.
  const auto first_seq = page.Items()[0].at("seq").as_int64();
  EXPECT_GT(first_seq, page.Items().back().at("seq").as_int64());

  auto small = committee.Get(CommunityPath(kSunshine, "/audit?limit=2"));
  ASSERT_EQ(small.status, 200) << Describe(small);
  ASSERT_EQ(small.Items().size(), 2u);
  const auto cursor = small.String("next_cursor");
  ASSERT_FALSE(cursor.empty());
  auto next = committee.Get(CommunityPath(kSunshine, "/audit?limit=2&cursor=" + cursor));
  ASSERT_EQ(next.status, 200) << Describe(next);
  ASSERT_FALSE(next.Items().empty());
  EXPECT_LT(next.Items()[0].at("seq").as_int64(), small.Items()[1].at("seq").as_int64());

  for (const char* bad : {"?limit=0", "?limit=101", "?limit=x", "?cursor=zz"}) {
    auto response = committee.Get(CommunityPath(kSunshine, "/audit") + bad);
    EXPECT_EQ(response.status, 400) << bad << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "invalid_field") << bad;
  }

  auto verify = committee.PostEmpty(CommunityPath(kSunshine, "/audit/verify"));
  ASSERT_EQ(verify.status, 200) << Describe(verify);
  EXPECT_TRUE(verify.Bool("ok"));
  EXPECT_GE(verify.Int("checked"), static_cast<std::int64_t>(page.Items().size()));
  EXPECT_TRUE(verify.json.at("first_bad_seq").is_null());
  EXPECT_TRUE(verify.json.at("problem").is_null());

  auto verify_no_csrf = committee.PostEmpty(CommunityPath(kSunshine, "/audit/verify"), NoCsrf());
  EXPECT_EQ(verify_no_csrf.status, 403) << Describe(verify_no_csrf);
  EXPECT_EQ(verify_no_csrf.Reason(), "csrf_token_invalid");
}

TEST_F(CommunityApiTest, OthersCannotReadTheAuditLog) {
  for (const char* login : {"resident", "staff", "merchant"}) {
    ApiClient client = SignedIn(login);
    auto list = client.Get(CommunityPath(kSunshine, "/audit"));
    EXPECT_EQ(list.status, 404) << login << ": " << Describe(list);
    EXPECT_EQ(list.Reason(), "not_found");
    auto verify = client.PostEmpty(CommunityPath(kSunshine, "/audit/verify"));
    EXPECT_EQ(verify.status, 404) << login << ": " << Describe(verify);
  }
  ApiClient committee = SignedIn("committee");
  EXPECT_EQ(committee.Get(CommunityPath(999, "/audit")).status, 404);
}

}  // namespace
}  // namespace linli::api_test
