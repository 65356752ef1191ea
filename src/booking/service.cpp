#include "booking/service.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "booking/ical.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"

namespace linli::booking {
namespace {

constexpr std::string_view kRetryReason = "booking_retry";  // internal: never leaves the service
constexpr std::size_t kCheckInCodeBytes = 16;
constexpr std::size_t kFeedTokenBytes = 32;
constexpr std::int64_t kFeedPastS = 90 * 24 * 3600;
constexpr std::int64_t kFeedFutureS = 366 * 24 * 3600;
constexpr std::size_t kWaitersTriedMax = 20;

Status RequireSignedIn(const Actor& actor) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return Ok();
}

// In assisted mode a grid worker books for a resident.
std::int64_t EffectiveUser(const Actor& actor) {
  return actor.acting_for.value_or(actor.user_id);
}

// Bookings are made by people: not by organisation keys nor the system.
Result<std::int64_t> Person(const Actor& actor) {
  LINLI_TRY(RequireSignedIn(actor));
  const std::int64_t user = EffectiveUser(actor);
  if (actor.api_key_id || user == 0) {
    return ForbiddenError("forbidden", "bookings are made by people, not API keys");
  }
  return user;
}

Error IllegalTransition(const Booking& booking, std::string_view action) {
  return ConflictError("illegal_transition",
                       fmt::format("a {} booking cannot be {}", Name(booking.status), action));
}

Status CheckText(std::string_view field, const std::string& text) {
  if (text.size() > limits::kBookingNoteBytesMax) {
    return InvalidFieldError(std::string(field), "too_long");
  }
  return Ok();
}

bool IsParking(const resources::Card& card) {
  if (card.content.kind != resources::Kind::kSpace) return false;
  for (const auto& tag : card.content.tags) {
    if (tag == "车位" || tag == "parking" || tag == "停车") return true;
  }
  return false;
}

std::string RequestHash(const CreateRequest& r, std::int64_t user) {
  return crypto::Sha256Hex(
      fmt::format("{}|{}|{}|{}|{}|{}", user, r.card_id, Name(r.kind), r.start_s, r.end_s, r.note));
}

}  // namespace

struct BookingService::Context {
  resources::Card card;
  Settings settings;
  std::int64_t max_span_s = 0;
  bool stored = false;
  std::int64_t capacity = 1;
  TimeZone zone = TimeZone::Default();
};

BookingService::BookingService(storage::Store& store, const audit::AuditService& audit,
                               const notify::NotifyService& notify,
                               accounts::AccountsService& accounts,
                               resources::ResourcesService& resources, const Clock& clock,
                               Random& random, Escrow* escrow, OutcomeSink* outcomes)
    : store_(store),
      audit_(audit),
      notify_(notify),
      accounts_(accounts),
      resources_(resources),
      clock_(clock),
      random_(random),
      escrow_(escrow),
      outcomes_(outcomes) {}

// ---------------------------------------------------------------------------------------------
// Shared steps

TimeZone BookingService::ZoneOf(std::int64_t community_id) {
  {
    std::lock_guard lock(zones_mutex_);
    if (auto found = zones_.find(community_id); found != zones_.end()) return found->second;
  }
  TimeZone zone = TimeZone::Default();
  if (auto community = accounts_.GetCommunity(Actor::System(), community_id)) {
    if (auto found = TimeZone::Find(community->timezone)) zone = *found;
  }
  std::lock_guard lock(zones_mutex_);
  zones_.insert_or_assign(community_id, zone);
  return zone;
}

Settings BookingService::DefaultsFor(const resources::Card& card) const {
  Settings s;
  s.community_id = card.community_id;
  s.card_id = card.id;
  const auto& rule = card.content.rule;
  if (rule.type == resources::RuleType::kPrice) {
    const bool hourly = rule.price_unit.find("小时") != std::string::npos ||
                        rule.price_unit.find("hour") != std::string::npos;
    if (hourly) s.price_fen_per_hour = rule.price_fen;
  }
  if (rule.type == resources::RuleType::kPoints) s.points = rule.points;
  if (rule.type == resources::RuleType::kDeposit) s.deposit_points = rule.deposit_points;
  if (card.content.kind == resources::Kind::kGoods) {
    s.max_duration_s = 30 * 24 * 3600;  // loans run for days
    s.min_duration_s = 3600;
  }
  return s;
}

std::int64_t BookingService::CapacityOf(const Settings& settings,
                                        const resources::Card& card) const {
  if (settings.capacity) return *settings.capacity;
  if (card.content.kind == resources::Kind::kGoods && card.content.attributes.quantity) {
    return std::clamp<std::int64_t>(*card.content.attributes.quantity, 1,
                                    limits::kBookingCapacityMax);
  }
  return 1;
}

Result<BookingService::Context> BookingService::LoadContext(storage::Session& session,
                                                            std::int64_t card_id) const {
  LINLI_ASSIGN_OR_RETURN(auto card, resources_.GetInSession(session, card_id));
  if (!card) return NotFoundError();
  Context context;
  context.card = std::move(*card);
  LINLI_ASSIGN_OR_RETURN(auto stored,
                         repo::FindSettings(session, context.card.community_id, card_id));
  if (stored) {
    context.settings = std::move(stored->settings);
    context.max_span_s = stored->max_span_s;
    context.stored = true;
  } else {
    context.settings = DefaultsFor(context.card);
  }
  context.capacity = CapacityOf(context.settings, context.card);
  return context;
}

Status BookingService::Audit(storage::Session& session, const Actor& actor, const Booking& booking,
                             std::string_view action) const {
  auto draft = audit::DraftFor(actor, booking.community_id, std::string(action), "booking",
                               std::to_string(booking.id));
  draft.details = fmt::format(R"({{"card_id":{},"kind":"{}","status":"{}"}})", booking.card_id,
                              Name(booking.kind), Name(booking.status));
  return audit_.Append(session, draft);
}

Status BookingService::Tell(storage::Session& session, const Booking& booking, std::int64_t user_id,
                            std::string kind, std::string title) const {
  if (user_id == 0) return Ok();
  notify::Notification notification;
  notification.community_id = booking.community_id;
  notification.user_id = user_id;
  notification.kind = std::move(kind);
  notification.title = std::move(title);
  notification.data =
      fmt::format(R"({{"booking_id":{},"resource_id":{}}})", booking.id, booking.card_id);
  LINLI_TRY(notify_.Enqueue(session, std::move(notification)));
  return Ok();
}

