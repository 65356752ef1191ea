// Booking's use cases on PostgreSQL (booking_cases.hpp), each in a fresh schema; the 32-client
// race here goes through the exclusion constraint and serializable retries.
#define BOOKING_CASES BookingPostgresTest
#include "booking_cases.hpp"
#include "support/pg_schema.hpp"

namespace linli::booking {

CaseStore OpenCaseStore() {
  auto schema = std::make_shared<linli::testing::PgSchema>("booking", 8);
  auto store = schema->TakeStore();
  return CaseStore{std::move(store), [schema]() mutable { schema.reset(); }};
}

}  // namespace linli::booking
