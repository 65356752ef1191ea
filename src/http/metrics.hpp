#pragma once
// Prometheus text exposition (format 0.0.4), written by hand: bookworm has no C++ client.
// Counters and the latency histogram are lock-free atomics; gauges are callbacks read at scrape.
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace linli::http {

class Metrics {
 public:
  // Thread-safe.
  void ObserveRequest(int status, double duration_s);
  // Registers a gauge read at every scrape; call before the server starts.
  void AddGauge(std::string name, std::string help, std::function<double()> read);
  std::string Render() const;

 private:
  static constexpr std::array<double, 10> kBucketsS{0.0005, 0.001, 0.0025, 0.005, 0.01,
                                                    0.025,  0.05,  0.1,    0.5,   2.5};
  std::array<std::atomic<std::uint64_t>, 6> requests_by_class_{};  // index = status / 100
  std::array<std::atomic<std::uint64_t>, kBucketsS.size() + 1> duration_buckets_{};
  std::atomic<std::uint64_t> duration_sum_us_{0};
  struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
  };
  std::vector<Gauge> gauges_;
};

}  // namespace linli::http
