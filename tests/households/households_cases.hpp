#pragma once
// The household register's use cases, written once and run on every backend (like the storage
// contract in tests/storage/store_contract.hpp).
#include <algorithm>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <gtest/gtest.h>

#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "households/repo.hpp"
#include "households/service.hpp"
#include "world.hpp"

namespace linli::households::cases {

using testing::World;

inline constexpr const char* kKey1 = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
inline constexpr const char* kKey2 = "2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
inline constexpr std::int64_t kNow = 1'790'000'000;  // 2026-09-21 (UTC)
inline constexpr const char* kChildBirthDate = "2018-05-01";
inline constexpr std::int64_t kChildTurns14 = 1'966'982'400;  // 2032-05-01T00:00:00Z

inline bool Hidden(const std::vector<std::string>& hidden, std::string_view field) {
  return std::find(hidden.begin(), hidden.end(), field) != hidden.end();
}

inline const MemberView* Find(const HouseholdView& view, std::int64_t member_id) {
  for (const auto& member : view.members) {
    if (member.member.id == member_id) return &member;
  }
  return nullptr;
}

// A fresh, migrated store of one backend; cleanup (if set) runs after the store is closed.
struct FreshStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};

struct Backend {
  std::string name;
  std::function<Result<FreshStore>()> open;
};

inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

// The service's use cases against a small community (testing::World) with a seeded register.
// Instantiated once per backend: households_test.cpp (SQLite), households_pgtest.cpp (PostgreSQL).
class HouseholdsTest : public ::testing::TestWithParam<Backend> {
 protected:
  static void SetUpTestSuite() { crypto::InitCrypto(); }

  void SetUp() override {
    auto fresh = GetParam().open();
    HH_ASSERT_OK(fresh);
    fresh_ = std::move(*fresh);
    store_ = fresh_.store.get();
    audit_.emplace(*store_, clock_);
    accounts_.emplace(*store_, *audit_, clock_, random_);
    service_.emplace(*store_, *audit_, clock_, random_, keys_);
    auto world = testing::BuildWorld(*store_, *accounts_);
    HH_ASSERT_OK(world);
    w_ = *world;
    HH_ASSERT_OK(service_->AssignGridGuide(system_, w_.community, w_.grid1, w_.guide1.user_id));
    HH_ASSERT_OK(service_->AssignGridGuide(system_, w_.community, w_.grid2, w_.guide2.user_id));

    MemberSave wang;
    wang.patch.name = "王秀英";
    wang.patch.relation = "户主";
    wang.patch.birth_date = "1952-03-12";
    wang.patch.skills = std::vector<std::string>{"剪纸"};
    wang.patch.phone = "13800210001";
    wang.patch.id_number = "310115195203124527";
    wang.patch.health_notes = "高血压";
    wang.patch.user_id = w_.resident_a.user_id;
    wang.health_consent = ConsentGrant{ConsentMethod::kInPerson, std::nullopt};
    auto adult = service_->AddMember(system_, w_.household_a, wang);
    HH_ASSERT_OK(adult);
    adult_a_ = adult->member.id;

    MemberSave child;
    child.patch.name = "王小宇";
    child.patch.relation = "孙子";
    child.patch.birth_date = kChildBirthDate;
    child.patch.health_notes = "哮喘";
    child.guardian_consent = ConsentGrant{ConsentMethod::kPaper, adult_a_};
    child.health_consent = ConsentGrant{ConsentMethod::kPaper, adult_a_};
    auto minor = service_->AddMember(system_, w_.household_a, child);
    HH_ASSERT_OK(minor);
    child_a_ = minor->member.id;
    HH_ASSERT_OK(service_->AddHistory(
        system_, w_.household_a,
        {child_a_, "2026-09-01", HistoryKind::kParticipation, "王小宇参加书法班"}));

    MemberSave li;
    li.patch.name = "李明";
    li.patch.phone = "13900210002";
    li.patch.user_id = w_.resident_b.user_id;
    auto li_member = service_->AddMember(system_, w_.household_b, li);
    HH_ASSERT_OK(li_member);
    li_b_ = li_member->member.id;
    MemberSave zhang;
    zhang.patch.name = "张丽";
    zhang.patch.birth_date = "1987-11-02";
    zhang.patch.id_number = "310115198711020048";
    auto zhang_member = service_->AddMember(system_, w_.household_b, zhang);
    HH_ASSERT_OK(zhang_member);
    zhang_b_ = zhang_member->member.id;

    MemberSave chen;
    chen.patch.name = "陈华";
    chen.patch.phone = "13500210005";
    auto chen_member = service_->AddMember(system_, w_.household_c, chen);
    HH_ASSERT_OK(chen_member);
    chen_c_ = chen_member->member.id;
  }

