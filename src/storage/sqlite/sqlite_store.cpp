#include "storage/sqlite/sqlite_store.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>

#include <sqlite3.h>

#include "core/limits.hpp"

namespace linli::storage {
namespace {

// Set while a thread runs a Store job: a nested Read/Write from inside fn would deadlock the
// single writer (or silently read a different snapshot), so it is refused.
thread_local bool in_store_job = false;

Error MapSqliteError(sqlite3* db, int rc) {
  const int extended = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  if (extended == SQLITE_CONSTRAINT_UNIQUE || extended == SQLITE_CONSTRAINT_PRIMARYKEY) {
    return Error{Errc::kConflict, "duplicate", "a record with the same key already exists"};
  }
  if ((rc & 0xff) == SQLITE_CONSTRAINT) {
    return Error{Errc::kConflict, "constraint_violation", message};
  }
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN: return Error{Errc::kUnavailable, "database_unavailable", message};
    default: return Error{Errc::kInternal, "database_error", message};
  }
}

// One connection with its prepared-statement cache. Used by one thread at a time.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int flags) {
    sqlite3* db = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    auto connection = std::unique_ptr<Connection>(new Connection(db));
    if (rc != SQLITE_OK) return MapSqliteError(db, rc);
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    return connection;
  }

  ~Connection() {
    for (auto& [sql, prepared] : statements_) sqlite3_finalize(prepared.statement);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  Status Exec(std::string_view sql) {
    const std::string text(sql);
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK) return MapSqliteError(db_, rc);
    return Ok();
  }

  // Runs a parameterless statement from the prepared cache (transaction control: no re-parse).
  Status Step(std::string_view sql) {
    auto prepared = Prepare(sql);
    if (!prepared) return prepared.error();
    sqlite3_stmt* statement = (*prepared)->statement;
    const int rc = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return MapSqliteError(db_, rc);
    return Ok();
  }

  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) {
    auto prepared = Prepare(sql);
    if (!prepared) return prepared.error();
    sqlite3_stmt* statement = (*prepared)->statement;
    // Reset on every exit so the cached statement releases its read snapshot (and, with
    // SQLITE_STATIC binding, before the caller's parameter values go away).
    struct ResetGuard {
      sqlite3_stmt* statement;
      ~ResetGuard() {
        sqlite3_reset(statement);
        sqlite3_clear_bindings(statement);
      }
    } guard{statement};
    LINLI_TRY(Bind(**prepared, params));

    Rows out;
    const auto changes_before = sqlite3_total_changes64(db_);
    int rc = sqlite3_step(statement);
    // Columns are read after the first step: a schema change re-prepares inside step.
    const int columns = sqlite3_column_count(statement);
    out.columns.reserve(columns);
    for (int i = 0; i < columns; ++i) out.columns.emplace_back(sqlite3_column_name(statement, i));
    for (; rc == SQLITE_ROW; rc = sqlite3_step(statement)) {
      out.rows.push_back(ReadRow(statement, columns));
    }
    if (rc != SQLITE_DONE) return MapSqliteError(db_, rc);
    // sqlite3_changes64 keeps the last INSERT/UPDATE/DELETE's count through SELECTs and DDL.
    out.affected = sqlite3_total_changes64(db_) != changes_before ? sqlite3_changes64(db_) : 0;
    return out;
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  // A cached statement and, for each of its SQLite parameter indexes, which $n it stands for.
  struct Prepared {
    sqlite3_stmt* statement = nullptr;
    std::vector<int> param_of_index;  // [i] = n of the parameter with SQLite index i + 1; 0: not $n
  };

  // Looks the SQL text up without copying it (heterogeneous lookup); prepares on a miss.
  Result<const Prepared*> Prepare(std::string_view sql) {
    if (auto found = statements_.find(sql); found != statements_.end()) return &found->second;
    sqlite3_stmt* statement = nullptr;
    const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &statement, nullptr);
    if (rc != SQLITE_OK) return MapSqliteError(db_, rc);
    if (statement == nullptr) {
      return Error{Errc::kInternal, "database_error", "empty statement"};
    }
    Prepared prepared{statement, ParameterNumbers(statement)};
    auto [inserted, ignored] = statements_.emplace(std::string(sql), std::move(prepared));
    return &inserted->second;
  }

  // Parameters are written $1..$n; SQLite treats "$1" as a named parameter (one index per
  // distinct name, so a $n may repeat and come in any order). Resolving the names once per
  // cached statement keeps binding linear in the parameter count.
  static std::vector<int> ParameterNumbers(sqlite3_stmt* statement) {
    const int count = sqlite3_bind_parameter_count(statement);
    std::vector<int> numbers(static_cast<std::size_t>(count), 0);
    for (int index = 1; index <= count; ++index) {
      const char* name = sqlite3_bind_parameter_name(statement, index);
      if (name == nullptr || name[0] != '$' || name[1] == '\0') continue;
      int number = 0;
      bool digits = true;
      for (const char* c = name + 1; *c != '\0' && digits; ++c) {
        digits = *c >= '0' && *c <= '9' && number < 100000;
        number = number * 10 + (*c - '0');
      }
      if (digits) numbers[static_cast<std::size_t>(index - 1)] = number;
    }
    return numbers;
  }

  // Every parameter of the statement must have a value; values it does not use are ignored.
  Status Bind(const Prepared& prepared, const std::vector<Value>& params) {
    sqlite3_stmt* statement = prepared.statement;
    for (std::size_t i = 0; i < prepared.param_of_index.size(); ++i) {
      const int number = prepared.param_of_index[i];
      if (number < 1 || static_cast<std::size_t>(number) > params.size()) {
        return Error{Errc::kInternal, "database_error", "statement has unbound parameters"};
      }
      const int index = static_cast<int>(i + 1);
      int rc = SQLITE_OK;
      const Value& value = params[static_cast<std::size_t>(number - 1)];
      if (std::holds_alternative<Null>(value)) {
        rc = sqlite3_bind_null(statement, index);
      } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        rc = sqlite3_bind_int64(statement, index, *integer);
      } else if (const auto* real = std::get_if<double>(&value)) {
        rc = sqlite3_bind_double(statement, index, *real);
      } else if (const auto* text = std::get_if<std::string>(&value)) {
        // Bound values outlive the step: the statement is reset before params go away.
        rc = sqlite3_bind_text64(statement, index, text->data(), text->size(), SQLITE_STATIC,
                                 SQLITE_UTF8);
      } else {
        const auto& blob = std::get<Blob>(value).bytes;
        rc = sqlite3_bind_blob64(statement, index, blob.data(), blob.size(), SQLITE_STATIC);
      }
      if (rc != SQLITE_OK) return MapSqliteError(db_, rc);
    }
    return Ok();
  }

  static Row ReadRow(sqlite3_stmt* statement, int columns) {
    std::vector<Value> values;
    values.reserve(columns);
    for (int i = 0; i < columns; ++i) {
      switch (sqlite3_column_type(statement, i)) {
        case SQLITE_INTEGER: values.emplace_back(sqlite3_column_int64(statement, i)); break;
        case SQLITE_FLOAT: values.emplace_back(sqlite3_column_double(statement, i)); break;
        case SQLITE_TEXT: {
          const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(statement, i));
          values.emplace_back(std::string(text, sqlite3_column_bytes(statement, i)));
          break;
        }
        case SQLITE_BLOB: {
          const auto* data = static_cast<const char*>(sqlite3_column_blob(statement, i));
          const int size = sqlite3_column_bytes(statement, i);
          values.emplace_back(Blob{data != nullptr ? std::string(data, size) : std::string()});
          break;
        }
        default: values.emplace_back(Null{}); break;
      }
    }
    return Row(std::move(values));
  }

  // Transparent hashing: lookups by string_view need no std::string per query.
  struct SqlHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view sql) const {
      return std::hash<std::string_view>{}(sql);
    }
  };

  sqlite3* db_;
  std::unordered_map<std::string, Prepared, SqlHash, std::equal_to<>> statements_;
};

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(Connection& connection) : connection_(connection) {}
  Result<Rows> Query(std::string_view sql, const std::vector<Value>& params) override {
    return connection_.Query(sql, params);
  }
  Status ExecuteScript(std::string_view sql) override { return connection_.Exec(sql); }

 private:
  Connection& connection_;
};

