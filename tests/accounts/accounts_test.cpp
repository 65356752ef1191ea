#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "support/temp_store.hpp"

namespace linli::accounts {
namespace {

constexpr const char* kPassword = "linli-test-pass";

class AccountsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    const Actor system = Actor::System();
    community_ = service_
                     .EnsureCommunity(system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai",
                                               std::string("INVITE-1")})
                     .value();
    other_ = service_
                 .EnsureCommunity(system,
                                  {"上海市", "阳光街道", "和谐社区", "Asia/Shanghai", std::nullopt})
                 .value();
    for (auto [login, role] :
         {std::pair{"resident", Role::kResident}, std::pair{"staff", Role::kPropertyStaff},
          std::pair{"admin", Role::kAdmin}}) {
      ASSERT_TRUE(
          service_.EnsureUser(system, {login, login, kPassword, community_, {role}, std::nullopt}));
    }
  }

  Actor SignIn(const std::string& login) {
    auto result = service_.Login(login, kPassword);
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().reason);
    auto actor = service_.Authenticate(result->session_token, std::nullopt).value();
    EXPECT_TRUE(actor.has_value());
    return *actor;
  }

  std::optional<Actor> Resolve(const std::string& token) {
    return service_.Authenticate(token, std::nullopt).value();
  }

  linli::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_ = linli::testing::OpenMigratedSqlite(dir_);
  ManualClock clock_{1'790'000'000};
  SeededRandom random_{42};
  audit::AuditService audit_{*store_, clock_};
  AccountsService service_{*store_, audit_, clock_, random_, SessionPolicy{3600, 8 * 3600}};
  std::int64_t community_ = 0;
  std::int64_t other_ = 0;
};

TEST_F(AccountsTest, LoginCreatesASessionWithRoles) {
  auto login = service_.Login("resident", kPassword).value();
  EXPECT_EQ(login.me.login, "resident");
  EXPECT_EQ(login.me.current_community_id, community_);
  ASSERT_EQ(login.me.communities.size(), 1u);
  EXPECT_EQ(login.me.communities[0].roles, std::vector<Role>{Role::kResident});
  auto actor = Resolve(login.session_token);
  ASSERT_TRUE(actor.has_value());
  EXPECT_TRUE(actor->HasRole(community_, Role::kResident));
  EXPECT_EQ(actor->csrf_token, login.me.csrf_token);
  EXPECT_FALSE(Resolve(login.session_token + "x").has_value());
}

TEST_F(AccountsTest, LoginIsCaseInsensitive) {
  EXPECT_TRUE(service_.Login("ReSiDent", kPassword).has_value());
}

TEST_F(AccountsTest, WrongPasswordAndUnknownUserLookTheSame) {
  auto wrong = service_.Login("resident", "nope-nope-nope");
  auto unknown = service_.Login("nobody", kPassword);
  EXPECT_EQ(wrong.error().reason, "invalid_credentials");
  EXPECT_EQ(unknown.error().reason, "invalid_credentials");
  EXPECT_EQ(wrong.error().detail, unknown.error().detail);
}

TEST_F(AccountsTest, RepeatedFailuresThrottleTheAccountUntilTheWindowPasses) {
  for (int i = 0; i < limits::kLoginFailuresMax; ++i) {
    EXPECT_EQ(service_.Login("resident", "wrong-password").error().reason, "invalid_credentials");
  }
  EXPECT_EQ(service_.Login("resident", kPassword).error().reason, "too_many_attempts");
  clock_.Advance(Seconds{limits::kLoginWindowS + 1});
  EXPECT_TRUE(service_.Login("resident", kPassword).has_value());
}

TEST_F(AccountsTest, SessionsExpireWhenIdle) {
  auto token = service_.Login("resident", kPassword).value().session_token;
  clock_.Advance(Seconds{3000});
  EXPECT_TRUE(Resolve(token).has_value());  // also refreshes last-seen
  clock_.Advance(Seconds{3000});
  EXPECT_TRUE(Resolve(token).has_value());  // 3000 s since the refresh: still within 1 h
  clock_.Advance(Seconds{3601});
  EXPECT_FALSE(Resolve(token).has_value());
}

TEST_F(AccountsTest, SessionTouchesAreWrittenToTheDatabase) {
  auto token = service_.Login("resident", kPassword).value().session_token;
  clock_.Advance(Seconds{3000});
  ASSERT_TRUE(Resolve(token).has_value());  // notes last-seen; written in the background
  service_.FlushSessionTouches();
  // A second process (a fresh service: nothing in memory) sees the slid expiry.
  AccountsService other{*store_, audit_, clock_, random_, SessionPolicy{3600, 8 * 3600}};
  clock_.Advance(Seconds{3000});
  EXPECT_TRUE(other.Authenticate(token, std::nullopt).value().has_value());
  clock_.Advance(Seconds{3601});
  EXPECT_FALSE(other.Authenticate(token, std::nullopt).value().has_value());
}

