#include "storage/postgres/postgres_store.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <random>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>

#include <libpq-fe.h>

#include "core/limits.hpp"

namespace linli::storage {
namespace {

// pg_type OIDs. catalog/pg_type_d.h is a server header that libpq-dev does not ship; these
// numbers are fixed by PostgreSQL's catalog and never change.
constexpr Oid kBoolOid = 16;
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kTextOid = 25;
constexpr Oid kOidOid = 26;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;
constexpr Oid kNumericOid = 1700;
constexpr Oid kUnknownOid = 0;  // the server infers the type from the statement

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

// Server-side prepared statements kept per connection. Generated SQL (IN lists of varying
// length) would otherwise grow them without bound; past this the cache starts over.
constexpr std::size_t kPreparedStatementsMax = 512;

// Retry backoff: writers that collided on a row sleep a random time up to this bound (doubling
// per attempt) so that they do not collide again.
constexpr std::int64_t kBackoffBaseUs = 250;
constexpr std::int64_t kBackoffMaxUs = 20'000;

constexpr const char* kBeginRead = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
// SERIALIZABLE, not READ COMMITTED: repositories are written once against SQLite, whose single
// writer makes every read-modify-write serial. On PostgreSQL the same code is only correct if
// whatever would not be serial aborts (40001) and is retried, which is what this level does.
constexpr const char* kBeginWrite = "BEGIN ISOLATION LEVEL SERIALIZABLE";

struct ConnDeleter {
  void operator()(PGconn* conn) const { PQfinish(conn); }
};
using ConnPtr = std::unique_ptr<PGconn, ConnDeleter>;

struct ResultDeleter {
  void operator()(PGresult* result) const { PQclear(result); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

bool Succeeded(const PGresult* result) {
  if (result == nullptr) return false;
  const auto status = PQresultStatus(result);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY;
}

std::string_view SqlState(const PGresult* result) {
  if (result == nullptr) return {};
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state == nullptr ? std::string_view{} : std::string_view{state};
}

std::string Trimmed(const char* text) {
  std::string out = text == nullptr ? "" : text;
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

bool IsRetryable(std::string_view state) {
  return state == "40001" /* serialization_failure */ || state == "40P01" /* deadlock */;
}

// A cached plan whose result columns changed (SELECT * after ALTER TABLE): the server refuses
// to run it again, so the statement must be prepared afresh.
bool IsStalePlan(const PGresult* result) {
  if (SqlState(result) != "0A000") return false;
  const char* message = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
  return message != nullptr && std::strstr(message, "cached plan must not change") != nullptr;
}

// The one place where PostgreSQL failures become the port's reasons (see store.hpp).
Error MapFailure(PGconn* conn, const PGresult* result) {
  const std::string_view state = SqlState(result);
  std::string message;
  if (result != nullptr) message = Trimmed(PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY));
  if (message.empty()) message = Trimmed(PQerrorMessage(conn));
  // No SQLSTATE on an open connection is a client-side libpq error (e.g. too many parameters):
  // a bug like any other bad statement, not an outage.
  if (PQstatus(conn) != CONNECTION_OK || state.starts_with("08") || state == "57P01" ||
      state == "57P02" || state == "57P03" || state == "53300") {
    return Error{Errc::kUnavailable, "database_unavailable", message};
  }
  if (state == "23505") return Error{Errc::kConflict, "duplicate", message};
  // Exclusion constraints (bookings' slot units) are told apart so services can answer
  // slot_taken.
  if (state == "23P01") return Error{Errc::kConflict, "exclusion_violation", message};
  if (state.starts_with("23")) return Error{Errc::kConflict, "constraint_violation", message};
  if (IsRetryable(state)) return Error{Errc::kConflict, "serialization_failure", message};
  if (IsStalePlan(result)) {
    return Error{Errc::kUnavailable, "database_unavailable",
                 "the schema changed under a cached statement; retry: " + message};
  }
  if (state.empty()) return Error{Errc::kInternal, "database_error", message};
  return Error{Errc::kInternal, "database_error", std::string(state) + ": " + message};
}

Error InternalError(std::string detail) {
  return Error{Errc::kInternal, "database_error", std::move(detail)};
}

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

// One libpq connection and the statements prepared on it. Used by one thread at a time (the
// pool hands it out exclusively).
class Connection {
 public:
  explicit Connection(ConnPtr conn) : conn_(std::move(conn)) {}

  PGconn* get() const { return conn_.get(); }

  // Reusable: open, not inside a transaction. Anything else is closed rather than pooled.
  bool Reusable() const {
    return PQstatus(conn_.get()) == CONNECTION_OK &&
           PQtransactionStatus(conn_.get()) == PQTRANS_IDLE;
  }

  // Simple-protocol execution: transaction control and multi-statement scripts.
  ResultPtr Exec(const char* sql) { return ResultPtr(PQexec(conn_.get(), sql)); }

  // Runs sql with the given parameters through a prepared statement, preparing it on first use.
  // A statement is keyed by its text and its parameter types: the types are fixed when it is
  // prepared, and the same text may be called with, say, NULL once and an integer later.
  ResultPtr ExecPrepared(std::string_view sql, const std::vector<Oid>& types,
                         const std::vector<const char*>& values, const std::vector<int>& lengths,
                         const std::vector<int>& formats) {
    const std::string* name = Find(sql, types);
    if (name == nullptr) {
      if (prepared_count_ >= kPreparedStatementsMax) ForgetAll();
      std::string new_name = "linli_" + std::to_string(++statement_serial_);
      const std::string text(sql);
      ResultPtr prepared(PQprepare(conn_.get(), new_name.c_str(), text.c_str(),
                                   static_cast<int>(types.size()), types.data()));
      if (!Succeeded(prepared.get())) return prepared;
      auto& entries = statements_[text];
      entries.push_back(Prepared{types, std::move(new_name)});
      ++prepared_count_;
      name = &entries.back().name;
    }
    ResultPtr result(PQexecPrepared(conn_.get(), name->c_str(), static_cast<int>(values.size()),
                                    values.data(), lengths.data(), formats.data(), kTextFormat));
    // The server will refuse this statement from now on; prepare it again next time. Its
    // server-side copy lingers until the cache starts over, which is harmless: names are unique.
    if (IsStalePlan(result.get())) Forget(sql, types);
    return result;
  }

 private:
  struct Prepared {
    std::vector<Oid> types;
    std::string name;
  };

  const std::string* Find(std::string_view sql, const std::vector<Oid>& types) const {
    auto it = statements_.find(sql);
    if (it == statements_.end()) return nullptr;
    for (const auto& entry : it->second) {
      if (entry.types == types) return &entry.name;
    }
    return nullptr;
  }

  void Forget(std::string_view sql, const std::vector<Oid>& types) {
    auto it = statements_.find(sql);
    if (it == statements_.end()) return;
    auto& entries = it->second;
    const auto before = entries.size();
    std::erase_if(entries, [&](const Prepared& entry) { return entry.types == types; });
    prepared_count_ -= before - entries.size();
    if (entries.empty()) statements_.erase(it);
  }

  void ForgetAll() {
    // Fails inside an aborted transaction; the statements then stay on the server unused.
    Exec("DEALLOCATE ALL");
    statements_.clear();
    prepared_count_ = 0;
  }

  ConnPtr conn_;
  std::unordered_map<std::string, std::vector<Prepared>, StringHash, std::equal_to<>> statements_;
  std::size_t prepared_count_ = 0;
  std::uint64_t statement_serial_ = 0;
};

Result<std::unique_ptr<Connection>> Connect(const std::string& dsn) {
  // Keywords before dbname are defaults the DSN may override; keywords after it are forced.
  // Our strings are UTF-8 whatever the DSN or the environment say.
  const std::array<const char*, 5> keywords{"connect_timeout", "fallback_application_name",
                                            "dbname", "client_encoding", nullptr};
  const std::array<const char*, 5> values{"10", "linli", dsn.c_str(), "UTF8", nullptr};
  ConnPtr conn(PQconnectdbParams(keywords.data(), values.data(), /*expand_dbname=*/1));
  if (conn == nullptr) return Error{Errc::kUnavailable, "database_unavailable", "out of memory"};
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Error{Errc::kUnavailable, "database_unavailable", Trimmed(PQerrorMessage(conn.get()))};
  }
  // libpq prints NOTICEs ("relation already exists, skipping") to stderr by default.
  PQsetNoticeProcessor(
      conn.get(), [](void*, const char*) {}, nullptr);
  return std::make_unique<Connection>(std::move(conn));
}

// At most `size` connections, opened on demand and reused most-recently-released first (warm
// statement caches). Acquire blocks while all are in use.
class Pool {
 public:
  Pool(std::string dsn, int size) : dsn_(std::move(dsn)), size_(std::max(size, 1)) {}

