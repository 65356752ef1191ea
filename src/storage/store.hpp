#pragma once
// The storage port. Domain repositories are written once in portable SQL against Session;
// the SQLite and PostgreSQL adapters (storage/sqlite, storage/postgres) implement it and are
// linked only by app/ and tests.
//
// SQL dialect rules for repositories:
//   - parameters are $1..$n (each may be used several times, in any order);
//   - integers are BIGINT (booleans 0/1), timestamps BIGINT epoch seconds UTC, money BIGINT fen;
//   - INSERT ... RETURNING, ON CONFLICT, CTEs are fine on both backends;
//   - backend-specific SQL only in migrations, or chosen by Capabilities;
//   - a failed statement aborts the whole transaction on PostgreSQL: never "try the INSERT and
//     read on duplicate" — use INSERT ... ON CONFLICT DO NOTHING RETURNING instead;
//   - parameter types are strict on PostgreSQL: compare BIGINT columns with int64 values, cast
//     where the type cannot be inferred ($1::jsonb, a NULL in a SELECT list);
//   - SUM(bigint) is NUMERIC on PostgreSQL (read with Row::Int, which accepts a double);
//   - migrations run inside a Write: no BEGIN/COMMIT, no CREATE INDEX CONCURRENTLY.
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/error.hpp"
#include "core/page.hpp"

namespace linli::storage {

struct Blob {
  std::string bytes;
  bool operator==(const Blob&) const = default;
};

struct Null {
  bool operator==(const Null&) const = default;
};

// A parameter or column value.
using Value = std::variant<Null, std::int64_t, double, std::string, Blob>;

class Row {
 public:
  Row() = default;
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  bool IsNull(std::size_t column) const;
  // Typed getters; a type mismatch or NULL is a programmer error (asserts).
  std::int64_t Int(std::size_t column) const;
  double Real(std::size_t column) const;
  const std::string& Text(std::size_t column) const;
  const std::string& Bytes(std::size_t column) const;
  std::optional<std::int64_t> OptInt(std::size_t column) const;
  std::optional<std::string> OptText(std::size_t column) const;
  const Value& at(std::size_t column) const { return values_.at(column); }

 private:
  std::vector<Value> values_;
};

struct Rows {
  std::vector<std::string> columns;
  std::vector<Row> rows;
  std::int64_t affected = 0;  // rows changed by INSERT/UPDATE/DELETE

  bool empty() const { return rows.empty(); }
  std::size_t size() const { return rows.size(); }
  const Row& operator[](std::size_t i) const { return rows[i]; }
  auto begin() const { return rows.begin(); }
  auto end() const { return rows.end(); }
};

// Executes SQL inside the transaction a Store opened. Not thread-safe; valid only during fn.
// Errors are mapped by the adapter to the same reasons on every backend:
//   kConflict "duplicate" (unique/primary key), kConflict "constraint_violation" (check,
//   foreign key, not null), kConflict "exclusion_violation" (an exclusion constraint: only
//   PostgreSQL has them, see Capabilities), kConflict "serialization_failure",
//   kUnavailable "database_unavailable", kInternal "database_error" (bad SQL: a bug).
class Session {
 public:
  virtual ~Session() = default;
  virtual Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) = 0;
  // Runs several ;-separated statements without parameters (migrations only).
  virtual Status ExecuteScript(std::string_view sql) = 0;

  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::vector<Value>(params));
  }
  // Returns the number of affected rows.
  Result<std::int64_t> Execute(std::string_view sql, std::initializer_list<Value> params = {});
  // The first row, or nullopt when there is none.
  Result<std::optional<Row>> QueryOne(std::string_view sql,
                                      std::initializer_list<Value> params = {});
};

// What a backend does natively. Domain code may read these to pick a strategy, never to skip
// a check.
struct Capabilities {
  std::string backend;                 // "sqlite" or "postgres"
  bool exclusion_constraints = false;  // the database itself rejects overlapping ranges
  bool multi_writer = false;           // several processes may write concurrently
  bool row_locks = false;              // SELECT ... FOR UPDATE is meaningful
};

using Work = std::function<Status(Session&)>;

class Store {
 public:
  virtual ~Store() = default;
  virtual const Capabilities& capabilities() const = 0;

  // Runs fn in a read-only transaction (a consistent snapshot). Thread-safe.
  virtual Status Read(const Work& fn) = 0;

  // Runs fn in a write transaction and returns once it is durable (committed), or fn's error
  // after rolling back fn's changes alone. fn may run more than once (PostgreSQL retries on
  // serialization failure), so it must have no side effects outside the session. fn must not
  // call Store::Write or Store::Read itself. Thread-safe; blocks the calling thread.
  virtual Status Write(const Work& fn) = 0;

  // Typed helpers: fn returns Result<T>.
  template <class Fn>
  auto ReadValue(Fn&& fn) -> decltype(fn(std::declval<Session&>()));
  template <class Fn>
  auto WriteValue(Fn&& fn) -> decltype(fn(std::declval<Session&>()));

  // Readiness: a trivial query succeeds.
  virtual Status Ping() = 0;
};

template <class Fn>
auto Store::ReadValue(Fn&& fn) -> decltype(fn(std::declval<Session&>())) {
  using R = decltype(fn(std::declval<Session&>()));
  std::optional<R> out;
  auto status = Read([&](Session& session) -> Status {
    out.emplace(fn(session));
    if (!*out) return out->error();
    return Ok();
  });
  if (!status) return status.error();
  return std::move(*out);
}

template <class Fn>
auto Store::WriteValue(Fn&& fn) -> decltype(fn(std::declval<Session&>())) {
  using R = decltype(fn(std::declval<Session&>()));
  std::optional<R> out;
  auto status = Write([&](Session& session) -> Status {
    out.emplace(fn(session));  // a retried fn replaces the earlier attempt's value
    if (!*out) return out->error();
    return Ok();
  });
  if (!status) return status.error();
  return std::move(*out);
}

// NULL for an absent optional, else its value.
template <class T>
Value Nullable(const std::optional<T>& value) {
  if (!value) return Null{};
  return *value;
}

// A page from rows fetched with LIMIT page_limit + 1 (see TrimToPage).
template <class Convert, class KeyOf>
auto PageFromRows(const Rows& rows, int page_limit, Convert convert, KeyOf key_of)
    -> Page<decltype(convert(rows.rows.front()))> {
  std::vector<decltype(convert(rows.rows.front()))> items;
  items.reserve(rows.size());
  for (const auto& row : rows) items.push_back(convert(row));
  return TrimToPage(std::move(items), page_limit, key_of);
}

// One migration file: "0001_accounts.sql" → version 1, name "accounts".
struct Migration {
  int version = 0;
  std::string name;
  std::string sql;
};

// Applies, in order, the migrations not yet in schema_migrations; each in its own write.
// Returns the versions applied.
Result<std::vector<int>> Migrate(Store& store, const std::vector<Migration>& migrations,
                                 std::int64_t now_s);

}  // namespace linli::storage
