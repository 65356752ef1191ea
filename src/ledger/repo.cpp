#include "ledger/repo.hpp"

#include <string>

namespace linli::ledger::repo {
namespace {

using storage::Null;
using storage::Nullable;
using storage::Row;
using storage::Value;

constexpr std::string_view kAccountColumns =
    "id, community_id, currency, owner_kind, owner_id, pool, no_overdraft, credit_limit, "
    "upper_limit, vulnerable, debits_posted, credits_posted, debits_pending, credits_pending, "
    "created_at";

Account AccountFromRow(const Row& row, std::size_t at = 0) {
  Account a;
  a.id = row.Int(at + 0);
  a.community_id = row.Int(at + 1);
  a.currency = ParseCurrency(row.Text(at + 2)).value_or(Currency::kPoints);
  a.owner_kind = ParseOwnerKind(row.Text(at + 3)).value_or(OwnerKind::kResident);
  a.owner_id = row.Int(at + 4);
  a.pool = ParsePool(row.Text(at + 5)).value_or(Pool::kNone);
  a.no_overdraft = row.Int(at + 6) != 0;
  a.credit_limit = row.OptInt(at + 7);
  a.upper_limit = row.OptInt(at + 8);
  a.vulnerable = row.Int(at + 9) != 0;
  a.debits_posted = row.Int(at + 10);
  a.credits_posted = row.Int(at + 11);
  a.debits_pending = row.Int(at + 12);
  a.credits_pending = row.Int(at + 13);
  a.created_at = row.Int(at + 14);
  return a;
}

// The transfer columns, with the hold's state (NULL unless pending) from a LEFT JOIN on h.
constexpr std::string_view kTransferColumns =
    "t.id, t.community_id, t.currency, t.request_id, t.debit_account_id, t.credit_account_id, "
    "t.amount, t.kind, t.pending_id, t.reverses_id, t.timeout_at, t.code, t.memo, t.value_fen, "
    "t.actor_user_id, t.created_at, h.state";

Transfer TransferFromRow(const Row& row) {
  Transfer t;
  t.id = row.Int(0);
  t.community_id = row.Int(1);
  t.currency = ParseCurrency(row.Text(2)).value_or(Currency::kPoints);
  t.request_id = row.Int(3);
  t.debit_account_id = row.Int(4);
  t.credit_account_id = row.Int(5);
  t.amount = row.Int(6);
  t.kind = ParseTransferKind(row.Text(7)).value_or(TransferKind::kPosted);
  t.pending_id = row.OptInt(8);
  t.reverses_id = row.OptInt(9);
  t.timeout_at = row.OptInt(10);
  t.code = row.Text(11);
  t.memo = row.Text(12);
  t.value_fen = row.OptInt(13);
  t.actor_user_id = row.Int(14);
  t.created_at = row.Int(15);
  if (auto state = row.OptText(16)) t.hold_state = ParseHoldState(*state);
  return t;
}

std::string TransferSelect(std::string_view where_and_rest) {
  return "SELECT " + std::string(kTransferColumns) +
         " FROM ledger_transfers t LEFT JOIN ledger_holds h ON h.transfer_id = t.id " +
         std::string(where_and_rest);
}

Hold HoldFromRow(const Row& row) {
  Hold h;
  h.transfer_id = row.Int(0);
  h.community_id = row.Int(1);
  h.debit_account_id = row.Int(2);
  h.credit_account_id = row.Int(3);
  h.amount = row.Int(4);
  h.state = ParseHoldState(row.Text(5)).value_or(HoldState::kPending);
  h.timeout_at = row.OptInt(6);
  h.resolved_by = row.OptInt(7);
  return h;
}

constexpr std::string_view kHoldColumns =
    "transfer_id, community_id, debit_account_id, credit_account_id, amount, state, timeout_at, "
    "resolved_by";

Value OptText(const std::optional<std::string>& text) {
  if (!text) return Null{};
  return *text;
}

}  // namespace

Result<std::optional<Account>> FindAccount(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + std::string(kAccountColumns) +
                                                  " FROM ledger_accounts WHERE id = $1",
                                              {id}));
  if (!row) return std::optional<Account>{};
  return std::optional<Account>{AccountFromRow(*row)};
}

