#pragma once
// Property services' periodic work, registered on the process's scheduler.
#include "jobs/scheduler.hpp"
#include "property/service.hpp"

namespace linli::property {

inline constexpr std::chrono::seconds kAlertFanoutEvery{30};

// Leased (one process): delivers alert batches a publishing request did not finish.
void RegisterJobs(jobs::Scheduler& scheduler, PropertyService& service);

}  // namespace linli::property
