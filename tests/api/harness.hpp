#pragma once
// API test harness: runs the real `linli` binary on a free port with a fresh demo database,
// talks HTTP/1.1 to it, and checks every response against docs/api/openapi.yaml.
//
// - LinliServer: temp dir, demo database (migrate + seed-demo, built once per binary and copied),
//   `linli serve --port 0` as a child process, SIGTERM + wait at the end.
// - ApiClient: synchronous client with a cookie jar and automatic X-CSRF-Token; every response
//   is validated (ADD_FAILURE on a mismatch, an undocumented status or an undocumented path).
// - OpenApi: the document loaded with yaml-cpp; response bodies validated with Valijson.
//
// A failing test keeps its server directory (database, stdout.log, stderr.log) and prints the
// path; LINLI_API_KEEP=1 keeps every one. Beast, yaml-cpp and Valijson stay in harness.cpp.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <utility>
#include <vector>

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace linli::api_test {

inline constexpr std::string_view kDemoPassword = "linli-demo-pass";
inline constexpr std::string_view kInviteCode = "YANGGUANG-2026";
inline constexpr std::int64_t kSunshine = 1;  // 阳光社区
inline constexpr std::int64_t kHarmony = 2;   // 和谐社区

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  int status = 0;  // 0: no response (see transport_error)
  std::string transport_error;
  HeaderList headers;  // names lower-case, in arrival order
  std::string body;
  boost::json::value json;  // parsed for JSON media types; null otherwise

  std::optional<std::string> Header(std::string_view lower_name) const;
  std::string ContentType() const;  // media type without parameters, lower-case
  // The problem's `reason`, or "" when the body is not a problem.
  std::string Reason() const;
  // Members of a JSON object body (convenience for assertions).
  std::string String(std::string_view key) const;
  std::int64_t Int(std::string_view key) const;
  bool Bool(std::string_view key) const;
  const boost::json::array& Items() const;  // body["items"]
};

// Describes a failed expectation well enough to debug from the test log.
std::string Describe(const HttpResponse& response);

// The OpenAPI document and a Valijson validator over its schemas. Thread-safe.
class OpenApi {
 public:
  // The document at LINLI_OPENAPI, loaded once.
  static const OpenApi& Instance();
  explicit OpenApi(const std::string& yaml_text);
  ~OpenApi();
  OpenApi(const OpenApi&) = delete;
  OpenApi& operator=(const OpenApi&) = delete;

  const boost::json::value& document() const { return document_; }

  // Checks one exchange against the document: the operation (method + path template), the
  // response for the status, its media type, required headers and the body's schema.
  // Paths outside the document: under /api only 404 route_not_found; a documented path with an
  // undocumented method only 405 method_not_allowed; other paths are the web UI (static files),
  // whose problem responses must still match the Problem schema. Returns "" when it conforms.
  std::string CheckResponse(std::string_view method, std::string_view target,
                            const HttpResponse& response) const;

  // Validates `instance` against `schema` (which may $ref into #/components). "" when valid.
  std::string Validate(const boost::json::value& schema, const boost::json::value& instance) const;
  // Validates against #/components/schemas/<name>.
  std::string ValidateComponent(std::string_view name, const boost::json::value& instance) const;
  // The path template a request path matches ("/api/v1/communities/{id}"), if any.
  std::optional<std::string> MatchPath(std::string_view path) const;
  // Problems in the document itself: unresolved $refs, schemas Valijson cannot compile,
  // operations without responses. Empty when sound.
  std::vector<std::string> SelfCheck() const;

 private:
  struct Compiled;
  const Compiled& CompileAt(const std::string& pointer, const boost::json::value& schema) const;
  std::string ValidateCompiled(const Compiled& compiled, const boost::json::value& instance) const;
  const boost::json::value* Resolve(const boost::json::value& maybe_ref) const;

  boost::json::value document_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::unique_ptr<Compiled>> compiled_;
};

// ADD_FAILUREs (non-fatally) when the exchange does not conform to the document.
void ValidateExchange(std::string_view method, std::string_view target,
                      const HttpResponse& response);

struct RequestOptions {
  HeaderList headers;                             // extra headers, sent as given
  std::string content_type = "application/json";  // sent when the body is not empty; "" = none
  bool send_csrf = true;                          // add X-CSRF-Token when the client holds one
  bool send_cookies = true;
  std::chrono::milliseconds timeout{15000};
};

