#include "jobs/scheduler.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace linli::jobs {

void Scheduler::Every(std::string name, std::chrono::seconds interval, JobFn fn) {
  jobs_.push_back(Job{std::move(name), interval, std::move(fn)});
}

void Scheduler::EveryLocal(std::string name, std::chrono::milliseconds interval, JobFn fn) {
  local_jobs_.push_back(LocalJob{std::move(name), interval, std::move(fn)});
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
    RunGuarded(job.name, job.fn, now);
  }
  return ran;
}

void Scheduler::RunGuarded(const std::string& name, const JobFn& fn, std::int64_t now_s) {
  try {
    if (auto status = fn(now_s); !status) {
      spdlog::error(R"({{"msg":"job failed","job":"{}","reason":"{}"}})", name,
                    status.error().reason);
    }
  } catch (const std::exception& exception) {
    spdlog::error(R"({{"msg":"job threw","job":"{}"}})", name);
  }
}

int Scheduler::RunLocalDue() {
  int ran = 0;
  for (auto& job : local_jobs_) {
    const auto now = std::chrono::steady_clock::now();
    if (now < job.next_run) continue;
    // Scheduled from the start of this run: a slow run delays the next one instead of
    // queueing a burst of catch-up runs.
    job.next_run = now + job.interval;
    ++ran;
    RunGuarded(job.name, job.fn, clock_.NowEpochS());
  }
  return ran;
}

std::chrono::steady_clock::time_point Scheduler::NextLocalRun() const {
  auto next = std::chrono::steady_clock::time_point::max();
  for (const auto& job : local_jobs_) next = std::min(next, job.next_run);
  return next;
}

void Scheduler::Start(std::chrono::milliseconds tick) {
  thread_ = std::thread([this, tick] {
    auto next_leased = std::chrono::steady_clock::now();
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      if (std::chrono::steady_clock::now() >= next_leased) {
        RunDue();
        next_leased = std::chrono::steady_clock::now() + tick;
      }
      RunLocalDue();
      const auto wake = std::min(next_leased, NextLocalRun());
      lock.lock();
      cv_.wait_until(lock, wake, [this] { return stopping_; });
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
