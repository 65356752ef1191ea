#include "resources/service.hpp"

#include <algorithm>
#include <ctime>
#include <map>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/crypto.hpp"
#include "core/limits.hpp"

namespace linli::resources {
namespace {

constexpr std::string_view kReadScope = "resources:read";
constexpr std::string_view kWriteScope = "resources:write";
constexpr std::size_t kSummaryChars = 80;
constexpr std::string_view kImportReviewReason = "入户调研导入";
constexpr std::string_view kSeedReviewReason = "演示数据";

Error NotFound() {
  return Error{Errc::kNotFound, "not_found", "no such record"};
}

Error InvalidField(std::string field, std::string reason, std::string detail) {
  return Error{Errc::kInvalidArgument,
               "invalid_field",
               std::move(detail),
               {FieldError{std::move(field), std::move(reason)}}};
}

Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) return Error{Errc::kUnauthenticated, "unauthenticated", "sign in first"};
  return Ok();
}

// Organisation keys act only within their scopes; users and the system are not scoped.
Status RequireScope(const Actor& actor, std::string_view scope) {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.api_key_id && !actor.HasScope(scope)) {
    return Error{Errc::kPermissionDenied, "insufficient_scope",
                 fmt::format("this API key lacks the {} scope", scope)};
  }
  return Ok();
}

// In assisted mode a grid worker acts for a resident, who then owns what is published.
std::int64_t EffectiveUser(const Actor& actor) {
  return actor.acting_for.value_or(actor.user_id);
}

std::string LifecycleDetails(Lifecycle from, Lifecycle to) {
  return fmt::format(R"({{"from":"{}","to":"{}"}})", Name(from), Name(to));
}

Status ValidContent(const CardContent& content) {
  auto errors = Validate(content);
  if (errors.empty()) return Ok();
  std::string detail = "invalid resource card:";
  for (const auto& error : errors) detail += " " + error.field + " (" + error.reason + ")";
  return Error{Errc::kInvalidArgument, "invalid_field", detail, std::move(errors)};
}

CardContent Normalised(CardContent content) {
  content.tags = NormaliseList(content.tags);
  content.attributes.facilities = NormaliseList(content.attributes.facilities);
  content.attributes.skills = NormaliseList(content.attributes.skills);
  return content;
}

std::string IsoUtc(std::int64_t epoch_s) {
  const std::time_t time = static_cast<std::time_t>(epoch_s);
  std::tm tm{};
  gmtime_r(&time, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ";") + item;
  return out;
}

std::string OptionalNumber(const std::optional<std::int64_t>& value) {
  return value ? std::to_string(*value) : "";
}

std::string Coordinate(const std::optional<double>& value) {
  return value ? fmt::format("{:.6f}", *value) : "";
}

// One export line; text cells are neutralised against formula injection, numbers are ours.
std::string ExportLine(const Card& card, const std::map<std::int64_t, std::string>& buildings) {
  const CardContent& c = card.content;
  const KindAttributes& a = c.attributes;
  const auto text = [](std::string_view value) { return NeutraliseFormula(value); };
  std::string building;
  if (c.location.building_id) {
    auto found = buildings.find(*c.location.building_id);
    if (found != buildings.end()) building = text(found->second);
  }
  return CsvLine({std::to_string(card.id),
                  std::string(Name(card.lifecycle)),
                  std::string(Name(card.availability)),
                  card.reconfirm_due_at ? IsoUtc(*card.reconfirm_due_at) : "",
                  text(card.ref.value_or("")),
                  std::string(Name(c.kind)),
                  text(c.title),
                  text(c.description),
                  text(Join(c.tags)),
                  std::string(Name(c.owner_type)),
                  std::string(Name(c.rule.type)),
                  std::to_string(c.rule.price_fen),
                  text(c.rule.price_unit),
                  std::to_string(c.rule.points),
                  std::to_string(c.rule.deposit_points),
                  text(c.rule.exchange_terms),
                  std::string(Name(c.visibility)),
                  building,
                  Coordinate(c.location.lat),
                  Coordinate(c.location.lon),
                  OptionalNumber(a.capacity),
                  text(a.open_hours),
                  text(Join(a.facilities)),
                  text(a.skill),
                  text(a.certificate),
                  a.condition ? std::string(Name(*a.condition)) : "",
                  OptionalNumber(a.quantity),
                  OptionalNumber(a.team_size),
                  text(Join(a.skills))});
}

}  // namespace

bool CanReview(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin});
}

bool CanManage(const Actor& actor, const Card& card) {
  if (actor.system) return true;
  if (actor.api_key_id) return card.owner_api_key_id == actor.api_key_id;
  if (card.owner_user_id && *card.owner_user_id == EffectiveUser(actor)) return true;
  switch (card.content.owner_type) {
    case OwnerType::kProperty: return actor.HasRole(card.community_id, Role::kPropertyStaff);
    case OwnerType::kCommunity:
      return actor.HasAnyRole(card.community_id, {Role::kCommittee, Role::kAdmin});
    case OwnerType::kIndividual:
    case OwnerType::kMerchant:
    case OwnerType::kOrganisation: return false;
  }
  return false;
}

