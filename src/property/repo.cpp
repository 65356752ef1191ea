#include "property/repo.hpp"

#include <fmt/format.h>

namespace linli::property::repo {
namespace {

using storage::Nullable;
using storage::Value;

std::int64_t Flag(bool value) {
  return value ? 1 : 0;
}

// "$first, $first+1, ..." for an IN list of `count` parameters.
std::string Placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += fmt::format("{}${}", i ? ", " : "", first + i);
  return out;
}

constexpr std::string_view kPassColumns =
    "p.id, p.community_id, p.household_id, p.building_id, p.created_by, p.visitor_label, "
    "p.visitor_phone_sealed, p.purpose, p.mode, p.max_uses, p.uses, p.valid_from, p.valid_until, "
    "p.code, p.revoked_at, p.created_at, COALESCE(b.name, '') ";
constexpr std::string_view kPassFrom =
    "FROM visitor_passes p LEFT JOIN buildings b ON b.id = p.building_id ";

PassRow ToPass(const storage::Row& row) {
  PassRow out;
  VisitorPass& p = out.pass;
  p.id = row.Int(0);
  p.community_id = row.Int(1);
  p.household_id = row.OptInt(2);
  p.building_id = row.OptInt(3);
  p.created_by = row.Int(4);
  p.visitor_label = row.Text(5);
  if (!row.IsNull(6)) out.phone_sealed = row.Bytes(6);
  p.purpose = row.Text(7);
  p.mode = ParsePassMode(row.Text(8)).value_or(PassMode::kSingleUse);
  p.max_uses = row.Int(9);
  p.uses = row.Int(10);
  p.valid_from = row.Int(11);
  p.valid_until = row.Int(12);
  p.code = row.Text(13);
  p.revoked_at = row.OptInt(14);
  p.created_at = row.Int(15);
  out.building_name = row.Text(16);
  return out;
}

constexpr std::string_view kBillColumns =
    "bl.id, bl.community_id, bl.household_id, bl.building_id, bl.kind, bl.period, bl.title, "
    "bl.amount_fen, bl.paid_fen, bl.due_date, bl.issued_by, bl.created_at, bl.voided_at, "
    "COALESCE(b.name, ''), COALESCE(h.unit_label, '') ";
constexpr std::string_view kBillFrom =
    "FROM bills bl LEFT JOIN buildings b ON b.id = bl.building_id "
    "LEFT JOIN households h ON h.id = bl.household_id ";

Bill ToBill(const storage::Row& row) {
  Bill b;
  b.id = row.Int(0);
  b.community_id = row.Int(1);
  b.household_id = row.Int(2);
  b.building_id = row.Int(3);
  b.kind = ParseBillKind(row.Text(4)).value_or(BillKind::kOther);
  b.period = row.Text(5);
  b.title = row.Text(6);
  b.amount_fen = row.Int(7);
  b.paid_fen = row.Int(8);
  b.due_date = row.Text(9);
  b.issued_by = row.Int(10);
  b.created_at = row.Int(11);
  b.voided_at = row.OptInt(12);
  b.building_name = row.Text(13);
  b.unit_label = row.Text(14);
  return b;
}

constexpr std::string_view kPaymentColumns =
    "id, community_id, bill_id, amount_fen, provider, method, reference, recorded_by, paid_at ";

Payment ToPayment(const storage::Row& row) {
  return Payment{row.Int(0),  row.Int(1),  row.Int(2), row.Int(3), row.Text(4),
                 row.Text(5), row.Text(6), row.Int(7), row.Int(8)};
}

constexpr std::string_view kAnnouncementColumns =
    "a.id, a.community_id, a.kind, a.category, a.severity, a.title, a.body, a.audience, a.pinned, "
    "a.published_by, a.published_by_api_key, a.created_at, a.expires_at, a.withdrawn_at, "
    "a.fanout_done, a.recipients, a.fanout_after ";

Announcement ToAnnouncement(const storage::Row& row) {
  Announcement a;
  a.id = row.Int(0);
  a.community_id = row.Int(1);
  a.kind = ParseAnnouncementKind(row.Text(2)).value_or(AnnouncementKind::kNotice);
  a.category = row.Text(3);
  if (auto severity = row.OptText(4)) a.severity = ParseSeverity(*severity);
  a.title = row.Text(5);
  a.body = row.Text(6);
  a.audience = ParseAudience(row.Text(7)).value_or(Audience::kCommunity);
  a.pinned = row.Int(8) != 0;
  a.published_by = row.OptInt(9);
  a.published_by_api_key = row.OptInt(10);
  a.created_at = row.Int(11);
  a.expires_at = row.OptInt(12);
  a.withdrawn_at = row.OptInt(13);
  a.fanout_done = row.Int(14) != 0;
  a.recipients = row.Int(15);
  a.fanout_after = row.Int(16);
  return a;
}

Status LoadTargets(Session& s, Announcement& a) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT target_id FROM announcement_targets WHERE "
                                            "community_id = $1 AND announcement_id = $2 "
                                            "ORDER BY target_id",
                                            {a.community_id, a.id}));
  a.target_ids.clear();
  for (const auto& row : rows) a.target_ids.push_back(row.Int(0));
  return Ok();
}

