#pragma once
// The storage contract: what every Store backend promises, written once and instantiated per
// backend (store_sqlite_test.cpp, store_postgres_pgtest.cpp). Each test gets a fresh, empty
// store from the backend's factory and creates the tables it needs with portable DDL.
//
// Include this header from exactly one .cpp per test binary: it defines the tests.
#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "storage/store.hpp"

namespace linli::storage {

// gtest's printers for the Value alternatives, so a failed comparison shows readable values.
inline void PrintTo(const Null&, std::ostream* out) {
  *out << "NULL";
}
inline void PrintTo(const Blob& blob, std::ostream* out) {
  *out << "Blob(" << blob.bytes.size() << " bytes)";
}

namespace contract {

// A fresh, empty store, and what to clean up once it is destroyed (a temp dir, a schema).
struct FreshStore {
  std::unique_ptr<Store> store;
  std::function<void()> cleanup;
};

struct Backend {
  std::string name;  // names the instantiation: "sqlite", "postgres"
  Capabilities capabilities;
  std::function<Result<FreshStore>()> open;
  std::function<const std::vector<Migration>&()> migrations;  // the backend's real schema
};

inline void PrintTo(const Backend& backend, std::ostream* out) {
  *out << backend.name;
}

// For INSTANTIATE_TEST_SUITE_P (a lambda there trips -Wshadow inside gtest's macro).
inline std::string BackendName(const ::testing::TestParamInfo<Backend>& param) {
  return param.param.name;
}

inline std::string Describe(const Error& error) {
  return std::string(ErrcName(error.code)) + " " + error.reason + ": " + error.detail;
}

// Fails the current test with the error's code, reason and detail.
#define LINLI_ASSERT_OK(expr)                                                          \
  do {                                                                                 \
    const auto& linli_ok_ = (expr);                                                    \
    ASSERT_TRUE(linli_ok_) << #expr << " -> "                                          \
                           << ::linli::storage::contract::Describe(linli_ok_.error()); \
  } while (false)
#define LINLI_EXPECT_OK(expr)                                                          \
  do {                                                                                 \
    const auto& linli_ok_ = (expr);                                                    \
    EXPECT_TRUE(linli_ok_) << #expr << " -> "                                          \
                           << ::linli::storage::contract::Describe(linli_ok_.error()); \
  } while (false)

inline std::vector<Value> ValuesOf(const Row& row) {
  std::vector<Value> values;
  for (std::size_t i = 0; i < row.size(); ++i) values.push_back(row.at(i));
  return values;
}

constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();

class StoreContractTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    auto fresh = GetParam().open();
    ASSERT_TRUE(fresh) << "cannot open a " << GetParam().name
                       << " store: " << Describe(fresh.error());
    fresh_ = std::move(*fresh);
    ASSERT_NE(fresh_.store, nullptr);
  }

  void TearDown() override {
    fresh_.store.reset();
    if (fresh_.cleanup) fresh_.cleanup();
  }

  Store& store() { return *fresh_.store; }

  // The table most tests use; every column but id nullable.
  void CreateTable() {
    LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
      LINLI_TRY(session.Execute(
          "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT, amount BIGINT CHECK (amount >= 0), "
          "data BYTEA, ratio DOUBLE PRECISION)"));
      return Ok();
    }));
  }

  Status Insert(std::int64_t id, Value name, Value amount) {
    return store().Write([&](Session& session) -> Status {
      LINLI_TRY(session.Execute("INSERT INTO t (id, name, amount) VALUES ($1, $2, $3)",
                                {id, name, amount}));
      return Ok();
    });
  }

  // The table's row count, or -1 (and a test failure) when it cannot be read.
  std::int64_t Count(std::string_view table = "t") {
    const std::string sql = "SELECT count(*) FROM " + std::string(table);
    auto count = store().ReadValue([&](Session& session) -> Result<std::int64_t> {
      LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne(sql));
      return row->Int(0);
    });
    if (!count) {
      ADD_FAILURE() << sql << " -> " << Describe(count.error());
      return -1;
    }
    return *count;
  }

  Result<Rows> ReadRows(std::string_view sql, std::vector<Value> params = {}) {
    return store().ReadValue(
        [&](Session& session) -> Result<Rows> { return session.Query(sql, params); });
  }

 private:
  FreshStore fresh_;
};

