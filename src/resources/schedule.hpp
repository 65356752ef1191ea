#pragma once
// The resource pool's periodic work, registered on the process's scheduler.
#include "jobs/scheduler.hpp"
#include "resources/service.hpp"

namespace linli::resources {

inline constexpr std::chrono::seconds kReconfirmationEvery{15 * 60};
inline constexpr std::chrono::seconds kPruneEvery{3600};
inline constexpr std::int64_t kChangeLogKeepS = 7 * 24 * 3600;  // far beyond any poll lag
inline constexpr std::chrono::milliseconds kIndexSyncEvery{1000};

// Leased (one process): reconfirmation reminders and auto-delisting; change-log pruning.
// Local (every process): following the change log into this process's search index.
void RegisterJobs(jobs::Scheduler& scheduler, ResourcesService& service);

}  // namespace linli::resources
