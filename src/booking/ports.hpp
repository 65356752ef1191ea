#pragma once
// What booking needs from other modules, as ports the composition root wires to them: the
// ledger's holds (escrow of points for price and deposit) and trust's outcome log. Both are
// called inside the booking's own write transaction, so a booking and its money move or roll
// back together. A null port means "not wired": points are then recorded on the booking only.
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "storage/store.hpp"

namespace linli::booking {

class Escrow {
 public:
  virtual ~Escrow() = default;
  // Reserves `points` of the payer for the payee; idempotent by `key` (the same key returns
  // the same hold). 422 insufficient_funds when the payer cannot cover it.
  virtual Result<std::int64_t> Hold(storage::Session& session, std::int64_t community_id,
                                    std::int64_t payer_user_id, std::int64_t payee_user_id,
                                    std::int64_t points, std::string_view key) = 0;
  // Posts `points_to_payee` (≤ the held amount) to the payee and returns the rest to the payer.
  virtual Status Settle(storage::Session& session, std::int64_t hold_id,
                        std::int64_t points_to_payee) = 0;
  // Returns everything to the payer.
  virtual Status Release(storage::Session& session, std::int64_t hold_id) = 0;
};

enum class OutcomeKind : std::uint8_t {
  kCompleted,
  kNoShow,
  kReturnedOnTime,
  kReturnedLate,
  kCancelledLate,
};
std::string_view Name(OutcomeKind kind);

// What happened to a booking, for credit scores (trust).
struct Outcome {
  OutcomeKind kind = OutcomeKind::kCompleted;
  std::int64_t booking_id = 0;
  std::int64_t card_id = 0;
  std::int64_t community_id = 0;
  std::int64_t provider_user_id = 0;  // 0 when the card has no owning user
  std::int64_t consumer_user_id = 0;
  std::int64_t at_s = 0;
};

class OutcomeSink {
 public:
  virtual ~OutcomeSink() = default;
  virtual Status Record(storage::Session& session, const Outcome& outcome) = 0;
};

}  // namespace linli::booking
