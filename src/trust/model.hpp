#pragma once
// The trust module's vocabulary: exchanges (what other modules report as finished), blind
// two-sided ratings, credit events and the credit score, the 社区资源大使 (community resource
// ambassador) level, reports of false listings, disputes with mediation, provider verification.
//
// The credit score is a pure function of a person's credit events in one community under a
// versioned rule set (CreditRules, documented in docs/trust.md): ScoreOf() replays the events
// oldest first from the base, clamping to [min, max] after each one, so a long good record
// cannot bank an unlimited reserve against later defaults.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linli::trust {

inline constexpr std::int64_t kSecondsPerDay = 24 * 3600;

// ---------------------------------------------------------------------------------------------
// Exchanges

enum class Source : std::uint8_t { kBooking, kLoan, kService, kTicket };
enum class Outcome : std::uint8_t { kCompleted, kNoShow, kReturnedOnTime, kReturnedLate };

std::string_view SourceName(Source source);
std::optional<Source> ParseSource(std::string_view name);
std::string_view OutcomeName(Outcome outcome);
std::optional<Outcome> ParseOutcome(std::string_view name);

// What another module reports when an exchange ends (see TrustService::RecordExchange).
struct ExchangeRecord {
  std::int64_t community_id = 0;
  Source source = Source::kBooking;
  std::int64_t source_id = 0;  // the booking/loan/service/ticket id; unique per source
  std::optional<std::int64_t> card_id;
  std::int64_t provider_user_id = 0;
  std::int64_t consumer_user_id = 0;
  std::int64_t completed_at_s = 0;  // epoch seconds UTC
  Outcome outcome = Outcome::kCompleted;
};

struct Exchange {
  std::int64_t id = 0;
  ExchangeRecord record;
  std::int64_t review_ends_at = 0;  // ratings are published at the latest then
  std::optional<std::int64_t> published_at;
  std::int64_t created_at = 0;
};

// ---------------------------------------------------------------------------------------------
// Ratings: one slot per side of an exchange. Hidden from everyone but its rater until both
// sides rated or the review window ended; then both are published together.

enum class Side : std::uint8_t { kProvider, kConsumer };
std::string_view SideName(Side side);

struct Rating {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t exchange_id = 0;
  std::int64_t rater_user_id = 0;
  std::int64_t ratee_user_id = 0;
  Side rater_side = Side::kConsumer;
  std::optional<std::int64_t> stars;  // 1..5; nullopt until given
  std::string comment;
  std::optional<std::int64_t> rated_at;
  std::optional<std::int64_t> published_at;
  std::int64_t review_ends_at = 0;
  // Exchange facts the UI shows with a slot.
  Source source = Source::kBooking;
  std::optional<std::int64_t> card_id;
  std::int64_t completed_at = 0;
  std::string ratee_name;  // display name of the person rated
};

// A rating is public once published or once its window has ended (the publishing job may lag).
bool IsPublic(const Rating& rating, std::int64_t now_s);

// ---------------------------------------------------------------------------------------------
// Credit

enum class CreditKind : std::uint8_t {
  kOnTime,           // consumer returned / showed up on time
  kNoShow,           // consumer did not show up                  (default)
  kLateReturn,       // consumer returned late                    (default)
  kRatingGood,       // received a 5-star rating
  kRatingPoor,       // received a 1- or 2-star rating
  kDisputeUpheld,    // at fault in a dispute resolved by compensation or return (default)
  kCreditDeduction,  // at fault in a dispute resolved by a credit deduction of `amount` (default)
  kReportUpheld,     // owner of a listing a report showed to be false (default)
};
std::string_view CreditKindName(CreditKind kind);
std::optional<CreditKind> ParseCreditKind(std::string_view name);
// Kinds that break an ambassador's clean record.
bool IsDefault(CreditKind kind);

struct CreditEvent {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;
  CreditKind kind = CreditKind::kOnTime;
  std::int64_t amount = 0;  // only kCreditDeduction: the points deducted (> 0)
  std::string source_type;  // "exchange", "rating", "dispute", "report"
  std::int64_t source_id = 0;
  std::int64_t at = 0;  // epoch seconds UTC
};

struct CreditRules {
  int version = 1;
  std::int64_t base = 80;
  std::int64_t min = 0;
  std::int64_t max = 100;
  std::int64_t on_time = 2;
  std::int64_t no_show = -10;
  std::int64_t late_return = -5;
  std::int64_t rating_good = 1;
  std::int64_t rating_poor = -2;
  std::int64_t dispute_upheld = -15;
  std::int64_t report_upheld = -10;
  std::int64_t credit_deduction_max = 50;  // the most one deduction may take
  std::int64_t ambassador_days = 90;       // active at least this long, no default within it
};

// The rules in force.
const CreditRules& CurrentRules();

// The change one event makes under `rules` (before clamping).
std::int64_t DeltaOf(const CreditEvent& event, const CreditRules& rules);

// Replays events (any order; sorted here by (at, id)) from rules.base, clamping after each.
std::int64_t ScoreOf(std::vector<CreditEvent> events, const CreditRules& rules);

enum class Level : std::uint8_t { kLow, kFair, kGood, kExcellent };
std::string_view LevelName(Level level);
// ≥ 90 excellent, ≥ 75 good, ≥ 60 fair, else low.
Level LevelOf(std::int64_t score);

