#pragma once
// The resource pool's use cases, written once and run on every backend: service_test.cpp
// (SQLite) and resources_pgtest.cpp (PostgreSQL) each define OpenCaseStore(). The suite is
// named by RESOURCES_CASES, so the two backends' tests have different names in ctest.
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "notify/service.hpp"
#include "resources/demo.hpp"
#include "resources/service.hpp"
#include "search/index.hpp"
#include "storage/store.hpp"

#ifndef RESOURCES_CASES
#define RESOURCES_CASES ResourcesTest
#endif

namespace linli::resources {

// A migrated, empty store of the backend under test; `cleanup` runs after it is closed.
struct CaseStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};
CaseStore OpenCaseStore();

namespace {

constexpr std::int64_t kDay = 24 * 3600;

// A tiny valid PNG header is all the magic-byte check needs.
const std::string kPng = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);

CardContent Drill(std::string title = "冲击电钻") {
  CardContent content;
  content.kind = Kind::kGoods;
  content.title = std::move(title);
  content.description = "带全套钻头，周末可借。";
  content.tags = {"电钻", "工具"};
  content.attributes.condition = Condition::kGood;
  content.location.lat = 31.18;
  content.location.lon = 121.43;
  return content;
}

class RESOURCES_CASES : public ::testing::Test {
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
    garden_ = accounts_
                  .EnsureCommunity(
                      system, {"上海市", "花园街道", "花园社区", "Asia/Shanghai", std::nullopt})
                  .value();
    auto grid = accounts_.EnsureGrid(system, sunshine_, "第1网格").value();
    building_ = accounts_.EnsureBuilding(system, sunshine_, grid, "1号楼").value();
    owner_ = Member("owner", sunshine_, {Role::kResident});
    other_ = Member("other", sunshine_, {Role::kResident});
    committee_ = Member("committee", sunshine_, {Role::kCommittee});
    staff_ = Member("staff", sunshine_, {Role::kPropertyStaff});
    neighbour_ = Member("neighbour", harmony_, {Role::kResident});
    far_ = Member("far", garden_, {Role::kResident});
    ASSERT_TRUE(service_.RebuildIndex());
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
      return Ok();
    }));
    Actor actor;
    actor.user_id = id;
    actor.roles_by_community[community] = std::move(roles);
    actor.current_community_id = community;
    return actor;
  }

  Card Listed(const Actor& owner, CardContent content = Drill()) {
    auto card = service_.Create(owner, 0, content);
    EXPECT_TRUE(card.has_value()) << card.error().detail;
    EXPECT_TRUE(service_.Submit(owner, card->id));
    auto approved = service_.Approve(committee_, card->id, "");
    EXPECT_TRUE(approved.has_value()) << approved.error().detail;
    return *approved;
  }

  std::vector<std::int64_t> Found(const Actor& viewer, std::string text) {
    SearchRequest request;
    request.text = std::move(text);
    auto page = service_.Search(viewer, request);
    EXPECT_TRUE(page.has_value()) << page.error().reason;
    std::vector<std::int64_t> ids;
    for (const auto& item : page->items) ids.push_back(item.card.id);
    return ids;
  }

  std::vector<std::string> NotificationsOf(const Actor& actor) {
    std::vector<std::string> kinds;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(
          auto rows, session.Query("SELECT kind FROM notifications WHERE user_id = $1 ORDER BY id",
                                   {actor.user_id}));
      for (const auto& row : rows) kinds.push_back(row.Text(0));
      return Ok();
    }));
    return kinds;
  }

  std::int64_t CountCards() {
    std::int64_t count = 0;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT COUNT(*) FROM resource_cards"));
      count = row->Int(0);
      return Ok();
    }));
    return count;
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
  audit::AuditService audit_{*store_, clock_};
  accounts::AccountsService accounts_{*store_, audit_, clock_, random_};
  notify::NotifyService notify_{*store_, clock_};
  search::Index index_;
  ResourcesService service_{*store_, audit_, notify_,           accounts_,
                            index_,  clock_, Policy{90, 7, 180}};
  std::int64_t sunshine_ = 0, harmony_ = 0, garden_ = 0, building_ = 0;
  Actor owner_, other_, committee_, staff_, neighbour_, far_;

 private:
  std::unique_ptr<storage::Store> Open() {
    auto opened = OpenCaseStore();
    cleanup_.fn = std::move(opened.cleanup);
    return std::move(opened.store);
  }
};