Status RunGuarded(const Work& fn, Session& session) {
  try {
    return fn(session);
  } catch (const std::exception& exception) {
    return Error{Errc::kInternal, "internal_error", exception.what()};
  }
}

class SqliteStore final : public Store {
 public:
  SqliteStore(SqliteOptions options, std::unique_ptr<Connection> writer,
              std::vector<std::unique_ptr<Connection>> readers)
      : options_(std::move(options)), writer_(std::move(writer)), readers_(std::move(readers)) {
    capabilities_.backend = "sqlite";
    writer_thread_ = std::thread([this] { WriterLoop(); });
    completer_thread_ = std::thread([this] { CompleterLoop(); });
  }

  ~SqliteStore() override {
    {
      std::lock_guard lock(queue_mutex_);
      stopping_ = true;
    }
    queue_cv_.notify_all();
    writer_thread_.join();
    {
      std::lock_guard lock(done_mutex_);
      done_stopping_ = true;
    }
    done_cv_.notify_all();
    completer_thread_.join();
  }

  const Capabilities& capabilities() const override { return capabilities_; }

  Status Read(const Work& fn) override {
    if (in_store_job) return NestedCall();
    std::unique_ptr<Connection> connection = AcquireReader();
    struct Return {
      SqliteStore* store;
      std::unique_ptr<Connection>& connection;
      ~Return() { store->ReleaseReader(std::move(connection)); }
    } give_back{this, connection};
    LINLI_TRY(connection->Step("BEGIN"));
    SqliteSession session(*connection);
    in_store_job = true;
    Status status = RunGuarded(fn, session);
    in_store_job = false;
    (void)connection->Step("COMMIT");  // read-only: ending the snapshot cannot lose data
    return status;
  }