Status BookingService::Record(storage::Session& session, const Booking& booking, OutcomeKind kind,
                              std::int64_t now_s) const {
  if (outcomes_ == nullptr) return Ok();
  return outcomes_->Record(
      session, Outcome{kind, booking.id, booking.card_id, booking.community_id,
                       booking.provider_user_id.value_or(0), booking.booker_user_id, now_s});
}

// Places the escrow holds of a booking becoming confirmed.
Status BookingService::Confirm(storage::Session& session, Booking& booking,
                               std::int64_t now_s) const {
  booking.status = BookingStatus::kConfirmed;
  booking.confirmed_at = now_s;
  booking.hold_expires_at.reset();
  if (escrow_ == nullptr || !booking.provider_user_id) return Ok();
  if (booking.points > 0) {
    LINLI_ASSIGN_OR_RETURN(booking.price_hold_id,
                           escrow_->Hold(session, booking.community_id, booking.booker_user_id,
                                         *booking.provider_user_id, booking.points,
                                         fmt::format("booking:{}:points", booking.id)));
  }
  if (booking.deposit_points > 0) {
    LINLI_ASSIGN_OR_RETURN(booking.deposit_hold_id,
                           escrow_->Hold(session, booking.community_id, booking.booker_user_id,
                                         *booking.provider_user_id, booking.deposit_points,
                                         fmt::format("booking:{}:deposit", booking.id)));
  }
  return Ok();
}

// Moves `booking` to a final status: releases its slot, settles or releases escrow by the
// cancellation and deposit policy, reports the outcome, and offers the freed time to the
// waitlist. The caller saves and audits the booking.
Status BookingService::Finish(storage::Session& session, Booking& booking, BookingStatus status,
                              std::int64_t now_s) {
  const BookingStatus before = booking.status;
  booking.status = status;
  booking.finished_at = now_s;
  booking.hold_expires_at.reset();
  LINLI_TRY(repo::DeleteSlot(session, booking.id));
  // The provider earns the price when the booking happened, was a no-show or was cancelled
  // late; the deposit only when a loan came back late.
  const bool earn = status == BookingStatus::kCompleted || status == BookingStatus::kNoShow ||
                    (status == BookingStatus::kCancelled && booking.late);
  const bool forfeit_deposit = status == BookingStatus::kCompleted && booking.late;
  if (escrow_ != nullptr) {
    if (booking.price_hold_id) {
      LINLI_TRY(earn ? escrow_->Settle(session, *booking.price_hold_id, booking.points)
                     : escrow_->Release(session, *booking.price_hold_id));
    }
    if (booking.deposit_hold_id) {
      LINLI_TRY(forfeit_deposit
                    ? escrow_->Settle(session, *booking.deposit_hold_id, booking.deposit_points)
                    : escrow_->Release(session, *booking.deposit_hold_id));
    }
  }
  if (status == BookingStatus::kCompleted) {
    const OutcomeKind kind =
        booking.kind == Kind::kLoan
            ? (booking.late ? OutcomeKind::kReturnedLate : OutcomeKind::kReturnedOnTime)
            : OutcomeKind::kCompleted;
    LINLI_TRY(Record(session, booking, kind, now_s));
  } else if (status == BookingStatus::kNoShow) {
    LINLI_TRY(Record(session, booking, OutcomeKind::kNoShow, now_s));
  } else if (status == BookingStatus::kCancelled && booking.late) {
    LINLI_TRY(Record(session, booking, OutcomeKind::kCancelledLate, now_s));
  }
  if (before == BookingStatus::kHeld) {
    LINLI_ASSIGN_OR_RETURN(auto wait, repo::WaitOfBooking(session, booking.id));
    if (wait && wait->status == WaitStatus::kOffered) {
      wait->status = WaitStatus::kExpired;
      LINLI_TRY(repo::UpdateWait(session, *wait));
    }
  }
  // Only the part still ahead can be used by someone else.
  const std::int64_t freed_from = std::max(booking.start_s, now_s);
  if (freed_from < booking.end_s) {
    LINLI_TRY(OfferFreed(session, booking.community_id, booking.card_id, freed_from, booking.end_s,
                         now_s));
  }
  return Ok();
}

// Offers freed time to the waitlist: the oldest waiters overlapping it whose whole window now
// has a free unit get a held booking for limits::kWaitlistHoldS.
Status BookingService::OfferFreed(storage::Session& session, std::int64_t community_id,
                                  std::int64_t card_id, std::int64_t start_s, std::int64_t end_s,
                                  std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(auto waiters, repo::Waiting(session, community_id, card_id, start_s, end_s,
                                                     kWaitersTriedMax));
  if (waiters.empty()) return Ok();
  LINLI_ASSIGN_OR_RETURN(auto context, LoadContext(session, card_id));
  for (auto& wait : waiters) {
    if (wait.start_s < now_s) {  // the window has begun: nothing to offer any more
      wait.status = WaitStatus::kExpired;
      LINLI_TRY(repo::UpdateWait(session, wait));
      continue;
    }
    CreateRequest request{card_id, Kind::kBooking, wait.start_s, wait.end_s, "", std::nullopt};
    auto held = Insert(session, Actor::System(), context, request, wait.user_id,
                       BookingStatus::kHeld, now_s);
    if (!held) {
      if (held.error().reason == "slot_taken") continue;
      return held.error();
    }
    wait.status = WaitStatus::kOffered;
    wait.booking_id = held->id;
    LINLI_TRY(repo::UpdateWait(session, wait));
    LINLI_TRY(Tell(session, *held, wait.user_id, "booking.waitlist.offered",
                   "候补到位：请在 15 分钟内确认预约"));
  }
  return Ok();
}

// Validates the window against the card's rules (not capacity).
Status BookingService::CheckWindow(const Context& context, const CreateRequest& request,
                                   std::int64_t now_s) {
  const Settings& s = context.settings;
  if (request.end_s <= request.start_s) {
    return InvalidFieldError(request.kind == Kind::kLoan ? "due_s" : "end_s", "out_of_range",
                             "the end must be after the start");
  }
  if (request.start_s < now_s - kStartSlackS) {
    return PreconditionError("in_the_past", "the booking would start in the past");
  }
  if (request.start_s > now_s + limits::kBookingHorizonSMax) {
    return PreconditionError("too_far_ahead", "bookings open at most 366 days ahead");
  }
  const std::int64_t duration = request.end_s - request.start_s;
  if (duration < s.min_duration_s || duration > s.max_duration_s) {
    return PreconditionError("duration_out_of_range",
                             fmt::format("this card is booked for {} to {} minutes",
                                         s.min_duration_s / 60, s.max_duration_s / 60));
  }
  // Loans run for days: the weekly windows say when spaces and people are available.
  if (request.kind == Kind::kBooking &&
      !WindowsCover(context.zone, s.windows, request.start_s, request.end_s)) {
    return PreconditionError("outside_windows", "the card is not bookable at that time");
  }
  if (BlackoutOverlapping(s.blackouts, request.start_s, request.end_s) != nullptr) {
    return PreconditionError("blacked_out", "the card is closed for part of that time");
  }
  return Ok();
}

