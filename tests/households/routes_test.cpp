// Request parsing and response filtering of the households routes: pure functions.
#include "households/routes.hpp"

#include <gtest/gtest.h>

namespace linli::households {
namespace {

namespace json = boost::json;

json::object Object(std::string_view text) {
  return json::parse(text).as_object();
}

std::vector<std::string> FieldErrors(const Error& error) {
  std::vector<std::string> out;
  for (const auto& field : error.errors) out.push_back(field.field + ":" + field.reason);
  return out;
}

TEST(HouseholdsRoutesTest, ParsesAFullMemberCreate) {
  auto save = ParseMemberSave(Object(R"({
      "name": " 王秀英 ", "relation": "户主", "birth_date": "1952-03-12",
      "skills": ["剪纸", " 包饺子 "], "needs": [], "willingness": "yes",
      "phone": "138 0021 0001", "id_number": "31011519520312452x", "health_notes": "高血压",
      "user_id": 7,
      "health_consent": {"method": "in_person"},
      "guardian_consent": {"method": "paper", "guardian_member_id": 3}})"),
                              true);
  ASSERT_TRUE(save.has_value()) << save.error().detail;
  EXPECT_EQ(save->patch.name, "王秀英");
  EXPECT_EQ(save->patch.skills, (std::vector<std::string>{"剪纸", "包饺子"}));
  EXPECT_EQ(save->patch.willingness, Willingness::kYes);
  EXPECT_EQ(save->patch.id_number, "31011519520312452X");
  EXPECT_EQ(save->patch.user_id, 7);
  ASSERT_TRUE(save->health_consent.has_value());
  EXPECT_EQ(save->health_consent->method, ConsentMethod::kInPerson);
  ASSERT_TRUE(save->guardian_consent.has_value());
  EXPECT_EQ(save->guardian_consent->guardian_member_id, 3);
}

TEST(HouseholdsRoutesTest, CreateNeedsANameAndPatchesKeepAbsentFields) {
  auto missing = ParseMemberSave(Object(R"({"relation": "配偶"})"), true);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(FieldErrors(missing.error()), std::vector<std::string>{"name:required"});
  auto patch = ParseMemberSave(Object(R"({"phone": ""})"), false);
  ASSERT_TRUE(patch.has_value());
  EXPECT_FALSE(patch->patch.name.has_value());
  EXPECT_EQ(patch->patch.phone, "");  // clears
  auto blank_name = ParseMemberSave(Object(R"({"name": "  "})"), false);
  ASSERT_FALSE(blank_name.has_value());
}

TEST(HouseholdsRoutesTest, RejectsBadMemberFieldsAllAtOnce) {
  auto save = ParseMemberSave(Object(R"({
      "name": "x", "birth_date": "1952-02-30", "phone": "call me", "id_number": "12-34",
      "willingness": "sometimes", "skills": ["", "a"], "colour": "red"})"),
                              true);
  ASSERT_FALSE(save.has_value());
  EXPECT_EQ(save.error().reason, "invalid_field");
  EXPECT_EQ(FieldErrors(save.error()),
            (std::vector<std::string>{"birth_date:invalid_date", "skills:invalid_item",
                                      "willingness:unsupported", "phone:invalid_phone",
                                      "id_number:invalid_id_number", "colour:unknown_field"}));
}

TEST(HouseholdsRoutesTest, NestedConsentErrorsNameTheirPath) {
  auto save = ParseMemberSave(
      Object(R"({"name": "x", "health_consent": {"method": "telepathy", "extra": 1}})"), true);
  ASSERT_FALSE(save.has_value());
  EXPECT_EQ(FieldErrors(save.error()),
            (std::vector<std::string>{"health_consent.method:unsupported",
                                      "health_consent.extra:unknown_field"}));
  auto not_object = ParseMemberSave(Object(R"({"name": "x", "guardian_consent": true})"), true);
  ASSERT_FALSE(not_object.has_value());
  EXPECT_EQ(FieldErrors(not_object.error()),
            std::vector<std::string>{"guardian_consent:expected_object"});
}