Result<std::optional<Account>> FindOwnedAccount(Session& s, std::int64_t community_id,
                                                Currency currency, OwnerKind kind,
                                                std::int64_t owner_id, Pool pool) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT " + std::string(kAccountColumns) +
                               " FROM ledger_accounts WHERE community_id = $1 AND currency = $2 "
                               "AND owner_kind = $3 AND owner_id = $4 AND pool = $5",
                           {community_id, std::string(Name(currency)), std::string(Name(kind)),
                            owner_id, std::string(Name(pool))}));
  if (!row) return std::optional<Account>{};
  return std::optional<Account>{AccountFromRow(*row)};
}

Result<std::optional<std::int64_t>> InsertAccountIfMissing(Session& s, const Account& a) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO ledger_accounts (community_id, currency, owner_kind, owner_id, pool, "
                 "no_overdraft, credit_limit, upper_limit, vulnerable, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                 "ON CONFLICT (community_id, currency, owner_kind, owner_id, pool) DO NOTHING "
                 "RETURNING id",
                 {a.community_id, std::string(Name(a.currency)), std::string(Name(a.owner_kind)),
                  a.owner_id, std::string(Name(a.pool)), std::int64_t{a.no_overdraft ? 1 : 0},
                  Nullable(a.credit_limit), Nullable(a.upper_limit),
                  std::int64_t{a.vulnerable ? 1 : 0}, a.created_at}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Status SaveBalances(Session& s, const Account& a) {
  LINLI_ASSIGN_OR_RETURN(
      auto changed,
      s.Execute("UPDATE ledger_accounts SET debits_posted = $2, credits_posted = $3, "
                "debits_pending = $4, credits_pending = $5 WHERE id = $1",
                {a.id, a.debits_posted, a.credits_posted, a.debits_pending, a.credits_pending}));
  if (changed != 1) return Error{Errc::kInternal, "ledger_account_missing", "account vanished"};
  return Ok();
}

Status SaveSettings(Session& s, const Account& a) {
  LINLI_TRY(
      s.Execute("UPDATE ledger_accounts SET credit_limit = $2, upper_limit = $3, vulnerable = $4 "
                "WHERE id = $1",
                {a.id, Nullable(a.credit_limit), Nullable(a.upper_limit),
                 std::int64_t{a.vulnerable ? 1 : 0}}));
  return Ok();
}

Result<Page<Account>> ListAccounts(Session& s, std::int64_t community_id,
                                   std::optional<OwnerKind> owner_kind, const PageRequest& page) {
  const std::string kind = owner_kind ? std::string(Name(*owner_kind)) : std::string();
  LINLI_ASSIGN_OR_RETURN(auto rows,
                         s.Query("SELECT " + std::string(kAccountColumns) +
                                     " FROM ledger_accounts WHERE community_id = $1 AND id > $2 "
                                     "AND ($3 = '' OR owner_kind = $3) ORDER BY id LIMIT $4",
                                 {community_id, page.after.value_or(0), kind,
                                  static_cast<std::int64_t>(page.limit + 1)}));
  return storage::PageFromRows(
      rows, page.limit, [](const Row& row) { return AccountFromRow(row); },
      [](const Account& a) { return a.id; });
}

Result<std::vector<Account>> AccountsOfUser(Session& s, std::int64_t community_id,
                                            std::int64_t user_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + std::string(kAccountColumns) +
                             " FROM ledger_accounts WHERE community_id = $1 AND owner_id = $2 "
                             "AND owner_kind IN ('resident', 'merchant') "
                             // resident points, resident minutes, then the merchant account
                             "ORDER BY owner_kind DESC, currency DESC, id",
                         {community_id, user_id}));
  std::vector<Account> out;
  for (const auto& row : rows) out.push_back(AccountFromRow(row));
  return out;
}

