#pragma once
// Trust use cases, written once and run on every backend: trust_test.cpp (SQLite) and
// trust_pgtest.cpp (PostgreSQL) each define OpenCaseStore(). The suite is named by
// TRUST_CASES so the two backends' tests have different names in ctest.
//
// Points: the ledger is another module; these tests plug a small recording PointsPort into
// the service (RecordingPoints below) to check what trust asks the ledger to move, and that
// nothing moves when the port is absent or refuses.
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "core/sealed.hpp"
#include "notify/service.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"
#include "storage/store.hpp"
#include "trust/service.hpp"

#ifndef TRUST_CASES
#define TRUST_CASES TrustTest
#endif

namespace linli::trust {

struct CaseStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};
CaseStore OpenCaseStore();

namespace {

constexpr std::int64_t kDay = 24 * 3600;

struct PointsCall {
  std::string op;  // "reward" or "compensate"
  std::int64_t community_id = 0;
  std::int64_t from = 0;  // 0 for a reward
  std::int64_t to = 0;
  std::int64_t points = 0;
  std::string key;
};

// Records what trust asks the ledger to do; can be told to refuse (as a ledger would for
// insufficient points), which must roll the whole decision back.
class RecordingPoints final : public PointsPort {
 public:
  Status Reward(storage::Session&, std::int64_t community_id, std::int64_t user_id,
                std::int64_t points, std::string_view key) override {
    if (refuse) return PreconditionError("insufficient_points", "refused");
    calls.push_back({"reward", community_id, 0, user_id, points, std::string(key)});
    return Ok();
  }
  Status Compensate(storage::Session&, std::int64_t community_id, std::int64_t from_user_id,
                    std::int64_t to_user_id, std::int64_t points, std::string_view key) override {
    if (refuse) return PreconditionError("insufficient_points", "refused");
    calls.push_back(
        {"compensate", community_id, from_user_id, to_user_id, points, std::string(key)});
    return Ok();
  }
  std::vector<PointsCall> calls;
  bool refuse = false;
};

crypto::KeyRing TestKeys() {
  SeededRandom random(11);
  return crypto::KeyRing::Parse(crypto::KeyRing::GenerateEntry(1, random)).value();
}

class TRUST_CASES : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    ASSERT_NE(store_, nullptr) << "no store for this backend";
    const Actor system = Actor::System();
    sunshine_ = accounts_
                    .EnsureCommunity(
                        system, {"上海市", "阳光街道", "阳光社区", "Asia/Shanghai", std::nullopt})
                    .value();
    harmony_ = accounts_
                   .EnsureCommunity(
                       system, {"上海市", "阳光街道", "和谐社区", "Asia/Shanghai", std::nullopt})
                   .value();
    provider_ = Member("provider", sunshine_, {Role::kResident});
    consumer_ = Member("consumer", sunshine_, {Role::kResident});
    other_ = Member("other", sunshine_, {Role::kResident});
    committee_ = Member("committee", sunshine_, {Role::kCommittee});
    committee2_ = Member("committee2", sunshine_, {Role::kCommittee});
    guide_ = Member("guide", sunshine_, {Role::kGridWorker});
    staff_ = Member("staff", sunshine_, {Role::kPropertyStaff});
    outsider_ = Member("outsider", harmony_, {Role::kResident});
    service_.SetPointsPort(&points_);
    service_.SetListingLookup([this](const Actor& actor, std::int64_t card_id) -> Result<Listing> {
      LINLI_ASSIGN_OR_RETURN(auto card, resources_.Get(actor, card_id));
      return Listing{card.id, card.community_id, card.owner_user_id, card.content.title};
    });
    ASSERT_TRUE(resources_.RebuildIndex());
  }

  // Users are inserted directly: argon2 hashing would make every fixture slow.
  Actor Member(const std::string& login, std::int64_t community, std::vector<Role> roles) {
    std::int64_t id = 0;
    EXPECT_TRUE(store_->Write([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(
          auto row, session.QueryOne("INSERT INTO users (login, display_name, password_hash, "
                                     "status, created_at) VALUES ($1, $1, 'x', 'active', 0) "
                                     "RETURNING id",
                                     {login}));
      id = row->Int(0);
      for (Role role : roles) {
        LINLI_TRY(
            session.Execute("INSERT INTO memberships (community_id, user_id, role, "
                            "granted_at) VALUES ($1, $2, $3, 0)",
                            {community, id, std::string(RoleName(role))}));
      }
      return Ok();
    }));
    Actor actor;
    actor.user_id = id;
    actor.roles_by_community[community] = std::move(roles);
    actor.current_community_id = community;
    return actor;
  }

  ExchangeRecord Record(std::int64_t source_id, Outcome outcome = Outcome::kReturnedOnTime) {
    ExchangeRecord record;
    record.community_id = sunshine_;
    record.source = Source::kLoan;
    record.source_id = source_id;
    record.provider_user_id = provider_.user_id;
    record.consumer_user_id = consumer_.user_id;
    record.completed_at_s = clock_.NowEpochS();
    record.outcome = outcome;
    return record;
  }

  // Records an exchange as the booking module would: inside a write transaction.
  Status RecordExchange(const ExchangeRecord& record) {
    return store_->Write(
        [&](storage::Session& session) { return service_.RecordExchange(session, record); });
  }

  ExchangeView Exchanged(std::int64_t source_id, Outcome outcome = Outcome::kReturnedOnTime) {
    EXPECT_TRUE(RecordExchange(Record(source_id, outcome)));
    auto mine = service_.MyExchanges(consumer_, {20, std::nullopt}).value();
    for (const auto& view : mine.items) {
      if (view.exchange.record.source_id == source_id) return view;
    }
    auto as_provider = service_.MyExchanges(provider_, {20, std::nullopt}).value();
    EXPECT_FALSE(as_provider.items.empty());
    return as_provider.items.front();
  }

  // The caller's open slot for the exchange.
  std::int64_t SlotOf(const Actor& actor, std::int64_t exchange_id) {
    auto view = service_.GetExchange(actor, exchange_id);
    EXPECT_TRUE(view.has_value());
    EXPECT_TRUE(view->my_rating.has_value());
    return view->my_rating ? view->my_rating->id : 0;
  }

  std::int64_t ListedCard(const Actor& owner) {
    resources::CardContent content;
    content.kind = resources::Kind::kGoods;
    content.title = "九成新婴儿车";
    content.description = "可折叠，周末可借。";
    content.tags = {"婴儿车"};
    content.location.lat = 31.18;
    content.location.lon = 121.43;
    auto card = resources_.Create(owner, 0, content);
    EXPECT_TRUE(card.has_value()) << card.error().detail;
    EXPECT_TRUE(resources_.Submit(owner, card->id));
    EXPECT_TRUE(resources_.Approve(committee_, card->id, ""));
    return card->id;
  }

  std::vector<std::string> NotificationsOf(const Actor& actor) {
    std::vector<std::string> kinds;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(
          auto rows, session.Query("SELECT kind FROM notifications WHERE user_id = $1 AND kind "
                                   "LIKE 'trust.%' ORDER BY id",
                                   {actor.user_id}));
      for (const auto& row : rows) kinds.push_back(row.Text(0));
      return Ok();
    }));
    return kinds;
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto rows,
                             session.Query("SELECT action FROM audit_log WHERE action LIKE "
                                           "'trust.%' ORDER BY community_id, seq"));
      for (const auto& row : rows) actions.push_back(row.Text(0));
      return Ok();
    }));
    return actions;
  }

  std::int64_t Count(const std::string& table) {
    std::int64_t count = 0;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT COUNT(*) FROM " + table));
      count = row->Int(0);
      return Ok();
    }));
    return count;
  }

  std::int64_t ScoreOfUser(const Actor& actor) {
    return service_.MyCredit(actor, sunshine_).value().score;
  }

  // Declared first, so it runs last: after the store and everything using it are gone.
  struct Cleanup {
    std::function<void()> fn;
    ~Cleanup() {
      if (fn) fn();
    }
  } cleanup_;
  std::unique_ptr<storage::Store> store_ = Open();
  ManualClock clock_{1'790'000'000};
  SeededRandom random_{7};
  crypto::KeyRing keys_ = TestKeys();
  audit::AuditService audit_{*store_, clock_};
  accounts::AccountsService accounts_{*store_, audit_, clock_, random_};
  notify::NotifyService notify_{*store_, clock_};
  search::Index index_;
  resources::ResourcesService resources_{*store_, audit_, notify_, accounts_, index_, clock_};
  RecordingPoints points_;
  TrustService service_{*store_, audit_, notify_, clock_, random_, keys_};
  std::int64_t sunshine_ = 0, harmony_ = 0;
  Actor provider_, consumer_, other_, committee_, committee2_, guide_, staff_, outsider_;

 private:
  std::unique_ptr<storage::Store> Open() {
    auto opened = OpenCaseStore();
    cleanup_.fn = std::move(opened.cleanup);
    return std::move(opened.store);
  }
};

