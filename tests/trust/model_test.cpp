// The credit rules, the score, levels and the ambassador level: pure functions.
#include "trust/model.hpp"

#include <gtest/gtest.h>

namespace linli::trust {
namespace {

constexpr std::int64_t kDay = 24 * 3600;

CreditEvent Event(CreditKind kind, std::int64_t at, std::int64_t id = 0, std::int64_t amount = 0) {
  CreditEvent event;
  event.kind = kind;
  event.at = at;
  event.id = id;
  event.amount = amount;
  return event;
}

TEST(CreditRulesTest, EachKindHasItsDocumentedDelta) {
  const CreditRules& rules = CurrentRules();
  EXPECT_EQ(rules.version, 1);
  EXPECT_EQ(rules.base, 80);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kOnTime, 0), rules), 2);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kNoShow, 0), rules), -10);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kLateReturn, 0), rules), -5);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kRatingGood, 0), rules), 1);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kRatingPoor, 0), rules), -2);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kDisputeUpheld, 0), rules), -15);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kReportUpheld, 0), rules), -10);
  EXPECT_EQ(DeltaOf(Event(CreditKind::kCreditDeduction, 0, 0, 12), rules), -12);
  // A stored amount above the cap never takes more than the cap.
  EXPECT_EQ(DeltaOf(Event(CreditKind::kCreditDeduction, 0, 0, 500), rules), -50);
}

TEST(CreditRulesTest, TheScoreStartsAtTheBaseAndIsClampedAfterEachEvent) {
  const CreditRules& rules = CurrentRules();
  EXPECT_EQ(ScoreOf({}, rules), 80);
  // Fifteen on-time returns reach the cap (80 + 30 → 100), so one no-show then costs 10:
  // a long record cannot bank a reserve beyond 100.
  std::vector<CreditEvent> events;
  for (int i = 0; i < 15; ++i) events.push_back(Event(CreditKind::kOnTime, i, i));
  events.push_back(Event(CreditKind::kNoShow, 100, 100));
  EXPECT_EQ(ScoreOf(events, rules), 90);
  // The floor: nine no-shows from 80 stop at 0, and the next good event counts from there.
  std::vector<CreditEvent> bad;
  for (int i = 0; i < 9; ++i) bad.push_back(Event(CreditKind::kNoShow, i, i));
  EXPECT_EQ(ScoreOf(bad, rules), 0);
  bad.push_back(Event(CreditKind::kOnTime, 50, 50));
  EXPECT_EQ(ScoreOf(bad, rules), 2);
}

TEST(CreditRulesTest, EventsAreReplayedInTimeOrderWhateverTheInputOrder) {
  const CreditRules& rules = CurrentRules();
  std::vector<CreditEvent> events;
  for (int i = 0; i < 15; ++i) events.push_back(Event(CreditKind::kOnTime, 10 + i, 10 + i));
  events.push_back(Event(CreditKind::kNoShow, 1, 1));  // happened first
  // 80 − 10 = 70, then +30 = 100.
  EXPECT_EQ(ScoreOf(events, rules), 100);
}

TEST(CreditRulesTest, LevelsByScore) {
  EXPECT_EQ(LevelOf(100), Level::kExcellent);
  EXPECT_EQ(LevelOf(90), Level::kExcellent);
  EXPECT_EQ(LevelOf(89), Level::kGood);
  EXPECT_EQ(LevelOf(75), Level::kGood);
  EXPECT_EQ(LevelOf(74), Level::kFair);
  EXPECT_EQ(LevelOf(60), Level::kFair);
  EXPECT_EQ(LevelOf(59), Level::kLow);
  EXPECT_EQ(LevelName(Level::kExcellent), "excellent");
}

TEST(AmbassadorTest, NeedsNinetyDaysSinceTheFirstExchangeAndTheLastDefault) {
  const CreditRules& rules = CurrentRules();
  const std::int64_t t0 = 1'000'000'000;
  EXPECT_FALSE(AmbassadorOf(std::nullopt, {}, t0, rules).active);
  EXPECT_FALSE(AmbassadorOf(t0, {}, t0 + 90 * kDay - 1, rules).active);
  auto active = AmbassadorOf(t0, {}, t0 + 90 * kDay, rules);
  EXPECT_TRUE(active.active);
  EXPECT_EQ(active.since, t0 + 90 * kDay);
  // Good events do not reset the clean period; defaults do.
  std::vector<CreditEvent> events{Event(CreditKind::kOnTime, t0 + 10 * kDay),
                                  Event(CreditKind::kRatingPoor, t0 + 20 * kDay)};
  EXPECT_TRUE(AmbassadorOf(t0, events, t0 + 90 * kDay, rules).active);
  for (CreditKind kind : {CreditKind::kNoShow, CreditKind::kLateReturn, CreditKind::kDisputeUpheld,
                          CreditKind::kCreditDeduction, CreditKind::kReportUpheld}) {
    std::vector<CreditEvent> with_default = events;
    with_default.push_back(Event(kind, t0 + 30 * kDay));
    EXPECT_FALSE(AmbassadorOf(t0, with_default, t0 + 100 * kDay, rules).active)
        << CreditKindName(kind);
    auto later = AmbassadorOf(t0, with_default, t0 + 120 * kDay, rules);
    EXPECT_TRUE(later.active) << CreditKindName(kind);
    EXPECT_EQ(later.since, t0 + 120 * kDay);
  }
}

TEST(NamesTest, RoundTrip) {
  for (auto kind : {CreditKind::kOnTime, CreditKind::kNoShow, CreditKind::kLateReturn,
                    CreditKind::kRatingGood, CreditKind::kRatingPoor, CreditKind::kDisputeUpheld,
                    CreditKind::kCreditDeduction, CreditKind::kReportUpheld}) {
    EXPECT_EQ(ParseCreditKind(CreditKindName(kind)), kind);
  }
  EXPECT_EQ(ParseOutcome("returned_late"), Outcome::kReturnedLate);
  EXPECT_EQ(ParseSource("ticket"), Source::kTicket);
  EXPECT_FALSE(ParseSource("Ticket").has_value());
  EXPECT_EQ(ParseDisputeOutcome("credit_deduction"), DisputeOutcome::kCreditDeduction);
  EXPECT_EQ(ParseVerificationKind("background_check"), VerificationKind::kBackgroundCheck);
  EXPECT_EQ(ParseReportCategory("misleading"), ReportCategory::kMisleading);
}

TEST(VerificationTest, CurrentUntilRevokedOrExpired) {
  Verification v;
  EXPECT_TRUE(IsCurrent(v, 100));
  v.valid_until = 200;
  EXPECT_TRUE(IsCurrent(v, 199));
  EXPECT_FALSE(IsCurrent(v, 200));
  v.valid_until.reset();
  v.revoked_at = 50;
  EXPECT_FALSE(IsCurrent(v, 100));
}

}  // namespace
}  // namespace linli::trust