TEST_F(RESOURCES_CASES, PublishReviewListSearchDelist) {
  auto draft = service_.Create(owner_, 0, Drill()).value();
  EXPECT_EQ(draft.lifecycle, Lifecycle::kDraft);
  EXPECT_EQ(draft.community_id, sunshine_);
  EXPECT_TRUE(Found(other_, "电钻").empty());  // drafts are not in the market

  auto submitted = service_.Submit(owner_, draft.id).value();
  EXPECT_EQ(submitted.lifecycle, Lifecycle::kPendingReview);
  auto queue = service_.ReviewQueue(committee_, sunshine_, {20, std::nullopt}).value();
  ASSERT_EQ(queue.items.size(), 1u);
  EXPECT_EQ(queue.items[0].id, draft.id);
  EXPECT_TRUE(Found(other_, "电钻").empty());

  auto listed = service_.Approve(committee_, draft.id, "").value();
  EXPECT_EQ(listed.lifecycle, Lifecycle::kListed);
  EXPECT_EQ(listed.reconfirm_due_at, clock_.NowEpochS() + 90 * kDay);
  EXPECT_EQ(Found(other_, "电钻"), std::vector<std::int64_t>{draft.id});
  EXPECT_EQ(Found(other_, "钻"), std::vector<std::int64_t>{draft.id});
  EXPECT_EQ(NotificationsOf(owner_), std::vector<std::string>{"resources.review.approved"});

  auto delisted = service_.Delist(owner_, draft.id, "").value();
  EXPECT_EQ(delisted.lifecycle, Lifecycle::kDelisted);
  EXPECT_EQ(delisted.delisted_reason, "owner");
  EXPECT_TRUE(Found(other_, "电钻").empty());
  // Resubmitting goes through review again.
  EXPECT_EQ(service_.Submit(owner_, draft.id)->lifecycle, Lifecycle::kPendingReview);
}

TEST_F(RESOURCES_CASES, ErasingTheOwnerArchivesTheirCardsAndDropsTheirPhotos) {
  auto card = service_.Create(owner_, 0, Drill()).value();
  ASSERT_TRUE(service_.AddPhoto(owner_, card.id, kPng));
  ASSERT_TRUE(service_.Submit(owner_, card.id));
  ASSERT_TRUE(service_.Approve(committee_, card.id, ""));
  auto other_card = Listed(other_, Drill("手电钻"));
  ASSERT_EQ(Found(other_, "电钻").size(), 2u);
  ASSERT_TRUE(store_->Write(
      [&](storage::Session& session) { return service_.EraseOwner(session, owner_.user_id); }));
  ASSERT_TRUE(service_.SyncIndex());
  EXPECT_EQ(Found(other_, "电钻"), std::vector<std::int64_t>{other_card.id});
  auto archived = service_.Get(owner_, card.id);
  ASSERT_TRUE(archived.has_value());
  EXPECT_EQ(archived->lifecycle, Lifecycle::kArchived);
  EXPECT_TRUE(archived->photo_ids.empty());
}

TEST_F(RESOURCES_CASES, RejectNeedsAReasonAndTellsTheOwner) {
  auto card = service_.Create(owner_, 0, Drill()).value();
  ASSERT_TRUE(service_.Submit(owner_, card.id));
  auto no_reason = service_.Reject(committee_, card.id, "");
  EXPECT_EQ(no_reason.error().reason, "invalid_field");
  EXPECT_EQ(no_reason.error().errors.at(0).field, "reason");
  auto rejected = service_.Reject(committee_, card.id, "照片不清楚").value();
  EXPECT_EQ(rejected.lifecycle, Lifecycle::kDraft);
  auto reviews = service_.Reviews(owner_, card.id).value();
  ASSERT_EQ(reviews.size(), 1u);
  EXPECT_EQ(reviews[0].decision, "reject");
  EXPECT_EQ(reviews[0].reason, "照片不清楚");
  EXPECT_EQ(reviews[0].reviewer_id, committee_.user_id);
  EXPECT_EQ(NotificationsOf(owner_), std::vector<std::string>{"resources.review.rejected"});
}

