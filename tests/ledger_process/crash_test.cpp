// Crash test: a load of transfers (single and linked, with Idempotency-Keys) against the real
// `linli serve` on SQLite while the process is killed with SIGKILL at random moments, at least
// 100 times (LINLI_CRASH_KILLS overrides). After every kill `linli verify-ledger` must pass;
// after every restart each transfer that was answered 2xx must be present (looked up by its
// key), each refusal must still be the same refusal, and a request that got no answer must get
// a definitive one when retried with its key (it happened exactly once, or not at all).
#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <random>

#include <gtest/gtest.h>

#include "ledger_process/process.hpp"
#include "ledger_process/world.hpp"
#include "storage/sqlite/sqlite_store.hpp"

namespace linli::ledger_process {
namespace {

struct Sent {
  std::string key;
  std::string body;
  int status = 0;             // 0: no answer (the server died)
  std::int64_t first_id = 0;  // the first transfer's id when 201
  std::string reason;         // when 4xx
};

std::string Body(std::int64_t debit, std::int64_t credit, std::int64_t amount, bool linked) {
  boost::json::array transfers{boost::json::object{
      {"debit_account_id", debit}, {"credit_account_id", credit}, {"amount", amount}}};
  if (linked) {
    transfers.push_back(boost::json::object{
        {"debit_account_id", credit}, {"credit_account_id", debit}, {"amount", 1}});
  }
  return boost::json::serialize(boost::json::object{{"transfers", std::move(transfers)}});
}

void Record(Sent& sent, const Reply& reply) {
  sent.status = reply.status;
  if (reply.status == 201) {
    sent.first_id = reply.Json().at("transfers").as_array().at(0).at("id").as_int64();
  } else {
    sent.reason = reply.Reason();
  }
}

class LedgerCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir = (fs::temp_directory_path() / "linli_crash_XXXXXX").string();
    ASSERT_NE(mkdtemp(dir.data()), nullptr);
    dir_ = dir;
    db_ = "sqlite:" + (dir_ / "linli.db").string();
    const pid_t pid =
        Spawn({LINLI_BIN, "--db", db_, "migrate"}, dir_ / "setup.out", dir_ / "setup.err");
    ASSERT_EQ(WaitExit(pid), 0) << ReadFile(dir_ / "setup.err");
    storage::SqliteOptions options;
    options.path = (dir_ / "linli.db").string();
    auto store = storage::OpenSqliteStore(options);
    ASSERT_TRUE(store.has_value());
    auto world = MakeWorld(**store, 2, 50);
    ASSERT_TRUE(world.has_value()) << world.error().detail;
    accounts_ = world->accounts;
  }
  void TearDown() override {
    if (!HasFailure()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    } else {
      std::printf("kept %s\n", dir_.c_str());
    }
  }

  int VerifyLedger(int cycle) {
    const pid_t pid =
        Spawn({LINLI_BIN, "--db", db_, "verify-ledger"},
              dir_ / ("verify" + std::to_string(cycle % 2) + ".out"), dir_ / "verify.err");
    return WaitExit(pid);
  }

  fs::path dir_;
  std::string db_;
  std::vector<std::int64_t> accounts_;
};

