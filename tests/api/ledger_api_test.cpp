// The points bank / time bank over real HTTP: wallets, payments with Idempotency-Key, holds,
// statements, rules, earnings, redemptions, donations, subsidies, corrections, verification.
// Every response is validated against docs/api/openapi.yaml by the harness.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;
using LedgerApiTest = ApiTest;

RequestOptions Key(const std::string& key) {
  return WithHeader("Idempotency-Key", key);
}

std::int64_t PointsAccount(const HttpResponse& wallet) {
  return wallet.json.at("accounts").as_array().at(0).at("id").as_int64();
}
std::int64_t PointsBalance(const HttpResponse& wallet) {
  return wallet.json.at("accounts").as_array().at(0).at("balance").as_int64();
}

std::int64_t PoolId(ApiClient& committee, const std::string& pool) {
  auto pools = committee.Get("/api/v1/ledger/accounts?owner_kind=pool&limit=100");
  EXPECT_EQ(pools.status, 200) << Describe(pools);
  for (const auto& item : pools.Items()) {
    if (item.at("pool") == boost::json::value(pool) && item.at("currency") == "points") {
      return item.at("id").as_int64();
    }
  }
  return 0;
}

TEST_F(LedgerApiTest, PaymentsAreIdempotentAndLeaveTheLedgerBalanced) {
  ApiClient resident = SignedIn("resident");
  ApiClient neighbour = SignedIn("resident2");
  auto wallet = resident.Post("/api/v1/ledger/wallet", json::object{});
  ASSERT_EQ(wallet.status, 200) << Describe(wallet);
  auto other = neighbour.Post("/api/v1/ledger/wallet", json::object{});
  ASSERT_EQ(other.status, 200) << Describe(other);
  const auto from = PointsAccount(wallet);
  const auto to = PointsAccount(other);
  const auto start = PointsBalance(wallet);
  ASSERT_GE(start, 10);

  const json::object pay{{"payee_account_id", to}, {"amount", 7}, {"memo", "买菜"}};
  auto missing_key = resident.Post("/api/v1/ledger/payments", pay);
  EXPECT_EQ(missing_key.status, 400) << Describe(missing_key);
  EXPECT_EQ(missing_key.Reason(), "invalid_field");
  const auto audit_before = AuditCount();
  auto paid = resident.Post("/api/v1/ledger/payments", pay, Key("pay-abc"));
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  EXPECT_FALSE(paid.Bool("replayed"));
  const auto transfer_id = paid.json.at("transfers").as_array().at(0).at("id").as_int64();
  auto retry = resident.Post("/api/v1/ledger/payments", pay, Key("pay-abc"));
  ASSERT_EQ(retry.status, 201) << Describe(retry);
  EXPECT_TRUE(retry.Bool("replayed"));
  EXPECT_EQ(retry.Header("idempotency-replayed"), "true");
  EXPECT_EQ(retry.json.at("transfers").as_array().at(0).at("id").as_int64(), transfer_id);
  auto reused =
      resident.Post("/api/v1/ledger/payments",
                    json::object{{"payee_account_id", to}, {"amount", 8}}, Key("pay-abc"));
  EXPECT_EQ(reused.status, 422) << Describe(reused);
  EXPECT_EQ(reused.Reason(), "idempotency_key_reused");
  auto too_much =
      resident.Post("/api/v1/ledger/payments",
                    json::object{{"payee_account_id", to}, {"amount", 1000000}}, Key("pay-big"));
  EXPECT_EQ(too_much.status, 422) << Describe(too_much);
  EXPECT_EQ(too_much.Reason(), "insufficient_funds");
  EXPECT_EQ(AuditCount(), audit_before + 1);  // one payment, one audit entry

  auto found = resident.Get("/api/v1/ledger/transfers?idempotency_key=pay-abc");
  ASSERT_EQ(found.status, 200) << Describe(found);
  EXPECT_EQ(found.json.at("transfers").as_array().at(0).at("id").as_int64(), transfer_id);
  auto account = resident.Get("/api/v1/ledger/accounts/" + std::to_string(from));
  ASSERT_EQ(account.status, 200) << Describe(account);
  EXPECT_EQ(account.Int("balance"), start - 7);
  EXPECT_EQ(neighbour.Get("/api/v1/ledger/accounts/" + std::to_string(from)).status, 404);
  EXPECT_EQ(neighbour.Get("/api/v1/ledger/transfers?idempotency_key=pay-abc").status, 404);

  auto statement =
      resident.Get("/api/v1/ledger/accounts/" + std::to_string(from) + "/statement?limit=1");
  ASSERT_EQ(statement.status, 200) << Describe(statement);
  ASSERT_EQ(statement.Items().size(), 1u);
  EXPECT_EQ(statement.Items().at(0).at("amount").as_int64(), -7);
  EXPECT_EQ(statement.Items().at(0).at("balance_after").as_int64(), start - 7);
  auto csv = resident.Get("/api/v1/ledger/accounts/" + std::to_string(from) + "/statement.csv");
  ASSERT_EQ(csv.status, 200) << Describe(csv);
  EXPECT_NE(csv.body.find("\"买菜\""), std::string::npos);
  auto qr = neighbour.Get("/api/v1/ledger/accounts/" + std::to_string(to) + "/pay-qr");
  ASSERT_EQ(qr.status, 200) << Describe(qr);
  EXPECT_NE(qr.body.find("<svg"), std::string::npos);

  ApiClient committee = SignedIn("committee");
  auto verified = committee.Get("/api/v1/ledger/verify");
  ASSERT_EQ(verified.status, 200) << Describe(verified);
  EXPECT_TRUE(verified.Bool("ok"));
}

