#include "households/service.hpp"

#include <algorithm>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

namespace linli::households {
namespace {

namespace json = boost::json;

constexpr std::int64_t kSecondsPerDay = 24 * 3600;

Error VersionMismatch() {
  return Error{Errc::kConflict, "version_mismatch",
               "the record changed since it was read; reload and retry"};
}
Error GuardianConsentRequired() {
  return Error{Errc::kFailedPrecondition, "guardian_consent_required",
               "this member is under 14: record a guardian's consent first"};
}
Error ConsentRequired() {
  return Error{Errc::kFailedPrecondition, "consent_required",
               "health notes need the person's health consent: record it first"};
}

Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) {
    return UnauthenticatedError();
  }
  return Ok();
}

std::string ProfileToJson(const MemberProfile& profile) {
  json::array skills;
  for (const auto& skill : profile.skills) skills.emplace_back(skill);
  json::array needs;
  for (const auto& need : profile.needs) needs.emplace_back(need);
  return json::serialize(json::object{
      {"name", profile.name},
      {"relation", profile.relation},
      {"birth_date", profile.birth_date ? json::value(*profile.birth_date) : json::value(nullptr)},
      {"skills", std::move(skills)},
      {"needs", std::move(needs)},
      {"willingness", WillingnessName(profile.willingness)}});
}

Result<MemberProfile> ProfileFromJson(std::string_view text) {
  boost::system::error_code ec;
  auto value = json::parse(text, ec);
  if (ec || !value.is_object()) {
    return Error{Errc::kInternal, "sealed_value_invalid", "a sealed profile is not an object"};
  }
  const auto& object = value.as_object();
  const auto text_of = [&](std::string_view key) -> std::string {
    const auto* field = object.if_contains(key);
    return field != nullptr && field->is_string() ? std::string(field->as_string()) : "";
  };
  const auto tags_of = [&](std::string_view key) {
    std::vector<std::string> out;
    const auto* field = object.if_contains(key);
    if (field != nullptr && field->is_array()) {
      for (const auto& item : field->as_array()) {
        if (item.is_string()) out.emplace_back(item.as_string());
      }
    }
    return out;
  };
  MemberProfile profile;
  profile.name = text_of("name");
  profile.relation = text_of("relation");
  if (auto birth = text_of("birth_date"); !birth.empty()) profile.birth_date = birth;
  profile.skills = tags_of("skills");
  profile.needs = tags_of("needs");
  profile.willingness = ParseWillingness(text_of("willingness")).value_or(Willingness::kUnknown);
  return profile;
}

std::string FieldsJson(const std::vector<std::string>& fields) {
  json::array names;
  for (const auto& field : fields) names.emplace_back(field);
  return json::serialize(json::object{{"fields", std::move(names)}});
}

void Hide(std::vector<std::string>& hidden, std::string_view field) {
  hidden.emplace_back(field);
}

}  // namespace

struct HouseholdsService::Caller {
  std::int64_t own_household = 0;
  std::vector<std::int64_t> guide_grids;
};

HouseholdsService::HouseholdsService(storage::Store& store, const audit::AuditService& audit,
                                     const Clock& clock, Random& random,
                                     const crypto::KeyRing& keys)
    : store_(store), audit_(audit), clock_(clock), random_(random), keys_(keys) {}

void HouseholdsService::AddErasureHook(ErasureHook hook) {
  erasure_hooks_.push_back(std::move(hook));
}

Result<HouseholdsService::Caller> HouseholdsService::LoadCaller(storage::Session& session,
                                                                const Actor& actor,
                                                                std::int64_t community_id) const {
  Caller caller;
  if (actor.user_id == 0) return caller;  // the system and API keys live in no household
  LINLI_ASSIGN_OR_RETURN(caller.own_household, repo::OwnHouseholdOf(session, actor.user_id));
  if (actor.HasRole(community_id, Role::kGridWorker)) {
    LINLI_ASSIGN_OR_RETURN(caller.guide_grids,
                           repo::GuideGridsOf(session, community_id, actor.user_id));
  }
  return caller;
}

