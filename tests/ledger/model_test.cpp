// Pure parts of the ledger model: limits, request fingerprints, rules, valuations.
#include "ledger/model.hpp"

#include <gtest/gtest.h>

#include "core/crypto.hpp"

namespace linli::ledger {
namespace {

TransferItem MakeItem(TransferKind kind, std::int64_t debit, std::int64_t credit,
                      std::int64_t amount) {
  TransferItem item;
  item.kind = kind;
  item.debit_account_id = debit;
  item.credit_account_id = credit;
  item.amount = amount;
  return item;
}

TEST(LedgerModel, LimitViolationNamesTheBrokenLimit) {
  Account a;
  a.credits_posted = 100;
  a.debits_posted = 60;
  a.debits_pending = 40;
  EXPECT_EQ(LimitViolation(a), "");
  a.debits_pending = 41;
  EXPECT_EQ(LimitViolation(a), "insufficient_funds");
  a.credit_limit = 1;
  EXPECT_EQ(LimitViolation(a), "");
  EXPECT_EQ(a.available(), 0);
  a.no_overdraft = false;
  a.credit_limit.reset();
  a.debits_posted = 1000;
  EXPECT_EQ(LimitViolation(a), "");  // issuance may go negative
  Account capped;
  capped.upper_limit = 50;
  capped.credits_posted = 40;
  capped.credits_pending = 10;
  EXPECT_EQ(LimitViolation(capped), "");
  capped.credits_pending = 11;  // incoming holds count against the cap
  EXPECT_EQ(LimitViolation(capped), "exceeds_upper_limit");
}

TEST(LedgerModel, RequestHashCoversEveryField) {
  crypto::InitCrypto();
  TransferRequest request{1, Currency::kPoints, "k", {}};
  request.items.push_back(MakeItem(TransferKind::kPosted, 1, 2, 10));
  const auto base = RequestHash(request);
  EXPECT_EQ(base, RequestHash(request));
  auto changed = request;
  changed.items[0].amount = 11;
  EXPECT_NE(RequestHash(changed), base);
  changed = request;
  changed.items[0].memo = "x";
  EXPECT_NE(RequestHash(changed), base);
  changed = request;
  changed.currency = Currency::kMinutes;
  EXPECT_NE(RequestHash(changed), base);
  changed = request;
  changed.idempotency_key = "other";  // the key itself is not a field of the request
  EXPECT_EQ(RequestHash(changed), base);
}

TEST(LedgerModel, DefaultRulesComeFromPracticeAndRoundTrip) {
  Rules rules = DefaultRules();
  ASSERT_NE(rules.FindEarning("deliberation"), nullptr);
  EXPECT_EQ(rules.FindEarning("deliberation")->amount_per_unit, 10);
  EXPECT_EQ(rules.FindEarning("volunteering")->amount_per_unit, 5);
  EXPECT_EQ(rules.FindEarning("skill_sharing")->amount_per_unit, 15);
  EXPECT_EQ(rules.FindEarning("cleaning")->amount_per_unit, 10);
  EXPECT_EQ(RedemptionFen(rules, 100), 500);
  EXPECT_EQ(DonationPoints(rules, 500), 100);
  EXPECT_TRUE(ValidateRules(rules));
  rules.new_member_points = 77;
  rules.valuation.demand_permille["festival"] = 2000;
  auto parsed = ParseRulesJson(RulesJson(rules));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(RulesJson(*parsed), RulesJson(rules));
  EXPECT_FALSE(ParseRulesJson("{\"earning\": 3}").has_value());
}

TEST(LedgerModel, ValidateRulesNamesBadFields) {
  Rules rules = DefaultRules();
  rules.earning.push_back(rules.earning.front());  // duplicate code
  rules.redemption_points = 0;
  rules.valuation.scarcity_permille.clear();
  auto status = ValidateRules(rules);
  ASSERT_FALSE(status);
  std::vector<std::string> fields;
  for (const auto& e : status.error().errors) fields.push_back(e.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "earning[6].code"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "redemption_points"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "valuation.scarcity_permille"), fields.end());
}

TEST(LedgerModel, EarningsByUnit) {
  EarningRule hourly{"volunteering", "志愿", Currency::kPoints, 5, EarningUnit::kHour};
  EXPECT_EQ(EarnedAmount(hourly, 60), 5);
  EXPECT_EQ(EarnedAmount(hourly, 150), 12);  // floored
  EarningRule per_time{"deliberation", "议事", Currency::kPoints, 10, EarningUnit::kTime};
  EXPECT_EQ(EarnedAmount(per_time, 3), 30);
}

TEST(LedgerModel, ValuationsScaleByTheirFactors) {
  ValuationRules v;
  // 200 yuan drill, good condition (0.7), high demand (1.3): 4000 × 0.7 × 1.3 = 3640.
  EXPECT_EQ(ValueGoods(v, {20000, "good", "high"}).value(), 3640);
  EXPECT_EQ(ValueGoods(v, {20000, "new", "normal"}).value(), 4000);
  EXPECT_EQ(ValueGoods(v, {20000, "broken", "normal"}).error().errors[0].field, "condition");
  // 90 minutes of heavy work at night: 5/h × 1.5 × 1.5 × 1.5 h = 16.875 → 16.
  EXPECT_EQ(ValueTime(v, {90, "heavy", true}).value(), 16);
  EXPECT_EQ(ValueTime(v, {60, "normal", false}).value(), 5);
  // Two sessions of a rare certified skill: 15 × 2 × 2.0 × 1.3 = 78.
  EXPECT_EQ(ValueSkill(v, {2, "rare", true}).value(), 78);
  EXPECT_EQ(ValueSkill(v, {1, "common", false}).value(), 15);
  EXPECT_FALSE(ValueSkill(v, {1, "unicorn", false}).has_value());
}

}  // namespace
}  // namespace linli::ledger
