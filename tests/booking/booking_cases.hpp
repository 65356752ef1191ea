#pragma once
// Booking's use cases, written once and run on every backend: booking_test.cpp (SQLite) and
// booking_pgtest.cpp (PostgreSQL) each define OpenCaseStore(). The suite is named by
// BOOKING_CASES so the backends' tests have different names in ctest.
#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "audit/service.hpp"
#include "booking/service.hpp"
#include "core/crypto.hpp"
#include "notify/service.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"
#include "storage/store.hpp"

#ifndef BOOKING_CASES
#define BOOKING_CASES BookingTest
#endif

namespace linli::booking {

struct CaseStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};
CaseStore OpenCaseStore();

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 24 * kHour;

// A test escrow keeping balances in a map (the ledger module provides the real one): it
// records every hold, settlement and release so the tests can check booking's calls.
class MapEscrow final : public Escrow {
 public:
  Result<std::int64_t> Hold(storage::Session&, std::int64_t, std::int64_t payer, std::int64_t payee,
                            std::int64_t points, std::string_view) override {
    std::lock_guard lock(mutex_);
    if (balance[payer] < points) {
      return PreconditionError("insufficient_points", "not enough points");
    }
    balance[payer] -= points;
    holds[++next_] = {payer, payee, points};
    return next_;
  }
  Status Settle(storage::Session&, std::int64_t hold_id, std::int64_t to_payee) override {
    std::lock_guard lock(mutex_);
    auto held = holds.at(hold_id);
    holds.erase(hold_id);
    balance[held.payee] += to_payee;
    balance[held.payer] += held.points - to_payee;
    return Ok();
  }
  Status Release(storage::Session&, std::int64_t hold_id) override {
    std::lock_guard lock(mutex_);
    auto held = holds.at(hold_id);
    holds.erase(hold_id);
    balance[held.payer] += held.points;
    return Ok();
  }
  struct Held {
    std::int64_t payer, payee, points;
  };
  std::map<std::int64_t, std::int64_t> balance;
  std::map<std::int64_t, Held> holds;

 private:
  std::mutex mutex_;
  std::int64_t next_ = 0;
};

class RecordingSink final : public OutcomeSink {
 public:
  Status Record(storage::Session&, const Outcome& outcome) override {
    std::lock_guard lock(mutex_);
    kinds.push_back(std::string(Name(outcome.kind)));
    return Ok();
  }
  std::vector<std::string> kinds;

 private:
  std::mutex mutex_;
};

