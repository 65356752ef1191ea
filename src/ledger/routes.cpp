#include "ledger/routes.hpp"

#include <fmt/format.h>

#include "core/limits.hpp"
#include "core/qr.hpp"
#include "http/json.hpp"

namespace linli::ledger {
namespace {

namespace json = boost::json;
using http::Need;

json::value OptInt(const std::optional<std::int64_t>& value) {
  return value ? json::value(*value) : json::value(nullptr);
}

json::object AccountJson(const Account& a) {
  return json::object{
      {"id", a.id},
      {"community_id", a.community_id},
      {"currency", Name(a.currency)},
      {"owner_kind", Name(a.owner_kind)},
      {"owner_id", a.owner_id},
      {"pool", a.pool == Pool::kNone ? json::value(nullptr) : json::value(Name(a.pool))},
      {"no_overdraft", a.no_overdraft},
      {"credit_limit", OptInt(a.credit_limit)},
      {"upper_limit", OptInt(a.upper_limit)},
      {"vulnerable", a.vulnerable},
      {"balance", a.balance()},
      {"available", a.no_overdraft ? json::value(a.available()) : json::value(nullptr)},
      {"debits_posted", a.debits_posted},
      {"credits_posted", a.credits_posted},
      {"debits_pending", a.debits_pending},
      {"credits_pending", a.credits_pending},
      {"created_at", a.created_at}};
}

json::object TransferJson(const Transfer& t) {
  return json::object{
      {"id", t.id},
      {"community_id", t.community_id},
      {"currency", Name(t.currency)},
      {"request_id", t.request_id},
      {"debit_account_id", t.debit_account_id},
      {"credit_account_id", t.credit_account_id},
      {"amount", t.amount},
      {"kind", Name(t.kind)},
      {"pending_id", OptInt(t.pending_id)},
      {"reverses_id", OptInt(t.reverses_id)},
      {"timeout_at", OptInt(t.timeout_at)},
      {"code", t.code},
      {"memo", t.memo},
      {"value_fen", OptInt(t.value_fen)},
      {"created_at", t.created_at},
      {"hold_state", t.hold_state ? json::value(Name(*t.hold_state)) : json::value(nullptr)}};
}

http::Response OutcomeResponse(const Outcome& outcome) {
  json::array transfers;
  for (const auto& t : outcome.transfers) transfers.push_back(TransferJson(t));
  auto response = http::Json(201, json::object{{"request_id", outcome.request_id},
                                               {"replayed", outcome.replayed},
                                               {"transfers", std::move(transfers)}});
  response.With("Cache-Control", "no-store");
  if (outcome.replayed) response.With("Idempotency-Replayed", "true");
  return response;
}

json::object RulesJsonObject(const Rules& rules) {
  boost::system::error_code ec;
  json::object out = json::parse(RulesJson(rules), ec).as_object();
  out["community_id"] = rules.community_id;
  out["version"] = rules.version;
  out["created_at"] = rules.version == 0 ? json::value(nullptr) : json::value(rules.created_at);
  return out;
}

json::object WalletJson(const Wallet& wallet) {
  json::array accounts;
  for (const auto& a : wallet.accounts) accounts.push_back(AccountJson(a));
  return json::object{{"community_id", wallet.community_id},
                      {"accounts", std::move(accounts)},
                      {"redemption_points", wallet.rules.redemption_points},
                      {"redemption_fen", wallet.rules.redemption_fen},
                      {"rules_version", wallet.rules.version}};
}

// ?community_id= (optional; 0 = the caller's current community).
Result<std::int64_t> CommunityQuery(const http::Request& request) {
  auto text = request.Query("community_id");
  if (!text || text->empty()) return 0;
  std::int64_t id = 0;
  for (char c : *text) {
    if (c < '0' || c > '9' || id > limits::kLedgerAmountMax) {
      return InvalidFieldError("community_id", "invalid");
    }
    id = id * 10 + (c - '0');
  }
  if (id < 1) return InvalidFieldError("community_id", "invalid");
  return id;
}

// The Idempotency-Key header: required on every POST that moves points.
Result<std::optional<std::string>> IdempotencyKey(const http::Request& request) {
  auto key = request.Header("idempotency-key");
  if (!key) {
    return InvalidFieldError("Idempotency-Key", "required",
                             "send an Idempotency-Key header (e.g. a UUID)");
  }
  if (key->empty() || key->size() > limits::kLedgerIdempotencyKeyBytesMax) {
    return InvalidFieldError("Idempotency-Key", "out_of_range");
  }
  for (char c : *key) {
    if (c < 0x21 || c > 0x7e) return InvalidFieldError("Idempotency-Key", "invalid");
  }
  return std::optional<std::string>{std::string(*key)};
}

std::optional<Currency> CurrencyField(http::FieldReader& fields) {
  auto text = fields.String("currency", Need::kOptional, 16);
  if (!text) return Currency::kPoints;
  auto currency = ParseCurrency(*text);
  if (!currency) fields.Fail("currency", "unsupported");
  return currency;
}

// An object without the members handled by hand (nested arrays and objects), for FieldReader.
json::object Without(const json::object& object, std::initializer_list<std::string_view> keys) {
  json::object out = object;
  for (auto key : keys) out.erase(key);
  return out;
}

std::string Memo(http::FieldReader& fields) {
  return fields.String("memo", Need::kOptional, limits::kLedgerMemoBytesMax).value_or("");
}

// Prefixes nested field errors ("amount" → "transfers[2].amount").
Error Nested(Error error, const std::string& prefix) {
  for (auto& field : error.errors) field.field = prefix + field.field;
  return error;
}

Result<TransferItem> ParseItem(const json::value& value, std::size_t index) {
  const std::string prefix = fmt::format("transfers[{}].", index);
  if (!value.is_object()) return InvalidFieldError(prefix.substr(0, prefix.size() - 1), "invalid");
  http::FieldReader fields(value.as_object());
  TransferItem item;
  if (auto kind = fields.String("kind", Need::kOptional, 16)) {
    auto parsed = ParseTransferKind(*kind);
    if (!parsed || *parsed == TransferKind::kExpirePending) {
      fields.Fail("kind", "unsupported");
    } else {
      item.kind = *parsed;
    }
  }
  item.debit_account_id = fields.Int("debit_account_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  item.credit_account_id =
      fields.Int("credit_account_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  item.amount = fields.Int("amount", Need::kOptional, 0, limits::kLedgerAmountMax).value_or(0);
  item.pending_id = fields.Int("pending_id", Need::kOptional, 1, INT64_MAX);
  item.timeout_s =
      fields.Int("timeout_s", Need::kOptional, 0, limits::kLedgerHoldTimeoutSMax).value_or(0);
  item.code =
      fields.String("code", Need::kOptional, limits::kLedgerCodeBytesMax, 1).value_or("transfer");
  item.memo = Memo(fields);
  if (auto finished = fields.Finish(); !finished) return Nested(finished.error(), prefix);
  return item;
}

Result<TransferRequest> ParseTransferRequest(const json::object& body) {
  json::object rest = Without(body, {"transfers"});
  http::FieldReader fields(rest);
  TransferRequest request;
  request.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
  auto currency = CurrencyField(fields);
  LINLI_TRY(fields.Finish());
  request.currency = currency.value_or(Currency::kPoints);
  const auto* items = body.if_contains("transfers");
  if (items == nullptr || items->is_null()) return InvalidFieldError("transfers", "required");
  if (!items->is_array()) return InvalidFieldError("transfers", "expected_array");
  if (items->as_array().empty() || items->as_array().size() > limits::kLedgerLinkedTransfersMax) {
    return InvalidFieldError("transfers", "too_many_items");
  }
  std::size_t index = 0;
  for (const auto& value : items->as_array()) {
    LINLI_ASSIGN_OR_RETURN(auto item, ParseItem(value, index++));
    request.items.push_back(std::move(item));
  }
  return request;
}

// --- rules -----------------------------------------------------------------------------------

Result<std::map<std::string, std::int64_t>> ParseFactors(const json::object& valuation,
                                                         std::string_view key) {
  const std::string field = "valuation." + std::string(key);
  const auto* value = valuation.if_contains(key);
  if (value == nullptr || !value->is_object()) return InvalidFieldError(field, "required");
  std::map<std::string, std::int64_t> out;
  for (const auto& [name, factor] : value->as_object()) {
    if (!factor.is_int64()) return InvalidFieldError(field, "expected_integer");
    out[std::string(name)] = factor.as_int64();
  }
  return out;
}

Result<Rules> ParseRules(const json::object& body) {
  json::object rest = Without(body, {"earning", "valuation"});
  http::FieldReader fields(rest);
  Rules rules;
  const std::int64_t max = limits::kLedgerRuleAmountMax;
  rules.redemption_points = fields.Int("redemption_points", Need::kRequired, 1, max).value_or(1);
  rules.redemption_fen = fields.Int("redemption_fen", Need::kRequired, 1, max).value_or(1);
  rules.donation_fen = fields.Int("donation_fen", Need::kRequired, 1, max).value_or(1);
  rules.donation_points = fields.Int("donation_points", Need::kRequired, 1, max).value_or(1);
  rules.new_member_points = fields.Int("new_member_points", Need::kRequired, 0, max).value_or(0);
  rules.new_member_minutes = fields.Int("new_member_minutes", Need::kRequired, 0, max).value_or(0);
  rules.subsidy_points = fields.Int("subsidy_points", Need::kRequired, 0, max).value_or(0);
  LINLI_TRY(fields.Finish());

  const auto* earning = body.if_contains("earning");
  if (earning == nullptr || !earning->is_array()) return InvalidFieldError("earning", "required");
  std::size_t index = 0;
  for (const auto& value : earning->as_array()) {
    const std::string prefix = fmt::format("earning[{}].", index++);
    if (!value.is_object()) return InvalidFieldError(prefix + "code", "invalid");
    http::FieldReader item(value.as_object());
    EarningRule rule;
    rule.code =
        item.String("code", Need::kRequired, limits::kLedgerRuleCodeBytesMax, 1).value_or("");
    rule.name = item.String("name", Need::kRequired, limits::kLedgerMemoBytesMax, 1).value_or("");
    if (auto currency = item.String("currency", Need::kRequired, 16)) {
      auto parsed = ParseCurrency(*currency);
      if (!parsed) item.Fail("currency", "unsupported");
      rule.currency = parsed.value_or(Currency::kPoints);
    }
    rule.amount_per_unit = item.Int("amount_per_unit", Need::kRequired, 1, max).value_or(1);
    if (auto unit = item.String("unit", Need::kRequired, 16)) {
      auto parsed = ParseEarningUnit(*unit);
      if (!parsed) item.Fail("unit", "unsupported");
      rule.unit = parsed.value_or(EarningUnit::kTime);
    }
    if (auto finished = item.Finish(); !finished) return Nested(finished.error(), prefix);
    rules.earning.push_back(std::move(rule));
  }

  const auto* valuation = body.if_contains("valuation");
  if (valuation == nullptr || !valuation->is_object()) {
    return InvalidFieldError("valuation", "required");
  }
  const json::object& v = valuation->as_object();
  json::object scalars = Without(
      v, {"condition_permille", "demand_permille", "intensity_permille", "scarcity_permille"});
  http::FieldReader vf(scalars);
  const std::int64_t factor_max = limits::kLedgerFactorPermilleMax;
  ValuationRules& out = rules.valuation;
  out.points_per_yuan = vf.Int("points_per_yuan", Need::kRequired, 1, max).value_or(1);
  out.points_per_hour = vf.Int("points_per_hour", Need::kRequired, 1, max).value_or(1);
  out.skill_base_points = vf.Int("skill_base_points", Need::kRequired, 1, max).value_or(1);
  out.special_slot_permille =
      vf.Int("special_slot_permille", Need::kRequired, 1, factor_max).value_or(1000);
  out.certified_permille =
      vf.Int("certified_permille", Need::kRequired, 1, factor_max).value_or(1000);
  if (auto finished = vf.Finish(); !finished) return Nested(finished.error(), "valuation.");
  LINLI_ASSIGN_OR_RETURN(out.condition_permille, ParseFactors(v, "condition_permille"));
  LINLI_ASSIGN_OR_RETURN(out.demand_permille, ParseFactors(v, "demand_permille"));
  LINLI_ASSIGN_OR_RETURN(out.intensity_permille, ParseFactors(v, "intensity_permille"));
  LINLI_ASSIGN_OR_RETURN(out.scarcity_permille, ParseFactors(v, "scarcity_permille"));
  return rules;
}

// ---------------------------------------------------------------------------------------------
// Handlers

template <class Fn>
http::Response WithBody(http::Request& request, Fn&& fn) {
  auto body = http::ParseJsonObject(request);
  if (!body) return http::Problem(request, body.error());
  return fn(*body);
}

http::Response Fail(const http::Request& request, const Error& error) {
  return http::Problem(request, error);
}

http::Response GetWallet(http::Request& request, LedgerService& service) {
  auto community = CommunityQuery(request);
  if (!community) return Fail(request, community.error());
  auto wallet = service.GetWallet(http::ActorOf(request), *community);
  if (!wallet) return Fail(request, wallet.error());
  return http::Json(200, WalletJson(*wallet)).With("Cache-Control", "no-store");
}

http::Response OpenWallet(http::Request& request, LedgerService& service) {
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    auto community = fields.Int("community_id", Need::kOptional, 1, INT64_MAX);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto wallet = service.OpenWallet(http::ActorOf(request), community.value_or(0));
    if (!wallet) return Fail(request, wallet.error());
    return http::Json(200, WalletJson(*wallet)).With("Cache-Control", "no-store");
  });
}

http::Response ListAccounts(http::Request& request, LedgerService& service) {
  auto community = CommunityQuery(request);
  if (!community) return Fail(request, community.error());
  auto page = http::ParsePage(request);
  if (!page) return Fail(request, page.error());
  std::optional<OwnerKind> kind;
  if (auto text = request.Query("owner_kind"); text && !text->empty()) {
    kind = ParseOwnerKind(*text);
    if (!kind) return Fail(request, InvalidFieldError("owner_kind", "unsupported"));
  }
  auto accounts = service.ListAccounts(http::ActorOf(request), *community, kind, *page);
  if (!accounts) return Fail(request, accounts.error());
  json::array items;
  for (const auto& a : accounts->items) items.push_back(AccountJson(a));
  return http::Json(200, json::object{{"items", std::move(items)},
                                      {"next_cursor", http::CursorJson(accounts->next)}})
      .With("Cache-Control", "no-store");
}

http::Response OpenAccount(http::Request& request, LedgerService& service) {
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    AccountOpen open;
    open.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    auto currency = fields.String("currency", Need::kRequired, 16);
    auto kind = fields.String("owner_kind", Need::kRequired, 16);
    open.owner_id = fields.Int("owner_id", Need::kRequired, 1, INT64_MAX).value_or(0);
    open.credit_limit = fields.Int("credit_limit", Need::kOptional, 0, limits::kLedgerAmountMax);
    open.upper_limit = fields.Int("upper_limit", Need::kOptional, 0, limits::kLedgerAmountMax);
    if (currency) {
      auto parsed = ParseCurrency(*currency);
      if (!parsed) fields.Fail("currency", "unsupported");
      open.currency = parsed.value_or(Currency::kPoints);
    }
    if (kind) {
      auto parsed = ParseOwnerKind(*kind);
      if (!parsed || *parsed == OwnerKind::kPool) fields.Fail("owner_kind", "unsupported");
      open.owner_kind = parsed.value_or(OwnerKind::kHousehold);
    }
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto opened = service.OpenAccount(http::ActorOf(request), open);
    if (!opened) return Fail(request, opened.error());
    return http::Json(opened->second ? 201 : 200, AccountJson(opened->first))
        .With("Cache-Control", "no-store");
  });
}

