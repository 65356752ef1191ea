#pragma once
#include "accounts/service.hpp"
#include "http/router.hpp"

namespace linli::accounts {

// /api/v1/auth/*, /api/v1/me*, /api/v1/communities/{id}, registrations and API keys.
void RegisterRoutes(http::Router& router, AccountsService& service);

// The authenticator the router runs on every request: Bearer API key, else session cookie.
http::Authenticator MakeAuthenticator(AccountsService& service);

}  // namespace linli::accounts
