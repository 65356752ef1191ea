// The ledger's use cases on SQLite (ledger_cases.hpp).
#include "ledger_cases.hpp"
#include "support/temp_store.hpp"

namespace linli::ledger {

CaseStore OpenCaseStore() {
  auto dir = std::make_shared<linli::testing::TempDir>();
  auto store = linli::testing::OpenMigratedSqlite(*dir);
  return CaseStore{std::move(store), [dir] {}};  // the folder goes with the last reference
}

}  // namespace linli::ledger
