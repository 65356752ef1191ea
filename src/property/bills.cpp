// Fee bills, payments through the PaymentProvider, arrears and their CSV export.
#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/time_zone.hpp"
#include "property/internal.hpp"
#include "property/service.hpp"
#include "resources/csv.hpp"

namespace linli::property {

using internal::CheckText;
using internal::Draft;
using internal::EffectiveUser;
using internal::IsPropertyStaff;
using internal::RequireSignedIn;

namespace {

constexpr std::int64_t kPaymentBackdateSMax = 366 * 24 * 3600;

// Periods are short keys people read: "2026-05", "2026Q2", "2026".
Status CheckPeriod(std::string_view period) {
  LINLI_TRY(CheckText("period", period, limits::kBillPeriodBytesMax, true));
  for (const char c : period) {
    const bool ok = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    c == '-' || c == '_';
    if (!ok) return InvalidFieldError("period", "invalid", "letters, digits and dashes only");
  }
  return Ok();
}

Status CheckBillFields(std::string_view period, std::string_view title, std::int64_t amount_fen,
                       std::string_view due_date) {
  LINLI_TRY(CheckPeriod(period));
  LINLI_TRY(CheckText("title", title, limits::kBillTitleBytesMax, false));
  if (amount_fen <= 0 || amount_fen > limits::kBillAmountFenMax) {
    return InvalidFieldError("amount_fen", "out_of_range", "a positive amount in fen");
  }
  if (auto day = ParseIsoDate(due_date); !day) {
    return InvalidFieldError("due_date", "invalid", "an ISO date such as 2026-06-30");
  }
  return Ok();
}

std::string DefaultTitle(BillKind kind, std::string_view period) {
  switch (kind) {
    case BillKind::kPropertyFee: return fmt::format("物业费 {}", period);
    case BillKind::kParking: return fmt::format("停车费 {}", period);
    case BillKind::kOther: return fmt::format("其他费用 {}", period);
  }
  return std::string(period);
}

std::string Yuan(std::int64_t fen) {
  return fmt::format("{}.{:02}", fen / 100, fen % 100);
}

// Marks the overdue bills of a page as of the community's today.
void MarkOverdue(std::vector<Bill>& bills, const std::string& today) {
  for (auto& bill : bills) bill.overdue = bill.Overdue(today);
}

Error NotStaff() {
  // Members who may not manage bills see the same as outsiders: nothing.
  return NotFoundError();
}

}  // namespace

Result<Bill> PropertyService::IssueBill(const Actor& actor, std::int64_t community_id,
                                        const BillInput& input) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (!IsPropertyStaff(actor, community_id)) return NotStaff();
  LINLI_TRY(CheckBillFields(input.period, input.title, input.amount_fen, input.due_date));
  Bill bill;
  bill.community_id = community_id;
  bill.household_id = input.household_id;
  bill.kind = input.kind;
  bill.period = input.period;
  bill.title = input.title.empty() ? DefaultTitle(input.kind, input.period) : input.title;
  bill.amount_fen = input.amount_fen;
  bill.due_date = input.due_date;
  bill.issued_by = actor.user_id;
  bill.created_at = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<Bill> {
    LINLI_ASSIGN_OR_RETURN(auto home,
                           repo::HouseholdHome(session, community_id, input.household_id));
    if (!home) return InvalidFieldError("household_id", "not_found", "no such household here");
    bill.building_id = home->building_id;
    LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertBill(session, bill));
    if (!id) {
      return ConflictError("duplicate",
                           "this household already has a bill of this kind for this period");
    }
    LINLI_TRY(audit_.Append(session, Draft(actor, community_id, "property.bill.issue", "bill", *id,
                                           fmt::format(R"({{"kind":"{}","amount_fen":{}}})",
                                                       Name(bill.kind), bill.amount_fen))));
    LINLI_ASSIGN_OR_RETURN(auto stored, repo::FindBill(session, *id));
    LINLI_ASSIGN_OR_RETURN(auto today, Today(session, community_id));
    stored->overdue = stored->Overdue(today);
    return std::move(*stored);
  });
}

