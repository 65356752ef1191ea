#include "households/routes.hpp"

#include <algorithm>
#include <charconv>

#include "http/json.hpp"

namespace linli::households {
namespace {

namespace json = boost::json;
using http::Need;

constexpr std::size_t kEnumBytesMax = 32;
constexpr std::size_t kDateBytes = 10;
constexpr std::size_t kIdNumberBytesMin = 6;
constexpr std::size_t kPhoneBytesMin = 3;

json::value OptionalInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::value OptionalText(const std::optional<std::string>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::array TagsJson(const std::vector<std::string>& tags) {
  json::array out;
  for (const auto& tag : tags) out.emplace_back(tag);
  return out;
}

json::array StringsJson(const std::vector<std::string>& values) {
  return TagsJson(values);
}

// Rebuilt rather than erased from: erase moves the last member into the gap, and a stable
// member order keeps responses readable.
void DropHidden(json::object& object, const std::vector<std::string>& hidden) {
  if (hidden.empty()) return;
  json::object kept;
  for (auto& [key, value] : object) {
    if (std::find(hidden.begin(), hidden.end(), std::string_view(key)) == hidden.end()) {
      kept.emplace(key, std::move(value));
    }
  }
  object = std::move(kept);
}

std::string ETag(std::int64_t version) {
  return "\"" + std::to_string(version) + "\"";
}

// Errors of a nested object, named "outer.inner".
Error Nested(std::string_view outer, Error error) {
  for (auto& field : error.errors) field.field = std::string(outer) + "." + field.field;
  error.detail = "invalid request fields in " + std::string(outer);
  return error;
}

Error InvalidField(std::string field, std::string reason) {
  return Error{Errc::kInvalidArgument,
               "invalid_field",
               "invalid request fields: " + field + " (" + reason + ")",
               {{std::move(field), std::move(reason)}}};
}

// Tags: trimmed, non-empty, bounded.
std::optional<std::vector<std::string>> Tags(http::FieldReader& fields, std::string_view key) {
  auto tags = fields.Strings(key, Need::kOptional, kTagsMax, kTagBytesMax);
  if (!tags) return std::nullopt;
  std::vector<std::string> out;
  for (auto& tag : *tags) {
    auto begin = tag.find_first_not_of(" \t\n\r");
    auto end = tag.find_last_not_of(" \t\n\r");
    if (begin == std::string::npos) {
      fields.Fail(key, "invalid_item");
      return std::nullopt;
    }
    out.push_back(tag.substr(begin, end - begin + 1));
  }
  return out;
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

bool IsPhone(std::string_view text) {
  return text.size() >= kPhoneBytesMin && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ';
         });
}

bool IsIdNumber(std::string_view text) {
  return text.size() >= kIdNumberBytesMin && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
         });
}

// A consent given with a member save: {"method": ..., "guardian_member_id": ...}.
Result<std::optional<ConsentGrant>> Grant(json::object& body, std::string_view key) {
  const auto* value = body.if_contains(key);
  if (value == nullptr || value->is_null()) {
    body.erase(key);
    return std::optional<ConsentGrant>{};
  }
  if (!value->is_object()) return InvalidField(std::string(key), "expected_object");
  http::FieldReader fields(value->as_object());
  ConsentGrant grant;
  auto method = EnumField(fields, "method", Need::kRequired, &ParseConsentMethod);
  grant.guardian_member_id = fields.Int("guardian_member_id", Need::kOptional, 1, INT64_MAX);
  if (auto status = fields.Finish(); !status) return Nested(key, status.error());
  grant.method = *method;
  body.erase(key);
  return std::optional<ConsentGrant>{grant};
}

http::Response WithETag(http::Response response, std::int64_t version) {
  response.With("ETag", ETag(version));
  response.With("Cache-Control", "no-store");
  return response;
}

json::object PermissionsJson(const Access& access) {
  return json::object{{"edit", access.edit},
                      {"edit_notes", access.edit_notes},
                      {"assign_guide", access.assign_guide},
                      {"manage_people", access.committee}};
}

