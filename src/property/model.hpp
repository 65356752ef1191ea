#pragma once
// Property services 物业服务: visitor passes and gate decisions, fee bills and payments,
// announcements and alert broadcasts. Plain types and pure rules; no storage, no HTTP.
//
// Money is integer fen; times are epoch seconds UTC; dates are ISO "YYYY-MM-DD" in the
// community's time zone.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace linli::property {

// ---------------------------------------------------------------------------------------------
// Visitor passes

enum class PassMode : std::uint8_t {
  kSingleUse,  // one entry, then used up
  kWindow,     // up to max_uses entries inside the window
};
std::string_view Name(PassMode mode);
std::optional<PassMode> ParsePassMode(std::string_view text);

struct VisitorPass {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::optional<std::int64_t> household_id;
  std::optional<std::int64_t> building_id;  // the host household's building, for the gate
  std::int64_t created_by = 0;
  std::string visitor_label;  // a display label only ("王先生"), never a full name by rule
  std::optional<std::string> visitor_phone;  // decrypted; only ever shown to the host
  std::string purpose;
  PassMode mode = PassMode::kSingleUse;
  std::int64_t max_uses = 1;
  std::int64_t uses = 0;
  std::int64_t valid_from = 0;   // inclusive
  std::int64_t valid_until = 0;  // exclusive
  std::string code;              // the 8-digit keypad code
  std::optional<std::int64_t> revoked_at;
  std::int64_t created_at = 0;
};

// What the resident asks for.
struct PassRequest {
  std::string visitor_label;
  std::optional<std::string> visitor_phone;
  std::string purpose;
  PassMode mode = PassMode::kSingleUse;
  std::optional<std::int64_t> max_uses;  // window mode only; default kPassWindowUsesDefault
  std::int64_t valid_from = 0;
  std::int64_t valid_until = 0;
};

// Why a gate said no (stable; listed in docs/errors.md). kOk means allowed.
enum class GateReason : std::uint8_t {
  kOk,
  kPassInvalid,  // unknown code, bad signature, other community, malformed
  kPassRevoked,
  kPassNotYetValid,
  kPassExpired,
  kPassUsedUp,
};
std::string_view Name(GateReason reason);

// The rule a gate applies, on the pass as stored now: revocation first, then the window
// [valid_from, valid_until), then the use count.
GateReason Decide(const VisitorPass& pass, std::int64_t now_s);

// One gate verification as recorded.
struct PassUse {
  std::int64_t id = 0;
  std::int64_t pass_id = 0;
  std::int64_t at = 0;
  bool allowed = false;
  GateReason reason = GateReason::kOk;
  std::string gate;  // the gate's own label ("东门"), may be empty
};

// What the gate is told: no personal data beyond the visitor label and the host's building.
struct GateDecision {
  bool allowed = false;
  GateReason reason = GateReason::kPassInvalid;
  std::optional<std::int64_t> pass_id;
  std::string visitor_label;
  std::string building_name;
  std::int64_t uses = 0;
  std::int64_t max_uses = 0;
  std::optional<std::int64_t> valid_until;
};

// A pass as staff see it in the expected-visitors list.
struct ExpectedVisitor {
  VisitorPass pass;
  std::string building_name;
};

// ---------------------------------------------------------------------------------------------
// Bills and payments

enum class BillKind : std::uint8_t { kPropertyFee, kParking, kOther };
std::string_view Name(BillKind kind);
std::optional<BillKind> ParseBillKind(std::string_view text);

enum class BillStatus : std::uint8_t { kUnpaid, kPartial, kPaid, kVoid };
std::string_view Name(BillStatus status);
std::optional<BillStatus> ParseBillStatus(std::string_view text);

struct Bill {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t household_id = 0;
  std::int64_t building_id = 0;
  BillKind kind = BillKind::kPropertyFee;
  std::string period;  // "2026-05", "2026Q2", "2026"
  std::string title;
  std::int64_t amount_fen = 0;
  std::int64_t paid_fen = 0;
  std::string due_date;  // ISO date, community time zone
  std::int64_t issued_by = 0;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> voided_at;
  // Joined for display.
  std::string building_name;
  std::string unit_label;
  bool overdue = false;  // set by the service as of today in the community's time zone

  std::int64_t outstanding_fen() const { return voided_at ? 0 : amount_fen - paid_fen; }
  BillStatus status() const;
  // Unpaid (in part or whole) after its due date; `today` is an ISO date.
  bool Overdue(std::string_view today) const;
};

