#pragma once
// SQLite adapter: WAL, synchronous=FULL by default, one writer thread that group-commits
// concurrent Write calls (each job in its own SAVEPOINT, one COMMIT per batch), and a pool of
// reader connections (one per thread: connections serialise on their own mutex).
#include <memory>
#include <string>
#include <vector>

#include "storage/store.hpp"

namespace linli::storage {

struct SqliteOptions {
  std::string path;              // file path, or ":memory:"-like temp paths in tests
  bool synchronous_full = true;  // FULL survives power loss; NORMAL may lose the last commits
  int reader_connections = 4;
  bool group_commit = true;  // false: one job per transaction (benchmark baseline)
};

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options);

// The embedded src/storage/sqlite/migrations/*.sql, in order.
const std::vector<Migration>& SqliteMigrations();

}  // namespace linli::storage
