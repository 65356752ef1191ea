#include "trust/service.hpp"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "core/limits.hpp"
#include "trust/repo.hpp"

namespace linli::trust {
namespace {

Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return Ok();
}

// The person acting: the resident a guide assists, else the signed-in user (0 for the system
// and organisation keys, which are nobody's party).
std::int64_t PersonOf(const Actor& actor) {
  return actor.acting_for.value_or(actor.user_id);
}

Status RequirePerson(const Actor& actor) {
  LINLI_TRY(RequireSignedIn(actor));
  if (PersonOf(actor) == 0) return ForbiddenError("forbidden", "only a person can do this");
  return Ok();
}

Status CheckText(std::string_view field, const std::string& text, std::size_t max_bytes,
                 bool required) {
  if (required && text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidFieldError(std::string(field), "required", std::string(field) + " is required");
  }
  if (text.size() > max_bytes) {
    return InvalidFieldError(std::string(field), "too_long",
                             fmt::format("{} is longer than {} bytes", field, max_bytes));
  }
  return Ok();
}

Error IllegalTransition(std::string detail) {
  return ConflictError("illegal_transition", std::move(detail));
}

Error PointsUnavailable() {
  return PreconditionError("points_unavailable",
                           "points cannot move: the points ledger is not connected");
}

bool SameFacts(const ExchangeRecord& a, const ExchangeRecord& b) {
  return a.provider_user_id == b.provider_user_id && a.consumer_user_id == b.consumer_user_id &&
         a.outcome == b.outcome && a.card_id == b.card_id;
}

Status ValidateRecord(const ExchangeRecord& record) {
  if (record.community_id <= 0) return InvalidFieldError("community_id", "out_of_range");
  if (record.source_id <= 0) return InvalidFieldError("source_id", "out_of_range");
  if (record.provider_user_id <= 0) return InvalidFieldError("provider_user_id", "out_of_range");
  if (record.consumer_user_id <= 0) return InvalidFieldError("consumer_user_id", "out_of_range");
  if (record.provider_user_id == record.consumer_user_id) {
    return InvalidFieldError("consumer_user_id", "same_as_provider",
                             "provider and consumer must be different people");
  }
  if (record.completed_at_s <= 0) return InvalidFieldError("completed_at", "out_of_range");
  if (record.card_id && *record.card_id <= 0) return InvalidFieldError("card_id", "out_of_range");
  return Ok();
}

// The credit event an outcome means for the consumer.
CreditKind OutcomeCredit(Outcome outcome) {
  switch (outcome) {
    case Outcome::kNoShow: return CreditKind::kNoShow;
    case Outcome::kReturnedLate: return CreditKind::kLateReturn;
    case Outcome::kCompleted:
    case Outcome::kReturnedOnTime: return CreditKind::kOnTime;
  }
  return CreditKind::kOnTime;
}

Status Audit(storage::Session& session, const audit::AuditService& audit, const Actor& actor,
             std::int64_t community_id, std::string action, std::string object_type,
             std::int64_t object_id, std::string details = "{}") {
  auto draft = audit::DraftFor(actor, community_id, std::move(action), std::move(object_type),
                               std::to_string(object_id));
  draft.details = std::move(details);
  return audit.Append(session, draft);
}

std::int64_t OtherParty(const Dispute& dispute, std::int64_t user_id) {
  return dispute.opened_by == user_id ? dispute.respondent_user_id : dispute.opened_by;
}

bool IsParty(const Dispute& dispute, std::int64_t user_id) {
  return user_id != 0 && (dispute.opened_by == user_id || dispute.respondent_user_id == user_id);
}

}  // namespace

bool IsStaff(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin,
                                                         Role::kGridWorker, Role::kPropertyStaff});
}
bool IsMediator(const Actor& actor, std::int64_t community_id) {
  return actor.system ||
         actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin, Role::kGridWorker});
}
bool IsReportReviewer(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin});
}
bool IsVerifier(const Actor& actor, std::int64_t community_id) {
  return actor.system ||
         actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin, Role::kPropertyStaff});
}

TrustService::TrustService(storage::Store& store, const audit::AuditService& audit,
                           const notify::NotifyService& notify, const Clock& clock, Random& random,
                           const crypto::KeyRing& keys, TrustOptions options)
    : store_(store),
      audit_(audit),
      notify_(notify),
      clock_(clock),
      random_(random),
      keys_(keys),
      options_(options) {}

Status TrustService::NotifyUser(storage::Session& session, std::int64_t community_id,
                                std::int64_t user_id, std::string kind, std::string title,
                                std::string body, std::string data) const {
  notify::Notification notification;
  notification.community_id = community_id;
  notification.user_id = user_id;
  notification.kind = std::move(kind);
  notification.title = std::move(title);
  notification.body = std::move(body);
  notification.data = std::move(data);
  LINLI_TRY(notify_.Enqueue(session, std::move(notification)));
  return Ok();
}

Result<std::int64_t> TrustService::CommunityOf(const Actor& actor,
                                               std::int64_t community_id) const {
  const std::int64_t community =
      community_id > 0 ? community_id : actor.current_community_id.value_or(0);
  if (community <= 0) return InvalidFieldError("community_id", "required");
  if (!actor.system && !actor.IsMember(community)) return NotFoundError();
  return community;
}

