#pragma once
// How bill payments are confirmed. The fee logic (outstanding amounts, overpayment, records,
// audit) lives in the service and never depends on who confirms the money: online providers
// (WeChat Pay, UnionPay, ...) plug in behind this interface later.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/actor.hpp"
#include "core/error.hpp"
#include "property/model.hpp"

namespace linli::property {

struct PaymentClaim {
  std::int64_t community_id = 0;
  std::int64_t bill_id = 0;
  std::int64_t amount_fen = 0;  // > 0, at most the bill's outstanding amount
  PaymentMethod method = PaymentMethod::kCounter;
  std::string reference;
  std::int64_t paid_at = 0;
};

struct PaymentConfirmation {
  std::string provider;   // stored with the payment
  std::string reference;  // the provider's reference (may be the claim's)
};

class PaymentProvider {
 public:
  virtual ~PaymentProvider() = default;
  // Confirms that `claim` was paid, on behalf of `actor`. Runs outside any transaction, before
  // the payment is recorded; must be idempotent for the same claim. Errors: forbidden (403) when
  // the actor may not confirm payments, unsupported_payment_method (400), provider-specific.
  virtual Result<PaymentConfirmation> Confirm(const Actor& actor, const PaymentClaim& claim) = 0;
};

// The built-in provider: staff record cash, bank-transfer and counter payments they have seen.
// Property staff and admins of the bill's community (and the system) may confirm.
class CounterPayments final : public PaymentProvider {
 public:
  Result<PaymentConfirmation> Confirm(const Actor& actor, const PaymentClaim& claim) override;
};

}  // namespace linli::property
