// Two `linli serve` processes on one PostgreSQL schema hammer transfers, holds, posts and voids
// between a few accounts. Afterwards `linli verify-ledger` passes, no account is below zero, the
// accounts still hold exactly what they were funded with, and each idempotency key had exactly
// one effect (a retry after a serialization failure reuses its key).
#include <atomic>
#include <mutex>
#include <random>

#include <gtest/gtest.h>

#include "ledger_process/process.hpp"
#include "ledger_process/world.hpp"
#include "support/pg_schema.hpp"

namespace linli::ledger_process {
namespace {

constexpr int kAccounts = 4;
constexpr std::int64_t kFunding = 100;
constexpr int kRequestsPerWriter = 60;

// Sends until the answer is definitive: 2xx or a business refusal. 409 serialization_failure
// and 503 are retried with the same key.
Reply Definitive(std::uint16_t port, const std::string& target, const std::string& body,
                 const Session& session, const std::string& key) {
  Reply reply;
  for (int attempt = 0; attempt < 50; ++attempt) {
    reply = Http(port, "POST", target, body, session.Headers(key));
    const bool transient = reply.status == 503 || reply.status == 0 ||
                           (reply.status == 409 && reply.Reason() == "serialization_failure");
    if (!transient) return reply;
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * (attempt + 1)));
  }
  return reply;
}

TEST(LedgerTwoServers, InvariantsHoldWithTwoProcessesOnOneDatabase) {
  linli::testing::PgSchema schema("ledger_two", 2);
  ASSERT_NE(schema.store(), nullptr);
  auto world = MakeWorld(*schema.store(), kAccounts, kFunding);
  ASSERT_TRUE(world.has_value()) << world.error().detail;
  std::string dir = (fs::temp_directory_path() / "linli_two_XXXXXX").string();
  ASSERT_NE(mkdtemp(dir.data()), nullptr);
  // The first server creates the data key file the second one reads.
  auto one = StartServer(LINLI_BIN, schema.dsn(), dir, "one");
  ASSERT_TRUE(one.has_value()) << ReadFile(fs::path(dir) / "one.err");
  auto two = StartServer(LINLI_BIN, schema.dsn(), dir, "two");
  ASSERT_TRUE(two.has_value()) << ReadFile(fs::path(dir) / "two.err");
  auto session = Login(one->port, "committee");  // a session works on both: it is in the database
  ASSERT_TRUE(session.has_value());

  std::mutex mutex;
  std::vector<std::string> keys;
  std::atomic<int> created{0}, refused{0}, unexpected{0};
  auto writer = [&](int w) {
    std::mt19937 rng(static_cast<unsigned>(w + 1));
    const std::uint16_t ports[2] = {one->port, two->port};
    for (int n = 0; n < kRequestsPerWriter; ++n) {
      const auto port = ports[rng() % 2];
      const auto i = rng() % kAccounts;
      const auto from = world->accounts[i];
      const auto to = world->accounts[(i + 1 + rng() % (kAccounts - 1)) % kAccounts];
      const std::string key = "w" + std::to_string(w) + "-" + std::to_string(n);
      Reply reply;
      if (n % 5 == 4) {
        // A hold, then a partial post or a void — on the other server.
        const auto body = boost::json::serialize(boost::json::object{
            {"debit_account_id", from}, {"credit_account_id", to}, {"amount", 1 + rng() % 30}});
        reply = Definitive(port, "/api/v1/ledger/holds", body, *session, key);
        if (reply.status == 201) {
          const auto hold = reply.Json().at("transfers").as_array().at(0).at("id").as_int64();
          const auto other = port == one->port ? two->port : one->port;
          const bool post = rng() % 2 == 0;
          const auto action =
              "/api/v1/ledger/holds/" + std::to_string(hold) + (post ? "/post" : "/void");
          const auto resolved =
              Definitive(other, action, post ? R"({"amount":1})" : "{}", *session, key + "-r");
          if (resolved.status != 201) ++unexpected;
          std::lock_guard lock(mutex);
          keys.push_back(key + "-r");
        }
      } else {
        const auto body = boost::json::serialize(boost::json::object{
            {"transfers", boost::json::array{boost::json::object{{"debit_account_id", from},
                                                                 {"credit_account_id", to},
                                                                 {"amount", 1 + rng() % 40}}}}});
        reply = Definitive(port, "/api/v1/ledger/transfers", body, *session, key);
      }
      if (reply.status == 201) {
        ++created;
      } else if (reply.status == 422 && reply.Reason() == "insufficient_funds") {
        ++refused;
      } else {
        ++unexpected;
        ADD_FAILURE() << key << ": " << reply.status << " " << reply.body;
      }
      std::lock_guard lock(mutex);
      keys.push_back(key);
    }
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < 4; ++w) threads.emplace_back(writer, w);
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(unexpected.load(), 0);
  EXPECT_GT(created.load(), 0);

  // Balances through the API of the second server; every account ≥ 0, total unchanged.
  std::int64_t total = 0;
  for (auto id : world->accounts) {
    auto account = Http(two->port, "GET", "/api/v1/ledger/accounts/" + std::to_string(id), "",
                        session->Headers());
    ASSERT_EQ(account.status, 200) << account.body;
    const auto json = account.Json();
    EXPECT_GE(json.at("balance").as_int64(), 0);
    EXPECT_GE(json.at("available").as_int64(), 0);
    total += json.at("balance").as_int64();
  }
  EXPECT_EQ(total, kAccounts * kFunding);
  kill(one->pid, SIGTERM);
  kill(two->pid, SIGTERM);
  WaitExit(one->pid);
  WaitExit(two->pid);

  const pid_t verify = Spawn({LINLI_BIN, "--db", schema.dsn(), "verify-ledger"},
                             fs::path(dir) / "verify.out", fs::path(dir) / "verify.err");
  EXPECT_EQ(WaitExit(verify), 0) << ReadFile(fs::path(dir) / "verify.out")
                                 << ReadFile(fs::path(dir) / "verify.err");
  // Exactly one request row per key: retries after serialization failures added no effect.
  std::int64_t rows = 0;
  ASSERT_TRUE(schema.store()->Read([&](storage::Session& s) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto row,
                           s.QueryOne("SELECT COUNT(*) FROM ledger_requests WHERE idem_key LIKE "
                                      "'w%'"));
    rows = row->Int(0);
    return Ok();
  }));
  EXPECT_EQ(rows, static_cast<std::int64_t>(keys.size()));
  std::printf("%d created, %d refused (insufficient funds), %zu keys\n", created.load(),
              refused.load(), keys.size());
  std::error_code ec;
  fs::remove_all(dir, ec);
}

}  // namespace
}  // namespace linli::ledger_process