// --- the store itself -------------------------------------------------------------------

TEST_P(StoreContractTest, ReportsItsCapabilities) {
  const auto& expected = GetParam().capabilities;
  const auto& actual = store().capabilities();
  EXPECT_EQ(actual.backend, expected.backend);
  EXPECT_EQ(actual.exclusion_constraints, expected.exclusion_constraints);
  EXPECT_EQ(actual.multi_writer, expected.multi_writer);
  EXPECT_EQ(actual.row_locks, expected.row_locks);
}

TEST_P(StoreContractTest, PingSucceeds) {
  LINLI_EXPECT_OK(store().Ping());
  LINLI_EXPECT_OK(store().Ping());
}

// --- values -----------------------------------------------------------------------------

TEST_P(StoreContractTest, RoundTripsEveryValueTypeThroughATable) {
  CreateTable();
  const std::string chinese = "邻里互助：电钻、梯子 — 社区资源 🏠";
  const Blob binary{std::string("\x00\x01\xff\x00zero\x00\x80", 10)};
  struct Case {
    std::int64_t id;
    Value name, amount, data, ratio;
  };
  const std::vector<Case> cases{
      {1, chinese, std::int64_t{0}, binary, 0.25},
      {2, Null{}, Null{}, Null{}, Null{}},
      {3, std::string(), kInt64Max, Blob{std::string(1, '\0')}, -1.5e300},
      {kInt64Min, std::string("plain ascii"), std::int64_t{42}, Blob{"abc"}, 3.141592653589793},
      {kInt64Max, std::string("it's \"quoted\" \\ and $1"), std::int64_t{1}, Blob{"\\x00"}, 1e-310},
  };
  LINLI_ASSERT_OK(store().Write([&](Session& session) -> Status {
    for (const auto& c : cases) {
      LINLI_TRY(session.Execute(
          "INSERT INTO t (id, name, amount, data, ratio) VALUES ($1, $2, $3, $4, $5)",
          {c.id, c.name, c.amount, c.data, c.ratio}));
    }
    return Ok();
  }));
  for (const auto& c : cases) {
    auto rows = ReadRows("SELECT id, name, amount, data, ratio FROM t WHERE id = $1", {c.id});
    LINLI_ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 1u) << "id " << c.id;
    EXPECT_EQ(ValuesOf((*rows)[0]), (std::vector<Value>{c.id, c.name, c.amount, c.data, c.ratio}))
        << "id " << c.id;
  }
  // The typed getters agree.
  auto rows = ReadRows("SELECT id, name, amount, data, ratio FROM t WHERE id = 1");
  LINLI_ASSERT_OK(rows);
  const Row& row = (*rows)[0];
  EXPECT_EQ(row.Int(0), 1);
  EXPECT_EQ(row.Text(1), chinese);
  EXPECT_EQ(row.OptInt(2), std::optional<std::int64_t>(0));
  EXPECT_EQ(row.Bytes(3), binary.bytes);
  EXPECT_EQ(row.Real(4), 0.25);
  auto nulls = ReadRows("SELECT name, amount FROM t WHERE id = 2");
  LINLI_ASSERT_OK(nulls);
  EXPECT_TRUE((*nulls)[0].IsNull(0));
  EXPECT_EQ((*nulls)[0].OptText(0), std::nullopt);
  EXPECT_EQ((*nulls)[0].OptInt(1), std::nullopt);
}

TEST_P(StoreContractTest, ParametersSelectedDirectlyKeepTheirType) {
  const Blob blob{std::string("\x00\xfe\x00", 3)};
  auto rows = ReadRows("SELECT $1, $2, $3, $4, $5, $6",
                       {kInt64Min, -0.5, std::string("文本"), blob, kInt64Max, std::string()});
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(ValuesOf((*rows)[0]), (std::vector<Value>{kInt64Min, -0.5, std::string("文本"), blob,
                                                      kInt64Max, std::string()}));
}

