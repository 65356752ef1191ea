#include "ledger/service.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "core/limits.hpp"

namespace linli::ledger {
namespace {

constexpr std::string_view kReadScope = "ledger:read";
constexpr std::string_view kWriteScope = "ledger:write";

bool IsStaff(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.HasAnyRole(community_id, {Role::kCommittee, Role::kAdmin});
}

bool CanReadAll(const Actor& actor, std::int64_t community_id) {
  return IsStaff(actor, community_id) || actor.HasRole(community_id, Role::kAuditor);
}

bool IsApiKeyFor(const Actor& actor, std::int64_t community_id) {
  return actor.api_key_id && actor.api_key_community_id == community_id;
}

// Whether the actor owns the account (members: their resident/merchant accounts; API keys:
// their organisation's account).
bool Owns(const Actor& actor, const Account& account) {
  if (actor.api_key_id) {
    return account.owner_kind == OwnerKind::kOrganisation && account.owner_id == *actor.api_key_id;
  }
  return actor.user_id != 0 && account.owner_id == actor.user_id &&
         (account.owner_kind == OwnerKind::kResident || account.owner_kind == OwnerKind::kMerchant);
}

Status ScopeFor(const Actor& actor, std::string_view scope) {
  if (actor.api_key_id && !actor.HasScope(scope)) {
    return ForbiddenError("insufficient_scope", fmt::format("this API key lacks {}", scope));
  }
  return Ok();
}

bool IsMemberOrKey(const Actor& actor, std::int64_t community_id) {
  return actor.system || actor.IsMember(community_id) || IsApiKeyFor(actor, community_id);
}

Status CanRead(const Actor& actor, const Account& account) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  if (!IsMemberOrKey(actor, account.community_id)) return NotFoundError();
  LINLI_TRY(ScopeFor(actor, kReadScope));
  if (CanReadAll(actor, account.community_id) || Owns(actor, account)) return Ok();
  return NotFoundError();
}

bool ValidCode(std::string_view code) {
  if (code.empty() || code.size() > limits::kLedgerCodeBytesMax) return false;
  if (code.front() < 'a' || code.front() > 'z') return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == ':';
  });
}

bool ValidMemo(std::string_view memo) {
  return memo.size() <= limits::kLedgerMemoBytesMax &&
         std::none_of(memo.begin(), memo.end(),
                      [](char c) { return static_cast<unsigned char>(c) < 0x20 && c != '\t'; });
}

// Shape checks that need no database: 400 invalid_field naming transfers[i].field.
Status ValidateShape(const TransferRequest& request) {
  std::vector<FieldError> errors;
  if (request.items.empty() || request.items.size() > limits::kLedgerLinkedTransfersMax) {
    errors.push_back({"transfers", "out_of_range"});
  }
  if (request.idempotency_key &&
      (request.idempotency_key->empty() ||
       request.idempotency_key->size() > limits::kLedgerIdempotencyKeyBytesMax)) {
    errors.push_back({"Idempotency-Key", "out_of_range"});
  }
  for (std::size_t i = 0; i < request.items.size(); ++i) {
    const auto& item = request.items[i];
    const std::string at = fmt::format("transfers[{}].", i);
    const bool moves = item.kind == TransferKind::kPosted || item.kind == TransferKind::kPending;
    if (moves) {
      if (item.amount < 1 || item.amount > limits::kLedgerAmountMax) {
        errors.push_back({at + "amount", "out_of_range"});
      }
      if (item.debit_account_id <= 0) errors.push_back({at + "debit_account_id", "required"});
      if (item.credit_account_id <= 0) errors.push_back({at + "credit_account_id", "required"});
      if (item.debit_account_id == item.credit_account_id) {
        errors.push_back({at + "credit_account_id", "same_account"});
      }
    } else {
      if (!item.pending_id || *item.pending_id <= 0) {
        errors.push_back({at + "pending_id", "required"});
      }
      if (item.amount < 0 || item.amount > limits::kLedgerAmountMax) {
        errors.push_back({at + "amount", "out_of_range"});
      }
    }
    if (item.timeout_s < 0 || item.timeout_s > limits::kLedgerHoldTimeoutSMax) {
      errors.push_back({at + "timeout_s", "out_of_range"});
    }
    if (!ValidCode(item.code)) errors.push_back({at + "code", "invalid"});
    if (!ValidMemo(item.memo)) errors.push_back({at + "memo", "invalid"});
  }
  if (!errors.empty()) {
    return Error{Errc::kInvalidArgument, "invalid_field", "the transfer request is not valid",
                 std::move(errors)};
  }
  return Ok();
}

// The in-memory plan of a request: accounts as they will be after it, transfers to insert.
struct Plan {
  std::map<std::int64_t, Account> accounts;  // loaded once, changed in place
  std::set<std::int64_t> touched;
  std::set<std::int64_t> resolved_holds;
  std::set<std::int64_t> reversed;
  struct Step {
    Transfer transfer;
    std::optional<repo::Hold> resolves;  // the hold a post/void/expiry resolves
    HoldState resolution = HoldState::kPosted;
  };
  std::vector<Step> steps;
};

Result<Account*> Load(storage::Session& session, Plan& plan, std::int64_t id,
                      const TransferRequest& request) {
  auto found = plan.accounts.find(id);
  if (found == plan.accounts.end()) {
    LINLI_ASSIGN_OR_RETURN(auto account, repo::FindAccount(session, id));
    if (!account || account->community_id != request.community_id) return NotFoundError();
    found = plan.accounts.emplace(id, *account).first;
  }
  if (found->second.currency != request.currency) {
    return PreconditionError("currency_mismatch",
                             fmt::format("account {} is not in {}", id, Name(request.currency)));
  }
  return &found->second;
}

Error LimitError(std::string_view reason, const Account& account) {
  if (reason == "insufficient_funds") {
    return PreconditionError(std::string(reason), fmt::format("account {} has {} available",
                                                              account.id, account.available()));
  }
  return PreconditionError(std::string(reason),
                           fmt::format("account {} would exceed its upper limit", account.id));
}

bool IsBusinessFailure(const Error& error) {
  return error.code == Errc::kFailedPrecondition;
}

std::string CsvCell(std::string_view text) {
  std::string cell(text);
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
    cell.insert(cell.begin(), '\'');
  }
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

StatementLine LineFor(const Transfer& t, std::int64_t account_id) {
  StatementLine line;
  line.transfer = t;
  const bool debit = t.debit_account_id == account_id;
  line.counterparty_account_id = debit ? t.credit_account_id : t.debit_account_id;
  const std::int64_t sign = debit ? -1 : 1;
  switch (t.kind) {
    case TransferKind::kPosted: line.amount = sign * t.amount; break;
    case TransferKind::kPending: line.pending_change = t.amount; break;
    case TransferKind::kPostPending:
      line.amount = sign * t.amount;
      line.pending_change = 0;  // the release is reported with the hold's own amount below
      break;
    case TransferKind::kVoidPending:
    case TransferKind::kExpirePending: line.pending_change = -t.amount; break;
  }
  return line;
}

}  // namespace