TEST_F(RESOURCES_CASES, ReconfirmationRemindsOnceThenDelistsWhenOverdue) {
  const Card card = Listed(owner_);
  clock_.Advance(Seconds{(90 - 8) * kDay});
  EXPECT_EQ(service_.RunReconfirmation(clock_.NowEpochS())->reminded, 0);  // not yet
  clock_.Advance(Seconds{kDay});
  EXPECT_EQ(service_.RunReconfirmation(clock_.NowEpochS())->reminded, 1);
  clock_.Advance(Seconds{3600});
  EXPECT_EQ(service_.RunReconfirmation(clock_.NowEpochS())->reminded, 0);  // once per period
  EXPECT_EQ(Found(other_, "电钻"), std::vector<std::int64_t>{card.id});

  clock_.Advance(Seconds{7 * kDay});
  auto report = service_.RunReconfirmation(clock_.NowEpochS()).value();
  EXPECT_EQ(report.delisted_overdue, 1);
  auto after = service_.Get(owner_, card.id).value();
  EXPECT_EQ(after.lifecycle, Lifecycle::kDelisted);
  EXPECT_EQ(after.delisted_reason, "reconfirmation_overdue");
  EXPECT_TRUE(Found(other_, "电钻").empty());
  EXPECT_EQ(NotificationsOf(owner_),
            (std::vector<std::string>{"resources.review.approved", "resources.reconfirm.reminder",
                                      "resources.delisted.overdue"}));
}

TEST_F(RESOURCES_CASES, ReconfirmingStartsANewPeriodWithANewReminder) {
  const Card card = Listed(owner_);
  clock_.Advance(Seconds{85 * kDay});
  EXPECT_EQ(service_.RunReconfirmation(clock_.NowEpochS())->reminded, 1);
  auto reconfirmed = service_.Reconfirm(owner_, card.id).value();
  EXPECT_EQ(reconfirmed.reconfirm_due_at, clock_.NowEpochS() + 90 * kDay);
  clock_.Advance(Seconds{10 * kDay});  // past the old due date
  auto report = service_.RunReconfirmation(clock_.NowEpochS()).value();
  EXPECT_EQ(report.delisted_overdue, 0);
  clock_.Advance(Seconds{75 * kDay});
  EXPECT_EQ(service_.RunReconfirmation(clock_.NowEpochS())->reminded, 1);
}

TEST_F(RESOURCES_CASES, IdleCardsAreDelistedAfterTheCommunitysPeriod) {
  ASSERT_TRUE(service_.UpdateSettings(committee_, sunshine_, {120, 7, 30}));
  const Card idle = Listed(owner_);
  const Card used = Listed(owner_, Drill("梯子"));
  clock_.Advance(Seconds{20 * kDay});
  ASSERT_TRUE(service_.SetAvailability(owner_, used.id, Availability::kInUse));
  clock_.Advance(Seconds{11 * kDay});
  auto report = service_.RunReconfirmation(clock_.NowEpochS()).value();
  EXPECT_EQ(report.delisted_idle, 1);
  EXPECT_EQ(service_.Get(owner_, idle.id)->delisted_reason, "idle");
  EXPECT_EQ(service_.Get(owner_, used.id)->lifecycle, Lifecycle::kListed);
  EXPECT_EQ(NotificationsOf(owner_).back(), "resources.delisted.idle");
  // Bookings and loans record use the same way.
  ASSERT_TRUE(store_->Write([&](storage::Session& session) {
    return service_.RecordActivity(session, sunshine_, used.id);
  }));
  clock_.Advance(Seconds{25 * kDay});
  EXPECT_EQ(service_.RunReconfirmation(clock_.NowEpochS())->delisted_idle, 0);
}