TEST_P(StoreContractTest, EmptyStringAndEmptyBlobAreNotNull) {
  CreateTable();
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t (id, name, data) VALUES (1, $1, $2)",
                              {std::string(), Blob{}}));
    return Ok();
  }));
  auto rows = ReadRows("SELECT name, data, name IS NULL, data IS NULL FROM t WHERE id = 1");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].at(0), Value{std::string()});
  EXPECT_EQ((*rows)[0].at(1), Value{Blob{}});
  EXPECT_EQ((*rows)[0].Int(2), 0);
  EXPECT_EQ((*rows)[0].Int(3), 0);
}

TEST_P(StoreContractTest, LargeBlobRoundTrips) {
  CreateTable();
  std::string bytes(5 * 1024 * 1024, '\0');  // the photo size limit
  std::uint32_t state = 12345;
  for (auto& byte : bytes) {
    state = state * 1664525u + 1013904223u;
    byte = static_cast<char>(state >> 24);
  }
  LINLI_ASSERT_OK(store().Write([&](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t (id, data) VALUES (1, $1)", {Blob{bytes}}));
    return Ok();
  }));
  auto rows = ReadRows("SELECT data FROM t WHERE id = 1");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_TRUE((*rows)[0].Bytes(0) == bytes);
}

// --- SQL dialect --------------------------------------------------------------------------

TEST_P(StoreContractTest, ParametersMayRepeatAndComeOutOfOrder) {
  auto rows = ReadRows("SELECT $2, $1, $2", {std::int64_t{7}, std::string("two")});
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(ValuesOf((*rows)[0]),
            (std::vector<Value>{std::string("two"), std::int64_t{7}, std::string("two")}));

  // $10 is not $1 followed by "0".
  std::vector<Value> ten;
  for (std::int64_t i = 1; i <= 10; ++i) ten.emplace_back(i * 100);
  auto tenth = ReadRows("SELECT $10, $1, $10 + $1", ten);
  LINLI_ASSERT_OK(tenth);
  EXPECT_EQ(ValuesOf((*tenth)[0]),
            (std::vector<Value>{std::int64_t{1000}, std::int64_t{100}, std::int64_t{1100}}));

  // A $1 inside a string literal is text, not a parameter.
  auto literal = ReadRows("SELECT '$1 costs $2', $1", {std::string("x")});
  LINLI_ASSERT_OK(literal);
  EXPECT_EQ(ValuesOf((*literal)[0]),
            (std::vector<Value>{std::string("$1 costs $2"), std::string("x")}));
}

TEST_P(StoreContractTest, ParametersMayRepeatInPredicates) {
  CreateTable();
  for (std::int64_t id = 1; id <= 5; ++id) LINLI_ASSERT_OK(Insert(id, std::string("n"), id * 10));
  auto rows =
      ReadRows("SELECT id FROM t WHERE amount >= $1 AND amount <= $2 AND id <> $1 / 10 ORDER BY id",
               {std::int64_t{20}, std::int64_t{40}});
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Int(0), 3);
  EXPECT_EQ((*rows)[1].Int(0), 4);
}

TEST_P(StoreContractTest, ReportsColumnNamesEvenWithoutRows) {
  CreateTable();
  auto rows = ReadRows("SELECT id, name AS label, amount FROM t WHERE id = $1", {std::int64_t{9}});
  LINLI_ASSERT_OK(rows);
  EXPECT_TRUE(rows->empty());
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"id", "label", "amount"}));
}

TEST_P(StoreContractTest, InsertReturningYieldsTheNewRow) {
  CreateTable();
  auto rows = store().WriteValue([](Session& session) {
    return session.Query("INSERT INTO t (id, name, amount) VALUES ($1, $2, $3) RETURNING id, name",
                         {std::int64_t{5}, std::string("五"), std::int64_t{50}});
  });
  LINLI_ASSERT_OK(rows);
  EXPECT_EQ(rows->columns, (std::vector<std::string>{"id", "name"}));
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(ValuesOf((*rows)[0]), (std::vector<Value>{std::int64_t{5}, std::string("五")}));
  EXPECT_EQ(rows->affected, 1);
}

