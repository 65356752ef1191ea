#pragma once
// SQL of the ledger module; portable across SQLite and PostgreSQL. Owns the tables of migration
// 0008_ledger. Functions run inside the caller's transaction.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/page.hpp"
#include "ledger/model.hpp"
#include "storage/store.hpp"

namespace linli::ledger::repo {

using storage::Session;

Result<std::optional<Account>> FindAccount(Session& s, std::int64_t id);
Result<std::optional<Account>> FindOwnedAccount(Session& s, std::int64_t community_id,
                                                Currency currency, OwnerKind kind,
                                                std::int64_t owner_id, Pool pool);
// Inserts the account unless one with its (community, currency, owner, pool) exists; returns
// the new id, or nullopt when it already existed.
Result<std::optional<std::int64_t>> InsertAccountIfMissing(Session& s, const Account& account);
// Writes the four balance columns (absolute values computed by the service).
Status SaveBalances(Session& s, const Account& account);
// Writes credit_limit, upper_limit and vulnerable.
Status SaveSettings(Session& s, const Account& account);
// By id; `owner_kind` filters when given. PageRequest::after is an account id.
Result<Page<Account>> ListAccounts(Session& s, std::int64_t community_id,
                                   std::optional<OwnerKind> owner_kind, const PageRequest& page);
// The accounts of a user (resident and merchant) in a community, by id.
Result<std::vector<Account>> AccountsOfUser(Session& s, std::int64_t community_id,
                                            std::int64_t user_id);

struct RequestRow {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::string request_hash;
  std::int64_t actor_user_id = 0;
  std::optional<std::int64_t> actor_api_key_id;
  std::optional<std::string> error_reason;
  std::string error_detail;
};
// Inserts a request row; with a key that is already taken returns nullopt (no error, so a
// PostgreSQL transaction stays usable).
Result<std::optional<std::int64_t>> InsertRequest(Session& s, std::int64_t community_id,
                                                  const std::optional<std::string>& key,
                                                  const std::string& hash,
                                                  std::int64_t actor_user_id,
                                                  std::optional<std::int64_t> actor_api_key_id,
                                                  std::int64_t now_s);
Result<std::optional<RequestRow>> FindRequest(Session& s, std::int64_t community_id,
                                              const std::string& key);
Status SetRequestError(Session& s, std::int64_t request_id, const std::string& reason,
                       const std::string& detail);

Result<std::int64_t> InsertTransfer(Session& s, const Transfer& transfer);
// With hold_state filled for pending transfers.
Result<std::optional<Transfer>> FindTransfer(Session& s, std::int64_t id);
Result<std::vector<Transfer>> TransfersOfRequest(Session& s, std::int64_t request_id);
// Whether a correction of `transfer_id` exists.
Result<bool> IsReversed(Session& s, std::int64_t transfer_id);

struct Hold {
  std::int64_t transfer_id = 0;
  std::int64_t community_id = 0;
  std::int64_t debit_account_id = 0;
  std::int64_t credit_account_id = 0;
  std::int64_t amount = 0;
  HoldState state = HoldState::kPending;
  std::optional<std::int64_t> timeout_at;
  std::optional<std::int64_t> resolved_by;
};
Status InsertHold(Session& s, const Hold& hold);
Result<std::optional<Hold>> FindHold(Session& s, std::int64_t transfer_id);
// Marks a pending hold resolved; false when it was no longer pending.
Result<bool> ResolveHold(Session& s, std::int64_t transfer_id, HoldState state,
                         std::int64_t resolved_by);
// Pending holds whose timeout is at or before now_s, oldest first.
Result<std::vector<Hold>> DueHolds(Session& s, std::int64_t now_s, std::size_t limit);

// Statement lines of an account, newest first; PageRequest::after is a transfer id.
Result<Page<Transfer>> TransfersOfAccount(Session& s, std::int64_t account_id,
                                          const PageRequest& page);
// The posted balance of the account counting only transfers with id <= up_to_id.
Result<std::int64_t> PostedBalanceUpTo(Session& s, std::int64_t account_id, std::int64_t up_to_id);

// The newest rule set of the community, if any was saved.
Result<std::optional<Rules>> LatestRules(Session& s, std::int64_t community_id);
Status InsertRules(Session& s, std::int64_t community_id, const Rules& rules);

// --- verification (linli verify-ledger) ---------------------------------------------------------

struct LedgerTotals {
  std::int64_t community_id = 0;
  Currency currency = Currency::kPoints;
  std::int64_t accounts = 0;
  std::int64_t debits_posted = 0;
  std::int64_t credits_posted = 0;
  std::int64_t debits_pending = 0;
  std::int64_t credits_pending = 0;
};
// Per ledger, from the account columns.
Result<std::vector<LedgerTotals>> AccountTotals(Session& s);

struct AccountCheck {
  Account account;
  // Recomputed from transfers and open holds.
  std::int64_t debits_posted = 0;
  std::int64_t credits_posted = 0;
  std::int64_t debits_pending = 0;
  std::int64_t credits_pending = 0;
};
// Every account with its entries summed, by id.
Result<std::vector<AccountCheck>> RecomputedAccounts(Session& s);
// Transfers whose accounts are of another community or currency than the transfer, or holds
// whose state disagrees with their resolving transfer; the first offending transfer id.
Result<std::optional<std::int64_t>> FirstInconsistentTransfer(Session& s);
Result<std::int64_t> TransferCount(Session& s);

}  // namespace linli::ledger::repo