// Exchanges ----------------------------------------------------------------------------------

Status TrustService::RecordExchange(storage::Session& session, const ExchangeRecord& record) const {
  LINLI_TRY(RecordInSession(session, Actor::System(), record));
  return Ok();
}

Result<Exchange> TrustService::RecordInSession(storage::Session& session, const Actor& actor,
                                               const ExchangeRecord& record) const {
  LINLI_TRY(ValidateRecord(record));
  LINLI_ASSIGN_OR_RETURN(
      auto existing,
      repo::FindExchangeBySource(session, record.community_id, record.source, record.source_id));
  if (existing) {
    if (!SameFacts(existing->record, record)) {
      return ConflictError("exchange_mismatch",
                           "this exchange was recorded already with different facts");
    }
    return *existing;
  }
  const std::int64_t now_s = clock_.NowEpochS();
  const std::int64_t review_ends_at =
      std::max(now_s, record.completed_at_s) + options_.review_window_s;
  LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertExchange(session, record, review_ends_at, now_s));
  if (!id) return ConflictError("duplicate", "the exchange was recorded concurrently");
  Exchange exchange{*id, record, review_ends_at, std::nullopt, now_s};
  // After a no-show only the provider has something to rate.
  LINLI_TRY(repo::InsertRatingSlot(session, exchange, Side::kProvider));
  if (record.outcome != Outcome::kNoShow) {
    LINLI_TRY(repo::InsertRatingSlot(session, exchange, Side::kConsumer));
  }
  CreditEvent event;
  event.community_id = record.community_id;
  event.user_id = record.consumer_user_id;
  event.kind = OutcomeCredit(record.outcome);
  event.source_type = "exchange";
  event.source_id = exchange.id;
  event.at = record.completed_at_s;
  LINLI_TRY(repo::InsertCreditEvent(session, event));
  const std::string data = fmt::format(R"({{"exchange_id":{}}})", exchange.id);
  LINLI_TRY(NotifyUser(session, record.community_id, record.provider_user_id,
                       "trust.rating.requested", "请为本次交换评价",
                       "评价在双方都提交后（或评价期结束时）同时公开。", data));
  if (record.outcome != Outcome::kNoShow) {
    LINLI_TRY(NotifyUser(session, record.community_id, record.consumer_user_id,
                         "trust.rating.requested", "请为本次交换评价",
                         "评价在双方都提交后（或评价期结束时）同时公开。", data));
  }
  LINLI_TRY(Audit(
      session, audit_, actor, record.community_id, "trust.exchange.record", "exchange", exchange.id,
      fmt::format(R"({{"source":"{}","source_id":{},"outcome":"{}"}})", SourceName(record.source),
                  record.source_id, OutcomeName(record.outcome))));
  return exchange;
}

Result<ExchangeView> TrustService::ViewOf(storage::Session& session, const repo::ExchangeRow& row,
                                          std::int64_t user_id) const {
  ExchangeView view;
  view.exchange = row.exchange;
  view.provider_name = row.provider_name;
  view.consumer_name = row.consumer_name;
  view.my_side =
      row.exchange.record.provider_user_id == user_id ? Side::kProvider : Side::kConsumer;
  LINLI_ASSIGN_OR_RETURN(auto ratings, repo::RatingsOfExchange(session, row.exchange.id));
  const std::int64_t now_s = clock_.NowEpochS();
  for (auto& rating : ratings) {
    if (rating.rater_user_id == user_id) {
      view.my_rating = std::move(rating);
    } else if (rating.stars && IsPublic(rating, now_s)) {
      view.their_rating = std::move(rating);
    }
  }
  return view;
}

Result<ExchangeView> TrustService::RecordExchangeAs(const Actor& actor,
                                                    const ExchangeRecord& record) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.system && !actor.IsMember(record.community_id)) return NotFoundError();
  if (!actor.system && !IsMediator(actor, record.community_id)) {
    return ForbiddenError("forbidden", "only committee, admin and grid workers record exchanges");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<ExchangeView> {
    for (std::int64_t user : {record.provider_user_id, record.consumer_user_id}) {
      LINLI_ASSIGN_OR_RETURN(bool member, repo::IsMember(session, record.community_id, user));
      if (!member) {
        return PreconditionError("not_member", "both people must be members of the community");
      }
    }
    LINLI_ASSIGN_OR_RETURN(auto exchange, RecordInSession(session, actor, record));
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindExchangeRow(session, exchange.id));
    return ViewOf(session, *row, record.consumer_user_id);
  });
}

Result<Page<ExchangeView>> TrustService::MyExchanges(const Actor& actor, const PageRequest& page) {
  LINLI_TRY(RequirePerson(actor));
  const std::int64_t me = PersonOf(actor);
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<ExchangeView>> {
    LINLI_ASSIGN_OR_RETURN(auto rows, repo::ExchangesOfUser(session, me, page));
    Page<ExchangeView> out;
    out.next = rows.next;
    for (const auto& row : rows.items) {
      LINLI_ASSIGN_OR_RETURN(auto view, ViewOf(session, row, me));
      out.items.push_back(std::move(view));
    }
    return out;
  });
}

