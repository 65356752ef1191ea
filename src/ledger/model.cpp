#include "ledger/model.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include <boost/json.hpp>
#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/limits.hpp"

namespace linli::ledger {
namespace {

namespace json = boost::json;

template <class E, std::size_t N>
std::string_view NameIn(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [e, name] : table) {
    if (e == value) return name;
  }
  return table[0].second;
}

template <class E, std::size_t N>
std::optional<E> ParseIn(const std::array<std::pair<E, std::string_view>, N>& table,
                         std::string_view text) {
  for (const auto& [e, name] : table) {
    if (name == text) return e;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<Currency, std::string_view>, 2> kCurrencies{
    {{Currency::kPoints, "points"}, {Currency::kMinutes, "minutes"}}};
constexpr std::array<std::pair<OwnerKind, std::string_view>, 5> kOwnerKinds{
    {{OwnerKind::kResident, "resident"},
     {OwnerKind::kHousehold, "household"},
     {OwnerKind::kMerchant, "merchant"},
     {OwnerKind::kOrganisation, "organisation"},
     {OwnerKind::kPool, "pool"}}};
constexpr std::array<std::pair<Pool, std::string_view>, 7> kPools{
    {{Pool::kNone, ""},
     {Pool::kIssuance, "issuance"},
     {Pool::kRewards, "rewards"},
     {Pool::kEscrow, "escrow"},
     {Pool::kFees, "fees"},
     {Pool::kSubsidies, "subsidies"},
     {Pool::kDonations, "donations"}}};
constexpr std::array<std::pair<TransferKind, std::string_view>, 5> kKinds{
    {{TransferKind::kPosted, "posted"},
     {TransferKind::kPending, "pending"},
     {TransferKind::kPostPending, "post_pending"},
     {TransferKind::kVoidPending, "void_pending"},
     {TransferKind::kExpirePending, "expire_pending"}}};
constexpr std::array<std::pair<HoldState, std::string_view>, 4> kHoldStates{
    {{HoldState::kPending, "pending"},
     {HoldState::kPosted, "posted"},
     {HoldState::kVoided, "voided"},
     {HoldState::kExpired, "expired"}}};
constexpr std::array<std::pair<EarningUnit, std::string_view>, 3> kUnits{
    {{EarningUnit::kTime, "time"}, {EarningUnit::kHour, "hour"}, {EarningUnit::kItem, "item"}}};

bool IsRuleCode(std::string_view code) {
  if (code.empty() || code.size() > limits::kLedgerRuleCodeBytesMax) return false;
  return std::all_of(code.begin(), code.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// value × factor‰, floored. The API bounds inputs (amounts ≤ 1e10, factors ≤ 1e4) so the
// products stay far below 2^63.
std::int64_t Scale(std::int64_t value, std::int64_t permille) {
  return value * permille / 1000;
}

Result<std::int64_t> Factor(const std::map<std::string, std::int64_t>& table,
                            const std::string& name, std::string_view field) {
  auto found = table.find(name);
  if (found == table.end()) {
    return InvalidFieldError(std::string(field), "unsupported", "unknown " + std::string(field));
  }
  return found->second;
}

json::object FactorsJson(const std::map<std::string, std::int64_t>& table) {
  json::object out;
  for (const auto& [name, permille] : table) out[name] = permille;
  return out;
}

// Reads what RulesJson writes; members that are absent keep their defaults.
class Reader {
 public:
  explicit Reader(const json::object& object) : object_(object) {}
  void Int(std::string_view key, std::int64_t& out) {
    const auto* value = object_.if_contains(key);
    if (value == nullptr) return;
    if (!value->is_int64()) {
      ok_ = false;
      return;
    }
    out = value->as_int64();
  }
  void Factors(std::string_view key, std::map<std::string, std::int64_t>& out) {
    const auto* value = object_.if_contains(key);
    if (value == nullptr) return;
    if (!value->is_object()) {
      ok_ = false;
      return;
    }
    out.clear();
    for (const auto& [name, factor] : value->as_object()) {
      if (!factor.is_int64()) {
        ok_ = false;
        return;
      }
      out[std::string(name)] = factor.as_int64();
    }
  }
  bool ok() const { return ok_; }

 private:
  const json::object& object_;
  bool ok_ = true;
};

}  // namespace

std::string_view Name(Currency value) {
  return NameIn(kCurrencies, value);
}
std::string_view Name(OwnerKind value) {
  return NameIn(kOwnerKinds, value);
}
std::string_view Name(Pool value) {
  return NameIn(kPools, value);
}
std::string_view Name(TransferKind value) {
  return NameIn(kKinds, value);
}
std::string_view Name(HoldState value) {
  return NameIn(kHoldStates, value);
}
std::string_view Name(EarningUnit value) {
  return NameIn(kUnits, value);
}
std::optional<Currency> ParseCurrency(std::string_view text) {
  return ParseIn(kCurrencies, text);
}
std::optional<OwnerKind> ParseOwnerKind(std::string_view text) {
  return ParseIn(kOwnerKinds, text);
}
std::optional<Pool> ParsePool(std::string_view text) {
  return ParseIn(kPools, text);
}
std::optional<TransferKind> ParseTransferKind(std::string_view text) {
  return ParseIn(kKinds, text);
}
std::optional<HoldState> ParseHoldState(std::string_view text) {
  return ParseIn(kHoldStates, text);
}
std::optional<EarningUnit> ParseEarningUnit(std::string_view text) {
  return ParseIn(kUnits, text);
}

std::string_view LimitViolation(const Account& account) {
  if (account.no_overdraft && account.debits_posted + account.debits_pending >
                                  account.credits_posted + account.credit_limit.value_or(0)) {
    return "insufficient_funds";
  }
  if (account.upper_limit &&
      account.credits_posted + account.credits_pending - account.debits_posted >
          *account.upper_limit) {
    return "exceeds_upper_limit";
  }
  return "";
}

std::string RequestHash(const TransferRequest& request) {
  // Length-prefixed fields, so no two different requests share an encoding.
  std::string text =
      fmt::format("{}|{}|{}|", request.community_id, Name(request.currency), request.items.size());
  for (const auto& item : request.items) {
    text +=
        fmt::format("{}|{}|{}|{}|{}|{}|{}:{}|{}:{}|{}|{}|", Name(item.kind), item.debit_account_id,
                    item.credit_account_id, item.amount, item.pending_id.value_or(0),
                    item.timeout_s, item.code.size(), item.code, item.memo.size(), item.memo,
                    item.reverses_id.value_or(0), item.value_fen.value_or(-1));
  }
  return crypto::Sha256Hex(text);
}

const EarningRule* Rules::FindEarning(std::string_view code) const {
  for (const auto& rule : earning) {
    if (rule.code == code) return &rule;
  }
  return nullptr;
}

Rules DefaultRules() {
  Rules rules;
  rules.earning = {
      {"deliberation", "议事协商", Currency::kPoints, 10, EarningUnit::kTime},
      {"volunteering", "志愿服务", Currency::kPoints, 5, EarningUnit::kHour},
      {"volunteering_time", "志愿服务（时间币）", Currency::kMinutes, 60, EarningUnit::kHour},
      {"skill_sharing", "技能分享", Currency::kPoints, 15, EarningUnit::kTime},
      {"cleaning", "社区清洁", Currency::kPoints, 10, EarningUnit::kTime},
      {"resource_provision", "提供资源", Currency::kPoints, 5, EarningUnit::kItem},
  };
  return rules;
}

Status ValidateRules(const Rules& rules) {
  std::vector<FieldError> errors;
  auto check = [&](bool ok, std::string field, std::string reason = "out_of_range") {
    if (!ok) errors.push_back({std::move(field), std::move(reason)});
  };
  const std::int64_t max = limits::kLedgerRuleAmountMax;
  check(rules.earning.size() <= limits::kLedgerEarningRulesMax, "earning", "too_many");
  std::set<std::string> codes;
  for (std::size_t i = 0; i < rules.earning.size(); ++i) {
    const auto& rule = rules.earning[i];
    const std::string at = fmt::format("earning[{}]", i);
    check(IsRuleCode(rule.code), at + ".code", "invalid");
    check(codes.insert(rule.code).second, at + ".code", "duplicate");
    check(!rule.name.empty() && rule.name.size() <= limits::kLedgerMemoBytesMax, at + ".name",
          "invalid");
    check(rule.amount_per_unit > 0 && rule.amount_per_unit <= max, at + ".amount_per_unit");
  }
  check(rules.redemption_points > 0 && rules.redemption_points <= max, "redemption_points");
  check(rules.redemption_fen > 0 && rules.redemption_fen <= max, "redemption_fen");
  check(rules.donation_fen > 0 && rules.donation_fen <= max, "donation_fen");
  check(rules.donation_points > 0 && rules.donation_points <= max, "donation_points");
  check(rules.new_member_points >= 0 && rules.new_member_points <= max, "new_member_points");
  check(rules.new_member_minutes >= 0 && rules.new_member_minutes <= max, "new_member_minutes");
  check(rules.subsidy_points >= 0 && rules.subsidy_points <= max, "subsidy_points");
  const ValuationRules& v = rules.valuation;
  check(v.points_per_yuan > 0 && v.points_per_yuan <= max, "valuation.points_per_yuan");
  check(v.points_per_hour > 0 && v.points_per_hour <= max, "valuation.points_per_hour");
  check(v.skill_base_points > 0 && v.skill_base_points <= max, "valuation.skill_base_points");
  const std::int64_t factor_max = limits::kLedgerFactorPermilleMax;
  check(v.special_slot_permille > 0 && v.special_slot_permille <= factor_max,
        "valuation.special_slot_permille");
  check(v.certified_permille > 0 && v.certified_permille <= factor_max,
        "valuation.certified_permille");
  for (const auto& [field, table] :
       {std::pair{"valuation.condition_permille", &v.condition_permille},
        std::pair{"valuation.demand_permille", &v.demand_permille},
        std::pair{"valuation.intensity_permille", &v.intensity_permille},
        std::pair{"valuation.scarcity_permille", &v.scarcity_permille}}) {
    bool ok = !table->empty() && table->size() <= limits::kLedgerFactorsMax;
    for (const auto& [name, permille] : *table) {
      ok = ok && IsRuleCode(name) && permille > 0 && permille <= factor_max;
    }
    check(ok, field, "invalid");
  }
  if (!errors.empty()) {
    return Error{Errc::kInvalidArgument, "invalid_field", "the rule set is not valid",
                 std::move(errors)};
  }
  return Ok();
}

std::string RulesJson(const Rules& rules) {
  json::array earning;
  for (const auto& rule : rules.earning) {
    earning.push_back(json::object{{"code", rule.code},
                                   {"name", rule.name},
                                   {"currency", Name(rule.currency)},
                                   {"amount_per_unit", rule.amount_per_unit},
                                   {"unit", Name(rule.unit)}});
  }
  const ValuationRules& v = rules.valuation;
  json::object valuation{{"points_per_yuan", v.points_per_yuan},
                         {"condition_permille", FactorsJson(v.condition_permille)},
                         {"demand_permille", FactorsJson(v.demand_permille)},
                         {"points_per_hour", v.points_per_hour},
                         {"intensity_permille", FactorsJson(v.intensity_permille)},
                         {"special_slot_permille", v.special_slot_permille},
                         {"skill_base_points", v.skill_base_points},
                         {"scarcity_permille", FactorsJson(v.scarcity_permille)},
                         {"certified_permille", v.certified_permille}};
  return json::serialize(json::object{{"earning", std::move(earning)},
                                      {"redemption_points", rules.redemption_points},
                                      {"redemption_fen", rules.redemption_fen},
                                      {"donation_fen", rules.donation_fen},
                                      {"donation_points", rules.donation_points},
                                      {"new_member_points", rules.new_member_points},
                                      {"new_member_minutes", rules.new_member_minutes},
                                      {"subsidy_points", rules.subsidy_points},
                                      {"valuation", std::move(valuation)}});
}

Result<Rules> ParseRulesJson(std::string_view text) {
  const Error bad{Errc::kInternal, "ledger_rules_corrupt", "a stored rule set cannot be read"};
  boost::system::error_code ec;
  json::value value = json::parse(text, ec);
  if (ec || !value.is_object()) return bad;
  const json::object& object = value.as_object();
  Rules rules = DefaultRules();
  if (const auto* earning = object.if_contains("earning")) {
    if (!earning->is_array()) return bad;
    rules.earning.clear();
    for (const auto& item : earning->as_array()) {
      const auto* o = item.if_object();
      if (o == nullptr) return bad;
      EarningRule rule;
      const auto* code = o->if_contains("code");
      const auto* name = o->if_contains("name");
      const auto* currency = o->if_contains("currency");
      const auto* amount = o->if_contains("amount_per_unit");
      const auto* unit = o->if_contains("unit");
      if (!code || !code->is_string() || !name || !name->is_string() || !currency ||
          !currency->is_string() || !amount || !amount->is_int64() || !unit || !unit->is_string()) {
        return bad;
      }
      auto parsed_currency = ParseCurrency(currency->as_string());
      auto parsed_unit = ParseEarningUnit(unit->as_string());
      if (!parsed_currency || !parsed_unit) return bad;
      rule.code = std::string(code->as_string());
      rule.name = std::string(name->as_string());
      rule.currency = *parsed_currency;
      rule.amount_per_unit = amount->as_int64();
      rule.unit = *parsed_unit;
      rules.earning.push_back(std::move(rule));
    }
  }
  Reader reader(object);
  reader.Int("redemption_points", rules.redemption_points);
  reader.Int("redemption_fen", rules.redemption_fen);
  reader.Int("donation_fen", rules.donation_fen);
  reader.Int("donation_points", rules.donation_points);
  reader.Int("new_member_points", rules.new_member_points);
  reader.Int("new_member_minutes", rules.new_member_minutes);
  reader.Int("subsidy_points", rules.subsidy_points);
  if (!reader.ok()) return bad;
  if (const auto* valuation = object.if_contains("valuation")) {
    if (!valuation->is_object()) return bad;
    Reader v(valuation->as_object());
    ValuationRules& out = rules.valuation;
    v.Int("points_per_yuan", out.points_per_yuan);
    v.Factors("condition_permille", out.condition_permille);
    v.Factors("demand_permille", out.demand_permille);
    v.Int("points_per_hour", out.points_per_hour);
    v.Factors("intensity_permille", out.intensity_permille);
    v.Int("special_slot_permille", out.special_slot_permille);
    v.Int("skill_base_points", out.skill_base_points);
    v.Factors("scarcity_permille", out.scarcity_permille);
    v.Int("certified_permille", out.certified_permille);
    if (!v.ok()) return bad;
  }
  return rules;
}

std::int64_t EarnedAmount(const EarningRule& rule, std::int64_t quantity) {
  if (rule.unit == EarningUnit::kHour) return rule.amount_per_unit * quantity / 60;
  return rule.amount_per_unit * quantity;
}

std::int64_t RedemptionFen(const Rules& rules, std::int64_t points) {
  return points * rules.redemption_fen / rules.redemption_points;
}

std::int64_t DonationPoints(const Rules& rules, std::int64_t fen) {
  return fen * rules.donation_points / rules.donation_fen;
}

Result<std::int64_t> ValueGoods(const ValuationRules& rules, const GoodsValuation& goods) {
  LINLI_ASSIGN_OR_RETURN(auto condition,
                         Factor(rules.condition_permille, goods.condition, "condition"));
  LINLI_ASSIGN_OR_RETURN(auto demand, Factor(rules.demand_permille, goods.demand, "demand"));
  // fen → points at points_per_yuan, then condition and demand.
  const std::int64_t base = goods.purchase_cost_fen * rules.points_per_yuan / 100;
  return Scale(Scale(base, condition), demand);
}

Result<std::int64_t> ValueTime(const ValuationRules& rules, const TimeValuation& time) {
  LINLI_ASSIGN_OR_RETURN(auto intensity,
                         Factor(rules.intensity_permille, time.intensity, "intensity"));
  const std::int64_t base = time.minutes * rules.points_per_hour;  // in point-minutes
  const std::int64_t slot = time.special_slot ? rules.special_slot_permille : 1000;
  return Scale(Scale(base, intensity), slot) / 60;
}

Result<std::int64_t> ValueSkill(const ValuationRules& rules, const SkillValuation& skill) {
  LINLI_ASSIGN_OR_RETURN(auto scarcity,
                         Factor(rules.scarcity_permille, skill.scarcity, "scarcity"));
  const std::int64_t certified = skill.certified ? rules.certified_permille : 1000;
  return Scale(Scale(skill.sessions * rules.skill_base_points, scarcity), certified);
}

}  // namespace linli::ledger