Result<std::vector<Announcement>> WithTargets(Session& s, const storage::Rows& rows) {
  std::vector<Announcement> out;
  for (const auto& row : rows) {
    out.push_back(ToAnnouncement(row));
    LINLI_TRY(LoadTargets(s, out.back()));
  }
  return out;
}

// The visibility condition of an announcement list; parameters $1 community, $2 now,
// $3 staff flag, $4 building id (-1: none), $5 grid id (-1: none).
constexpr std::string_view kVisibleWhere =
    "WHERE a.community_id = $1 AND a.withdrawn_at IS NULL "
    "AND (a.expires_at IS NULL OR a.expires_at > $2) "
    "AND ($3 = 1 OR a.audience = 'community' "
    "OR (a.audience = 'buildings' AND EXISTS (SELECT 1 FROM announcement_targets t WHERE "
    "t.community_id = a.community_id AND t.announcement_id = a.id AND t.target_id = $4)) "
    "OR (a.audience = 'grids' AND EXISTS (SELECT 1 FROM announcement_targets t WHERE "
    "t.community_id = a.community_id AND t.announcement_id = a.id AND t.target_id = $5))) ";

std::vector<Value> VisibleParams(std::int64_t community_id, std::int64_t now_s,
                                 const Viewer& viewer) {
  return {community_id, now_s, Flag(viewer.staff), viewer.building_id.value_or(-1),
          viewer.grid_id.value_or(-1)};
}

Result<std::optional<Home>> OneHome(Session& s, std::string_view sql,
                                    std::initializer_list<Value> params) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne(sql, params));
  if (!row) return std::optional<Home>{};
  return std::optional<Home>{Home{row->Int(0), row->Int(1), row->OptInt(2)}};
}

Result<std::int64_t> CountIn(Session& s, std::string_view table, std::int64_t community_id,
                             const std::vector<std::int64_t>& ids) {
  if (ids.empty()) return std::int64_t{0};
  std::vector<Value> params{community_id};
  for (auto id : ids) params.emplace_back(id);
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(fmt::format("SELECT COUNT(*) FROM {} WHERE community_id = $1 AND id IN "
                                     "({})",
                                     table, Placeholders(2, ids.size())),
                         params));
  return rows[0].Int(0);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// The accounts hierarchy

Result<std::optional<Home>> HomeOf(Session& s, std::int64_t user_id, std::int64_t community_id) {
  return OneHome(s,
                 "SELECT h.id, h.building_id, b.grid_id FROM users u "
                 "JOIN households h ON h.id = u.household_id "
                 "JOIN buildings b ON b.id = h.building_id "
                 "WHERE u.id = $1 AND h.community_id = $2",
                 {user_id, community_id});
}