ResourcesService::ResourcesService(storage::Store& store, const audit::AuditService& audit,
                                   const notify::NotifyService& notify,
                                   accounts::AccountsService& accounts, search::Index& index,
                                   const Clock& clock, Policy defaults)
    : store_(store),
      audit_(audit),
      notify_(notify),
      accounts_(accounts),
      index_(index),
      clock_(clock),
      defaults_(defaults),
      places_(accounts),
      feed_(store, index, places_, clock) {}

// ---------------------------------------------------------------------------------------------
// Shared steps

Status ResourcesService::SyncIndex() {
  LINLI_TRY(feed_.Poll());
  return Ok();
}

Status ResourcesService::Save(storage::Session& session, const Actor& actor, Card& card,
                              std::string_view action, const std::string& details) const {
  card.version += 1;
  card.updated_at = clock_.NowEpochS();
  LINLI_TRY(repo::UpdateCard(session, card));
  LINLI_TRY(repo::AppendChange(session, card.community_id, card.id, card.updated_at));
  auto draft = audit::DraftFor(actor, card.community_id, std::string(action), "resource",
                               std::to_string(card.id));
  draft.details = details;
  return audit_.Append(session, draft);
}

Status ResourcesService::EraseOwner(storage::Session& session, std::int64_t user_id) const {
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         session.Query("SELECT id FROM resource_cards WHERE owner_user_id = $1 "
                                       "AND lifecycle <> 'archived' ORDER BY id",
                                       {user_id}));
  for (const auto& row : rows) {
    LINLI_ASSIGN_OR_RETURN(auto found, repo::FindCard(session, row.Int(0)));
    if (!found) continue;
    Card card = std::move(*found);
    for (const auto photo_id : card.photo_ids) {
      LINLI_TRY(repo::DeletePhoto(session, card.community_id, card.id, photo_id));
    }
    card.photo_ids.clear();
    card.lifecycle = Lifecycle::kArchived;
    LINLI_TRY(Save(session, Actor::System(), card, "resources.owner_erased", "{}"));
  }
  return Ok();
}

Status ResourcesService::Notify(storage::Session& session, const Card& card, std::string kind,
                                std::string title, std::string body) const {
  if (!card.owner_user_id) return Ok();  // an organisation key has no inbox
  notify::Notification notification;
  notification.community_id = card.community_id;
  notification.user_id = *card.owner_user_id;
  notification.kind = std::move(kind);
  notification.title = std::move(title);
  notification.body = std::move(body);
  notification.data = fmt::format(R"({{"resource_id":{}}})", card.id);
  LINLI_TRY(notify_.Enqueue(session, std::move(notification)));
  return Ok();
}

Result<Policy> ResourcesService::PolicyFor(storage::Session& session,
                                           std::int64_t community_id) const {
  LINLI_ASSIGN_OR_RETURN(auto custom, repo::FindSettings(session, community_id));
  return custom.value_or(defaults_);
}

Result<Card> ResourcesService::Mutate(
    const Actor& actor, std::int64_t id, std::string_view action,
    const std::function<Status(const Actor&, const Card&)>& allowed, const Mutation& mutate) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  LINLI_ASSIGN_OR_RETURN(
      auto card, store_.WriteValue([&](storage::Session& session) -> Result<Card> {
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindCard(session, id));
        if (!found) return NotFound();
        Card card = std::move(*found);
        LINLI_TRY(allowed(actor, card));
        const Lifecycle before = card.lifecycle;
        LINLI_TRY(mutate(session, card));
        LINLI_TRY(Save(session, actor, card, action, LifecycleDetails(before, card.lifecycle)));
        return card;
      }));
  if (auto synced = SyncIndex(); !synced) {
    spdlog::warn(R"({{"msg":"resource index sync failed","reason":"{}"}})", synced.error().reason);
  }
  return card;
}

Status ResourcesService::CheckBuilding(std::int64_t community_id, const Location& location) {
  if (!location.building_id) return Ok();
  LINLI_ASSIGN_OR_RETURN(auto community, accounts_.GetCommunity(Actor::System(), community_id));
  const bool known = std::any_of(
      community.buildings.begin(), community.buildings.end(),
      [&](const accounts::NamedRef& building) { return building.id == *location.building_id; });
  if (!known) {
    return InvalidField("building_id", "not_found", "no such building in this community");
  }
  return Ok();
}

Status ResourcesService::CheckOwnerType(const Actor& actor, std::int64_t community_id,
                                        OwnerType type) const {
  bool allowed = actor.system;
  switch (type) {
    case OwnerType::kIndividual: allowed = allowed || !actor.api_key_id; break;
    case OwnerType::kMerchant:
      allowed = allowed || actor.HasRole(community_id, Role::kMerchant);
      break;
    case OwnerType::kProperty:
      allowed = allowed || actor.HasRole(community_id, Role::kPropertyStaff);
      break;
    case OwnerType::kCommunity:
      allowed = allowed || actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin});
      break;
    case OwnerType::kOrganisation:
      allowed = allowed || actor.HasAnyRole(community_id, {Role::kOrganisation, Role::kAdmin});
      break;
  }
  if (!allowed) {
    return InvalidField("owner_type", "not_allowed",
                        "your roles do not allow publishing as this owner type");
  }
  return Ok();
}

