// Health, readiness, metrics, the served OpenAPI document, and graceful shutdown on SIGTERM.
#include <fstream>
#include <future>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <thread>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "api/harness.hpp"

namespace linli::api_test {
namespace {

using OperationsApiTest = ApiTest;

// The value of an unlabelled Prometheus sample, or -1.
double Sample(const std::string& metrics, const std::string& name) {
  const std::regex line("(^|\n)" + name + " ([0-9.e+-]+)");
  std::smatch match;
  if (!std::regex_search(metrics, match, line)) return -1;
  return std::stod(match[2].str());
}

TEST_F(OperationsApiTest, HealthAndReadiness) {
  ApiClient client = Client();
  auto health = client.Get("/healthz");
  ASSERT_EQ(health.status, 200) << Describe(health);
  EXPECT_EQ(health.String("status"), "ok");
  auto ready = client.Get("/readyz");
  ASSERT_EQ(ready.status, 200) << Describe(ready);
  EXPECT_EQ(ready.String("status"), "ready");
  auto head = client.Send("HEAD", "/healthz", "");
  EXPECT_EQ(head.status, 200) << Describe(head);
  EXPECT_TRUE(head.body.empty());
}

TEST_F(OperationsApiTest, MetricsArePrometheusText) {
  ApiClient client = Client();
  EXPECT_EQ(client.Get("/healthz").status, 200);
  EXPECT_EQ(client.Get("/api/v1/me").status, 401);
  auto metrics = client.Get("/metrics");
  ASSERT_EQ(metrics.status, 200) << Describe(metrics);
  EXPECT_EQ(metrics.ContentType(), "text/plain");
  EXPECT_NE(metrics.Header("content-type").value_or("").find("version=0.0.4"), std::string::npos);
  EXPECT_TRUE(metrics.json.is_null()) << "metrics are text, not JSON";
  const std::string& text = metrics.body;
  EXPECT_NE(text.find("# TYPE linli_http_requests_total counter"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE linli_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_GE(Sample(text, R"(linli_http_requests_total\{code="2xx"\})"), 1) << text;
  EXPECT_GE(Sample(text, R"(linli_http_requests_total\{code="4xx"\})"), 1) << text;
  EXPECT_GE(Sample(text, "linli_http_request_duration_seconds_count"), 2) << text;
  EXPECT_GE(Sample(text, "linli_http_in_flight"), 1) << text;  // this very request
  EXPECT_EQ(Sample(text, "linli_http_worker_queue_depth"), 0) << text;
}

TEST_F(OperationsApiTest, ServesItsOpenApiDocument) {
  ApiClient client = Client();
  auto response = client.Get("/api/v1/openapi.yaml");
  ASSERT_EQ(response.status, 200) << Describe(response);
  EXPECT_EQ(response.ContentType(), "application/yaml");
  YAML::Node document;
  ASSERT_NO_THROW(document = YAML::Load(response.body));
  EXPECT_EQ(document["openapi"].as<std::string>(), "3.1.0");
  EXPECT_TRUE(document["paths"]["/api/v1/me"]["get"].IsMap());
  EXPECT_TRUE(document["components"]["schemas"]["Problem"].IsMap());
  // The binary embeds the document these tests validate against.
  std::ifstream file(LINLI_OPENAPI, std::ios::binary);
  std::ostringstream on_disk;
  on_disk << file.rdbuf();
  EXPECT_EQ(response.body, on_disk.str()) << "rebuild linli: it serves a stale openapi.yaml";
}

// SIGTERM stops accepting but answers what is in flight (server.hpp), then exits cleanly.
// Four concurrent sign-ins share two argon2id slots, so once /metrics shows all four in flight
// the last one needs at least one more full hash (tens of ms): ample time for the signal to
// land while it is still being handled. The server's own "shutting down" log line confirms it.
TEST_F(OperationsApiTest, SigtermStillAnswersTheRequestsInFlight) {
  const std::uint16_t port = server_.port();
  const std::vector<std::string> logins{"resident", "resident2", "staff", "guide"};
  ApiClient watcher = Client();
  ASSERT_EQ(watcher.Get("/metrics").status, 200);  // warm up: the validator compiles lazily
  bool signalled = false;
  for (int attempt = 0; attempt < 10 && !signalled; ++attempt) {
    std::vector<std::future<HttpResponse>> pending;
    for (const auto& login : logins) {
      pending.push_back(std::async(std::launch::async, [port, login] {
        ApiClient client(port);
        return client.Login(login);
      }));
    }
    const auto all_done = [&pending] {
      for (auto& response : pending) {
        if (response.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return false;
      }
      return true;
    };
    while (!all_done()) {
      auto metrics = watcher.Get("/metrics");
      // The scrape counts itself.
      if (metrics.status == 200 &&
          Sample(metrics.body, "linli_http_in_flight") >= static_cast<double>(logins.size() + 1)) {
        server_.SignalTerm();
        signalled = true;
        break;
      }
    }
    for (std::size_t i = 0; i < pending.size(); ++i) {
      auto response = pending[i].get();
      EXPECT_EQ(response.status, 200) << logins[i] << (signalled ? " (in flight at SIGTERM)" : "")
                                      << ": " << Describe(response);
    }
  }
  ASSERT_TRUE(signalled) << "never caught the sign-ins in flight";

  const auto status = server_.WaitExit(std::chrono::seconds(10));
  ASSERT_TRUE(status.has_value()) << "linli serve did not exit within 10 s of SIGTERM\n"
                                  << server_.SanitizerReport();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "exit status " << *status << "\n"
                                                               << server_.SanitizerReport();
  EXPECT_EQ(server_.SanitizerReport(), "");
  // The premise: the server itself saw requests in flight when the signal arrived.
  const std::string log = server_.Stdout();
  std::smatch match;
  ASSERT_TRUE(std::regex_search(log, match, std::regex(R"("shutting down","in_flight":([0-9]+))")))
      << log;
  EXPECT_GE(std::stoi(match[1].str()), 1) << "inconclusive: nothing was in flight at SIGTERM";
}

}  // namespace
}  // namespace linli::api_test
