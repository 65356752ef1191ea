// The household register on PostgreSQL: every use case of households_cases.hpp, and the raw
// scan — a pg_dump of the test's schema holds none of the seeded phone numbers, ID numbers,
// health notes or anything about the child. Each test gets a fresh schema in the database named
// by LINLI_TEST_PG_DSN (scripts/pg-test-cluster.sh start DIR prints one); without it the tests
// fail — CI must run them, never skip them.
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "accounts/service.hpp"
#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "households/service.hpp"
#include "households_cases.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "support/pg_schema.hpp"
#include "world.hpp"

namespace linli::households {
namespace {

constexpr const char* kKey = "1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
constexpr const char* kVisiblePlaintext = "家电维修";
constexpr const char* kDefaultPgDump = "/usr/lib/postgresql/15/bin/pg_dump";
constexpr std::size_t kDumpBytesMax = 64 * 1024 * 1024;

// Single-quoted for the shell.
std::string Quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

Result<std::string> PgDump(const std::string& dsn, const std::string& schema) {
  const char* configured = std::getenv("LINLI_PG_DUMP");
  const std::string binary =
      configured != nullptr && *configured != '\0' ? configured : kDefaultPgDump;
  const std::string command = Quoted(binary) + " --no-owner --schema=" + Quoted(schema) +
                              " --dbname=" + Quoted(dsn) + " 2>&1";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return Error{Errc::kUnavailable, "pg_dump_failed", "cannot run pg_dump"};
  std::string out;
  char buffer[65536];
  std::size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, pipe)) > 0 && out.size() < kDumpBytesMax) {
    out.append(buffer, got);
  }
  const int status = ::pclose(pipe);
  if (status != 0) return Error{Errc::kUnavailable, "pg_dump_failed", out};
  return out;
}

Error NoDsn() {
  return Error{Errc::kUnavailable, "database_unavailable",
               "LINLI_TEST_PG_DSN is not set. Start a throwaway server with "
               "`export LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start build/pg)`; "
               "the pg tests are never skipped."};
}

// A fresh schema holding a migrated store; the cleanup drops it.
struct PostgresSchema {
  std::string dsn;  // the server's (pg_dump connects with it)
  std::string schema;
  cases::FreshStore fresh;
};

Result<PostgresSchema> OpenPostgresSchema() {
  crypto::InitCrypto();
  const char* dsn = std::getenv("LINLI_TEST_PG_DSN");
  if (dsn == nullptr || *dsn == '\0') return NoDsn();
  PostgresSchema out;
  out.dsn = dsn;
  std::random_device random;
  out.schema = "hh_" + std::to_string(random()) + "_" + std::to_string(random());
  LINLI_ASSIGN_OR_RETURN(std::shared_ptr<storage::Store> admin,
                         storage::OpenPostgresStore({.dsn = out.dsn, .pool_size = 1}));
  LINLI_TRY(admin->Write([&](storage::Session& session) {
    return session.ExecuteScript("CREATE SCHEMA " + out.schema);
  }));
  out.fresh.cleanup = [admin, schema = out.schema] {
    auto dropped = admin->Write([&](storage::Session& session) {
      return session.ExecuteScript("DROP SCHEMA " + schema + " CASCADE");
    });
    EXPECT_TRUE(dropped) << testing::Describe(dropped.error());
  };
  auto store = storage::OpenPostgresStore(
      {.dsn = linli::testing::DsnForSchema(out.dsn, out.schema), .pool_size = 4});
  if (!store) {
    out.fresh.cleanup();
    return store.error();
  }
  out.fresh.store = std::move(*store);
  auto migrated = storage::Migrate(*out.fresh.store, storage::PostgresMigrations(), 1);
  if (!migrated) {
    out.fresh.store.reset();
    out.fresh.cleanup();
    return migrated.error();
  }
  return out;
}

Result<cases::FreshStore> OpenFreshPostgres() {
  LINLI_ASSIGN_OR_RETURN(auto schema, OpenPostgresSchema());
  return std::move(schema.fresh);
}

}  // namespace

namespace cases {
INSTANTIATE_TEST_SUITE_P(Postgres, HouseholdsTest,
                         ::testing::Values(Backend{"postgres", OpenFreshPostgres}), BackendName);
}  // namespace cases

