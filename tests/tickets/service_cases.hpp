#pragma once
// The tickets use cases, written once and run on every backend: service_test.cpp (SQLite) and
// tickets_pgtest.cpp (PostgreSQL) each define OpenCaseStore(). The suite is named by
// TICKETS_CASES so the backends' tests have different names in ctest.
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/sealed.hpp"
#include "notify/service.hpp"
#include "storage/store.hpp"
#include "tickets/service.hpp"
#include "tickets/tracking_code.hpp"

#ifndef TICKETS_CASES
#define TICKETS_CASES TicketsTest
#endif

namespace linli::tickets {

struct CaseStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};
CaseStore OpenCaseStore();

namespace {

constexpr std::int64_t kHour = 3600;
const std::string kPng = std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16);

class TICKETS_CASES : public ::testing::Test {
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
    grid_ = accounts_.EnsureGrid(system, sunshine_, "第1网格").value();
    building_ = accounts_.EnsureBuilding(system, sunshine_, grid_, "3号楼").value();
    resident_ = Member("resident", sunshine_, {Role::kResident});
    other_ = Member("other", sunshine_, {Role::kResident});
    staff_ = Member("staff", sunshine_, {Role::kPropertyStaff});
    guide_ = Member("guide", sunshine_, {Role::kGridWorker});
    committee_ = Member("committee", sunshine_, {Role::kCommittee});
    admin_ = Member("admin", sunshine_, {Role::kAdmin});
    merchant_ = Member("merchant", sunshine_, {Role::kMerchant});
    outsider_ = Member("outsider", harmony_, {Role::kPropertyStaff});
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

  // Local Shanghai wall-clock time → epoch seconds.
  static std::int64_t At(int y, int m, int d, int hour = 0) {
    return TimeZone::Default().ToUtc(DayFromCivil(y, m, d).value(), hour * 3600);
  }

  static NewTicket Of(std::int64_t community_id, std::string category) {
    NewTicket request;
    request.community_id = community_id;
    request.category = std::move(category);
    return request;
  }

  Ticket Report(const Actor& actor, std::string category = "water_leak") {
    NewTicket request;
    request.category = std::move(category);
    request.description = "卫生间天花板漏水，王阿姨 13800001111";
    request.location.building_id = building_;
    request.location.unit_label = "2单元301";
    auto ticket = service_.Create(actor, request);
    EXPECT_TRUE(ticket.has_value()) << ticket.error().detail;
    return *ticket;
  }

  int InboxCount(const Actor& actor, std::string_view kind) {
    auto inbox = notify_.Inbox(actor, {100, std::nullopt});
    EXPECT_TRUE(inbox.has_value());
    int count = 0;
    for (const auto& item : inbox->items) count += item.kind == kind ? 1 : 0;
    return count;
  }

  static std::unique_ptr<storage::Store> Open(CaseStore opened, CaseStore& keep) {
    keep.cleanup = std::move(opened.cleanup);
    return std::move(opened.store);
  }
  static crypto::KeyRing Keys() {
    SeededRandom random(11);
    return crypto::KeyRing::Parse(crypto::KeyRing::GenerateEntry(1, random)).value();
  }

  struct Cleanup {
    CaseStore holder;
    ~Cleanup() {
      if (holder.cleanup) holder.cleanup();
    }
  } cleanup_;
  std::unique_ptr<storage::Store> store_ = Open(OpenCaseStore(), cleanup_.holder);
  ManualClock clock_{At(2026, 9, 30, 9)};
  SeededRandom random_{7};
  crypto::KeyRing keys_ = Keys();
  audit::AuditService audit_{*store_, clock_};
  accounts::AccountsService accounts_{*store_, audit_, clock_, random_};
  notify::NotifyService notify_{*store_, clock_};
  TicketsService service_{*store_, audit_, notify_, accounts_, clock_, random_, keys_};
  std::int64_t sunshine_ = 0, harmony_ = 0, grid_ = 0, building_ = 0;
  Actor resident_, other_, staff_, guide_, committee_, admin_, merchant_, outsider_;
};

