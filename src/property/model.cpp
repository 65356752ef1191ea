#include "property/model.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace linli::property {
namespace {

// A name table per enum: the stable API/database names, in enumerator order.
template <class E, std::size_t N>
std::string_view NameIn(const std::array<std::string_view, N>& names, E value) {
  return names[static_cast<std::size_t>(value)];
}

template <class E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::string_view, N>& names, std::string_view text) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == text) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> kPassModes{"single_use", "window"};
constexpr std::array<std::string_view, 6> kGateReasons{
    "ok", "pass_invalid", "pass_revoked", "pass_not_yet_valid", "pass_expired", "pass_used_up"};
constexpr std::array<std::string_view, 3> kBillKinds{"property_fee", "parking", "other"};
constexpr std::array<std::string_view, 4> kBillStatuses{"unpaid", "partial", "paid", "void"};
constexpr std::array<std::string_view, 3> kPaymentMethods{"cash", "bank_transfer", "counter"};
constexpr std::array<std::string_view, 2> kAnnouncementKinds{"notice", "alert"};
constexpr std::array<std::string_view, 3> kSeverities{"info", "warning", "critical"};
constexpr std::array<std::string_view, 3> kAudiences{"community", "buildings", "grids"};
constexpr std::array<std::string_view, 7> kCategories{"general", "maintenance", "event", "policy",
                                                      "weather", "outage",      "safety"};

}  // namespace

std::string_view Name(PassMode mode) {
  return NameIn(kPassModes, mode);
}
std::optional<PassMode> ParsePassMode(std::string_view text) {
  return ParseIn<PassMode>(kPassModes, text);
}
std::string_view Name(GateReason reason) {
  return NameIn(kGateReasons, reason);
}
std::string_view Name(BillKind kind) {
  return NameIn(kBillKinds, kind);
}
std::optional<BillKind> ParseBillKind(std::string_view text) {
  return ParseIn<BillKind>(kBillKinds, text);
}
std::string_view Name(BillStatus status) {
  return NameIn(kBillStatuses, status);
}
std::optional<BillStatus> ParseBillStatus(std::string_view text) {
  return ParseIn<BillStatus>(kBillStatuses, text);
}
std::string_view Name(PaymentMethod method) {
  return NameIn(kPaymentMethods, method);
}
std::optional<PaymentMethod> ParsePaymentMethod(std::string_view text) {
  return ParseIn<PaymentMethod>(kPaymentMethods, text);
}
std::string_view Name(AnnouncementKind kind) {
  return NameIn(kAnnouncementKinds, kind);
}
std::optional<AnnouncementKind> ParseAnnouncementKind(std::string_view text) {
  return ParseIn<AnnouncementKind>(kAnnouncementKinds, text);
}
std::string_view Name(Severity severity) {
  return NameIn(kSeverities, severity);
}
std::optional<Severity> ParseSeverity(std::string_view text) {
  return ParseIn<Severity>(kSeverities, text);
}
std::string_view Name(Audience audience) {
  return NameIn(kAudiences, audience);
}
std::optional<Audience> ParseAudience(std::string_view text) {
  return ParseIn<Audience>(kAudiences, text);
}
bool IsKnownCategory(std::string_view category) {
  return std::find(kCategories.begin(), kCategories.end(), category) != kCategories.end();
}

GateReason Decide(const VisitorPass& pass, std::int64_t now_s) {
  if (pass.revoked_at) return GateReason::kPassRevoked;
  if (now_s < pass.valid_from) return GateReason::kPassNotYetValid;
  if (now_s >= pass.valid_until) return GateReason::kPassExpired;
  if (pass.uses >= pass.max_uses) return GateReason::kPassUsedUp;
  return GateReason::kOk;
}

BillStatus Bill::status() const {
  if (voided_at) return BillStatus::kVoid;
  if (paid_fen >= amount_fen) return BillStatus::kPaid;
  return paid_fen > 0 ? BillStatus::kPartial : BillStatus::kUnpaid;
}

bool Bill::Overdue(std::string_view today) const {
  // ISO dates compare correctly as text.
  return outstanding_fen() > 0 && std::string_view(due_date) < today;
}

}  // namespace linli::property