LedgerService::LedgerService(storage::Store& store, const audit::AuditService& audit,
                             const Clock& clock)
    : store_(store), audit_(audit), clock_(clock) {}

Result<std::int64_t> LedgerService::CommunityOf(const Actor& actor,
                                                std::int64_t community_id) const {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  if (community_id <= 0) {
    if (actor.api_key_community_id) return *actor.api_key_community_id;
    if (!actor.current_community_id) return NotFoundError();
    community_id = *actor.current_community_id;
  }
  if (!IsMemberOrKey(actor, community_id)) return NotFoundError();
  return community_id;
}

// ---------------------------------------------------------------------------------------------
// The core: plan every item in memory, then write; a business failure is stored as the
// request's outcome (when it has a key) and nothing moves.

Result<Outcome> LedgerService::Execute(storage::Session& session, const Actor& actor,
                                       const TransferRequest& request, Authority authority,
                                       std::string_view action) const {
  LINLI_TRY(ValidateShape(request));
  const std::int64_t now = clock_.NowEpochS();
  const std::string hash = RequestHash(request);
  LINLI_ASSIGN_OR_RETURN(auto request_id,
                         repo::InsertRequest(session, request.community_id, request.idempotency_key,
                                             hash, actor.user_id, actor.api_key_id, now));
  if (!request_id) {
    // The key was used before: the same request gets its first outcome, another is refused.
    LINLI_ASSIGN_OR_RETURN(
        auto earlier, repo::FindRequest(session, request.community_id, *request.idempotency_key));
    if (!earlier || earlier->request_hash != hash || earlier->actor_user_id != actor.user_id ||
        earlier->actor_api_key_id != actor.api_key_id) {
      // 422 as the IETF Idempotency-Key draft says (and as bookings answer).
      return PreconditionError("idempotency_key_reused",
                               "this Idempotency-Key was used for a different request");
    }
    if (earlier->error_reason) {
      return PreconditionError(*earlier->error_reason, earlier->error_detail);
    }
    LINLI_ASSIGN_OR_RETURN(auto transfers, repo::TransfersOfRequest(session, earlier->id));
    return Outcome{earlier->id, std::move(transfers), true};
  }

  Plan plan;
  auto planned = [&]() -> Status {
    for (const auto& item : request.items) {
      Plan::Step step;
      Transfer& t = step.transfer;
      t.community_id = request.community_id;
      t.currency = request.currency;
      t.request_id = *request_id;
      t.kind = item.kind;
      t.code = item.code;
      t.memo = item.memo;
      t.value_fen = item.value_fen;
      t.reverses_id = item.reverses_id;
      t.actor_user_id = actor.user_id;
      t.created_at = now;
      Account* debit = nullptr;
      Account* credit = nullptr;
      if (item.kind == TransferKind::kPosted || item.kind == TransferKind::kPending) {
        LINLI_ASSIGN_OR_RETURN(debit, Load(session, plan, item.debit_account_id, request));
        LINLI_ASSIGN_OR_RETURN(credit, Load(session, plan, item.credit_account_id, request));
        if (authority == Authority::kCaller && !IsStaff(actor, request.community_id) &&
            !Owns(actor, *debit)) {
          return NotFoundError();
        }
        t.debit_account_id = debit->id;
        t.credit_account_id = credit->id;
        t.amount = item.amount;
        if (item.kind == TransferKind::kPosted) {
          debit->debits_posted += item.amount;
          credit->credits_posted += item.amount;
        } else {
          debit->debits_pending += item.amount;
          credit->credits_pending += item.amount;
          if (item.timeout_s > 0) t.timeout_at = now + item.timeout_s;
        }
        if (item.reverses_id) {
          if (plan.reversed.contains(*item.reverses_id)) {
            return ConflictError("already_reversed", "this transfer is already reversed");
          }
          plan.reversed.insert(*item.reverses_id);
        }
      } else {
        LINLI_ASSIGN_OR_RETURN(auto hold, repo::FindHold(session, *item.pending_id));
        if (!hold || hold->community_id != request.community_id) return NotFoundError();
        LINLI_ASSIGN_OR_RETURN(auto pending, repo::FindTransfer(session, hold->transfer_id));
        if (!pending) return NotFoundError();
        LINLI_ASSIGN_OR_RETURN(debit, Load(session, plan, hold->debit_account_id, request));
        LINLI_ASSIGN_OR_RETURN(credit, Load(session, plan, hold->credit_account_id, request));
        if (authority == Authority::kCaller && !IsStaff(actor, request.community_id) &&
            !(actor.user_id != 0 && pending->actor_user_id == actor.user_id) &&
            !Owns(actor, *credit) && !Owns(actor, *debit)) {
          return NotFoundError();
        }
        if (item.kind == TransferKind::kExpirePending && authority != Authority::kTrusted) {
          return NotFoundError();
        }
        if (hold->state != HoldState::kPending || plan.resolved_holds.contains(hold->transfer_id)) {
          return PreconditionError(
              "hold_not_pending",
              fmt::format("hold {} is {}", hold->transfer_id, Name(hold->state)));
        }
        const bool timed_out = hold->timeout_at && *hold->timeout_at <= now;
        if (item.kind == TransferKind::kExpirePending && !timed_out) {
          return PreconditionError("hold_not_pending", "the hold has not timed out yet");
        }
        if (item.kind == TransferKind::kPostPending && timed_out) {
          return PreconditionError("hold_expired", "the hold's timeout has passed");
        }
        const std::int64_t posted = item.kind == TransferKind::kPostPending
                                        ? (item.amount == 0 ? hold->amount : item.amount)
                                        : 0;
        if (posted > hold->amount) {
          return PreconditionError("exceeds_hold_amount",
                                   fmt::format("the hold is for {}", hold->amount));
        }
        plan.resolved_holds.insert(hold->transfer_id);
        debit->debits_pending -= hold->amount;
        credit->credits_pending -= hold->amount;
        debit->debits_posted += posted;
        credit->credits_posted += posted;
        t.debit_account_id = debit->id;
        t.credit_account_id = credit->id;
        t.pending_id = hold->transfer_id;
        t.amount = item.kind == TransferKind::kPostPending ? posted : hold->amount;
        step.resolves = *hold;
        step.resolution = item.kind == TransferKind::kPostPending   ? HoldState::kPosted
                          : item.kind == TransferKind::kVoidPending ? HoldState::kVoided
                                                                    : HoldState::kExpired;
      }
      for (const Account* account : {debit, credit}) {
        if (auto violation = LimitViolation(*account); !violation.empty()) {
          return LimitError(violation, *account);
        }
      }
      plan.touched.insert(debit->id);
      plan.touched.insert(credit->id);
      plan.steps.push_back(std::move(step));
    }
    return Ok();
  }();

  if (!planned) {
    const Error& error = planned.error();
    // A refused request with a key keeps its refusal, so a retry answers the same.
    if (IsBusinessFailure(error) && request.idempotency_key) {
      LINLI_TRY(repo::SetRequestError(session, *request_id, error.reason, error.detail));
      return error;
    }
    return error;
  }

  Outcome outcome{*request_id, {}, false};
  for (auto& step : plan.steps) {
    LINLI_ASSIGN_OR_RETURN(step.transfer.id, repo::InsertTransfer(session, step.transfer));
    if (step.transfer.kind == TransferKind::kPending) {
      LINLI_TRY(repo::InsertHold(
          session, {step.transfer.id, step.transfer.community_id, step.transfer.debit_account_id,
                    step.transfer.credit_account_id, step.transfer.amount, HoldState::kPending,
                    step.transfer.timeout_at, std::nullopt}));
      step.transfer.hold_state = HoldState::kPending;
    }
    if (step.resolves) {
      LINLI_ASSIGN_OR_RETURN(auto resolved, repo::ResolveHold(session, step.resolves->transfer_id,
                                                              step.resolution, step.transfer.id));
      if (!resolved) {
        return ConflictError("serialization_failure", "the hold changed concurrently");
      }
    }
    outcome.transfers.push_back(step.transfer);
  }
  for (std::int64_t id : plan.touched) {
    LINLI_TRY(repo::SaveBalances(session, plan.accounts.at(id)));
  }
  std::int64_t total = 0;
  for (const auto& t : outcome.transfers) total += t.amount;
  auto draft = audit::DraftFor(actor, request.community_id, std::string(action), "ledger_request",
                               std::to_string(*request_id));
  draft.details = fmt::format(R"({{"currency":"{}","transfers":{},"amount":{},"first_code":"{}"}})",
                              Name(request.currency), outcome.transfers.size(), total,
                              outcome.transfers.front().code);
  LINLI_TRY(audit_.Append(session, draft));
  return outcome;
}

