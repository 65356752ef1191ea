#include "booking/routes.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/qr.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace linli::booking {
namespace {

namespace json = boost::json;
using http::Need;

constexpr std::int64_t kMinute = 60;
constexpr std::int64_t kEpochMax = 4'102'444'800;  // 2100-01-01

json::value OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object BookingJson(const BookingView& view) {
  const Booking& b = view.booking;
  return json::object{{"id", b.id},
                      {"community_id", b.community_id},
                      {"card_id", b.card_id},
                      {"card_title", view.card_title},
                      {"kind", Name(b.kind)},
                      {"status", Name(b.status)},
                      {"booker_user_id", b.booker_user_id},
                      {"provider_user_id", OptionalInt(b.provider_user_id)},
                      {"start_s", b.start_s},
                      {"end_s", b.end_s},
                      {"unit", b.unit},
                      {"price_fen", b.price_fen},
                      {"points", b.points},
                      {"deposit_points", b.deposit_points},
                      {"note", b.note},
                      {"reason", b.reason},
                      {"condition_notes", b.condition_notes},
                      {"late", b.late},
                      {"overdue", view.overdue},
                      {"created_at", b.created_at},
                      {"updated_at", b.updated_at},
                      {"confirmed_at", OptionalInt(b.confirmed_at)},
                      {"checked_in_at", OptionalInt(b.checked_in_at)},
                      {"finished_at", OptionalInt(b.finished_at)},
                      {"hold_expires_at", OptionalInt(b.hold_expires_at)},
                      {"can_manage", view.can_manage},
                      {"is_booker", view.is_booker}};
}

json::object PageJson(const Page<BookingView>& page) {
  json::array items;
  for (const auto& view : page.items) items.push_back(BookingJson(view));
  return json::object{{"items", std::move(items)}, {"next_cursor", http::CursorJson(page.next)}};
}

json::object BlackoutJson(const Blackout& b) {
  return json::object{
      {"start_s", b.start_s}, {"end_s", b.end_s}, {"kind", Name(b.kind)}, {"note", b.note}};
}

json::object SettingsJson(const SettingsView& view) {
  const Settings& s = view.settings;
  json::array windows;
  for (const auto& w : s.windows) {
    windows.push_back(json::object{
        {"weekday", w.weekday}, {"start", FormatClock(w.start_s)}, {"end", FormatClock(w.end_s)}});
  }
  json::array blackouts;
  for (const auto& b : s.blackouts) blackouts.push_back(BlackoutJson(b));
  return json::object{{"card_id", s.card_id},
                      {"capacity", view.capacity},
                      {"capacity_override", OptionalInt(s.capacity)},
                      {"requires_approval", s.requires_approval},
                      {"buffer_minutes", s.buffer_s / kMinute},
                      {"min_duration_minutes", s.min_duration_s / kMinute},
                      {"max_duration_minutes", s.max_duration_s / kMinute},
                      {"cancel_cutoff_minutes", s.cancel_cutoff_s / kMinute},
                      {"no_show_grace_minutes", s.no_show_grace_s / kMinute},
                      {"reminder_lead_minutes", s.reminder_lead_s / kMinute},
                      {"price_fen_per_hour", s.price_fen_per_hour},
                      {"points", s.points},
                      {"deposit_points", s.deposit_points},
                      {"windows", std::move(windows)},
                      {"blackouts", std::move(blackouts)},
                      {"timezone", view.timezone},
                      {"version", s.version},
                      {"customised", view.customised},
                      {"can_manage", view.can_manage}};
}

json::object RangeJson(const Interval& i) {
  return json::object{{"start_s", i.start_s}, {"end_s", i.end_s}};
}

json::object WaitJson(const WaitlistEntry& w) {
  return json::object{{"id", w.id},
                      {"card_id", w.card_id},
                      {"start_s", w.start_s},
                      {"end_s", w.end_s},
                      {"status", Name(w.status)},
                      {"booking_id", OptionalInt(w.booking_id)},
                      {"created_at", w.created_at}};
}

Error FieldsError(std::vector<FieldError> errors) {
  std::string detail = "invalid request fields:";
  for (const auto& e : errors) detail += " " + e.field + " (" + e.reason + ")";
  return Error{Errc::kInvalidArgument, "invalid_field", detail, std::move(errors)};
}

// An optional body: empty means {}.
Result<json::object> OptionalBody(const http::Request& request) {
  if (request.body.empty()) return json::object{};
  return http::ParseJsonObject(request);
}

Result<std::vector<WeeklyWindow>> ParseWindows(const json::value& value) {
  const auto invalid = [] { return FieldsError({{"windows", "invalid"}}); };
  if (!value.is_array()) return FieldsError({{"windows", "expected_array"}});
  if (value.as_array().size() > limits::kBookingWindowsMax) {
    return FieldsError({{"windows", "too_many_items"}});
  }
  std::vector<WeeklyWindow> windows;
  for (const auto& item : value.as_array()) {
    const auto* object = item.if_object();
    if (object == nullptr || object->size() != 3) return invalid();
    const auto* weekday = object->if_contains("weekday");
    const auto* start = object->if_contains("start");
    const auto* end = object->if_contains("end");
    if (weekday == nullptr || !weekday->is_int64() || start == nullptr || !start->is_string() ||
        end == nullptr || !end->is_string()) {
      return invalid();
    }
    auto start_s = ParseClock(start->as_string());
    auto end_s = ParseClock(end->as_string());
    if (!start_s || !end_s || *start_s >= 24 * 3600) return invalid();
    windows.push_back({static_cast<int>(weekday->as_int64()), *start_s, *end_s});
  }
  return windows;
}

Result<std::vector<Blackout>> ParseBlackouts(const json::value& value) {
  const auto invalid = [] { return FieldsError({{"blackouts", "invalid"}}); };
  if (!value.is_array()) return FieldsError({{"blackouts", "expected_array"}});
  if (value.as_array().size() > limits::kBookingBlackoutsMax) {
    return FieldsError({{"blackouts", "too_many_items"}});
  }
  std::vector<Blackout> blackouts;
  for (const auto& item : value.as_array()) {
    const auto* object = item.if_object();
    if (object == nullptr) return invalid();
    http::FieldReader fields(*object);
    Blackout b;
    auto start = fields.Int("start_s", Need::kRequired, 0, kEpochMax);
    auto end = fields.Int("end_s", Need::kRequired, 0, kEpochMax);
    auto kind = fields.String("kind", Need::kOptional, 16);
    auto note = fields.String("note", Need::kOptional, limits::kBookingNoteBytesMax);
    if (!fields.Finish() || !start || !end) return invalid();
    b.start_s = *start;
    b.end_s = *end;
    if (kind) {
      auto parsed = ParseBlackoutKind(*kind);
      if (!parsed) return invalid();
      b.kind = *parsed;
    }
    b.note = note.value_or("");
    blackouts.push_back(std::move(b));
  }
  return blackouts;
}

std::optional<std::int64_t> Minutes(http::FieldReader& fields, std::string_view key,
                                    std::int64_t min, std::int64_t max) {
  auto value = fields.Int(key, Need::kOptional, min, max);
  if (!value) return std::nullopt;
  return *value * kMinute;
}

Result<std::optional<std::int64_t>> ParseIfMatch(std::optional<std::string_view> header) {
  if (!header || *header == "*") return std::optional<std::int64_t>{};
  std::string_view tag = *header;
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  if (tag.size() >= 3 && tag.front() == '"' && tag.back() == '"') {
    const std::string_view digits = tag.substr(1, tag.size() - 2);
    std::int64_t version = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec == std::errc{} && end == digits.data() + digits.size() && version >= 0) {
      return std::optional<std::int64_t>{version};
    }
  }
  return FieldsError({{"If-Match", "invalid"}});
}