// --- Exchanges and blind ratings ------------------------------------------------------------

TEST_F(TRUST_CASES, RecordingAnExchangeOpensTwoSlotsAndIsIdempotent) {
  ASSERT_TRUE(RecordExchange(Record(41)));
  ASSERT_TRUE(RecordExchange(Record(41)));  // a retry of the same report
  EXPECT_EQ(Count("trust_exchanges"), 1);
  EXPECT_EQ(Count("trust_ratings"), 2);
  EXPECT_EQ(Count("trust_credit_events"), 1);
  // The same source id with other facts is a conflict, and changes nothing.
  auto changed = Record(41, Outcome::kNoShow);
  auto status = RecordExchange(changed);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().reason, "exchange_mismatch");
  EXPECT_EQ(Count("trust_credit_events"), 1);

  auto pending = service_.PendingRatings(consumer_, {20, std::nullopt}).value();
  ASSERT_EQ(pending.items.size(), 1u);
  EXPECT_EQ(pending.items[0].ratee_user_id, provider_.user_id);
  EXPECT_EQ(pending.items[0].ratee_name, "provider");
  EXPECT_EQ(service_.PendingRatings(provider_, {20, std::nullopt})->items.size(), 1u);
  EXPECT_TRUE(service_.PendingRatings(other_, {20, std::nullopt})->items.empty());
  EXPECT_EQ(NotificationsOf(consumer_), std::vector<std::string>{"trust.rating.requested"});
  EXPECT_EQ(AuditActions(), std::vector<std::string>{"trust.exchange.record"});
}