  std::int64_t CountRows(const std::string& sql, std::initializer_list<storage::Value> params) {
    auto count = store_->ReadValue([&](storage::Session& session) -> Result<std::int64_t> {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne(sql, params));
      return row->Int(0);
    });
    EXPECT_TRUE(count) << testing::Describe(count.error());
    return count ? *count : -1;
  }

  void TearDown() override {
    service_.reset();
    accounts_.reset();
    audit_.reset();
    fresh_.store.reset();
    if (fresh_.cleanup) fresh_.cleanup();
  }

  FreshStore fresh_;
  storage::Store* store_ = nullptr;
  ManualClock clock_{kNow};
  SeededRandom random_{42};
  std::optional<audit::AuditService> audit_;
  std::optional<accounts::AccountsService> accounts_;
  crypto::KeyRing keys_ = crypto::KeyRing::Parse(kKey1).value();
  std::optional<HouseholdsService> service_;
  const Actor system_ = Actor::System();
  World w_;
  std::int64_t adult_a_ = 0, child_a_ = 0, li_b_ = 0, zhang_b_ = 0, chen_c_ = 0;
};

// --- The authorisation matrix --------------------------------------------------------------

TEST_P(HouseholdsTest, ResidentSeesEverythingOfTheirOwnHousehold) {
  auto view = service_->Get(w_.resident_a, w_.household_a);
  HH_ASSERT_OK(view);
  EXPECT_TRUE(view->hidden_fields.empty());
  const auto* adult = Find(*view, adult_a_);
  ASSERT_NE(adult, nullptr);
  EXPECT_TRUE(adult->hidden_fields.empty());
  EXPECT_EQ(adult->member.phone, "13800210001");
  EXPECT_EQ(adult->member.id_number, "310115195203124527");
  EXPECT_EQ(adult->member.health_notes, "高血压");
  const auto* child = Find(*view, child_a_);
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->member.is_minor);
  EXPECT_EQ(child->member.profile.name, "王小宇");
  EXPECT_EQ(child->member.health_notes, "哮喘");
  EXPECT_TRUE(view->access.edit);
  EXPECT_FALSE(view->access.edit_notes);
}

TEST_P(HouseholdsTest, ResidentsCannotReadOtherHouseholds) {
  for (auto household : {w_.household_b, w_.household_c, w_.household_other}) {
    HH_EXPECT_REASON(service_->Get(w_.resident_a, household), "not_found");
    HH_EXPECT_REASON(service_->History(w_.resident_a, household, {}), "not_found");
    HH_EXPECT_REASON(service_->UpdateRecord(w_.resident_a, household, {}), "not_found");
  }
  HH_EXPECT_REASON(service_->GetMember(w_.resident_a, w_.household_b, li_b_), "not_found");
  HH_EXPECT_REASON(service_->Consents(w_.resident_a, w_.household_b, li_b_), "not_found");
  HH_EXPECT_REASON(service_->ExportPerson(w_.resident_a, w_.household_b, zhang_b_), "not_found");
  HH_EXPECT_REASON(service_->ErasePerson(w_.resident_a, w_.household_b, zhang_b_), "not_found");
  MemberSave save;
  save.patch.name = "入侵者";
  HH_EXPECT_REASON(service_->AddMember(w_.resident_a, w_.household_b, save), "not_found");
  // A member id of another household through one's own household id is missing, too.
  HH_EXPECT_REASON(service_->GetMember(w_.resident_a, w_.household_a, li_b_), "not_found");
}

TEST_P(HouseholdsTest, ResidentListSeesOnlyTheirHousehold) {
  auto page = service_->List(w_.resident_a, w_.community, {}, {20, std::nullopt});
  HH_ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].household.id, w_.household_a);
}

TEST_P(HouseholdsTest, GuidesSeeOnlyTheirGridsHouseholds) {
  auto page = service_->List(w_.guide1, w_.community, {}, {20, std::nullopt});
  HH_ASSERT_OK(page);
  std::vector<std::int64_t> ids;
  for (const auto& item : page->items) ids.push_back(item.household.id);
  EXPECT_EQ(ids, (std::vector<std::int64_t>{w_.household_a, w_.household_b}));

  HH_ASSERT_OK(service_->Get(w_.guide1, w_.household_a));
  HH_EXPECT_REASON(service_->Get(w_.guide1, w_.household_c), "not_found");
  HH_EXPECT_REASON(service_->Get(w_.guide2, w_.household_a), "not_found");
  HH_EXPECT_REASON(service_->GetMember(w_.guide2, w_.household_a, adult_a_), "not_found");
  HH_ASSERT_OK(service_->Get(w_.guide2, w_.household_c));
  // A guide's role in another community is no help here.
  HH_EXPECT_REASON(service_->Get(w_.guide1, w_.household_other), "not_found");
}