Result<ExchangeView> TrustService::GetExchange(const Actor& actor, std::int64_t exchange_id) {
  LINLI_TRY(RequirePerson(actor));
  const std::int64_t me = PersonOf(actor);
  return store_.ReadValue([&](storage::Session& session) -> Result<ExchangeView> {
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindExchangeRow(session, exchange_id));
    if (!row) return NotFoundError();
    const auto& record = row->exchange.record;
    if (record.provider_user_id != me && record.consumer_user_id != me) return NotFoundError();
    return ViewOf(session, *row, me);
  });
}

// Ratings ------------------------------------------------------------------------------------

Result<Page<Rating>> TrustService::PendingRatings(const Actor& actor, const PageRequest& page) {
  LINLI_TRY(RequirePerson(actor));
  const std::int64_t now_s = clock_.NowEpochS();
  return store_.ReadValue([&](storage::Session& session) {
    return repo::PendingForRater(session, PersonOf(actor), now_s, page);
  });
}

Result<Rating> TrustService::Rate(const Actor& actor, std::int64_t rating_id, std::int64_t stars,
                                  const std::string& comment) {
  LINLI_TRY(RequirePerson(actor));
  if (stars < 1 || stars > 5) return InvalidFieldError("stars", "out_of_range", "1 to 5 stars");
  LINLI_TRY(CheckText("comment", comment, limits::kRatingCommentBytesMax, false));
  const std::int64_t me = PersonOf(actor);
  return store_.WriteValue([&](storage::Session& session) -> Result<Rating> {
    LINLI_ASSIGN_OR_RETURN(auto rating, repo::FindRating(session, rating_id));
    if (!rating || rating->rater_user_id != me) return NotFoundError();
    // Lock the exchange row first: two parties rating at once then see each other's rating,
    // so exactly one of them publishes both (PostgreSQL; SQLite has one writer anyway).
    LINLI_TRY(
        session.Execute("UPDATE trust_exchanges SET published_at = published_at "
                        "WHERE id = $1",
                        {rating->exchange_id}));
    LINLI_ASSIGN_OR_RETURN(auto exchange, repo::FindExchange(session, rating->exchange_id));
    const std::int64_t now_s = clock_.NowEpochS();
    if (rating->stars) return ConflictError("already_rated", "this rating was given already");
    if (exchange->published_at || exchange->review_ends_at <= now_s) {
      return PreconditionError("review_closed", "the review window of this exchange has ended");
    }
    LINLI_ASSIGN_OR_RETURN(bool filled,
                           repo::FillRating(session, rating_id, stars, comment, now_s));
    if (!filled) return ConflictError("already_rated", "this rating was given already");
    LINLI_TRY(Audit(session, audit_, actor, rating->community_id, "trust.rating.submit", "rating",
                    rating_id,
                    fmt::format(R"({{"exchange_id":{},"stars":{}}})", rating->exchange_id, stars)));
    LINLI_ASSIGN_OR_RETURN(auto slots, repo::RatingsOfExchange(session, rating->exchange_id));
    const bool all_given = std::all_of(slots.begin(), slots.end(),
                                       [](const Rating& slot) { return slot.stars.has_value(); });
    if (all_given) LINLI_TRY(PublishInSession(session, *exchange, now_s));
    LINLI_ASSIGN_OR_RETURN(auto saved, repo::FindRating(session, rating_id));
    return *saved;
  });
}

Status TrustService::PublishInSession(storage::Session& session, const Exchange& exchange,
                                      std::int64_t now_s) const {
  LINLI_ASSIGN_OR_RETURN(bool published, repo::Publish(session, exchange.id, now_s));
  if (!published) return Ok();
  LINLI_ASSIGN_OR_RETURN(auto ratings, repo::RatingsOfExchange(session, exchange.id));
  int given = 0;
  for (const auto& rating : ratings) {
    if (!rating.stars) continue;
    ++given;
    if (*rating.stars == 5 || *rating.stars <= 2) {
      CreditEvent event;
      event.community_id = rating.community_id;
      event.user_id = rating.ratee_user_id;
      event.kind = *rating.stars == 5 ? CreditKind::kRatingGood : CreditKind::kRatingPoor;
      event.source_type = "rating";
      event.source_id = rating.id;
      event.at = now_s;
      LINLI_TRY(repo::InsertCreditEvent(session, event));
    }
  }
  const std::string data = fmt::format(R"({{"exchange_id":{}}})", exchange.id);
  for (std::int64_t user : {exchange.record.provider_user_id, exchange.record.consumer_user_id}) {
    LINLI_TRY(NotifyUser(session, exchange.record.community_id, user, "trust.rating.published",
                         "交换评价已公开", "双方的评价现已同时公开，可在“我的信用”中查看。", data));
  }
  return Audit(session, audit_, Actor::System(), exchange.record.community_id,
               "trust.ratings.publish", "exchange", exchange.id,
               fmt::format(R"({{"given":{}}})", given));
}

Result<int> TrustService::PublishDue(std::int64_t now_s) {
  return store_.WriteValue([&](storage::Session& session) -> Result<int> {
    LINLI_ASSIGN_OR_RETURN(auto due,
                           repo::DueForPublication(session, now_s, limits::kTrustPublishBatchMax));
    for (const auto& exchange : due) LINLI_TRY(PublishInSession(session, exchange, now_s));
    return static_cast<int>(due.size());
  });
}

