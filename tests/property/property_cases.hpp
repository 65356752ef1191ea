#pragma once
// Property services' use cases, written once and run on every backend: property_test.cpp
// (SQLite) and property_pgtest.cpp (PostgreSQL) each define OpenCaseStore(). The suite is
// named by PROPERTY_CASES so the two backends' tests have different names in ctest.
#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "core/limits.hpp"
#include "core/time_zone.hpp"
#include "notify/service.hpp"
#include "property/pass_token.hpp"
#include "property/service.hpp"
#include "storage/store.hpp"

#ifndef PROPERTY_CASES
#define PROPERTY_CASES PropertyTest
#endif

namespace linli::property {

// A migrated, empty store of the backend under test; `cleanup` runs after it is closed.
struct CaseStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};
CaseStore OpenCaseStore();

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 24 * kHour;

crypto::KeyRing TestRing(std::uint32_t id, std::uint64_t seed) {
  SeededRandom random(seed);
  return crypto::KeyRing::Parse(crypto::KeyRing::GenerateEntry(id, random)).value();
}

class PROPERTY_CASES : public ::testing::Test {
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
    grid1_ = accounts_.EnsureGrid(system, sunshine_, "第1网格").value();
    grid2_ = accounts_.EnsureGrid(system, sunshine_, "第2网格").value();
    building1_ = accounts_.EnsureBuilding(system, sunshine_, grid1_, "1号楼").value();
    building2_ = accounts_.EnsureBuilding(system, sunshine_, grid2_, "2号楼").value();
    home1_ = accounts_.EnsureHousehold(system, sunshine_, building1_, "101室").value();
    home1b_ = accounts_.EnsureHousehold(system, sunshine_, building1_, "102室").value();
    home2_ = accounts_.EnsureHousehold(system, sunshine_, building2_, "201室").value();
    const auto harmony_grid = accounts_.EnsureGrid(system, harmony_, "和谐网格").value();
    const auto harmony_building =
        accounts_.EnsureBuilding(system, harmony_, harmony_grid, "9号楼").value();
    harmony_home_ = accounts_.EnsureHousehold(system, harmony_, harmony_building, "901室").value();
    resident_ = Member("resident", sunshine_, {Role::kResident}, home1_);
    neighbour_ = Member("neighbour", sunshine_, {Role::kResident}, home2_);
    staff_ = Member("staff", sunshine_, {Role::kPropertyStaff});
    committee_ = Member("committee", sunshine_, {Role::kCommittee});
    guide_ = Member("guide", sunshine_, {Role::kGridWorker});
    outsider_ = Member("outsider", harmony_, {Role::kResident}, harmony_home_);
    outsider_staff_ = Member("outsider_staff", harmony_, {Role::kPropertyStaff});
  }

  // Users are inserted directly: argon2 hashing would make every fixture slow.
  Actor Member(const std::string& login, std::int64_t community, std::vector<Role> roles,
               std::optional<std::int64_t> household = std::nullopt) {
    std::int64_t id = 0;
    EXPECT_TRUE(store_->Write([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(
          auto row, session.QueryOne("INSERT INTO users (login, display_name, password_hash, "
                                     "status, created_at, household_id) VALUES ($1, $1, 'x', "
                                     "'active', 0, $2) RETURNING id",
                                     {login, storage::Nullable(household)}));
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

  Actor GateKey(std::int64_t community, std::vector<std::string> scopes = {"gate:verify"}) {
    Actor actor;
    actor.api_key_id = 900 + community;
    actor.api_key_community_id = community;
    actor.scopes = std::move(scopes);
    return actor;
  }

  PassRequest SingleUse(std::int64_t from_offset_s = 0, std::int64_t length_s = 4 * kHour) {
    PassRequest request;
    request.visitor_label = "王先生";
    request.visitor_phone = "138 0000 1234";
    request.purpose = "探亲";
    request.mode = PassMode::kSingleUse;
    request.valid_from = clock_.NowEpochS() + from_offset_s;
    request.valid_until = request.valid_from + length_s;
    return request;
  }

  GateDecision Verify(const Actor& gate, const std::string& token) {
    auto decision = service_.VerifyAtGate(gate, GateInput{token, std::nullopt, "东门"});
    EXPECT_TRUE(decision.has_value()) << (decision ? "" : decision.error().reason);
    return decision ? *decision : GateDecision{};
  }

  std::int64_t Count(const std::string& sql, std::initializer_list<storage::Value> params = {}) {
    std::int64_t count = -1;
    EXPECT_TRUE(store_->Read([&](storage::Session& session) -> Status {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne(sql, params));
      count = row->Int(0);
      return Ok();
    }));
    return count;
  }

  std::string DayOffset(std::int64_t days) {
    return FormatIsoDate(TimeZone::Default().ToLocal(clock_.NowEpochS()).date.day + days);
  }

  BillInput FeeBill(std::int64_t household, std::int64_t amount_fen, std::string due_date,
                    std::string period = "2026-09") {
    BillInput input;
    input.household_id = household;
    input.kind = BillKind::kPropertyFee;
    input.period = std::move(period);
    input.amount_fen = amount_fen;
    input.due_date = std::move(due_date);
    return input;
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
  SeededRandom random_{11};
  crypto::KeyRing keys_ = TestRing(1, 5);
  audit::AuditService audit_{*store_, clock_};
  accounts::AccountsService accounts_{*store_, audit_, clock_, random_};
  notify::NotifyService notify_{*store_, clock_};
  CounterPayments payments_;
  PropertyService service_{*store_, audit_, notify_, clock_, random_, keys_, payments_};
  std::int64_t sunshine_ = 0, harmony_ = 0, grid1_ = 0, grid2_ = 0, building1_ = 0, building2_ = 0,
               home1_ = 0, home1b_ = 0, home2_ = 0, harmony_home_ = 0;
  Actor resident_, neighbour_, staff_, committee_, guide_, outsider_, outsider_staff_;

 private:
  std::unique_ptr<storage::Store> Open() {
    auto opened = OpenCaseStore();
    cleanup_.fn = std::move(opened.cleanup);
    return std::move(opened.store);
  }
};

// ---------------------------------------------------------------------------------------------
// Visitor passes

TEST_F(PROPERTY_CASES, ResidentCreatesAPassWithCodeTokenAndSealedPhone) {
  auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
  EXPECT_TRUE(view.mine);
  EXPECT_EQ(view.pass.community_id, sunshine_);
  EXPECT_EQ(view.pass.household_id, home1_);
  EXPECT_EQ(view.building_name, "1号楼");
  EXPECT_EQ(view.pass.max_uses, 1);
  EXPECT_EQ(view.pass.code.size(), kPassCodeDigits);
  ASSERT_TRUE(view.token);
  EXPECT_TRUE(view.token->starts_with(kPassTokenPrefix));
  EXPECT_EQ(view.pass.visitor_phone, "138 0000 1234");
  // The token carries no personal data: its claims are ids and times only.
  auto claims = ReadToken(keys_, *view.token);
  ASSERT_TRUE(claims);
  EXPECT_EQ(*claims, ClaimsOf(view.pass));
  EXPECT_EQ(view.token->find("王"), std::string::npos);
  // The phone is stored sealed: the raw column never holds the digits.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visitor_passes WHERE visitor_phone_sealed IS NOT NULL"), 1);
  bool plaintext = false;
  ASSERT_TRUE(store_->Read([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row,
                           session.QueryOne("SELECT visitor_phone_sealed FROM visitor_passes"));
    plaintext = row->Bytes(0).find("0000 1234") != std::string::npos;
    return Ok();
  }));
  EXPECT_FALSE(plaintext);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'property.pass.create'"), 1);
}

TEST_F(PROPERTY_CASES, OnlyTheHostAndStaffSeeAPass) {
  auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
  EXPECT_EQ(service_.GetPass(neighbour_, view.pass.id).error().reason, "not_found");
  EXPECT_EQ(service_.GetPass(outsider_staff_, view.pass.id).error().reason, "not_found");
  EXPECT_EQ(service_.RevokePass(neighbour_, view.pass.id).error().reason, "not_found");
  auto seen = service_.GetPass(staff_, view.pass.id).value();
  EXPECT_FALSE(seen.mine);
  EXPECT_TRUE(seen.pass.code.empty());  // staff see who is expected, not the credential
  EXPECT_FALSE(seen.token);
  EXPECT_FALSE(seen.pass.visitor_phone);
  auto mine = service_.MyPasses(resident_, 0, {20, std::nullopt}).value();
  ASSERT_EQ(mine.items.size(), 1u);
  EXPECT_TRUE(service_.MyPasses(neighbour_, 0, {20, std::nullopt})->items.empty());
}

TEST_F(PROPERTY_CASES, PassRequestsAreValidated) {
  const auto reason_of = [&](PassRequest request) {
    auto created = service_.CreatePass(resident_, 0, request);
    return created ? std::string("ok") : created.error().errors.at(0).field;
  };
  auto request = SingleUse();
  request.visitor_label = "";
  EXPECT_EQ(reason_of(request), "visitor_label");
  EXPECT_EQ(reason_of(SingleUse(0, 8 * kDay)), "valid_until");
  EXPECT_EQ(reason_of(SingleUse(0, 0)), "valid_until");
  EXPECT_EQ(reason_of(SingleUse(-kDay)), "valid_from");
  EXPECT_EQ(reason_of(SingleUse(31 * kDay)), "valid_from");
  request = SingleUse();
  request.max_uses = 3;
  EXPECT_EQ(reason_of(request), "max_uses");
  request = SingleUse();
  request.visitor_phone = "call me";
  EXPECT_EQ(reason_of(request), "visitor_phone");
  Actor key = GateKey(sunshine_);
  EXPECT_EQ(service_.CreatePass(key, 0, SingleUse()).error().reason, "forbidden");
  EXPECT_EQ(service_.CreatePass(resident_, harmony_, SingleUse()).error().reason, "not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visitor_passes"), 0);
}

TEST_F(PROPERTY_CASES, ASingleUsePassOpensTheGateOnceAndEveryUseIsRecorded) {
  auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
  const Actor gate = GateKey(sunshine_);
  auto first = Verify(gate, *view.token);
  EXPECT_TRUE(first.allowed);
  EXPECT_EQ(first.reason, GateReason::kOk);
  EXPECT_EQ(first.visitor_label, "王先生");
  EXPECT_EQ(first.building_name, "1号楼");
  EXPECT_EQ(first.uses, 1);
  auto second = Verify(gate, *view.token);
  EXPECT_FALSE(second.allowed);
  EXPECT_EQ(second.reason, GateReason::kPassUsedUp);
  // The keypad code is the same pass: used up too.
  auto by_code = service_.VerifyAtGate(gate, GateInput{std::nullopt, view.pass.code, ""}).value();
  EXPECT_EQ(by_code.reason, GateReason::kPassUsedUp);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visitor_pass_uses WHERE pass_id = $1", {view.pass.id}), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visitor_pass_uses WHERE allowed = 1"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'property.gate.verify'"), 3);
  auto uses = service_.PassUses(resident_, view.pass.id).value();
  ASSERT_EQ(uses.size(), 3u);
  EXPECT_EQ(uses.back().gate, "东门");
  EXPECT_TRUE(uses.back().allowed);
  EXPECT_EQ(service_.GetPass(resident_, view.pass.id)->pass.uses, 1);
}

TEST_F(PROPERTY_CASES, WindowPassFollowsItsWindowAndUseCount) {
  auto request = SingleUse(kHour, 2 * kHour);
  request.mode = PassMode::kWindow;
  request.max_uses = 2;
  auto view = service_.CreatePass(resident_, 0, request).value();
  const Actor gate = GateKey(sunshine_);
  EXPECT_EQ(Verify(gate, *view.token).reason, GateReason::kPassNotYetValid);
  clock_.Advance(Seconds{kHour});  // exactly valid_from: inclusive
  EXPECT_EQ(Verify(gate, *view.token).reason, GateReason::kOk);
  EXPECT_EQ(Verify(gate, *view.token).reason, GateReason::kOk);
  EXPECT_EQ(Verify(gate, *view.token).reason, GateReason::kPassUsedUp);

  auto roomy = SingleUse(0, kHour);
  roomy.mode = PassMode::kWindow;
  auto second = service_.CreatePass(resident_, 0, roomy).value();
  EXPECT_EQ(second.pass.max_uses, limits::kPassWindowUsesDefault);
  clock_.Advance(Seconds{kHour});  // exactly valid_until: exclusive
  EXPECT_EQ(Verify(gate, *second.token).reason, GateReason::kPassExpired);
  EXPECT_EQ(Count("SELECT uses FROM visitor_passes WHERE id = $1", {second.pass.id}), 0);
}

TEST_F(PROPERTY_CASES, RevokedPassesAndForeignOrForgedTokensAreRefused) {
  auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
  const Actor gate = GateKey(sunshine_);
  // Another community's gate does not learn anything about the pass.
  auto foreign = Verify(GateKey(harmony_), *view.token);
  EXPECT_EQ(foreign.reason, GateReason::kPassInvalid);
  EXPECT_FALSE(foreign.pass_id);
  // One changed character anywhere breaks the seal.
  std::string tampered = *view.token;
  tampered[tampered.size() / 2] = tampered[tampered.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Verify(gate, tampered).reason, GateReason::kPassInvalid);
  // Sealed under a key this server does not have.
  auto forged = IssueToken(TestRing(1, 99), ClaimsOf(view.pass), random_).value();
  EXPECT_EQ(Verify(gate, forged).reason, GateReason::kPassInvalid);
  // Claims that do not match the stored pass (a longer window) are not this pass.
  PassClaims stretched = ClaimsOf(view.pass);
  stretched.valid_until += kDay;
  EXPECT_EQ(Verify(gate, IssueToken(keys_, stretched, random_).value()).reason,
            GateReason::kPassInvalid);
  std::string wrong_code = view.pass.code;
  wrong_code[0] = wrong_code[0] == '1' ? '2' : '1';
  EXPECT_EQ(service_.VerifyAtGate(gate, GateInput{std::nullopt, wrong_code, ""})->reason,
            GateReason::kPassInvalid);
  EXPECT_EQ(Count("SELECT uses FROM visitor_passes WHERE id = $1", {view.pass.id}), 0);

  ASSERT_EQ(service_.RevokePass(resident_, view.pass.id)->pass.revoked_at, clock_.NowEpochS());
  EXPECT_EQ(Verify(gate, *view.token).reason, GateReason::kPassRevoked);
  std::string spaced = view.pass.code.substr(0, 4) + " " + view.pass.code.substr(4);
  EXPECT_EQ(service_.VerifyAtGate(gate, GateInput{std::nullopt, spaced, ""})->reason,
            GateReason::kPassRevoked);
  EXPECT_FALSE(service_.GetPass(resident_, view.pass.id)->token);  // no token for a dead pass
  // Every refusal was recorded; invalid ones against no pass.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'property.gate.verify' AND "
                  "object_id = '0'"),
            5);
}