Result<std::optional<std::int64_t>> InsertRequest(Session& s, std::int64_t community_id,
                                                  const std::optional<std::string>& key,
                                                  const std::string& hash,
                                                  std::int64_t actor_user_id,
                                                  std::optional<std::int64_t> actor_api_key_id,
                                                  std::int64_t now_s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("INSERT INTO ledger_requests (community_id, idem_key, request_hash, "
                           "actor_user_id, actor_api_key_id, created_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6) "
                           "ON CONFLICT (community_id, idem_key) DO NOTHING RETURNING id",
                           {community_id, OptText(key), hash, actor_user_id,
                            Nullable(actor_api_key_id), now_s}));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::optional<RequestRow>> FindRequest(Session& s, std::int64_t community_id,
                                              const std::string& key) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT id, community_id, request_hash, actor_user_id, "
                           "actor_api_key_id, error_reason, error_detail FROM ledger_requests "
                           "WHERE community_id = $1 AND idem_key = $2",
                           {community_id, key}));
  if (!row) return std::optional<RequestRow>{};
  RequestRow out;
  out.id = row->Int(0);
  out.community_id = row->Int(1);
  out.request_hash = row->Text(2);
  out.actor_user_id = row->Int(3);
  out.actor_api_key_id = row->OptInt(4);
  out.error_reason = row->OptText(5);
  out.error_detail = row->OptText(6).value_or("");
  return std::optional<RequestRow>{std::move(out)};
}

Status SetRequestError(Session& s, std::int64_t request_id, const std::string& reason,
                       const std::string& detail) {
  LINLI_TRY(
      s.Execute("UPDATE ledger_requests SET error_reason = $2, error_detail = $3 "
                "WHERE id = $1",
                {request_id, reason, detail}));
  return Ok();
}

Result<std::int64_t> InsertTransfer(Session& s, const Transfer& t) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("INSERT INTO ledger_transfers (community_id, currency, request_id, "
                 "debit_account_id, credit_account_id, amount, kind, pending_id, reverses_id, "
                 "timeout_at, code, memo, value_fen, actor_user_id, created_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
                 "RETURNING id",
                 {t.community_id, std::string(Name(t.currency)), t.request_id, t.debit_account_id,
                  t.credit_account_id, t.amount, std::string(Name(t.kind)), Nullable(t.pending_id),
                  Nullable(t.reverses_id), Nullable(t.timeout_at), t.code, t.memo,
                  Nullable(t.value_fen), t.actor_user_id, t.created_at}));
  if (!row) return Error{Errc::kInternal, "database_error", "insert returned no id"};
  return row->Int(0);
}

Result<std::optional<Transfer>> FindTransfer(Session& s, std::int64_t id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne(TransferSelect("WHERE t.id = $1"), {id}));
  if (!row) return std::optional<Transfer>{};
  return std::optional<Transfer>{TransferFromRow(*row)};
}

Result<std::vector<Transfer>> TransfersOfRequest(Session& s, std::int64_t request_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query(TransferSelect("WHERE t.request_id = $1 ORDER BY t.id"), {request_id}));
  std::vector<Transfer> out;
  for (const auto& row : rows) out.push_back(TransferFromRow(row));
  return out;
}

Result<bool> IsReversed(Session& s, std::int64_t transfer_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("SELECT id FROM ledger_transfers WHERE reverses_id = $1", {transfer_id}));
  return row.has_value();
}

Status InsertHold(Session& s, const Hold& h) {
  LINLI_TRY(s.Execute(
      "INSERT INTO ledger_holds (transfer_id, community_id, debit_account_id, credit_account_id, "
      "amount, state, timeout_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6)",
      {h.transfer_id, h.community_id, h.debit_account_id, h.credit_account_id, h.amount,
       Nullable(h.timeout_at)}));
  return Ok();
}

Result<std::optional<Hold>> FindHold(Session& s, std::int64_t transfer_id) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT " + std::string(kHoldColumns) +
                                                  " FROM ledger_holds WHERE transfer_id = $1",
                                              {transfer_id}));
  if (!row) return std::optional<Hold>{};
  return std::optional<Hold>{HoldFromRow(*row)};
}

