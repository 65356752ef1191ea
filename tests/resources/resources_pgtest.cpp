// The resource pool's use cases on PostgreSQL (service_cases.hpp): each test gets a fresh
// schema in the database named by LINLI_TEST_PG_DSN (scripts/pg-test-cluster.sh start DIR
// prints one), dropped afterwards. Without that variable the tests fail: CI runs them.
#include <cstdlib>
#include <random>
#include <string>

#define RESOURCES_CASES ResourcesPostgresTest
#include "service_cases.hpp"
#include "storage/postgres/postgres_store.hpp"
#include "support/pg_schema.hpp"

namespace linli::resources {
namespace {}  // namespace

CaseStore OpenCaseStore() {
  const char* dsn = std::getenv("LINLI_TEST_PG_DSN");
  if (dsn == nullptr || *dsn == '\0') {
    ADD_FAILURE() << "LINLI_TEST_PG_DSN is not set; start a server with "
                     "`export LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start build/pg)`";
    return {};
  }
  std::random_device random;
  const std::string schema = "res_" + std::to_string(random()) + "_" + std::to_string(random());
  auto admin = storage::OpenPostgresStore({.dsn = dsn, .pool_size = 1});
  if (!admin) {
    ADD_FAILURE() << admin.error().detail;
    return {};
  }
  std::shared_ptr<storage::Store> shared_admin = std::move(*admin);
  EXPECT_TRUE(shared_admin->Write(
      [&](storage::Session& session) { return session.ExecuteScript("CREATE SCHEMA " + schema); }));
  auto cleanup = [shared_admin, schema] {
    EXPECT_TRUE(shared_admin->Write([&](storage::Session& session) {
      return session.ExecuteScript("DROP SCHEMA " + schema + " CASCADE");
    }));
  };
  auto store = storage::OpenPostgresStore(
      {.dsn = linli::testing::DsnForSchema(dsn, schema), .pool_size = 4});
  if (!store) {
    ADD_FAILURE() << store.error().detail;
    cleanup();
    return {};
  }
  auto migrated = storage::Migrate(**store, storage::PostgresMigrations(), 1);
  EXPECT_TRUE(migrated.has_value()) << (migrated ? "" : migrated.error().detail);
  return CaseStore{std::move(*store), cleanup};
}

}  // namespace linli::resources