TEST_F(LedgerCrash, KilledServersLoseNoAnsweredTransferAndKeepEveryLedgerBalanced) {
  const char* env = std::getenv("LINLI_CRASH_KILLS");
  const int kills = env ? std::max(1, std::atoi(env)) : 100;
  std::mt19937 rng(20260522);

  auto server = StartServer(LINLI_BIN, db_, dir_, "serve");
  ASSERT_TRUE(server.has_value()) << ReadFile(dir_ / "serve.err");
  auto committee = Login(server->port, "committee");
  ASSERT_TRUE(committee.has_value());
  const auto& accounts = accounts_;

  std::vector<Sent> all;  // every request ever sent, in order
  std::mutex mutex;
  int answered = 0, unanswered = 0;
  for (int cycle = 0; cycle < kills; ++cycle) {
    // Load: two writers (opposite directions, some linked) until the kill.
    std::atomic<bool> stop{false};
    std::vector<std::thread> writers;
    for (int w = 0; w < 2; ++w) {
      writers.emplace_back([&, w] {
        for (int n = 0; !stop.load(); ++n) {
          Sent sent;
          sent.key =
              "c" + std::to_string(cycle) + "-w" + std::to_string(w) + "-" + std::to_string(n);
          sent.body = Body(accounts[w], accounts[1 - w], 1 + n % 3, n % 4 == 3);
          const auto reply = Http(server->port, "POST", "/api/v1/ledger/transfers", sent.body,
                                  committee->Headers(sent.key), 5000);
          Record(sent, reply);
          std::lock_guard lock(mutex);
          all.push_back(sent);
          if (reply.status == 0) break;  // the server is gone
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20 + rng() % 200));
    ASSERT_EQ(kill(server->pid, SIGKILL), 0);
    stop = true;
    for (auto& writer : writers) writer.join();
    ASSERT_EQ(WaitExit(server->pid), -1);

    // verify-ledger on the crashed database, while the next server starts.
    const pid_t verify =
        Spawn({LINLI_BIN, "--db", db_, "verify-ledger"}, dir_ / "verify.out", dir_ / "verify.err");
    server = StartServer(LINLI_BIN, db_, dir_, "serve");
    const int verified = WaitExit(verify);
    ASSERT_EQ(verified, 0) << "cycle " << cycle << ": " << ReadFile(dir_ / "verify.out")
                           << ReadFile(dir_ / "verify.err");
    ASSERT_TRUE(server.has_value()) << ReadFile(dir_ / "serve.err");

    // Requests of this cycle: answered ones are still there; unanswered ones get a definitive
    // answer when retried with the same key.
    for (auto& sent : all) {
      if (sent.key.rfind("c" + std::to_string(cycle) + "-", 0) != 0) continue;
      if (sent.status == 201) {
        ++answered;
        auto found =
            Http(server->port, "GET", "/api/v1/ledger/transfers?idempotency_key=" + sent.key, "",
                 committee->Headers());
        ASSERT_EQ(found.status, 200) << sent.key << ": " << found.body;
        ASSERT_EQ(found.Json().at("transfers").as_array().at(0).at("id").as_int64(), sent.first_id);
      } else if (sent.status == 422) {
        ++answered;
        auto found =
            Http(server->port, "GET", "/api/v1/ledger/transfers?idempotency_key=" + sent.key, "",
                 committee->Headers());
        ASSERT_EQ(found.status, 422) << sent.key << ": " << found.body;
        ASSERT_EQ(found.Reason(), sent.reason);
      } else if (sent.status == 0) {
        ++unanswered;
        auto retried = Http(server->port, "POST", "/api/v1/ledger/transfers", sent.body,
                            committee->Headers(sent.key));
        ASSERT_TRUE(retried.status == 201 || retried.status == 422)
            << sent.key << ": " << retried.status << " " << retried.body;
        Record(sent, retried);
      } else {
        FAIL() << sent.key << " answered " << sent.status << " " << sent.reason;
      }
    }
  }
  // Every answered transfer of every cycle is still there at the end.
  for (const auto& sent : all) {
    if (sent.status != 201) continue;
    auto found = Http(server->port, "GET", "/api/v1/ledger/transfers?idempotency_key=" + sent.key,
                      "", committee->Headers());
    ASSERT_EQ(found.status, 200) << sent.key;
    ASSERT_EQ(found.Json().at("transfers").as_array().at(0).at("id").as_int64(), sent.first_id);
  }
  kill(server->pid, SIGTERM);
  WaitExit(server->pid);
  EXPECT_EQ(VerifyLedger(0), 0);
  std::printf("%d kills, %zu requests, %d answered before a kill, %d unanswered then retried\n",
              kills, all.size(), answered, unanswered);
  EXPECT_GT(answered, kills);  // the load really ran between kills
}

}  // namespace
}  // namespace linli::ledger_process
