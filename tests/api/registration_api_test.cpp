// Self-registration with and without an invite code, and staff approval.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using RegistrationApiTest = ApiTest;

constexpr std::string_view kNewPassword = "a-new-password-1";

json::object NewUser(std::string_view login) {
  return json::object{{"login", login}, {"password", kNewPassword}, {"display_name", "新邻居"}};
}

json::object WithInvite(std::string_view login) {
  auto body = NewUser(login);
  body["invite_code"] = kInviteCode;
  return body;
}

json::object WithCommunity(std::string_view login, std::int64_t community) {
  auto body = NewUser(login);
  body["community_id"] = community;
  return body;
}

// Pending registrations as staff of `community` sees them.
std::vector<std::string> PendingLogins(ApiClient& staff, std::int64_t community = kSunshine) {
  auto response = staff.Get(CommunityPath(community, "/registrations?status=pending"));
  EXPECT_EQ(response.status, 200) << Describe(response);
  std::vector<std::string> logins;
  for (const auto& item : response.Items()) {
    logins.emplace_back(item.at("login").as_string());
  }
  return logins;
}

TEST_F(RegistrationApiTest, InviteCodeMakesAnActiveResident) {
  const auto audit_before = AuditCount();
  ApiClient client = Client();
  auto registered = client.Post("/api/v1/auth/register", WithInvite("Neighbour.One"));
  ASSERT_EQ(registered.status, 201) << Describe(registered);
  EXPECT_EQ(registered.String("status"), "active");
  EXPECT_GT(registered.Int("id"), 0);
  EXPECT_EQ(AuditCount(), audit_before + 1);

  // Logins are stored lower-case; the new user signs in at once.
  ASSERT_TRUE(client.LoginOk("neighbour.one", kNewPassword));
  auto me = client.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << Describe(me);
  EXPECT_EQ(me.Int("id"), registered.Int("id"));
  EXPECT_EQ(me.String("login"), "neighbour.one");
  EXPECT_EQ(me.String("display_name"), "新邻居");
  EXPECT_EQ(me.Int("current_community_id"), kSunshine);
  ASSERT_EQ(me.json.at("communities").as_array().size(), 1u);
  EXPECT_EQ(me.json.at("communities").at(0).at("roles"), json::value(json::array{"resident"}));
  EXPECT_EQ(client.Get(CommunityPath(kSunshine)).status, 200);
}

TEST_F(RegistrationApiTest, WithoutCodeIsPendingUntilStaffApproves) {
  ApiClient newcomer = Client();
  auto registered = newcomer.Post("/api/v1/auth/register", WithCommunity("newcomer", kSunshine));
  ASSERT_EQ(registered.status, 201) << Describe(registered);
  EXPECT_EQ(registered.String("status"), "pending");
  const auto user_id = registered.Int("id");

  auto pending_login = newcomer.Login("newcomer", kNewPassword);
  EXPECT_EQ(pending_login.status, 403) << Describe(pending_login);
  EXPECT_EQ(pending_login.Reason(), "account_pending");
  EXPECT_FALSE(newcomer.HasCookie("linli_session"));

  // Residents may not see or decide registrations: same 404 as a missing community.
  ApiClient resident = SignedIn("resident");
  auto listed_by_resident = resident.Get(CommunityPath(kSunshine, "/registrations"));
  EXPECT_EQ(listed_by_resident.status, 404) << Describe(listed_by_resident);
  EXPECT_EQ(listed_by_resident.Reason(), "not_found");
  auto approved_by_resident = resident.PostEmpty(
      CommunityPath(kSunshine, "/registrations/" + std::to_string(user_id) + "/approve"));
  EXPECT_EQ(approved_by_resident.status, 404) << Describe(approved_by_resident);
  EXPECT_EQ(approved_by_resident.Reason(), "not_found");

  ApiClient staff = SignedIn("staff");
  const auto pending = PendingLogins(staff);
  ASSERT_EQ(pending, std::vector<std::string>{"newcomer"});
  // Staff of 阳光社区 have nothing to do with 和谐社区.
  auto other_community = staff.Get(CommunityPath(kHarmony, "/registrations"));
  EXPECT_EQ(other_community.status, 404) << Describe(other_community);
  EXPECT_EQ(other_community.Reason(), "not_found");

  const auto approve_path =
      CommunityPath(kSunshine, "/registrations/" + std::to_string(user_id) + "/approve");
  auto no_csrf = staff.PostEmpty(approve_path, NoCsrf());
  EXPECT_EQ(no_csrf.status, 403) << Describe(no_csrf);
  EXPECT_EQ(no_csrf.Reason(), "csrf_token_invalid");
  EXPECT_EQ(PendingLogins(staff).size(), 1u) << "a rejected approval must change nothing";

  const auto audit_before = AuditCount();
  auto approved = staff.PostEmpty(approve_path);
  ASSERT_EQ(approved.status, 204) << Describe(approved);
  EXPECT_EQ(AuditCount(), audit_before + 1);
  EXPECT_TRUE(PendingLogins(staff).empty());

  ASSERT_TRUE(newcomer.LoginOk("newcomer", kNewPassword));
  auto me = newcomer.Get("/api/v1/me");
  EXPECT_EQ(me.json.at("communities").at(0).at("roles"), json::value(json::array{"resident"}));

  // Deciding twice: the registration is no longer pending.
  auto again = staff.PostEmpty(approve_path);
  EXPECT_EQ(again.status, 404) << Describe(again);
  EXPECT_EQ(again.Reason(), "not_found");
  EXPECT_EQ(AuditCount(), audit_before + 1);
}