http::Response GetAccount(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto account = service.GetAccount(http::ActorOf(request), *id);
  if (!account) return Fail(request, account.error());
  return http::Json(200, AccountJson(*account)).With("Cache-Control", "no-store");
}

http::Response UpdateAccount(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    AccountPatch patch;
    patch.credit_limit = fields.Int("credit_limit", Need::kOptional, 0, limits::kLedgerAmountMax);
    patch.remove_credit_limit = fields.Bool("remove_credit_limit", Need::kOptional).value_or(false);
    patch.upper_limit = fields.Int("upper_limit", Need::kOptional, 0, limits::kLedgerAmountMax);
    patch.remove_upper_limit = fields.Bool("remove_upper_limit", Need::kOptional).value_or(false);
    patch.vulnerable = fields.Bool("vulnerable", Need::kOptional);
    if (body.empty()) fields.Fail("credit_limit", "required");
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto account = service.UpdateAccount(http::ActorOf(request), *id, patch);
    if (!account) return Fail(request, account.error());
    return http::Json(200, AccountJson(*account)).With("Cache-Control", "no-store");
  });
}

http::Response Statement(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto page = http::ParsePage(request);
  if (!page) return Fail(request, page.error());
  auto statement = service.Statement(http::ActorOf(request), *id, *page);
  if (!statement) return Fail(request, statement.error());
  json::array items;
  for (const auto& line : statement->lines) {
    items.push_back(json::object{{"transfer", TransferJson(line.transfer)},
                                 {"counterparty_account_id", line.counterparty_account_id},
                                 {"amount", line.amount},
                                 {"pending_change", line.pending_change},
                                 {"balance_after", line.balance_after}});
  }
  return http::Json(200, json::object{{"account", AccountJson(statement->account)},
                                      {"items", std::move(items)},
                                      {"next_cursor", http::CursorJson(statement->next)}})
      .With("Cache-Control", "no-store");
}

