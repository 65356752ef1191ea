// The links the composition root makes between modules, over HTTP against the real binary:
// a points-priced booking holds the booker's points in the ledger, pays the provider on
// completion and opens a trust exchange for both to rate; a cancelled one gives everything back.
#include <chrono>
#include <string>

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using BridgesApiTest = ApiTest;

constexpr std::int64_t kPrice = 20;
constexpr std::int64_t kDeposit = 10;

std::int64_t Now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The caller's points account (opened if needed) as {balance, available}.
std::pair<std::int64_t, std::int64_t> Points(ApiClient& client) {
  auto opened = client.Post("/api/v1/ledger/wallet", json::object{});
  EXPECT_TRUE(opened.status == 200 || opened.status == 201) << Describe(opened);
  auto wallet = client.Get("/api/v1/ledger/wallet");
  EXPECT_EQ(wallet.status, 200) << Describe(wallet);
  for (const auto& account : wallet.json.at("accounts").as_array()) {
    const auto& object = account.as_object();
    if (object.at("currency").as_string() == "points" &&
        object.at("owner_kind").as_string() == "resident") {
      return {object.at("balance").as_int64(), object.at("available").as_int64()};
    }
  }
  ADD_FAILURE() << "no resident points account: " << Describe(wallet);
  return {0, 0};
}

// One of 李明's (resident2's) listed space or service cards, set to cost kPrice points with a
// kDeposit deposit and no approval.
std::int64_t PointsPricedCard(ApiClient& owner) {
  auto mine = owner.Get("/api/v1/resources/mine?lifecycle=listed&limit=50");
  EXPECT_EQ(mine.status, 200) << Describe(mine);
  std::int64_t card_id = 0;
  for (const auto& item : mine.Items()) {
    const auto kind = item.at("kind").as_string();
    if (kind == "space" || kind == "service") {
      card_id = item.at("id").as_int64();
      break;
    }
  }
  EXPECT_NE(card_id, 0) << "resident2 has no listed space or service card";
  auto settings =
      owner.Send("PUT", "/api/v1/resources/" + std::to_string(card_id) + "/booking-settings",
                 json::serialize(json::object{{"requires_approval", false},
                                              {"points", kPrice},
                                              {"deposit_points", kDeposit},
                                              {"price_fen_per_hour", 0}}));
  EXPECT_EQ(settings.status, 200) << Describe(settings);
  return card_id;
}

json::object InAMinute() {
  const std::int64_t start = Now() + 60;
  return json::object{{"start_s", start}, {"end_s", start + 3600}};
}

TEST_F(BridgesApiTest, APointsBookingIsHeldThenPaidAndOpensAnExchangeToRate) {
  ApiClient owner = SignedIn("resident2");
  ApiClient booker = SignedIn("resident");
  const std::int64_t card_id = PointsPricedCard(owner);
  const auto [owner_balance, owner_available] = Points(owner);
  const auto [balance, available] = Points(booker);
  ASSERT_GE(available, kPrice + kDeposit) << "the demo resident cannot afford the test booking";

  json::object body = InAMinute();
  body["card_id"] = card_id;
  auto booked = booker.Post("/api/v1/bookings", body,
                            WithHeader("Idempotency-Key", "bridges-test-booking-1"));
  ASSERT_EQ(booked.status, 201) << Describe(booked);
  ASSERT_EQ(booked.String("status"), "confirmed");
  const std::string path = "/api/v1/bookings/" + std::to_string(booked.Int("id"));

  // Confirmed: price and deposit are held — not yet spent, no longer available.
  auto held = Points(booker);
  EXPECT_EQ(held.first, balance);
  EXPECT_EQ(held.second, available - kPrice - kDeposit);

  auto checked_in = booker.PostEmpty(path + "/check-in");
  ASSERT_EQ(checked_in.status, 200) << Describe(checked_in);
  auto completed = owner.Post(path + "/complete", json::object{});
  ASSERT_EQ(completed.status, 200) << Describe(completed);
  EXPECT_EQ(completed.String("status"), "completed");

  // Completed on time: the price is paid to the owner, the deposit comes back.
  auto paid = Points(booker);
  EXPECT_EQ(paid.first, balance - kPrice);
  EXPECT_EQ(paid.second, available - kPrice);
  auto earned = Points(owner);
  EXPECT_EQ(earned.first, owner_balance + kPrice);
  EXPECT_EQ(earned.second, owner_available + kPrice);

  // Both sides now have an exchange to rate.
  for (ApiClient* side : {&booker, &owner}) {
    auto exchanges = side->Get("/api/v1/trust/exchanges");
    ASSERT_EQ(exchanges.status, 200) << Describe(exchanges);
    bool found = false;
    for (const auto& item : exchanges.Items()) {
      const auto& object = item.as_object();
      const auto& exchange =
          object.contains("exchange") ? object.at("exchange").as_object() : object;
      if (exchange.contains("source_id") &&
          exchange.at("source_id").as_int64() == booked.Int("id")) {
        found = true;
      }
    }
    EXPECT_TRUE(found) << "no trust exchange for the booking: " << Describe(exchanges);
  }
}

TEST_F(BridgesApiTest, ACancelledBookingGivesTheHeldPointsBack) {
  ApiClient owner = SignedIn("resident2");
  ApiClient booker = SignedIn("resident");
  const std::int64_t card_id = PointsPricedCard(owner);
  const auto [balance, available] = Points(booker);

  json::object body = InAMinute();
  body["start_s"] = body["start_s"].as_int64() + 7 * 24 * 3600;  // well before any cutoff
  body["end_s"] = body["end_s"].as_int64() + 7 * 24 * 3600;
  body["card_id"] = card_id;
  auto booked = booker.Post("/api/v1/bookings", body,
                            WithHeader("Idempotency-Key", "bridges-test-booking-2"));
  ASSERT_EQ(booked.status, 201) << Describe(booked);
  EXPECT_EQ(Points(booker).second, available - kPrice - kDeposit);

  auto cancelled = booker.Post("/api/v1/bookings/" + std::to_string(booked.Int("id")) + "/cancel",
                               json::object{});
  ASSERT_EQ(cancelled.status, 200) << Describe(cancelled);
  EXPECT_EQ(Points(booker), std::make_pair(balance, available));
}

TEST_F(BridgesApiTest, ABookingThePersonCannotAffordChangesNothing) {
  ApiClient owner = SignedIn("resident2");
  ApiClient booker = SignedIn("resident");
  const std::int64_t card_id = PointsPricedCard(owner);
  const auto [balance, available] = Points(booker);
  auto expensive = owner.Send(
      "PUT", "/api/v1/resources/" + std::to_string(card_id) + "/booking-settings",
      json::serialize(json::object{
          {"requires_approval", false}, {"points", available + 1}, {"deposit_points", 0}}));
  ASSERT_EQ(expensive.status, 200) << Describe(expensive);

  json::object body = InAMinute();
  body["card_id"] = card_id;
  auto refused = booker.Post("/api/v1/bookings", body,
                             WithHeader("Idempotency-Key", "bridges-test-booking-3"));
  EXPECT_EQ(refused.status, 422) << Describe(refused);
  EXPECT_EQ(refused.Reason(), "insufficient_funds");
  EXPECT_EQ(Points(booker), std::make_pair(balance, available));
  auto mine = booker.Get("/api/v1/bookings/mine");
  ASSERT_EQ(mine.status, 200);
  for (const auto& item : mine.Items()) {
    EXPECT_NE(item.at("card_id").as_int64(), card_id) << "a refused booking was kept";
  }
}

}  // namespace
}  // namespace linli::api_test