Result<Page<Rating>> TrustService::RatingsGiven(const Actor& actor, const PageRequest& page) {
  LINLI_TRY(RequirePerson(actor));
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::GivenBy(session, PersonOf(actor), page); });
}

Result<Page<Rating>> TrustService::RatingsReceived(const Actor& actor, std::int64_t community_id,
                                                   std::int64_t user_id, const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  const std::int64_t person = user_id > 0 ? user_id : PersonOf(actor);
  const std::int64_t now_s = clock_.NowEpochS();
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<Rating>> {
    LINLI_ASSIGN_OR_RETURN(bool member, repo::IsMember(session, community, person));
    if (!member) return NotFoundError();
    return repo::PublicReceived(session, community, person, now_s, page);
  });
}

// Credit and summary --------------------------------------------------------------------------

Result<CreditReport> TrustService::CreditIn(storage::Session& session, std::int64_t community_id,
                                            std::int64_t user_id, bool with_events) const {
  const CreditRules& rules = CurrentRules();
  const std::int64_t now_s = clock_.NowEpochS();
  LINLI_ASSIGN_OR_RETURN(auto events, repo::CreditEventsOf(session, community_id, user_id));
  LINLI_ASSIGN_OR_RETURN(auto first, repo::FirstExchangeAt(session, community_id, user_id));
  CreditReport report;
  report.community_id = community_id;
  report.user_id = user_id;
  report.score = ScoreOf(events, rules);
  report.level = LevelOf(report.score);
  report.ambassador = AmbassadorOf(first, events, now_s, rules);
  if (with_events) {
    std::reverse(events.begin(), events.end());
    if (events.size() > limits::kCreditEventsShownMax) {
      events.resize(limits::kCreditEventsShownMax);
      report.events_truncated = true;
    }
    report.events = std::move(events);
  }
  return report;
}

Result<CreditReport> TrustService::MyCredit(const Actor& actor, std::int64_t community_id) {
  LINLI_TRY(RequirePerson(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  return store_.ReadValue([&](storage::Session& session) {
    return CreditIn(session, community, PersonOf(actor), true);
  });
}

Result<CreditReport> TrustService::CreditOf(const Actor& actor, std::int64_t community_id,
                                            std::int64_t user_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  if (!IsStaff(actor, community) && PersonOf(actor) != user_id) return NotFoundError();
  return store_.ReadValue([&](storage::Session& session) -> Result<CreditReport> {
    LINLI_ASSIGN_OR_RETURN(bool member, repo::IsMember(session, community, user_id));
    if (!member) return NotFoundError();
    return CreditIn(session, community, user_id, false);
  });
}

Result<TrustSummary> TrustService::SummaryIn(storage::Session& session, std::int64_t community_id,
                                             std::int64_t user_id) const {
  const std::int64_t now_s = clock_.NowEpochS();
  LINLI_ASSIGN_OR_RETURN(auto credit, CreditIn(session, community_id, user_id, false));
  LINLI_ASSIGN_OR_RETURN(auto stats, repo::PublicStats(session, community_id, user_id, now_s));
  TrustSummary summary;
  summary.community_id = community_id;
  summary.user_id = user_id;
  summary.rating_count = stats.count;
  summary.rating_average =
      stats.count > 0 ? static_cast<double>(stats.stars_sum) / static_cast<double>(stats.count)
                      : 0.0;
  summary.credit_score = credit.score;
  summary.level = credit.level;
  summary.ambassador = credit.ambassador;
  LINLI_ASSIGN_OR_RETURN(summary.verified,
                         repo::HasCurrentVerification(session, community_id, user_id, now_s));
  LINLI_ASSIGN_OR_RETURN(summary.exchange_count,
                         repo::ExchangeCount(session, community_id, user_id));
  return summary;
}

Result<TrustSummary> TrustService::Summary(std::int64_t community_id, std::int64_t user_id) const {
  return store_.ReadValue(
      [&](storage::Session& session) { return SummaryIn(session, community_id, user_id); });
}

Result<SummaryView> TrustService::SummaryFor(const Actor& actor, std::int64_t community_id,
                                             std::int64_t user_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  const std::int64_t person = user_id > 0 ? user_id : PersonOf(actor);
  return store_.ReadValue([&](storage::Session& session) -> Result<SummaryView> {
    LINLI_ASSIGN_OR_RETURN(bool member, repo::IsMember(session, community, person));
    if (!member) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto summary, SummaryIn(session, community, person));
    return SummaryView{summary, IsStaff(actor, community) || PersonOf(actor) == person};
  });
}

// Reports -----------------------------------------------------------------------------------

Result<Report> TrustService::OpenReport(const Actor& actor, const ReportInput& input) {
  LINLI_TRY(RequirePerson(actor));
  if (input.card_id <= 0) return InvalidFieldError("card_id", "out_of_range");
  LINLI_TRY(CheckText("text", input.text, limits::kReportTextBytesMax, false));
  if (!listings_) {
    return Error{Errc::kUnavailable, "listings_unavailable",
                 "listings cannot be looked up right now"};
  }
  LINLI_ASSIGN_OR_RETURN(auto listing, listings_(actor, input.card_id));
  const std::int64_t me = PersonOf(actor);
  if (listing.owner_user_id == me) {
    return PreconditionError("self_report", "you cannot report your own listing");
  }
  Report report;
  report.community_id = listing.community_id;
  report.card_id = listing.card_id;
  report.card_title = listing.title;
  report.card_owner_user_id = listing.owner_user_id;
  report.reporter_user_id = me;
  report.category = input.category;
  report.text = input.text;
  report.created_at = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<Report> {
    LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertReport(session, report));
    if (!id) {
      return ConflictError("already_reported", "you have an open report on this listing");
    }
    LINLI_TRY(Audit(session, audit_, actor, report.community_id, "trust.report.open", "report", *id,
                    fmt::format(R"({{"card_id":{},"category":"{}"}})", report.card_id,
                                ReportCategoryName(report.category))));
    Report saved = report;
    saved.id = *id;
    return saved;
  });
}

