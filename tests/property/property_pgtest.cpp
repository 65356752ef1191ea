// Property services' use cases on PostgreSQL (property_cases.hpp), each test in a fresh schema
// of the database named by LINLI_TEST_PG_DSN. Without that variable the tests fail: CI runs them.
#define PROPERTY_CASES PropertyPostgresTest
#include "property_cases.hpp"
#include "support/pg_schema.hpp"

namespace linli::property {

CaseStore OpenCaseStore() {
  auto schema = std::make_shared<linli::testing::PgSchema>("property", 8);
  std::unique_ptr<storage::Store> store = schema->TakeStore();
  return CaseStore{std::move(store), [schema]() mutable { schema.reset(); }};
}

}  // namespace linli::property