// Takes a free unit and inserts the booking with `status` (held, requested or confirmed).
Result<Booking> BookingService::Insert(storage::Session& session, const Actor& actor,
                                       const Context& context, const CreateRequest& request,
                                       std::int64_t booker_user_id, BookingStatus status,
                                       std::int64_t now_s) {
  const Settings& s = context.settings;
  const std::int64_t end_with_buffer = request.end_s + s.buffer_s;
  // Stored ranges carry the buffer after each booking, so an earlier booking's range already
  // ends a buffer before this one may start; checking [start, end + buffer) keeps exactly one
  // buffer on each side (the PostgreSQL exclusion constraint checks the same ranges).
  // Overlapping also extends older bookings to the current buffer when the setting grew.
  const std::int64_t check_from = request.start_s;
  LINLI_ASSIGN_OR_RETURN(
      auto occupied,
      repo::Overlapping(session, context.card.community_id, context.card.id, check_from,
                        end_with_buffer, context.max_span_s, s.buffer_s));
  const auto free = FreeUnits(occupied, context.capacity, check_from, end_with_buffer);
  if (free.empty()) return ConflictError("slot_taken", "that time is already booked");
  if (!context.stored) LINLI_TRY(repo::EnsureSettings(session, s));

  Booking booking;
  booking.community_id = context.card.community_id;
  booking.card_id = context.card.id;
  booking.kind = request.kind;
  booking.status = status;
  booking.booker_user_id = booker_user_id;
  booking.provider_user_id = context.card.owner_user_id;
  booking.start_s = request.start_s;
  booking.end_s = request.end_s;
  booking.unit = free.front();
  booking.price_fen = PriceFen(s.price_fen_per_hour, request.end_s - request.start_s);
  booking.points = s.points;
  booking.deposit_points = s.deposit_points;
  booking.note = request.note;
  booking.check_in_code = crypto::RandomToken(random_, kCheckInCodeBytes);
  booking.created_at = now_s;
  booking.updated_at = now_s;
  if (status == BookingStatus::kHeld) booking.hold_expires_at = now_s + limits::kWaitlistHoldS;
  LINLI_ASSIGN_OR_RETURN(booking.id, repo::InsertBooking(session, booking));

  // On PostgreSQL a concurrent transaction may have taken a unit this snapshot saw free: the
  // exclusion constraint refuses it and the next free unit is tried.
  bool placed = false;
  for (const std::int64_t unit : free) {
    booking.unit = unit;
    LINLI_ASSIGN_OR_RETURN(placed, repo::InsertSlot(session, booking, end_with_buffer));
    if (placed) break;
  }
  if (!placed) return ConflictError("slot_taken", "that time was booked a moment ago");
  if (end_with_buffer - request.start_s > context.max_span_s) {
    LINLI_TRY(repo::GrowMaxSpan(session, booking.community_id, booking.card_id,
                                end_with_buffer - request.start_s));
  }
  if (status == BookingStatus::kConfirmed) LINLI_TRY(Confirm(session, booking, now_s));
  if (booking.unit != free.front() || booking.price_hold_id || booking.deposit_hold_id ||
      booking.confirmed_at) {
    LINLI_TRY(repo::UpdateBooking(session, booking));
  }
  LINLI_TRY(resources_.RecordActivity(session, booking.community_id, booking.card_id));
  LINLI_TRY(Audit(session, actor, booking,
                  booking.kind == Kind::kLoan ? "booking.loan.create" : "booking.create"));
  if (status == BookingStatus::kRequested && booking.provider_user_id) {
    LINLI_TRY(Tell(session, booking, *booking.provider_user_id, "booking.requested",
                   "有新的预约申请待审批"));
  }
  return booking;
}

// ---------------------------------------------------------------------------------------------
// Settings and availability

Result<SettingsView> BookingService::GetSettings(const Actor& actor, std::int64_t card_id) {
  LINLI_ASSIGN_OR_RETURN(auto card, resources_.Get(actor, card_id));
  const TimeZone zone = ZoneOf(card.community_id);
  LINLI_ASSIGN_OR_RETURN(auto context, store_.ReadValue([&](storage::Session& session) {
    return LoadContext(session, card_id);
  }));
  return SettingsView{std::move(context.settings), context.capacity, zone.name(), context.stored,
                      resources::CanManage(actor, card)};
}

Result<SettingsView> BookingService::PutSettings(const Actor& actor, std::int64_t card_id,
                                                 Settings settings,
                                                 std::optional<std::int64_t> if_version) {
  LINLI_ASSIGN_OR_RETURN(auto visible, resources_.Get(actor, card_id));
  if (!resources::CanManage(actor, visible)) return NotFoundError();
  if (auto errors = Validate(settings); !errors.empty()) {
    std::string detail = "invalid booking settings:";
    for (const auto& e : errors) detail += " " + e.field + " (" + e.reason + ")";
    return Error{Errc::kInvalidArgument, "invalid_field", detail, std::move(errors)};
  }
  const TimeZone zone = ZoneOf(visible.community_id);
  LINLI_ASSIGN_OR_RETURN(
      auto context, store_.WriteValue([&](storage::Session& session) -> Result<Context> {
        LINLI_ASSIGN_OR_RETURN(auto context, LoadContext(session, card_id));
        if (if_version && *if_version != context.settings.version) {
          return ConflictError("version_mismatch",
                               "the settings changed since you loaded them; reload and retry");
        }
        settings.community_id = context.card.community_id;
        settings.card_id = card_id;
        settings.version = context.settings.version + 1;
        settings.updated_at = clock_.NowEpochS();
        std::sort(settings.blackouts.begin(), settings.blackouts.end(),
                  [](const Blackout& a, const Blackout& b) { return a.start_s < b.start_s; });
        LINLI_TRY(repo::SaveSettings(session, settings));
        auto draft = audit::DraftFor(actor, context.card.community_id, "booking.settings.update",
                                     "resource", std::to_string(card_id));
        draft.details = fmt::format(R"({{"version":{}}})", settings.version);
        LINLI_TRY(audit_.Append(session, draft));
        context.settings = settings;
        context.stored = true;
        context.capacity = CapacityOf(settings, context.card);
        return context;
      }));
  return SettingsView{std::move(context.settings), context.capacity, zone.name(), true, true};
}

