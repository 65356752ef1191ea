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

// Tickets (诉求与报修)
inline constexpr std::size_t kTicketTitleBytesMax = 120;
inline constexpr std::size_t kTicketDescriptionBytesMax = 4000;
inline constexpr std::size_t kTicketNoteBytesMax = 2000;
inline constexpr std::size_t kTicketShortTextBytesMax = 200;  // unit label, address, department
inline constexpr std::size_t kTicketPhotoBytesMax = 5 * 1024 * 1024;
inline constexpr std::size_t kTicketPhotosMax = 9;
inline constexpr std::size_t kTicketRulesMax = 500;         // routing rules per community
inline constexpr std::size_t kTicketCalendarDaysMax = 200;  // overrides per year
inline constexpr int kTicketCalendarScanDaysMax = 3660;     // deadline arithmetic bound
inline constexpr int kTicketTrackLookupsPerWindow = 30;     // per client address
inline constexpr int kTicketTrackWindowS = 60;
inline constexpr std::size_t kTicketTrackClientsMax = 100000;  // limiter memory bound
inline constexpr std::size_t kTicketJobBatchMax = 500;         // tickets per SLA job transaction
inline constexpr std::size_t kTicketStepsMax = 500;            // history shown per ticket
inline constexpr int kTicketSeedBatchRows = 8;                 // see kSeedInsertBatchRows

// Booking and loans
inline constexpr std::int64_t kBookingCapacityMax = 1000;             // slot units per card
inline constexpr std::int64_t kBookingDurationSMax = 90 * 24 * 3600;  // also loans
inline constexpr std::int64_t kBookingBufferSMax = 24 * 3600;
inline constexpr std::int64_t kBookingHorizonSMax = 366 * 24 * 3600;  // how far ahead
inline constexpr std::size_t kBookingWindowsMax = 64;
inline constexpr std::size_t kBookingBlackoutsMax = 200;
inline constexpr std::size_t kBookingNoteBytesMax = 500;
// Idempotency-Key header, shared by every module that books or moves points or money.
inline constexpr std::size_t kIdempotencyKeyBytesMax = 128;
inline constexpr std::int64_t kBookingRangeSMax = 62 * 24 * 3600;  // free/busy, search range
inline constexpr std::int64_t kWaitlistHoldS = 15 * 60;            // a freed slot is held
inline constexpr std::size_t kBookingJobBatchMax = 200;            // per job transaction
inline constexpr std::size_t kWaitlistPerUserMax = 20;
inline constexpr std::size_t kParkingSearchCardsMax = 200;
inline constexpr std::size_t kCalendarEventsMax = 1000;
inline constexpr int kBookingWriteAttemptsMax = 4;  // a lost race on PostgreSQL is re-checked
// An unreturned overdue loan keeps its unit blocked at least this far ahead (the job re-extends).
inline constexpr std::int64_t kOverdueLoanBlockS = 24 * 3600;

// Ledger (points bank / time bank)
inline constexpr std::int64_t kLedgerAmountMax = 1'000'000'000;  // points or minutes per transfer
inline constexpr std::size_t kLedgerLinkedTransfersMax = 16;     // transfers per linked request
inline constexpr std::size_t kLedgerMemoBytesMax = 200;
inline constexpr std::size_t kLedgerCodeBytesMax = 48;  // a transfer's purpose code
inline constexpr std::size_t kLedgerRuleCodeBytesMax = 32;
inline constexpr std::size_t kLedgerIdempotencyKeyBytesMax = 128;
inline constexpr std::int64_t kLedgerHoldTimeoutSMax = 366LL * 24 * 3600;
inline constexpr std::size_t kLedgerExpiryBatchMax = 500;  // holds per expiry transaction
inline constexpr std::int64_t kLedgerRuleAmountMax = 1'000'000;
inline constexpr std::int64_t kLedgerFactorPermilleMax = 10'000;  // ×10 at most
inline constexpr std::size_t kLedgerFactorsMax = 16;              // names per valuation table
inline constexpr std::size_t kLedgerEarningRulesMax = 32;
inline constexpr std::int64_t kLedgerQuantityMax = 100'000;    // units (minutes) per earning
inline constexpr std::int64_t kLedgerFenMax = 10'000'000'000;  // one donation: 1 亿 yuan
inline constexpr std::size_t kLedgerStatementCsvRowsMax = 20'000;

// Property services (visitor passes, bills, announcements)
inline constexpr std::size_t kPassTokenBytesMax = 256;  // "LP1." + base64url of ~67 bytes
inline constexpr std::size_t kVisitorLabelBytesMax = 32;
inline constexpr std::size_t kVisitorPhoneBytesMax = 24;
inline constexpr std::size_t kPassPurposeBytesMax = 100;
inline constexpr std::int64_t kPassWindowSMax = 7 * 24 * 3600;    // the longest pass
inline constexpr std::int64_t kPassAdvanceSMax = 30 * 24 * 3600;  // how far ahead it may start
inline constexpr std::int64_t kPassBackdateSMax = 10 * 60;        // a start a little in the past
inline constexpr std::int64_t kPassWindowUsesDefault = 20;
inline constexpr std::int64_t kPassUsesMax = 50;
inline constexpr int kPassCodeAttemptsMax = 8;  // fresh codes tried when one is taken
inline constexpr std::size_t kGateLabelBytesMax = 40;
inline constexpr std::size_t kBillPeriodBytesMax = 16;
inline constexpr std::size_t kBillTitleBytesMax = 80;
inline constexpr std::int64_t kBillAmountFenMax = 100'000'000;  // one million yuan
inline constexpr std::size_t kBillBatchHouseholdsMax = 20000;
inline constexpr std::size_t kPaymentReferenceBytesMax = 64;
inline constexpr std::size_t kArrearsBillsMax = 2000;  // listed; totals count every bill
inline constexpr std::size_t kAnnouncementTitleBytesMax = 120;
inline constexpr std::size_t kAnnouncementBodyBytesMax = 8000;
inline constexpr std::size_t kAnnouncementTargetsMax = 100;
inline constexpr std::size_t kAnnouncementPinnedMax = 20;
inline constexpr int kAlertFanoutBatch = 500;  // inbox rows per write transaction

// Trust (ratings, credit, reports, disputes, verification)
inline constexpr std::size_t kRatingCommentBytesMax = 500;
inline constexpr std::size_t kReportTextBytesMax = 1000;
inline constexpr std::size_t kTrustReasonBytesMax = 1000;  // decisions, resolutions, disputes
inline constexpr std::size_t kDisputeNoteBytesMax = 2000;
inline constexpr std::size_t kDisputeEventsMax = 200;  // timeline entries per dispute
inline constexpr std::int64_t kCompensationPointsMax = 100'000;
inline constexpr std::size_t kVerificationFieldBytesMax = 120;  // issuer, number
inline constexpr std::size_t kVerificationNoteBytesMax = 500;
inline constexpr std::size_t kCreditEventsShownMax = 200;  // history lines in one response
inline constexpr int kTrustPublishBatchMax = 500;          // exchanges per publishing transaction

}  // namespace linli::limits
