// The storage contract on PostgreSQL: each test gets its own schema in the database named by
// LINLI_TEST_PG_DSN (scripts/pg-test-cluster.sh start DIR prints one), dropped afterwards.
// Without that variable every test fails: CI must run these, never skip them.
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/limits.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "storage/store_contract.hpp"
#include "support/pg_schema.hpp"

namespace linli::storage::contract {
namespace {

// The DSN with a search_path that puts new tables in `schema` (public stays visible for the
// btree_gist extension), and the schema as application_name so a test can find its own
// connections in pg_stat_activity. Handles both DSN forms libpq accepts.
Status RunScript(Store& store, const std::string& sql) {
  return store.Write([&](Session& session) { return session.ExecuteScript(sql); });
}

// A fresh schema and a store whose tables go there; `admin` works outside that schema.
struct PostgresFixture {
  std::string dsn;  // the store's
  std::string schema;
  std::shared_ptr<Store> admin;
  FreshStore fresh;
};

Result<PostgresFixture> OpenPostgresFixture(int pool_size) {
  const char* dsn = std::getenv("LINLI_TEST_PG_DSN");
  if (dsn == nullptr || *dsn == '\0') {
    return Error{Errc::kUnavailable, "database_unavailable",
                 "LINLI_TEST_PG_DSN is not set. Start a throwaway server with "
                 "`export LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start build/pg)`; "
                 "the pg tests are never skipped."};
  }
  std::random_device random;
  PostgresFixture fixture;
  fixture.schema = "t_" + std::to_string(random()) + "_" + std::to_string(random());
  fixture.dsn = linli::testing::DsnForSchema(dsn, fixture.schema);
  LINLI_ASSIGN_OR_RETURN(fixture.admin,
                         OpenPostgresStore(PostgresOptions{.dsn = dsn, .pool_size = 1}));
  LINLI_TRY(RunScript(*fixture.admin, "CREATE SCHEMA " + fixture.schema));
  auto drop_schema = [admin = fixture.admin, schema = fixture.schema] {
    auto dropped = RunScript(*admin, "DROP SCHEMA " + schema + " CASCADE");
    EXPECT_TRUE(dropped) << "dropping " << schema << ": " << Describe(dropped.error());
  };
  auto store = OpenPostgresStore(PostgresOptions{.dsn = fixture.dsn, .pool_size = pool_size});
  if (!store) {
    drop_schema();
    return store.error();
  }
  fixture.fresh = FreshStore{std::move(*store), drop_schema};
  return fixture;
}

Result<FreshStore> OpenFreshPostgres() {
  LINLI_ASSIGN_OR_RETURN(auto fixture, OpenPostgresFixture(4));
  return std::move(fixture.fresh);
}

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(Backend{
                             .name = "postgres",
                             .capabilities = {.backend = "postgres",
                                              .exclusion_constraints = true,
                                              .multi_writer = true,
                                              .row_locks = true},
                             .open = OpenFreshPostgres,
                             .migrations = PostgresMigrations,
                         }),
                         BackendName);

// --- PostgreSQL only: connections, retries, types --------------------------------------

class PostgresStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fixture = OpenPostgresFixture(4);
    ASSERT_TRUE(fixture) << Describe(fixture.error());
    fixture_ = std::move(*fixture);
  }

  void TearDown() override {
    fixture_.fresh.store.reset();
    if (fixture_.fresh.cleanup) fixture_.fresh.cleanup();
  }

  Store& store() { return *fixture_.fresh.store; }

  // Another store on the same schema, e.g. with a different pool size.
  std::unique_ptr<Store> OpenAnother(int pool_size) {
    auto other = OpenPostgresStore(PostgresOptions{.dsn = fixture_.dsn, .pool_size = pool_size});
    EXPECT_TRUE(other) << Describe(other.error());
    return other ? std::move(*other) : nullptr;
  }

  void CreateTable() {
    LINLI_ASSERT_OK(RunScript(store(),
                              "CREATE TABLE t (id BIGINT PRIMARY KEY, amount BIGINT NOT NULL);"
                              "INSERT INTO t VALUES (0, 0);"));
  }

  std::int64_t Count() {
    auto count = store().ReadValue([](Session& session) -> Result<std::int64_t> {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT count(*) FROM t"));
      return row->Int(0);
    });
    EXPECT_TRUE(count) << Describe(count.error());
    return count ? *count : -1;
  }

  // Server-side connections of the store under test (they carry the schema as their name).
  std::int64_t ServerConnections() {
    auto count = fixture_.admin->ReadValue([&](Session& session) -> Result<std::int64_t> {
      LINLI_ASSIGN_OR_RETURN(
          auto row,
          session.QueryOne("SELECT count(*) FROM pg_stat_activity WHERE application_name = $1",
                           {fixture_.schema}));
      return row->Int(0);
    });
    EXPECT_TRUE(count) << Describe(count.error());
    return count ? *count : -1;
  }

  // What a server restart or a network cut does to the store's idle connections.
  void KillServerConnections() {
    LINLI_ASSERT_OK(fixture_.admin->Write([&](Session& session) -> Status {
      LINLI_TRY(session.Query(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
          {fixture_.schema}));
      return Ok();
    }));
    for (int i = 0; i < 500 && ServerConnections() > 0; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(ServerConnections(), 0);
  }

  PostgresFixture fixture_;
};

