#pragma once
// SQL of the booking module; portable across SQLite and PostgreSQL. Owns the tables of
// migration 0007_booking. Functions run inside the caller's transaction.
#include <optional>
#include <string>
#include <vector>

#include "booking/model.hpp"
#include "core/page.hpp"
#include "storage/store.hpp"

namespace linli::booking::repo {

using storage::Session;

// Settings with their blackouts, and the longest slot span ever stored for the card (the
// overlap query looks back that far, so it reads only rows that can overlap).
struct StoredSettings {
  Settings settings;
  std::int64_t max_span_s = 0;
};
Result<std::optional<StoredSettings>> FindSettings(Session& s, std::int64_t community_id,
                                                   std::int64_t card_id);
// Inserts or replaces the settings row (keeping max_span_s) and replaces the blackouts.
Status SaveSettings(Session& s, const Settings& settings);
// Inserts `settings` unless the card has a row already (first booking of a default card).
Status EnsureSettings(Session& s, const Settings& settings);
Status GrowMaxSpan(Session& s, std::int64_t community_id, std::int64_t card_id,
                   std::int64_t span_s);

// Slot units occupied over [start_s, end_s). Each range runs from the booking's start to its
// end plus the larger of the buffer it was booked with and `buffer_s` (the card's current one).
Result<std::vector<Occupied>> Overlapping(Session& s, std::int64_t community_id,
                                          std::int64_t card_id, std::int64_t start_s,
                                          std::int64_t end_s, std::int64_t max_span_s,
                                          std::int64_t buffer_s);
// Claims `unit` for the booking. False when the database itself refused an overlap (a
// concurrent booking on PostgreSQL won the unit: the exclusion constraint).
Result<bool> InsertSlot(Session& s, const Booking& booking, std::int64_t end_with_buffer_s);
Status DeleteSlot(Session& s, std::int64_t booking_id);

Result<std::int64_t> InsertBooking(Session& s, const Booking& booking);
Status UpdateBooking(Session& s, const Booking& booking);
Result<std::optional<Booking>> FindBooking(Session& s, std::int64_t id);
Result<std::optional<Booking>> FindByCode(Session& s, std::int64_t community_id,
                                          const std::string& code);

struct ListFilter {
  std::optional<Kind> kind;
  std::optional<BookingStatus> status;
};
// Newest first; PageRequest::after is a booking id.
Result<Page<Booking>> OfBooker(Session& s, std::int64_t user_id, const ListFilter& filter,
                               const PageRequest& page);
Result<Page<Booking>> OfProvider(Session& s, std::int64_t user_id, const ListFilter& filter,
                                 const PageRequest& page);
// Bookings of a card overlapping [from_s, to_s) that hold a slot or were completed, by start.
Result<std::vector<Booking>> OfCard(Session& s, std::int64_t community_id, std::int64_t card_id,
                                    std::int64_t from_s, std::int64_t to_s, std::size_t limit);

// Work for the scheduled jobs (at most `limit` each, oldest first).
// Confirmed bookings (not loans) whose start plus their card's no-show grace (or
// `default_grace_s` for cards without settings) is at or before `now_s`: only bookings that are
// really due fill the batch, so bookings still in their grace period never starve older ones.
Result<std::vector<Booking>> NoShowCandidates(Session& s, std::int64_t now_s,
                                              std::int64_t default_grace_s, std::size_t limit);
Result<std::vector<Booking>> HeldExpired(Session& s, std::int64_t now_s, std::size_t limit);
// Loans still out after their due time whose slot ends before `extend_below_s`.
Result<std::vector<Booking>> OverdueLoansToExtend(Session& s, std::int64_t now_s,
                                                  std::int64_t extend_below_s, std::size_t limit);
// Extends the booking's slot to end at `until_s`, but never into the next slot of the same
// unit (a booking made before the loan was late keeps its time). Returns the new span
// (start to end) of the slot, or 0 when nothing changed.
Result<std::int64_t> ExtendSlot(Session& s, std::int64_t booking_id, std::int64_t until_s);
Result<std::vector<Booking>> DueForReminder(Session& s, std::int64_t now_s, std::size_t limit);
Result<std::vector<Booking>> EndedCheckedIn(Session& s, Kind kind, std::int64_t now_s,
                                            std::size_t limit);
// Checked-in loans past due not yet flagged overdue.
Result<std::vector<Booking>> NewlyOverdue(Session& s, std::int64_t now_s, std::size_t limit);
Result<bool> HasOverdueLoan(Session& s, std::int64_t user_id, std::int64_t now_s);

// Waitlist.
Result<std::int64_t> InsertWait(Session& s, const WaitlistEntry& entry);
Status UpdateWait(Session& s, const WaitlistEntry& entry);
Result<std::optional<WaitlistEntry>> FindWait(Session& s, std::int64_t id);
Result<std::optional<WaitlistEntry>> WaitOfBooking(Session& s, std::int64_t booking_id);
// Waiting entries of the card overlapping [start_s, end_s), oldest first.
Result<std::vector<WaitlistEntry>> Waiting(Session& s, std::int64_t community_id,
                                           std::int64_t card_id, std::int64_t start_s,
                                           std::int64_t end_s, std::size_t limit);
Result<std::vector<WaitlistEntry>> WaitsOfUser(Session& s, std::int64_t user_id, std::size_t limit);

// Idempotency keys of booking requests.
struct IdempotencyRecord {
  std::string request_hash;
  std::int64_t booking_id = 0;
};
Result<std::optional<IdempotencyRecord>> FindIdempotency(Session& s, std::int64_t community_id,
                                                         std::int64_t user_id,
                                                         const std::string& key);
// False when the key already exists (a concurrent request stored it first).
Result<bool> InsertIdempotency(Session& s, std::int64_t community_id, std::int64_t user_id,
                               const std::string& key, const std::string& request_hash,
                               std::int64_t booking_id, std::int64_t now_s);

// Calendar feed tokens (SHA-256 hex of the secret).
// One token per user, scoped to the community the user was in when creating it.
struct FeedOwner {
  std::int64_t user_id = 0;
  std::int64_t community_id = 0;
};
Status SaveFeedToken(Session& s, const FeedOwner& owner, const std::string& token_hash,
                     std::int64_t now_s);
Result<std::optional<FeedOwner>> OwnerOfFeedToken(Session& s, const std::string& token_hash);

// Completed bookings of the provider finished in [from_s, to_s).
Result<std::vector<Booking>> CompletedOfProvider(Session& s, std::int64_t user_id,
                                                 std::int64_t from_s, std::int64_t to_s,
                                                 std::size_t limit);

}  // namespace linli::booking::repo