class BOOKING_CASES : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    ASSERT_NE(store_, nullptr);
    const Actor system = Actor::System();
    community_ = accounts_
                     .EnsureCommunity(
                         system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai", std::nullopt})
                     .value();
    owner_ = Member("owner");
    alice_ = Member("alice");
    bob_ = Member("bob");
    room_ = Card("room", resources::Kind::kSpace, 1);
    drills_ = Card("drills", resources::Kind::kGoods, 3);
    // Bookings start on a day well ahead, at 10:00 local time.
    const auto zone = TimeZone::Default();
    day_ = zone.ToLocal(clock_.NowEpochS()).date.day + 3;
    base_ = zone.ToUtc(day_, 10 * 3600);
  }

  Actor Member(const std::string& login) {
    std::int64_t id = 0;
    EXPECT_TRUE(store_->Write([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(
          auto row, session.QueryOne("INSERT INTO users (login, display_name, password_hash, "
                                     "status, created_at) VALUES ($1, $1, 'x', 'active', 0) "
                                     "RETURNING id",
                                     {login}));
      id = row->Int(0);
      return Ok();
    }));
    Actor actor;
    actor.user_id = id;
    actor.roles_by_community[community_] = {Role::kResident};
    actor.current_community_id = community_;
    return actor;
  }

  std::int64_t Card(const std::string& ref, resources::Kind kind, std::int64_t quantity,
                    std::vector<std::string> tags = {}) {
    resources::CardContent content;
    content.kind = kind;
    content.title = "测试 " + ref;
    content.description = "booking test card";
    content.tags = std::move(tags);
    if (kind == resources::Kind::kGoods) {
      content.attributes.quantity = quantity;
      content.attributes.condition = resources::Condition::kGood;
    }
    resources::SeedCard seed{ref, owner_.user_id, content, resources::Lifecycle::kListed,
                             resources::Availability::kAvailable};
    EXPECT_TRUE(resources_.EnsureCards(Actor::System(), community_, {seed}));
    std::int64_t id = 0;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT id FROM resource_cards WHERE "
                                                        "ref = $1",
                                                        {ref}));
      id = row->Int(0);
      return Ok();
    }));
    return id;
  }

  Result<Created> Book(const Actor& who, std::int64_t card, std::int64_t start, std::int64_t end,
                       std::optional<std::string> key = std::nullopt, Kind kind = Kind::kBooking) {
    return service_.Create(who, {card, kind, start, end, "", std::move(key)});
  }

  Settings Put(std::int64_t card, std::function<void(Settings&)> edit) {
    Settings s = service_.GetSettings(owner_, card).value().settings;
    edit(s);
    auto saved = service_.PutSettings(owner_, card, s, std::nullopt);
    EXPECT_TRUE(saved.has_value()) << (saved ? "" : saved.error().detail);
    return saved ? saved->settings : s;
  }

  std::int64_t SlotRows(std::int64_t card) {
    std::int64_t count = 0;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(
          auto row,
          session.QueryOne("SELECT COUNT(*) FROM booking_slots WHERE card_id = $1", {card}));
      count = row->Int(0);
      return Ok();
    }));
    return count;
  }

  struct Cleanup {
    std::function<void()> fn;
    ~Cleanup() {
      if (fn) fn();
    }
  } cleanup_;
  std::unique_ptr<storage::Store> store_ = Open();
  ManualClock clock_{1'790'000'000};
  SeededRandom random_{11};
  audit::AuditService audit_{*store_, clock_};
  accounts::AccountsService accounts_{*store_, audit_, clock_, random_};
  notify::NotifyService notify_{*store_, clock_};
  search::Index index_;
  resources::ResourcesService resources_{*store_, audit_, notify_, accounts_, index_, clock_};
  MapEscrow escrow_;
  RecordingSink outcomes_;
  BookingService service_{*store_, audit_,  notify_,  accounts_, resources_,
                          clock_,  random_, &escrow_, &outcomes_};
  std::int64_t community_ = 0, room_ = 0, drills_ = 0, day_ = 0, base_ = 0;
  Actor owner_, alice_, bob_;

 private:
  std::unique_ptr<storage::Store> Open() {
    auto opened = OpenCaseStore();
    cleanup_.fn = std::move(opened.cleanup);
    return std::move(opened.store);
  }
};

TEST_F(BOOKING_CASES, OneRoomNeverDoubleBookedAndBufferKeptFree) {
  auto first = Book(alice_, room_, base_, base_ + kHour);
  ASSERT_TRUE(first.has_value()) << first.error().detail;
  EXPECT_EQ(first->booking.status, BookingStatus::kConfirmed);
  auto overlap = Book(bob_, room_, base_ + kHour / 2, base_ + 2 * kHour);
  ASSERT_FALSE(overlap.has_value());
  EXPECT_EQ(overlap.error().reason, "slot_taken");
  // Half-open intervals: the next hour is free.
  EXPECT_TRUE(Book(bob_, room_, base_ + kHour, base_ + 2 * kHour).has_value());
  // With a 30-minute buffer, a booking right after the 11:00–12:00 one is refused.
  Put(room_, [](Settings& s) { s.buffer_s = 1800; });
  auto tight = Book(alice_, room_, base_ + 2 * kHour, base_ + 3 * kHour);
  ASSERT_FALSE(tight.has_value());
  EXPECT_EQ(tight.error().reason, "slot_taken");
  EXPECT_TRUE(Book(alice_, room_, base_ + 2 * kHour + 1800, base_ + 3 * kHour).has_value());
  // One buffer between bookings, not two: 15:30 follows the 14:30–15:00 booking.
  auto inside_buffer = Book(bob_, room_, base_ + 3 * kHour + 1200, base_ + 4 * kHour);
  ASSERT_FALSE(inside_buffer.has_value());
  EXPECT_EQ(inside_buffer.error().reason, "slot_taken");
  EXPECT_TRUE(Book(bob_, room_, base_ + 3 * kHour + 1800, base_ + 4 * kHour).has_value());
  EXPECT_EQ(SlotRows(room_), 4);
}