RequestOptions NoCsrf();  // omit X-CSRF-Token even when the client holds one
RequestOptions WithContentType(std::string content_type);  // "" sends no Content-Type
RequestOptions WithHeader(std::string name, std::string value);

// One client = one browser profile: a cookie jar, the session's CSRF token, or a bearer key.
// Each request uses a fresh connection. Not thread-safe; use one client per thread.
class ApiClient {
 public:
  explicit ApiClient(std::uint16_t port) : port_(port) {}

  HttpResponse Get(std::string_view target, const RequestOptions& options = {});
  HttpResponse Post(std::string_view target, const boost::json::value& body,
                    const RequestOptions& options = {});
  HttpResponse PostEmpty(std::string_view target, const RequestOptions& options = {});
  HttpResponse Patch(std::string_view target, const boost::json::value& body,
                     const RequestOptions& options = {});
  HttpResponse Delete(std::string_view target, const RequestOptions& options = {});
  // Any method with a body sent verbatim.
  HttpResponse Send(std::string_view method, std::string_view target, std::string body,
                    const RequestOptions& options = {});
  // Writes `bytes` verbatim on a new connection and reads one response (or none). Validated
  // like any other exchange as `method target`. For requests Beast would refuse to build.
  HttpResponse SendRaw(std::string_view method, std::string_view target, const std::string& bytes,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(15000));

  // POST /api/v1/auth/login; on 200 keeps the session cookie and CSRF token.
  HttpResponse Login(std::string_view login, std::string_view password = kDemoPassword);
  // Login that must succeed (fatal assertion in the caller's test via ASSERT in a helper).
  ::testing::AssertionResult LoginOk(std::string_view login,
                                     std::string_view password = kDemoPassword);

  void SetBearer(std::string secret) { bearer_ = std::move(secret); }
  void ClearBearer() { bearer_.reset(); }
  const std::string& csrf_token() const { return csrf_token_; }
  void set_csrf_token(std::string token) { csrf_token_ = std::move(token); }
  bool HasCookie(const std::string& name) const { return cookies_.contains(name); }
  std::uint16_t port() const { return port_; }

 private:
  HttpResponse Exchange(std::string_view method, std::string_view target, std::string body,
                        const RequestOptions& options);
  void Remember(const HttpResponse& response);

  std::uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_token_;
  std::optional<std::string> bearer_;
};

// `linli serve` on a free port over a copy of the demo database, in its own temp dir.
class LinliServer {
 public:
  LinliServer() = default;
  ~LinliServer();
  LinliServer(const LinliServer&) = delete;
  LinliServer& operator=(const LinliServer&) = delete;

  // Creates the directory and web root, copies the demo database, starts the server and
  // waits for its "listening on" line. Returns a failure with the server's stderr if it fails.
  ::testing::AssertionResult Start();
  // SIGTERM, then waits up to `wait` (SIGKILL after that). Returns the wait status, or -1 when
  // the server was not running.
  int Stop(std::chrono::milliseconds wait = std::chrono::milliseconds(5000));
  // Sends SIGTERM without waiting.
  void SignalTerm() const;
  // Waits for the child to exit; the wait status, or nullopt on timeout.
  std::optional<int> WaitExit(std::chrono::milliseconds wait);

  bool running() const { return pid_ > 0; }
  std::uint16_t port() const { return port_; }
  const std::filesystem::path& dir() const { return dir_; }
  std::string Stdout() const;  // the startup line and JSON access log
  std::string Stderr() const;
  // A sanitizer (ASan/UBSan/LSan) report in the server's stderr, or "".
  std::string SanitizerReport() const;

 private:
  std::filesystem::path dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// Runs one test against its own server (fresh database).
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  ApiClient Client() const { return ApiClient(server_.port()); }
  // A client signed in as `login` (fails the test if sign-in fails).
  ApiClient SignedIn(std::string_view login);
  // The number of audit entries of `community` as the committee sees them.
  std::size_t AuditCount(std::int64_t community = kSunshine);

  LinliServer server_;
  std::optional<ApiClient> committee_;  // created on first AuditCount
};

std::string CommunityPath(std::int64_t community, std::string_view rest = "");

}  // namespace linli::api_test
