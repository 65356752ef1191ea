#pragma once
// Use cases of the points bank 积分银行 and time bank 时间银行: a double-entry ledger per
// community and currency (see docs/adr/0005-ledger.md).
//
// Invariants (checked by `linli verify-ledger`, held by this service and by CHECKs):
//   - every transfer is immutable, moves a positive amount between two accounts of the same
//     community and currency, and is written with both accounts' balance columns in one
//     transaction, so every ledger sums to zero and every balance equals its entries;
//   - holds are pending transfers: their amount counts in debits_pending/credits_pending (less
//     available) until posted (fully or partly — the rest is released), voided, or expired by
//     the scheduler (ExpireHolds) once their timeout passes;
//   - an account with no_overdraft never has debits (posted + pending) above its credits plus
//     its credit limit; an account with an upper limit never holds more (pending credits
//     count); only the issuance pool may go negative;
//   - a request (one transfer, or several linked transfers that succeed or fail together) with
//     an idempotency key has exactly one effect: a retry with the same fields returns the first
//     outcome (also a business failure such as insufficient_funds), the same key with other
//     fields is 422 idempotency_key_reused;
//   - corrections are reversing transfers (code "correction"), never edits or deletes.
//
// Who may do what (every write is audited with ids and amounts only, never personal data):
//   - a member of the community: opens their own wallet (resident accounts in both currencies,
//     plus a merchant account for merchants; the new-member grant on first opening), reads and
//     pays from their own accounts, places holds from them, posts/voids holds they created or
//     that credit their account; a merchant redeems (cashes out) points at the rule's rate;
//   - committee and admin: everything in their community — opening household/merchant/
//     organisation accounts, limits and the vulnerable certification, transfers between any
//     accounts (pools included), corrections, rules, donations, subsidies, earnings;
//   - property staff and grid workers also record earnings; auditors read every account;
//   - organisation API keys: scope ledger:read to read, ledger:write to move points from the
//     organisation's own account (owner_kind organisation, owner_id = the key's id);
//   - the system actor (CLI, jobs, other modules' adapters): everything.
//   Not a member → 404 not_found; a member without the role → 403 forbidden.
//
// Error reasons: unauthenticated (401), forbidden / insufficient_scope (403), not_found (404),
// invalid_field (400), already_reversed (409), idempotency_key_reused,
// insufficient_funds, exceeds_upper_limit, currency_mismatch, hold_not_pending, hold_expired,
// exceeds_hold_amount, not_reversible, unknown_rule, amount_too_small, not_certified,
// limit_below_balance (422).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/service.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "ledger/model.hpp"
#include "ledger/repo.hpp"
#include "storage/store.hpp"

namespace linli::ledger {

struct Wallet {
  std::int64_t community_id = 0;
  std::vector<Account> accounts;  // resident points, resident minutes, merchant points (if any)
  Rules rules;
};

struct AccountOpen {
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;
  OwnerKind owner_kind = OwnerKind::kHousehold;  // household, merchant, organisation, resident
  std::int64_t owner_id = 0;
  std::optional<std::int64_t> credit_limit;
  std::optional<std::int64_t> upper_limit;
};

struct AccountPatch {
  std::optional<std::int64_t> credit_limit;
  bool remove_credit_limit = false;
  std::optional<std::int64_t> upper_limit;
  bool remove_upper_limit = false;
  std::optional<bool> vulnerable;
};

struct StatementPage {
  Account account;
  std::vector<StatementLine> lines;
  std::optional<std::int64_t> next;
};

struct EarningRequest {
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;
  std::string rule_code;
  std::int64_t quantity = 1;  // units of the rule; minutes for per-hour rules
  std::string memo;
  std::optional<std::string> idempotency_key;
};

struct PaymentRequest {
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;
  std::int64_t payee_account_id = 0;
  std::int64_t amount = 0;
  std::string memo;
  std::optional<std::string> idempotency_key;
};

struct HoldRequest {
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;
  std::int64_t debit_account_id = 0;
  std::int64_t credit_account_id = 0;
  std::int64_t amount = 0;
  std::int64_t timeout_s = 0;  // 0: never expires
  std::string code = "hold";
  std::string memo;
  std::optional<std::string> idempotency_key;
};

struct Valuation {
  std::string kind;  // goods, time, skill
  GoodsValuation goods;
  TimeValuation time;
  SkillValuation skill;
};

struct ValuationResult {
  std::int64_t points = 0;
  std::int64_t rules_version = 0;
};

struct Verification {
  bool ok = true;
  std::int64_t ledgers = 0;
  std::int64_t accounts = 0;
  std::int64_t transfers = 0;
  std::string problem;  // ledger_unbalanced, balance_mismatch, pending_mismatch, limit_broken,
                        // transfer_inconsistent
  std::optional<std::int64_t> community_id;
  std::optional<Currency> currency;
  std::optional<std::int64_t> account_id;
  std::optional<std::int64_t> transfer_id;
};

class LedgerService {
 public:
  LedgerService(storage::Store& store, const audit::AuditService& audit, const Clock& clock);