json::object ConsentJson(const Consent& consent) {
  return json::object{{"id", consent.id},
                      {"member_id", consent.member_id},
                      {"kind", ConsentKindName(consent.kind)},
                      {"granted", consent.granted},
                      {"method", ConsentMethodName(consent.method)},
                      {"guardian_member_id", OptionalInt(consent.guardian_member_id)},
                      {"recorded_by", consent.recorded_by},
                      {"recorded_at", consent.recorded_at}};
}

json::object HistoryJson(const HistoryEntry& entry) {
  return json::object{{"id", entry.id},
                      {"household_id", entry.household_id},
                      {"member_id", OptionalInt(entry.member_id)},
                      {"occurred_on", entry.occurred_on},
                      {"kind", HistoryKindName(entry.kind)},
                      {"note", entry.note},
                      {"recorded_by", entry.recorded_by},
                      {"created_at", entry.created_at}};
}

json::object GridGuideJson(const GridGuide& guide) {
  return json::object{{"grid_id", guide.grid_id},
                      {"grid_name", guide.grid_name},
                      {"user_id", guide.user_id},
                      {"assigned_at", guide.assigned_at}};
}

// Handlers ---------------------------------------------------------------------------------

using Handler = http::Response (*)(http::Request&, HouseholdsService&);

http::Response ListHouseholds(http::Request& request, HouseholdsService& service) {
  const Actor& actor = http::ActorOf(request);
  std::optional<std::int64_t> community_id = actor.current_community_id;
  ListFilter filter;
  std::vector<FieldError> errors;
  const auto positive = [&](std::string_view name) -> std::optional<std::int64_t> {
    auto text = request.Query(name);
    if (!text) return std::nullopt;
    std::int64_t value = 0;
    auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc{} || ptr != text->data() + text->size() || value <= 0) {
      errors.push_back({std::string(name), "invalid"});
      return std::nullopt;
    }
    return value;
  };
  if (auto given = positive("community_id")) community_id = given;
  filter.grid_id = positive("grid_id");
  filter.building_id = positive("building_id");
  if (!community_id && errors.empty()) errors.push_back({"community_id", "required"});
  if (!errors.empty()) {
    return http::Problem(
        request, {Errc::kInvalidArgument, "invalid_field", "invalid query parameters", errors});
  }
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto listed = service.List(actor, *community_id, filter, *page);
  if (!listed) return http::Problem(request, listed.error());
  json::array items;
  for (const auto& view : listed->items) {
    items.push_back(HouseholdJson(view.household, view.hidden_fields));
  }
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"next_cursor", http::CursorJson(listed->next)}})
      .With("Cache-Control", "no-store");
}

http::Response GetHousehold(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto view = service.Get(http::ActorOf(request), *id);
  if (!view) return http::Problem(request, view.error());
  auto body = HouseholdJson(view->household, view->hidden_fields);
  json::array members;
  for (const auto& member : view->members) members.push_back(MemberJson(member));
  body["members"] = std::move(members);
  body["permissions"] = PermissionsJson(view->access);
  return WithETag(http::Json(200, body), view->household.version);
}

http::Response UpdateHousehold(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto patch = ParseRecordPatch(*body);
  if (!patch) return http::Problem(request, patch.error());
  auto if_match = ParseIfMatch(request.Header("if-match"));
  if (!if_match) return http::Problem(request, if_match.error());
  patch->if_version = *if_match;
  auto view = service.UpdateRecord(http::ActorOf(request), *id, *patch);
  if (!view) return http::Problem(request, view.error());
  auto out = HouseholdJson(view->household, view->hidden_fields);
  json::array members;
  for (const auto& member : view->members) members.push_back(MemberJson(member));
  out["members"] = std::move(members);
  out["permissions"] = PermissionsJson(view->access);
  return WithETag(http::Json(200, out), view->household.version);
}