Result<Place> ResourcesService::ViewerPlace(const Actor& actor) {
  std::optional<std::int64_t> community;
  if (actor.current_community_id && actor.IsMember(*actor.current_community_id)) {
    community = actor.current_community_id;
  } else if (!actor.roles_by_community.empty()) {
    community = actor.roles_by_community.begin()->first;
  }
  if (!community) return NotFound();
  return places_.Of(*community);
}

bool ResourcesService::CanSee(const Actor& actor, const Card& card) {
  if (CanManage(actor, card) || CanReview(actor, card.community_id)) return true;
  if (card.lifecycle != Lifecycle::kListed) return false;
  if (actor.IsMember(card.community_id)) return true;
  if (card.content.visibility == Visibility::kCommunity) return false;
  auto viewer = ViewerPlace(actor);
  auto place = places_.Of(card.community_id);
  if (!viewer || !place) return false;
  if (card.content.visibility == Visibility::kStreet) return viewer->street_id == place->street_id;
  return viewer->city_id == place->city_id;
}

// ---------------------------------------------------------------------------------------------
// Intake

Result<Card> ResourcesService::Create(const Actor& actor, std::int64_t community_id,
                                      const CardContent& content) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  if (community_id == 0) {
    community_id = actor.api_key_community_id.value_or(actor.current_community_id.value_or(0));
  }
  if (community_id == 0) {
    return InvalidField("community_id", "required", "no community given or selected");
  }
  if (!actor.system && !actor.IsMember(community_id)) return NotFound();
  const CardContent normalised = Normalised(content);
  LINLI_TRY(ValidContent(normalised));
  LINLI_TRY(CheckOwnerType(actor, community_id, normalised.owner_type));
  LINLI_TRY(CheckBuilding(community_id, normalised.location));
  Card card;
  card.community_id = community_id;
  if (actor.api_key_id) {
    card.owner_api_key_id = actor.api_key_id;
  } else if (EffectiveUser(actor) != 0) {
    card.owner_user_id = EffectiveUser(actor);
  } else {
    return InvalidField("owner", "required", "the system publishes through seeding or import");
  }
  card.content = normalised;
  card.created_at = card.updated_at = card.last_activity_at = clock_.NowEpochS();
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(card.id, repo::InsertCard(session, card));
    LINLI_TRY(repo::AppendChange(session, community_id, card.id, card.created_at));
    return audit_.Append(session, audit::DraftFor(actor, community_id, "resources.create",
                                                  "resource", std::to_string(card.id)));
  }));
  return card;
}

Result<Card> ResourcesService::Update(const Actor& actor, std::int64_t id, const CardPatch& patch,
                                      std::optional<std::int64_t> if_version) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  // Buildings belong to the accounts module: check one before the write transaction.
  if (patch.location && patch.location->building_id) {
    LINLI_ASSIGN_OR_RETURN(auto current, store_.ReadValue([&](storage::Session& session) {
      return repo::FindCard(session, id);
    }));
    if (!current || !CanManage(actor, *current)) return NotFound();
    LINLI_TRY(CheckBuilding(current->community_id, *patch.location));
  }
  const auto manager_only = [](const Actor& who, const Card& card) -> Status {
    if (!CanManage(who, card)) return NotFound();
    return Ok();
  };
  return Mutate(actor, id, "resources.update", manager_only,
                [&](storage::Session&, Card& card) -> Status {
                  if (if_version && *if_version != card.version) {
                    return Error{Errc::kConflict, "version_mismatch",
                                 "the card changed since you loaded it; reload and retry"};
                  }
                  CardContent next = Apply(card.content, patch);
                  LINLI_TRY(ValidContent(next));
                  if (next.owner_type != card.content.owner_type) {
                    LINLI_TRY(CheckOwnerType(actor, card.community_id, next.owner_type));
                  }
                  LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kEdit));
                  card.content = std::move(next);
                  return Ok();
                });
}

Result<Card> ResourcesService::Get(const Actor& actor, std::int64_t id) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  LINLI_ASSIGN_OR_RETURN(auto card, store_.ReadValue([&](storage::Session& session) {
    return repo::FindCard(session, id);
  }));
  if (!card || !CanSee(actor, *card)) return NotFound();
  return std::move(*card);
}

Result<Page<Card>> ResourcesService::Mine(const Actor& actor, std::optional<Lifecycle> lifecycle,
                                          const PageRequest& page) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  const repo::Owner owner = actor.api_key_id ? repo::Owner{true, *actor.api_key_id}
                                             : repo::Owner{false, EffectiveUser(actor)};
  return store_.ReadValue([&](storage::Session& session) {
    return repo::CardsOfOwner(session, owner, lifecycle, page);
  });
}

// ---------------------------------------------------------------------------------------------
// Lifecycle

Result<Card> ResourcesService::Submit(const Actor& actor, std::int64_t id) {
  return Mutate(
      actor, id, "resources.submit",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [](storage::Session&, Card& card) -> Status {
        LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kSubmit));
        return Ok();
      });
}

Result<Card> ResourcesService::Withdraw(const Actor& actor, std::int64_t id) {
  return Mutate(
      actor, id, "resources.withdraw",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [](storage::Session&, Card& card) -> Status {
        LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kWithdraw));
        return Ok();
      });
}

