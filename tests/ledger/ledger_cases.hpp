#pragma once
// The ledger's use cases, written once and run on every backend: service_test.cpp (SQLite) and
// ledger_pgtest.cpp (PostgreSQL) each define OpenCaseStore(). The suite is named by
// LEDGER_CASES, so the two backends' tests have different names in ctest.
#include <functional>
#include <memory>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/crypto.hpp"
#include "ledger/service.hpp"
#include "storage/store.hpp"

#ifndef LEDGER_CASES
#define LEDGER_CASES LedgerTest
#endif

namespace linli::ledger {

struct CaseStore {
  std::unique_ptr<storage::Store> store;
  std::function<void()> cleanup;
};
CaseStore OpenCaseStore();

namespace {

class LEDGER_CASES : public ::testing::Test {
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
    alice_ = Member("alice", sunshine_, {Role::kResident});
    bob_ = Member("bob", sunshine_, {Role::kResident});
    committee_ = Member("committee", sunshine_, {Role::kCommittee});
    staff_ = Member("staff", sunshine_, {Role::kPropertyStaff});
    merchant_ = Member("merchant", sunshine_, {Role::kMerchant});
    stranger_ = Member("stranger", harmony_, {Role::kResident});
  }

  void TearDown() override {
    store_.reset();
    if (case_store_.cleanup) case_store_.cleanup();
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
        LINLI_TRY(session.Execute(
            "INSERT INTO memberships (community_id, user_id, role, granted_at) VALUES ($1, $2, "
            "$3, 0)",
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

  Account PointsOf(const Actor& actor) {
    auto wallet = service_.OpenWallet(actor, 0);
    EXPECT_TRUE(wallet.has_value()) << (wallet ? "" : wallet.error().reason);
    return wallet->accounts.front();
  }

  std::int64_t Balance(std::int64_t account_id) {
    auto account = service_.GetAccount(Actor::System(), account_id);
    EXPECT_TRUE(account.has_value());
    return account ? account->balance() : -1;
  }

  Account Reload(std::int64_t account_id) {
    return service_.GetAccount(Actor::System(), account_id).value();
  }

  Account Pool(ledger::Pool pool, Currency currency = Currency::kPoints) {
    return store_
        ->WriteValue([&](storage::Session& session) {
          return service_.EnsurePool(session, sunshine_, currency, pool);
        })
        .value();
  }

  // Issues `amount` points from the issuance pool to `account_id` (committee).
  void Fund(std::int64_t account_id, std::int64_t amount, Currency currency = Currency::kPoints) {
    auto issuance = Pool(Pool::kIssuance, currency);
    auto outcome = service_.Submit(
        committee_, Request({Item(issuance.id, account_id, amount)}, NextKey(), currency));
    ASSERT_TRUE(outcome.has_value()) << outcome.error().reason;
  }

  static TransferItem Item(std::int64_t debit, std::int64_t credit, std::int64_t amount) {
    TransferItem item;
    item.debit_account_id = debit;
    item.credit_account_id = credit;
    item.amount = amount;
    return item;
  }

  TransferRequest Request(std::vector<TransferItem> items, std::optional<std::string> key,
                          Currency currency = Currency::kPoints) {
    TransferRequest request;
    request.community_id = sunshine_;
    request.currency = currency;
    request.idempotency_key = std::move(key);
    request.items = std::move(items);
    return request;
  }

  std::string NextKey() { return "k-" + std::to_string(++keys_); }

  void ExpectVerified() {
    auto verification = service_.VerifyAll();
    ASSERT_TRUE(verification.has_value());
    EXPECT_TRUE(verification->ok) << verification->problem << " account "
                                  << verification->account_id.value_or(-1);
  }

  CaseStore case_store_ = OpenCaseStore();
  std::unique_ptr<storage::Store>& store_ = case_store_.store;
  ManualClock clock_{1'790'000'000};
  audit::AuditService audit_{*store_, clock_};
  SeededRandom random_{7};
  accounts::AccountsService accounts_{*store_, audit_, clock_, random_};
  LedgerService service_{*store_, audit_, clock_};
  std::int64_t sunshine_ = 0;
  std::int64_t harmony_ = 0;
  Actor alice_, bob_, committee_, staff_, merchant_, stranger_;
  int keys_ = 0;
};

TEST_F(LEDGER_CASES, OpeningTheWalletPaysTheNewMemberGrantOnce) {
  auto first = service_.OpenWallet(alice_, 0);
  ASSERT_TRUE(first.has_value()) << first.error().reason;
  ASSERT_EQ(first->accounts.size(), 2u);  // points and minutes
  EXPECT_EQ(first->accounts[0].currency, Currency::kPoints);
  EXPECT_EQ(first->accounts[0].balance(), DefaultRules().new_member_points);
  EXPECT_EQ(first->accounts[1].currency, Currency::kMinutes);
  auto again = service_.OpenWallet(alice_, 0);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->accounts[0].balance(), DefaultRules().new_member_points);
  EXPECT_EQ(Pool(Pool::kIssuance).balance(), -DefaultRules().new_member_points);
  // A merchant also gets a merchant account.
  auto merchant = service_.OpenWallet(merchant_, 0);
  ASSERT_TRUE(merchant.has_value());
  EXPECT_EQ(merchant->accounts.size(), 3u);
  EXPECT_EQ(merchant->accounts[2].owner_kind, OwnerKind::kMerchant);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, APaymentMovesPointsAndBothLedgersStayBalanced) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  auto paid = service_.Submit(alice_, Request({Item(alice.id, bob.id, 20)}, NextKey()));
  ASSERT_TRUE(paid.has_value()) << paid.error().reason;
  ASSERT_EQ(paid->transfers.size(), 1u);
  EXPECT_EQ(paid->transfers[0].amount, 20);
  EXPECT_EQ(Balance(alice.id), 30);
  EXPECT_EQ(Balance(bob.id), 70);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, NoResidentAccountGoesBelowZero) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  auto refused = service_.Submit(alice_, Request({Item(alice.id, bob.id, 51)}, NextKey()));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().reason, "insufficient_funds");
  EXPECT_EQ(Balance(alice.id), 50);
  EXPECT_EQ(Balance(bob.id), 50);
}

TEST_F(LEDGER_CASES, ARetryReturnsTheFirstOutcomeAndAReusedKeyIsRejected) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  auto request = Request({Item(alice.id, bob.id, 10)}, "pay-1");
  auto first = service_.Submit(alice_, request);
  ASSERT_TRUE(first.has_value());
  auto retry = service_.Submit(alice_, request);
  ASSERT_TRUE(retry.has_value());
  EXPECT_TRUE(retry->replayed);
  EXPECT_EQ(retry->transfers[0].id, first->transfers[0].id);
  EXPECT_EQ(Balance(alice.id), 40);  // one effect

