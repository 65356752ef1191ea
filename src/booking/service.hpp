#pragma once
// Use cases of booking and loans. Every method authorises its caller; "not yours" is the same
// 404 not_found as "missing". Writes append to the audit log and notify people in the same
// transaction.
//
// Who may do what:
//   - everyone signed in who can see a listed card (resources' visibility) books it, borrows it
//     (goods) or joins its waitlist; organisation API keys cannot (403 forbidden).
//   - the booker sees, cancels, checks in and (bookings, not loans) completes their booking.
//   - managers of the card (resources::CanManage) set its booking settings, see its bookings,
//     approve/decline requests, check bookers in (also by QR code), complete bookings and
//     record loan returns, and cancel.
//
// No double booking: a booking takes one free slot unit of the card for [start, end + buffer).
// The service checks the overlap itself (on SQLite the single writer makes that check and the
// insert atomic); on PostgreSQL the exclusion constraint on booking_slots refuses a unit taken
// by a concurrent transaction, which the service answers by trying the next free unit and
// finally with 409 slot_taken.
//
// Error reasons: unauthenticated (401), forbidden (403), not_found (404), invalid_field (400),
// slot_taken, illegal_transition, version_mismatch, already_waiting (409), card_unavailable,
// outside_windows, blacked_out, duration_out_of_range, in_the_past, too_far_ahead,
// loan_overdue, not_lendable, idempotency_key_reused, insufficient_funds, too_early,
// too_late, hold_expired, range_too_long, waitlist_full (422).
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "booking/model.hpp"
#include "booking/ports.hpp"
#include "booking/repo.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "notify/service.hpp"
#include "resources/service.hpp"
#include "storage/store.hpp"

namespace linli::booking {

struct CreateRequest {
  std::int64_t card_id = 0;
  Kind kind = Kind::kBooking;
  std::int64_t start_s = 0;
  std::int64_t end_s = 0;  // loans: the due time
  std::string note;
  std::optional<std::string> idempotency_key;
};

struct Created {
  Booking booking;
  bool replayed = false;  // the Idempotency-Key was seen before: this is the first result
};

// A booking with what the caller may do and the card's title (for lists and the UI).
struct BookingView {
  Booking booking;
  std::string card_title;
  bool can_manage = false;
  bool is_booker = false;
  bool overdue = false;
};

struct SettingsView {
  Settings settings;
  std::int64_t capacity = 1;  // effective
  std::string timezone;
  bool customised = false;
  bool can_manage = false;
};

struct FreeBusy {
  std::int64_t card_id = 0;
  std::string timezone;
  std::int64_t capacity = 1;
  std::int64_t from_s = 0;
  std::int64_t to_s = 0;
  std::vector<Interval> open;
  std::vector<Occupied> busy;
  std::vector<Interval> full;
  std::vector<Blackout> blackouts;
};

struct ParkingSpot {
  resources::Card card;
  std::int64_t price_fen_per_hour = 0;
  std::int64_t price_fen = 0;
};

struct EarningsLine {
  std::int64_t card_id = 0;
  std::string card_title;
  std::string month;  // "2026-10" in the community's time zone
  std::int64_t bookings = 0;
  std::int64_t price_fen = 0;
  std::int64_t points = 0;
};

struct Earnings {
  std::vector<EarningsLine> lines;
  std::int64_t total_fen = 0;
  std::int64_t total_points = 0;
};

struct JobReport {
  int no_shows = 0;
  int holds_expired = 0;
  int reminded = 0;
  int overdue = 0;
  int auto_completed = 0;
};

// Check-in opens this long before the start.
inline constexpr std::int64_t kCheckInEarlyS = 15 * 60;
// Bookings may start at most this long ago (clock skew of a client).
inline constexpr std::int64_t kStartSlackS = 5 * 60;

class BookingService {
 public:
  // `escrow` and `outcomes` may be null (not wired): then points are recorded on the booking
  // only and outcomes are not reported.
  BookingService(storage::Store& store, const audit::AuditService& audit,
                 const notify::NotifyService& notify, accounts::AccountsService& accounts,
                 resources::ResourcesService& resources, const Clock& clock, Random& random,
                 Escrow* escrow = nullptr, OutcomeSink* outcomes = nullptr);

  // Settings and availability.
  Result<SettingsView> GetSettings(const Actor& actor, std::int64_t card_id);
  Result<SettingsView> PutSettings(const Actor& actor, std::int64_t card_id, Settings settings,
                                   std::optional<std::int64_t> if_version);
  // Free/busy over [from_s, to_s) (at most limits::kBookingRangeSMax).
  Result<FreeBusy> Availability(const Actor& actor, std::int64_t card_id, std::int64_t from_s,
                                std::int64_t to_s);