  Result<std::unique_ptr<Connection>> Acquire() {
    std::unique_lock lock(mutex_);
    available_.wait(lock, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      return conn;
    }
    ++open_;
    lock.unlock();
    auto conn = Connect(dsn_);
    if (!conn) {
      lock.lock();
      --open_;
      available_.notify_one();
    }
    return conn;
  }

  // A connection that is broken or still inside a transaction is closed, never handed out again.
  void Release(std::unique_ptr<Connection> conn) {
    if (conn != nullptr && !conn->Reusable()) conn.reset();
    std::lock_guard lock(mutex_);
    if (conn != nullptr) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
    available_.notify_one();
  }

  int size() const { return size_; }

 private:
  const std::string dsn_;
  const int size_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  int open_ = 0;  // idle plus handed out
};

class Lease {
 public:
  Lease(Pool& pool, std::unique_ptr<Connection> conn) : pool_(pool), conn_(std::move(conn)) {}
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease() { pool_.Release(std::move(conn_)); }
  Connection& conn() { return *conn_; }

 private:
  Pool& pool_;
  std::unique_ptr<Connection> conn_;
};

Result<std::int64_t> ParseInt(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return InternalError("unparsable integer from the server: " + std::string(text));
  }
  return value;
}

Result<double> ParseReal(std::string_view text) {
  // PostgreSQL's spellings of the special values.
  if (text == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (text == "Infinity") return std::numeric_limits<double>::infinity();
  if (text == "-Infinity") return -std::numeric_limits<double>::infinity();
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range && end == text.data() + text.size()) {
    // A numeric beyond double's range: from_chars leaves value untouched, strtod rounds it to
    // infinity or zero as a double column would. The process never changes LC_NUMERIC.
    return std::strtod(std::string(text).c_str(), nullptr);
  }
  if (ec != std::errc{} || end != text.data() + text.size()) {
    return InternalError("unparsable number from the server: " + std::string(text));
  }
  return value;
}

Result<Value> ToValue(Oid type, const char* text, int length) {
  const std::string_view view(text, static_cast<std::size_t>(length));
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
    case kOidOid: {
      LINLI_ASSIGN_OR_RETURN(auto value, ParseInt(view));
      return Value{value};
    }
    case kBoolOid: return Value{std::int64_t{view == "t" ? 1 : 0}};
    case kFloat4Oid:
    case kFloat8Oid:
    case kNumericOid: {
      LINLI_ASSIGN_OR_RETURN(auto value, ParseReal(view));
      return Value{value};
    }
    case kByteaOid: {
      std::size_t size = 0;
      unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(text), &size);
      if (bytes == nullptr) return InternalError("out of memory decoding bytea");
      Blob blob{std::string(reinterpret_cast<const char*>(bytes), size)};
      PQfreemem(bytes);
      return Value{std::move(blob)};
    }
    default: return Value{std::string(view)};
  }
}

