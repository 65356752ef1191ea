#include "accounts/routes.hpp"

#include <fmt/format.h>

#include "http/json.hpp"

namespace linli::accounts {
namespace {

namespace json = boost::json;
using http::Need;

// Over TLS the cookie gets the __Host- prefix (Secure, Path=/, no Domain); on plain HTTP
// (local demo) browsers would drop a Secure cookie, so it goes without the prefix.
constexpr std::string_view kSecureCookie = "__Host-linli_session";
constexpr std::string_view kPlainCookie = "linli_session";

std::string SessionCookie(const http::Request& request, std::string_view token,
                          std::int64_t max_age_s) {
  const bool secure = request.secure;
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
                     secure ? kSecureCookie : kPlainCookie, token, max_age_s,
                     secure ? "; Secure" : "");
}

json::value OptionalId(const std::optional<std::int64_t>& id) {
  return id ? json::value(*id) : json::value(nullptr);
}

// The signed-in user as the UI sees them. GET /me is the hottest read, so the document is
// written straight to text rather than built as a value tree.
std::string MeText(const Me& me) {
  std::string out;
  out.reserve(256 + me.communities.size() * 96);
  http::JsonWriter writer(out);
  writer.BeginObject()
      .Key("id")
      .Int(me.id)
      .Key("login")
      .String(me.login)
      .Key("display_name")
      .String(me.display_name)
      .Key("locale")
      .String(me.locale)
      .Key("elder_mode")
      .Bool(me.elder_mode)
      .Key("current_community_id")
      .OptionalInt(me.current_community_id)
      .Key("communities")
      .BeginArray();
  for (const auto& community : me.communities) {
    writer.BeginObject()
        .Key("id")
        .Int(community.id)
        .Key("name")
        .String(community.name)
        .Key("roles")
        .BeginArray();
    for (Role role : community.roles) writer.String(RoleName(role));
    writer.EndArray().EndObject();
  }
  writer.EndArray().Key("csrf_token").String(me.csrf_token).EndObject();
  return out;
}

// For responses that embed the user (login, preferences): the same document, one definition.
json::object MeJson(const Me& me) {
  return json::parse(MeText(me)).as_object();
}

json::object ApiKeyJson(const ApiKey& key) {
  json::array scopes;
  for (const auto& scope : key.scopes) scopes.emplace_back(scope);
  return json::object{{"id", key.id},
                      {"name", key.name},
                      {"scopes", scopes},
                      {"prefix", key.prefix},
                      {"created_at", key.created_at},
                      {"revoked_at", OptionalId(key.revoked_at)}};
}

json::array RefsJson(const std::vector<NamedRef>& refs, std::string_view parent_key) {
  json::array out;
  for (const auto& ref : refs) {
    json::object item{{"id", ref.id}, {"name", ref.name}};
    if (!parent_key.empty()) item[parent_key] = OptionalId(ref.parent_id);
    out.push_back(std::move(item));
  }
  return out;
}

http::Response Login(http::Request& request, AccountsService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto login = fields.String("login", Need::kRequired, limits::kLoginBytesMax * 4);
  // Passwords are taken as sent (no trimming): read raw.
  const auto* password = body->if_contains("password");
  (void)fields.String("password", Need::kRequired, limits::kPasswordBytesMax * 4);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  auto result = service.Login(*login, password->as_string());
  if (!result) return http::Problem(request, result.error());
  auto response = http::Json(
      200, json::object{{"user", MeJson(result->me)}, {"csrf_token", result->me.csrf_token}});
  response.With("Set-Cookie", SessionCookie(request, result->session_token, 30 * 24 * 3600));
  response.With("Cache-Control", "no-store");
  return response;
}

http::Response Logout(http::Request& request, AccountsService& service) {
  if (auto status = service.Logout(http::ActorOf(request)); !status) {
    return http::Problem(request, status.error());
  }
  auto response = http::NoContent();
  response.With("Set-Cookie", SessionCookie(request, "", 0));
  return response;
}

http::Response Register(http::Request& request, AccountsService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  RegisterCommand command;
  auto login = fields.String("login", Need::kRequired, limits::kLoginBytesMax, 3);
  // Passwords are taken exactly as typed (no trimming), as at login.
  (void)fields.String("password", Need::kRequired, limits::kPasswordBytesMax * 4);
  const auto* password = body->if_contains("password");
  auto display_name =
      fields.String("display_name", Need::kRequired, limits::kDisplayNameBytesMax, 1);
  command.invite_code = fields.String("invite_code", Need::kOptional, 64, 1);
  command.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  command.login = *login;
  command.password = std::string(password->as_string());
  command.display_name = *display_name;
  auto result = service.Register(command);
  if (!result) return http::Problem(request, result.error());
  return http::Json(201, json::object{{"id", result->user_id}, {"status", result->status}});
}

http::Response GetMe(http::Request& request, AccountsService& service) {
  // The authenticator read the profile with the session (same snapshot): no second read.
  if (const Me* resolved = std::any_cast<Me>(&request.auth_context)) {
    return http::JsonText(200, MeText(*resolved)).With("Cache-Control", "no-store");
  }
  auto me = service.GetMe(http::ActorOf(request));
  if (!me) return http::Problem(request, me.error());
  return http::JsonText(200, MeText(*me)).With("Cache-Control", "no-store");
}

http::Response UpdatePreferences(http::Request& request, AccountsService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  Preferences preferences;
  preferences.locale = fields.String("locale", Need::kOptional, 8);
  preferences.elder_mode = fields.Bool("elder_mode", Need::kOptional);
  preferences.current_community_id =
      fields.Int("current_community_id", Need::kOptional, 1, INT64_MAX);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  auto me = service.UpdatePreferences(http::ActorOf(request), preferences);
  if (!me) return http::Problem(request, me.error());
  return http::Json(200, MeJson(*me));
}

http::Response GetCommunity(http::Request& request, AccountsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto community = service.GetCommunity(http::ActorOf(request), *id);
  if (!community) return http::Problem(request, community.error());
  return http::Json(200, json::object{{"id", community->id},
                                      {"name", community->name},
                                      {"street", community->street},
                                      {"city", community->city},
                                      {"timezone", community->timezone},
                                      {"grids", RefsJson(community->grids, "")},
                                      {"buildings", RefsJson(community->buildings, "grid_id")}});
}

http::Response ListRegistrations(http::Request& request, AccountsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  if (auto status = request.Query("status"); status && *status != "pending") {
    return http::Problem(request, {Errc::kInvalidArgument,
                                   "invalid_field",
                                   "only status=pending is listed",
                                   {{"status", "unsupported"}}});
  }
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto registrations = service.PendingRegistrations(http::ActorOf(request), *id, *page);
  if (!registrations) return http::Problem(request, registrations.error());
  json::array items;
  for (const auto& registration : registrations->items) {
    items.push_back(json::object{{"user_id", registration.user_id},
                                 {"login", registration.login},
                                 {"display_name", registration.display_name},
                                 {"created_at", registration.created_at}});
  }
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"next_cursor", http::CursorJson(registrations->next)}});
}