Result<FreeBusy> BookingService::Availability(const Actor& actor, std::int64_t card_id,
                                              std::int64_t from_s, std::int64_t to_s) {
  if (to_s <= from_s) return InvalidFieldError("to", "out_of_range", "to must be after from");
  if (to_s - from_s > limits::kBookingRangeSMax) {
    return PreconditionError("range_too_long", "ask for at most 62 days at a time");
  }
  LINLI_ASSIGN_OR_RETURN(auto card, resources_.Get(actor, card_id));
  const TimeZone zone = ZoneOf(card.community_id);
  return store_.ReadValue([&](storage::Session& session) -> Result<FreeBusy> {
    LINLI_ASSIGN_OR_RETURN(auto context, LoadContext(session, card_id));
    FreeBusy out;
    out.card_id = card_id;
    out.timezone = zone.name();
    out.capacity = context.capacity;
    out.from_s = from_s;
    out.to_s = to_s;
    out.open = OpenIntervals(zone, context.settings.windows, from_s, to_s);
    LINLI_ASSIGN_OR_RETURN(out.busy,
                           repo::Overlapping(session, card.community_id, card_id, from_s, to_s,
                                             context.max_span_s, context.settings.buffer_s));
    out.full = FullIntervals(out.busy, context.capacity, from_s, to_s);
    for (const auto& b : context.settings.blackouts) {
      if (b.start_s < to_s && b.end_s > from_s) out.blackouts.push_back(b);
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Create

Result<Booking> BookingService::CreateInSession(storage::Session& session, const Actor& actor,
                                                const CreateRequest& request,
                                                std::int64_t booker_user_id,
                                                const std::string& request_hash, bool& replayed) {
  const std::int64_t now_s = clock_.NowEpochS();
  replayed = false;
  LINLI_ASSIGN_OR_RETURN(auto context, LoadContext(session, request.card_id));
  context.zone = ZoneOf(context.card.community_id);  // cached before the write
  if (request.idempotency_key) {
    LINLI_ASSIGN_OR_RETURN(auto seen,
                           repo::FindIdempotency(session, context.card.community_id, booker_user_id,
                                                 *request.idempotency_key));
    if (seen) {
      if (seen->request_hash != request_hash) {
        return PreconditionError("idempotency_key_reused",
                                 "this Idempotency-Key was used for a different request");
      }
      LINLI_ASSIGN_OR_RETURN(auto first, repo::FindBooking(session, seen->booking_id));
      if (!first) return NotFoundError();
      replayed = true;
      return std::move(*first);
    }
  }
  if (context.card.lifecycle != resources::Lifecycle::kListed ||
      context.card.availability == resources::Availability::kMaintenance) {
    return PreconditionError("card_unavailable", "this card cannot be booked now");
  }
  if (request.kind == Kind::kLoan) {
    if (context.card.content.kind != resources::Kind::kGoods) {
      return PreconditionError("not_lendable", "only goods are lent");
    }
    LINLI_ASSIGN_OR_RETURN(auto overdue, repo::HasOverdueLoan(session, booker_user_id, now_s));
    if (overdue) {
      return PreconditionError("loan_overdue", "return your overdue loan before borrowing again");
    }
  }
  LINLI_TRY(CheckWindow(context, request, now_s));
  const BookingStatus status =
      context.settings.requires_approval ? BookingStatus::kRequested : BookingStatus::kConfirmed;
  LINLI_ASSIGN_OR_RETURN(auto booking,
                         Insert(session, actor, context, request, booker_user_id, status, now_s));
  if (request.idempotency_key) {
    LINLI_ASSIGN_OR_RETURN(
        auto stored,
        repo::InsertIdempotency(session, booking.community_id, booker_user_id,
                                *request.idempotency_key, request_hash, booking.id, now_s));
    // A concurrent retry with the same key committed first: start over and return its result.
    if (!stored) return ConflictError(std::string(kRetryReason), "idempotency key race");
  }
  return booking;
}

Result<Created> BookingService::Create(const Actor& actor, const CreateRequest& request) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t booker, Person(actor));
  LINLI_TRY(CheckText("note", request.note));
  if (request.idempotency_key &&
      (request.idempotency_key->empty() ||
       request.idempotency_key->size() > limits::kIdempotencyKeyBytesMax)) {
    return InvalidFieldError("Idempotency-Key", "out_of_range");
  }
  // Visibility (and the zone cache) before the write: the write itself reads the card again.
  LINLI_ASSIGN_OR_RETURN(auto card, resources_.Get(actor, request.card_id));
  ZoneOf(card.community_id);
  const std::string hash = RequestHash(request, booker);
  for (int attempt = 1;; ++attempt) {
    bool replayed = false;
    auto booking = store_.WriteValue([&](storage::Session& session) {
      return CreateInSession(session, actor, request, booker, hash, replayed);
    });
    if (booking) return Created{std::move(*booking), replayed};
    const auto& reason = booking.error().reason;
    const bool retry = reason == kRetryReason || reason == "exclusion_violation";
    if (!retry) return booking.error();
    if (attempt >= limits::kBookingWriteAttemptsMax) {
      return ConflictError("slot_taken", "that time was booked a moment ago");
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

Result<std::optional<Booking>> BookingService::FindForActor(const Actor& actor, std::int64_t id) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(auto booking, store_.ReadValue([&](storage::Session& session) {
    return repo::FindBooking(session, id);
  }));
  return booking;
}

Result<BookingView> BookingService::View(const Actor& actor, const Booking& booking) {
  BookingView view;
  view.booking = booking;
  view.is_booker = booking.booker_user_id == EffectiveUser(actor) && !actor.api_key_id;
  if (auto card = resources_.Get(Actor::System(), booking.card_id)) {
    view.card_title = card->content.title;
    view.can_manage = resources::CanManage(actor, *card);
  }
  view.overdue = booking.kind == Kind::kLoan && booking.status == BookingStatus::kCheckedIn &&
                 booking.end_s <= clock_.NowEpochS();
  if (!view.is_booker && !view.can_manage && !actor.system) return NotFoundError();
  return view;
}

Result<Page<BookingView>> BookingService::Views(const Actor& actor, Page<Booking> page) {
  Page<BookingView> out;
  out.next = page.next;
  std::map<std::int64_t, std::optional<resources::Card>> cards;
  const std::int64_t now_s = clock_.NowEpochS();
  for (auto& booking : page.items) {
    auto& card = cards[booking.card_id];
    if (!card) {
      if (auto found = resources_.Get(Actor::System(), booking.card_id)) card = std::move(*found);
    }
    BookingView view;
    view.is_booker = booking.booker_user_id == EffectiveUser(actor);
    view.can_manage = card && resources::CanManage(actor, *card);
    view.card_title = card ? card->content.title : "";
    view.overdue = booking.kind == Kind::kLoan && booking.status == BookingStatus::kCheckedIn &&
                   booking.end_s <= now_s;
    view.booking = std::move(booking);
    out.items.push_back(std::move(view));
  }
  return out;
}

Result<BookingView> BookingService::Get(const Actor& actor, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto booking, FindForActor(actor, id));
  if (!booking) return NotFoundError();
  return View(actor, *booking);
}

Result<Page<BookingView>> BookingService::Mine(const Actor& actor, const repo::ListFilter& filter,
                                               const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  LINLI_ASSIGN_OR_RETURN(auto found, store_.ReadValue([&](storage::Session& session) {
    return repo::OfBooker(session, user, filter, page);
  }));
  return Views(actor, std::move(found));
}

Result<Page<BookingView>> BookingService::Incoming(const Actor& actor,
                                                   const repo::ListFilter& filter,
                                                   const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  LINLI_ASSIGN_OR_RETURN(auto found, store_.ReadValue([&](storage::Session& session) {
    return repo::OfProvider(session, user, filter, page);
  }));
  return Views(actor, std::move(found));
}

Result<std::string> BookingService::CheckInCode(const Actor& actor, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  LINLI_ASSIGN_OR_RETURN(auto booking, FindForActor(actor, id));
  if (!booking || booking->booker_user_id != user) return NotFoundError();
  return booking->check_in_code;
}

// ---------------------------------------------------------------------------------------------
// Transitions

Result<BookingView> BookingService::Mutate(const Actor& actor, std::int64_t id,
                                           std::string_view action, const Step& step) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_ASSIGN_OR_RETURN(
      auto booking, store_.WriteValue([&](storage::Session& session) -> Result<Booking> {
        LINLI_ASSIGN_OR_RETURN(auto found, repo::FindBooking(session, id));
        if (!found) return NotFoundError();
        Booking booking = std::move(*found);
        LINLI_ASSIGN_OR_RETURN(auto card, resources_.GetInSession(session, booking.card_id));
        if (!card) return NotFoundError();
        const bool booker = booking.booker_user_id == EffectiveUser(actor) && !actor.api_key_id;
        if (!booker && !resources::CanManage(actor, *card)) return NotFoundError();
        LINLI_TRY(step(session, *card, booking));
        booking.updated_at = clock_.NowEpochS();
        booking.version += 1;
        LINLI_TRY(repo::UpdateBooking(session, booking));
        LINLI_TRY(Audit(session, actor, booking, action));
        return booking;
      }));
  return View(actor, booking);
}

Result<BookingView> BookingService::Approve(const Actor& actor, std::int64_t id) {
  return Mutate(actor, id, "booking.approve",
                [&](storage::Session& session, const resources::Card& card, Booking& b) -> Status {
                  if (!resources::CanManage(actor, card)) return NotFoundError();
                  if (b.status != BookingStatus::kRequested)
                    return IllegalTransition(b, "approved");
                  LINLI_TRY(Confirm(session, b, clock_.NowEpochS()));
                  return Tell(session, b, b.booker_user_id, "booking.approved", "预约已通过");
                });
}

Result<BookingView> BookingService::Decline(const Actor& actor, std::int64_t id,
                                            const std::string& reason) {
  LINLI_TRY(CheckText("reason", reason));
  return Mutate(actor, id, "booking.decline",
                [&](storage::Session& session, const resources::Card& card, Booking& b) -> Status {
                  if (!resources::CanManage(actor, card)) return NotFoundError();
                  if (b.status != BookingStatus::kRequested)
                    return IllegalTransition(b, "declined");
                  b.reason = reason;
                  LINLI_TRY(Finish(session, b, BookingStatus::kDeclined, clock_.NowEpochS()));
                  return Tell(session, b, b.booker_user_id, "booking.declined", "预约未通过");
                });
}

Result<BookingView> BookingService::Cancel(const Actor& actor, std::int64_t id,
                                           const std::string& reason) {
  LINLI_TRY(CheckText("reason", reason));
  return Mutate(actor, id, "booking.cancel",
                [&](storage::Session& session, const resources::Card& card, Booking& b) -> Status {
                  if (b.status != BookingStatus::kHeld && b.status != BookingStatus::kRequested &&
                      b.status != BookingStatus::kConfirmed) {
                    return IllegalTransition(b, "cancelled");
                  }
                  const std::int64_t now_s = clock_.NowEpochS();
                  const bool by_booker = b.booker_user_id == EffectiveUser(actor);
                  if (by_booker && b.status == BookingStatus::kConfirmed) {
                    LINLI_ASSIGN_OR_RETURN(auto stored,
                                           repo::FindSettings(session, b.community_id, b.card_id));
                    const std::int64_t cutoff =
                        stored ? stored->settings.cancel_cutoff_s : Settings{}.cancel_cutoff_s;
                    b.late = now_s > b.start_s - cutoff;
                  }
                  b.reason = reason;
                  LINLI_TRY(Finish(session, b, BookingStatus::kCancelled, now_s));
                  const std::int64_t other =
                      by_booker ? b.provider_user_id.value_or(0) : b.booker_user_id;
                  (void)card;
                  return Tell(session, b, other, "booking.cancelled", "预约已取消");
                });
}

Result<BookingView> BookingService::CheckIn(const Actor& actor, std::int64_t id) {
  return Mutate(actor, id, "booking.check_in",
                [&](storage::Session&, const resources::Card&, Booking& b) -> Status {
                  if (b.status != BookingStatus::kConfirmed)
                    return IllegalTransition(b, "checked in");
                  const std::int64_t now_s = clock_.NowEpochS();
                  if (now_s < b.start_s - kCheckInEarlyS) {
                    return PreconditionError("too_early", "check-in opens 15 minutes before");
                  }
                  if (now_s >= b.end_s) return PreconditionError("too_late", "the booking ended");
                  b.status = BookingStatus::kCheckedIn;
                  b.checked_in_at = now_s;
                  return Ok();
                });
}

Result<BookingView> BookingService::CheckInByCode(const Actor& actor, const std::string& code) {
  LINLI_TRY(RequireSignedIn(actor));
  if (!actor.current_community_id) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto found, store_.ReadValue([&](storage::Session& session) {
    return repo::FindByCode(session, *actor.current_community_id, code);
  }));
  if (!found) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto card, resources_.Get(Actor::System(), found->card_id));
  if (!resources::CanManage(actor, card)) return NotFoundError();
  return CheckIn(actor, found->id);
}