Result<Card> ResourcesService::Approve(const Actor& actor, std::int64_t id,
                                       const std::string& reason) {
  return Decide(actor, id, true, reason);
}

Result<Card> ResourcesService::Reject(const Actor& actor, std::int64_t id,
                                      const std::string& reason) {
  if (reason.empty()) {
    return InvalidField("reason", "required", "a rejection needs a reason the owner can act on");
  }
  return Decide(actor, id, false, reason);
}

Result<Card> ResourcesService::Decide(const Actor& actor, std::int64_t id, bool approve,
                                      const std::string& reason) {
  if (reason.size() > limits::kReviewReasonBytesMax) {
    return InvalidField("reason", "too_long", "the reason is too long");
  }
  const auto reviewer_only = [](const Actor& who, const Card& card) -> Status {
    if (!CanReview(who, card.community_id)) return NotFound();
    if (!who.system && card.owner_user_id == EffectiveUser(who)) {
      return Error{Errc::kFailedPrecondition, "self_review",
                   "another member of the committee must review your own card"};
    }
    return Ok();
  };
  const std::int64_t reviewer = EffectiveUser(actor);
  return Mutate(
      actor, id, approve ? "resources.approve" : "resources.reject", reviewer_only,
      [&](storage::Session& session, Card& card) -> Status {
        const std::int64_t now = clock_.NowEpochS();
        LINLI_ASSIGN_OR_RETURN(
            card.lifecycle, Transition(card.lifecycle, approve ? Event::kApprove : Event::kReject));
        LINLI_TRY(
            repo::InsertReview(session, card.community_id, card.id,
                               Review{0, reviewer, approve ? "approve" : "reject", reason, now}));
        if (!approve) {
          return Notify(session, card, "resources.review.rejected",
                        fmt::format("「{}」未通过审核", card.content.title),
                        fmt::format("审核意见：{}。修改后可再次提交。", reason));
        }
        LINLI_ASSIGN_OR_RETURN(auto policy, PolicyFor(session, card.community_id));
        card.listed_at = now;
        card.reconfirm_due_at = now + policy.reconfirm_days * kDayS;
        card.reminded_at.reset();
        card.last_activity_at = now;
        card.delisted_reason.reset();
        return Notify(session, card, "resources.review.approved",
                      fmt::format("「{}」已通过审核并上架", card.content.title),
                      reason.empty()
                          ? fmt::format("请在 {} 天内确认资源仍然可用。", policy.reconfirm_days)
                          : fmt::format("审核意见：{}", reason));
      });
}

Result<Card> ResourcesService::Reconfirm(const Actor& actor, std::int64_t id) {
  return Mutate(
      actor, id, "resources.reconfirm",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [&](storage::Session& session, Card& card) -> Status {
        LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kReconfirm));
        LINLI_ASSIGN_OR_RETURN(auto policy, PolicyFor(session, card.community_id));
        card.reconfirm_due_at = clock_.NowEpochS() + policy.reconfirm_days * kDayS;
        card.reminded_at.reset();
        return Ok();
      });
}

Result<Card> ResourcesService::Delist(const Actor& actor, std::int64_t id,
                                      const std::string& reason) {
  if (reason.size() > limits::kReviewReasonBytesMax) {
    return InvalidField("reason", "too_long", "the reason is too long");
  }
  const auto manager_or_reviewer = [&](const Actor& who, const Card& card) -> Status {
    if (CanManage(who, card)) return Ok();
    if (!CanReview(who, card.community_id)) return NotFound();
    if (reason.empty()) {
      return InvalidField("reason", "required", "tell the owner why the card is taken down");
    }
    return Ok();
  };
  return Mutate(actor, id, "resources.delist", manager_or_reviewer,
                [&](storage::Session& session, Card& card) -> Status {
                  LINLI_ASSIGN_OR_RETURN(card.lifecycle,
                                         Transition(card.lifecycle, Event::kDelist));
                  if (CanManage(actor, card)) {
                    card.delisted_reason = std::string(kDelistedByOwner);
                    return Ok();
                  }
                  card.delisted_reason = std::string(kDelistedByReviewer);
                  LINLI_TRY(repo::InsertReview(
                      session, card.community_id, card.id,
                      Review{0, EffectiveUser(actor), "delist", reason, clock_.NowEpochS()}));
                  return Notify(session, card, "resources.delisted",
                                fmt::format("「{}」已被审核小组下架", card.content.title),
                                fmt::format("原因：{}", reason));
                });
}

Result<Card> ResourcesService::Archive(const Actor& actor, std::int64_t id) {
  return Mutate(
      actor, id, "resources.archive",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [](storage::Session&, Card& card) -> Status {
        LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kArchive));
        return Ok();
      });
}

Result<Card> ResourcesService::SetAvailability(const Actor& actor, std::int64_t id,
                                               Availability availability) {
  return Mutate(
      actor, id, "resources.availability",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [&](storage::Session&, Card& card) -> Status {
        if (card.lifecycle == Lifecycle::kArchived) {
          return Error{Errc::kConflict, "illegal_transition",
                       "an archived card is final: its availability cannot change"};
        }
        card.availability = availability;
        card.last_activity_at = clock_.NowEpochS();  // the owner is looking after it
        return Ok();
      });
}

