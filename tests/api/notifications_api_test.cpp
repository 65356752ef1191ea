// The in-app inbox. Nothing enqueues notifications yet, so the inbox is empty; the shapes,
// authentication and "someone else's is not found" are what can be checked today.
#include <gtest/gtest.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

using NotificationsApiTest = ApiTest;

TEST_F(NotificationsApiTest, InboxOfTheSignedInUser) {
  ApiClient resident = SignedIn("resident");
  auto inbox = resident.Get("/api/v1/notifications?limit=5");
  ASSERT_EQ(inbox.status, 200) << Describe(inbox);
  EXPECT_TRUE(inbox.Items().empty());
  EXPECT_TRUE(inbox.json.at("next_cursor").is_null());
  auto unread = resident.Get("/api/v1/notifications/unread-count");
  ASSERT_EQ(unread.status, 200) << Describe(unread);
  EXPECT_EQ(unread.Int("unread"), 0);

  auto missing = resident.PostEmpty("/api/v1/notifications/1/read");
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
