#include "property/routes.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/qr.hpp"
#include "http/json.hpp"

namespace linli::property {
namespace {

namespace json = boost::json;
using http::Need;

constexpr std::int64_t kEpochMax = 4'000'000'000;  // pass tokens hold 32-bit times
constexpr std::string_view kQrTitle = "访客通行码 Visitor pass";

json::value OptInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptText(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value TextOrNull(const std::string& value) {
  return value.empty() ? json::value(nullptr) : json::value(value);
}

template <class E>
std::optional<E> EnumField(http::FieldReader& fields, std::string_view key, Need need,
                           std::optional<E> (*parse)(std::string_view)) {
  auto text = fields.String(key, need, 32);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) fields.Fail(key, "unsupported");
  return value;
}

// An array of positive ids, taken out of `body` so FieldReader does not see it.
std::optional<std::vector<std::int64_t>> TakeIds(json::object& body, std::string_view key,
                                                 std::size_t max_items,
                                                 std::vector<FieldError>& errors) {
  auto found = body.find(key);
  if (found == body.end()) return std::nullopt;
  json::value value = found->value();
  body.erase(found);
  if (value.is_null()) return std::nullopt;
  if (!value.is_array() || value.as_array().size() > max_items) {
    errors.push_back({std::string(key), value.is_array() ? "too_many_items" : "expected_array"});
    return std::nullopt;
  }
  std::vector<std::int64_t> ids;
  for (const auto& item : value.as_array()) {
    if (!item.is_int64() || item.as_int64() <= 0) {
      errors.push_back({std::string(key), "invalid_item"});
      return std::nullopt;
    }
    ids.push_back(item.as_int64());
  }
  return ids;
}

// FieldReader's verdict plus errors found outside it.
Status Finish(http::FieldReader& fields, std::vector<FieldError> extra) {
  auto status = fields.Finish();
  if (extra.empty()) return status;
  Error error = status ? Error{Errc::kInvalidArgument, "invalid_field", "invalid request fields:"}
                       : status.error();
  for (auto& field : extra) {
    error.detail += " " + field.field + " (" + field.reason + ")";
    error.errors.push_back(std::move(field));
  }
  return error;
}

Result<std::optional<std::int64_t>> QueryId(const http::Request& request, std::string_view name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<std::int64_t>{};
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc{} || end != text->data() + text->size() || value <= 0) {
    return InvalidFieldError(std::string(name), "invalid", "a positive id");
  }
  return std::optional<std::int64_t>{value};
}

// ---------------------------------------------------------------------------------------------
// Responses

json::object PassJson(const PassView& view, std::int64_t now_s) {
  const VisitorPass& p = view.pass;
  return json::object{
      {"id", p.id},
      {"community_id", p.community_id},
      {"visitor_label", p.visitor_label},
      {"visitor_phone", OptText(p.visitor_phone)},
      {"purpose", p.purpose},
      {"mode", Name(p.mode)},
      {"max_uses", p.max_uses},
      {"uses", p.uses},
      {"valid_from", p.valid_from},
      {"valid_until", p.valid_until},
      {"status", PassStatus(p, now_s)},
      {"revoked_at", OptInt(p.revoked_at)},
      {"created_at", p.created_at},
      {"building_id", OptInt(p.building_id)},
      {"building_name", TextOrNull(view.building_name)},
      {"mine", view.mine},
      {"code", TextOrNull(p.code)},
      {"token", OptText(view.token)},
      {"qr_url", view.token ? json::value(fmt::format("/api/v1/visitors/passes/{}/qr.svg", p.id))
                            : json::value(nullptr)},
  };
}

json::object DecisionJson(const GateDecision& d) {
  return json::object{
      {"decision", d.allowed ? "allow" : "deny"},
      {"reason", Name(d.reason)},
      {"pass_id", OptInt(d.pass_id)},
      {"visitor_label", d.pass_id ? json::value(d.visitor_label) : json::value(nullptr)},
      {"building_name", TextOrNull(d.building_name)},
      {"uses", d.pass_id ? json::value(d.uses) : json::value(nullptr)},
      {"max_uses", d.pass_id ? json::value(d.max_uses) : json::value(nullptr)},
      {"valid_until", OptInt(d.valid_until)},
  };
}

json::object BillJson(const Bill& b) {
  return json::object{{"id", b.id},
                      {"community_id", b.community_id},
                      {"household_id", b.household_id},
                      {"building_id", b.building_id},
                      {"building_name", b.building_name},
                      {"unit_label", b.unit_label},
                      {"kind", Name(b.kind)},
                      {"period", b.period},
                      {"title", b.title},
                      {"amount_fen", b.amount_fen},
                      {"paid_fen", b.paid_fen},
                      {"outstanding_fen", b.outstanding_fen()},
                      {"due_date", b.due_date},
                      {"status", Name(b.status())},
                      {"overdue", b.overdue},
                      {"created_at", b.created_at},
                      {"voided_at", OptInt(b.voided_at)}};
}

json::object PaymentJson(const Payment& p) {
  return json::object{{"id", p.id},
                      {"bill_id", p.bill_id},
                      {"amount_fen", p.amount_fen},
                      {"provider", p.provider},
                      {"method", p.method},
                      {"reference", p.reference},
                      {"paid_at", p.paid_at}};
}

json::object BillDetailJson(const BillWithPayments& detail) {
  json::object out = BillJson(detail.bill);
  json::array payments;
  for (const auto& payment : detail.payments) payments.push_back(PaymentJson(payment));
  out["payments"] = std::move(payments);
  return out;
}

json::object BillPageJson(const Page<Bill>& page) {
  json::array items;
  for (const auto& bill : page.items) items.push_back(BillJson(bill));
  return json::object{{"items", std::move(items)}, {"next_cursor", http::CursorJson(page.next)}};
}

json::object AnnouncementJson(const Announcement& a, std::int64_t now_s) {
  json::array targets;
  for (auto id : a.target_ids) targets.emplace_back(id);
  return json::object{
      {"id", a.id},
      {"community_id", a.community_id},
      {"kind", Name(a.kind)},
      {"category", a.category},
      {"severity", a.severity ? json::value(Name(*a.severity)) : json::value(nullptr)},
      {"title", a.title},
      {"body", a.body},
      {"audience", Name(a.audience)},
      {"target_ids", std::move(targets)},
      {"pinned", a.pinned},
      {"created_at", a.created_at},
      {"expires_at", OptInt(a.expires_at)},
      {"withdrawn_at", OptInt(a.withdrawn_at)},
      {"active", a.Active(now_s)},
      {"recipients", a.recipients},
      {"delivery_complete", a.fanout_done},
  };
}

http::Response NoStore(http::Response response) {
  response.With("Cache-Control", "no-store");
  return response;
}

// ---------------------------------------------------------------------------------------------
// Handlers: visitor passes and the gate

http::Response CreatePass(http::Request& request, PropertyService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParsePassRequest(*body);
  if (!parsed) return http::Problem(request, parsed.error());
  auto view =
      service.CreatePass(http::ActorOf(request), parsed->first.community_id, parsed->second);
  if (!view) return http::Problem(request, view.error());
  auto response = NoStore(http::Json(201, PassJson(*view, service.clock().NowEpochS())));
  response.With("Location", fmt::format("/api/v1/visitors/passes/{}", view->pass.id));
  return response;
}

http::Response MyPasses(http::Request& request, PropertyService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  auto passes = service.MyPasses(http::ActorOf(request), community->value_or(0), *page);
  if (!passes) return http::Problem(request, passes.error());
  const std::int64_t now = service.clock().NowEpochS();
  json::array items;
  for (const auto& view : passes->items) items.push_back(PassJson(view, now));
  return NoStore(http::Json(200, json::object{{"items", std::move(items)},
                                              {"next_cursor", http::CursorJson(passes->next)}}));
}

http::Response GetPass(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto view = service.GetPass(http::ActorOf(request), *id);
  if (!view) return http::Problem(request, view.error());
  return NoStore(http::Json(200, PassJson(*view, service.clock().NowEpochS())));
}

http::Response PassQr(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto view = service.GetPass(http::ActorOf(request), *id);
  if (!view) return http::Problem(request, view.error());
  if (!view->mine) return http::Problem(request, NotFoundError());
  if (!view->token) {
    return http::Problem(
        request, PreconditionError("pass_inactive", "this pass was revoked or has expired"));
  }
  auto svg = QrSvg(*view->token, kQrTitle);
  if (!svg) return http::Problem(request, svg.error());
  http::Response response;
  response.content_type = "image/svg+xml";
  response.body = std::move(*svg);
  return NoStore(std::move(response));
}

http::Response RevokePass(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto view = service.RevokePass(http::ActorOf(request), *id);
  if (!view) return http::Problem(request, view.error());
  return NoStore(http::Json(200, PassJson(*view, service.clock().NowEpochS())));
}

http::Response PassUses(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto uses = service.PassUses(http::ActorOf(request), *id);
  if (!uses) return http::Problem(request, uses.error());
  json::array items;
  for (const auto& use : *uses) {
    items.push_back(json::object{{"id", use.id},
                                 {"at", use.at},
                                 {"allowed", use.allowed},
                                 {"reason", Name(use.reason)},
                                 {"gate", use.gate}});
  }
  return NoStore(http::Json(200, json::object{{"items", std::move(items)}}));
}

http::Response Expected(http::Request& request, PropertyService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  const std::string date(request.Query("date").value_or(""));
  auto visitors =
      service.ExpectedVisitors(http::ActorOf(request), community->value_or(0), date, *page);
  if (!visitors) return http::Problem(request, visitors.error());
  const std::int64_t now = service.clock().NowEpochS();
  json::array items;
  for (const auto& v : visitors->items) {
    items.push_back(PassJson(PassView{v.pass, v.building_name, false, std::nullopt}, now));
  }
  return NoStore(http::Json(200, json::object{{"items", std::move(items)},
                                              {"next_cursor", http::CursorJson(visitors->next)}}));
}

http::Response Verify(http::Request& request, PropertyService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto input = ParseGateInput(*body);
  if (!input) return http::Problem(request, input.error());
  auto decision = service.VerifyAtGate(http::ActorOf(request), *input);
  if (!decision) return http::Problem(request, decision.error());
  return NoStore(http::Json(200, DecisionJson(*decision)));
}

// ---------------------------------------------------------------------------------------------
// Handlers: bills

Result<BillFilter> ParseBillFilter(const http::Request& request) {
  BillFilter filter;
  if (auto status = request.Query("status"); status && !status->empty()) {
    filter.status = ParseBillStatus(*status);
    if (!filter.status) return InvalidFieldError("status", "unsupported");
  }
  LINLI_ASSIGN_OR_RETURN(filter.building_id, QueryId(request, "building_id"));
  LINLI_ASSIGN_OR_RETURN(filter.household_id, QueryId(request, "household_id"));
  if (auto period = request.Query("period"); period && !period->empty()) {
    if (period->size() > limits::kBillPeriodBytesMax) {
      return InvalidFieldError("period", "too_long");
    }
    filter.period = std::string(*period);
  }
  return filter;
}

http::Response IssueBill(http::Request& request, PropertyService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseBillInput(*body);
  if (!parsed) return http::Problem(request, parsed.error());
  auto bill = service.IssueBill(http::ActorOf(request), parsed->first.community_id, parsed->second);
  if (!bill) return http::Problem(request, bill.error());
  auto response = NoStore(http::Json(201, BillJson(*bill)));
  response.With("Location", fmt::format("/api/v1/bills/{}", bill->id));
  return response;
}

http::Response IssueBatch(http::Request& request, PropertyService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseBatchInput(*body);
  if (!parsed) return http::Problem(request, parsed.error());
  auto result =
      service.IssueBatch(http::ActorOf(request), parsed->first.community_id, parsed->second);
  if (!result) return http::Problem(request, result.error());
  return http::Json(201, json::object{{"created", result->created}, {"skipped", result->skipped}});
}

http::Response ListBills(http::Request& request, PropertyService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  auto filter = ParseBillFilter(request);
  if (!filter) return http::Problem(request, filter.error());
  auto bills = service.ListBills(http::ActorOf(request), community->value_or(0), *filter, *page);
  if (!bills) return http::Problem(request, bills.error());
  return NoStore(http::Json(200, BillPageJson(*bills)));
}

http::Response MyBills(http::Request& request, PropertyService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  auto bills = service.MyBills(http::ActorOf(request), community->value_or(0), *page);
  if (!bills) return http::Problem(request, bills.error());
  return NoStore(http::Json(200, BillPageJson(*bills)));
}

http::Response GetBill(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto bill = service.GetBill(http::ActorOf(request), *id);
  if (!bill) return http::Problem(request, bill.error());
  return NoStore(http::Json(200, BillDetailJson(*bill)));
}

http::Response RecordPayment(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto input = ParsePaymentInput(*body);
  if (!input) return http::Problem(request, input.error());
  if (auto key = request.Header("idempotency-key")) input->idempotency_key = std::string(*key);
  auto bill = service.RecordPayment(http::ActorOf(request), *id, *input);
  if (!bill) return http::Problem(request, bill.error());
  return NoStore(http::Json(201, BillDetailJson(*bill)));
}

http::Response VoidBill(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto bill = service.VoidBill(http::ActorOf(request), *id);
  if (!bill) return http::Problem(request, bill.error());
  return NoStore(http::Json(200, BillJson(*bill)));
}

http::Response ArrearsList(http::Request& request, PropertyService& service) {
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  auto building = QueryId(request, "building_id");
  if (!building) return http::Problem(request, building.error());
  auto arrears = service.ArrearsOf(http::ActorOf(request), community->value_or(0), *building);
  if (!arrears) return http::Problem(request, arrears.error());
  json::array buildings;
  for (const auto& b : arrears->buildings) {
    buildings.push_back(json::object{{"building_id", b.building_id},
                                     {"building_name", b.building_name},
                                     {"household_count", b.household_count},
                                     {"bill_count", b.bill_count},
                                     {"outstanding_fen", b.outstanding_fen}});
  }
  json::array bills;
  for (const auto& bill : arrears->bills) bills.push_back(BillJson(bill));
  return NoStore(http::Json(200, json::object{{"as_of", arrears->as_of},
                                              {"bill_count", arrears->bill_count},
                                              {"household_count", arrears->household_count},
                                              {"outstanding_fen", arrears->outstanding_fen},
                                              {"truncated", arrears->truncated},
                                              {"buildings", std::move(buildings)},
                                              {"bills", std::move(bills)}}));
}

http::Response ArrearsCsv(http::Request& request, PropertyService& service) {
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  auto building = QueryId(request, "building_id");
  if (!building) return http::Problem(request, building.error());
  auto csv = service.ArrearsCsv(http::ActorOf(request), community->value_or(0), *building);
  if (!csv) return http::Problem(request, csv.error());
  http::Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(*csv);
  response.With("Content-Disposition", "attachment; filename=\"arrears.csv\"");
  return NoStore(std::move(response));
}

// ---------------------------------------------------------------------------------------------
// Handlers: announcements

http::Response Publish(http::Request& request, PropertyService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseAnnouncementInput(*body);
  if (!parsed) return http::Problem(request, parsed.error());
  auto a = service.Publish(http::ActorOf(request), parsed->first.community_id, parsed->second);
  if (!a) return http::Problem(request, a.error());
  auto response = http::Json(201, AnnouncementJson(*a, service.clock().NowEpochS()));
  response.With("Location", fmt::format("/api/v1/announcements/{}", a->id));
  return response;
}

http::Response ListAnnouncements(http::Request& request, PropertyService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto community = QueryId(request, "community_id");
  if (!community) return http::Problem(request, community.error());
  auto list = service.Announcements(http::ActorOf(request), community->value_or(0), *page);
  if (!list) return http::Problem(request, list.error());
  const std::int64_t now = service.clock().NowEpochS();
  json::array pinned;
  for (const auto& a : list->pinned) pinned.push_back(AnnouncementJson(a, now));
  json::array items;
  for (const auto& a : list->items) items.push_back(AnnouncementJson(a, now));
  return NoStore(http::Json(200, json::object{{"pinned", std::move(pinned)},
                                              {"items", std::move(items)},
                                              {"next_cursor", http::CursorJson(list->next)}}));
}

http::Response GetAnnouncement(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto a = service.GetAnnouncement(http::ActorOf(request), *id);
  if (!a) return http::Problem(request, a.error());
  return NoStore(http::Json(200, AnnouncementJson(*a, service.clock().NowEpochS())));
}

http::Response WithdrawAnnouncement(http::Request& request, PropertyService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto a = service.Withdraw(http::ActorOf(request), *id);
  if (!a) return http::Problem(request, a.error());
  return NoStore(http::Json(200, AnnouncementJson(*a, service.clock().NowEpochS())));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parsing

std::string_view PassStatus(const VisitorPass& pass, std::int64_t now_s) {
  switch (Decide(pass, now_s)) {
    case GateReason::kOk: return "active";
    case GateReason::kPassNotYetValid: return "upcoming";
    case GateReason::kPassUsedUp: return "used_up";
    case GateReason::kPassExpired: return "expired";
    case GateReason::kPassRevoked: return "revoked";
    case GateReason::kPassInvalid: break;
  }
  return "expired";
}

Result<std::pair<Targeted, PassRequest>> ParsePassRequest(const json::object& body) {
  http::FieldReader fields(body);
  Targeted where;
  PassRequest request;
  where.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  request.visitor_label =
      fields.String("visitor_label", Need::kRequired, limits::kVisitorLabelBytesMax, 1)
          .value_or("");
  request.visitor_phone =
      fields.String("visitor_phone", Need::kOptional, limits::kVisitorPhoneBytesMax, 1);
  request.purpose =
      fields.String("purpose", Need::kOptional, limits::kPassPurposeBytesMax).value_or("");
  request.mode =
      EnumField(fields, "mode", Need::kOptional, ParsePassMode).value_or(PassMode::kSingleUse);
  request.max_uses = fields.Int("max_uses", Need::kOptional, 1, limits::kPassUsesMax);
  request.valid_from = fields.Int("valid_from", Need::kRequired, 1, kEpochMax).value_or(0);
  request.valid_until = fields.Int("valid_until", Need::kRequired, 1, kEpochMax).value_or(0);
  LINLI_TRY(fields.Finish());
  return std::pair{where, request};
}

Result<GateInput> ParseGateInput(const json::object& body) {
  http::FieldReader fields(body);
  GateInput input;
  input.token = fields.String("token", Need::kOptional, limits::kPassTokenBytesMax, 1);
  input.code = fields.String("code", Need::kOptional, 32, 1);
  input.gate = fields.String("gate", Need::kOptional, limits::kGateLabelBytesMax).value_or("");
  LINLI_TRY(fields.Finish());
  if (input.token.has_value() == input.code.has_value()) {
    return InvalidFieldError(input.token ? "code" : "token",
                             input.token ? "not_allowed" : "required",
                             "send either the QR token or the keypad code");
  }
  return input;
}

Result<std::pair<Targeted, BillInput>> ParseBillInput(const json::object& body) {
  http::FieldReader fields(body);
  Targeted where;
  BillInput input;
  where.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  input.household_id = fields.Int("household_id", Need::kRequired, 1, INT64_MAX).value_or(0);
  input.kind = EnumField(fields, "kind", Need::kRequired, ParseBillKind).value_or(BillKind::kOther);
  input.period =
      fields.String("period", Need::kRequired, limits::kBillPeriodBytesMax, 1).value_or("");
  input.title = fields.String("title", Need::kOptional, limits::kBillTitleBytesMax).value_or("");
  input.amount_fen =
      fields.Int("amount_fen", Need::kRequired, 1, limits::kBillAmountFenMax).value_or(0);
  input.due_date = fields.String("due_date", Need::kRequired, 10, 10).value_or("");
  LINLI_TRY(fields.Finish());
  return std::pair{where, input};
}

Result<std::pair<Targeted, BatchInput>> ParseBatchInput(const json::object& body) {
  json::object rest = body;
  std::vector<FieldError> extra;
  auto buildings = TakeIds(rest, "building_ids", limits::kAnnouncementTargetsMax, extra);
  http::FieldReader fields(rest);
  Targeted where;
  BatchInput input;
  input.building_ids = buildings.value_or(std::vector<std::int64_t>{});
  where.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  input.kind = EnumField(fields, "kind", Need::kRequired, ParseBillKind).value_or(BillKind::kOther);
  input.period =
      fields.String("period", Need::kRequired, limits::kBillPeriodBytesMax, 1).value_or("");
  input.title = fields.String("title", Need::kOptional, limits::kBillTitleBytesMax).value_or("");
  input.amount_fen =
      fields.Int("amount_fen", Need::kRequired, 1, limits::kBillAmountFenMax).value_or(0);
  input.due_date = fields.String("due_date", Need::kRequired, 10, 10).value_or("");
  LINLI_TRY(Finish(fields, std::move(extra)));
  return std::pair{where, input};
}

Result<PaymentInput> ParsePaymentInput(const json::object& body) {
  http::FieldReader fields(body);
  PaymentInput input;
  input.amount_fen =
      fields.Int("amount_fen", Need::kRequired, 1, limits::kBillAmountFenMax).value_or(0);
  input.method = EnumField(fields, "method", Need::kRequired, ParsePaymentMethod)
                     .value_or(PaymentMethod::kCounter);
  input.reference =
      fields.String("reference", Need::kOptional, limits::kPaymentReferenceBytesMax).value_or("");
  input.paid_at = fields.Int("paid_at", Need::kOptional, 1, kEpochMax);
  LINLI_TRY(fields.Finish());
  return input;
}

Result<std::pair<Targeted, AnnouncementInput>> ParseAnnouncementInput(const json::object& body) {
  json::object rest = body;
  std::vector<FieldError> extra;
  auto targets = TakeIds(rest, "target_ids", limits::kAnnouncementTargetsMax, extra);
  http::FieldReader fields(rest);
  Targeted where;
  AnnouncementInput input;
  input.target_ids = targets.value_or(std::vector<std::int64_t>{});
  where.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  input.kind = EnumField(fields, "kind", Need::kOptional, ParseAnnouncementKind)
                   .value_or(AnnouncementKind::kNotice);
  input.category = fields.String("category", Need::kOptional, 32).value_or("general");
  if (!IsKnownCategory(input.category)) fields.Fail("category", "unsupported");
  input.severity = EnumField(fields, "severity", Need::kOptional, ParseSeverity);
  input.title =
      fields.String("title", Need::kRequired, limits::kAnnouncementTitleBytesMax, 1).value_or("");
  input.body =
      fields.String("body", Need::kRequired, limits::kAnnouncementBodyBytesMax, 1).value_or("");
  input.audience =
      EnumField(fields, "audience", Need::kOptional, ParseAudience).value_or(Audience::kCommunity);
  input.pinned = fields.Bool("pinned", Need::kOptional).value_or(false);
  input.expires_at = fields.Int("expires_at", Need::kOptional, 1, kEpochMax);
  LINLI_TRY(Finish(fields, std::move(extra)));
  return std::pair{where, input};
}

void RegisterRoutes(http::Router& router, PropertyService& service) {
  using http::Verb;
  const auto bind = [&service](http::Response (*handler)(http::Request&, PropertyService&)) {
    return [&service, handler](http::Request& request) { return handler(request, service); };
  };
  router.Add(Verb::kPost, "/api/v1/visitors/passes", bind(CreatePass));
  router.Add(Verb::kGet, "/api/v1/visitors/passes/mine", bind(MyPasses));
  router.Add(Verb::kGet, "/api/v1/visitors/passes/{id}", bind(GetPass));
  router.Add(Verb::kGet, "/api/v1/visitors/passes/{id}/qr.svg", bind(PassQr));
  router.Add(Verb::kPost, "/api/v1/visitors/passes/{id}/revoke", bind(RevokePass));
  router.Add(Verb::kGet, "/api/v1/visitors/passes/{id}/uses", bind(PassUses));
  router.Add(Verb::kGet, "/api/v1/visitors/expected", bind(Expected));
  router.Add(Verb::kPost, "/api/v1/gate/verify", bind(Verify));
  router.Add(Verb::kPost, "/api/v1/bills", bind(IssueBill));
  router.Add(Verb::kGet, "/api/v1/bills", bind(ListBills));
  router.Add(Verb::kPost, "/api/v1/bills/batch", bind(IssueBatch));
  router.Add(Verb::kGet, "/api/v1/bills/mine", bind(MyBills));
  router.Add(Verb::kGet, "/api/v1/bills/arrears", bind(ArrearsList));
  router.Add(Verb::kGet, "/api/v1/bills/arrears.csv", bind(ArrearsCsv));
  router.Add(Verb::kGet, "/api/v1/bills/{id}", bind(GetBill));
  router.Add(Verb::kPost, "/api/v1/bills/{id}/payments", bind(RecordPayment));
  router.Add(Verb::kPost, "/api/v1/bills/{id}/void", bind(VoidBill));
  router.Add(Verb::kPost, "/api/v1/announcements", bind(Publish));
  router.Add(Verb::kGet, "/api/v1/announcements", bind(ListAnnouncements));
  router.Add(Verb::kGet, "/api/v1/announcements/{id}", bind(GetAnnouncement));
  router.Add(Verb::kPost, "/api/v1/announcements/{id}/withdraw", bind(WithdrawAnnouncement));
}

}  // namespace linli::property