struct Ambassador {
  bool active = false;
  std::optional<std::int64_t> since;  // when the current clean period reached its length
};

// 社区资源大使: the first exchange is at least `rules.ambassador_days` old and no default event
// happened in the last `rules.ambassador_days`. `since` is the later of (first exchange, last
// default) plus that length. Pure.
Ambassador AmbassadorOf(std::optional<std::int64_t> first_exchange_at,
                        const std::vector<CreditEvent>& events, std::int64_t now_s,
                        const CreditRules& rules);

struct CreditReport {
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;
  std::int64_t score = 0;
  Level level = Level::kGood;
  Ambassador ambassador;
  std::vector<CreditEvent> events;  // newest first (only for the person)
  bool events_truncated = false;
};

// What matching and profiles read about a person in one community.
struct TrustSummary {
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;
  std::int64_t rating_count = 0;  // published ratings received
  double rating_average = 0;      // 0 when there are none
  std::int64_t credit_score = 0;
  Level level = Level::kGood;
  Ambassador ambassador;
  bool verified = false;            // holds a current provider verification
  std::int64_t exchange_count = 0;  // exchanges as either party
};

// ---------------------------------------------------------------------------------------------
// Reports of false listings

enum class ReportCategory : std::uint8_t { kFake, kMisleading, kUnavailable, kProhibited, kOther };
enum class ReportStatus : std::uint8_t { kOpen, kUpheld, kDismissed };
std::string_view ReportCategoryName(ReportCategory category);
std::optional<ReportCategory> ParseReportCategory(std::string_view name);
std::string_view ReportStatusName(ReportStatus status);
std::optional<ReportStatus> ParseReportStatus(std::string_view name);

struct Report {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t card_id = 0;
  std::string card_title;  // a snapshot taken when the report was made
  std::optional<std::int64_t> card_owner_user_id;
  std::int64_t reporter_user_id = 0;
  ReportCategory category = ReportCategory::kFake;
  std::string text;
  ReportStatus status = ReportStatus::kOpen;
  std::optional<std::int64_t> decided_by;
  std::optional<std::int64_t> decided_at;
  std::string decision_reason;
  std::int64_t reward_points = 0;
  std::int64_t created_at = 0;
};

// What trust needs to know about a card being reported (from the resources module).
struct Listing {
  std::int64_t card_id = 0;
  std::int64_t community_id = 0;
  std::optional<std::int64_t> owner_user_id;
  std::string title;
};

// ---------------------------------------------------------------------------------------------
// Disputes
//
//   open ──take──▶ in_mediation ──resolve──▶ resolved (compensation | return | credit_deduction
//                                                       | dismissed)

enum class DisputeStatus : std::uint8_t { kOpen, kInMediation, kResolved };
enum class DisputeOutcome : std::uint8_t { kCompensation, kReturn, kCreditDeduction, kDismissed };
std::string_view DisputeStatusName(DisputeStatus status);
std::optional<DisputeStatus> ParseDisputeStatus(std::string_view name);
std::string_view DisputeOutcomeName(DisputeOutcome outcome);
std::optional<DisputeOutcome> ParseDisputeOutcome(std::string_view name);

enum class DisputeEventKind : std::uint8_t { kOpened, kTaken, kStatement, kNote, kResolved };
std::string_view DisputeEventKindName(DisputeEventKind kind);
std::optional<DisputeEventKind> ParseDisputeEventKind(std::string_view name);

struct DisputeEvent {
  std::int64_t id = 0;
  std::int64_t dispute_id = 0;
  std::int64_t actor_user_id = 0;
  DisputeEventKind kind = DisputeEventKind::kOpened;
  std::string text;
  bool internal = false;  // a mediator's note the parties do not see
  std::int64_t at = 0;
};

struct Dispute {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t exchange_id = 0;
  std::int64_t opened_by = 0;
  std::int64_t respondent_user_id = 0;
  std::string reason;
  DisputeStatus status = DisputeStatus::kOpen;
  std::optional<std::int64_t> mediator_user_id;
  std::optional<DisputeOutcome> outcome;
  std::optional<std::int64_t> at_fault_user_id;
  std::int64_t points = 0;  // compensation points or credit deducted
  std::string resolution;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> resolved_at;
  std::string opened_by_name;  // display names, for the queue and the timeline page
  std::string respondent_name;
  std::vector<DisputeEvent> timeline;  // filled by Get, filtered for the caller
};

// ---------------------------------------------------------------------------------------------
// Provider verification

enum class VerificationKind : std::uint8_t {
  kCertificate,
  kBackgroundCheck,
  kLicense,
  kHealthCertificate
};
std::string_view VerificationKindName(VerificationKind kind);
std::optional<VerificationKind> ParseVerificationKind(std::string_view name);

struct Verification {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;
  VerificationKind kind = VerificationKind::kCertificate;
  std::string issuer;
  std::optional<std::string> number;  // sealed at rest; only staff and the person see it
  std::optional<std::int64_t> valid_until;
  std::string note;
  std::int64_t recorded_by = 0;
  std::int64_t recorded_at = 0;
  std::optional<std::int64_t> revoked_at;
};

// Current: not revoked and not expired at `now_s`.
bool IsCurrent(const Verification& verification, std::int64_t now_s);

}  // namespace linli::trust