Access HouseholdsService::AccessFor(const Actor& actor, const Caller& caller,
                                    const Household& household) const {
  Access access;
  const std::int64_t community = household.community_id;
  const auto grant_all = [&access] {
    access = Access{true, true, true, true, true, true, true, true, true, true, true};
  };
  if (actor.system) {
    grant_all();
    return access;
  }
  if (actor.IsAnonymous() || actor.api_key_id) return access;
  if (actor.HasRole(community, Role::kCommittee)) {
    grant_all();
    return access;
  }
  const bool guide =
      actor.HasRole(community, Role::kGridWorker) &&
      (household.guide_user_id == actor.user_id ||
       (household.grid && std::find(caller.guide_grids.begin(), caller.guide_grids.end(),
                                    household.grid->id) != caller.guide_grids.end()));
  if (guide) {
    access.visible = access.profile = access.phone = access.health = true;
    access.minors = access.consents = access.edit = access.edit_notes = true;
  }
  if (caller.own_household == household.id && actor.IsMember(community)) {
    access.visible = access.profile = access.phone = access.id_number = true;
    access.health = access.minors = access.consents = access.edit = true;
  }
  if (actor.HasRole(community, Role::kPropertyStaff)) {
    access.visible = access.phone = true;
  }
  return access;
}

Result<std::pair<Household, Access>> HouseholdsService::Load(storage::Session& session,
                                                             const Actor& actor,
                                                             std::int64_t household_id) const {
  LINLI_ASSIGN_OR_RETURN(auto household, repo::FindHousehold(session, household_id));
  if (!household) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto caller, LoadCaller(session, actor, household->community_id));
  Access access = AccessFor(actor, caller, *household);
  if (!access.visible) return NotFoundError();
  return std::pair{std::move(*household), access};
}

bool HouseholdsService::IsMinor(const MemberProfile& profile) const {
  if (!profile.birth_date) return false;
  auto age = AgeYears(*profile.birth_date, clock_.NowEpochS());
  return age && *age < kMinorAgeYears;
}

Result<Member> HouseholdsService::Decrypt(storage::Session& session,
                                          const repo::MemberRow& row) const {
  Member member;
  member.id = row.id;
  member.household_id = row.household_id;
  member.community_id = row.community_id;
  member.user_id = row.user_id;
  member.profile = row.profile;
  member.version = row.version;
  member.created_at = row.created_at;
  member.updated_at = row.updated_at;
  LINLI_ASSIGN_OR_RETURN(auto sealed,
                         repo::SealedOf(session, row.community_id, repo::kMembersTable, row.id));
  const auto open = [&](std::string_view field) -> Result<std::optional<std::string>> {
    auto found = sealed.find(std::string(field));
    if (found == sealed.end()) return std::optional<std::string>{};
    LINLI_ASSIGN_OR_RETURN(
        auto plain,
        keys_.Open(found->second, crypto::SealContext(repo::kMembersTable, row.id, field)));
    return std::optional<std::string>{std::move(plain)};
  };
  LINLI_ASSIGN_OR_RETURN(member.phone, open(repo::kPhoneField));
  LINLI_ASSIGN_OR_RETURN(member.id_number, open(repo::kIdNumberField));
  LINLI_ASSIGN_OR_RETURN(member.health_notes, open(repo::kHealthField));
  if (row.sealed_profile) {
    LINLI_ASSIGN_OR_RETURN(auto profile, open(repo::kProfileField));
    if (!profile) {
      return Error{Errc::kInternal, "sealed_value_invalid", "a sealed profile is missing"};
    }
    LINLI_ASSIGN_OR_RETURN(member.profile, ProfileFromJson(*profile));
  }
  member.is_minor = IsMinor(member.profile);
  LINLI_ASSIGN_OR_RETURN(member.health_consent,
                         repo::ConsentGranted(session, row.id, ConsentKind::kHealth));
  LINLI_ASSIGN_OR_RETURN(member.guardian_consent,
                         repo::ConsentGranted(session, row.id, ConsentKind::kGuardian));
  return member;
}

Result<std::vector<Member>> HouseholdsService::DecryptMembers(storage::Session& session,
                                                              std::int64_t household_id) const {
  LINLI_ASSIGN_OR_RETURN(auto rows, repo::MembersOf(session, household_id));
  std::vector<Member> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, row));
    out.push_back(std::move(member));
  }
  return out;
}

Status HouseholdsService::Seal(storage::Session& session, std::int64_t community_id,
                               std::string_view table, std::int64_t owner_id,
                               std::string_view field,
                               const std::optional<std::string>& value) const {
  if (!value || value->empty()) {
    return repo::DeleteSealed(session, community_id, table, owner_id, field);
  }
  LINLI_ASSIGN_OR_RETURN(auto sealed,
                         keys_.Seal(*value, crypto::SealContext(table, owner_id, field), random_));
  return repo::PutSealed(session,
                         repo::SealedRow{community_id, std::string(table), owner_id,
                                         std::string(field), keys_.current_id(), std::move(sealed)},
                         clock_.NowEpochS());
}

