#include "accounts/service.hpp"

#include <algorithm>
#include <chrono>

#include <fmt/format.h>

#include "accounts/repo.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"

namespace linli::accounts {
namespace {

constexpr std::size_t kSessionTokenBytes = 32;
constexpr std::size_t kCsrfTokenBytes = 24;
constexpr std::size_t kApiKeySecretBytes = 32;
constexpr std::string_view kApiKeyMarker = "lk_";
constexpr auto kHashingWait = std::chrono::seconds(5);

Error InvalidCredentials() {
  return Error{Errc::kUnauthenticated, "invalid_credentials", "wrong login or password"};
}
Error Unauthenticated() {
  return Error{Errc::kUnauthenticated, "unauthenticated", "sign in first"};
}
Error NotFound() {
  return Error{Errc::kNotFound, "not_found", "no such record"};
}

std::string LoginKey(std::string_view login) {
  std::string key(login);
  std::transform(key.begin(), key.end(), key.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return key;
}

bool IsValidLogin(std::string_view login) {
  return login.size() >= 3 && login.size() <= limits::kLoginBytesMax &&
         std::all_of(login.begin(), login.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
         });
}

Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) return Unauthenticated();
  return Ok();
}

Status RequireSystem(const Actor& actor) {
  if (!actor.system) return Error{Errc::kPermissionDenied, "forbidden", "set-up is CLI only"};
  return Ok();
}

// Staff of the community, or not_found (the community's internals are not for others).
Status RequireRole(const Actor& actor, std::int64_t community_id,
                   std::initializer_list<Role> roles) {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.system || actor.HasAnyRole(community_id, roles)) return Ok();
  return NotFound();
}

// The UI always has a current community when the user belongs to any: a stored choice that
// is no longer a membership falls back to the first community.
void SettleCurrentCommunity(Me& me) {
  const bool current_is_member =
      me.current_community_id &&
      std::any_of(me.communities.begin(), me.communities.end(),
                  [&](const CommunityRoles& c) { return c.id == *me.current_community_id; });
  if (!current_is_member) {
    me.current_community_id = me.communities.empty()
                                  ? std::nullopt
                                  : std::optional<std::int64_t>(me.communities.front().id);
  }
}

}  // namespace

const std::vector<std::string>& KnownScopes() {
  static const std::vector<std::string> kScopes{
      "resources:read", "resources:write", "announcements:write", "tickets:read",
      "tickets:write",  "gate:verify",     "ledger:read",         "ledger:write"};
  return kScopes;
}

AccountsService::AccountsService(storage::Store& store, const audit::AuditService& audit,
                                 const Clock& clock, Random& random, SessionPolicy policy)
    : store_(store),
      audit_(audit),
      clock_(clock),
      random_(random),
      policy_(policy),
      hashing_slots_(limits::kPasswordHashConcurrencyMax),
      toucher_(store, 2 * limits::kSessionTouchIntervalS) {
  dummy_hash_ = crypto::HashPassword(crypto::RandomToken(random_, 16)).value();
}

Result<std::string> AccountsService::HashPassword(std::string_view password) {
  if (!hashing_slots_.try_acquire_for(kHashingWait)) {
    return Error{Errc::kUnavailable, "hashing_busy", "too many sign-ins at once; retry shortly"};
  }
  auto hash = crypto::HashPassword(password);
  hashing_slots_.release();
  return hash;
}

Result<bool> AccountsService::VerifyPassword(const std::optional<std::string>& hash,
                                             std::string_view password) {
  // A saturated server answers 503, never "wrong password": that would count against the
  // account's throttle and could lock out the right password.
  if (!hashing_slots_.try_acquire_for(kHashingWait)) {
    return Error{Errc::kUnavailable, "hashing_busy", "too many sign-ins at once; retry shortly"};
  }
  const bool ok = crypto::VerifyPassword(hash.value_or(dummy_hash_), password) && hash.has_value();
  hashing_slots_.release();
  return ok;
}