TEST_F(TRUST_CASES, BadExchangeRecordsAreRejected) {
  auto same = Record(1);
  same.consumer_user_id = same.provider_user_id;
  auto status = RecordExchange(same);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().reason, "invalid_field");
  auto no_source = Record(0);
  EXPECT_EQ(RecordExchange(no_source).error().reason, "invalid_field");
  EXPECT_EQ(Count("trust_exchanges"), 0);
}

TEST_F(TRUST_CASES, RatingsStayHiddenUntilBothSidesRatedThenPublishTogether) {
  auto exchange = Exchanged(7);
  const std::int64_t id = exchange.exchange.id;
  auto given = service_.Rate(consumer_, SlotOf(consumer_, id), 5, "很准时，东西很好用").value();
  EXPECT_EQ(given.stars, 5);
  EXPECT_FALSE(given.published_at.has_value());

  // Nobody but the rater sees it: not the ratee's exchange view, not the public list.
  EXPECT_FALSE(service_.GetExchange(provider_, id)->their_rating.has_value());
  EXPECT_TRUE(service_.RatingsReceived(other_, sunshine_, provider_.user_id, {20, std::nullopt})
                  ->items.empty());
  EXPECT_TRUE(service_.RatingsReceived(provider_, sunshine_, 0, {20, std::nullopt})->items.empty());
  EXPECT_EQ(service_.Summary(sunshine_, provider_.user_id)->rating_count, 0);
  // The rater sees their own.
  ASSERT_EQ(service_.RatingsGiven(consumer_, {20, std::nullopt})->items.size(), 1u);
  EXPECT_EQ(service_.GetExchange(consumer_, id)->my_rating->stars, 5);

  clock_.Advance(Seconds{3600});
  auto second = service_.Rate(provider_, SlotOf(provider_, id), 4, "").value();
  EXPECT_EQ(second.published_at, clock_.NowEpochS());

  // Both published at the same moment.
  auto provider_view = service_.GetExchange(provider_, id).value();
  ASSERT_TRUE(provider_view.their_rating.has_value());
  EXPECT_EQ(provider_view.their_rating->stars, 5);
  EXPECT_EQ(provider_view.their_rating->comment, "很准时，东西很好用");
  EXPECT_EQ(provider_view.their_rating->published_at, clock_.NowEpochS());
  EXPECT_EQ(service_.GetExchange(consumer_, id)->their_rating->stars, 4);
  auto received =
      service_.RatingsReceived(other_, sunshine_, provider_.user_id, {20, std::nullopt}).value();
  ASSERT_EQ(received.items.size(), 1u);
  auto summary = service_.Summary(sunshine_, provider_.user_id).value();
  EXPECT_EQ(summary.rating_count, 1);
  EXPECT_DOUBLE_EQ(summary.rating_average, 5.0);
  // A 5-star rating received counts for the provider's credit.
  EXPECT_EQ(ScoreOfUser(provider_), 81);
  EXPECT_TRUE(service_.PendingRatings(consumer_, {20, std::nullopt})->items.empty());
  auto kinds = NotificationsOf(provider_);
  EXPECT_EQ(kinds.back(), "trust.rating.published");
}

TEST_F(TRUST_CASES, TheReviewWindowEndPublishesWhatWasGivenAndClosesTheRest) {
  auto exchange = Exchanged(8);
  const std::int64_t id = exchange.exchange.id;
  const std::int64_t provider_slot = SlotOf(provider_, id);
  ASSERT_TRUE(service_.Rate(consumer_, SlotOf(consumer_, id), 1, "没按时到"));
  clock_.Advance(Seconds{13 * kDay});
  EXPECT_EQ(service_.PublishDue(clock_.NowEpochS()).value(), 0);
  EXPECT_FALSE(service_.GetExchange(provider_, id)->their_rating.has_value());

  clock_.Advance(Seconds{kDay});  // the 14-day window ends
  // Public at once on read, even before the job runs.
  EXPECT_EQ(service_.GetExchange(provider_, id)->their_rating->stars, 1);
  EXPECT_EQ(service_.PublishDue(clock_.NowEpochS()).value(), 1);
  EXPECT_EQ(service_.PublishDue(clock_.NowEpochS()).value(), 0);
  auto late = service_.Rate(provider_, provider_slot, 5, "");
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error().reason, "review_closed");
  EXPECT_TRUE(service_.PendingRatings(provider_, {20, std::nullopt})->items.empty());
  // The poor rating counted against the provider.
  EXPECT_EQ(ScoreOfUser(provider_), 78);
}

