#pragma once
// PostgreSQL 15 adapter over libpq: a connection pool; each Write is one transaction, retried
// on serialization failure / deadlock (SQLSTATE 40001 / 40P01) up to limits::kPgWriteRetriesMax.
#include <memory>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace linli::storage {

struct PostgresOptions {
  std::string dsn;  // libpq connection string or postgresql:// URI
  int pool_size = 8;
};

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options);

// The embedded src/storage/postgres/migrations/*.sql, in order.
const std::vector<Migration>& PostgresMigrations();

}  // namespace linli::storage
