// Booking and loans over real HTTP against docs/api/openapi.yaml (every response validated by
// the harness): 32 clients racing for one slot on SQLite, Idempotency-Key replay and reuse,
// the approval flow, the anonymous iCalendar feed, and tidal parking search.
#include <ctime>
#include <thread>

#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

namespace json = boost::json;

using BookingApiTest = ApiTest;

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kDay = 24 * kHour;

// A whole hour two days ahead (UTC): inside any card's horizon, never in the past.
std::int64_t FutureHour() {
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  return (now / kHour) * kHour + 2 * kDay;
}

std::string ResourcePath(std::int64_t id, std::string_view rest = "") {
  return "/api/v1/resources/" + std::to_string(id) + std::string(rest);
}

std::string BookingPath(std::int64_t id, std::string_view rest = "") {
  return "/api/v1/bookings/" + std::to_string(id) + std::string(rest);
}

// `owner` publishes a card, the committee lists it; returns its id (0 on failure).
std::int64_t ListedCard(ApiClient& owner, ApiClient& committee, json::object body) {
  auto created = owner.Post("/api/v1/resources", body);
  EXPECT_EQ(created.status, 201) << Describe(created);
  if (created.status != 201) return 0;
  const std::int64_t id = created.Int("id");
  auto submitted = owner.PostEmpty(ResourcePath(id, "/submit"));
  EXPECT_EQ(submitted.status, 200) << Describe(submitted);
  auto approved = committee.Post(ResourcePath(id, "/approve"), json::object{{"reason", "可预约"}});
  EXPECT_EQ(approved.status, 200) << Describe(approved);
  EXPECT_EQ(approved.String("lifecycle"), "listed");
  return id;
}

json::object Room(std::string_view title, json::array tags) {
  return json::object{{"kind", "space"},
                      {"title", title},
                      {"description", "一楼，可容纳 20 人，带投影仪。"},
                      {"tags", std::move(tags)},
                      {"rule", "free"},
                      {"lat", 31.1802},
                      {"lon", 121.4311}};
}

json::object Slot(std::int64_t card, std::int64_t start, std::int64_t end) {
  return json::object{{"card_id", card}, {"start_s", start}, {"end_s", end}};
}

TEST_F(BookingApiTest, ThirtyTwoClientsRaceForOneSlotExactlyOneWins) {
  ApiClient owner = SignedIn("resident");
  ApiClient committee = SignedIn("committee");
  const std::int64_t card = ListedCard(owner, committee, Room("竞速测试活动室", {"活动室"}));
  ASSERT_NE(card, 0);
  const std::int64_t start = FutureHour();
  constexpr int kClients = 32;
  std::vector<ApiClient> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(SignedIn(i % 2 == 0 ? "resident2" : "resident"));
  }
  std::vector<HttpResponse> responses(kClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      responses[static_cast<std::size_t>(i)] = clients[static_cast<std::size_t>(i)].Post(
          "/api/v1/bookings", Slot(card, start, start + kHour));
    });
  }
  for (auto& t : threads) t.join();
  int won = 0;
  for (const auto& r : responses) {
    if (r.status == 201) {
      ++won;
      EXPECT_EQ(r.String("status"), "confirmed");
    } else {
      EXPECT_EQ(r.status, 409) << Describe(r);
      EXPECT_EQ(r.Reason(), "slot_taken") << Describe(r);
    }
  }
  EXPECT_EQ(won, 1);
  auto availability = owner.Get(ResourcePath(card, "/availability?from=" + std::to_string(start) +
                                                       "&to=" + std::to_string(start + kHour)));
  ASSERT_EQ(availability.status, 200) << Describe(availability);
  EXPECT_EQ(availability.json.at("busy").as_array().size(), 1u);
}

TEST_F(BookingApiTest, IdempotentRetryReturnsTheFirstResultAndReuseIsRejected) {
  ApiClient owner = SignedIn("resident");
  ApiClient committee = SignedIn("committee");
  ApiClient booker = SignedIn("resident2");
  const std::int64_t card = ListedCard(owner, committee, Room("幂等测试会议室", {"会议室"}));
  ASSERT_NE(card, 0);
  const std::int64_t start = FutureHour();
  const auto key = WithHeader("Idempotency-Key", "retry-7f3a");
  auto first = booker.Post("/api/v1/bookings", Slot(card, start, start + kHour), key);
  ASSERT_EQ(first.status, 201) << Describe(first);
  auto again = booker.Post("/api/v1/bookings", Slot(card, start, start + kHour), key);
  ASSERT_EQ(again.status, 201) << Describe(again);
  EXPECT_EQ(again.Int("id"), first.Int("id"));
  EXPECT_EQ(again.Header("idempotent-replayed"), "true");
  auto reused = booker.Post("/api/v1/bookings", Slot(card, start + kHour, start + 2 * kHour), key);
  EXPECT_EQ(reused.status, 422) << Describe(reused);
  EXPECT_EQ(reused.Reason(), "idempotency_key_reused");
  // Without a key the same slot is simply taken.
  auto plain = booker.Post("/api/v1/bookings", Slot(card, start, start + kHour));
  EXPECT_EQ(plain.status, 409) << Describe(plain);
  EXPECT_EQ(plain.Reason(), "slot_taken");
  auto mine = booker.Get("/api/v1/bookings/mine");
  ASSERT_EQ(mine.status, 200) << Describe(mine);
  int of_card = 0;
  for (const auto& item : mine.Items()) of_card += item.at("card_id").as_int64() == card ? 1 : 0;
  EXPECT_EQ(of_card, 1);
}