TEST_F(TRUST_CASES, RatingChecksTheSlotTheStarsAndTheComment) {
  auto exchange = Exchanged(9);
  const std::int64_t slot = SlotOf(consumer_, exchange.exchange.id);
  EXPECT_EQ(service_.Rate(consumer_, slot, 0, "").error().reason, "invalid_field");
  EXPECT_EQ(service_.Rate(consumer_, slot, 6, "").error().reason, "invalid_field");
  EXPECT_EQ(service_.Rate(consumer_, slot, 3, std::string(limits::kRatingCommentBytesMax + 1, 'x'))
                .error()
                .reason,
            "invalid_field");
  // Someone else's slot is not found, for a stranger and for the other party alike.
  EXPECT_EQ(service_.Rate(other_, slot, 3, "").error().reason, "not_found");
  EXPECT_EQ(service_.Rate(provider_, slot, 3, "").error().reason, "not_found");
  ASSERT_TRUE(service_.Rate(consumer_, slot, 3, ""));
  EXPECT_EQ(service_.Rate(consumer_, slot, 4, "").error().reason, "already_rated");
  EXPECT_EQ(service_.GetExchange(consumer_, exchange.exchange.id)->my_rating->stars, 3);
  EXPECT_EQ(service_.GetExchange(other_, exchange.exchange.id).error().reason, "not_found");
}

TEST_F(TRUST_CASES, BothPartiesRatingAtOncePublishExactlyOnce) {
  auto exchange = Exchanged(10);
  const std::int64_t id = exchange.exchange.id;
  const std::int64_t consumer_slot = SlotOf(consumer_, id);
  const std::int64_t provider_slot = SlotOf(provider_, id);
  std::atomic<int> ok{0};
  std::thread a([&] { ok += service_.Rate(consumer_, consumer_slot, 5, "").has_value() ? 1 : 0; });
  std::thread b([&] { ok += service_.Rate(provider_, provider_slot, 5, "").has_value() ? 1 : 0; });
  a.join();
  b.join();
  EXPECT_EQ(ok.load(), 2);
  auto view = service_.GetExchange(consumer_, id).value();
  ASSERT_TRUE(view.exchange.published_at.has_value());
  ASSERT_TRUE(view.their_rating.has_value());
  EXPECT_EQ(view.their_rating->published_at, view.my_rating->published_at);
  // One publication: one audit entry and one "published" message each.
  std::int64_t publications = 0;
  for (const auto& action : AuditActions()) publications += action == "trust.ratings.publish";
  EXPECT_EQ(publications, 1);
}

TEST_F(TRUST_CASES, ANoShowOpensOnlyTheProvidersSlotAndCostsTheConsumer) {
  auto exchange = Exchanged(11, Outcome::kNoShow);
  EXPECT_EQ(Count("trust_ratings"), 1);
  EXPECT_TRUE(service_.PendingRatings(consumer_, {20, std::nullopt})->items.empty());
  ASSERT_TRUE(service_.Rate(provider_, SlotOf(provider_, exchange.exchange.id), 2, ""));
  // Every slot given: published at once; no-show −10, poor rating −2.
  EXPECT_EQ(ScoreOfUser(consumer_), 68);
  EXPECT_EQ(ScoreOfUser(provider_), 80);
}

// --- Credit -------------------------------------------------------------------------------------

TEST_F(TRUST_CASES, TheCreditHistoryIsThePersonsAndStaffSeeOnlyTheScore) {
  ASSERT_TRUE(RecordExchange(Record(1, Outcome::kReturnedOnTime)));
  clock_.Advance(Seconds{kDay});
  ASSERT_TRUE(RecordExchange(Record(2, Outcome::kReturnedLate)));
  clock_.Advance(Seconds{kDay});
  ASSERT_TRUE(RecordExchange(Record(3, Outcome::kNoShow)));
  auto mine = service_.MyCredit(consumer_, 0).value();
  EXPECT_EQ(mine.score, 80 + 2 - 5 - 10);
  EXPECT_EQ(mine.level, Level::kFair);
  ASSERT_EQ(mine.events.size(), 3u);
  EXPECT_EQ(mine.events[0].kind, CreditKind::kNoShow);  // newest first
  EXPECT_EQ(mine.events[2].kind, CreditKind::kOnTime);
  EXPECT_FALSE(mine.ambassador.active);

  auto seen_by_staff = service_.CreditOf(guide_, sunshine_, consumer_.user_id).value();
  EXPECT_EQ(seen_by_staff.score, mine.score);
  EXPECT_TRUE(seen_by_staff.events.empty());
  EXPECT_EQ(service_.CreditOf(other_, sunshine_, consumer_.user_id).error().reason, "not_found");
  EXPECT_EQ(service_.CreditOf(outsider_, sunshine_, consumer_.user_id).error().reason, "not_found");
  // The summary's score is for staff and the person only.
  EXPECT_FALSE(service_.SummaryFor(other_, sunshine_, consumer_.user_id)->credit_visible);
  EXPECT_TRUE(service_.SummaryFor(staff_, sunshine_, consumer_.user_id)->credit_visible);
  EXPECT_TRUE(service_.SummaryFor(consumer_, sunshine_, 0)->credit_visible);
  EXPECT_EQ(service_.SummaryFor(outsider_, sunshine_, consumer_.user_id).error().reason,
            "not_found");
}

