#pragma once
// Trust's periodic work, registered on the process's scheduler.
#include "jobs/scheduler.hpp"
#include "trust/service.hpp"

namespace linli::trust {

// Ratings are public on read as soon as a window ends; the job makes it final (published_at,
// the rating credit events, the "published" notifications) soon after.
inline constexpr std::chrono::seconds kPublishRatingsEvery{5 * 60};

// Leased (one process): publishing ratings whose review window ended.
void RegisterJobs(jobs::Scheduler& scheduler, TrustService& service);

}  // namespace linli::trust