http::Response ListMembers(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto view = service.Get(http::ActorOf(request), *id);
  if (!view) return http::Problem(request, view.error());
  json::array items;
  for (const auto& member : view->members) items.push_back(MemberJson(member));
  return http::Json(200, json::object{{"items", std::move(items)}})
      .With("Cache-Control", "no-store");
}

http::Response SaveMember(http::Request& request, HouseholdsService& service, bool create) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  std::optional<std::int64_t> member_id;
  if (!create) {
    auto parsed = http::PathId(request, "member_id");
    if (!parsed) return http::Problem(request, parsed.error());
    member_id = *parsed;
  }
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto save = ParseMemberSave(*body, create);
  if (!save) return http::Problem(request, save.error());
  if (!create) {
    auto if_match = ParseIfMatch(request.Header("if-match"));
    if (!if_match) return http::Problem(request, if_match.error());
    save->if_version = *if_match;
  }
  const Actor& actor = http::ActorOf(request);
  auto view = create ? service.AddMember(actor, *id, *save)
                     : service.UpdateMember(actor, *id, *member_id, *save);
  if (!view) return http::Problem(request, view.error());
  return WithETag(http::Json(create ? 201 : 200, MemberJson(*view)), view->member.version);
}

http::Response CreateMember(http::Request& request, HouseholdsService& service) {
  return SaveMember(request, service, true);
}

http::Response UpdateMember(http::Request& request, HouseholdsService& service) {
  return SaveMember(request, service, false);
}

http::Response GetMember(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto member_id = http::PathId(request, "member_id");
  if (!member_id) return http::Problem(request, member_id.error());
  auto view = service.GetMember(http::ActorOf(request), *id, *member_id);
  if (!view) return http::Problem(request, view.error());
  return WithETag(http::Json(200, MemberJson(*view)), view->member.version);
}

http::Response RemoveMember(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto member_id = http::PathId(request, "member_id");
  if (!member_id) return http::Problem(request, member_id.error());
  if (auto status = service.RemoveMember(http::ActorOf(request), *id, *member_id); !status) {
    return http::Problem(request, status.error());
  }
  return http::NoContent();
}

http::Response ListConsents(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto member_id = http::PathId(request, "member_id");
  if (!member_id) return http::Problem(request, member_id.error());
  auto consents = service.Consents(http::ActorOf(request), *id, *member_id);
  if (!consents) return http::Problem(request, consents.error());
  json::array items;
  for (const auto& consent : *consents) items.push_back(ConsentJson(consent));
  return http::Json(200, json::object{{"items", std::move(items)}})
      .With("Cache-Control", "no-store");
}

http::Response RecordConsent(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto member_id = http::PathId(request, "member_id");
  if (!member_id) return http::Problem(request, member_id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto change = ParseConsentChange(*body);
  if (!change) return http::Problem(request, change.error());
  auto consent = service.RecordConsent(http::ActorOf(request), *id, *member_id, *change);
  if (!consent) return http::Problem(request, consent.error());
  return http::Json(201, ConsentJson(*consent));
}

http::Response ListHistory(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto page = http::ParsePage(request);
  if (!page) return http::Problem(request, page.error());
  auto history = service.History(http::ActorOf(request), *id, *page);
  if (!history) return http::Problem(request, history.error());
  json::array items;
  for (const auto& entry : history->items) items.push_back(HistoryJson(entry));
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"next_cursor", http::CursorJson(history->next)}})
      .With("Cache-Control", "no-store");
}

http::Response AddHistory(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  auto input = ParseHistoryInput(*body);
  if (!input) return http::Problem(request, input.error());
  auto entry = service.AddHistory(http::ActorOf(request), *id, *input);
  if (!entry) return http::Problem(request, entry.error());
  return http::Json(201, HistoryJson(*entry));
}