TEST_F(RESOURCES_CASES, SettingsAreValidatedAndOnlyForReviewers) {
  EXPECT_EQ(service_.GetSettings(owner_, sunshine_).error().reason, "not_found");
  auto defaults = service_.GetSettings(committee_, sunshine_).value();
  EXPECT_FALSE(defaults.customised);
  EXPECT_EQ(defaults.policy.reconfirm_days, 90);
  EXPECT_EQ(service_.UpdateSettings(committee_, sunshine_, {10, 10, std::nullopt}).error().reason,
            "invalid_field");
  auto updated = service_.UpdateSettings(committee_, sunshine_, {30, std::nullopt, 60}).value();
  EXPECT_EQ(updated.policy.reconfirm_days, 30);
  EXPECT_EQ(updated.policy.reminder_days, 7);
  EXPECT_EQ(updated.policy.idle_days, 60);
  EXPECT_EQ(Listed(owner_).reconfirm_due_at, clock_.NowEpochS() + 30 * kDay);
}

TEST_F(RESOURCES_CASES, EditingAListedCardSendsItBackToReview) {
  const Card card = Listed(owner_);
  CardPatch patch;
  patch.title = "电锤";
  auto edited = service_.Update(owner_, card.id, patch, card.version).value();
  EXPECT_EQ(edited.lifecycle, Lifecycle::kPendingReview);
  EXPECT_EQ(edited.content.title, "电锤");
  EXPECT_TRUE(Found(other_, "电").empty());
  // A stale If-Match version is refused.
  EXPECT_EQ(service_.Update(owner_, card.id, patch, card.version).error().reason,
            "version_mismatch");
  // Availability is not content: it changes without review.
  ASSERT_TRUE(service_.Approve(committee_, card.id, "可以"));
  EXPECT_EQ(service_.SetAvailability(owner_, card.id, Availability::kMaintenance)->lifecycle,
            Lifecycle::kListed);
  SearchRequest maintenance;
  maintenance.status = Availability::kMaintenance;
  EXPECT_EQ(service_.Search(other_, maintenance)->items.size(), 1u);
}

TEST_F(RESOURCES_CASES, NotYoursIsNotFound) {
  const Card card = service_.Create(owner_, 0, Drill()).value();
  CardPatch patch;
  patch.title = "我的";
  EXPECT_EQ(service_.Update(other_, card.id, patch, std::nullopt).error().reason, "not_found");
  EXPECT_EQ(service_.Get(other_, card.id).error().reason, "not_found");  // a draft
  EXPECT_EQ(service_.Submit(other_, card.id).error().reason, "not_found");
  EXPECT_EQ(service_.Get(owner_, 999999).error().reason, "not_found");
  ASSERT_TRUE(service_.Submit(owner_, card.id));
  // Residents and property staff do not review; nobody reviews their own card.
  EXPECT_EQ(service_.Approve(other_, card.id, "").error().reason, "not_found");
  EXPECT_EQ(service_.Approve(staff_, card.id, "").error().reason, "not_found");
  EXPECT_EQ(service_.ReviewQueue(other_, sunshine_, {20, std::nullopt}).error().reason,
            "not_found");
  Actor both = committee_;
  both.user_id = owner_.user_id;
  EXPECT_EQ(service_.Approve(both, card.id, "").error().reason, "self_review");
  EXPECT_EQ(service_.Approve(Actor{}, card.id, "").error().reason, "unauthenticated");
}

TEST_F(RESOURCES_CASES, InstitutionalCardsAreManagedByTheInstitutionsStaff) {
  Actor staff2 = Member("staff2", sunshine_, {Role::kPropertyStaff});
  CardContent room;
  room.kind = Kind::kSpace;
  room.owner_type = OwnerType::kProperty;
  room.title = "物业会议室";
  room.attributes.capacity = 20;
  EXPECT_EQ(service_.Create(owner_, 0, room).error().errors.at(0).reason, "not_allowed");
  auto card = service_.Create(staff_, 0, room).value();
  EXPECT_TRUE(service_.Submit(staff2, card.id).has_value());  // a colleague may submit it
  EXPECT_EQ(service_.Approve(staff2, card.id, "").error().reason, "not_found");
  EXPECT_TRUE(service_.Approve(committee_, card.id, "").has_value());
}

