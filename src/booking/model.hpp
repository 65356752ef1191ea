#pragma once
// Booking and loans (预约与借用): per-card availability settings (weekly windows in the
// community's time zone, blackouts, buffers, capacity), bookings with their state machine, the
// waitlist, and the pure rules every use case shares. No I/O.
//
// Times are UTC epoch seconds; a booking occupies the half-open interval [start_s, end_s).
// A card with capacity N has N "slot units" 0..N-1; a booking occupies one unit for
// [start_s, end_s + buffer_s), so two bookings on one unit can never overlap and keep the
// card's buffer between them.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time_zone.hpp"

namespace linli::booking {

// A loan is a booking of a goods card whose window is [borrowed, due]: hand-over is check-in,
// return is completion with condition notes.
enum class Kind : std::uint8_t { kBooking, kLoan };

//   held ──accept──▶ requested ──approve──▶ confirmed ──check_in──▶ checked_in ──complete──▶
//     │  (waitlist     │  (approval rule)     │   │                               completed
//     │   offer)       ├─decline─▶ declined   │   └─no-show job─▶ no_show
//     └─expire─▶ expired                      └─cancel─▶ cancelled (also from held/requested)
// A booking without the approval rule goes straight to confirmed. held, requested, confirmed
// and checked_in occupy a slot unit; every other status has released it.
enum class BookingStatus : std::uint8_t {
  kHeld,
  kRequested,
  kConfirmed,
  kCheckedIn,
  kCompleted,
  kCancelled,
  kDeclined,
  kNoShow,
  kExpired,
};

enum class BlackoutKind : std::uint8_t { kBlackout, kMaintenance };

enum class WaitStatus : std::uint8_t { kWaiting, kOffered, kAccepted, kExpired, kLeft };

std::string_view Name(Kind value);
std::string_view Name(BookingStatus value);
std::string_view Name(BlackoutKind value);
std::string_view Name(WaitStatus value);
std::optional<Kind> ParseKind(std::string_view text);
std::optional<BookingStatus> ParseStatus(std::string_view text);
std::optional<BlackoutKind> ParseBlackoutKind(std::string_view text);
std::optional<WaitStatus> ParseWaitStatus(std::string_view text);

// True for the statuses that occupy a slot unit.
bool HoldsSlot(BookingStatus status);
// True for the statuses no action leaves.
bool IsFinal(BookingStatus status);

// A weekly recurring window in local time: ISO weekday 1 (Monday) … 7, seconds of the day
// [start_s, end_s) with end_s ≤ 86400. "Mon 08:00–18:00" is {1, 28800, 64800}.
struct WeeklyWindow {
  int weekday = 1;
  int start_s = 0;
  int end_s = 0;
  bool operator==(const WeeklyWindow&) const = default;
};

// A period in which the card cannot be booked (UTC).
struct Blackout {
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  BlackoutKind kind = BlackoutKind::kBlackout;
  std::string note;
  bool operator==(const Blackout&) const = default;
};

// A card's booking rules; owned by booking, set by the card's managers. Cards without stored
// settings use DefaultSettings (derived from the card).
struct Settings {
  std::int64_t community_id = 0;
  std::int64_t card_id = 0;
  std::optional<std::int64_t> capacity;  // nullopt: the card's quantity (goods) or 1
  bool requires_approval = false;
  std::int64_t buffer_s = 0;  // kept free after each booking
  std::int64_t min_duration_s = 15 * 60;
  std::int64_t max_duration_s = 24 * 3600;
  std::int64_t cancel_cutoff_s = 2 * 3600;  // cancelling later than this before start is late
  std::int64_t no_show_grace_s = 15 * 60;   // not checked in this long after start: no-show
  std::int64_t reminder_lead_s = 3600;      // reminder this long before start (loans: due)
  std::int64_t price_fen_per_hour = 0;      // yuan price, prorated by the minute
  std::int64_t points = 0;                  // points per booking, held in escrow
  std::int64_t deposit_points = 0;          // held in escrow, returned unless late/no-show
  std::vector<WeeklyWindow> windows;        // empty: bookable at any time
  std::vector<Blackout> blackouts;
  std::int64_t version = 0;  // 0: never saved (defaults)
  std::int64_t updated_at = 0;