TEST_P(HouseholdsTest, AGuideSeesAHouseholdAssignedToThemOutsideTheirGrid) {
  RecordPatch patch;
  patch.guide_user_id = w_.guide1.user_id;
  HH_ASSERT_OK(service_->UpdateRecord(w_.committee, w_.household_c, patch));
  HH_ASSERT_OK(service_->Get(w_.guide1, w_.household_c));
  auto page = service_->List(w_.guide1, w_.community, {}, {20, std::nullopt});
  HH_ASSERT_OK(page);
  EXPECT_EQ(page->items.size(), 3u);
  // Unassigning the grid leaves only the household assigned by name.
  HH_ASSERT_OK(
      service_->UnassignGridGuide(w_.committee, w_.community, w_.grid1, w_.guide1.user_id));
  HH_EXPECT_REASON(service_->Get(w_.guide1, w_.household_a), "not_found");
  HH_ASSERT_OK(service_->Get(w_.guide1, w_.household_c));
}

TEST_P(HouseholdsTest, GuidesSeeHealthAndMinorsButNotIdNumbers) {
  auto view = service_->Get(w_.guide1, w_.household_a);
  HH_ASSERT_OK(view);
  const auto* adult = Find(*view, adult_a_);
  ASSERT_NE(adult, nullptr);
  EXPECT_EQ(adult->member.phone, "13800210001");
  EXPECT_EQ(adult->member.health_notes, "高血压");
  EXPECT_FALSE(adult->member.id_number.has_value());
  EXPECT_TRUE(Hidden(adult->hidden_fields, "id_number"));
  EXPECT_EQ(adult->hidden_fields.size(), 1u);
  const auto* child = Find(*view, child_a_);
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->member.profile.name, "王小宇");
  EXPECT_TRUE(view->access.edit);
  EXPECT_TRUE(view->access.edit_notes);
  EXPECT_FALSE(view->access.assign_guide);
}

TEST_P(HouseholdsTest, PropertyStaffSeeBasicsAndPhonesOnly) {
  auto view = service_->Get(w_.staff, w_.household_a);
  HH_ASSERT_OK(view);
  EXPECT_TRUE(Hidden(view->hidden_fields, "needs"));
  EXPECT_TRUE(Hidden(view->hidden_fields, "notes"));
  const auto* adult = Find(*view, adult_a_);
  ASSERT_NE(adult, nullptr);
  EXPECT_EQ(adult->member.profile.name, "王秀英");
  EXPECT_EQ(adult->member.phone, "13800210001");
  EXPECT_FALSE(adult->member.id_number.has_value());
  EXPECT_FALSE(adult->member.health_notes.has_value());
  EXPECT_TRUE(adult->member.profile.skills.empty());
  for (const char* field : {"id_number", "health_notes", "skills", "birth_date", "consents"}) {
    EXPECT_TRUE(Hidden(adult->hidden_fields, field)) << field;
  }
  // Of a child, staff learn only that a child lives here.
  const auto* child = Find(*view, child_a_);
  ASSERT_NE(child, nullptr);
  EXPECT_TRUE(child->member.is_minor);
  EXPECT_TRUE(child->member.profile.name.empty());
  EXPECT_FALSE(child->member.health_notes.has_value());
  EXPECT_TRUE(Hidden(child->hidden_fields, "name"));
  // Read-only: writes are forbidden (they can see the household), history is not theirs.
  RecordPatch patch;
  patch.willingness = Willingness::kNo;
  HH_EXPECT_REASON(service_->UpdateRecord(w_.staff, w_.household_a, patch), "forbidden");
  HH_EXPECT_REASON(service_->History(w_.staff, w_.household_a, {}), "forbidden");
  HH_EXPECT_REASON(service_->Consents(w_.staff, w_.household_a, adult_a_), "forbidden");
  HH_EXPECT_REASON(service_->ExportPerson(w_.staff, w_.household_a, adult_a_), "forbidden");
  auto page = service_->List(w_.staff, w_.community, {}, {20, std::nullopt});
  HH_ASSERT_OK(page);
  EXPECT_EQ(page->items.size(), 3u);
}

TEST_P(HouseholdsTest, CommitteeSeesEverythingInItsCommunityOnly) {
  auto view = service_->Get(w_.committee, w_.household_b);
  HH_ASSERT_OK(view);
  const auto* zhang = Find(*view, zhang_b_);
  ASSERT_NE(zhang, nullptr);
  EXPECT_EQ(zhang->member.id_number, "310115198711020048");
  EXPECT_TRUE(zhang->hidden_fields.empty());
  HH_EXPECT_REASON(service_->Get(w_.committee, w_.household_other), "not_found");
  HH_EXPECT_REASON(service_->Get(w_.other_committee, w_.household_a), "not_found");
  HH_EXPECT_REASON(service_->List(w_.other_committee, w_.community, {}, {20, std::nullopt}),
                   "not_found");
}

