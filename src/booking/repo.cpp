#include "booking/repo.hpp"

#include <fmt/format.h>

#include "core/limits.hpp"

namespace linli::booking::repo {
namespace {

using storage::Nullable;
using storage::Row;
using storage::Value;

constexpr std::string_view kBookingColumns =
    "id, community_id, card_id, kind, status, booker_user_id, provider_user_id, start_s, end_s, "
    "unit, price_fen, points, deposit_points, price_hold_id, deposit_hold_id, note, reason, "
    "condition_notes, check_in_code, late, created_at, updated_at, confirmed_at, checked_in_at, "
    "finished_at, hold_expires_at, reminded_at, overdue_at, version";

Booking BookingFromRow(const Row& r) {
  Booking b;
  b.id = r.Int(0);
  b.community_id = r.Int(1);
  b.card_id = r.Int(2);
  b.kind = ParseKind(r.Text(3)).value_or(Kind::kBooking);
  b.status = ParseStatus(r.Text(4)).value_or(BookingStatus::kCancelled);
  b.booker_user_id = r.Int(5);
  b.provider_user_id = r.OptInt(6);
  b.start_s = r.Int(7);
  b.end_s = r.Int(8);
  b.unit = r.Int(9);
  b.price_fen = r.Int(10);
  b.points = r.Int(11);
  b.deposit_points = r.Int(12);
  b.price_hold_id = r.OptInt(13);
  b.deposit_hold_id = r.OptInt(14);
  b.note = r.Text(15);
  b.reason = r.Text(16);
  b.condition_notes = r.Text(17);
  b.check_in_code = r.Text(18);
  b.late = r.Int(19) != 0;
  b.created_at = r.Int(20);
  b.updated_at = r.Int(21);
  b.confirmed_at = r.OptInt(22);
  b.checked_in_at = r.OptInt(23);
  b.finished_at = r.OptInt(24);
  b.hold_expires_at = r.OptInt(25);
  b.reminded_at = r.OptInt(26);
  b.overdue_at = r.OptInt(27);
  b.version = r.Int(28);
  return b;
}

Result<std::vector<Booking>> QueryBookings(Session& s, const std::string& where,
                                           const std::vector<Value>& params) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(fmt::format("SELECT {} FROM bookings {}", kBookingColumns, where), params));
  std::vector<Booking> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(BookingFromRow(row));
  return out;
}

Result<std::optional<Booking>> QueryOneBooking(Session& s, const std::string& where,
                                               const std::vector<Value>& params) {
  LINLI_ASSIGN_OR_RETURN(auto found, QueryBookings(s, where, params));
  if (found.empty()) return std::optional<Booking>{};
  return std::optional<Booking>{std::move(found.front())};
}

// The filter's conditions from parameter $4 on ($1 user, $2 after, $3 limit).
std::string FilterSql(const ListFilter& filter, std::vector<Value>& params) {
  std::string sql;
  if (filter.kind) {
    params.emplace_back(std::string(Name(*filter.kind)));
    sql += fmt::format(" AND kind = ${}", params.size());
  }
  if (filter.status) {
    params.emplace_back(std::string(Name(*filter.status)));
    sql += fmt::format(" AND status = ${}", params.size());
  }
  return sql;
}

Result<Page<Booking>> PageOf(Session& s, std::string_view column, std::int64_t user_id,
                             const ListFilter& filter, const PageRequest& page) {
  std::vector<Value> params{user_id, page.after.value_or(INT64_MAX), std::int64_t{page.limit + 1}};
  const std::string conditions = FilterSql(filter, params);
  LINLI_ASSIGN_OR_RETURN(
      auto items, QueryBookings(s,
                                fmt::format("WHERE {} = $1 AND id < $2{} ORDER BY id DESC LIMIT $3",
                                            column, conditions),
                                params));
  return TrimToPage(std::move(items), page.limit, [](const Booking& b) { return b.id; });
}

