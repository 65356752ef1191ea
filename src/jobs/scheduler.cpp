#include "jobs/scheduler.hpp"

#include <spdlog/spdlog.h>

namespace linli::jobs {

void Scheduler::Every(std::string name, std::chrono::seconds interval, JobFn fn) {
  jobs_.push_back(Job{std::move(name), interval, std::move(fn)});
}

Result<bool> Scheduler::Claim(const Job& job, std::int64_t now_s) {
  return store_.WriteValue([&](storage::Session& session) -> Result<bool> {
    LINLI_TRY(session.Execute(
        "INSERT INTO job_leases (name, holder, expires_at, last_run_at) VALUES ($1, $2, 0, NULL) "
        "ON CONFLICT (name) DO NOTHING",
        {job.name, holder_}));
    // One atomic UPDATE decides: the row lock (PostgreSQL) or the single writer (SQLite) lets
    // exactly one claimant see the interval as elapsed.
    LINLI_ASSIGN_OR_RETURN(
        auto claimed,
        session.Execute("UPDATE job_leases SET holder = $2, last_run_at = $3, expires_at = $3 + $4 "
                        "WHERE name = $1 AND COALESCE(last_run_at, 0) <= $3 - $4",
                        {job.name, holder_, now_s, std::int64_t{job.interval.count()}}));
    return claimed == 1;
  });
}

int Scheduler::RunDue() {
  int ran = 0;
  for (const auto& job : jobs_) {
    const std::int64_t now = clock_.NowEpochS();
    auto claimed = Claim(job, now);
    if (!claimed) {
      spdlog::warn(R"({{"msg":"job claim failed","job":"{}","reason":"{}"}})", job.name,
                   claimed.error().reason);
      continue;
    }
    if (!*claimed) continue;
    ++ran;
    try {
      if (auto status = job.fn(now); !status) {
        spdlog::error(R"({{"msg":"job failed","job":"{}","reason":"{}"}})", job.name,
                      status.error().reason);
      }
    } catch (const std::exception& exception) {
      spdlog::error(R"({{"msg":"job threw","job":"{}"}})", job.name);
    }
  }
  return ran;
}

void Scheduler::Start(std::chrono::milliseconds tick) {
  thread_ = std::thread([this, tick] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      RunDue();
      lock.lock();
      cv_.wait_for(lock, tick, [this] { return stopping_; });
    }
  });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace linli::jobs