TEST_P(StoreContractTest, OnConflictDoUpdateUpserts) {
  CreateTable();
  const char* upsert =
      "INSERT INTO t (id, name, amount) VALUES ($1, $2, $3) "
      "ON CONFLICT (id) DO UPDATE SET amount = t.amount + excluded.amount, name = excluded.name "
      "RETURNING amount";
  for (std::int64_t expected : {10, 20, 30}) {
    auto rows = store().WriteValue([&](Session& session) {
      return session.Query(
          upsert, {std::int64_t{1}, std::string("v") + std::to_string(expected), std::int64_t{10}});
    });
    LINLI_ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Int(0), expected);
    EXPECT_EQ(rows->affected, 1);
  }
  auto ignored = store().WriteValue([](Session& session) {
    return session.Execute("INSERT INTO t (id, amount) VALUES (1, 99) ON CONFLICT DO NOTHING");
  });
  LINLI_ASSERT_OK(ignored);
  EXPECT_EQ(*ignored, 0);
  auto rows = ReadRows("SELECT name, amount FROM t");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(ValuesOf((*rows)[0]), (std::vector<Value>{std::string("v30"), std::int64_t{30}}));
}

TEST_P(StoreContractTest, CommonTableExpressionsWork) {
  CreateTable();
  for (std::int64_t id = 1; id <= 6; ++id) LINLI_ASSERT_OK(Insert(id, Null{}, id));
  auto rows = ReadRows(
      "WITH big AS (SELECT id, amount FROM t WHERE amount > $1), "
      "doubled AS (SELECT id, amount * 2 AS twice FROM big) "
      "SELECT count(*), sum(twice), min(id) FROM doubled",
      {std::int64_t{3}});
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Int(0), 3);
  EXPECT_EQ((*rows)[0].Int(1), 30);  // sum(bigint) is numeric on PostgreSQL: read with Int
  EXPECT_EQ((*rows)[0].Int(2), 4);

  auto recursive = ReadRows(
      "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $1) "
      "SELECT count(*), max(x) FROM n",
      {std::int64_t{100}});
  LINLI_ASSERT_OK(recursive);
  EXPECT_EQ((*recursive)[0].Int(0), 100);
  EXPECT_EQ((*recursive)[0].Int(1), 100);
}

TEST_P(StoreContractTest, AffectedCountsTheRowsChanged) {
  CreateTable();
  for (std::int64_t id = 1; id <= 5; ++id) LINLI_ASSERT_OK(Insert(id, Null{}, id));
  auto counts = store().WriteValue([](Session& session) -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    LINLI_ASSIGN_OR_RETURN(
        auto updated,
        session.Execute("UPDATE t SET amount = amount + 1 WHERE amount >= $1", {std::int64_t{3}}));
    out.push_back(updated);
    LINLI_ASSIGN_OR_RETURN(
        auto none, session.Execute("UPDATE t SET name = 'x' WHERE id = $1", {std::int64_t{99}}));
    out.push_back(none);
    LINLI_ASSIGN_OR_RETURN(auto deleted,
                           session.Execute("DELETE FROM t WHERE id <= $1", {std::int64_t{2}}));
    out.push_back(deleted);
    // A SELECT changes nothing, even right after statements that did.
    LINLI_ASSIGN_OR_RETURN(auto selected, session.Query("SELECT id FROM t"));
    out.push_back(selected.affected);
    out.push_back(static_cast<std::int64_t>(selected.size()));
    return out;
  });
  LINLI_ASSERT_OK(counts);
  EXPECT_EQ(*counts, (std::vector<std::int64_t>{3, 0, 2, 0, 3}));
}

TEST_P(StoreContractTest, ExecuteScriptRunsSeveralStatements) {
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    return session.ExecuteScript(
        "CREATE TABLE a (id BIGINT PRIMARY KEY, note TEXT);\n"
        "INSERT INTO a (id, note) VALUES (1, 'one; with a semicolon');\n"
        "-- a comment\n"
        "INSERT INTO a (id, note) VALUES (2, '二');\n"
        "CREATE INDEX a_note ON a (note);\n");
  }));
  auto rows = ReadRows("SELECT note FROM a ORDER BY id");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].Text(0), "one; with a semicolon");
  EXPECT_EQ((*rows)[1].Text(0), "二");
}

