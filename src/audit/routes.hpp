#pragma once
#include "audit/service.hpp"
#include "http/router.hpp"

namespace linli::audit {

// GET /api/v1/communities/{id}/audit, POST /api/v1/communities/{id}/audit/verify
void RegisterRoutes(http::Router& router, const AuditService& service);

}  // namespace linli::audit
