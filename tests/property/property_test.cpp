// Property services' use cases on SQLite.
#include "property_cases.hpp"
#include "support/temp_store.hpp"

namespace linli::property {

CaseStore OpenCaseStore() {
  auto dir = std::make_shared<linli::testing::TempDir>();
  auto store = linli::testing::OpenMigratedSqlite(*dir);
  return CaseStore{std::move(store), [dir] {}};  // the folder goes with the last reference
}

}  // namespace linli::property