http::Response StatementCsv(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto csv = service.StatementCsv(http::ActorOf(request), *id);
  if (!csv) return Fail(request, csv.error());
  http::Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = std::move(*csv);
  response.With("Content-Disposition",
                fmt::format("attachment; filename=\"ledger-account-{}.csv\"", *id));
  response.With("Cache-Control", "no-store");
  return response;
}

http::Response PayQr(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto account = service.GetAccount(http::ActorOf(request), *id);
  if (!account) return Fail(request, account.error());
  auto svg =
      QrSvg(fmt::format("linli:pay?community={}&account={}", account->community_id, account->id),
            "付款码 / pay here");
  if (!svg) return Fail(request, svg.error());
  http::Response response;
  response.content_type = "image/svg+xml";
  response.body = std::move(*svg);
  response.With("Cache-Control", "private, max-age=3600");
  return response;
}

http::Response FindByKey(http::Request& request, LedgerService& service) {
  auto community = CommunityQuery(request);
  if (!community) return Fail(request, community.error());
  auto key = request.Query("idempotency_key");
  if (!key || key->empty() || key->size() > limits::kLedgerIdempotencyKeyBytesMax) {
    return Fail(request, InvalidFieldError("idempotency_key", "required"));
  }
  auto outcome = service.FindByKey(http::ActorOf(request), *community, std::string(*key));
  if (!outcome) return Fail(request, outcome.error());
  auto response = OutcomeResponse(*outcome);
  response.status = 200;
  return response;
}