Result<Page<Report>> TrustService::MyReports(const Actor& actor, const PageRequest& page) {
  LINLI_TRY(RequirePerson(actor));
  return store_.ReadValue([&](storage::Session& session) {
    return repo::ReportsByReporter(session, PersonOf(actor), page);
  });
}

Result<Page<Report>> TrustService::ReportQueue(const Actor& actor, std::int64_t community_id,
                                               std::optional<ReportStatus> status,
                                               const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  if (!IsReportReviewer(actor, community)) {
    return ForbiddenError("forbidden", "only the committee reviews reports");
  }
  return store_.ReadValue([&](storage::Session& session) {
    return repo::ReportQueue(session, community, status, page);
  });
}

Result<Report> TrustService::GetReport(const Actor& actor, std::int64_t report_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(auto report, store_.ReadValue([&](storage::Session& session) {
    return repo::FindReport(session, report_id);
  }));
  if (!report) return NotFoundError();
  const bool reporter = PersonOf(actor) != 0 && report->reporter_user_id == PersonOf(actor);
  if (!reporter && !IsReportReviewer(actor, report->community_id)) return NotFoundError();
  return *report;
}

Result<Report> TrustService::DecideReport(const Actor& actor, std::int64_t report_id, bool upheld,
                                          const std::string& reason) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_TRY(CheckText("reason", reason, limits::kTrustReasonBytesMax, true));
  return store_.WriteValue([&](storage::Session& session) -> Result<Report> {
    LINLI_ASSIGN_OR_RETURN(auto found, repo::FindReport(session, report_id));
    if (!found || !IsReportReviewer(actor, found->community_id)) return NotFoundError();
    Report report = *found;
    if (report.status != ReportStatus::kOpen) {
      return IllegalTransition(fmt::format("{} → decided", ReportStatusName(report.status)));
    }
    if (!actor.system && report.card_owner_user_id == PersonOf(actor)) {
      return PreconditionError("self_review", "another committee member must decide this");
    }
    const std::int64_t now_s = clock_.NowEpochS();
    report.status = upheld ? ReportStatus::kUpheld : ReportStatus::kDismissed;
    report.decided_by = PersonOf(actor);
    report.decided_at = now_s;
    report.decision_reason = reason;
    if (upheld) {
      if (points_ == nullptr) return PointsUnavailable();
      report.reward_points = options_.report_reward_points;
      if (report.reward_points > 0) {
        LINLI_TRY(points_->Reward(session, report.community_id, report.reporter_user_id,
                                  report.reward_points,
                                  fmt::format("trust.report.{}.reward", report.id)));
      }
      if (report.card_owner_user_id) {
        CreditEvent event;
        event.community_id = report.community_id;
        event.user_id = *report.card_owner_user_id;
        event.kind = CreditKind::kReportUpheld;
        event.source_type = "report";
        event.source_id = report.id;
        event.at = now_s;
        LINLI_TRY(repo::InsertCreditEvent(session, event));
        LINLI_TRY(NotifyUser(
            session, report.community_id, *report.card_owner_user_id, "trust.report.upheld_against",
            "您的资源被核实为不实信息", "居委会核实了对您发布资源的举报，信用分已相应扣减。",
            fmt::format(R"({{"report_id":{},"card_id":{}}})", report.id, report.card_id)));
      }
    }
    LINLI_ASSIGN_OR_RETURN(bool decided, repo::DecideReport(session, report));
    if (!decided) return IllegalTransition("the report was decided concurrently");
    LINLI_TRY(NotifyUser(session, report.community_id, report.reporter_user_id,
                         "trust.report.decided", upheld ? "您的举报已核实" : "您的举报未被采纳",
                         upheld ? fmt::format("感谢举报，已奖励 {} 积分。", report.reward_points)
                                : std::string("居委会核查后未采纳该举报，理由见详情。"),
                         fmt::format(R"({{"report_id":{}}})", report.id)));
    LINLI_TRY(Audit(session, audit_, actor, report.community_id, "trust.report.decide", "report",
                    report.id,
                    fmt::format(R"({{"decision":"{}","reward_points":{}}})",
                                ReportStatusName(report.status), report.reward_points)));
    return report;
  });
}

// Disputes -----------------------------------------------------------------------------------