TEST(HouseholdsRoutesTest, ParsesRecordPatchesConsentsAndHistory) {
  auto patch = ParseRecordPatch(Object(R"({"willingness": "maybe", "guide_user_id": 0})"));
  ASSERT_TRUE(patch.has_value());
  EXPECT_EQ(patch->willingness, Willingness::kMaybe);
  EXPECT_EQ(patch->guide_user_id, 0);
  EXPECT_FALSE(ParseRecordPatch(Object(R"({"notes": 5})")).has_value());

  auto consent = ParseConsentChange(Object(R"({"kind": "guardian", "granted": false,
                                               "method": "online", "guardian_member_id": 2})"));
  ASSERT_TRUE(consent.has_value());
  EXPECT_EQ(consent->kind, ConsentKind::kGuardian);
  EXPECT_FALSE(consent->granted);
  auto incomplete = ParseConsentChange(Object(R"({"kind": "health"})"));
  ASSERT_FALSE(incomplete.has_value());
  EXPECT_EQ(FieldErrors(incomplete.error()),
            (std::vector<std::string>{"granted:required", "method:required"}));

  auto history = ParseHistoryInput(
      Object(R"({"occurred_on": "2026-09-01", "kind": "feedback", "note": "好", "member_id": 4})"));
  ASSERT_TRUE(history.has_value());
  EXPECT_EQ(history->kind, HistoryKind::kFeedback);
  EXPECT_EQ(history->member_id, 4);
  auto bad_date = ParseHistoryInput(Object(R"({"occurred_on": "2026-13-01", "kind": "visit"})"));
  ASSERT_FALSE(bad_date.has_value());
  EXPECT_EQ(FieldErrors(bad_date.error()), std::vector<std::string>{"occurred_on:invalid_date"});
}

TEST(HouseholdsRoutesTest, ParsesIfMatch) {
  EXPECT_EQ(ParseIfMatch(std::nullopt).value(), std::nullopt);
  EXPECT_EQ(ParseIfMatch("*").value(), std::nullopt);
  EXPECT_EQ(ParseIfMatch("\"3\"").value(), 3);
  EXPECT_EQ(ParseIfMatch("W/\"0\"").value(), 0);
  for (std::string_view bad : {"3", "\"\"", "\"-1\"", "\"3x\"", "\"3\", \"4\""}) {
    auto parsed = ParseIfMatch(bad);
    ASSERT_FALSE(parsed.has_value()) << bad;
    EXPECT_EQ(parsed.error().reason, "invalid_field");
  }
}

TEST(HouseholdsRoutesTest, HiddenFieldsAreLeftOutOfResponses) {
  MemberView view;
  view.member.id = 5;
  view.member.profile.name = "王秀英";
  view.member.phone = "13800210001";
  view.hidden_fields = {"id_number", "health_notes", "consents"};
  auto object = MemberJson(view);
  EXPECT_FALSE(object.contains("id_number"));
  EXPECT_FALSE(object.contains("health_notes"));
  EXPECT_FALSE(object.contains("consents"));
  EXPECT_EQ(object.at("phone").as_string(), "13800210001");
  EXPECT_EQ(object.at("hidden_fields").as_array().size(), 3u);
  // Members keep their order: id first.
  EXPECT_EQ(object.begin()->key(), "id");

  MemberView open;
  auto full = MemberJson(open);
  EXPECT_TRUE(full.at("id_number").is_null());  // visible but not set
  EXPECT_TRUE(full.at("hidden_fields").as_array().empty());

  Household household;
  household.id = 1;
  household.notes = "x";
  auto listed = HouseholdJson(household, {"willingness", "needs", "notes"});
  EXPECT_FALSE(listed.contains("notes"));
  EXPECT_TRUE(listed.contains("unit_label"));
  EXPECT_TRUE(listed.at("grid").is_null());
}

}  // namespace
}  // namespace linli::households
