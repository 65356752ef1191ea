#pragma once
// A migrated PostgreSQL store in a fresh schema of the database named by LINLI_TEST_PG_DSN
// (`export LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start build/pg)`); the schema is
// dropped when the returned object goes. Without that variable the test fails: CI runs them.
#include <cstdlib>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "storage/postgres/postgres_store.hpp"

namespace linli::testing {

// The DSN with a search_path that puts new tables in `schema` (both DSN forms libpq accepts).
inline std::string DsnForSchema(const std::string& dsn, const std::string& schema) {
  if (dsn.starts_with("postgresql://") || dsn.starts_with("postgres://")) {
    const char separator = dsn.find('?') == std::string::npos ? '?' : '&';
    return dsn + separator + "options=-csearch_path%3D" + schema + "%2Cpublic";
  }
  return dsn + " options='-csearch_path=" + schema + ",public'";
}

class PgSchema {
 public:
  // `prefix` names the schema (e.g. "booking"); `pool_size` connections for the store.
  explicit PgSchema(const std::string& prefix, int pool_size = 4) {
    const char* dsn = std::getenv("LINLI_TEST_PG_DSN");
    if (dsn == nullptr || *dsn == '\0') {
      ADD_FAILURE() << "LINLI_TEST_PG_DSN is not set; start a server with "
                       "`export LINLI_TEST_PG_DSN=$(scripts/pg-test-cluster.sh start build/pg)`";
      return;
    }
    std::random_device random;
    schema_ = prefix + "_" + std::to_string(random()) + "_" + std::to_string(random());
    auto admin = storage::OpenPostgresStore({.dsn = dsn, .pool_size = 1});
    if (!admin) {
      ADD_FAILURE() << admin.error().detail;
      return;
    }
    admin_ = std::move(*admin);
    EXPECT_TRUE(admin_->Write([&](storage::Session& session) {
      return session.ExecuteScript("CREATE SCHEMA " + schema_);
    }));
    dsn_ = DsnForSchema(dsn, schema_);
    auto store = storage::OpenPostgresStore({.dsn = dsn_, .pool_size = pool_size});
    if (!store) {
      ADD_FAILURE() << store.error().detail;
      return;
    }
    store_ = std::move(*store);
    auto migrated = storage::Migrate(*store_, storage::PostgresMigrations(), 1);
    EXPECT_TRUE(migrated.has_value()) << (migrated ? "" : migrated.error().detail);
  }
  ~PgSchema() {
    store_.reset();
    if (admin_) {
      EXPECT_TRUE(admin_->Write([&](storage::Session& session) {
        return session.ExecuteScript("DROP SCHEMA " + schema_ + " CASCADE");
      }));
    }
  }
  PgSchema(const PgSchema&) = delete;
  PgSchema& operator=(const PgSchema&) = delete;

  // Null when the server could not be reached (a failure is already recorded).
  storage::Store* store() const { return store_.get(); }
  std::unique_ptr<storage::Store> TakeStore() { return std::move(store_); }
  // A DSN for more connections to the same schema (e.g. a second `linli serve` process).
  const std::string& dsn() const { return dsn_; }

 private:
  std::string schema_;
  std::string dsn_;
  std::unique_ptr<storage::Store> admin_;
  std::unique_ptr<storage::Store> store_;
};

}  // namespace linli::testing