Result<BookingView> BookingService::Complete(const Actor& actor, std::int64_t id,
                                             const std::string& condition_notes) {
  LINLI_TRY(CheckText("condition_notes", condition_notes));
  return Mutate(actor, id, "booking.complete",
                [&](storage::Session& session, const resources::Card& card, Booking& b) -> Status {
                  // The lender confirms a loan's return and its condition.
                  if (b.kind == Kind::kLoan && !resources::CanManage(actor, card)) {
                    return NotFoundError();
                  }
                  if (b.status != BookingStatus::kCheckedIn)
                    return IllegalTransition(b, "completed");
                  const std::int64_t now_s = clock_.NowEpochS();
                  b.condition_notes = condition_notes;
                  b.late = b.kind == Kind::kLoan && now_s > b.end_s;
                  LINLI_TRY(Finish(session, b, BookingStatus::kCompleted, now_s));
                  return Tell(session, b, b.booker_user_id, "booking.completed",
                              b.kind == Kind::kLoan ? "借用物品已归还" : "预约已完成");
                });
}

Result<BookingView> BookingService::Accept(const Actor& actor, std::int64_t id) {
  return Mutate(actor, id, "booking.accept",
                [&](storage::Session& session, const resources::Card&, Booking& b) -> Status {
                  if (b.booker_user_id != EffectiveUser(actor)) return NotFoundError();
                  if (b.status != BookingStatus::kHeld) return IllegalTransition(b, "accepted");
                  const std::int64_t now_s = clock_.NowEpochS();
                  if (b.hold_expires_at && now_s >= *b.hold_expires_at) {
                    return PreconditionError("hold_expired", "the offer expired");
                  }
                  LINLI_ASSIGN_OR_RETURN(auto stored,
                                         repo::FindSettings(session, b.community_id, b.card_id));
                  const bool approval = stored && stored->settings.requires_approval;
                  b.hold_expires_at.reset();
                  if (approval) {
                    b.status = BookingStatus::kRequested;
                  } else {
                    LINLI_TRY(Confirm(session, b, now_s));
                  }
                  LINLI_ASSIGN_OR_RETURN(auto wait, repo::WaitOfBooking(session, b.id));
                  if (wait) {
                    wait->status = WaitStatus::kAccepted;
                    LINLI_TRY(repo::UpdateWait(session, *wait));
                  }
                  return Ok();
                });
}