Result<repo::ListFilter> ParseFilter(const http::Request& request, bool kind_allowed) {
  repo::ListFilter filter;
  if (auto text = request.Query("kind"); kind_allowed && text && !text->empty()) {
    filter.kind = ParseKind(*text);
    if (!filter.kind) return FieldsError({{"kind", "unsupported"}});
  }
  if (auto text = request.Query("status"); text && !text->empty()) {
    filter.status = ParseStatus(*text);
    if (!filter.status) return FieldsError({{"status", "unsupported"}});
  }
  return filter;
}

std::optional<std::string> IdempotencyKey(const http::Request& request) {
  auto header = request.Header("idempotency-key");
  if (!header) return std::nullopt;
  return std::string(*header);
}

// ---------------------------------------------------------------------------------------------
// Handlers

using Svc = BookingService;

http::Response BookingResponse(const http::Request& request, int status,
                               const Result<BookingView>& view) {
  if (!view) return http::Problem(request, view.error());
  return http::Json(status, BookingJson(*view)).With("Cache-Control", "no-store");
}

http::Response GetSettings(http::Request& request, Svc& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto view = service.GetSettings(http::ActorOf(request), *id);
  if (!view) return http::Problem(request, view.error());
  return http::Json(200, SettingsJson(*view))
      .With("ETag", fmt::format("\"{}\"", view->settings.version));
}

