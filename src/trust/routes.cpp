#include "trust/routes.hpp"

#include <charconv>

#include "core/limits.hpp"
#include "http/json.hpp"

namespace linli::trust {
namespace {

namespace json = boost::json;
using http::Need;

constexpr std::size_t kEnumBytesMax = 32;

json::value OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

template <class Enum>
std::optional<Enum> EnumField(http::FieldReader& fields, std::string_view key, Need need,
                              std::optional<Enum> (*parse)(std::string_view)) {
  auto text = fields.String(key, need, kEnumBytesMax);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) fields.Fail(key, "unsupported");
  return value;
}

Error QueryError(std::string name, std::string reason) {
  return Error{Errc::kInvalidArgument,
               "invalid_field",
               "invalid query parameter " + name,
               {{std::move(name), std::move(reason)}}};
}

// An optional positive id in the query string; 0 when absent.
Result<std::int64_t> QueryId(const http::Request& request, std::string_view name) {
  auto text = request.Query(name);
  if (!text) return std::int64_t{0};
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || ptr != text->data() + text->size() || value <= 0) {
    return QueryError(std::string(name), "invalid");
  }
  return value;
}

template <class Enum>
Result<std::optional<Enum>> QueryEnum(const http::Request& request, std::string_view name,
                                      std::optional<Enum> (*parse)(std::string_view)) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<Enum>{};
  auto value = parse(*text);
  if (!value) return QueryError(std::string(name), "unsupported");
  return value;
}

std::int64_t PersonOf(const Actor& actor) {
  return actor.acting_for.value_or(actor.user_id);
}

http::Response Private(http::Response response) {
  response.With("Cache-Control", "no-store");
  return response;
}

json::object ExchangeJson(const ExchangeView& view) {
  const auto& e = view.exchange;
  const auto& r = e.record;
  return json::object{
      {"id", e.id},
      {"community_id", r.community_id},
      {"source", SourceName(r.source)},
      {"source_id", r.source_id},
      {"card_id", OptionalInt(r.card_id)},
      {"provider_user_id", r.provider_user_id},
      {"provider_name", view.provider_name},
      {"consumer_user_id", r.consumer_user_id},
      {"consumer_name", view.consumer_name},
      {"outcome", OutcomeName(r.outcome)},
      {"completed_at", r.completed_at_s},
      {"review_ends_at", e.review_ends_at},
      {"published_at", OptionalInt(e.published_at)},
      {"my_side", SideName(view.my_side)},
      {"my_rating", view.my_rating ? json::value(RatingJson(*view.my_rating)) : nullptr},
      {"their_rating", view.their_rating ? json::value(RatingJson(*view.their_rating)) : nullptr}};
}

json::object ReportJson(const Report& report) {
  return json::object{{"id", report.id},
                      {"community_id", report.community_id},
                      {"card_id", report.card_id},
                      {"card_title", report.card_title},
                      {"card_owner_user_id", OptionalInt(report.card_owner_user_id)},
                      {"reporter_user_id", report.reporter_user_id},
                      {"category", ReportCategoryName(report.category)},
                      {"text", report.text},
                      {"status", ReportStatusName(report.status)},
                      {"decided_by", OptionalInt(report.decided_by)},
                      {"decided_at", OptionalInt(report.decided_at)},
                      {"decision_reason", report.decision_reason},
                      {"reward_points", report.reward_points},
                      {"created_at", report.created_at}};
}