  auto other = Request({Item(alice.id, bob.id, 11)}, "pay-1");
  auto reused = service_.Submit(alice_, other);
  ASSERT_FALSE(reused.has_value());
  EXPECT_EQ(reused.error().reason, "idempotency_key_reused");
  // Another person's key is not theirs to replay.
  auto bobs = service_.Submit(bob_, Request({Item(bob.id, alice.id, 10)}, "pay-1"));
  ASSERT_FALSE(bobs.has_value());
  EXPECT_EQ(bobs.error().reason, "idempotency_key_reused");
  // A refusal is an outcome too: a retry after funding still answers the refusal.
  auto too_much = Request({Item(alice.id, bob.id, 100)}, "pay-2");
  EXPECT_EQ(service_.Submit(alice_, too_much).error().reason, "insufficient_funds");
  Fund(alice.id, 500);
  EXPECT_EQ(service_.Submit(alice_, too_much).error().reason, "insufficient_funds");
  EXPECT_EQ(service_.FindByKey(alice_, 0, "pay-2").error().reason, "insufficient_funds");
  auto found = service_.FindByKey(alice_, 0, "pay-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->transfers[0].id, first->transfers[0].id);
  EXPECT_EQ(service_.FindByKey(bob_, 0, "pay-1").error().reason, "not_found");
  ExpectVerified();
}

TEST_F(LEDGER_CASES, LinkedTransfersSucceedOrFailTogether) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  auto carol = Member("carol", sunshine_, {Role::kResident});
  auto carols = PointsOf(carol);
  // The second leg would overdraw bob: nothing moves.
  auto failed = service_.Submit(
      committee_, Request({Item(alice.id, bob.id, 30), Item(bob.id, carols.id, 200)}, NextKey()));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().reason, "insufficient_funds");
  EXPECT_EQ(Balance(alice.id), 50);
  EXPECT_EQ(Balance(bob.id), 50);
  // Each leg sees the previous ones: bob may pass on what alice just paid.
  auto chained = service_.Submit(
      committee_, Request({Item(alice.id, bob.id, 30), Item(bob.id, carols.id, 80)}, NextKey()));
  ASSERT_TRUE(chained.has_value()) << chained.error().reason;
  EXPECT_EQ(chained->transfers.size(), 2u);
  EXPECT_EQ(chained->transfers[0].request_id, chained->transfers[1].request_id);
  EXPECT_EQ(Balance(alice.id), 20);
  EXPECT_EQ(Balance(bob.id), 0);
  EXPECT_EQ(Balance(carols.id), 130);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, AHoldReducesAvailableAndPostsPartlyReleasingTheRest) {
  auto alice = PointsOf(alice_);
  auto escrow = Pool(Pool::kEscrow);
  HoldRequest hold{sunshine_, Currency::kPoints, alice.id, escrow.id, 40,
                   3600,      "deposit",         "",       NextKey()};
  auto placed = service_.PlaceHold(alice_, hold);
  ASSERT_TRUE(placed.has_value()) << placed.error().reason;
  const auto hold_id = placed->transfers[0].id;
  EXPECT_EQ(placed->transfers[0].hold_state, HoldState::kPending);
  auto held = Reload(alice.id);
  EXPECT_EQ(held.balance(), 50);
  EXPECT_EQ(held.available(), 10);
  // What is held cannot be spent again.
  auto bob = PointsOf(bob_);
  EXPECT_EQ(
      service_.Submit(alice_, Request({Item(alice.id, bob.id, 11)}, NextKey())).error().reason,
      "insufficient_funds");
  EXPECT_EQ(service_.PostHold(alice_, hold_id, 41, NextKey()).error().reason,
            "exceeds_hold_amount");
  auto posted = service_.PostHold(alice_, hold_id, 25, NextKey());
  ASSERT_TRUE(posted.has_value()) << posted.error().reason;
  EXPECT_EQ(posted->transfers[0].kind, TransferKind::kPostPending);
  EXPECT_EQ(posted->transfers[0].amount, 25);
  auto after = Reload(alice.id);
  EXPECT_EQ(after.balance(), 25);
  EXPECT_EQ(after.debits_pending, 0);
  EXPECT_EQ(after.available(), 25);
  EXPECT_EQ(Reload(escrow.id).balance(), 25);
  EXPECT_EQ(service_.VoidHold(alice_, hold_id, NextKey()).error().reason, "hold_not_pending");
  EXPECT_EQ(service_.GetTransfer(alice_, hold_id)->hold_state, HoldState::kPosted);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, AVoidReleasesAndATimedOutHoldExpiresOnTheScheduler) {
  auto alice = PointsOf(alice_);
  auto escrow = Pool(Pool::kEscrow);
  auto voided_hold = service_.PlaceHold(
      alice_, {sunshine_, Currency::kPoints, alice.id, escrow.id, 10, 0, "hold", "", NextKey()});
  ASSERT_TRUE(voided_hold.has_value());
  ASSERT_TRUE(service_.VoidHold(alice_, voided_hold->transfers[0].id, NextKey()).has_value());
  EXPECT_EQ(Reload(alice.id).available(), 50);

  auto timed = service_.PlaceHold(
      alice_, {sunshine_, Currency::kPoints, alice.id, escrow.id, 30, 600, "hold", "", NextKey()});
  ASSERT_TRUE(timed.has_value());
  const auto id = timed->transfers[0].id;
  EXPECT_EQ(service_.ExpireHolds().value(), 0);  // not yet due
  clock_.Advance(Seconds(600));
  EXPECT_EQ(service_.PostHold(alice_, id, 0, NextKey()).error().reason, "hold_expired");
  EXPECT_EQ(service_.ExpireHolds().value(), 1);
  EXPECT_EQ(service_.ExpireHolds().value(), 0);
  EXPECT_EQ(service_.GetTransfer(alice_, id)->hold_state, HoldState::kExpired);
  auto after = Reload(alice.id);
  EXPECT_EQ(after.balance(), 50);
  EXPECT_EQ(after.debits_pending, 0);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, UpperAndCreditLimitsHold) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  AccountPatch cap;
  cap.upper_limit = 60;
  ASSERT_TRUE(service_.UpdateAccount(committee_, bob.id, cap).has_value());
  EXPECT_EQ(
      service_.Submit(alice_, Request({Item(alice.id, bob.id, 11)}, NextKey())).error().reason,
      "exceeds_upper_limit");
  ASSERT_TRUE(service_.Submit(alice_, Request({Item(alice.id, bob.id, 10)}, NextKey())));
  AccountPatch credit;
  credit.credit_limit = 30;
  EXPECT_EQ(service_.UpdateAccount(alice_, alice.id, credit).error().reason, "forbidden");
  ASSERT_TRUE(service_.UpdateAccount(committee_, alice.id, credit).has_value());
  auto carol = Member("carol", sunshine_, {Role::kResident});
  auto carols = PointsOf(carol);
  ASSERT_TRUE(service_.Submit(alice_, Request({Item(alice.id, carols.id, 70)}, NextKey())));
  EXPECT_EQ(Balance(alice.id), -30);
  EXPECT_EQ(
      service_.Submit(alice_, Request({Item(alice.id, carols.id, 1)}, NextKey())).error().reason,
      "insufficient_funds");
  // A limit cannot be set below what the account already uses.
  AccountPatch tighter;
  tighter.credit_limit = 10;
  EXPECT_EQ(service_.UpdateAccount(committee_, alice.id, tighter).error().reason,
            "limit_below_balance");
  ExpectVerified();
}