http::Response DecideRegistration(http::Request& request, AccountsService& service, bool approve) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto user_id = http::PathId(request, "user_id");
  if (!user_id) return http::Problem(request, user_id.error());
  auto status = service.DecideRegistration(http::ActorOf(request), *id, *user_id, approve);
  if (!status) return http::Problem(request, status.error());
  return http::NoContent();
}

http::Response ListApiKeys(http::Request& request, AccountsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto keys = service.ListApiKeys(http::ActorOf(request), *id);
  if (!keys) return http::Problem(request, keys.error());
  json::array items;
  for (const auto& key : *keys) items.push_back(ApiKeyJson(key));
  return http::Json(200, json::object{{"items", std::move(items)}});
}

http::Response CreateApiKey(http::Request& request, AccountsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto name = fields.String("name", Need::kRequired, 100, 1);
  auto scopes = fields.Strings("scopes", Need::kRequired, 16, 64);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  auto created = service.CreateApiKey(http::ActorOf(request), *id, *name, *scopes);
  if (!created) return http::Problem(request, created.error());
  auto out = ApiKeyJson(created->key);
  out["secret"] = created->secret;
  return http::Json(201, out).With("Cache-Control", "no-store");
}

http::Response RevokeApiKey(http::Request& request, AccountsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto key_id = http::PathId(request, "key_id");
  if (!key_id) return http::Problem(request, key_id.error());
  if (auto status = service.RevokeApiKey(http::ActorOf(request), *id, *key_id); !status) {
    return http::Problem(request, status.error());
  }
  return http::NoContent();
}

}  // namespace

void RegisterRoutes(http::Router& router, AccountsService& service) {
  using http::Verb;
  const auto bind = [&service](http::Response (*fn)(http::Request&, AccountsService&)) {
    return [&service, fn](http::Request& request) { return fn(request, service); };
  };
  const http::RouteOptions no_csrf{.csrf_exempt = true};
  router.Add(Verb::kPost, "/api/v1/auth/login", bind(Login), no_csrf);
  router.Add(Verb::kPost, "/api/v1/auth/register", bind(Register), no_csrf);
  router.Add(Verb::kPost, "/api/v1/auth/logout", bind(Logout));
  // Resolving the session and answering /me are one read (the session touch is written in
  // the background), so the I/O thread answers it without a worker hand-off.
  router.Add(Verb::kGet, "/api/v1/me", bind(GetMe), {.run_inline = true});
  router.Add(Verb::kPatch, "/api/v1/me/preferences", bind(UpdatePreferences));
  router.Add(Verb::kGet, "/api/v1/communities/{id}", bind(GetCommunity));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/registrations", bind(ListRegistrations));
  router.Add(
      Verb::kPost, "/api/v1/communities/{id}/registrations/{user_id}/approve",
      [&service](http::Request& request) { return DecideRegistration(request, service, true); });
  router.Add(
      Verb::kPost, "/api/v1/communities/{id}/registrations/{user_id}/reject",
      [&service](http::Request& request) { return DecideRegistration(request, service, false); });
  router.Add(Verb::kGet, "/api/v1/communities/{id}/api-keys", bind(ListApiKeys));
  router.Add(Verb::kPost, "/api/v1/communities/{id}/api-keys", bind(CreateApiKey));
  router.Add(Verb::kDelete, "/api/v1/communities/{id}/api-keys/{key_id}", bind(RevokeApiKey));
}

http::Authenticator MakeAuthenticator(AccountsService& service) {
  return [&service](http::Request& request) -> Result<std::optional<Actor>> {
    std::optional<std::string_view> api_key;
    if (auto authorization = request.Header("authorization")) {
      if (!authorization->starts_with("Bearer ")) {
        return Error{Errc::kUnauthenticated, "invalid_api_key", "use Authorization: Bearer <key>"};
      }
      api_key = authorization->substr(7);
    }
    auto token = request.Cookie(kSecureCookie);
    if (!token) token = request.Cookie(kPlainCookie);
    LINLI_ASSIGN_OR_RETURN(auto identity, service.Resolve(token, api_key));
    if (!identity) return std::optional<Actor>{};
    if (identity->me) request.auth_context = std::move(*identity->me);
    return std::optional<Actor>{std::move(identity->actor)};
  };
}

}  // namespace linli::accounts
