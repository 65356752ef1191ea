#include "notify/service.hpp"

#include <spdlog/spdlog.h>

namespace linli::notify {
namespace {

Notification FromRow(const storage::Row& row) {
  Notification n;
  n.id = row.Int(0);
  n.community_id = row.Int(1);
  n.user_id = row.Int(2);
  n.kind = row.Text(3);
  n.title = row.Text(4);
  n.body = row.Text(5);
  n.data = row.Text(6);
  n.created_at = row.Int(7);
  n.read_at = row.OptInt(8);
  return n;
}

}  // namespace

Result<std::int64_t> NotifyService::Enqueue(storage::Session& session,
                                            Notification notification) const {
  notification.created_at = clock_.NowEpochS();
  LINLI_ASSIGN_OR_RETURN(
      auto row,
      session.QueryOne(
          "INSERT INTO notifications (community_id, user_id, kind, title, body, "
          "data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
          {notification.community_id, notification.user_id, notification.kind, notification.title,
           notification.body, notification.data, notification.created_at}));
  // Ids and kinds only: titles and bodies can name people.
  spdlog::debug(R"({{"msg":"notification queued","id":{},"kind":"{}"}})", row->Int(0),
                notification.kind);
  return row->Int(0);
}

Result<Page<Notification>> NotifyService::Inbox(const Actor& actor, const PageRequest& page) const {
  if (actor.user_id == 0) return UnauthenticatedError();
  return store_.ReadValue([&](storage::Session& session) -> Result<Page<Notification>> {
    LINLI_ASSIGN_OR_RETURN(
        auto rows,
        session.Query(
            "SELECT id, community_id, user_id, kind, title, body, data, created_at, "
            "read_at FROM notifications WHERE user_id = $1 AND id < $2 "
            "ORDER BY id DESC LIMIT $3",
            {actor.user_id, page.after.value_or(INT64_MAX), std::int64_t{page.limit + 1}}));
    return storage::PageFromRows(rows, page.limit, FromRow,
                                 [](const Notification& item) { return item.id; });
  });
}

Result<std::int64_t> NotifyService::UnreadCount(const Actor& actor) const {
  if (actor.user_id == 0) return UnauthenticatedError();
  return store_.ReadValue([&](storage::Session& session) -> Result<std::int64_t> {
    LINLI_ASSIGN_OR_RETURN(auto row, session.QueryOne("SELECT COUNT(*) FROM notifications "
                                                      "WHERE user_id = $1 AND read_at IS NULL",
                                                      {actor.user_id}));
    return row->Int(0);
  });
}

Status NotifyService::MarkRead(const Actor& actor, std::int64_t notification_id) const {
  if (actor.user_id == 0) return UnauthenticatedError();
  const std::int64_t now = clock_.NowEpochS();
  return store_.Write([&](storage::Session& session) -> Status {
    LINLI_ASSIGN_OR_RETURN(auto changed,
                           session.Execute("UPDATE notifications SET read_at = COALESCE(read_at, "
                                           "$3) WHERE id = $1 AND user_id = $2",
                                           {notification_id, actor.user_id, now}));
    if (changed == 0) return Error{Errc::kNotFound, "not_found", "no such notification"};
    return Ok();
  });
}

}  // namespace linli::notify