http::Response PutSettings(http::Request& request, Svc& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto version = ParseIfMatch(request.Header("if-match"));
  if (!version) return http::Problem(request, version.error());
  // The defaults of the card fill absent members.
  auto current = service.GetSettings(http::ActorOf(request), *id);
  if (!current) return http::Problem(request, current.error());
  Settings base;
  if (!current->customised) base = current->settings;
  base.windows.clear();
  base.blackouts.clear();
  base.capacity.reset();
  auto settings = ParseSettingsBody(*body, base);
  if (!settings) return http::Problem(request, settings.error());
  auto view = service.PutSettings(http::ActorOf(request), *id, *settings, *version);
  if (!view) return http::Problem(request, view.error());
  return http::Json(200, SettingsJson(*view))
      .With("ETag", fmt::format("\"{}\"", view->settings.version));
}

http::Response GetAvailability(http::Request& request, Svc& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto range = ParseRange(request);
  if (!range) return http::Problem(request, range.error());
  auto fb = service.Availability(http::ActorOf(request), *id, range->first, range->second);
  if (!fb) return http::Problem(request, fb.error());
  json::array open, busy, full, blackouts;
  for (const auto& i : fb->open) open.push_back(RangeJson(i));
  for (const auto& o : fb->busy) {
    busy.push_back(json::object{{"start_s", o.start_s}, {"end_s", o.end_s}, {"unit", o.unit}});
  }
  for (const auto& i : fb->full) full.push_back(RangeJson(i));
  for (const auto& b : fb->blackouts) blackouts.push_back(BlackoutJson(b));
  return http::Json(200, json::object{{"card_id", fb->card_id},
                                      {"timezone", fb->timezone},
                                      {"capacity", fb->capacity},
                                      {"from_s", fb->from_s},
                                      {"to_s", fb->to_s},
                                      {"open", std::move(open)},
                                      {"busy", std::move(busy)},
                                      {"full", std::move(full)},
                                      {"blackouts", std::move(blackouts)}})
      .With("Cache-Control", "no-store");
}

http::Response CreateWithKind(http::Request& request, Svc& service, Kind kind, std::int64_t now_s) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseCreateBody(*body, kind, now_s);
  if (!parsed) return http::Problem(request, parsed.error());
  parsed->idempotency_key = IdempotencyKey(request);
  const Actor& actor = http::ActorOf(request);
  auto created = service.Create(actor, *parsed);
  if (!created) return http::Problem(request, created.error());
  auto view = service.Get(actor, created->booking.id);
  auto response = BookingResponse(request, 201, view);
  response.With("Location", fmt::format("/api/v1/bookings/{}", created->booking.id));
  if (created->replayed) response.With("Idempotent-Replayed", "true");
  return response;
}

