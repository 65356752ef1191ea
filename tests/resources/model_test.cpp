#include "resources/model.hpp"

#include <set>

#include <gtest/gtest.h>

#include "core/limits.hpp"

namespace linli::resources {
namespace {

using L = Lifecycle;
using E = Event;

struct Row {
  L from;
  E event;
  std::optional<L> to;  // nullopt: illegal
};

// Every (state, event) pair: the whole state machine in one table.
const std::vector<Row>& Table() {
  static const std::vector<Row> kTable{
      {L::kDraft, E::kEdit, L::kDraft},
      {L::kDraft, E::kSubmit, L::kPendingReview},
      {L::kDraft, E::kWithdraw, std::nullopt},
      {L::kDraft, E::kApprove, std::nullopt},
      {L::kDraft, E::kReject, std::nullopt},
      {L::kDraft, E::kReconfirm, std::nullopt},
      {L::kDraft, E::kDelist, std::nullopt},
      {L::kDraft, E::kArchive, L::kArchived},
      {L::kPendingReview, E::kEdit, L::kPendingReview},
      {L::kPendingReview, E::kSubmit, std::nullopt},
      {L::kPendingReview, E::kWithdraw, L::kDraft},
      {L::kPendingReview, E::kApprove, L::kListed},
      {L::kPendingReview, E::kReject, L::kDraft},
      {L::kPendingReview, E::kReconfirm, std::nullopt},
      {L::kPendingReview, E::kDelist, std::nullopt},
      {L::kPendingReview, E::kArchive, L::kArchived},
      {L::kListed, E::kEdit, L::kPendingReview},
      {L::kListed, E::kSubmit, std::nullopt},
      {L::kListed, E::kWithdraw, std::nullopt},
      {L::kListed, E::kApprove, std::nullopt},
      {L::kListed, E::kReject, std::nullopt},
      {L::kListed, E::kReconfirm, L::kListed},
      {L::kListed, E::kDelist, L::kDelisted},
      {L::kListed, E::kArchive, L::kArchived},
      {L::kDelisted, E::kEdit, L::kDelisted},
      {L::kDelisted, E::kSubmit, L::kPendingReview},
      {L::kDelisted, E::kWithdraw, std::nullopt},
      {L::kDelisted, E::kApprove, std::nullopt},
      {L::kDelisted, E::kReject, std::nullopt},
      {L::kDelisted, E::kReconfirm, std::nullopt},
      {L::kDelisted, E::kDelist, std::nullopt},
      {L::kDelisted, E::kArchive, L::kArchived},
      {L::kArchived, E::kEdit, std::nullopt},
      {L::kArchived, E::kSubmit, std::nullopt},
      {L::kArchived, E::kWithdraw, std::nullopt},
      {L::kArchived, E::kApprove, std::nullopt},
      {L::kArchived, E::kReject, std::nullopt},
      {L::kArchived, E::kReconfirm, std::nullopt},
      {L::kArchived, E::kDelist, std::nullopt},
      {L::kArchived, E::kArchive, std::nullopt},
  };
  return kTable;
}

TEST(StateMachineTest, FollowsTheTableForEveryStateAndEvent) {
  ASSERT_EQ(Table().size(), 5u * 8u);
  for (const auto& row : Table()) {
    auto next = Transition(row.from, row.event);
    const std::string where = std::string(Name(row.from)) + " + " + std::string(Name(row.event));
    if (row.to) {
      ASSERT_TRUE(next.has_value()) << where << ": " << next.error().detail;
      EXPECT_EQ(*next, *row.to) << where;
    } else {
      ASSERT_FALSE(next.has_value()) << where;
      EXPECT_EQ(next.error().code, Errc::kConflict) << where;
      EXPECT_EQ(next.error().reason, "illegal_transition") << where;
    }
  }
}

TEST(StateMachineTest, AnIllegalTransitionNamesFromAndTo) {
  auto approve_draft = Transition(L::kDraft, E::kApprove);
  ASSERT_FALSE(approve_draft.has_value());
  EXPECT_NE(approve_draft.error().detail.find("draft → listed"), std::string::npos)
      << approve_draft.error().detail;
  auto delist_archived = Transition(L::kArchived, E::kDelist);
  EXPECT_NE(delist_archived.error().detail.find("archived → delisted"), std::string::npos);
}

TEST(StateMachineTest, EveryStateIsReachableFromDraftAndArchivedIsFinal) {
  std::set<L> seen{L::kDraft};
  std::vector<L> frontier{L::kDraft};
  while (!frontier.empty()) {
    const L from = frontier.back();
    frontier.pop_back();
    for (const auto& row : Table()) {
      if (row.from == from && row.to && seen.insert(*row.to).second) frontier.push_back(*row.to);
    }
  }
  EXPECT_EQ(seen.size(), 5u);
  for (const auto& row : Table()) {
    if (row.from == L::kArchived) {
      EXPECT_FALSE(row.to.has_value());
    }
  }
}

TEST(NamesTest, RoundTripAndChineseLabels) {
  for (auto kind : {Kind::kSpace, Kind::kService, Kind::kGoods, Kind::kManpower}) {
    EXPECT_EQ(ParseKind(Name(kind)), kind);
  }
  for (auto lifecycle : {L::kDraft, L::kPendingReview, L::kListed, L::kDelisted, L::kArchived}) {
    EXPECT_EQ(ParseLifecycle(Name(lifecycle)), lifecycle);
  }
  EXPECT_EQ(ParseKindLabel("空间"), Kind::kSpace);
  EXPECT_EQ(ParseKindLabel("goods"), Kind::kGoods);
  EXPECT_EQ(ParseRuleTypeLabel("押金"), RuleType::kDeposit);
  EXPECT_EQ(ParseConditionLabel("九成新"), Condition::kLikeNew);
  EXPECT_FALSE(ParseKind("空间").has_value());  // the API speaks the stable names only
  EXPECT_FALSE(ParseKindLabel("火箭").has_value());
}

CardContent Drill() {
  CardContent content;
  content.kind = Kind::kGoods;
  content.title = "冲击电钻";
  content.description = "带钻头\n周末可借";
  content.tags = {"电钻"};
  content.attributes.condition = Condition::kGood;
  content.attributes.quantity = 1;
  return content;
}

std::vector<std::pair<std::string, std::string>> Problems(const CardContent& content) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& error : Validate(content)) out.emplace_back(error.field, error.reason);
  return out;
}

