#include "tickets/service.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "resources/model.hpp"
#include "tickets/holidays_cn.hpp"
#include "tickets/tracking_code.hpp"

namespace linli::tickets {
namespace {

constexpr std::string_view kReadScope = "tickets:read";
constexpr std::string_view kWriteScope = "tickets:write";
constexpr std::int64_t kDayS = 24 * 3600;

Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return Ok();
}

Status RequireScope(const Actor& actor, std::string_view scope) {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.api_key_id && !actor.HasScope(scope)) {
    return ForbiddenError("insufficient_scope",
                          fmt::format("this API key lacks the {} scope", scope));
  }
  return Ok();
}

// In assisted mode a guide acts for a resident, who is then the reporter.
std::int64_t EffectiveUser(const Actor& actor) {
  return actor.acting_for.value_or(actor.user_id);
}

bool IsManager(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin});
}

bool IsReporter(const Actor& actor, const Ticket& ticket) {
  return !actor.system && !actor.api_key_id && ticket.reporter_user_id &&
         *ticket.reporter_user_id == EffectiveUser(actor);
}

bool IsAssignee(const Actor& actor, const Ticket& ticket) {
  return !actor.api_key_id && actor.user_id != 0 && ticket.assignee.user_id == actor.user_id;
}

bool CanWork(const Actor& actor, const Ticket& ticket) {
  return IsStaff(actor, ticket.community_id) || IsAssignee(actor, ticket);
}

bool CanView(const Actor& actor, const Ticket& ticket) {
  if (actor.api_key_id) {
    return ticket.api_key_id == actor.api_key_id && actor.HasScope(kReadScope);
  }
  return CanWork(actor, ticket) || IsReporter(actor, ticket);
}

Status CheckText(std::vector<FieldError>& errors, std::string_view field, std::string_view text,
                 std::size_t max_bytes) {
  if (text.size() > max_bytes) errors.push_back({std::string(field), "too_long"});
  for (unsigned char c : text) {
    if (c < 0x20 && c != '\n' && c != '\t') {
      errors.push_back({std::string(field), "control_characters"});
      break;
    }
  }
  return Ok();
}

Error FieldErrors(std::vector<FieldError> errors) {
  std::string detail = "invalid ticket:";
  for (const auto& error : errors) detail += " " + error.field + " (" + error.reason + ")";
  return Error{Errc::kInvalidArgument, "invalid_field", detail, std::move(errors)};
}

Status ValidateNew(const NewTicket& request) {
  std::vector<FieldError> errors;
  if (request.category.empty()) {
    errors.push_back({"category", "required"});
  } else if (FindCategory(request.category) == nullptr) {
    errors.push_back({"category", "unsupported"});
  }
  CheckText(errors, "title", request.title, limits::kTicketTitleBytesMax);
  CheckText(errors, "description", request.description, limits::kTicketDescriptionBytesMax);
  CheckText(errors, "unit_label", request.location.unit_label, limits::kTicketShortTextBytesMax);
  CheckText(errors, "address", request.location.address, limits::kTicketShortTextBytesMax);
  CheckText(errors, "contact_name", request.contact_name, limits::kTicketShortTextBytesMax);
  CheckText(errors, "contact_phone", request.contact_phone, 32);
  const auto& loc = request.location;
  if (loc.lat.has_value() != loc.lon.has_value()) {
    errors.push_back({loc.lat ? "lon" : "lat", "required"});
  }
  if (loc.lat && (*loc.lat < -90 || *loc.lat > 90)) errors.push_back({"lat", "out_of_range"});
  if (loc.lon && (*loc.lon < -180 || *loc.lon > 180)) errors.push_back({"lon", "out_of_range"});
  if (!errors.empty()) return FieldErrors(std::move(errors));
  return Ok();
}

Status ValidateNote(std::string_view field, std::string_view note) {
  std::vector<FieldError> errors;
  CheckText(errors, field, note, limits::kTicketNoteBytesMax);
  if (!errors.empty()) return FieldErrors(std::move(errors));
  return Ok();
}

Status ValidateAssignee(const Assignee& assignee) {
  std::vector<FieldError> errors;
  switch (assignee.kind) {
    case AssigneeKind::kGridWorker:
    case AssigneeKind::kMerchant:
      if (!assignee.user_id) errors.push_back({"user_id", "required"});
      break;
    case AssigneeKind::kDepartment:
      if (assignee.department.empty()) errors.push_back({"department", "required"});
      break;
    case AssigneeKind::kProperty: break;
  }
  CheckText(errors, "department", assignee.department, limits::kTicketShortTextBytesMax);
  if (!errors.empty()) return FieldErrors(std::move(errors));
  return Ok();
}

std::string TransitionDetails(State from, State to) {
  return fmt::format(R"({{"from":"{}","to":"{}"}})", Name(from), Name(to));
}

std::string_view StatusLabel(State status) {
  switch (status) {
    case State::kSubmitted: return "已提交";
    case State::kAccepted: return "已受理";
    case State::kInProgress: return "处理中";
    case State::kWaitingOnResident: return "待您补充";
    case State::kResolved: return "已办结";
    case State::kClosed: return "已关闭";
    case State::kMerged: return "已合并";
  }
  return "";
}

// Starts (or restarts) a clock of `window` at `start_s`.
void RunClock(SlaClock& clock, const WorkCalendar& calendar, const TimeZone& zone,
              std::int64_t start_s, const Window& window) {
  clock.due_s = Deadline(calendar, zone, start_s, window);
  clock.warn_at_s = WarnAt(start_s, *clock.due_s);
  clock.remaining_s.reset();
  clock.met_at_s.reset();
  clock.warned = false;
  clock.breached = false;
}

void PauseClock(SlaClock& clock, const WorkCalendar& calendar, const TimeZone& zone,
                WindowUnit unit, std::int64_t now_s) {
  if (clock.met_at_s || !clock.due_s) return;
  clock.remaining_s = Remaining(calendar, zone, unit, now_s, *clock.due_s);
  clock.due_s.reset();
  clock.warn_at_s.reset();
}

void ResumeClock(SlaClock& clock, const WorkCalendar& calendar, const TimeZone& zone,
                 WindowUnit unit, std::int64_t now_s) {
  if (clock.met_at_s || !clock.remaining_s) return;
  clock.due_s = ResumeDeadline(calendar, zone, unit, now_s, *clock.remaining_s);
  clock.warn_at_s = WarnAt(now_s, *clock.due_s);
  clock.remaining_s.reset();
}

}  // namespace