TEST_F(RegistrationApiTest, RejectedRegistrationCannotSignIn) {
  ApiClient newcomer = Client();
  auto registered = newcomer.Post("/api/v1/auth/register", WithCommunity("unwanted", kSunshine));
  ASSERT_EQ(registered.status, 201) << Describe(registered);
  ApiClient committee = SignedIn("committee");
  auto rejected = committee.PostEmpty(CommunityPath(
      kSunshine, "/registrations/" + std::to_string(registered.Int("id")) + "/reject"));
  ASSERT_EQ(rejected.status, 204) << Describe(rejected);
  EXPECT_TRUE(PendingLogins(committee).empty());
  auto login = newcomer.Login("unwanted", kNewPassword);
  EXPECT_EQ(login.status, 401) << Describe(login);
  EXPECT_EQ(login.Reason(), "invalid_credentials");
}

TEST_F(RegistrationApiTest, UnknownFieldIsRejectedAndCreatesNothing) {
  const auto audit_before = AuditCount();
  ApiClient client = Client();
  auto body = WithInvite("sneaky");
  body["is_admin"] = true;
  auto response = client.Post("/api/v1/auth/register", body);
  ASSERT_EQ(response.status, 400) << Describe(response);
  EXPECT_EQ(response.Reason(), "invalid_field");
  const auto& errors = response.json.at("errors").as_array();
  ASSERT_EQ(errors.size(), 1u) << Describe(response);
  EXPECT_EQ(errors[0].at("field"), "is_admin");
  EXPECT_EQ(errors[0].at("reason"), "unknown_field");

  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_EQ(client.Login("sneaky", kNewPassword).status, 401);
  // The login is still free: nothing was created.
  auto clean = client.Post("/api/v1/auth/register", WithInvite("sneaky"));
  EXPECT_EQ(clean.status, 201) << Describe(clean);
}

TEST_F(RegistrationApiTest, InvalidRegistrationsChangeNothing) {
  ApiClient staff = SignedIn("staff");
  const auto audit_before = AuditCount();
  ApiClient client = Client();
  struct Case {
    const char* name;
    json::object body;
    int status;
    std::string reason;
    std::string field;  // errors[0].field, when invalid_field
  };
  auto bad_code = WithInvite("bad.code");
  bad_code["invite_code"] = "NOT-A-CODE";
  auto short_password = WithInvite("short.pw");
  short_password["password"] = "short";
  auto bad_login = WithInvite("no spaces allowed");
  auto missing_name = WithInvite("no.name");
  missing_name.erase("display_name");
  const std::vector<Case> cases{
      {"unknown invite code", bad_code, 422, "invalid_invite_code", ""},
      {"login taken", WithInvite("RESIDENT"), 409, "login_taken", ""},
      {"neither code nor community", NewUser("lost"), 400, "invalid_field", "community_id"},
      {"no such community", WithCommunity("lost", 999), 400, "invalid_field", "community_id"},
      {"password too short", short_password, 400, "invalid_field", "password"},
      {"login with spaces", bad_login, 400, "invalid_field", "login"},
      {"display name missing", missing_name, 400, "invalid_field", "display_name"},
  };
  for (const auto& c : cases) {
    auto response = client.Post("/api/v1/auth/register", c.body);
    EXPECT_EQ(response.status, c.status) << c.name << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), c.reason) << c.name;
    if (!c.field.empty() && response.json.is_object()) {
      const auto& errors = response.json.at("errors").as_array();
      ASSERT_FALSE(errors.empty()) << c.name;
      EXPECT_EQ(errors[0].at("field").as_string(), c.field) << c.name << ": " << Describe(response);
    }
  }
  EXPECT_EQ(AuditCount(), audit_before);
  EXPECT_TRUE(PendingLogins(staff).empty());
}

// Register trims the password (FieldReader::String) but login takes it as sent, so a password
// with surrounding spaces is unusable. Expected: the password works exactly as registered.
TEST_F(RegistrationApiTest, PasswordWithSurroundingSpacesCanSignIn) {
  ApiClient client = Client();
  auto body = WithInvite("spacey");
  body["password"] = "  spaced out password  ";
  auto registered = client.Post("/api/v1/auth/register", body);
  ASSERT_EQ(registered.status, 201) << Describe(registered);
  auto login = client.Login("spacey", "  spaced out password  ");
  EXPECT_EQ(login.status, 200) << "register and login must treat the password the same way: "
                               << Describe(login);
}

}  // namespace
}  // namespace linli::api_test
