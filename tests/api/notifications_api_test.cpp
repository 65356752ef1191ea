// The in-app inbox: the demo's alerts and announcements reach the resident's inbox; paging,
// marking read, authentication and "someone else's is not found".
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

using NotificationsApiTest = ApiTest;

TEST_F(NotificationsApiTest, InboxOfTheSignedInUser) {
  ApiClient resident = SignedIn("resident");
  auto unread = resident.Get("/api/v1/notifications/unread-count");
  ASSERT_EQ(unread.status, 200) << Describe(unread);
  const std::int64_t before = unread.Int("unread");
  ASSERT_GE(before, 1) << "the demo alert should reach the resident's inbox";
  auto inbox = resident.Get("/api/v1/notifications?limit=1");
  ASSERT_EQ(inbox.status, 200) << Describe(inbox);
  ASSERT_EQ(inbox.Items().size(), 1u);
  EXPECT_EQ(inbox.json.at("next_cursor").is_null(), before == 1);
  const auto first = inbox.Items().front().at("id").as_int64();
  auto read = resident.PostEmpty("/api/v1/notifications/" + std::to_string(first) + "/read");
  EXPECT_EQ(read.status / 100, 2) << Describe(read);
  EXPECT_EQ(resident.Get("/api/v1/notifications/unread-count").Int("unread"), before - 1);

  auto missing = resident.PostEmpty("/api/v1/notifications/999999999/read");
  EXPECT_EQ(missing.status, 404) << Describe(missing);
  EXPECT_EQ(missing.Reason(), "not_found");
  auto no_csrf = resident.PostEmpty("/api/v1/notifications/1/read", NoCsrf());
  EXPECT_EQ(no_csrf.status, 403) << Describe(no_csrf);
  EXPECT_EQ(no_csrf.Reason(), "csrf_token_invalid");
  auto bad_limit = resident.Get("/api/v1/notifications?limit=1000");
  EXPECT_EQ(bad_limit.status, 400) << Describe(bad_limit);
  EXPECT_EQ(bad_limit.Reason(), "invalid_field");
}

TEST_F(NotificationsApiTest, AnonymousCallersAreUnauthenticated) {
  ApiClient client = Client();
  for (const char* path : {"/api/v1/notifications", "/api/v1/notifications/unread-count"}) {
    auto response = client.Get(path);
    EXPECT_EQ(response.status, 401) << path << ": " << Describe(response);
    EXPECT_EQ(response.Reason(), "unauthenticated") << path;
  }
  auto read = client.PostEmpty("/api/v1/notifications/1/read");
  EXPECT_EQ(read.status, 401) << Describe(read);
  EXPECT_EQ(read.Reason(), "unauthenticated");
}

}  // namespace
}  // namespace linli::api_test
