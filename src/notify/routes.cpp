#include "notify/routes.hpp"

#include "http/json.hpp"

namespace linli::notify {
namespace {

boost::json::object NotificationJson(const Notification& n) {
  boost::system::error_code ec;
  auto data = boost::json::parse(n.data, ec);
  return boost::json::object{
      {"id", n.id},
      {"community_id", n.community_id},
      {"kind", n.kind},
      {"title", n.title},
      {"body", n.body},
      {"data", ec ? boost::json::value(boost::json::object{}) : data},
      {"created_at", n.created_at},
      {"read_at", n.read_at ? boost::json::value(*n.read_at) : boost::json::value(nullptr)}};
}

}  // namespace

void RegisterRoutes(http::Router& router, const NotifyService& service) {
  router.Add(http::Verb::kGet, "/api/v1/notifications", [&service](http::Request& request) {
    auto page = http::ParsePage(request);
    if (!page) return http::Problem(request, page.error());
    auto inbox = service.Inbox(http::ActorOf(request), *page);
    if (!inbox) return http::Problem(request, inbox.error());
    boost::json::array items;
    for (const auto& n : inbox->items) items.push_back(NotificationJson(n));
    return http::Json(
        200, {{"items", std::move(items)}, {"next_cursor", http::CursorJson(inbox->next)}});
  });
  router.Add(http::Verb::kGet, "/api/v1/notifications/unread-count",
             [&service](http::Request& request) {
               auto count = service.UnreadCount(http::ActorOf(request));
               if (!count) return http::Problem(request, count.error());
               return http::Json(200, {{"unread", *count}});
             });
  router.Add(http::Verb::kPost, "/api/v1/notifications/{id}/read",
             [&service](http::Request& request) {
               auto id = http::PathId(request, "id");
               if (!id) return http::Problem(request, id.error());
               if (auto status = service.MarkRead(http::ActorOf(request), *id); !status) {
                 return http::Problem(request, status.error());
               }
               return http::NoContent();
             });
}

}  // namespace linli::notify