Result<Page<Card>> ResourcesService::ReviewQueue(const Actor& actor, std::int64_t community_id,
                                                 const PageRequest& page) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  if (!CanReview(actor, community_id)) return NotFound();
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::PendingReview(session, community_id, page); });
}

Result<std::vector<Review>> ResourcesService::Reviews(const Actor& actor, std::int64_t id) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  return store_.ReadValue([&](storage::Session& session) -> Result<std::vector<Review>> {
    LINLI_ASSIGN_OR_RETURN(auto card, repo::FindCard(session, id));
    if (!card || (!CanManage(actor, *card) && !CanReview(actor, card->community_id))) {
      return NotFound();
    }
    return repo::ReviewsOf(session, card->community_id, id);
  });
}

// ---------------------------------------------------------------------------------------------
// Photos

Result<Card> ResourcesService::AddPhoto(const Actor& actor, std::int64_t id, std::string bytes) {
  if (bytes.size() > limits::kResourcePhotoBytesMax) {
    return Error{Errc::kPayloadTooLarge, "photo_too_large", "photos are at most 5 MB"};
  }
  auto media_type = DetectImageType(bytes);
  if (!media_type) {
    return Error{Errc::kUnsupportedMedia, "unsupported_image", "send a JPEG, PNG or WebP image"};
  }
  repo::Photo photo{0, *media_type, std::move(bytes), "", clock_.NowEpochS()};
  photo.sha256 = crypto::Sha256Hex(photo.bytes);
  return Mutate(
      actor, id, "resources.photo.add",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [&](storage::Session& session, Card& card) -> Status {
        if (card.photo_ids.size() >= limits::kResourcePhotosPerCardMax) {
          return Error{
              Errc::kFailedPrecondition, "too_many_photos",
              fmt::format("a card has at most {} photos", limits::kResourcePhotosPerCardMax)};
        }
        LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kEdit));
        LINLI_ASSIGN_OR_RETURN(auto photo_id,
                               repo::InsertPhoto(session, card.community_id, card.id, photo));
        card.photo_ids.push_back(photo_id);
        return Ok();
      });
}

Result<PhotoFile> ResourcesService::GetPhoto(const Actor& actor, std::int64_t id,
                                             std::int64_t photo_id) {
  LINLI_ASSIGN_OR_RETURN(auto card, Get(actor, id));
  LINLI_ASSIGN_OR_RETURN(auto photo, store_.ReadValue([&](storage::Session& session) {
    return repo::FindPhoto(session, card.community_id, id, photo_id);
  }));
  if (!photo) return NotFound();
  return PhotoFile{photo->id, photo->media_type, std::move(photo->bytes),
                   "\"" + photo->sha256.substr(0, 32) + "\""};
}

Result<Card> ResourcesService::RemovePhoto(const Actor& actor, std::int64_t id,
                                           std::int64_t photo_id) {
  return Mutate(
      actor, id, "resources.photo.remove",
      [](const Actor& who, const Card& card) -> Status {
        if (!CanManage(who, card)) return NotFound();
        return Ok();
      },
      [&](storage::Session& session, Card& card) -> Status {
        LINLI_ASSIGN_OR_RETURN(auto deleted,
                               repo::DeletePhoto(session, card.community_id, card.id, photo_id));
        if (!deleted) return NotFound();
        LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kEdit));
        std::erase(card.photo_ids, photo_id);
        return Ok();
      });
}

// ---------------------------------------------------------------------------------------------
// Market

Result<SearchPage> ResourcesService::Search(const Actor& actor, const SearchRequest& request) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  LINLI_ASSIGN_OR_RETURN(auto place, ViewerPlace(actor));
  search::Query query;
  query.text = request.text;
  query.viewer_community_id = place.community_id;
  query.viewer_street_id = place.street_id;
  query.viewer_city_id = place.city_id;
  if (request.kind) query.kind = std::string(Name(*request.kind));
  query.tags = request.tags;
  if (request.rule) query.rule = std::string(Name(*request.rule));
  if (request.status) query.status = std::string(Name(*request.status));
  query.lat = request.lat;
  query.lon = request.lon;
  query.radius_m = request.radius_m;
  query.sort = request.sort;
  query.limit = request.limit;
  query.offset = request.offset;
  const search::Results results = index_.Search(query);
  std::vector<std::int64_t> ids;
  for (const auto& hit : results.hits) ids.push_back(hit.id);
  LINLI_ASSIGN_OR_RETURN(auto cards, store_.ReadValue([&](storage::Session& session) {
    return repo::FindCards(session, ids);
  }));
  std::map<std::int64_t, Card*> by_id;
  for (auto& card : cards) by_id[card.id] = &card;
  SearchPage page;
  page.total = results.total;
  for (const auto& hit : results.hits) {
    auto found = by_id.find(hit.id);
    // The index may briefly trail the database (another process's change): the database wins.
    if (found == by_id.end() || found->second->lifecycle != Lifecycle::kListed) continue;
    page.items.push_back(SearchItem{std::move(*found->second), hit.score, hit.distance_m});
  }
  return page;
}

