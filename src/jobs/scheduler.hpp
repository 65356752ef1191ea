#pragma once
// Periodic jobs (reminders, auto-delisting, expiries). Each job runs at most once per interval
// across all processes sharing the database: a job_leases row is claimed with one atomic
// UPDATE, so on PostgreSQL only one node runs it, and on SQLite the single writer decides.
// Job functions receive the clock's "now" and must be safe to run late or twice in a row.
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

  // Claims and runs every job whose interval has passed; returns how many ran. Errors of one
  // job are logged and do not stop the others. Used by the background thread and by tests.
  int RunDue();

  // A background thread that calls RunDue() every tick until Stop().
  void Start(std::chrono::milliseconds tick = std::chrono::seconds(5));
  void Stop();

 private:
  struct Job {
    std::string name;
    std::chrono::seconds interval;
    JobFn fn;
  };
  Result<bool> Claim(const Job& job, std::int64_t now_s);

  storage::Store& store_;
  const Clock& clock_;
  std::string holder_;
  std::vector<Job> jobs_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace linli::jobs
