#pragma once
// The tickets module's periodic job: the SLA sweep (warnings before a breach, escalation on it).
#include "jobs/scheduler.hpp"
#include "tickets/service.hpp"

namespace linli::tickets {

inline constexpr std::chrono::seconds kSlaJobInterval{60};

void RegisterJobs(jobs::Scheduler& scheduler, TicketsService& service);

}  // namespace linli::tickets
