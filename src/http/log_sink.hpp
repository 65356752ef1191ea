#pragma once
// The process log sink: one JSON line per event on stdout, written in batches.
//
// spdlog's stdout sink flushes (one write system call) per line, and an async logger wakes
// its thread per line; at thousands of requests per second both cost more than the request.
// Here the logging thread formats the line into a memory buffer (a short critical section)
// and a background thread writes the buffer every kBatchInterval or once it passes
// kBatchBytes. No logging thread ever waits for stdout: if output stalls and the buffer
// reaches kBufferBytesMax, further lines are dropped and counted, and a line reporting the
// count follows once output resumes. flush() (warnings and above, shutdown) writes at once.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <spdlog/formatter.h>
#include <spdlog/sinks/sink.h>

namespace linli::http {

class BatchedStdoutSink final : public spdlog::sinks::sink {
 public:
  static constexpr auto kBatchInterval = std::chrono::milliseconds(200);
  static constexpr std::size_t kBatchBytes = 64 * 1024;
  static constexpr std::size_t kBufferBytesMax = 16 * 1024 * 1024;

  BatchedStdoutSink();
  ~BatchedStdoutSink() override;  // writes what is buffered
  BatchedStdoutSink(const BatchedStdoutSink&) = delete;
  BatchedStdoutSink& operator=(const BatchedStdoutSink&) = delete;

  void log(const spdlog::details::log_msg& message) override;
  void flush() override;
  void set_pattern(const std::string& pattern) override;
  void set_formatter(std::unique_ptr<spdlog::formatter> formatter) override;

  std::uint64_t dropped() const;  // lines dropped so far because output stalled

 private:
  void Loop();
  void WriteOut();  // takes the buffer and writes it (callers hold no lock)

  mutable std::mutex mutex_;  // buffer_, formatter_, dropped_ counters, stopping_
  std::condition_variable wake_;
  std::unique_ptr<spdlog::formatter> formatter_;
  spdlog::memory_buf_t line_;  // scratch for one formatted line
  std::string buffer_;
  std::uint64_t dropped_ = 0;  // since the start
  std::uint64_t dropped_unreported_ = 0;
  bool stopping_ = false;
  std::mutex write_mutex_;  // keeps batches in order when flush() and the thread race
  std::thread thread_;
};

}  // namespace linli::http