// ---------------------------------------------------------------------------------------------
// CSV

Result<ImportResult> ResourcesService::ImportCsv(const Actor& actor, std::int64_t community_id,
                                                 std::string_view csv,
                                                 const ImportOptions& options) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  if (!actor.system && !actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin,
                                                        Role::kGridWorker, Role::kPropertyStaff})) {
    return NotFound();
  }
  if (options.lifecycle != Lifecycle::kDraft && options.lifecycle != Lifecycle::kPendingReview &&
      options.lifecycle != Lifecycle::kListed) {
    return InvalidField("lifecycle", "unsupported", "import as draft, pending_review or listed");
  }
  if (options.lifecycle == Lifecycle::kListed && !CanReview(actor, community_id)) {
    return InvalidField("lifecycle", "not_allowed", "only reviewers may import cards as listed");
  }
  if (options.owner_user_id && !actor.system) {
    return InvalidField("owner", "not_allowed", "imports are owned by the importer");
  }
  const std::int64_t owner_user = options.owner_user_id.value_or(EffectiveUser(actor));
  if (owner_user == 0 && !actor.api_key_id) {
    return InvalidField("owner", "required", "name the owner of the imported cards");
  }
  ImportPlan plan = PlanImport(csv);
  LINLI_ASSIGN_OR_RETURN(auto community, accounts_.GetCommunity(Actor::System(), community_id));
  std::map<std::string, std::int64_t, std::less<>> buildings;
  for (const auto& building : community.buildings) buildings[building.name] = building.id;
  for (auto& row : plan.rows) {
    if (!row.building) continue;
    auto found = buildings.find(*row.building);
    if (found == buildings.end()) {
      plan.Add({row.row, row.line, "building", "not_found"});
    } else {
      row.content.location.building_id = found->second;
    }
  }
  ImportResult result;
  const std::int64_t now = clock_.NowEpochS();
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    result = ImportResult{};
    ImportPlan checked = plan;  // a retried transaction starts from the same plan
    std::vector<std::string> refs;
    for (const auto& row : checked.rows) {
      if (row.ref) refs.push_back(*row.ref);
    }
    LINLI_ASSIGN_OR_RETURN(auto taken, repo::TakenRefs(session, community_id, refs));
    for (const auto& row : checked.rows) {
      if (row.ref && std::find(taken.begin(), taken.end(), *row.ref) != taken.end()) {
        checked.Add({row.row, row.line, "ref", "duplicate"});
      }
    }
    if (!checked.ok()) {
      std::sort(checked.problems.begin(), checked.problems.end(),
                [](const CsvProblem& a, const CsvProblem& b) { return a.row < b.row; });
      result.problems = std::move(checked.problems);
      result.problem_count = checked.problem_count;
      return Ok();  // nothing was written
    }
    LINLI_ASSIGN_OR_RETURN(auto policy, PolicyFor(session, community_id));
    for (const auto& row : checked.rows) {
      Card card;
      card.community_id = community_id;
      if (actor.api_key_id && !options.owner_user_id) {
        card.owner_api_key_id = actor.api_key_id;
      } else {
        card.owner_user_id = owner_user;
      }
      card.content = row.content;
      card.ref = row.ref;
      card.lifecycle = options.lifecycle;
      card.created_at = card.updated_at = card.last_activity_at = now;
      if (options.lifecycle == Lifecycle::kListed) {
        card.listed_at = now;
        card.reconfirm_due_at = now + policy.reconfirm_days * kDayS;
      }
      LINLI_ASSIGN_OR_RETURN(card.id, repo::InsertCard(session, card));
      if (options.lifecycle == Lifecycle::kListed) {
        LINLI_TRY(repo::InsertReview(
            session, community_id, card.id,
            Review{0, EffectiveUser(actor), "approve", std::string(kImportReviewReason), now}));
      }
      LINLI_TRY(repo::AppendChange(session, community_id, card.id, now));
      result.created_ids.push_back(card.id);
    }
    auto draft = audit::DraftFor(actor, community_id, "resources.import", "community",
                                 std::to_string(community_id));
    draft.details = fmt::format(R"({{"created":{},"lifecycle":"{}"}})", result.created_ids.size(),
                                Name(options.lifecycle));
    return audit_.Append(session, draft);
  }));
  if (!result.created_ids.empty()) {
    if (auto synced = SyncIndex(); !synced) {
      spdlog::warn(R"({{"msg":"resource index sync failed","reason":"{}"}})",
                   synced.error().reason);
    }
  }
  return result;
}

Result<std::string> ResourcesService::ExportCsv(const Actor& actor, std::int64_t community_id) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  if (!actor.system && !actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin,
                                                        Role::kGridWorker, Role::kPropertyStaff})) {
    return NotFound();
  }
  LINLI_ASSIGN_OR_RETURN(auto community, accounts_.GetCommunity(Actor::System(), community_id));
  std::map<std::int64_t, std::string> buildings;
  for (const auto& building : community.buildings) buildings[building.id] = building.name;
  LINLI_ASSIGN_OR_RETURN(auto cards, store_.ReadValue([&](storage::Session& session) {
    return repo::CommunityCards(session, community_id);
  }));
  // A byte-order mark, so spreadsheet programs read the file as UTF-8.
  std::string out = "\xEF\xBB\xBF" + CsvLine(ExportColumns());
  for (const auto& card : cards) out += ExportLine(card, buildings);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Settings and the scheduled job