// Rows changed: only INSERT/UPDATE/DELETE/MERGE count (PQcmdTuples also counts SELECTed rows,
// which SQLite does not and the port does not promise).
std::int64_t AffectedRows(PGresult* result) {
  const std::string_view tag = PQcmdStatus(result);
  if (!tag.starts_with("INSERT") && !tag.starts_with("UPDATE") && !tag.starts_with("DELETE") &&
      !tag.starts_with("MERGE")) {
    return 0;
  }
  auto count = ParseInt(PQcmdTuples(result));
  return count ? *count : 0;
}

Result<Rows> ToRows(PGresult* result) {
  Rows rows;
  const int columns = PQnfields(result);
  const int tuples = PQntuples(result);
  rows.columns.reserve(static_cast<std::size_t>(columns));
  std::vector<Oid> types(static_cast<std::size_t>(columns));
  for (int c = 0; c < columns; ++c) {
    rows.columns.emplace_back(PQfname(result, c));
    types[static_cast<std::size_t>(c)] = PQftype(result, c);
  }
  rows.rows.reserve(static_cast<std::size_t>(tuples));
  for (int r = 0; r < tuples; ++r) {
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int c = 0; c < columns; ++c) {
      if (PQgetisnull(result, r, c)) {
        values.emplace_back(Null{});
        continue;
      }
      LINLI_ASSIGN_OR_RETURN(auto value,
                             ToValue(types[static_cast<std::size_t>(c)], PQgetvalue(result, r, c),
                                     PQgetlength(result, r, c)));
      values.push_back(std::move(value));
    }
    rows.rows.emplace_back(std::move(values));
  }
  rows.affected = AffectedRows(result);
  return rows;
}