std::vector<Value> BookingValues(const Booking& b) {
  return {b.community_id,
          b.card_id,
          std::string(Name(b.kind)),
          std::string(Name(b.status)),
          b.booker_user_id,
          Nullable(b.provider_user_id),
          b.start_s,
          b.end_s,
          b.unit,
          b.price_fen,
          b.points,
          b.deposit_points,
          Nullable(b.price_hold_id),
          Nullable(b.deposit_hold_id),
          b.note,
          b.reason,
          b.condition_notes,
          b.check_in_code,
          std::int64_t{b.late ? 1 : 0},
          b.created_at,
          b.updated_at,
          Nullable(b.confirmed_at),
          Nullable(b.checked_in_at),
          Nullable(b.finished_at),
          Nullable(b.hold_expires_at),
          Nullable(b.reminded_at),
          Nullable(b.overdue_at),
          b.version};
}

WaitlistEntry WaitFromRow(const Row& r) {
  WaitlistEntry w;
  w.id = r.Int(0);
  w.community_id = r.Int(1);
  w.card_id = r.Int(2);
  w.user_id = r.Int(3);
  w.start_s = r.Int(4);
  w.end_s = r.Int(5);
  w.status = ParseWaitStatus(r.Text(6)).value_or(WaitStatus::kLeft);
  w.booking_id = r.OptInt(7);
  w.created_at = r.Int(8);
  return w;
}

constexpr std::string_view kWaitColumns =
    "id, community_id, card_id, user_id, start_s, end_s, status, booking_id, created_at";

Result<std::vector<WaitlistEntry>> QueryWaits(Session& s, const std::string& where,
                                              const std::vector<Value>& params) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(fmt::format("SELECT {} FROM booking_waitlist {}", kWaitColumns, where), params));
  std::vector<WaitlistEntry> out;
  for (const auto& row : rows) out.push_back(WaitFromRow(row));
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Settings

Result<std::optional<StoredSettings>> FindSettings(Session& s, std::int64_t community_id,
                                                   std::int64_t card_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("SELECT capacity, requires_approval, buffer_s, min_duration_s, max_duration_s, "
                 "cancel_cutoff_s, no_show_grace_s, reminder_lead_s, price_fen_per_hour, points, "
                 "deposit_points, windows, max_span_s, version, updated_at FROM booking_settings "
                 "WHERE community_id = $1 AND card_id = $2",
                 {community_id, card_id}));
  if (!row) return std::optional<StoredSettings>{};
  StoredSettings stored;
  Settings& st = stored.settings;
  st.community_id = community_id;
  st.card_id = card_id;
  st.capacity = row->OptInt(0);
  st.requires_approval = row->Int(1) != 0;
  st.buffer_s = row->Int(2);
  st.min_duration_s = row->Int(3);
  st.max_duration_s = row->Int(4);
  st.cancel_cutoff_s = row->Int(5);
  st.no_show_grace_s = row->Int(6);
  st.reminder_lead_s = row->Int(7);
  st.price_fen_per_hour = row->Int(8);
  st.points = row->Int(9);
  st.deposit_points = row->Int(10);
  st.windows = DecodeWindows(row->Text(11)).value_or(std::vector<WeeklyWindow>{});
  stored.max_span_s = row->Int(12);
  st.version = row->Int(13);
  st.updated_at = row->Int(14);
  // Most cards have no blackouts: the version parity is no hint, so always look (indexed).
  LINLI_ASSIGN_OR_RETURN(auto blackouts,
                         s.Query("SELECT start_s, end_s, kind, note FROM booking_blackouts "
                                 "WHERE community_id = $1 AND card_id = $2 ORDER BY start_s, id",
                                 {community_id, card_id}));
  for (const auto& b : blackouts) {
    st.blackouts.push_back({b.Int(0), b.Int(1),
                            ParseBlackoutKind(b.Text(2)).value_or(BlackoutKind::kBlackout),
                            b.Text(3)});
  }
  return std::optional<StoredSettings>{std::move(stored)};
}