TEST_F(BOOKING_CASES, IdenticalGoodsLentUpToTheirQuantity) {
  for (int i = 0; i < 3; ++i) {
    auto loan =
        Book(i % 2 ? alice_ : bob_, drills_, base_, base_ + kDay, std::nullopt, Kind::kLoan);
    ASSERT_TRUE(loan.has_value()) << loan.error().detail;
    EXPECT_EQ(loan->booking.unit, i);
  }
  auto fourth = Book(alice_, drills_, base_, base_ + kDay, std::nullopt, Kind::kLoan);
  ASSERT_FALSE(fourth.has_value());
  EXPECT_EQ(fourth.error().reason, "slot_taken");
  auto cancelled = service_.Cancel(bob_, 1, "");
  ASSERT_TRUE(cancelled.has_value()) << cancelled.error().detail;
  EXPECT_TRUE(Book(alice_, drills_, base_, base_ + kDay, std::nullopt, Kind::kLoan).has_value());
}

TEST_F(BOOKING_CASES, WeeklyWindowsInTheCommunityZoneAndBlackouts) {
  // Every day 08:00–18:00 Asia/Shanghai.
  Put(room_, [&](Settings& s) {
    for (int d = 1; d <= 7; ++d) s.windows.push_back({d, 8 * 3600, 18 * 3600});
    s.blackouts.push_back(
        {base_ + 4 * kHour, base_ + 5 * kHour, BlackoutKind::kMaintenance, "检修"});
  });
  auto early = Book(alice_, room_, base_ - 3 * kHour, base_ - 2 * kHour);  // 07:00
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().reason, "outside_windows");
  auto late = Book(alice_, room_, base_ + 7 * kHour, base_ + 9 * kHour);  // 17:00–19:00
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().reason, "outside_windows");
  auto blackout = Book(alice_, room_, base_ + 4 * kHour, base_ + 5 * kHour);
  ASSERT_FALSE(blackout.has_value());
  EXPECT_EQ(blackout.error().reason, "blacked_out");
  auto day = Book(alice_, room_, base_ - 2 * kHour, base_ + 4 * kHour);  // 08:00–14:00
  ASSERT_TRUE(day.has_value()) << day.error().reason;
  auto free_busy = service_.Availability(bob_, room_, TimeZone::Default().DayStartUtc(day_),
                                         TimeZone::Default().DayStartUtc(day_ + 1));
  ASSERT_TRUE(free_busy.has_value());
  ASSERT_EQ(free_busy->open.size(), 1u);
  EXPECT_EQ(free_busy->open[0].start_s, base_ - 2 * kHour);
  ASSERT_EQ(free_busy->full.size(), 1u);
  EXPECT_EQ(free_busy->blackouts.size(), 1u);
}

TEST_F(BOOKING_CASES, IdempotencyKeyReturnsTheFirstResult) {
  auto first = Book(alice_, room_, base_, base_ + kHour, "key-1");
  ASSERT_TRUE(first.has_value());
  auto again = Book(alice_, room_, base_, base_ + kHour, "key-1");
  ASSERT_TRUE(again.has_value()) << again.error().reason;
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->booking.id, first->booking.id);
  auto other = Book(alice_, room_, base_ + kHour, base_ + 2 * kHour, "key-1");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().reason, "idempotency_key_reused");
  EXPECT_EQ(SlotRows(room_), 1);
}