Result<LoginResult> AccountsService::Login(std::string_view login, std::string_view password) {
  if (login.empty() || login.size() > limits::kLoginBytesMax ||
      password.size() > limits::kPasswordBytesMax) {
    return InvalidCredentials();
  }
  const std::string login_key = LoginKey(login);
  const std::int64_t now = clock_.NowEpochS();
  std::optional<repo::UserRow> user;
  std::int64_t failures = 0;
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(failures,
                           repo::RecentFailures(session, login_key, now - limits::kLoginWindowS));
    LINLI_ASSIGN_OR_RETURN(user, repo::FindUserByLogin(session, login_key));
    return Ok();
  }));
  if (failures >= limits::kLoginFailuresMax) {
    return Error{Errc::kResourceExhausted, "too_many_attempts",
                 "too many failed sign-ins; try again later"};
  }
  LINLI_ASSIGN_OR_RETURN(
      const bool password_ok,
      VerifyPassword(user ? std::optional<std::string>(user->password_hash) : std::nullopt,
                     password));
  if (!password_ok || user->status == "rejected" || user->status == "disabled") {
    LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
      return repo::RecordFailure(session, login_key, now, limits::kLoginWindowS);
    }));
    return InvalidCredentials();
  }
  if (user->status == "pending") {
    return Error{Errc::kPermissionDenied, "account_pending", "your registration awaits approval"};
  }
  LoginResult result;
  result.session_token = crypto::RandomToken(random_, kSessionTokenBytes);
  const std::string csrf = crypto::RandomToken(random_, kCsrfTokenBytes);
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_TRY(repo::ClearFailures(session, login_key));
    LINLI_ASSIGN_OR_RETURN(
        auto session_id,
        repo::InsertSession(session, crypto::Sha256Hex(result.session_token), user->id, csrf, now));
    Actor actor;
    actor.user_id = user->id;
    LINLI_TRY(audit_.Append(session, audit::DraftFor(actor, audit::kPlatformChain, "accounts.login",
                                                     "session", std::to_string(session_id))));
    LINLI_ASSIGN_OR_RETURN(result.me, LoadMe(session, user->id, csrf));
    return Ok();
  }));
  return result;
}

Status AccountsService::Logout(const Actor& actor) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.session_id) return Ok();  // API keys have no session to end
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_TRY(repo::DeleteSession(session, *actor.session_id));
    return audit_.Append(session, audit::DraftFor(actor, audit::kPlatformChain, "accounts.logout",
                                                  "session", std::to_string(*actor.session_id)));
  });
}

Result<std::optional<Actor>> AccountsService::Authenticate(
    std::optional<std::string_view> session_token, std::optional<std::string_view> api_key) {
  LINLI_ASSIGN_OR_RETURN(auto identity, Resolve(session_token, api_key));
  if (!identity) return std::optional<Actor>{};
  return std::optional<Actor>{std::move(identity->actor)};
}