TEST_F(LedgerApiTest, HoldsArePostedPartlyOrVoided) {
  ApiClient resident = SignedIn("resident");
  ApiClient neighbour = SignedIn("resident2");
  auto wallet = resident.Post("/api/v1/ledger/wallet", json::object{});
  auto other = neighbour.Post("/api/v1/ledger/wallet", json::object{});
  const auto from = PointsAccount(wallet);
  const auto to = PointsAccount(other);
  const auto start = PointsBalance(wallet);
  const auto start_available =
      wallet.json.at("accounts").as_array().at(0).at("available").as_int64();
  auto hold = resident.Post("/api/v1/ledger/holds",
                            json::object{{"debit_account_id", from},
                                         {"credit_account_id", to},
                                         {"amount", 10},
                                         {"timeout_s", 3600},
                                         {"code", "deposit"}},
                            Key("hold-1"));
  ASSERT_EQ(hold.status, 201) << Describe(hold);
  const auto hold_id = hold.json.at("transfers").as_array().at(0).at("id").as_int64();
  auto held = resident.Get("/api/v1/ledger/accounts/" + std::to_string(from));
  EXPECT_EQ(held.Int("available"), start_available - 10);
  auto read = resident.Get("/api/v1/ledger/holds/" + std::to_string(hold_id));
  ASSERT_EQ(read.status, 200) << Describe(read);
  EXPECT_EQ(read.String("hold_state"), "pending");
  auto posted = resident.Post("/api/v1/ledger/holds/" + std::to_string(hold_id) + "/post",
                              json::object{{"amount", 4}}, Key("post-1"));
  ASSERT_EQ(posted.status, 201) << Describe(posted);
  EXPECT_EQ(posted.json.at("transfers").as_array().at(0).at("amount").as_int64(), 4);
  auto after = resident.Get("/api/v1/ledger/accounts/" + std::to_string(from));
  EXPECT_EQ(after.Int("balance"), start - 4);
  EXPECT_EQ(after.Int("available"), start_available - 4);
  auto again = resident.Post("/api/v1/ledger/holds/" + std::to_string(hold_id) + "/void",
                             json::object{}, Key("void-1"));
  EXPECT_EQ(again.status, 422) << Describe(again);
  EXPECT_EQ(again.Reason(), "hold_not_pending");
  // Linked transfers in one request, both legs or neither.
  auto linked = resident.Post(
      "/api/v1/ledger/transfers",
      json::object{
          {"transfers",
           json::array{
               json::object{{"debit_account_id", from}, {"credit_account_id", to}, {"amount", 1}},
               json::object{
                   {"debit_account_id", from}, {"credit_account_id", to}, {"amount", 1000000}}}}},
      Key("linked-1"));
  EXPECT_EQ(linked.status, 422) << Describe(linked);
  EXPECT_EQ(resident.Get("/api/v1/ledger/accounts/" + std::to_string(from)).Int("balance"),
            start - 4);
  auto bad = resident.Post(
      "/api/v1/ledger/transfers",
      json::object{{"transfers", json::array{json::object{{"amount", 1}}}}, {"surprise", 1}},
      Key("bad-1"));
  EXPECT_EQ(bad.status, 400) << Describe(bad);
}