TEST_F(BOOKING_CASES, ApprovalCheckInCompleteAndEscrow) {
  Put(room_, [](Settings& s) {
    s.requires_approval = true;
    s.points = 20;
    s.deposit_points = 50;
  });
  escrow_.balance[alice_.user_id] = 100;
  auto requested = Book(alice_, room_, base_, base_ + kHour).value().booking;
  EXPECT_EQ(requested.status, BookingStatus::kRequested);
  EXPECT_TRUE(escrow_.holds.empty());  // nothing held before confirmation
  auto by_booker = service_.Approve(alice_, requested.id);
  ASSERT_FALSE(by_booker.has_value());
  EXPECT_EQ(by_booker.error().reason, "not_found");
  auto approved = service_.Approve(owner_, requested.id);
  ASSERT_TRUE(approved.has_value()) << approved.error().detail;
  EXPECT_EQ(approved->booking.status, BookingStatus::kConfirmed);
  EXPECT_EQ(escrow_.balance[alice_.user_id], 30);
  EXPECT_EQ(escrow_.holds.size(), 2u);
  auto early = service_.CheckIn(alice_, requested.id);
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().reason, "too_early");
  clock_.Set(base_ - 600);
  ASSERT_TRUE(service_.CheckIn(alice_, requested.id).has_value());
  clock_.Set(base_ + kHour - 60);
  auto done = service_.Complete(alice_, requested.id, "干净整洁");
  ASSERT_TRUE(done.has_value()) << done.error().detail;
  EXPECT_EQ(done->booking.status, BookingStatus::kCompleted);
  EXPECT_EQ(escrow_.balance[alice_.user_id], 80);  // deposit back, price paid
  EXPECT_EQ(escrow_.balance[owner_.user_id], 20);
  EXPECT_EQ(outcomes_.kinds, std::vector<std::string>{"completed"});
  EXPECT_EQ(SlotRows(room_), 0);
  auto twice = service_.Complete(alice_, requested.id, "");
  ASSERT_FALSE(twice.has_value());
  EXPECT_EQ(twice.error().reason, "illegal_transition");
}

TEST_F(BOOKING_CASES, NoShowIsReleasedByTheJob) {
  auto booking = Book(alice_, room_, base_, base_ + 2 * kHour).value().booking;
  clock_.Set(base_ + 10 * 60);
  EXPECT_EQ(service_.RunJobs(clock_.NowEpochS()).value().no_shows, 0);  // within the grace
  clock_.Set(base_ + 20 * 60);
  EXPECT_EQ(service_.RunJobs(clock_.NowEpochS()).value().no_shows, 1);
  EXPECT_EQ(service_.Get(alice_, booking.id)->booking.status, BookingStatus::kNoShow);
  EXPECT_EQ(SlotRows(room_), 0);
  EXPECT_TRUE(Book(bob_, room_, base_ + kHour, base_ + 2 * kHour).has_value());
  EXPECT_EQ(outcomes_.kinds, std::vector<std::string>{"no_show"});
}

TEST_F(BOOKING_CASES, OverdueLoanBlocksNewLoansUntilReturned) {
  auto loan = Book(alice_, drills_, clock_.NowEpochS(), clock_.NowEpochS() + kDay, std::nullopt,
                   Kind::kLoan)
                  .value()
                  .booking;
  ASSERT_TRUE(service_.CheckIn(owner_, loan.id).has_value());  // handed over
  clock_.Advance(Seconds{2 * kDay});
  EXPECT_EQ(service_.RunJobs(clock_.NowEpochS()).value().overdue, 1);
  EXPECT_EQ(service_.RunJobs(clock_.NowEpochS()).value().overdue, 0);  // told once
  auto blocked = Book(alice_, drills_, clock_.NowEpochS(), clock_.NowEpochS() + kDay, std::nullopt,
                      Kind::kLoan);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().reason, "loan_overdue");
  auto by_borrower = service_.Complete(alice_, loan.id, "");
  ASSERT_FALSE(by_borrower.has_value());  // the lender records the return
  auto returned = service_.Complete(owner_, loan.id, "钻头少了一个");
  ASSERT_TRUE(returned.has_value());
  EXPECT_TRUE(returned->booking.late);
  EXPECT_EQ(returned->booking.condition_notes, "钻头少了一个");
  EXPECT_EQ(outcomes_.kinds, std::vector<std::string>{"returned_late"});
  EXPECT_TRUE(Book(alice_, drills_, clock_.NowEpochS(), clock_.NowEpochS() + kDay, std::nullopt,
                   Kind::kLoan)
                  .has_value());
}