http::Response CreateTransfers(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    auto parsed = ParseTransferRequest(body);
    if (!parsed) return Fail(request, parsed.error());
    parsed->idempotency_key = *key;
    auto outcome = service.Submit(http::ActorOf(request), *parsed);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response GetTransfer(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto transfer = service.GetTransfer(http::ActorOf(request), *id);
  if (!transfer) return Fail(request, transfer.error());
  return http::Json(200, TransferJson(*transfer)).With("Cache-Control", "no-store");
}

http::Response GetHold(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto transfer = service.GetTransfer(http::ActorOf(request), *id);
  if (!transfer) return Fail(request, transfer.error());
  if (transfer->kind != TransferKind::kPending) return Fail(request, NotFoundError());
  return http::Json(200, TransferJson(*transfer)).With("Cache-Control", "no-store");
}

http::Response CreateHold(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    HoldRequest hold;
    hold.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    hold.currency = CurrencyField(fields).value_or(Currency::kPoints);
    hold.debit_account_id =
        fields.Int("debit_account_id", Need::kRequired, 1, INT64_MAX).value_or(0);
    hold.credit_account_id =
        fields.Int("credit_account_id", Need::kRequired, 1, INT64_MAX).value_or(0);
    hold.amount = fields.Int("amount", Need::kRequired, 1, limits::kLedgerAmountMax).value_or(0);
    hold.timeout_s =
        fields.Int("timeout_s", Need::kOptional, 0, limits::kLedgerHoldTimeoutSMax).value_or(0);
    hold.code =
        fields.String("code", Need::kOptional, limits::kLedgerCodeBytesMax, 1).value_or("hold");
    hold.memo = Memo(fields);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    hold.idempotency_key = *key;
    auto outcome = service.PlaceHold(http::ActorOf(request), hold);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response PostHold(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    auto amount = fields.Int("amount", Need::kOptional, 0, limits::kLedgerAmountMax).value_or(0);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto outcome = service.PostHold(http::ActorOf(request), *id, amount, *key);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response VoidHold(http::Request& request, LedgerService& service) {
  auto id = http::PathId(request, "id");
  if (!id) return Fail(request, id.error());
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto outcome = service.VoidHold(http::ActorOf(request), *id, *key);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response Correct(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    auto transfer = fields.Int("transfer_id", Need::kRequired, 1, INT64_MAX);
    auto memo = Memo(fields);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto outcome = service.Correct(http::ActorOf(request), *transfer, memo, *key);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response GetRules(http::Request& request, LedgerService& service) {
  auto community = CommunityQuery(request);
  if (!community) return Fail(request, community.error());
  auto rules = service.GetRules(http::ActorOf(request), *community);
  if (!rules) return Fail(request, rules.error());
  return http::Json(200, RulesJsonObject(*rules));
}

http::Response PutRules(http::Request& request, LedgerService& service) {
  auto community = CommunityQuery(request);
  if (!community) return Fail(request, community.error());
  return WithBody(request, [&](const json::object& body) {
    auto rules = ParseRules(body);
    if (!rules) return Fail(request, rules.error());
    auto saved = service.PutRules(http::ActorOf(request), *community, std::move(*rules));
    if (!saved) return Fail(request, saved.error());
    return http::Json(200, RulesJsonObject(*saved));
  });
}

http::Response RecordEarning(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    EarningRequest earning;
    earning.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    earning.user_id = fields.Int("user_id", Need::kRequired, 1, INT64_MAX).value_or(0);
    earning.rule_code =
        fields.String("rule_code", Need::kRequired, limits::kLedgerRuleCodeBytesMax, 1)
            .value_or("");
    earning.quantity =
        fields.Int("quantity", Need::kOptional, 1, limits::kLedgerQuantityMax).value_or(1);
    earning.memo = Memo(fields);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    earning.idempotency_key = *key;
    auto outcome = service.RecordEarning(http::ActorOf(request), earning);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response Pay(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    PaymentRequest payment;
    payment.community_id = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    payment.currency = CurrencyField(fields).value_or(Currency::kPoints);
    payment.payee_account_id =
        fields.Int("payee_account_id", Need::kRequired, 1, INT64_MAX).value_or(0);
    payment.amount = fields.Int("amount", Need::kRequired, 1, limits::kLedgerAmountMax).value_or(0);
    payment.memo = Memo(fields);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    payment.idempotency_key = *key;
    auto outcome = service.Pay(http::ActorOf(request), payment);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response Redeem(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    auto community = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    auto amount = fields.Int("amount", Need::kRequired, 1, limits::kLedgerAmountMax);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto outcome = service.Redeem(http::ActorOf(request), community, *amount, *key);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response Donate(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    auto community = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    auto fen = fields.Int("amount_fen", Need::kRequired, 1, limits::kLedgerFenMax);
    auto memo = Memo(fields);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto outcome = service.Donate(http::ActorOf(request), community, *fen, memo, *key);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response Subsidise(http::Request& request, LedgerService& service) {
  auto key = IdempotencyKey(request);
  if (!key) return Fail(request, key.error());
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    auto account = fields.Int("account_id", Need::kRequired, 1, INT64_MAX);
    auto memo = Memo(fields);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto outcome = service.Subsidise(http::ActorOf(request), *account, memo, *key);
    if (!outcome) return Fail(request, outcome.error());
    return OutcomeResponse(*outcome);
  });
}

http::Response Valuate(http::Request& request, LedgerService& service) {
  return WithBody(request, [&](const json::object& body) {
    http::FieldReader fields(body);
    Valuation v;
    auto community = fields.Int("community_id", Need::kOptional, 1, INT64_MAX).value_or(0);
    v.kind = fields.String("kind", Need::kRequired, 16).value_or("");
    v.goods.purchase_cost_fen =
        fields.Int("purchase_cost_fen", Need::kOptional, 0, limits::kLedgerFenMax).value_or(0);
    v.goods.condition = fields.String("condition", Need::kOptional, 32).value_or("good");
    v.goods.demand = fields.String("demand", Need::kOptional, 32).value_or("normal");
    v.time.minutes =
        fields.Int("minutes", Need::kOptional, 0, limits::kLedgerQuantityMax).value_or(0);
    v.time.intensity = fields.String("intensity", Need::kOptional, 32).value_or("normal");
    v.time.special_slot = fields.Bool("special_slot", Need::kOptional).value_or(false);
    v.skill.sessions =
        fields.Int("sessions", Need::kOptional, 1, limits::kLedgerQuantityMax).value_or(1);
    v.skill.scarcity = fields.String("scarcity", Need::kOptional, 32).value_or("common");
    v.skill.certified = fields.Bool("certified", Need::kOptional).value_or(false);
    if (auto finished = fields.Finish(); !finished) return Fail(request, finished.error());
    auto result = service.Value(http::ActorOf(request), community, v);
    if (!result) return Fail(request, result.error());
    return http::Json(200, json::object{{"kind", v.kind},
                                        {"points", result->points},
                                        {"rules_version", result->rules_version}});
  });
}

http::Response Verify(http::Request& request, LedgerService& service) {
  auto community = CommunityQuery(request);
  if (!community) return Fail(request, community.error());
  auto v = service.Verify(http::ActorOf(request), *community);
  if (!v) return Fail(request, v.error());
  return http::Json(
      200, json::object{
               {"ok", v->ok},
               {"ledgers", v->ledgers},
               {"accounts", v->accounts},
               {"transfers", v->transfers},
               {"problem", v->ok ? json::value(nullptr) : json::value(v->problem)},
               {"currency", v->currency ? json::value(Name(*v->currency)) : json::value(nullptr)},
               {"account_id", OptInt(v->account_id)},
               {"transfer_id", OptInt(v->transfer_id)}});
}

}  // namespace

void RegisterRoutes(http::Router& router, LedgerService& service) {
  using http::Verb;
  auto bind = [&service](http::Response (*handler)(http::Request&, LedgerService&)) {
    return [handler, &service](http::Request& request) { return handler(request, service); };
  };
  const std::string base = "/api/v1/ledger";
  router.Add(Verb::kGet, base + "/wallet", bind(GetWallet));
  router.Add(Verb::kPost, base + "/wallet", bind(OpenWallet));
  router.Add(Verb::kGet, base + "/accounts", bind(ListAccounts));
  router.Add(Verb::kPost, base + "/accounts", bind(OpenAccount));
  router.Add(Verb::kGet, base + "/accounts/{id}", bind(GetAccount));
  router.Add(Verb::kPatch, base + "/accounts/{id}", bind(UpdateAccount));
  router.Add(Verb::kGet, base + "/accounts/{id}/statement", bind(Statement));
  router.Add(Verb::kGet, base + "/accounts/{id}/statement.csv", bind(StatementCsv));
  router.Add(Verb::kGet, base + "/accounts/{id}/pay-qr", bind(PayQr));
  router.Add(Verb::kGet, base + "/transfers", bind(FindByKey));
  router.Add(Verb::kPost, base + "/transfers", bind(CreateTransfers));
  router.Add(Verb::kGet, base + "/transfers/{id}", bind(GetTransfer));
  router.Add(Verb::kPost, base + "/holds", bind(CreateHold));
  router.Add(Verb::kGet, base + "/holds/{id}", bind(GetHold));
  router.Add(Verb::kPost, base + "/holds/{id}/post", bind(PostHold));
  router.Add(Verb::kPost, base + "/holds/{id}/void", bind(VoidHold));
  router.Add(Verb::kPost, base + "/corrections", bind(Correct));
  router.Add(Verb::kGet, base + "/rules", bind(GetRules));
  router.Add(Verb::kPut, base + "/rules", bind(PutRules));
  router.Add(Verb::kPost, base + "/earnings", bind(RecordEarning));
  router.Add(Verb::kPost, base + "/payments", bind(Pay));
  router.Add(Verb::kPost, base + "/redemptions", bind(Redeem));
  router.Add(Verb::kPost, base + "/donations", bind(Donate));
  router.Add(Verb::kPost, base + "/subsidies", bind(Subsidise));
  router.Add(Verb::kPost, base + "/valuations", bind(Valuate));
  router.Add(Verb::kGet, base + "/verify", bind(Verify));
}

}  // namespace linli::ledger