TEST(ValidateTest, AcceptsAValidCardOfEachKind) {
  EXPECT_TRUE(Validate(Drill()).empty());
  CardContent room;
  room.kind = Kind::kSpace;
  room.title = "社区活动室";
  room.attributes.capacity = 40;
  room.attributes.open_hours = "每天 9:00-21:00";
  room.attributes.facilities = {"投影仪", "空调"};
  room.location.lat = 31.18;
  room.location.lon = 121.43;
  EXPECT_TRUE(Validate(room).empty());
  CardContent repair;
  repair.kind = Kind::kService;
  repair.title = "家电维修";
  repair.attributes.skill = "家电维修";
  repair.rule = UsageRule{RuleType::kPrice, 3000, "次", 0, 0, ""};
  EXPECT_TRUE(Validate(repair).empty());
  CardContent team;
  team.kind = Kind::kManpower;
  team.title = "志愿者";
  team.attributes.team_size = 5;
  team.attributes.skills = {"陪伴老人"};
  team.rule = UsageRule{RuleType::kExchange, 0, "", 0, 0, "换一次理发"};
  EXPECT_TRUE(Validate(team).empty());
}

TEST(ValidateTest, ReportsEveryFieldOnce) {
  CardContent content = Drill();
  content.title = "";
  content.attributes.skill = "维修";     // a service attribute on goods
  content.attributes.quantity = 0;       // below 1
  content.rule.type = RuleType::kPrice;  // no price, no unit
  content.rule.points = 5;               // not for a price rule
  content.location.lat = 31.2;           // without lon
  content.tags = std::vector<std::string>(limits::kResourceTagsMax + 1, "x");
  EXPECT_EQ(Problems(content),
            (std::vector<std::pair<std::string, std::string>>{{"title", "required"},
                                                              {"tags", "too_many_items"},
                                                              {"skill", "not_for_kind"},
                                                              {"quantity", "out_of_range"},
                                                              {"price_fen", "required"},
                                                              {"price_unit", "required"},
                                                              {"points", "not_for_rule"},
                                                              {"lon", "required"}}));
}

