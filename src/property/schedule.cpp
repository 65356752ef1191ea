#include "property/schedule.hpp"

namespace linli::property {

void RegisterJobs(jobs::Scheduler& scheduler, PropertyService& service) {
  scheduler.Every("property.alert_fanout", kAlertFanoutEvery, [&service](std::int64_t) -> Status {
    LINLI_TRY(service.RunAlertFanout());
    return Ok();
  });
}

}  // namespace linli::property
