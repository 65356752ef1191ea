#include "trust/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace linli::trust {
namespace {

// Enum ↔ stable name tables; the names are stored and appear in the API.
template <class Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

template <class Enum, std::size_t N>
std::string_view NameIn(const Names<Enum, N>& names, Enum value) {
  for (const auto& [item, name] : names) {
    if (item == value) return name;
  }
  return "unknown";
}

template <class Enum, std::size_t N>
std::optional<Enum> ParseIn(const Names<Enum, N>& names, std::string_view text) {
  for (const auto& [item, name] : names) {
    if (name == text) return item;
  }
  return std::nullopt;
}

constexpr Names<Source, 4> kSources{{{Source::kBooking, "booking"},
                                     {Source::kLoan, "loan"},
                                     {Source::kService, "service"},
                                     {Source::kTicket, "ticket"}}};
constexpr Names<Outcome, 4> kOutcomes{{{Outcome::kCompleted, "completed"},
                                       {Outcome::kNoShow, "no_show"},
                                       {Outcome::kReturnedOnTime, "returned_on_time"},
                                       {Outcome::kReturnedLate, "returned_late"}}};
constexpr Names<CreditKind, 8> kCreditKinds{{{CreditKind::kOnTime, "on_time"},
                                             {CreditKind::kNoShow, "no_show"},
                                             {CreditKind::kLateReturn, "late_return"},
                                             {CreditKind::kRatingGood, "rating_good"},
                                             {CreditKind::kRatingPoor, "rating_poor"},
                                             {CreditKind::kDisputeUpheld, "dispute_upheld"},
                                             {CreditKind::kCreditDeduction, "credit_deduction"},
                                             {CreditKind::kReportUpheld, "report_upheld"}}};
constexpr Names<Level, 4> kLevels{{{Level::kLow, "low"},
                                   {Level::kFair, "fair"},
                                   {Level::kGood, "good"},
                                   {Level::kExcellent, "excellent"}}};
constexpr Names<ReportCategory, 5> kCategories{{{ReportCategory::kFake, "fake"},
                                                {ReportCategory::kMisleading, "misleading"},
                                                {ReportCategory::kUnavailable, "unavailable"},
                                                {ReportCategory::kProhibited, "prohibited"},
                                                {ReportCategory::kOther, "other"}}};
constexpr Names<ReportStatus, 3> kReportStatuses{{{ReportStatus::kOpen, "open"},
                                                  {ReportStatus::kUpheld, "upheld"},
                                                  {ReportStatus::kDismissed, "dismissed"}}};
constexpr Names<DisputeStatus, 3> kDisputeStatuses{{{DisputeStatus::kOpen, "open"},
                                                    {DisputeStatus::kInMediation, "in_mediation"},
                                                    {DisputeStatus::kResolved, "resolved"}}};
constexpr Names<DisputeOutcome, 4> kDisputeOutcomes{
    {{DisputeOutcome::kCompensation, "compensation"},
     {DisputeOutcome::kReturn, "return"},
     {DisputeOutcome::kCreditDeduction, "credit_deduction"},
     {DisputeOutcome::kDismissed, "dismissed"}}};
constexpr Names<DisputeEventKind, 5> kDisputeEventKinds{
    {{DisputeEventKind::kOpened, "opened"},
     {DisputeEventKind::kTaken, "taken"},
     {DisputeEventKind::kStatement, "statement"},
     {DisputeEventKind::kNote, "note"},
     {DisputeEventKind::kResolved, "resolved"}}};
constexpr Names<VerificationKind, 4> kVerificationKinds{
    {{VerificationKind::kCertificate, "certificate"},
     {VerificationKind::kBackgroundCheck, "background_check"},
     {VerificationKind::kLicense, "license"},
     {VerificationKind::kHealthCertificate, "health_certificate"}}};

}  // namespace