TEST_F(RESOURCES_CASES, IllegalTransitionsAreConflicts) {
  const Card card = service_.Create(owner_, 0, Drill()).value();
  auto reconfirm = service_.Reconfirm(owner_, card.id);
  EXPECT_EQ(reconfirm.error().code, Errc::kConflict);
  EXPECT_EQ(reconfirm.error().reason, "illegal_transition");
  EXPECT_NE(reconfirm.error().detail.find("draft → listed"), std::string::npos);
  EXPECT_EQ(service_.Delist(owner_, card.id, "").error().reason, "illegal_transition");
  ASSERT_TRUE(service_.Archive(owner_, card.id));
  EXPECT_EQ(service_.Submit(owner_, card.id).error().reason, "illegal_transition");
  EXPECT_EQ(service_.SetAvailability(owner_, card.id, Availability::kReserved).error().reason,
            "illegal_transition");
}

TEST_F(RESOURCES_CASES, ReviewersDelistWithAReasonTheOwnerIsTold) {
  const Card card = Listed(owner_);
  EXPECT_EQ(service_.Delist(committee_, card.id, "").error().reason, "invalid_field");
  auto delisted = service_.Delist(committee_, card.id, "已损坏，不宜出借").value();
  EXPECT_EQ(delisted.delisted_reason, "reviewer");
  EXPECT_EQ(NotificationsOf(owner_).back(), "resources.delisted");
  EXPECT_EQ(service_.Reviews(committee_, card.id)->back().decision, "delist");
  EXPECT_EQ(service_.Delist(other_, card.id, "x").error().reason, "not_found");
}

TEST_F(RESOURCES_CASES, VisibilityFollowsTheCardsScope) {
  CardContent street_card = Drill("街道共享投影仪");
  street_card.description = "1080P，附幕布。";
  street_card.tags = {"投影仪"};
  street_card.visibility = Visibility::kStreet;
  CardContent city_card = Drill("全市法律咨询电钻");
  city_card.visibility = Visibility::kCity;
  const Card local = Listed(owner_);
  const Card street = Listed(owner_, street_card);
  const Card city = Listed(owner_, city_card);
  EXPECT_EQ(Found(other_, "电钻").size(), 2u);
  EXPECT_EQ(Found(neighbour_, "投影仪"), std::vector<std::int64_t>{street.id});
  EXPECT_EQ(Found(neighbour_, "电钻"), std::vector<std::int64_t>{city.id});
  EXPECT_EQ(Found(far_, "电钻"), std::vector<std::int64_t>{city.id});
  EXPECT_TRUE(Found(far_, "投影仪").empty());
  EXPECT_EQ(service_.Get(neighbour_, local.id).error().reason, "not_found");
  EXPECT_TRUE(service_.Get(neighbour_, street.id).has_value());
  EXPECT_EQ(service_.Get(far_, street.id).error().reason, "not_found");
}

TEST_F(RESOURCES_CASES, SearchFiltersByKindTagAndDistance) {
  CardContent far_drill = Drill("远处的电钻");
  far_drill.location.lat = 31.30;  // about 13 km north
  const Card near = Listed(owner_);
  Listed(owner_, far_drill);
  SearchRequest request;
  request.text = "电钻";
  request.kind = Kind::kGoods;
  request.tags = {"工具"};
  request.lat = 31.181;
  request.lon = 121.431;
  request.radius_m = 1000;
  auto page = service_.Search(other_, request).value();
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].card.id, near.id);
  ASSERT_TRUE(page.items[0].distance_m.has_value());
  EXPECT_LT(*page.items[0].distance_m, 200);
  request.kind = Kind::kSpace;
  EXPECT_TRUE(service_.Search(other_, request)->items.empty());
  EXPECT_EQ(service_.Search(Actor{}, request).error().reason, "unauthenticated");
}

const std::string kSurveyHeader = "ref,kind,title,tags,building,rule,points,skill\n";