TEST_P(HouseholdsTest, OtherRolesAndStrangersGetNotFound) {
  Actor api_key;
  api_key.api_key_id = 1;
  api_key.roles_by_community[w_.community] = {Role::kOrganisation};
  for (const Actor* actor : {&w_.admin, &w_.volunteer, &api_key}) {
    HH_EXPECT_REASON(service_->Get(*actor, w_.household_a), "not_found");
    HH_EXPECT_REASON(service_->List(*actor, w_.community, {}, {20, std::nullopt}), "not_found");
    HH_EXPECT_REASON(service_->GridGuides(*actor, w_.community), "not_found");
  }
  HH_EXPECT_REASON(service_->Get(Actor{}, w_.household_a), "unauthenticated");
  HH_EXPECT_REASON(service_->Get(w_.committee, 999999), "not_found");
}

TEST_P(HouseholdsTest, OnlyGuidesAndCommitteeKeepNotesAndOnlyCommitteeAssignsGuides) {
  RecordPatch notes;
  notes.notes = "需要每周探访";
  HH_EXPECT_REASON(service_->UpdateRecord(w_.resident_a, w_.household_a, notes), "forbidden");
  HH_ASSERT_OK(service_->UpdateRecord(w_.guide1, w_.household_a, notes));
  RecordPatch guide;
  guide.guide_user_id = w_.guide2.user_id;
  HH_EXPECT_REASON(service_->UpdateRecord(w_.guide1, w_.household_a, guide), "forbidden");
  HH_EXPECT_REASON(service_->AssignGridGuide(w_.guide1, w_.community, w_.grid2, w_.guide1.user_id),
                   "not_found");
  RecordPatch mine;
  mine.willingness = Willingness::kYes;
  mine.needs = std::vector<std::string>{"助餐"};
  auto updated = service_->UpdateRecord(w_.resident_a, w_.household_a, mine);
  HH_ASSERT_OK(updated);
  EXPECT_EQ(updated->household.needs, std::vector<std::string>{"助餐"});
  EXPECT_EQ(updated->household.notes, "需要每周探访");
  EXPECT_EQ(updated->household.version, 2);
}

TEST_P(HouseholdsTest, StaleIfMatchVersionIsAConflict) {
  RecordPatch first;
  first.willingness = Willingness::kMaybe;
  first.if_version = 0;  // no record yet
  HH_ASSERT_OK(service_->UpdateRecord(w_.guide1, w_.household_b, first));
  RecordPatch stale = first;
  HH_EXPECT_REASON(service_->UpdateRecord(w_.guide1, w_.household_b, stale), "version_mismatch");
  MemberSave save;
  save.patch.relation = "户主";
  save.if_version = 7;
  HH_EXPECT_REASON(service_->UpdateMember(w_.guide1, w_.household_b, li_b_, save),
                   "version_mismatch");
  save.if_version = 1;
  auto saved = service_->UpdateMember(w_.guide1, w_.household_b, li_b_, save);
  HH_ASSERT_OK(saved);
  EXPECT_EQ(saved->member.version, 2);
}

TEST_P(HouseholdsTest, OnlyTheCommitteeLinksOtherAccountsToMembers) {
  MemberSave link;
  link.patch.user_id = w_.resident_a.user_id;
  HH_EXPECT_REASON(service_->UpdateMember(w_.guide1, w_.household_b, zhang_b_, link), "forbidden");
  HH_EXPECT_REASON(service_->UpdateMember(w_.resident_b, w_.household_b, zhang_b_, link),
                   "forbidden");
  link.patch.user_id = w_.resident_b.user_id;  // linking oneself is fine
  HH_ASSERT_OK(service_->UpdateMember(w_.resident_b, w_.household_b, zhang_b_, link));
  link.patch.user_id = 987654;
  HH_EXPECT_REASON(service_->UpdateMember(w_.committee, w_.household_b, zhang_b_, link),
                   "invalid_field");
}

// --- Consent ------------------------------------------------------------------------------

