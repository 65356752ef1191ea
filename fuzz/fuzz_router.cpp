// Paths, query strings and cookies through the router, its middleware and pagination parsing.
#include <cstdint>
#include <string>

#include "http/json.hpp"
#include "http/router.hpp"

namespace {
const linli::http::Router& TheRouter() {
  static const linli::http::Router router = [] {
    linli::http::Router r;
    using linli::http::Verb;
    r.Add(Verb::kGet, "/api/v1/communities/{id}/audit", [](linli::http::Request& request) {
      auto id = linli::http::PathId(request, "id");
      auto page = linli::http::ParsePage(request);
      (void)request.Cookie("linli_session");
      return linli::http::NoContent();
    });
    r.Add(Verb::kPost, "/api/v1/things",
          [](linli::http::Request&) { return linli::http::NoContent(); });
    r.SetFallback([](linli::http::Request&) { return linli::http::NoContent(); });
    return r;
  }();
  return router;
}
}  // namespace

// Input: "<verb byte><path>\n<query key>=<value>\n<cookie header>\n<body>"
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  linli::http::Request request;
  request.verb = static_cast<linli::http::Verb>(data[0] % 8);
  const auto take_line = [&text]() {
    const auto end = text.find('\n');
    std::string line = text.substr(0, end);
    text = end == std::string::npos ? "" : text.substr(end + 1);
    return line;
  };
  request.path = take_line();
  const std::string query = take_line();
  const auto equals = query.find('=');
  request.query.emplace_back(query.substr(0, equals),
                             equals == std::string::npos ? "" : query.substr(equals + 1));
  request.headers.emplace_back("cookie", take_line());
  request.headers.emplace_back("content-type", "application/json");
  request.body = text;
  (void)TheRouter().Dispatch(request);
  (void)TheRouter().BodyLimitFor(request.verb, request.path);
  return 0;
}