std::int64_t NowS() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::Response CreateBooking(http::Request& request, Svc& service) {
  return CreateWithKind(request, service, Kind::kBooking, 0);
}

http::Response CreateLoan(http::Request& request, Svc& service) {
  return CreateWithKind(request, service, Kind::kLoan, NowS());
}

http::Response ListWith(http::Request& request, Svc& service, bool incoming,
                        std::optional<Kind> fixed_kind) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto filter = ParseFilter(request, !fixed_kind);
  if (!filter) return http::Problem(request, filter.error());
  if (fixed_kind) filter->kind = fixed_kind;
  auto found = incoming ? service.Incoming(http::ActorOf(request), *filter, *page)
                        : service.Mine(http::ActorOf(request), *filter, *page);
  if (!found) return http::Problem(request, found.error());
  return http::Json(200, PageJson(*found)).With("Cache-Control", "no-store");
}

http::Response Mine(http::Request& request, Svc& service) {
  return ListWith(request, service, false, std::nullopt);
}
http::Response Incoming(http::Request& request, Svc& service) {
  return ListWith(request, service, true, std::nullopt);
}
http::Response MyLoans(http::Request& request, Svc& service) {
  return ListWith(request, service, false, Kind::kLoan);
}
http::Response LentLoans(http::Request& request, Svc& service) {
  return ListWith(request, service, true, Kind::kLoan);
}

http::Response GetBooking(http::Request& request, Svc& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  return BookingResponse(request, 200, service.Get(http::ActorOf(request), *id));
}

// The body of an action: optional, with at most `field` (a short text).
using Action = Result<BookingView> (*)(Svc&, const Actor&, std::int64_t, const std::string&);

http::Response RunAction(http::Request& request, Svc& service, Action action,
                         std::string_view field) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = OptionalBody(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  std::optional<std::string> text;
  if (!field.empty()) text = fields.String(field, Need::kOptional, limits::kBookingNoteBytesMax);
  if (auto finished = fields.Finish(); !finished) return http::Problem(request, finished.error());
  return BookingResponse(request, 200,
                         action(service, http::ActorOf(request), *id, text.value_or("")));
}

http::Response CheckInByCode(http::Request& request, Svc& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto code = fields.String("code", Need::kRequired, 64, 1);
  if (auto finished = fields.Finish(); !finished) return http::Problem(request, finished.error());
  return BookingResponse(request, 200, service.CheckInByCode(http::ActorOf(request), *code));
}

http::Response Qr(http::Request& request, Svc& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto code = service.CheckInCode(http::ActorOf(request), *id);
  if (!code) return http::Problem(request, code.error());
  auto svg = QrSvg(*code, "签到二维码 Check-in QR code");
  if (!svg) return http::Problem(request, svg.error());
  http::Response response;
  response.content_type = "image/svg+xml";
  response.body = std::move(*svg);
  response.With("Cache-Control", "no-store");
  return response;
}

http::Response JoinWaitlist(http::Request& request, Svc& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto card = fields.Int("card_id", Need::kRequired, 1, INT64_MAX);
  auto start = fields.Int("start_s", Need::kRequired, 0, kEpochMax);
  auto end = fields.Int("end_s", Need::kRequired, 0, kEpochMax);
  if (auto finished = fields.Finish(); !finished) return http::Problem(request, finished.error());
  auto entry = service.JoinWaitlist(http::ActorOf(request), *card, *start, *end);
  if (!entry) return http::Problem(request, entry.error());
  return http::Json(201, WaitJson(*entry));
}

http::Response MyWaitlist(http::Request& request, Svc& service) {
  auto entries = service.MyWaitlist(http::ActorOf(request));
  if (!entries) return http::Problem(request, entries.error());
  json::array items;
  for (const auto& e : *entries) items.push_back(WaitJson(e));
  return http::Json(200, json::object{{"items", std::move(items)}})
      .With("Cache-Control", "no-store");
}

http::Response LeaveWaitlist(http::Request& request, Svc& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto entry = service.LeaveWaitlist(http::ActorOf(request), *id);
  if (!entry) return http::Problem(request, entry.error());
  return http::Json(200, WaitJson(*entry));
}