  // Bookings and loans.
  Result<Created> Create(const Actor& actor, const CreateRequest& request);
  Result<BookingView> Get(const Actor& actor, std::int64_t id);
  Result<Page<BookingView>> Mine(const Actor& actor, const repo::ListFilter& filter,
                                 const PageRequest& page);
  Result<Page<BookingView>> Incoming(const Actor& actor, const repo::ListFilter& filter,
                                     const PageRequest& page);
  Result<BookingView> Approve(const Actor& actor, std::int64_t id);
  Result<BookingView> Decline(const Actor& actor, std::int64_t id, const std::string& reason);
  Result<BookingView> Cancel(const Actor& actor, std::int64_t id, const std::string& reason);
  Result<BookingView> CheckIn(const Actor& actor, std::int64_t id);
  Result<BookingView> CheckInByCode(const Actor& actor, const std::string& code);
  Result<BookingView> Complete(const Actor& actor, std::int64_t id,
                               const std::string& condition_notes);
  Result<BookingView> Accept(const Actor& actor, std::int64_t id);
  // The booker's secret check-in code (for the QR code).
  Result<std::string> CheckInCode(const Actor& actor, std::int64_t id);

  // Waitlist.
  Result<WaitlistEntry> JoinWaitlist(const Actor& actor, std::int64_t card_id, std::int64_t start_s,
                                     std::int64_t end_s);
  Result<WaitlistEntry> LeaveWaitlist(const Actor& actor, std::int64_t id);
  Result<std::vector<WaitlistEntry>> MyWaitlist(const Actor& actor);

  // Tidal parking and earnings.
  Result<std::vector<ParkingSpot>> SearchParking(const Actor& actor, std::int64_t from_s,
                                                 std::int64_t to_s);
  Result<Earnings> EarningsOf(const Actor& actor, std::int64_t from_s, std::int64_t to_s);

  // Calendar feeds. NewFeedToken replaces the caller's token; the feeds take the secret.
  Result<std::string> NewFeedToken(const Actor& actor);
  Result<std::string> BookingsFeed(const std::string& token);
  Result<std::string> CardFeed(const std::string& token, std::int64_t card_id);

  // The scheduled job: no-show release, waitlist hold expiry, reminders, overdue loans,
  // completion of ended bookings. Safe to run late or twice.
  Result<JobReport> RunJobs(std::int64_t now_s);

 private:
  struct Context;  // a card, its settings and zone inside one write
  Result<Context> LoadContext(storage::Session& session, std::int64_t card_id) const;
  Result<Booking> Insert(storage::Session& session, const Actor& actor, const Context& context,
                         const CreateRequest& request, std::int64_t booker_user_id,
                         BookingStatus status, std::int64_t now_s);
  Status CheckWindow(const Context& context, const CreateRequest& request, std::int64_t now_s);
  Result<Booking> CreateInSession(storage::Session& session, const Actor& actor,
                                  const CreateRequest& request, std::int64_t booker_user_id,
                                  const std::string& request_hash, bool& replayed);
  Status Confirm(storage::Session& session, Booking& booking, std::int64_t now_s) const;
  Status Finish(storage::Session& session, Booking& booking, BookingStatus status,
                std::int64_t now_s);
  Status OfferFreed(storage::Session& session, std::int64_t community_id, std::int64_t card_id,
                    std::int64_t start_s, std::int64_t end_s, std::int64_t now_s);
  Status Record(storage::Session& session, const Booking& booking, OutcomeKind kind,
                std::int64_t now_s) const;
  Status Audit(storage::Session& session, const Actor& actor, const Booking& booking,
               std::string_view action) const;
  Status Tell(storage::Session& session, const Booking& booking, std::int64_t user_id,
              std::string kind, std::string title) const;

  using Step = std::function<Status(storage::Session&, const resources::Card&, Booking&)>;
  // Loads the booking and its card inside a write, runs `step` (which authorises and
  // transitions), saves, audits.
  Result<BookingView> Mutate(const Actor& actor, std::int64_t id, std::string_view action,
                             const Step& step);
  Result<std::optional<Booking>> FindForActor(const Actor& actor, std::int64_t id);
  Result<BookingView> View(const Actor& actor, const Booking& booking);
  Result<Page<BookingView>> Views(const Actor& actor, Page<Booking> page);
  TimeZone ZoneOf(std::int64_t community_id);
  Settings DefaultsFor(const resources::Card& card) const;
  std::int64_t CapacityOf(const Settings& settings, const resources::Card& card) const;

  storage::Store& store_;
  const audit::AuditService& audit_;
  const notify::NotifyService& notify_;
  accounts::AccountsService& accounts_;
  resources::ResourcesService& resources_;
  const Clock& clock_;
  Random& random_;
  Escrow* escrow_;
  OutcomeSink* outcomes_;
  std::mutex zones_mutex_;
  std::map<std::int64_t, TimeZone> zones_;
};

}  // namespace linli::booking