TEST_P(StoreContractTest, RepeatedStatementsStayCorrect) {
  // The same SQL text many times (prepared-statement caches) with changing values, and once
  // with a NULL where an integer usually goes.
  CreateTable();
  for (std::int64_t id = 1; id <= 200; ++id) {
    LINLI_ASSERT_OK(Insert(id, std::string("n") + std::to_string(id), id % 7));
  }
  LINLI_ASSERT_OK(Insert(201, std::string("null amount"), Null{}));
  for (std::int64_t id : {1, 100, 200}) {
    auto rows = ReadRows("SELECT name, amount FROM t WHERE id = $1", {id});
    LINLI_ASSERT_OK(rows);
    ASSERT_EQ(rows->size(), 1u);
    EXPECT_EQ((*rows)[0].Text(0), "n" + std::to_string(id));
    EXPECT_EQ((*rows)[0].Int(1), id % 7);
  }
  auto null_row = ReadRows("SELECT amount FROM t WHERE id = $1", {std::int64_t{201}});
  LINLI_ASSERT_OK(null_row);
  EXPECT_TRUE((*null_row)[0].IsNull(0));
  EXPECT_EQ(Count(), 201);
}

TEST_P(StoreContractTest, CachedStatementsSurviveSchemaChanges) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1, std::string("a"), std::int64_t{1}));
  auto select_all = [&] {
    return store().WriteValue([](Session& session) { return session.Query("SELECT * FROM t"); });
  };
  auto before = select_all();
  LINLI_ASSERT_OK(before);
  EXPECT_EQ(before->columns.size(), 5u);
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("ALTER TABLE t ADD COLUMN extra TEXT"));
    return Ok();
  }));
  auto after = select_all();
  LINLI_ASSERT_OK(after);
  EXPECT_EQ(after->columns.size(), 6u);
  EXPECT_EQ(after->columns.back(), "extra");
}

// --- transactions -------------------------------------------------------------------------

TEST_P(StoreContractTest, WriteCommitsAndALaterReadSeesIt) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1, std::string("one"), std::int64_t{10}));
  auto rows = ReadRows("SELECT name, amount FROM t WHERE id = 1");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(ValuesOf((*rows)[0]), (std::vector<Value>{std::string("one"), std::int64_t{10}}));
}

TEST_P(StoreContractTest, WriteWhoseFnFailsLeavesNothingBehind) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1, std::string("kept"), std::int64_t{1}));
  auto status = store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t (id, name) VALUES (2, 'gone')"));
    LINLI_TRY(session.Execute("UPDATE t SET name = 'changed' WHERE id = 1"));
    LINLI_TRY(session.Execute("CREATE TABLE gone_too (id BIGINT)"));
    return Error{Errc::kFailedPrecondition, "not_enough_points", "changed my mind"};
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kFailedPrecondition);
  EXPECT_EQ(status.error().reason, "not_enough_points");
  EXPECT_EQ(status.error().detail, "changed my mind");
  auto rows = ReadRows("SELECT id, name FROM t ORDER BY id");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(1), "kept");
  // The DDL was rolled back with the rest.
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("CREATE TABLE gone_too (id BIGINT)"));
    return Ok();
  }));
}

TEST_P(StoreContractTest, AnExceptionFromFnBecomesAnErrorAndRollsBack) {
  CreateTable();
  auto status = store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t (id) VALUES (1)"));
    throw std::runtime_error("bug in fn");
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kInternal);
  EXPECT_EQ(Count(), 0);
  LINLI_EXPECT_OK(Insert(1, Null{}, Null{}));  // the store still works
}

TEST_P(StoreContractTest, ReadSeesOneSnapshot) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1, Null{}, std::int64_t{1}));
  std::vector<std::int64_t> seen;
  LINLI_ASSERT_OK(store().Read([&](Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto first, session.QueryOne("SELECT count(*) FROM t"));
    seen.push_back(first->Int(0));
    // Another thread commits while this Read is open (fn itself must not call Write).
    Status written;
    std::thread writer([&] { written = Insert(2, Null{}, std::int64_t{2}); });
    writer.join();
    LINLI_TRY(written);
    LINLI_ASSIGN_OR_RETURN(auto second, session.QueryOne("SELECT count(*) FROM t"));
    seen.push_back(second->Int(0));
    return Ok();
  }));
  EXPECT_EQ(seen, (std::vector<std::int64_t>{1, 1}));
  EXPECT_EQ(Count(), 2);
}