TEST_F(LEDGER_CASES, ACorrectionReversesATransferOnce) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  auto paid = service_.Submit(alice_, Request({Item(alice.id, bob.id, 20)}, NextKey()));
  ASSERT_TRUE(paid.has_value());
  const auto id = paid->transfers[0].id;
  EXPECT_EQ(service_.Correct(alice_, id, "", NextKey()).error().reason, "forbidden");
  auto corrected = service_.Correct(committee_, id, "wrong payee", "fix-1");
  ASSERT_TRUE(corrected.has_value()) << corrected.error().reason;
  EXPECT_EQ(corrected->transfers[0].reverses_id, id);
  EXPECT_EQ(corrected->transfers[0].code, "correction");
  EXPECT_EQ(Balance(alice.id), 50);
  EXPECT_EQ(Balance(bob.id), 50);
  EXPECT_TRUE(service_.Correct(committee_, id, "wrong payee", "fix-1")->replayed);
  EXPECT_EQ(service_.Correct(committee_, id, "again", NextKey()).error().reason,
            "already_reversed");
  // The original is still there: corrections never edit or delete.
  EXPECT_EQ(service_.GetTransfer(committee_, id)->amount, 20);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, EarningsFollowTheRulesAndComeFromTheRewardsPool) {
  EarningRequest earning{sunshine_, alice_.user_id, "volunteering", 90, "", NextKey()};
  EXPECT_EQ(service_.RecordEarning(alice_, earning).error().reason, "forbidden");
  EXPECT_EQ(service_.RecordEarning(staff_, earning).error().reason, "insufficient_funds");
  Fund(Pool(Pool::kRewards).id, 1000);
  earning.idempotency_key = NextKey();
  auto earned = service_.RecordEarning(staff_, earning);
  ASSERT_TRUE(earned.has_value()) << earned.error().reason;
  EXPECT_EQ(earned->transfers[0].amount, 7);  // 5 points per hour × 90 minutes
  EXPECT_EQ(earned->transfers[0].code, "earning:volunteering");
  EarningRequest deliberation{sunshine_, alice_.user_id, "deliberation", 2, "", NextKey()};
  EXPECT_EQ(service_.RecordEarning(staff_, deliberation)->transfers[0].amount, 20);
  EarningRequest unknown{sunshine_, alice_.user_id, "nope", 1, "", NextKey()};
  EXPECT_EQ(service_.RecordEarning(staff_, unknown).error().reason, "unknown_rule");
  EarningRequest outsider{sunshine_, stranger_.user_id, "cleaning", 1, "", NextKey()};
  EXPECT_EQ(service_.RecordEarning(staff_, outsider).error().reason, "not_found");
  // Time-bank minutes come from the minutes rewards pool.
  Fund(Pool(Pool::kRewards, Currency::kMinutes).id, 600, Currency::kMinutes);
  EarningRequest minutes{sunshine_, alice_.user_id, "volunteering_time", 90, "", NextKey()};
  auto time = service_.RecordEarning(staff_, minutes);
  ASSERT_TRUE(time.has_value()) << time.error().reason;
  EXPECT_EQ(time->transfers[0].currency, Currency::kMinutes);
  EXPECT_EQ(time->transfers[0].amount, 90);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, PaymentsNeverGoIntoTheCommunityPools) {
  auto alice = PointsOf(alice_);
  const std::int64_t before = Balance(alice.id);
  for (auto pool : {Pool::kIssuance, Pool::kEscrow, Pool::kFees, Pool::kRewards}) {
    PaymentRequest pay{sunshine_, Currency::kPoints, Pool(pool).id, 1, "", NextKey()};
    auto refused = service_.Pay(alice_, pay);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().reason, "invalid_field");
    EXPECT_EQ(refused.error().errors.at(0).reason, "not_a_person");
  }
  EXPECT_EQ(Balance(alice.id), before);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, MerchantsRedeemAtTheRateAndDonationsIssuePoints) {
  auto alice = PointsOf(alice_);
  auto merchant = service_.OpenWallet(merchant_, 0)->accounts[2];
  PaymentRequest pay{sunshine_, Currency::kPoints, merchant.id, 40, "", NextKey()};
  ASSERT_TRUE(service_.Pay(alice_, pay).has_value());
  EXPECT_EQ(Balance(alice.id), 10);
  EXPECT_EQ(service_.Redeem(alice_, 0, 10, NextKey()).error().reason, "forbidden");
  auto redeemed = service_.Redeem(merchant_, 0, 40, NextKey());
  ASSERT_TRUE(redeemed.has_value()) << redeemed.error().reason;
  EXPECT_EQ(redeemed->transfers[0].value_fen, 200);  // 100 points = 5 yuan
  EXPECT_EQ(Balance(merchant.id), 0);
  EXPECT_EQ(Pool(Pool::kFees).balance(), 40);

  EXPECT_EQ(service_.Donate(alice_, 0, 10000, "", NextKey()).error().reason, "forbidden");
  auto donated = service_.Donate(committee_, 0, 10000, "某公司", NextKey());
  ASSERT_TRUE(donated.has_value());
  EXPECT_EQ(donated->transfers[0].amount, 2000);  // 100 yuan → 2000 points
  EXPECT_EQ(donated->transfers[0].value_fen, 10000);
  EXPECT_EQ(Pool(Pool::kDonations).balance(), 2000);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, SubsidiesNeedACertifiedVulnerableAccount) {
  auto alice = PointsOf(alice_);
  auto subsidies = Pool(Pool::kSubsidies);
  Fund(subsidies.id, 500);
  EXPECT_EQ(service_.Subsidise(committee_, alice.id, "", NextKey()).error().reason,
            "not_certified");
  AccountPatch certify;
  certify.vulnerable = true;
  ASSERT_TRUE(service_.UpdateAccount(committee_, alice.id, certify)->vulnerable);
  auto paid = service_.Subsidise(committee_, alice.id, "", NextKey());
  ASSERT_TRUE(paid.has_value()) << paid.error().reason;
  EXPECT_EQ(Balance(alice.id), 50 + DefaultRules().subsidy_points);
  ExpectVerified();
}

