#pragma once
// Notifications: enqueued inside the caller's write transaction (so a message exists exactly
// when the event it reports committed), read by the recipient through the inbox API.
#include <cstdint>
#include <vector>

#include "core/actor.hpp"
#include "core/clock.hpp"
#include "core/page.hpp"
#include "notify/model.hpp"
#include "storage/store.hpp"

namespace linli::notify {

class NotifyService {
 public:
  NotifyService(storage::Store& store, const Clock& clock) : store_(store), clock_(clock) {}

  // Adds `notification` to the recipient's inbox in the caller's transaction; fills id and
  // created_at. Thread-safe.
  Result<std::int64_t> Enqueue(storage::Session& session, Notification notification) const;

  // The signed-in user's inbox, newest first (PageRequest::after is a notification id).
  Result<Page<Notification>> Inbox(const Actor& actor, const PageRequest& page) const;
  Result<std::int64_t> UnreadCount(const Actor& actor) const;
  // Marks one of the actor's notifications read; someone else's is not_found.
  Status MarkRead(const Actor& actor, std::int64_t notification_id) const;

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace linli::notify