TEST_F(PostgresStoreTest, ReplacesConnectionsTheServerDropped) {
  CreateTable();
  // Several pooled connections, all idle afterwards.
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] { EXPECT_EQ(Count(), 1); });
  }
  for (auto& thread : threads) thread.join();
  KillServerConnections();

  LINLI_EXPECT_OK(store().Ping());
  EXPECT_EQ(Count(), 1);
  LINLI_EXPECT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t VALUES (1, 1)"));
    return Ok();
  }));
  EXPECT_EQ(Count(), 2);
}

TEST_F(PostgresStoreTest, AWriteWhoseConnectionDiesBeforeCommitRunsAgain) {
  CreateTable();
  int attempts = 0;
  LINLI_ASSERT_OK(store().Write([&](Session& session) -> Status {
    ++attempts;
    LINLI_TRY(session.Execute("INSERT INTO t VALUES (1, 1)"));
    if (attempts == 1) {
      LINLI_TRY(session.Query("SELECT pg_terminate_backend(pg_backend_pid())"));
    }
    return Ok();
  }));
  EXPECT_EQ(attempts, 2);
  EXPECT_EQ(Count(), 2);
}

TEST_F(PostgresStoreTest, SerializationFailuresAreRetriedThenReported) {
  CreateTable();
  const std::string raise_40001 = "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '40001'; END $$";
  int attempts = 0;
  auto always = store().Write([&](Session& session) -> Status {
    ++attempts;
    LINLI_TRY(session.Execute("INSERT INTO t VALUES (1, 1)"));
    return session.ExecuteScript(raise_40001);
  });
  ASSERT_FALSE(always);
  EXPECT_EQ(always.error().code, Errc::kConflict);
  EXPECT_EQ(always.error().reason, "serialization_failure");
  EXPECT_EQ(attempts, limits::kPgWriteRetriesMax + 1);
  EXPECT_EQ(Count(), 1);

  // A deadlock victim is rerun too, and so is a fn that swallowed the failure and returned Ok.
  for (const char* code : {"40P01", "40001"}) {
    attempts = 0;
    LINLI_EXPECT_OK(store().Write([&](Session& session) -> Status {
      ++attempts;
      LINLI_TRY(session.Execute("UPDATE t SET amount = amount + 1 WHERE id = 0"));
      if (attempts == 1) {
        (void)session.ExecuteScript(std::string("DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = '") +
                                    code + "'; END $$");
      }
      return Ok();
    }));
    EXPECT_EQ(attempts, 2) << code;
  }
  auto amount = store().ReadValue([](Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT amount FROM t WHERE id = 0"));
    return row->Int(0);
  });
  LINLI_ASSERT_OK(amount);
  EXPECT_EQ(*amount, 2);
}

TEST_F(PostgresStoreTest, AnErrorSwallowedByFnIsNotReportedAsSuccess) {
  CreateTable();
  // PostgreSQL aborts the whole transaction on a failed statement (SQLite does not): COMMIT
  // then rolls back, and Write must say so.
  auto status = store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t VALUES (1, 1)"));
    (void)session.Execute("INSERT INTO t VALUES (1, 1)");
    return Ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kInternal);
  EXPECT_EQ(status.error().reason, "database_error");
  EXPECT_EQ(Count(), 1);
}