MemberView HouseholdsService::ViewOf(const Member& member, const Access& access) const {
  MemberView view{member, {}};
  Member& m = view.member;
  auto& hidden = view.hidden_fields;
  if (m.is_minor && !access.minors) {
    // Only that a child lives here: nothing about the child.
    m.user_id.reset();
    m.profile = MemberProfile{};
    m.phone.reset();
    m.id_number.reset();
    m.health_notes.reset();
    m.health_consent = m.guardian_consent = false;
    for (std::string_view field :
         {"user_id", "name", "relation", "birth_date", "skills", "needs", "willingness", "phone",
          "id_number", "health_notes", "consents"}) {
      Hide(hidden, field);
    }
    return view;
  }
  if (!access.profile) {
    m.profile.birth_date.reset();
    m.profile.skills.clear();
    m.profile.needs.clear();
    m.profile.willingness = Willingness::kUnknown;
    m.user_id.reset();
    for (std::string_view field : {"user_id", "birth_date", "skills", "needs", "willingness"}) {
      Hide(hidden, field);
    }
  }
  if (!access.phone) {
    m.phone.reset();
    Hide(hidden, "phone");
  }
  if (!access.id_number) {
    m.id_number.reset();
    Hide(hidden, "id_number");
  }
  if (!access.health) {
    m.health_notes.reset();
    Hide(hidden, "health_notes");
  }
  if (!access.consents) {
    m.health_consent = m.guardian_consent = false;
    Hide(hidden, "consents");
  }
  return view;
}

HouseholdView HouseholdsService::ViewOf(Household household, const Access& access) const {
  HouseholdView view;
  view.household = std::move(household);
  view.access = access;
  if (!access.profile) {
    view.household.willingness = Willingness::kUnknown;
    view.household.needs.clear();
    view.household.notes.clear();
    view.hidden_fields = {"willingness", "needs", "notes"};
  }
  return view;
}

Result<Page<HouseholdView>> HouseholdsService::List(const Actor& actor, std::int64_t community_id,
                                                    const ListFilter& filter,
                                                    const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<HouseholdView>> {
    LINLI_ASSIGN_OR_RETURN(auto caller, LoadCaller(session, actor, community_id));
    repo::ListScope scope;
    scope.all =
        actor.system || (!actor.api_key_id &&
                         actor.HasAnyRole(community_id, {Role::kCommittee, Role::kPropertyStaff}));
    if (!actor.api_key_id && actor.HasRole(community_id, Role::kGridWorker)) {
      scope.guide_user_id = actor.user_id;
    }
    if (!actor.api_key_id && actor.IsMember(community_id)) {
      scope.own_household = caller.own_household;
    }
    if (!scope.all && scope.guide_user_id == 0 && scope.own_household == 0) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto listed,
                           repo::ListHouseholds(session, community_id, scope, filter, page));
    Page<HouseholdView> out;
    out.next = listed.next;
    for (auto& household : listed.items) {
      const Access access = AccessFor(actor, caller, household);
      out.items.push_back(ViewOf(std::move(household), access));
    }
    return out;
  });
}

Result<HouseholdView> HouseholdsService::Get(const Actor& actor, std::int64_t household_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<HouseholdView> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    HouseholdView view = ViewOf(std::move(loaded.first), loaded.second);
    LINLI_ASSIGN_OR_RETURN(auto members, DecryptMembers(session, household_id));
    for (const auto& member : members) view.members.push_back(ViewOf(member, view.access));
    return view;
  });
}

Result<HouseholdView> HouseholdsService::UpdateRecord(const Actor& actor, std::int64_t household_id,
                                                      const RecordPatch& patch) {
  LINLI_TRY(RequireSignedIn(actor));
  const std::int64_t now = clock_.NowEpochS();
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    auto& [household, access] = loaded;
    if (!access.edit)
      return ForbiddenError("forbidden", "you may read but not change this household");
    if (patch.notes && !access.edit_notes) {
      return ForbiddenError("forbidden", "only the household's guide and the committee keep notes");
    }
    if (patch.guide_user_id && !access.assign_guide) {
      return ForbiddenError("forbidden", "only the committee assigns guides");
    }
    if (patch.if_version && *patch.if_version != household.version) return VersionMismatch();
    std::vector<std::string> changed;
    if (patch.willingness) {
      household.willingness = *patch.willingness;
      changed.emplace_back("willingness");
    }
    if (patch.needs) {
      household.needs = *patch.needs;
      changed.emplace_back("needs");
    }
    if (patch.notes) {
      household.notes = *patch.notes;
      changed.emplace_back("notes");
    }
    if (patch.guide_user_id) {
      if (*patch.guide_user_id == 0) {
        household.guide_user_id.reset();
      } else {
        LINLI_ASSIGN_OR_RETURN(auto exists, repo::UserExists(session, *patch.guide_user_id));
        if (!exists) return InvalidFieldError("guide_user_id", "not_found", "no such user");
        household.guide_user_id = *patch.guide_user_id;
      }
      changed.emplace_back("guide_user_id");
    }
    LINLI_TRY(repo::SaveRecord(session, household, actor.user_id, now));
    auto draft = audit::DraftFor(actor, household.community_id, "households.record.update",
                                 "household", std::to_string(household_id));
    draft.details = FieldsJson(changed);
    return audit_.Append(session, draft);
  }));
  return Get(actor, household_id);
}