TEST_F(LedgerApiTest, CommitteeRunsRulesEarningsDonationsSubsidiesAndCorrections) {
  ApiClient committee = SignedIn("committee");
  ApiClient resident = SignedIn("resident");
  ApiClient staff = SignedIn("staff");
  auto wallet = resident.Post("/api/v1/ledger/wallet", json::object{});
  const auto account = PointsAccount(wallet);
  const auto start = PointsBalance(wallet);

  auto rules = committee.Get("/api/v1/ledger/rules");
  ASSERT_EQ(rules.status, 200) << Describe(rules);
  json::object update = rules.json.as_object();
  update.erase("community_id");
  update.erase("version");
  update.erase("created_at");
  update["subsidy_points"] = 30;
  auto forbidden = resident.Send("PUT", "/api/v1/ledger/rules", json::serialize(update));
  EXPECT_EQ(forbidden.status, 403) << Describe(forbidden);
  auto saved = committee.Send("PUT", "/api/v1/ledger/rules", json::serialize(update));
  ASSERT_EQ(saved.status, 200) << Describe(saved);
  EXPECT_EQ(saved.Int("version"), rules.Int("version") + 1);
  EXPECT_EQ(saved.Int("subsidy_points"), 30);

  auto donation =
      committee.Post("/api/v1/ledger/donations",
                     json::object{{"amount_fen", 50000}, {"memo", "爱心企业"}}, Key("don-1"));
  ASSERT_EQ(donation.status, 201) << Describe(donation);
  EXPECT_EQ(donation.json.at("transfers").as_array().at(0).at("amount").as_int64(), 10000);
  // The committee moves donated points into the rewards and subsidies pools.
  const auto donations = PoolId(committee, "donations");
  auto rewards_wallet =
      committee.Post("/api/v1/ledger/earnings", json::object{{"user_id", 1}, {"rule_code", "nope"}},
                     Key("earn-0"));
  EXPECT_EQ(rewards_wallet.status, 422) << Describe(rewards_wallet);
  const auto rewards = PoolId(committee, "rewards");
  ASSERT_GT(donations, 0);
  ASSERT_GT(rewards, 0);
  auto funded = committee.Post(
      "/api/v1/ledger/transfers",
      json::object{{"transfers", json::array{json::object{{"debit_account_id", donations},
                                                          {"credit_account_id", rewards},
                                                          {"amount", 5000}}}}},
      Key("fund-1"));
  ASSERT_EQ(funded.status, 201) << Describe(funded);

  auto me = resident.Get("/api/v1/me");
  const auto user_id = me.Int("id");
  auto earned =
      staff.Post("/api/v1/ledger/earnings",
                 json::object{{"user_id", user_id}, {"rule_code", "skill_sharing"}}, Key("earn-1"));
  ASSERT_EQ(earned.status, 201) << Describe(earned);
  EXPECT_EQ(earned.json.at("transfers").as_array().at(0).at("amount").as_int64(), 15);
  const auto earned_id = earned.json.at("transfers").as_array().at(0).at("id").as_int64();

  auto certify = committee.Patch("/api/v1/ledger/accounts/" + std::to_string(account),
                                 json::object{{"vulnerable", true}});
  ASSERT_EQ(certify.status, 200) << Describe(certify);
  EXPECT_TRUE(certify.Bool("vulnerable"));
  auto subsidy = committee.Post("/api/v1/ledger/subsidies", json::object{{"account_id", account}},
                                Key("sub-1"));
  ASSERT_EQ(subsidy.status, 201) << Describe(subsidy);
  EXPECT_EQ(subsidy.json.at("transfers").as_array().at(0).at("amount").as_int64(), 30);
  auto uncertified = committee.Post("/api/v1/ledger/subsidies",
                                    json::object{{"account_id", donations}}, Key("sub-2"));
  EXPECT_EQ(uncertified.status, 422) << Describe(uncertified);
  EXPECT_EQ(uncertified.Reason(), "not_certified");

  auto corrected =
      committee.Post("/api/v1/ledger/corrections",
                     json::object{{"transfer_id", earned_id}, {"memo", "重复登记"}}, Key("fix-1"));
  ASSERT_EQ(corrected.status, 201) << Describe(corrected);
  auto twice = committee.Post("/api/v1/ledger/corrections",
                              json::object{{"transfer_id", earned_id}}, Key("fix-2"));
  EXPECT_EQ(twice.status, 409) << Describe(twice);
  EXPECT_EQ(twice.Reason(), "already_reversed");
  auto balance = resident.Get("/api/v1/ledger/accounts/" + std::to_string(account));
  EXPECT_EQ(balance.Int("balance"), start + 30);  // the earning was reversed; the subsidy stays

  auto valued = resident.Post(
      "/api/v1/ledger/valuations",
      json::object{{"kind", "goods"}, {"purchase_cost_fen", 20000}, {"condition", "good"}});
  ASSERT_EQ(valued.status, 200) << Describe(valued);
  EXPECT_EQ(valued.Int("points"), 2800);
  auto verified = committee.Get("/api/v1/ledger/verify");
  ASSERT_EQ(verified.status, 200) << Describe(verified);
  EXPECT_TRUE(verified.Bool("ok"));
}