json::object DisputeJson(const Dispute& dispute, std::int64_t viewer) {
  json::array timeline;
  for (const auto& event : dispute.timeline) {
    timeline.push_back(json::object{{"id", event.id},
                                    {"actor_user_id", event.actor_user_id},
                                    {"kind", DisputeEventKindName(event.kind)},
                                    {"text", event.text},
                                    {"internal", event.internal},
                                    {"at", event.at}});
  }
  const bool party = viewer == dispute.opened_by || viewer == dispute.respondent_user_id;
  return json::object{
      {"id", dispute.id},
      {"community_id", dispute.community_id},
      {"exchange_id", dispute.exchange_id},
      {"opened_by", dispute.opened_by},
      {"opened_by_name", dispute.opened_by_name},
      {"respondent_user_id", dispute.respondent_user_id},
      {"respondent_name", dispute.respondent_name},
      {"reason", dispute.reason},
      {"status", DisputeStatusName(dispute.status)},
      {"mediator_user_id", OptionalInt(dispute.mediator_user_id)},
      {"outcome",
       dispute.outcome ? json::value(DisputeOutcomeName(*dispute.outcome)) : json::value(nullptr)},
      {"at_fault_user_id", OptionalInt(dispute.at_fault_user_id)},
      {"points", dispute.points},
      {"resolution", dispute.resolution},
      {"created_at", dispute.created_at},
      {"updated_at", dispute.updated_at},
      {"resolved_at", OptionalInt(dispute.resolved_at)},
      {"viewer_role", party ? "party" : "mediator"},
      {"timeline", std::move(timeline)}};
}

json::object AmbassadorJson(const Ambassador& ambassador) {
  return json::object{{"active", ambassador.active}, {"since", OptionalInt(ambassador.since)}};
}

json::object SummaryJson(const SummaryView& view) {
  const auto& s = view.summary;
  return json::object{
      {"community_id", s.community_id},
      {"user_id", s.user_id},
      {"rating_count", s.rating_count},
      {"rating_average", s.rating_average},
      {"credit_score", view.credit_visible ? json::value(s.credit_score) : json::value(nullptr)},
      {"level", view.credit_visible ? json::value(LevelName(s.level)) : json::value(nullptr)},
      {"ambassador", AmbassadorJson(s.ambassador)},
      {"verified", s.verified},
      {"exchange_count", s.exchange_count}};
}

json::object VerificationJson(const Verification& v, std::int64_t now_s) {
  return json::object{{"id", v.id},
                      {"community_id", v.community_id},
                      {"user_id", v.user_id},
                      {"kind", VerificationKindName(v.kind)},
                      {"issuer", v.issuer},
                      {"number", v.number ? json::value(*v.number) : json::value(nullptr)},
                      {"valid_until", OptionalInt(v.valid_until)},
                      {"note", v.note},
                      {"recorded_by", v.recorded_by},
                      {"recorded_at", v.recorded_at},
                      {"revoked_at", OptionalInt(v.revoked_at)},
                      {"current", IsCurrent(v, now_s)}};
}

template <class T, class ToJson>
http::Response PageJson(const Page<T>& page, ToJson to_json) {
  json::array items;
  for (const auto& item : page.items) items.push_back(to_json(item));
  return Private(http::Json(200, json::object{{"items", std::move(items)},
                                              {"next_cursor", http::CursorJson(page.next)}}));
}

// Handlers ------------------------------------------------------------------------------------

using Handler = http::Response (*)(http::Request&, TrustService&);

#define LINLI_OR_PROBLEM(lhs, expr)             \
  auto lhs = (expr);                            \
  if (!lhs) {                                   \
    return http::Problem(request, lhs.error()); \
  }

http::Response MyExchanges(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(listed, service.MyExchanges(http::ActorOf(request), *page));
  return PageJson(*listed, ExchangeJson);
}

http::Response GetExchange(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(view, service.GetExchange(http::ActorOf(request), *id));
  return Private(http::Json(200, ExchangeJson(*view)));
}

http::Response RecordExchange(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  LINLI_OR_PROBLEM(record, ParseExchangeRecord(*body));
  const Actor& actor = http::ActorOf(request);
  if (record->community_id == 0) record->community_id = actor.current_community_id.value_or(0);
  LINLI_OR_PROBLEM(view, service.RecordExchangeAs(actor, *record));
  return Private(http::Json(201, ExchangeJson(*view)));
}

http::Response PendingRatings(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(listed, service.PendingRatings(http::ActorOf(request), *page));
  return PageJson(*listed, RatingJson);
}

