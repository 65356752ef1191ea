#pragma once
// SQL of the trust module; portable across SQLite and PostgreSQL. Owns the tables of migration
// 0009_trust. Reads (never writes) users.display_name for names shown with ratings and
// disputes, and memberships to check that a person belongs to a community.
//
// Lists are newest first: PageRequest::after is the last id of the previous page.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"
#include "storage/store.hpp"
#include "trust/model.hpp"

namespace linli::trust::repo {

using storage::Session;

// The sealed verification number's owner table and field (associated data: never rename).
inline constexpr std::string_view kVerificationsTable = "trust_verifications";
inline constexpr std::string_view kNumberField = "number";

Result<bool> IsMember(Session& s, std::int64_t community_id, std::int64_t user_id);

// Exchanges ---------------------------------------------------------------------------------
Result<std::optional<Exchange>> FindExchange(Session& s, std::int64_t exchange_id);
Result<std::optional<Exchange>> FindExchangeBySource(Session& s, std::int64_t community_id,
                                                     Source source, std::int64_t source_id);
// nullopt when an exchange with the same (community, source, source_id) exists already.
Result<std::optional<std::int64_t>> InsertExchange(Session& s, const ExchangeRecord& record,
                                                   std::int64_t review_ends_at, std::int64_t now_s);
struct ExchangeRow {
  Exchange exchange;
  std::string provider_name;
  std::string consumer_name;
};
// Exchanges where the user is either party, in every community.
Result<Page<ExchangeRow>> ExchangesOfUser(Session& s, std::int64_t user_id,
                                          const PageRequest& page);
Result<std::optional<ExchangeRow>> FindExchangeRow(Session& s, std::int64_t exchange_id);
Result<std::optional<std::int64_t>> FirstExchangeAt(Session& s, std::int64_t community_id,
                                                    std::int64_t user_id);
Result<std::int64_t> ExchangeCount(Session& s, std::int64_t community_id, std::int64_t user_id);
// Unpublished exchanges whose review window ended by `now_s`, oldest first.
Result<std::vector<Exchange>> DueForPublication(Session& s, std::int64_t now_s, int limit);
// Marks the exchange and its ratings published; returns false when it already was.
Result<bool> Publish(Session& s, std::int64_t exchange_id, std::int64_t now_s);

// Ratings -----------------------------------------------------------------------------------
Status InsertRatingSlot(Session& s, const Exchange& exchange, Side rater_side);
Result<std::optional<Rating>> FindRating(Session& s, std::int64_t rating_id);
Result<std::vector<Rating>> RatingsOfExchange(Session& s, std::int64_t exchange_id);
// Fills an empty slot; false when it was filled already.
Result<bool> FillRating(Session& s, std::int64_t rating_id, std::int64_t stars,
                        const std::string& comment, std::int64_t now_s);
// The rater's empty slots whose window is still open.
Result<Page<Rating>> PendingForRater(Session& s, std::int64_t rater_user_id, std::int64_t now_s,
                                     const PageRequest& page);
Result<Page<Rating>> GivenBy(Session& s, std::int64_t rater_user_id, const PageRequest& page);
// Given ratings of the person that are public at `now_s`.
Result<Page<Rating>> PublicReceived(Session& s, std::int64_t community_id,
                                    std::int64_t ratee_user_id, std::int64_t now_s,
                                    const PageRequest& page);
struct RatingStats {
  std::int64_t count = 0;
  std::int64_t stars_sum = 0;
};
Result<RatingStats> PublicStats(Session& s, std::int64_t community_id, std::int64_t ratee_user_id,
                                std::int64_t now_s);

// Credit ------------------------------------------------------------------------------------
// Idempotent per (community, user, kind, source): returns false for a repeat.
Result<bool> InsertCreditEvent(Session& s, const CreditEvent& event);
// Every event of the person in the community, oldest first.
Result<std::vector<CreditEvent>> CreditEventsOf(Session& s, std::int64_t community_id,
                                                std::int64_t user_id);

// Reports -----------------------------------------------------------------------------------
// nullopt when the reporter already has an open report on the card.
Result<std::optional<std::int64_t>> InsertReport(Session& s, const Report& report);
Result<std::optional<Report>> FindReport(Session& s, std::int64_t report_id);
Result<Page<Report>> ReportQueue(Session& s, std::int64_t community_id,
                                 std::optional<ReportStatus> status, const PageRequest& page);
Result<Page<Report>> ReportsByReporter(Session& s, std::int64_t reporter_user_id,
                                       const PageRequest& page);
// Decides an open report; false when it was decided already.
Result<bool> DecideReport(Session& s, const Report& report);

// Disputes ----------------------------------------------------------------------------------
// nullopt when the exchange has an unresolved dispute already.
Result<std::optional<std::int64_t>> InsertDispute(Session& s, const Dispute& dispute);
Result<std::optional<Dispute>> FindDispute(Session& s, std::int64_t dispute_id);
Result<Page<Dispute>> DisputeQueue(Session& s, std::int64_t community_id,
                                   std::optional<DisputeStatus> status, const PageRequest& page);
Result<Page<Dispute>> DisputesOfParty(Session& s, std::int64_t user_id, const PageRequest& page);
// Saves status, mediator and resolution if the stored status is still `expected`.
Result<bool> UpdateDispute(Session& s, const Dispute& dispute, DisputeStatus expected);
Status InsertDisputeEvent(Session& s, std::int64_t community_id, const DisputeEvent& event);
Result<std::vector<DisputeEvent>> DisputeEventsOf(Session& s, std::int64_t community_id,
                                                  std::int64_t dispute_id);

// Verifications -----------------------------------------------------------------------------
Result<std::int64_t> InsertVerification(Session& s, const Verification& verification);
Status SetVerificationNumber(Session& s, std::int64_t verification_id, const std::string& sealed);
struct VerificationRow {
  Verification verification;  // number not set
  std::optional<std::string> number_sealed;
};
Result<std::optional<VerificationRow>> FindVerification(Session& s, std::int64_t verification_id);
Result<std::vector<VerificationRow>> VerificationsOf(Session& s, std::int64_t community_id,
                                                     std::int64_t user_id);
Result<bool> RevokeVerification(Session& s, std::int64_t verification_id, std::int64_t by,
                                std::int64_t now_s);
Result<bool> HasCurrentVerification(Session& s, std::int64_t community_id, std::int64_t user_id,
                                    std::int64_t now_s);

}  // namespace linli::trust::repo
