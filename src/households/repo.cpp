#include "households/repo.hpp"

#include <boost/json.hpp>

namespace linli::households::repo {
namespace {

namespace json = boost::json;

constexpr std::string_view kHouseholdSelect =
    "SELECT h.id, h.community_id, b.grid_id, g.name, h.building_id, b.name, h.unit_label, "
    "r.guide_user_id, r.willingness, r.needs, r.notes, r.version, r.updated_at, "
    "(SELECT COUNT(*) FROM household_members m WHERE m.household_id = h.id "
    "AND m.erased_at IS NULL) "
    "FROM households h JOIN buildings b ON b.id = h.building_id "
    "LEFT JOIN grids g ON g.id = b.grid_id "
    "LEFT JOIN household_records r ON r.household_id = h.id ";

Household HouseholdFromRow(const storage::Row& row) {
  Household out;
  out.id = row.Int(0);
  out.community_id = row.Int(1);
  if (!row.IsNull(2)) out.grid = Ref{row.Int(2), row.OptText(3).value_or("")};
  out.building = Ref{row.Int(4), row.Text(5)};
  out.unit_label = row.Text(6);
  out.guide_user_id = row.OptInt(7);
  if (!row.IsNull(8)) {
    out.willingness = ParseWillingness(row.Text(8)).value_or(Willingness::kUnknown);
    out.needs = TagsFromJson(row.Text(9));
    out.notes = row.Text(10);
    out.version = row.Int(11);
    out.updated_at = row.Int(12);
  }
  out.member_count = row.Int(13);
  return out;
}

constexpr std::string_view kMemberColumns =
    "id, household_id, community_id, user_id, sealed_profile, name, relation, birth_date, "
    "skills, needs, willingness, version, created_at, updated_at";

MemberRow MemberFromRow(const storage::Row& row) {
  MemberRow out;
  out.id = row.Int(0);
  out.household_id = row.Int(1);
  out.community_id = row.Int(2);
  out.user_id = row.OptInt(3);
  out.sealed_profile = row.Int(4) != 0;
  out.profile.name = row.Text(5);
  out.profile.relation = row.Text(6);
  out.profile.birth_date = row.OptText(7);
  out.profile.skills = TagsFromJson(row.Text(8));
  out.profile.needs = TagsFromJson(row.Text(9));
  out.profile.willingness = ParseWillingness(row.Text(10)).value_or(Willingness::kUnknown);
  out.version = row.Int(11);
  out.created_at = row.Int(12);
  out.updated_at = row.Int(13);
  return out;
}

Consent ConsentFromRow(const storage::Row& row) {
  Consent out;
  out.id = row.Int(0);
  out.member_id = row.Int(1);
  out.kind = ParseConsentKind(row.Text(2)).value_or(ConsentKind::kHealth);
  out.granted = row.Int(3) != 0;
  out.method = ParseConsentMethod(row.Text(4)).value_or(ConsentMethod::kInPerson);
  out.guardian_member_id = row.OptInt(5);
  out.recorded_by = row.Int(6);
  out.recorded_at = row.Int(7);
  return out;
}

constexpr std::string_view kHistoryColumns =
    "id, household_id, member_id, occurred_on, kind, note, recorded_by, created_at, "
    "community_id, sealed_note";

HistoryRow HistoryFromRow(const storage::Row& row) {
  HistoryRow out;
  out.entry.id = row.Int(0);
  out.entry.household_id = row.Int(1);
  out.entry.member_id = row.OptInt(2);
  out.entry.occurred_on = row.Text(3);
  out.entry.kind = ParseHistoryKind(row.Text(4)).value_or(HistoryKind::kParticipation);
  out.entry.note = row.Text(5);
  out.entry.recorded_by = row.Int(6);
  out.entry.created_at = row.Int(7);
  out.community_id = row.Int(8);
  out.sealed_note = row.Int(9) != 0;
  return out;
}

std::string Columns(std::string_view columns) {
  return std::string(columns);
}

}  // namespace

std::string TagsToJson(const std::vector<std::string>& tags) {
  json::array array;
  for (const auto& tag : tags) array.emplace_back(tag);
  return json::serialize(array);
}

std::vector<std::string> TagsFromJson(std::string_view text) {
  std::vector<std::string> out;
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_array()) return out;
  for (const auto& item : value.as_array()) {
    if (item.is_string()) out.emplace_back(item.as_string());
  }
  return out;
}

Result<std::optional<Household>> FindHousehold(Session& s, std::int64_t household_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne(std::string(kHouseholdSelect) + "WHERE h.id = $1", {household_id}));
  if (!row) return std::optional<Household>{};
  return std::optional<Household>{HouseholdFromRow(*row)};
}

