#include <gtest/gtest.h>

#include "notify/service.hpp"
#include "support/temp_store.hpp"

namespace linli::notify {
namespace {

class NotifyTest : public ::testing::Test {
 protected:
  Actor User(std::int64_t id) {
    Actor actor;
    actor.user_id = id;
    return actor;
  }
  void Send(std::int64_t user_id, const std::string& kind) {
    ASSERT_TRUE(store_->Write([&](storage::Session& session) -> Status {
      LINLI_TRY(service_.Enqueue(session, Notification{0, 1, user_id, kind, "标题", "内容",
                                                       R"({"resource_id":7})", 0, std::nullopt}));
      return Ok();
    }));
  }
  linli::testing::TempDir dir_;
  std::unique_ptr<storage::Store> store_ = linli::testing::OpenMigratedSqlite(dir_);
  ManualClock clock_{1'000'000};
  NotifyService service_{*store_, clock_};
};

TEST_F(NotifyTest, InboxShowsOnlyMyNotificationsNewestFirst) {
  Send(1, "a");
  Send(2, "b");
  Send(1, "c");
  auto inbox = service_.Inbox(User(1), {10, std::nullopt}).value();
  ASSERT_EQ(inbox.items.size(), 2u);
  EXPECT_EQ(inbox.items[0].kind, "c");
  EXPECT_EQ(inbox.items[1].kind, "a");
  EXPECT_EQ(service_.UnreadCount(User(1)).value(), 2);
}

TEST_F(NotifyTest, MarkingReadIsMineOnly) {
  Send(1, "a");
  const auto id = service_.Inbox(User(1), {}).value().items.at(0).id;
  EXPECT_EQ(service_.MarkRead(User(2), id).error().reason, "not_found");
  ASSERT_TRUE(service_.MarkRead(User(1), id));
  EXPECT_EQ(service_.UnreadCount(User(1)).value(), 0);
  EXPECT_EQ(service_.Inbox(Actor{}, {}).error().reason, "unauthenticated");
}

TEST_F(NotifyTest, PagesWithACursor) {
  for (int i = 0; i < 5; ++i) Send(1, std::to_string(i));
  auto first = service_.Inbox(User(1), {2, std::nullopt}).value();
  ASSERT_TRUE(first.next.has_value());
  auto second = service_.Inbox(User(1), {2, first.next}).value();
  EXPECT_EQ(second.items.at(0).kind, "2");
}

}  // namespace
}  // namespace linli::notify
