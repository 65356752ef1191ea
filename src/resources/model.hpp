#pragma once
// The resource pool (资源池): resource cards, their lifecycle state machine, usage rules and the
// validation every intake channel (online form, CSV import, demo seeding) shares. Pure: no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace linli::resources {

// Every enum below has a stable snake_case name used in the API, the database and CSV files.
enum class Kind : std::uint8_t { kSpace, kService, kGoods, kManpower };
enum class OwnerType : std::uint8_t {
  kIndividual,
  kMerchant,
  kProperty,
  kCommunity,
  kOrganisation
};
enum class Availability : std::uint8_t { kAvailable, kReserved, kInUse, kMaintenance };
enum class Lifecycle : std::uint8_t { kDraft, kPendingReview, kListed, kDelisted, kArchived };
enum class RuleType : std::uint8_t { kFree, kPrice, kPoints, kExchange, kDeposit };
enum class Visibility : std::uint8_t { kCommunity, kStreet, kCity };
enum class Condition : std::uint8_t { kNew, kLikeNew, kGood, kFair, kWorn };

std::string_view Name(Kind value);
std::string_view Name(OwnerType value);
std::string_view Name(Availability value);
std::string_view Name(Lifecycle value);
std::string_view Name(RuleType value);
std::string_view Name(Visibility value);
std::string_view Name(Condition value);

// Parse the stable names. The *Label variants also accept the Chinese words survey staff write
// in CSV files (空间, 免费, 九成新, ...); see docs/resources-csv.md.
std::optional<Kind> ParseKind(std::string_view text);
std::optional<OwnerType> ParseOwnerType(std::string_view text);
std::optional<Availability> ParseAvailability(std::string_view text);
std::optional<Lifecycle> ParseLifecycle(std::string_view text);
std::optional<RuleType> ParseRuleType(std::string_view text);
std::optional<Visibility> ParseVisibility(std::string_view text);
std::optional<Condition> ParseCondition(std::string_view text);
std::optional<Kind> ParseKindLabel(std::string_view text);
std::optional<OwnerType> ParseOwnerTypeLabel(std::string_view text);
std::optional<RuleType> ParseRuleTypeLabel(std::string_view text);
std::optional<Visibility> ParseVisibilityLabel(std::string_view text);
std::optional<Condition> ParseConditionLabel(std::string_view text);

// Second-level attributes; only those of the card's kind may be set:
//   space: capacity (people), open_hours, facilities      service: skill (required), certificate
//   goods: condition, quantity (default 1)                manpower: team_size (default 1), skills
struct KindAttributes {
  std::optional<std::int64_t> capacity;
  std::string open_hours;
  std::vector<std::string> facilities;
  std::string skill;
  std::string certificate;
  std::optional<Condition> condition;
  std::optional<std::int64_t> quantity;
  std::optional<std::int64_t> team_size;
  std::vector<std::string> skills;

  bool operator==(const KindAttributes&) const = default;
};

// How a card may be used. Only the fields of `type` may be non-empty:
//   price: price_fen (> 0) per price_unit ("小时", "次", ...)   points: points (> 0)
//   exchange: exchange_terms (what the owner would like in return)   deposit: deposit_points (> 0)
struct UsageRule {
  RuleType type = RuleType::kFree;
  std::int64_t price_fen = 0;
  std::string price_unit;
  std::int64_t points = 0;
  std::int64_t deposit_points = 0;
  std::string exchange_terms;

  bool operator==(const UsageRule&) const = default;
};

// A building of the card's community, WGS-84 coordinates, both, or neither.
struct Location {
  std::optional<std::int64_t> building_id;
  std::optional<double> lat;  // degrees; lat and lon come together
  std::optional<double> lon;

  bool operator==(const Location&) const = default;
};

// What an owner writes; editing any of it on a listed card sends the card back to review.
struct CardContent {
  Kind kind = Kind::kGoods;
  OwnerType owner_type = OwnerType::kIndividual;
  std::string title;
  std::string description;
  std::vector<std::string> tags;  // free tags, e.g. "家电维修", "适合老人"
  KindAttributes attributes;
  UsageRule rule;
  Location location;
  Visibility visibility = Visibility::kCommunity;

  bool operator==(const CardContent&) const = default;
};