Result<Dispute> TrustService::OpenDispute(const Actor& actor, std::int64_t exchange_id,
                                          const std::string& reason) {
  LINLI_TRY(RequirePerson(actor));
  LINLI_TRY(CheckText("reason", reason, limits::kTrustReasonBytesMax, true));
  const std::int64_t me = PersonOf(actor);
  return store_.WriteValue([&](storage::Session& session) -> Result<Dispute> {
    LINLI_ASSIGN_OR_RETURN(auto exchange, repo::FindExchange(session, exchange_id));
    if (!exchange) return NotFoundError();
    const auto& record = exchange->record;
    if (record.provider_user_id != me && record.consumer_user_id != me) return NotFoundError();
    const std::int64_t now_s = clock_.NowEpochS();
    if (record.completed_at_s + options_.dispute_window_s < now_s) {
      return PreconditionError("dispute_window_closed",
                               "disputes must be opened within the dispute window");
    }
    Dispute dispute;
    dispute.community_id = record.community_id;
    dispute.exchange_id = exchange->id;
    dispute.opened_by = me;
    dispute.respondent_user_id =
        record.provider_user_id == me ? record.consumer_user_id : record.provider_user_id;
    dispute.reason = reason;
    dispute.created_at = now_s;
    LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertDispute(session, dispute));
    if (!id) return ConflictError("dispute_exists", "this exchange has an open dispute already");
    LINLI_ASSIGN_OR_RETURN(auto saved, repo::FindDispute(session, *id));
    LINLI_TRY(DisputeStep(session, actor, *saved, DisputeEventKind::kOpened, reason, false,
                          "trust.dispute.open"));
    return *saved;
  });
}

Status TrustService::DisputeStep(storage::Session& session, const Actor& actor,
                                 const Dispute& dispute, DisputeEventKind kind,
                                 const std::string& text, bool internal,
                                 std::string_view action) const {
  DisputeEvent event;
  event.dispute_id = dispute.id;
  event.actor_user_id = PersonOf(actor);
  event.kind = kind;
  event.text = text;
  event.internal = internal;
  event.at = clock_.NowEpochS();
  LINLI_ASSIGN_OR_RETURN(auto events,
                         repo::DisputeEventsOf(session, dispute.community_id, dispute.id));
  if (events.size() >= limits::kDisputeEventsMax) {
    return PreconditionError("too_many_notes", "this dispute's timeline is full");
  }
  LINLI_TRY(repo::InsertDisputeEvent(session, dispute.community_id, event));
  if (!internal) {
    const std::string data = fmt::format(R"({{"dispute_id":{}}})", dispute.id);
    for (std::int64_t party : {dispute.opened_by, dispute.respondent_user_id}) {
      if (party == PersonOf(actor)) continue;  // nobody is told what they did themselves
      LINLI_TRY(NotifyUser(session, dispute.community_id, party,
                           fmt::format("trust.dispute.{}", DisputeEventKindName(kind)),
                           "纠纷调解有新进展", "请在“纠纷详情”中查看调解时间线。", data));
    }
  }
  return Audit(session, audit_, actor, dispute.community_id, std::string(action), "dispute",
               dispute.id,
               fmt::format(R"({{"status":"{}","internal":{}}})", DisputeStatusName(dispute.status),
                           internal));
}

Result<Dispute> TrustService::LoadDispute(storage::Session& session, const Actor& actor,
                                          std::int64_t dispute_id, bool* mediator) const {
  LINLI_ASSIGN_OR_RETURN(auto dispute, repo::FindDispute(session, dispute_id));
  if (!dispute) return NotFoundError();
  const bool party = IsParty(*dispute, PersonOf(actor));
  *mediator = !party && IsMediator(actor, dispute->community_id);
  if (!party && !*mediator) {
    // A mediator who is a party sees it as a party; anyone else not at all.
    return NotFoundError();
  }
  return *dispute;
}

Result<Page<Dispute>> TrustService::MyDisputes(const Actor& actor, const PageRequest& page) {
  LINLI_TRY(RequirePerson(actor));
  return store_.ReadValue([&](storage::Session& session) {
    return repo::DisputesOfParty(session, PersonOf(actor), page);
  });
}

Result<Page<Dispute>> TrustService::DisputeQueue(const Actor& actor, std::int64_t community_id,
                                                 std::optional<DisputeStatus> status,
                                                 const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  if (!IsMediator(actor, community)) {
    return ForbiddenError("forbidden", "only mediators see the dispute queue");
  }
  return store_.ReadValue([&](storage::Session& session) {
    return repo::DisputeQueue(session, community, status, page);
  });
}

Result<Dispute> TrustService::GetDispute(const Actor& actor, std::int64_t dispute_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<Dispute> {
    bool mediator = false;
    LINLI_ASSIGN_OR_RETURN(auto dispute, LoadDispute(session, actor, dispute_id, &mediator));
    LINLI_ASSIGN_OR_RETURN(auto events,
                           repo::DisputeEventsOf(session, dispute.community_id, dispute.id));
    for (auto& event : events) {
      if (!event.internal || mediator) dispute.timeline.push_back(std::move(event));
    }
    return dispute;
  });
}