// ---------------------------------------------------------------------------------------------
// Waitlist

Result<WaitlistEntry> BookingService::JoinWaitlist(const Actor& actor, std::int64_t card_id,
                                                   std::int64_t start_s, std::int64_t end_s) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  LINLI_ASSIGN_OR_RETURN(auto card, resources_.Get(actor, card_id));
  const TimeZone zone = ZoneOf(card.community_id);
  return store_.WriteValue([&](storage::Session& session) -> Result<WaitlistEntry> {
    const std::int64_t now_s = clock_.NowEpochS();
    LINLI_ASSIGN_OR_RETURN(auto context, LoadContext(session, card_id));
    context.zone = zone;
    if (context.card.lifecycle != resources::Lifecycle::kListed) {
      return PreconditionError("card_unavailable", "this card cannot be booked now");
    }
    LINLI_TRY(
        CheckWindow(context, {card_id, Kind::kBooking, start_s, end_s, "", std::nullopt}, now_s));
    LINLI_ASSIGN_OR_RETURN(auto mine,
                           repo::WaitsOfUser(session, user, limits::kWaitlistPerUserMax + 1));
    std::size_t active = 0;
    for (const auto& w : mine) {
      if (w.status != WaitStatus::kWaiting) continue;
      ++active;
      if (w.card_id == card_id && w.start_s < end_s && w.end_s > start_s) {
        return ConflictError("already_waiting", "you already wait for this time");
      }
    }
    if (active >= limits::kWaitlistPerUserMax) {
      return PreconditionError("waitlist_full", "you wait for too many slots already");
    }
    WaitlistEntry entry;
    entry.community_id = context.card.community_id;
    entry.card_id = card_id;
    entry.user_id = user;
    entry.start_s = start_s;
    entry.end_s = end_s;
    entry.created_at = now_s;
    LINLI_ASSIGN_OR_RETURN(entry.id, repo::InsertWait(session, entry));
    auto draft = audit::DraftFor(actor, entry.community_id, "booking.waitlist.join", "waitlist",
                                 std::to_string(entry.id));
    draft.details = fmt::format(R"({{"card_id":{}}})", card_id);
    LINLI_TRY(audit_.Append(session, draft));
    return entry;
  });
}

Result<WaitlistEntry> BookingService::LeaveWaitlist(const Actor& actor, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  return store_.WriteValue([&](storage::Session& session) -> Result<WaitlistEntry> {
    LINLI_ASSIGN_OR_RETURN(auto entry, repo::FindWait(session, id));
    if (!entry || entry->user_id != user) return NotFoundError();
    if (entry->status != WaitStatus::kWaiting) {
      return ConflictError("illegal_transition",
                           fmt::format("a {} entry cannot be left", Name(entry->status)));
    }
    entry->status = WaitStatus::kLeft;
    LINLI_TRY(repo::UpdateWait(session, *entry));
    LINLI_TRY(
        audit_.Append(session, audit::DraftFor(actor, entry->community_id, "booking.waitlist.leave",
                                               "waitlist", std::to_string(entry->id))));
    return *entry;
  });
}

Result<std::vector<WaitlistEntry>> BookingService::MyWaitlist(const Actor& actor) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  return store_.ReadValue(
      [&](storage::Session& session) { return repo::WaitsOfUser(session, user, 100); });
}

// ---------------------------------------------------------------------------------------------
// Tidal parking and earnings