http::Response GivenRatings(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(listed, service.RatingsGiven(http::ActorOf(request), *page));
  return PageJson(*listed, RatingJson);
}

http::Response ReceivedRatings(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(user, QueryId(request, "user_id"));
  LINLI_OR_PROBLEM(listed,
                   service.RatingsReceived(http::ActorOf(request), *community, *user, *page));
  return PageJson(*listed, RatingJson);
}

http::Response Rate(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  LINLI_OR_PROBLEM(input, ParseRating(*body));
  LINLI_OR_PROBLEM(rating, service.Rate(http::ActorOf(request), *id, input->stars, input->comment));
  return Private(http::Json(200, RatingJson(*rating)));
}

http::Response MyCredit(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(report, service.MyCredit(http::ActorOf(request), *community));
  return Private(http::Json(200, CreditJson(*report)));
}

http::Response UserCredit(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(report, service.CreditOf(http::ActorOf(request), *community, *id));
  return Private(http::Json(200, CreditJson(*report)));
}

http::Response UserSummary(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(view, service.SummaryFor(http::ActorOf(request), *community, *id));
  return Private(http::Json(200, SummaryJson(*view)));
}

http::Response Rules(http::Request& request, TrustService&) {
  if (http::ActorOf(request).IsAnonymous()) return http::Problem(request, UnauthenticatedError());
  return Private(http::Json(200, RulesJson(CurrentRules())));
}

http::Response UserVerifications(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(listed, service.Verifications(http::ActorOf(request), *community, *id));
  json::array items;
  const std::int64_t now_s = service.clock().NowEpochS();
  for (const auto& v : *listed) items.push_back(VerificationJson(v, now_s));
  return Private(http::Json(200, json::object{{"items", std::move(items)}}));
}

http::Response RecordVerification(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  LINLI_OR_PROBLEM(input, ParseVerification(*body));
  LINLI_OR_PROBLEM(recorded, service.RecordVerification(http::ActorOf(request), *input));
  return Private(http::Json(201, VerificationJson(*recorded, service.clock().NowEpochS())));
}

http::Response RevokeVerification(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(revoked, service.RevokeVerification(http::ActorOf(request), *id));
  return Private(http::Json(200, VerificationJson(*revoked, service.clock().NowEpochS())));
}

http::Response OpenReport(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  LINLI_OR_PROBLEM(input, ParseReport(*body));
  LINLI_OR_PROBLEM(report, service.OpenReport(http::ActorOf(request), *input));
  return Private(http::Json(201, ReportJson(*report)));
}

http::Response ReportQueue(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(status, QueryEnum(request, "status", &ParseReportStatus));
  LINLI_OR_PROBLEM(listed, service.ReportQueue(http::ActorOf(request), *community, *status, *page));
  return PageJson(*listed, ReportJson);
}

http::Response MyReports(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(listed, service.MyReports(http::ActorOf(request), *page));
  return PageJson(*listed, ReportJson);
}

http::Response GetReport(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(report, service.GetReport(http::ActorOf(request), *id));
  return Private(http::Json(200, ReportJson(*report)));
}

http::Response DecideReport(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  LINLI_OR_PROBLEM(decision, ParseReportDecision(*body));
  LINLI_OR_PROBLEM(report, service.DecideReport(http::ActorOf(request), *id, decision->upheld,
                                                decision->reason));
  return Private(http::Json(200, ReportJson(*report)));
}

http::Response OpenDispute(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  http::FieldReader fields(*body);
  auto exchange_id = fields.Int("exchange_id", Need::kRequired, 1, INT64_MAX);
  auto reason = fields.String("reason", Need::kRequired, limits::kTrustReasonBytesMax, 1);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  const Actor& actor = http::ActorOf(request);
  LINLI_OR_PROBLEM(dispute, service.OpenDispute(actor, *exchange_id, *reason));
  return Private(http::Json(201, DisputeJson(*dispute, PersonOf(actor))));
}