// A change to a card's content. Groups are replaced as a whole, so a client never has to send
// "clear this" markers: attributes (also cleared when the kind changes and none are sent), the
// rule amounts (the type stays unless `rule` is sent), the location.
struct CardPatch {
  std::optional<Kind> kind;
  std::optional<OwnerType> owner_type;
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::vector<std::string>> tags;
  std::optional<Visibility> visibility;
  std::optional<KindAttributes> attributes;
  std::optional<RuleType> rule;
  std::optional<UsageRule> rule_amounts;  // its `type` is ignored
  std::optional<Location> location;

  bool empty() const;
};

// `current` with `patch` applied (lists normalised); validate the result with Validate.
CardContent Apply(const CardContent& current, const CardPatch& patch);

// Why a card left the market.
inline constexpr std::string_view kDelistedByOwner = "owner";
inline constexpr std::string_view kDelistedByReviewer = "reviewer";
inline constexpr std::string_view kDelistedOverdue = "reconfirmation_overdue";
inline constexpr std::string_view kDelistedIdle = "idle";

struct Card {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::optional<std::int64_t> owner_user_id;     // the publishing user
  std::optional<std::int64_t> owner_api_key_id;  // or the organisation API key that published it
  CardContent content;
  Availability availability = Availability::kAvailable;
  Lifecycle lifecycle = Lifecycle::kDraft;
  std::optional<std::string> ref;  // external key: survey id, demo key; unique per community
  std::int64_t version = 1;        // bumped by every change; the ETag
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
  std::optional<std::int64_t> listed_at;
  std::optional<std::int64_t> reconfirm_due_at;
  std::optional<std::int64_t> reminded_at;  // the reconfirmation reminder of the current period
  std::int64_t last_activity_at = 0;        // listing, availability change or use (not edits)
  std::optional<std::string> delisted_reason;
  std::vector<std::int64_t> photo_ids;
};

// A decision of the review committee, kept with its reason.
struct Review {
  std::int64_t id = 0;
  std::int64_t reviewer_id = 0;  // 0: the system (CLI import, demo seeding)
  std::string decision;          // "approve", "reject" or "delist"
  std::string reason;
  std::int64_t decided_at = 0;
};

// ---------------------------------------------------------------------------------------------
// Lifecycle state machine
//
//   draft ──submit──▶ pending_review ──approve──▶ listed ──delist──▶ delisted
//     ▲                 │    │                      │  ▲                 │
//     └──reject/withdraw┘    │                      │  └──reconfirm      │
//                            ◀────────edit──────────┘                    │
//                            ◀────────────────submit─────────────────────┘
//   archive: from every state except archived (final).
//   edit: keeps draft, pending_review and delisted; sends listed back to pending_review.

enum class Event : std::uint8_t {
  kEdit,
  kSubmit,
  kWithdraw,
  kApprove,
  kReject,
  kReconfirm,
  kDelist,
  kArchive,
};
std::string_view Name(Event value);

// The state after `event`, or 409 illegal_transition whose detail names from → to.
Result<Lifecycle> Transition(Lifecycle from, Event event);

// ---------------------------------------------------------------------------------------------
// Validation

// Every problem of `content`, as API field names with field reasons (empty when valid).
std::vector<FieldError> Validate(const CardContent& content);

// Trims each item and drops empty and repeated ones, keeping the order (tags, facilities,
// skills). Limits are checked by Validate afterwards.
std::vector<std::string> NormaliseList(const std::vector<std::string>& items);

// Tags the search index filters on: the free tags, the kind's skill/skills/facilities, the
// goods condition ("condition:good") and the owner type ("owner:merchant").
std::vector<std::string> SearchTags(const CardContent& content);

// The first `max_chars` characters of `text` (UTF-8 aware), with "…" when cut.
std::string Excerpt(std::string_view text, std::size_t max_chars);

// ---------------------------------------------------------------------------------------------
// Photos

// "image/jpeg", "image/png" or "image/webp" from the magic bytes, else nullopt.
std::optional<std::string> DetectImageType(std::string_view bytes);

// ---------------------------------------------------------------------------------------------
// Reconfirmation policy

// Days are per community (resource_settings) or these defaults (configuration).
struct Policy {
  std::int64_t reconfirm_days = 90;  // a listed card must be reconfirmed this often
  std::int64_t reminder_days = 7;    // the owner is reminded this long before it falls due
  std::int64_t idle_days = 180;      // listed without activity this long: delisted
};
inline constexpr std::int64_t kDayS = 24 * 3600;
inline constexpr std::int64_t kPolicyDaysMax = 3650;

struct Settings {
  std::int64_t community_id = 0;
  Policy policy;
  bool customised = false;  // false: the configuration defaults apply
};

}  // namespace linli::resources
