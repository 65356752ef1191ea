#include "api/harness.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <random>
#include <regex>
#include <signal.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validation_results.hpp>
#include <valijson/validator.hpp>
#include <yaml-cpp/yaml.h>

#ifndef LINLI_BIN
#error "LINLI_BIN must name the linli binary"
#endif
#ifndef LINLI_OPENAPI
#error "LINLI_OPENAPI must name docs/api/openapi.yaml"
#endif

namespace linli::api_test {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

void WriteFile(const fs::path& path, std::string_view contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
}

bool IsJsonMedia(std::string_view media) {
  return media == "application/json" || media.ends_with("+json");
}

// ---------------------------------------------------------------------------------------------
// YAML -> JSON. Plain scalars get YAML 1.2 core-schema types; quoted scalars stay strings.

json::value ScalarFromYaml(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return json::value(text);  // quoted or block scalar
  static const std::regex kInt("^[-+]?[0-9]+$");
  static const std::regex kFloat(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (std::regex_match(text, kInt)) {
    std::int64_t number = 0;
    const char* begin = text.data() + (text.front() == '+' ? 1 : 0);
    auto [end, ec] = std::from_chars(begin, text.data() + text.size(), number);
    if (ec == std::errc{} && end == text.data() + text.size()) return number;
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return json::value(text);
}

json::value FromYaml(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null: return nullptr;
    case YAML::NodeType::Scalar: return ScalarFromYaml(node);
    case YAML::NodeType::Sequence: {
      json::array out;
      for (const auto& item : node) out.push_back(FromYaml(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json::object out;
      for (const auto& entry : node) out[entry.first.Scalar()] = FromYaml(entry.second);
      return out;
    }
  }
  return nullptr;
}

std::string EscapePointer(std::string_view token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

const json::value* AtPointer(const json::value& root, std::string_view pointer) {
  const json::value* at = &root;
  if (pointer.empty()) return at;
  if (pointer.front() != '/') return nullptr;
  pointer.remove_prefix(1);
  while (true) {
    const auto slash = pointer.find('/');
    std::string token(pointer.substr(0, slash));
    std::string unescaped;
    for (std::size_t i = 0; i < token.size(); ++i) {
      if (token[i] == '~' && i + 1 < token.size()) {
        unescaped += token[i + 1] == '1' ? '/' : '~';
        ++i;
      } else {
        unescaped += token[i];
      }
    }
    if (at->is_object()) {
      at = at->as_object().if_contains(unescaped);
    } else if (at->is_array()) {
      std::size_t index = 0;
      auto [end, ec] =
          std::from_chars(unescaped.data(), unescaped.data() + unescaped.size(), index);
      if (ec != std::errc{} || index >= at->as_array().size()) return nullptr;
      at = &at->as_array()[index];
    } else {
      return nullptr;
    }
    if (at == nullptr) return nullptr;
    if (slash == std::string_view::npos) return at;
    pointer.remove_prefix(slash + 1);
  }
}

std::vector<std::string_view> Segments(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

std::string Keys(const json::object& object) {
  std::string out;
  for (const auto& [key, value] : object) out += (out.empty() ? "" : ", ") + std::string(key);
  return out;
}

}  // namespace

// -----------------------------------------------------------------------------------------------
// HttpResponse

std::optional<std::string> HttpResponse::Header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers) {
    if (name == lower_name) return value;
  }
  return std::nullopt;
}

std::string HttpResponse::ContentType() const {
  auto value = Header("content-type");
  if (!value) return "";
  std::string media = value->substr(0, value->find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  return Lower(media);
}

std::string HttpResponse::Reason() const {
  if (!json.is_object()) return "";
  const auto* reason = json.as_object().if_contains("reason");
  return reason != nullptr && reason->is_string() ? std::string(reason->as_string()) : "";
}

std::string HttpResponse::String(std::string_view key) const {
  if (!json.is_object()) return "";
  const auto* value = json.as_object().if_contains(key);
  return value != nullptr && value->is_string() ? std::string(value->as_string()) : "";
}

std::int64_t HttpResponse::Int(std::string_view key) const {
  if (!json.is_object()) return -1;
  const auto* value = json.as_object().if_contains(key);
  return value != nullptr && value->is_int64() ? value->as_int64() : -1;
}

bool HttpResponse::Bool(std::string_view key) const {
  if (!json.is_object()) return false;
  const auto* value = json.as_object().if_contains(key);
  return value != nullptr && value->is_bool() && value->as_bool();
}

const json::array& HttpResponse::Items() const {
  static const json::array kEmpty;
  if (!json.is_object()) return kEmpty;
  const auto* items = json.as_object().if_contains("items");
  return items != nullptr && items->is_array() ? items->as_array() : kEmpty;
}

std::string Describe(const HttpResponse& response) {
  if (response.status == 0) return "no response: " + response.transport_error;
  std::string out = "HTTP " + std::to_string(response.status);
  for (const auto& [name, value] : response.headers) out += "\n  " + name + ": " + value;
  out += "\n  body: " + response.body.substr(0, 2000);
  return out;
}

// -----------------------------------------------------------------------------------------------
// OpenApi

struct OpenApi::Compiled {
  json::value root;  // the schema plus a copy of #/components, so internal $refs resolve
  valijson::Schema schema;
  std::string error;  // the schema could not be compiled
};

const OpenApi& OpenApi::Instance() {
  static const OpenApi kInstance(ReadFile(LINLI_OPENAPI));
  return kInstance;
}

OpenApi::OpenApi(const std::string& yaml_text) {
  try {
    document_ = FromYaml(YAML::Load(yaml_text));
  } catch (const std::exception& exception) {
    ADD_FAILURE() << "cannot parse the OpenAPI document: " << exception.what();
    document_ = json::object{};
  }
}

OpenApi::~OpenApi() = default;

const json::value* OpenApi::Resolve(const json::value& maybe_ref) const {
  const json::value* at = &maybe_ref;
  for (int depth = 0; depth < 16; ++depth) {
    if (!at->is_object()) return at;
    const auto* ref = at->as_object().if_contains("$ref");
    if (ref == nullptr) return at;
    if (!ref->is_string() || !ref->as_string().starts_with("#")) return nullptr;
    at = AtPointer(document_, std::string_view(ref->as_string()).substr(1));
    if (at == nullptr) return nullptr;
  }
  return nullptr;
}

const OpenApi::Compiled& OpenApi::CompileAt(const std::string& key,
                                            const json::value& schema) const {
  // Called with mutex_ held.
  auto& slot = compiled_[key];
  if (slot) return *slot;
  slot = std::make_unique<Compiled>();
  json::object root;
  if (schema.is_object()) {
    root = schema.as_object();
  } else {
    root["allOf"] = json::array{schema};
  }
  if (!root.contains("components")) {
    if (const auto* components = AtPointer(document_, "/components")) {
      root["components"] = *components;
    }
  }
  slot->root = std::move(root);
  try {
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::BoostJsonAdapter adapter(slot->root);
    parser.populateSchema(adapter, slot->schema);
  } catch (const std::exception& exception) {
    slot->error = std::string("schema does not compile: ") + exception.what();
  }
  return *slot;
}

std::string OpenApi::ValidateCompiled(const Compiled& compiled, const json::value& instance) const {
  if (!compiled.error.empty()) return compiled.error;
  valijson::Validator validator(valijson::Validator::kStrongTypes);
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(instance);
  if (validator.validate(compiled.schema, target, &results)) return "";
  std::string out;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string context;
    for (const auto& part : error.context) context += part;
    out += "  " + context + ": " + error.description + "\n";
  }
  return out.empty() ? "  invalid\n" : out;
}

std::string OpenApi::Validate(const json::value& schema, const json::value& instance) const {
  std::lock_guard lock(mutex_);
  return ValidateCompiled(CompileAt("inline:" + json::serialize(schema), schema), instance);
}

std::string OpenApi::ValidateComponent(std::string_view name, const json::value& instance) const {
  const std::string ref = "#/components/schemas/" + std::string(name);
  if (AtPointer(document_, ref.substr(1)) == nullptr) return "no schema " + ref;
  std::lock_guard lock(mutex_);
  return ValidateCompiled(CompileAt(ref, json::object{{"$ref", ref}}), instance);
}

std::optional<std::string> OpenApi::MatchPath(std::string_view path) const {
  const auto* paths = AtPointer(document_, "/paths");
  if (paths == nullptr || !paths->is_object()) return std::nullopt;
  const auto wanted = Segments(path);
  std::optional<std::string> best;
  int best_literals = -1;
  for (const auto& [pattern, item] : paths->as_object()) {
    const auto segments = Segments(pattern);
    if (segments.size() != wanted.size()) continue;
    bool matches = true;
    int literals = 0;
    for (std::size_t i = 0; i < segments.size() && matches; ++i) {
      const auto expected = segments[i];
      if (expected.size() > 2 && expected.front() == '{' && expected.back() == '}') {
        matches = !wanted[i].empty();
      } else {
        matches = expected == wanted[i];
        ++literals;
      }
    }
    if (matches && literals > best_literals) {
      best = std::string(pattern);
      best_literals = literals;
    }
  }
  return best;
}

namespace {
// A problem response for a request outside the documented operations.
std::string CheckUndocumentedProblem(const OpenApi& api, const HttpResponse& response, int status,
                                     std::string_view reason) {
  std::string out;
  if (response.status != status) {
    out += "only " + std::to_string(status) + " " + std::string(reason) + " may answer here, got " +
           std::to_string(response.status) + "\n";
  }
  if (response.ContentType() != "application/problem+json") {
    out += "expected application/problem+json, got '" + response.ContentType() + "'\n";
  } else {
    out += api.ValidateComponent("Problem", response.json);
  }
  if (response.Reason() != reason) {
    out += "expected reason " + std::string(reason) + ", got '" + response.Reason() + "'\n";
  }
  return out;
}
}  // namespace

std::string OpenApi::CheckResponse(std::string_view method, std::string_view target,
                                   const HttpResponse& response) const {
  if (response.status == 0) return "no response: " + response.transport_error;
  const std::string_view path = target.substr(0, target.find('?'));
  const bool head = method == "HEAD";
  const std::string op_method = head ? "get" : Lower(method);
  const std::string where = std::string(method) + " " + std::string(target) + " -> " +
                            std::to_string(response.status) + ": ";

  const auto pattern = MatchPath(path);
  if (!pattern) {
    if (path.starts_with("/api/") || path == "/api") {
      auto problem = CheckUndocumentedProblem(*this, response, 404, "route_not_found");
      return problem.empty() ? "" : where + "path not in the document\n" + problem;
    }
    // The web UI: files are not part of the API, but its errors are problems like any other.
    if (response.ContentType() == "application/problem+json") {
      auto problem = ValidateComponent("Problem", response.json);
      if (response.status < 400) problem += "a problem with a success status\n";
      return problem.empty() ? "" : where + problem;
    }
    return "";
  }
  const std::string item_pointer = "/paths/" + EscapePointer(*pattern);
  const auto* item = Resolve(*AtPointer(document_, item_pointer));
  const auto* operation =
      item != nullptr && item->is_object() ? item->as_object().if_contains(op_method) : nullptr;
  if (operation == nullptr) {
    auto problem = CheckUndocumentedProblem(*this, response, 405, "method_not_allowed");
    return problem.empty() ? "" : where + "method not documented for " + *pattern + "\n" + problem;
  }
  const auto* responses = AtPointer(*operation, "/responses");
  if (responses == nullptr || !responses->is_object()) return where + "operation has no responses";
  const std::string status_key = std::to_string(response.status);
  const auto* documented = responses->as_object().if_contains(status_key);
  if (documented == nullptr) {
    return where + "status " + status_key + " is not documented for " + std::string(method) + " " +
           *pattern + " (documented: " + Keys(responses->as_object()) + ")";
  }
  std::string cache_key = item_pointer + "/" + op_method + "/responses/" + status_key;
  if (const auto* ref =
          documented->is_object() ? documented->as_object().if_contains("$ref") : nullptr;
      ref != nullptr && ref->is_string()) {
    cache_key = std::string(ref->as_string());
  }
  const auto* documented_response = Resolve(*documented);
  if (documented_response == nullptr || !documented_response->is_object()) {
    return where + "unresolvable response " + cache_key;
  }
  std::string problems;
  // Required headers (and the values of constrained ones).
  if (const auto* headers = documented_response->as_object().if_contains("headers");
      headers != nullptr && headers->is_object()) {
    for (const auto& [name, header_ref] : headers->as_object()) {
      const auto* header = Resolve(header_ref);
      if (header == nullptr || !header->is_object()) continue;
      const auto value = response.Header(Lower(name));
      const auto* required = header->as_object().if_contains("required");
      if (!value) {
        if (required != nullptr && required->is_bool() && required->as_bool()) {
          problems += "missing required header " + std::string(name) + "\n";
        }
        continue;
      }
      if (const auto* schema = header->as_object().if_contains("schema")) {
        if (auto bad = Validate(*schema, json::value(*value)); !bad.empty()) {
          problems += "header " + std::string(name) + ": " + *value + "\n" + bad;
        }
      }
    }
  }
  const auto* content = documented_response->as_object().if_contains("content");
  if (content == nullptr || !content->is_object() || content->as_object().empty()) {
    if (!response.body.empty()) problems += "expected no body\n";
    return problems.empty() ? "" : where + problems;
  }
  const std::string media = response.ContentType();
  const auto* media_object = content->as_object().if_contains(media);
  if (media_object == nullptr) {
    return where + problems + "media type '" + media +
           "' not documented (documented: " + Keys(content->as_object()) + ")";
  }
  const auto* schema =
      media_object->is_object() ? media_object->as_object().if_contains("schema") : nullptr;
  if (schema != nullptr && !head) {
    json::value instance;
    if (IsJsonMedia(media)) {
      boost::system::error_code ec;
      instance = json::parse(response.body, ec);
      if (ec) return where + problems + "body is not JSON: " + ec.message();
    } else {
      instance = json::value(response.body);
    }
    std::lock_guard lock(mutex_);
    problems += ValidateCompiled(CompileAt(cache_key + "|" + media, *schema), instance);
  }
  return problems.empty() ? "" : where + "\n" + problems;
}

std::vector<std::string> OpenApi::SelfCheck() const {
  std::vector<std::string> problems;
  // Every $ref resolves.
  std::vector<std::pair<std::string, const json::value*>> stack{{"", &document_}};
  while (!stack.empty()) {
    auto [pointer, value] = stack.back();
    stack.pop_back();
    if (value->is_object()) {
      for (const auto& [key, child] : value->as_object()) {
        if (key == "$ref") {
          if (!child.is_string() || Resolve(*value) == nullptr) {
            problems.push_back("unresolved $ref at " + pointer + ": " + json::serialize(child));
          }
        } else {
          stack.emplace_back(pointer + "/" + EscapePointer(key), &child);
        }
      }
    } else if (value->is_array()) {
      std::size_t index = 0;
      for (const auto& child : value->as_array()) {
        stack.emplace_back(pointer + "/" + std::to_string(index++), &child);
      }
    }
  }
  // Every component schema compiles.
  if (const auto* schemas = AtPointer(document_, "/components/schemas");
      schemas != nullptr && schemas->is_object()) {
    for (const auto& [name, schema] : schemas->as_object()) {
      const std::string ref = "#/components/schemas/" + std::string(name);
      std::lock_guard lock(mutex_);
      const auto& compiled = CompileAt(ref, json::object{{"$ref", ref}});
      if (!compiled.error.empty()) problems.push_back(ref + ": " + compiled.error);
    }
  }
  // Every operation documents responses, and each response's schemas compile.
  if (const auto* paths = AtPointer(document_, "/paths"); paths != nullptr && paths->is_object()) {
    for (const auto& [pattern, item] : paths->as_object()) {
      if (!item.is_object()) continue;
      for (const auto& [method, operation] : item.as_object()) {
        const auto* responses = AtPointer(operation, "/responses");
        if (responses == nullptr || !responses->is_object() || responses->as_object().empty()) {
          problems.push_back(std::string(method) + " " + std::string(pattern) + ": no responses");
          continue;
        }
        for (const auto& [status, response_ref] : responses->as_object()) {
          const auto* response = Resolve(response_ref);
          const auto* content = response != nullptr ? AtPointer(*response, "/content") : nullptr;
          if (content == nullptr || !content->is_object()) continue;
          for (const auto& [media, media_object] : content->as_object()) {
            const auto* schema = AtPointer(media_object, "/schema");
            if (schema == nullptr) continue;
            std::lock_guard lock(mutex_);
            const auto& compiled =
                CompileAt("selfcheck:" + std::string(pattern) + "/" + std::string(method) + "/" +
                              std::string(status) + "/" + std::string(media),
                          *schema);
            if (!compiled.error.empty()) {
              problems.push_back(std::string(method) + " " + std::string(pattern) + " " +
                                 std::string(status) + ": " + compiled.error);
            }
          }
        }
      }
    }
  }
  return problems;
}

void ValidateExchange(std::string_view method, std::string_view target,
                      const HttpResponse& response) {
  if (response.status == 0) {
    ADD_FAILURE() << method << " " << target << ": no response: " << response.transport_error;
    return;
  }
  const auto problems = OpenApi::Instance().CheckResponse(method, target, response);
  if (!problems.empty()) {
    ADD_FAILURE() << "response does not match docs/api/openapi.yaml:\n"
                  << problems << "\n"
                  << Describe(response);
  }
}

// -----------------------------------------------------------------------------------------------
// HTTP

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

// Writes `bytes` and reads one response, with the read started before the write finishes:
// a server may answer (413, 431) and close before it has read everything.
HttpResponse RoundTrip(std::uint16_t port, const std::string& bytes,
                       std::chrono::milliseconds timeout, bool head) {
  HttpResponse out;
  asio::io_context ioc;
  beast::tcp_stream stream(ioc);
  beast::flat_buffer buffer;
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  parser.header_limit(64 * 1024);
  parser.skip(head);  // a response to HEAD announces a length but carries no body
  bool read_done = false;
  beast::error_code read_ec;
  beast::error_code write_ec;

  stream.expires_after(timeout);
  const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
  stream.async_connect(endpoint, [&](beast::error_code ec) {
    if (ec) {
      read_ec = ec;
      read_done = true;
      return;
    }
    bhttp::async_read(stream, buffer, parser, [&](beast::error_code ec2, std::size_t) {
      read_ec = ec2;
      read_done = true;
      beast::error_code ignored;
      stream.socket().cancel(ignored);
    });
    asio::async_write(stream, asio::buffer(bytes),
                      [&](beast::error_code ec2, std::size_t) { write_ec = ec2; });
  });
  ioc.run_for(timeout + std::chrono::seconds(1));
  if (!read_done) {
    out.transport_error = "timed out after " + std::to_string(timeout.count()) + " ms";
    return out;
  }
  if (read_ec) {
    out.transport_error = read_ec.message();
    if (write_ec) out.transport_error += " (write: " + write_ec.message() + ")";
    return out;
  }
  auto message = parser.release();
  out.status = static_cast<int>(message.result_int());
  for (const auto& field : message) {
    out.headers.emplace_back(Lower(field.name_string()), std::string(field.value()));
  }
  out.body = std::move(message.body());
  if (IsJsonMedia(out.ContentType())) {
    boost::system::error_code ec;
    out.json = json::parse(out.body, ec);
    if (ec) out.json = nullptr;
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return out;
}

bool IsUnsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

}  // namespace

HttpResponse ApiClient::Exchange(std::string_view method, std::string_view target, std::string body,
                                 const RequestOptions& options) {
  std::string request = std::string(method) + " " + std::string(target) + " HTTP/1.1\r\n";
  request += "Host: 127.0.0.1:" + std::to_string(port_) + "\r\n";
  request += "User-Agent: linli-api-test\r\nAccept: application/json\r\nConnection: close\r\n";
  if (options.send_cookies && !cookies_.empty()) {
    std::string cookie;
    for (const auto& [name, value] : cookies_) {
      cookie += (cookie.empty() ? "" : "; ") + name + "=" + value;
    }
    request += "Cookie: " + cookie + "\r\n";
  }
  if (bearer_) request += "Authorization: Bearer " + *bearer_ + "\r\n";
  if (options.send_csrf && IsUnsafe(method) && !csrf_token_.empty()) {
    request += "X-CSRF-Token: " + csrf_token_ + "\r\n";
  }
  if (!body.empty() && !options.content_type.empty()) {
    request += "Content-Type: " + options.content_type + "\r\n";
  }
  if (!body.empty() || IsUnsafe(method)) {
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  }
  for (const auto& [name, value] : options.headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  request += body;
  HttpResponse response = RoundTrip(port_, request, options.timeout, method == "HEAD");
  ValidateExchange(method, target, response);
  Remember(response);
  return response;
}

void ApiClient::Remember(const HttpResponse& response) {
  for (const auto& [name, value] : response.headers) {
    if (name != "set-cookie") continue;
    const std::string pair = value.substr(0, value.find(';'));
    const auto equals = pair.find('=');
    if (equals == std::string::npos) continue;
    const std::string cookie_name = pair.substr(0, equals);
    const std::string cookie_value = pair.substr(equals + 1);
    if (cookie_value.empty() || Lower(value).find("max-age=0") != std::string::npos) {
      cookies_.erase(cookie_name);
    } else {
      cookies_[cookie_name] = cookie_value;
    }
  }
  if (response.status == 200 && response.json.is_object()) {
    if (const auto* token = response.json.as_object().if_contains("csrf_token");
        token != nullptr && token->is_string()) {
      csrf_token_ = std::string(token->as_string());
    }
  }
}

RequestOptions NoCsrf() {
  RequestOptions options;
  options.send_csrf = false;
  return options;
}

RequestOptions WithContentType(std::string content_type) {
  RequestOptions options;
  options.content_type = std::move(content_type);
  return options;
}

RequestOptions WithHeader(std::string name, std::string value) {
  RequestOptions options;
  options.headers.emplace_back(std::move(name), std::move(value));
  return options;
}

HttpResponse ApiClient::Get(std::string_view target, const RequestOptions& options) {
  return Exchange("GET", target, "", options);
}

HttpResponse ApiClient::Post(std::string_view target, const json::value& body,
                             const RequestOptions& options) {
  return Exchange("POST", target, json::serialize(body), options);
}

HttpResponse ApiClient::PostEmpty(std::string_view target, const RequestOptions& options) {
  return Exchange("POST", target, "", options);
}

HttpResponse ApiClient::Patch(std::string_view target, const json::value& body,
                              const RequestOptions& options) {
  return Exchange("PATCH", target, json::serialize(body), options);
}

HttpResponse ApiClient::Delete(std::string_view target, const RequestOptions& options) {
  return Exchange("DELETE", target, "", options);
}

HttpResponse ApiClient::Send(std::string_view method, std::string_view target, std::string body,
                             const RequestOptions& options) {
  return Exchange(method, target, std::move(body), options);
}

HttpResponse ApiClient::SendRaw(std::string_view method, std::string_view target,
                                const std::string& bytes, std::chrono::milliseconds timeout) {
  HttpResponse response = RoundTrip(port_, bytes, timeout, method == "HEAD");
  ValidateExchange(method, target, response);
  return response;
}

HttpResponse ApiClient::Login(std::string_view login, std::string_view password) {
  return Post("/api/v1/auth/login", json::object{{"login", login}, {"password", password}});
}

::testing::AssertionResult ApiClient::LoginOk(std::string_view login, std::string_view password) {
  auto response = Login(login, password);
  if (response.status != 200 || csrf_token_.empty() || cookies_.empty()) {
    return ::testing::AssertionFailure()
           << "sign-in as " << login << " failed: " << Describe(response);
  }
  return ::testing::AssertionSuccess();
}

// -----------------------------------------------------------------------------------------------
// The server process

namespace {

// fork + exec with stdio redirected; the child dies with the test process (PDEATHSIG), so an
// aborted test run leaves no servers behind.
pid_t Spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const std::string out_path = out.string();
  const std::string err_path = err.string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  // Child: async-signal-safe calls only.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  const int in_fd = open("/dev/null", O_RDONLY);
  const int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(126);
  dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  execv(argv[0], argv.data());
  _exit(127);
}

std::optional<int> WaitFor(pid_t pid, std::chrono::milliseconds wait) {
  const auto deadline = SteadyClock::now() + wait;
  while (true) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return status;
    if (done < 0) return -1;
    if (SteadyClock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// Runs a CLI command to completion; "" on success, else what went wrong.
std::string RunCommand(const std::vector<std::string>& args, const fs::path& log_dir) {
  const auto out = log_dir / "cmd.out";
  const auto err = log_dir / "cmd.err";
  const pid_t pid = Spawn(args, out, err);
  if (pid < 0) return "fork failed";
  const auto status = WaitFor(pid, std::chrono::seconds(120));
  if (!status) {
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return args[1] + " timed out";
  }
  if (!WIFEXITED(*status) || WEXITSTATUS(*status) != 0) {
    return args[1] + " failed (" + DescribeStatus(*status) + "): " + ReadFile(out) + ReadFile(err);
  }
  return "";
}

std::string RandomSuffix() {
  std::random_device device;
  return std::to_string(getpid()) + "-" + std::to_string(device());
}

// migrate + seed-demo hash seven argon2id passwords; do it once per linli build and copy the
// file for each test. Keyed by the binary's mtime and size, so a rebuild makes a new one.
std::string DemoDatabase(fs::path* out) {
  struct stat info {};
  if (stat(LINLI_BIN, &info) != 0) return std::string("no linli binary at ") + LINLI_BIN;
  const fs::path cache = fs::path(LINLI_API_CACHE_DIR);
  const fs::path ready =
      cache / ("demo-" + std::to_string(info.st_mtim.tv_sec) + "-" +
               std::to_string(info.st_mtim.tv_nsec) + "-" + std::to_string(info.st_size));
  *out = ready / "linli.db";
  if (fs::exists(*out)) return "";
  std::error_code ec;
  fs::create_directories(cache, ec);
  const fs::path scratch = cache / ("tmp-" + RandomSuffix());
  fs::create_directories(scratch, ec);
  if (ec) return "cannot create " + scratch.string() + ": " + ec.message();
  const std::string db = "sqlite:" + (scratch / "linli.db").string();
  for (const char* command : {"migrate", "seed-demo"}) {
    if (auto failed = RunCommand({LINLI_BIN, command, "--db", db}, scratch); !failed.empty()) {
      fs::remove_all(scratch, ec);
      return failed;
    }
  }
  for (const char* leftover : {"cmd.out", "cmd.err"}) fs::remove(scratch / leftover, ec);
  fs::rename(scratch, ready, ec);
  if (ec) fs::remove_all(scratch, ec);  // another test process got there first
  return fs::exists(*out) ? "" : "demo database missing after seeding";
}

}  // namespace

LinliServer::~LinliServer() {
  if (running()) Stop();
}

::testing::AssertionResult LinliServer::Start() {
  fs::path demo_db;
  if (auto failed = DemoDatabase(&demo_db); !failed.empty()) {
    return ::testing::AssertionFailure() << "demo database: " << failed;
  }
  std::string dir = (fs::temp_directory_path() / "linli_api_XXXXXX").string();
  if (mkdtemp(dir.data()) == nullptr) return ::testing::AssertionFailure() << "mkdtemp failed";
  dir_ = dir;
  std::error_code ec;
  fs::copy_file(demo_db, dir_ / "linli.db", ec);
  if (ec) return ::testing::AssertionFailure() << "copy demo database: " << ec.message();
  // The demo's sensitive fields are sealed with the key file seed-demo created beside it.
  const fs::path data_key = demo_db.parent_path() / "linli-data.key";
  if (fs::exists(data_key)) {
    fs::copy_file(data_key, dir_ / "linli-data.key", ec);
    if (ec) return ::testing::AssertionFailure() << "copy data key: " << ec.message();
    fs::permissions(dir_ / "linli-data.key", fs::perms::owner_read | fs::perms::owner_write, ec);
  }
  fs::create_directories(dir_ / "web" / "assets");
  WriteFile(dir_ / "web" / "index.html", "<!doctype html><title>linli api test</title>\n");
  WriteFile(dir_ / "web" / "assets" / "app.js", "console.log('linli');\n");
  // Outside the web root: a traversal must never reach it.
  WriteFile(dir_ / "secret.txt", "TOP-SECRET-OUTSIDE-WEB-ROOT\n");

  pid_ =
      Spawn({LINLI_BIN, "serve", "--db", "sqlite:" + (dir_ / "linli.db").string(), "--address",
             "127.0.0.1", "--port", "0", "--threads", "2", "--web-root", (dir_ / "web").string()},
            dir_ / "stdout.log", dir_ / "stderr.log");
  if (pid_ < 0) return ::testing::AssertionFailure() << "fork failed";
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:([0-9]+))");
  const auto deadline = SteadyClock::now() + std::chrono::seconds(30);
  while (SteadyClock::now() < deadline) {
    std::smatch match;
    const std::string out = Stdout();
    if (std::regex_search(out, match, kListening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      return ::testing::AssertionSuccess();
    }
    if (auto status = WaitFor(pid_, std::chrono::milliseconds(0))) {
      pid_ = -1;
      return ::testing::AssertionFailure()
             << "linli serve exited (" << DescribeStatus(*status) << ")\n"
             << Stdout() << Stderr();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Stop(std::chrono::milliseconds(100));
  return ::testing::AssertionFailure() << "linli serve printed no 'listening on' line\n"
                                       << Stdout() << Stderr();
}

void LinliServer::SignalTerm() const {
  if (pid_ > 0) kill(pid_, SIGTERM);
}

std::optional<int> LinliServer::WaitExit(std::chrono::milliseconds wait) {
  if (pid_ <= 0) return std::nullopt;
  auto status = WaitFor(pid_, wait);
  if (status) pid_ = -1;
  return status;
}

int LinliServer::Stop(std::chrono::milliseconds wait) {
  if (pid_ <= 0) return -1;
  SignalTerm();
  if (auto status = WaitExit(wait)) return *status;
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return status;
}

std::string LinliServer::Stdout() const {
  return ReadFile(dir_ / "stdout.log");
}
std::string LinliServer::Stderr() const {
  return ReadFile(dir_ / "stderr.log");
}

std::string LinliServer::SanitizerReport() const {
  const std::string err = Stderr();
  for (const char* marker : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                             "runtime error:", "WARNING: ThreadSanitizer"}) {
    if (const auto at = err.find(marker); at != std::string::npos) {
      return err.substr(at > 200 ? at - 200 : 0, 4000);
    }
  }
  return "";
}

// -----------------------------------------------------------------------------------------------
// The fixture

void ApiTest::SetUp() {
  ASSERT_TRUE(server_.Start());
}

void ApiTest::TearDown() {
  // A sanitizer report while serving is a server bug, whatever the test asserted.
  EXPECT_EQ(server_.SanitizerReport(), "") << "linli serve reported a sanitizer error";
  const int status = server_.Stop();
  if (status > 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
    // Shutdown itself is asserted by the shutdown tests; here it is only reported.
    std::fprintf(stderr, "note: linli serve ended with %s\n", DescribeStatus(status).c_str());
  }
  if (HasFailure() || std::getenv("LINLI_API_KEEP") != nullptr) {
    std::fprintf(stderr, "server directory kept for inspection: %s\n", server_.dir().c_str());
  } else if (!server_.dir().empty()) {
    std::error_code ignored;
    fs::remove_all(server_.dir(), ignored);
  }
}

ApiClient ApiTest::SignedIn(std::string_view login) {
  ApiClient client = Client();
  EXPECT_TRUE(client.LoginOk(login));
  return client;
}

std::size_t ApiTest::AuditCount(std::int64_t community) {
  if (!committee_) committee_ = SignedIn("committee");
  std::size_t count = 0;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    auto response = committee_->Get(CommunityPath(community, "/audit?limit=100") +
                                    (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(response.status, 200) << Describe(response);
    count += response.Items().size();
    cursor = response.String("next_cursor");
    if (cursor.empty()) break;
  }
  return count;
}

std::string CommunityPath(std::int64_t community, std::string_view rest) {
  return "/api/v1/communities/" + std::to_string(community) + std::string(rest);
}

}  // namespace linli::api_test
