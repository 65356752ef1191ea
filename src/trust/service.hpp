#pragma once
// Use cases of trust: exchanges, blind ratings, the credit score and ambassador level, reports
// of false listings, disputes with mediation and provider verification. Every method
// authorises its caller; "not yours" is the same not_found as "missing". Writes append to the
// audit log (ids, kinds and counts only — never comments, reasons or numbers) and notify the
// people concerned, in the same transaction.
//
// Who may do what (in the community of the record):
//   - a party of an exchange: rates the other party (once), opens a dispute within the dispute
//     window, adds statements to it and reads its timeline (without mediators' internal notes);
//   - every signed-in person: reports a listing they can see; reads published ratings and the
//     summary of members of their communities; their own credit history;
//   - staff (committee, admin, grid_worker, property_staff): read a member's credit score
//     (not the history) and verifications; record offline exchanges (not property_staff);
//   - mediators (committee, admin, grid_worker): take, annotate and resolve disputes they are
//     not a party of (422 self_mediation);
//   - report reviewers (committee, admin): decide reports, not about their own card
//     (422 self_review);
//   - verifiers (committee, admin, property_staff): record and revoke verifications.
// A person "acts" as actor.acting_for when a guide assists them, else as actor.user_id.
//
// Error reasons: unauthenticated (401), forbidden (403), not_found (404), invalid_field (400),
// already_rated (409), already_reported (409), dispute_exists (409), illegal_transition (409),
// exchange_mismatch (409), review_closed (422), dispute_window_closed (422), self_report (422),
// self_review (422), self_mediation (422), not_member (422), too_many_notes (422),
// points_unavailable (422, no points ledger wired), listings_unavailable (503).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"
#include "notify/service.hpp"
#include "storage/store.hpp"
#include "trust/model.hpp"
#include "trust/repo.hpp"

namespace linli::trust {

// Moves points through the ledger inside the caller's transaction. `key` is unique per
// movement ("trust.report.<id>.reward", "trust.dispute.<id>.compensation") so a retried
// transaction never moves points twice. Implemented by an adapter over the ledger (app/).
class PointsPort {
 public:
  virtual ~PointsPort() = default;
  // Credits `points` (> 0) to the user from the community's reward pool.
  virtual Status Reward(storage::Session& session, std::int64_t community_id, std::int64_t user_id,
                        std::int64_t points, std::string_view key) = 0;
  // Moves `points` (> 0) from one user to another (a dispute's compensation).
  virtual Status Compensate(storage::Session& session, std::int64_t community_id,
                            std::int64_t from_user_id, std::int64_t to_user_id, std::int64_t points,
                            std::string_view key) = 0;
};

// The card a report is about, as the caller may see it (404 not_found when they may not).
// Runs outside any transaction (the resources module opens its own).
using ListingLookup = std::function<Result<Listing>(const Actor& actor, std::int64_t card_id)>;

struct TrustOptions {
  std::int64_t review_window_s = 14 * kSecondsPerDay;   // ratings published at the latest then
  std::int64_t dispute_window_s = 30 * kSecondsPerDay;  // after completion, disputes may open
  std::int64_t report_reward_points = 20;               // to the reporter of an upheld report
};

// One exchange as a party sees it.
struct ExchangeView {
  Exchange exchange;
  std::string provider_name;
  std::string consumer_name;
  Side my_side = Side::kConsumer;
  std::optional<Rating> my_rating;     // my slot (given or still open)
  std::optional<Rating> their_rating;  // only once public and given
};

struct ReportInput {
  std::int64_t card_id = 0;
  ReportCategory category = ReportCategory::kFake;
  std::string text;
};

struct Resolution {
  DisputeOutcome outcome = DisputeOutcome::kDismissed;
  std::optional<std::int64_t> at_fault_user_id;  // required unless dismissed
  std::int64_t points = 0;                       // compensation points, or the credit deducted
  std::string text;                              // the written resolution, shown to both parties
};

struct VerificationInput {
  std::int64_t community_id = 0;  // 0: the caller's current community
  std::int64_t user_id = 0;
  VerificationKind kind = VerificationKind::kCertificate;
  std::string issuer;
  std::optional<std::string> number;  // sealed at rest
  std::optional<std::int64_t> valid_until;
  std::string note;
};

// A summary with what the caller may see of it.
struct SummaryView {
  TrustSummary summary;
  bool credit_visible = false;  // the person themself or staff
};

bool IsStaff(const Actor& actor, std::int64_t community_id);
bool IsMediator(const Actor& actor, std::int64_t community_id);
bool IsReportReviewer(const Actor& actor, std::int64_t community_id);
bool IsVerifier(const Actor& actor, std::int64_t community_id);

class TrustService {
 public:
  // `keys` seals verification numbers and must outlive the service.
  TrustService(storage::Store& store, const audit::AuditService& audit,
               const notify::NotifyService& notify, const Clock& clock, Random& random,
               const crypto::KeyRing& keys, TrustOptions options = {});