TEST_F(LEDGER_CASES, OthersAccountsAreNotFound) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  EXPECT_EQ(service_.GetAccount(bob_, alice.id).error().reason, "not_found");
  EXPECT_EQ(service_.GetAccount(stranger_, alice.id).error().reason, "not_found");
  EXPECT_EQ(service_.Statement(bob_, alice.id, {}).error().reason, "not_found");
  EXPECT_EQ(service_.Submit(bob_, Request({Item(alice.id, bob.id, 5)}, NextKey())).error().reason,
            "not_found");
  EXPECT_EQ(service_.GetAccount(Actor{}, alice.id).error().reason, "unauthenticated");
  EXPECT_TRUE(service_.GetAccount(committee_, alice.id).has_value());
  EXPECT_EQ(Balance(alice.id), 50);
}

TEST_F(LEDGER_CASES, StatementsRunTheBalanceNewestFirstAndExportCsv) {
  auto alice = PointsOf(alice_);
  auto bob = PointsOf(bob_);
  for (int i = 0; i < 5; ++i) {
    TransferItem item = Item(alice.id, bob.id, 3);
    item.memo = i == 0 ? "=HYPERLINK(\"x\")" : "tea";
    ASSERT_TRUE(service_.Submit(alice_, Request({item}, NextKey())));
  }
  auto first = service_.Statement(alice_, alice.id, {2, std::nullopt});
  ASSERT_TRUE(first.has_value());
  ASSERT_EQ(first->lines.size(), 2u);
  EXPECT_EQ(first->lines[0].balance_after, 35);
  EXPECT_EQ(first->lines[0].amount, -3);
  EXPECT_EQ(first->lines[1].balance_after, 38);
  ASSERT_TRUE(first->next.has_value());
  auto rest = service_.Statement(alice_, alice.id, {100, first->next});
  ASSERT_TRUE(rest.has_value());
  ASSERT_EQ(rest->lines.size(), 4u);  // three payments and the grant
  EXPECT_EQ(rest->lines.back().transfer.code, "new_member_grant");
  EXPECT_EQ(rest->lines.back().balance_after, 50);
  auto csv = service_.StatementCsv(alice_, alice.id);
  ASSERT_TRUE(csv.has_value());
  EXPECT_NE(csv->find("\"'=HYPERLINK(\"\"x\"\")\""), std::string::npos);
  EXPECT_NE(csv->find(",-3,0,35\r\n"), std::string::npos);
}