Result<Page<Household>> ListHouseholds(Session& s, std::int64_t community_id,
                                       const ListScope& scope, const ListFilter& filter,
                                       const PageRequest& page) {
  // One statement for every scope: 0 stands for "not applicable" so the parameter types stay
  // BIGINT on PostgreSQL.
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(std::string(kHouseholdSelect) +
                  "WHERE h.community_id = $1 AND h.id > $2 "
                  "AND ($3 = 1 OR h.id = $5 OR ($4 > 0 AND (r.guide_user_id = $4 OR b.grid_id IN "
                  "(SELECT gg.grid_id FROM household_grid_guides gg "
                  "WHERE gg.community_id = $1 AND gg.user_id = $4)))) "
                  "AND ($6 = 0 OR b.grid_id = $6) AND ($7 = 0 OR h.building_id = $7) "
                  "ORDER BY h.id LIMIT $8",
              {community_id, page.after.value_or(0), std::int64_t{scope.all ? 1 : 0},
               scope.guide_user_id, scope.own_household, filter.grid_id.value_or(0),
               filter.building_id.value_or(0), std::int64_t{page.limit + 1}}));
  return storage::PageFromRows(rows, page.limit, HouseholdFromRow,
                               [](const Household& item) { return item.id; });
}

Status SaveRecord(Session& s, const Household& household, std::int64_t updated_by,
                  std::int64_t now_s) {
  LINLI_TRY(s.Execute(
      "INSERT INTO household_records (household_id, community_id, guide_user_id, willingness, "
      "needs, notes, version, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) "
      "ON CONFLICT (household_id) DO UPDATE SET guide_user_id = excluded.guide_user_id, "
      "willingness = excluded.willingness, needs = excluded.needs, notes = excluded.notes, "
      "version = household_records.version + 1, updated_by = excluded.updated_by, "
      "updated_at = excluded.updated_at",
      {household.id, household.community_id, storage::Nullable(household.guide_user_id),
       std::string(WillingnessName(household.willingness)), TagsToJson(household.needs),
       household.notes, updated_by, now_s}));
  return Ok();
}

Result<std::int64_t> OwnHouseholdOf(Session& s, std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT household_id FROM users WHERE id = $1", {user_id}));
  if (!row || row->IsNull(0)) return std::int64_t{0};
  return row->Int(0);
}

Result<bool> UserExists(Session& s, std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT id FROM users WHERE id = $1", {user_id}));
  return row.has_value();
}

Result<bool> GridInCommunity(Session& s, std::int64_t community_id, std::int64_t grid_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT id FROM grids WHERE id = $1 AND community_id = $2",
                                    {grid_id, community_id}));
  return row.has_value();
}

Result<std::vector<std::int64_t>> GuideGridsOf(Session& s, std::int64_t community_id,
                                               std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT grid_id FROM household_grid_guides "
                                            "WHERE community_id = $1 AND user_id = $2 "
                                            "ORDER BY grid_id",
                                            {community_id, user_id}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<MemberRow>> MembersOf(Session& s, std::int64_t household_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT " + Columns(kMemberColumns) +
                                                " FROM household_members WHERE household_id = $1 "
                                                "AND erased_at IS NULL ORDER BY id",
                                            {household_id}));
  std::vector<MemberRow> out;
  for (const auto& row : rows) out.push_back(MemberFromRow(row));
  return out;
}

Result<std::optional<MemberRow>> FindMember(Session& s, std::int64_t household_id,
                                            std::int64_t member_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + Columns(kMemberColumns) +
                                                  " FROM household_members WHERE id = $1 AND "
                                                  "household_id = $2 AND erased_at IS NULL",
                                              {member_id, household_id}));
  if (!row) return std::optional<MemberRow>{};
  return std::optional<MemberRow>{MemberFromRow(*row)};
}

Result<std::vector<MemberRow>> MembersOfUser(Session& s, std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT " + Columns(kMemberColumns) +
                                                " FROM household_members WHERE user_id = $1 "
                                                "AND erased_at IS NULL ORDER BY id",
                                            {user_id}));
  std::vector<MemberRow> out;
  for (const auto& row : rows) out.push_back(MemberFromRow(row));
  return out;
}

