#include "resources/routes.hpp"

#include <charconv>

#include <fmt/format.h>

#include "core/limits.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace linli::resources {
namespace {

namespace json = boost::json;
using http::Need;

constexpr std::size_t kSummaryChars = 80;
constexpr std::string_view kPhotoCacheControl = "private, max-age=86400";

json::value OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptionalReal(const std::optional<double>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptionalText(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::array Strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

// Members shared by the full card and the list summary.
json::object CommonJson(const Card& card) {
  const CardContent& c = card.content;
  return json::object{{"id", card.id},
                      {"community_id", card.community_id},
                      {"kind", Name(c.kind)},
                      {"owner_type", Name(c.owner_type)},
                      {"title", c.title},
                      {"tags", Strings(c.tags)},
                      {"rule", Name(c.rule.type)},
                      {"price_fen", c.rule.price_fen},
                      {"price_unit", c.rule.price_unit},
                      {"points", c.rule.points},
                      {"deposit_points", c.rule.deposit_points},
                      {"availability", Name(card.availability)},
                      {"lifecycle", Name(card.lifecycle)},
                      {"visibility", Name(c.visibility)},
                      {"building_id", OptionalInt(c.location.building_id)},
                      {"lat", OptionalReal(c.location.lat)},
                      {"lon", OptionalReal(c.location.lon)},
                      {"reconfirm_due_at", OptionalInt(card.reconfirm_due_at)},
                      {"updated_at", card.updated_at}};
}

json::object SummaryJson(const Card& card, std::optional<double> score = std::nullopt,
                         std::optional<double> distance_m = std::nullopt) {
  json::object out = CommonJson(card);
  out["summary"] = Excerpt(card.content.description, kSummaryChars);
  out["cover_photo_id"] =
      card.photo_ids.empty() ? json::value(nullptr) : json::value(card.photo_ids.front());
  out["score"] = OptionalReal(score);
  out["distance_m"] = OptionalReal(distance_m);
  return out;
}

json::object CardJson(const Card& card, const Actor& actor) {
  const KindAttributes& a = card.content.attributes;
  json::object out = CommonJson(card);
  out["description"] = card.content.description;
  out["capacity"] = OptionalInt(a.capacity);
  out["open_hours"] = a.open_hours;
  out["facilities"] = Strings(a.facilities);
  out["skill"] = a.skill;
  out["certificate"] = a.certificate;
  out["condition"] = a.condition ? json::value(Name(*a.condition)) : json::value(nullptr);
  out["quantity"] = OptionalInt(a.quantity);
  out["team_size"] = OptionalInt(a.team_size);
  out["skills"] = Strings(a.skills);
  out["exchange_terms"] = card.content.rule.exchange_terms;
  out["ref"] = OptionalText(card.ref);
  out["version"] = card.version;
  out["created_at"] = card.created_at;
  out["listed_at"] = OptionalInt(card.listed_at);
  out["last_activity_at"] = card.last_activity_at;
  out["delisted_reason"] = OptionalText(card.delisted_reason);
  json::array photos;
  for (auto id : card.photo_ids) photos.emplace_back(id);
  out["photo_ids"] = std::move(photos);
  out["can_manage"] = CanManage(actor, card);
  out["can_review"] = CanReview(actor, card.community_id);
  return out;
}

// The version in quotes, as households records do: `"3"`.
std::string ETagOf(const Card& card) {
  return fmt::format("\"{}\"", card.version);
}

http::Response CardResponse(int status, const Card& card, const http::Request& request) {
  auto response = http::Json(status, CardJson(card, http::ActorOf(request)));
  response.With("ETag", ETagOf(card));
  response.With("Cache-Control", "private, no-cache");
  return response;
}

json::object PageJson(const Page<Card>& page) {
  json::array items;
  for (const auto& card : page.items) items.push_back(SummaryJson(card));
  return json::object{{"items", std::move(items)}, {"next_cursor", http::CursorJson(page.next)}};
}

// Reads an enum field by its stable name; an unknown name is "unsupported".
template <class E>
std::optional<E> EnumField(http::FieldReader& fields, std::string_view key, Need need,
                           std::optional<E> (*parse)(std::string_view)) {
  auto text = fields.String(key, need, 32);
  if (!text) return std::nullopt;
  auto value = parse(*text);
  if (!value) fields.Fail(key, "unsupported");
  return value;
}

std::optional<std::vector<std::string>> ListField(http::FieldReader& fields, std::string_view key) {
  return fields.Strings(key, Need::kOptional, limits::kResourceTagsMax,
                        limits::kResourceTagBytesMax);
}

// The body of an action: optional (an empty body is {}), with at most `reason`/`status`.
Result<json::object> ActionBody(const http::Request& request) {
  if (request.body.empty()) return json::object{};
  return http::ParseJsonObject(request);
}

// ---------------------------------------------------------------------------------------------
// Handlers

http::Response Search(http::Request& request, ResourcesService& service) {
  auto parsed = ParseSearch(request);
  if (!parsed) return http::Problem(request, parsed.error());
  auto page = service.Search(http::ActorOf(request), *parsed);
  if (!page) return http::Problem(request, page.error());
  json::array items;
  for (const auto& item : page->items) {
    items.push_back(SummaryJson(item.card, item.score, item.distance_m));
  }
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"total", page->total},
                                      {"limit", parsed->limit},
                                      {"offset", parsed->offset}});
}

