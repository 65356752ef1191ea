#pragma once
// Use cases of requests and tickets. Every method authorises its caller; "not yours" is the same
// not_found as "missing". Writes append a step to the ticket's history, an audit entry and, where
// someone must know, a notification — all in the same transaction.
//
// Who may do what:
//   - report: any member of the community (the resident; a guide acting for a resident, which
//     records the guide as entered_by); staff taking a phone call (property_staff, grid_worker,
//     committee, admin) with the caller's contact, sealed at rest; organisation API keys with the
//     tickets:write scope (Open311).
//   - see a ticket: its reporter, the staff of its community, the user it is assigned to (a
//     merchant, a grid worker), the API key that filed it. Everyone else gets not_found.
//   - work a ticket (accept, start, wait, resume, resolve, assign, merge, internal notes): staff
//     of the community and the assigned user.
//   - close: the reporter (rating optional) or staff (follow-up note required; a rating taken
//     on the follow-up call optional). Reopen: the reporter or staff, within reopen_days of
//     resolution.
//   - routing rules and settings: committee and admin; the calendar: admin (read by staff).
//   - tracking by code: anyone, rate-limited per client address; shows public steps only and
//     never the reporter, their contact or location detail finer than the building.
//
// Error reasons: unauthenticated (401), insufficient_scope (403), forbidden (403), not_found
// (404), invalid_field (400), illegal_transition (409), version_mismatch (409),
// reopen_window_passed (422), self_merge (422), too_many_photos (422), too_many_rules (422),
// unsupported_image (415), photo_too_large (413), rate_limited (429).
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"
#include "core/time_zone.hpp"
#include "notify/service.hpp"
#include "storage/store.hpp"
#include "tickets/calendar.hpp"
#include "tickets/model.hpp"
#include "tickets/repo.hpp"

namespace linli::tickets {

struct NewTicket {
  std::int64_t community_id = 0;  // 0: the caller's current community
  std::string category;           // a code of Categories()
  std::optional<Type> type;       // default: the category's
  std::string title;              // default: the category's name
  std::string description;
  Location location;
  // Phone intake by staff (and Open311 submitters who send them): who to call back.
  std::string contact_name;
  std::string contact_phone;
};

struct Contact {
  std::string name;
  std::string phone;
};

// A ticket as its viewer may see it.
struct TicketDetail {
  Ticket ticket;
  std::vector<Step> steps;  // staff: all; reporter: public ones
  std::optional<std::string> merged_into_code;
  std::optional<Contact> contact;  // staff only
  std::optional<std::string> building_name;
  bool can_work = false;  // may accept, resolve, ...
  bool is_reporter = false;
};

// What the tracking code shows to anyone.
struct TrackView {
  Ticket ticket;            // routes print only the public fields
  std::vector<Step> steps;  // public steps only
  std::optional<std::string> merged_into_code;
  std::optional<std::string> building_name;
};

struct QueueRequest {
  std::int64_t community_id = 0;
  std::optional<AssigneeKind> team;  // nullopt: every team
  bool mine = false;                 // only tickets assigned to the caller
};

struct CloseRequest {
  std::optional<int> rating;  // 1..5
  std::string comment;
  std::string follow_up;  // 回访 note, staff only (and required from staff)
};

struct SlaReport {
  int warned = 0;
  int breached = 0;
};

struct PhotoFile {
  std::int64_t id = 0;
  std::string media_type;
  std::string bytes;
  std::string etag;
};

struct CalendarYear {
  int year = 0;
  std::string source;  // "official", "provisional" (statutory days only) or "custom"
  bool confirmed = false;
  std::vector<CalendarDay> days;
};

// Synthetic tickets for benchmarks (system actor only).
struct SyntheticSpec {
  std::int64_t community_id = 0;
  std::int64_t reporter_user_id = 0;
  int count = 0;
  std::int64_t now_s = 0;
};

class TicketsService {
 public:
  TicketsService(storage::Store& store, const audit::AuditService& audit,
                 const notify::NotifyService& notify, accounts::AccountsService& accounts,
                 const Clock& clock, Random& random, const crypto::KeyRing& keys);

  // Reporting.
  Result<Ticket> Create(const Actor& actor, const NewTicket& request);
  Result<TicketDetail> Get(const Actor& actor, std::int64_t id);
  // The caller's own reports (in assisted mode: the resident's), newest first.
  Result<Page<Ticket>> Mine(const Actor& actor, std::optional<State> status,
                            const PageRequest& page);
  // A staff work queue: open tickets, red first, then by deadline.
  Result<Page<Ticket>> Queue(const Actor& actor, const QueueRequest& request,
                             const PageRequest& page);

  // Work. `note` is optional text shown in the history (public).
  Result<Ticket> Accept(const Actor& actor, std::int64_t id, std::optional<Colour> colour,
                        const std::string& note);
  Result<Ticket> Start(const Actor& actor, std::int64_t id, const std::string& note);
  Result<Ticket> Wait(const Actor& actor, std::int64_t id, const std::string& note);
  Result<Ticket> Resume(const Actor& actor, std::int64_t id, const std::string& note);
  Result<Ticket> Resolve(const Actor& actor, std::int64_t id, const std::string& note);
  Result<Ticket> Close(const Actor& actor, std::int64_t id, const CloseRequest& request);
  Result<Ticket> Reopen(const Actor& actor, std::int64_t id, const std::string& reason);
  Result<Ticket> Assign(const Actor& actor, std::int64_t id, const Assignee& assignee,
                        const std::string& note);
  // A note by staff (public or internal) or a comment by the reporter (always public; it
  // resumes a ticket that was waiting on them).
  Result<Ticket> AddNote(const Actor& actor, std::int64_t id, const std::string& note,
                         bool is_public);
  // Folds `duplicate_id` into `into_id`; the duplicate's code then shows the kept one's.
  Result<Ticket> Merge(const Actor& actor, std::int64_t duplicate_id, std::int64_t into_id);