  // --- Use cases, each in its own transaction. community_id 0 = the caller's current one. ----
  Result<Wallet> GetWallet(const Actor& actor, std::int64_t community_id);
  // Opens the caller's accounts (idempotent) and pays the new-member grant on first opening.
  Result<Wallet> OpenWallet(const Actor& actor, std::int64_t community_id);

  Result<Account> GetAccount(const Actor& actor, std::int64_t account_id);
  Result<Page<Account>> ListAccounts(const Actor& actor, std::int64_t community_id,
                                     std::optional<OwnerKind> owner_kind, const PageRequest& page);
  // Committee/admin; returns the account and whether it was created now.
  Result<std::pair<Account, bool>> OpenAccount(const Actor& actor, const AccountOpen& open);
  // Committee/admin; limits may not be set below what the account already uses (422
  // limit_below_balance).
  Result<Account> UpdateAccount(const Actor& actor, std::int64_t account_id,
                                const AccountPatch& patch);

  // Transfers, linked chains, holds, posts and voids in one request (see TransferItem).
  Result<Outcome> Submit(const Actor& actor, const TransferRequest& request);
  Result<Outcome> PlaceHold(const Actor& actor, const HoldRequest& request);
  // amount 0 posts the whole hold.
  Result<Outcome> PostHold(const Actor& actor, std::int64_t hold_id, std::int64_t amount,
                           const std::optional<std::string>& idempotency_key);
  Result<Outcome> VoidHold(const Actor& actor, std::int64_t hold_id,
                           const std::optional<std::string>& idempotency_key);
  Result<Transfer> GetTransfer(const Actor& actor, std::int64_t transfer_id);
  // The stored outcome of the caller's request with this key (replayed = true).
  Result<Outcome> FindByKey(const Actor& actor, std::int64_t community_id, const std::string& key);
  // Committee/admin: reverses a posted transfer once.
  Result<Outcome> Correct(const Actor& actor, std::int64_t transfer_id, const std::string& memo,
                          const std::optional<std::string>& idempotency_key);

  Result<StatementPage> Statement(const Actor& actor, std::int64_t account_id,
                                  const PageRequest& page);
  // RFC 4180 CSV (UTF-8 with BOM), newest first, at most kLedgerStatementCsvRowsMax lines.
  Result<std::string> StatementCsv(const Actor& actor, std::int64_t account_id);

  // Rules: any member reads; committee/admin save a new version.
  Result<Rules> GetRules(const Actor& actor, std::int64_t community_id);
  Result<Rules> PutRules(const Actor& actor, std::int64_t community_id, Rules rules);