Result<std::optional<Home>> HouseholdHome(Session& s, std::int64_t community_id,
                                          std::int64_t household_id) {
  return OneHome(s,
                 "SELECT h.id, h.building_id, b.grid_id FROM households h "
                 "JOIN buildings b ON b.id = h.building_id "
                 "WHERE h.id = $1 AND h.community_id = $2",
                 {household_id, community_id});
}

Result<std::int64_t> CountBuildings(Session& s, std::int64_t community_id,
                                    const std::vector<std::int64_t>& ids) {
  return CountIn(s, "buildings", community_id, ids);
}

Result<std::int64_t> CountGrids(Session& s, std::int64_t community_id,
                                const std::vector<std::int64_t>& ids) {
  return CountIn(s, "grids", community_id, ids);
}

Result<std::string> BuildingName(Session& s, std::int64_t building_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT name FROM buildings WHERE id = $1", {building_id}));
  return row ? row->Text(0) : std::string();
}

Result<std::vector<Home>> Households(Session& s, std::int64_t community_id,
                                     const std::vector<std::int64_t>& building_ids,
                                     std::size_t limit) {
  std::vector<Value> params{community_id, static_cast<std::int64_t>(limit)};
  std::string filter;
  if (!building_ids.empty()) {
    for (auto id : building_ids) params.emplace_back(id);
    filter = fmt::format("AND h.building_id IN ({}) ", Placeholders(3, building_ids.size()));
  }
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT h.id, h.building_id, b.grid_id FROM households h "
                         "JOIN buildings b ON b.id = h.building_id WHERE h.community_id = $1 " +
                             filter + "ORDER BY h.id LIMIT $2",
                         params));
  std::vector<Home> out;
  for (const auto& row : rows) out.push_back(Home{row.Int(0), row.Int(1), row.OptInt(2)});
  return out;
}

Result<std::optional<std::string>> CommunityTimezone(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT timezone FROM communities WHERE id = $1", {community_id}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(0)};
}

// ---------------------------------------------------------------------------------------------
// Visitor passes

Result<std::optional<std::int64_t>> InsertPass(Session& s, const VisitorPass& p) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO visitor_passes (community_id, household_id, building_id, created_by, "
                 "visitor_label, purpose, mode, max_uses, uses, valid_from, valid_until, code, "
                 "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, $9, $10, $11, $12) "
                 "ON CONFLICT DO NOTHING RETURNING id",
                 {p.community_id, Nullable(p.household_id), Nullable(p.building_id), p.created_by,
                  p.visitor_label, p.purpose, std::string(Name(p.mode)), p.max_uses, p.valid_from,
                  p.valid_until, p.code, p.created_at}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Status SetPhoneSealed(Session& s, std::int64_t community_id, std::int64_t pass_id,
                      const std::string& sealed) {
  LINLI_TRY(
      s.Execute("UPDATE visitor_passes SET visitor_phone_sealed = $3 WHERE community_id = "
                "$1 AND id = $2",
                {community_id, pass_id, storage::Blob{sealed}}));
  return Ok();
}

Result<std::optional<PassRow>> FindPass(Session& s, std::int64_t pass_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + std::string(kPassColumns) +
                                                  std::string(kPassFrom) + "WHERE p.id = $1",
                                              {pass_id}));
  if (!row) return std::optional<PassRow>{};
  return std::optional<PassRow>{ToPass(*row)};
}

Result<std::optional<PassRow>> FindPassByCode(Session& s, std::int64_t community_id,
                                              const std::string& code) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT " + std::string(kPassColumns) + std::string(kPassFrom) +
                                        "WHERE p.community_id = $1 AND p.code = $2",
                                    {community_id, code}));
  if (!row) return std::optional<PassRow>{};
  return std::optional<PassRow>{ToPass(*row)};
}

