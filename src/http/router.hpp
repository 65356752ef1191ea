#pragma once
// Routes with path parameters, plus the middleware every API request passes: identity
// resolution (cookie or API key), CSRF for cookie sessions, JSON content-type and body limits.
// Immutable after the server starts, so Dispatch is thread-safe.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/limits.hpp"
#include "http/message.hpp"

namespace linli::http {

using Handler = std::function<Response(Request&)>;
// Resolves who sent the request: nullopt for anonymous; an error for a bad credential.
using Authenticator = std::function<Result<std::optional<Actor>>(const Request&)>;

struct RouteOptions {
  bool csrf_exempt = false;  // login/registration: no session exists yet
  bool anonymous = false;    // health checks and metrics: never look up credentials
  bool json_body = true;     // unsafe requests with a body must be application/json
  std::size_t body_bytes_max = limits::kJsonBodyBytesMax;
};

struct Dispatched {
  Response response;
  std::string route;  // the matched pattern ("/api/v1/me"), safe to log: no ids or tokens
};

class Router {
 public:
  void Add(Verb verb, std::string pattern, Handler handler, RouteOptions options = {});
  // Serves GET/HEAD for paths outside the API (static files, SPA fallback).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  void SetAuthenticator(Authenticator authenticator) { authenticator_ = std::move(authenticator); }

  // The body limit for a request line, decided before its body is read.
  std::size_t BodyLimitFor(Verb verb, std::string_view path) const;

  Dispatched Dispatch(Request& request) const;

 private:
  struct Route {
    Verb verb;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    Handler handler;
    RouteOptions options;
  };
  const Route* Match(Verb verb, std::string_view path,
                     std::vector<std::pair<std::string, std::string>>* params,
                     bool* path_matched) const;
  Response RunMiddleware(const Route& route, Request& request) const;

  std::vector<Route> routes_;
  Handler fallback_;
  Authenticator authenticator_;
};

// Splits "/a/b/c" into {"a","b","c"}; empty segments are kept so "//" never matches a route.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace linli::http
