#include "tickets/repo.hpp"

#include <algorithm>
#include <array>
#include <map>

#include <fmt/format.h>

#include "core/limits.hpp"

namespace linli::tickets::repo {
namespace {

using storage::Null;
using storage::Value;

// Every column but id, in the order TicketValues produces them.
constexpr std::array<std::string_view, 49> kColumns{"community_id",
                                                    "code",
                                                    "type",
                                                    "category",
                                                    "colour",
                                                    "colour_rank",
                                                    "status",
                                                    "is_open",
                                                    "channel",
                                                    "title",
                                                    "description",
                                                    "building_id",
                                                    "unit_label",
                                                    "lat",
                                                    "lon",
                                                    "address",
                                                    "reporter_user_id",
                                                    "entered_by_user_id",
                                                    "api_key_id",
                                                    "contact_sealed",
                                                    "assignee_kind",
                                                    "assignee_user_id",
                                                    "department",
                                                    "response_due_s",
                                                    "response_warn_at_s",
                                                    "response_remaining_s",
                                                    "response_met_at_s",
                                                    "response_warned",
                                                    "response_breached",
                                                    "resolution_due_s",
                                                    "resolution_warn_at_s",
                                                    "resolution_remaining_s",
                                                    "resolution_met_at_s",
                                                    "resolution_warned",
                                                    "resolution_breached",
                                                    "escalated",
                                                    "paused_at_s",
                                                    "resolved_at_s",
                                                    "closed_at_s",
                                                    "merged_into_id",
                                                    "rating",
                                                    "rating_comment",
                                                    "follow_up",
                                                    "reopen_count",
                                                    "queue_due_s",
                                                    "next_sla_event_s",
                                                    "version",
                                                    "created_at",
                                                    "updated_at"};

const std::string& SelectColumns() {
  static const std::string kSelect = [] {
    std::string columns = "id";
    for (auto column : kColumns) columns += fmt::format(", {}", column);
    return columns;
  }();
  return kSelect;
}

std::string Placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) out += ", ";
    out += fmt::format("${}", first + i);
  }
  return out;
}

std::int64_t Flag(bool value) {
  return value ? 1 : 0;
}

Value OptInt(const std::optional<int>& value) {
  if (!value) return Null{};
  return std::int64_t{*value};
}

std::vector<Value> ClockValues(const SlaClock& clock) {
  return {storage::Nullable(clock.due_s),
          storage::Nullable(clock.warn_at_s),
          storage::Nullable(clock.remaining_s),
          storage::Nullable(clock.met_at_s),
          Flag(clock.warned),
          Flag(clock.breached)};
}

std::vector<Value> TicketValues(const Ticket& t) {
  Value sealed = Null{};
  if (t.contact_sealed) sealed = storage::Blob{*t.contact_sealed};
  std::vector<Value> values{t.community_id,
                            t.code,
                            std::string(Name(t.type)),
                            t.category,
                            std::string(Name(t.colour)),
                            std::int64_t{ColourRank(t.colour)},
                            std::string(Name(t.status)),
                            Flag(IsOpen(t.status)),
                            std::string(Name(t.channel)),
                            t.title,
                            t.description,
                            storage::Nullable(t.location.building_id),
                            t.location.unit_label,
                            storage::Nullable(t.location.lat),
                            storage::Nullable(t.location.lon),
                            t.location.address,
                            storage::Nullable(t.reporter_user_id),
                            storage::Nullable(t.entered_by_user_id),
                            storage::Nullable(t.api_key_id),
                            std::move(sealed),
                            std::string(Name(t.assignee.kind)),
                            storage::Nullable(t.assignee.user_id),
                            t.assignee.department};
  for (const SlaClock* clock : {&t.response, &t.resolution}) {
    auto clock_values = ClockValues(*clock);
    values.insert(values.end(), clock_values.begin(), clock_values.end());
  }
  const std::vector<Value> tail{Flag(t.escalated),
                                storage::Nullable(t.paused_at_s),
                                storage::Nullable(t.resolved_at_s),
                                storage::Nullable(t.closed_at_s),
                                storage::Nullable(t.merged_into_id),
                                OptInt(t.rating),
                                t.rating_comment,
                                t.follow_up,
                                std::int64_t{t.reopen_count},
                                t.QueueDeadline(),
                                storage::Nullable(t.NextSlaEvent()),
                                t.version,
                                t.created_at,
                                t.updated_at};
  values.insert(values.end(), tail.begin(), tail.end());
  return values;
}

std::optional<double> OptReal(const storage::Row& row, std::size_t column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Real(column);
}

