#pragma once
// Use cases of property services 物业服务. Every method authorises its caller; "not yours" is
// the same not_found as "missing". Every write appends to the audit log in the same transaction
// (ids, statuses and amounts only — never a visitor's label or phone).
//
// Who may do what (roles in the record's community):
//   - visitor passes: any member creates passes for their own visitors (a grid worker acting for
//     a resident creates them for that resident); the creator sees, lists and revokes them;
//     property_staff and admin see the expected visitors of a day and revoke any pass.
//   - gate verification: an organisation API key with the gate:verify scope (the access-control
//     system; its community is the key's), or property_staff/admin of the pass's community at a
//     guard desk. Every verification of a known pass is recorded (visitor_pass_uses + audit).
//   - bills: property_staff and admin issue, void, list and record payments (through the
//     PaymentProvider); residents see their own household's bills and payments.
//   - announcements: property_staff, committee and admin publish to any audience; grid workers
//     to grids only; an API key with announcements:write publishes notices and alerts in its
//     community. Members read those for the whole community, their building or their grid;
//     publishers (the roles above) read all of the community's.
//
// Error reasons: unauthenticated (401), insufficient_scope (403), forbidden (403),
// not_found (404), invalid_field (400), duplicate (409, a bill of that kind and period exists),
// illegal_transition (409, voiding a bill with payments), overpayment (422),
// idempotency_key_reused (409), no_household (422, the caller has no household here).
// Gate decisions are not errors: see GateDecision and GateReason.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "core/random.hpp"
#include "core/sealed.hpp"
#include "notify/service.hpp"
#include "property/model.hpp"
#include "property/payments.hpp"
#include "property/repo.hpp"
#include "storage/store.hpp"

namespace linli::property {

// What a gate presents: the QR token or the typed keypad code (exactly one), and the gate's
// own label for the record.
struct GateInput {
  std::optional<std::string> token;
  std::optional<std::string> code;
  std::string gate;
};

struct PassView {
  VisitorPass pass;
  std::string building_name;
  bool mine = false;  // the caller is the host: token, code and phone are theirs to see
  std::optional<std::string> token;  // a fresh sealed token (hosts only)
};

class PropertyService {
 public:
  // `keys` seals phones and pass tokens; `payments` confirms payments. All must outlive the
  // service. Thread-safe.
  PropertyService(storage::Store& store, const audit::AuditService& audit,
                  const notify::NotifyService& notify, const Clock& clock, Random& random,
                  const crypto::KeyRing& keys, PaymentProvider& payments);

  // ---- visitor passes
  // Creates a pass in the caller's current community (`community_id` 0) or the one given.
  // Window rules: valid_from ≥ now − kPassBackdateSMax and ≤ now + kPassAdvanceSMax;
  // 0 < valid_until − valid_from ≤ kPassWindowSMax; single_use has max_uses 1.
  Result<PassView> CreatePass(const Actor& actor, std::int64_t community_id,
                              const PassRequest& request);
  Result<PassView> GetPass(const Actor& actor, std::int64_t pass_id);
  Result<Page<PassView>> MyPasses(const Actor& actor, std::int64_t community_id,
                                  const PageRequest& page);
  Result<PassView> RevokePass(const Actor& actor, std::int64_t pass_id);
  Result<std::vector<PassUse>> PassUses(const Actor& actor, std::int64_t pass_id);
  // Passes whose window overlaps the local day `date` (ISO; today when empty): staff only.
  Result<Page<ExpectedVisitor>> ExpectedVisitors(const Actor& actor, std::int64_t community_id,
                                                 const std::string& date, const PageRequest& page);
  // The gate's question. Allowed uses are counted atomically: a single-use pass is allowed
  // once, even under concurrent verifications. Errors only for bad input or a caller who may
  // not verify; a "no" is a GateDecision.
  Result<GateDecision> VerifyAtGate(const Actor& actor, const GateInput& input);

  // ---- bills and payments
  Result<Bill> IssueBill(const Actor& actor, std::int64_t community_id, const BillInput& input);
  Result<BatchResult> IssueBatch(const Actor& actor, std::int64_t community_id,
                                 const BatchInput& input);
  Result<BillWithPayments> GetBill(const Actor& actor, std::int64_t bill_id);
  Result<Page<Bill>> ListBills(const Actor& actor, std::int64_t community_id,
                               const BillFilter& filter, const PageRequest& page);
  // The caller's household's bills (newest first) in the community.
  Result<Page<Bill>> MyBills(const Actor& actor, std::int64_t community_id,
                             const PageRequest& page);
  // Partial payments are fine; more than the outstanding amount is 422 overpayment. With an
  // idempotency key a retry returns the first payment (a different bill or amount is 409).
  Result<BillWithPayments> RecordPayment(const Actor& actor, std::int64_t bill_id,
                                         const PaymentInput& input);
  Result<Bill> VoidBill(const Actor& actor, std::int64_t bill_id);
  // Bills due before today (community time zone) and not fully paid, totals by building.
  Result<Arrears> ArrearsOf(const Actor& actor, std::int64_t community_id,
                            std::optional<std::int64_t> building_id);
  // The same as CSV (UTF-8, CRLF, formula-neutralised text cells), every overdue bill.
  Result<std::string> ArrearsCsv(const Actor& actor, std::int64_t community_id,
                                 std::optional<std::int64_t> building_id);

  // ---- announcements and alerts
  // Publishes; an alert is then delivered to its audience's inboxes in batches (the rest by
  // the fan-out job if this process stops half-way).
  Result<Announcement> Publish(const Actor& actor, std::int64_t community_id,
                               const AnnouncementInput& input);
  Result<AnnouncementList> Announcements(const Actor& actor, std::int64_t community_id,
                                         const PageRequest& page);
  Result<Announcement> GetAnnouncement(const Actor& actor, std::int64_t id);
  Result<Announcement> Withdraw(const Actor& actor, std::int64_t id);
  // Delivers pending alert batches (the scheduled job); returns inboxes reached.
  Result<std::int64_t> RunAlertFanout();

  const Clock& clock() const { return clock_; }

 private:
  Result<std::int64_t> CommunityFor(const Actor& actor, std::int64_t community_id) const;
  Result<std::string> Today(storage::Session& session, std::int64_t community_id) const;
  Result<PassView> ViewOf(const Actor& actor, const repo::PassRow& row) const;
  Result<std::int64_t> InsertPassWithCode(storage::Session& session, VisitorPass& pass) const;
  Result<GateDecision> Decide(storage::Session& session, const Actor& actor,
                              std::int64_t community_id, const std::optional<repo::PassRow>& row,
                              const std::string& gate) const;
  struct FanOutStep {
    std::int64_t delivered = 0;
    bool done = false;
  };
  Result<FanOutStep> FanOutBatch(std::int64_t announcement_id);
  Result<std::int64_t> FanOut(std::int64_t announcement_id);
  Status CheckAudience(storage::Session& session, std::int64_t community_id,
                       const AnnouncementInput& input) const;

  storage::Store& store_;
  const audit::AuditService& audit_;
  const notify::NotifyService& notify_;
  const Clock& clock_;
  Random& random_;
  const crypto::KeyRing& keys_;
  PaymentProvider& payments_;
};

}  // namespace linli::property