http::Response ExportPerson(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto member_id = http::PathId(request, "member_id");
  if (!member_id) return http::Problem(request, member_id.error());
  auto exported = service.ExportPerson(http::ActorOf(request), *id, *member_id);
  if (!exported) return http::Problem(request, exported.error());
  json::array consents;
  for (const auto& consent : exported->consents) consents.push_back(ConsentJson(consent));
  json::array history;
  for (const auto& entry : exported->history) history.push_back(HistoryJson(entry));
  const Household& household = exported->household;
  json::object out{
      {"exported_at", exported->exported_at},
      {"household", json::object{{"id", household.id},
                                 {"community_id", household.community_id},
                                 {"building", json::object{{"id", household.building.id},
                                                           {"name", household.building.name}}},
                                 {"unit_label", household.unit_label}}},
      {"person", MemberJson(MemberView{exported->member, {}})},
      {"consents", std::move(consents)},
      {"history", std::move(history)}};
  auto response = http::Json(200, out);
  response.With("Cache-Control", "no-store");
  response.With("Content-Disposition",
                "attachment; filename=\"person-" + std::to_string(*member_id) + ".json\"");
  return response;
}

http::Response ErasePerson(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto member_id = http::PathId(request, "member_id");
  if (!member_id) return http::Problem(request, member_id.error());
  if (auto status = service.ErasePerson(http::ActorOf(request), *id, *member_id); !status) {
    return http::Problem(request, status.error());
  }
  return http::NoContent();
}

http::Response ListGridGuides(http::Request& request, HouseholdsService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto guides = service.GridGuides(http::ActorOf(request), *id);
  if (!guides) return http::Problem(request, guides.error());
  json::array items;
  for (const auto& guide : *guides) items.push_back(GridGuideJson(guide));
  return http::Json(200, json::object{{"items", std::move(items)}});
}

http::Response ChangeGridGuide(http::Request& request, HouseholdsService& service, bool assign) {
  auto id = http::PathId(request, "id");
  if (!id) return http::Problem(request, id.error());
  auto grid_id = http::PathId(request, "grid_id");
  if (!grid_id) return http::Problem(request, grid_id.error());
  auto user_id = http::PathId(request, "user_id");
  if (!user_id) return http::Problem(request, user_id.error());
  const Actor& actor = http::ActorOf(request);
  auto status = assign ? service.AssignGridGuide(actor, *id, *grid_id, *user_id)
                       : service.UnassignGridGuide(actor, *id, *grid_id, *user_id);
  if (!status) return http::Problem(request, status.error());
  return http::NoContent();
}

http::Response AssignGridGuide(http::Request& request, HouseholdsService& service) {
  return ChangeGridGuide(request, service, true);
}

http::Response UnassignGridGuide(http::Request& request, HouseholdsService& service) {
  return ChangeGridGuide(request, service, false);
}

}  // namespace

