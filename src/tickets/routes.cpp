#include "tickets/routes.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/limits.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"
#include "tickets/tracking_code.hpp"

namespace linli::tickets {
namespace {

namespace json = boost::json;
using http::Need;

constexpr std::string_view kPhotoCacheControl = "private, max-age=86400";
constexpr std::size_t kOpen311ListMax = 1000;  // the spec's default page

json::value OptInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptReal(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptText(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value CodeJson(const std::optional<std::string>& code) {
  return code ? json::value(FormatTrackingCode(*code)) : json::value(nullptr);
}

std::optional<std::int64_t> DueAt(const Ticket& ticket) {
  const auto due = ticket.QueueDeadline();
  if (due == kNoDeadline) return std::nullopt;
  return due;
}

std::string_view CategoryName(const std::string& code) {
  const auto* category = FindCategory(code);
  return category != nullptr ? category->name : std::string_view(code);
}

json::object SummaryJson(const Ticket& t) {
  return json::object{{"id", t.id},
                      {"community_id", t.community_id},
                      {"code", FormatTrackingCode(t.code)},
                      {"type", Name(t.type)},
                      {"category", t.category},
                      {"category_name", CategoryName(t.category)},
                      {"colour", Name(t.colour)},
                      {"status", Name(t.status)},
                      {"title", t.title},
                      {"building_id", OptInt(t.location.building_id)},
                      {"assignee_kind", Name(t.assignee.kind)},
                      {"assignee_user_id", OptInt(t.assignee.user_id)},
                      {"due_at", OptInt(DueAt(t))},
                      {"escalated", t.escalated},
                      {"created_at", t.created_at},
                      {"updated_at", t.updated_at}};
}

json::object ClockJson(const SlaClock& clock, const std::optional<std::int64_t>& paused_at) {
  return json::object{{"due_at", OptInt(clock.due_s)},
                      {"met_at", OptInt(clock.met_at_s)},
                      {"paused", paused_at.has_value() && clock.remaining_s.has_value()},
                      {"remaining_s", OptInt(clock.remaining_s)},
                      {"warned", clock.warned},
                      {"breached", clock.breached}};
}

json::object StepJson(const Step& step) {
  return json::object{{"id", step.id},
                      {"at", step.at},
                      {"kind", step.kind},
                      {"from", step.from ? json::value(Name(*step.from)) : json::value(nullptr)},
                      {"to", step.to ? json::value(Name(*step.to)) : json::value(nullptr)},
                      {"actor_role", step.actor_role},
                      {"note", step.note},
                      {"public", step.is_public}};
}

json::object DetailJson(const TicketDetail& detail) {
  const Ticket& t = detail.ticket;
  json::object out = SummaryJson(t);
  out["channel"] = Name(t.channel);
  out["description"] = t.description;
  out["building_name"] = OptText(detail.building_name);
  out["unit_label"] = t.location.unit_label;
  out["lat"] = OptReal(t.location.lat);
  out["lon"] = OptReal(t.location.lon);
  out["address"] = t.location.address;
  out["reporter_user_id"] = OptInt(t.reporter_user_id);
  out["entered_by_user_id"] = OptInt(t.entered_by_user_id);
  out["assignee"] = json::object{{"kind", Name(t.assignee.kind)},
                                 {"user_id", OptInt(t.assignee.user_id)},
                                 {"department", t.assignee.department}};
  out["response"] = ClockJson(t.response, t.paused_at_s);
  out["resolution"] = ClockJson(t.resolution, t.paused_at_s);
  out["paused_at"] = OptInt(t.paused_at_s);
  out["resolved_at"] = OptInt(t.resolved_at_s);
  out["closed_at"] = OptInt(t.closed_at_s);
  out["merged_into_code"] = CodeJson(detail.merged_into_code);
  out["rating"] = t.rating ? json::value(*t.rating) : json::value(nullptr);
  out["rating_comment"] = t.rating_comment;
  out["follow_up"] = detail.can_work ? t.follow_up : std::string();
  out["reopen_count"] = t.reopen_count;
  out["version"] = t.version;
  json::array photos;
  for (auto id : t.photo_ids) photos.emplace_back(id);
  out["photo_ids"] = std::move(photos);
  out["contact"] = detail.contact ? json::value(json::object{{"name", detail.contact->name},
                                                             {"phone", detail.contact->phone}})
                                  : json::value(nullptr);
  json::array steps;
  for (const auto& step : detail.steps) steps.push_back(StepJson(step));
  out["steps"] = std::move(steps);
  out["can_work"] = detail.can_work;
  out["is_reporter"] = detail.is_reporter;
  return out;
}

// What anyone holding the code may see: no reporter, no text they wrote (title, description,
// comments may name them), no location finer than the building.
json::object TrackJson(const TrackView& view) {
  const Ticket& t = view.ticket;
  json::array steps;
  for (const auto& step : view.steps) {
    json::object item{{"at", step.at},
                      {"kind", step.kind},
                      {"from", step.from ? json::value(Name(*step.from)) : json::value(nullptr)},
                      {"to", step.to ? json::value(Name(*step.to)) : json::value(nullptr)},
                      {"actor_role", step.actor_role == "reporter" ? "reporter" : "staff"},
                      {"note", step.actor_role == "reporter" ? "" : step.note}};
    steps.push_back(std::move(item));
  }
  return json::object{{"code", FormatTrackingCode(t.code)},
                      {"type", Name(t.type)},
                      {"category", t.category},
                      {"category_name", CategoryName(t.category)},
                      {"colour", Name(t.colour)},
                      {"status", Name(t.status)},
                      {"building_name", OptText(view.building_name)},
                      {"created_at", t.created_at},
                      {"updated_at", t.updated_at},
                      {"response_due_at", OptInt(t.response.due_s)},
                      {"resolution_due_at", OptInt(t.resolution.due_s)},
                      {"resolved_at", OptInt(t.resolved_at_s)},
                      {"closed_at", OptInt(t.closed_at_s)},
                      {"merged_into_code", CodeJson(view.merged_into_code)},
                      {"steps", std::move(steps)}};
}

json::object PageJson(const Page<Ticket>& page) {
  json::array items;
  for (const auto& ticket : page.items) items.push_back(SummaryJson(ticket));
  return json::object{{"items", std::move(items)}, {"next_cursor", http::CursorJson(page.next)}};
}

http::Response TicketResponse(int status, const Ticket& ticket) {
  auto response = http::Json(status, SummaryJson(ticket));
  response.With("ETag", fmt::format("\"{}\"", ticket.version));
  return response;
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

Result<json::object> OptionalBody(const http::Request& request) {
  if (request.body.empty()) return json::object{};
  return http::ParseJsonObject(request);
}

// ---------------------------------------------------------------------------------------------
// Handlers

using Handler = http::Response (*)(http::Request&, TicketsService&);

http::Response Create(http::Request& request, TicketsService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseNewTicket(*body);
  if (!parsed) return http::Problem(request, parsed.error());
  auto ticket = service.Create(http::ActorOf(request), *parsed);
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(201, *ticket)
      .With("Location", fmt::format("/api/v1/tickets/{}", ticket->id));
}

http::Response Categories(http::Request&, TicketsService&) {
  json::array items;
  for (const auto& c : tickets::Categories()) {
    items.push_back(json::object{{"code", c.code},
                                 {"name", c.name},
                                 {"group", c.group},
                                 {"description", c.description},
                                 {"default_type", Name(c.default_type)},
                                 {"default_colour", Name(c.default_colour)}});
  }
  return http::Json(200, json::object{{"items", std::move(items)}})
      .With("Cache-Control", "public, max-age=3600");
}

http::Response Mine(http::Request& request, TicketsService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  std::optional<State> status;
  if (auto text = request.Query("status"); text && !text->empty()) {
    status = ParseStatus(*text);
    if (!status) {
      return http::Problem(request, InvalidFieldError("status", "unsupported", "unknown status"));
    }
  }
  auto tickets = service.Mine(http::ActorOf(request), status, *page);
  if (!tickets) return http::Problem(request, tickets.error());
  return http::Json(200, PageJson(*tickets)).With("Cache-Control", "no-store");
}

http::Response Get(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto detail = service.Get(http::ActorOf(request), *id);
  if (!detail) return http::Problem(request, detail.error());
  return http::Json(200, DetailJson(*detail))
      .With("ETag", fmt::format("\"{}\"", detail->ticket.version))
      .With("Cache-Control", "no-store");
}

// Actions with an optional body {note}.
template <Result<Ticket> (TicketsService::*kMethod)(const Actor&, std::int64_t, const std::string&)>
http::Response NoteAction(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = OptionalBody(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto note = fields.String("note", Need::kOptional, limits::kTicketNoteBytesMax);
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  auto ticket = (service.*kMethod)(http::ActorOf(request), *id, note.value_or(""));
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(200, *ticket);
}

http::Response Accept(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = OptionalBody(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto note = fields.String("note", Need::kOptional, limits::kTicketNoteBytesMax);
  auto colour = EnumField<Colour>(fields, "colour", Need::kOptional, ParseColour);
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  auto ticket = service.Accept(http::ActorOf(request), *id, colour, note.value_or(""));
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(200, *ticket);
}

http::Response Close(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = OptionalBody(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  CloseRequest close;
  if (auto rating = fields.Int("rating", Need::kOptional, 1, 5)) {
    close.rating = static_cast<int>(*rating);
  }
  close.comment =
      fields.String("comment", Need::kOptional, limits::kTicketNoteBytesMax).value_or("");
  close.follow_up =
      fields.String("follow_up", Need::kOptional, limits::kTicketNoteBytesMax).value_or("");
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  auto ticket = service.Close(http::ActorOf(request), *id, close);
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(200, *ticket);
}

http::Response Reopen(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = OptionalBody(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto reason = fields.String("reason", Need::kOptional, limits::kTicketNoteBytesMax);
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  auto ticket = service.Reopen(http::ActorOf(request), *id, reason.value_or(""));
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(200, *ticket);
}

http::Response Assign(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  std::string note;
  auto assignee = ParseAssignee(*body, &note);
  if (!assignee) return http::Problem(request, assignee.error());
  auto ticket = service.Assign(http::ActorOf(request), *id, *assignee, note);
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(200, *ticket);
}

http::Response AddNote(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto note = fields.String("note", Need::kRequired, limits::kTicketNoteBytesMax, 1);
  auto is_public = fields.Bool("public", Need::kOptional);
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  auto ticket = service.AddNote(http::ActorOf(request), *id, *note, is_public.value_or(true));
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(201, *ticket);
}

http::Response Merge(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto into = fields.Int("into_id", Need::kRequired, 1, INT64_MAX);
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  auto ticket = service.Merge(http::ActorOf(request), *id, *into);
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(200, *ticket);
}

http::Response AddPhoto(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto ticket = service.AddPhoto(http::ActorOf(request), *id, std::move(request.body));
  if (!ticket) return http::Problem(request, ticket.error());
  return TicketResponse(201, *ticket)
      .With("Location",
            fmt::format("/api/v1/tickets/{}/photos/{}", ticket->id, ticket->photo_ids.back()));
}

http::Response GetPhoto(http::Request& request, TicketsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto photo_id = http::PathId(request, "photo_id");
  if (!photo_id) return http::Problem(request, photo_id.error());
  auto photo = service.GetPhoto(http::ActorOf(request), *id, *photo_id);
  if (!photo) return http::Problem(request, photo.error());
  http::Response response;
  response.With("ETag", photo->etag);
  response.With("Cache-Control", std::string(kPhotoCacheControl));
  if (auto match = request.Header("if-none-match"); match && *match == photo->etag) {
    response.status = 304;
    response.content_type.clear();
    return response;
  }
  response.content_type = photo->media_type;
  response.body = std::move(photo->bytes);
  return response;
}

http::Response Track(http::Request& request, TicketsService& service) {
  auto view = service.Track(request.PathParam("code"), request.remote_address);
  if (!view) return http::Problem(request, view.error());
  return http::Json(200, TrackJson(*view)).With("Cache-Control", "no-store");
}

http::Response QueueRoute(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  QueueRequest queue;
  queue.community_id = *community;
  if (auto team = request.Query("team"); team && !team->empty() && *team != "all") {
    queue.team = ParseAssigneeKind(*team);
    if (!queue.team) {
      return http::Problem(request, InvalidFieldError("team", "unsupported", "unknown team"));
    }
  }
  if (auto mine = request.Query("mine")) {
    if (*mine != "true" && *mine != "false") {
      return http::Problem(request, InvalidFieldError("mine", "expected_boolean", "true or false"));
    }
    queue.mine = *mine == "true";
  }
  auto tickets = service.Queue(http::ActorOf(request), queue, *page);
  if (!tickets) return http::Problem(request, tickets.error());
  return http::Json(200, PageJson(*tickets)).With("Cache-Control", "no-store");
}

json::object RuleJson(const Rule& rule) {
  return json::object{{"id", rule.id},
                      {"category", rule.category},
                      {"building_id", OptInt(rule.building_id)},
                      {"grid_id", OptInt(rule.grid_id)},
                      {"assignee_kind", Name(rule.assignee.kind)},
                      {"assignee_user_id", OptInt(rule.assignee.user_id)},
                      {"department", rule.assignee.department},
                      {"created_at", rule.created_at}};
}

http::Response ListRules(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto rules = service.Rules(http::ActorOf(request), *community);
  if (!rules) return http::Problem(request, rules.error());
  json::array items;
  for (const auto& rule : *rules) items.push_back(RuleJson(rule));
  return http::Json(200, json::object{{"items", std::move(items)}});
}

http::Response AddRule(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  Rule rule;
  rule.category = fields.String("category", Need::kOptional, 64, 1).value_or("*");
  rule.building_id = fields.Int("building_id", Need::kOptional, 1, INT64_MAX);
  rule.grid_id = fields.Int("grid_id", Need::kOptional, 1, INT64_MAX);
  auto kind = EnumField<AssigneeKind>(fields, "assignee_kind", Need::kRequired, ParseAssigneeKind);
  rule.assignee.user_id = fields.Int("assignee_user_id", Need::kOptional, 1, INT64_MAX);
  rule.assignee.department =
      fields.String("department", Need::kOptional, limits::kTicketShortTextBytesMax).value_or("");
  if (rule.building_id && rule.grid_id) fields.Fail("grid_id", "conflicts_with_building_id");
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  rule.assignee.kind = *kind;
  auto created = service.AddRule(http::ActorOf(request), *community, rule);
  if (!created) return http::Problem(request, created.error());
  return http::Json(201, RuleJson(*created));
}

http::Response DeleteRule(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto rule = http::PathId(request, "rule_id");
  if (!rule) return http::Problem(request, rule.error());
  auto deleted = service.DeleteRule(http::ActorOf(request), *community, *rule);
  if (!deleted) return http::Problem(request, deleted.error());
  return http::NoContent();
}

json::object SettingsJson(const Settings& settings) {
  return json::object{{"reopen_days", settings.reopen_days},
                      {"supervisor_user_id", OptInt(settings.supervisor_user_id)}};
}

http::Response GetSettings(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto settings = service.GetSettings(http::ActorOf(request), *community);
  if (!settings) return http::Problem(request, settings.error());
  return http::Json(200, SettingsJson(*settings));
}

http::Response PutSettings(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  Settings settings;
  auto reopen = fields.Int("reopen_days", Need::kRequired, 0, kReopenDaysMax);
  settings.supervisor_user_id = fields.Int("supervisor_user_id", Need::kOptional, 1, INT64_MAX);
  if (auto done = fields.Finish(); !done) return http::Problem(request, done.error());
  settings.reopen_days = static_cast<int>(*reopen);
  auto saved = service.UpdateSettings(http::ActorOf(request), *community, settings);
  if (!saved) return http::Problem(request, saved.error());
  return http::Json(200, SettingsJson(*saved));
}

Result<int> PathYear(const http::Request& request) {
  const auto text = request.PathParam("year");
  int year = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc{} || end != text.data() + text.size() || year < 2000 || year > 2100) {
    return InvalidFieldError("year", "out_of_range", "a year between 2000 and 2100");
  }
  return year;
}

json::object CalendarJson(const CalendarYear& year) {
  json::array days;
  for (const auto& day : year.days) {
    days.push_back(json::object{
        {"date", FormatIsoDate(day.day)}, {"working", day.working}, {"note", day.note}});
  }
  return json::object{{"year", year.year},
                      {"source", year.source},
                      {"confirmed", year.confirmed},
                      {"days", std::move(days)}};
}

http::Response GetCalendar(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto year = PathYear(request);
  if (!year) return http::Problem(request, year.error());
  auto calendar = service.GetCalendar(http::ActorOf(request), *community, *year);
  if (!calendar) return http::Problem(request, calendar.error());
  return http::Json(200, CalendarJson(*calendar));
}

http::Response PutCalendar(http::Request& request, TicketsService& service) {
  auto community = http::PathId(request, "id");
  if (!community) return http::Problem(request, community.error());
  auto year = PathYear(request);
  if (!year) return http::Problem(request, year.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto days = ParseCalendarDays(*body);
  if (!days) return http::Problem(request, days.error());
  auto calendar = service.PutCalendar(http::ActorOf(request), *community, *year, *days);
  if (!calendar) return http::Problem(request, calendar.error());
  return http::Json(200, CalendarJson(*calendar));
}

// ---------------------------------------------------------------------------------------------
// Open311 GeoReport v2

http::Response Open311Error(int status, std::string_view description) {
  return http::Json(status,
                    json::array{json::object{{"code", status}, {"description", description}}});
}

http::Response Open311Failure(const Error& error) {
  const int status = http::StatusFor(error.code);
  std::string description = error.detail.empty() ? error.reason : error.detail;
  if (!error.errors.empty()) {
    description = error.errors.front().field + ": " + error.errors.front().reason;
  }
  return Open311Error(status, description);
}

// "{name}.json" path segment → name; anything else is not a GeoReport resource.
std::optional<std::string_view> JsonStem(std::string_view segment) {
  if (!segment.ends_with(".json") || segment.size() <= 5) return std::nullopt;
  return segment.substr(0, segment.size() - 5);
}

std::string Open311Base(const http::Request& request) {
  const auto host = request.Header("host").value_or("localhost");
  return fmt::format("{}://{}/open311/v2", request.secure ? "https" : "http", host);
}

json::object ServiceJson(const Category& c) {
  return json::object{
      {"service_code", c.code}, {"service_name", c.name}, {"description", c.description},
      {"metadata", false},      {"type", "realtime"},     {"keywords", Label(c.default_type)},
      {"group", c.group}};
}

std::string_view AgencyOf(AssigneeKind kind) {
  switch (kind) {
    case AssigneeKind::kProperty: return "物业";
    case AssigneeKind::kGridWorker: return "网格员";
    case AssigneeKind::kMerchant: return "商户";
    case AssigneeKind::kDepartment: return "政府部门";
  }
  return "";
}

json::object Open311RequestJson(const Ticket& t, TicketsService& service) {
  const TimeZone zone = service.ZoneOf(t.community_id);
  const bool open = IsOpen(t.status);
  std::string address;
  if (auto building = service.BuildingName(t.community_id, t.location.building_id)) {
    address = *building;
  }
  const auto* category = FindCategory(t.category);
  return json::object{
      {"service_request_id", std::to_string(t.id)},
      {"status", open ? "open" : "closed"},
      {"status_notes", Name(t.status)},
      {"service_name", category != nullptr ? category->name : std::string_view(t.category)},
      {"service_code", t.category},
      {"agency_responsible", AgencyOf(t.assignee.kind)},
      {"service_notice", ""},
      {"requested_datetime", FormatIsoDateTime(t.created_at, zone)},
      {"updated_datetime", FormatIsoDateTime(t.updated_at, zone)},
      {"expected_datetime", t.resolution.due_s
                                ? json::value(FormatIsoDateTime(*t.resolution.due_s, zone))
                                : json::value(nullptr)},
      {"address", address}};
}

http::Response Discovery(http::Request& request, TicketsService&) {
  const std::string base = Open311Base(request);
  return http::Json(
      200, json::object{{"changeset", "2026-01-01T00:00:00+08:00"},
                        {"contact", "社区服务中心 / community service centre"},
                        {"key_service",
                         "API keys are issued by community admins (scope "
                         "tickets:write)"},
                        {"endpoints", json::array{json::object{
                                          {"specification", "http://wiki.open311.org/GeoReport_v2"},
                                          {"url", base},
                                          {"changeset", "2026-01-01T00:00:00+08:00"},
                                          {"type", "production"},
                                          {"formats", json::array{"application/json"}}}}}});
}

http::Response Services(http::Request&, TicketsService&) {
  json::array items;
  for (const auto& c : tickets::Categories()) items.push_back(ServiceJson(c));
  return http::Json(200, items);
}

http::Response ServiceDefinition(http::Request& request, TicketsService&) {
  auto stem = JsonStem(request.PathParam("file"));
  if (!stem) return Open311Error(404, "not found");
  const auto* category = FindCategory(*stem);
  if (category == nullptr) return Open311Error(404, "unknown service_code");
  return http::Json(200,
                    json::object{{"service_code", category->code}, {"attributes", json::array{}}});
}

http::Response ListRequests(http::Request& request, TicketsService& service) {
  repo::PublicFilter filter;
  if (auto ids = request.Query("service_request_id"); ids && !ids->empty()) {
    std::string_view rest = *ids;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const auto part = rest.substr(0, comma);
      std::int64_t id = 0;
      const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
      if (ec != std::errc{} || end != part.data() + part.size() || id <= 0) {
        return Open311Error(400, "service_request_id must be a comma-separated list of ids");
      }
      if (filter.ids.size() >= 100) return Open311Error(400, "at most 100 ids");
      filter.ids.push_back(id);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  if (auto code = request.Query("service_code"); code && !code->empty()) {
    filter.category = std::string(*code);
  }
  if (auto jurisdiction = request.Query("jurisdiction_id");
      jurisdiction && !jurisdiction->empty()) {
    std::int64_t id = 0;
    const auto [end, ec] =
        std::from_chars(jurisdiction->data(), jurisdiction->data() + jurisdiction->size(), id);
    if (ec != std::errc{} || end != jurisdiction->data() + jurisdiction->size()) {
      return Open311Error(400, "jurisdiction_id is a community id");
    }
    filter.community_id = id;
  }
  for (auto [key, target] :
       {std::pair{"start_date", &filter.start_s}, std::pair{"end_date", &filter.end_s}}) {
    if (auto text = request.Query(key); text && !text->empty()) {
      *target = ParseIsoDateTime(*text);
      if (!*target) return Open311Error(400, fmt::format("{} must be ISO 8601", key));
    }
  }
  if (auto status = request.Query("status"); status && !status->empty()) {
    if (*status != "open" && *status != "closed") {
      return Open311Error(400, "status is open or closed");
    }
    filter.open = *status == "open";
  }
  auto tickets = service.PublicTickets(filter, kOpen311ListMax);
  if (!tickets) return Open311Failure(tickets.error());
  json::array items;
  for (const auto& ticket : *tickets) items.push_back(Open311RequestJson(ticket, service));
  return http::Json(200, items);
}

http::Response GetRequest(http::Request& request, TicketsService& service) {
  auto stem = JsonStem(request.PathParam("file"));
  std::int64_t id = 0;
  if (stem) {
    const auto [end, ec] = std::from_chars(stem->data(), stem->data() + stem->size(), id);
    if (ec != std::errc{} || end != stem->data() + stem->size()) id = 0;
  }
  if (id <= 0) return Open311Error(404, "not found");
  repo::PublicFilter filter;
  filter.ids.push_back(id);
  auto tickets = service.PublicTickets(filter, 1);
  if (!tickets) return Open311Failure(tickets.error());
  if (tickets->empty()) return Open311Error(404, "not found");
  return http::Json(200, json::array{Open311RequestJson(tickets->front(), service)});
}

http::Response GetToken(http::Request& request, TicketsService& service) {
  auto stem = JsonStem(request.PathParam("file"));
  if (!stem) return Open311Error(404, "not found");
  auto ticket = service.PublicTicketByCode(*stem);
  if (!ticket) return Open311Error(404, "not found");
  return http::Json(200,
                    json::array{json::object{{"service_request_id", std::to_string(ticket->id)},
                                             {"token", FormatTrackingCode(ticket->code)}}});
}

http::Response PostRequest(http::Request& request, TicketsService& service) {
  auto content_type = request.Header("content-type").value_or("");
  if (!content_type.starts_with("application/x-www-form-urlencoded")) {
    return Open311Error(400, "send the request as application/x-www-form-urlencoded");
  }
  auto form = ParseForm(request.body);
  if (!form) return Open311Failure(form.error());
  auto post = ParseOpen311Post(*form);
  if (!post) return Open311Failure(post.error());
  auto ticket = service.CreateOpen311(post->api_key, post->ticket);
  if (!ticket) {
    if (ticket.error().code == Errc::kUnauthenticated) {
      return Open311Error(403, "api_key is missing or invalid");
    }
    return Open311Failure(ticket.error());
  }
  return http::Json(201,
                    json::array{json::object{{"service_request_id", std::to_string(ticket->id)},
                                             {"token", FormatTrackingCode(ticket->code)},
                                             {"service_notice", "请保存追踪码以查询进度"},
                                             {"account_id", nullptr}}});
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> FormDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      if (i + 2 >= text.size()) {
        return Error{Errc::kInvalidArgument, "invalid_form", "truncated %-escape in the form"};
      }
      const int hi = HexValue(text[i + 1]);
      const int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) {
        return Error{Errc::kInvalidArgument, "invalid_form", "bad %-escape in the form"};
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Parsing

Result<NewTicket> ParseNewTicket(const json::object& body) {
  http::FieldReader fields(body);
  NewTicket ticket;
  ticket.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  ticket.category = fields.String("category", Need::kRequired, 64, 1).value_or("");
  ticket.type = EnumField<Type>(fields, "type", Need::kOptional, ParseType);
  ticket.title = fields.String("title", Need::kOptional, limits::kTicketTitleBytesMax).value_or("");
  ticket.description =
      fields.String("description", Need::kOptional, limits::kTicketDescriptionBytesMax)
          .value_or("");
  ticket.location.building_id = fields.Int("building_id", Need::kOptional, 1, INT64_MAX);
  ticket.location.unit_label =
      fields.String("unit_label", Need::kOptional, limits::kTicketShortTextBytesMax).value_or("");
  ticket.location.lat = fields.Number("lat", Need::kOptional, -90, 90);
  ticket.location.lon = fields.Number("lon", Need::kOptional, -180, 180);
  ticket.location.address =
      fields.String("address", Need::kOptional, limits::kTicketShortTextBytesMax).value_or("");
  ticket.contact_name =
      fields.String("contact_name", Need::kOptional, limits::kTicketShortTextBytesMax).value_or("");
  ticket.contact_phone = fields.String("contact_phone", Need::kOptional, 32).value_or("");
  if (ticket.location.lat.has_value() != ticket.location.lon.has_value()) {
    fields.Fail(ticket.location.lat ? "lon" : "lat", "required");
  }
  LINLI_TRY(fields.Finish());
  return ticket;
}

Result<Assignee> ParseAssignee(const json::object& body, std::string* note) {
  http::FieldReader fields(body);
  Assignee assignee;
  auto kind = EnumField<AssigneeKind>(fields, "kind", Need::kRequired, ParseAssigneeKind);
  assignee.user_id = fields.Int("user_id", Need::kOptional, 1, INT64_MAX);
  assignee.department =
      fields.String("department", Need::kOptional, limits::kTicketShortTextBytesMax).value_or("");
  *note = fields.String("note", Need::kOptional, limits::kTicketNoteBytesMax).value_or("");
  LINLI_TRY(fields.Finish());
  assignee.kind = *kind;
  return assignee;
}

Result<std::vector<CalendarDay>> ParseCalendarDays(const json::object& body) {
  const auto* days = body.if_contains("days");
  std::vector<FieldError> errors;
  for (const auto& [key, value] : body) {
    if (key != "days") errors.push_back({std::string(key), "unknown_field"});
  }
  if (days == nullptr || !days->is_array()) {
    errors.push_back({"days", days == nullptr ? "required" : "expected_array"});
  }
  std::vector<CalendarDay> out;
  if (errors.empty()) {
    if (days->as_array().size() > limits::kTicketCalendarDaysMax) {
      errors.push_back({"days", "too_many_items"});
    }
    for (const auto& item : days->as_array()) {
      if (!errors.empty()) break;
      if (!item.is_object()) {
        errors.push_back({"days", "expected_object"});
        break;
      }
      http::FieldReader fields(item.as_object());
      auto date = fields.String("date", Need::kRequired, 10, 10);
      auto working = fields.Bool("working", Need::kRequired);
      auto note = fields.String("note", Need::kOptional, limits::kTicketShortTextBytesMax);
      if (auto done = fields.Finish(); !done) return done.error();
      auto day = ParseIsoDate(*date);
      if (!day) {
        errors.push_back({"date", "invalid_date"});
        break;
      }
      out.push_back({*day, *working, note.value_or("")});
    }
  }
  if (!errors.empty()) {
    return Error{Errc::kInvalidArgument, "invalid_field", "invalid calendar", std::move(errors)};
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto part = body.substr(0, amp);
    if (!part.empty()) {
      const auto eq = part.find('=');
      LINLI_ASSIGN_OR_RETURN(auto name, FormDecode(part.substr(0, eq)));
      std::string value;
      if (eq != std::string_view::npos) {
        LINLI_ASSIGN_OR_RETURN(value, FormDecode(part.substr(eq + 1)));
      }
      if (out.size() >= 64) {
        return Error{Errc::kInvalidArgument, "invalid_form", "too many form fields"};
      }
      out.emplace_back(std::move(name), std::move(value));
    }
    if (amp == std::string_view::npos) break;
    body.remove_prefix(amp + 1);
  }
  return out;
}

Result<Open311Post> ParseOpen311Post(const std::vector<std::pair<std::string, std::string>>& form) {
  Open311Post post;
  std::optional<double> lat;
  std::optional<double> lon;
  std::string first_name;
  std::string last_name;
  const auto number = [](const std::string& text, double min, double max) -> std::optional<double> {
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
      return std::nullopt;
    }
    return value;
  };
  for (const auto& [name, value] : form) {
    if (name == "api_key") {
      post.api_key = value;
    } else if (name == "service_code") {
      post.ticket.category = value;
    } else if (name == "description") {
      post.ticket.description = value;
    } else if (name == "address_string") {
      post.ticket.location.address = value;
    } else if (name == "lat") {
      lat = number(value, -90, 90);
      if (!lat) return InvalidFieldError("lat", "out_of_range", "lat is -90..90");
    } else if (name == "long") {
      lon = number(value, -180, 180);
      if (!lon) return InvalidFieldError("long", "out_of_range", "long is -180..180");
    } else if (name == "first_name") {
      first_name = value;
    } else if (name == "last_name") {
      last_name = value;
    } else if (name == "phone") {
      post.ticket.contact_phone = value;
    }
    // email, device_id, account_id, media_url, jurisdiction_id, attribute[...]: not kept —
    // data minimisation (the key's community is the jurisdiction).
  }
  if (post.ticket.category.empty()) {
    return InvalidFieldError("service_code", "required", "service_code is required");
  }
  if (lat.has_value() != lon.has_value()) {
    return InvalidFieldError(lat ? "long" : "lat", "required", "lat and long come together");
  }
  if (!lat && post.ticket.location.address.empty()) {
    return InvalidFieldError("lat", "required",
                             "a location is required: lat and long, or address_string");
  }
  post.ticket.location.lat = lat;
  post.ticket.location.lon = lon;
  post.ticket.contact_name = last_name + first_name;  // Chinese order: family name first
  if (!post.ticket.contact_name.empty() && post.ticket.contact_phone.empty()) {
    post.ticket.contact_name.clear();  // a name alone is no way to call back: not kept
  }
  return post;
}

std::optional<std::int64_t> ParseIsoDateTime(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS followed by Z or ±HH:MM (or ±HHMM).
  if (text.size() < 20 || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto day = ParseIsoDate(text.substr(0, 10));
  if (!day) return std::nullopt;
  const auto two = [&](std::size_t at) -> int {
    if (at + 2 > text.size()) return -1;
    const char a = text[at];
    const char b = text[at + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int hour = two(11);
  const int minute = two(14);
  const int second = two(17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return std::nullopt;
  }
  std::int64_t offset_s = 0;
  const auto zone = text.substr(19);
  if (zone != "Z") {
    if (zone.size() != 6 && zone.size() != 5) return std::nullopt;
    if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
    const int oh = two(20);
    const int om = zone.size() == 6 ? (zone[3] == ':' ? two(23) : -1) : two(22);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (zone[0] == '-' ? -1 : 1);
  }
  return *day * 86400 + hour * 3600 + minute * 60 + second - offset_s;
}

std::string FormatIsoDateTime(std::int64_t epoch_s, const TimeZone& zone) {
  const auto local = zone.ToLocal(epoch_s);
  const std::int64_t offset = local.date.day * 86400 + local.second_of_day - epoch_s;
  const std::int64_t magnitude = offset < 0 ? -offset : offset;
  return fmt::format("{}T{:02}:{:02}:{:02}{}{:02}:{:02}", FormatIsoDate(local.date.day),
                     local.second_of_day / 3600, local.second_of_day / 60 % 60,
                     local.second_of_day % 60, offset < 0 ? '-' : '+', magnitude / 3600,
                     magnitude / 60 % 60);
}

void RegisterRoutes(http::Router& router, TicketsService& service) {
  using http::Verb;
  const auto bind = [&service](Handler fn) {
    return [&service, fn](http::Request& request) { return fn(request, service); };
  };
  const http::RouteOptions photo_upload{.json_body = false,
                                        .body_bytes_max = limits::kUploadBodyBytesMax};
  const http::RouteOptions anonymous{.anonymous = true};
  // Open311 clients send forms and carry api_key in the body, never a session cookie.
  const http::RouteOptions open311_post{.csrf_exempt = true, .anonymous = true, .json_body = false};

  router.Add(Verb::kPost, "/api/v1/tickets", bind(Create));
  // Literal segments before {id}: the router takes the first pattern that matches.
  router.Add(Verb::kGet, "/api/v1/tickets/mine", bind(Mine));
  router.Add(Verb::kGet, "/api/v1/tickets/categories", bind(Categories), anonymous);
  router.Add(Verb::kGet, "/api/v1/tickets/{id}", bind(Get));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/accept", bind(Accept));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/start", bind(NoteAction<&TicketsService::Start>));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/wait", bind(NoteAction<&TicketsService::Wait>));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/resume", bind(NoteAction<&TicketsService::Resume>));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/resolve",
             bind(NoteAction<&TicketsService::Resolve>));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/close", bind(Close));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/reopen", bind(Reopen));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/assign", bind(Assign));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/notes", bind(AddNote));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/merge", bind(Merge));
  router.Add(Verb::kPost, "/api/v1/tickets/{id}/photos", bind(AddPhoto), photo_upload);
  router.Add(Verb::kGet, "/api/v1/tickets/{id}/photos/{photo_id}", bind(GetPhoto));
  router.Add(Verb::kGet, "/api/v1/track/{code}", bind(Track), anonymous);
  router.Add(Verb::kGet, "/api/v1/communities/{id}/tickets/queue", bind(QueueRoute));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/tickets/rules", bind(ListRules));
  router.Add(Verb::kPost, "/api/v1/communities/{id}/tickets/rules", bind(AddRule));
  router.Add(Verb::kDelete, "/api/v1/communities/{id}/tickets/rules/{rule_id}", bind(DeleteRule));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/tickets/settings", bind(GetSettings));
  router.Add(Verb::kPut, "/api/v1/communities/{id}/tickets/settings", bind(PutSettings));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/tickets/calendar/{year}", bind(GetCalendar));
  router.Add(Verb::kPut, "/api/v1/communities/{id}/tickets/calendar/{year}", bind(PutCalendar));

  router.Add(Verb::kGet, "/open311/v2/discovery.json", bind(Discovery), anonymous);
  router.Add(Verb::kGet, "/open311/v2/services.json", bind(Services), anonymous);
  router.Add(Verb::kGet, "/open311/v2/services/{file}", bind(ServiceDefinition), anonymous);
  router.Add(Verb::kGet, "/open311/v2/requests.json", bind(ListRequests), anonymous);
  router.Add(Verb::kPost, "/open311/v2/requests.json", bind(PostRequest), open311_post);
  router.Add(Verb::kGet, "/open311/v2/requests/{file}", bind(GetRequest), anonymous);
  router.Add(Verb::kGet, "/open311/v2/tokens/{file}", bind(GetToken), anonymous);
}

}  // namespace linli::tickets