Result<MemberView> HouseholdsService::GetMember(const Actor& actor, std::int64_t household_id,
                                                std::int64_t member_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<MemberView> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, member_id));
    if (!row) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, *row));
    return ViewOf(member, loaded.second);
  });
}

Result<MemberView> HouseholdsService::AddMember(const Actor& actor, std::int64_t household_id,
                                                const MemberSave& save) {
  return SaveMember(actor, household_id, std::nullopt, save);
}

Result<MemberView> HouseholdsService::UpdateMember(const Actor& actor, std::int64_t household_id,
                                                   std::int64_t member_id, const MemberSave& save) {
  return SaveMember(actor, household_id, member_id, save);
}

Result<MemberView> HouseholdsService::SaveMember(const Actor& actor, std::int64_t household_id,
                                                 std::optional<std::int64_t> member_id,
                                                 const MemberSave& save) {
  LINLI_TRY(RequireSignedIn(actor));
  const std::int64_t now = clock_.NowEpochS();
  const MemberPatch& patch = save.patch;
  return store_.WriteValue([&](storage::Session& session) -> Result<MemberView> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    const auto& [household, access] = loaded;
    if (!access.edit)
      return ForbiddenError("forbidden", "you may read but not change this household");

    Member member;
    member.household_id = household_id;
    member.community_id = household.community_id;
    if (member_id) {
      LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, *member_id));
      if (!row) return NotFoundError();
      LINLI_ASSIGN_OR_RETURN(member, Decrypt(session, *row));
      if (save.if_version && *save.if_version != member.version) return VersionMismatch();
    } else if (household.member_count >= static_cast<std::int64_t>(kMembersPerHouseholdMax)) {
      return Error{Errc::kFailedPrecondition, "too_many_members",
                   fmt::format("a household holds at most {} members", kMembersPerHouseholdMax)};
    }

    // Field names (never values) for the audit entry.
    std::vector<std::string> changed;
    const auto set = [&changed](auto& target, const auto& value, std::string_view name) {
      if (value) {
        target = *value;
        changed.emplace_back(name);
      }
    };
    set(member.profile.name, patch.name, "name");
    set(member.profile.relation, patch.relation, "relation");
    if (patch.birth_date) {
      if (patch.birth_date->empty()) {
        member.profile.birth_date.reset();
      } else {
        auto days = ParseCivilDate(*patch.birth_date);
        if (!days || *days * kSecondsPerDay > now) {
          return InvalidFieldError("birth_date", "invalid_date",
                                   "birth_date must be a past YYYY-MM-DD");
        }
        member.profile.birth_date = *patch.birth_date;
      }
      changed.emplace_back("birth_date");
    }
    set(member.profile.skills, patch.skills, "skills");
    set(member.profile.needs, patch.needs, "needs");
    set(member.profile.willingness, patch.willingness, "willingness");
    const auto set_sealed = [&changed](std::optional<std::string>& target,
                                       const std::optional<std::string>& value,
                                       std::string_view name) {
      if (value) {
        target = value->empty() ? std::nullopt : value;
        changed.emplace_back(name);
      }
    };
    set_sealed(member.phone, patch.phone, repo::kPhoneField);
    set_sealed(member.id_number, patch.id_number, repo::kIdNumberField);
    set_sealed(member.health_notes, patch.health_notes, repo::kHealthField);
    if (patch.user_id) {
      // Linking an account gives that account the person's export and erasure rights.
      const bool self_link = *patch.user_id == actor.user_id;
      if (!access.committee && !(self_link && access.id_number)) {
        return ForbiddenError("forbidden", "only the committee links accounts to members");
      }
      if (*patch.user_id == 0) {
        member.user_id.reset();
      } else {
        LINLI_ASSIGN_OR_RETURN(auto exists, repo::UserExists(session, *patch.user_id));
        if (!exists) return InvalidFieldError("user_id", "not_found", "no such user");
        member.user_id = *patch.user_id;
      }
      changed.emplace_back("user_id");
    }
    if (member.profile.name.empty()) {
      return InvalidFieldError("name", "required", "a member needs a name");
    }

    for (const auto* grant : {&save.health_consent, &save.guardian_consent}) {
      if (*grant && (*grant)->guardian_member_id) {
        LINLI_ASSIGN_OR_RETURN(
            auto guardian, repo::FindMember(session, household_id, *(*grant)->guardian_member_id));
        if (!guardian || (member_id && guardian->id == *member_id)) {
          return InvalidFieldError("guardian_member_id", "not_found",
                                   "the guardian must be another member of this household");
        }
      }
    }
    member.is_minor = IsMinor(member.profile);
    if (member.is_minor && !member.guardian_consent && !save.guardian_consent) {
      return GuardianConsentRequired();
    }
    if (member.health_notes && patch.health_notes && !member.health_consent &&
        !save.health_consent) {
      return ConsentRequired();
    }

    // Plaintext columns hold nothing about a minor: the whole profile is sealed instead.
    repo::MemberRow row;
    row.household_id = household_id;
    row.community_id = household.community_id;
    row.user_id = member.user_id;
    row.sealed_profile = member.is_minor;
    if (!member.is_minor) row.profile = member.profile;
    row.created_at = row.updated_at = now;
    if (member_id) {
      row.id = *member_id;
      LINLI_TRY(repo::UpdateMember(session, row));
    } else {
      LINLI_ASSIGN_OR_RETURN(row.id, repo::InsertMember(session, row));
    }
    const std::int64_t id = row.id;
    const std::int64_t community = household.community_id;
    LINLI_TRY(Seal(session, community, repo::kMembersTable, id, repo::kPhoneField, member.phone));
    LINLI_TRY(
        Seal(session, community, repo::kMembersTable, id, repo::kIdNumberField, member.id_number));
    LINLI_TRY(
        Seal(session, community, repo::kMembersTable, id, repo::kHealthField, member.health_notes));
    LINLI_TRY(Seal(session, community, repo::kMembersTable, id, repo::kProfileField,
                   member.is_minor ? std::optional<std::string>(ProfileToJson(member.profile))
                                   : std::nullopt));

    auto draft = audit::DraftFor(
        actor, community, member_id ? "households.member.update" : "households.member.create",
        "household_member", std::to_string(id));
    draft.details = FieldsJson(changed);
    LINLI_TRY(audit_.Append(session, draft));
    // Consents given with the save are records of their own, after the member exists.
    for (auto [grant, kind] : {std::pair{&save.guardian_consent, ConsentKind::kGuardian},
                               std::pair{&save.health_consent, ConsentKind::kHealth}}) {
      if (!*grant) continue;
      Consent consent;
      consent.member_id = id;
      consent.kind = kind;
      consent.granted = true;
      consent.method = (*grant)->method;
      consent.guardian_member_id = (*grant)->guardian_member_id;
      consent.recorded_by = actor.user_id;
      consent.recorded_at = now;
      LINLI_ASSIGN_OR_RETURN(auto consent_id,
                             repo::InsertConsent(session, community, household_id, consent));
      auto consent_draft = audit::DraftFor(actor, community, "households.consent.grant",
                                           "household_consent", std::to_string(consent_id));
      consent_draft.details =
          fmt::format(R"({{"kind":"{}","member_id":{}}})", ConsentKindName(kind), id);
      LINLI_TRY(audit_.Append(session, consent_draft));
    }

    LINLI_ASSIGN_OR_RETURN(auto saved, repo::FindMember(session, household_id, id));
    if (!saved) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto decrypted, Decrypt(session, *saved));
    return ViewOf(decrypted, access);
  });
}