TEST_F(TRUST_CASES, AmbassadorAfterThreeMonthsWithoutADefault) {
  ASSERT_TRUE(RecordExchange(Record(1)));
  const std::int64_t first = clock_.NowEpochS();
  clock_.Advance(Seconds{89 * kDay});
  EXPECT_FALSE(service_.Summary(sunshine_, consumer_.user_id)->ambassador.active);
  clock_.Advance(Seconds{kDay});
  auto summary = service_.Summary(sunshine_, consumer_.user_id).value();
  EXPECT_TRUE(summary.ambassador.active);
  EXPECT_EQ(summary.ambassador.since, first + 90 * kDay);
  EXPECT_TRUE(service_.Summary(sunshine_, provider_.user_id)->ambassador.active);

  // A late return starts the clean period again.
  ASSERT_TRUE(RecordExchange(Record(2, Outcome::kReturnedLate)));
  const std::int64_t late = clock_.NowEpochS();
  EXPECT_FALSE(service_.Summary(sunshine_, consumer_.user_id)->ambassador.active);
  EXPECT_TRUE(service_.Summary(sunshine_, provider_.user_id)->ambassador.active);
  clock_.Advance(Seconds{90 * kDay});
  summary = service_.Summary(sunshine_, consumer_.user_id).value();
  EXPECT_TRUE(summary.ambassador.active);
  EXPECT_EQ(summary.ambassador.since, late + 90 * kDay);
  EXPECT_EQ(summary.exchange_count, 2);
}

// --- Reports of false listings --------------------------------------------------------------

TEST_F(TRUST_CASES, AnUpheldReportRewardsTheReporterAndCostsTheOwner) {
  const std::int64_t card = ListedCard(provider_);
  auto report = service_.OpenReport(consumer_, {card, ReportCategory::kFake, "根本没有这辆车"});
  ASSERT_TRUE(report.has_value()) << report.error().detail;
  EXPECT_EQ(report->card_owner_user_id, provider_.user_id);
  EXPECT_EQ(report->card_title, "九成新婴儿车");
  EXPECT_EQ(service_.OpenReport(consumer_, {card, ReportCategory::kFake, ""}).error().reason,
            "already_reported");
  EXPECT_EQ(service_.OpenReport(provider_, {card, ReportCategory::kFake, ""}).error().reason,
            "self_report");
  EXPECT_EQ(service_.OpenReport(consumer_, {999999, ReportCategory::kFake, ""}).error().reason,
            "not_found");

  // The queue is the committee's.
  EXPECT_EQ(
      service_.ReportQueue(other_, sunshine_, std::nullopt, {20, std::nullopt}).error().reason,
      "forbidden");
  auto queue =
      service_.ReportQueue(committee_, sunshine_, ReportStatus::kOpen, {20, std::nullopt}).value();
  ASSERT_EQ(queue.items.size(), 1u);
  EXPECT_EQ(service_.GetReport(other_, report->id).error().reason, "not_found");
  EXPECT_EQ(service_.GetReport(consumer_, report->id)->status, ReportStatus::kOpen);
  EXPECT_EQ(service_.DecideReport(other_, report->id, true, "核实").error().reason, "not_found");
  EXPECT_EQ(service_.DecideReport(committee_, report->id, true, " ").error().reason,
            "invalid_field");

  auto decided = service_.DecideReport(committee_, report->id, true, "上门核实，确无此物").value();
  EXPECT_EQ(decided.status, ReportStatus::kUpheld);
  EXPECT_EQ(decided.reward_points, 20);
  ASSERT_EQ(points_.calls.size(), 1u);
  EXPECT_EQ(points_.calls[0].op, "reward");
  EXPECT_EQ(points_.calls[0].to, consumer_.user_id);
  EXPECT_EQ(points_.calls[0].points, 20);
  EXPECT_EQ(points_.calls[0].key, "trust.report." + std::to_string(report->id) + ".reward");
  EXPECT_EQ(ScoreOfUser(provider_), 70);
  EXPECT_EQ(service_.DecideReport(committee_, report->id, false, "再看").error().reason,
            "illegal_transition");
  EXPECT_EQ(NotificationsOf(consumer_), std::vector<std::string>{"trust.report.decided"});
  EXPECT_EQ(NotificationsOf(provider_), std::vector<std::string>{"trust.report.upheld_against"});
  EXPECT_TRUE(service_.ReportQueue(committee_, sunshine_, ReportStatus::kOpen, {20, std::nullopt})
                  ->items.empty());
}