TEST_P(HouseholdsTest, HealthNotesNeedTheHealthConsent) {
  MemberSave save;
  save.patch.health_notes = "心脏病";
  HH_EXPECT_REASON(service_->UpdateMember(w_.guide1, w_.household_b, li_b_, save),
                   "consent_required");
  MemberSave fresh;
  fresh.patch.name = "新成员";
  fresh.patch.health_notes = "心脏病";
  HH_EXPECT_REASON(service_->AddMember(w_.guide1, w_.household_b, fresh), "consent_required");
  // Nothing was written by the refused saves.
  EXPECT_EQ(
      CountRows("SELECT COUNT(*) FROM household_members WHERE household_id = $1", {w_.household_b}),
      2);
  HH_ASSERT_OK(service_->RecordConsent(w_.guide1, w_.household_b, li_b_,
                                       {ConsentKind::kHealth, true, ConsentMethod::kPaper, {}}));
  auto saved = service_->UpdateMember(w_.guide1, w_.household_b, li_b_, save);
  HH_ASSERT_OK(saved);
  EXPECT_EQ(saved->member.health_notes, "心脏病");
  // A consent given with the save works too.
  fresh.health_consent = ConsentGrant{ConsentMethod::kInPerson, std::nullopt};
  HH_ASSERT_OK(service_->AddMember(w_.guide1, w_.household_b, fresh));
  // Clearing health notes needs no consent.
  MemberSave clear;
  clear.patch.health_notes = "";
  HH_ASSERT_OK(service_->UpdateMember(w_.guide1, w_.household_a, adult_a_, clear));
}

TEST_P(HouseholdsTest, AnythingAboutAnUnder14NeedsAGuardiansConsent) {
  MemberSave child;
  child.patch.name = "李小花";
  child.patch.birth_date = "2019-02-03";
  HH_EXPECT_REASON(service_->AddMember(w_.resident_b, w_.household_b, child),
                   "guardian_consent_required");
  // Turning an adult's record into a child's needs it too.
  MemberSave younger;
  younger.patch.birth_date = "2015-01-01";
  HH_EXPECT_REASON(service_->UpdateMember(w_.guide1, w_.household_b, zhang_b_, younger),
                   "guardian_consent_required");
  child.guardian_consent = ConsentGrant{ConsentMethod::kOnline, li_b_};
  auto added = service_->AddMember(w_.resident_b, w_.household_b, child);
  HH_ASSERT_OK(added);
  EXPECT_TRUE(added->member.is_minor);
  EXPECT_TRUE(added->member.guardian_consent);
  // Nothing about the child is in plaintext columns.
  auto plain = store_->ReadValue([&](storage::Session& session) -> Result<std::string> {
    LINLI_ASSIGN_OR_RETURN(auto row,
                           session.QueryOne("SELECT name || relation || COALESCE(birth_date, '') "
                                            "|| skills FROM household_members WHERE id = $1",
                                            {added->member.id}));
    return row->Text(0);
  });
  HH_ASSERT_OK(plain);
  EXPECT_EQ(*plain, "[]");
  // A guardian_member_id must be another member of the household.
  MemberSave bad = child;
  bad.guardian_consent = ConsentGrant{ConsentMethod::kOnline, chen_c_};
  HH_EXPECT_REASON(service_->AddMember(w_.resident_b, w_.household_b, bad), "invalid_field");
}

TEST_P(HouseholdsTest, HistoryAboutAChildIsSealedAndNeedsTheGuardiansConsent) {
  auto history = service_->History(w_.guide1, w_.household_a, {20, std::nullopt});
  HH_ASSERT_OK(history);
  ASSERT_EQ(history->items.size(), 1u);
  EXPECT_EQ(history->items[0].note, "王小宇参加书法班");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_history WHERE note <> ''", {}), 0);
  HH_ASSERT_OK(service_->RecordConsent(system_, w_.household_a, child_a_,
                                       {ConsentKind::kGuardian, false, ConsentMethod::kPaper, {}}));
  // Revoking erased the child; history about them stays as a dated, note-less entry.
  history = service_->History(w_.guide1, w_.household_a, {20, std::nullopt});
  HH_ASSERT_OK(history);
  ASSERT_EQ(history->items.size(), 1u);
  EXPECT_EQ(history->items[0].note, "");
  HH_EXPECT_REASON(service_->AddHistory(system_, w_.household_a,
                                        {child_a_, "2026-09-02", HistoryKind::kVisit, "x"}),
                   "invalid_field");
}

TEST_P(HouseholdsTest, ResidentsAddFeedbackOnlyAndDatesAreChecked) {
  HH_EXPECT_REASON(service_->AddHistory(w_.resident_a, w_.household_a,
                                        {std::nullopt, "2026-09-20", HistoryKind::kVisit, "走访"}),
                   "forbidden");
  HH_ASSERT_OK(service_->AddHistory(w_.resident_a, w_.household_a,
                                    {std::nullopt, "2026-09-20", HistoryKind::kFeedback, "好"}));
  HH_EXPECT_REASON(service_->AddHistory(w_.guide1, w_.household_a,
                                        {std::nullopt, "2026-12-01", HistoryKind::kVisit, ""}),
                   "invalid_field");
  HH_EXPECT_REASON(service_->AddHistory(w_.guide1, w_.household_a,
                                        {chen_c_, "2026-09-20", HistoryKind::kVisit, ""}),
                   "invalid_field");
}