Result<Dispute> TrustService::TakeDispute(const Actor& actor, std::int64_t dispute_id) {
  LINLI_TRY(RequireSignedIn(actor));
  auto taken = store_.WriteValue([&](storage::Session& session) -> Result<Dispute> {
    bool mediator = false;
    LINLI_ASSIGN_OR_RETURN(auto dispute, LoadDispute(session, actor, dispute_id, &mediator));
    if (!mediator) {
      return PreconditionError("self_mediation", "a party cannot mediate their own dispute");
    }
    if (dispute.status != DisputeStatus::kOpen) {
      return IllegalTransition(fmt::format("{} → in_mediation", DisputeStatusName(dispute.status)));
    }
    const DisputeStatus expected = dispute.status;
    dispute.status = DisputeStatus::kInMediation;
    dispute.mediator_user_id = PersonOf(actor);
    dispute.updated_at = clock_.NowEpochS();
    LINLI_ASSIGN_OR_RETURN(bool saved, repo::UpdateDispute(session, dispute, expected));
    if (!saved) return IllegalTransition("the dispute changed concurrently");
    LINLI_TRY(DisputeStep(session, actor, dispute, DisputeEventKind::kTaken, "", false,
                          "trust.dispute.take"));
    return dispute;
  });
  if (!taken) return taken.error();
  return GetDispute(actor, dispute_id);
}

Result<Dispute> TrustService::AddDisputeNote(const Actor& actor, std::int64_t dispute_id,
                                             const std::string& text, bool internal) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_TRY(CheckText("text", text, limits::kDisputeNoteBytesMax, true));
  auto added = store_.WriteValue([&](storage::Session& session) -> Result<Dispute> {
    bool mediator = false;
    LINLI_ASSIGN_OR_RETURN(auto dispute, LoadDispute(session, actor, dispute_id, &mediator));
    if (internal && !mediator) {
      return ForbiddenError("forbidden", "only mediators write internal notes");
    }
    if (dispute.status == DisputeStatus::kResolved) {
      return IllegalTransition("resolved → note: the dispute is closed");
    }
    LINLI_TRY(DisputeStep(session, actor, dispute,
                          mediator ? DisputeEventKind::kNote : DisputeEventKind::kStatement, text,
                          internal, "trust.dispute.note"));
    return dispute;
  });
  if (!added) return added.error();
  return GetDispute(actor, dispute_id);
}

Result<Dispute> TrustService::ResolveDispute(const Actor& actor, std::int64_t dispute_id,
                                             const Resolution& resolution) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_TRY(CheckText("resolution", resolution.text, limits::kTrustReasonBytesMax, true));
  const CreditRules& rules = CurrentRules();
  switch (resolution.outcome) {
    case DisputeOutcome::kCompensation:
      if (resolution.points < 1 || resolution.points > limits::kCompensationPointsMax) {
        return InvalidFieldError("points", "out_of_range", "compensation needs 1 or more points");
      }
      break;
    case DisputeOutcome::kCreditDeduction:
      if (resolution.points < 1 || resolution.points > rules.credit_deduction_max) {
        return InvalidFieldError(
            "points", "out_of_range",
            fmt::format("a deduction is 1 to {} points", rules.credit_deduction_max));
      }
      break;
    case DisputeOutcome::kReturn:
    case DisputeOutcome::kDismissed:
      if (resolution.points != 0) return InvalidFieldError("points", "not_allowed");
      break;
  }
  auto resolved = store_.WriteValue([&](storage::Session& session) -> Result<Dispute> {
    bool mediator = false;
    LINLI_ASSIGN_OR_RETURN(auto dispute, LoadDispute(session, actor, dispute_id, &mediator));
    if (!mediator) {
      return PreconditionError("self_mediation", "a party cannot mediate their own dispute");
    }
    if (dispute.status != DisputeStatus::kInMediation) {
      return IllegalTransition(fmt::format("{} → resolved", DisputeStatusName(dispute.status)));
    }
    const bool upheld = resolution.outcome != DisputeOutcome::kDismissed;
    if (upheld &&
        (!resolution.at_fault_user_id || !IsParty(dispute, *resolution.at_fault_user_id))) {
      return InvalidFieldError("at_fault_user_id",
                               upheld && resolution.at_fault_user_id ? "not_a_party" : "required");
    }
    if (resolution.outcome == DisputeOutcome::kCompensation && points_ == nullptr) {
      return PointsUnavailable();
    }
    const std::int64_t now_s = clock_.NowEpochS();
    dispute.status = DisputeStatus::kResolved;
    dispute.outcome = resolution.outcome;
    dispute.at_fault_user_id = upheld ? resolution.at_fault_user_id : std::nullopt;
    dispute.points = resolution.points;
    dispute.resolution = resolution.text;
    dispute.updated_at = now_s;
    dispute.resolved_at = now_s;
    if (!dispute.mediator_user_id) dispute.mediator_user_id = PersonOf(actor);
    LINLI_ASSIGN_OR_RETURN(bool saved,
                           repo::UpdateDispute(session, dispute, DisputeStatus::kInMediation));
    if (!saved) return IllegalTransition("the dispute changed concurrently");
    if (resolution.outcome == DisputeOutcome::kCompensation) {
      LINLI_TRY(points_->Compensate(session, dispute.community_id, *dispute.at_fault_user_id,
                                    OtherParty(dispute, *dispute.at_fault_user_id),
                                    resolution.points,
                                    fmt::format("trust.dispute.{}.compensation", dispute.id)));
    }
    if (upheld) {
      CreditEvent event;
      event.community_id = dispute.community_id;
      event.user_id = *dispute.at_fault_user_id;
      event.kind = resolution.outcome == DisputeOutcome::kCreditDeduction
                       ? CreditKind::kCreditDeduction
                       : CreditKind::kDisputeUpheld;
      event.amount = resolution.outcome == DisputeOutcome::kCreditDeduction ? resolution.points : 0;
      event.source_type = "dispute";
      event.source_id = dispute.id;
      event.at = now_s;
      LINLI_TRY(repo::InsertCreditEvent(session, event));
    }
    LINLI_TRY(DisputeStep(session, actor, dispute, DisputeEventKind::kResolved, resolution.text,
                          false, "trust.dispute.resolve"));
    return dispute;
  });
  if (!resolved) return resolved.error();
  return GetDispute(actor, dispute_id);
}