  bool operator==(const Settings&) const = default;
};

struct Booking {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t card_id = 0;
  Kind kind = Kind::kBooking;
  BookingStatus status = BookingStatus::kRequested;
  std::int64_t booker_user_id = 0;
  std::optional<std::int64_t> provider_user_id;  // the card's owner when booked
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;  // for loans: the due time
  std::int64_t unit = 0;
  std::int64_t price_fen = 0;
  std::int64_t points = 0;
  std::int64_t deposit_points = 0;
  std::optional<std::int64_t> price_hold_id;  // escrow holds while confirmed
  std::optional<std::int64_t> deposit_hold_id;
  std::string note;             // from the booker
  std::string reason;           // decline/cancel reason
  std::string condition_notes;  // on return / completion
  std::string check_in_code;    // secret shown to the booker as a QR code
  bool late = false;            // returned late, or cancelled after the cutoff
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> confirmed_at;
  std::optional<std::int64_t> checked_in_at;
  std::optional<std::int64_t> finished_at;      // completed, cancelled, declined, no-show, expired
  std::optional<std::int64_t> hold_expires_at;  // held (waitlist offer) only
  std::optional<std::int64_t> reminded_at;
  std::optional<std::int64_t> overdue_at;  // loans: when it was first seen overdue
  std::int64_t version = 1;
};

struct WaitlistEntry {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t card_id = 0;
  std::int64_t user_id = 0;
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  WaitStatus status = WaitStatus::kWaiting;
  std::optional<std::int64_t> booking_id;  // the held booking offered
  std::int64_t created_at = 0;
};

// ---------------------------------------------------------------------------------------------
// Pure rules

// Every problem of `settings` as API field names (empty when valid).
std::vector<FieldError> Validate(const Settings& settings);

// True when [start_s, end_s) lies inside the union of the weekly windows (evaluated in `zone`;
// adjacent windows join, so Mon 00:00–24:00 + Tue 00:00–24:00 covers a booking across
// midnight). Empty windows cover everything.
bool WindowsCover(const TimeZone& zone, const std::vector<WeeklyWindow>& windows,
                  std::int64_t start_s, std::int64_t end_s);

// The open intervals (UTC, merged, sorted) of the weekly windows within [from_s, to_s).
struct Interval {
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
  bool operator==(const Interval&) const = default;
};
std::vector<Interval> OpenIntervals(const TimeZone& zone, const std::vector<WeeklyWindow>& windows,
                                    std::int64_t from_s, std::int64_t to_s);

// The blackout overlapping [start_s, end_s), if any.
const Blackout* BlackoutOverlapping(const std::vector<Blackout>& blackouts, std::int64_t start_s,
                                    std::int64_t end_s);

// Price in fen of `duration_s` at `fen_per_hour`, rounded up to a whole fen.
std::int64_t PriceFen(std::int64_t fen_per_hour, std::int64_t duration_s);

// An occupied unit interval (start_s, end_s include the buffer).
struct Occupied {
  std::int64_t unit = 0;
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;
};
// Units in 0..capacity-1 free over [start_s, end_s) given `occupied`, lowest first.
std::vector<std::int64_t> FreeUnits(const std::vector<Occupied>& occupied, std::int64_t capacity,
                                    std::int64_t start_s, std::int64_t end_s);

// Intervals within [from_s, to_s) where all `capacity` units are taken (merged, sorted).
std::vector<Interval> FullIntervals(const std::vector<Occupied>& occupied, std::int64_t capacity,
                                    std::int64_t from_s, std::int64_t to_s);

// "HH:MM" (00:00..24:00) ↔ seconds of day; nullopt for anything else.
std::optional<int> ParseClock(std::string_view text);
std::string FormatClock(int second_of_day);

// The settings column of the weekly windows: "weekday,start,end;..." (pure, tested here).
std::string EncodeWindows(const std::vector<WeeklyWindow>& windows);
std::optional<std::vector<WeeklyWindow>> DecodeWindows(std::string_view text);

}  // namespace linli::booking