TEST_F(PROPERTY_CASES, TokensSurviveKeyRotation) {
  auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
  // A new current key (id 2) keeps key 1 for opening what it sealed.
  const std::string spec = crypto::KeyRing::GenerateEntry(2, random_);
  SeededRandom same_seed(5);
  auto rotated =
      crypto::KeyRing::Parse(crypto::KeyRing::GenerateEntry(1, same_seed) + "," + spec).value();
  EXPECT_EQ(rotated.current_id(), 2u);
  PropertyService after{*store_, audit_, notify_, clock_, random_, rotated, payments_};
  auto decision = after.VerifyAtGate(GateKey(sunshine_), GateInput{*view.token, std::nullopt, ""});
  EXPECT_EQ(decision->reason, GateReason::kOk);
  auto fresh = after.GetPass(resident_, view.pass.id)->token.value();
  EXPECT_EQ(crypto::SealedKeyId(*TokenBytes(fresh)), 2u);
}

TEST_F(PROPERTY_CASES, WhoMayVerify) {
  auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
  const GateInput input{*view.token, std::nullopt, ""};
  EXPECT_EQ(service_.VerifyAtGate(GateKey(sunshine_, {"resources:read"}), input).error().reason,
            "insufficient_scope");
  EXPECT_EQ(service_.VerifyAtGate(resident_, input).error().reason, "forbidden");
  EXPECT_EQ(service_.VerifyAtGate(Actor{}, input).error().reason, "unauthenticated");
  EXPECT_EQ(service_.VerifyAtGate(GateKey(sunshine_), GateInput{}).error().reason, "invalid_field");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM visitor_pass_uses"), 0);
  // The guard desk: property staff in their community.
  EXPECT_EQ(service_.VerifyAtGate(staff_, input)->reason, GateReason::kOk);
}

