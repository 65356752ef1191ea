#include "http/message.hpp"

namespace linli::http {

std::string_view VerbName(Verb verb) {
  switch (verb) {
    case Verb::kGet: return "GET";
    case Verb::kHead: return "HEAD";
    case Verb::kPost: return "POST";
    case Verb::kPut: return "PUT";
    case Verb::kPatch: return "PATCH";
    case Verb::kDelete: return "DELETE";
    case Verb::kOptions: return "OPTIONS";
    case Verb::kOther: return "OTHER";
  }
  return "OTHER";
}

bool IsSafe(Verb verb) {
  return verb == Verb::kGet || verb == Verb::kHead || verb == Verb::kOptions;
}

std::optional<std::string_view> Request::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Query(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string_view Request::PathParam(std::string_view name) const {
  for (const auto& [key, value] : path_params) {
    if (key == name) return value;
  }
  return {};
}

std::optional<std::string_view> Request::Cookie(std::string_view wanted) const {
  auto header = Header("cookie");
  if (!header) return std::nullopt;
  std::string_view rest = *header;
  while (!rest.empty()) {
    const auto end = rest.find(';');
    std::string_view pair = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    const auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (pair.substr(0, equals) == wanted) return pair.substr(equals + 1);
  }
  return std::nullopt;
}

}  // namespace linli::http