Result<Page<PassRow>> PassesCreatedBy(Session& s, std::int64_t user_id, std::int64_t community_id,
                                      const PageRequest& page) {
  // Newest first: the cursor is the last id seen, continuing downwards.
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + std::string(kPassColumns) + std::string(kPassFrom) +
                             "WHERE p.created_by = $1 AND p.community_id = $2 AND p.id < $3 "
                             "ORDER BY p.id DESC LIMIT $4",
                         {user_id, community_id, page.after.value_or(INT64_MAX),
                          std::int64_t{page.limit + 1}}));
  return storage::PageFromRows(rows, page.limit, ToPass,
                               [](const PassRow& row) { return row.pass.id; });
}

Result<Page<PassRow>> PassesOverlapping(Session& s, std::int64_t community_id, std::int64_t from,
                                        std::int64_t until, const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT " + std::string(kPassColumns) + std::string(kPassFrom) +
                  "WHERE p.community_id = $1 AND p.valid_from < $3 AND p.valid_until > $2 "
                  "AND p.revoked_at IS NULL AND p.id > $4 ORDER BY p.id LIMIT $5",
              {community_id, from, until, page.after.value_or(0), std::int64_t{page.limit + 1}}));
  return storage::PageFromRows(rows, page.limit, ToPass,
                               [](const PassRow& row) { return row.pass.id; });
}

Result<std::int64_t> ConsumeUse(Session& s, std::int64_t community_id, std::int64_t pass_id,
                                std::int64_t now_s) {
  return s.Execute(
      "UPDATE visitor_passes SET uses = uses + 1 WHERE community_id = $1 AND id = $2 "
      "AND revoked_at IS NULL AND valid_from <= $3 AND valid_until > $3 AND uses < max_uses",
      {community_id, pass_id, now_s});
}

Result<std::int64_t> RevokePass(Session& s, std::int64_t community_id, std::int64_t pass_id,
                                std::int64_t now_s) {
  return s.Execute(
      "UPDATE visitor_passes SET revoked_at = $3 WHERE community_id = $1 AND id = $2 "
      "AND revoked_at IS NULL",
      {community_id, pass_id, now_s});
}

Status InsertUse(Session& s, const UseRecord& r) {
  LINLI_TRY(
      s.Execute("INSERT INTO visitor_pass_uses (community_id, pass_id, at, allowed, reason, "
                "gate, api_key_id, verified_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                {r.community_id, r.use.pass_id, r.use.at, Flag(r.use.allowed),
                 std::string(Name(r.use.reason)), r.use.gate, Nullable(r.api_key_id),
                 Nullable(r.verified_by)}));
  return Ok();
}

Result<std::vector<PassUse>> UsesOf(Session& s, std::int64_t community_id, std::int64_t pass_id,
                                    std::size_t limit) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT id, pass_id, at, allowed, reason, gate FROM visitor_pass_uses "
                         "WHERE community_id = $1 AND pass_id = $2 ORDER BY id DESC LIMIT $3",
                         {community_id, pass_id, static_cast<std::int64_t>(limit)}));
  std::vector<PassUse> out;
  for (const auto& row : rows) {
    PassUse use{row.Int(0), row.Int(1), row.Int(2), row.Int(3) != 0, GateReason::kPassInvalid,
                row.Text(5)};
    for (auto reason :
         {GateReason::kOk, GateReason::kPassInvalid, GateReason::kPassRevoked,
          GateReason::kPassNotYetValid, GateReason::kPassExpired, GateReason::kPassUsedUp}) {
      if (Name(reason) == row.Text(4)) use.reason = reason;
    }
    out.push_back(std::move(use));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Bills and payments

Result<std::optional<std::int64_t>> InsertBill(Session& s, const Bill& b) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO bills (community_id, household_id, building_id, kind, period, title, "
                 "amount_fen, paid_fen, due_date, issued_by, created_at) VALUES ($1, $2, $3, $4, "
                 "$5, $6, $7, 0, $8, $9, $10) ON CONFLICT DO NOTHING RETURNING id",
                 {b.community_id, b.household_id, b.building_id, std::string(Name(b.kind)),
                  b.period, b.title, b.amount_fen, b.due_date, b.issued_by, b.created_at}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::optional<Bill>> FindBill(Session& s, std::int64_t bill_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + std::string(kBillColumns) +
                                                  std::string(kBillFrom) + "WHERE bl.id = $1",
                                              {bill_id}));
  if (!row) return std::optional<Bill>{};
  return std::optional<Bill>{ToBill(*row)};
}