bool IsStaff(const Actor& actor, std::int64_t community_id) {
  return actor.system || (!actor.api_key_id &&
                          actor.HasAnyRole(community_id, {Role::kPropertyStaff, Role::kGridWorker,
                                                          Role::kCommittee, Role::kAdmin}));
}

TicketsService::TicketsService(storage::Store& store, const audit::AuditService& audit,
                               const notify::NotifyService& notify,
                               accounts::AccountsService& accounts, const Clock& clock,
                               Random& random, const crypto::KeyRing& keys)
    : store_(store),
      audit_(audit),
      notify_(notify),
      accounts_(accounts),
      clock_(clock),
      random_(random),
      keys_(keys) {}

// ---------------------------------------------------------------------------------------------
// Shared steps

Result<TicketsService::Place> TicketsService::PlaceOf(std::int64_t community_id, bool refresh) {
  {
    std::lock_guard lock(places_mutex_);
    if (auto found = places_.find(community_id); found != places_.end() && !refresh) {
      return found->second;
    }
  }
  // Read outside the lock (and outside any transaction: never call this inside Store::Write).
  LINLI_ASSIGN_OR_RETURN(auto community, accounts_.GetCommunity(Actor::System(), community_id));
  Place place;
  if (auto zone = TimeZone::Find(community.timezone)) place.zone = *zone;
  for (const auto& building : community.buildings) {
    place.grid_of_building[building.id] = building.parent_id;
    place.building_names[building.id] = building.name;
  }
  std::lock_guard lock(places_mutex_);
  places_[community_id] = place;
  return place;
}

TimeZone TicketsService::ZoneOf(std::int64_t community_id) {
  auto place = PlaceOf(community_id);
  return place ? place->zone : TimeZone::Default();
}

std::optional<std::string> TicketsService::BuildingName(std::int64_t community_id,
                                                        std::optional<std::int64_t> building_id) {
  if (!building_id) return std::nullopt;
  auto place = PlaceOf(community_id);
  if (!place) return std::nullopt;
  auto found = place->building_names.find(*building_id);
  if (found == place->building_names.end()) return std::nullopt;
  return found->second;
}

Result<WorkCalendar> TicketsService::CalendarFor(storage::Session& session,
                                                 std::int64_t community_id, std::int64_t now_s,
                                                 const TimeZone& zone) const {
  const int year = zone.ToLocal(now_s).date.year;
  // A clock started now never runs past next year's end (the longest window is 15 working
  // days); a resumed one may, and then uses weekends only beyond the loaded years.
  const int first = year - 1;
  const int last = year + 1;
  LINLI_ASSIGN_OR_RETURN(auto stored, repo::CalendarOf(session, community_id, first, last));
  WorkCalendar calendar;
  for (int y = first; y <= last; ++y) {
    const bool custom = std::find(stored.customised_years.begin(), stored.customised_years.end(),
                                  y) != stored.customised_years.end();
    if (custom) continue;
    if (const auto* official = FindOfficialYear(y)) {
      for (const auto& day : official->days) calendar.Set(day);
    }
  }
  for (const auto& day : stored.days) calendar.Set(day);
  return calendar;
}

Result<Settings> TicketsService::SettingsOf(storage::Session& session,
                                            std::int64_t community_id) const {
  LINLI_ASSIGN_OR_RETURN(auto stored, repo::FindSettings(session, community_id));
  return stored.value_or(Settings{});
}

Status TicketsService::Save(storage::Session& session, const Actor& actor, Ticket& ticket,
                            std::string_view action, const std::string& details) const {
  ticket.version += 1;
  ticket.updated_at = clock_.NowEpochS();
  LINLI_TRY(repo::UpdateTicket(session, ticket));
  auto draft = audit::DraftFor(actor, ticket.community_id, std::string(action), "ticket",
                               std::to_string(ticket.id));
  draft.details = details;
  return audit_.Append(session, draft);
}

Status TicketsService::AddStep(storage::Session& session, const Actor& actor, const Ticket& ticket,
                               std::string kind, std::optional<State> from, std::string note,
                               bool is_public) const {
  Step step;
  step.ticket_id = ticket.id;
  step.at = clock_.NowEpochS();
  step.kind = std::move(kind);
  step.from = from;
  if (from) step.to = ticket.status;
  step.actor_role = IsReporter(actor, ticket)
                        ? "reporter"
                        : audit::DraftFor(actor, ticket.community_id, "", "", "").role;
  step.actor_user_id = actor.user_id;
  step.note = std::move(note);
  step.is_public = is_public;
  return repo::InsertStep(session, ticket.community_id, step);
}

Status TicketsService::NotifyUser(storage::Session& session, const Ticket& ticket,
                                  std::int64_t user_id, std::string kind, std::string title,
                                  std::string body) const {
  notify::Notification notification;
  notification.community_id = ticket.community_id;
  notification.user_id = user_id;
  notification.kind = std::move(kind);
  notification.title = std::move(title);
  notification.body = std::move(body);
  notification.data = fmt::format(R"({{"ticket_id":{},"code":"{}"}})", ticket.id, ticket.code);
  LINLI_TRY(notify_.Enqueue(session, std::move(notification)));
  return Ok();
}

Status TicketsService::NotifyReporter(storage::Session& session, const Ticket& ticket,
                                      std::string title) const {
  if (!ticket.reporter_user_id) return Ok();
  return NotifyUser(session, ticket, *ticket.reporter_user_id, "tickets.status", std::move(title),
                    fmt::format("{} {}：{}", Label(ticket.type), FormatTrackingCode(ticket.code),
                                StatusLabel(ticket.status)));
}

Result<std::optional<std::string>> TicketsService::SealContact(const Ticket& ticket,
                                                               const NewTicket& request) {
  if (request.contact_name.empty() && request.contact_phone.empty()) {
    return std::optional<std::string>{};
  }
  if (keys_.empty()) {
    return Error{Errc::kInternal, "data_keys_missing", "no data key to seal contact details"};
  }
  // Newline-separated: validation admits no newline in either field's meaning (name, number).
  std::string plain = request.contact_name + "\n" + request.contact_phone;
  LINLI_ASSIGN_OR_RETURN(auto sealed, keys_.Seal(plain, "tickets.contact:" + ticket.code, random_));
  return std::optional<std::string>{std::move(sealed)};
}

std::optional<Contact> TicketsService::OpenContact(const Ticket& ticket) const {
  if (!ticket.contact_sealed) return std::nullopt;
  auto plain = keys_.Open(*ticket.contact_sealed, "tickets.contact:" + ticket.code);
  if (!plain) return std::nullopt;
  const auto newline = plain->find('\n');
  return Contact{plain->substr(0, newline),
                 newline == std::string::npos ? "" : plain->substr(newline + 1)};
}