TEST(ValidateTest, ServiceNeedsASkillAndTextHasNoControlCharacters) {
  CardContent content;
  content.kind = Kind::kService;
  content.title = "上门\x01理发";
  EXPECT_EQ(Problems(content), (std::vector<std::pair<std::string, std::string>>{
                                   {"title", "control_characters"}, {"skill", "required"}}));
  content = Drill();
  content.location.lat = 91;
  content.location.lon = 200;
  EXPECT_EQ(Problems(content), (std::vector<std::pair<std::string, std::string>>{
                                   {"lat", "out_of_range"}, {"lon", "out_of_range"}}));
}

TEST(ApplyTest, ReplacesGroupsAsAWhole) {
  const CardContent drill = Drill();
  CardPatch patch;
  patch.title = "电锤";
  CardContent next = Apply(drill, patch);
  EXPECT_EQ(next.title, "电锤");
  EXPECT_EQ(next.attributes, drill.attributes);

  patch = {};
  patch.kind = Kind::kSpace;  // a new kind without attributes clears the old ones
  next = Apply(drill, patch);
  EXPECT_EQ(next.attributes, KindAttributes{});

  patch = {};
  patch.rule = RuleType::kPoints;
  patch.rule_amounts = UsageRule{RuleType::kFree, 0, "", 20, 0, ""};  // its type is ignored
  next = Apply(drill, patch);
  EXPECT_EQ(next.rule.type, RuleType::kPoints);
  EXPECT_EQ(next.rule.points, 20);

  patch = {};
  patch.location = Location{5, std::nullopt, std::nullopt};
  CardContent located = drill;
  located.location = {std::nullopt, 31.1, 121.4};
  EXPECT_EQ(Apply(located, patch).location, (Location{5, std::nullopt, std::nullopt}));

  patch = {};
  patch.tags = std::vector<std::string>{" 电钻 ", "电钻", "", "工具"};
  EXPECT_EQ(Apply(drill, patch).tags, (std::vector<std::string>{"电钻", "工具"}));
  EXPECT_TRUE(CardPatch{}.empty());
}

TEST(SearchTagsTest, IncludeAttributesConditionAndOwner) {
  CardContent content = Drill();
  content.owner_type = OwnerType::kMerchant;
  EXPECT_EQ(SearchTags(content),
            (std::vector<std::string>{"电钻", "condition:good", "owner:merchant"}));
}

TEST(ExcerptTest, CutsOnCharactersNotBytes) {
  EXPECT_EQ(Excerpt("家电维修服务", 4), "家电维修…");
  EXPECT_EQ(Excerpt("abc", 4), "abc");
  EXPECT_EQ(Excerpt("家电", 2), "家电");
}

TEST(DetectImageTypeTest, UsesMagicBytesOnly) {
  EXPECT_EQ(DetectImageType(std::string("\xFF\xD8\xFF\xE0rest", 8)), "image/jpeg");
  EXPECT_EQ(DetectImageType(std::string("\x89PNG\r\n\x1A\n....", 12)), "image/png");
  EXPECT_EQ(DetectImageType(std::string("RIFF\x10\x00\x00\x00WEBPVP8 ", 16)), "image/webp");
  EXPECT_EQ(DetectImageType("GIF89a"), std::nullopt);
  EXPECT_EQ(DetectImageType("<svg xmlns='http://www.w3.org/2000/svg'/>"), std::nullopt);
  EXPECT_EQ(DetectImageType(""), std::nullopt);
}

}  // namespace
}  // namespace linli::resources
