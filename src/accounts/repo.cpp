#include "accounts/repo.hpp"

#include <sstream>

namespace linli::accounts::repo {
namespace {

constexpr std::string_view kUserColumns =
    "id, login, display_name, password_hash, status, locale, elder_mode, current_community_id";

UserRow UserFromRow(const storage::Row& row) {
  return UserRow{row.Int(0),  row.Text(1), row.Text(2),     row.Text(3),
                 row.Text(4), row.Text(5), row.Int(6) != 0, row.OptInt(7)};
}

std::vector<std::string> SplitScopes(const std::string& joined) {
  std::vector<std::string> scopes;
  std::stringstream stream(joined);
  std::string scope;
  while (std::getline(stream, scope, ' ')) {
    if (!scope.empty()) scopes.push_back(scope);
  }
  return scopes;
}

ApiKey ApiKeyFromRow(const storage::Row& row) {
  return ApiKey{row.Int(0), row.Int(1),   row.Text(2), row.Text(3), SplitScopes(row.Text(4)),
                row.Int(5), row.OptInt(6)};
}

// Looks up by natural key, inserting when absent. The insert's ON CONFLICT makes a race
// between two set-up runs harmless.
Result<Ensured> Ensure(Session& s, std::string_view select_sql, std::string_view insert_sql,
                       const std::vector<storage::Value>& params) {
  LINLI_ASSIGN_OR_RETURN(auto found, s.Query(select_sql, params));
  if (!found.empty()) return Ensured{found[0].Int(0), false};
  LINLI_ASSIGN_OR_RETURN(auto inserted, s.Query(insert_sql, params));
  LINLI_ASSIGN_OR_RETURN(auto now_found, s.Query(select_sql, params));
  if (now_found.empty()) return Error{Errc::kInternal, "database_error", "insert vanished"};
  return Ensured{now_found[0].Int(0), inserted.affected == 1};
}

}  // namespace

Result<std::optional<UserRow>> FindUserByLogin(Session& s, const std::string& login) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne(std::string("SELECT ") + std::string(kUserColumns) +
                                                  " FROM users WHERE login = $1",
                                              {login}));
  if (!row) return std::optional<UserRow>{};
  return std::optional<UserRow>{UserFromRow(*row)};
}

Result<std::optional<UserRow>> FindUser(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne(std::string("SELECT ") + std::string(kUserColumns) +
                                                  " FROM users WHERE id = $1",
                                              {id}));
  if (!row) return std::optional<UserRow>{};
  return std::optional<UserRow>{UserFromRow(*row)};
}

Result<std::int64_t> InsertUser(Session& s, const UserRow& user, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("INSERT INTO users (login, display_name, password_hash, status, locale, "
                           "elder_mode, current_community_id, created_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                           {user.login, user.display_name, user.password_hash, user.status,
                            user.locale, std::int64_t{user.elder_mode ? 1 : 0},
                            storage::Nullable(user.current_community_id), now_s}));
  return row->Int(0);
}

Status UpdatePreferences(Session& s, std::int64_t user_id, const std::string& locale,
                         bool elder_mode, std::optional<std::int64_t> current_community_id) {
  LINLI_TRY(s.Execute(
      "UPDATE users SET locale = $2, elder_mode = $3, current_community_id = $4 WHERE id = $1",
      {user_id, locale, std::int64_t{elder_mode ? 1 : 0},
       storage::Nullable(current_community_id)}));
  return Ok();
}

Status SetUserStatus(Session& s, std::int64_t user_id, const std::string& status) {
  LINLI_TRY(s.Execute("UPDATE users SET status = $2 WHERE id = $1", {user_id, status}));
  return Ok();
}

Status SetPasswordHash(Session& s, std::int64_t user_id, const std::string& hash) {
  LINLI_TRY(s.Execute("UPDATE users SET password_hash = $2 WHERE id = $1", {user_id, hash}));
  return Ok();
}

Result<std::vector<CommunityRoles>> MembershipsOf(Session& s, std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT m.community_id, c.name, m.role FROM memberships m "
                                 "JOIN communities c ON c.id = m.community_id WHERE m.user_id = $1 "
                                 "ORDER BY m.community_id, m.role",
                                 {user_id}));
  std::vector<CommunityRoles> out;
  for (const auto& row : rows) {
    if (out.empty() || out.back().id != row.Int(0)) {
      out.push_back(CommunityRoles{row.Int(0), row.Text(1), {}});
    }
    if (auto role = ParseRole(row.Text(2))) out.back().roles.push_back(*role);
  }
  return out;
}

Status GrantRole(Session& s, std::int64_t community_id, std::int64_t user_id, Role role,
                 std::int64_t now_s) {
  LINLI_TRY(s.Execute(
      "INSERT INTO memberships (community_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (community_id, user_id, role) DO NOTHING",
      {community_id, user_id, std::string(RoleName(role)), now_s}));
  return Ok();
}