  // Wiring, before requests are served (not thread-safe). Without a points port outcomes that
  // move points answer 422 points_unavailable; without a listing lookup reports answer 503.
  void SetPointsPort(PointsPort* points) { points_ = points; }
  void SetListingLookup(ListingLookup lookup) { listings_ = std::move(lookup); }
  const TrustOptions& options() const { return options_; }
  const Clock& clock() const { return clock_; }

  // --- Exchanges ---------------------------------------------------------------------------
  // Called by other modules inside their own transaction when an exchange ends: opens the
  // rating slots (both sides; only the provider's after a no-show) and records the credit
  // event of the outcome. Idempotent per (community, source, source_id): a repeat with the
  // same facts is Ok, with different facts 409 exchange_mismatch. 400 invalid_field for a bad
  // record (provider = consumer, ids ≤ 0).
  Status RecordExchange(storage::Session& session, const ExchangeRecord& record) const;
  // Staff recording an exchange done offline (a ticket or service); both people must be
  // members of the community (422 not_member).
  Result<ExchangeView> RecordExchangeAs(const Actor& actor, const ExchangeRecord& record);
  Result<Page<ExchangeView>> MyExchanges(const Actor& actor, const PageRequest& page);
  Result<ExchangeView> GetExchange(const Actor& actor, std::int64_t exchange_id);

  // --- Ratings ----------------------------------------------------------------------------
  // The caller's open slots (not rated, window open), newest first.
  Result<Page<Rating>> PendingRatings(const Actor& actor, const PageRequest& page);
  // Fills the caller's slot: 1..5 stars, comment ≤ kRatingCommentBytesMax. When every slot of
  // the exchange is filled, all of them are published at once. 409 already_rated, 422
  // review_closed (published or window ended).
  Result<Rating> Rate(const Actor& actor, std::int64_t rating_id, std::int64_t stars,
                      const std::string& comment);
  // Ratings the caller gave (their own, published or not).
  Result<Page<Rating>> RatingsGiven(const Actor& actor, const PageRequest& page);
  // Public ratings a member of the caller's community received.
  Result<Page<Rating>> RatingsReceived(const Actor& actor, std::int64_t community_id,
                                       std::int64_t user_id, const PageRequest& page);
  // The job: publishes exchanges whose window ended by `now_s` (a batch); returns how many.
  Result<int> PublishDue(std::int64_t now_s);

  // --- Credit and summary -------------------------------------------------------------------
  // The caller's score, level, ambassador state and history (newest first) in the community
  // (0: the current one).
  Result<CreditReport> MyCredit(const Actor& actor, std::int64_t community_id);
  // A member's score (no history): staff of the community, or the person.
  Result<CreditReport> CreditOf(const Actor& actor, std::int64_t community_id,
                                std::int64_t user_id);
  // For matching and profiles: no caller, no authorisation (a read of public facts plus the
  // score, which callers must not show to others). Thread-safe.
  Result<TrustSummary> Summary(std::int64_t community_id, std::int64_t user_id) const;
  // The summary of a member of a community the caller belongs to.
  Result<SummaryView> SummaryFor(const Actor& actor, std::int64_t community_id,
                                 std::int64_t user_id);