// Verifications ------------------------------------------------------------------------------

Result<Verification> TrustService::Unseal(const repo::VerificationRow& row) const {
  Verification out = row.verification;
  if (row.number_sealed) {
    LINLI_ASSIGN_OR_RETURN(
        auto number,
        keys_.Open(*row.number_sealed,
                   crypto::SealContext(repo::kVerificationsTable, out.id, repo::kNumberField)));
    out.number = std::move(number);
  }
  return out;
}

Result<Verification> TrustService::RecordVerification(const Actor& actor,
                                                      const VerificationInput& input) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, input.community_id));
  if (!IsVerifier(actor, community)) {
    return ForbiddenError("forbidden", "only committee, admin and property staff verify");
  }
  if (input.user_id <= 0) return InvalidFieldError("user_id", "out_of_range");
  LINLI_TRY(CheckText("issuer", input.issuer, limits::kVerificationFieldBytesMax, true));
  if (input.number) {
    LINLI_TRY(CheckText("number", *input.number, limits::kVerificationFieldBytesMax, true));
  }
  LINLI_TRY(CheckText("note", input.note, limits::kVerificationNoteBytesMax, false));
  const std::int64_t now_s = clock_.NowEpochS();
  if (input.valid_until && *input.valid_until <= now_s) {
    return InvalidFieldError("valid_until", "in_the_past", "the record has already expired");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<Verification> {
    LINLI_ASSIGN_OR_RETURN(bool member, repo::IsMember(session, community, input.user_id));
    if (!member) return PreconditionError("not_member", "the person is not a member here");
    Verification verification;
    verification.community_id = community;
    verification.user_id = input.user_id;
    verification.kind = input.kind;
    verification.issuer = input.issuer;
    verification.valid_until = input.valid_until;
    verification.note = input.note;
    verification.recorded_by = PersonOf(actor);
    verification.recorded_at = now_s;
    LINLI_ASSIGN_OR_RETURN(verification.id, repo::InsertVerification(session, verification));
    if (input.number) {
      LINLI_ASSIGN_OR_RETURN(
          auto sealed, keys_.Seal(*input.number,
                                  crypto::SealContext(repo::kVerificationsTable, verification.id,
                                                      repo::kNumberField),
                                  random_));
      LINLI_TRY(repo::SetVerificationNumber(session, verification.id, sealed));
      verification.number = input.number;
    }
    LINLI_TRY(NotifyUser(session, community, input.user_id, "trust.verification.recorded",
                         "您的服务资质已登记", "已登记的资质会在您的信用资料中显示“已认证”。",
                         fmt::format(R"({{"verification_id":{}}})", verification.id)));
    LINLI_TRY(Audit(session, audit_, actor, community, "trust.verification.record", "verification",
                    verification.id,
                    fmt::format(R"({{"user_id":{},"kind":"{}","number":{}}})", input.user_id,
                                VerificationKindName(input.kind), input.number.has_value())));
    return verification;
  });
}

Result<std::vector<Verification>> TrustService::Verifications(const Actor& actor,
                                                              std::int64_t community_id,
                                                              std::int64_t user_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(const std::int64_t community, CommunityOf(actor, community_id));
  const std::int64_t person = user_id > 0 ? user_id : PersonOf(actor);
  if (!IsStaff(actor, community) && PersonOf(actor) != person) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto rows, store_.ReadValue([&](storage::Session& session) {
    return repo::VerificationsOf(session, community, person);
  }));
  std::vector<Verification> out;
  for (const auto& row : rows) {
    LINLI_ASSIGN_OR_RETURN(auto verification, Unseal(row));
    out.push_back(std::move(verification));
  }
  return out;
}

Result<Verification> TrustService::RevokeVerification(const Actor& actor,
                                                      std::int64_t verification_id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(
      auto row, store_.WriteValue([&](storage::Session& session) -> Result<repo::VerificationRow> {
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindVerification(session, verification_id));
        if (!found || !IsVerifier(actor, found->verification.community_id)) return NotFoundError();
        const std::int64_t now_s = clock_.NowEpochS();
        LINLI_ASSIGN_OR_RETURN(bool revoked, repo::RevokeVerification(session, verification_id,
                                                                      PersonOf(actor), now_s));
        if (!revoked) return IllegalTransition("revoked → revoked");
        found->verification.revoked_at = now_s;
        LINLI_TRY(Audit(session, audit_, actor, found->verification.community_id,
                        "trust.verification.revoke", "verification", verification_id));
        return *found;
      }));
  return Unseal(row);
}

}  // namespace linli::trust
