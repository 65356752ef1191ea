// Announcements and alert broadcasts, with the alert fan-out to inboxes.
#include <algorithm>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "core/limits.hpp"
#include "property/internal.hpp"
#include "property/service.hpp"
#include "resources/model.hpp"

namespace linli::property {

using internal::CheckText;
using internal::Draft;
using internal::EffectiveUser;
using internal::RequireScope;

namespace {

constexpr std::string_view kAnnounceScope = "announcements:write";
constexpr std::size_t kAlertBodyChars = 140;      // the inbox shows a summary; the page the rest
constexpr std::size_t kFanoutBatchesMax = 10000;  // a bound on one fan-out run (5 M inboxes)
constexpr std::size_t kFanoutAnnouncementsPerRun = 20;

// Who may publish, and to which audiences: the API key's scope was checked already.
Status CanPublish(const Actor& actor, std::int64_t community_id, Audience audience) {
  if (actor.system || actor.api_key_id) return Ok();
  if (actor.HasAnyRole(community_id, {Role::kPropertyStaff, Role::kCommittee, Role::kAdmin})) {
    return Ok();
  }
  if (actor.HasRole(community_id, Role::kGridWorker)) {
    if (audience == Audience::kGrids) return Ok();
    return ForbiddenError("forbidden", "grid workers publish to grids");
  }
  return ForbiddenError("forbidden", "only staff, the committee and grid workers publish");
}

// Publishers read every announcement of the community, whatever its audience or state.
bool ReadsAll(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.api_key_id ||
         actor.HasAnyRole(community_id, {Role::kPropertyStaff, Role::kCommittee, Role::kAdmin,
                                         Role::kGridWorker});
}

bool CanWithdraw(const Actor& actor, const Announcement& a) {
  if (actor.system) return true;
  if (actor.api_key_id) return a.published_by_api_key == actor.api_key_id;
  if (a.published_by && *a.published_by == actor.user_id) return true;
  return actor.HasAnyRole(a.community_id, {Role::kPropertyStaff, Role::kCommittee, Role::kAdmin});
}

Status CheckInput(const AnnouncementInput& input, std::int64_t now_s) {
  if (!IsKnownCategory(input.category)) return InvalidFieldError("category", "unsupported");
  const bool alert = input.kind == AnnouncementKind::kAlert;
  if (alert && !input.severity) return InvalidFieldError("severity", "required");
  if (!alert && input.severity) {
    return InvalidFieldError("severity", "not_allowed", "only alerts carry a severity");
  }
  LINLI_TRY(CheckText("title", input.title, limits::kAnnouncementTitleBytesMax, true));
  LINLI_TRY(CheckText("body", input.body, limits::kAnnouncementBodyBytesMax, true, true));
  const bool targeted = input.audience != Audience::kCommunity;
  if (targeted && input.target_ids.empty()) return InvalidFieldError("target_ids", "required");
  if (!targeted && !input.target_ids.empty()) {
    return InvalidFieldError("target_ids", "not_allowed", "the whole community needs no targets");
  }
  if (input.target_ids.size() > limits::kAnnouncementTargetsMax) {
    return InvalidFieldError("target_ids", "too_many");
  }
  if (input.expires_at && *input.expires_at <= now_s) {
    return InvalidFieldError("expires_at", "out_of_range", "expiry must be in the future");
  }
  return Ok();
}

}  // namespace

Status PropertyService::CheckAudience(storage::Session& session, std::int64_t community_id,
                                      const AnnouncementInput& input) const {
  if (input.audience == Audience::kCommunity) return Ok();
  std::vector<std::int64_t> ids = input.target_ids;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  LINLI_ASSIGN_OR_RETURN(auto known, input.audience == Audience::kBuildings
                                         ? repo::CountBuildings(session, community_id, ids)
                                         : repo::CountGrids(session, community_id, ids));
  if (known != static_cast<std::int64_t>(ids.size())) {
    return InvalidFieldError("target_ids", "not_found", "no such building or grid here");
  }
  return Ok();
}

Result<Announcement> PropertyService::Publish(const Actor& actor, std::int64_t community_id,
                                              const AnnouncementInput& input) {
  LINLI_TRY(RequireScope(actor, kAnnounceScope));
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  LINLI_TRY(CanPublish(actor, community_id, input.audience));
  const std::int64_t now = clock_.NowEpochS();
  LINLI_TRY(CheckInput(input, now));
  Announcement a;
  a.community_id = community_id;
  a.kind = input.kind;
  a.category = input.category;
  a.severity = input.severity;
  a.title = input.title;
  a.body = input.body;
  a.audience = input.audience;
  a.target_ids = input.target_ids;
  a.pinned = input.pinned;
  if (actor.api_key_id) {
    a.published_by_api_key = actor.api_key_id;
  } else if (actor.user_id != 0) {
    a.published_by = actor.user_id;
  }
  a.created_at = now;
  a.expires_at = input.expires_at;
  a.fanout_done = a.kind != AnnouncementKind::kAlert;
  LINLI_ASSIGN_OR_RETURN(
      a.id, store_.WriteValue([&](storage::Session& session) -> Result<std::int64_t> {
        LINLI_TRY(CheckAudience(session, community_id, input));
        LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertAnnouncement(session, a));
        LINLI_TRY(audit_.Append(
            session, Draft(actor, community_id, "property.announcement.publish", "announcement", id,
                           fmt::format(R"({{"kind":"{}","audience":"{}","targets":{}}})",
                                       Name(a.kind), Name(a.audience), a.target_ids.size()))));
        return id;
      }));
  if (!a.fanout_done) {
    // Delivery continues in the scheduled job if this fails half-way: nothing is lost.
    if (auto delivered = FanOut(a.id); !delivered) {
      spdlog::warn(R"({{"msg":"alert fan-out deferred","announcement_id":{},"reason":"{}"}})", a.id,
                   delivered.error().reason);
    }
  }
  LINLI_ASSIGN_OR_RETURN(auto stored, store_.ReadValue([&](storage::Session& session) {
    return repo::FindAnnouncement(session, a.id);
  }));
  return std::move(*stored);
}

