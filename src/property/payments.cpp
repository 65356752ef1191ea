#include "property/payments.hpp"

namespace linli::property {

Result<PaymentConfirmation> CounterPayments::Confirm(const Actor& actor,
                                                     const PaymentClaim& claim) {
  // Only people standing at the counter can vouch for cash; keys and residents cannot.
  const bool staff =
      actor.system || (!actor.api_key_id &&
                       actor.HasAnyRole(claim.community_id, {Role::kPropertyStaff, Role::kAdmin}));
  if (!staff) return ForbiddenError("forbidden", "only property staff record counter payments");
  return PaymentConfirmation{"counter", claim.reference};
}

}  // namespace linli::property