TEST_F(BOOKING_CASES, OverdueLoanKeepsBlockingItsUnitUntilReturned) {
  Put(drills_, [](Settings& s) { s.capacity = 1; });
  const std::int64_t now = clock_.NowEpochS();
  auto loan = Book(alice_, drills_, now, now + kDay, std::nullopt, Kind::kLoan).value().booking;
  ASSERT_TRUE(service_.CheckIn(owner_, loan.id).has_value());  // handed over
  // A loan booked before the first one was late keeps its time: the extension stops there.
  auto later = Book(owner_, drills_, now + 4 * kDay, now + 5 * kDay, std::nullopt, Kind::kLoan);
  ASSERT_TRUE(later.has_value()) << later.error().detail;
  clock_.Advance(Seconds{kDay + 2 * kHour});
  // Before the job ran nothing knew; the job extends the overdue loan's slot.
  ASSERT_TRUE(service_.RunJobs(clock_.NowEpochS()).has_value());
  auto blocked = Book(bob_, drills_, clock_.NowEpochS() + kHour, clock_.NowEpochS() + 6 * kHour,
                      std::nullopt, Kind::kLoan);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().reason, "slot_taken");
  // Still out two days later: the job re-extends it, but never into the later loan.
  clock_.Advance(Seconds{2 * kDay});
  ASSERT_TRUE(service_.RunJobs(clock_.NowEpochS()).has_value());
  EXPECT_EQ(Book(bob_, drills_, clock_.NowEpochS() + kHour, clock_.NowEpochS() + 2 * kHour,
                 std::nullopt, Kind::kLoan)
                .error()
                .reason,
            "slot_taken");
  const auto free_busy =
      service_.Availability(owner_, drills_, clock_.NowEpochS(), clock_.NowEpochS() + 3 * kDay);
  ASSERT_TRUE(free_busy.has_value());
  for (const auto& a : free_busy->busy) {
    for (const auto& b : free_busy->busy) {
      if (&a != &b && a.unit == b.unit) {
        EXPECT_TRUE(a.end_s <= b.start_s || b.end_s <= a.start_s);
      }
    }
  }
  // Returned: the unit is free again at once.
  ASSERT_TRUE(service_.Complete(owner_, loan.id, "").has_value());
  EXPECT_TRUE(Book(bob_, drills_, clock_.NowEpochS() + kHour, clock_.NowEpochS() + 2 * kHour,
                   std::nullopt, Kind::kLoan)
                  .has_value());
}

TEST_F(BOOKING_CASES, WaitlistGetsATimedHoldOnAFreedSlot) {
  auto taken = Book(alice_, room_, base_, base_ + kHour).value().booking;
  auto wait = service_.JoinWaitlist(bob_, room_, base_, base_ + kHour);
  ASSERT_TRUE(wait.has_value()) << wait.error().detail;
  ASSERT_TRUE(service_.Cancel(alice_, taken.id, "有事").has_value());
  auto waits = service_.MyWaitlist(bob_).value();
  ASSERT_EQ(waits.size(), 1u);
  EXPECT_EQ(waits[0].status, WaitStatus::kOffered);
  ASSERT_TRUE(waits[0].booking_id);
  auto held = service_.Get(bob_, *waits[0].booking_id).value();
  EXPECT_EQ(held.booking.status, BookingStatus::kHeld);
  // Nobody else can take the held slot.
  EXPECT_EQ(Book(owner_, room_, base_, base_ + kHour).error().reason, "slot_taken");
  auto accepted = service_.Accept(bob_, held.booking.id);
  ASSERT_TRUE(accepted.has_value()) << accepted.error().detail;
  EXPECT_EQ(accepted->booking.status, BookingStatus::kConfirmed);
}

