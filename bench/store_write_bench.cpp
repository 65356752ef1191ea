// Durable write throughput through the storage port (issue #2, figure 3).
//
// N client threads call Store::Write in a loop for a fixed time; each job inserts one small row.
// The store is the real SQLite adapter on a real file (WAL, synchronous=FULL unless --normal),
// with group_commit on or off. A plain driver rather than Google Benchmark: the measurement is
// "jobs completed by 64 blocked callers in a fixed wall-clock window", which Benchmark's
// per-thread iteration scaling does not express well, and the bench script needs the run to
// take a bounded, predictable time.
//
//   linli_bench_store --dir DIR [--threads 64] [--seconds 2] [--group-commit 1|0] [--normal]
//
// Prints one line, e.g.
//   store_write group_commit=1 synchronous=FULL threads=64 seconds=2.001 jobs=123 errors=0
//   rows=123 jobs_per_s=61.5
// rows is counted back from the database afterwards: every job that returned Ok must be a row
// (the exit status is 1 otherwise, or if any job failed).
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string dir;
  int threads = 64;
  double seconds = 2.0;
  bool group_commit = true;
  bool synchronous_full = true;
};

// Returns nullopt after printing the problem and the usage.
std::optional<Options> Parse(int argc, char** argv) {
  Options options;
  const char* problem = nullptr;
  for (int i = 1; i < argc && problem == nullptr; ++i) {
    const std::string_view arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--normal") {
      options.synchronous_full = false;
    } else if (!has_value) {
      problem = "unknown argument or missing value";
    } else if (arg == "--dir") {
      options.dir = argv[++i];
    } else if (arg == "--threads") {
      options.threads = std::atoi(argv[++i]);
    } else if (arg == "--seconds") {
      options.seconds = std::atof(argv[++i]);
    } else if (arg == "--group-commit") {
      options.group_commit = std::string_view(argv[++i]) != "0";
    } else {
      problem = "unknown argument";
    }
  }
  if (problem == nullptr && options.dir.empty()) problem = "--dir is required";
  if (problem == nullptr && (options.threads < 1 || options.seconds <= 0)) {
    problem = "bad --threads or --seconds";
  }
  if (problem != nullptr) {
    std::fprintf(stderr,
                 "linli_bench_store: %s\nusage: linli_bench_store --dir DIR [--threads N] "
                 "[--seconds S] [--group-commit 1|0] [--normal]\n",
                 problem);
    return std::nullopt;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  const auto parsed = Parse(argc, argv);
  if (!parsed) return 2;
  const Options& options = *parsed;
  namespace fs = std::filesystem;
  const fs::path path = fs::path(options.dir) /
                        (std::string("store-bench-") + (options.group_commit ? "group" : "single") +
                         "-" + std::to_string(options.threads) + ".db");
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);

  auto opened = linli::storage::OpenSqliteStore({.path = path.string(),
                                                 .synchronous_full = options.synchronous_full,
                                                 .reader_connections = 1,
                                                 .group_commit = options.group_commit});
  if (!opened) {
    std::fprintf(stderr, "open %s: %s\n", path.c_str(), opened.error().detail.c_str());
    return 1;
  }
  linli::storage::Store& store = **opened;
  auto created = store.Write([](linli::storage::Session& session) {
    return session.ExecuteScript(
        "CREATE TABLE bench_rows (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, "
        "seq INTEGER NOT NULL, payload TEXT NOT NULL)");
  });
  if (!created) {
    std::fprintf(stderr, "create table: %s\n", created.error().detail.c_str());
    return 1;
  }

  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
  std::atomic<long> jobs{0};
  std::atomic<long> errors{0};
  std::vector<std::thread> writers;
  writers.reserve(options.threads);
  for (int t = 0; t < options.threads; ++t) {
    writers.emplace_back([&, t] {
      while (!go.load(std::memory_order_acquire)) std::this_thread::yield();
      long done = 0;
      long failed = 0;
      for (std::int64_t seq = 0; !stop.load(std::memory_order_relaxed); ++seq) {
        auto status = store.Write([&](linli::storage::Session& session) -> linli::Status {
          LINLI_TRY(
              session.Execute("INSERT INTO bench_rows (writer, seq, payload) VALUES ($1, $2, $3)",
                              {std::int64_t{t}, seq, std::string("邻里 bench row")}));
          return linli::Ok();
        });
        if (status) {
          ++done;
        } else {
          ++failed;
        }
      }
      jobs.fetch_add(done);
      errors.fetch_add(failed);
    });
  }
  const auto started = Clock::now();
  go.store(true, std::memory_order_release);
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  stop.store(true);
  for (auto& writer : writers) writer.join();
  // Jobs still in flight when stop was set finish (durably) before join returns: count them
  // and the time they took.
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();

  long rows = -1;
  (void)store.Read([&](linli::storage::Session& session) -> linli::Status {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT COUNT(*) FROM bench_rows"));
    rows = row ? static_cast<long>(row->Int(0)) : -1;
    return linli::Ok();
  });
  opened->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path.string() + suffix);

  std::printf(
      "store_write group_commit=%d synchronous=%s threads=%d seconds=%.3f jobs=%ld errors=%ld "
      "rows=%ld jobs_per_s=%.1f\n",
      options.group_commit ? 1 : 0, options.synchronous_full ? "FULL" : "NORMAL", options.threads,
      elapsed, jobs.load(), errors.load(), rows, static_cast<double>(jobs.load()) / elapsed);
  return rows == jobs.load() && errors.load() == 0 ? 0 : 1;
}
