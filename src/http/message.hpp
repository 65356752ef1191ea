#pragma once
// HTTP messages as plain structs, so module routes never see Beast or Asio.
#include <any>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/actor.hpp"

namespace linli::http {

enum class Verb : std::uint8_t { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions, kOther };

std::string_view VerbName(Verb verb);
bool IsSafe(Verb verb);  // GET, HEAD, OPTIONS: no state change, no CSRF check

using Headers = std::vector<std::pair<std::string, std::string>>;

struct Request {
  Verb verb = Verb::kGet;
  std::string target;  // raw request target
  std::string path;    // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;
  Headers headers;  // names lower-case
  std::string body;
  std::string remote_address;
  bool secure = false;  // came over TLS (or a trusted proxy said so)

  // Filled by the server and router.
  std::string request_id;
  std::vector<std::pair<std::string, std::string>> path_params;
  std::optional<Actor> actor;
  // Whatever else the authenticator learnt while resolving the actor, for this request's
  // handler (accounts keeps the user's profile here, so GET /me reads the database once).
  std::any auth_context;

  std::optional<std::string_view> Header(std::string_view lower_name) const;
  std::optional<std::string_view> Query(std::string_view name) const;
  std::string_view PathParam(std::string_view name) const;
  std::optional<std::string_view> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  Headers headers;
  std::string body;

  Response& With(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace linli::http