http::Response Create(http::Request& request, ResourcesService& service) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseCardBody(*body, true);
  if (!parsed) return http::Problem(request, parsed.error());
  auto card = service.Create(http::ActorOf(request), parsed->community_id,
                             Apply(CardContent{}, parsed->patch));
  if (!card) return http::Problem(request, card.error());
  auto response = CardResponse(201, *card, request);
  response.With("Location", fmt::format("/api/v1/resources/{}", card->id));
  return response;
}

http::Response Mine(http::Request& request, ResourcesService& service) {
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  std::optional<Lifecycle> lifecycle;
  if (auto text = request.Query("lifecycle"); text && !text->empty()) {
    lifecycle = ParseLifecycle(*text);
    if (!lifecycle) {
      return http::Problem(request, {Errc::kInvalidArgument,
                                     "invalid_field",
                                     "unknown lifecycle",
                                     {{"lifecycle", "unsupported"}}});
    }
  }
  auto cards = service.Mine(http::ActorOf(request), lifecycle, *page);
  if (!cards) return http::Problem(request, cards.error());
  return http::Json(200, PageJson(*cards)).With("Cache-Control", "no-store");
}

http::Response Get(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto card = service.Get(http::ActorOf(request), *id);
  if (!card) return http::Problem(request, card.error());
  return CardResponse(200, *card, request);
}

// If-Match: `"3"`, weak `W/"3"`, or `*` (any); anything else is 400 invalid_field.
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
  return Error{Errc::kInvalidArgument,
               "invalid_field",
               "If-Match must be an ETag of this card",
               {{"If-Match", "invalid"}}};
}

http::Response Update(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto parsed = ParseCardBody(*body, false);
  if (!parsed) return http::Problem(request, parsed.error());
  auto version = ParseIfMatch(request.Header("if-match"));
  if (!version) return http::Problem(request, version.error());
  auto card = service.Update(http::ActorOf(request), *id, parsed->patch, *version);
  if (!card) return http::Problem(request, card.error());
  return CardResponse(200, *card, request);
}

using Action = Result<Card> (*)(ResourcesService&, const Actor&, std::int64_t, http::FieldReader&);

http::Response RunAction(http::Request& request, ResourcesService& service, Action action) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = ActionBody(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  auto card = action(service, http::ActorOf(request), *id, fields);
  if (!card) return http::Problem(request, card.error());
  return CardResponse(200, *card, request);
}