TEST_P(HouseholdsTest, RevokingHealthConsentDeletesTheHealthNotes) {
  HH_ASSERT_OK(service_->RecordConsent(w_.resident_a, w_.household_a, adult_a_,
                                       {ConsentKind::kHealth, false, ConsentMethod::kOnline, {}}));
  auto member = service_->GetMember(w_.committee, w_.household_a, adult_a_);
  HH_ASSERT_OK(member);
  EXPECT_FALSE(member->member.health_notes.has_value());
  EXPECT_FALSE(member->member.health_consent);
  EXPECT_EQ(member->member.phone, "13800210001");  // other fields stay
  auto consents = service_->Consents(w_.resident_a, w_.household_a, adult_a_);
  HH_ASSERT_OK(consents);
  ASSERT_EQ(consents->size(), 2u);
  EXPECT_TRUE((*consents)[0].granted);
  EXPECT_FALSE((*consents)[1].granted);
  EXPECT_EQ((*consents)[1].recorded_by, w_.resident_a.user_id);
}

TEST_P(HouseholdsTest, RevokingTheGuardiansConsentErasesTheChild) {
  HH_ASSERT_OK(
      service_->RecordConsent(w_.resident_a, w_.household_a, child_a_,
                              {ConsentKind::kGuardian, false, ConsentMethod::kPaper, adult_a_}));
  HH_EXPECT_REASON(service_->GetMember(w_.committee, w_.household_a, child_a_), "not_found");
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_sealed WHERE owner_table = "
                      "'household_members' AND owner_id = $1",
                      {child_a_}),
            0);
}

TEST_P(HouseholdsTest, IsMinorFollowsTheInjectedClock) {
  auto before = service_->GetMember(w_.staff, w_.household_a, child_a_);
  HH_ASSERT_OK(before);
  EXPECT_TRUE(before->member.is_minor);
  clock_.Set(kChildTurns14 - 1);
  before = service_->GetMember(w_.staff, w_.household_a, child_a_);
  HH_ASSERT_OK(before);
  EXPECT_TRUE(before->member.is_minor);
  clock_.Set(kChildTurns14);
  auto after = service_->GetMember(w_.staff, w_.household_a, child_a_);
  HH_ASSERT_OK(after);
  EXPECT_FALSE(after->member.is_minor);
  EXPECT_EQ(after->member.profile.name, "王小宇");  // staff see a 14-year-old's name
  // The next save stores the profile in plaintext columns, and needs no guardian any more.
  MemberSave save;
  save.patch.relation = "孙子";
  HH_ASSERT_OK(service_->UpdateMember(w_.guide1, w_.household_a, child_a_, save));
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_sealed WHERE owner_id = $1 AND field = "
                      "'profile'",
                      {child_a_}),
            0);
}

// --- Export and erasure ---------------------------------------------------------------------

TEST_P(HouseholdsTest, ExportHoldsEverythingAboutThePersonDecrypted) {
  auto exported = service_->ExportPerson(w_.resident_a, w_.household_a, adult_a_);
  HH_ASSERT_OK(exported);
  EXPECT_EQ(exported->exported_at, kNow);
  EXPECT_EQ(exported->household.id, w_.household_a);
  EXPECT_EQ(exported->member.profile.name, "王秀英");
  EXPECT_EQ(exported->member.phone, "13800210001");
  EXPECT_EQ(exported->member.id_number, "310115195203124527");
  EXPECT_EQ(exported->member.health_notes, "高血压");
  EXPECT_EQ(exported->member.user_id, w_.resident_a.user_id);
  ASSERT_EQ(exported->consents.size(), 1u);
  EXPECT_EQ(exported->consents[0].kind, ConsentKind::kHealth);

  auto child = service_->ExportPerson(w_.resident_a, w_.household_a, child_a_);  // the guardian
  HH_ASSERT_OK(child);
  EXPECT_EQ(child->member.health_notes, "哮喘");
  ASSERT_EQ(child->history.size(), 1u);
  EXPECT_EQ(child->history[0].note, "王小宇参加书法班");
  EXPECT_EQ(child->consents.size(), 2u);
}

