#include "trust/repo.hpp"

#include <limits>

namespace linli::trust::repo {
namespace {

constexpr std::int64_t kNoCursor = std::numeric_limits<std::int64_t>::max();

std::int64_t After(const PageRequest& page) {
  return page.after.value_or(kNoCursor);
}
std::int64_t Fetch(const PageRequest& page) {
  return std::int64_t{page.limit} + 1;
}

// Exchanges ---------------------------------------------------------------------------------

constexpr std::string_view kExchangeColumns =
    "e.id, e.community_id, e.source, e.source_id, e.card_id, e.provider_user_id, "
    "e.consumer_user_id, e.outcome, e.completed_at, e.review_ends_at, e.published_at, "
    "e.created_at";

Exchange ExchangeFromRow(const storage::Row& row) {
  Exchange out;
  out.id = row.Int(0);
  out.record.community_id = row.Int(1);
  out.record.source = ParseSource(row.Text(2)).value_or(Source::kBooking);
  out.record.source_id = row.Int(3);
  out.record.card_id = row.OptInt(4);
  out.record.provider_user_id = row.Int(5);
  out.record.consumer_user_id = row.Int(6);
  out.record.outcome = ParseOutcome(row.Text(7)).value_or(Outcome::kCompleted);
  out.record.completed_at_s = row.Int(8);
  out.review_ends_at = row.Int(9);
  out.published_at = row.OptInt(10);
  out.created_at = row.Int(11);
  return out;
}

std::string ExchangeRowSelect() {
  return "SELECT " + std::string(kExchangeColumns) +
         ", pu.display_name, cu.display_name FROM trust_exchanges e "
         "JOIN users pu ON pu.id = e.provider_user_id "
         "JOIN users cu ON cu.id = e.consumer_user_id ";
}

ExchangeRow ExchangeRowFromRow(const storage::Row& row) {
  return ExchangeRow{ExchangeFromRow(row), row.Text(12), row.Text(13)};
}

// Ratings -----------------------------------------------------------------------------------

constexpr std::string_view kRatingSelect =
    "SELECT r.id, r.community_id, r.exchange_id, r.rater_user_id, r.ratee_user_id, "
    "r.rater_side, r.stars, r.comment, r.rated_at, r.published_at, e.review_ends_at, e.source, "
    "e.card_id, e.completed_at, u.display_name FROM trust_ratings r "
    "JOIN trust_exchanges e ON e.id = r.exchange_id JOIN users u ON u.id = r.ratee_user_id ";

Rating RatingFromRow(const storage::Row& row) {
  Rating out;
  out.id = row.Int(0);
  out.community_id = row.Int(1);
  out.exchange_id = row.Int(2);
  out.rater_user_id = row.Int(3);
  out.ratee_user_id = row.Int(4);
  out.rater_side = row.Text(5) == "provider" ? Side::kProvider : Side::kConsumer;
  out.stars = row.OptInt(6);
  out.comment = row.Text(7);
  out.rated_at = row.OptInt(8);
  out.published_at = row.OptInt(9);
  out.review_ends_at = row.Int(10);
  out.source = ParseSource(row.Text(11)).value_or(Source::kBooking);
  out.card_id = row.OptInt(12);
  out.completed_at = row.Int(13);
  out.ratee_name = row.Text(14);
  return out;
}

Page<Rating> RatingPage(const storage::Rows& rows, const PageRequest& page) {
  return storage::PageFromRows(rows, page.limit, RatingFromRow,
                               [](const Rating& rating) { return rating.id; });
}

// Credit ------------------------------------------------------------------------------------

CreditEvent CreditFromRow(const storage::Row& row) {
  CreditEvent out;
  out.id = row.Int(0);
  out.community_id = row.Int(1);
  out.user_id = row.Int(2);
  out.kind = ParseCreditKind(row.Text(3)).value_or(CreditKind::kOnTime);
  out.amount = row.Int(4);
  out.source_type = row.Text(5);
  out.source_id = row.Int(6);
  out.at = row.Int(7);
  return out;
}

// Reports -----------------------------------------------------------------------------------

constexpr std::string_view kReportSelect =
    "SELECT id, community_id, card_id, card_title, card_owner_user_id, reporter_user_id, "
    "category, text, status, decided_by, decided_at, decision_reason, reward_points, created_at "
    "FROM trust_reports ";

Report ReportFromRow(const storage::Row& row) {
  Report out;
  out.id = row.Int(0);
  out.community_id = row.Int(1);
  out.card_id = row.Int(2);
  out.card_title = row.Text(3);
  out.card_owner_user_id = row.OptInt(4);
  out.reporter_user_id = row.Int(5);
  out.category = ParseReportCategory(row.Text(6)).value_or(ReportCategory::kOther);
  out.text = row.Text(7);
  out.status = ParseReportStatus(row.Text(8)).value_or(ReportStatus::kOpen);
  out.decided_by = row.OptInt(9);
  out.decided_at = row.OptInt(10);
  out.decision_reason = row.Text(11);
  out.reward_points = row.Int(12);
  out.created_at = row.Int(13);
  return out;
}

Page<Report> ReportPage(const storage::Rows& rows, const PageRequest& page) {
  return storage::PageFromRows(rows, page.limit, ReportFromRow,
                               [](const Report& report) { return report.id; });
}

// Disputes ----------------------------------------------------------------------------------

constexpr std::string_view kDisputeSelect =
    "SELECT d.id, d.community_id, d.exchange_id, d.opened_by, d.respondent_user_id, d.reason, "
    "d.status, d.mediator_user_id, d.outcome, d.at_fault_user_id, d.points, d.resolution, "
    "d.created_at, d.updated_at, d.resolved_at, ou.display_name, ru.display_name "
    "FROM trust_disputes d JOIN users ou ON ou.id = d.opened_by "
    "JOIN users ru ON ru.id = d.respondent_user_id ";

Dispute DisputeFromRow(const storage::Row& row) {
  Dispute out;
  out.id = row.Int(0);
  out.community_id = row.Int(1);
  out.exchange_id = row.Int(2);
  out.opened_by = row.Int(3);
  out.respondent_user_id = row.Int(4);
  out.reason = row.Text(5);
  out.status = ParseDisputeStatus(row.Text(6)).value_or(DisputeStatus::kOpen);
  out.mediator_user_id = row.OptInt(7);
  if (auto outcome = row.OptText(8)) out.outcome = ParseDisputeOutcome(*outcome);
  out.at_fault_user_id = row.OptInt(9);
  out.points = row.Int(10);
  out.resolution = row.Text(11);
  out.created_at = row.Int(12);
  out.updated_at = row.Int(13);
  out.resolved_at = row.OptInt(14);
  out.opened_by_name = row.Text(15);
  out.respondent_name = row.Text(16);
  return out;
}

Page<Dispute> DisputePage(const storage::Rows& rows, const PageRequest& page) {
  return storage::PageFromRows(rows, page.limit, DisputeFromRow,
                               [](const Dispute& dispute) { return dispute.id; });
}

storage::Value OutcomeValue(const std::optional<DisputeOutcome>& outcome) {
  if (!outcome) return storage::Null{};
  return std::string(DisputeOutcomeName(*outcome));
}

// Verifications -----------------------------------------------------------------------------

constexpr std::string_view kVerificationSelect =
    "SELECT id, community_id, user_id, kind, issuer, number_sealed, valid_until, note, "
    "recorded_by, recorded_at, revoked_at FROM trust_verifications ";

VerificationRow VerificationFromRow(const storage::Row& row) {
  VerificationRow out;
  Verification& v = out.verification;
  v.id = row.Int(0);
  v.community_id = row.Int(1);
  v.user_id = row.Int(2);
  v.kind = ParseVerificationKind(row.Text(3)).value_or(VerificationKind::kCertificate);
  v.issuer = row.Text(4);
  if (!row.IsNull(5)) out.number_sealed = row.Bytes(5);
  v.valid_until = row.OptInt(6);
  v.note = row.Text(7);
  v.recorded_by = row.Int(8);
  v.recorded_at = row.Int(9);
  v.revoked_at = row.OptInt(10);
  return out;
}

}  // namespace

Result<bool> IsMember(Session& s, std::int64_t community_id, std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT 1 FROM memberships WHERE community_id = $1 AND user_id = $2 "
                           "LIMIT 1",
                           {community_id, user_id}));
  return row.has_value();
}