namespace {

Status InsertSettingsRow(Session& s, const Settings& st, bool replace) {
  const std::string sql = fmt::format(
      "INSERT INTO booking_settings (community_id, card_id, capacity, requires_approval, "
      "buffer_s, min_duration_s, max_duration_s, cancel_cutoff_s, no_show_grace_s, "
      "reminder_lead_s, price_fen_per_hour, points, deposit_points, windows, max_span_s, "
      "version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, "
      "0, $15, $16) ON CONFLICT (community_id, card_id) DO {}",
      replace ? "UPDATE SET capacity = excluded.capacity, requires_approval = "
                "excluded.requires_approval, buffer_s = excluded.buffer_s, min_duration_s = "
                "excluded.min_duration_s, max_duration_s = excluded.max_duration_s, "
                "cancel_cutoff_s = excluded.cancel_cutoff_s, no_show_grace_s = "
                "excluded.no_show_grace_s, reminder_lead_s = excluded.reminder_lead_s, "
                "price_fen_per_hour = excluded.price_fen_per_hour, points = excluded.points, "
                "deposit_points = excluded.deposit_points, windows = excluded.windows, version = "
                "excluded.version, updated_at = excluded.updated_at"
              : "NOTHING");
  LINLI_TRY(
      s.Execute(sql, {st.community_id, st.card_id, Nullable(st.capacity),
                      std::int64_t{st.requires_approval ? 1 : 0}, st.buffer_s, st.min_duration_s,
                      st.max_duration_s, st.cancel_cutoff_s, st.no_show_grace_s, st.reminder_lead_s,
                      st.price_fen_per_hour, st.points, st.deposit_points,
                      EncodeWindows(st.windows), st.version, st.updated_at}));
  return Ok();
}

}  // namespace

Status SaveSettings(Session& s, const Settings& st) {
  LINLI_TRY(InsertSettingsRow(s, st, true));
  LINLI_TRY(s.Execute("DELETE FROM booking_blackouts WHERE community_id = $1 AND card_id = $2",
                      {st.community_id, st.card_id}));
  for (const auto& b : st.blackouts) {
    LINLI_TRY(s.Execute(
        "INSERT INTO booking_blackouts (community_id, card_id, start_s, end_s, "
        "kind, note) VALUES ($1, $2, $3, $4, $5, $6)",
        {st.community_id, st.card_id, b.start_s, b.end_s, std::string(Name(b.kind)), b.note}));
  }
  return Ok();
}

Status EnsureSettings(Session& s, const Settings& settings) {
  return InsertSettingsRow(s, settings, false);
}

Status GrowMaxSpan(Session& s, std::int64_t community_id, std::int64_t card_id,
                   std::int64_t span_s) {
  LINLI_TRY(
      s.Execute("UPDATE booking_settings SET max_span_s = $3 WHERE community_id = $1 AND "
                "card_id = $2 AND max_span_s < $3",
                {community_id, card_id, span_s}));
  return Ok();
}

// ---------------------------------------------------------------------------------------------
// Slots

Result<std::vector<Occupied>> Overlapping(Session& s, std::int64_t community_id,
                                          std::int64_t card_id, std::int64_t start_s,
                                          std::int64_t end_s, std::int64_t max_span_s,
                                          std::int64_t buffer_s) {
  // start_s > start - max_span bounds the index range scan to rows that can overlap; rows whose
  // stored range ends up to one buffer before start_s are read too, because a buffer that grew
  // after they were booked still applies to them.
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT s.unit, s.start_s, s.end_s, b.end_s FROM booking_slots s JOIN bookings b ON "
              "b.id = s.booking_id WHERE s.community_id = $1 AND s.card_id = $2 AND s.start_s < "
              "$4 AND s.start_s > $5 AND s.end_s > $3",
              {community_id, card_id, start_s - buffer_s, end_s, start_s - max_span_s - 1}));
  std::vector<Occupied> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    const std::int64_t end = std::max(row.Int(2), row.Int(3) + buffer_s);
    if (end > start_s) out.push_back({row.Int(0), row.Int(1), end});
  }
  return out;
}

Result<bool> InsertSlot(Session& s, const Booking& booking, std::int64_t end_with_buffer_s) {
  // ON CONFLICT DO NOTHING without a target also covers the PostgreSQL exclusion constraint,
  // so a lost race leaves the transaction usable for the next unit.
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("INSERT INTO booking_slots (booking_id, community_id, card_id, unit, start_s, "
              "end_s) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING RETURNING booking_id",
              {booking.id, booking.community_id, booking.card_id, booking.unit, booking.start_s,
               end_with_buffer_s}));
  return !rows.empty();
}