http::Response DisputeQueue(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  LINLI_OR_PROBLEM(community, QueryId(request, "community_id"));
  LINLI_OR_PROBLEM(status, QueryEnum(request, "status", &ParseDisputeStatus));
  const Actor& actor = http::ActorOf(request);
  LINLI_OR_PROBLEM(listed, service.DisputeQueue(actor, *community, *status, *page));
  const std::int64_t me = PersonOf(actor);
  return PageJson(*listed, [me](const Dispute& dispute) { return DisputeJson(dispute, me); });
}

http::Response MyDisputes(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(page, http::ParsePage(request));
  const Actor& actor = http::ActorOf(request);
  LINLI_OR_PROBLEM(listed, service.MyDisputes(actor, *page));
  const std::int64_t me = PersonOf(actor);
  return PageJson(*listed, [me](const Dispute& dispute) { return DisputeJson(dispute, me); });
}

http::Response DisputeResponse(http::Request& request, const Result<Dispute>& dispute,
                               int status = 200) {
  if (!dispute) return http::Problem(request, dispute.error());
  return Private(http::Json(status, DisputeJson(*dispute, PersonOf(http::ActorOf(request)))));
}

http::Response GetDispute(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  return DisputeResponse(request, service.GetDispute(http::ActorOf(request), *id));
}

http::Response TakeDispute(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  return DisputeResponse(request, service.TakeDispute(http::ActorOf(request), *id));
}

http::Response AddDisputeNote(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  http::FieldReader fields(*body);
  auto text = fields.String("text", Need::kRequired, limits::kDisputeNoteBytesMax, 1);
  auto internal = fields.Bool("internal", Need::kOptional);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  return DisputeResponse(request, service.AddDisputeNote(http::ActorOf(request), *id, *text,
                                                         internal.value_or(false)));
}

http::Response ResolveDispute(http::Request& request, TrustService& service) {
  LINLI_OR_PROBLEM(id, http::PathId(request, "id"));
  LINLI_OR_PROBLEM(body, http::ParseJsonObject(request));
  LINLI_OR_PROBLEM(resolution, ParseResolution(*body));
  return DisputeResponse(request, service.ResolveDispute(http::ActorOf(request), *id, *resolution));
}

#undef LINLI_OR_PROBLEM

}  // namespace

Result<RatingInput> ParseRating(const json::object& body) {
  http::FieldReader fields(body);
  auto stars = fields.Int("stars", Need::kRequired, 1, 5);
  auto comment = fields.String("comment", Need::kOptional, limits::kRatingCommentBytesMax);
  LINLI_TRY(fields.Finish());
  return RatingInput{*stars, comment.value_or("")};
}

Result<ReportInput> ParseReport(const json::object& body) {
  http::FieldReader fields(body);
  auto card_id = fields.Int("card_id", Need::kRequired, 1, INT64_MAX);
  auto category = EnumField(fields, "category", Need::kRequired, &ParseReportCategory);
  auto text = fields.String("text", Need::kOptional, limits::kReportTextBytesMax);
  LINLI_TRY(fields.Finish());
  return ReportInput{*card_id, *category, text.value_or("")};
}

Result<ReportDecision> ParseReportDecision(const json::object& body) {
  http::FieldReader fields(body);
  auto decision = fields.String("decision", Need::kRequired, kEnumBytesMax);
  auto reason = fields.String("reason", Need::kRequired, limits::kTrustReasonBytesMax, 1);
  if (decision && *decision != "upheld" && *decision != "dismissed") {
    fields.Fail("decision", "unsupported");
  }
  LINLI_TRY(fields.Finish());
  return ReportDecision{*decision == "upheld", *reason};
}