Result<bool> ResolveHold(Session& s, std::int64_t transfer_id, HoldState state,
                         std::int64_t resolved_by) {
  LINLI_ASSIGN_OR_RETURN(auto changed,
                         s.Execute("UPDATE ledger_holds SET state = $2, resolved_by = $3 "
                                   "WHERE transfer_id = $1 AND state = 'pending'",
                                   {transfer_id, std::string(Name(state)), resolved_by}));
  return changed == 1;
}

Result<std::vector<Hold>> DueHolds(Session& s, std::int64_t now_s, std::size_t limit) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows, s.Query("SELECT " + std::string(kHoldColumns) +
                             " FROM ledger_holds WHERE state = 'pending' AND timeout_at IS NOT "
                             "NULL AND timeout_at <= $1 ORDER BY timeout_at, transfer_id LIMIT $2",
                         {now_s, static_cast<std::int64_t>(limit)}));
  std::vector<Hold> out;
  for (const auto& row : rows) out.push_back(HoldFromRow(row));
  return out;
}

Result<Page<Transfer>> TransfersOfAccount(Session& s, std::int64_t account_id,
                                          const PageRequest& page) {
  // Two index range scans (by debit, by credit) merged, newest first.
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(
          TransferSelect("WHERE t.id IN (SELECT id FROM (SELECT id FROM ledger_transfers "
                         "WHERE debit_account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3) "
                         "d UNION ALL SELECT id FROM (SELECT id FROM ledger_transfers WHERE "
                         "credit_account_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3) c) "
                         "ORDER BY t.id DESC LIMIT $3"),
          {account_id, page.after.value_or(INT64_MAX), static_cast<std::int64_t>(page.limit + 1)}));
  return storage::PageFromRows(
      rows, page.limit, [](const Row& row) { return TransferFromRow(row); },
      [](const Transfer& t) { return t.id; });
}

Result<std::int64_t> PostedBalanceUpTo(Session& s, std::int64_t account_id, std::int64_t up_to_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne("SELECT COALESCE(CAST(SUM(CASE WHEN credit_account_id = $1 THEN amount ELSE "
                 "-amount END) AS BIGINT), 0) FROM ledger_transfers "
                 "WHERE (debit_account_id = $1 OR credit_account_id = $1) AND id <= $2 "
                 "AND kind IN ('posted', 'post_pending')",
                 {account_id, up_to_id}));
  return row ? row->Int(0) : 0;
}

Result<std::optional<Rules>> LatestRules(Session& s, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(
      auto row, s.QueryOne("SELECT version, body, actor_user_id, created_at FROM ledger_rule_sets "
                           "WHERE community_id = $1 ORDER BY version DESC LIMIT 1",
                           {community_id}));
  if (!row) return std::optional<Rules>{};
  LINLI_ASSIGN_OR_RETURN(auto rules, ParseRulesJson(row->Text(1)));
  rules.version = row->Int(0);
  rules.actor_user_id = row->Int(2);
  rules.created_at = row->Int(3);
  return std::optional<Rules>{std::move(rules)};
}

Status InsertRules(Session& s, std::int64_t community_id, const Rules& rules) {
  LINLI_TRY(s.Execute(
      "INSERT INTO ledger_rule_sets (community_id, version, body, actor_user_id, "
      "created_at) VALUES ($1, $2, $3, $4, $5)",
      {community_id, rules.version, RulesJson(rules), rules.actor_user_id, rules.created_at}));
  return Ok();
}

Result<std::vector<LedgerTotals>> AccountTotals(Session& s) {
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query("SELECT community_id, currency, COUNT(*), CAST(SUM(debits_posted) AS BIGINT), "
              "CAST(SUM(credits_posted) AS BIGINT), CAST(SUM(debits_pending) AS BIGINT), "
              "CAST(SUM(credits_pending) AS BIGINT) FROM ledger_accounts "
              "GROUP BY community_id, currency ORDER BY community_id, currency"));
  std::vector<LedgerTotals> out;
  for (const auto& row : rows) {
    out.push_back({row.Int(0), ParseCurrency(row.Text(1)).value_or(Currency::kPoints), row.Int(2),
                   row.Int(3), row.Int(4), row.Int(5), row.Int(6)});
  }
  return out;
}