Result<AnnouncementList> PropertyService::Announcements(const Actor& actor,
                                                        std::int64_t community_id,
                                                        const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  const std::int64_t now = clock_.NowEpochS();
  return store_.ReadValue([&](storage::Session& session) -> Result<AnnouncementList> {
    repo::Viewer viewer;
    viewer.staff = ReadsAll(actor, community_id);
    if (!viewer.staff) {
      LINLI_ASSIGN_OR_RETURN(auto home, repo::HomeOf(session, EffectiveUser(actor), community_id));
      if (home) {
        viewer.building_id = home->building_id;
        viewer.grid_id = home->grid_id;
      }
    }
    AnnouncementList list;
    if (!page.after) {
      LINLI_ASSIGN_OR_RETURN(list.pinned, repo::PinnedVisible(session, community_id, now, viewer,
                                                              limits::kAnnouncementPinnedMax));
    }
    LINLI_ASSIGN_OR_RETURN(auto rest,
                           repo::UnpinnedVisible(session, community_id, now, viewer, page));
    list.items = std::move(rest.items);
    list.next = rest.next;
    return list;
  });
}

Result<Announcement> PropertyService::GetAnnouncement(const Actor& actor, std::int64_t id) {
  LINLI_TRY(internal::RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<Announcement> {
    LINLI_ASSIGN_OR_RETURN(auto a, repo::FindAnnouncement(session, id));
    if (!a) return NotFoundError();
    if (actor.api_key_id && actor.api_key_community_id != a->community_id) return NotFoundError();
    if (!actor.system && !actor.api_key_id && !actor.IsMember(a->community_id)) {
      return NotFoundError();
    }
    if (ReadsAll(actor, a->community_id)) return std::move(*a);
    if (!a->Active(clock_.NowEpochS())) return NotFoundError();
    if (a->audience == Audience::kCommunity) return std::move(*a);
    LINLI_ASSIGN_OR_RETURN(auto home, repo::HomeOf(session, EffectiveUser(actor), a->community_id));
    const auto target = !home                                 ? std::nullopt
                        : a->audience == Audience::kBuildings ? std::optional(home->building_id)
                                                              : home->grid_id;
    const bool included = target && std::find(a->target_ids.begin(), a->target_ids.end(),
                                              *target) != a->target_ids.end();
    if (!included) return NotFoundError();
    return std::move(*a);
  });
}