TEST_F(PostgresStoreTest, ConvertsColumnsByType) {
  auto rows = store().ReadValue([](Session& session) {
    return session.Query(
        "SELECT 1::int2, 2::int4, 3::int8, 26::oid, true, false, 1.5::float4, 2.25::float8, "
        "12.5::numeric, 'x'::varchar, '\\x00ff'::bytea, NULL::int8, DATE '2024-01-02', "
        "'NaN'::float8, '-Infinity'::float8, 1e400::numeric, 1e-400::numeric, 1e-310::float8");
  });
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  const Row& row = (*rows)[0];
  const std::vector<Value> expected{std::int64_t{1},
                                    std::int64_t{2},
                                    std::int64_t{3},
                                    std::int64_t{26},
                                    std::int64_t{1},
                                    std::int64_t{0},
                                    1.5,
                                    2.25,
                                    12.5,
                                    std::string("x"),
                                    Blob{std::string("\x00\xff", 2)},
                                    Null{},
                                    std::string("2024-01-02")};
  for (std::size_t i = 0; i < expected.size(); ++i) EXPECT_EQ(row.at(i), expected[i]) << i;
  EXPECT_TRUE(std::isnan(row.Real(13)));
  EXPECT_EQ(row.Real(14), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(row.Real(15), std::numeric_limits<double>::infinity());
  EXPECT_EQ(row.Real(16), 0.0);
  EXPECT_EQ(row.Real(17), 1e-310);
}

TEST_F(PostgresStoreTest, ExclusionConstraintIsExclusionViolation) {
  LINLI_ASSERT_OK(RunScript(store(),
                            "CREATE TABLE booking (resource_id BIGINT NOT NULL, start_s BIGINT "
                            "NOT NULL, end_s BIGINT NOT NULL, EXCLUDE USING gist (resource_id "
                            "WITH =, int8range(start_s, end_s) WITH &&))"));
  auto book = [&](std::int64_t resource, std::int64_t start_s, std::int64_t end_s) {
    return store().Write([&](Session& session) -> Status {
      LINLI_TRY(
          session.Execute("INSERT INTO booking VALUES ($1, $2, $3)", {resource, start_s, end_s}));
      return Ok();
    });
  };
  LINLI_ASSERT_OK(book(1, 100, 200));
  LINLI_EXPECT_OK(book(1, 200, 300));  // touching is not overlapping
  LINLI_EXPECT_OK(book(2, 150, 250));  // another resource
  auto overlap = book(1, 150, 160);
  ASSERT_FALSE(overlap);
  EXPECT_EQ(overlap.error().code, Errc::kConflict);
  EXPECT_EQ(overlap.error().reason, "exclusion_violation");
}

TEST_F(PostgresStoreTest, TextWithANulByteIsRejectedNotTruncated) {
  auto rows = store().ReadValue(
      [](Session& session) { return session.Query("SELECT $1", {std::string("a\0b", 3)}); });
  ASSERT_FALSE(rows);
  EXPECT_EQ(rows.error().reason, "database_error");
}

TEST_F(PostgresStoreTest, PreparedStatementsPerConnectionStayBounded) {
  auto single = OpenAnother(1);
  ASSERT_NE(single, nullptr);
  for (int i = 0; i < 700; ++i) {
    auto sum = single->ReadValue([&](Session& session) -> Result<std::int64_t> {
      LINLI_ASSIGN_OR_RETURN(
          auto row, session.QueryOne("SELECT $1 + " + std::to_string(i), {std::int64_t{1000}}));
      return row->Int(0);
    });
    LINLI_ASSERT_OK(sum);
    ASSERT_EQ(*sum, 1000 + i);
  }
  auto prepared = single->ReadValue([](Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto row,
                           session.QueryOne("SELECT count(*) FROM pg_prepared_statements"));
    return row->Int(0);
  });
  LINLI_ASSERT_OK(prepared);
  EXPECT_GT(*prepared, 0);
  EXPECT_LE(*prepared, 600);
}

TEST_F(PostgresStoreTest, WritersQueueForAOneConnectionPool) {
  CreateTable();
  auto single = OpenAnother(1);
  ASSERT_NE(single, nullptr);
  const std::int64_t connections_before = ServerConnections();  // single's one is open already
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto status = single->Write([](Session& session) -> Status {
          LINLI_TRY(session.Execute("UPDATE t SET amount = amount + 1 WHERE id = 0"));
          return Ok();
        });
        if (status) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 80);
  EXPECT_EQ(ServerConnections(), connections_before);
}

TEST_F(PostgresStoreTest, TwoStoresOnOneHotRowLoseNoUpdate) {
  // Two stores stand for two nodes: the in-process rerun gate cannot order them, so only the
  // database keeps the counter right. A writer may give up with serialization_failure after
  // its retries; none may lose an update.
  CreateTable();
  auto other = OpenAnother(8);
  ASSERT_NE(other, nullptr);
  std::atomic<int> ok{0};
  std::atomic<int> gave_up{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    Store& node = t % 2 == 0 ? store() : *other;
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        auto status = node.Write([](Session& session) -> Status {
          LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT amount FROM t WHERE id = 0"));
          LINLI_TRY(session.Execute("UPDATE t SET amount = $1 WHERE id = 0", {row->Int(0) + 1}));
          return Ok();
        });
        if (status) {
          ++ok;
        } else {
          EXPECT_EQ(status.error().reason, "serialization_failure");
          ++gave_up;
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto amount = store().ReadValue([](Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT amount FROM t WHERE id = 0"));
    return row->Int(0);
  });
  LINLI_ASSERT_OK(amount);
  EXPECT_EQ(*amount, ok.load());
  EXPECT_EQ(ok.load() + gave_up.load(), 16 * 20);
  RecordProperty("gave_up", gave_up.load());
}

TEST(PostgresOpenTest, AnUnreachableServerIsUnavailable) {
  auto store = OpenPostgresStore(
      PostgresOptions{.dsn = "postgresql:///linli_test?host=/nonexistent&port=1", .pool_size = 2});
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, Errc::kUnavailable);
  EXPECT_EQ(store.error().reason, "database_unavailable");
  EXPECT_FALSE(store.error().detail.empty());
}

}  // namespace
}  // namespace linli::storage::contract