TEST_F(LedgerApiTest, MerchantsRedeemAndOutsidersAreKeptOut) {
  ApiClient merchant = SignedIn("merchant");
  ApiClient resident = SignedIn("resident");
  auto shop = merchant.Post("/api/v1/ledger/wallet", json::object{});
  ASSERT_EQ(shop.status, 200) << Describe(shop);
  const auto& accounts = shop.json.at("accounts").as_array();
  ASSERT_EQ(accounts.size(), 3u);
  EXPECT_EQ(accounts.at(2).at("owner_kind"), "merchant");
  const auto merchant_account = accounts.at(2).at("id").as_int64();
  resident.Post("/api/v1/ledger/wallet", json::object{});
  auto paid = resident.Post("/api/v1/ledger/payments",
                            json::object{{"payee_account_id", merchant_account}, {"amount", 20}},
                            Key("shop-1"));
  ASSERT_EQ(paid.status, 201) << Describe(paid);
  auto redeemed =
      merchant.Post("/api/v1/ledger/redemptions", json::object{{"amount", 20}}, Key("cash-1"));
  ASSERT_EQ(redeemed.status, 201) << Describe(redeemed);
  EXPECT_EQ(redeemed.json.at("transfers").as_array().at(0).at("value_fen").as_int64(), 100);
  auto not_merchant =
      resident.Post("/api/v1/ledger/redemptions", json::object{{"amount", 1}}, Key("cash-2"));
  EXPECT_EQ(not_merchant.status, 403) << Describe(not_merchant);

  ApiClient anonymous = Client();
  EXPECT_EQ(anonymous.Get("/api/v1/ledger/wallet").status, 401);
  EXPECT_EQ(anonymous.Get("/api/v1/ledger/accounts/1").status, 401);
  auto outsider = resident.Get("/api/v1/ledger/wallet?community_id=" + std::to_string(kHarmony));
  EXPECT_EQ(outsider.status, 404) << Describe(outsider);
  auto no_csrf = resident.Post("/api/v1/ledger/wallet", json::object{}, NoCsrf());
  EXPECT_EQ(no_csrf.status, 403) << Describe(no_csrf);
}

}  // namespace
}  // namespace linli::api_test