// Exchanges ---------------------------------------------------------------------------------

Result<std::optional<Exchange>> FindExchange(Session& s, std::int64_t exchange_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + std::string(kExchangeColumns) +
                                                  " FROM trust_exchanges e WHERE e.id = $1",
                                              {exchange_id}));
  if (!row) return std::optional<Exchange>{};
  return std::optional<Exchange>{ExchangeFromRow(*row)};
}

Result<std::optional<Exchange>> FindExchangeBySource(Session& s, std::int64_t community_id,
                                                     Source source, std::int64_t source_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT " + std::string(kExchangeColumns) +
                                        " FROM trust_exchanges e WHERE e.community_id = $1 AND "
                                        "e.source = $2 AND e.source_id = $3",
                                    {community_id, std::string(SourceName(source)), source_id}));
  if (!row) return std::optional<Exchange>{};
  return std::optional<Exchange>{ExchangeFromRow(*row)};
}

Result<std::optional<std::int64_t>> InsertExchange(Session& s, const ExchangeRecord& record,
                                                   std::int64_t review_ends_at,
                                                   std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO trust_exchanges (community_id, source, source_id, card_id, "
                 "provider_user_id, consumer_user_id, outcome, completed_at, review_ends_at, "
                 "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                 "ON CONFLICT DO NOTHING RETURNING id",
                 {record.community_id, std::string(SourceName(record.source)), record.source_id,
                  storage::Nullable(record.card_id), record.provider_user_id,
                  record.consumer_user_id, std::string(OutcomeName(record.outcome)),
                  record.completed_at_s, review_ends_at, now_s}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<Page<ExchangeRow>> ExchangesOfUser(Session& s, std::int64_t user_id,
                                          const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(ExchangeRowSelect() + "WHERE (e.provider_user_id = $1 OR e.consumer_user_id = $1) "
                                    "AND e.id < $2 ORDER BY e.id DESC LIMIT $3",
              {user_id, After(page), Fetch(page)}));
  return storage::PageFromRows(rows, page.limit, ExchangeRowFromRow,
                               [](const ExchangeRow& row) { return row.exchange.id; });
}

Result<std::optional<ExchangeRow>> FindExchangeRow(Session& s, std::int64_t exchange_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne(ExchangeRowSelect() + "WHERE e.id = $1", {exchange_id}));
  if (!row) return std::optional<ExchangeRow>{};
  return std::optional<ExchangeRow>{ExchangeRowFromRow(*row)};
}