TEST_F(RESOURCES_CASES, CsvImportWithOneBadRowSavesNothingAndReportsTheRow) {
  const std::int64_t before = CountCards();
  const std::string csv = kSurveyHeader +
                          "DY-1,goods,爱心雨伞,雨伞,1号楼,free,,\n"
                          "DY-2,service,上门理发,,,points,,理发\n"  // points rule without points
                          "DY-3,goods,梯子,,9号楼,free,,\n";        // no such building
  auto result = service_.ImportCsv(committee_, sunshine_, csv, {}).value();
  EXPECT_FALSE(result.ok());
  ASSERT_EQ(result.problems.size(), 2u);
  EXPECT_EQ(result.problems[0], (CsvProblem{3, 3, "points", "required"}));
  EXPECT_EQ(result.problems[1], (CsvProblem{4, 4, "building", "not_found"}));
  EXPECT_TRUE(result.created_ids.empty());
  EXPECT_EQ(CountCards(), before);
}

TEST_F(RESOURCES_CASES, CsvImportCreatesCardsAllAtOnce) {
  const std::string csv = kSurveyHeader +
                          "DY-1,goods,爱心雨伞,雨伞,1号楼,free,,\n"
                          "DY-2,service,上门理发,,,points,10,理发\n";
  // Residents do not import; only reviewers import straight into the market.
  EXPECT_EQ(service_.ImportCsv(owner_, sunshine_, csv, {}).error().reason, "not_found");
  Actor guide = Member("guide", sunshine_, {Role::kGridWorker});
  EXPECT_EQ(
      service_.ImportCsv(guide, sunshine_, csv, {Lifecycle::kListed, std::nullopt}).error().reason,
      "invalid_field");
  auto pending = service_.ImportCsv(guide, sunshine_, csv, {}).value();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending.created_ids.size(), 2u);
  EXPECT_EQ(service_.Get(guide, pending.created_ids[0])->content.location.building_id, building_);
  EXPECT_EQ(service_.ReviewQueue(committee_, sunshine_, {20, std::nullopt})->items.size(), 2u);
  // The refs are taken now: importing the same rows again reports them.
  auto again =
      service_.ImportCsv(committee_, sunshine_, csv, {Lifecycle::kListed, std::nullopt}).value();
  ASSERT_EQ(again.problems.size(), 2u);
  EXPECT_EQ(again.problems[0].reason, "duplicate");
  auto listed =
      service_
          .ImportCsv(committee_, sunshine_, kSurveyHeader + "DY-9,goods,投影仪,,,free,,\n",
                     {Lifecycle::kListed, std::nullopt})
          .value();
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(Found(other_, "投影仪"), listed.created_ids);
  EXPECT_EQ(service_.Reviews(committee_, listed.created_ids[0])->at(0).reason, "入户调研导入");
}

TEST_F(RESOURCES_CASES, ExportNeutralisesFormulaCells) {
  CardContent sneaky = Drill("=HYPERLINK(\"http://evil\",\"点我\")");
  sneaky.description = "@SUM(A1:A9)";
  sneaky.tags = {"-1+2", "电钻"};
  Listed(owner_, sneaky);
  EXPECT_EQ(service_.ExportCsv(owner_, sunshine_).error().reason, "not_found");
  auto csv = service_.ExportCsv(committee_, sunshine_).value();
  EXPECT_TRUE(csv.starts_with("\xEF\xBB\xBFid,lifecycle,availability,"));
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://evil\"\",\"\"点我\"\")\""), std::string::npos)
      << csv;
  EXPECT_NE(csv.find(",'@SUM(A1:A9),"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",'-1+2;电钻,"), std::string::npos) << csv;
  EXPECT_NE(csv.find(",31.180000,121.430000,"), std::string::npos) << csv;  // numbers stay raw
  // Every text cell of the export starts with a harmless character.
  auto parsed = ParseCsv(csv, 100);
  ASSERT_FALSE(parsed.error.has_value());
  for (const auto& record : parsed.records) {
    for (const auto& field : record.fields) {
      EXPECT_TRUE(field.empty() || std::string_view("=+@\t\r").find(field[0]) == std::string::npos)
          << field;
    }
  }
}