std::array<char, 8> BigEndian(std::uint64_t value) {
  std::array<char, 8> out{};
  for (int i = 7; i >= 0; --i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  return out;
}

// The session of one transaction attempt. Remembers what the transaction runner must know
// about failures the fn may have swallowed or rewrapped.
class PgSession final : public Session {
 public:
  explicit PgSession(Connection& conn) : conn_(conn) {}

  using Session::Query;

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    try {
      BindParams(params);
      ResultPtr result = conn_.ExecPrepared(sql, types_, values_, lengths_, formats_);
      if (!Succeeded(result.get())) return Fail(result.get());
      return ToRows(result.get());
    } catch (const std::exception& e) {
      return InternalError(e.what());
    }
  }

  Status ExecuteScript(std::string_view sql) override {
    try {
      ResultPtr result = conn_.Exec(std::string(sql).c_str());
      if (!Succeeded(result.get())) return Fail(result.get());
      return Ok();
    } catch (const std::exception& e) {
      return InternalError(e.what());
    }
  }

  // A statement failed in a way that rerunning the whole transaction may fix.
  bool retry_wanted() const { return retry_wanted_; }
  bool connection_lost() const { return connection_lost_; }

 private:
  // Every parameter goes in binary with an explicit type: no text escaping, exact doubles, and
  // a string with a NUL byte is rejected by the server instead of silently cut short.
  void BindParams(const std::vector<Value>& params) {
    const std::size_t n = params.size();
    types_.assign(n, kUnknownOid);
    values_.assign(n, nullptr);
    lengths_.assign(n, 0);
    formats_.assign(n, kBinaryFormat);
    numbers_.resize(n);  // sized before any pointer into it is taken
    for (std::size_t i = 0; i < n; ++i) {
      std::visit(
          [&](const auto& value) {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, std::int64_t>) {
              numbers_[i] = BigEndian(static_cast<std::uint64_t>(value));
              Set(i, kInt8Oid, numbers_[i].data(), 8);
            } else if constexpr (std::is_same_v<T, double>) {
              numbers_[i] = BigEndian(std::bit_cast<std::uint64_t>(value));
              Set(i, kFloat8Oid, numbers_[i].data(), 8);
            } else if constexpr (std::is_same_v<T, std::string>) {
              Set(i, kTextOid, value.data(), value.size());
            } else if constexpr (std::is_same_v<T, Blob>) {
              Set(i, kByteaOid, value.bytes.data(), value.bytes.size());
            }
          },
          params[i]);
    }
  }

  void Set(std::size_t i, Oid type, const char* data, std::size_t length) {
    types_[i] = type;
    values_[i] = data;
    lengths_[i] = static_cast<int>(length);
  }

  Error Fail(const PGresult* result) {
    if (IsRetryable(SqlState(result)) || IsStalePlan(result)) retry_wanted_ = true;
    Error error = MapFailure(conn_.get(), result);
    if (PQstatus(conn_.get()) != CONNECTION_OK) connection_lost_ = true;
    return error;
  }

  Connection& conn_;
  bool retry_wanted_ = false;
  bool connection_lost_ = false;
  std::vector<Oid> types_;
  std::vector<const char*> values_;
  std::vector<int> lengths_;
  std::vector<int> formats_;
  std::vector<std::array<char, 8>> numbers_;
};

