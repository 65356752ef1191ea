#include "app/bridges.hpp"

#include <string>

namespace linli::app {
namespace {

using ledger::Currency;

Status Move(const ledger::LedgerService& ledger, storage::Session& session,
            std::int64_t community_id, std::int64_t debit, std::int64_t credit, std::int64_t points,
            std::string code, std::string_view key) {
  ledger::TransferRequest request;
  request.community_id = community_id;
  request.currency = Currency::kPoints;
  request.idempotency_key = std::string(key);
  ledger::TransferItem item;
  item.debit_account_id = debit;
  item.credit_account_id = credit;
  item.amount = points;
  item.code = std::move(code);
  request.items.push_back(std::move(item));
  LINLI_TRY(ledger.TransferIn(session, Actor::System(), request));
  return Ok();
}

}  // namespace

Result<std::int64_t> LedgerEscrow::Hold(storage::Session& session, std::int64_t community_id,
                                        std::int64_t payer_user_id, std::int64_t payee_user_id,
                                        std::int64_t points, std::string_view key) {
  LINLI_ASSIGN_OR_RETURN(auto payer, ledger_.EnsureUserAccount(session, community_id, payer_user_id,
                                                               Currency::kPoints));
  LINLI_ASSIGN_OR_RETURN(auto payee, ledger_.EnsureUserAccount(session, community_id, payee_user_id,
                                                               Currency::kPoints));
  ledger::HoldRequest request;
  request.community_id = community_id;
  request.currency = Currency::kPoints;
  request.debit_account_id = payer.id;
  request.credit_account_id = payee.id;
  request.amount = points;
  request.code = "booking";
  request.idempotency_key = std::string(key);
  LINLI_ASSIGN_OR_RETURN(auto hold, ledger_.HoldIn(session, Actor::System(), request));
  return hold.id;
}

Status LedgerEscrow::Settle(storage::Session& session, std::int64_t hold_id,
                            std::int64_t points_to_payee) {
  if (points_to_payee <= 0) return Release(session, hold_id);
  LINLI_TRY(ledger_.PostPendingIn(session, Actor::System(), hold_id, points_to_payee,
                                  "hold:" + std::to_string(hold_id) + ":settle"));
  return Ok();
}

Status LedgerEscrow::Release(storage::Session& session, std::int64_t hold_id) {
  LINLI_TRY(ledger_.VoidPendingIn(session, Actor::System(), hold_id,
                                  "hold:" + std::to_string(hold_id) + ":release"));
  return Ok();
}

Status TrustOutcomes::Record(storage::Session& session, const booking::Outcome& outcome) {
  trust::ExchangeRecord record;
  switch (outcome.kind) {
    case booking::OutcomeKind::kCompleted:
      record.source = trust::Source::kBooking;
      record.outcome = trust::Outcome::kCompleted;
      break;
    case booking::OutcomeKind::kNoShow:
      record.source = trust::Source::kBooking;
      record.outcome = trust::Outcome::kNoShow;
      break;
    case booking::OutcomeKind::kReturnedOnTime:
      record.source = trust::Source::kLoan;
      record.outcome = trust::Outcome::kReturnedOnTime;
      break;
    case booking::OutcomeKind::kReturnedLate:
      record.source = trust::Source::kLoan;
      record.outcome = trust::Outcome::kReturnedLate;
      break;
    case booking::OutcomeKind::kCancelledLate: return Ok();
  }
  // Only exchanges between two people can be rated; a card of the community has no provider.
  if (outcome.provider_user_id == 0 || outcome.provider_user_id == outcome.consumer_user_id) {
    return Ok();
  }
  record.community_id = outcome.community_id;
  record.source_id = outcome.booking_id;
  record.card_id = outcome.card_id;
  record.provider_user_id = outcome.provider_user_id;
  record.consumer_user_id = outcome.consumer_user_id;
  record.completed_at_s = outcome.at_s;
  return trust_.RecordExchange(session, record);
}

Status LedgerPoints::Reward(storage::Session& session, std::int64_t community_id,
                            std::int64_t user_id, std::int64_t points, std::string_view key) {
  LINLI_ASSIGN_OR_RETURN(auto pool, ledger_.EnsurePool(session, community_id, Currency::kPoints,
                                                       ledger::Pool::kRewards));
  LINLI_ASSIGN_OR_RETURN(
      auto account, ledger_.EnsureUserAccount(session, community_id, user_id, Currency::kPoints));
  return Move(ledger_, session, community_id, pool.id, account.id, points, "reward:report", key);
}

Status LedgerPoints::Compensate(storage::Session& session, std::int64_t community_id,
                                std::int64_t from_user_id, std::int64_t to_user_id,
                                std::int64_t points, std::string_view key) {
  LINLI_ASSIGN_OR_RETURN(
      auto from, ledger_.EnsureUserAccount(session, community_id, from_user_id, Currency::kPoints));
  LINLI_ASSIGN_OR_RETURN(
      auto to, ledger_.EnsureUserAccount(session, community_id, to_user_id, Currency::kPoints));
  return Move(ledger_, session, community_id, from.id, to.id, points, "compensation:dispute", key);
}

}  // namespace linli::app