Result<Page<Bill>> ListBills(Session& s, std::int64_t community_id, const BillFilter& filter,
                             const PageRequest& page) {
  std::vector<Value> params{community_id, page.after.value_or(INT64_MAX),
                            std::int64_t{page.limit + 1}};
  std::string where = "WHERE bl.community_id = $1 AND bl.id < $2 ";
  const auto add = [&](std::string_view condition, Value value) {
    params.push_back(std::move(value));
    where += fmt::format("AND {} ${} ", condition, params.size());
  };
  if (filter.building_id) add("bl.building_id =", *filter.building_id);
  if (filter.household_id) add("bl.household_id =", *filter.household_id);
  if (filter.period) add("bl.period =", *filter.period);
  if (filter.status) {
    switch (*filter.status) {
      case BillStatus::kVoid: where += "AND bl.voided_at IS NOT NULL "; break;
      case BillStatus::kPaid:
        where += "AND bl.voided_at IS NULL AND bl.paid_fen = bl.amount_fen ";
        break;
      case BillStatus::kPartial:
        where += "AND bl.voided_at IS NULL AND bl.paid_fen > 0 AND bl.paid_fen < bl.amount_fen ";
        break;
      case BillStatus::kUnpaid: where += "AND bl.voided_at IS NULL AND bl.paid_fen = 0 "; break;
    }
  }
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + std::string(kBillColumns) + std::string(kBillFrom) + where +
                             "ORDER BY bl.id DESC LIMIT $3",
                         params));
  return storage::PageFromRows(rows, page.limit, ToBill, [](const Bill& b) { return b.id; });
}

Result<std::int64_t> AddPaid(Session& s, std::int64_t community_id, std::int64_t bill_id,
                             std::int64_t amount_fen) {
  return s.Execute(
      "UPDATE bills SET paid_fen = paid_fen + $3 WHERE community_id = $1 AND id = $2 "
      "AND voided_at IS NULL AND paid_fen + $3 <= amount_fen",
      {community_id, bill_id, amount_fen});
}

Result<std::int64_t> VoidBill(Session& s, std::int64_t community_id, std::int64_t bill_id,
                              std::int64_t now_s) {
  return s.Execute(
      "UPDATE bills SET voided_at = $3 WHERE community_id = $1 AND id = $2 "
      "AND voided_at IS NULL AND paid_fen = 0",
      {community_id, bill_id, now_s});
}

Result<std::optional<std::int64_t>> InsertPayment(Session& s, const Payment& p,
                                                  const std::optional<std::string>& key) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO bill_payments (community_id, bill_id, amount_fen, provider, method, "
                 "reference, idempotency_key, recorded_by, paid_at) VALUES ($1, $2, $3, $4, $5, "
                 "$6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING id",
                 {p.community_id, p.bill_id, p.amount_fen, p.provider, p.method, p.reference,
                  Nullable(key), p.recorded_by, p.paid_at}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::optional<Payment>> FindPaymentByKey(Session& s, std::int64_t community_id,
                                                const std::string& key) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("SELECT " + std::string(kPaymentColumns) +
                     "FROM bill_payments WHERE community_id = $1 AND idempotency_key = $2",
                 {community_id, key}));
  if (!row) return std::optional<Payment>{};
  return std::optional<Payment>{ToPayment(*row)};
}