// The request's failure (stored with the request when it has a key) must survive the
// transaction: a failed Execute whose request row holds the error commits that row.
Result<Outcome> LedgerService::SubmitAs(const Actor& actor, const TransferRequest& request,
                                        Authority authority, std::string_view action) {
  std::optional<Error> refused;
  auto outcome = store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    refused.reset();
    auto result = Execute(session, actor, request, authority, action);
    if (!result && IsBusinessFailure(result.error()) && request.idempotency_key) {
      refused = result.error();
      return Outcome{};  // commit the stored refusal
    }
    return result;
  });
  if (!outcome) return outcome.error();
  if (refused) return *refused;
  return outcome;
}

Result<Outcome> LedgerService::Submit(const Actor& actor, const TransferRequest& request) {
  TransferRequest scoped = request;
  LINLI_ASSIGN_OR_RETURN(scoped.community_id, CommunityOf(actor, request.community_id));
  LINLI_TRY(ScopeFor(actor, kWriteScope));
  return SubmitAs(actor, scoped, Authority::kCaller, "ledger.transfer");
}

Result<Outcome> LedgerService::PlaceHold(const Actor& actor, const HoldRequest& hold) {
  TransferRequest request;
  request.community_id = hold.community_id;
  request.currency = hold.currency;
  request.idempotency_key = hold.idempotency_key;
  TransferItem item;
  item.kind = TransferKind::kPending;
  item.debit_account_id = hold.debit_account_id;
  item.credit_account_id = hold.credit_account_id;
  item.amount = hold.amount;
  item.timeout_s = hold.timeout_s;
  item.code = hold.code;
  item.memo = hold.memo;
  request.items.push_back(item);
  LINLI_ASSIGN_OR_RETURN(request.community_id, CommunityOf(actor, hold.community_id));
  LINLI_TRY(ScopeFor(actor, kWriteScope));
  return SubmitAs(actor, request, Authority::kCaller, "ledger.hold");
}

// A post or void names only the hold: its community and currency come from the hold.
Result<Outcome> LedgerService::PostHold(const Actor& actor, std::int64_t hold_id,
                                        std::int64_t amount,
                                        const std::optional<std::string>& idempotency_key) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  LINLI_TRY(ScopeFor(actor, kWriteScope));
  LINLI_ASSIGN_OR_RETURN(auto pending, store_.ReadValue([&](storage::Session& session) {
    return repo::FindTransfer(session, hold_id);
  }));
  if (!pending || pending->kind != TransferKind::kPending ||
      !IsMemberOrKey(actor, pending->community_id)) {
    return NotFoundError();
  }
  TransferRequest request;
  request.community_id = pending->community_id;
  request.currency = pending->currency;
  request.idempotency_key = idempotency_key;
  TransferItem item;
  item.kind = TransferKind::kPostPending;
  item.pending_id = hold_id;
  item.amount = amount;
  item.code = pending->code;
  request.items.push_back(item);
  return SubmitAs(actor, request, Authority::kCaller, "ledger.hold.post");
}

Result<Outcome> LedgerService::VoidHold(const Actor& actor, std::int64_t hold_id,
                                        const std::optional<std::string>& idempotency_key) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  LINLI_TRY(ScopeFor(actor, kWriteScope));
  LINLI_ASSIGN_OR_RETURN(auto pending, store_.ReadValue([&](storage::Session& session) {
    return repo::FindTransfer(session, hold_id);
  }));
  if (!pending || pending->kind != TransferKind::kPending ||
      !IsMemberOrKey(actor, pending->community_id)) {
    return NotFoundError();
  }
  TransferRequest request;
  request.community_id = pending->community_id;
  request.currency = pending->currency;
  request.idempotency_key = idempotency_key;
  TransferItem item;
  item.kind = TransferKind::kVoidPending;
  item.pending_id = hold_id;
  item.code = pending->code;
  request.items.push_back(item);
  return SubmitAs(actor, request, Authority::kCaller, "ledger.hold.void");
}