Status TicketsService::StartClocks(storage::Session& session, Ticket& ticket, const TimeZone& zone,
                                   std::int64_t now_s) const {
  LINLI_ASSIGN_OR_RETURN(auto calendar, CalendarFor(session, ticket.community_id, now_s, zone));
  RunClock(ticket.response, calendar, zone, now_s, ResponseWindow(ticket.colour));
  RunClock(ticket.resolution, calendar, zone, now_s, ResolutionWindow(ticket.colour));
  return Ok();
}

// ---------------------------------------------------------------------------------------------
// Reporting

Result<Ticket> TicketsService::Create(const Actor& actor, const NewTicket& request) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  NewTicket req = request;
  if (req.community_id == 0) {
    req.community_id = actor.api_key_community_id.value_or(actor.current_community_id.value_or(0));
  }
  const std::int64_t community_id = req.community_id;
  if (actor.api_key_id) {
    if (actor.api_key_community_id != community_id) return NotFoundError();
    return CreateAs(actor, req, Channel::kOpen311, std::nullopt);
  }
  const bool has_contact = !req.contact_name.empty() || !req.contact_phone.empty();
  if (has_contact) {
    // A phone call taken by staff: the caller may have no account; their contact is sealed.
    if (!IsStaff(actor, community_id)) {
      return ForbiddenError("forbidden", "only staff record contact details of a caller");
    }
    if (req.contact_phone.empty()) {
      return InvalidFieldError("contact_phone", "required", "a phone intake needs a number");
    }
    return CreateAs(actor, req, Channel::kPhone, std::nullopt);
  }
  if (!actor.system && !actor.IsMember(community_id)) return NotFoundError();
  if (actor.acting_for) return CreateAs(actor, req, Channel::kAssisted, actor.acting_for);
  return CreateAs(actor, req, Channel::kApp,
                  actor.system ? std::nullopt : std::optional<std::int64_t>{actor.user_id});
}

Result<Ticket> TicketsService::CreateAs(const Actor& actor, const NewTicket& request,
                                        Channel channel, std::optional<std::int64_t> reporter) {
  LINLI_TRY(ValidateNew(request));
  const Category& category = *FindCategory(request.category);
  LINLI_ASSIGN_OR_RETURN(auto place, PlaceOf(request.community_id));
  if (request.location.building_id &&
      !place.grid_of_building.contains(*request.location.building_id)) {
    LINLI_ASSIGN_OR_RETURN(place, PlaceOf(request.community_id, true));  // a new building?
    if (!place.grid_of_building.contains(*request.location.building_id)) {
      return InvalidFieldError("building_id", "not_found", "no such building in this community");
    }
  }
  std::optional<std::int64_t> grid_id;
  if (request.location.building_id) grid_id = place.grid_of_building[*request.location.building_id];

  Ticket ticket;
  ticket.community_id = request.community_id;
  ticket.type = request.type.value_or(category.default_type);
  ticket.code = NewTrackingCode(ticket.type, random_);
  ticket.category = std::string(category.code);
  ticket.colour = category.default_colour;
  ticket.channel = channel;
  ticket.title = request.title.empty() ? std::string(category.name) : request.title;
  ticket.description = request.description;
  ticket.location = request.location;
  ticket.reporter_user_id = reporter;
  if (channel == Channel::kAssisted || channel == Channel::kPhone) {
    ticket.entered_by_user_id = actor.user_id;
  }
  ticket.api_key_id = actor.api_key_id;
  LINLI_ASSIGN_OR_RETURN(ticket.contact_sealed, SealContact(ticket, request));
  const std::int64_t now_s = clock_.NowEpochS();
  ticket.created_at = now_s;
  ticket.updated_at = now_s;

  return store_.WriteValue([&](storage::Session& session) -> Result<Ticket> {
    Ticket created = ticket;
    LINLI_ASSIGN_OR_RETURN(auto rules, repo::RulesOf(session, created.community_id));
    if (const Rule* rule =
            MatchRule(rules, created.category, created.location.building_id, grid_id)) {
      created.assignee = rule->assignee;
    }
    LINLI_TRY(StartClocks(session, created, place.zone, now_s));
    LINLI_ASSIGN_OR_RETURN(created.id, repo::InsertTicket(session, created));
    LINLI_TRY(AddStep(session, actor, created, "submitted", std::nullopt, "", true));
    auto draft = audit::DraftFor(actor, created.community_id, "tickets.create", "ticket",
                                 std::to_string(created.id));
    draft.details =
        fmt::format(R"({{"channel":"{}","category":"{}","assignee_kind":"{}"}})",
                    Name(created.channel), created.category, Name(created.assignee.kind));
    LINLI_TRY(audit_.Append(session, draft));
    if (created.assignee.user_id) {
      LINLI_TRY(NotifyUser(session, created, *created.assignee.user_id, "tickets.assigned",
                           "新的诉求待处理",
                           fmt::format("{}：{}", Label(created.type), created.title)));
    }
    return created;
  });
}

Result<TicketDetail> TicketsService::Get(const Actor& actor, std::int64_t id) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  LINLI_ASSIGN_OR_RETURN(
      auto detail, store_.ReadValue([&](storage::Session& session) -> Result<TicketDetail> {
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindTicket(session, id));
        if (!found || !CanView(actor, *found)) return NotFoundError();
        TicketDetail detail;
        detail.ticket = std::move(*found);
        detail.can_work = CanWork(actor, detail.ticket);
        detail.is_reporter = IsReporter(actor, detail.ticket);
        LINLI_ASSIGN_OR_RETURN(
            detail.steps, repo::StepsOf(session, detail.ticket.community_id, id, !detail.can_work));
        if (detail.ticket.merged_into_id) {
          LINLI_ASSIGN_OR_RETURN(detail.merged_into_code,
                                 repo::CodeOf(session, *detail.ticket.merged_into_id));
        }
        return detail;
      }));
  if (detail.can_work) detail.contact = OpenContact(detail.ticket);
  detail.building_name =
      BuildingName(detail.ticket.community_id, detail.ticket.location.building_id);
  return detail;
}

Result<Page<Ticket>> TicketsService::Mine(const Actor& actor, std::optional<State> status,
                                          const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  if (actor.system || actor.api_key_id) return Page<Ticket>{};
  return store_.ReadValue([&](storage::Session& session) {
    return repo::TicketsOfReporter(session, EffectiveUser(actor), status, page);
  });
}

