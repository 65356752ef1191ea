#include "tickets/schedule.hpp"

#include <spdlog/spdlog.h>

namespace linli::tickets {

void RegisterJobs(jobs::Scheduler& scheduler, TicketsService& service) {
  scheduler.Every("tickets.sla", kSlaJobInterval, [&service](std::int64_t now_s) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto report, service.RunSla(now_s));
    if (report.warned > 0 || report.breached > 0) {
      spdlog::info(R"({{"msg":"ticket sla sweep","warned":{},"breached":{}}})", report.warned,
                   report.breached);
    }
    return Ok();
  });
}

}  // namespace linli::tickets