Result<Resolution> ParseResolution(const json::object& body) {
  http::FieldReader fields(body);
  auto outcome = EnumField(fields, "outcome", Need::kRequired, &ParseDisputeOutcome);
  auto at_fault = fields.Int("at_fault_user_id", Need::kOptional, 1, INT64_MAX);
  auto points = fields.Int("points", Need::kOptional, 0, limits::kCompensationPointsMax);
  auto text = fields.String("resolution", Need::kRequired, limits::kTrustReasonBytesMax, 1);
  LINLI_TRY(fields.Finish());
  return Resolution{*outcome, at_fault, points.value_or(0), *text};
}

Result<ExchangeRecord> ParseExchangeRecord(const json::object& body) {
  http::FieldReader fields(body);
  ExchangeRecord record;
  auto community = fields.Int("community_id", Need::kOptional, 1, INT64_MAX);
  auto source = EnumField(fields, "source", Need::kRequired, &ParseSource);
  auto source_id = fields.Int("source_id", Need::kRequired, 1, INT64_MAX);
  record.card_id = fields.Int("card_id", Need::kOptional, 1, INT64_MAX);
  auto provider = fields.Int("provider_user_id", Need::kRequired, 1, INT64_MAX);
  auto consumer = fields.Int("consumer_user_id", Need::kRequired, 1, INT64_MAX);
  auto completed = fields.Int("completed_at", Need::kRequired, 1, INT64_MAX);
  auto outcome = EnumField(fields, "outcome", Need::kRequired, &ParseOutcome);
  LINLI_TRY(fields.Finish());
  record.community_id = community.value_or(0);
  record.source = *source;
  record.source_id = *source_id;
  record.provider_user_id = *provider;
  record.consumer_user_id = *consumer;
  record.completed_at_s = *completed;
  record.outcome = *outcome;
  return record;
}

Result<VerificationInput> ParseVerification(const json::object& body) {
  http::FieldReader fields(body);
  VerificationInput input;
  auto community = fields.Int("community_id", Need::kOptional, 1, INT64_MAX);
  auto user = fields.Int("user_id", Need::kRequired, 1, INT64_MAX);
  auto kind = EnumField(fields, "kind", Need::kRequired, &ParseVerificationKind);
  auto issuer = fields.String("issuer", Need::kRequired, limits::kVerificationFieldBytesMax, 1);
  input.number = fields.String("number", Need::kOptional, limits::kVerificationFieldBytesMax, 1);
  input.valid_until = fields.Int("valid_until", Need::kOptional, 1, INT64_MAX);
  auto note = fields.String("note", Need::kOptional, limits::kVerificationNoteBytesMax);
  LINLI_TRY(fields.Finish());
  input.community_id = community.value_or(0);
  input.user_id = *user;
  input.kind = *kind;
  input.issuer = *issuer;
  input.note = note.value_or("");
  return input;
}

json::object RatingJson(const Rating& rating) {
  return json::object{{"id", rating.id},
                      {"community_id", rating.community_id},
                      {"exchange_id", rating.exchange_id},
                      {"rater_user_id", rating.rater_user_id},
                      {"ratee_user_id", rating.ratee_user_id},
                      {"ratee_name", rating.ratee_name},
                      {"rater_side", SideName(rating.rater_side)},
                      {"stars", OptionalInt(rating.stars)},
                      {"comment", rating.comment},
                      {"rated_at", OptionalInt(rating.rated_at)},
                      {"published_at", OptionalInt(rating.published_at)},
                      {"review_ends_at", rating.review_ends_at},
                      {"source", SourceName(rating.source)},
                      {"card_id", OptionalInt(rating.card_id)},
                      {"completed_at", rating.completed_at}};
}

json::object RulesJson(const CreditRules& rules) {
  return json::object{{"version", rules.version},
                      {"base", rules.base},
                      {"min", rules.min},
                      {"max", rules.max},
                      {"deltas", json::object{{"on_time", rules.on_time},
                                              {"no_show", rules.no_show},
                                              {"late_return", rules.late_return},
                                              {"rating_good", rules.rating_good},
                                              {"rating_poor", rules.rating_poor},
                                              {"dispute_upheld", rules.dispute_upheld},
                                              {"report_upheld", rules.report_upheld}}},
                      {"credit_deduction_max", rules.credit_deduction_max},
                      {"ambassador_days", rules.ambassador_days},
                      {"levels", json::object{{"excellent", 90}, {"good", 75}, {"fair", 60}}}};
}