Result<std::vector<AccountCheck>> RecomputedAccounts(Session& s) {
  // Posted entries per account side, and open holds per side, joined back to the accounts.
  LINLI_ASSIGN_OR_RETURN(
      auto rows,
      s.Query(
          "WITH pd AS (SELECT debit_account_id AS a, CAST(SUM(amount) AS BIGINT) AS v FROM "
          "ledger_transfers WHERE kind IN ('posted', 'post_pending') GROUP BY "
          "debit_account_id), "
          "pc AS (SELECT credit_account_id AS a, CAST(SUM(amount) AS BIGINT) AS v FROM "
          "ledger_transfers WHERE kind IN ('posted', 'post_pending') GROUP BY "
          "credit_account_id), "
          "hd AS (SELECT debit_account_id AS a, CAST(SUM(amount) AS BIGINT) AS v FROM "
          "ledger_holds WHERE state = 'pending' GROUP BY debit_account_id), "
          "hc AS (SELECT credit_account_id AS a, CAST(SUM(amount) AS BIGINT) AS v FROM "
          "ledger_holds WHERE state = 'pending' GROUP BY credit_account_id) "
          "SELECT " +
          std::string(kAccountColumns) +
          ", COALESCE(pd.v, 0), COALESCE(pc.v, 0), COALESCE(hd.v, 0), COALESCE(hc.v, 0) "
          "FROM ledger_accounts acc LEFT JOIN pd ON pd.a = acc.id LEFT JOIN pc ON pc.a = "
          "acc.id LEFT JOIN hd ON hd.a = acc.id LEFT JOIN hc ON hc.a = acc.id ORDER BY acc.id"));
  std::vector<AccountCheck> out;
  out.reserve(rows.size());
  for (const auto& row : rows) {
    out.push_back({AccountFromRow(row), row.Int(15), row.Int(16), row.Int(17), row.Int(18)});
  }
  return out;
}

Result<std::optional<std::int64_t>> FirstInconsistentTransfer(Session& s) {
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      s.QueryOne(
          "SELECT t.id FROM ledger_transfers t "
          "JOIN ledger_accounts d ON d.id = t.debit_account_id "
          "JOIN ledger_accounts c ON c.id = t.credit_account_id "
          "LEFT JOIN ledger_holds h ON h.transfer_id = t.id "
          "LEFT JOIN ledger_transfers r ON r.pending_id = t.id "
          "LEFT JOIN ledger_holds p ON p.transfer_id = t.pending_id "
          "WHERE d.community_id <> t.community_id OR c.community_id <> t.community_id "
          "OR d.currency <> t.currency OR c.currency <> t.currency "
          // a pending transfer has a hold; a resolved hold has exactly its resolving transfer
          "OR (t.kind = 'pending' AND (h.transfer_id IS NULL OR h.amount <> t.amount "
          "OR (h.state = 'pending') <> (r.id IS NULL) "
          "OR (r.id IS NOT NULL AND h.resolved_by <> r.id))) "
          // a post moves at most the hold, between the hold's accounts
          "OR (t.pending_id IS NOT NULL AND (p.transfer_id IS NULL "
          "OR p.debit_account_id <> t.debit_account_id "
          "OR p.credit_account_id <> t.credit_account_id "
          "OR t.amount > p.amount)) "
          "ORDER BY t.id LIMIT 1"));
  if (!row) return std::optional<std::int64_t>{};
  return std::optional<std::int64_t>{row->Int(0)};
}

Result<std::int64_t> TransferCount(Session& s) {
  LINLI_ASSIGN_OR_RETURN(auto row, s.QueryOne("SELECT COUNT(*) FROM ledger_transfers"));
  return row ? row->Int(0) : 0;
}

}  // namespace linli::ledger::repo