SlaClock ClockFromRow(const storage::Row& row, std::size_t first) {
  SlaClock clock;
  clock.due_s = row.OptInt(first);
  clock.warn_at_s = row.OptInt(first + 1);
  clock.remaining_s = row.OptInt(first + 2);
  clock.met_at_s = row.OptInt(first + 3);
  clock.warned = row.Int(first + 4) != 0;
  clock.breached = row.Int(first + 5) != 0;
  return clock;
}

// Column n of kColumns is at row index n + 1 (id comes first). The database CHECKs admit only
// known names, so the parse fallbacks never apply.
Ticket TicketFromRow(const storage::Row& row) {
  Ticket t;
  t.id = row.Int(0);
  t.community_id = row.Int(1);
  t.code = row.Text(2);
  t.type = ParseType(row.Text(3)).value_or(Type::kHelp);
  t.category = row.Text(4);
  t.colour = ParseColour(row.Text(5)).value_or(Colour::kBlue);
  t.status = ParseStatus(row.Text(7)).value_or(State::kSubmitted);
  t.channel = ParseChannel(row.Text(9)).value_or(Channel::kApp);
  t.title = row.Text(10);
  t.description = row.Text(11);
  t.location.building_id = row.OptInt(12);
  t.location.unit_label = row.Text(13);
  t.location.lat = OptReal(row, 14);
  t.location.lon = OptReal(row, 15);
  t.location.address = row.Text(16);
  t.reporter_user_id = row.OptInt(17);
  t.entered_by_user_id = row.OptInt(18);
  t.api_key_id = row.OptInt(19);
  if (!row.IsNull(20)) t.contact_sealed = row.Bytes(20);
  t.assignee.kind = ParseAssigneeKind(row.Text(21)).value_or(AssigneeKind::kProperty);
  t.assignee.user_id = row.OptInt(22);
  t.assignee.department = row.Text(23);
  t.response = ClockFromRow(row, 24);
  t.resolution = ClockFromRow(row, 30);
  t.escalated = row.Int(36) != 0;
  t.paused_at_s = row.OptInt(37);
  t.resolved_at_s = row.OptInt(38);
  t.closed_at_s = row.OptInt(39);
  t.merged_into_id = row.OptInt(40);
  if (auto rating = row.OptInt(41)) t.rating = static_cast<int>(*rating);
  t.rating_comment = row.Text(42);
  t.follow_up = row.Text(43);
  t.reopen_count = static_cast<int>(row.Int(44));
  t.version = row.Int(47);
  t.created_at = row.Int(48);
  t.updated_at = row.Int(49);
  return t;
}

const std::string& InsertPrefix() {
  static const std::string kPrefix = [] {
    std::string columns;
    for (auto column : kColumns) columns += (columns.empty() ? "" : ", ") + std::string(column);
    return fmt::format("INSERT INTO tickets ({}) VALUES ", columns);
  }();
  return kPrefix;
}

Status AttachPhotoIds(Session& s, Ticket& ticket) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query("SELECT id FROM ticket_photos WHERE community_id = $1 "
                                            "AND ticket_id = $2 ORDER BY id",
                                            {ticket.community_id, ticket.id}));
  for (const auto& row : rows) ticket.photo_ids.push_back(row.Int(0));
  return Ok();
}

Result<std::vector<Ticket>> QueryTickets(Session& s, const std::string& sql,
                                         const std::vector<Value>& params) {
  LINLI_ASSIGN_OR_RETURN(auto rows, s.Query(sql, params));
  std::vector<Ticket> tickets;
  tickets.reserve(rows.size());
  for (const auto& row : rows) tickets.push_back(TicketFromRow(row));
  return tickets;
}

Result<std::optional<Ticket>> FindOne(Session& s, const std::string& where, const Value& key) {
  LINLI_ASSIGN_OR_RETURN(
      auto tickets,
      QueryTickets(s, "SELECT " + SelectColumns() + " FROM tickets WHERE " + where, {key}));
  if (tickets.empty()) return std::optional<Ticket>{};
  Ticket ticket = std::move(tickets.front());
  LINLI_TRY(AttachPhotoIds(s, ticket));
  return std::optional<Ticket>{std::move(ticket)};
}

Page<Ticket> ToPage(std::vector<Ticket> tickets, int limit) {
  return TrimToPage(std::move(tickets), limit, [](const Ticket& t) { return t.id; });
}

