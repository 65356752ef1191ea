#include "jobs/scheduler.hpp"

#include <gtest/gtest.h>

#include "support/temp_store.hpp"

namespace linli::jobs {
namespace {

class SchedulerTest : public ::testing::Test {
 protected:
  linli::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_ = linli::testing::OpenMigratedSqlite(dir_);
  ManualClock clock_{1'000'000};
};

TEST_F(SchedulerTest, RunsEachJobOncePerInterval) {
  Scheduler scheduler(*store_, clock_, "a");
  std::vector<std::int64_t> runs;
  scheduler.Every("reminders", std::chrono::seconds(60), [&](std::int64_t now) {
    runs.push_back(now);
    return Ok();
  });
  EXPECT_EQ(scheduler.RunDue(), 1);
  EXPECT_EQ(scheduler.RunDue(), 0);
  clock_.Advance(Seconds{59});
  EXPECT_EQ(scheduler.RunDue(), 0);
  clock_.Advance(Seconds{1});
  EXPECT_EQ(scheduler.RunDue(), 1);
  EXPECT_EQ(runs, (std::vector<std::int64_t>{1'000'000, 1'000'060}));
}

TEST_F(SchedulerTest, TwoProcessesShareOneCadence) {
  Scheduler a(*store_, clock_, "a"), b(*store_, clock_, "b");
  int count = 0;
  const auto job = [&](std::int64_t) {
    ++count;
    return Ok();
  };
  a.Every("delist", std::chrono::seconds(60), job);
  b.Every("delist", std::chrono::seconds(60), job);
  EXPECT_EQ(a.RunDue() + b.RunDue(), 1);
  clock_.Advance(Seconds{60});
  EXPECT_EQ(b.RunDue() + a.RunDue(), 1);
  EXPECT_EQ(count, 2);
}

TEST_F(SchedulerTest, AFailingJobDoesNotStopTheOthers) {
  Scheduler scheduler(*store_, clock_, "a");
  int ran = 0;
  scheduler.Every("broken", std::chrono::seconds(60), [](std::int64_t) -> Status {
    return Error{Errc::kInternal, "boom", ""};
  });
  scheduler.Every("fine", std::chrono::seconds(60), [&](std::int64_t) {
    ++ran;
    return Ok();
  });
  EXPECT_EQ(scheduler.RunDue(), 2);
  EXPECT_EQ(ran, 1);
}

TEST_F(SchedulerTest, LocalJobsRunInEveryProcessWithoutALease) {
  Scheduler a(*store_, clock_, "a"), b(*store_, clock_, "b");
  int count = 0;
  const auto job = [&](std::int64_t now) {
    EXPECT_EQ(now, 1'000'000);
    ++count;
    return Ok();
  };
  a.EveryLocal("index_sync", std::chrono::hours(1), job);
  b.EveryLocal("index_sync", std::chrono::hours(1), job);
  EXPECT_EQ(a.RunLocalDue() + b.RunLocalDue(), 2);  // each process runs its own at once
  EXPECT_EQ(a.RunLocalDue() + b.RunLocalDue(), 0);  // then waits for its interval
  EXPECT_EQ(a.RunDue(), 0);                         // leased jobs are separate
  EXPECT_EQ(count, 2);
}

}  // namespace
}  // namespace linli::jobs
