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

// Resources (resource cards, photos, CSV import, the market search)
inline constexpr std::size_t kResourceTitleBytesMax = 120;
inline constexpr std::size_t kResourceDescriptionBytesMax = 4000;
inline constexpr std::size_t kResourceShortTextBytesMax = 200;  // open hours, skill, price unit
inline constexpr std::size_t kResourceTagsMax = 16;             // also facilities and skills
inline constexpr std::size_t kResourceTagBytesMax = 48;
inline constexpr std::int64_t kResourceCountMax = 100000;  // capacity, quantity, team size
inline constexpr std::int64_t kResourcePriceFenMax = 100'000'000;
inline constexpr std::int64_t kResourcePointsMax = 1'000'000;
inline constexpr std::size_t kResourcePhotoBytesMax = 5 * 1024 * 1024;
inline constexpr std::size_t kResourcePhotosPerCardMax = 9;
inline constexpr std::size_t kReviewReasonBytesMax = 500;
inline constexpr std::size_t kCsvImportBytesMax = 4 * 1024 * 1024;
inline constexpr std::size_t kCsvImportRowsMax = 5000;
inline constexpr std::size_t kCsvFieldBytesMax = 8 * 1024;
inline constexpr std::size_t kCsvErrorsReportedMax = 200;  // the rest are only counted
inline constexpr std::size_t kSearchTextBytesMax = 200;
inline constexpr int kSearchOffsetMax = 10000;
inline constexpr double kSearchRadiusMMax = 50'000;
inline constexpr std::size_t kIndexChangesPerPollMax = 1000;
inline constexpr std::size_t kResourceJobBatchMax = 500;  // cards per reminder/delist transaction
// Synthetic cards per multi-row INSERT: SQLite binds $n parameters by name, a linear lookup
// each, so a statement's cost grows with the square of its parameters (38 per card); a few
// rows per statement amortise the per-statement work without that cost (measured).
inline constexpr std::size_t kSeedInsertBatchRows = 8;

}  // namespace linli::limits