Result<Page<Ticket>> TicketsService::Queue(const Actor& actor, const QueueRequest& request,
                                           const PageRequest& page) {
  LINLI_TRY(RequireSignedIn(actor));
  repo::QueueFilter filter;
  if (request.mine) {
    if (actor.system || actor.api_key_id) return Page<Ticket>{};
    if (!actor.IsMember(request.community_id)) return NotFoundError();
    filter.user_id = actor.user_id;
  } else {
    if (!IsStaff(actor, request.community_id)) return NotFoundError();
    filter.kind = request.team;
  }
  return store_.ReadValue([&](storage::Session& session) {
    return repo::Queue(session, request.community_id, filter, page);
  });
}

// ---------------------------------------------------------------------------------------------
// Work

Result<Ticket> TicketsService::Mutate(const Actor& actor, std::int64_t id, std::string_view action,
                                      bool need_work, const Mutation& mutate) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  // The zone is read before the transaction (a Write must not open another one).
  LINLI_ASSIGN_OR_RETURN(auto community_id,
                         store_.ReadValue([&](storage::Session& session) -> Result<std::int64_t> {
                           LINLI_ASSIGN_OR_RETURN(auto found, repo::FindTicket(session, id));
                           if (!found || !CanView(actor, *found)) return NotFoundError();
                           return found->community_id;
                         }));
  LINLI_ASSIGN_OR_RETURN(auto place, PlaceOf(community_id));
  return store_.WriteValue([&](storage::Session& session) -> Result<Ticket> {
    LINLI_ASSIGN_OR_RETURN(auto found, repo::FindTicket(session, id));
    if (!found || !CanView(actor, *found)) return NotFoundError();
    Ticket ticket = std::move(*found);
    if (need_work && !CanWork(actor, ticket)) {
      return ForbiddenError("forbidden", "only staff or the assignee may do this");
    }
    const State before = ticket.status;
    const std::int64_t now_s = clock_.NowEpochS();
    LINLI_ASSIGN_OR_RETURN(auto calendar,
                           CalendarFor(session, ticket.community_id, now_s, place.zone));
    LINLI_TRY(mutate(session, ticket, calendar, place.zone, now_s));
    LINLI_TRY(Save(session, actor, ticket, action, TransitionDetails(before, ticket.status)));
    return ticket;
  });
}

Result<Ticket> TicketsService::Move(
    const Actor& actor, std::int64_t id, Event event, const std::string& note,
    const std::function<Status(Ticket&, const WorkCalendar&, const TimeZone&, std::int64_t)>&
        apply) {
  LINLI_TRY(ValidateNote("note", note));
  const std::string action = fmt::format("tickets.{}", Name(event));
  return Mutate(actor, id, action, true,
                [&](storage::Session& session, Ticket& ticket, const WorkCalendar& calendar,
                    const TimeZone& zone, std::int64_t now_s) -> Status {
                  const State from = ticket.status;
                  LINLI_ASSIGN_OR_RETURN(ticket.status, Transition(from, event));
                  if (apply) LINLI_TRY(apply(ticket, calendar, zone, now_s));
                  LINLI_TRY(AddStep(session, actor, ticket, std::string(Name(ticket.status)), from,
                                    note, true));
                  return NotifyReporter(
                      session, ticket,
                      fmt::format("您的{}{}", Label(ticket.type), StatusLabel(ticket.status)));
                });
}

Result<Ticket> TicketsService::Accept(const Actor& actor, std::int64_t id,
                                      std::optional<Colour> colour, const std::string& note) {
  return Move(actor, id, Event::kAccept, note,
              [&](Ticket& ticket, const WorkCalendar& calendar, const TimeZone& zone,
                  std::int64_t now_s) -> Status {
                ticket.response.met_at_s = now_s;
                if (colour && *colour != ticket.colour) {
                  // Re-coloured on acceptance: the resolution clock is re-run from submission,
                  // as if the ticket had carried this colour from the start (nothing paused yet).
                  ticket.colour = *colour;
                  RunClock(ticket.resolution, calendar, zone, ticket.created_at,
                           ResolutionWindow(ticket.colour));
                }
                return Ok();
              });
}

Result<Ticket> TicketsService::Start(const Actor& actor, std::int64_t id, const std::string& note) {
  return Move(actor, id, Event::kStart, note);
}

Result<Ticket> TicketsService::Wait(const Actor& actor, std::int64_t id, const std::string& note) {
  return Move(
      actor, id, Event::kWait, note,
      [](Ticket& ticket, const WorkCalendar& calendar, const TimeZone& zone,
         std::int64_t now_s) -> Status {
        ticket.paused_at_s = now_s;
        PauseClock(ticket.response, calendar, zone, ResponseWindow(ticket.colour).unit, now_s);
        PauseClock(ticket.resolution, calendar, zone, ResolutionWindow(ticket.colour).unit, now_s);
        return Ok();
      });
}

namespace {
void ResumeAll(Ticket& ticket, const WorkCalendar& calendar, const TimeZone& zone,
               std::int64_t now_s) {
  ticket.paused_at_s.reset();
  ResumeClock(ticket.response, calendar, zone, ResponseWindow(ticket.colour).unit, now_s);
  ResumeClock(ticket.resolution, calendar, zone, ResolutionWindow(ticket.colour).unit, now_s);
}
}  // namespace

Result<Ticket> TicketsService::Resume(const Actor& actor, std::int64_t id,
                                      const std::string& note) {
  return Move(actor, id, Event::kResume, note,
              [](Ticket& ticket, const WorkCalendar& calendar, const TimeZone& zone,
                 std::int64_t now_s) -> Status {
                ResumeAll(ticket, calendar, zone, now_s);
                return Ok();
              });
}

Result<Ticket> TicketsService::Resolve(const Actor& actor, std::int64_t id,
                                       const std::string& note) {
  return Move(
      actor, id, Event::kResolve, note,
      [](Ticket& ticket, const WorkCalendar&, const TimeZone&, std::int64_t now_s) -> Status {
        ticket.paused_at_s.reset();
        if (!ticket.response.met_at_s) ticket.response.met_at_s = now_s;
        ticket.resolution.met_at_s = now_s;
        ticket.response.remaining_s.reset();
        ticket.resolution.remaining_s.reset();
        ticket.resolved_at_s = now_s;
        return Ok();
      });
}