Result<std::optional<Identity>> AccountsService::Resolve(
    std::optional<std::string_view> session_token, std::optional<std::string_view> api_key) {
  const std::int64_t now = clock_.NowEpochS();
  if (api_key) {
    if (!api_key->starts_with(kApiKeyMarker)) {
      return Error{Errc::kUnauthenticated, "invalid_api_key", "API key not recognised"};
    }
    auto key = store_.ReadValue([&](storage::Session& session) {
      return repo::FindActiveApiKey(session, crypto::Sha256Hex(*api_key));
    });
    if (!key) return key.error();
    if (!*key) return Error{Errc::kUnauthenticated, "invalid_api_key", "API key not recognised"};
    Identity identity;
    Actor& actor = identity.actor;
    actor.api_key_id = (*key)->id;
    actor.api_key_community_id = (*key)->community_id;
    actor.scopes = (*key)->scopes;
    actor.roles_by_community[(*key)->community_id] = {Role::kOrganisation};
    actor.current_community_id = (*key)->community_id;
    return std::optional<Identity>{std::move(identity)};
  }
  if (!session_token || session_token->empty()) return std::optional<Identity>{};

  std::optional<repo::SessionRow> row;
  std::vector<CommunityRoles> memberships;
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(row, repo::FindSession(session, crypto::Sha256Hex(*session_token)));
    if (row) {
      LINLI_ASSIGN_OR_RETURN(memberships, repo::MembershipsOf(session, row->user_id));
    }
    return Ok();
  }));
  if (!row || row->user_status != "active") return std::optional<Identity>{};
  // A touch still being written counts: the row may predate it.
  const std::int64_t last_seen = toucher_.LastSeen(row->id, row->last_seen_at);
  if (now - last_seen > policy_.idle_s || now - row->created_at > policy_.absolute_s) {
    return std::optional<Identity>{};  // expired: anonymous
  }
  // Refresh last-seen rarely, and off the request path, so reads stay reads.
  if (now - last_seen >= limits::kSessionTouchIntervalS) toucher_.Touch(row->id, now);

  Identity identity;
  Me& me = identity.me.emplace();
  me.id = row->user_id;
  me.login = std::move(row->login);
  me.display_name = std::move(row->display_name);
  me.locale = std::move(row->locale);
  me.elder_mode = row->elder_mode;
  me.current_community_id = row->current_community_id;
  me.communities = memberships;
  me.csrf_token = row->csrf_token;
  SettleCurrentCommunity(me);

  Actor& actor = identity.actor;
  actor.user_id = row->user_id;
  actor.session_id = row->id;
  actor.csrf_token = std::move(row->csrf_token);
  actor.current_community_id = row->current_community_id;
  for (auto& membership : memberships) {
    actor.roles_by_community[membership.id] = std::move(membership.roles);
  }
  return std::optional<Identity>{std::move(identity)};
}

void AccountsService::FlushSessionTouches() {
  toucher_.Flush();
}

Result<Me> AccountsService::LoadMe(storage::Session& session, std::int64_t user_id,
                                   const std::string& csrf) {
  LINLI_ASSIGN_OR_RETURN(auto user, repo::FindUser(session, user_id));
  if (!user) return Unauthenticated();
  Me me;
  me.id = user->id;
  me.login = user->login;
  me.display_name = user->display_name;
  me.locale = user->locale;
  me.elder_mode = user->elder_mode;
  LINLI_ASSIGN_OR_RETURN(me.communities, repo::MembershipsOf(session, user_id));
  me.current_community_id = user->current_community_id;
  SettleCurrentCommunity(me);
  me.csrf_token = csrf;
  return me;
}

Result<Me> AccountsService::GetMe(const Actor& actor) {
  if (actor.user_id == 0) return Unauthenticated();
  return store_.ReadValue(
      [&](storage::Session& session) { return LoadMe(session, actor.user_id, actor.csrf_token); });
}

Result<Me> AccountsService::UpdatePreferences(const Actor& actor, const Preferences& preferences) {
  if (actor.user_id == 0) return Unauthenticated();
  if (preferences.locale && *preferences.locale != "zh-CN" && *preferences.locale != "en") {
    return Error{Errc::kInvalidArgument,
                 "invalid_field",
                 "locale must be zh-CN or en",
                 {{"locale", "unsupported"}}};
  }
  if (preferences.current_community_id && !actor.IsMember(*preferences.current_community_id)) {
    return Error{Errc::kInvalidArgument,
                 "invalid_field",
                 "not a member of that community",
                 {{"current_community_id", "not_member"}}};
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<Me> {
    LINLI_ASSIGN_OR_RETURN(auto user, repo::FindUser(session, actor.user_id));
    if (!user) return Unauthenticated();
    LINLI_TRY(
        repo::UpdatePreferences(session, actor.user_id, preferences.locale.value_or(user->locale),
                                preferences.elder_mode.value_or(user->elder_mode),
                                preferences.current_community_id ? preferences.current_community_id
                                                                 : user->current_community_id));
    LINLI_TRY(audit_.Append(
        session, audit::DraftFor(actor, audit::kPlatformChain, "accounts.preferences.update",
                                 "user", std::to_string(actor.user_id))));
    return LoadMe(session, actor.user_id, actor.csrf_token);
  });
}