json::object CreditJson(const CreditReport& report) {
  const CreditRules& rules = CurrentRules();
  json::array events;
  for (const auto& event : report.events) {
    events.push_back(json::object{{"id", event.id},
                                  {"kind", CreditKindName(event.kind)},
                                  {"delta", DeltaOf(event, rules)},
                                  {"amount", event.amount},
                                  {"source_type", event.source_type},
                                  {"source_id", event.source_id},
                                  {"at", event.at}});
  }
  return json::object{{"community_id", report.community_id},
                      {"user_id", report.user_id},
                      {"score", report.score},
                      {"level", LevelName(report.level)},
                      {"ambassador", AmbassadorJson(report.ambassador)},
                      {"rules", RulesJson(rules)},
                      {"events", std::move(events)},
                      {"events_truncated", report.events_truncated}};
}

void RegisterRoutes(http::Router& router, TrustService& service) {
  using http::Verb;
  const auto bind = [&service](Handler fn) {
    return [&service, fn](http::Request& request) { return fn(request, service); };
  };
  // Literal paths before their {id} siblings: the router takes the first match.
  router.Add(Verb::kGet, "/api/v1/trust/exchanges", bind(MyExchanges));
  router.Add(Verb::kPost, "/api/v1/trust/exchanges", bind(RecordExchange));
  router.Add(Verb::kGet, "/api/v1/trust/exchanges/{id}", bind(GetExchange));
  router.Add(Verb::kGet, "/api/v1/trust/me/credit", bind(MyCredit));
  router.Add(Verb::kGet, "/api/v1/trust/rules", bind(Rules));
  router.Add(Verb::kGet, "/api/v1/trust/users/{id}/credit", bind(UserCredit));
  router.Add(Verb::kGet, "/api/v1/trust/users/{id}/summary", bind(UserSummary));
  router.Add(Verb::kGet, "/api/v1/trust/users/{id}/verifications", bind(UserVerifications));
  router.Add(Verb::kPost, "/api/v1/trust/verifications", bind(RecordVerification));
  router.Add(Verb::kDelete, "/api/v1/trust/verifications/{id}", bind(RevokeVerification));
  router.Add(Verb::kGet, "/api/v1/ratings/pending", bind(PendingRatings));
  router.Add(Verb::kGet, "/api/v1/ratings/given", bind(GivenRatings));
  router.Add(Verb::kGet, "/api/v1/ratings/received", bind(ReceivedRatings));
  router.Add(Verb::kPut, "/api/v1/ratings/{id}", bind(Rate));
  router.Add(Verb::kPost, "/api/v1/reports", bind(OpenReport));
  router.Add(Verb::kGet, "/api/v1/reports", bind(ReportQueue));
  router.Add(Verb::kGet, "/api/v1/reports/mine", bind(MyReports));
  router.Add(Verb::kGet, "/api/v1/reports/{id}", bind(GetReport));
  router.Add(Verb::kPost, "/api/v1/reports/{id}/decision", bind(DecideReport));
  router.Add(Verb::kPost, "/api/v1/disputes", bind(OpenDispute));
  router.Add(Verb::kGet, "/api/v1/disputes", bind(DisputeQueue));
  router.Add(Verb::kGet, "/api/v1/disputes/mine", bind(MyDisputes));
  router.Add(Verb::kGet, "/api/v1/disputes/{id}", bind(GetDispute));
  router.Add(Verb::kPost, "/api/v1/disputes/{id}/take", bind(TakeDispute));
  router.Add(Verb::kPost, "/api/v1/disputes/{id}/notes", bind(AddDisputeNote));
  router.Add(Verb::kPost, "/api/v1/disputes/{id}/resolution", bind(ResolveDispute));
}

}  // namespace linli::trust