std::string_view SourceName(Source source) {
  return NameIn(kSources, source);
}
std::optional<Source> ParseSource(std::string_view name) {
  return ParseIn(kSources, name);
}
std::string_view OutcomeName(Outcome outcome) {
  return NameIn(kOutcomes, outcome);
}
std::optional<Outcome> ParseOutcome(std::string_view name) {
  return ParseIn(kOutcomes, name);
}
std::string_view SideName(Side side) {
  return side == Side::kProvider ? "provider" : "consumer";
}
std::string_view CreditKindName(CreditKind kind) {
  return NameIn(kCreditKinds, kind);
}
std::optional<CreditKind> ParseCreditKind(std::string_view name) {
  return ParseIn(kCreditKinds, name);
}
std::string_view LevelName(Level level) {
  return NameIn(kLevels, level);
}
std::string_view ReportCategoryName(ReportCategory category) {
  return NameIn(kCategories, category);
}
std::optional<ReportCategory> ParseReportCategory(std::string_view name) {
  return ParseIn(kCategories, name);
}
std::string_view ReportStatusName(ReportStatus status) {
  return NameIn(kReportStatuses, status);
}
std::optional<ReportStatus> ParseReportStatus(std::string_view name) {
  return ParseIn(kReportStatuses, name);
}
std::string_view DisputeStatusName(DisputeStatus status) {
  return NameIn(kDisputeStatuses, status);
}
std::optional<DisputeStatus> ParseDisputeStatus(std::string_view name) {
  return ParseIn(kDisputeStatuses, name);
}
std::string_view DisputeOutcomeName(DisputeOutcome outcome) {
  return NameIn(kDisputeOutcomes, outcome);
}
std::optional<DisputeOutcome> ParseDisputeOutcome(std::string_view name) {
  return ParseIn(kDisputeOutcomes, name);
}
std::string_view DisputeEventKindName(DisputeEventKind kind) {
  return NameIn(kDisputeEventKinds, kind);
}
std::optional<DisputeEventKind> ParseDisputeEventKind(std::string_view name) {
  return ParseIn(kDisputeEventKinds, name);
}
std::string_view VerificationKindName(VerificationKind kind) {
  return NameIn(kVerificationKinds, kind);
}
std::optional<VerificationKind> ParseVerificationKind(std::string_view name) {
  return ParseIn(kVerificationKinds, name);
}

bool IsPublic(const Rating& rating, std::int64_t now_s) {
  return rating.published_at.has_value() || rating.review_ends_at <= now_s;
}

bool IsDefault(CreditKind kind) {
  switch (kind) {
    case CreditKind::kNoShow:
    case CreditKind::kLateReturn:
    case CreditKind::kDisputeUpheld:
    case CreditKind::kCreditDeduction:
    case CreditKind::kReportUpheld: return true;
    case CreditKind::kOnTime:
    case CreditKind::kRatingGood:
    case CreditKind::kRatingPoor: return false;
  }
  return false;
}

const CreditRules& CurrentRules() {
  static const CreditRules kRules{};
  return kRules;
}

std::int64_t DeltaOf(const CreditEvent& event, const CreditRules& rules) {
  switch (event.kind) {
    case CreditKind::kOnTime: return rules.on_time;
    case CreditKind::kNoShow: return rules.no_show;
    case CreditKind::kLateReturn: return rules.late_return;
    case CreditKind::kRatingGood: return rules.rating_good;
    case CreditKind::kRatingPoor: return rules.rating_poor;
    case CreditKind::kDisputeUpheld: return rules.dispute_upheld;
    case CreditKind::kCreditDeduction:
      return -std::clamp<std::int64_t>(event.amount, 0, rules.credit_deduction_max);
    case CreditKind::kReportUpheld: return rules.report_upheld;
  }
  return 0;
}

std::int64_t ScoreOf(std::vector<CreditEvent> events, const CreditRules& rules) {
  std::sort(events.begin(), events.end(), [](const CreditEvent& a, const CreditEvent& b) {
    return a.at != b.at ? a.at < b.at : a.id < b.id;
  });
  std::int64_t score = rules.base;
  for (const auto& event : events) {
    score = std::clamp(score + DeltaOf(event, rules), rules.min, rules.max);
  }
  return score;
}

Level LevelOf(std::int64_t score) {
  if (score >= 90) return Level::kExcellent;
  if (score >= 75) return Level::kGood;
  if (score >= 60) return Level::kFair;
  return Level::kLow;
}

Ambassador AmbassadorOf(std::optional<std::int64_t> first_exchange_at,
                        const std::vector<CreditEvent>& events, std::int64_t now_s,
                        const CreditRules& rules) {
  if (!first_exchange_at) return {};
  const std::int64_t period_s = rules.ambassador_days * kSecondsPerDay;
  std::int64_t clean_from = *first_exchange_at;
  for (const auto& event : events) {
    if (IsDefault(event.kind) && event.at <= now_s) clean_from = std::max(clean_from, event.at);
  }
  const std::int64_t since = clean_from + period_s;
  if (since > now_s) return {};
  return Ambassador{true, since};
}

bool IsCurrent(const Verification& verification, std::int64_t now_s) {
  if (verification.revoked_at) return false;
  return !verification.valid_until || *verification.valid_until > now_s;
}

}  // namespace linli::trust