http::Response Parking(http::Request& request, Svc& service) {
  auto range = ParseRange(request);
  if (!range) return http::Problem(request, range.error());
  auto spots = service.SearchParking(http::ActorOf(request), range->first, range->second);
  if (!spots) return http::Problem(request, spots.error());
  json::array items;
  for (const auto& spot : *spots) {
    const auto& c = spot.card;
    items.push_back(json::object{
        {"card_id", c.id},
        {"title", c.content.title},
        {"price_fen_per_hour", spot.price_fen_per_hour},
        {"price_fen", spot.price_fen},
        {"building_id", OptionalInt(c.content.location.building_id)},
        {"lat",
         c.content.location.lat ? json::value(*c.content.location.lat) : json::value(nullptr)},
        {"lon",
         c.content.location.lon ? json::value(*c.content.location.lon) : json::value(nullptr)},
        {"owner_user_id", OptionalInt(c.owner_user_id)}});
  }
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"from_s", range->first},
                                      {"to_s", range->second}})
      .With("Cache-Control", "no-store");
}

http::Response EarningsRoute(http::Request& request, Svc& service) {
  auto range = ParseRange(request);
  if (!range) return http::Problem(request, range.error());
  auto earnings = service.EarningsOf(http::ActorOf(request), range->first, range->second);
  if (!earnings) return http::Problem(request, earnings.error());
  json::array items;
  for (const auto& line : earnings->lines) {
    items.push_back(json::object{{"card_id", line.card_id},
                                 {"card_title", line.card_title},
                                 {"month", line.month},
                                 {"bookings", line.bookings},
                                 {"price_fen", line.price_fen},
                                 {"points", line.points}});
  }
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"total_fen", earnings->total_fen},
                                      {"total_points", earnings->total_points}})
      .With("Cache-Control", "no-store");
}

http::Response NewFeed(http::Request& request, Svc& service) {
  auto token = service.NewFeedToken(http::ActorOf(request));
  if (!token) return http::Problem(request, token.error());
  return http::Json(201, json::object{{"token", *token},
                                      {"bookings_url", fmt::format("/ical/{}.ics", *token)},
                                      {"card_url_template",
                                       fmt::format("/ical/{}/cards/{{card_id}}.ics", *token)}})
      .With("Cache-Control", "no-store");
}

http::Response Calendar(http::Request& request, const Result<std::string>& body) {
  if (!body) return http::Problem(request, body.error());
  http::Response response;
  response.content_type = "text/calendar; charset=utf-8";
  response.body = *body;
  response.With("Cache-Control", "private, max-age=300");
  return response;
}

http::Response BookingsFeed(http::Request& request, Svc& service) {
  return Calendar(request, service.BookingsFeed(std::string(StripIcs(request.PathParam("token")))));
}

http::Response CardFeed(http::Request& request, Svc& service) {
  const std::string_view id_text = StripIcs(request.PathParam("card_id"));
  std::int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc{} || end != id_text.data() + id_text.size() || id <= 0) {
    return http::Problem(request, NotFoundError());
  }
  return Calendar(request, service.CardFeed(std::string(StripIcs(request.PathParam("token"))), id));
}

}  // namespace

std::string_view StripIcs(std::string_view text) {
  if (text.ends_with(".ics")) text.remove_suffix(4);
  return text;
}

Result<std::pair<std::int64_t, std::int64_t>> ParseRange(const http::Request& request) {
  std::vector<FieldError> errors;
  std::array<std::int64_t, 2> values{};
  std::size_t i = 0;
  for (const char* name : {"from", "to"}) {
    auto text = request.Query(name);
    std::int64_t value = 0;
    if (!text || text->empty()) {
      errors.push_back({name, "required"});
    } else {
      auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
      if (ec != std::errc{} || end != text->data() + text->size() || value < 0 ||
          value > kEpochMax) {
        errors.push_back({name, "out_of_range"});
      }
    }
    values[i++] = value;
  }
  if (!errors.empty()) return FieldsError(std::move(errors));
  return std::pair{values[0], values[1]};
}