TEST_F(PROPERTY_CASES, ConcurrentVerificationsOfASingleUsePassAllowExactlyOne) {
  constexpr int kThreads = 8;
  for (int round = 0; round < 3; ++round) {
    auto view = service_.CreatePass(resident_, 0, SingleUse()).value();
    std::atomic<int> allowed{0}, used_up{0}, failed{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
      threads.emplace_back([&, i] {
        const bool by_code = i % 2 == 1;
        auto decision = service_.VerifyAtGate(
            GateKey(sunshine_), by_code ? GateInput{std::nullopt, view.pass.code, "北门"}
                                        : GateInput{*view.token, std::nullopt, "东门"});
        if (!decision) {
          failed += 1;
        } else if (decision->allowed) {
          allowed += 1;
        } else if (decision->reason == GateReason::kPassUsedUp) {
          used_up += 1;
        }
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(failed.load(), 0);
    EXPECT_EQ(allowed.load(), 1);
    EXPECT_EQ(used_up.load(), kThreads - 1);
    EXPECT_EQ(Count("SELECT uses FROM visitor_passes WHERE id = $1", {view.pass.id}), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM visitor_pass_uses WHERE pass_id = $1", {view.pass.id}),
              kThreads);
  }
}

TEST_F(PROPERTY_CASES, StaffSeeTheDaysExpectedVisitors) {
  auto today = service_.CreatePass(resident_, 0, SingleUse()).value();
  auto later = service_.CreatePass(resident_, 0, SingleUse(3 * kDay)).value();
  auto revoked = service_.CreatePass(neighbour_, 0, SingleUse()).value();
  ASSERT_TRUE(service_.RevokePass(neighbour_, revoked.pass.id));
  auto expected = service_.ExpectedVisitors(staff_, 0, "", {20, std::nullopt}).value();
  ASSERT_EQ(expected.items.size(), 1u);
  EXPECT_EQ(expected.items[0].pass.id, today.pass.id);
  EXPECT_TRUE(expected.items[0].pass.code.empty());
  EXPECT_EQ(expected.items[0].building_name, "1号楼");
  auto that_day = service_.ExpectedVisitors(staff_, 0, DayOffset(3), {20, std::nullopt}).value();
  ASSERT_EQ(that_day.items.size(), 1u);
  EXPECT_EQ(that_day.items[0].pass.id, later.pass.id);
  EXPECT_EQ(service_.ExpectedVisitors(resident_, 0, "", {20, std::nullopt}).error().reason,
            "not_found");
  EXPECT_EQ(service_.ExpectedVisitors(staff_, 0, "tomorrow", {20, std::nullopt}).error().reason,
            "invalid_field");
}

// ---------------------------------------------------------------------------------------------
// Bills and payments

TEST_F(PROPERTY_CASES, StaffIssueBillsResidentsSeeTheirHouseholdsOnly) {
  auto bill = service_.IssueBill(staff_, 0, FeeBill(home1_, 35000, DayOffset(10))).value();
  EXPECT_EQ(bill.title, "物业费 2026-09");
  EXPECT_EQ(bill.building_id, building1_);
  EXPECT_EQ(bill.status(), BillStatus::kUnpaid);
  EXPECT_EQ(service_.IssueBill(staff_, 0, FeeBill(home1_, 100, DayOffset(10))).error().reason,
            "duplicate");
  EXPECT_EQ(service_.IssueBill(resident_, 0, FeeBill(home1_, 100, DayOffset(1), "2026-10"))
                .error()
                .reason,
            "not_found");
  EXPECT_EQ(service_.IssueBill(staff_, 0, FeeBill(harmony_home_, 100, DayOffset(1)))
                .error()
                .errors.at(0)
                .field,
            "household_id");
  EXPECT_EQ(service_.IssueBill(staff_, 0, FeeBill(home1_, 0, DayOffset(1), "x")).error().reason,
            "invalid_field");
  EXPECT_EQ(service_.IssueBill(staff_, 0, FeeBill(home1_, 1, "2026-02-30", "y")).error().reason,
            "invalid_field");
  ASSERT_TRUE(service_.IssueBill(staff_, 0, FeeBill(home2_, 35000, DayOffset(10))));

  auto mine = service_.MyBills(resident_, 0, {20, std::nullopt}).value();
  ASSERT_EQ(mine.items.size(), 1u);
  EXPECT_EQ(mine.items[0].id, bill.id);
  EXPECT_EQ(service_.GetBill(neighbour_, bill.id).error().reason, "not_found");
  EXPECT_EQ(service_.GetBill(outsider_staff_, bill.id).error().reason, "not_found");
  EXPECT_TRUE(service_.GetBill(resident_, bill.id));
  EXPECT_TRUE(service_.MyBills(staff_, 0, {20, std::nullopt})->items.empty());
  EXPECT_EQ(service_.ListBills(staff_, 0, {}, {20, std::nullopt})->items.size(), 2u);
  EXPECT_EQ(service_.ListBills(resident_, 0, {}, {20, std::nullopt}).error().reason, "not_found");
}

TEST_F(PROPERTY_CASES, PartialPaymentsAddUpAndOverpaymentIsRefused) {
  auto bill = service_.IssueBill(staff_, 0, FeeBill(home1_, 10000, DayOffset(10))).value();
  PaymentInput part{4000, PaymentMethod::kCash, "R-001", std::nullopt, std::nullopt};
  auto after = service_.RecordPayment(staff_, bill.id, part).value();
  EXPECT_EQ(after.bill.paid_fen, 4000);
  EXPECT_EQ(after.bill.status(), BillStatus::kPartial);
  ASSERT_EQ(after.payments.size(), 1u);
  EXPECT_EQ(after.payments[0].provider, "counter");
  EXPECT_EQ(after.payments[0].method, "cash");

  PaymentInput too_much{6001, PaymentMethod::kBankTransfer, "", std::nullopt, std::nullopt};
  EXPECT_EQ(service_.RecordPayment(staff_, bill.id, too_much).error().reason, "overpayment");
  EXPECT_EQ(service_.RecordPayment(resident_, bill.id, part).error().reason, "not_found");
  EXPECT_EQ(Count("SELECT paid_fen FROM bills WHERE id = $1", {bill.id}), 4000);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bill_payments"), 1);

  PaymentInput rest{6000, PaymentMethod::kCounter, "", std::nullopt, std::string("key-1")};
  auto paid = service_.RecordPayment(staff_, bill.id, rest).value();
  EXPECT_EQ(paid.bill.status(), BillStatus::kPaid);
  // A retry with the same key is the same payment; a different one under it is refused.
  EXPECT_EQ(service_.RecordPayment(staff_, bill.id, rest)->payments.size(), 2u);
  rest.amount_fen = 1;
  EXPECT_EQ(service_.RecordPayment(staff_, bill.id, rest).error().reason, "idempotency_key_reused");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bill_payments"), 2);
  EXPECT_EQ(service_.VoidBill(staff_, bill.id).error().reason, "illegal_transition");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'property.bill.payment'"), 2);
  // A future payment date is refused.
  PaymentInput future{1, PaymentMethod::kCash, "", clock_.NowEpochS() + kDay, std::nullopt};
  EXPECT_EQ(service_.RecordPayment(staff_, bill.id, future).error().errors.at(0).field, "paid_at");
}

TEST_F(PROPERTY_CASES, ConcurrentPaymentsNeverOverpay) {
  auto bill = service_.IssueBill(staff_, 0, FeeBill(home1_, 100, DayOffset(10))).value();
  constexpr int kThreads = 10;
  std::atomic<int> recorded{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      PaymentInput input{30, PaymentMethod::kCash, "", std::nullopt, std::nullopt};
      auto result = service_.RecordPayment(staff_, bill.id, input);
      if (result) {
        recorded += 1;
      } else if (result.error().reason == "overpayment") {
        refused += 1;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(recorded.load(), 3);
  EXPECT_EQ(refused.load(), kThreads - 3);
  EXPECT_EQ(Count("SELECT paid_fen FROM bills WHERE id = $1", {bill.id}), 90);
  EXPECT_EQ(Count("SELECT SUM(amount_fen) FROM bill_payments WHERE bill_id = $1", {bill.id}), 90);
}

TEST_F(PROPERTY_CASES, BatchIssueIsIdempotentPerHouseholdKindAndPeriod) {
  BatchInput batch;
  batch.building_ids = {building1_};
  batch.kind = BillKind::kParking;
  batch.period = "2026Q4";
  batch.amount_fen = 30000;
  batch.due_date = DayOffset(30);
  auto first = service_.IssueBatch(staff_, 0, batch).value();
  EXPECT_EQ(first.created, 2);  // 101室 and 102室
  EXPECT_EQ(first.skipped, 0);
  batch.building_ids.clear();  // now the whole community
  auto second = service_.IssueBatch(staff_, 0, batch).value();
  EXPECT_EQ(second.created, 1);
  EXPECT_EQ(second.skipped, 2);
  batch.building_ids = {building1_, 999999};
  EXPECT_EQ(service_.IssueBatch(staff_, 0, batch).error().errors.at(0).field, "building_ids");
  EXPECT_EQ(service_.IssueBatch(committee_, 0, batch).error().reason, "not_found");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM bills WHERE kind = 'parking'"), 3);
}

TEST_F(PROPERTY_CASES, ArrearsListOverdueUnpaidBillsByBuildingAndExportSafely) {
  auto overdue = service_.IssueBill(staff_, 0, FeeBill(home1_, 10000, DayOffset(-1))).value();
  auto partly = service_.IssueBill(staff_, 0, FeeBill(home2_, 20000, DayOffset(-30))).value();
  auto formula = FeeBill(home1b_, 5000, DayOffset(-2));
  formula.title = "=HYPERLINK(\"http://x\")";
  ASSERT_TRUE(service_.IssueBill(staff_, 0, formula));
  ASSERT_TRUE(service_.IssueBill(staff_, 0, FeeBill(home1_, 10000, DayOffset(0), "2026-10")));
  auto paid = service_.IssueBill(staff_, 0, FeeBill(home2_, 100, DayOffset(-5), "2026-08")).value();
  auto voided =
      service_.IssueBill(staff_, 0, FeeBill(home2_, 100, DayOffset(-5), "2026-07")).value();
  ASSERT_TRUE(service_.RecordPayment(staff_, partly.id,
                                     {5000, PaymentMethod::kCash, "", std::nullopt, std::nullopt}));
  ASSERT_TRUE(service_.RecordPayment(staff_, paid.id,
                                     {100, PaymentMethod::kCash, "", std::nullopt, std::nullopt}));
  ASSERT_TRUE(service_.VoidBill(staff_, voided.id));

  auto arrears = service_.ArrearsOf(staff_, 0, std::nullopt).value();
  EXPECT_EQ(arrears.as_of, DayOffset(0));
  EXPECT_EQ(arrears.bill_count, 3);
  EXPECT_EQ(arrears.household_count, 3);
  EXPECT_EQ(arrears.outstanding_fen, 10000 + 15000 + 5000);
  ASSERT_EQ(arrears.buildings.size(), 2u);
  EXPECT_EQ(arrears.buildings[0].building_name, "1号楼");
  EXPECT_EQ(arrears.buildings[0].outstanding_fen, 15000);
  EXPECT_EQ(arrears.buildings[1].outstanding_fen, 15000);
  ASSERT_EQ(arrears.bills.size(), 3u);
  EXPECT_EQ(arrears.bills[0].id, partly.id);  // oldest due first
  EXPECT_TRUE(arrears.bills[0].overdue);
  auto one_building = service_.ArrearsOf(staff_, 0, building2_).value();
  EXPECT_EQ(one_building.bill_count, 1);
  EXPECT_EQ(service_.ArrearsOf(resident_, 0, std::nullopt).error().reason, "not_found");
  EXPECT_TRUE(service_.GetBill(resident_, overdue.id)->bill.overdue);

  auto csv = service_.ArrearsCsv(staff_, 0, std::nullopt).value();
  EXPECT_TRUE(
      csv.starts_with("\xEF\xBB\xBF"
                      "bill_id,building,unit,"));
  EXPECT_NE(csv.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("150.00"), std::string::npos);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

// ---------------------------------------------------------------------------------------------
// Announcements and alerts

AnnouncementInput Notice(std::string title, Audience audience = Audience::kCommunity,
                         std::vector<std::int64_t> targets = {}) {
  AnnouncementInput input;
  input.title = std::move(title);
  input.body = "请相互转告。";
  input.audience = audience;
  input.target_ids = std::move(targets);
  return input;
}

std::vector<std::string> Titles(const AnnouncementList& list) {
  std::vector<std::string> titles;
  for (const auto& a : list.pinned) titles.push_back("*" + a.title);
  for (const auto& a : list.items) titles.push_back(a.title);
  return titles;
}

TEST_F(PROPERTY_CASES, AnnouncementsReachTheirAudienceOnly) {
  ASSERT_TRUE(service_.Publish(staff_, 0, Notice("全体通知")));
  ASSERT_TRUE(service_.Publish(staff_, 0, Notice("1号楼停水", Audience::kBuildings, {building1_})));
  auto grid_notice = Notice("第2网格活动", Audience::kGrids, {grid2_});
  grid_notice.pinned = true;
  auto grid = service_.Publish(guide_, 0, grid_notice).value();
  auto expiring = Notice("临时通知");
  expiring.expires_at = clock_.NowEpochS() + kHour;
  ASSERT_TRUE(service_.Publish(committee_, 0, expiring));

  using Titles_ = std::vector<std::string>;
  const PageRequest page{20, std::nullopt};
  EXPECT_EQ(Titles(service_.Announcements(resident_, 0, page).value()),
            (Titles_{"临时通知", "1号楼停水", "全体通知"}));
  EXPECT_EQ(Titles(service_.Announcements(neighbour_, 0, page).value()),
            (Titles_{"*第2网格活动", "临时通知", "全体通知"}));
  EXPECT_EQ(Titles(service_.Announcements(staff_, 0, page).value()).size(), 4u);
  EXPECT_EQ(service_.GetAnnouncement(resident_, grid.id).error().reason, "not_found");
  EXPECT_TRUE(service_.GetAnnouncement(neighbour_, grid.id));
  EXPECT_EQ(service_.Announcements(outsider_, sunshine_, page).error().reason, "not_found");

  clock_.Advance(Seconds{kHour});
  EXPECT_EQ(Titles(service_.Announcements(resident_, 0, page).value()),
            (Titles_{"1号楼停水", "全体通知"}));
  ASSERT_TRUE(service_.Withdraw(staff_, grid.id));
  EXPECT_EQ(Titles(service_.Announcements(neighbour_, 0, page).value()), (Titles_{"全体通知"}));
  EXPECT_EQ(service_.GetAnnouncement(neighbour_, grid.id).error().reason, "not_found");
}

TEST_F(PROPERTY_CASES, WhoPublishesWhat) {
  EXPECT_EQ(service_.Publish(resident_, 0, Notice("x")).error().reason, "forbidden");
  EXPECT_EQ(service_.Publish(guide_, 0, Notice("x")).error().reason, "forbidden");
  EXPECT_EQ(service_.Publish(staff_, 0, Notice("x", Audience::kBuildings)).error().reason,
            "invalid_field");
  EXPECT_EQ(service_.Publish(staff_, 0, Notice("x", Audience::kGrids, {building1_ + 1000}))
                .error()
                .errors.at(0)
                .field,
            "target_ids");
  auto alert_without_severity = Notice("x");
  alert_without_severity.kind = AnnouncementKind::kAlert;
  EXPECT_EQ(service_.Publish(staff_, 0, alert_without_severity).error().errors.at(0).field,
            "severity");
  Actor key = GateKey(sunshine_, {"announcements:write"});
  auto by_key = service_.Publish(key, 0, Notice("街道通知")).value();
  EXPECT_EQ(by_key.published_by_api_key, key.api_key_id);
  EXPECT_EQ(service_.Publish(GateKey(sunshine_), 0, Notice("x")).error().reason,
            "insufficient_scope");
  EXPECT_EQ(service_.Publish(key, harmony_, Notice("x")).error().reason, "not_found");
  EXPECT_EQ(service_.Withdraw(resident_, by_key.id).error().reason, "forbidden");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM announcements"), 1);
}

TEST_F(PROPERTY_CASES, AlertsGoToEveryInboxOfTheirAudienceExactlyOnce) {
  auto alert = Notice("暴雨红色预警", Audience::kBuildings, {building1_});
  alert.kind = AnnouncementKind::kAlert;
  alert.category = "weather";
  alert.severity = Severity::kCritical;
  auto published = service_.Publish(staff_, 0, alert).value();
  EXPECT_TRUE(published.fanout_done);
  EXPECT_EQ(published.recipients, 1);  // only the resident lives in 1号楼
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'property.alert' AND "
                  "user_id = $1",
                  {resident_.user_id}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE kind = 'property.alert'"), 1);
  EXPECT_EQ(service_.RunAlertFanout().value(), 0);  // nothing pending, nothing repeated

  // A community-wide alert larger than one batch: every member once, staff included.
  const int extra = limits::kAlertFanoutBatch + 37;
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    for (int i = 0; i < extra; ++i) {
      LINLI_ASSIGN_OR_RETURN(
          auto row, session.QueryOne("INSERT INTO users (login, display_name, password_hash, "
                                     "status, created_at) VALUES ($1, $1, 'x', 'active', 0) "
                                     "RETURNING id",
                                     {"bulk" + std::to_string(i)}));
      LINLI_TRY(
          session.Execute("INSERT INTO memberships (community_id, user_id, role, "
                          "granted_at) VALUES ($1, $2, 'resident', 0)",
                          {sunshine_, row->Int(0)}));
    }
    return Ok();
  }));
  auto outage = Notice("明日停电");
  outage.kind = AnnouncementKind::kAlert;
  outage.category = "outage";
  outage.severity = Severity::kWarning;
  auto wide = service_.Publish(committee_, 0, outage).value();
  const std::int64_t members =
      Count("SELECT COUNT(DISTINCT user_id) FROM memberships WHERE community_id = $1", {sunshine_});
  EXPECT_EQ(wide.recipients, members);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE data = $1",
                  {"{\"announcement_id\":" + std::to_string(wide.id) + "}"}),
            members);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT user_id FROM notifications WHERE kind = "
                  "'property.alert' GROUP BY user_id, data HAVING COUNT(*) > 1) d"),
            0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications WHERE user_id = $1", {outsider_.user_id}), 0);
}

TEST_F(PROPERTY_CASES, AnInterruptedFanOutIsFinishedByTheJob) {
  // An alert row left half-delivered (as if the process stopped after the first write).
  auto alert = Notice("燃气检修");
  alert.kind = AnnouncementKind::kAlert;
  alert.category = "outage";
  alert.severity = Severity::kInfo;
  auto published = service_.Publish(staff_, 0, alert).value();
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute("DELETE FROM notifications"));
    LINLI_TRY(
        session.Execute("UPDATE announcements SET fanout_done = 0, fanout_after = 0, "
                        "recipients = 0 WHERE id = $1",
                        {published.id}));
    return Ok();
  }));
  const std::int64_t members =
      Count("SELECT COUNT(DISTINCT user_id) FROM memberships WHERE community_id = $1", {sunshine_});
  EXPECT_EQ(service_.RunAlertFanout().value(), members);
  EXPECT_EQ(service_.RunAlertFanout().value(), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notifications"), members);
  EXPECT_TRUE(service_.GetAnnouncement(staff_, published.id)->fanout_done);
}

}  // namespace
}  // namespace linli::property