TEST_P(StoreContractTest, ReadCannotWrite) {
  CreateTable();
  auto status = store().Read([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO t (id) VALUES (1)"));
    return Ok();
  });
  EXPECT_FALSE(status);
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreContractTest, ReadValueAndWriteValueReturnTheValueOrTheError) {
  CreateTable();
  auto id = store().WriteValue([](Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto row,
                           session.QueryOne("INSERT INTO t (id, name) VALUES ($1, $2) RETURNING id",
                                            {std::int64_t{77}, std::string("x")}));
    return row->Int(0);
  });
  LINLI_ASSERT_OK(id);
  EXPECT_EQ(*id, 77);

  auto name = store().ReadValue([](Session& session) -> Result<std::string> {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT name FROM t WHERE id = 77"));
    if (!row) return Error{Errc::kNotFound, "not_found", ""};
    return row->Text(0);
  });
  LINLI_ASSERT_OK(name);
  EXPECT_EQ(*name, "x");

  auto missing = store().ReadValue([](Session& session) -> Result<std::string> {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT name FROM t WHERE id = 78"));
    if (!row) return Error{Errc::kNotFound, "resource_not_found", "no 78"};
    return row->Text(0);
  });
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, Errc::kNotFound);
  EXPECT_EQ(missing.error().reason, "resource_not_found");

  auto refused = store().WriteValue([](Session& session) -> Result<std::int64_t> {
    LINLI_TRY(session.Execute("INSERT INTO t (id) VALUES (78)"));
    return Error{Errc::kFailedPrecondition, "closed", ""};
  });
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().reason, "closed");
  EXPECT_EQ(Count(), 1);
}

// --- errors -------------------------------------------------------------------------------

TEST_P(StoreContractTest, DuplicateKeyIsConflictDuplicate) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1, std::string("first"), std::int64_t{1}));
  auto status = Insert(1, std::string("second"), std::int64_t{2});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kConflict) << Describe(status.error());
  EXPECT_EQ(status.error().reason, "duplicate");
  auto rows = ReadRows("SELECT name FROM t");
  LINLI_ASSERT_OK(rows);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].Text(0), "first");

  // A unique index other than the primary key too.
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("CREATE UNIQUE INDEX t_name ON t (name)"));
    return Ok();
  }));
  auto by_index = Insert(2, std::string("first"), std::int64_t{2});
  ASSERT_FALSE(by_index);
  EXPECT_EQ(by_index.error().code, Errc::kConflict);
  EXPECT_EQ(by_index.error().reason, "duplicate");
}

TEST_P(StoreContractTest, CheckViolationIsConflictConstraintViolation) {
  CreateTable();
  auto status = Insert(1, Null{}, std::int64_t{-1});
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kConflict) << Describe(status.error());
  EXPECT_EQ(status.error().reason, "constraint_violation");
  EXPECT_EQ(Count(), 0);
}

TEST_P(StoreContractTest, NotNullViolationIsConflictConstraintViolation) {
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("CREATE TABLE n (id BIGINT PRIMARY KEY, v TEXT NOT NULL)"));
    return Ok();
  }));
  auto status = store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO n (id, v) VALUES ($1, $2)", {std::int64_t{1}, Null{}}));
    return Ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kConflict) << Describe(status.error());
  EXPECT_EQ(status.error().reason, "constraint_violation");
}

TEST_P(StoreContractTest, ForeignKeyViolationIsConflictConstraintViolation) {
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    return session.ExecuteScript(
        "CREATE TABLE parent (id BIGINT PRIMARY KEY);"
        "CREATE TABLE child (id BIGINT PRIMARY KEY, parent_id BIGINT NOT NULL "
        "REFERENCES parent (id));"
        "INSERT INTO parent (id) VALUES (1);");
  }));
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO child (id, parent_id) VALUES (1, 1)"));
    return Ok();
  }));
  auto status = store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("INSERT INTO child (id, parent_id) VALUES (2, 2)"));
    return Ok();
  });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, Errc::kConflict) << Describe(status.error());
  EXPECT_EQ(status.error().reason, "constraint_violation");
  EXPECT_EQ(Count("child"), 1);
}