Rule RuleFromRow(const storage::Row& row) {
  Rule rule;
  rule.id = row.Int(0);
  rule.community_id = row.Int(1);
  rule.category = row.Text(2);
  rule.building_id = row.OptInt(3);
  rule.grid_id = row.OptInt(4);
  rule.assignee.kind = ParseAssigneeKind(row.Text(5)).value_or(AssigneeKind::kProperty);
  rule.assignee.user_id = row.OptInt(6);
  rule.assignee.department = row.Text(7);
  rule.created_at = row.Int(8);
  return rule;
}

}  // namespace

Result<std::int64_t> InsertTicket(Session& s, const Ticket& ticket) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(InsertPrefix() + "(" + Placeholders(1, kColumns.size()) + ") RETURNING id",
                         TicketValues(ticket)));
  return rows[0].Int(0);
}

Status InsertTickets(Session& s, const std::vector<Ticket>& tickets) {
  const auto batch = static_cast<std::size_t>(limits::kTicketSeedBatchRows);
  for (std::size_t start = 0; start < tickets.size(); start += batch) {
    const std::size_t end = std::min(tickets.size(), start + batch);
    std::string sql = InsertPrefix();
    std::vector<Value> params;
    params.reserve((end - start) * kColumns.size());
    for (std::size_t i = start; i < end; ++i) {
      sql += (i == start ? "(" : ", (") + Placeholders(params.size() + 1, kColumns.size()) + ")";
      auto values = TicketValues(tickets[i]);
      params.insert(params.end(), std::make_move_iterator(values.begin()),
                    std::make_move_iterator(values.end()));
    }
    LINLI_TRY(s.Query(sql, params));
  }
  return Ok();
}

Status UpdateTicket(Session& s, const Ticket& ticket) {
  // Parameters: TicketValues without the code; column k (k >= 2) is then $k, community_id $1.
  static const std::string kSql = [] {
    std::string assignments;
    for (std::size_t k = 2; k < kColumns.size(); ++k) {
      if (!assignments.empty()) assignments += ", ";
      assignments += fmt::format("{} = ${}", kColumns[k], k);
    }
    return fmt::format("UPDATE tickets SET {} WHERE community_id = $1 AND id = ${}", assignments,
                       kColumns.size());
  }();
  auto params = TicketValues(ticket);
  params.erase(params.begin() + 1);
  params.emplace_back(ticket.id);
  LINLI_TRY(s.Query(kSql, params));
  return Ok();
}

Result<std::optional<Ticket>> FindTicket(Session& s, std::int64_t id) {
  return FindOne(s, "id = $1", id);
}

Result<std::optional<Ticket>> FindTicketByCode(Session& s, const std::string& code) {
  return FindOne(s, "code = $1", code);
}

Result<std::optional<std::string>> CodeOf(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT code FROM tickets WHERE id = $1", {id}));
  if (!row) return std::optional<std::string>{};
  return std::optional<std::string>{row->Text(0)};
}

Result<Page<Ticket>> TicketsOfReporter(Session& s, std::int64_t user_id,
                                       std::optional<State> status, const PageRequest& page) {
  std::vector<Value> params{user_id, page.after.value_or(INT64_MAX), std::int64_t{page.limit + 1}};
  std::string filter;
  if (status) {
    params.emplace_back(std::string(Name(*status)));
    filter = " AND status = $4";
  }
  LINLI_ASSIGN_OR_RETURN(auto tickets,
                         QueryTickets(s,
                                      "SELECT " + SelectColumns() +
                                          " FROM tickets WHERE reporter_user_id = $1 AND id < $2" +
                                          filter + " ORDER BY id DESC LIMIT $3",
                                      params));
  return ToPage(std::move(tickets), page.limit);
}

Result<Page<Ticket>> Queue(Session& s, std::int64_t community_id, const QueueFilter& filter,
                           const PageRequest& page) {
  std::vector<Value> params{community_id, std::int64_t{page.limit + 1}};
  // `is_open = 1` literally, so both planners pick the partial indexes.
  std::string where = "community_id = $1 AND is_open = 1";
  if (filter.user_id) {
    params.emplace_back(*filter.user_id);
    where += fmt::format(" AND assignee_user_id = ${}", params.size());
  } else if (filter.kind) {
    params.emplace_back(std::string(Name(*filter.kind)));
    where += fmt::format(" AND assignee_kind = ${}", params.size());
  }
  if (page.after) {
    params.emplace_back(*page.after);
    where += fmt::format(
        " AND (colour_rank, queue_due_s, id) > (SELECT colour_rank, queue_due_s, id FROM tickets "
        "WHERE id = ${})",
        params.size());
  }
  LINLI_ASSIGN_OR_RETURN(auto tickets,
                         QueryTickets(s,
                                      "SELECT " + SelectColumns() + " FROM tickets WHERE " + where +
                                          " ORDER BY colour_rank, queue_due_s, id LIMIT $2",
                                      params));
  return ToPage(std::move(tickets), page.limit);
}