Result<Transfer> LedgerService::GetTransfer(const Actor& actor, std::int64_t transfer_id) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return store_.ReadValue([&](storage::Session& session) -> Result<Transfer> {
    LINLI_ASSIGN_OR_RETURN(auto transfer, repo::FindTransfer(session, transfer_id));
    if (!transfer || !IsMemberOrKey(actor, transfer->community_id)) return NotFoundError();
    LINLI_TRY(ScopeFor(actor, kReadScope));
    if (CanReadAll(actor, transfer->community_id)) return *transfer;
    for (std::int64_t id : {transfer->debit_account_id, transfer->credit_account_id}) {
      LINLI_ASSIGN_OR_RETURN(auto account, repo::FindAccount(session, id));
      if (account && Owns(actor, *account)) return *transfer;
    }
    return NotFoundError();
  });
}

Result<Outcome> LedgerService::FindByKey(const Actor& actor, std::int64_t community_id,
                                         const std::string& key) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  LINLI_TRY(ScopeFor(actor, kReadScope));
  return store_.ReadValue([&](storage::Session& session) -> Result<Outcome> {
    LINLI_ASSIGN_OR_RETURN(auto request, repo::FindRequest(session, community_id, key));
    if (!request) return NotFoundError();
    const bool own =
        request->actor_user_id == actor.user_id && request->actor_api_key_id == actor.api_key_id;
    if (!own && !IsStaff(actor, community_id)) return NotFoundError();
    if (request->error_reason)
      return PreconditionError(*request->error_reason, request->error_detail);
    LINLI_ASSIGN_OR_RETURN(auto transfers, repo::TransfersOfRequest(session, request->id));
    return Outcome{request->id, std::move(transfers), true};
  });
}

Result<Outcome> LedgerService::Correct(const Actor& actor, std::int64_t transfer_id,
                                       const std::string& memo,
                                       const std::optional<std::string>& idempotency_key) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  LINLI_ASSIGN_OR_RETURN(auto original, store_.ReadValue([&](storage::Session& session) {
    return repo::FindTransfer(session, transfer_id);
  }));
  if (!original || !IsMemberOrKey(actor, original->community_id)) return NotFoundError();
  if (!IsStaff(actor, original->community_id)) {
    return ForbiddenError("forbidden", "corrections are for the committee");
  }
  if (original->kind != TransferKind::kPosted && original->kind != TransferKind::kPostPending) {
    return PreconditionError("not_reversible", "only posted transfers can be reversed");
  }
  TransferRequest request;
  request.community_id = original->community_id;
  request.currency = original->currency;
  request.idempotency_key = idempotency_key;
  TransferItem item;
  item.debit_account_id = original->credit_account_id;
  item.credit_account_id = original->debit_account_id;
  item.amount = original->amount;
  item.code = "correction";
  item.memo = memo;
  item.reverses_id = original->id;
  request.items.push_back(item);
  std::optional<Error> refused;
  auto outcome = store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    refused.reset();
    // A replay of this very correction returns its outcome; any other second one is refused.
    if (idempotency_key) {
      LINLI_ASSIGN_OR_RETURN(auto earlier,
                             repo::FindRequest(session, request.community_id, *idempotency_key));
      if (earlier)
        return Execute(session, actor, request, Authority::kTrusted, "ledger.correction");
    }
    LINLI_ASSIGN_OR_RETURN(auto reversed, repo::IsReversed(session, transfer_id));
    if (reversed) return ConflictError("already_reversed", "this transfer is already reversed");
    auto result = Execute(session, actor, request, Authority::kTrusted, "ledger.correction");
    if (!result && IsBusinessFailure(result.error()) && idempotency_key) {
      refused = result.error();
      return Outcome{};
    }
    return result;
  });
  if (!outcome) return outcome.error();
  if (refused) return *refused;
  return outcome;
}

// ---------------------------------------------------------------------------------------------
// Accounts and wallets

Result<Account> LedgerService::EnsurePool(storage::Session& session, std::int64_t community_id,
                                          Currency currency, Pool pool) const {
  Account account;
  account.community_id = community_id;
  account.currency = currency;
  account.owner_kind = OwnerKind::kPool;
  account.owner_id = 0;
  account.pool = pool;
  account.no_overdraft = pool != Pool::kIssuance;  // only issuance may go negative
  account.created_at = clock_.NowEpochS();
  LINLI_TRY(repo::InsertAccountIfMissing(session, account));
  LINLI_ASSIGN_OR_RETURN(auto found, repo::FindOwnedAccount(session, community_id, currency,
                                                            OwnerKind::kPool, 0, pool));
  if (!found) return Error{Errc::kInternal, "ledger_account_missing", "pool vanished"};
  return *found;
}

Result<Account> LedgerService::EnsureUserAccount(storage::Session& session,
                                                 std::int64_t community_id, std::int64_t user_id,
                                                 Currency currency) const {
  Account account;
  account.community_id = community_id;
  account.currency = currency;
  account.owner_kind = OwnerKind::kResident;
  account.owner_id = user_id;
  account.created_at = clock_.NowEpochS();
  LINLI_ASSIGN_OR_RETURN(auto created, repo::InsertAccountIfMissing(session, account));
  if (created) {
    LINLI_ASSIGN_OR_RETURN(auto rules, RulesIn(session, community_id));
    const std::int64_t grant =
        currency == Currency::kPoints ? rules.new_member_points : rules.new_member_minutes;
    if (grant > 0) {
      LINLI_ASSIGN_OR_RETURN(auto issuance,
                             EnsurePool(session, community_id, currency, Pool::kIssuance));
      TransferRequest request;
      request.community_id = community_id;
      request.currency = currency;
      request.idempotency_key = fmt::format("grant:{}:{}", user_id, Name(currency));
      TransferItem item;
      item.debit_account_id = issuance.id;
      item.credit_account_id = *created;
      item.amount = grant;
      item.code = "new_member_grant";
      request.items.push_back(item);
      LINLI_TRY(Execute(session, Actor::System(), request, Authority::kTrusted,
                        "ledger.new_member_grant"));
    }
  }
  LINLI_ASSIGN_OR_RETURN(
      auto found, repo::FindOwnedAccount(session, community_id, currency, OwnerKind::kResident,
                                         user_id, Pool::kNone));
  if (!found) return Error{Errc::kInternal, "ledger_account_missing", "account vanished"};
  return *found;
}

Result<Wallet> LedgerService::GetWallet(const Actor& actor, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  if (actor.user_id == 0) return NotFoundError();  // wallets belong to people
  return store_.ReadValue([&](storage::Session& session) -> Result<Wallet> {
    Wallet wallet;
    wallet.community_id = community_id;
    LINLI_ASSIGN_OR_RETURN(wallet.accounts,
                           repo::AccountsOfUser(session, community_id, actor.user_id));
    LINLI_ASSIGN_OR_RETURN(wallet.rules, RulesIn(session, community_id));
    return wallet;
  });
}