Result<RegisterResult> AccountsService::Register(const RegisterCommand& command) {
  std::vector<FieldError> errors;
  if (!IsValidLogin(command.login)) errors.push_back({"login", "invalid_login"});
  if (command.password.size() < limits::kPasswordBytesMin) {
    errors.push_back({"password", "too_short"});
  }
  if (command.password.size() > limits::kPasswordBytesMax) {
    errors.push_back({"password", "too_long"});
  }
  if (command.display_name.empty()) errors.push_back({"display_name", "required"});
  if (!command.invite_code && !command.community_id) {
    errors.push_back({"community_id", "required"});
  }
  if (!errors.empty()) {
    return Error{Errc::kInvalidArgument, "invalid_field", "registration fields are invalid",
                 errors};
  }
  LINLI_ASSIGN_OR_RETURN(auto password_hash, HashPassword(command.password));
  const std::int64_t now = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<RegisterResult> {
    std::int64_t community_id = 0;
    bool invited = false;
    if (command.invite_code) {
      LINLI_ASSIGN_OR_RETURN(auto found, repo::CommunityByInviteHash(
                                             session, crypto::Sha256Hex(*command.invite_code)));
      if (!found) {
        return Error{Errc::kFailedPrecondition, "invalid_invite_code",
                     "the invite code is not valid"};
      }
      community_id = *found;
      invited = true;
    } else {
      LINLI_ASSIGN_OR_RETURN(auto exists, repo::CommunityExists(session, *command.community_id));
      if (!exists) {
        return Error{Errc::kInvalidArgument,
                     "invalid_field",
                     "no such community",
                     {{"community_id", "not_found"}}};
      }
      community_id = *command.community_id;
    }
    LINLI_ASSIGN_OR_RETURN(auto existing, repo::FindUserByLogin(session, LoginKey(command.login)));
    if (existing) return Error{Errc::kConflict, "login_taken", "that login is taken"};
    repo::UserRow user;
    user.login = LoginKey(command.login);
    user.display_name = command.display_name;
    user.password_hash = password_hash;
    user.status = invited ? "active" : "pending";
    user.locale = "zh-CN";
    user.current_community_id = community_id;
    LINLI_ASSIGN_OR_RETURN(auto user_id, repo::InsertUser(session, user, now));
    LINLI_TRY(repo::InsertRegistration(session, community_id, user_id,
                                       invited ? "approved" : "pending", now));
    if (invited) LINLI_TRY(repo::GrantRole(session, community_id, user_id, Role::kResident, now));
    Actor actor;
    actor.user_id = user_id;
    auto draft =
        audit::DraftFor(actor, community_id, "accounts.register", "user", std::to_string(user_id));
    draft.details = fmt::format(R"({{"status":"{}"}})", user.status);
    LINLI_TRY(audit_.Append(session, draft));
    return RegisterResult{user_id, user.status};
  });
}

Result<Page<Registration>> AccountsService::PendingRegistrations(const Actor& actor,
                                                                 std::int64_t community_id,
                                                                 const PageRequest& page) {
  LINLI_TRY(
      RequireRole(actor, community_id, {Role::kPropertyStaff, Role::kCommittee, Role::kAdmin}));
  return store_.ReadValue([&](storage::Session& session) {
    return repo::PendingRegistrations(session, community_id, page);
  });
}