Result<Ticket> TicketsService::Close(const Actor& actor, std::int64_t id,
                                     const CloseRequest& request) {
  LINLI_TRY(ValidateNote("comment", request.comment));
  LINLI_TRY(ValidateNote("follow_up", request.follow_up));
  if (request.rating && (*request.rating < 1 || *request.rating > 5)) {
    return InvalidFieldError("rating", "out_of_range", "rating is 1 to 5");
  }
  return Mutate(
      actor, id, "tickets.close", false,
      [&](storage::Session& session, Ticket& ticket, const WorkCalendar&, const TimeZone&,
          std::int64_t now_s) -> Status {
        const bool staff = CanWork(actor, ticket);
        const bool reporter = IsReporter(actor, ticket);
        if (!staff && !reporter) return ForbiddenError("forbidden", "not your ticket");
        if (!reporter && request.follow_up.empty()) {
          return InvalidFieldError("follow_up", "required", "staff close with a 回访 note");
        }
        if (!staff && !request.follow_up.empty()) {
          return InvalidFieldError("follow_up", "staff_only", "the follow-up is staff's note");
        }
        const State from = ticket.status;
        LINLI_ASSIGN_OR_RETURN(ticket.status, Transition(from, Event::kClose));
        ticket.closed_at_s = now_s;
        if (request.rating) ticket.rating = request.rating;
        if (!request.comment.empty()) ticket.rating_comment = request.comment;
        if (!request.follow_up.empty()) ticket.follow_up = request.follow_up;
        // The rating and comment are the resident's words: shown to staff, not in tracking.
        LINLI_TRY(AddStep(session, actor, ticket, "closed", from, "", true));
        if (!request.follow_up.empty()) {
          LINLI_TRY(
              AddStep(session, actor, ticket, "follow_up", std::nullopt, request.follow_up, false));
        }
        if (reporter) return Ok();
        return NotifyReporter(session, ticket, "您的诉求已办结关闭");
      });
}

Result<Ticket> TicketsService::Reopen(const Actor& actor, std::int64_t id,
                                      const std::string& reason) {
  LINLI_TRY(ValidateNote("reason", reason));
  return Mutate(
      actor, id, "tickets.reopen", false,
      [&](storage::Session& session, Ticket& ticket, const WorkCalendar& calendar,
          const TimeZone& zone, std::int64_t now_s) -> Status {
        if (!CanWork(actor, ticket) && !IsReporter(actor, ticket)) {
          return ForbiddenError("forbidden", "not your ticket");
        }
        const State from = ticket.status;
        LINLI_ASSIGN_OR_RETURN(ticket.status, Transition(from, Event::kReopen));
        LINLI_ASSIGN_OR_RETURN(auto settings, SettingsOf(session, ticket.community_id));
        const std::int64_t resolved = ticket.resolved_at_s.value_or(now_s);
        if (now_s > resolved + std::int64_t{settings.reopen_days} * kDayS) {
          return PreconditionError(
              "reopen_window_passed",
              fmt::format("tickets can be reopened within {} days of resolution",
                          settings.reopen_days));
        }
        // A reopened ticket gets a fresh resolution clock of its colour.
        RunClock(ticket.resolution, calendar, zone, now_s, ResolutionWindow(ticket.colour));
        ticket.resolved_at_s.reset();
        ticket.closed_at_s.reset();
        ticket.rating.reset();
        ticket.reopen_count += 1;
        LINLI_TRY(AddStep(session, actor, ticket, "reopened", from, reason, true));
        if (ticket.assignee.user_id) {
          LINLI_TRY(NotifyUser(session, ticket, *ticket.assignee.user_id, "tickets.reopened",
                               "诉求被重新打开", FormatTrackingCode(ticket.code)));
        }
        return Ok();
      });
}

Result<Ticket> TicketsService::Assign(const Actor& actor, std::int64_t id, const Assignee& assignee,
                                      const std::string& note) {
  LINLI_TRY(ValidateAssignee(assignee));
  LINLI_TRY(ValidateNote("note", note));
  return Mutate(
      actor, id, "tickets.assign", true,
      [&](storage::Session& session, Ticket& ticket, const WorkCalendar&, const TimeZone&,
          std::int64_t) -> Status {
        if (!IsStaff(actor, ticket.community_id)) {
          return ForbiddenError("forbidden", "only staff reassign tickets");
        }
        if (!IsOpen(ticket.status)) {
          return ConflictError(
              "illegal_transition",
              fmt::format("cannot assign a ticket that is {}", Name(ticket.status)));
        }
        ticket.assignee = assignee;
        LINLI_TRY(AddStep(session, actor, ticket, "assigned", std::nullopt,
                          fmt::format("{}{}", Name(assignee.kind),
                                      assignee.department.empty() ? "" : " " + assignee.department),
                          true));
        if (!note.empty()) {
          LINLI_TRY(AddStep(session, actor, ticket, "note", std::nullopt, note, false));
        }
        if (assignee.user_id) {
          LINLI_TRY(NotifyUser(session, ticket, *assignee.user_id, "tickets.assigned",
                               "新的诉求待处理",
                               fmt::format("{}：{}", Label(ticket.type), ticket.title)));
        }
        return Ok();
      });
}

Result<Ticket> TicketsService::AddNote(const Actor& actor, std::int64_t id, const std::string& note,
                                       bool is_public) {
  LINLI_TRY(ValidateNote("note", note));
  if (note.empty()) return InvalidFieldError("note", "required", "a note needs text");
  return Mutate(
      actor, id, "tickets.note", false,
      [&](storage::Session& session, Ticket& ticket, const WorkCalendar& calendar,
          const TimeZone& zone, std::int64_t now_s) -> Status {
        if (CanWork(actor, ticket)) {
          return AddStep(session, actor, ticket, "note", std::nullopt, note, is_public);
        }
        if (!IsReporter(actor, ticket)) return ForbiddenError("forbidden", "not your ticket");
        if (ticket.status == State::kMerged || ticket.status == State::kClosed) {
          return ConflictError("illegal_transition", "the ticket no longer takes comments");
        }
        // The resident answered: a ticket waiting on them resumes with its clocks.
        if (ticket.status == State::kWaitingOnResident) {
          const State from = ticket.status;
          LINLI_ASSIGN_OR_RETURN(ticket.status, Transition(from, Event::kResume));
          ResumeAll(ticket, calendar, zone, now_s);
          LINLI_TRY(AddStep(session, actor, ticket, "comment", from, note, true));
        } else {
          LINLI_TRY(AddStep(session, actor, ticket, "comment", std::nullopt, note, true));
        }
        if (ticket.assignee.user_id) {
          LINLI_TRY(NotifyUser(session, ticket, *ticket.assignee.user_id, "tickets.comment",
                               "居民补充了信息", FormatTrackingCode(ticket.code)));
        }
        return Ok();
      });
}