Status HouseholdsService::EraseInSession(storage::Session& session, const Member& member,
                                         bool run_hooks) const {
  const std::int64_t now = clock_.NowEpochS();
  LINLI_TRY(repo::DeleteAllSealed(session, member.community_id, repo::kMembersTable, member.id));
  LINLI_ASSIGN_OR_RETURN(auto history, repo::HistoryOfMember(session, member.id));
  for (const auto& row : history) {
    if (row.sealed_note) {
      LINLI_TRY(
          repo::DeleteAllSealed(session, row.community_id, repo::kHistoryTable, row.entry.id));
    }
  }
  LINLI_TRY(repo::BlankHistoryNotesOfMember(session, member.id));
  LINLI_TRY(repo::TombstoneMember(session, member.id, now));
  if (run_hooks && member.user_id) {
    for (const auto& hook : erasure_hooks_) LINLI_TRY(hook(session, *member.user_id));
  }
  return Ok();
}

Status HouseholdsService::RemoveMember(const Actor& actor, std::int64_t household_id,
                                       std::int64_t member_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    if (!loaded.second.edit)
      return ForbiddenError("forbidden", "you may read but not change this household");
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, member_id));
    if (!row) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, *row));
    LINLI_TRY(EraseInSession(session, member, false));
    return audit_.Append(session,
                         audit::DraftFor(actor, member.community_id, "households.member.remove",
                                         "household_member", std::to_string(member_id)));
  });
}