// Jitter only spreads retries in time and never changes a result, so it does not need the
// injected, reproducible generator.
void Backoff(int attempt) {
  thread_local std::minstd_rand engine{std::random_device{}()};
  const std::int64_t bound_us = std::min(kBackoffMaxUs, kBackoffBaseUs << std::min(attempt, 20));
  std::uniform_int_distribution<std::int64_t> jitter(bound_us / 4, bound_us);
  std::this_thread::sleep_for(std::chrono::microseconds(jitter(engine)));
}

Status RunFn(const Work& fn, Session& session) {
  try {
    return fn(session);
  } catch (const std::exception& e) {
    return InternalError(std::string("exception in a transaction: ") + e.what());
  } catch (...) {
    return InternalError("unknown exception in a transaction");
  }
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(const PostgresOptions& options)
      : pool_(options.dsn, options.pool_size),
        capabilities_{.backend = "postgres",
                      .exclusion_constraints = true,
                      .multi_writer = true,
                      .row_locks = true} {}

  const Capabilities& capabilities() const override { return capabilities_; }

  Status Read(const Work& fn) override {
    try {
      return ReadOnce(fn);
    } catch (const std::exception& e) {
      return InternalError(e.what());
    }
  }

  Status Write(const Work& fn) override {
    try {
      RerunGate gate(*this);
      for (int attempt = 0;; ++attempt) {
        Attempt outcome;
        {
          LINLI_ASSIGN_OR_RETURN(auto lease, Start(kBeginWrite));
          outcome = WriteOnce(lease->conn(), fn);
        }  // the connection goes back before waiting for a turn (see RerunGate)
        if (!outcome.retry || attempt >= limits::kPgWriteRetriesMax) return outcome.status;
        Backoff(attempt);
        gate.Rerun();
      }
    } catch (const std::exception& e) {
      return InternalError(e.what());
    }
  }

  Status Ping() override {
    try {
      LINLI_ASSIGN_OR_RETURN(auto lease, Start("SELECT 1"));
      return Ok();
    } catch (const std::exception& e) {
      return InternalError(e.what());
    }
  }

  // Opens the first connection now, so a wrong DSN or a down server shows at startup.
  Status Connect() {
    LINLI_ASSIGN_OR_RETURN(auto lease, Start("SELECT 1"));
    return Ok();
  }

 private:
  struct Attempt {
    Status status;
    bool retry = false;
  };

  // Makes a hot row converge instead of exhausting retries. Writers that collided rerun one at
  // a time (holding reruns_), and while any rerun is pending a new Write queues behind it
  // rather than colliding with it again: within this process the rerun then runs alone and
  // commits, as every write does on SQLite. Without contention the cost is one atomic load.
  // Whoever waits here holds neither a connection nor row locks, so the turn's holder can
  // always get a connection and never waits for a waiter: no deadlock, no starved pool.
  class RerunGate {
   public:
    explicit RerunGate(PostgresStore& store)
        : store_(store), turn_(store.reruns_, std::defer_lock) {
      if (store_.reruns_pending_.load(std::memory_order_acquire) > 0) turn_.lock();
    }
    RerunGate(const RerunGate&) = delete;
    RerunGate& operator=(const RerunGate&) = delete;
    ~RerunGate() {
      if (rerunning_) store_.reruns_pending_.fetch_sub(1, std::memory_order_release);
    }

    void Rerun() {
      if (!rerunning_) {
        rerunning_ = true;
        store_.reruns_pending_.fetch_add(1, std::memory_order_release);
      }
      if (!turn_.owns_lock()) turn_.lock();
    }

   private:
    PostgresStore& store_;
    std::unique_lock<std::mutex> turn_;
    bool rerunning_ = false;
  };

  // A pooled connection on which `first_sql` (BEGIN, or SELECT 1) succeeded. Idle connections
  // die unnoticed when the server restarts; nothing has run on them yet, so each dead one is
  // dropped and the next tried, up to a freshly opened one.
  Result<std::unique_ptr<Lease>> Start(const char* first_sql) {
    for (int tries = 0;; ++tries) {
      LINLI_ASSIGN_OR_RETURN(auto conn, pool_.Acquire());
      auto lease = std::make_unique<Lease>(pool_, std::move(conn));
      ResultPtr result = lease->conn().Exec(first_sql);
      if (Succeeded(result.get())) return lease;
      const bool lost = PQstatus(lease->conn().get()) != CONNECTION_OK;
      if (!lost || tries > pool_.size()) return MapFailure(lease->conn().get(), result.get());
    }
  }

  Status ReadOnce(const Work& fn) {
    LINLI_ASSIGN_OR_RETURN(auto lease, Start(kBeginRead));
    Connection& conn = lease->conn();
    PgSession session(conn);
    Status status = RunFn(fn, session);
    if (!status) {
      conn.Exec("ROLLBACK");
      return status;
    }
    ResultPtr commit = conn.Exec("COMMIT");
    if (!Succeeded(commit.get())) return MapFailure(conn.get(), commit.get());
    return Ok();
  }

  // Runs fn inside the transaction already begun on conn, and commits or rolls back.
  Attempt WriteOnce(Connection& conn, const Work& fn) {
    PgSession session(conn);
    Status status = RunFn(fn, session);
    // A lost connection before COMMIT was sent means the server rolled back: safe to rerun.
    const bool rerun = session.retry_wanted() || session.connection_lost();
    if (!status) {
      conn.Exec("ROLLBACK");
      if (rerun) return {RetryError(session), true};
      return {std::move(status), false};
    }
    ResultPtr commit = conn.Exec("COMMIT");
    if (!Succeeded(commit.get())) {
      if (session.connection_lost()) return {RetryError(session), true};  // COMMIT never left
      if (IsRetryable(SqlState(commit.get()))) {
        return {Error{Errc::kConflict, "serialization_failure", "retries exhausted"}, true};
      }
      // The outcome of a COMMIT whose connection died is unknown: never rerun it.
      return {MapFailure(conn.get(), commit.get()), false};
    }
    // The server answers COMMIT with ROLLBACK when a statement had failed: fn swallowed an
    // error and returned Ok, yet nothing was written. Never report that as success.
    if (std::string_view(PQcmdStatus(commit.get())) != "COMMIT") {
      if (rerun) return {RetryError(session), true};
      return {InternalError("a statement failed inside the transaction and fn ignored the error; "
                            "nothing was written"),
              false};
    }
    return {Ok(), false};
  }

  static Error RetryError(const PgSession& session) {
    if (session.connection_lost()) {
      return Error{Errc::kUnavailable, "database_unavailable",
                   "connection lost; retries exhausted"};
    }
    return Error{Errc::kConflict, "serialization_failure", "retries exhausted"};
  }

  Pool pool_;
  const Capabilities capabilities_;
  std::mutex reruns_;
  std::atomic<int> reruns_pending_{0};
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(const PostgresOptions& options) {
  try {
    auto store = std::make_unique<PostgresStore>(options);
    LINLI_TRY(store->Connect());
    return std::unique_ptr<Store>(std::move(store));
  } catch (const std::exception& e) {
    return InternalError(e.what());
  }
}

}  // namespace linli::storage