Result<Settings> ParseSettingsBody(const json::object& body, const Settings& base) {
  Settings s = base;
  json::object rest = body;
  std::vector<FieldError> errors;
  if (auto* windows = body.if_contains("windows"); windows && !windows->is_null()) {
    auto parsed = ParseWindows(*windows);
    if (parsed) {
      s.windows = std::move(*parsed);
    } else {
      for (auto& e : parsed.error().errors) errors.push_back(e);
    }
  }
  rest.erase("windows");
  if (auto* blackouts = body.if_contains("blackouts"); blackouts && !blackouts->is_null()) {
    auto parsed = ParseBlackouts(*blackouts);
    if (parsed) {
      s.blackouts = std::move(*parsed);
    } else {
      for (auto& e : parsed.error().errors) errors.push_back(e);
    }
  }
  rest.erase("blackouts");
  http::FieldReader fields(rest);
  const std::int64_t max_minutes = limits::kBookingDurationSMax / kMinute;
  if (auto* capacity = rest.if_contains("capacity"); capacity && capacity->is_null()) {
    rest.erase("capacity");
    s.capacity.reset();
  } else if (auto value = fields.Int("capacity", Need::kOptional, 1, limits::kBookingCapacityMax)) {
    s.capacity = value;
  }
  if (auto v = fields.Bool("requires_approval", Need::kOptional)) s.requires_approval = *v;
  if (auto v = Minutes(fields, "buffer_minutes", 0, limits::kBookingBufferSMax / kMinute)) {
    s.buffer_s = *v;
  }
  if (auto v = Minutes(fields, "min_duration_minutes", 1, max_minutes)) s.min_duration_s = *v;
  if (auto v = Minutes(fields, "max_duration_minutes", 1, max_minutes)) s.max_duration_s = *v;
  if (auto v = Minutes(fields, "cancel_cutoff_minutes", 0, max_minutes)) s.cancel_cutoff_s = *v;
  if (auto v = Minutes(fields, "no_show_grace_minutes", 0, max_minutes)) s.no_show_grace_s = *v;
  if (auto v = Minutes(fields, "reminder_lead_minutes", 0, max_minutes)) s.reminder_lead_s = *v;
  if (auto v = fields.Int("price_fen_per_hour", Need::kOptional, 0, limits::kResourcePriceFenMax)) {
    s.price_fen_per_hour = *v;
  }
  if (auto v = fields.Int("points", Need::kOptional, 0, limits::kResourcePointsMax)) s.points = *v;
  if (auto v = fields.Int("deposit_points", Need::kOptional, 0, limits::kResourcePointsMax)) {
    s.deposit_points = *v;
  }
  auto finished = fields.Finish();
  if (!finished) {
    for (auto& e : finished.error().errors) errors.push_back(e);
  }
  if (!errors.empty()) return FieldsError(std::move(errors));
  if (auto invalid = Validate(s); !invalid.empty()) return FieldsError(std::move(invalid));
  return s;
}

Result<CreateRequest> ParseCreateBody(const json::object& body, Kind kind, std::int64_t now_s) {
  http::FieldReader fields(body);
  CreateRequest request;
  request.kind = kind;
  auto card = fields.Int("card_id", Need::kRequired, 1, INT64_MAX);
  auto start =
      fields.Int("start_s", kind == Kind::kLoan ? Need::kOptional : Need::kRequired, 0, kEpochMax);
  auto end = fields.Int(kind == Kind::kLoan ? "due_s" : "end_s", Need::kRequired, 0, kEpochMax);
  auto note = fields.String("note", Need::kOptional, limits::kBookingNoteBytesMax);
  LINLI_TRY(fields.Finish());
  request.card_id = *card;
  request.start_s = start.value_or(now_s);
  request.end_s = *end;
  request.note = note.value_or("");
  return request;
}