Result<std::vector<Consent>> HouseholdsService::Consents(const Actor& actor,
                                                         std::int64_t household_id,
                                                         std::int64_t member_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<std::vector<Consent>> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    if (!loaded.second.consents)
      return ForbiddenError("forbidden", "consent records are not shown to your role");
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, member_id));
    if (!row) return NotFoundError();
    return repo::ConsentsOf(session, member_id);
  });
}

Result<Consent> HouseholdsService::RecordConsent(const Actor& actor, std::int64_t household_id,
                                                 std::int64_t member_id,
                                                 const ConsentChange& change) {
  LINLI_TRY(RequireSignedIn(actor));
  const std::int64_t now = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<Consent> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    if (!loaded.second.edit)
      return ForbiddenError("forbidden", "you may read but not change this household");
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, member_id));
    if (!row) return NotFoundError();
    if (change.guardian_member_id) {
      LINLI_ASSIGN_OR_RETURN(auto guardian,
                             repo::FindMember(session, household_id, *change.guardian_member_id));
      if (!guardian || guardian->id == member_id) {
        return InvalidFieldError("guardian_member_id", "not_found",
                                 "the guardian must be another member of this household");
      }
    }
    LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, *row));
    Consent consent;
    consent.member_id = member_id;
    consent.kind = change.kind;
    consent.granted = change.granted;
    consent.method = change.method;
    consent.guardian_member_id = change.guardian_member_id;
    consent.recorded_by = actor.user_id;
    consent.recorded_at = now;
    LINLI_ASSIGN_OR_RETURN(
        consent.id, repo::InsertConsent(session, member.community_id, household_id, consent));
    auto draft =
        audit::DraftFor(actor, member.community_id,
                        change.granted ? "households.consent.grant" : "households.consent.revoke",
                        "household_consent", std::to_string(consent.id));
    draft.details =
        fmt::format(R"({{"kind":"{}","member_id":{}}})", ConsentKindName(change.kind), member_id);
    LINLI_TRY(audit_.Append(session, draft));
    if (!change.granted) {
      // Without consent the data may not be kept: it goes with the revocation.
      if (change.kind == ConsentKind::kHealth) {
        LINLI_TRY(repo::DeleteSealed(session, member.community_id, repo::kMembersTable, member_id,
                                     repo::kHealthField));
      } else if (member.is_minor) {
        LINLI_TRY(EraseInSession(session, member, true));
        auto erased = audit::DraftFor(actor, member.community_id, "households.person.erase",
                                      "household_member", std::to_string(member_id));
        erased.details = R"({"cause":"guardian_consent_revoked"})";
        LINLI_TRY(audit_.Append(session, erased));
      }
    }
    return consent;
  });
}

Result<HistoryEntry> HouseholdsService::DecryptHistory(storage::Session& session,
                                                       const repo::HistoryRow& row) const {
  HistoryEntry entry = row.entry;
  if (row.sealed_note) {
    LINLI_ASSIGN_OR_RETURN(
        auto sealed, repo::SealedOf(session, row.community_id, repo::kHistoryTable, row.entry.id));
    auto found = sealed.find(std::string(repo::kNoteField));
    if (found != sealed.end()) {
      LINLI_ASSIGN_OR_RETURN(
          entry.note,
          keys_.Open(found->second,
                     crypto::SealContext(repo::kHistoryTable, row.entry.id, repo::kNoteField)));
    }
  }
  return entry;
}

Result<Page<HistoryEntry>> HouseholdsService::History(const Actor& actor, std::int64_t household_id,
                                                      const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<HistoryEntry>> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    if (!loaded.second.profile)
      return ForbiddenError("forbidden", "the history is not shown to your role");
    LINLI_ASSIGN_OR_RETURN(auto rows, repo::HistoryOf(session, household_id, page));
    Page<HistoryEntry> out;
    out.next = rows.next;
    for (const auto& row : rows.items) {
      LINLI_ASSIGN_OR_RETURN(auto entry, DecryptHistory(session, row));
      out.items.push_back(std::move(entry));
    }
    return out;
  });
}