Result<Wallet> LedgerService::OpenWallet(const Actor& actor, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  if (actor.user_id == 0) return NotFoundError();
  return store_.WriteValue([&](storage::Session& session) -> Result<Wallet> {
    for (Currency currency : {Currency::kPoints, Currency::kMinutes}) {
      LINLI_TRY(EnsureUserAccount(session, community_id, actor.user_id, currency));
    }
    if (actor.HasRole(community_id, Role::kMerchant)) {
      Account merchant;
      merchant.community_id = community_id;
      merchant.owner_kind = OwnerKind::kMerchant;
      merchant.owner_id = actor.user_id;
      merchant.created_at = clock_.NowEpochS();
      LINLI_ASSIGN_OR_RETURN(auto created, repo::InsertAccountIfMissing(session, merchant));
      if (created) {
        auto draft = audit::DraftFor(actor, community_id, "ledger.account.open", "ledger_account",
                                     std::to_string(*created));
        LINLI_TRY(audit_.Append(session, draft));
      }
    }
    Wallet wallet;
    wallet.community_id = community_id;
    LINLI_ASSIGN_OR_RETURN(wallet.accounts,
                           repo::AccountsOfUser(session, community_id, actor.user_id));
    LINLI_ASSIGN_OR_RETURN(wallet.rules, RulesIn(session, community_id));
    return wallet;
  });
}

Result<Account> LedgerService::ReadableAccount(storage::Session& session, const Actor& actor,
                                               std::int64_t account_id) const {
  LINLI_ASSIGN_OR_RETURN(auto account, repo::FindAccount(session, account_id));
  if (!account) return actor.IsAnonymous() ? Error(UnauthenticatedError()) : NotFoundError();
  LINLI_TRY(CanRead(actor, *account));
  return *account;
}

Result<Account> LedgerService::GetAccount(const Actor& actor, std::int64_t account_id) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return store_.ReadValue(
      [&](storage::Session& session) { return ReadableAccount(session, actor, account_id); });
}

Result<Page<Account>> LedgerService::ListAccounts(const Actor& actor, std::int64_t community_id,
                                                  std::optional<OwnerKind> owner_kind,
                                                  const PageRequest& page) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  LINLI_TRY(ScopeFor(actor, kReadScope));
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<Account>> {
    if (CanReadAll(actor, community_id)) {
      return repo::ListAccounts(session, community_id, owner_kind, page);
    }
    // Everyone else: their own accounts (few; one page).
    Page<Account> mine;
    if (actor.user_id != 0) {
      LINLI_ASSIGN_OR_RETURN(auto accounts,
                             repo::AccountsOfUser(session, community_id, actor.user_id));
      for (auto& account : accounts) {
        if (!owner_kind || account.owner_kind == *owner_kind) mine.items.push_back(account);
      }
    } else if (actor.api_key_id) {
      LINLI_ASSIGN_OR_RETURN(
          auto found,
          repo::FindOwnedAccount(session, community_id, Currency::kPoints, OwnerKind::kOrganisation,
                                 *actor.api_key_id, Pool::kNone));
      if (found && (!owner_kind || *owner_kind == OwnerKind::kOrganisation)) {
        mine.items.push_back(*found);
      }
    }
    return mine;
  });
}

Result<std::pair<Account, bool>> LedgerService::OpenAccount(const Actor& actor,
                                                            const AccountOpen& open) {
  LINLI_ASSIGN_OR_RETURN(auto community_id, CommunityOf(actor, open.community_id));
  if (!IsStaff(actor, community_id)) {
    return ForbiddenError("forbidden", "accounts are opened by the committee");
  }
  if (open.owner_kind == OwnerKind::kPool || open.owner_id <= 0) {
    return InvalidFieldError("owner_kind", "unsupported");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<std::pair<Account, bool>> {
    Account account;
    account.community_id = community_id;
    account.currency = open.currency;
    account.owner_kind = open.owner_kind;
    account.owner_id = open.owner_id;
    account.credit_limit = open.credit_limit;
    account.upper_limit = open.upper_limit;
    account.created_at = clock_.NowEpochS();
    LINLI_ASSIGN_OR_RETURN(auto created, repo::InsertAccountIfMissing(session, account));
    LINLI_ASSIGN_OR_RETURN(
        auto found, repo::FindOwnedAccount(session, community_id, open.currency, open.owner_kind,
                                           open.owner_id, Pool::kNone));
    if (!found) return Error{Errc::kInternal, "ledger_account_missing", "account vanished"};
    if (created) {
      auto draft = audit::DraftFor(actor, community_id, "ledger.account.open", "ledger_account",
                                   std::to_string(found->id));
      draft.details = fmt::format(R"({{"owner_kind":"{}","currency":"{}"}})",
                                  Name(found->owner_kind), Name(found->currency));
      LINLI_TRY(audit_.Append(session, draft));
    }
    return std::pair{*found, created.has_value()};
  });
}

Result<Account> LedgerService::UpdateAccount(const Actor& actor, std::int64_t account_id,
                                             const AccountPatch& patch) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return store_.WriteValue([&](storage::Session& session) -> Result<Account> {
    LINLI_ASSIGN_OR_RETURN(auto account, repo::FindAccount(session, account_id));
    if (!account || !IsMemberOrKey(actor, account->community_id)) return NotFoundError();
    if (!IsStaff(actor, account->community_id)) {
      return ForbiddenError("forbidden", "limits are set by the committee");
    }
    if (patch.credit_limit) account->credit_limit = patch.credit_limit;
    if (patch.remove_credit_limit) account->credit_limit.reset();
    if (patch.upper_limit) account->upper_limit = patch.upper_limit;
    if (patch.remove_upper_limit) account->upper_limit.reset();
    if (patch.vulnerable) account->vulnerable = *patch.vulnerable;
    if (!LimitViolation(*account).empty()) {
      return PreconditionError("limit_below_balance",
                               "the account already uses more than this limit allows");
    }
    LINLI_TRY(repo::SaveSettings(session, *account));
    auto draft = audit::DraftFor(actor, account->community_id, "ledger.account.update",
                                 "ledger_account", std::to_string(account->id));
    draft.details = fmt::format(
        R"({{"credit_limit":{},"upper_limit":{},"vulnerable":{}}})",
        account->credit_limit ? std::to_string(*account->credit_limit) : "null",
        account->upper_limit ? std::to_string(*account->upper_limit) : "null", account->vulnerable);
    LINLI_TRY(audit_.Append(session, draft));
    return *account;
  });
}

// ---------------------------------------------------------------------------------------------
// Statements