TEST_F(TICKETS_CASES, ResidentSeesOnlyTheirOwnTickets) {
  const auto mine = Report(resident_);
  const auto theirs = Report(other_);
  EXPECT_TRUE(service_.Get(resident_, mine.id));
  auto denied = service_.Get(resident_, theirs.id);
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().reason, "not_found");
  auto list = service_.Mine(resident_, std::nullopt, {20, std::nullopt}).value();
  ASSERT_EQ(list.items.size(), 1u);
  EXPECT_EQ(list.items[0].id, mine.id);
  // Staff of another community cannot see it either; staff of this one can.
  EXPECT_EQ(service_.Get(outsider_, mine.id).error().reason, "not_found");
  EXPECT_TRUE(service_.Get(staff_, mine.id));
  // A resident cannot work a ticket, not even their own.
  EXPECT_EQ(service_.Accept(resident_, mine.id, std::nullopt, "").error().reason, "forbidden");
  EXPECT_EQ(service_.Accept(resident_, theirs.id, std::nullopt, "").error().reason, "not_found");
}

TEST_F(TICKETS_CASES, ReportStartsBothClocksFromTheCategoryColour) {
  const auto ticket = Report(resident_);  // water_leak: red
  EXPECT_EQ(ticket.colour, Colour::kRed);
  EXPECT_EQ(ticket.status, State::kSubmitted);
  EXPECT_EQ(ticket.response.due_s, At(2026, 10, 1, 9));  // 24 wall-clock hours
  // Resolution: 3 working days after 09-30 → 10-08, 10-09, 10-10 (make-up Saturday).
  EXPECT_EQ(ticket.resolution.due_s, At(2026, 10, 11));
  EXPECT_TRUE(ParseTrackingCode(ticket.code));
  EXPECT_EQ(ticket.code.front(), 'B');
  EXPECT_EQ(ticket.reporter_user_id, resident_.user_id);
  EXPECT_EQ(ticket.assignee.kind, AssigneeKind::kProperty);
}

TEST_F(TICKETS_CASES, SlaJobWarnsThenEscalatesOnBreach) {
  ASSERT_TRUE(service_.UpdateSettings(committee_, sunshine_, {7, committee_.user_id}));
  const auto ticket = Report(resident_);
  EXPECT_EQ(service_.RunSla(clock_.NowEpochS()).value().warned, 0);
  clock_.Advance(Seconds{20 * kHour});  // past 80% of 24 h
  auto first = service_.RunSla(clock_.NowEpochS()).value();
  EXPECT_EQ(first.warned, 1);
  EXPECT_EQ(first.breached, 0);
  EXPECT_EQ(InboxCount(committee_, "tickets.sla.warning"), 1);  // unassigned: the supervisor
  // Running again changes nothing: each event fires once.
  EXPECT_EQ(service_.RunSla(clock_.NowEpochS()).value().warned, 0);
  clock_.Advance(Seconds{5 * kHour});
  auto second = service_.RunSla(clock_.NowEpochS()).value();
  EXPECT_EQ(second.breached, 1);
  auto detail = service_.Get(staff_, ticket.id).value();
  EXPECT_TRUE(detail.ticket.escalated);
  EXPECT_TRUE(detail.ticket.response.breached);
  EXPECT_FALSE(detail.ticket.resolution.breached);
  EXPECT_EQ(InboxCount(committee_, "tickets.sla.breached"), 1);
  bool escalation_step = false;
  for (const auto& step : detail.steps) escalation_step |= step.kind == "escalated";
  EXPECT_TRUE(escalation_step);
  EXPECT_EQ(service_.RunSla(clock_.NowEpochS()).value().breached, 0);
}

TEST_F(TICKETS_CASES, AcceptingStopsTheResponseClock) {
  const auto ticket = Report(resident_);
  clock_.Advance(Seconds{2 * kHour});
  auto accepted = service_.Accept(staff_, ticket.id, std::nullopt, "已派维修工").value();
  EXPECT_EQ(accepted.status, State::kAccepted);
  EXPECT_EQ(accepted.response.met_at_s, clock_.NowEpochS());
  clock_.Advance(Seconds{30 * kHour});
  EXPECT_EQ(service_.RunSla(clock_.NowEpochS()).value().breached, 0);
  EXPECT_EQ(service_.Accept(staff_, ticket.id, std::nullopt, "").error().reason,
            "illegal_transition");
}