Result<std::int64_t> RecentFailures(Session& s, const std::string& login_key,
                                    std::int64_t window_start_after) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT failures FROM login_throttle WHERE login_key = $1 "
                                    "AND window_start > $2",
                                    {login_key, window_start_after}));
  return row ? row->Int(0) : 0;
}

Status RecordFailure(Session& s, const std::string& login_key, std::int64_t now_s,
                     std::int64_t window_s) {
  // A failure after the window has passed starts a new window.
  LINLI_TRY(
      s.Execute("INSERT INTO login_throttle (login_key, window_start, failures) VALUES ($1, $2, 1) "
                "ON CONFLICT (login_key) DO UPDATE SET "
                "failures = CASE WHEN login_throttle.window_start > $2 - $3 "
                "THEN login_throttle.failures + 1 ELSE 1 END, "
                "window_start = CASE WHEN login_throttle.window_start > $2 - $3 "
                "THEN login_throttle.window_start ELSE $2 END",
                {login_key, now_s, window_s}));
  return Ok();
}

Status ClearFailures(Session& s, const std::string& login_key) {
  LINLI_TRY(s.Execute("DELETE FROM login_throttle WHERE login_key = $1", {login_key}));
  return Ok();
}

Result<std::int64_t> InsertSession(Session& s, const std::string& token_hash, std::int64_t user_id,
                                   const std::string& csrf_token, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, "
                           "last_seen_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
                           {token_hash, user_id, csrf_token, now_s}));
  return row->Int(0);
}

Result<std::optional<SessionRow>> FindSession(Session& s, const std::string& token_hash) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at, "
                           "u.status, u.current_community_id, u.login, u.display_name, u.locale, "
                           "u.elder_mode FROM sessions s "
                           "JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
                           {token_hash}));
  if (!row) return std::optional<SessionRow>{};
  return std::optional<SessionRow>{
      SessionRow{row->Int(0), row->Int(1), row->Text(2), row->Int(3), row->Int(4), row->Text(5),
                 row->OptInt(6), row->Text(7), row->Text(8), row->Text(9), row->Int(10) != 0}};
}

Status TouchSession(Session& s, std::int64_t session_id, std::int64_t now_s) {
  LINLI_TRY(s.Execute("UPDATE sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2",
                      {session_id, now_s}));
  return Ok();
}

Status DeleteSession(Session& s, std::int64_t session_id) {
  LINLI_TRY(s.Execute("DELETE FROM sessions WHERE id = $1", {session_id}));
  return Ok();
}

Result<std::optional<std::int64_t>> CommunityByInviteHash(Session& s,
                                                          const std::string& invite_hash) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("SELECT id FROM communities WHERE invite_code_hash = $1", {invite_hash}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<bool> CommunityExists(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT 1 FROM communities WHERE id = $1", {community_id}));
  return row.has_value();
}

Status InsertRegistration(Session& s, std::int64_t community_id, std::int64_t user_id,
                          const std::string& status, std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("INSERT INTO registrations (community_id, user_id, status, created_at) "
                "VALUES ($1, $2, $3, $4)",
                {community_id, user_id, status, now_s}));
  return Ok();
}

Result<Page<Registration>> PendingRegistrations(Session& s, std::int64_t community_id,
                                                const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT u.id, u.login, u.display_name, r.created_at FROM registrations r "
              "JOIN users u ON u.id = r.user_id WHERE r.community_id = $1 AND r.status = 'pending' "
              "AND r.user_id > $2 ORDER BY r.user_id LIMIT $3",
              {community_id, page.after.value_or(0), std::int64_t{page.limit + 1}}));
  return storage::PageFromRows(
      rows, page.limit,
      [](const storage::Row& row) {
        return Registration{row.Int(0), row.Text(1), row.Text(2), row.Int(3)};
      },
      [](const Registration& item) { return item.user_id; });
}

Result<bool> DecideRegistration(Session& s, std::int64_t community_id, std::int64_t user_id,
                                const std::string& status, std::int64_t decided_by,
                                std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed,
      s.Execute("UPDATE registrations SET status = $3, decided_by = $4, decided_at = $5 "
                "WHERE community_id = $1 AND user_id = $2 AND status = 'pending'",
                {community_id, user_id, status, decided_by, now_s}));
  return changed == 1;
}

Result<std::int64_t> InsertApiKey(Session& s, const ApiKey& key, const std::string& secret_hash,
                                  std::int64_t created_by) {
  std::string scopes;
  for (const auto& scope : key.scopes) scopes += (scopes.empty() ? "" : " ") + scope;
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO api_keys (community_id, name, prefix, secret_hash, scopes, "
                 "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                 {key.community_id, key.name, key.prefix, secret_hash, scopes, created_by,
                  key.created_at}));
  return row->Int(0);
}

constexpr std::string_view kApiKeyColumns =
    "id, community_id, name, prefix, scopes, created_at, revoked_at";