Result<std::vector<Ticket>> DueSlaEvents(Session& s, std::int64_t now_s, std::size_t limit) {
  return QueryTickets(s,
                      "SELECT " + SelectColumns() +
                          " FROM tickets WHERE next_sla_event_s IS NOT NULL AND "
                          "next_sla_event_s <= $1 ORDER BY next_sla_event_s, id LIMIT $2",
                      {now_s, static_cast<std::int64_t>(limit)});
}

Status InsertStep(Session& s, std::int64_t community_id, const Step& step) {
  const auto status_name = [](const std::optional<State>& status) -> Value {
    if (!status) return Null{};
    return std::string(Name(*status));
  };
  LINLI_TRY(s.Query(
      "INSERT INTO ticket_steps (community_id, ticket_id, at, kind, from_status, to_status, "
      "actor_role, actor_user_id, note, is_public) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10)",
      {community_id, step.ticket_id, step.at, step.kind, status_name(step.from),
       status_name(step.to), step.actor_role, step.actor_user_id, step.note,
       Flag(step.is_public)}));
  return Ok();
}

Result<std::vector<Step>> StepsOf(Session& s, std::int64_t community_id, std::int64_t ticket_id,
                                  bool public_only) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(std::string("SELECT id, ticket_id, at, kind, from_status, to_status, actor_role, "
                          "actor_user_id, note, is_public FROM ticket_steps WHERE community_id = "
                          "$1 AND ticket_id = $2") +
                  (public_only ? " AND is_public = 1" : "") + " ORDER BY id LIMIT $3",
              {community_id, ticket_id, static_cast<std::int64_t>(limits::kTicketStepsMax)}));
  std::vector<Step> steps;
  for (const auto& row : rows) {
    Step step;
    step.id = row.Int(0);
    step.ticket_id = row.Int(1);
    step.at = row.Int(2);
    step.kind = row.Text(3);
    if (auto from = row.OptText(4)) step.from = ParseStatus(*from);
    if (auto to = row.OptText(5)) step.to = ParseStatus(*to);
    step.actor_role = row.Text(6);
    step.actor_user_id = row.Int(7);
    step.note = row.Text(8);
    step.is_public = row.Int(9) != 0;
    steps.push_back(std::move(step));
  }
  return steps;
}

Result<std::int64_t> InsertPhoto(Session& s, std::int64_t community_id, std::int64_t ticket_id,
                                 const Photo& photo) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("INSERT INTO ticket_photos (community_id, ticket_id, media_type, bytes, size_bytes, "
              "sha256, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
              {community_id, ticket_id, photo.media_type, storage::Blob{photo.bytes},
               static_cast<std::int64_t>(photo.bytes.size()), photo.sha256, photo.created_at}));
  return rows[0].Int(0);
}

Result<std::optional<Photo>> FindPhoto(Session& s, std::int64_t community_id,
                                       std::int64_t ticket_id, std::int64_t photo_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT id, media_type, bytes, sha256, created_at FROM ticket_photos "
                           "WHERE community_id = $1 AND ticket_id = $2 AND id = $3",
                           {community_id, ticket_id, photo_id}));
  if (!row) return std::optional<Photo>{};
  return std::optional<Photo>{
      Photo{row->Int(0), row->Text(1), row->Bytes(2), row->Text(3), row->Int(4)}};
}

Result<std::vector<Rule>> RulesOf(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT id, community_id, category, building_id, grid_id, assignee_kind, "
                         "assignee_user_id, department, created_at FROM ticket_rules WHERE "
                         "community_id = $1 ORDER BY id",
                         {community_id}));
  std::vector<Rule> rules;
  for (const auto& row : rows) rules.push_back(RuleFromRow(row));
  return rules;
}

Result<std::int64_t> InsertRule(Session& s, const Rule& rule) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(
          "INSERT INTO ticket_rules (community_id, category, building_id, grid_id, "
          "assignee_kind, assignee_user_id, department, created_at) VALUES ($1, $2, $3, $4, "
          "$5, $6, $7, $8) RETURNING id",
          {rule.community_id, rule.category, storage::Nullable(rule.building_id),
           storage::Nullable(rule.grid_id), std::string(Name(rule.assignee.kind)),
           storage::Nullable(rule.assignee.user_id), rule.assignee.department, rule.created_at}));
  return rows[0].Int(0);
}