TEST_P(HouseholdsTest, ExportIsForThePersonTheirGuardianOrTheCommittee) {
  HH_ASSERT_OK(service_->ExportPerson(w_.committee, w_.household_b, zhang_b_));
  HH_ASSERT_OK(service_->ExportPerson(w_.resident_b, w_.household_b, li_b_));  // linked: self
  // An adult housemate is not the person: forbidden (they can see the household).
  HH_EXPECT_REASON(service_->ExportPerson(w_.resident_b, w_.household_b, zhang_b_), "forbidden");
  HH_EXPECT_REASON(service_->ExportPerson(w_.guide1, w_.household_b, li_b_), "forbidden");
  HH_EXPECT_REASON(service_->ExportPerson(w_.guide2, w_.household_b, li_b_), "not_found");
  HH_EXPECT_REASON(service_->ExportPerson(w_.admin, w_.household_b, li_b_), "not_found");
  // Exports are disclosures: audited.
  EXPECT_EQ(
      CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'households.person.export'", {}), 2);
}

TEST_P(HouseholdsTest, ErasureRemovesThePersonKeepsTheAuditChainAndRunsHooks) {
  std::vector<std::int64_t> hooked;
  service_->AddErasureHook([&](storage::Session& session, std::int64_t user_id) -> Status {
    hooked.push_back(user_id);
    // Hooks run inside the erasure's transaction: they can read and write.
    LINLI_TRY(session.QueryOne("SELECT COUNT(*) FROM household_members"));
    return Ok();
  });
  HH_ASSERT_OK(service_->ErasePerson(w_.resident_a, w_.household_a, adult_a_));
  EXPECT_EQ(hooked, std::vector<std::int64_t>{w_.resident_a.user_id});

  HH_EXPECT_REASON(service_->GetMember(w_.committee, w_.household_a, adult_a_), "not_found");
  auto view = service_->Get(w_.committee, w_.household_a);
  HH_ASSERT_OK(view);
  EXPECT_EQ(view->members.size(), 1u);  // the child stays
  EXPECT_EQ(view->household.member_count, 1);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_sealed WHERE owner_table = "
                      "'household_members' AND owner_id = $1",
                      {adult_a_}),
            0);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_members WHERE id = $1 AND name = '' AND "
                      "birth_date IS NULL AND user_id IS NULL AND erased_at IS NOT NULL",
                      {adult_a_}),
            1);
  // Non-personal facts stay: the consent event (ids only).
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_consents WHERE member_id = $1", {adult_a_}),
            1);
  auto verification = audit_->VerifyAll();
  HH_ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok) << verification->problem;
  EXPECT_EQ(
      CountRows("SELECT COUNT(*) FROM audit_log WHERE action = 'households.person.erase'", {}), 1);
}

TEST_P(HouseholdsTest, AFailingHookRollsTheErasureBack) {
  service_->AddErasureHook([](storage::Session&, std::int64_t) -> Status {
    return Error{Errc::kUnavailable, "index_busy", "try again"};
  });
  HH_EXPECT_REASON(service_->ErasePerson(w_.committee, w_.household_a, adult_a_), "index_busy");
  auto member = service_->GetMember(w_.committee, w_.household_a, adult_a_);
  HH_ASSERT_OK(member);
  EXPECT_EQ(member->member.phone, "13800210001");
}

TEST_P(HouseholdsTest, ErasureRightsMatchExportRights) {
  HH_EXPECT_REASON(service_->ErasePerson(w_.guide1, w_.household_a, adult_a_), "forbidden");
  HH_EXPECT_REASON(service_->ErasePerson(w_.resident_b, w_.household_a, adult_a_), "not_found");
  HH_EXPECT_REASON(service_->ErasePerson(w_.staff, w_.household_a, adult_a_), "forbidden");
  HH_ASSERT_OK(service_->ErasePerson(w_.resident_a, w_.household_a, child_a_));  // guardian
  HH_ASSERT_OK(service_->ErasePerson(w_.committee, w_.household_b, zhang_b_));
  HH_EXPECT_REASON(service_->ErasePerson(w_.committee, w_.household_b, zhang_b_), "not_found");
}

TEST_P(HouseholdsTest, RemovingAMemberDropsTheirDataWithoutRunningHooks) {
  int hooks = 0;
  service_->AddErasureHook([&](storage::Session&, std::int64_t) -> Status {
    ++hooks;
    return Ok();
  });
  HH_ASSERT_OK(service_->RemoveMember(w_.guide1, w_.household_b, li_b_));
  EXPECT_EQ(hooks, 0);
  HH_EXPECT_REASON(service_->GetMember(w_.committee, w_.household_b, li_b_), "not_found");
  HH_EXPECT_REASON(service_->RemoveMember(w_.staff, w_.household_b, zhang_b_), "forbidden");
}