TEST_F(AccountsTest, ResolveYieldsTheProfileThatGetMeReads) {
  const Actor admin = SignIn("admin");
  ASSERT_TRUE(service_.UpdatePreferences(admin, {std::string("en"), true, std::nullopt}));
  auto token = service_.Login("admin", kPassword).value().session_token;
  auto identity = service_.Resolve(token, std::nullopt).value();
  ASSERT_TRUE(identity.has_value());
  ASSERT_TRUE(identity->me.has_value());
  const Me& resolved = *identity->me;
  const Me read = service_.GetMe(identity->actor).value();
  EXPECT_EQ(resolved.id, read.id);
  EXPECT_EQ(resolved.login, "admin");
  EXPECT_EQ(resolved.display_name, read.display_name);
  EXPECT_EQ(resolved.locale, "en");
  EXPECT_TRUE(resolved.elder_mode);
  EXPECT_EQ(resolved.current_community_id, read.current_community_id);
  ASSERT_EQ(resolved.communities.size(), 1u);
  EXPECT_EQ(resolved.communities[0].id, community_);
  EXPECT_EQ(resolved.communities[0].name, "阳光社区");
  EXPECT_EQ(resolved.communities[0].roles, std::vector<Role>{Role::kAdmin});
  EXPECT_EQ(resolved.csrf_token, identity->actor.csrf_token);
  EXPECT_TRUE(identity->actor.HasRole(community_, Role::kAdmin));
  // API keys have no profile.
  auto key = service_.CreateApiKey(admin, community_, "board", {"resources:read"}).value();
  auto by_key = service_.Resolve(std::nullopt, key.secret).value();
  ASSERT_TRUE(by_key.has_value());
  EXPECT_FALSE(by_key->me.has_value());
}

TEST_F(AccountsTest, SessionsExpireAtTheAbsoluteLimitEvenWhenActive) {
  auto token = service_.Login("resident", kPassword).value().session_token;
  for (int hour = 0; hour < 8; ++hour) {
    clock_.Advance(Seconds{3500});
    ASSERT_TRUE(Resolve(token).has_value()) << hour;
  }
  clock_.Advance(Seconds{900});  // 8 h 1 min after login, 15 min after the last request
  EXPECT_FALSE(Resolve(token).has_value());
}

TEST_F(AccountsTest, LogoutEndsTheSession) {
  auto token = service_.Login("resident", kPassword).value().session_token;
  ASSERT_TRUE(service_.Logout(*Resolve(token)));
  EXPECT_FALSE(Resolve(token).has_value());
  EXPECT_EQ(service_.Logout(Actor{}).error().reason, "unauthenticated");
}

TEST_F(AccountsTest, InviteCodeRegistersAnActiveResident) {
  auto result =
      service_.Register({"newbie", "a-long-password", "新邻居", "INVITE-1", std::nullopt});
  ASSERT_TRUE(result.has_value()) << result.error().reason;
  EXPECT_EQ(result->status, "active");
  auto me = service_.Login("newbie", "a-long-password").value().me;
  EXPECT_EQ(me.communities.at(0).id, community_);
  EXPECT_EQ(
      service_.Register({"other", "a-long-password", "x", "WRONG", std::nullopt}).error().reason,
      "invalid_invite_code");
}

TEST_F(AccountsTest, RegistrationWithoutCodeAwaitsStaffApproval) {
  auto result =
      service_.Register({"pending1", "a-long-password", "待审", std::nullopt, community_});
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->status, "pending");
  EXPECT_EQ(service_.Login("pending1", "a-long-password").error().reason, "account_pending");

  const Actor resident = SignIn("resident");
  EXPECT_EQ(service_.PendingRegistrations(resident, community_, {}).error().reason, "not_found");
  EXPECT_EQ(service_.DecideRegistration(resident, community_, result->user_id, true).error().reason,
            "not_found");

  const Actor staff = SignIn("staff");
  auto pending = service_.PendingRegistrations(staff, community_, {}).value();
  ASSERT_EQ(pending.items.size(), 1u);
  EXPECT_EQ(pending.items[0].login, "pending1");
  ASSERT_TRUE(service_.DecideRegistration(staff, community_, result->user_id, true));
  EXPECT_TRUE(service_.Login("pending1", "a-long-password").has_value());
  // Deciding twice finds nothing pending.
  EXPECT_EQ(service_.DecideRegistration(staff, community_, result->user_id, false).error().reason,
            "not_found");
  // Staff of one community cannot decide for another.
  EXPECT_EQ(service_.PendingRegistrations(staff, other_, {}).error().reason, "not_found");
}

