#include "resources/schedule.hpp"

#include <spdlog/spdlog.h>

namespace linli::resources {

void RegisterJobs(jobs::Scheduler& scheduler, ResourcesService& service) {
  scheduler.Every(
      "resources.reconfirmation", kReconfirmationEvery, [&service](std::int64_t now_s) -> Status {
        LINLI_ASSIGN_OR_RETURN(auto report, service.RunReconfirmation(now_s));
        if (report.reminded + report.delisted_overdue + report.delisted_idle > 0) {
          spdlog::info(
              R"({{"msg":"resource reconfirmation","reminded":{},"delisted_overdue":{},"delisted_idle":{}}})",
              report.reminded, report.delisted_overdue, report.delisted_idle);
        }
        return Ok();
      });
  scheduler.Every("resources.prune_changes", kPruneEvery, [&service](std::int64_t now_s) {
    return service.PruneChangeLog(now_s, kChangeLogKeepS);
  });
  scheduler.EveryLocal("resources.index_sync", kIndexSyncEvery,
                       [&service](std::int64_t) { return service.SyncIndex(); });
}

}  // namespace linli::resources