Result<std::optional<std::int64_t>> FirstExchangeAt(Session& s, std::int64_t community_id,
                                                    std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT MIN(completed_at) FROM trust_exchanges WHERE community_id = $1 "
                           "AND (provider_user_id = $2 OR consumer_user_id = $2)",
                           {community_id, user_id}));
  if (!row || row->IsNull(0)) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::int64_t> ExchangeCount(Session& s, std::int64_t community_id, std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne("SELECT COUNT(*) FROM trust_exchanges WHERE community_id = $1 "
                                    "AND (provider_user_id = $2 OR consumer_user_id = $2)",
                                    {community_id, user_id}));
  return row->Int(0);
}

Result<std::vector<Exchange>> DueForPublication(Session& s, std::int64_t now_s, int limit) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + std::string(kExchangeColumns) +
                             " FROM trust_exchanges e WHERE e.published_at IS NULL AND "
                             "e.review_ends_at <= $1 ORDER BY e.review_ends_at, e.id LIMIT $2",
                         {now_s, std::int64_t{limit}}));
  std::vector<Exchange> out;
  for (const auto& row : rows) out.push_back(ExchangeFromRow(row));
  return out;
}

Result<bool> Publish(Session& s, std::int64_t exchange_id, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(auto changed,
                         s.Execute("UPDATE trust_exchanges SET published_at = $2 WHERE id = $1 AND "
                                   "published_at IS NULL",
                                   {exchange_id, now_s}));
  if (changed == 0) return false;
  LINLI_TRY(
      s.Execute("UPDATE trust_ratings SET published_at = $2 WHERE exchange_id = $1 AND "
                "published_at IS NULL",
                {exchange_id, now_s}));
  return true;
}

// Ratings -----------------------------------------------------------------------------------

