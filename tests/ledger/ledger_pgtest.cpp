// The ledger's use cases on PostgreSQL (ledger_cases.hpp), each in a fresh schema of the
// database named by LINLI_TEST_PG_DSN, plus concurrent writers on one schema.
#include <atomic>
#include <thread>

#define LEDGER_CASES LedgerPostgresTest
#include "ledger_cases.hpp"
#include "support/pg_schema.hpp"

namespace linli::ledger {

CaseStore OpenCaseStore() {
  auto schema = std::make_shared<linli::testing::PgSchema>("ledger");
  auto store = schema->TakeStore();
  return CaseStore{std::move(store), [schema]() mutable { schema.reset(); }};
}

namespace {

TransferItem MakeItem(TransferKind kind, std::int64_t debit, std::int64_t credit,
                      std::int64_t amount) {
  TransferItem item;
  item.kind = kind;
  item.debit_account_id = debit;
  item.credit_account_id = credit;
  item.amount = amount;
  return item;
}

// Two stores (two connection pools, as two processes would have) hammer transfers between a
// few accounts; SERIALIZABLE with retries plus the CHECKs keep every invariant.
TEST(LedgerPostgresConcurrency, TwoPoolsKeepEveryLedgerBalanced) {
  crypto::InitCrypto();
  linli::testing::PgSchema schema("ledger_conc", 4);
  ASSERT_NE(schema.store(), nullptr);
  auto second = storage::OpenPostgresStore({.dsn = schema.dsn(), .pool_size = 4});
  ASSERT_TRUE(second.has_value());
  SystemClock clock;
  audit::AuditService audit1(*schema.store(), clock);
  audit::AuditService audit2(**second, clock);
  SeededRandom random(1);
  accounts::AccountsService accounts(*schema.store(), audit1, clock, random);
  const auto community =
      accounts.EnsureCommunity(Actor::System(), {"上海市", "街道", "社区", "Asia/Shanghai", {}})
          .value();
  LedgerService one(*schema.store(), audit1, clock);
  LedgerService two(**second, audit2, clock);
  // Five accounts with 100 points each.
  std::vector<std::int64_t> ids;
  for (int owner = 1; owner <= 5; ++owner) {
    auto opened = one.OpenAccount(
        Actor::System(), {community, Currency::kPoints, OwnerKind::kHousehold, owner, {}, {}});
    ASSERT_TRUE(opened.has_value());
    ids.push_back(opened->first.id);
  }
  auto issuance = schema.store()
                      ->WriteValue([&](storage::Session& s) {
                        return one.EnsurePool(s, community, Currency::kPoints, Pool::kIssuance);
                      })
                      .value();
  for (auto id : ids) {
    TransferRequest fund{community, Currency::kPoints, "fund-" + std::to_string(id), {}};
    fund.items.push_back(MakeItem(TransferKind::kPosted, issuance.id, id, 100));
    ASSERT_TRUE(one.Submit(Actor::System(), fund).has_value());
  }
  std::atomic<int> ok{0}, refused{0};
  auto hammer = [&](LedgerService& service, int seed) {
    std::mt19937 rng(seed);
    for (int i = 0; i < 150; ++i) {
      const auto from = ids[rng() % ids.size()];
      auto to = ids[rng() % ids.size()];
      if (to == from) to = ids[(std::find(ids.begin(), ids.end(), from) - ids.begin() + 1) % 5];
      TransferRequest request{
          community, Currency::kPoints, "t-" + std::to_string(seed) + "-" + std::to_string(i), {}};
      request.items.push_back(
          MakeItem(TransferKind::kPosted, from, to, std::int64_t(1 + rng() % 60)));
      for (int attempt = 0; attempt < 20; ++attempt) {
        auto outcome = service.Submit(Actor::System(), request);
        if (outcome) {
          ++ok;
          break;
        }
        if (outcome.error().reason == "insufficient_funds") {
          ++refused;
          break;
        }
        ASSERT_EQ(outcome.error().reason, "serialization_failure");  // retried with the same key
      }
    }
  };
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back(hammer, std::ref(t % 2 == 0 ? one : two), t + 1);
  }
  for (auto& thread : threads) thread.join();
  EXPECT_GT(ok.load(), 0);
  auto verification = one.VerifyAll();
  ASSERT_TRUE(verification.has_value());
  EXPECT_TRUE(verification->ok) << verification->problem;
  std::int64_t total = 0;
  for (auto id : ids) {
    auto account = one.GetAccount(Actor::System(), id).value();
    EXPECT_GE(account.balance(), 0);
    total += account.balance();
  }
  EXPECT_EQ(total, 500);  // points only moved between the five
}

}  // namespace
}  // namespace linli::ledger