TEST_F(RESOURCES_CASES, PhotosAreCheckedByMagicBytesAndCounted) {
  const Card card = Listed(owner_);
  EXPECT_EQ(service_.AddPhoto(owner_, card.id, "<svg/>").error().reason, "unsupported_image");
  EXPECT_EQ(
      service_.AddPhoto(owner_, card.id, kPng + std::string(limits::kResourcePhotoBytesMax, 'x'))
          .error()
          .reason,
      "photo_too_large");
  EXPECT_EQ(service_.AddPhoto(other_, card.id, kPng).error().reason, "not_found");
  auto with_photo = service_.AddPhoto(owner_, card.id, kPng).value();
  ASSERT_EQ(with_photo.photo_ids.size(), 1u);
  EXPECT_EQ(with_photo.lifecycle, Lifecycle::kPendingReview);  // photos are content
  auto photo = service_.GetPhoto(owner_, card.id, with_photo.photo_ids[0]).value();
  EXPECT_EQ(photo.media_type, "image/png");
  EXPECT_EQ(photo.bytes, kPng);
  EXPECT_EQ(photo.etag.size(), 34u);
  EXPECT_EQ(service_.GetPhoto(other_, card.id, with_photo.photo_ids[0]).error().reason,
            "not_found");  // pending review: not public
  for (std::size_t i = 1; i < limits::kResourcePhotosPerCardMax; ++i) {
    ASSERT_TRUE(service_.AddPhoto(owner_, card.id, kPng));
  }
  EXPECT_EQ(service_.AddPhoto(owner_, card.id, kPng).error().reason, "too_many_photos");
  auto removed = service_.RemovePhoto(owner_, card.id, with_photo.photo_ids[0]).value();
  EXPECT_EQ(removed.photo_ids.size(), limits::kResourcePhotosPerCardMax - 1);
  EXPECT_EQ(service_.RemovePhoto(owner_, card.id, with_photo.photo_ids[0]).error().reason,
            "not_found");
}

TEST_F(RESOURCES_CASES, AnotherProcessFollowsTheChangeLog) {
  // A second "process": its own index and service over the same database.
  search::Index other_index;
  ResourcesService other_process{*store_, audit_, notify_, accounts_, other_index, clock_};
  ASSERT_TRUE(other_process.RebuildIndex());
  const Card card = Listed(owner_);
  EXPECT_TRUE(Found(other_, "电钻") == std::vector<std::int64_t>{card.id});
  EXPECT_EQ(other_index.size(), 0u);
  ASSERT_TRUE(other_process.SyncIndex());
  EXPECT_EQ(other_index.size(), 1u);
  ASSERT_TRUE(service_.Delist(owner_, card.id, ""));
  ASSERT_TRUE(other_process.SyncIndex());
  EXPECT_EQ(other_index.size(), 0u);
  // And a process started later rebuilds from the database.
  ASSERT_TRUE(service_.Submit(owner_, card.id));
  ASSERT_TRUE(service_.Approve(committee_, card.id, ""));
  search::Index late_index;
  ResourcesService late{*store_, audit_, notify_, accounts_, late_index, clock_};
  ASSERT_TRUE(late.RebuildIndex());
  EXPECT_EQ(late_index.size(), 1u);
}

TEST_F(RESOURCES_CASES, TheFeedWaitsForAGapThenSkipsIt) {
  const Card card = Listed(owner_);
  search::Index index;
  Places places(accounts_);
  IndexFeed feed(*store_, index, places, clock_);
  ASSERT_TRUE(feed.Rebuild());
  const std::int64_t start = feed.cursor();
  // A change whose predecessor id is still "in flight" (a transaction not yet committed).
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute(
        "INSERT INTO resource_changes (id, community_id, resource_id, at) VALUES ($1, $2, $3, 0)",
        {start + 2, sunshine_, card.id}));
    return Ok();
  }));
  ASSERT_TRUE(feed.Poll());
  EXPECT_EQ(feed.cursor(), start);  // applied, but the cursor waits at the gap
  EXPECT_EQ(index.size(), 1u);
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute(
        "INSERT INTO resource_changes (id, community_id, resource_id, at) VALUES ($1, $2, $3, 0)",
        {start + 1, sunshine_, card.id}));
    return Ok();
  }));
  ASSERT_TRUE(feed.Poll());
  EXPECT_EQ(feed.cursor(), start + 2);  // the gap filled
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute(
        "INSERT INTO resource_changes (id, community_id, resource_id, at) VALUES ($1, $2, $3, 0)",
        {start + 5, sunshine_, card.id}));
    return Ok();
  }));
  ASSERT_TRUE(feed.Poll());
  EXPECT_EQ(feed.cursor(), start + 2);
  clock_.Advance(Seconds{kChangeGapGraceS});
  ASSERT_TRUE(feed.Poll());
  EXPECT_EQ(feed.cursor(), start + 5);  // rolled back ids are skipped after the grace period
}