Status InsertRatingSlot(Session& s, const Exchange& exchange, Side rater_side) {
  const auto& record = exchange.record;
  const bool provider = rater_side == Side::kProvider;
  LINLI_TRY(s.Execute(
      "INSERT INTO trust_ratings (community_id, exchange_id, rater_user_id, ratee_user_id, "
      "rater_side) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
      {record.community_id, exchange.id,
       provider ? record.provider_user_id : record.consumer_user_id,
       provider ? record.consumer_user_id : record.provider_user_id,
       std::string(SideName(rater_side))}));
  return Ok();
}

Result<std::optional<Rating>> FindRating(Session& s, std::int64_t rating_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne(std::string(kRatingSelect) + "WHERE r.id = $1", {rating_id}));
  if (!row) return std::optional<Rating>{};
  return std::optional<Rating>{RatingFromRow(*row)};
}

Result<std::vector<Rating>> RatingsOfExchange(Session& s, std::int64_t exchange_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query(std::string(kRatingSelect) + "WHERE r.exchange_id = $1 "
                                                                         "ORDER BY r.id",
                                            {exchange_id}));
  std::vector<Rating> out;
  for (const auto& row : rows) out.push_back(RatingFromRow(row));
  return out;
}

Result<bool> FillRating(Session& s, std::int64_t rating_id, std::int64_t stars,
                        const std::string& comment, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed, s.Execute("UPDATE trust_ratings SET stars = $2, comment = $3, rated_at = $4 "
                              "WHERE id = $1 AND stars IS NULL",
                              {rating_id, stars, comment, now_s}));
  return changed > 0;
}

Result<Page<Rating>> PendingForRater(Session& s, std::int64_t rater_user_id, std::int64_t now_s,
                                     const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(std::string(kRatingSelect) +
                             "WHERE r.rater_user_id = $1 AND r.stars IS NULL AND "
                             "e.published_at IS NULL AND e.review_ends_at > $2 AND r.id < $3 "
                             "ORDER BY r.id DESC LIMIT $4",
                         {rater_user_id, now_s, After(page), Fetch(page)}));
  return RatingPage(rows, page);
}

Result<Page<Rating>> GivenBy(Session& s, std::int64_t rater_user_id, const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(std::string(kRatingSelect) +
                             "WHERE r.rater_user_id = $1 AND r.stars IS NOT NULL AND r.id < $2 "
                             "ORDER BY r.id DESC LIMIT $3",
                         {rater_user_id, After(page), Fetch(page)}));
  return RatingPage(rows, page);
}

Result<Page<Rating>> PublicReceived(Session& s, std::int64_t community_id,
                                    std::int64_t ratee_user_id, std::int64_t now_s,
                                    const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(std::string(kRatingSelect) +
                  "WHERE r.community_id = $1 AND r.ratee_user_id = $2 AND r.stars IS NOT NULL "
                  "AND (r.published_at IS NOT NULL OR e.review_ends_at <= $3) AND r.id < $4 "
                  "ORDER BY r.id DESC LIMIT $5",
              {community_id, ratee_user_id, now_s, After(page), Fetch(page)}));
  return RatingPage(rows, page);
}

Result<RatingStats> PublicStats(Session& s, std::int64_t community_id, std::int64_t ratee_user_id,
                                std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT COUNT(*), COALESCE(SUM(r.stars), 0) FROM trust_ratings r "
                           "JOIN trust_exchanges e ON e.id = r.exchange_id "
                           "WHERE r.community_id = $1 AND r.ratee_user_id = $2 AND r.stars IS "
                           "NOT NULL AND (r.published_at IS NOT NULL OR e.review_ends_at <= $3)",
                           {community_id, ratee_user_id, now_s}));
  return RatingStats{row->Int(0), row->Int(1)};
}

// Credit ------------------------------------------------------------------------------------

Result<bool> InsertCreditEvent(Session& s, const CreditEvent& event) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed,
      s.Execute("INSERT INTO trust_credit_events (community_id, user_id, kind, amount, "
                "source_type, source_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                "ON CONFLICT DO NOTHING",
                {event.community_id, event.user_id, std::string(CreditKindName(event.kind)),
                 event.amount, event.source_type, event.source_id, event.at}));
  return changed > 0;
}

Result<std::vector<CreditEvent>> CreditEventsOf(Session& s, std::int64_t community_id,
                                                std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT id, community_id, user_id, kind, amount, source_type, "
                         "source_id, at FROM trust_credit_events WHERE community_id = $1 AND "
                         "user_id = $2 ORDER BY at, id",
                         {community_id, user_id}));
  std::vector<CreditEvent> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(CreditFromRow(row));
  return out;
}

