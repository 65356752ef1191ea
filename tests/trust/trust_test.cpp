// Trust use cases on SQLite (trust_cases.hpp).
#include "support/temp_store.hpp"
#include "trust_cases.hpp"

namespace linli::trust {

CaseStore OpenCaseStore() {
  auto dir = std::make_shared<linli::testing::TempDir>();
  auto store = linli::testing::OpenMigratedSqlite(*dir);
  return CaseStore{std::move(store), [dir] {}};  // the folder goes with the last reference
}

}  // namespace linli::trust