Result<std::vector<ApiKey>> ApiKeysOf(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string("SELECT ") + std::string(kApiKeyColumns) +
                                                " FROM api_keys WHERE community_id = $1 "
                                                "ORDER BY id DESC",
                                            {community_id}));
  std::vector<ApiKey> out;
  for (const auto& row : rows) out.push_back(ApiKeyFromRow(row));
  return out;
}

Result<std::optional<ApiKey>> FindActiveApiKey(Session& s, const std::string& secret_hash) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne(std::string("SELECT ") + std::string(kApiKeyColumns) +
                                                  " FROM api_keys WHERE secret_hash = $1 "
                                                  "AND revoked_at IS NULL",
                                              {secret_hash}));
  if (!row) return std::optional<ApiKey>{};
  return std::optional<ApiKey>{ApiKeyFromRow(*row)};
}

Result<bool> RevokeApiKey(Session& s, std::int64_t community_id, std::int64_t key_id,
                          std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(auto changed,
                         s.Execute("UPDATE api_keys SET revoked_at = $3 WHERE community_id = $1 "
                                   "AND id = $2 AND revoked_at IS NULL",
                                   {community_id, key_id, now_s}));
  return changed == 1;
}

Result<std::optional<Community>> FindCommunity(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT c.id, c.name, st.name, ci.name, c.timezone, st.id, ci.id "
                           "FROM communities c JOIN streets st ON st.id = c.street_id "
                           "JOIN cities ci ON ci.id = st.city_id WHERE c.id = $1",
                           {community_id}));
  if (!row) return std::optional<Community>{};
  Community community{row->Int(0), row->Text(1), row->Text(2), row->Text(3), row->Text(4),
                      {},          {},           row->Int(5),  row->Int(6)};
  LINLI_ASSIGN_OR_RETURN(
      auto grids,
      s.Query("SELECT id, name FROM grids WHERE community_id = $1 ORDER BY id", {community_id}));
  for (const auto& grid : grids) community.grids.push_back({grid.Int(0), grid.Text(1), {}});
  LINLI_ASSIGN_OR_RETURN(auto buildings,
                         s.Query("SELECT id, name, grid_id FROM buildings WHERE community_id = $1 "
                                 "ORDER BY id",
                                 {community_id}));
  for (const auto& building : buildings) {
    community.buildings.push_back({building.Int(0), building.Text(1), building.OptInt(2)});
  }
  return std::optional<Community>{std::move(community)};
}

Result<Ensured> EnsureCity(Session& s, const std::string& name) {
  return Ensure(s, "SELECT id FROM cities WHERE name = $1",
                "INSERT INTO cities (name) VALUES ($1) ON CONFLICT DO NOTHING", {name});
}

Result<Ensured> EnsureStreet(Session& s, std::int64_t city_id, const std::string& name) {
  return Ensure(s, "SELECT id FROM streets WHERE city_id = $1 AND name = $2",
                "INSERT INTO streets (city_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                {city_id, name});
}

Result<Ensured> EnsureCommunity(Session& s, std::int64_t street_id, const std::string& name,
                                const std::string& timezone,
                                const std::optional<std::string>& invite_hash, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(auto ensured,
                         Ensure(s, "SELECT id FROM communities WHERE street_id = $1 AND name = $2",
                                "INSERT INTO communities (street_id, name, timezone, created_at) "
                                "VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                                {street_id, name, timezone, now_s}));
  if (invite_hash) {
    LINLI_TRY(s.Execute("UPDATE communities SET invite_code_hash = $2 WHERE id = $1",
                        {ensured.id, *invite_hash}));
  }
  return ensured;
}

Result<Ensured> EnsureGrid(Session& s, std::int64_t community_id, const std::string& name) {
  return Ensure(s, "SELECT id FROM grids WHERE community_id = $1 AND name = $2",
                "INSERT INTO grids (community_id, name) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                {community_id, name});
}

Result<Ensured> EnsureBuilding(Session& s, std::int64_t community_id, std::int64_t grid_id,
                               const std::string& name) {
  return Ensure(s, "SELECT id FROM buildings WHERE community_id = $1 AND name = $3",
                "INSERT INTO buildings (community_id, grid_id, name) VALUES ($1, $2, $3) "
                "ON CONFLICT DO NOTHING",
                {community_id, grid_id, name});
}

Result<Ensured> EnsureHousehold(Session& s, std::int64_t community_id, std::int64_t building_id,
                                const std::string& unit_label) {
  return Ensure(
      s,
      "SELECT id FROM households WHERE community_id = $1 AND building_id = $2 "
      "AND unit_label = $3",
      "INSERT INTO households (community_id, building_id, unit_label) VALUES ($1, $2, $3) "
      "ON CONFLICT DO NOTHING",
      {community_id, building_id, unit_label});
}

Status SetUserHousehold(Session& s, std::int64_t user_id, std::int64_t household_id) {
  LINLI_TRY(s.Execute("UPDATE users SET household_id = $2 WHERE id = $1", {user_id, household_id}));
  return Ok();
}

}  // namespace linli::accounts::repo