TEST_F(TRUST_CASES, DismissingMovesNothingAndUpholdingNeedsTheLedger) {
  const std::int64_t card = ListedCard(provider_);
  auto first = service_.OpenReport(consumer_, {card, ReportCategory::kMisleading, ""}).value();
  auto second = service_.OpenReport(other_, {card, ReportCategory::kUnavailable, ""}).value();
  auto dismissed = service_.DecideReport(committee_, first.id, false, "描述属实").value();
  EXPECT_EQ(dismissed.status, ReportStatus::kDismissed);
  EXPECT_EQ(dismissed.reward_points, 0);
  EXPECT_TRUE(points_.calls.empty());
  EXPECT_EQ(ScoreOfUser(provider_), 80);

  // A ledger that refuses rolls the decision back whole.
  points_.refuse = true;
  EXPECT_EQ(service_.DecideReport(committee_, second.id, true, "核实").error().reason,
            "insufficient_points");
  EXPECT_EQ(service_.GetReport(committee_, second.id)->status, ReportStatus::kOpen);
  EXPECT_EQ(ScoreOfUser(provider_), 80);
  // Without a ledger upholding is refused; dismissing still works.
  service_.SetPointsPort(nullptr);
  EXPECT_EQ(service_.DecideReport(committee_, second.id, true, "核实").error().reason,
            "points_unavailable");
  EXPECT_EQ(service_.GetReport(committee_, second.id)->status, ReportStatus::kOpen);
  // The owner, even as a committee member, does not decide on their own card.
  const std::int64_t own = ListedCard(committee2_);
  auto about_own = service_.OpenReport(consumer_, {own, ReportCategory::kFake, ""}).value();
  EXPECT_EQ(service_.DecideReport(committee2_, about_own.id, false, "x").error().reason,
            "self_review");
}

// --- Disputes ------------------------------------------------------------------------------------