// Reports -----------------------------------------------------------------------------------

Result<std::optional<std::int64_t>> InsertReport(Session& s, const Report& report) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne(
          "INSERT INTO trust_reports (community_id, card_id, card_title, "
          "card_owner_user_id, reporter_user_id, category, text, status, created_at) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) ON CONFLICT DO NOTHING "
          "RETURNING id",
          {report.community_id, report.card_id, report.card_title,
           storage::Nullable(report.card_owner_user_id), report.reporter_user_id,
           std::string(ReportCategoryName(report.category)), report.text, report.created_at}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::optional<Report>> FindReport(Session& s, std::int64_t report_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne(std::string(kReportSelect) + "WHERE id = $1", {report_id}));
  if (!row) return std::optional<Report>{};
  return std::optional<Report>{ReportFromRow(*row)};
}

Result<Page<Report>> ReportQueue(Session& s, std::int64_t community_id,
                                 std::optional<ReportStatus> status, const PageRequest& page) {
  const std::string wanted = status ? std::string(ReportStatusName(*status)) : "";
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(std::string(kReportSelect) +
                             "WHERE community_id = $1 AND ($2 = '' OR status = $2) AND id < $3 "
                             "ORDER BY id DESC LIMIT $4",
                         {community_id, wanted, After(page), Fetch(page)}));
  return ReportPage(rows, page);
}

Result<Page<Report>> ReportsByReporter(Session& s, std::int64_t reporter_user_id,
                                       const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(std::string(kReportSelect) +
                             "WHERE reporter_user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3",
                         {reporter_user_id, After(page), Fetch(page)}));
  return ReportPage(rows, page);
}

Result<bool> DecideReport(Session& s, const Report& report) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed,
      s.Execute("UPDATE trust_reports SET status = $2, decided_by = $3, decided_at = $4, "
                "decision_reason = $5, reward_points = $6 WHERE id = $1 AND status = 'open'",
                {report.id, std::string(ReportStatusName(report.status)),
                 storage::Nullable(report.decided_by), storage::Nullable(report.decided_at),
                 report.decision_reason, report.reward_points}));
  return changed > 0;
}

// Disputes ----------------------------------------------------------------------------------

Result<std::optional<std::int64_t>> InsertDispute(Session& s, const Dispute& dispute) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO trust_disputes (community_id, exchange_id, opened_by, "
                 "respondent_user_id, reason, status, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, 'open', $6, $6) ON CONFLICT DO NOTHING RETURNING id",
                 {dispute.community_id, dispute.exchange_id, dispute.opened_by,
                  dispute.respondent_user_id, dispute.reason, dispute.created_at}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::optional<Dispute>> FindDispute(Session& s, std::int64_t dispute_id) {
  LINLI_ASSIGN_OR_RETURN(auto row,
                         s.QueryOne(std::string(kDisputeSelect) + "WHERE d.id = $1", {dispute_id}));
  if (!row) return std::optional<Dispute>{};
  return std::optional<Dispute>{DisputeFromRow(*row)};
}

Result<Page<Dispute>> DisputeQueue(Session& s, std::int64_t community_id,
                                   std::optional<DisputeStatus> status, const PageRequest& page) {
  const std::string wanted = status ? std::string(DisputeStatusName(*status)) : "";
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query(std::string(kDisputeSelect) +
                                     "WHERE d.community_id = $1 AND ($2 = '' OR d.status = $2) AND "
                                     "d.id < $3 ORDER BY d.id DESC LIMIT $4",
                                 {community_id, wanted, After(page), Fetch(page)}));
  return DisputePage(rows, page);
}

Result<Page<Dispute>> DisputesOfParty(Session& s, std::int64_t user_id, const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(std::string(kDisputeSelect) +
                             "WHERE (d.opened_by = $1 OR d.respondent_user_id = $1) AND d.id < $2 "
                             "ORDER BY d.id DESC LIMIT $3",
                         {user_id, After(page), Fetch(page)}));
  return DisputePage(rows, page);
}

