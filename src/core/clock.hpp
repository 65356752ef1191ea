#pragma once
// Time comes from an injected Clock so that tests and simulations are deterministic.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace linli {

using Seconds = std::chrono::seconds;
using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual TimePoint Now() const = 0;
  std::int64_t NowEpochS() const { return Now().time_since_epoch().count(); }
};

class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::time_point_cast<Seconds>(std::chrono::system_clock::now());
  }
};

// A clock that moves only when told to; thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t epoch_s = 1'790'000'000) : now_s_(epoch_s) {}
  TimePoint Now() const override { return TimePoint{Seconds{now_s_.load()}}; }
  void Set(std::int64_t epoch_s) { now_s_.store(epoch_s); }
  void Advance(Seconds by) { now_s_.fetch_add(by.count()); }

 private:
  std::atomic<std::int64_t> now_s_;
};

}  // namespace linli