Status DeleteSlot(Session& s, std::int64_t booking_id) {
  LINLI_TRY(s.Execute("DELETE FROM booking_slots WHERE booking_id = $1", {booking_id}));
  return Ok();
}

// ---------------------------------------------------------------------------------------------
// Bookings

Result<std::int64_t> InsertBooking(Session& s, const Booking& booking) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.Query("INSERT INTO bookings (community_id, card_id, kind, status, booker_user_id, "
              "provider_user_id, start_s, end_s, unit, price_fen, points, deposit_points, "
              "price_hold_id, deposit_hold_id, note, reason, condition_notes, check_in_code, late, "
              "created_at, updated_at, confirmed_at, checked_in_at, finished_at, hold_expires_at, "
              "reminded_at, overdue_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
              "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, "
              "$27, $28) RETURNING id",
              BookingValues(booking)));
  return row.rows.front().Int(0);
}

Status UpdateBooking(Session& s, const Booking& booking) {
  auto params = BookingValues(booking);
  params.emplace_back(booking.id);
  LINLI_TRY(s.Query(
      "UPDATE bookings SET community_id = $1, card_id = $2, kind = $3, status = $4, "
      "booker_user_id = $5, provider_user_id = $6, start_s = $7, end_s = $8, unit = $9, "
      "price_fen = $10, points = $11, deposit_points = $12, price_hold_id = $13, "
      "deposit_hold_id = $14, note = $15, reason = $16, condition_notes = $17, check_in_code = "
      "$18, late = $19, created_at = $20, updated_at = $21, confirmed_at = $22, checked_in_at = "
      "$23, finished_at = $24, hold_expires_at = $25, reminded_at = $26, overdue_at = $27, "
      "version = $28 WHERE id = $29",
      params));
  return Ok();
}

Result<std::optional<Booking>> FindBooking(Session& s, std::int64_t id) {
  return QueryOneBooking(s, "WHERE id = $1", {id});
}

Result<std::optional<Booking>> FindByCode(Session& s, std::int64_t community_id,
                                          const std::string& code) {
  return QueryOneBooking(s, "WHERE community_id = $1 AND check_in_code = $2", {community_id, code});
}

Result<Page<Booking>> OfBooker(Session& s, std::int64_t user_id, const ListFilter& filter,
                               const PageRequest& page) {
  return PageOf(s, "booker_user_id", user_id, filter, page);
}

Result<Page<Booking>> OfProvider(Session& s, std::int64_t user_id, const ListFilter& filter,
                                 const PageRequest& page) {
  return PageOf(s, "provider_user_id", user_id, filter, page);
}

Result<std::vector<Booking>> OfCard(Session& s, std::int64_t community_id, std::int64_t card_id,
                                    std::int64_t from_s, std::int64_t to_s, std::size_t limit) {
  return QueryBookings(s,
                       "WHERE community_id = $1 AND card_id = $2 AND start_s < $4 AND end_s > $3 "
                       "AND status IN ('held', 'requested', 'confirmed', 'checked_in', "
                       "'completed') ORDER BY start_s, id LIMIT $5",
                       {community_id, card_id, from_s, to_s, static_cast<std::int64_t>(limit)});
}

Result<std::vector<Booking>> NoShowCandidates(Session& s, std::int64_t now_s,
                                              std::int64_t default_grace_s, std::size_t limit) {
  return QueryBookings(
      s,
      "WHERE status = 'confirmed' AND kind = 'booking' AND start_s <= $1 AND start_s + "
      "COALESCE((SELECT g.no_show_grace_s FROM booking_settings g WHERE g.community_id = "
      "bookings.community_id AND g.card_id = bookings.card_id), $2) <= $1 "
      "ORDER BY start_s, id LIMIT $3",
      {now_s, default_grace_s, static_cast<std::int64_t>(limit)});
}

Result<std::vector<Booking>> HeldExpired(Session& s, std::int64_t now_s, std::size_t limit) {
  return QueryBookings(
      s, "WHERE status = 'held' AND hold_expires_at <= $1 ORDER BY hold_expires_at, id LIMIT $2",
      {now_s, static_cast<std::int64_t>(limit)});
}

