// The ticket state machine, routing rule matching and the category catalogue.
#include "tickets/model.hpp"

#include <set>

#include <gtest/gtest.h>

namespace linli::tickets {
namespace {

TEST(TicketStateMachine, HappyPath) {
  EXPECT_EQ(Transition(State::kSubmitted, Event::kAccept).value(), State::kAccepted);
  EXPECT_EQ(Transition(State::kAccepted, Event::kStart).value(), State::kInProgress);
  EXPECT_EQ(Transition(State::kInProgress, Event::kWait).value(), State::kWaitingOnResident);
  EXPECT_EQ(Transition(State::kWaitingOnResident, Event::kResume).value(), State::kInProgress);
  EXPECT_EQ(Transition(State::kInProgress, Event::kResolve).value(), State::kResolved);
  EXPECT_EQ(Transition(State::kResolved, Event::kClose).value(), State::kClosed);
  EXPECT_EQ(Transition(State::kClosed, Event::kReopen).value(), State::kInProgress);
  EXPECT_EQ(Transition(State::kResolved, Event::kReopen).value(), State::kInProgress);
}

TEST(TicketStateMachine, IllegalStepsAreConflicts) {
  const struct {
    State from;
    Event event;
  } kIllegal[] = {{State::kSubmitted, Event::kStart},  {State::kSubmitted, Event::kClose},
                  {State::kAccepted, Event::kWait},    {State::kInProgress, Event::kAccept},
                  {State::kClosed, Event::kResolve},   {State::kMerged, Event::kReopen},
                  {State::kMerged, Event::kMerge},     {State::kResolved, Event::kMerge},
                  {State::kSubmitted, Event::kReopen}, {State::kWaitingOnResident, Event::kWait}};
  for (const auto& step : kIllegal) {
    auto result = Transition(step.from, step.event);
    ASSERT_FALSE(result) << Name(step.from) << " " << Name(step.event);
    EXPECT_EQ(result.error().reason, "illegal_transition");
    EXPECT_EQ(result.error().code, Errc::kConflict);
  }
}

TEST(TicketStateMachine, EveryOpenStateCanBeMergedAndResolved) {
  for (State from :
       {State::kSubmitted, State::kAccepted, State::kInProgress, State::kWaitingOnResident}) {
    EXPECT_TRUE(IsOpen(from));
    EXPECT_EQ(Transition(from, Event::kMerge).value(), State::kMerged);
    EXPECT_EQ(Transition(from, Event::kResolve).value(), State::kResolved);
  }
  EXPECT_FALSE(IsOpen(State::kResolved));
}

TEST(TicketNames, RoundTrip) {
  for (State s : {State::kSubmitted, State::kAccepted, State::kInProgress,
                  State::kWaitingOnResident, State::kResolved, State::kClosed, State::kMerged}) {
    EXPECT_EQ(ParseStatus(Name(s)), s);
  }
  EXPECT_EQ(ParseType("repair"), Type::kRepair);
  EXPECT_EQ(Label(Type::kReport), "举报");
  EXPECT_FALSE(ParseColour("green"));
}

TEST(TicketCategories, EveryCategoryIsUniqueAndFindable) {
  std::set<std::string_view> codes;
  for (const auto& category : Categories()) {
    EXPECT_TRUE(codes.insert(category.code).second) << category.code;
    EXPECT_EQ(FindCategory(category.code), &category);
  }
  EXPECT_EQ(FindCategory("nope"), nullptr);
}

TEST(TicketRouting, MostSpecificRuleWins) {
  Rule any{1, 7, "*", std::nullopt, std::nullopt, {AssigneeKind::kDepartment, {}, "街道"}, 0};
  Rule leak{2, 7, "water_leak", std::nullopt, std::nullopt, {AssigneeKind::kProperty, {}, ""}, 0};
  Rule grid{3, 7, "*", std::nullopt, 10, {AssigneeKind::kGridWorker, 55, ""}, 0};
  Rule building{4, 7, "noise", 100, std::nullopt, {AssigneeKind::kMerchant, 66, ""}, 0};
  const std::vector<Rule> rules{any, leak, grid, building};
  EXPECT_EQ(MatchRule(rules, "water_leak", std::nullopt, std::nullopt)->id, 2);
  EXPECT_EQ(MatchRule(rules, "parking", std::nullopt, std::nullopt)->id, 1);
  EXPECT_EQ(MatchRule(rules, "water_leak", 101, 10)->id, 3);  // the grid beats the category
  EXPECT_EQ(MatchRule(rules, "noise", 100, 10)->id, 4);
  EXPECT_EQ(MatchRule(rules, "parking", 100, 10)->id, 3);
  EXPECT_EQ(MatchRule({}, "parking", 100, 10), nullptr);
}

TEST(TicketDeadlines, QueueDeadlineFollowsTheClockThatMatters) {
  Ticket t;
  t.response.due_s = 100;
  t.resolution.due_s = 500;
  t.response.warn_at_s = 80;
  t.resolution.warn_at_s = 400;
  EXPECT_EQ(t.QueueDeadline(), 100);
  EXPECT_EQ(t.NextSlaEvent(), 80);
  t.response.met_at_s = 90;
  EXPECT_EQ(t.QueueDeadline(), 500);
  EXPECT_EQ(t.NextSlaEvent(), 400);
  t.resolution.warned = true;
  EXPECT_EQ(t.NextSlaEvent(), 500);
  t.resolution.breached = true;
  EXPECT_EQ(t.NextSlaEvent(), std::nullopt);
  t.paused_at_s = 450;
  t.resolution.due_s.reset();
  EXPECT_EQ(t.QueueDeadline(), kNoDeadline);
}

}  // namespace
}  // namespace linli::tickets
