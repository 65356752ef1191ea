// Trust use cases on PostgreSQL (trust_cases.hpp): each test gets a fresh migrated schema in
// the database named by LINLI_TEST_PG_DSN, dropped afterwards.
#define TRUST_CASES TrustPostgresTest
#include "support/pg_schema.hpp"
#include "trust_cases.hpp"

namespace linli::trust {

CaseStore OpenCaseStore() {
  auto schema = std::make_shared<linli::testing::PgSchema>("trust");
  auto store = schema->TakeStore();
  return CaseStore{std::move(store), [schema] {}};  // the schema is dropped with the last copy
}

}  // namespace linli::trust