Status AccountsService::DecideRegistration(const Actor& actor, std::int64_t community_id,
                                           std::int64_t user_id, bool approve) {
  LINLI_TRY(
      RequireRole(actor, community_id, {Role::kPropertyStaff, Role::kCommittee, Role::kAdmin}));
  const std::int64_t now = clock_.NowEpochS();
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto decided, repo::DecideRegistration(session, community_id, user_id,
                                                                  approve ? "approved" : "rejected",
                                                                  actor.user_id, now));
    if (!decided) return NotFound();
    LINLI_TRY(repo::SetUserStatus(session, user_id, approve ? "active" : "rejected"));
    if (approve) LINLI_TRY(repo::GrantRole(session, community_id, user_id, Role::kResident, now));
    return audit_.Append(session, audit::DraftFor(actor, community_id,
                                                  approve ? "accounts.registration.approve"
                                                          : "accounts.registration.reject",
                                                  "user", std::to_string(user_id)));
  });
}

Result<NewApiKey> AccountsService::CreateApiKey(const Actor& actor, std::int64_t community_id,
                                                const std::string& name,
                                                const std::vector<std::string>& scopes) {
  LINLI_TRY(RequireRole(actor, community_id, {Role::kAdmin}));
  for (const auto& scope : scopes) {
    if (std::find(KnownScopes().begin(), KnownScopes().end(), scope) == KnownScopes().end()) {
      return Error{Errc::kInvalidArgument,
                   "unknown_scope",
                   "unknown scope: " + scope,
                   {{"scopes", "unknown_scope"}}};
    }
  }
  NewApiKey created;
  created.key.community_id = community_id;
  created.key.name = name;
  created.key.scopes = scopes;
  created.key.created_at = clock_.NowEpochS();
  created.key.prefix = crypto::RandomToken(random_, 6).substr(0, 8);
  created.secret = std::string(kApiKeyMarker) + created.key.prefix + "_" +
                   crypto::RandomToken(random_, kApiKeySecretBytes);
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(
        created.key.id,
        repo::InsertApiKey(session, created.key, crypto::Sha256Hex(created.secret), actor.user_id));
    return audit_.Append(session, audit::DraftFor(actor, community_id, "accounts.api_key.create",
                                                  "api_key", std::to_string(created.key.id)));
  }));
  return created;
}

Result<std::vector<ApiKey>> AccountsService::ListApiKeys(const Actor& actor,
                                                         std::int64_t community_id) {
  LINLI_TRY(RequireRole(actor, community_id, {Role::kAdmin}));
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::ApiKeysOf(session, community_id); });
}

Status AccountsService::RevokeApiKey(const Actor& actor, std::int64_t community_id,
                                     std::int64_t key_id) {
  LINLI_TRY(RequireRole(actor, community_id, {Role::kAdmin}));
  const std::int64_t now = clock_.NowEpochS();
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto revoked, repo::RevokeApiKey(session, community_id, key_id, now));
    if (!revoked) return NotFound();
    return audit_.Append(session, audit::DraftFor(actor, community_id, "accounts.api_key.revoke",
                                                  "api_key", std::to_string(key_id)));
  });
}

Result<Community> AccountsService::GetCommunity(const Actor& actor, std::int64_t community_id) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.system && !actor.IsMember(community_id)) return NotFound();
  LINLI_ASSIGN_OR_RETURN(auto community, store_.ReadValue([&](storage::Session& session) {
    return repo::FindCommunity(session, community_id);
  }));
  if (!community) return NotFound();
  return std::move(*community);
}

Result<std::int64_t> AccountsService::AuditIfCreated(storage::Session& session, const Actor& actor,
                                                     std::int64_t community_id, std::string action,
                                                     std::string object_type,
                                                     const repo::Ensured& ensured) const {
  if (ensured.created) {
    LINLI_TRY(audit_.Append(
        session, audit::DraftFor(actor, community_id, std::move(action), std::move(object_type),
                                 std::to_string(ensured.id))));
  }
  return ensured.id;
}