Result<HistoryEntry> HouseholdsService::AddHistory(const Actor& actor, std::int64_t household_id,
                                                   const HistoryInput& input) {
  LINLI_TRY(RequireSignedIn(actor));
  const std::int64_t now = clock_.NowEpochS();
  auto day = ParseCivilDate(input.occurred_on);
  // A day ahead of UTC is allowed: it is already tomorrow in Asia/Shanghai for 8 hours a day.
  if (!day || *day * kSecondsPerDay > now + kSecondsPerDay) {
    return InvalidFieldError("occurred_on", "invalid_date",
                             "occurred_on must be a YYYY-MM-DD not in the future");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<HistoryEntry> {
    LINLI_ASSIGN_OR_RETURN(auto loaded, Load(session, actor, household_id));
    const auto& [household, access] = loaded;
    if (!access.edit)
      return ForbiddenError("forbidden", "you may read but not change this household");
    if (!access.edit_notes && input.kind != HistoryKind::kFeedback) {
      return ForbiddenError("forbidden", "residents add feedback entries only");
    }
    repo::HistoryRow row;
    row.community_id = household.community_id;
    row.entry.household_id = household_id;
    row.entry.member_id = input.member_id;
    row.entry.occurred_on = input.occurred_on;
    row.entry.kind = input.kind;
    row.entry.note = input.note;
    row.entry.recorded_by = actor.user_id;
    row.entry.created_at = now;
    if (input.member_id) {
      LINLI_ASSIGN_OR_RETURN(auto member_row,
                             repo::FindMember(session, household_id, *input.member_id));
      if (!member_row) {
        return InvalidFieldError("member_id", "not_found", "no such member in this household");
      }
      LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, *member_row));
      if (member.is_minor && !member.guardian_consent) return GuardianConsentRequired();
      row.sealed_note = member.is_minor;
    }
    LINLI_ASSIGN_OR_RETURN(row.entry.id, repo::InsertHistory(session, row));
    if (row.sealed_note) {
      LINLI_TRY(Seal(session, row.community_id, repo::kHistoryTable, row.entry.id, repo::kNoteField,
                     input.note));
    }
    auto draft = audit::DraftFor(actor, household.community_id, "households.history.add",
                                 "household_history", std::to_string(row.entry.id));
    draft.details = fmt::format(R"({{"kind":"{}"}})", HistoryKindName(input.kind));
    LINLI_TRY(audit_.Append(session, draft));
    return row.entry;
  });
}

namespace {
// Export and erasure: the person themself (their linked account), a guardian (a resident of
// the household) for a member under 14, or the committee. Others who can see the household are
// forbidden; everyone else gets not_found.
Status PersonRight(const Actor& actor, const Access& access, bool lives_there,
                   const Member& member) {
  const bool self = member.user_id && actor.user_id != 0 && *member.user_id == actor.user_id;
  const bool guardian = member.is_minor && lives_there;
  if (access.committee || self || guardian) return Ok();
  if (access.visible)
    return ForbiddenError("forbidden", "only the person, their guardian or the committee");
  return NotFoundError();
}
}  // namespace

Result<PersonExport> HouseholdsService::ExportPerson(const Actor& actor, std::int64_t household_id,
                                                     std::int64_t member_id) {
  LINLI_TRY(RequireSignedIn(actor));
  const std::int64_t now = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<PersonExport> {
    LINLI_ASSIGN_OR_RETURN(auto household, repo::FindHousehold(session, household_id));
    if (!household) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, member_id));
    if (!row) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto caller, LoadCaller(session, actor, household->community_id));
    const Access access = AccessFor(actor, caller, *household);
    LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, *row));
    LINLI_TRY(PersonRight(
        actor, access,
        caller.own_household == household_id && actor.IsMember(household->community_id), member));
    PersonExport out;
    out.exported_at = now;
    out.household = *household;
    out.member = member;
    LINLI_ASSIGN_OR_RETURN(out.consents, repo::ConsentsOf(session, member_id));
    LINLI_ASSIGN_OR_RETURN(auto history, repo::HistoryOfMember(session, member_id));
    for (const auto& entry : history) {
      LINLI_ASSIGN_OR_RETURN(auto decrypted, DecryptHistory(session, entry));
      out.history.push_back(std::move(decrypted));
    }
    LINLI_TRY(audit_.Append(
        session, audit::DraftFor(actor, household->community_id, "households.person.export",
                                 "household_member", std::to_string(member_id))));
    return out;
  });
}

