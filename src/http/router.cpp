#include "http/router.hpp"

#include <array>
#include <stdexcept>

#include "core/crypto.hpp"
#include "http/problem.hpp"

namespace linli::http {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return segments;
}

void Router::Add(Verb verb, std::string pattern, Handler handler, RouteOptions options) {
  std::vector<std::string> segments;
  for (auto segment : SplitPath(pattern)) segments.emplace_back(segment);
  if (segments.size() > kSegmentsMax) {
    throw std::invalid_argument("route pattern has too many segments: " + pattern);
  }
  routes_.push_back(
      Route{verb, std::move(pattern), std::move(segments), std::move(handler), options});
}

namespace {
bool IsParameter(const std::string& segment) {
  return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}
}  // namespace

const Router::Route* Router::Match(Verb verb, std::string_view path,
                                   std::vector<std::pair<std::string, std::string>>* params,
                                   bool* path_matched) const {
  // The same split as SplitPath, into a fixed array: this runs twice per request.
  std::array<std::string_view, kSegmentsMax> segments;
  std::size_t count = 0;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    if (count == kSegmentsMax) return nullptr;
    const auto slash = path.find('/');
    segments[count++] = path.substr(0, slash);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  const Verb wanted = verb == Verb::kHead ? Verb::kGet : verb;
  for (const auto& route : routes_) {
    if (route.segments.size() != count) continue;
    bool matches = true;
    for (std::size_t i = 0; i < count && matches; ++i) {
      const auto& expected = route.segments[i];
      matches = IsParameter(expected) ? !segments[i].empty() : expected == segments[i];
    }
    if (!matches) continue;
    *path_matched = true;
    if (route.verb != wanted) continue;
    if (params != nullptr) {
      params->clear();
      for (std::size_t i = 0; i < count; ++i) {
        const auto& expected = route.segments[i];
        if (IsParameter(expected)) {
          params->emplace_back(expected.substr(1, expected.size() - 2), segments[i]);
        }
      }
    }
    return &route;
  }
  return nullptr;
}

std::size_t Router::BodyLimitFor(Verb verb, std::string_view path) const {
  return PlanFor(verb, path).body_bytes_max;
}

RoutePlan Router::PlanFor(Verb verb, std::string_view path) const {
  bool path_matched = false;
  const Route* route = Match(verb, path, nullptr, &path_matched);
  if (route == nullptr) return {};
  return {route->options.body_bytes_max, route->options.run_inline};
}

namespace {
bool IsJsonContentType(std::string_view value) {
  const auto semicolon = value.find(';');
  std::string_view media = value.substr(0, semicolon);
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  std::string lower(media);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "application/json";
}

bool IsApiPath(std::string_view path) {
  return path.starts_with("/api/") || path == "/api" || path.starts_with("/open311/") ||
         path.starts_with("/ical/");
}
}  // namespace

Response Router::RunMiddleware(const Route& route, Request& request) const {
  if (request.body.size() > route.options.body_bytes_max) {
    return ProblemResponse({Errc::kPayloadTooLarge, "body_too_large", "request body too large"},
                           request.request_id);
  }
  if (authenticator_ && !route.options.anonymous) {
    auto actor = authenticator_(request);
    if (!actor) return ProblemResponse(actor.error(), request.request_id);
    request.actor = std::move(*actor);
  }
  if (!IsSafe(request.verb) && request.actor && request.actor->session_id &&
      !route.options.csrf_exempt) {
    auto token = request.Header("x-csrf-token");
    if (!token || !crypto::ConstantTimeEquals(*token, request.actor->csrf_token)) {
      return ProblemResponse(
          {Errc::kPermissionDenied, "csrf_token_invalid", "missing or wrong X-CSRF-Token header"},
          request.request_id);
    }
  }
  if (!IsSafe(request.verb) && route.options.json_body && !request.body.empty()) {
    auto content_type = request.Header("content-type");
    if (!content_type || !IsJsonContentType(*content_type)) {
      return ProblemResponse(
          {Errc::kUnsupportedMedia, "unsupported_media_type", "send the body as application/json"},
          request.request_id);
    }
  }
  return route.handler(request);
}

Dispatched Router::Dispatch(Request& request) const {
  bool path_matched = false;
  const Route* route = Match(request.verb, request.path, &request.path_params, &path_matched);
  if (route != nullptr) return {RunMiddleware(*route, request), route->pattern};
  if (path_matched) {
    return {
        ProblemResponse(
            405, {Errc::kInvalidArgument, "method_not_allowed", "method not allowed on this path"},
            request.request_id),
        "(method_not_allowed)"};
  }
  if (!IsApiPath(request.path) && fallback_ &&
      (request.verb == Verb::kGet || request.verb == Verb::kHead)) {
    return {fallback_(request), "(static)"};
  }
  return {
      ProblemResponse({Errc::kNotFound, "route_not_found", "no such endpoint"}, request.request_id),
      "(not_found)"};
}

}  // namespace linli::http