TEST_F(BookingApiTest, ApprovalFlowAndStrangersSeeNothing) {
  ApiClient owner = SignedIn("resident");
  ApiClient committee = SignedIn("committee");
  ApiClient booker = SignedIn("resident2");
  const std::int64_t card = ListedCard(owner, committee, Room("审批测试活动室", {"活动室"}));
  ASSERT_NE(card, 0);
  auto put = owner.Send("PUT", ResourcePath(card, "/booking-settings"),
                        json::serialize(json::object{
                            {"capacity", 1}, {"requires_approval", true}, {"buffer_minutes", 15}}));
  ASSERT_EQ(put.status, 200) << Describe(put);
  EXPECT_TRUE(put.Bool("requires_approval"));
  // Only managers change the settings: the same 404 as a missing card.
  auto by_booker = booker.Send("PUT", ResourcePath(card, "/booking-settings"),
                               json::serialize(json::object{{"capacity", 5}}));
  EXPECT_EQ(by_booker.status, 404) << Describe(by_booker);

  const std::int64_t start = FutureHour();
  auto requested = booker.Post("/api/v1/bookings", Slot(card, start, start + kHour));
  ASSERT_EQ(requested.status, 201) << Describe(requested);
  EXPECT_EQ(requested.String("status"), "requested");
  const std::int64_t id = requested.Int("id");
  // The request holds the slot (and its buffer) while it waits for approval.
  auto inside_buffer =
      owner.Post("/api/v1/bookings", Slot(card, start + kHour + 600, start + 2 * kHour));
  EXPECT_EQ(inside_buffer.status, 409) << Describe(inside_buffer);
  auto incoming = owner.Get("/api/v1/bookings/incoming");
  ASSERT_EQ(incoming.status, 200) << Describe(incoming);
  bool listed = false;
  for (const auto& item : incoming.Items()) listed = listed || item.at("id").as_int64() == id;
  EXPECT_TRUE(listed);
  auto self_approve = booker.PostEmpty(BookingPath(id, "/approve"));
  EXPECT_EQ(self_approve.status, 404) << Describe(self_approve);
  auto stranger = committee.Get(BookingPath(id));
  EXPECT_EQ(stranger.status, 404) << Describe(stranger);
  auto approved = owner.PostEmpty(BookingPath(id, "/approve"));
  ASSERT_EQ(approved.status, 200) << Describe(approved);
  EXPECT_EQ(approved.String("status"), "confirmed");
  auto twice = owner.PostEmpty(BookingPath(id, "/approve"));
  EXPECT_EQ(twice.status, 409) << Describe(twice);
  EXPECT_EQ(twice.Reason(), "illegal_transition");
  auto cancelled = booker.Post(BookingPath(id, "/cancel"), json::object{{"reason", "改期"}});
  ASSERT_EQ(cancelled.status, 200) << Describe(cancelled);
  EXPECT_EQ(cancelled.String("status"), "cancelled");
  // The freed slot can be requested again.
  auto again = booker.Post("/api/v1/bookings", Slot(card, start, start + kHour));
  EXPECT_EQ(again.status, 201) << Describe(again);
}

TEST_F(BookingApiTest, LoansOfGoodsUpToTheirQuantity) {
  ApiClient owner = SignedIn("resident");
  ApiClient committee = SignedIn("committee");
  ApiClient borrower = SignedIn("resident2");
  const std::int64_t card = ListedCard(owner, committee,
                                       json::object{{"kind", "goods"},
                                                    {"title", "借用测试冲击钻"},
                                                    {"description", "两台，周末可借。"},
                                                    {"tags", json::array{"电钻", "工具"}},
                                                    {"condition", "good"},
                                                    {"quantity", 2},
                                                    {"rule", "free"},
                                                    {"lat", 31.1802},
                                                    {"lon", 121.4311}});
  ASSERT_NE(card, 0);
  const std::int64_t due = FutureHour() + kDay;
  json::object loan{{"card_id", card}, {"due_s", due}};
  for (int i = 0; i < 2; ++i) {
    auto lent = borrower.Post("/api/v1/loans", loan);
    ASSERT_EQ(lent.status, 201) << Describe(lent);
    EXPECT_EQ(lent.String("kind"), "loan");
  }
  auto third = borrower.Post("/api/v1/loans", loan);
  EXPECT_EQ(third.status, 409) << Describe(third);
  EXPECT_EQ(third.Reason(), "slot_taken");
  auto not_goods = borrower.Post(
      "/api/v1/loans",
      json::object{{"card_id", ListedCard(owner, committee, Room("不可借的活动室", {"活动室"}))},
                   {"due_s", due}});
  EXPECT_EQ(not_goods.status, 422) << Describe(not_goods);
  EXPECT_EQ(not_goods.Reason(), "not_lendable");
  auto lent = owner.Get("/api/v1/loans/lent");
  ASSERT_EQ(lent.status, 200) << Describe(lent);
  EXPECT_GE(lent.Items().size(), 2u);
}