Result<std::vector<Booking>> OverdueLoansToExtend(Session& s, std::int64_t now_s,
                                                  std::int64_t extend_below_s, std::size_t limit) {
  return QueryBookings(s,
                       "WHERE status = 'checked_in' AND kind = 'loan' AND end_s <= $1 AND id IN "
                       "(SELECT booking_id FROM booking_slots WHERE end_s < $2) "
                       "ORDER BY end_s, id LIMIT $3",
                       {now_s, extend_below_s, static_cast<std::int64_t>(limit)});
}

Result<std::int64_t> ExtendSlot(Session& s, std::int64_t booking_id, std::int64_t until_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto slot, s.QueryOne("SELECT community_id, card_id, unit, start_s, end_s FROM booking_slots "
                            "WHERE booking_id = $1",
                            {booking_id}));
  if (!slot) return std::int64_t{0};
  LINLI_ASSIGN_OR_RETURN(
      auto next, s.QueryOne("SELECT MIN(start_s) FROM booking_slots WHERE community_id = $1 AND "
                            "card_id = $2 AND unit = $3 AND start_s >= $4 AND booking_id <> $5",
                            {slot->Int(0), slot->Int(1), slot->Int(2), slot->Int(4), booking_id}));
  std::int64_t end = until_s;
  if (next && !next->IsNull(0)) end = std::min(end, next->Int(0));
  if (end <= slot->Int(4)) return std::int64_t{0};
  LINLI_TRY(
      s.Execute("UPDATE booking_slots SET end_s = $1 WHERE booking_id = $2", {end, booking_id}));
  return end - slot->Int(3);
}

Result<std::vector<Booking>> DueForReminder(Session& s, std::int64_t now_s, std::size_t limit) {
  // Bookings are reminded of their start, checked-in loans of their due time; the lead is per
  // card, so the job reads candidates within the largest lead and the service filters.
  return QueryBookings(
      s,
      "WHERE reminded_at IS NULL AND ((status = 'confirmed' AND start_s > $1 AND start_s <= $2) "
      "OR (status = 'checked_in' AND kind = 'loan' AND end_s > $1 AND end_s <= $2)) "
      "ORDER BY id LIMIT $3",
      {now_s, now_s + limits::kBookingDurationSMax, static_cast<std::int64_t>(limit)});
}

Result<std::vector<Booking>> EndedCheckedIn(Session& s, Kind kind, std::int64_t now_s,
                                            std::size_t limit) {
  return QueryBookings(
      s, "WHERE status = 'checked_in' AND kind = $1 AND end_s <= $2 ORDER BY end_s, id LIMIT $3",
      {std::string(Name(kind)), now_s, static_cast<std::int64_t>(limit)});
}

Result<std::vector<Booking>> NewlyOverdue(Session& s, std::int64_t now_s, std::size_t limit) {
  return QueryBookings(s,
                       "WHERE status = 'checked_in' AND kind = 'loan' AND end_s <= $1 AND "
                       "overdue_at IS NULL ORDER BY end_s, id LIMIT $2",
                       {now_s, static_cast<std::int64_t>(limit)});
}

Result<bool> HasOverdueLoan(Session& s, std::int64_t user_id, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT id FROM bookings WHERE booker_user_id = $1 AND kind = 'loan' "
                           "AND status = 'checked_in' AND end_s <= $2 LIMIT 1",
                           {user_id, now_s}));
  return row.has_value();
}

// ---------------------------------------------------------------------------------------------
// Waitlist

Result<std::int64_t> InsertWait(Session& s, const WaitlistEntry& w) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("INSERT INTO booking_waitlist (community_id, card_id, user_id, start_s, end_s, "
              "status, booking_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
              "RETURNING id",
              {w.community_id, w.card_id, w.user_id, w.start_s, w.end_s,
               std::string(Name(w.status)), Nullable(w.booking_id), w.created_at}));
  return rows.rows.front().Int(0);
}