Result<std::vector<Payment>> PaymentsOf(Session& s, std::int64_t community_id,
                                        std::int64_t bill_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT " + std::string(kPaymentColumns) +
                                     "FROM bill_payments WHERE community_id = $1 AND bill_id = $2 "
                                     "ORDER BY id",
                                 {community_id, bill_id}));
  std::vector<Payment> out;
  for (const auto& row : rows) out.push_back(ToPayment(row));
  return out;
}

namespace {
// Arrears conditions; parameters $1 community, $2 today, $3 building (-1: every building).
constexpr std::string_view kArrearsWhere =
    "WHERE bl.community_id = $1 AND bl.voided_at IS NULL AND bl.paid_fen < bl.amount_fen "
    "AND bl.due_date < $2 AND ($3 = -1 OR bl.building_id = $3) ";
}  // namespace

Result<std::vector<Bill>> ArrearsBills(Session& s, std::int64_t community_id,
                                       const std::string& today,
                                       std::optional<std::int64_t> building_id, std::size_t limit) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT " + std::string(kBillColumns) + std::string(kBillFrom) +
                  std::string(kArrearsWhere) +
                  "ORDER BY bl.due_date, b.name, h.unit_label, bl.id LIMIT $4",
              {community_id, today, building_id.value_or(-1), static_cast<std::int64_t>(limit)}));
  std::vector<Bill> out;
  for (const auto& row : rows) out.push_back(ToBill(row));
  return out;
}

Result<std::vector<ArrearsBuilding>> ArrearsByBuilding(Session& s, std::int64_t community_id,
                                                       const std::string& today,
                                                       std::optional<std::int64_t> building_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT bl.building_id, COALESCE(b.name, ''), COUNT(DISTINCT bl.household_id), "
              "COUNT(*), SUM(bl.amount_fen - bl.paid_fen) " +
                  std::string(kBillFrom) + std::string(kArrearsWhere) +
                  "GROUP BY bl.building_id, b.name ORDER BY b.name, bl.building_id",
              {community_id, today, building_id.value_or(-1)}));
  std::vector<ArrearsBuilding> out;
  for (const auto& row : rows) {
    out.push_back({row.Int(0), row.Text(1), row.Int(2), row.Int(3), row.Int(4)});
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Announcements

Result<std::int64_t> InsertAnnouncement(Session& s, const Announcement& a) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO announcements (community_id, kind, category, severity, title, body, "
                 "audience, pinned, published_by, published_by_api_key, created_at, expires_at, "
                 "fanout_after, fanout_done, recipients) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
                 "$9, $10, $11, $12, 0, $13, 0) RETURNING id",
                 {a.community_id, std::string(Name(a.kind)), a.category,
                  a.severity ? Value(std::string(Name(*a.severity))) : Value(storage::Null{}),
                  a.title, a.body, std::string(Name(a.audience)), Flag(a.pinned),
                  Nullable(a.published_by), Nullable(a.published_by_api_key), a.created_at,
                  Nullable(a.expires_at), Flag(a.fanout_done)}));
  const std::int64_t id = row->Int(0);
  for (const auto target : a.target_ids) {
    LINLI_TRY(
        s.Execute("INSERT INTO announcement_targets (community_id, announcement_id, "
                  "target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                  {a.community_id, id, target}));
  }
  return id;
}

Result<std::optional<Announcement>> FindAnnouncement(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + std::string(kAnnouncementColumns) +
                                                  "FROM announcements a WHERE a.id = $1",
                                              {id}));
  if (!row) return std::optional<Announcement>{};
  Announcement a = ToAnnouncement(*row);
  LINLI_TRY(LoadTargets(s, a));
  return std::optional<Announcement>{std::move(a)};
}