  // --- Reports of false listings -------------------------------------------------------------
  Result<Report> OpenReport(const Actor& actor, const ReportInput& input);
  Result<Page<Report>> MyReports(const Actor& actor, const PageRequest& page);
  Result<Page<Report>> ReportQueue(const Actor& actor, std::int64_t community_id,
                                   std::optional<ReportStatus> status, const PageRequest& page);
  Result<Report> GetReport(const Actor& actor, std::int64_t report_id);
  // Upheld: the reporter gets options().report_reward_points (through the points port) and the
  // card's owner a report_upheld credit event. Reason required. 409 illegal_transition when
  // decided already.
  Result<Report> DecideReport(const Actor& actor, std::int64_t report_id, bool upheld,
                              const std::string& reason);

  // --- Disputes ----------------------------------------------------------------------------
  Result<Dispute> OpenDispute(const Actor& actor, std::int64_t exchange_id,
                              const std::string& reason);
  Result<Page<Dispute>> MyDisputes(const Actor& actor, const PageRequest& page);
  Result<Page<Dispute>> DisputeQueue(const Actor& actor, std::int64_t community_id,
                                     std::optional<DisputeStatus> status, const PageRequest& page);
  // With the timeline (internal notes only for mediators).
  Result<Dispute> GetDispute(const Actor& actor, std::int64_t dispute_id);
  // open → in_mediation, the caller becomes the mediator.
  Result<Dispute> TakeDispute(const Actor& actor, std::int64_t dispute_id);
  // A party's statement, or a mediator's note (internal: hidden from the parties).
  Result<Dispute> AddDisputeNote(const Actor& actor, std::int64_t dispute_id,
                                 const std::string& text, bool internal);
  // in_mediation → resolved. compensation: `points` (1..kCompensationPointsMax) move from the
  // party at fault to the other (points port); return: the goods go back; credit_deduction:
  // `points` (1..rules.credit_deduction_max) off the party at fault; dismissed: nothing.
  // Upheld outcomes add a credit event for the party at fault.
  Result<Dispute> ResolveDispute(const Actor& actor, std::int64_t dispute_id,
                                 const Resolution& resolution);

  // --- Provider verification -----------------------------------------------------------------
  Result<Verification> RecordVerification(const Actor& actor, const VerificationInput& input);
  // The person's records, numbers included: the person themself and staff.
  Result<std::vector<Verification>> Verifications(const Actor& actor, std::int64_t community_id,
                                                  std::int64_t user_id);
  Result<Verification> RevokeVerification(const Actor& actor, std::int64_t verification_id);

 private:
  Result<Exchange> RecordInSession(storage::Session& session, const Actor& actor,
                                   const ExchangeRecord& record) const;
  Status PublishInSession(storage::Session& session, const Exchange& exchange,
                          std::int64_t now_s) const;
  Result<ExchangeView> ViewOf(storage::Session& session, const repo::ExchangeRow& row,
                              std::int64_t user_id) const;
  Result<CreditReport> CreditIn(storage::Session& session, std::int64_t community_id,
                                std::int64_t user_id, bool with_events) const;
  Result<TrustSummary> SummaryIn(storage::Session& session, std::int64_t community_id,
                                 std::int64_t user_id) const;
  Result<Dispute> LoadDispute(storage::Session& session, const Actor& actor,
                              std::int64_t dispute_id, bool* mediator) const;
  Status DisputeStep(storage::Session& session, const Actor& actor, const Dispute& dispute,
                     DisputeEventKind kind, const std::string& text, bool internal,
                     std::string_view action) const;
  Status NotifyUser(storage::Session& session, std::int64_t community_id, std::int64_t user_id,
                    std::string kind, std::string title, std::string body, std::string data) const;
  Result<Verification> Unseal(const repo::VerificationRow& row) const;
  Result<std::int64_t> CommunityOf(const Actor& actor, std::int64_t community_id) const;

  storage::Store& store_;
  const audit::AuditService& audit_;
  const notify::NotifyService& notify_;
  const Clock& clock_;
  Random& random_;
  const crypto::KeyRing& keys_;
  TrustOptions options_;
  PointsPort* points_ = nullptr;
  ListingLookup listings_;
};

}  // namespace linli::trust