Result<bool> UpdateDispute(Session& s, const Dispute& dispute, DisputeStatus expected) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed,
      s.Execute("UPDATE trust_disputes SET status = $2, mediator_user_id = $3, outcome = $4, "
                "at_fault_user_id = $5, points = $6, resolution = $7, updated_at = $8, "
                "resolved_at = $9 WHERE id = $1 AND status = $10",
                {dispute.id, std::string(DisputeStatusName(dispute.status)),
                 storage::Nullable(dispute.mediator_user_id), OutcomeValue(dispute.outcome),
                 storage::Nullable(dispute.at_fault_user_id), dispute.points, dispute.resolution,
                 dispute.updated_at, storage::Nullable(dispute.resolved_at),
                 std::string(DisputeStatusName(expected))}));
  return changed > 0;
}

Status InsertDisputeEvent(Session& s, std::int64_t community_id, const DisputeEvent& event) {
  LINLI_TRY(
      s.Execute("INSERT INTO trust_dispute_events (community_id, dispute_id, "
                "actor_user_id, kind, text, internal, at) VALUES ($1, $2, $3, $4, $5, $6, "
                "$7)",
                {community_id, event.dispute_id, event.actor_user_id,
                 std::string(DisputeEventKindName(event.kind)), event.text,
                 std::int64_t{event.internal ? 1 : 0}, event.at}));
  return Ok();
}

Result<std::vector<DisputeEvent>> DisputeEventsOf(Session& s, std::int64_t community_id,
                                                  std::int64_t dispute_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT id, dispute_id, actor_user_id, kind, text, internal, at FROM "
                         "trust_dispute_events WHERE community_id = $1 AND dispute_id = $2 "
                         "ORDER BY id",
                         {community_id, dispute_id}));
  std::vector<DisputeEvent> out;
  for (const auto& row : rows) {
    DisputeEvent event;
    event.id = row.Int(0);
    event.dispute_id = row.Int(1);
    event.actor_user_id = row.Int(2);
    event.kind = ParseDisputeEventKind(row.Text(3)).value_or(DisputeEventKind::kNote);
    event.text = row.Text(4);
    event.internal = row.Int(5) != 0;
    event.at = row.Int(6);
    out.push_back(std::move(event));
  }
  return out;
}

// Verifications -----------------------------------------------------------------------------

Result<std::int64_t> InsertVerification(Session& s, const Verification& v) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO trust_verifications (community_id, user_id, kind, issuer, "
                 "valid_until, note, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, "
                 "$7, $8) RETURNING id",
                 {v.community_id, v.user_id, std::string(VerificationKindName(v.kind)), v.issuer,
                  storage::Nullable(v.valid_until), v.note, v.recorded_by, v.recorded_at}));
  return row->Int(0);
}

Status SetVerificationNumber(Session& s, std::int64_t verification_id, const std::string& sealed) {
  LINLI_TRY(s.Execute("UPDATE trust_verifications SET number_sealed = $2 WHERE id = $1",
                      {verification_id, storage::Blob{sealed}}));
  return Ok();
}

Result<std::optional<VerificationRow>> FindVerification(Session& s, std::int64_t verification_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne(std::string(kVerificationSelect) + "WHERE id = $1", {verification_id}));
  if (!row) return std::optional<VerificationRow>{};
  return std::optional<VerificationRow>{VerificationFromRow(*row)};
}

Result<std::vector<VerificationRow>> VerificationsOf(Session& s, std::int64_t community_id,
                                                     std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query(std::string(kVerificationSelect) +
                                     "WHERE community_id = $1 AND user_id = $2 ORDER BY id DESC",
                                 {community_id, user_id}));
  std::vector<VerificationRow> out;
  for (const auto& row : rows) out.push_back(VerificationFromRow(row));
  return out;
}

Result<bool> RevokeVerification(Session& s, std::int64_t verification_id, std::int64_t by,
                                std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed, s.Execute("UPDATE trust_verifications SET revoked_at = $2, revoked_by = $3 "
                              "WHERE id = $1 AND revoked_at IS NULL",
                              {verification_id, now_s, by}));
  return changed > 0;
}

Result<bool> HasCurrentVerification(Session& s, std::int64_t community_id, std::int64_t user_id,
                                    std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT 1 FROM trust_verifications WHERE community_id = $1 AND "
                           "user_id = $2 AND revoked_at IS NULL AND (valid_until IS NULL OR "
                           "valid_until > $3) LIMIT 1",
                           {community_id, user_id, now_s}));
  return row.has_value();
}

}  // namespace linli::trust::repo