TEST_P(StoreContractTest, BadSqlIsInternalDatabaseError) {
  CreateTable();
  for (const char* sql : {"SELEC 1", "SELECT nope FROM t", "SELECT * FROM no_such_table"}) {
    auto read = ReadRows(sql);
    ASSERT_FALSE(read) << sql;
    EXPECT_EQ(read.error().code, Errc::kInternal) << sql;
    EXPECT_EQ(read.error().reason, "database_error") << sql;
    EXPECT_FALSE(read.error().detail.empty()) << sql;
    auto write = store().Write([&](Session& session) -> Status {
      LINLI_TRY(session.Execute(sql));
      return Ok();
    });
    ASSERT_FALSE(write) << sql;
    EXPECT_EQ(write.error().code, Errc::kInternal) << sql;
    EXPECT_EQ(write.error().reason, "database_error") << sql;
  }
  LINLI_EXPECT_OK(store().Ping());
}

// --- concurrency --------------------------------------------------------------------------

TEST_P(StoreContractTest, ConcurrentReadModifyWritesLoseNoUpdate) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1, std::string("counter"), std::int64_t{0}));
  constexpr int kThreads = 16;
  constexpr int kIncrementsPerThread = 20;
  std::atomic<int> ok{0};
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kIncrementsPerThread; ++i) {
        auto status = store().Write([](Session& session) -> Status {
          LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT amount FROM t WHERE id = 1"));
          LINLI_TRY(session.Execute("UPDATE t SET amount = $1 WHERE id = 1", {row->Int(0) + 1}));
          return Ok();
        });
        if (status) {
          ++ok;
        } else if (failures[t].empty()) {
          failures[t] = Describe(status.error());
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (const auto& failure : failures) EXPECT_EQ(failure, "");
  EXPECT_EQ(ok.load(), kThreads * kIncrementsPerThread);
  auto rows = ReadRows("SELECT amount FROM t WHERE id = 1");
  LINLI_ASSERT_OK(rows);
  EXPECT_EQ((*rows)[0].Int(0), ok.load());
}

TEST_P(StoreContractTest, AFailingJobAmongConcurrentOnesRollsBackAlone) {
  CreateTable();
  LINLI_ASSERT_OK(Insert(1000, std::string("taken"), std::int64_t{0}));
  constexpr int kThreads = 16;
  constexpr int kRounds = 5;
  // Per round: thread 3's fn returns an error after writing, thread 7 hits a duplicate key,
  // thread 11 a CHECK violation; the rest commit.
  std::vector<Status> results(kThreads * kRounds);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < kRounds; ++round) {
        const std::int64_t id = round * 100 + t;
        results[static_cast<std::size_t>(round * kThreads + t)] =
            store().Write([&](Session& session) -> Status {
              LINLI_TRY(session.Execute("INSERT INTO t (id, name, amount) VALUES ($1, $2, $3)",
                                        {id, std::string("job"), std::int64_t{1}}));
              if (t == 3) return Error{Errc::kFailedPrecondition, "refused", ""};
              if (t == 7) {
                LINLI_TRY(session.Execute("INSERT INTO t (id) VALUES (1000)"));
              }
              if (t == 11) {
                LINLI_TRY(session.Execute("UPDATE t SET amount = -1 WHERE id = $1", {id}));
              }
              return Ok();
            });
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (int round = 0; round < kRounds; ++round) {
    for (int t = 0; t < kThreads; ++t) {
      const auto& result = results[static_cast<std::size_t>(round * kThreads + t)];
      if (t == 3) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().reason, "refused");
      } else if (t == 7) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().reason, "duplicate");
      } else if (t == 11) {
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error().reason, "constraint_violation");
      } else {
        EXPECT_TRUE(result) << "thread " << t << ": " << Describe(result.error());
      }
    }
  }
  auto rows = ReadRows("SELECT id FROM t WHERE id < 1000 ORDER BY id");
  LINLI_ASSERT_OK(rows);
  std::vector<std::int64_t> ids;
  for (const auto& row : *rows) ids.push_back(row.Int(0));
  std::vector<std::int64_t> expected;
  for (int round = 0; round < kRounds; ++round) {
    for (int t = 0; t < kThreads; ++t) {
      if (t != 3 && t != 7 && t != 11) expected.push_back(round * 100 + t);
    }
  }
  EXPECT_EQ(ids, expected);
}