TEST_F(AccountsTest, RejectedRegistrationCannotSignIn) {
  auto result = service_.Register({"pending2", "a-long-password", "x", std::nullopt, community_});
  ASSERT_TRUE(service_.DecideRegistration(SignIn("staff"), community_, result->user_id, false));
  EXPECT_EQ(service_.Login("pending2", "a-long-password").error().reason, "invalid_credentials");
}

TEST_F(AccountsTest, RegistrationValidatesAndRejectsTakenLogins) {
  auto invalid = service_.Register({"a b", "short", "", std::nullopt, std::nullopt});
  ASSERT_FALSE(invalid.has_value());
  EXPECT_EQ(invalid.error().reason, "invalid_field");
  EXPECT_EQ(invalid.error().errors.size(), 4u);
  EXPECT_EQ(service_.Register({"RESIDENT", "a-long-password", "x", "INVITE-1", std::nullopt})
                .error()
                .reason,
            "login_taken");
}

TEST_F(AccountsTest, ApiKeysAuthenticateWithTheirScopesUntilRevoked) {
  const Actor admin = SignIn("admin");
  EXPECT_EQ(service_.CreateApiKey(admin, community_, "x", {"root"}).error().reason,
            "unknown_scope");
  EXPECT_EQ(service_.CreateApiKey(SignIn("staff"), community_, "x", {}).error().reason,
            "not_found");
  auto created = service_.CreateApiKey(admin, community_, "街道办", {"resources:read"}).value();
  EXPECT_TRUE(created.secret.starts_with("lk_"));
  auto actor = service_.Authenticate(std::nullopt, created.secret).value();
  ASSERT_TRUE(actor.has_value());
  EXPECT_TRUE(actor->HasScope("resources:read"));
  EXPECT_FALSE(actor->HasScope("resources:write"));
  EXPECT_TRUE(actor->HasRole(community_, Role::kOrganisation));
  auto listed = service_.ListApiKeys(admin, community_).value();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].prefix, created.key.prefix);
  ASSERT_TRUE(service_.RevokeApiKey(admin, community_, created.key.id));
  EXPECT_EQ(service_.Authenticate(std::nullopt, created.secret).error().reason, "invalid_api_key");
  EXPECT_EQ(service_.RevokeApiKey(admin, community_, created.key.id).error().reason, "not_found");
}

TEST_F(AccountsTest, PreferencesArePersistedAndValidated) {
  const Actor resident = SignIn("resident");
  auto me = service_.UpdatePreferences(resident, {std::string("en"), true, std::nullopt}).value();
  EXPECT_EQ(me.locale, "en");
  EXPECT_TRUE(me.elder_mode);
  EXPECT_TRUE(service_.GetMe(resident).value().elder_mode);
  EXPECT_EQ(service_.UpdatePreferences(resident, {std::string("fr"), std::nullopt, std::nullopt})
                .error()
                .reason,
            "invalid_field");
  EXPECT_EQ(
      service_.UpdatePreferences(resident, {std::nullopt, std::nullopt, other_}).error().reason,
      "invalid_field");
}

TEST_F(AccountsTest, CommunitiesAreVisibleToMembersOnly) {
  EXPECT_EQ(service_.GetCommunity(SignIn("resident"), community_).value().name, "阳光社区");
  EXPECT_EQ(service_.GetCommunity(SignIn("resident"), other_).error().reason, "not_found");
  EXPECT_EQ(service_.GetCommunity(Actor{}, community_).error().reason, "unauthenticated");
}

TEST_F(AccountsTest, SetUpIsForTheSystemOnly) {
  EXPECT_EQ(service_.EnsureGrid(SignIn("admin"), community_, "g").error().reason, "forbidden");
}

TEST_F(AccountsTest, EveryChangeIsAudited) {
  (void)service_.Login("resident", kPassword);
  (void)service_.Register({"newbie", "a-long-password", "x", "INVITE-1", std::nullopt});
  auto verification = audit_.VerifyAll().value();
  EXPECT_TRUE(verification.ok);
  // Set-up (2 communities + 3 users) + login + registration.
  EXPECT_EQ(verification.checked, 7);
}

}  // namespace
}  // namespace linli::accounts
