#pragma once
// Every limit in one place (TigerBeetle style): size, queue and rate bounds are named here.
#include <cstddef>
#include <cstdint>

namespace linli::limits {

// HTTP
inline constexpr std::size_t kHeaderBytesMax = 8 * 1024;
inline constexpr std::size_t kJsonBodyBytesMax = 1024 * 1024;
inline constexpr std::size_t kUploadBodyBytesMax = 6 * 1024 * 1024;  // photos ≤ 5 MB + overhead
inline constexpr int kReadTimeoutS = 30;
inline constexpr int kIdleTimeoutS = 60;
inline constexpr std::size_t kPipelinedRequestsMax = 16;
inline constexpr std::size_t kWorkerQueueMax = 1024;  // beyond this requests get 503
inline constexpr std::size_t kPathParamsMax = 8;

// Pagination
inline constexpr int kPageSizeDefault = 20;
inline constexpr int kPageSizeMax = 100;

// Storage
inline constexpr std::size_t kWriteBatchJobsMax = 256;  // jobs per group commit
inline constexpr std::size_t kWriteQueueMax = 16384;    // pending write jobs before 503
inline constexpr int kPgWriteRetriesMax = 8;

// Accounts
inline constexpr int kLoginFailuresMax = 5;  // per account within the window, then 429
inline constexpr int kLoginWindowS = 15 * 60;
inline constexpr int kPasswordHashConcurrencyMax = 2;  // argon2id uses 19 MiB each
inline constexpr std::size_t kPasswordBytesMin = 8;
inline constexpr std::size_t kPasswordBytesMax = 256;
inline constexpr std::size_t kLoginBytesMax = 64;
inline constexpr std::size_t kDisplayNameBytesMax = 128;
inline constexpr int kSessionTouchIntervalS = 60;  // last-seen is refreshed at most this often

}  // namespace linli::limits