Result<MemberSave> ParseMemberSave(const json::object& body, bool create) {
  json::object rest = body;
  MemberSave save;
  LINLI_ASSIGN_OR_RETURN(save.health_consent, Grant(rest, "health_consent"));
  LINLI_ASSIGN_OR_RETURN(save.guardian_consent, Grant(rest, "guardian_consent"));
  http::FieldReader fields(rest);
  MemberPatch& patch = save.patch;
  patch.name = fields.String("name", create ? Need::kRequired : Need::kOptional, kNameBytesMax,
                             create ? 1 : 0);
  if (!create && patch.name && patch.name->empty()) fields.Fail("name", "required");
  patch.relation = fields.String("relation", Need::kOptional, kRelationBytesMax);
  patch.birth_date = fields.String("birth_date", Need::kOptional, kDateBytes);
  if (patch.birth_date && !patch.birth_date->empty() && !ParseCivilDate(*patch.birth_date)) {
    fields.Fail("birth_date", "invalid_date");
  }
  patch.skills = Tags(fields, "skills");
  patch.needs = Tags(fields, "needs");
  patch.willingness = EnumField(fields, "willingness", Need::kOptional, &ParseWillingness);
  patch.phone = fields.String("phone", Need::kOptional, kPhoneBytesMax);
  if (patch.phone && !patch.phone->empty() && !IsPhone(*patch.phone)) {
    fields.Fail("phone", "invalid_phone");
  }
  patch.id_number = fields.String("id_number", Need::kOptional, kIdNumberBytesMax);
  if (patch.id_number && !patch.id_number->empty()) {
    if (!IsIdNumber(*patch.id_number)) {
      fields.Fail("id_number", "invalid_id_number");
    } else {
      // The check letter of a PRC ID number is an X: one spelling, so lookups agree.
      std::transform(patch.id_number->begin(), patch.id_number->end(), patch.id_number->begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    }
  }
  patch.health_notes = fields.String("health_notes", Need::kOptional, kHealthNotesBytesMax);
  patch.user_id = fields.Int("user_id", Need::kOptional, 0, INT64_MAX);
  LINLI_TRY(fields.Finish());
  return save;
}

Result<RecordPatch> ParseRecordPatch(const json::object& body) {
  http::FieldReader fields(body);
  RecordPatch patch;
  patch.willingness = EnumField(fields, "willingness", Need::kOptional, &ParseWillingness);
  patch.needs = Tags(fields, "needs");
  patch.notes = fields.String("notes", Need::kOptional, kNotesBytesMax);
  patch.guide_user_id = fields.Int("guide_user_id", Need::kOptional, 0, INT64_MAX);
  LINLI_TRY(fields.Finish());
  return patch;
}

Result<ConsentChange> ParseConsentChange(const json::object& body) {
  http::FieldReader fields(body);
  ConsentChange change;
  auto kind = EnumField(fields, "kind", Need::kRequired, &ParseConsentKind);
  auto granted = fields.Bool("granted", Need::kRequired);
  auto method = EnumField(fields, "method", Need::kRequired, &ParseConsentMethod);
  change.guardian_member_id = fields.Int("guardian_member_id", Need::kOptional, 1, INT64_MAX);
  LINLI_TRY(fields.Finish());
  change.kind = *kind;
  change.granted = *granted;
  change.method = *method;
  return change;
}

Result<HistoryInput> ParseHistoryInput(const json::object& body) {
  http::FieldReader fields(body);
  HistoryInput input;
  auto occurred_on = fields.String("occurred_on", Need::kRequired, kDateBytes, kDateBytes);
  if (occurred_on && !ParseCivilDate(*occurred_on)) fields.Fail("occurred_on", "invalid_date");
  auto kind = EnumField(fields, "kind", Need::kRequired, &ParseHistoryKind);
  auto note = fields.String("note", Need::kOptional, kHistoryNoteBytesMax);
  input.member_id = fields.Int("member_id", Need::kOptional, 1, INT64_MAX);
  LINLI_TRY(fields.Finish());
  input.occurred_on = *occurred_on;
  input.kind = *kind;
  input.note = note.value_or("");
  return input;
}

Result<std::optional<std::int64_t>> ParseIfMatch(std::optional<std::string_view> header) {
  if (!header || *header == "*") return std::optional<std::int64_t>{};
  std::string_view tag = *header;
  if (tag.starts_with("W/")) tag.remove_prefix(2);
  std::int64_t version = 0;
  if (tag.size() >= 3 && tag.front() == '"' && tag.back() == '"') {
    const std::string_view digits = tag.substr(1, tag.size() - 2);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
    if (ec == std::errc{} && ptr == digits.data() + digits.size() && version >= 0) {
      return std::optional<std::int64_t>{version};
    }
  }
  return InvalidField("If-Match", "invalid");
}

json::object HouseholdJson(const Household& household,
                           const std::vector<std::string>& hidden_fields) {
  json::object out{
      {"id", household.id},
      {"community_id", household.community_id},
      {"grid", household.grid ? json::value(json::object{{"id", household.grid->id},
                                                         {"name", household.grid->name}})
                              : json::value(nullptr)},
      {"building", json::object{{"id", household.building.id}, {"name", household.building.name}}},
      {"unit_label", household.unit_label},
      {"guide_user_id", OptionalInt(household.guide_user_id)},
      {"willingness", WillingnessName(household.willingness)},
      {"needs", TagsJson(household.needs)},
      {"notes", household.notes},
      {"member_count", household.member_count},
      {"version", household.version},
      {"updated_at", OptionalInt(household.updated_at)},
      {"hidden_fields", StringsJson(hidden_fields)}};
  DropHidden(out, hidden_fields);
  return out;
}

json::object MemberJson(const MemberView& view) {
  const Member& member = view.member;
  json::object out{{"id", member.id},
                   {"household_id", member.household_id},
                   {"user_id", OptionalInt(member.user_id)},
                   {"name", member.profile.name},
                   {"relation", member.profile.relation},
                   {"birth_date", OptionalText(member.profile.birth_date)},
                   {"is_minor", member.is_minor},
                   {"skills", TagsJson(member.profile.skills)},
                   {"needs", TagsJson(member.profile.needs)},
                   {"willingness", WillingnessName(member.profile.willingness)},
                   {"phone", OptionalText(member.phone)},
                   {"id_number", OptionalText(member.id_number)},
                   {"health_notes", OptionalText(member.health_notes)},
                   {"consents", json::object{{"health", member.health_consent},
                                             {"guardian", member.guardian_consent}}},
                   {"version", member.version},
                   {"created_at", member.created_at},
                   {"updated_at", member.updated_at},
                   {"hidden_fields", StringsJson(view.hidden_fields)}};
  DropHidden(out, view.hidden_fields);
  return out;
}

void RegisterRoutes(http::Router& router, HouseholdsService& service) {
  using http::Verb;
  const auto bind = [&service](Handler fn) {
    return [&service, fn](http::Request& request) { return fn(request, service); };
  };
  router.Add(Verb::kGet, "/api/v1/households", bind(ListHouseholds));
  router.Add(Verb::kGet, "/api/v1/households/{id}", bind(GetHousehold));
  router.Add(Verb::kPatch, "/api/v1/households/{id}", bind(UpdateHousehold));
  router.Add(Verb::kGet, "/api/v1/households/{id}/members", bind(ListMembers));
  router.Add(Verb::kPost, "/api/v1/households/{id}/members", bind(CreateMember));
  router.Add(Verb::kGet, "/api/v1/households/{id}/members/{member_id}", bind(GetMember));
  router.Add(Verb::kPatch, "/api/v1/households/{id}/members/{member_id}", bind(UpdateMember));
  router.Add(Verb::kDelete, "/api/v1/households/{id}/members/{member_id}", bind(RemoveMember));
  router.Add(Verb::kGet, "/api/v1/households/{id}/members/{member_id}/consents",
             bind(ListConsents));
  router.Add(Verb::kPost, "/api/v1/households/{id}/members/{member_id}/consents",
             bind(RecordConsent));
  router.Add(Verb::kGet, "/api/v1/households/{id}/members/{member_id}/export", bind(ExportPerson));
  router.Add(Verb::kPost, "/api/v1/households/{id}/members/{member_id}/erasure", bind(ErasePerson));
  router.Add(Verb::kGet, "/api/v1/households/{id}/history", bind(ListHistory));
  router.Add(Verb::kPost, "/api/v1/households/{id}/history", bind(AddHistory));
  router.Add(Verb::kGet, "/api/v1/communities/{id}/grid-guides", bind(ListGridGuides));
  router.Add(Verb::kPut, "/api/v1/communities/{id}/grids/{grid_id}/guides/{user_id}",
             bind(AssignGridGuide));
  router.Add(Verb::kDelete, "/api/v1/communities/{id}/grids/{grid_id}/guides/{user_id}",
             bind(UnassignGridGuide));
}

}  // namespace linli::households