// Each action reads its own fields and lets Finish() reject the others.
Result<Card> SubmitAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                          http::FieldReader& fields) {
  LINLI_TRY(fields.Finish());
  return service.Submit(actor, id);
}
Result<Card> WithdrawAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                            http::FieldReader& fields) {
  LINLI_TRY(fields.Finish());
  return service.Withdraw(actor, id);
}
Result<Card> ReconfirmAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                             http::FieldReader& fields) {
  LINLI_TRY(fields.Finish());
  return service.Reconfirm(actor, id);
}
Result<Card> ArchiveAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                           http::FieldReader& fields) {
  LINLI_TRY(fields.Finish());
  return service.Archive(actor, id);
}
Result<Card> ApproveAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                           http::FieldReader& fields) {
  auto reason = fields.String("reason", Need::kOptional, limits::kReviewReasonBytesMax);
  LINLI_TRY(fields.Finish());
  return service.Approve(actor, id, reason.value_or(""));
}
Result<Card> RejectAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                          http::FieldReader& fields) {
  auto reason = fields.String("reason", Need::kRequired, limits::kReviewReasonBytesMax, 1);
  LINLI_TRY(fields.Finish());
  return service.Reject(actor, id, *reason);
}
Result<Card> DelistAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                          http::FieldReader& fields) {
  auto reason = fields.String("reason", Need::kOptional, limits::kReviewReasonBytesMax);
  LINLI_TRY(fields.Finish());
  return service.Delist(actor, id, reason.value_or(""));
}
Result<Card> AvailabilityAction(ResourcesService& service, const Actor& actor, std::int64_t id,
                                http::FieldReader& fields) {
  auto status = EnumField<Availability>(fields, "status", Need::kRequired, ParseAvailability);
  LINLI_TRY(fields.Finish());
  return service.SetAvailability(actor, id, *status);
}

http::Response Reviews(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto reviews = service.Reviews(http::ActorOf(request), *id);
  if (!reviews) return http::Problem(request, reviews.error());
  json::array items;
  for (const auto& review : *reviews) {
    items.push_back(json::object{{"id", review.id},
                                 {"reviewer_id", review.reviewer_id},
                                 {"decision", review.decision},
                                 {"reason", review.reason},
                                 {"decided_at", review.decided_at}});
  }
  return http::Json(200, json::object{{"items", std::move(items)}});
}

http::Response AddPhoto(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto card = service.AddPhoto(http::ActorOf(request), *id, std::move(request.body));
  if (!card) return http::Problem(request, card.error());
  auto response = CardResponse(201, *card, request);
  response.With("Location",
                fmt::format("/api/v1/resources/{}/photos/{}", card->id, card->photo_ids.back()));
  return response;
}

