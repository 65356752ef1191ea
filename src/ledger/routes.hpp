#pragma once
// HTTP routes of the ledger under /api/v1/ledger (documented in docs/api/openapi.yaml).
#include "http/router.hpp"
#include "ledger/service.hpp"

namespace linli::ledger {

void RegisterRoutes(http::Router& router, LedgerService& service);

}  // namespace linli::ledger
