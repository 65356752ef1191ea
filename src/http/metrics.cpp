#include "http/metrics.hpp"

#include <fmt/format.h>

namespace linli::http {

void Metrics::ObserveRequest(int status, double duration_s) {
  const auto status_class = static_cast<std::size_t>(std::clamp(status / 100, 0, 5));
  requests_by_class_[status_class].fetch_add(1, std::memory_order_relaxed);
  std::size_t bucket = 0;
  while (bucket < kBucketsS.size() && duration_s > kBucketsS[bucket]) ++bucket;
  duration_buckets_[bucket].fetch_add(1, std::memory_order_relaxed);
  duration_sum_us_.fetch_add(static_cast<std::uint64_t>(duration_s * 1e6),
                             std::memory_order_relaxed);
}

void Metrics::AddGauge(std::string name, std::string help, std::function<double()> read) {
  gauges_.push_back(Gauge{std::move(name), std::move(help), std::move(read)});
}

std::string Metrics::Render() const {
  std::string out;
  out += "# HELP linli_http_requests_total HTTP requests answered, by status class.\n";
  out += "# TYPE linli_http_requests_total counter\n";
  for (std::size_t i = 1; i < requests_by_class_.size(); ++i) {
    out += fmt::format("linli_http_requests_total{{code=\"{}xx\"}} {}\n", i,
                       requests_by_class_[i].load(std::memory_order_relaxed));
  }
  out += "# HELP linli_http_request_duration_seconds Time from request read to response ready.\n";
  out += "# TYPE linli_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i < kBucketsS.size(); ++i) {
    cumulative += duration_buckets_[i].load(std::memory_order_relaxed);
    out += fmt::format("linli_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n", kBucketsS[i],
                       cumulative);
  }
  cumulative += duration_buckets_.back().load(std::memory_order_relaxed);
  out += fmt::format("linli_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", cumulative);
  out += fmt::format("linli_http_request_duration_seconds_sum {}\n",
                     static_cast<double>(duration_sum_us_.load()) / 1e6);
  out += fmt::format("linli_http_request_duration_seconds_count {}\n", cumulative);
  for (const auto& gauge : gauges_) {
    out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n{} {}\n", gauge.name, gauge.help, gauge.name,
                       gauge.name, gauge.read());
  }
  return out;
}

}  // namespace linli::http
