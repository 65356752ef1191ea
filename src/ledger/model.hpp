#pragma once
// The ledger's vocabulary: a TigerBeetle-style double-entry model. One ledger per community and
// currency; an account carries its posted and pending debit/credit totals; a transfer moves an
// amount from a debit account to a credit account of the same ledger and is never edited.
//
// Units: points are integer points (积分); time credits are integer minutes (时间币); money is
// integer fen. A resident's balance is credits_posted − debits_posted (credit-normal); the
// issuance pool's balance is negative by the points it has issued.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace linli::ledger {

enum class Currency : std::uint8_t { kPoints, kMinutes };
enum class OwnerKind : std::uint8_t { kResident, kHousehold, kMerchant, kOrganisation, kPool };
// Community pools: issuance (where points come from; may go negative), rewards (earnings),
// escrow (booking deposits), fees (merchant settlement), subsidies, donations.
enum class Pool : std::uint8_t {
  kNone,
  kIssuance,
  kRewards,
  kEscrow,
  kFees,
  kSubsidies,
  kDonations
};
enum class TransferKind : std::uint8_t {
  kPosted,         // moves the amount now
  kPending,        // a hold: reserves the amount until posted, voided or expired
  kPostPending,    // posts (part of) a hold; the rest is released
  kVoidPending,    // releases a hold
  kExpirePending,  // releases a hold whose timeout passed (the scheduler)
};
enum class HoldState : std::uint8_t { kPending, kPosted, kVoided, kExpired };

std::string_view Name(Currency value);
std::string_view Name(OwnerKind value);
std::string_view Name(Pool value);
std::string_view Name(TransferKind value);
std::string_view Name(HoldState value);
std::optional<Currency> ParseCurrency(std::string_view text);
std::optional<OwnerKind> ParseOwnerKind(std::string_view text);
std::optional<Pool> ParsePool(std::string_view text);
std::optional<TransferKind> ParseTransferKind(std::string_view text);
std::optional<HoldState> ParseHoldState(std::string_view text);

struct Account {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;
  OwnerKind owner_kind = OwnerKind::kResident;
  std::int64_t owner_id = 0;  // user id (resident, merchant), household id, API key id; 0 for pools
  Pool pool = Pool::kNone;
  bool no_overdraft = true;  // debits (posted + pending) must not exceed credits + credit_limit
  std::optional<std::int64_t> credit_limit;  // how far below zero it may go (with no_overdraft)
  std::optional<std::int64_t> upper_limit;   // the most it may hold (pending credits count)
  bool vulnerable = false;                   // a household certified by the committee
  std::int64_t debits_posted = 0;
  std::int64_t credits_posted = 0;
  std::int64_t debits_pending = 0;
  std::int64_t credits_pending = 0;
  std::int64_t created_at = 0;

  std::int64_t balance() const { return credits_posted - debits_posted; }
  // What may still be spent: the balance less outgoing holds, plus the credit limit. Only
  // meaningful with no_overdraft (otherwise unbounded).
  std::int64_t available() const { return balance() - debits_pending + credit_limit.value_or(0); }
};

// Error reason when `account` breaks one of its limits, or "" when it keeps them all.
// insufficient_funds: debits would exceed credits (+ credit limit); exceeds_upper_limit.
std::string_view LimitViolation(const Account& account);

// One item of a write request. For kPending, timeout_s (0 = never) sets when the hold expires.
// For kPostPending/kVoidPending, pending_id names the hold and the accounts are taken from it;
// amount of a post may be less than the hold (0 = the whole hold).
struct TransferItem {
  TransferKind kind = TransferKind::kPosted;
  std::int64_t debit_account_id = 0;
  std::int64_t credit_account_id = 0;
  std::int64_t amount = 0;
  std::optional<std::int64_t> pending_id;
  std::int64_t timeout_s = 0;
  std::string code = "transfer";  // purpose: transfer, payment, earning:<rule>, grant, ...
  std::string memo;               // free text without personal data (≤ kLedgerMemoBytesMax)
  std::optional<std::int64_t> reverses_id;  // corrections only
  std::optional<std::int64_t> value_fen;    // redemptions and donations: the yuan value in fen
};

struct Transfer {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;
  std::int64_t request_id = 0;
  std::int64_t debit_account_id = 0;
  std::int64_t credit_account_id = 0;
  std::int64_t amount = 0;
  TransferKind kind = TransferKind::kPosted;
  std::optional<std::int64_t> pending_id;
  std::optional<std::int64_t> reverses_id;
  std::optional<std::int64_t> timeout_at;
  std::string code;
  std::string memo;
  std::optional<std::int64_t> value_fen;
  std::int64_t actor_user_id = 0;
  std::int64_t created_at = 0;
  // For pending transfers: the hold's current state (filled when read).
  std::optional<HoldState> hold_state;
};

// A write request: one transfer, or several linked ones that succeed or fail together.
struct TransferRequest {
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;  // every item must be in this currency
  std::optional<std::string> idempotency_key;
  std::vector<TransferItem> items;
};

// A canonical fingerprint of the request's fields (hex SHA-256): the same key with another
// fingerprint is idempotency_key_reused.
std::string RequestHash(const TransferRequest& request);