TEST_P(HouseholdsTest, AuditEntriesHoldNoPersonalData) {
  HH_ASSERT_OK(service_->ExportPerson(w_.committee, w_.household_a, adult_a_));
  HH_ASSERT_OK(service_->ErasePerson(w_.committee, w_.household_a, adult_a_));
  auto details = store_->ReadValue([](storage::Session& session) -> Result<std::string> {
    LINLI_ASSIGN_OR_RETURN(auto rows, session.Query("SELECT action, object_type, object_id, "
                                                    "details FROM audit_log"));
    std::string all;
    for (const auto& row : rows) {
      all += row.Text(0) + row.Text(1) + row.Text(2) + row.Text(3) + "\n";
    }
    return all;
  });
  HH_ASSERT_OK(details);
  for (const char* secret : {"13800210001", "310115195203124527", "高血压", "王秀英", "王小宇"}) {
    EXPECT_EQ(details->find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(details->find(R"({"fields":["name","relation","birth_date","skills","phone",)"),
            std::string::npos)
      << "member saves name the fields they changed";
}

// --- Keys -------------------------------------------------------------------------------------

TEST_P(HouseholdsTest, RotationResealsEverythingUnderTheNewKey) {
  const std::int64_t sealed =
      CountRows("SELECT COUNT(*) FROM household_sealed WHERE key_id = 1", {});
  EXPECT_GT(sealed, 5);
  const auto rotated_ring = crypto::KeyRing::Parse(std::string(kKey1) + "," + kKey2).value();
  HouseholdsService rotated(*store_, *audit_, clock_, random_, rotated_ring);
  HH_EXPECT_REASON(rotated.RotateKeys(w_.committee), "forbidden");
  auto report = rotated.RotateKeys(system_);
  HH_ASSERT_OK(report);
  EXPECT_EQ(report->resealed, sealed);
  EXPECT_EQ(report->key_id, 2u);
  EXPECT_EQ(CountRows("SELECT COUNT(*) FROM household_sealed WHERE key_id <> 2", {}), 0);
  // The old key is no longer needed.
  const auto new_only = crypto::KeyRing::Parse(kKey2).value();
  HouseholdsService after(*store_, *audit_, clock_, random_, new_only);
  auto member = after.GetMember(w_.committee, w_.household_a, adult_a_);
  HH_ASSERT_OK(member);
  EXPECT_EQ(member->member.id_number, "310115195203124527");
  auto again = rotated.RotateKeys(system_);
  HH_ASSERT_OK(again);
  EXPECT_EQ(again->resealed, 0);
  auto verification = audit_->VerifyAll();
  HH_ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok);
}

TEST_P(HouseholdsTest, ASealedValueMovedToAnotherRowDoesNotOpen) {
  // An attacker with database access copies 王秀英's phone onto 陈华's row.
  HH_ASSERT_OK(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute(
        "UPDATE household_sealed SET ciphertext = (SELECT ciphertext FROM household_sealed WHERE "
        "owner_id = $1 AND field = 'phone') WHERE owner_id = $2 AND field = 'phone'",
        {adult_a_, chen_c_}));
    return Ok();
  }));
  HH_EXPECT_REASON(service_->GetMember(w_.committee, w_.household_c, chen_c_),
                   "sealed_value_invalid");
  // A missing key is its own reason.
  const auto other = crypto::KeyRing::Parse(kKey2).value();
  HouseholdsService wrong_key(*store_, *audit_, clock_, random_, other);
  HH_EXPECT_REASON(wrong_key.GetMember(w_.committee, w_.household_a, adult_a_), "unknown_data_key");
}

TEST_P(HouseholdsTest, GridGuideAssignmentsAreCommitteeBusiness) {
  auto all = service_->GridGuides(w_.committee, w_.community);
  HH_ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);
  auto own = service_->GridGuides(w_.guide1, w_.community);
  HH_ASSERT_OK(own);
  ASSERT_EQ(own->size(), 1u);
  EXPECT_EQ((*own)[0].grid_id, w_.grid1);
  EXPECT_EQ((*own)[0].grid_name, "第一网格");
  HH_EXPECT_REASON(service_->GridGuides(w_.resident_a, w_.community), "not_found");
  // Assigning twice is harmless; a grid of another community is not found.
  HH_ASSERT_OK(service_->AssignGridGuide(w_.committee, w_.community, w_.grid1, w_.guide1.user_id));
  auto other_grid = store_->ReadValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT id FROM grids WHERE "
                                                      "community_id = $1",
                                                      {w_.other_community}));
    return row->Int(0);
  });
  HH_ASSERT_OK(other_grid);
  HH_EXPECT_REASON(
      service_->AssignGridGuide(w_.committee, w_.community, *other_grid, w_.guide1.user_id),
      "not_found");
  HH_EXPECT_REASON(
      service_->UnassignGridGuide(w_.committee, w_.community, w_.grid2, w_.guide1.user_id),
      "not_found");
}

TEST_P(HouseholdsTest, AHouseholdHoldsABoundedNumberOfMembers) {
  for (std::size_t i = 2; i < kMembersPerHouseholdMax; ++i) {
    MemberSave save;
    save.patch.name = "成员" + std::to_string(i);
    HH_ASSERT_OK(service_->AddMember(w_.committee, w_.household_b, save));
  }
  MemberSave one_more;
  one_more.patch.name = "多余";
  HH_EXPECT_REASON(service_->AddMember(w_.committee, w_.household_b, one_more), "too_many_members");
}

}  // namespace linli::households::cases
