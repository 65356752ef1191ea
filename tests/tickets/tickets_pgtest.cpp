// The tickets use cases on PostgreSQL (service_cases.hpp), each test in a fresh schema of the
// database named by LINLI_TEST_PG_DSN.
#define TICKETS_CASES TicketsPostgresTest
#include "service_cases.hpp"
#include "support/pg_schema.hpp"

namespace linli::tickets {

CaseStore OpenCaseStore() {
  auto schema = std::make_shared<linli::testing::PgSchema>("tickets");
  std::unique_ptr<storage::Store> store = schema->TakeStore();
  return CaseStore{std::move(store), [schema]() mutable { schema.reset(); }};
}

}  // namespace linli::tickets