TEST_F(LEDGER_CASES, RulesAreVersioned) {
  auto defaults = service_.GetRules(alice_, 0);
  ASSERT_TRUE(defaults.has_value());
  EXPECT_EQ(defaults->version, 0);
  Rules rules = DefaultRules();
  rules.new_member_points = 80;
  EXPECT_EQ(service_.PutRules(alice_, 0, rules).error().reason, "forbidden");
  auto saved = service_.PutRules(committee_, 0, rules);
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->version, 1);
  rules.earning[0].amount_per_unit = 0;
  EXPECT_EQ(service_.PutRules(committee_, 0, rules).error().reason, "invalid_field");
  rules.earning[0].amount_per_unit = 12;
  EXPECT_EQ(service_.PutRules(committee_, 0, rules)->version, 2);
  EXPECT_EQ(service_.GetRules(bob_, 0)->earning[0].amount_per_unit, 12);
  EXPECT_EQ(PointsOf(bob_).balance(), 80);  // the grant in force when bob opened his wallet
}

TEST_F(LEDGER_CASES, VerifyFindsACorruptedBalance) {
  auto alice = PointsOf(alice_);
  PointsOf(bob_);
  ExpectVerified();
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute(
        "UPDATE ledger_accounts SET credits_posted = credits_posted + 1 WHERE id = $1",
        {alice.id}));
    return Ok();
  }));
  auto broken = service_.VerifyAll();
  ASSERT_TRUE(broken.has_value());
  EXPECT_FALSE(broken->ok);
  EXPECT_EQ(broken->problem, "ledger_unbalanced");
  EXPECT_EQ(broken->community_id, sunshine_);
  // Balanced again at the ledger level, but alice's balance no longer equals her entries.
  auto issuance = Pool(Pool::kIssuance);
  ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
    LINLI_TRY(session.Execute(
        "UPDATE ledger_accounts SET debits_posted = debits_posted + 1 WHERE id = $1",
        {issuance.id}));
    return Ok();
  }));
  broken = service_.VerifyAll();
  EXPECT_EQ(broken->problem, "balance_mismatch");
  EXPECT_EQ(broken->account_id, std::min(alice.id, issuance.id));
}

}  // namespace
}  // namespace linli::ledger