Result<Settings> ResourcesService::GetSettings(const Actor& actor, std::int64_t community_id) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  if (!CanReview(actor, community_id)) return NotFound();
  LINLI_ASSIGN_OR_RETURN(auto custom, store_.ReadValue([&](storage::Session& session) {
    return repo::FindSettings(session, community_id);
  }));
  return Settings{community_id, custom.value_or(defaults_), custom.has_value()};
}

Result<Settings> ResourcesService::UpdateSettings(const Actor& actor, std::int64_t community_id,
                                                  const SettingsPatch& patch) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  if (!CanReview(actor, community_id)) return NotFound();
  Policy policy;
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(policy, PolicyFor(session, community_id));
    policy.reconfirm_days = patch.reconfirm_days.value_or(policy.reconfirm_days);
    policy.reminder_days = patch.reminder_days.value_or(policy.reminder_days);
    policy.idle_days = patch.idle_days.value_or(policy.idle_days);
    if (policy.reminder_days >= policy.reconfirm_days) {
      return InvalidField("reminder_days", "out_of_range",
                          "the reminder must come before reconfirmation falls due");
    }
    LINLI_TRY(repo::UpsertSettings(session, community_id, policy, clock_.NowEpochS()));
    auto draft = audit::DraftFor(actor, community_id, "resources.settings.update", "community",
                                 std::to_string(community_id));
    draft.details = fmt::format(R"({{"reconfirm_days":{},"reminder_days":{},"idle_days":{}}})",
                                policy.reconfirm_days, policy.reminder_days, policy.idle_days);
    return audit_.Append(session, draft);
  }));
  return Settings{community_id, policy, true};
}

Result<int> ResourcesService::Delist(storage::Session& session, const std::vector<Card>& cards,
                                     std::string_view reason, std::int64_t now_s) {
  const Actor system = Actor::System();
  const bool overdue = reason == kDelistedOverdue;
  int delisted = 0;
  for (Card card : cards) {
    LINLI_ASSIGN_OR_RETURN(card.lifecycle, Transition(card.lifecycle, Event::kDelist));
    card.delisted_reason = std::string(reason);
    LINLI_TRY(Save(session, system, card, "resources.delist.auto",
                   fmt::format(R"({{"reason":"{}"}})", reason)));
    LINLI_TRY(
        Notify(session, card, overdue ? "resources.delisted.overdue" : "resources.delisted.idle",
               fmt::format("「{}」已自动下架", card.content.title),
               overdue ? std::string("到期未确认资源是否仍然可用。确认无误后可重新提交审核。")
                       : fmt::format("资源长期无人使用（截至 {}）。如仍可提供，请重新提交审核。",
                                     IsoUtc(now_s).substr(0, 10))));
    ++delisted;
  }
  return delisted;
}

Result<JobReport> ResourcesService::RunReconfirmation(std::int64_t now_s) {
  JobReport report;
  const std::size_t batch = limits::kResourceJobBatchMax;
  // Delisting first, so no card is reminded and delisted in the same run. Each batch is its
  // own transaction; a delisted card no longer matches, so the loops end.
  while (true) {
    LINLI_ASSIGN_OR_RETURN(
        auto count, store_.WriteValue([&](storage::Session& session) -> Result<int> {
          LINLI_ASSIGN_OR_RETURN(auto cards, repo::Overdue(session, now_s, batch));
          return Delist(session, cards, kDelistedOverdue, now_s);
        }));
    report.delisted_overdue += count;
    if (static_cast<std::size_t>(count) < batch) break;
  }
  while (true) {
    LINLI_ASSIGN_OR_RETURN(
        auto count, store_.WriteValue([&](storage::Session& session) -> Result<int> {
          LINLI_ASSIGN_OR_RETURN(auto cards, repo::Idle(session, now_s, defaults_, batch));
          return Delist(session, cards, kDelistedIdle, now_s);
        }));
    report.delisted_idle += count;
    if (static_cast<std::size_t>(count) < batch) break;
  }
  while (true) {
    LINLI_ASSIGN_OR_RETURN(auto count, store_.WriteValue([&](storage::Session& session)
                                                             -> Result<int> {
      LINLI_ASSIGN_OR_RETURN(auto cards, repo::DueForReminder(session, now_s, defaults_, batch));
      for (const auto& card : cards) {
        LINLI_TRY(repo::MarkReminded(session, card.community_id, card.id, now_s));
        LINLI_TRY(Notify(session, card, "resources.reconfirm.reminder",
                         fmt::format("请确认「{}」是否仍可提供", card.content.title),
                         fmt::format("请在 {} 前确认，逾期未确认将自动下架。",
                                     IsoUtc(card.reconfirm_due_at.value_or(now_s)).substr(0, 10))));
      }
      return static_cast<int>(cards.size());
    }));
    report.reminded += count;
    if (static_cast<std::size_t>(count) < batch) break;
  }
  if (report.delisted_overdue + report.delisted_idle > 0) LINLI_TRY(SyncIndex());
  return report;
}