  // Staff record that a resident earned by a rule: rewards pool → the resident.
  Result<Outcome> RecordEarning(const Actor& actor, const EarningRequest& request);
  // The caller pays from their own resident account to a payee (a neighbour, a merchant).
  Result<Outcome> Pay(const Actor& actor, const PaymentRequest& request);
  // A merchant cashes out points to the fees pool; value_fen by the redemption rate.
  Result<Outcome> Redeem(const Actor& actor, std::int64_t community_id, std::int64_t points,
                         const std::optional<std::string>& idempotency_key);
  // Committee records a corporate donation in fen: points issued to the donations pool.
  Result<Outcome> Donate(const Actor& actor, std::int64_t community_id, std::int64_t amount_fen,
                         const std::string& memo,
                         const std::optional<std::string>& idempotency_key);
  // Committee pays the rule's subsidy from the subsidies pool to a certified vulnerable account.
  Result<Outcome> Subsidise(const Actor& actor, std::int64_t account_id, const std::string& memo,
                            const std::optional<std::string>& idempotency_key);
  // Pure calculation with the community's valuation rules (any member).
  Result<ValuationResult> Value(const Actor& actor, std::int64_t community_id,
                                const Valuation& valuation);

  // The scheduler job: expires pending holds whose timeout is at or before the clock's now (a
  // batch of at most kLedgerExpiryBatchMax per call). Returns how many expired.
  Result<int> ExpireHolds();

  // Every ledger balances, every balance equals its entries, pending totals equal open holds,
  // no account breaks its limits. For `linli verify-ledger` (and committee/auditors via the
  // API for their community when community_id is given).
  Result<Verification> VerifyAll(std::optional<std::int64_t> community_id = std::nullopt);
  Result<Verification> Verify(const Actor& actor, std::int64_t community_id);

  // --- Session-level API for other modules, inside their own write transaction. -------------
  // The caller's transaction commits or rolls back the ledger changes with its own. Errors are
  // the reasons above; a business failure (insufficient_funds ...) returns an error, so the
  // caller's whole transaction rolls back with it. Use Actor::System() for module-initiated
  // movements (escrow, rewards, compensation); idempotency keys should name the cause
  // ("booking:42:deposit").

  // The user's resident account in `currency`, opened (with the new-member grant) if missing.
  Result<Account> EnsureUserAccount(storage::Session& session, std::int64_t community_id,
                                    std::int64_t user_id, Currency currency) const;
  // A community pool (issuance, rewards, escrow, fees, subsidies, donations), opened if missing.
  Result<Account> EnsurePool(storage::Session& session, std::int64_t community_id,
                             Currency currency, Pool pool) const;
  Result<Outcome> TransferIn(storage::Session& session, const Actor& actor,
                             const TransferRequest& request) const;
  // A hold (pending transfer) from debit to credit; returns the pending transfer.
  Result<Transfer> HoldIn(storage::Session& session, const Actor& actor,
                          const HoldRequest& request) const;
  // Posts `amount` of the hold (0 = all; the rest is released); returns the posting transfer.
  Result<Transfer> PostPendingIn(storage::Session& session, const Actor& actor,
                                 std::int64_t hold_id, std::int64_t amount,
                                 const std::optional<std::string>& idempotency_key) const;
  // Releases the hold; returns the voiding transfer.
  Result<Transfer> VoidPendingIn(storage::Session& session, const Actor& actor,
                                 std::int64_t hold_id,
                                 const std::optional<std::string>& idempotency_key) const;
  // The rules in force (defaults when none saved).
  Result<Rules> RulesIn(storage::Session& session, std::int64_t community_id) const;

 private:
  // How much the request's items are checked against the actor: kCaller checks each debit
  // against the actor; kTrusted means the use case already authorised it.
  enum class Authority : std::uint8_t { kCaller, kTrusted };
  Result<Outcome> Execute(storage::Session& session, const Actor& actor,
                          const TransferRequest& request, Authority authority,
                          std::string_view action) const;
  Result<Outcome> SubmitAs(const Actor& actor, const TransferRequest& request, Authority authority,
                           std::string_view action);
  Result<std::int64_t> CommunityOf(const Actor& actor, std::int64_t community_id) const;
  Result<Account> ReadableAccount(storage::Session& session, const Actor& actor,
                                  std::int64_t account_id) const;
  Result<Transfer> HoldAction(storage::Session& session, const Actor& actor, TransferKind kind,
                              std::int64_t hold_id, std::int64_t amount,
                              const std::optional<std::string>& key) const;

  storage::Store& store_;
  const audit::AuditService& audit_;
  const Clock& clock_;
};

}  // namespace linli::ledger
