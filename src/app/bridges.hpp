#pragma once
// The links between modules that must not know each other: booking's escrow and outcome ports,
// trust's points port. Each adapter runs inside the caller's write transaction, so a booking and
// its points (or a dispute's compensation and its transfer) commit or roll back together.
#include <cstdint>
#include <string_view>

#include "booking/ports.hpp"
#include "ledger/service.hpp"
#include "trust/service.hpp"

namespace linli::app {

// Booking escrow as ledger holds: points move from the booker's account to the provider's as a
// pending transfer, posted (fully or partly) on completion or voided on release. Booking holds
// points only for cards with an owning user, so both sides are always people.
class LedgerEscrow final : public booking::Escrow {
 public:
  explicit LedgerEscrow(const ledger::LedgerService& ledger) : ledger_(ledger) {}
  Result<std::int64_t> Hold(storage::Session& session, std::int64_t community_id,
                            std::int64_t payer_user_id, std::int64_t payee_user_id,
                            std::int64_t points, std::string_view key) override;
  Status Settle(storage::Session& session, std::int64_t hold_id,
                std::int64_t points_to_payee) override;
  Status Release(storage::Session& session, std::int64_t hold_id) override;

 private:
  const ledger::LedgerService& ledger_;
};

// Booking outcomes become trust exchanges (rating slots and credit events). Cancellations are
// not exchanges; a late cancellation is not a default either, so it records nothing.
class TrustOutcomes final : public booking::OutcomeSink {
 public:
  explicit TrustOutcomes(const trust::TrustService& trust) : trust_(trust) {}
  Status Record(storage::Session& session, const booking::Outcome& outcome) override;

 private:
  const trust::TrustService& trust_;
};

// Trust's rewards (upheld reports) and compensation (disputes) as ledger transfers.
class LedgerPoints final : public trust::PointsPort {
 public:
  explicit LedgerPoints(const ledger::LedgerService& ledger) : ledger_(ledger) {}
  Status Reward(storage::Session& session, std::int64_t community_id, std::int64_t user_id,
                std::int64_t points, std::string_view key) override;
  Status Compensate(storage::Session& session, std::int64_t community_id, std::int64_t from_user_id,
                    std::int64_t to_user_id, std::int64_t points, std::string_view key) override;

 private:
  const ledger::LedgerService& ledger_;
};

}  // namespace linli::app
