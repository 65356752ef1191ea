#include "booking/schedule.hpp"

#include <spdlog/spdlog.h>

namespace linli::booking {

void RegisterJobs(jobs::Scheduler& scheduler, BookingService& service) {
  scheduler.Every("booking.jobs", kBookingJobsEvery, [&service](std::int64_t now_s) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto r, service.RunJobs(now_s));
    if (r.no_shows + r.holds_expired + r.reminded + r.overdue + r.auto_completed > 0) {
      spdlog::info(
          R"({{"msg":"booking jobs","no_shows":{},"holds_expired":{},"reminded":{},"overdue":{},"auto_completed":{}}})",
          r.no_shows, r.holds_expired, r.reminded, r.overdue, r.auto_completed);
    }
    return Ok();
  });
}

}  // namespace linli::booking