// The outcome of a write request; `replayed` when it is the stored outcome of an earlier one.
struct Outcome {
  std::int64_t request_id = 0;
  std::vector<Transfer> transfers;
  bool replayed = false;
};

// One line of an account statement, newest first.
struct StatementLine {
  Transfer transfer;
  std::int64_t counterparty_account_id = 0;
  std::int64_t amount = 0;          // signed change of the posted balance (0 for holds/voids)
  std::int64_t pending_change = 0;  // signed change of the account's held amount
  std::int64_t balance_after = 0;   // posted balance after this line
};

// ---------------------------------------------------------------------------------------------
// Rules (per community, versioned)

enum class EarningUnit : std::uint8_t { kTime, kHour, kItem };
std::string_view Name(EarningUnit value);
std::optional<EarningUnit> ParseEarningUnit(std::string_view text);

struct EarningRule {
  std::string code;  // [a-z0-9_]{1,32}, e.g. "deliberation"
  std::string name;  // shown in the UI
  Currency currency = Currency::kPoints;
  std::int64_t amount_per_unit = 0;  // points (or minutes) per unit
  EarningUnit unit = EarningUnit::kTime;
};

// Valuation parameters: factors in per-mille (1000 = ×1.0) so every computation is integral.
struct ValuationRules {
  std::int64_t points_per_yuan = 20;  // goods: purchase cost → points
  std::map<std::string, std::int64_t> condition_permille{
      {"new", 1000}, {"like_new", 900}, {"good", 700}, {"fair", 500}, {"worn", 300}};
  std::map<std::string, std::int64_t> demand_permille{
      {"low", 800}, {"normal", 1000}, {"high", 1300}};
  std::int64_t points_per_hour = 5;  // time: base rate
  std::map<std::string, std::int64_t> intensity_permille{
      {"light", 800}, {"normal", 1000}, {"heavy", 1500}};
  std::int64_t special_slot_permille = 1500;  // nights, weekends, holidays
  std::int64_t skill_base_points = 15;        // skills: per session
  std::map<std::string, std::int64_t> scarcity_permille{
      {"common", 1000}, {"uncommon", 1500}, {"rare", 2000}};
  std::int64_t certified_permille = 1300;
};

struct Rules {
  std::int64_t community_id = 0;  // set when read for a community
  std::int64_t version = 0;       // 0: the built-in defaults (no version saved yet)
  std::vector<EarningRule> earning;
  // Merchant redemption: redemption_points points are worth redemption_fen fen (100 = 5 yuan).
  std::int64_t redemption_points = 100;
  std::int64_t redemption_fen = 500;
  // Corporate donations: donation_fen fen buy donation_points points.
  std::int64_t donation_fen = 500;
  std::int64_t donation_points = 100;
  std::int64_t new_member_points = 50;
  std::int64_t new_member_minutes = 0;
  std::int64_t subsidy_points = 100;  // per subsidy to a certified vulnerable household
  ValuationRules valuation;
  std::int64_t created_at = 0;
  std::int64_t actor_user_id = 0;

  const EarningRule* FindEarning(std::string_view code) const;
};

// The defaults from practice: deliberation 10 points per time, volunteering 5 per hour (and 60
// time-bank minutes per hour), skill sharing 15 per time, community cleaning 10, providing a
// resource 5.
Rules DefaultRules();

// Checks a rule set (codes unique and well-formed, amounts and rates positive and bounded);
// 400 invalid_field with errors[] naming the fields.
Status ValidateRules(const Rules& rules);

// The rule set as JSON text (stored) and back. ParseRulesJson accepts only what RulesJson
// writes (plus missing members taking defaults).
std::string RulesJson(const Rules& rules);
Result<Rules> ParseRulesJson(std::string_view text);

// Points (or minutes) earned by `quantity` units of `rule`; for kHour rules quantity is minutes.
std::int64_t EarnedAmount(const EarningRule& rule, std::int64_t quantity);
// Fen a merchant receives for `points` (floored).
std::int64_t RedemptionFen(const Rules& rules, std::int64_t points);
// Points a donation of `fen` buys (floored).
std::int64_t DonationPoints(const Rules& rules, std::int64_t fen);

// ---------------------------------------------------------------------------------------------
// Valuation helpers (pure): suggested points for goods, time and skills.

struct GoodsValuation {
  std::int64_t purchase_cost_fen = 0;
  std::string condition = "good";
  std::string demand = "normal";
};
struct TimeValuation {
  std::int64_t minutes = 0;
  std::string intensity = "normal";
  bool special_slot = false;
};
struct SkillValuation {
  std::int64_t sessions = 1;
  std::string scarcity = "common";
  bool certified = false;
};

// 400 invalid_field (field "condition"/"demand"/"intensity"/"scarcity", "unsupported") for a
// name the rules do not know. Results are floored to whole points.
Result<std::int64_t> ValueGoods(const ValuationRules& rules, const GoodsValuation& goods);
Result<std::int64_t> ValueTime(const ValuationRules& rules, const TimeValuation& time);
Result<std::int64_t> ValueSkill(const ValuationRules& rules, const SkillValuation& skill);

}  // namespace linli::ledger