TEST_F(BookingApiTest, CalendarFeedIsFetchedAnonymouslyByToken) {
  ApiClient owner = SignedIn("resident");
  ApiClient committee = SignedIn("committee");
  ApiClient booker = SignedIn("resident2");
  const std::int64_t card = ListedCard(owner, committee, Room("日历测试活动室", {"活动室"}));
  ASSERT_NE(card, 0);
  const std::int64_t start = FutureHour();
  auto booked = booker.Post("/api/v1/bookings", Slot(card, start, start + kHour));
  ASSERT_EQ(booked.status, 201) << Describe(booked);
  auto feed = booker.PostEmpty("/api/v1/bookings/calendar-feed");
  ASSERT_EQ(feed.status, 201) << Describe(feed);
  const std::string url = feed.String("bookings_url");
  ASSERT_FALSE(url.empty());
  ApiClient anonymous = Client();
  auto calendar = anonymous.Get(url);
  ASSERT_EQ(calendar.status, 200) << Describe(calendar);
  EXPECT_EQ(calendar.ContentType(), "text/calendar");
  EXPECT_EQ(calendar.body.rfind("BEGIN:VCALENDAR\r\n", 0), 0u);
  EXPECT_NE(calendar.body.find("UID:booking-" + std::to_string(booked.Int("id")) + "@linli"),
            std::string::npos);
  // The card's schedule through the same token carries no personal data.
  std::string card_url = feed.String("card_url_template");
  if (auto at = card_url.find("{card_id}"); at != std::string::npos) {
    card_url.replace(at, 9, std::to_string(card));
    auto schedule = anonymous.Get(card_url);
    ASSERT_EQ(schedule.status, 200) << Describe(schedule);
    EXPECT_NE(schedule.body.find("已预约"), std::string::npos);
  }
  // A new token retires the old one; a wrong token is a plain 404.
  auto renewed = booker.PostEmpty("/api/v1/bookings/calendar-feed");
  ASSERT_EQ(renewed.status, 201) << Describe(renewed);
  EXPECT_EQ(anonymous.Get(url).status, 404);
  EXPECT_EQ(anonymous.Get("/ical/not-a-token.ics").status, 404);
}

TEST_F(BookingApiTest, TidalParkingSearchFindsFreeSpotsCheapestFirst) {
  ApiClient owner = SignedIn("resident");
  ApiClient committee = SignedIn("committee");
  ApiClient driver = SignedIn("resident2");
  const std::int64_t cheap = ListedCard(owner, committee, Room("潮汐车位 A-01", {"车位"}));
  const std::int64_t dear = ListedCard(owner, committee, Room("潮汐车位 A-02", {"车位"}));
  ASSERT_NE(cheap, 0);
  ASSERT_NE(dear, 0);
  for (auto [card, price] : {std::pair{cheap, 300}, std::pair{dear, 800}}) {
    auto put = owner.Send("PUT", ResourcePath(card, "/booking-settings"),
                          json::serialize(json::object{{"price_fen_per_hour", price}}));
    ASSERT_EQ(put.status, 200) << Describe(put);
  }
  const std::int64_t start = FutureHour();
  const std::string range =
      "from=" + std::to_string(start) + "&to=" + std::to_string(start + 2 * kHour);
  const auto find = [&]() {
    auto found = driver.Get("/api/v1/bookings/parking?" + range);
    EXPECT_EQ(found.status, 200) << Describe(found);
    std::vector<std::pair<std::int64_t, std::int64_t>> spots;  // card, price for the range
    for (const auto& item : found.Items()) {
      const auto id = item.at("card_id").as_int64();
      if (id == cheap || id == dear) spots.emplace_back(id, item.at("price_fen").as_int64());
    }
    return spots;
  };
  EXPECT_EQ(find(),
            (std::vector<std::pair<std::int64_t, std::int64_t>>{{cheap, 600}, {dear, 1600}}));
  auto taken = driver.Post("/api/v1/bookings", Slot(cheap, start + kHour, start + 3 * kHour));
  ASSERT_EQ(taken.status, 201) << Describe(taken);
  EXPECT_EQ(taken.Int("price_fen"), 600);
  EXPECT_EQ(find(), (std::vector<std::pair<std::int64_t, std::int64_t>>{{dear, 1600}}));
  auto bad = driver.Get("/api/v1/bookings/parking?from=" + std::to_string(start));
  EXPECT_EQ(bad.status, 400) << Describe(bad);
}

}  // namespace
}  // namespace linli::api_test