Result<std::vector<ParkingSpot>> BookingService::SearchParking(const Actor& actor,
                                                               std::int64_t from_s,
                                                               std::int64_t to_s) {
  LINLI_TRY(RequireSignedIn(actor));
  if (to_s <= from_s) return InvalidFieldError("to", "out_of_range", "to must be after from");
  if (to_s - from_s > limits::kBookingRangeSMax) {
    return PreconditionError("range_too_long", "ask for at most 62 days at a time");
  }
  std::vector<resources::Card> candidates;
  std::set<std::int64_t> seen;
  for (const char* tag : {"车位", "parking"}) {
    resources::SearchRequest search;
    search.tags = {tag};
    search.kind = resources::Kind::kSpace;
    search.limit = static_cast<int>(limits::kParkingSearchCardsMax);
    LINLI_ASSIGN_OR_RETURN(auto page, resources_.Search(actor, search));
    for (auto& item : page.items) {
      if (seen.insert(item.card.id).second) candidates.push_back(std::move(item.card));
    }
  }
  std::vector<ParkingSpot> spots;
  const std::int64_t now_s = clock_.NowEpochS();
  for (const auto& card : candidates) {
    if (!IsParking(card)) continue;
    const TimeZone zone = ZoneOf(card.community_id);
    auto fits = store_.ReadValue([&](storage::Session& session)
                                     -> Result<std::optional<ParkingSpot>> {
      LINLI_ASSIGN_OR_RETURN(auto context, LoadContext(session, card.id));
      context.zone = zone;
      if (context.card.availability == resources::Availability::kMaintenance) {
        return std::optional<ParkingSpot>{};
      }
      if (!CheckWindow(context, {card.id, Kind::kBooking, from_s, to_s, "", std::nullopt}, now_s)) {
        return std::optional<ParkingSpot>{};
      }
      const std::int64_t end = to_s + context.settings.buffer_s;
      const std::int64_t begin = from_s;  // the same ranges Insert checks
      LINLI_ASSIGN_OR_RETURN(auto occupied,
                             repo::Overlapping(session, card.community_id, card.id, begin, end,
                                               context.max_span_s, context.settings.buffer_s));
      if (FreeUnits(occupied, context.capacity, begin, end).empty()) {
        return std::optional<ParkingSpot>{};
      }
      return std::optional<ParkingSpot>{
          ParkingSpot{context.card, context.settings.price_fen_per_hour,
                      PriceFen(context.settings.price_fen_per_hour, to_s - from_s)}};
    });
    if (!fits) return fits.error();
    if (*fits) spots.push_back(std::move(**fits));
  }
  std::stable_sort(spots.begin(), spots.end(), [](const ParkingSpot& a, const ParkingSpot& b) {
    return a.price_fen < b.price_fen;
  });
  return spots;
}

Result<Earnings> BookingService::EarningsOf(const Actor& actor, std::int64_t from_s,
                                            std::int64_t to_s) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  if (to_s <= from_s) return InvalidFieldError("to", "out_of_range", "to must be after from");
  if (to_s - from_s > limits::kBookingHorizonSMax) {
    return PreconditionError("range_too_long", "ask for at most 366 days at a time");
  }
  LINLI_ASSIGN_OR_RETURN(auto completed, store_.ReadValue([&](storage::Session& session) {
    return repo::CompletedOfProvider(session, user, from_s, to_s, 10000);
  }));
  std::map<std::pair<std::int64_t, std::string>, EarningsLine> lines;
  Earnings out;
  for (const auto& b : completed) {
    const auto local = ZoneOf(b.community_id).ToLocal(b.finished_at.value_or(b.end_s));
    const std::string month = fmt::format("{:04}-{:02}", local.date.year, local.date.month);
    auto& line = lines[{b.card_id, month}];
    line.card_id = b.card_id;
    line.month = month;
    line.bookings += 1;
    line.price_fen += b.price_fen;
    line.points += b.points;
    out.total_fen += b.price_fen;
    out.total_points += b.points;
  }
  for (auto& [key, line] : lines) {
    if (auto card = resources_.Get(Actor::System(), line.card_id)) {
      line.card_title = card->content.title;
    }
    out.lines.push_back(std::move(line));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Calendar feeds

Result<std::string> BookingService::NewFeedToken(const Actor& actor) {
  LINLI_ASSIGN_OR_RETURN(const std::int64_t user, Person(actor));
  const std::int64_t community = actor.current_community_id.value_or(0);
  std::string token = crypto::RandomToken(random_, kFeedTokenBytes);
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    LINLI_TRY(repo::SaveFeedToken(session, {user, community}, crypto::Sha256Hex(token),
                                  clock_.NowEpochS()));
    return audit_.Append(session, audit::DraftFor(actor, community, "booking.feed_token.create",
                                                  "user", std::to_string(user)));
  }));
  return token;
}

Result<std::string> BookingService::BookingsFeed(const std::string& token) {
  const std::int64_t now_s = clock_.NowEpochS();
  std::vector<Booking> bookings;
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto owner, repo::OwnerOfFeedToken(session, crypto::Sha256Hex(token)));
    if (!owner) return NotFoundError();
    PageRequest page{static_cast<int>(limits::kCalendarEventsMax), std::nullopt};
    LINLI_ASSIGN_OR_RETURN(auto found, repo::OfBooker(session, owner->user_id, {}, page));
    for (auto& b : found.items) {
      if (b.end_s >= now_s - kFeedPastS && b.start_s <= now_s + kFeedFutureS) {
        bookings.push_back(std::move(b));
      }
    }
    return Ok();
  }));
  std::vector<CalendarEvent> events;
  std::map<std::int64_t, std::string> titles;
  for (const auto& b : bookings) {
    auto& title = titles[b.card_id];
    if (title.empty()) {
      if (auto card = resources_.Get(Actor::System(), b.card_id)) title = card->content.title;
    }
    CalendarEvent event;
    event.uid = fmt::format("booking-{}@linli", b.id);
    event.start_s = b.start_s;
    event.end_s = b.end_s;
    event.stamp_s = b.updated_at;
    event.summary = (b.kind == Kind::kLoan ? "借用：" : "预约：") + title;
    event.description = b.note;
    event.cancelled = !HoldsSlot(b.status) && b.status != BookingStatus::kCompleted &&
                      b.status != BookingStatus::kNoShow;
    event.sequence = b.version;
    events.push_back(std::move(event));
  }
  return RenderCalendar("-//Linli//Bookings//ZH", "我的预约 My bookings", events);
}