Result<std::int64_t> InsertMember(Session& s, const MemberRow& row) {
  LINLI_ASSIGN_OR_RETURN(
      auto inserted,
      s.QueryOne("INSERT INTO household_members (community_id, household_id, user_id, "
                 "sealed_profile, name, relation, birth_date, skills, needs, willingness, "
                 "version, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11) RETURNING id",
                 {row.community_id, row.household_id, storage::Nullable(row.user_id),
                  std::int64_t{row.sealed_profile ? 1 : 0}, row.profile.name, row.profile.relation,
                  storage::Nullable(row.profile.birth_date), TagsToJson(row.profile.skills),
                  TagsToJson(row.profile.needs),
                  std::string(WillingnessName(row.profile.willingness)), row.created_at}));
  return inserted->Int(0);
}

Status UpdateMember(Session& s, const MemberRow& row) {
  LINLI_TRY(s.Execute(
      "UPDATE household_members SET user_id = $2, sealed_profile = $3, name = $4, relation = $5, "
      "birth_date = $6, skills = $7, needs = $8, willingness = $9, version = version + 1, "
      "updated_at = $10 WHERE id = $1",
      {row.id, storage::Nullable(row.user_id), std::int64_t{row.sealed_profile ? 1 : 0},
       row.profile.name, row.profile.relation, storage::Nullable(row.profile.birth_date),
       TagsToJson(row.profile.skills), TagsToJson(row.profile.needs),
       std::string(WillingnessName(row.profile.willingness)), row.updated_at}));
  return Ok();
}

Status TombstoneMember(Session& s, std::int64_t member_id, std::int64_t now_s) {
  LINLI_TRY(s.Execute(
      "UPDATE household_members SET user_id = NULL, sealed_profile = 0, name = '', "
      "relation = '', birth_date = NULL, skills = '[]', needs = '[]', willingness = 'unknown', "
      "version = version + 1, updated_at = $2, erased_at = $2 WHERE id = $1",
      {member_id, now_s}));
  return Ok();
}

Result<std::map<std::string, std::string>> SealedOf(Session& s, std::int64_t community_id,
                                                    std::string_view owner_table,
                                                    std::int64_t owner_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT field, ciphertext FROM household_sealed "
                                            "WHERE community_id = $1 AND owner_table = $2 "
                                            "AND owner_id = $3",
                                            {community_id, std::string(owner_table), owner_id}));
  std::map<std::string, std::string> out;
  for (const auto& row : rows) out.emplace(row.Text(0), row.Bytes(1));
  return out;
}

Status PutSealed(Session& s, const SealedRow& row, std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("INSERT INTO household_sealed (community_id, owner_table, owner_id, field, key_id, "
                "ciphertext, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                "ON CONFLICT (community_id, owner_table, owner_id, field) DO UPDATE SET "
                "key_id = excluded.key_id, ciphertext = excluded.ciphertext, "
                "updated_at = excluded.updated_at",
                {row.community_id, row.owner_table, row.owner_id, row.field, row.key_id,
                 storage::Blob{row.ciphertext}, now_s}));
  return Ok();
}

Status DeleteSealed(Session& s, std::int64_t community_id, std::string_view owner_table,
                    std::int64_t owner_id, std::string_view field) {
  LINLI_TRY(
      s.Execute("DELETE FROM household_sealed WHERE community_id = $1 AND owner_table = $2 "
                "AND owner_id = $3 AND field = $4",
                {community_id, std::string(owner_table), owner_id, std::string(field)}));
  return Ok();
}

Status DeleteAllSealed(Session& s, std::int64_t community_id, std::string_view owner_table,
                       std::int64_t owner_id) {
  LINLI_TRY(
      s.Execute("DELETE FROM household_sealed WHERE community_id = $1 AND owner_table = $2 "
                "AND owner_id = $3",
                {community_id, std::string(owner_table), owner_id}));
  return Ok();
}

Result<std::vector<SealedRow>> StaleSealed(Session& s, std::int64_t current_key_id, int limit) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT community_id, owner_table, owner_id, field, key_id, "
                                 "ciphertext FROM household_sealed WHERE key_id <> $1 "
                                 "ORDER BY community_id, owner_table, owner_id, field LIMIT $2",
                                 {current_key_id, std::int64_t{limit}}));
  std::vector<SealedRow> out;
  for (const auto& row : rows) {
    out.push_back(
        SealedRow{row.Int(0), row.Text(1), row.Int(2), row.Text(3), row.Int(4), row.Bytes(5)});
  }
  return out;
}

Result<std::int64_t> CountSealed(Session& s) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT COUNT(*) FROM household_sealed"));
  return row->Int(0);
}

