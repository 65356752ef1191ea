#include "core/actor.hpp"

#include <gtest/gtest.h>

#include "core/clock.hpp"

namespace linli {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (Role role : AllRoles()) EXPECT_EQ(ParseRole(RoleName(role)), role);
  EXPECT_FALSE(ParseRole("superuser").has_value());
}

TEST(ActorTest, RolesAreScopedToTheirCommunity) {
  Actor actor;
  actor.user_id = 5;
  actor.roles_by_community[1] = {Role::kResident, Role::kVolunteer};
  EXPECT_TRUE(actor.HasRole(1, Role::kVolunteer));
  EXPECT_FALSE(actor.HasRole(2, Role::kVolunteer));
  EXPECT_TRUE(actor.HasAnyRole(1, {Role::kAdmin, Role::kResident}));
  EXPECT_FALSE(actor.HasAnyRole(1, {Role::kAdmin, Role::kCommittee}));
  EXPECT_TRUE(actor.IsMember(1));
  EXPECT_FALSE(actor.IsMember(2));
  EXPECT_FALSE(actor.IsAnonymous());
  EXPECT_TRUE(Actor{}.IsAnonymous());
  EXPECT_FALSE(Actor::System().IsAnonymous());
}

TEST(ManualClockTest, MovesOnlyWhenTold) {
  ManualClock clock(1000);
  EXPECT_EQ(clock.NowEpochS(), 1000);
  clock.Advance(Seconds{59});
  EXPECT_EQ(clock.NowEpochS(), 1059);
  clock.Set(5);
  EXPECT_EQ(clock.NowEpochS(), 5);
}

}  // namespace
}  // namespace linli