Status ResourcesService::PruneChangeLog(std::int64_t now_s, std::int64_t keep_s) {
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_TRY(repo::PruneChanges(session, now_s - keep_s));
    return Ok();
  });
}

Status ResourcesService::RecordActivity(storage::Session& session, std::int64_t community_id,
                                        std::int64_t resource_id) const {
  return repo::TouchActivity(session, community_id, resource_id, clock_.NowEpochS());
}

Result<std::optional<Card>> ResourcesService::GetInSession(storage::Session& session,
                                                           std::int64_t id) const {
  return repo::FindCard(session, id);
}

// ---------------------------------------------------------------------------------------------
// Seeding

Result<int> ResourcesService::EnsureCards(const Actor& actor, std::int64_t community_id,
                                          const std::vector<SeedCard>& seeds) {
  if (!actor.system) return Error{Errc::kPermissionDenied, "forbidden", "set-up is CLI only"};
  for (const auto& seed : seeds) {
    if (auto invalid = ValidContent(Normalised(seed.content)); !invalid) {
      return Error{Errc::kInvalidArgument, "invalid_field",
                   fmt::format("seed card {}: {}", seed.ref, invalid.error().detail)};
    }
  }
  const std::int64_t now = clock_.NowEpochS();
  int created = 0;
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    created = 0;
    std::vector<std::string> refs;
    for (const auto& seed : seeds) refs.push_back(seed.ref);
    LINLI_ASSIGN_OR_RETURN(auto taken, repo::TakenRefs(session, community_id, refs));
    LINLI_ASSIGN_OR_RETURN(auto policy, PolicyFor(session, community_id));
    for (const auto& seed : seeds) {
      if (std::find(taken.begin(), taken.end(), seed.ref) != taken.end()) continue;
      Card card;
      card.community_id = community_id;
      card.owner_user_id = seed.owner_user_id;
      card.content = Normalised(seed.content);
      card.ref = seed.ref;
      card.lifecycle = seed.lifecycle;
      card.availability = seed.availability;
      card.created_at = card.updated_at = card.last_activity_at = now;
      if (seed.lifecycle == Lifecycle::kListed) {
        card.listed_at = now;
        card.reconfirm_due_at = now + policy.reconfirm_days * kDayS;
      }
      LINLI_ASSIGN_OR_RETURN(card.id, repo::InsertCard(session, card));
      if (seed.lifecycle == Lifecycle::kListed) {
        LINLI_TRY(repo::InsertReview(session, community_id, card.id,
                                     Review{0, 0, "approve", std::string(kSeedReviewReason), now}));
      }
      LINLI_TRY(repo::AppendChange(session, community_id, card.id, now));
      ++created;
    }
    if (created == 0) return Ok();  // idempotent: a re-run audits nothing
    auto draft = audit::DraftFor(actor, community_id, "resources.seed", "community",
                                 std::to_string(community_id));
    draft.details = fmt::format(R"({{"created":{}}})", created);
    return audit_.Append(session, draft);
  }));
  return created;  // running servers pick the cards up from the change log
}

Result<int> ResourcesService::EnsureSynthetic(const Actor& actor, std::int64_t community_id,
                                              std::int64_t owner_user_id, int count,
                                              const std::function<CardContent(int)>& make) {
  if (!actor.system) return Error{Errc::kPermissionDenied, "forbidden", "set-up is CLI only"};
  constexpr std::string_view kPrefix = "synthetic:";
  constexpr int kCardsPerWrite = 5000;  // bounds one transaction's size and memory
  LINLI_ASSIGN_OR_RETURN(auto existing, store_.ReadValue([&](storage::Session& session) {
    return repo::CountRefsWithPrefix(session, community_id, std::string(kPrefix));
  }));
  const std::int64_t now = clock_.NowEpochS();
  int created = 0;
  for (int start = static_cast<int>(existing); start < count; start += kCardsPerWrite) {
    const int end = std::min(count, start + kCardsPerWrite);
    std::vector<Card> cards;
    cards.reserve(static_cast<std::size_t>(end - start));
    for (int n = start; n < end; ++n) {
      Card card;
      card.community_id = community_id;
      card.owner_user_id = owner_user_id;
      card.content = Normalised(make(n));
      card.ref = fmt::format("{}{}", kPrefix, n);
      card.lifecycle = Lifecycle::kListed;
      card.created_at = card.updated_at = card.last_activity_at = now;
      card.listed_at = now;
      card.reconfirm_due_at = now + defaults_.reconfirm_days * kDayS;
      cards.push_back(std::move(card));
    }
    LINLI_TRY(
        store_.Write([&](storage::Session& session) { return repo::InsertCards(session, cards); }));
    created += end - start;
  }
  if (created == 0) return 0;
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_TRY(repo::AppendChange(session, community_id, 0, now));
    auto draft = audit::DraftFor(actor, community_id, "resources.seed.synthetic", "community",
                                 std::to_string(community_id));
    draft.details = fmt::format(R"({{"created":{}}})", created);
    return audit_.Append(session, draft);
  }));
  return created;
}

}  // namespace linli::resources