TEST_F(RESOURCES_CASES, OrganisationKeysNeedTheirScopes) {
  Actor key;
  key.api_key_id = 3;
  key.api_key_community_id = sunshine_;
  key.current_community_id = sunshine_;
  key.roles_by_community[sunshine_] = {Role::kOrganisation};
  key.scopes = {"resources:read"};
  CardContent donation = Drill("捐赠的轮椅");
  donation.owner_type = OwnerType::kOrganisation;
  EXPECT_EQ(service_.Create(key, 0, donation).error().reason, "insufficient_scope");
  key.scopes.push_back("resources:write");
  auto card = service_.Create(key, 0, donation).value();
  EXPECT_EQ(card.owner_api_key_id, 3);
  EXPECT_FALSE(card.owner_user_id.has_value());
  EXPECT_EQ(service_.Mine(key, std::nullopt, {20, std::nullopt})->items.size(), 1u);
  ASSERT_TRUE(service_.Submit(key, card.id));
  ASSERT_TRUE(service_.Approve(committee_, card.id, ""));  // no inbox to notify: fine
}

TEST_F(RESOURCES_CASES, MineListsTheOwnersCardsNewestFirst) {
  const Card first = service_.Create(owner_, 0, Drill("一")).value();
  const Card second = service_.Create(owner_, 0, Drill("二")).value();
  service_.Create(other_, 0, Drill("三")).value();
  auto page = service_.Mine(owner_, std::nullopt, {1, std::nullopt}).value();
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.items[0].id, second.id);
  auto next = service_.Mine(owner_, std::nullopt, {1, page.next}).value();
  EXPECT_EQ(next.items.at(0).id, first.id);
  EXPECT_FALSE(next.next.has_value());
  EXPECT_TRUE(service_.Mine(owner_, Lifecycle::kListed, {20, std::nullopt})->items.empty());
}

TEST_F(RESOURCES_CASES, SeedingIsIdempotent) {
  std::vector<SeedCard> seeds{
      {"demo:a", owner_.user_id, Drill(), Lifecycle::kListed, Availability::kAvailable},
      {"demo:b", owner_.user_id, Drill("梯子"), Lifecycle::kPendingReview,
       Availability::kAvailable}};
  EXPECT_EQ(service_.EnsureCards(owner_, sunshine_, seeds).error().reason, "forbidden");
  EXPECT_EQ(service_.EnsureCards(Actor::System(), sunshine_, seeds).value(), 2);
  EXPECT_EQ(service_.EnsureCards(Actor::System(), sunshine_, seeds).value(), 0);
  EXPECT_EQ(
      service_.EnsureSynthetic(Actor::System(), sunshine_, owner_.user_id, 1200, SyntheticCard)
          .value(),
      1200);
  EXPECT_EQ(
      service_.EnsureSynthetic(Actor::System(), sunshine_, owner_.user_id, 1500, SyntheticCard)
          .value(),
      300);
  EXPECT_EQ(CountCards(), 2 + 1500);
  ASSERT_TRUE(service_.SyncIndex());  // the rebuild marker reloads the index
  EXPECT_EQ(index_.size(), 1u + 1500u);
  for (int n = 0; n < 200; ++n) EXPECT_TRUE(Validate(SyntheticCard(n)).empty()) << n;
}

}  // namespace
}  // namespace linli::resources
