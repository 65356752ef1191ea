// The storage contract on SQLite: a new database file in its own temp directory per test.
#include <filesystem>
#include <stdlib.h>
#include <string>

#include "storage/sqlite/sqlite_store.hpp"
#include "storage/store_contract.hpp"

namespace linli::storage::contract {
namespace {

Result<FreshStore> OpenFreshSqlite() {
  const auto base = std::filesystem::temp_directory_path() / "linli_store_XXXXXX";
  std::string dir = base.string();
  if (mkdtemp(dir.data()) == nullptr) {
    return Error{Errc::kInternal, "io_error", "mkdtemp failed for " + base.string()};
  }
  auto store = OpenSqliteStore(SqliteOptions{.path = dir + "/linli.db"});
  auto remove_dir = [dir] {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  };
  if (!store) {
    remove_dir();
    return store.error();
  }
  return FreshStore{std::move(*store), remove_dir};
}

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreContractTest,
                         ::testing::Values(Backend{
                             .name = "sqlite",
                             .capabilities = {.backend = "sqlite",
                                              .exclusion_constraints = false,
                                              .multi_writer = false,
                                              .row_locks = false},
                             .open = OpenFreshSqlite,
                             .migrations = SqliteMigrations,
                         }),
                         BackendName);

}  // namespace
}  // namespace linli::storage::contract