Result<BatchResult> PropertyService::IssueBatch(const Actor& actor, std::int64_t community_id,
                                                const BatchInput& input) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (!IsPropertyStaff(actor, community_id)) return NotStaff();
  LINLI_TRY(CheckBillFields(input.period, input.title, input.amount_fen, input.due_date));
  const std::int64_t now = clock_.NowEpochS();
  return store_.WriteValue([&](storage::Session& session) -> Result<BatchResult> {
    LINLI_ASSIGN_OR_RETURN(auto known,
                           repo::CountBuildings(session, community_id, input.building_ids));
    if (known != static_cast<std::int64_t>(input.building_ids.size())) {
      return InvalidFieldError("building_ids", "not_found", "no such building here");
    }
    LINLI_ASSIGN_OR_RETURN(auto homes, repo::Households(session, community_id, input.building_ids,
                                                        limits::kBillBatchHouseholdsMax + 1));
    if (homes.size() > limits::kBillBatchHouseholdsMax) {
      return InvalidFieldError("building_ids", "too_many", "too many households for one batch");
    }
    BatchResult result;
    Bill bill;
    bill.community_id = community_id;
    bill.kind = input.kind;
    bill.period = input.period;
    bill.title = input.title.empty() ? DefaultTitle(input.kind, input.period) : input.title;
    bill.amount_fen = input.amount_fen;
    bill.due_date = input.due_date;
    bill.issued_by = actor.user_id;
    bill.created_at = now;
    for (const auto& home : homes) {
      bill.household_id = home.household_id;
      bill.building_id = home.building_id;
      LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertBill(session, bill));
      (id ? result.created : result.skipped) += 1;
    }
    // One entry for the batch: the bills themselves carry issued_by and created_at.
    LINLI_TRY(audit_.Append(
        session,
        Draft(actor, community_id, "property.bill.batch", "community", community_id,
              fmt::format(R"({{"kind":"{}","amount_fen":{},"created":{},"skipped":{}}})",
                          Name(bill.kind), bill.amount_fen, result.created, result.skipped))));
    return result;
  });
}

Result<BillWithPayments> PropertyService::GetBill(const Actor& actor, std::int64_t bill_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.ReadValue([&](storage::Session& session) -> Result<BillWithPayments> {
    LINLI_ASSIGN_OR_RETURN(auto bill, repo::FindBill(session, bill_id));
    if (!bill) return NotFoundError();
    if (!IsPropertyStaff(actor, bill->community_id)) {
      if (actor.api_key_id || !actor.IsMember(bill->community_id)) return NotFoundError();
      LINLI_ASSIGN_OR_RETURN(auto home,
                             repo::HomeOf(session, EffectiveUser(actor), bill->community_id));
      if (!home || home->household_id != bill->household_id) return NotFoundError();
    }
    LINLI_ASSIGN_OR_RETURN(auto today, Today(session, bill->community_id));
    bill->overdue = bill->Overdue(today);
    LINLI_ASSIGN_OR_RETURN(auto payments, repo::PaymentsOf(session, bill->community_id, bill->id));
    return BillWithPayments{std::move(*bill), std::move(payments)};
  });
}

Result<Page<Bill>> PropertyService::ListBills(const Actor& actor, std::int64_t community_id,
                                              const BillFilter& filter, const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (!IsPropertyStaff(actor, community_id)) return NotStaff();
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<Bill>> {
    LINLI_ASSIGN_OR_RETURN(auto today, Today(session, community_id));
    LINLI_ASSIGN_OR_RETURN(auto bills, repo::ListBills(session, community_id, filter, page));
    MarkOverdue(bills.items, today);
    return bills;
  });
}