TEST_F(TICKETS_CASES, WaitingOnTheResidentPausesAndAResidentCommentResumes) {
  const auto ticket = Report(resident_);  // resolution due 10-11 00:00
  ASSERT_TRUE(service_.Accept(staff_, ticket.id, std::nullopt, ""));
  ASSERT_TRUE(service_.Start(staff_, ticket.id, ""));
  clock_.Set(At(2026, 9, 30, 12));
  auto waiting = service_.Wait(staff_, ticket.id, "请提供漏水照片").value();
  EXPECT_EQ(waiting.status, State::kWaitingOnResident);
  EXPECT_FALSE(waiting.resolution.due_s);
  EXPECT_EQ(waiting.resolution.remaining_s, 84 * kHour);
  // Nothing breaches while paused, however long.
  clock_.Set(At(2026, 10, 20));
  EXPECT_EQ(service_.RunSla(clock_.NowEpochS()).value().breached, 0);
  clock_.Set(At(2026, 10, 3, 8));  // the resident answers during the holiday
  auto resumed = service_.AddNote(resident_, ticket.id, "照片已上传", true).value();
  EXPECT_EQ(resumed.status, State::kInProgress);
  EXPECT_EQ(resumed.resolution.due_s, At(2026, 10, 12, 12));
}

TEST_F(TICKETS_CASES, TrackingLookupNeverRevealsTheReporter) {
  const auto ticket = Report(resident_);
  ASSERT_TRUE(service_.AddNote(staff_, ticket.id, "内部备注：住户电话已核实", false));
  ASSERT_TRUE(service_.AddNote(staff_, ticket.id, "维修工明天上门", true));
  auto view = service_.Track(FormatTrackingCode(ticket.code), "198.51.100.1").value();
  EXPECT_EQ(view.ticket.id, ticket.id);
  EXPECT_EQ(view.building_name, "3号楼");
  for (const auto& step : view.steps) {
    EXPECT_TRUE(step.is_public);
    EXPECT_EQ(step.note.find("内部备注"), std::string::npos);
  }
  // A code with a wrong check symbol is unknown.
  std::string typo = ticket.code;
  typo[5] = typo[5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(service_.Track(typo, "198.51.100.1").error().reason, "not_found");
}

TEST_F(TICKETS_CASES, TrackingLookupsAreRateLimitedPerClient) {
  const auto ticket = Report(resident_);
  for (int i = 0; i < 30; ++i) ASSERT_TRUE(service_.Track(ticket.code, "203.0.113.9"));
  auto limited = service_.Track(ticket.code, "203.0.113.9");
  ASSERT_FALSE(limited);
  EXPECT_EQ(limited.error().reason, "rate_limited");
  EXPECT_TRUE(service_.Track(ticket.code, "203.0.113.10"));  // another client
  clock_.Advance(Seconds{61});
  EXPECT_TRUE(service_.Track(ticket.code, "203.0.113.9"));
}

TEST_F(TICKETS_CASES, RoutingRulesAssignAndNotify) {
  Rule rule;
  rule.category = "*";
  rule.grid_id = grid_;
  rule.assignee = {AssigneeKind::kGridWorker, guide_.user_id, ""};
  EXPECT_EQ(service_.AddRule(staff_, sunshine_, rule).error().reason, "forbidden");
  ASSERT_TRUE(service_.AddRule(committee_, sunshine_, rule));
  const auto ticket = Report(resident_, "noise");
  EXPECT_EQ(ticket.assignee.kind, AssigneeKind::kGridWorker);
  EXPECT_EQ(ticket.assignee.user_id, guide_.user_id);
  EXPECT_EQ(InboxCount(guide_, "tickets.assigned"), 1);
  auto queue = service_.Queue(guide_, {sunshine_, std::nullopt, true}, {20, std::nullopt});
  ASSERT_TRUE(queue);
  ASSERT_EQ(queue->items.size(), 1u);
  // Reassigned to a merchant, who may then work it but not reassign it.
  ASSERT_TRUE(service_.Assign(staff_, ticket.id, {AssigneeKind::kMerchant, merchant_.user_id, ""},
                              "商户负责"));
  EXPECT_TRUE(service_.Accept(merchant_, ticket.id, std::nullopt, ""));
  EXPECT_EQ(
      service_.Assign(merchant_, ticket.id, {AssigneeKind::kProperty, {}, ""}, "").error().reason,
      "forbidden");
}

TEST_F(TICKETS_CASES, QueueIsRedFirstThenByDeadline) {
  const auto blue = Report(resident_, "noise");
  clock_.Advance(Seconds{kHour});
  const auto red_late = Report(resident_, "elevator");
  clock_.Advance(Seconds{kHour});
  const auto yellow = Report(resident_, "lighting");
  const auto red_later = Report(other_, "water_leak");
  auto page = service_.Queue(staff_, {sunshine_, AssigneeKind::kProperty, false}, {2, std::nullopt})
                  .value();
  ASSERT_EQ(page.items.size(), 2u);
  EXPECT_EQ(page.items[0].id, red_late.id);
  EXPECT_EQ(page.items[1].id, red_later.id);
  ASSERT_TRUE(page.next);
  auto rest =
      service_.Queue(staff_, {sunshine_, AssigneeKind::kProperty, false}, {2, page.next}).value();
  ASSERT_EQ(rest.items.size(), 2u);
  EXPECT_EQ(rest.items[0].id, yellow.id);
  EXPECT_EQ(rest.items[1].id, blue.id);
  EXPECT_FALSE(rest.next);
  EXPECT_EQ(service_.Queue(resident_, {sunshine_, std::nullopt, false}, {20, std::nullopt})
                .error()
                .reason,
            "not_found");
}

TEST_F(TICKETS_CASES, CloseWithRatingAndReopenWithinTheWindow) {
  const auto ticket = Report(resident_);
  ASSERT_TRUE(service_.Resolve(staff_, ticket.id, "已修好"));
  EXPECT_EQ(service_.Close(staff_, ticket.id, {5, "", ""}).error().reason, "invalid_field");
  auto closed = service_.Close(resident_, ticket.id, {4, "很及时", ""}).value();
  EXPECT_EQ(closed.status, State::kClosed);
  EXPECT_EQ(closed.rating, 4);
  clock_.Advance(Seconds{3 * 24 * kHour});
  auto reopened = service_.Reopen(resident_, ticket.id, "又漏了").value();
  EXPECT_EQ(reopened.status, State::kInProgress);
  EXPECT_EQ(reopened.reopen_count, 1);
  EXPECT_TRUE(reopened.resolution.due_s);
  ASSERT_TRUE(service_.Resolve(staff_, ticket.id, ""));
  ASSERT_TRUE(service_.Close(staff_, ticket.id, {std::nullopt, "", "电话回访，居民满意"}));
  clock_.Advance(Seconds{8 * 24 * kHour});
  EXPECT_EQ(service_.Reopen(resident_, ticket.id, "").error().reason, "reopen_window_passed");
}

TEST_F(TICKETS_CASES, MergedDuplicateTracksToTheKeptTicket) {
  const auto kept = Report(resident_);
  const auto duplicate = Report(other_);
  EXPECT_EQ(service_.Merge(staff_, kept.id, kept.id).error().reason, "self_merge");
  EXPECT_EQ(service_.Merge(resident_, duplicate.id, kept.id).error().reason, "not_found");
  auto merged = service_.Merge(staff_, duplicate.id, kept.id).value();
  EXPECT_EQ(merged.status, State::kMerged);
  auto view = service_.Track(duplicate.code, "192.0.2.1").value();
  EXPECT_EQ(view.merged_into_code, kept.code);
  EXPECT_EQ(service_.Merge(staff_, kept.id, duplicate.id).error().reason, "illegal_transition");
}

TEST_F(TICKETS_CASES, PhoneIntakeSealsTheCallersContactForStaffOnly) {
  NewTicket request;
  request.category = "elder_help";
  request.contact_name = "张大爷";
  request.contact_phone = "13900002222";
  EXPECT_EQ(service_.Create(resident_, request).error().reason, "forbidden");
  auto ticket = service_.Create(staff_, request).value();
  EXPECT_EQ(ticket.channel, Channel::kPhone);
  EXPECT_FALSE(ticket.reporter_user_id);
  ASSERT_TRUE(ticket.contact_sealed);
  EXPECT_EQ(ticket.contact_sealed->find("13900002222"), std::string::npos);
  auto detail = service_.Get(committee_, ticket.id).value();
  ASSERT_TRUE(detail.contact);
  EXPECT_EQ(detail.contact->phone, "13900002222");
  EXPECT_EQ(detail.contact->name, "张大爷");
}

TEST_F(TICKETS_CASES, GuideReportsOnBehalfOfAResident) {
  Actor assisted = guide_;
  assisted.acting_for = resident_.user_id;
  auto ticket = service_.Create(assisted, Of(0, "elder_help")).value();
  EXPECT_EQ(ticket.channel, Channel::kAssisted);
  EXPECT_EQ(ticket.reporter_user_id, resident_.user_id);
  EXPECT_EQ(ticket.entered_by_user_id, guide_.user_id);
  auto mine = service_.Mine(resident_, std::nullopt, {20, std::nullopt}).value();
  ASSERT_EQ(mine.items.size(), 1u);
}

TEST_F(TICKETS_CASES, InvalidInputChangesNothing) {
  NewTicket request;
  request.category = "volcano";
  auto created = service_.Create(resident_, request);
  ASSERT_FALSE(created);
  EXPECT_EQ(created.error().reason, "invalid_field");
  request.category = "noise";
  request.location.building_id = 999999;
  EXPECT_EQ(service_.Create(resident_, request).error().errors.at(0).field, "building_id");
  EXPECT_TRUE(service_.Mine(resident_, std::nullopt, {20, std::nullopt}).value().items.empty());
  EXPECT_EQ(service_.Create(Actor{}, Of(sunshine_, "noise")).error().reason, "unauthenticated");
}

TEST_F(TICKETS_CASES, PhotosAreCheckedByMagicBytes) {
  const auto ticket = Report(resident_);
  EXPECT_EQ(service_.AddPhoto(resident_, ticket.id, "not an image").error().reason,
            "unsupported_image");
  auto with_photo = service_.AddPhoto(resident_, ticket.id, kPng).value();
  ASSERT_EQ(with_photo.photo_ids.size(), 1u);
  auto photo = service_.GetPhoto(staff_, ticket.id, with_photo.photo_ids[0]).value();
  EXPECT_EQ(photo.media_type, "image/png");
  EXPECT_EQ(service_.GetPhoto(other_, ticket.id, with_photo.photo_ids[0]).error().reason,
            "not_found");
}

TEST_F(TICKETS_CASES, AdminsEditTheCalendarAndNewClocksUseIt) {
  auto official = service_.GetCalendar(resident_, sunshine_, 2026).value();
  EXPECT_EQ(official.source, "official");
  EXPECT_EQ(service_.GetCalendar(resident_, sunshine_, 2027).value().source, "provisional");
  auto days = official.days;
  days.push_back({DayFromCivil(2026, 10, 8).value(), false, "台风停工"});
  EXPECT_EQ(service_.PutCalendar(committee_, sunshine_, 2026, days).error().reason, "forbidden");
  days.push_back({DayFromCivil(2027, 1, 1).value(), false, "元旦"});
  EXPECT_EQ(service_.PutCalendar(admin_, sunshine_, 2026, days).error().reason, "invalid_field");
  days.pop_back();
  ASSERT_TRUE(service_.PutCalendar(admin_, sunshine_, 2026, days));
  EXPECT_EQ(service_.GetCalendar(resident_, sunshine_, 2026).value().source, "custom");
  // Red resolution from 09-30: 10-09, 10-10, 10-12 now that 10-08 is off.
  const auto ticket = Report(resident_);
  EXPECT_EQ(ticket.resolution.due_s, At(2026, 10, 13));
}

}  // namespace
}  // namespace linli::tickets