TEST_F(TRUST_CASES, ADisputeIsMediatedAndResolvedWithCompensation) {
  auto exchange = Exchanged(21);
  auto dispute =
      service_.OpenDispute(consumer_, exchange.exchange.id, "电钻坏了，对方说是我弄坏的").value();
  EXPECT_EQ(dispute.status, DisputeStatus::kOpen);
  EXPECT_EQ(dispute.respondent_user_id, provider_.user_id);
  EXPECT_EQ(service_.OpenDispute(provider_, exchange.exchange.id, "我也有话说").error().reason,
            "dispute_exists");
  EXPECT_EQ(service_.GetDispute(other_, dispute.id).error().reason, "not_found");
  EXPECT_EQ(
      service_.DisputeQueue(other_, sunshine_, std::nullopt, {20, std::nullopt}).error().reason,
      "forbidden");
  ASSERT_EQ(service_.DisputeQueue(guide_, sunshine_, DisputeStatus::kOpen, {20, std::nullopt})
                ->items.size(),
            1u);
  EXPECT_EQ(service_.MyDisputes(provider_, {20, std::nullopt})->items.size(), 1u);

  // Resolving needs a mediator to take it first.
  EXPECT_EQ(service_.ResolveDispute(guide_, dispute.id, {DisputeOutcome::kDismissed, {}, 0, "x"})
                .error()
                .reason,
            "illegal_transition");
  EXPECT_EQ(service_.TakeDispute(consumer_, dispute.id).error().reason, "self_mediation");
  auto taken = service_.TakeDispute(guide_, dispute.id).value();
  EXPECT_EQ(taken.status, DisputeStatus::kInMediation);
  EXPECT_EQ(taken.mediator_user_id, guide_.user_id);
  EXPECT_EQ(service_.TakeDispute(committee_, dispute.id).error().reason, "illegal_transition");

  ASSERT_TRUE(service_.AddDisputeNote(provider_, dispute.id, "借出时是好的", false));
  ASSERT_TRUE(service_.AddDisputeNote(guide_, dispute.id, "双方说法不一，需看照片", true));
  EXPECT_EQ(service_.AddDisputeNote(provider_, dispute.id, "内部", true).error().reason,
            "forbidden");
  // Parties do not see the mediator's internal note; mediators do.
  auto as_party = service_.GetDispute(consumer_, dispute.id).value();
  ASSERT_EQ(as_party.timeline.size(), 3u);  // opened, taken, statement
  EXPECT_EQ(as_party.timeline[2].kind, DisputeEventKind::kStatement);
  EXPECT_EQ(service_.GetDispute(committee_, dispute.id)->timeline.size(), 4u);

  Resolution bad{DisputeOutcome::kCompensation, other_.user_id, 30, "赔偿"};
  EXPECT_EQ(service_.ResolveDispute(guide_, dispute.id, bad).error().reason, "invalid_field");
  Resolution missing{DisputeOutcome::kCompensation, std::nullopt, 30, "赔偿"};
  EXPECT_EQ(service_.ResolveDispute(guide_, dispute.id, missing).error().reason, "invalid_field");
  Resolution no_points{DisputeOutcome::kCompensation, provider_.user_id, 0, "赔偿"};
  EXPECT_EQ(service_.ResolveDispute(guide_, dispute.id, no_points).error().reason, "invalid_field");

  Resolution compensation{DisputeOutcome::kCompensation, provider_.user_id, 30,
                          "经调解，出借方承担维修费用，补偿 30 积分"};
  auto resolved = service_.ResolveDispute(guide_, dispute.id, compensation).value();
  EXPECT_EQ(resolved.status, DisputeStatus::kResolved);
  EXPECT_EQ(resolved.outcome, DisputeOutcome::kCompensation);
  ASSERT_EQ(points_.calls.size(), 1u);
  EXPECT_EQ(points_.calls[0].op, "compensate");
  EXPECT_EQ(points_.calls[0].from, provider_.user_id);
  EXPECT_EQ(points_.calls[0].to, consumer_.user_id);
  EXPECT_EQ(points_.calls[0].points, 30);
  EXPECT_EQ(ScoreOfUser(provider_), 80 - 15);
  EXPECT_EQ(service_.AddDisputeNote(consumer_, dispute.id, "谢谢", false).error().reason,
            "illegal_transition");
  // Both parties were told of each step they did not take themselves.
  auto consumer_kinds = NotificationsOf(consumer_);
  EXPECT_EQ(std::count(consumer_kinds.begin(), consumer_kinds.end(), "trust.dispute.resolved"), 1);
  EXPECT_EQ(std::count(consumer_kinds.begin(), consumer_kinds.end(), "trust.dispute.taken"), 1);
  EXPECT_EQ(std::count(consumer_kinds.begin(), consumer_kinds.end(), "trust.dispute.statement"), 1);
  EXPECT_EQ(std::count(consumer_kinds.begin(), consumer_kinds.end(), "trust.dispute.note"), 0);
  auto provider_kinds = NotificationsOf(provider_);
  EXPECT_EQ(std::count(provider_kinds.begin(), provider_kinds.end(), "trust.dispute.opened"), 1);
  auto actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "trust.dispute.resolve"), 1);
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "trust.dispute.note"), 2);
  // A resolved dispute lets a new one open about the same exchange.
  EXPECT_TRUE(service_.OpenDispute(provider_, exchange.exchange.id, "新的问题"));
}

TEST_F(TRUST_CASES, CreditDeductionReturnAndDismissalOutcomes) {
  auto first = Exchanged(31);
  auto d1 = service_.OpenDispute(provider_, first.exchange.id, "没还全配件").value();
  ASSERT_TRUE(service_.TakeDispute(committee_, d1.id));
  Resolution too_much{DisputeOutcome::kCreditDeduction, consumer_.user_id, 51, "扣分"};
  EXPECT_EQ(service_.ResolveDispute(committee_, d1.id, too_much).error().reason, "invalid_field");
  Resolution deduction{DisputeOutcome::kCreditDeduction, consumer_.user_id, 12, "扣信用分 12"};
  ASSERT_TRUE(service_.ResolveDispute(committee_, d1.id, deduction));
  EXPECT_EQ(ScoreOfUser(consumer_), 80 + 2 - 12);

  auto second = Exchanged(32);
  auto d2 = service_.OpenDispute(provider_, second.exchange.id, "还没还").value();
  ASSERT_TRUE(service_.TakeDispute(guide_, d2.id));
  Resolution with_points{DisputeOutcome::kReturn, consumer_.user_id, 5, "归还"};
  EXPECT_EQ(service_.ResolveDispute(guide_, d2.id, with_points).error().reason, "invalid_field");
  ASSERT_TRUE(service_.ResolveDispute(
      guide_, d2.id, {DisputeOutcome::kReturn, consumer_.user_id, 0, "三天内归还"}));
  EXPECT_EQ(ScoreOfUser(consumer_), 80 + 2 - 12 + 2 - 15);

  auto third = Exchanged(33);
  auto d3 = service_.OpenDispute(consumer_, third.exchange.id, "态度不好").value();
  ASSERT_TRUE(service_.TakeDispute(guide_, d3.id));
  // Without a ledger compensation is refused, but other outcomes do not need it.
  service_.SetPointsPort(nullptr);
  EXPECT_EQ(service_
                .ResolveDispute(guide_, d3.id,
                                {DisputeOutcome::kCompensation, provider_.user_id, 5, "补偿"})
                .error()
                .reason,
            "points_unavailable");
  auto dismissed =
      service_
          .ResolveDispute(guide_, d3.id,
                          {DisputeOutcome::kDismissed, provider_.user_id, 0, "属正常沟通"})
          .value();
  EXPECT_FALSE(dismissed.at_fault_user_id.has_value());
  EXPECT_EQ(ScoreOfUser(provider_), 80);
  EXPECT_TRUE(points_.calls.empty());
}