Result<Ticket> TicketsService::Merge(const Actor& actor, std::int64_t duplicate_id,
                                     std::int64_t into_id) {
  LINLI_TRY(RequireScope(actor, kWriteScope));
  if (duplicate_id == into_id) {
    return PreconditionError("self_merge", "a ticket cannot be merged into itself");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<Ticket> {
    LINLI_ASSIGN_OR_RETURN(auto dup, repo::FindTicket(session, duplicate_id));
    LINLI_ASSIGN_OR_RETURN(auto into, repo::FindTicket(session, into_id));
    if (!dup || !IsStaff(actor, dup->community_id)) return NotFoundError();
    if (!into || into->community_id != dup->community_id) {
      return InvalidFieldError("into_id", "not_found", "no such ticket in this community");
    }
    if (into->status == State::kMerged) {
      return ConflictError("illegal_transition", "cannot merge into a merged ticket");
    }
    Ticket duplicate = std::move(*dup);
    Ticket kept = std::move(*into);
    const State from = duplicate.status;
    LINLI_ASSIGN_OR_RETURN(duplicate.status, Transition(from, Event::kMerge));
    duplicate.merged_into_id = kept.id;
    duplicate.paused_at_s.reset();
    const std::string kept_code = FormatTrackingCode(kept.code);
    LINLI_TRY(AddStep(session, actor, duplicate, "merged", from, "并入 " + kept_code, true));
    LINLI_TRY(AddStep(session, actor, kept, "merged_from", std::nullopt,
                      FormatTrackingCode(duplicate.code), false));
    LINLI_TRY(
        Save(session, actor, duplicate, "tickets.merge", fmt::format(R"({{"into":{}}})", kept.id)));
    LINLI_TRY(Save(session, actor, kept, "tickets.merge_into",
                   fmt::format(R"({{"from":{}}})", duplicate.id)));
    LINLI_TRY(NotifyReporter(session, duplicate, "您的诉求已与相同问题合并处理"));
    return duplicate;
  });
}

// ---------------------------------------------------------------------------------------------
// Photos

Result<Ticket> TicketsService::AddPhoto(const Actor& actor, std::int64_t id, std::string bytes) {
  if (bytes.size() > limits::kTicketPhotoBytesMax) {
    return Error{Errc::kPayloadTooLarge, "photo_too_large", "photos are at most 5 MB"};
  }
  auto media_type = resources::DetectImageType(bytes);
  if (!media_type) {
    return Error{Errc::kUnsupportedMedia, "unsupported_image", "send a JPEG, PNG or WebP image"};
  }
  const std::string sha = crypto::Sha256Hex(bytes);
  return Mutate(actor, id, "tickets.photo.add", false,
                [&](storage::Session& session, Ticket& ticket, const WorkCalendar&, const TimeZone&,
                    std::int64_t now_s) -> Status {
                  if (!CanWork(actor, ticket) && !IsReporter(actor, ticket)) {
                    return ForbiddenError("forbidden", "not your ticket");
                  }
                  if (ticket.status == State::kClosed || ticket.status == State::kMerged) {
                    return ConflictError("illegal_transition", "the ticket is closed");
                  }
                  if (ticket.photo_ids.size() >= limits::kTicketPhotosMax) {
                    return PreconditionError(
                        "too_many_photos",
                        fmt::format("at most {} photos per ticket", limits::kTicketPhotosMax));
                  }
                  LINLI_ASSIGN_OR_RETURN(auto photo_id,
                                         repo::InsertPhoto(session, ticket.community_id, ticket.id,
                                                           {0, *media_type, bytes, sha, now_s}));
                  ticket.photo_ids.push_back(photo_id);
                  return Ok();
                });
}

Result<PhotoFile> TicketsService::GetPhoto(const Actor& actor, std::int64_t id,
                                           std::int64_t photo_id) {
  LINLI_TRY(RequireScope(actor, kReadScope));
  return store_.ReadValue([&](storage::Session& session) -> Result<PhotoFile> {
    LINLI_ASSIGN_OR_RETURN(auto ticket, repo::FindTicket(session, id));
    if (!ticket || !CanView(actor, *ticket)) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto photo,
                           repo::FindPhoto(session, ticket->community_id, id, photo_id));
    if (!photo) return NotFoundError();
    return PhotoFile{photo->id, photo->media_type, std::move(photo->bytes),
                     fmt::format("\"{}\"", photo->sha256.substr(0, 32))};
  });
}

// ---------------------------------------------------------------------------------------------
// Tracking

bool TicketsService::AllowLookup(const std::string& client, std::int64_t now_s) {
  std::lock_guard lock(lookups_mutex_);
  const std::int64_t window = now_s / limits::kTicketTrackWindowS;
  if (lookups_.size() >= limits::kTicketTrackClientsMax) {
    // Bounded memory: forget clients of past windows (they would restart at zero anyway).
    std::erase_if(lookups_, [&](const auto& entry) { return entry.second.first != window; });
  }
  auto& [entry_window, count] = lookups_[client];
  if (entry_window != window) {
    entry_window = window;
    count = 0;
  }
  if (count >= limits::kTicketTrackLookupsPerWindow) return false;
  ++count;
  return true;
}

Result<TrackView> TicketsService::Track(std::string_view code, const std::string& client) {
  if (!AllowLookup(client, clock_.NowEpochS())) {
    return Error{Errc::kResourceExhausted, "rate_limited",
                 "too many tracking lookups; try again in a minute"};
  }
  // A malformed code (or one failing its check symbol) is as unknown as a missing one.
  auto canonical = ParseTrackingCode(code);
  if (!canonical) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(
      auto view, store_.ReadValue([&](storage::Session& session) -> Result<TrackView> {
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindTicketByCode(session, *canonical));
        if (!found) return NotFoundError();
        TrackView view;
        view.ticket = std::move(*found);
        LINLI_ASSIGN_OR_RETURN(
            view.steps, repo::StepsOf(session, view.ticket.community_id, view.ticket.id, true));
        if (view.ticket.merged_into_id) {
          LINLI_ASSIGN_OR_RETURN(view.merged_into_code,
                                 repo::CodeOf(session, *view.ticket.merged_into_id));
        }
        return view;
      }));
  view.building_name = BuildingName(view.ticket.community_id, view.ticket.location.building_id);
  return view;
}

// ---------------------------------------------------------------------------------------------
// Rules, settings, calendar

Result<std::vector<Rule>> TicketsService::Rules(const Actor& actor, std::int64_t community_id) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!IsStaff(actor, community_id)) return NotFoundError();
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::RulesOf(session, community_id); });
}

