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
// Resolves who sent the request: nullopt for anonymous; an error for a bad credential. It may
// leave what else it learnt in request.auth_context for the handler.
using Authenticator = std::function<Result<std::optional<Actor>>(Request&)>;

struct RouteOptions {
  bool csrf_exempt = false;  // login/registration: no session exists yet
  bool anonymous = false;    // health checks and metrics: never look up credentials
  bool json_body = true;     // unsafe requests with a body must be application/json
  std::size_t body_bytes_max = limits::kJsonBodyBytesMax;
  // The handler (and the authenticator before it) only reads, briefly: no Store::Write, no
  // waiting, no work that grows with data. It then runs on the I/O thread that parsed the
  // request, sparing two thread hand-offs; everything else runs on the bounded worker pool.
  bool run_inline = false;
};

// What the server needs to know about a request before reading its body.
struct RoutePlan {
  std::size_t body_bytes_max = limits::kJsonBodyBytesMax;
  bool run_inline = false;
};

struct Dispatched {
  Response response;
  // The matched pattern ("/api/v1/me") or a fixed label, safe to log: no ids or tokens. Points
  // into the router, which outlives every request.
  std::string_view route;
};

class Router {
 public:
  void Add(Verb verb, std::string pattern, Handler handler, RouteOptions options = {});
  // Serves GET/HEAD for paths outside the API (static files, SPA fallback).
  void SetFallback(Handler handler) { fallback_ = std::move(handler); }
  void SetAuthenticator(Authenticator authenticator) { authenticator_ = std::move(authenticator); }

  // The body limit for a request line, decided before its body is read.
  std::size_t BodyLimitFor(Verb verb, std::string_view path) const;
  // The body limit and where the handler runs (an unmatched path: the defaults).
  RoutePlan PlanFor(Verb verb, std::string_view path) const;

  Dispatched Dispatch(Request& request) const;

 private:
  struct Route {
    Verb verb;
    std::string pattern;
    std::vector<std::string> segments;  // "{name}" marks a parameter
    Handler handler;
    RouteOptions options;
  };
  // Matching allocates nothing but the parameters of the route found.
  const Route* Match(Verb verb, std::string_view path,
                     std::vector<std::pair<std::string, std::string>>* params,
                     bool* path_matched) const;
  static constexpr std::size_t kSegmentsMax = 16;  // deeper paths match no route
  Response RunMiddleware(const Route& route, Request& request) const;

  std::vector<Route> routes_;
  Handler fallback_;
  Authenticator authenticator_;
};

// Splits "/a/b/c" into {"a","b","c"}; empty segments are kept so "//" never matches a route.
std::vector<std::string_view> SplitPath(std::string_view path);

}  // namespace linli::http