namespace {

class HouseholdsPostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto schema = OpenPostgresSchema();
    HH_ASSERT_OK(schema);
    dsn_ = schema->dsn;
    schema_ = schema->schema;
    fresh_ = std::move(schema->fresh);
    store_ = fresh_.store.get();
  }

  void TearDown() override {
    fresh_.store.reset();
    if (fresh_.cleanup) fresh_.cleanup();
  }

  std::string dsn_;
  std::string schema_;
  cases::FreshStore fresh_;
  storage::Store* store_ = nullptr;
};

TEST_F(HouseholdsPostgresTest, ADumpHoldsNoSeededSensitivePlaintext) {
  ManualClock clock;
  SeededRandom random{3};
  audit::AuditService audit(*store_, clock);
  accounts::AccountsService accounts(*store_, audit, clock, random);
  const auto keys = crypto::KeyRing::Parse(kKey).value();
  HouseholdsService service(*store_, audit, clock, random, keys);
  std::int64_t community = 0;
  HH_ASSERT_OK(testing::BuildDemo(
      *store_, accounts,
      [&](std::int64_t community_id, std::int64_t guide, std::int64_t resident) -> Status {
        community = community_id;
        return SeedDemo(service, community_id, {guide, resident, 0});
      }));
  auto page = service.List(Actor::System(), community, {}, {20, std::nullopt});
  HH_ASSERT_OK(page);
  auto first = service.Get(Actor::System(), page->items[0].household.id);
  HH_ASSERT_OK(first);
  ASSERT_EQ(first->members.size(), 2u);
  EXPECT_EQ(first->members[0].member.id_number, DemoSensitiveValues()[1]);

  auto dump = PgDump(dsn_, schema_);
  HH_ASSERT_OK(dump);
  EXPECT_NE(dump->find("household_sealed"), std::string::npos) << "the dump missed the schema";
  EXPECT_NE(dump->find(kVisiblePlaintext), std::string::npos) << "the dump holds no data";
  for (const auto& secret : DemoSensitiveValues()) {
    EXPECT_EQ(dump->find(secret), std::string::npos) << "pg_dump holds plaintext: " << secret;
  }
}

TEST_F(HouseholdsPostgresTest, RotationAndErasureWorkOnPostgres) {
  ManualClock clock;
  SeededRandom random{4};
  audit::AuditService audit(*store_, clock);
  accounts::AccountsService accounts(*store_, audit, clock, random);
  const auto keys = crypto::KeyRing::Parse(kKey).value();
  HouseholdsService service(*store_, audit, clock, random, keys);
  std::int64_t community = 0;
  std::int64_t resident = 0;
  HH_ASSERT_OK(testing::BuildDemo(
      *store_, accounts,
      [&](std::int64_t community_id, std::int64_t guide, std::int64_t resident_id) -> Status {
        community = community_id;
        resident = resident_id;
        return SeedDemo(service, community_id, {guide, resident_id, 0});
      }));
  const auto rotated_keys =
      crypto::KeyRing::Parse(std::string(kKey) + ",2:ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=")
          .value();
  HouseholdsService rotated(*store_, audit, clock, random, rotated_keys);
  std::vector<std::int64_t> hooked;
  rotated.AddErasureHook([&](storage::Session&, std::int64_t user_id) -> Status {
    hooked.push_back(user_id);
    return Ok();
  });
  auto report = rotated.RotateKeys(Actor::System());
  HH_ASSERT_OK(report);
  EXPECT_GE(report->resealed, 10);

  auto page = rotated.List(Actor::System(), community, {}, {20, std::nullopt});
  HH_ASSERT_OK(page);
  const std::int64_t household = page->items[0].household.id;
  auto view = rotated.Get(Actor::System(), household);
  HH_ASSERT_OK(view);
  const std::int64_t adult = view->members[0].member.id;
  HH_ASSERT_OK(rotated.ErasePerson(Actor::System(), household, adult));
  EXPECT_EQ(hooked, std::vector<std::int64_t>{resident});
  auto verification = audit.VerifyAll();
  HH_ASSERT_OK(verification);
  EXPECT_TRUE(verification->ok) << verification->problem;
}

}  // namespace
}  // namespace linli::households