  // Photos: JPEG/PNG/WebP by magic bytes, ≤ kTicketPhotoBytesMax, ≤ kTicketPhotosMax; by the
  // reporter or staff while the ticket is open or resolved.
  Result<Ticket> AddPhoto(const Actor& actor, std::int64_t id, std::string bytes);
  Result<PhotoFile> GetPhoto(const Actor& actor, std::int64_t id, std::int64_t photo_id);

  // Tracking by code, for anyone. `client` (the peer address) is rate-limited: 429 rate_limited.
  Result<TrackView> Track(std::string_view code, const std::string& client);

  // Routing rules.
  Result<std::vector<Rule>> Rules(const Actor& actor, std::int64_t community_id);
  Result<Rule> AddRule(const Actor& actor, std::int64_t community_id, const Rule& rule);
  Status DeleteRule(const Actor& actor, std::int64_t community_id, std::int64_t rule_id);

  Result<Settings> GetSettings(const Actor& actor, std::int64_t community_id);
  Result<Settings> UpdateSettings(const Actor& actor, std::int64_t community_id,
                                  const Settings& settings);

  // The working-day calendar of a year: the community's own days once edited, else the shipped
  // national arrangement.
  Result<CalendarYear> GetCalendar(const Actor& actor, std::int64_t community_id, int year);
  // Replaces the year's days (holidays and make-up working days); each must fall in `year`.
  Result<CalendarYear> PutCalendar(const Actor& actor, std::int64_t community_id, int year,
                                   const std::vector<CalendarDay>& days);

  // The SLA job: warns before a breach, escalates on breach. Safe to run late or twice.
  Result<SlaReport> RunSla(std::int64_t now_s);

  // Open311 (public, no personal data). `api_key` authenticates the POST.
  Result<Ticket> CreateOpen311(std::string_view api_key, const NewTicket& request);
  Result<std::vector<Ticket>> PublicTickets(const repo::PublicFilter& filter, std::size_t limit);
  Result<Ticket> PublicTicketByCode(std::string_view code);
  // The community's time zone (Asia/Shanghai when unknown).
  TimeZone ZoneOf(std::int64_t community_id);
  // Building names of a community (for public addresses at building level).
  std::optional<std::string> BuildingName(std::int64_t community_id,
                                          std::optional<std::int64_t> building_id);

  // Benchmarks: `count` synthetic open tickets in one community, spread over colours, teams
  // and deadlines, inserted in large batches. Returns how many were inserted.
  Result<int> SeedSynthetic(const Actor& actor, const SyntheticSpec& spec);

 private:
  struct Place {
    TimeZone zone = TimeZone::Default();
    std::map<std::int64_t, std::optional<std::int64_t>> grid_of_building;
    std::map<std::int64_t, std::string> building_names;
  };
  using Mutation = std::function<Status(storage::Session&, Ticket&, const WorkCalendar&,
                                        const TimeZone&, std::int64_t now_s)>;

  Result<Ticket> CreateAs(const Actor& actor, const NewTicket& request, Channel channel,
                          std::optional<std::int64_t> reporter);
  Result<Ticket> Mutate(const Actor& actor, std::int64_t id, std::string_view action,
                        bool need_work, const Mutation& mutate);
  Result<Ticket> Move(const Actor& actor, std::int64_t id, Event event, const std::string& note,
                      const std::function<Status(Ticket&, const WorkCalendar&, const TimeZone&,
                                                 std::int64_t)>& apply = {});
  Status Save(storage::Session& session, const Actor& actor, Ticket& ticket,
              std::string_view action, const std::string& details) const;
  Status AddStep(storage::Session& session, const Actor& actor, const Ticket& ticket,
                 std::string kind, std::optional<State> from, std::string note,
                 bool is_public) const;
  Status NotifyUser(storage::Session& session, const Ticket& ticket, std::int64_t user_id,
                    std::string kind, std::string title, std::string body) const;
  Status NotifyReporter(storage::Session& session, const Ticket& ticket, std::string title) const;
  Result<WorkCalendar> CalendarFor(storage::Session& session, std::int64_t community_id,
                                   std::int64_t now_s, const TimeZone& zone) const;
  Result<Place> PlaceOf(std::int64_t community_id, bool refresh = false);
  Result<Settings> SettingsOf(storage::Session& session, std::int64_t community_id) const;
  Result<std::optional<std::string>> SealContact(const Ticket& ticket, const NewTicket& request);
  std::optional<Contact> OpenContact(const Ticket& ticket) const;
  bool AllowLookup(const std::string& client, std::int64_t now_s);
  Status StartClocks(storage::Session& session, Ticket& ticket, const TimeZone& zone,
                     std::int64_t now_s) const;

  storage::Store& store_;
  const audit::AuditService& audit_;
  const notify::NotifyService& notify_;
  accounts::AccountsService& accounts_;
  const Clock& clock_;
  Random& random_;
  const crypto::KeyRing& keys_;

  std::mutex places_mutex_;
  std::unordered_map<std::int64_t, Place> places_;

  // Tracking lookups per client address in the current fixed window. Per process: behind a
  // load balancer each node allows the limit (documented in docs/tickets.md).
  std::mutex lookups_mutex_;
  std::unordered_map<std::string, std::pair<std::int64_t, int>> lookups_;
};

// Staff of a community: property_staff, grid_worker, committee, admin (and the system).
bool IsStaff(const Actor& actor, std::int64_t community_id);

}  // namespace linli::tickets