Result<StatementPage> LedgerService::Statement(const Actor& actor, std::int64_t account_id,
                                               const PageRequest& page) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  return store_.ReadValue([&](storage::Session& session) -> Result<StatementPage> {
    StatementPage out;
    LINLI_ASSIGN_OR_RETURN(out.account, ReadableAccount(session, actor, account_id));
    LINLI_ASSIGN_OR_RETURN(auto transfers, repo::TransfersOfAccount(session, account_id, page));
    out.next = transfers.next;
    if (transfers.items.empty()) return out;
    LINLI_ASSIGN_OR_RETURN(
        std::int64_t balance,
        repo::PostedBalanceUpTo(session, account_id, transfers.items.front().id));
    for (const auto& t : transfers.items) {
      StatementLine line = LineFor(t, account_id);
      if (t.kind == TransferKind::kPostPending) {
        // The hold's whole amount is released; its posted part moved the balance.
        LINLI_ASSIGN_OR_RETURN(auto hold, repo::FindHold(session, t.pending_id.value_or(0)));
        line.pending_change = hold ? -hold->amount : 0;
      }
      line.balance_after = balance;
      balance -= line.amount;
      out.lines.push_back(std::move(line));
    }
    return out;
  });
}

Result<std::string> LedgerService::StatementCsv(const Actor& actor, std::int64_t account_id) {
  std::string csv = "\xEF\xBB\xBF";  // BOM: spreadsheets then read UTF-8
  csv +=
      "transfer_id,created_at,kind,code,memo,counterparty_account_id,amount,pending_change,"
      "balance_after\r\n";
  PageRequest page{limits::kPageSizeMax, std::nullopt};
  std::size_t rows = 0;
  while (rows < limits::kLedgerStatementCsvRowsMax) {
    LINLI_ASSIGN_OR_RETURN(auto statement, Statement(actor, account_id, page));
    for (const auto& line : statement.lines) {
      csv += fmt::format(
          "{},{},{},{},{},{},{},{},{}\r\n", line.transfer.id, line.transfer.created_at,
          Name(line.transfer.kind), CsvCell(line.transfer.code), CsvCell(line.transfer.memo),
          line.counterparty_account_id, line.amount, line.pending_change, line.balance_after);
      ++rows;
    }
    if (!statement.next) break;
    page.after = statement.next;
  }
  return csv;
}

// ---------------------------------------------------------------------------------------------
// Rules and the use cases built on them

Result<Rules> LedgerService::RulesIn(storage::Session& session, std::int64_t community_id) const {
  LINLI_ASSIGN_OR_RETURN(auto saved, repo::LatestRules(session, community_id));
  Rules rules = saved ? *saved : DefaultRules();
  rules.community_id = community_id;
  return rules;
}

Result<Rules> LedgerService::GetRules(const Actor& actor, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  LINLI_TRY(ScopeFor(actor, kReadScope));
  return store_.ReadValue(
      [&](storage::Session& session) { return RulesIn(session, community_id); });
}

Result<Rules> LedgerService::PutRules(const Actor& actor, std::int64_t community_id, Rules rules) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  if (!IsStaff(actor, community_id)) {
    return ForbiddenError("forbidden", "rules are set by the committee");
  }
  LINLI_TRY(ValidateRules(rules));
  return store_.WriteValue([&](storage::Session& session) -> Result<Rules> {
    LINLI_ASSIGN_OR_RETURN(auto current, RulesIn(session, community_id));
    rules.community_id = community_id;
    rules.version = current.version + 1;
    rules.created_at = clock_.NowEpochS();
    rules.actor_user_id = actor.user_id;
    LINLI_TRY(repo::InsertRules(session, community_id, rules));
    auto draft = audit::DraftFor(actor, community_id, "ledger.rules.update", "ledger_rules",
                                 std::to_string(rules.version));
    LINLI_TRY(audit_.Append(session, draft));
    return rules;
  });
}

Result<Outcome> LedgerService::RecordEarning(const Actor& actor, const EarningRequest& earning) {
  LINLI_ASSIGN_OR_RETURN(auto community_id, CommunityOf(actor, earning.community_id));
  if (!IsStaff(actor, community_id) &&
      !actor.HasAnyRole(community_id, {Role::kPropertyStaff, Role::kGridWorker})) {
    return ForbiddenError("forbidden", "earnings are recorded by staff");
  }
  if (earning.quantity < 1 || earning.quantity > limits::kLedgerQuantityMax) {
    return InvalidFieldError("quantity", "out_of_range");
  }
  std::optional<Error> refused;
  auto outcome = store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    refused.reset();
    LINLI_ASSIGN_OR_RETURN(auto rules, RulesIn(session, community_id));
    const EarningRule* rule = rules.FindEarning(earning.rule_code);
    if (rule == nullptr) return PreconditionError("unknown_rule", "no earning rule with this code");
    const std::int64_t amount = EarnedAmount(*rule, earning.quantity);
    if (amount < 1) return PreconditionError("amount_too_small", "this earns nothing");
    // The earner must be a member of the community (else the same not_found as missing).
    LINLI_ASSIGN_OR_RETURN(auto member,
                           session.QueryOne("SELECT 1 FROM memberships WHERE community_id = $1 AND "
                                            "user_id = $2 LIMIT 1",
                                            {community_id, earning.user_id}));
    if (!member) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto pool,
                           EnsurePool(session, community_id, rule->currency, Pool::kRewards));
    LINLI_ASSIGN_OR_RETURN(
        auto account, EnsureUserAccount(session, community_id, earning.user_id, rule->currency));
    TransferRequest request;
    request.community_id = community_id;
    request.currency = rule->currency;
    request.idempotency_key = earning.idempotency_key;
    TransferItem item;
    item.debit_account_id = pool.id;
    item.credit_account_id = account.id;
    item.amount = amount;
    item.code = "earning:" + rule->code;
    item.memo = earning.memo;
    request.items.push_back(item);
    auto result = Execute(session, actor, request, Authority::kTrusted, "ledger.earning");
    if (!result && IsBusinessFailure(result.error()) && earning.idempotency_key) {
      refused = result.error();
      return Outcome{};
    }
    return result;
  });
  if (!outcome) return outcome.error();
  if (refused) return *refused;
  return outcome;
}