Result<Announcement> PropertyService::Withdraw(const Actor& actor, std::int64_t id) {
  LINLI_TRY(RequireScope(actor, kAnnounceScope));
  return store_.WriteValue([&](storage::Session& session) -> Result<Announcement> {
    LINLI_ASSIGN_OR_RETURN(auto a, repo::FindAnnouncement(session, id));
    if (!a) return NotFoundError();
    const bool in_community =
        actor.system || (actor.api_key_id ? actor.api_key_community_id == a->community_id
                                          : actor.IsMember(a->community_id));
    if (!in_community) return NotFoundError();
    if (!CanWithdraw(actor, *a)) {
      return ForbiddenError("forbidden", "only its publisher or staff withdraw an announcement");
    }
    LINLI_ASSIGN_OR_RETURN(
        auto changed, repo::WithdrawAnnouncement(session, a->community_id, id, clock_.NowEpochS()));
    if (changed > 0) {
      LINLI_TRY(
          audit_.Append(session, Draft(actor, a->community_id, "property.announcement.withdraw",
                                       "announcement", id, "{}")));
    }
    LINLI_ASSIGN_OR_RETURN(auto stored, repo::FindAnnouncement(session, id));
    return std::move(*stored);
  });
}

// ---------------------------------------------------------------------------------------------
// Alert fan-out: one batch of inboxes per write, the cursor moved in the same write, so a batch
// is delivered exactly once even when the publishing request and the job race (the cursor
// update is guarded by its old value; the loser rolls back and finds the next batch).

Result<PropertyService::FanOutStep> PropertyService::FanOutBatch(std::int64_t announcement_id) {
  return store_.WriteValue([&](storage::Session& session) -> Result<FanOutStep> {
    LINLI_ASSIGN_OR_RETURN(auto a, repo::FindAnnouncement(session, announcement_id));
    if (!a || a->fanout_done) return FanOutStep{0, true};
    LINLI_ASSIGN_OR_RETURN(
        auto users, repo::Recipients(session, *a, a->fanout_after, limits::kAlertFanoutBatch));
    for (const auto user_id : users) {
      notify::Notification n;
      n.community_id = a->community_id;
      n.user_id = user_id;
      n.kind = "property.alert";
      n.title = "【预警】" + a->title;
      n.body = resources::Excerpt(a->body, kAlertBodyChars);
      n.data = fmt::format(R"({{"announcement_id":{}}})", a->id);
      LINLI_TRY(notify_.Enqueue(session, std::move(n)));
    }
    const bool done = users.size() < static_cast<std::size_t>(limits::kAlertFanoutBatch);
    const std::int64_t next_after = users.empty() ? a->fanout_after : users.back();
    const auto delivered = static_cast<std::int64_t>(users.size());
    LINLI_ASSIGN_OR_RETURN(auto moved,
                           repo::AdvanceFanout(session, *a, next_after, delivered, done));
    if (moved != 1) return ConflictError("serialization_failure", "fan-out cursor moved");
    return FanOutStep{delivered, done};
  });
}

Result<std::int64_t> PropertyService::FanOut(std::int64_t announcement_id) {
  std::int64_t total = 0;
  for (std::size_t batch = 0; batch < kFanoutBatchesMax; ++batch) {
    LINLI_ASSIGN_OR_RETURN(auto step, FanOutBatch(announcement_id));
    total += step.delivered;
    if (step.done) break;
  }
  return total;
}

Result<std::int64_t> PropertyService::RunAlertFanout() {
  LINLI_ASSIGN_OR_RETURN(auto pending, store_.ReadValue([&](storage::Session& session) {
    return repo::PendingFanouts(session, kFanoutAnnouncementsPerRun);
  }));
  std::int64_t total = 0;
  for (const auto id : pending) {
    LINLI_ASSIGN_OR_RETURN(auto delivered, FanOut(id));
    total += delivered;
  }
  return total;
}

}  // namespace linli::property