Result<std::int64_t> InsertConsent(Session& s, std::int64_t community_id, std::int64_t household_id,
                                   const Consent& consent) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO household_consents (community_id, household_id, member_id, kind, "
                 "granted, method, guardian_member_id, recorded_by, recorded_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                 {community_id, household_id, consent.member_id,
                  std::string(ConsentKindName(consent.kind)), std::int64_t{consent.granted ? 1 : 0},
                  std::string(ConsentMethodName(consent.method)),
                  storage::Nullable(consent.guardian_member_id), consent.recorded_by,
                  consent.recorded_at}));
  return row->Int(0);
}

Result<std::vector<Consent>> ConsentsOf(Session& s, std::int64_t member_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT id, member_id, kind, granted, method, "
                                            "guardian_member_id, recorded_by, recorded_at "
                                            "FROM household_consents WHERE member_id = $1 "
                                            "ORDER BY id",
                                            {member_id}));
  std::vector<Consent> out;
  for (const auto& row : rows) out.push_back(ConsentFromRow(row));
  return out;
}

Result<bool> ConsentGranted(Session& s, std::int64_t member_id, ConsentKind kind) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT granted FROM household_consents "
                                              "WHERE member_id = $1 AND kind = $2 "
                                              "ORDER BY id DESC LIMIT 1",
                                              {member_id, std::string(ConsentKindName(kind))}));
  return row && row->Int(0) != 0;
}

Result<std::int64_t> InsertHistory(Session& s, const HistoryRow& row) {
  LINLI_ASSIGN_OR_RETURN(
      auto inserted,
      s.QueryOne(
          "INSERT INTO household_history (community_id, household_id, member_id, "
          "occurred_on, kind, note, sealed_note, recorded_by, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
          {row.community_id, row.entry.household_id, storage::Nullable(row.entry.member_id),
           row.entry.occurred_on, std::string(HistoryKindName(row.entry.kind)),
           row.sealed_note ? std::string() : row.entry.note, std::int64_t{row.sealed_note ? 1 : 0},
           row.entry.recorded_by, row.entry.created_at}));
  return inserted->Int(0);
}

Result<Page<HistoryRow>> HistoryOf(Session& s, std::int64_t household_id, const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + Columns(kHistoryColumns) +
                             " FROM household_history WHERE household_id = $1 "
                             "AND ($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3",
                         {household_id, page.after.value_or(0), std::int64_t{page.limit + 1}}));
  return storage::PageFromRows(rows, page.limit, HistoryFromRow,
                               [](const HistoryRow& item) { return item.entry.id; });
}

Result<std::vector<HistoryRow>> HistoryOfMember(Session& s, std::int64_t member_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT " + Columns(kHistoryColumns) +
                                                " FROM household_history WHERE member_id = $1 "
                                                "ORDER BY id",
                                            {member_id}));
  std::vector<HistoryRow> out;
  for (const auto& row : rows) out.push_back(HistoryFromRow(row));
  return out;
}

Status BlankHistoryNotesOfMember(Session& s, std::int64_t member_id) {
  LINLI_TRY(s.Execute(
      "UPDATE household_history SET note = '', sealed_note = 0 WHERE member_id = $1", {member_id}));
  return Ok();
}

Result<std::vector<GridGuide>> GridGuidesOf(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT gg.grid_id, g.name, gg.user_id, "
                                            "gg.assigned_at FROM household_grid_guides gg "
                                            "JOIN grids g ON g.id = gg.grid_id "
                                            "WHERE gg.community_id = $1 "
                                            "ORDER BY gg.grid_id, gg.user_id",
                                            {community_id}));
  std::vector<GridGuide> out;
  for (const auto& row : rows) {
    out.push_back(GridGuide{row.Int(0), row.Text(1), row.Int(2), row.Int(3)});
  }
  return out;
}

Result<bool> AssignGridGuide(Session& s, std::int64_t community_id, std::int64_t grid_id,
                             std::int64_t user_id, std::int64_t assigned_by, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto inserted,
      s.Execute("INSERT INTO household_grid_guides (community_id, grid_id, user_id, assigned_by, "
                "assigned_at) VALUES ($1, $2, $3, $4, $5) "
                "ON CONFLICT (community_id, grid_id, user_id) DO NOTHING",
                {community_id, grid_id, user_id, assigned_by, now_s}));
  return inserted == 1;
}

Result<bool> UnassignGridGuide(Session& s, std::int64_t community_id, std::int64_t grid_id,
                               std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto deleted,
                         s.Execute("DELETE FROM household_grid_guides WHERE community_id = $1 "
                                   "AND grid_id = $2 AND user_id = $3",
                                   {community_id, grid_id, user_id}));
  return deleted == 1;
}

}  // namespace linli::households::repo
