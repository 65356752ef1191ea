#pragma once
#include "http/router.hpp"
#include "notify/service.hpp"

namespace linli::notify {

// GET /api/v1/notifications, GET /api/v1/notifications/unread-count,
// POST /api/v1/notifications/{id}/read
void RegisterRoutes(http::Router& router, const NotifyService& service);

}  // namespace linli::notify