Result<std::vector<Announcement>> PinnedVisible(Session& s, std::int64_t community_id,
                                                std::int64_t now_s, const Viewer& viewer,
                                                std::size_t limit) {
  auto params = VisibleParams(community_id, now_s, viewer);
  params.emplace_back(static_cast<std::int64_t>(limit));
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT " + std::string(kAnnouncementColumns) + "FROM announcements a " +
                  std::string(kVisibleWhere) + "AND a.pinned = 1 ORDER BY a.id DESC LIMIT $6",
              params));
  return WithTargets(s, rows);
}

Result<Page<Announcement>> UnpinnedVisible(Session& s, std::int64_t community_id,
                                           std::int64_t now_s, const Viewer& viewer,
                                           const PageRequest& page) {
  auto params = VisibleParams(community_id, now_s, viewer);
  params.emplace_back(page.after.value_or(INT64_MAX));
  params.emplace_back(std::int64_t{page.limit + 1});
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + std::string(kAnnouncementColumns) + "FROM announcements a " +
                             std::string(kVisibleWhere) +
                             "AND a.pinned = 0 AND a.id < $6 ORDER BY a.id DESC LIMIT $7",
                         params));
  LINLI_ASSIGN_OR_RETURN(auto items, WithTargets(s, rows));
  return TrimToPage(std::move(items), page.limit, [](const Announcement& a) { return a.id; });
}

Result<std::int64_t> WithdrawAnnouncement(Session& s, std::int64_t community_id, std::int64_t id,
                                          std::int64_t now_s) {
  return s.Execute(
      "UPDATE announcements SET withdrawn_at = $3 WHERE community_id = $1 AND id = $2 "
      "AND withdrawn_at IS NULL",
      {community_id, id, now_s});
}

Result<std::vector<std::int64_t>> PendingFanouts(Session& s, std::size_t limit) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT id FROM announcements WHERE fanout_done = 0 ORDER BY id "
                                 "LIMIT $1",
                                 {static_cast<std::int64_t>(limit)}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows) out.push_back(row.Int(0));
  return out;
}

Result<std::vector<std::int64_t>> Recipients(Session& s, const Announcement& a, std::int64_t after,
                                             int limit) {
  // Members of the community (any role) are the community audience; building and grid
  // audiences are the members whose household is there.
  std::string sql =
      "SELECT u.id FROM users u WHERE u.status = 'active' AND u.id > $2 "
      "AND EXISTS (SELECT 1 FROM memberships m WHERE m.community_id = $1 AND m.user_id = u.id) ";
  if (a.audience == Audience::kBuildings) {
    sql +=
        "AND EXISTS (SELECT 1 FROM households h JOIN announcement_targets t ON "
        "t.community_id = h.community_id AND t.announcement_id = $3 AND t.target_id = "
        "h.building_id WHERE h.id = u.household_id AND h.community_id = $1) ";
  } else if (a.audience == Audience::kGrids) {
    sql +=
        "AND EXISTS (SELECT 1 FROM households h JOIN buildings b ON b.id = h.building_id "
        "JOIN announcement_targets t ON t.community_id = h.community_id AND t.announcement_id = "
        "$3 AND t.target_id = b.grid_id WHERE h.id = u.household_id AND h.community_id = $1) ";
  } else {
    sql += "AND $3 > 0 ";  // keeps every parameter referenced on both backends
  }
  sql += "ORDER BY u.id LIMIT $4";
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query(sql, {a.community_id, after, a.id, std::int64_t{limit}}));
  std::vector<std::int64_t> out;
  for (const auto& row : rows) out.push_back(row.Int(0));
  return out;
}

Result<std::int64_t> AdvanceFanout(Session& s, const Announcement& a, std::int64_t new_after,
                                   std::int64_t delivered, bool done) {
  return s.Execute(
      "UPDATE announcements SET fanout_after = $4, recipients = recipients + $5, fanout_done = $6 "
      "WHERE community_id = $1 AND id = $2 AND fanout_after = $3 AND fanout_done = 0",
      {a.community_id, a.id, a.fanout_after, new_after, delivered, Flag(done)});
}

}  // namespace linli::property::repo