// --- migrations ---------------------------------------------------------------------------

inline std::vector<Migration> TestMigrations() {
  return {
      {1, "alpha",
       "CREATE TABLE alpha (id BIGINT PRIMARY KEY, label TEXT NOT NULL);\n"
       "INSERT INTO alpha (id, label) VALUES (1, 'seeded');\n"},
      {2, "beta",
       "CREATE TABLE beta (id BIGINT PRIMARY KEY, alpha_id BIGINT NOT NULL);\n"
       "CREATE INDEX beta_alpha ON beta (alpha_id);\n"},
  };
}

TEST_P(StoreContractTest, MigrateAppliesEachMigrationOnce) {
  auto migrations = TestMigrations();
  auto first = Migrate(store(), migrations, 1'700'000'000);
  LINLI_ASSERT_OK(first);
  EXPECT_EQ(*first, (std::vector<int>{1, 2}));

  auto second = Migrate(store(), migrations, 1'700'000'100);
  LINLI_ASSERT_OK(second);
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(Count("alpha"), 1);  // the seed ran once

  migrations.push_back({3, "gamma", "ALTER TABLE beta ADD COLUMN note TEXT;"});
  auto third = Migrate(store(), migrations, 1'700'000'200);
  LINLI_ASSERT_OK(third);
  EXPECT_EQ(*third, (std::vector<int>{3}));

  auto recorded = ReadRows("SELECT version, name, applied_at FROM schema_migrations ORDER BY 1");
  LINLI_ASSERT_OK(recorded);
  ASSERT_EQ(recorded->size(), 3u);
  EXPECT_EQ(ValuesOf((*recorded)[0]), (std::vector<Value>{std::int64_t{1}, std::string("alpha"),
                                                          std::int64_t{1'700'000'000}}));
  EXPECT_EQ(ValuesOf((*recorded)[2]), (std::vector<Value>{std::int64_t{3}, std::string("gamma"),
                                                          std::int64_t{1'700'000'200}}));
}

TEST_P(StoreContractTest, AFailedMigrationLeavesNoTraceAndIsNotRecorded) {
  auto migrations = TestMigrations();
  migrations.push_back({3, "broken",
                        "CREATE TABLE half_done (id BIGINT);\n"
                        "INSERT INTO alpha (id, label) VALUES (2, 'from broken');\n"
                        "THIS IS NOT SQL;\n"});
  auto result = Migrate(store(), migrations, 1);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().reason, "database_error");
  EXPECT_EQ(Count("schema_migrations"), 2);
  EXPECT_EQ(Count("alpha"), 1);
  // half_done was rolled back: creating it again works.
  LINLI_ASSERT_OK(store().Write([](Session& session) -> Status {
    LINLI_TRY(session.Execute("CREATE TABLE half_done (id BIGINT)"));
    return Ok();
  }));
  // Once fixed, the migration applies.
  migrations.back().sql = "CREATE TABLE fixed (id BIGINT);";
  auto retried = Migrate(store(), migrations, 2);
  LINLI_ASSERT_OK(retried);
  EXPECT_EQ(*retried, (std::vector<int>{3}));
}

TEST_P(StoreContractTest, TheBackendsOwnMigrationsApplyOnceAndAreIdempotent) {
  const auto& migrations = GetParam().migrations();
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    EXPECT_LT(migrations[i - 1].version, migrations[i].version) << "migrations out of order";
  }
  auto first = Migrate(store(), migrations, 1'700'000'000);
  LINLI_ASSERT_OK(first);
  EXPECT_EQ(first->size(), migrations.size());
  auto second = Migrate(store(), migrations, 1'700'000'001);
  LINLI_ASSERT_OK(second);
  EXPECT_TRUE(second->empty());
  EXPECT_EQ(Count("schema_migrations"), static_cast<std::int64_t>(migrations.size()));
}

}  // namespace contract
}  // namespace linli::storage