Result<std::string> BookingService::CardFeed(const std::string& token, std::int64_t card_id) {
  const std::int64_t now_s = clock_.NowEpochS();
  std::optional<repo::FeedOwner> owner;
  LINLI_TRY(store_.Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(owner, repo::OwnerOfFeedToken(session, crypto::Sha256Hex(token)));
    return Ok();
  }));
  if (!owner) return NotFoundError();
  auto card = resources_.Get(Actor::System(), card_id);
  if (!card) return NotFoundError();
  const bool own = card->owner_user_id == owner->user_id;
  const bool visible =
      card->community_id == owner->community_id && card->lifecycle == resources::Lifecycle::kListed;
  if (!own && !visible) return NotFoundError();
  LINLI_ASSIGN_OR_RETURN(auto bookings, store_.ReadValue([&](storage::Session& session) {
    return repo::OfCard(session, card->community_id, card_id, now_s - kFeedPastS,
                        now_s + kFeedFutureS, limits::kCalendarEventsMax);
  }));
  std::vector<CalendarEvent> events;
  for (const auto& b : bookings) {
    CalendarEvent event;
    event.uid = fmt::format("booking-{}@linli", b.id);
    event.start_s = b.start_s;
    event.end_s = b.end_s;
    event.stamp_s = b.updated_at;
    event.summary = b.kind == Kind::kLoan ? "已借出 Lent" : "已预约 Booked";  // no personal data
    event.sequence = b.version;
    events.push_back(std::move(event));
  }
  return RenderCalendar("-//Linli//Card schedule//ZH", card->content.title, events);
}

// ---------------------------------------------------------------------------------------------
// Jobs

Result<JobReport> BookingService::RunJobs(std::int64_t now_s) {
  JobReport report;
  const Actor system = Actor::System();
  const auto batch = limits::kBookingJobBatchMax;
  // Each pass is one transaction; a failure leaves the rest for the next run.
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    // No-shows: confirmed bookings not checked in within the grace period.
    LINLI_ASSIGN_OR_RETURN(
        auto started, repo::NoShowCandidates(session, now_s, Settings{}.no_show_grace_s, batch));
    std::map<std::pair<std::int64_t, std::int64_t>, Settings> settings;
    const auto settings_of = [&](const Booking& b) -> Result<Settings> {
      auto key = std::make_pair(b.community_id, b.card_id);
      if (auto found = settings.find(key); found != settings.end()) return found->second;
      LINLI_ASSIGN_OR_RETURN(auto stored, repo::FindSettings(session, b.community_id, b.card_id));
      Settings s = stored ? stored->settings : Settings{};
      settings.emplace(key, s);
      return s;
    };
    for (auto& b : started) {
      LINLI_ASSIGN_OR_RETURN(auto s, settings_of(b));
      if (b.kind == Kind::kLoan || now_s < b.start_s + s.no_show_grace_s) continue;
      LINLI_TRY(Finish(session, b, BookingStatus::kNoShow, now_s));
      b.updated_at = now_s;
      b.version += 1;
      LINLI_TRY(repo::UpdateBooking(session, b));
      LINLI_TRY(Audit(session, system, b, "booking.no_show"));
      LINLI_TRY(Tell(session, b, b.booker_user_id, "booking.no_show", "预约未签到，已自动释放"));
      ++report.no_shows;
    }
    // Waitlist offers not accepted in time pass to the next in line (Finish offers).
    LINLI_ASSIGN_OR_RETURN(auto held, repo::HeldExpired(session, now_s, batch));
    for (auto& b : held) {
      LINLI_TRY(Finish(session, b, BookingStatus::kExpired, now_s));
      b.updated_at = now_s;
      b.version += 1;
      LINLI_TRY(repo::UpdateBooking(session, b));
      LINLI_TRY(Audit(session, system, b, "booking.hold_expired"));
      ++report.holds_expired;
    }
    // Reminders before the start (bookings) or the due time (loans).
    LINLI_ASSIGN_OR_RETURN(auto upcoming, repo::DueForReminder(session, now_s, batch));
    for (auto& b : upcoming) {
      LINLI_ASSIGN_OR_RETURN(auto s, settings_of(b));
      const std::int64_t at = b.status == BookingStatus::kCheckedIn ? b.end_s : b.start_s;
      if (at - now_s > s.reminder_lead_s) continue;
      b.reminded_at = now_s;
      LINLI_TRY(repo::UpdateBooking(session, b));
      LINLI_TRY(Tell(session, b, b.booker_user_id, "booking.reminder",
                     b.kind == Kind::kLoan ? "借用物品即将到期，请按时归还" : "预约即将开始"));
      ++report.reminded;
    }
    // Overdue loans: the borrower and the lender are told once; new loans are blocked.
    LINLI_ASSIGN_OR_RETURN(auto overdue, repo::NewlyOverdue(session, now_s, batch));
    for (auto& b : overdue) {
      b.overdue_at = now_s;
      LINLI_TRY(repo::UpdateBooking(session, b));
      LINLI_TRY(Audit(session, system, b, "booking.loan.overdue"));
      LINLI_TRY(
          Tell(session, b, b.booker_user_id, "booking.loan.overdue", "借用物品已逾期，请尽快归还"));
      LINLI_TRY(Tell(session, b, b.provider_user_id.value_or(0), "booking.loan.overdue",
                     "借出的物品已逾期未还"));
      ++report.overdue;
    }
    // A loan still out keeps blocking its unit: its slot (which ended at the due time) is
    // extended to kOverdueLoanBlockS ahead, re-extended when half of that is left, until the
    // lender records the return (Finish deletes the slot).
    LINLI_ASSIGN_OR_RETURN(
        auto out,
        repo::OverdueLoansToExtend(session, now_s, now_s + limits::kOverdueLoanBlockS / 2, batch));
    for (const auto& b : out) {
      LINLI_ASSIGN_OR_RETURN(auto span,
                             repo::ExtendSlot(session, b.id, now_s + limits::kOverdueLoanBlockS));
      if (span > 0) LINLI_TRY(repo::GrowMaxSpan(session, b.community_id, b.card_id, span));
    }
    // Bookings (not loans) checked in and ended complete by themselves (check-out).
    LINLI_ASSIGN_OR_RETURN(auto ended, repo::EndedCheckedIn(session, Kind::kBooking, now_s, batch));
    for (auto& b : ended) {
      LINLI_TRY(Finish(session, b, BookingStatus::kCompleted, now_s));
      b.updated_at = now_s;
      b.version += 1;
      LINLI_TRY(repo::UpdateBooking(session, b));
      LINLI_TRY(Audit(session, system, b, "booking.complete"));
      ++report.auto_completed;
    }
    return Ok();
  }));
  return report;
}

std::string_view Name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kCompleted: return "completed";
    case OutcomeKind::kNoShow: return "no_show";
    case OutcomeKind::kReturnedOnTime: return "returned_on_time";
    case OutcomeKind::kReturnedLate: return "returned_late";
    case OutcomeKind::kCancelledLate: return "cancelled_late";
  }
  return "completed";
}

}  // namespace linli::booking