Status HouseholdsService::ErasePerson(const Actor& actor, std::int64_t household_id,
                                      std::int64_t member_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto household, repo::FindHousehold(session, household_id));
    if (!household) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto row, repo::FindMember(session, household_id, member_id));
    if (!row) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto caller, LoadCaller(session, actor, household->community_id));
    const Access access = AccessFor(actor, caller, *household);
    LINLI_ASSIGN_OR_RETURN(auto member, Decrypt(session, *row));
    LINLI_TRY(PersonRight(
        actor, access,
        caller.own_household == household_id && actor.IsMember(household->community_id), member));
    LINLI_TRY(EraseInSession(session, member, true));
    auto draft = audit::DraftFor(actor, household->community_id, "households.person.erase",
                                 "household_member", std::to_string(member_id));
    draft.details = fmt::format(R"({{"cause":"request","linked_account":{}}})",
                                member.user_id ? "true" : "false");
    return audit_.Append(session, draft);
  });
}

Result<std::vector<GridGuide>> HouseholdsService::GridGuides(const Actor& actor,
                                                             std::int64_t community_id) {
  LINLI_TRY(RequireSignedIn(actor));
  const bool committee =
      actor.system || (!actor.api_key_id && actor.HasRole(community_id, Role::kCommittee));
  const bool guide = !actor.api_key_id && actor.HasRole(community_id, Role::kGridWorker);
  if (!committee && !guide) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto guides, store_.ReadValue([&](storage::Session& session) {
    return repo::GridGuidesOf(session, community_id);
  }));
  if (!committee) {
    std::erase_if(guides, [&](const GridGuide& g) { return g.user_id != actor.user_id; });
  }
  return guides;
}

Status HouseholdsService::AssignGridGuide(const Actor& actor, std::int64_t community_id,
                                          std::int64_t grid_id, std::int64_t user_id) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.system && (actor.api_key_id || !actor.HasRole(community_id, Role::kCommittee))) {
    return NotFoundError();
  }
  const std::int64_t now = clock_.NowEpochS();
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto grid_ok, repo::GridInCommunity(session, community_id, grid_id));
    LINLI_ASSIGN_OR_RETURN(auto user_ok, repo::UserExists(session, user_id));
    if (!grid_ok || !user_ok) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto created, repo::AssignGridGuide(session, community_id, grid_id,
                                                               user_id, actor.user_id, now));
    if (!created) return Ok();  // assigning twice is a no-op, not a second audit entry
    auto draft = audit::DraftFor(actor, community_id, "households.grid_guide.assign", "grid",
                                 std::to_string(grid_id));
    draft.details = fmt::format(R"({{"user_id":{}}})", user_id);
    return audit_.Append(session, draft);
  });
}

Status HouseholdsService::UnassignGridGuide(const Actor& actor, std::int64_t community_id,
                                            std::int64_t grid_id, std::int64_t user_id) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.system && (actor.api_key_id || !actor.HasRole(community_id, Role::kCommittee))) {
    return NotFoundError();
  }
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto removed,
                           repo::UnassignGridGuide(session, community_id, grid_id, user_id));
    if (!removed) return NotFoundError();
    auto draft = audit::DraftFor(actor, community_id, "households.grid_guide.unassign", "grid",
                                 std::to_string(grid_id));
    draft.details = fmt::format(R"({{"user_id":{}}})", user_id);
    return audit_.Append(session, draft);
  });
}

Result<RotationReport> HouseholdsService::RotateKeys(const Actor& actor) {
  if (!actor.system) return ForbiddenError("forbidden", "key rotation is CLI only");
  RotationReport report;
  report.key_id = keys_.current_id();
  const std::int64_t current = report.key_id;
  const std::int64_t now = clock_.NowEpochS();
  while (true) {
    LINLI_ASSIGN_OR_RETURN(
        auto resealed, store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
          LINLI_ASSIGN_OR_RETURN(auto stale, repo::StaleSealed(session, current, kRotateBatchRows));
          for (auto& row : stale) {
            const std::string context =
                crypto::SealContext(row.owner_table, row.owner_id, row.field);
            LINLI_ASSIGN_OR_RETURN(auto plain, keys_.Open(row.ciphertext, context));
            LINLI_ASSIGN_OR_RETURN(row.ciphertext, keys_.Seal(plain, context, random_));
            row.key_id = current;
            LINLI_TRY(repo::PutSealed(session, row, now));
          }
          if (!stale.empty()) {
            auto draft = audit::DraftFor(actor, audit::kPlatformChain, "households.keys.rotate",
                                         "data_key", std::to_string(current));
            draft.details = fmt::format(R"({{"resealed":{}}})", stale.size());
            LINLI_TRY(audit_.Append(session, draft));
          }
          return static_cast<std::int64_t>(stale.size());
        }));
    report.resealed += resealed;
    if (resealed < kRotateBatchRows) break;
  }
  return report;
}

}  // namespace linli::households