Result<std::int64_t> AccountsService::EnsureCommunity(const Actor& actor,
                                                      const CommunitySetup& setup) {
  LINLI_TRY(RequireSystem(actor));
  const std::int64_t now = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto city, repo::EnsureCity(session, setup.city));
    LINLI_ASSIGN_OR_RETURN(auto street, repo::EnsureStreet(session, city.id, setup.street));
    std::optional<std::string> invite_hash;
    if (setup.invite_code) invite_hash = crypto::Sha256Hex(*setup.invite_code);
    LINLI_ASSIGN_OR_RETURN(
        auto community, repo::EnsureCommunity(session, street.id, setup.community, setup.timezone,
                                              invite_hash, now));
    return AuditIfCreated(session, actor, community.id, "accounts.community.create", "community",
                          community);
  });
}

Result<std::int64_t> AccountsService::EnsureGrid(const Actor& actor, std::int64_t community_id,
                                                 const std::string& name) {
  LINLI_TRY(RequireSystem(actor));
  return store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto grid, repo::EnsureGrid(session, community_id, name));
    return AuditIfCreated(session, actor, community_id, "accounts.grid.create", "grid", grid);
  });
}

Result<std::int64_t> AccountsService::EnsureBuilding(const Actor& actor, std::int64_t community_id,
                                                     std::int64_t grid_id,
                                                     const std::string& name) {
  LINLI_TRY(RequireSystem(actor));
  return store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto building,
                           repo::EnsureBuilding(session, community_id, grid_id, name));
    return AuditIfCreated(session, actor, community_id, "accounts.building.create", "building",
                          building);
  });
}

Result<std::int64_t> AccountsService::EnsureHousehold(const Actor& actor, std::int64_t community_id,
                                                      std::int64_t building_id,
                                                      const std::string& unit_label) {
  LINLI_TRY(RequireSystem(actor));
  return store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto household,
                           repo::EnsureHousehold(session, community_id, building_id, unit_label));
    return AuditIfCreated(session, actor, community_id, "accounts.household.create", "household",
                          household);
  });
}

Result<std::int64_t> AccountsService::EnsureUser(const Actor& actor, const UserSetup& setup) {
  LINLI_TRY(RequireSystem(actor));
  if (!IsValidLogin(setup.login) || setup.password.size() < limits::kPasswordBytesMin) {
    return Error{Errc::kInvalidArgument, "invalid_field", "login or password not acceptable"};
  }
  std::optional<repo::UserRow> existing;
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(existing, repo::FindUserByLogin(session, LoginKey(setup.login)));
    return Ok();
  }));
  std::string password_hash;
  if (!existing) {
    LINLI_ASSIGN_OR_RETURN(password_hash, HashPassword(setup.password));
  }
  const std::int64_t now = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto user, repo::FindUserByLogin(session, LoginKey(setup.login)));
    std::int64_t user_id = 0;
    if (user) {
      user_id = user->id;
    } else {
      repo::UserRow row;
      row.login = LoginKey(setup.login);
      row.display_name = setup.display_name;
      row.password_hash = password_hash;
      row.status = "active";
      row.locale = "zh-CN";
      row.current_community_id = setup.community_id;
      LINLI_ASSIGN_OR_RETURN(user_id, repo::InsertUser(session, row, now));
      LINLI_TRY(
          audit_.Append(session, audit::DraftFor(actor, setup.community_id, "accounts.user.create",
                                                 "user", std::to_string(user_id))));
    }
    for (Role role : setup.roles) {
      LINLI_TRY(repo::GrantRole(session, setup.community_id, user_id, role, now));
    }
    if (setup.household_id)
      LINLI_TRY(repo::SetUserHousehold(session, user_id, *setup.household_id));
    return user_id;
  });
}

}  // namespace linli::accounts
