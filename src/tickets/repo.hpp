#pragma once
// SQL of the tickets module; portable across SQLite and PostgreSQL. Owns the tables of
// migration 0010_tickets. Functions run inside the caller's transaction.
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"
#include "storage/store.hpp"
#include "tickets/calendar.hpp"
#include "tickets/model.hpp"

namespace linli::tickets::repo {

using storage::Session;

Result<std::int64_t> InsertTicket(Session& s, const Ticket& ticket);
// Many tickets with multi-row INSERTs (benchmark seeding); ids are not returned.
Status InsertTickets(Session& s, const std::vector<Ticket>& tickets);
// Writes every column except id, community_id and code.
Status UpdateTicket(Session& s, const Ticket& ticket);
// With photo ids.
Result<std::optional<Ticket>> FindTicket(Session& s, std::int64_t id);
Result<std::optional<Ticket>> FindTicketByCode(Session& s, const std::string& code);
// The codes of `ids` (merge targets), id → code.
Result<std::optional<std::string>> CodeOf(Session& s, std::int64_t id);

// Newest first; PageRequest::after is a ticket id. Without photo ids.
Result<Page<Ticket>> TicketsOfReporter(Session& s, std::int64_t user_id,
                                       std::optional<State> status, const PageRequest& page);

// A staff work queue: open tickets of a community, red first, then by deadline, then id.
struct QueueFilter {
  std::optional<AssigneeKind> kind;     // a team (property, grid_worker, ...)
  std::optional<std::int64_t> user_id;  // tickets assigned to one person
};
// PageRequest::after is the id of the last ticket of the previous page. Without photo ids.
Result<Page<Ticket>> Queue(Session& s, std::int64_t community_id, const QueueFilter& filter,
                           const PageRequest& page);

// Tickets whose next SLA event (warning or breach) is due by `now_s`, oldest event first.
Result<std::vector<Ticket>> DueSlaEvents(Session& s, std::int64_t now_s, std::size_t limit);

Status InsertStep(Session& s, std::int64_t community_id, const Step& step);
// Oldest first, at most kTicketStepsMax.
Result<std::vector<Step>> StepsOf(Session& s, std::int64_t community_id, std::int64_t ticket_id,
                                  bool public_only);

struct Photo {
  std::int64_t id = 0;
  std::string media_type;
  std::string bytes;
  std::string sha256;
  std::int64_t created_at = 0;
};
Result<std::int64_t> InsertPhoto(Session& s, std::int64_t community_id, std::int64_t ticket_id,
                                 const Photo& photo);
Result<std::optional<Photo>> FindPhoto(Session& s, std::int64_t community_id,
                                       std::int64_t ticket_id, std::int64_t photo_id);

Result<std::vector<Rule>> RulesOf(Session& s, std::int64_t community_id);
Result<std::int64_t> InsertRule(Session& s, const Rule& rule);
Result<bool> DeleteRule(Session& s, std::int64_t community_id, std::int64_t rule_id);

Result<std::optional<Settings>> FindSettings(Session& s, std::int64_t community_id);
Status UpsertSettings(Session& s, std::int64_t community_id, const Settings& settings,
                      std::int64_t now_s);

// The calendar overrides a community stored for [first_year, last_year], and which of those
// years it customised (the others use the shipped national arrangement).
struct StoredCalendar {
  std::vector<int> customised_years;
  std::vector<CalendarDay> days;
};
Result<StoredCalendar> CalendarOf(Session& s, std::int64_t community_id, int first_year,
                                  int last_year);
// Replaces a year's overrides (and marks the year customised).
Status ReplaceCalendarYear(Session& s, std::int64_t community_id, int year,
                           const std::vector<CalendarDay>& days, std::int64_t now_s);

// Open311 public listing: newest first, at most `limit`.
struct PublicFilter {
  std::optional<std::int64_t> community_id;
  std::optional<std::string> category;
  std::optional<bool> open;
  std::optional<std::int64_t> start_s;
  std::optional<std::int64_t> end_s;
  std::vector<std::int64_t> ids;  // service_request_id filter
};
Result<std::vector<Ticket>> PublicTickets(Session& s, const PublicFilter& filter,
                                          std::size_t limit);

}  // namespace linli::tickets::repo