Result<Outcome> LedgerService::Pay(const Actor& actor, const PaymentRequest& payment) {
  LINLI_ASSIGN_OR_RETURN(auto community_id, CommunityOf(actor, payment.community_id));
  LINLI_TRY(ScopeFor(actor, kWriteScope));
  if (actor.user_id == 0) return NotFoundError();
  std::optional<Error> refused;
  auto outcome = store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    refused.reset();
    LINLI_ASSIGN_OR_RETURN(
        auto payer, EnsureUserAccount(session, community_id, actor.user_id, payment.currency));
    // Residents pay people (residents, merchants, households), never the community's pools:
    // account numbers are sequential, so a typo must not land points in issuance or escrow.
    LINLI_ASSIGN_OR_RETURN(auto payee, repo::FindAccount(session, payment.payee_account_id));
    if (payee && payee->community_id == community_id && payee->pool != Pool::kNone) {
      return InvalidFieldError("payee_account_id", "not_a_person",
                               "payments go to a resident, merchant or household account");
    }
    TransferRequest request;
    request.community_id = community_id;
    request.currency = payment.currency;
    request.idempotency_key = payment.idempotency_key;
    TransferItem item;
    item.debit_account_id = payer.id;
    item.credit_account_id = payment.payee_account_id;
    item.amount = payment.amount;
    item.code = "payment";
    item.memo = payment.memo;
    request.items.push_back(item);
    auto result = Execute(session, actor, request, Authority::kCaller, "ledger.payment");
    if (!result && IsBusinessFailure(result.error()) && payment.idempotency_key) {
      refused = result.error();
      return Outcome{};
    }
    return result;
  });
  if (!outcome) return outcome.error();
  if (refused) return *refused;
  return outcome;
}

Result<Outcome> LedgerService::Redeem(const Actor& actor, std::int64_t community_id,
                                      std::int64_t points,
                                      const std::optional<std::string>& idempotency_key) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  if (!actor.HasRole(community_id, Role::kMerchant)) {
    return ForbiddenError("forbidden", "only merchants redeem points");
  }
  std::optional<Error> refused;
  auto outcome = store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    refused.reset();
    LINLI_ASSIGN_OR_RETURN(auto rules, RulesIn(session, community_id));
    LINLI_ASSIGN_OR_RETURN(
        auto merchant, repo::FindOwnedAccount(session, community_id, Currency::kPoints,
                                              OwnerKind::kMerchant, actor.user_id, Pool::kNone));
    if (!merchant) return NotFoundError();
    LINLI_ASSIGN_OR_RETURN(auto fees,
                           EnsurePool(session, community_id, Currency::kPoints, Pool::kFees));
    const std::int64_t fen = RedemptionFen(rules, points);
    if (fen < 1) return PreconditionError("amount_too_small", "worth less than one fen");
    TransferRequest request;
    request.community_id = community_id;
    request.idempotency_key = idempotency_key;
    TransferItem item;
    item.debit_account_id = merchant->id;
    item.credit_account_id = fees.id;
    item.amount = points;
    item.code = "redemption";
    item.value_fen = fen;
    request.items.push_back(item);
    auto result = Execute(session, actor, request, Authority::kTrusted, "ledger.redemption");
    if (!result && IsBusinessFailure(result.error()) && idempotency_key) {
      refused = result.error();
      return Outcome{};
    }
    return result;
  });
  if (!outcome) return outcome.error();
  if (refused) return *refused;
  return outcome;
}

Result<Outcome> LedgerService::Donate(const Actor& actor, std::int64_t community_id,
                                      std::int64_t amount_fen, const std::string& memo,
                                      const std::optional<std::string>& idempotency_key) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  if (!IsStaff(actor, community_id)) {
    return ForbiddenError("forbidden", "donations are recorded by the committee");
  }
  if (amount_fen < 1 || amount_fen > limits::kLedgerFenMax) {
    return InvalidFieldError("amount_fen", "out_of_range");
  }
  return store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    LINLI_ASSIGN_OR_RETURN(auto rules, RulesIn(session, community_id));
    const std::int64_t points = DonationPoints(rules, amount_fen);
    if (points < 1 || points > limits::kLedgerAmountMax) {
      return PreconditionError("amount_too_small", "the donation buys no whole point");
    }
    LINLI_ASSIGN_OR_RETURN(auto issuance,
                           EnsurePool(session, community_id, Currency::kPoints, Pool::kIssuance));
    LINLI_ASSIGN_OR_RETURN(auto donations,
                           EnsurePool(session, community_id, Currency::kPoints, Pool::kDonations));
    TransferRequest request;
    request.community_id = community_id;
    request.idempotency_key = idempotency_key;
    TransferItem item;
    item.debit_account_id = issuance.id;
    item.credit_account_id = donations.id;
    item.amount = points;
    item.code = "donation";
    item.memo = memo;
    item.value_fen = amount_fen;
    request.items.push_back(item);
    return Execute(session, actor, request, Authority::kTrusted, "ledger.donation");
  });
}

Result<Outcome> LedgerService::Subsidise(const Actor& actor, std::int64_t account_id,
                                         const std::string& memo,
                                         const std::optional<std::string>& idempotency_key) {
  if (actor.IsAnonymous()) return UnauthenticatedError();
  std::optional<Error> refused;
  auto outcome = store_.WriteValue([&](storage::Session& session) -> Result<Outcome> {
    refused.reset();
    LINLI_ASSIGN_OR_RETURN(auto account, repo::FindAccount(session, account_id));
    if (!account || !IsMemberOrKey(actor, account->community_id)) return NotFoundError();
    if (!IsStaff(actor, account->community_id)) {
      return ForbiddenError("forbidden", "subsidies are paid by the committee");
    }
    if (!account->vulnerable) {
      return PreconditionError("not_certified", "the account is not certified vulnerable");
    }
    LINLI_ASSIGN_OR_RETURN(auto rules, RulesIn(session, account->community_id));
    if (rules.subsidy_points < 1) return PreconditionError("amount_too_small", "no subsidy set");
    LINLI_ASSIGN_OR_RETURN(
        auto pool, EnsurePool(session, account->community_id, account->currency, Pool::kSubsidies));
    TransferRequest request;
    request.community_id = account->community_id;
    request.currency = account->currency;
    request.idempotency_key = idempotency_key;
    TransferItem item;
    item.debit_account_id = pool.id;
    item.credit_account_id = account->id;
    item.amount = rules.subsidy_points;
    item.code = "subsidy";
    item.memo = memo;
    request.items.push_back(item);
    auto result = Execute(session, actor, request, Authority::kTrusted, "ledger.subsidy");
    if (!result && IsBusinessFailure(result.error()) && idempotency_key) {
      refused = result.error();
      return Outcome{};
    }
    return result;
  });
  if (!outcome) return outcome.error();
  if (refused) return *refused;
  return outcome;
}

