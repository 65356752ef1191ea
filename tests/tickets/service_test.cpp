// The tickets use cases on SQLite.
#include "service_cases.hpp"
#include "support/temp_store.hpp"

namespace linli::tickets {

CaseStore OpenCaseStore() {
  auto dir = std::make_shared<linli::testing::TempDir>();
  auto store = linli::testing::OpenMigratedSqlite(*dir);
  return CaseStore{std::move(store), [dir] {}};
}

}  // namespace linli::tickets