Result<Page<Bill>> PropertyService::MyBills(const Actor& actor, std::int64_t community_id,
                                            const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (actor.api_key_id) return NotFoundError();
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<Bill>> {
    LINLI_ASSIGN_OR_RETURN(auto home, repo::HomeOf(session, EffectiveUser(actor), community_id));
    if (!home) return Page<Bill>{};  // no household here: no bills
    BillFilter filter;
    filter.household_id = home->household_id;
    LINLI_ASSIGN_OR_RETURN(auto today, Today(session, community_id));
    LINLI_ASSIGN_OR_RETURN(auto bills, repo::ListBills(session, community_id, filter, page));
    MarkOverdue(bills.items, today);
    return bills;
  });
}

Result<BillWithPayments> PropertyService::RecordPayment(const Actor& actor, std::int64_t bill_id,
                                                        const PaymentInput& input) {
  LINLI_TRY(RequireSignedIn(actor));
  LINLI_TRY(CheckText("reference", input.reference, limits::kPaymentReferenceBytesMax, false));
  if (input.idempotency_key) {
    LINLI_TRY(CheckText("Idempotency-Key", *input.idempotency_key, limits::kIdempotencyKeyBytesMax,
                        true));
  }
  if (input.amount_fen <= 0 || input.amount_fen > limits::kBillAmountFenMax) {
    return InvalidFieldError("amount_fen", "out_of_range", "a positive amount in fen");
  }
  const std::int64_t now = clock_.NowEpochS();
  const std::int64_t paid_at = input.paid_at.value_or(now);
  if (paid_at > now || paid_at < now - kPaymentBackdateSMax) {
    return InvalidFieldError("paid_at", "out_of_range", "not in the future, at most a year ago");
  }
  LINLI_ASSIGN_OR_RETURN(auto current, store_.ReadValue([&](storage::Session& session) {
    return repo::FindBill(session, bill_id);
  }));
  if (!current || !IsPropertyStaff(actor, current->community_id)) return NotFoundError();
  const PaymentClaim claim{current->community_id, bill_id,         input.amount_fen,
                           input.method,          input.reference, paid_at};
  // The provider confirms before anything is recorded; recording re-checks the bill.
  LINLI_ASSIGN_OR_RETURN(auto confirmation, payments_.Confirm(actor, claim));
  LINLI_TRY(store_.Write([&](storage::Session& session) -> Status {
    if (input.idempotency_key) {
      LINLI_ASSIGN_OR_RETURN(auto earlier, repo::FindPaymentByKey(session, claim.community_id,
                                                                  *input.idempotency_key));
      if (earlier) {
        if (earlier->bill_id != bill_id || earlier->amount_fen != input.amount_fen) {
          return ConflictError("idempotency_key_reused",
                               "this Idempotency-Key was used for a different payment");
        }
        return Ok();  // a retry of a payment already recorded
      }
    }
    LINLI_ASSIGN_OR_RETURN(auto bill, repo::FindBill(session, bill_id));
    if (!bill) return NotFoundError();
    if (bill->voided_at) return ConflictError("illegal_transition", "this bill was voided");
    // Checked and applied by one guarded UPDATE, so concurrent payments never overpay.
    LINLI_ASSIGN_OR_RETURN(auto added,
                           repo::AddPaid(session, claim.community_id, bill_id, input.amount_fen));
    if (added == 0) {
      return PreconditionError(
          "overpayment", fmt::format("at most {} fen is outstanding", bill->outstanding_fen()));
    }
    Payment payment{0,
                    claim.community_id,
                    bill_id,
                    input.amount_fen,
                    confirmation.provider,
                    std::string(Name(input.method)),
                    confirmation.reference,
                    actor.user_id,
                    paid_at};
    LINLI_ASSIGN_OR_RETURN(auto id, repo::InsertPayment(session, payment, input.idempotency_key));
    if (!id) return ConflictError("idempotency_key_reused", "this Idempotency-Key was used");
    return audit_.Append(
        session,
        Draft(actor, claim.community_id, "property.bill.payment", "bill", bill_id,
              fmt::format(R"({{"payment_id":{},"amount_fen":{},"method":"{}",)"
                          R"("provider":"{}"}})",
                          *id, input.amount_fen, Name(input.method), confirmation.provider)));
  }));
  return GetBill(actor, bill_id);
}