Result<Rule> TicketsService::AddRule(const Actor& actor, std::int64_t community_id,
                                     const Rule& rule) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!IsStaff(actor, community_id)) return NotFoundError();
  if (!IsManager(actor, community_id)) {
    return ForbiddenError("forbidden", "committee or admin set routing rules");
  }
  if (rule.category != "*" && FindCategory(rule.category) == nullptr) {
    return InvalidFieldError("category", "unsupported", "unknown category");
  }
  LINLI_TRY(ValidateAssignee(rule.assignee));
  LINLI_ASSIGN_OR_RETURN(auto place, PlaceOf(community_id, true));
  if (rule.building_id && !place.grid_of_building.contains(*rule.building_id)) {
    return InvalidFieldError("building_id", "not_found", "no such building in this community");
  }
  if (rule.grid_id) {
    const bool known = std::any_of(place.grid_of_building.begin(), place.grid_of_building.end(),
                                   [&](const auto& entry) { return entry.second == rule.grid_id; });
    if (!known) return InvalidFieldError("grid_id", "not_found", "no such grid in this community");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<Rule> {
    LINLI_ASSIGN_OR_RETURN(auto existing, repo::RulesOf(session, community_id));
    if (existing.size() >= limits::kTicketRulesMax) {
      return PreconditionError("too_many_rules", "a community has at most 500 routing rules");
    }
    Rule created = rule;
    created.community_id = community_id;
    created.created_at = clock_.NowEpochS();
    LINLI_ASSIGN_OR_RETURN(created.id, repo::InsertRule(session, created));
    auto draft = audit::DraftFor(actor, community_id, "tickets.rule.add", "ticket_rule",
                                 std::to_string(created.id));
    draft.details = fmt::format(R"({{"category":"{}","assignee_kind":"{}"}})", created.category,
                                Name(created.assignee.kind));
    LINLI_TRY(audit_.Append(session, draft));
    return created;
  });
}

Status TicketsService::DeleteRule(const Actor& actor, std::int64_t community_id,
                                  std::int64_t rule_id) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!IsStaff(actor, community_id)) return NotFoundError();
  if (!IsManager(actor, community_id)) {
    return ForbiddenError("forbidden", "committee or admin set routing rules");
  }
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto deleted, repo::DeleteRule(session, community_id, rule_id));
    if (!deleted) return NotFoundError();
    return audit_.Append(session, audit::DraftFor(actor, community_id, "tickets.rule.delete",
                                                  "ticket_rule", std::to_string(rule_id)));
  });
}

Result<Settings> TicketsService::GetSettings(const Actor& actor, std::int64_t community_id) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!IsStaff(actor, community_id)) return NotFoundError();
  return store_.ReadValue(
      [&](storage::Session& session) { return SettingsOf(session, community_id); });
}

Result<Settings> TicketsService::UpdateSettings(const Actor& actor, std::int64_t community_id,
                                                const Settings& settings) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!IsStaff(actor, community_id)) return NotFoundError();
  if (!IsManager(actor, community_id)) {
    return ForbiddenError("forbidden", "committee or admin change ticket settings");
  }
  if (settings.reopen_days < 0 || settings.reopen_days > kReopenDaysMax) {
    return InvalidFieldError("reopen_days", "out_of_range", "0 to 90 days");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<Settings> {
    LINLI_TRY(repo::UpsertSettings(session, community_id, settings, clock_.NowEpochS()));
    auto draft = audit::DraftFor(actor, community_id, "tickets.settings.update", "ticket_settings",
                                 std::to_string(community_id));
    draft.details = fmt::format(R"({{"reopen_days":{}}})", settings.reopen_days);
    LINLI_TRY(audit_.Append(session, draft));
    return settings;
  });
}

Result<CalendarYear> TicketsService::GetCalendar(const Actor& actor, std::int64_t community_id,
                                                 int year) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.system && !actor.IsMember(community_id)) return NotFoundError();
  if (year < 2000 || year > 2100) return InvalidFieldError("year", "out_of_range", "2000–2100");
  LINLI_ASSIGN_OR_RETURN(auto stored, store_.ReadValue([&](storage::Session& session) {
    return repo::CalendarOf(session, community_id, year, year);
  }));
  CalendarYear out;
  out.year = year;
  if (!stored.customised_years.empty()) {
    out.source = "custom";
    out.confirmed = true;
    out.days = std::move(stored.days);
  } else if (const auto* official = FindOfficialYear(year)) {
    out.source = official->confirmed ? "official" : "provisional";
    out.confirmed = official->confirmed;
    out.days = official->days;
  } else {
    out.source = "weekends";
  }
  return out;
}

Result<CalendarYear> TicketsService::PutCalendar(const Actor& actor, std::int64_t community_id,
                                                 int year, const std::vector<CalendarDay>& days) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.system && !actor.IsMember(community_id)) return NotFoundError();
  if (!actor.system && !actor.HasRole(community_id, Role::kAdmin)) {
    return ForbiddenError("forbidden", "only admins edit the working-day calendar");
  }
  if (year < 2000 || year > 2100) return InvalidFieldError("year", "out_of_range", "2000–2100");
  if (days.size() > limits::kTicketCalendarDaysMax) {
    return InvalidFieldError("days", "too_many_items", "at most 200 days per year");
  }
  std::vector<CalendarDay> sorted = days;
  std::sort(sorted.begin(), sorted.end(),
            [](const auto& a, const auto& b) { return a.day < b.day; });
  std::vector<FieldError> errors;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (CivilFromDay(sorted[i].day).year != year) {
      errors.push_back({"days", "outside_year"});
      break;
    }
    if (i > 0 && sorted[i].day == sorted[i - 1].day) {
      errors.push_back({"days", "duplicate_date"});
      break;
    }
    CheckText(errors, "note", sorted[i].note, limits::kTicketShortTextBytesMax);
  }
  if (!errors.empty()) return FieldErrors(std::move(errors));
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_TRY(repo::ReplaceCalendarYear(session, community_id, year, sorted, clock_.NowEpochS()));
    auto draft = audit::DraftFor(actor, community_id, "tickets.calendar.update", "ticket_calendar",
                                 std::to_string(year));
    draft.details = fmt::format(R"({{"days":{}}})", sorted.size());
    return audit_.Append(session, draft);
  }));
  return CalendarYear{year, "custom", true, std::move(sorted)};
}

// ---------------------------------------------------------------------------------------------
// SLA job