TEST_F(BOOKING_CASES, ExpiredHoldPassesToTheNextInLine) {
  auto taken = Book(alice_, room_, base_, base_ + kHour).value().booking;
  ASSERT_TRUE(service_.JoinWaitlist(bob_, room_, base_, base_ + kHour).has_value());
  ASSERT_TRUE(service_.JoinWaitlist(owner_, room_, base_, base_ + kHour).has_value());
  ASSERT_TRUE(service_.Cancel(alice_, taken.id, "").has_value());
  clock_.Advance(Seconds{16 * 60});
  EXPECT_EQ(service_.RunJobs(clock_.NowEpochS()).value().holds_expired, 1);
  auto next = service_.MyWaitlist(owner_).value();
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].status, WaitStatus::kOffered);
  EXPECT_EQ(service_.MyWaitlist(bob_).value()[0].status, WaitStatus::kExpired);
}

TEST_F(BOOKING_CASES, ConcurrentClientsRaceForOneSlotExactlyOneWins) {
  constexpr int kClients = 32;
  std::vector<Actor> people;
  for (int i = 0; i < kClients; ++i) people.push_back(Member("racer" + std::to_string(i)));
  std::atomic<int> won{0}, taken{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      auto result = Book(people[i], room_, base_, base_ + kHour);
      if (result) {
        ++won;
      } else if (result.error().reason == "slot_taken") {
        ++taken;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(taken.load(), kClients - 1);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(SlotRows(room_), 1);
}

TEST_F(BOOKING_CASES, StrangersSeeNothingAndApiKeysCannotBook) {
  auto booking = Book(alice_, room_, base_, base_ + kHour).value().booking;
  EXPECT_EQ(service_.Get(bob_, booking.id).error().reason, "not_found");
  EXPECT_EQ(service_.Cancel(bob_, booking.id, "").error().reason, "not_found");
  Actor key;
  key.api_key_id = 5;
  key.api_key_community_id = community_;
  key.scopes = {"resources:read"};
  EXPECT_EQ(Book(key, room_, base_ + kHour, base_ + 2 * kHour).error().reason, "forbidden");
}

TEST_F(BOOKING_CASES, TidalParkingSearchBookAndEarnings) {
  const std::int64_t spot = Card("spot", resources::Kind::kSpace, 1, {"车位"});
  ASSERT_TRUE(resources_.SyncIndex().has_value());
  Put(spot, [](Settings& s) {
    for (int d = 1; d <= 7; ++d) s.windows.push_back({d, 8 * 3600, 18 * 3600});
    s.price_fen_per_hour = 500;
  });
  auto spots = service_.SearchParking(alice_, base_, base_ + 2 * kHour).value();
  ASSERT_EQ(spots.size(), 1u);
  EXPECT_EQ(spots[0].price_fen, 1000);
  auto booking = Book(alice_, spot, base_, base_ + 2 * kHour).value().booking;
  EXPECT_EQ(booking.price_fen, 1000);
  EXPECT_TRUE(service_.SearchParking(bob_, base_, base_ + kHour).value().empty());
  clock_.Set(base_);
  ASSERT_TRUE(service_.CheckIn(alice_, booking.id).has_value());
  clock_.Set(base_ + 2 * kHour + 60);
  EXPECT_EQ(service_.RunJobs(clock_.NowEpochS()).value().auto_completed, 1);
  auto earnings = service_.EarningsOf(owner_, base_ - kDay, base_ + kDay).value();
  EXPECT_EQ(earnings.total_fen, 1000);
  ASSERT_EQ(earnings.lines.size(), 1u);
  EXPECT_EQ(earnings.lines[0].card_id, spot);
}

}  // namespace
}  // namespace linli::booking