  Status Write(const Work& fn) override {
    if (in_store_job) return NestedCall();
    Job job{&fn, {}};
    auto done = job.result.get_future();
    {
      std::lock_guard lock(queue_mutex_);
      if (queue_.size() >= limits::kWriteQueueMax) {
        return Error{Errc::kUnavailable, "write_queue_full", "too many pending writes"};
      }
      queue_.push_back(&job);
    }
    queue_cv_.notify_one();
    return done.get();
  }

  Status Ping() override {
    return Read([](Session& session) -> Status {
      LINLI_TRY(session.Query("SELECT 1"));
      return Ok();
    });
  }

 private:
  struct Job {
    const Work* fn;
    std::promise<Status> result;
  };

  static Error NestedCall() {
    return Error{Errc::kInternal, "nested_store_call", "Store::Read/Write called inside a job"};
  }

  std::unique_ptr<Connection> AcquireReader() {
    std::unique_lock lock(readers_mutex_);
    readers_cv_.wait(lock, [this] { return !readers_.empty(); });
    auto connection = std::move(readers_.back());
    readers_.pop_back();
    return connection;
  }

  void ReleaseReader(std::unique_ptr<Connection> connection) {
    {
      std::lock_guard lock(readers_mutex_);
      readers_.push_back(std::move(connection));
    }
    readers_cv_.notify_one();
  }

  void WriterLoop() {
    const std::size_t batch_max = options_.group_commit ? limits::kWriteBatchJobsMax : 1;
    std::vector<Job*> batch;
    for (;;) {
      batch.clear();
      {
        std::unique_lock lock(queue_mutex_);
        queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;  // stopping, and nothing left to write
        while (!queue_.empty() && batch.size() < batch_max) {
          batch.push_back(queue_.front());
          queue_.pop_front();
        }
      }
      RunBatch(batch);
    }
  }

  // Each job runs in its own SAVEPOINT so a failing job rolls back alone; one COMMIT (one
  // fsync) makes the whole batch durable, and only then are the callers answered.
  void RunBatch(const std::vector<Job*>& batch) {
    std::vector<Status> results(batch.size());
    if (auto begun = writer_->Step("BEGIN IMMEDIATE"); !begun) {
      for (auto* job : batch) job->result.set_value(begun.error());
      return;
    }
    SqliteSession session(*writer_);
    in_store_job = true;
    for (std::size_t i = 0; i < batch.size(); ++i) {
      results[i] = writer_->Step("SAVEPOINT job");
      if (results[i]) results[i] = RunGuarded(*batch[i]->fn, session);
      if (!results[i]) (void)writer_->Step("ROLLBACK TO job");  // undo this job only
      (void)writer_->Step("RELEASE job");
    }
    in_store_job = false;
    if (auto committed = writer_->Step("COMMIT"); !committed) {
      (void)writer_->Step("ROLLBACK");
      for (auto& result : results) {
        if (result) result = committed.error();
      }
    }
    // Waking every caller costs the writer about a third of its time (a futex wake is an
    // IPI on a VM): hand the batch to the completer thread and start the next one.
    {
      std::lock_guard lock(done_mutex_);
      for (std::size_t i = 0; i < batch.size(); ++i) {
        done_.emplace_back(batch[i], std::move(results[i]));
      }
    }
    done_cv_.notify_one();
  }

  void CompleterLoop() {
    std::vector<std::pair<Job*, Status>> ready;
    for (;;) {
      {
        std::unique_lock lock(done_mutex_);
        done_cv_.wait(lock, [this] { return done_stopping_ || !done_.empty(); });
        if (done_.empty()) return;
        ready.swap(done_);
      }
      for (auto& [job, status] : ready) job->result.set_value(std::move(status));
      ready.clear();
    }
  }

  SqliteOptions options_;
  Capabilities capabilities_;
  std::unique_ptr<Connection> writer_;
  std::mutex readers_mutex_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<Connection>> readers_;
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::deque<Job*> queue_;
  bool stopping_ = false;
  std::thread writer_thread_;
  std::mutex done_mutex_;
  std::condition_variable done_cv_;
  std::vector<std::pair<Job*, Status>> done_;
  bool done_stopping_ = false;
  std::thread completer_thread_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions& options) {
  // Memory statistics take a global mutex on every sqlite3_malloc/free, shared by all
  // connections and threads; nothing reads them. Must precede sqlite3_initialize.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  auto writer =
      Connection::Open(options.path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI);
  if (!writer) return writer.error();
  LINLI_TRY((*writer)->Exec("PRAGMA journal_mode=WAL"));
  LINLI_TRY((*writer)->Exec(options.synchronous_full ? "PRAGMA synchronous=FULL"
                                                     : "PRAGMA synchronous=NORMAL"));
  LINLI_TRY((*writer)->Exec("PRAGMA foreign_keys=ON"));
  std::vector<std::unique_ptr<Connection>> readers;
  for (int i = 0; i < std::max(1, options.reader_connections); ++i) {
    auto reader = Connection::Open(options.path, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI);
    if (!reader) return reader.error();
    readers.push_back(std::move(*reader));
  }
  return std::unique_ptr<Store>(
      std::make_unique<SqliteStore>(options, std::move(*writer), std::move(readers)));
}

}  // namespace linli::storage