Result<ValuationResult> LedgerService::Value(const Actor& actor, std::int64_t community_id,
                                             const Valuation& valuation) {
  LINLI_ASSIGN_OR_RETURN(auto rules, GetRules(actor, community_id));
  ValuationResult out;
  out.rules_version = rules.version;
  if (valuation.kind == "goods") {
    LINLI_ASSIGN_OR_RETURN(out.points, ValueGoods(rules.valuation, valuation.goods));
  } else if (valuation.kind == "time") {
    LINLI_ASSIGN_OR_RETURN(out.points, ValueTime(rules.valuation, valuation.time));
  } else if (valuation.kind == "skill") {
    LINLI_ASSIGN_OR_RETURN(out.points, ValueSkill(rules.valuation, valuation.skill));
  } else {
    return InvalidFieldError("kind", "unsupported");
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Jobs and verification

Result<int> LedgerService::ExpireHolds() {
  return store_.WriteValue([&](storage::Session& session) -> Result<int> {
    LINLI_ASSIGN_OR_RETURN(
        auto due, repo::DueHolds(session, clock_.NowEpochS(), limits::kLedgerExpiryBatchMax));
    int expired = 0;
    for (const auto& hold : due) {
      LINLI_ASSIGN_OR_RETURN(auto pending, repo::FindTransfer(session, hold.transfer_id));
      if (!pending) continue;
      TransferRequest request;
      request.community_id = hold.community_id;
      request.currency = pending->currency;
      request.idempotency_key = fmt::format("expire:{}", hold.transfer_id);
      TransferItem item;
      item.kind = TransferKind::kExpirePending;
      item.pending_id = hold.transfer_id;
      item.code = pending->code;
      request.items.push_back(item);
      LINLI_TRY(
          Execute(session, Actor::System(), request, Authority::kTrusted, "ledger.hold.expire"));
      ++expired;
    }
    return expired;
  });
}

Result<Verification> LedgerService::VerifyAll(std::optional<std::int64_t> community_id) {
  return store_.ReadValue([&](storage::Session& session) -> Result<Verification> {
    Verification v;
    auto in_scope = [&](std::int64_t id) { return !community_id || *community_id == id; };
    LINLI_ASSIGN_OR_RETURN(v.transfers, repo::TransferCount(session));
    LINLI_ASSIGN_OR_RETURN(auto totals, repo::AccountTotals(session));
    for (const auto& ledger : totals) {
      if (!in_scope(ledger.community_id)) continue;
      ++v.ledgers;
      if (ledger.debits_posted != ledger.credits_posted ||
          ledger.debits_pending != ledger.credits_pending) {
        v.ok = false;
        v.problem = "ledger_unbalanced";
        v.community_id = ledger.community_id;
        v.currency = ledger.currency;
        return v;
      }
    }
    LINLI_ASSIGN_OR_RETURN(auto accounts, repo::RecomputedAccounts(session));
    for (const auto& check : accounts) {
      const Account& a = check.account;
      if (!in_scope(a.community_id)) continue;
      ++v.accounts;
      std::string problem;
      if (a.debits_posted != check.debits_posted || a.credits_posted != check.credits_posted) {
        problem = "balance_mismatch";
      } else if (a.debits_pending != check.debits_pending ||
                 a.credits_pending != check.credits_pending) {
        problem = "pending_mismatch";
      } else if (!LimitViolation(a).empty()) {
        problem = "limit_broken";
      }
      if (!problem.empty()) {
        v.ok = false;
        v.problem = problem;
        v.community_id = a.community_id;
        v.currency = a.currency;
        v.account_id = a.id;
        return v;
      }
    }
    LINLI_ASSIGN_OR_RETURN(auto bad, repo::FirstInconsistentTransfer(session));
    if (bad) {
      LINLI_ASSIGN_OR_RETURN(auto transfer, repo::FindTransfer(session, *bad));
      if (transfer && in_scope(transfer->community_id)) {
        v.ok = false;
        v.problem = "transfer_inconsistent";
        v.community_id = transfer->community_id;
        v.currency = transfer->currency;
        v.transfer_id = *bad;
      }
    }
    return v;
  });
}

Result<Verification> LedgerService::Verify(const Actor& actor, std::int64_t community_id) {
  LINLI_ASSIGN_OR_RETURN(community_id, CommunityOf(actor, community_id));
  if (!CanReadAll(actor, community_id)) {
    return ForbiddenError("forbidden", "verification is for the committee and auditors");
  }
  return VerifyAll(community_id);
}

// ---------------------------------------------------------------------------------------------
// Session-level API for other modules

Result<Outcome> LedgerService::TransferIn(storage::Session& session, const Actor& actor,
                                          const TransferRequest& request) const {
  return Execute(session, actor, request, Authority::kCaller, "ledger.transfer");
}

Result<Transfer> LedgerService::HoldIn(storage::Session& session, const Actor& actor,
                                       const HoldRequest& hold) const {
  TransferRequest request;
  request.community_id = hold.community_id;
  request.currency = hold.currency;
  request.idempotency_key = hold.idempotency_key;
  TransferItem item;
  item.kind = TransferKind::kPending;
  item.debit_account_id = hold.debit_account_id;
  item.credit_account_id = hold.credit_account_id;
  item.amount = hold.amount;
  item.timeout_s = hold.timeout_s;
  item.code = hold.code;
  item.memo = hold.memo;
  request.items.push_back(item);
  LINLI_ASSIGN_OR_RETURN(auto outcome,
                         Execute(session, actor, request, Authority::kCaller, "ledger.hold"));
  return outcome.transfers.front();
}

Result<Transfer> LedgerService::HoldAction(storage::Session& session, const Actor& actor,
                                           TransferKind kind, std::int64_t hold_id,
                                           std::int64_t amount,
                                           const std::optional<std::string>& key) const {
  LINLI_ASSIGN_OR_RETURN(auto pending, repo::FindTransfer(session, hold_id));
  if (!pending || pending->kind != TransferKind::kPending) return NotFoundError();
  TransferRequest request;
  request.community_id = pending->community_id;
  request.currency = pending->currency;
  request.idempotency_key = key;
  TransferItem item;
  item.kind = kind;
  item.pending_id = hold_id;
  item.amount = amount;
  item.code = pending->code;
  request.items.push_back(item);
  LINLI_ASSIGN_OR_RETURN(
      auto outcome,
      Execute(session, actor, request, Authority::kCaller,
              kind == TransferKind::kPostPending ? "ledger.hold.post" : "ledger.hold.void"));
  return outcome.transfers.front();
}

Result<Transfer> LedgerService::PostPendingIn(storage::Session& session, const Actor& actor,
                                              std::int64_t hold_id, std::int64_t amount,
                                              const std::optional<std::string>& key) const {
  return HoldAction(session, actor, TransferKind::kPostPending, hold_id, amount, key);
}

Result<Transfer> LedgerService::VoidPendingIn(storage::Session& session, const Actor& actor,
                                              std::int64_t hold_id,
                                              const std::optional<std::string>& key) const {
  return HoldAction(session, actor, TransferKind::kVoidPending, hold_id, 0, key);
}

}  // namespace linli::ledger