struct BillInput {
  std::int64_t household_id = 0;
  BillKind kind = BillKind::kPropertyFee;
  std::string period;
  std::string title;  // defaulted from kind and period when empty
  std::int64_t amount_fen = 0;
  std::string due_date;
};

// The same bill for every household of some buildings (all of the community when empty).
struct BatchInput {
  std::vector<std::int64_t> building_ids;
  BillKind kind = BillKind::kPropertyFee;
  std::string period;
  std::string title;
  std::int64_t amount_fen = 0;
  std::string due_date;
};

struct BatchResult {
  std::int64_t created = 0;
  std::int64_t skipped = 0;  // households that already had a bill of this kind and period
};

struct BillFilter {
  std::optional<BillStatus> status;
  std::optional<std::int64_t> building_id;
  std::optional<std::int64_t> household_id;
  std::optional<std::string> period;
};

enum class PaymentMethod : std::uint8_t { kCash, kBankTransfer, kCounter };
std::string_view Name(PaymentMethod method);
std::optional<PaymentMethod> ParsePaymentMethod(std::string_view text);

struct Payment {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t bill_id = 0;
  std::int64_t amount_fen = 0;
  std::string provider;   // "counter" for the built-in provider
  std::string method;     // "cash", "bank_transfer", "counter"
  std::string reference;  // receipt or transfer number as the staff typed it
  std::int64_t recorded_by = 0;
  std::int64_t paid_at = 0;
};

struct PaymentInput {
  std::int64_t amount_fen = 0;
  PaymentMethod method = PaymentMethod::kCounter;
  std::string reference;
  std::optional<std::int64_t> paid_at;  // defaults to now; never in the future
  std::optional<std::string> idempotency_key;
};

struct BillWithPayments {
  Bill bill;
  std::vector<Payment> payments;
};

struct ArrearsBuilding {
  std::int64_t building_id = 0;
  std::string building_name;
  std::int64_t household_count = 0;
  std::int64_t bill_count = 0;
  std::int64_t outstanding_fen = 0;
};

struct Arrears {
  std::string as_of;  // ISO date: bills due before it and not fully paid
  std::int64_t bill_count = 0;
  std::int64_t household_count = 0;
  std::int64_t outstanding_fen = 0;
  std::vector<ArrearsBuilding> buildings;
  std::vector<Bill> bills;  // oldest due first, at most kArrearsBillsMax
  bool truncated = false;
};

// ---------------------------------------------------------------------------------------------
// Announcements and alerts

enum class AnnouncementKind : std::uint8_t { kNotice, kAlert };
std::string_view Name(AnnouncementKind kind);
std::optional<AnnouncementKind> ParseAnnouncementKind(std::string_view text);

enum class Severity : std::uint8_t { kInfo, kWarning, kCritical };
std::string_view Name(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view text);

enum class Audience : std::uint8_t { kCommunity, kBuildings, kGrids };
std::string_view Name(Audience audience);
std::optional<Audience> ParseAudience(std::string_view text);

// Categories: general, maintenance, event, policy, weather, outage, safety.
bool IsKnownCategory(std::string_view category);

struct Announcement {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  AnnouncementKind kind = AnnouncementKind::kNotice;
  std::string category = "general";
  std::optional<Severity> severity;  // alerts only
  std::string title;
  std::string body;
  Audience audience = Audience::kCommunity;
  std::vector<std::int64_t> target_ids;  // building or grid ids
  bool pinned = false;
  std::optional<std::int64_t> published_by;
  std::optional<std::int64_t> published_by_api_key;
  std::int64_t created_at = 0;
  std::optional<std::int64_t> expires_at;
  std::optional<std::int64_t> withdrawn_at;
  bool fanout_done = true;
  std::int64_t fanout_after = 0;  // alert delivery cursor: the last user id reached
  std::int64_t recipients = 0;    // inboxes an alert reached so far

  bool Active(std::int64_t now_s) const {
    return !withdrawn_at && (!expires_at || *expires_at > now_s);
  }
};

struct AnnouncementInput {
  AnnouncementKind kind = AnnouncementKind::kNotice;
  std::string category = "general";
  std::optional<Severity> severity;  // required for alerts, refused for notices
  std::string title;
  std::string body;
  Audience audience = Audience::kCommunity;
  std::vector<std::int64_t> target_ids;
  bool pinned = false;
  std::optional<std::int64_t> expires_at;
};

struct AnnouncementList {
  std::vector<Announcement> pinned;  // every active pinned one (first page only)
  std::vector<Announcement> items;   // the rest, newest first
  std::optional<std::int64_t> next;
};

}  // namespace linli::property