Result<bool> DeleteRule(Session& s, std::int64_t community_id, std::int64_t rule_id) {
  LINLI_ASSIGN_OR_RETURN(auto affected,
                         s.Execute("DELETE FROM ticket_rules WHERE community_id = $1 AND id = $2",
                                   {community_id, rule_id}));
  return affected > 0;
}

Result<std::optional<Settings>> FindSettings(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT reopen_days, supervisor_user_id FROM "
                                              "ticket_settings WHERE community_id = $1",
                                              {community_id}));
  if (!row) return std::optional<Settings>{};
  Settings settings;
  settings.reopen_days = static_cast<int>(row->Int(0));
  settings.supervisor_user_id = row->OptInt(1);
  return std::optional<Settings>{settings};
}

Status UpsertSettings(Session& s, std::int64_t community_id, const Settings& settings,
                      std::int64_t now_s) {
  LINLI_TRY(s.Execute(
      "INSERT INTO ticket_settings (community_id, reopen_days, supervisor_user_id, updated_at) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (community_id) DO UPDATE SET reopen_days = $2, "
      "supervisor_user_id = $3, updated_at = $4",
      {community_id, std::int64_t{settings.reopen_days},
       storage::Nullable(settings.supervisor_user_id), now_s}));
  return Ok();
}

Result<StoredCalendar> CalendarOf(Session& s, std::int64_t community_id, int first_year,
                                  int last_year) {
  StoredCalendar stored;
  LINLI_ASSIGN_OR_RETURN(
      auto years, s.Query("SELECT year FROM ticket_calendar_years WHERE community_id = $1 AND "
                          "year BETWEEN $2 AND $3 ORDER BY year",
                          {community_id, std::int64_t{first_year}, std::int64_t{last_year}}));
  if (years.empty()) return stored;  // the common case: one cheap query
  for (const auto& row : years) stored.customised_years.push_back(static_cast<int>(row.Int(0)));
  LINLI_ASSIGN_OR_RETURN(
      auto days, s.Query("SELECT day, working, note FROM ticket_calendar_days WHERE community_id "
                         "= $1 AND year BETWEEN $2 AND $3 ORDER BY day",
                         {community_id, std::int64_t{first_year}, std::int64_t{last_year}}));
  for (const auto& row : days) {
    stored.days.push_back({row.Int(0), row.Int(1) != 0, row.Text(2)});
  }
  return stored;
}

Status ReplaceCalendarYear(Session& s, std::int64_t community_id, int year,
                           const std::vector<CalendarDay>& days, std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("INSERT INTO ticket_calendar_years (community_id, year, updated_at) VALUES "
                "($1, $2, $3) ON CONFLICT (community_id, year) DO UPDATE SET updated_at = $3",
                {community_id, std::int64_t{year}, now_s}));
  LINLI_TRY(s.Execute("DELETE FROM ticket_calendar_days WHERE community_id = $1 AND year = $2",
                      {community_id, std::int64_t{year}}));
  for (const auto& day : days) {
    LINLI_TRY(
        s.Execute("INSERT INTO ticket_calendar_days (community_id, day, year, working, "
                  "note) VALUES ($1, $2, $3, $4, $5)",
                  {community_id, day.day, std::int64_t{year}, Flag(day.working), day.note}));
  }
  return Ok();
}

Result<std::vector<Ticket>> PublicTickets(Session& s, const PublicFilter& filter,
                                          std::size_t limit) {
  // 举报 (reports) are never listed: whoever reported must not be identifiable from context.
  std::vector<Value> params{static_cast<std::int64_t>(limit)};
  std::string where = "type <> 'report' AND status <> 'merged'";
  const auto add = [&](const std::string& clause, Value value) {
    params.push_back(std::move(value));
    where += fmt::format(" AND {} ${}", clause, params.size());
  };
  if (filter.community_id) add("community_id =", *filter.community_id);
  if (filter.category) add("category =", *filter.category);
  if (filter.open) add("is_open =", Flag(*filter.open));
  if (filter.start_s) add("created_at >=", *filter.start_s);
  if (filter.end_s) add("created_at <=", *filter.end_s);
  if (!filter.ids.empty()) {
    std::string list;
    for (auto id : filter.ids) {
      params.emplace_back(id);
      list += (list.empty() ? "" : ", ") + fmt::format("${}", params.size());
    }
    where += " AND id IN (" + list + ")";
  }
  return QueryTickets(
      s,
      "SELECT " + SelectColumns() + " FROM tickets WHERE " + where + " ORDER BY id DESC LIMIT $1",
      params);
}

}  // namespace linli::tickets::repo