Status UpdateWait(Session& s, const WaitlistEntry& w) {
  LINLI_TRY(s.Execute("UPDATE booking_waitlist SET status = $2, booking_id = $3 WHERE id = $1",
                      {w.id, std::string(Name(w.status)), Nullable(w.booking_id)}));
  return Ok();
}

Result<std::optional<WaitlistEntry>> FindWait(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto found, QueryWaits(s, "WHERE id = $1", {id}));
  if (found.empty()) return std::optional<WaitlistEntry>{};
  return std::optional<WaitlistEntry>{found.front()};
}

Result<std::optional<WaitlistEntry>> WaitOfBooking(Session& s, std::int64_t booking_id) {
  LINLI_ASSIGN_OR_RETURN(auto found, QueryWaits(s, "WHERE booking_id = $1", {booking_id}));
  if (found.empty()) return std::optional<WaitlistEntry>{};
  return std::optional<WaitlistEntry>{found.front()};
}

Result<std::vector<WaitlistEntry>> Waiting(Session& s, std::int64_t community_id,
                                           std::int64_t card_id, std::int64_t start_s,
                                           std::int64_t end_s, std::size_t limit) {
  return QueryWaits(s,
                    "WHERE community_id = $1 AND card_id = $2 AND status = 'waiting' AND "
                    "start_s < $4 AND end_s > $3 ORDER BY id LIMIT $5",
                    {community_id, card_id, start_s, end_s, static_cast<std::int64_t>(limit)});
}

Result<std::vector<WaitlistEntry>> WaitsOfUser(Session& s, std::int64_t user_id,
                                               std::size_t limit) {
  return QueryWaits(s, "WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
                    {user_id, static_cast<std::int64_t>(limit)});
}

// ---------------------------------------------------------------------------------------------
// Idempotency, feed tokens, earnings

Result<std::optional<IdempotencyRecord>> FindIdempotency(Session& s, std::int64_t community_id,
                                                         std::int64_t user_id,
                                                         const std::string& key) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT request_hash, booking_id FROM booking_idempotency WHERE "
                           "community_id = $1 AND user_id = $2 AND idem_key = $3",
                           {community_id, user_id, key}));
  if (!row) return std::optional<IdempotencyRecord>{};
  return std::optional<IdempotencyRecord>{IdempotencyRecord{row->Text(0), row->Int(1)}};
}

Result<bool> InsertIdempotency(Session& s, std::int64_t community_id, std::int64_t user_id,
                               const std::string& key, const std::string& request_hash,
                               std::int64_t booking_id, std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("INSERT INTO booking_idempotency (community_id, user_id, idem_key, "
                         "request_hash, booking_id, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
                         "ON CONFLICT DO NOTHING RETURNING booking_id",
                         {community_id, user_id, key, request_hash, booking_id, now_s}));
  return !rows.empty();
}

Status SaveFeedToken(Session& s, const FeedOwner& owner, const std::string& token_hash,
                     std::int64_t now_s) {
  LINLI_TRY(
      s.Execute("INSERT INTO booking_feed_tokens (user_id, community_id, token_hash, "
                "created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id) DO UPDATE SET "
                "community_id = excluded.community_id, token_hash = excluded.token_hash, "
                "created_at = excluded.created_at",
                {owner.user_id, owner.community_id, token_hash, now_s}));
  return Ok();
}

Result<std::optional<FeedOwner>> OwnerOfFeedToken(Session& s, const std::string& token_hash) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT user_id, community_id FROM "
                                              "booking_feed_tokens WHERE token_hash = $1",
                                              {token_hash}));
  if (!row) return std::optional<FeedOwner>{};
  return std::optional<FeedOwner>{FeedOwner{row->Int(0), row->Int(1)}};
}

Result<std::vector<Booking>> CompletedOfProvider(Session& s, std::int64_t user_id,
                                                 std::int64_t from_s, std::int64_t to_s,
                                                 std::size_t limit) {
  return QueryBookings(s,
                       "WHERE provider_user_id = $1 AND status = 'completed' AND finished_at >= "
                       "$2 AND finished_at < $3 ORDER BY finished_at, id LIMIT $4",
                       {user_id, from_s, to_s, static_cast<std::int64_t>(limit)});
}

}  // namespace linli::booking::repo