void RegisterRoutes(http::Router& router, BookingService& service) {
  using http::Verb;
  const auto bind = [&service](http::Response (*fn)(http::Request&, Svc&)) {
    return [&service, fn](http::Request& request) { return fn(request, service); };
  };
  const auto action = [&service](Action fn, std::string_view field) {
    return [&service, fn, field](http::Request& request) {
      return RunAction(request, service, fn, field);
    };
  };
  const http::RouteOptions feed{.anonymous = true};
  router.Add(Verb::kGet, "/api/v1/resources/{id}/availability", bind(GetAvailability));
  router.Add(Verb::kGet, "/api/v1/resources/{id}/booking-settings", bind(GetSettings));
  router.Add(Verb::kPut, "/api/v1/resources/{id}/booking-settings", bind(PutSettings));
  router.Add(Verb::kPost, "/api/v1/bookings", bind(CreateBooking));
  // Literal segments before {id}: the router takes the first pattern that matches.
  router.Add(Verb::kGet, "/api/v1/bookings/mine", bind(Mine));
  router.Add(Verb::kGet, "/api/v1/bookings/incoming", bind(Incoming));
  router.Add(Verb::kGet, "/api/v1/bookings/parking", bind(Parking));
  router.Add(Verb::kGet, "/api/v1/bookings/earnings", bind(EarningsRoute));
  router.Add(Verb::kPost, "/api/v1/bookings/check-in", bind(CheckInByCode));
  router.Add(Verb::kPost, "/api/v1/bookings/calendar-feed", bind(NewFeed));
  router.Add(Verb::kPost, "/api/v1/bookings/waitlist", bind(JoinWaitlist));
  router.Add(Verb::kGet, "/api/v1/bookings/waitlist/mine", bind(MyWaitlist));
  router.Add(Verb::kDelete, "/api/v1/bookings/waitlist/{id}", bind(LeaveWaitlist));
  router.Add(Verb::kGet, "/api/v1/bookings/{id}", bind(GetBooking));
  router.Add(Verb::kGet, "/api/v1/bookings/{id}/qr", bind(Qr));
  router.Add(Verb::kPost, "/api/v1/bookings/{id}/approve",
             action([](Svc& s, const Actor& a, std::int64_t id,
                       const std::string&) { return s.Approve(a, id); },
                    ""));
  router.Add(Verb::kPost, "/api/v1/bookings/{id}/decline",
             action([](Svc& s, const Actor& a, std::int64_t id,
                       const std::string& text) { return s.Decline(a, id, text); },
                    "reason"));
  router.Add(Verb::kPost, "/api/v1/bookings/{id}/cancel",
             action([](Svc& s, const Actor& a, std::int64_t id,
                       const std::string& text) { return s.Cancel(a, id, text); },
                    "reason"));
  router.Add(Verb::kPost, "/api/v1/bookings/{id}/check-in",
             action([](Svc& s, const Actor& a, std::int64_t id,
                       const std::string&) { return s.CheckIn(a, id); },
                    ""));
  const Action complete = [](Svc& s, const Actor& a, std::int64_t id, const std::string& text) {
    return s.Complete(a, id, text);
  };
  router.Add(Verb::kPost, "/api/v1/bookings/{id}/complete", action(complete, "condition_notes"));
  router.Add(Verb::kPost, "/api/v1/bookings/{id}/accept",
             action([](Svc& s, const Actor& a, std::int64_t id,
                       const std::string&) { return s.Accept(a, id); },
                    ""));
  router.Add(Verb::kPost, "/api/v1/loans", bind(CreateLoan));
  router.Add(Verb::kGet, "/api/v1/loans/mine", bind(MyLoans));
  router.Add(Verb::kGet, "/api/v1/loans/lent", bind(LentLoans));
  router.Add(Verb::kPost, "/api/v1/loans/{id}/return", action(complete, "condition_notes"));
  router.Add(Verb::kGet, "/ical/{token}", bind(BookingsFeed), feed);
  router.Add(Verb::kGet, "/ical/{token}/cards/{card_id}", bind(CardFeed), feed);
}

}  // namespace linli::booking
