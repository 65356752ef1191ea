// The household register's use cases on SQLite (the cases are in households_cases.hpp).
#include "households_cases.hpp"
#include "support/temp_store.hpp"

namespace linli::households::cases {
namespace {

Result<FreshStore> OpenFreshSqlite() {
  auto dir = std::make_shared<linli::testing::TempDir>();
  FreshStore fresh;
  fresh.store = linli::testing::OpenMigratedSqlite(*dir);
  fresh.cleanup = [dir] {};  // the folder goes when the last copy of `dir` does
  return fresh;
}

INSTANTIATE_TEST_SUITE_P(Sqlite, HouseholdsTest,
                         ::testing::Values(Backend{"sqlite", OpenFreshSqlite}), BackendName);

}  // namespace
}  // namespace linli::households::cases