Result<SlaReport> TicketsService::RunSla(std::int64_t now_s) {
  SlaReport report;
  const Actor system = Actor::System();
  while (true) {
    std::size_t batch = 0;
    LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
      SlaReport attempt;
      LINLI_ASSIGN_OR_RETURN(auto due,
                             repo::DueSlaEvents(session, now_s, limits::kTicketJobBatchMax));
      batch = due.size();
      for (auto& ticket : due) {
        LINLI_ASSIGN_OR_RETURN(auto settings, SettingsOf(session, ticket.community_id));
        bool warned = false;
        bool breached = false;
        for (SlaClock* clock : {&ticket.response, &ticket.resolution}) {
          if (clock->met_at_s || !clock->due_s) continue;
          if (!clock->warned && clock->warn_at_s && *clock->warn_at_s <= now_s) {
            clock->warned = true;
            warned = true;
          }
          if (!clock->breached && *clock->due_s <= now_s) {
            clock->breached = true;
            breached = true;
          }
        }
        const std::string which = ticket.response.met_at_s ? "办结" : "响应";
        if (warned) {
          ++attempt.warned;
          LINLI_TRY(AddStep(session, system, ticket, "sla_warning", std::nullopt,
                            which + "时限将到", false));
          const auto to =
              ticket.assignee.user_id ? ticket.assignee.user_id : settings.supervisor_user_id;
          if (to) {
            LINLI_TRY(
                NotifyUser(session, ticket, *to, "tickets.sla.warning",
                           fmt::format("{}即将超时", Label(ticket.type)),
                           fmt::format("{} {}时限将到", FormatTrackingCode(ticket.code), which)));
          }
        }
        if (breached) {
          ++attempt.breached;
          ticket.escalated = true;
          LINLI_TRY(AddStep(session, system, ticket, "escalated", std::nullopt,
                            which + "超时，已升级督办", true));
          for (const auto& to : {settings.supervisor_user_id, ticket.assignee.user_id}) {
            if (!to) continue;
            LINLI_TRY(NotifyUser(session, ticket, *to, "tickets.sla.breached",
                                 fmt::format("{}已超时，请督办", Label(ticket.type)),
                                 fmt::format("{} {}超时", FormatTrackingCode(ticket.code), which)));
          }
        }
        LINLI_TRY(Save(session, system, ticket,
                       breached ? "tickets.sla.breach" : "tickets.sla.warn",
                       fmt::format(R"({{"warned":{},"breached":{}}})", warned, breached)));
      }
      report.warned += attempt.warned;
      report.breached += attempt.breached;
      return Ok();
    }));
    if (batch < limits::kTicketJobBatchMax) break;
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// Open311

Result<Ticket> TicketsService::CreateOpen311(std::string_view api_key, const NewTicket& request) {
  if (api_key.empty()) return UnauthenticatedError();
  LINLI_ASSIGN_OR_RETURN(auto actor, accounts_.Authenticate(std::nullopt, api_key));
  if (!actor || !actor->api_key_id) return UnauthenticatedError();
  NewTicket req = request;
  req.community_id = actor->api_key_community_id.value_or(0);
  LINLI_TRY(RequireScope(*actor, kWriteScope));
  return CreateAs(*actor, req, Channel::kOpen311, std::nullopt);
}

Result<std::vector<Ticket>> TicketsService::PublicTickets(const repo::PublicFilter& filter,
                                                          std::size_t limit) {
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::PublicTickets(session, filter, limit); });
}

Result<Ticket> TicketsService::PublicTicketByCode(std::string_view code) {
  auto canonical = ParseTrackingCode(code);
  if (!canonical) return NotFoundError();
  return store_.ReadValue([&](storage::Session& session) -> Result<Ticket> {
    LINLI_ASSIGN_OR_RETURN(auto found, repo::FindTicketByCode(session, *canonical));
    if (!found || found->type == Type::kReport) return NotFoundError();
    return std::move(*found);
  });
}

// ---------------------------------------------------------------------------------------------
// Benchmarks

Result<int> TicketsService::SeedSynthetic(const Actor& actor, const SyntheticSpec& spec) {
  if (!actor.system) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto place, PlaceOf(spec.community_id));
  const auto& categories = Categories();
  constexpr int kPerWrite = 5000;
  // Creation times on whole hours over ~115 days: few distinct (colour, start) pairs, so the
  // calendar arithmetic is done once per pair, not per ticket.
  std::map<std::pair<int, std::int64_t>, std::pair<SlaClock, SlaClock>> clocks;
  int inserted = 0;
  while (inserted < spec.count) {
    const int n = std::min(kPerWrite, spec.count - inserted);
    LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto calendar,
                             CalendarFor(session, spec.community_id, spec.now_s, place.zone));
      std::vector<Ticket> batch;
      batch.reserve(static_cast<std::size_t>(n));
      for (int i = 0; i < n; ++i) {
        const int k = inserted + i;
        const auto& category = categories[static_cast<std::size_t>(k) % categories.size()];
        Ticket t;
        t.community_id = spec.community_id;
        t.type = category.default_type;
        t.code = NewTrackingCode(t.type, random_);
        t.category = std::string(category.code);
        t.colour = static_cast<Colour>(k % 3);
        // Mostly closed history, a realistic open backlog (1 in 10 open), every team.
        t.status = k % 10 == 0 ? State::kInProgress : State::kClosed;
        t.title = std::string(category.name);
        t.reporter_user_id = spec.reporter_user_id;
        t.assignee.kind = static_cast<AssigneeKind>((k / 10) % 4);
        if (t.assignee.kind == AssigneeKind::kDepartment) t.assignee.department = "街道城管科";
        t.created_at = spec.now_s - (std::int64_t{k} * 7919 % (115 * 24)) * 3600;
        t.updated_at = t.created_at;
        auto [found, fresh] = clocks.try_emplace({k % 3, t.created_at});
        if (fresh) {
          RunClock(found->second.first, calendar, place.zone, t.created_at,
                   ResponseWindow(t.colour));
          RunClock(found->second.second, calendar, place.zone, t.created_at,
                   ResolutionWindow(t.colour));
        }
        t.response = found->second.first;
        t.resolution = found->second.second;
        t.response.met_at_s = t.created_at + 3600;
        if (!IsOpen(t.status)) {
          t.resolution.met_at_s = t.created_at + 7200;
          t.resolved_at_s = t.resolution.met_at_s;
          t.closed_at_s = t.resolved_at_s;
        }
        batch.push_back(std::move(t));
      }
      return repo::InsertTickets(session, batch);
    }));
    inserted += n;
  }
  return inserted;
}

}  // namespace linli::tickets
