#pragma once
// Periodic jobs (reminders, auto-delisting, expiries). Each job runs at most once per interval
// across all processes sharing the database: a job_leases row is claimed with one atomic
// UPDATE, so on PostgreSQL only one node runs it, and on SQLite the single writer decides.
// Job functions receive the clock's "now" and must be safe to run late or twice in a row.
// Local jobs (EveryLocal) are the exception: they run in every process, unleased, timed by the
// process's steady clock — for per-process state such as an in-memory index that follows a
// change-log table.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "storage/store.hpp"

namespace linli::jobs {

using JobFn = std::function<Status(std::int64_t now_s)>;

class Scheduler {
 public:
  Scheduler(storage::Store& store, const Clock& clock, std::string holder)
      : store_(store), clock_(clock), holder_(std::move(holder)) {}
  ~Scheduler() { Stop(); }
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Registers a job; call before Start().
  void Every(std::string name, std::chrono::seconds interval, JobFn fn);

  // Registers a per-process job that runs in every process every `interval` (first run at
  // once), without a lease; call before Start().
  void EveryLocal(std::string name, std::chrono::milliseconds interval, JobFn fn);

  // Claims and runs every job whose interval has passed; returns how many ran. Errors of one
  // job are logged and do not stop the others. Used by the background thread and by tests.
  int RunDue();
  // Runs the local jobs whose interval has passed on the steady clock; returns how many ran.
  int RunLocalDue();

  // A background thread that calls RunDue() every tick and each local job on its own interval,
  // until Stop().
  void Start(std::chrono::milliseconds tick = std::chrono::seconds(5));
  void Stop();

 private:
  struct Job {
    std::string name;
    std::chrono::seconds interval;
    JobFn fn;
  };
  struct LocalJob {
    std::string name;
    std::chrono::milliseconds interval;
    JobFn fn;
    std::chrono::steady_clock::time_point next_run{};  // the epoch: due at once
  };
  Result<bool> Claim(const Job& job, std::int64_t now_s);
  void RunGuarded(const std::string& name, const JobFn& fn, std::int64_t now_s);
  std::chrono::steady_clock::time_point NextLocalRun() const;

  storage::Store& store_;
  const Clock& clock_;
  std::string holder_;
  std::vector<Job> jobs_;
  std::vector<LocalJob> local_jobs_;  // touched only by the scheduler thread (or a test)
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace linli::jobs