Result<Bill> PropertyService::VoidBill(const Actor& actor, std::int64_t bill_id) {
  LINLI_TRY(RequireSignedIn(actor));
  return store_.WriteValue([&](storage::Session& session) -> Result<Bill> {
    LINLI_ASSIGN_OR_RETURN(auto bill, repo::FindBill(session, bill_id));
    if (!bill || !IsPropertyStaff(actor, bill->community_id)) return NotFoundError();
    if (bill->voided_at) return std::move(*bill);
    if (bill->paid_fen > 0) {
      return ConflictError("illegal_transition", "a bill with payments cannot be voided");
    }
    LINLI_TRY(repo::VoidBill(session, bill->community_id, bill_id, clock_.NowEpochS()));
    LINLI_TRY(audit_.Append(
        session, Draft(actor, bill->community_id, "property.bill.void", "bill", bill_id, "{}")));
    LINLI_ASSIGN_OR_RETURN(auto voided, repo::FindBill(session, bill_id));
    return std::move(*voided);
  });
}

Result<Arrears> PropertyService::ArrearsOf(const Actor& actor, std::int64_t community_id,
                                           std::optional<std::int64_t> building_id) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (!IsPropertyStaff(actor, community_id)) return NotStaff();
  return store_.ReadValue([&](storage::Session& session) -> Result<Arrears> {
    Arrears arrears;
    LINLI_ASSIGN_OR_RETURN(arrears.as_of, Today(session, community_id));
    LINLI_ASSIGN_OR_RETURN(arrears.buildings, repo::ArrearsByBuilding(session, community_id,
                                                                      arrears.as_of, building_id));
    for (const auto& building : arrears.buildings) {
      arrears.bill_count += building.bill_count;
      arrears.household_count += building.household_count;  // a household is in one building
      arrears.outstanding_fen += building.outstanding_fen;
    }
    LINLI_ASSIGN_OR_RETURN(arrears.bills,
                           repo::ArrearsBills(session, community_id, arrears.as_of, building_id,
                                              limits::kArrearsBillsMax + 1));
    MarkOverdue(arrears.bills, arrears.as_of);
    if (arrears.bills.size() > limits::kArrearsBillsMax) {
      arrears.bills.resize(limits::kArrearsBillsMax);
      arrears.truncated = true;
    }
    return arrears;
  });
}

Result<std::string> PropertyService::ArrearsCsv(const Actor& actor, std::int64_t community_id,
                                                std::optional<std::int64_t> building_id) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityFor(actor, community_id));
  if (!IsPropertyStaff(actor, community_id)) return NotStaff();
  return store_.ReadValue([&](storage::Session& session) -> Result<std::string> {
    LINLI_ASSIGN_OR_RETURN(auto today, Today(session, community_id));
    // Every overdue bill, not just the listed page: the export is the collection worksheet.
    LINLI_ASSIGN_OR_RETURN(
        auto bills, repo::ArrearsBills(session, community_id, today, building_id, SIZE_MAX / 2));
    const auto text = [](std::string_view value) { return resources::NeutraliseFormula(value); };
    std::string csv = "\xEF\xBB\xBF";  // a BOM, so spreadsheet programs read UTF-8
    csv += resources::CsvLine({"bill_id", "building", "unit", "kind", "period", "title",
                               "amount_yuan", "paid_yuan", "outstanding_yuan", "due_date"});
    for (const auto& bill : bills) {
      csv += resources::CsvLine({std::to_string(bill.id), text(bill.building_name),
                                 text(bill.unit_label), std::string(Name(bill.kind)),
                                 text(bill.period), text(bill.title), Yuan(bill.amount_fen),
                                 Yuan(bill.paid_fen), Yuan(bill.outstanding_fen()), bill.due_date});
    }
    return csv;
  });
}

}  // namespace linli::property