http::Response GetPhoto(http::Request& request, ResourcesService& service) {
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

http::Response RemovePhoto(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto photo_id = http::PathId(request, "photo_id");
  if (!photo_id) return http::Problem(request, photo_id.error());
  auto card = service.RemovePhoto(http::ActorOf(request), *id, *photo_id);
  if (!card) return http::Problem(request, card.error());
  return CardResponse(200, *card, request);
}

http::Response ReviewQueue(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto cards = service.ReviewQueue(http::ActorOf(request), *id, *page);
  if (!cards) return http::Problem(request, cards.error());
  return http::Json(200, PageJson(*cards));
}

bool IsCsvContentType(std::string_view value) {
  std::string media(value.substr(0, value.find(';')));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  for (auto& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media == "text/csv";
}

// 422 with the per-row report as the `rows` extension member (RFC 9457 allows extensions).
http::Response ImportProblem(const http::Request& request, const ImportResult& result) {
  const Error error{
      Errc::kFailedPrecondition, "csv_invalid",
      fmt::format("{} problem(s) in the CSV; nothing was imported", result.problem_count)};
  auto response = http::Problem(request, error);
  json::object body = json::parse(response.body).as_object();
  json::array rows;
  for (const auto& problem : result.problems) {
    rows.push_back(json::object{{"row", problem.row},
                                {"line", problem.line},
                                {"column", problem.column},
                                {"reason", problem.reason}});
  }
  body["rows"] = std::move(rows);
  body["problem_count"] = result.problem_count;
  response.body = json::serialize(body);
  return response;
}

http::Response Import(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto content_type = request.Header("content-type");
  if (!content_type || !IsCsvContentType(*content_type)) {
    return http::Problem(request, {Errc::kUnsupportedMedia, "unsupported_media_type",
                                   "send the survey file as text/csv"});
  }
  ImportOptions options;
  if (auto text = request.Query("lifecycle"); text && !text->empty()) {
    auto lifecycle = ParseLifecycle(*text);
    if (!lifecycle) {
      return http::Problem(request, {Errc::kInvalidArgument,
                                     "invalid_field",
                                     "unknown lifecycle",
                                     {{"lifecycle", "unsupported"}}});
    }
    options.lifecycle = *lifecycle;
  }
  auto result = service.ImportCsv(http::ActorOf(request), *id, request.body, options);
  if (!result) return http::Problem(request, result.error());
  if (!result->ok()) return ImportProblem(request, *result);
  json::array ids;
  for (auto created : result->created_ids) ids.emplace_back(created);
  return http::Json(201, json::object{{"created", result->created_ids.size()},
                                      {"ids", std::move(ids)},
                                      {"lifecycle", Name(options.lifecycle)}});
}

http::Response Export(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto csv = service.ExportCsv(http::ActorOf(request), *id);
  if (!csv) return http::Problem(request, csv.error());
  http::Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(*csv);
  response.With("Content-Disposition",
                fmt::format("attachment; filename=\"resources-community-{}.csv\"", *id));
  response.With("Cache-Control", "no-store");
  return response;
}

json::object SettingsJson(const Settings& settings) {
  return json::object{{"community_id", settings.community_id},
                      {"reconfirm_days", settings.policy.reconfirm_days},
                      {"reminder_days", settings.policy.reminder_days},
                      {"idle_days", settings.policy.idle_days},
                      {"customised", settings.customised}};
}

http::Response GetSettings(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto settings = service.GetSettings(http::ActorOf(request), *id);
  if (!settings) return http::Problem(request, settings.error());
  return http::Json(200, SettingsJson(*settings));
}

http::Response UpdateSettings(http::Request& request, ResourcesService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  http::FieldReader fields(*body);
  SettingsPatch patch;
  patch.reconfirm_days = fields.Int("reconfirm_days", Need::kOptional, 1, kPolicyDaysMax);
  patch.reminder_days = fields.Int("reminder_days", Need::kOptional, 0, kPolicyDaysMax);
  patch.idle_days = fields.Int("idle_days", Need::kOptional, 1, kPolicyDaysMax);
  if (auto status = fields.Finish(); !status) return http::Problem(request, status.error());
  auto settings = service.UpdateSettings(http::ActorOf(request), *id, patch);
  if (!settings) return http::Problem(request, settings.error());
  return http::Json(200, SettingsJson(*settings));
}

std::optional<double> ParseDouble(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<int> ParseSmallInt(std::string_view text, int min, int max) {
  int value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

Result<ParsedCard> ParseCardBody(const json::object& body, bool create) {
  http::FieldReader fields(body);
  ParsedCard parsed;
  CardPatch& patch = parsed.patch;
  const Need key_need = create ? Need::kRequired : Need::kOptional;
  if (create) {
    parsed.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  }
  patch.kind = EnumField<Kind>(fields, "kind", key_need, ParseKind);
  patch.owner_type = EnumField<OwnerType>(fields, "owner_type", Need::kOptional, ParseOwnerType);
  patch.title = fields.String("title", key_need, limits::kResourceTitleBytesMax);
  patch.description =
      fields.String("description", Need::kOptional, limits::kResourceDescriptionBytesMax);
  patch.tags = ListField(fields, "tags");
  patch.visibility = EnumField<Visibility>(fields, "visibility", Need::kOptional, ParseVisibility);

  KindAttributes attributes;
  bool has_attributes = false;
  const auto note = [&has_attributes](const auto& value) {
    has_attributes = has_attributes || value.has_value();
    return value;
  };
  attributes.capacity = note(fields.Int("capacity", Need::kOptional, 1, limits::kResourceCountMax));
  attributes.open_hours =
      note(fields.String("open_hours", Need::kOptional, limits::kResourceShortTextBytesMax))
          .value_or("");
  attributes.facilities =
      note(ListField(fields, "facilities")).value_or(std::vector<std::string>{});
  attributes.skill =
      note(fields.String("skill", Need::kOptional, limits::kResourceShortTextBytesMax))
          .value_or("");
  attributes.certificate =
      note(fields.String("certificate", Need::kOptional, limits::kResourceShortTextBytesMax))
          .value_or("");
  attributes.condition =
      note(EnumField<Condition>(fields, "condition", Need::kOptional, ParseCondition));
  attributes.quantity = note(fields.Int("quantity", Need::kOptional, 1, limits::kResourceCountMax));
  attributes.team_size =
      note(fields.Int("team_size", Need::kOptional, 1, limits::kResourceCountMax));
  attributes.skills = note(ListField(fields, "skills")).value_or(std::vector<std::string>{});
  if (has_attributes || create) patch.attributes = attributes;

  patch.rule = EnumField<RuleType>(fields, "rule", Need::kOptional, ParseRuleType);
  UsageRule amounts;
  bool has_amounts = false;
  const auto amount = [&](std::string_view key, std::int64_t max) {
    auto value = fields.Int(key, Need::kOptional, 0, max);
    has_amounts = has_amounts || value.has_value();
    return value.value_or(0);
  };
  amounts.price_fen = amount("price_fen", limits::kResourcePriceFenMax);
  amounts.points = amount("points", limits::kResourcePointsMax);
  amounts.deposit_points = amount("deposit_points", limits::kResourcePointsMax);
  auto unit = fields.String("price_unit", Need::kOptional, limits::kResourceShortTextBytesMax);
  auto terms = fields.String("exchange_terms", Need::kOptional, limits::kResourceShortTextBytesMax);
  has_amounts = has_amounts || unit || terms;
  amounts.price_unit = unit.value_or("");
  amounts.exchange_terms = terms.value_or("");
  if (has_amounts || create) patch.rule_amounts = amounts;

  Location location;
  location.building_id = fields.Int("building_id", Need::kOptional, 1, INT64_MAX);
  location.lat = fields.Number("lat", Need::kOptional, -90, 90);
  location.lon = fields.Number("lon", Need::kOptional, -180, 180);
  if (location.building_id || location.lat || location.lon || create) patch.location = location;

  LINLI_TRY(fields.Finish());
  if (!create && patch.empty()) {
    return Error{
        Errc::kInvalidArgument, "invalid_field", "nothing to change", {{"body", "required"}}};
  }
  return parsed;
}

Result<SearchRequest> ParseSearch(const http::Request& request) {
  SearchRequest out;
  std::vector<FieldError> errors;
  const auto fail = [&errors](std::string field, std::string reason) {
    errors.push_back({std::move(field), std::move(reason)});
  };
  for (const auto& [key, value] : request.query) {
    if (key == "q") {
      if (value.size() > limits::kSearchTextBytesMax) {
        fail("q", "too_long");
      } else {
        out.text = value;
      }
    } else if (key == "kind") {
      out.kind = ParseKind(value);
      if (!out.kind) fail("kind", "unsupported");
    } else if (key == "tag") {
      if (value.empty() || value.size() > limits::kResourceTagBytesMax) {
        fail("tag", "invalid_item");
      } else if (out.tags.size() >= limits::kResourceTagsMax) {
        fail("tag", "too_many_items");
      } else {
        out.tags.push_back(value);
      }
    } else if (key == "rule") {
      out.rule = ParseRuleType(value);
      if (!out.rule) fail("rule", "unsupported");
    } else if (key == "status") {
      out.status = ParseAvailability(value);
      if (!out.status) fail("status", "unsupported");
    } else if (key == "lat" || key == "lon" || key == "radius_m") {
      auto number = ParseDouble(value);
      const double bound = key == "lat" ? 90 : key == "lon" ? 180 : limits::kSearchRadiusMMax;
      const double low = key == "radius_m" ? 1 : -bound;
      if (!number || *number < low || *number > bound) {
        fail(key, "out_of_range");
      } else {
        (key == "lat" ? out.lat : key == "lon" ? out.lon : out.radius_m) = *number;
      }
    } else if (key == "sort") {
      if (value == "relevance") {
        out.sort = search::Sort::kRelevance;
      } else if (value == "distance") {
        out.sort = search::Sort::kDistance;
      } else if (value == "newest") {
        out.sort = search::Sort::kNewest;
      } else if (value == "price") {
        out.sort = search::Sort::kPriceLow;
      } else {
        fail("sort", "unsupported");
      }
    } else if (key == "limit") {
      auto limit = ParseSmallInt(value, 1, limits::kPageSizeMax);
      if (!limit) fail("limit", "out_of_range");
      out.limit = limit.value_or(limits::kPageSizeDefault);
    } else if (key == "offset") {
      auto offset = ParseSmallInt(value, 0, limits::kSearchOffsetMax);
      if (!offset) fail("offset", "out_of_range");
      out.offset = offset.value_or(0);
    } else {
      fail(key, "unknown_field");
    }
  }
  if (out.lat.has_value() != out.lon.has_value()) fail(out.lat ? "lon" : "lat", "required");
  const bool has_point = out.lat && out.lon;
  if (out.radius_m && !has_point) fail("radius_m", "needs_point");
  if (out.sort == search::Sort::kDistance && !has_point) fail("sort", "needs_point");
  if (!errors.empty()) {
    std::string detail = "invalid search parameters:";
    for (const auto& error : errors) detail += " " + error.field + " (" + error.reason + ")";
    return Error{Errc::kInvalidArgument, "invalid_field", detail, std::move(errors)};
  }
  return out;
}

void RegisterRoutes(http::Router& router, ResourcesService& service) {
  using http::Verb;
  const auto bind = [&service](http::Response (*fn)(http::Request&, ResourcesService&)) {
    return [&service, fn](http::Request& request) { return fn(request, service); };
  };
  const auto action = [&service](Action fn) {
    return [&service, fn](http::Request& request) { return RunAction(request, service, fn); };
  };
  const http::RouteOptions photo_upload{.json_body = false,
                                        .body_bytes_max = limits::kUploadBodyBytesMax};
  const http::RouteOptions csv_upload{.json_body = false,
                                      .body_bytes_max = limits::kCsvImportBytesMax};
  router.Add(Verb::kGet, "/api/v1/search", bind(Search));
  router.Add(Verb::kPost, "/api/v1/resources", bind(Create));
  // Literal segments before {id}: the router takes the first pattern that matches.
  router.Add(Verb::kGet, "/api/v1/resources/mine", bind(Mine));
  router.Add(Verb::kGet, "/api/v1/resources/{id}", bind(Get));
  router.Add(Verb::kPatch, "/api/v1/resources/{id}", bind(Update));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/submit", action(SubmitAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/withdraw", action(WithdrawAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/approve", action(ApproveAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/reject", action(RejectAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/reconfirm", action(ReconfirmAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/delist", action(DelistAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/archive", action(ArchiveAction));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/availability", action(AvailabilityAction));
  router.Add(Verb::kGet, "/api/v1/resources/{id}/reviews", bind(Reviews));
  router.Add(Verb::kPost, "/api/v1/resources/{id}/photos", bind(AddPhoto), photo_upload);
  router.Add(Verb::kGet, "/api/v1/resources/{id}/photos/{photo_id}", bind(GetPhoto));
  router.Add(Verb::kDelete, "/api/v1/resources/{id}/photos/{photo_id}", bind(RemovePhoto));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/resources/review-queue", bind(ReviewQueue));
  router.Add(Verb::kPost, "/api/v1/communities/{id}/resources/import", bind(Import), csv_upload);
  router.Add(Verb::kGet, "/api/v1/communities/{id}/resources/export", bind(Export));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/resources/settings", bind(GetSettings));
  router.Add(Verb::kPatch, "/api/v1/communities/{id}/resources/settings", bind(UpdateSettings));
}

}  // namespace linli::resources