TEST_F(TRUST_CASES, DisputesOpenOnlyWithinTheWindowAndOnlyByAParty) {
  auto exchange = Exchanged(41);
  EXPECT_EQ(service_.OpenDispute(other_, exchange.exchange.id, "x").error().reason, "not_found");
  EXPECT_EQ(service_.OpenDispute(consumer_, exchange.exchange.id, " ").error().reason,
            "invalid_field");
  clock_.Advance(Seconds{31 * kDay});
  EXPECT_EQ(service_.OpenDispute(consumer_, exchange.exchange.id, "太晚了").error().reason,
            "dispute_window_closed");
  EXPECT_EQ(Count("trust_disputes"), 0);
}

// --- Verification --------------------------------------------------------------------------------

TEST_F(TRUST_CASES, VerificationsAreRecordedWithTheirNumberSealed) {
  VerificationInput input;
  input.community_id = sunshine_;
  input.user_id = provider_.user_id;
  input.kind = VerificationKind::kHealthCertificate;
  input.issuer = "徐汇区疾控中心";
  input.number = "JK-2026-778899";
  input.valid_until = clock_.NowEpochS() + 365 * kDay;
  EXPECT_EQ(service_.RecordVerification(other_, input).error().reason, "forbidden");
  EXPECT_EQ(service_.RecordVerification(outsider_, input).error().reason, "not_found");
  auto bad_user = input;
  bad_user.user_id = outsider_.user_id;
  EXPECT_EQ(service_.RecordVerification(staff_, bad_user).error().reason, "not_member");
  EXPECT_FALSE(service_.Summary(sunshine_, provider_.user_id)->verified);

  auto recorded = service_.RecordVerification(staff_, input).value();
  EXPECT_EQ(recorded.number, "JK-2026-778899");
  EXPECT_TRUE(service_.Summary(sunshine_, provider_.user_id)->verified);
  // Not stored in the clear.
  EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT number_sealed FROM "
                                                      "trust_verifications WHERE id = $1",
                                                      {recorded.id}));
    EXPECT_EQ(row->Bytes(0).find("778899"), std::string::npos);
    return Ok();
  }));
  auto own = service_.Verifications(provider_, sunshine_, 0).value();
  ASSERT_EQ(own.size(), 1u);
  EXPECT_EQ(own[0].number, "JK-2026-778899");
  EXPECT_EQ(service_.Verifications(committee_, sunshine_, provider_.user_id)->size(), 1u);
  EXPECT_EQ(service_.Verifications(other_, sunshine_, provider_.user_id).error().reason,
            "not_found");

  EXPECT_EQ(service_.RevokeVerification(other_, recorded.id).error().reason, "not_found");
  auto revoked = service_.RevokeVerification(committee_, recorded.id).value();
  EXPECT_TRUE(revoked.revoked_at.has_value());
  EXPECT_FALSE(service_.Summary(sunshine_, provider_.user_id)->verified);
  EXPECT_EQ(service_.RevokeVerification(committee_, recorded.id).error().reason,
            "illegal_transition");

  // An expiring record stops counting when it expires.
  input.number.reset();
  input.valid_until = clock_.NowEpochS() + kDay;
  ASSERT_TRUE(service_.RecordVerification(committee_, input));
  EXPECT_TRUE(service_.Summary(sunshine_, provider_.user_id)->verified);
  clock_.Advance(Seconds{kDay});
  EXPECT_FALSE(service_.Summary(sunshine_, provider_.user_id)->verified);
  auto actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "trust.verification.record"), 2);
}

TEST_F(TRUST_CASES, StaffRecordOfflineExchangesBetweenMembers) {
  auto record = Record(51, Outcome::kCompleted);
  record.source = Source::kService;
  EXPECT_EQ(service_.RecordExchangeAs(other_, record).error().reason, "forbidden");
  EXPECT_EQ(service_.RecordExchangeAs(staff_, record).error().reason, "forbidden");
  auto outsider = record;
  outsider.consumer_user_id = outsider_.user_id;
  EXPECT_EQ(service_.RecordExchangeAs(guide_, outsider).error().reason, "not_member");
  auto view = service_.RecordExchangeAs(guide_, record).value();
  EXPECT_EQ(view.exchange.record.source, Source::kService);
  EXPECT_EQ(view.provider_name, "provider");
  EXPECT_EQ(service_.PendingRatings(consumer_, {20, std::nullopt})->items.size(), 1u);
}

}  // namespace
}  // namespace linli::trust
