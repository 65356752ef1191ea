#include "http/log_sink.hpp"

#include <cstdio>

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>

namespace linli::http {

BatchedStdoutSink::BatchedStdoutSink()
    : formatter_(std::make_unique<spdlog::pattern_formatter>()), thread_([this] { Loop(); }) {}

BatchedStdoutSink::~BatchedStdoutSink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
  WriteOut();
}

void BatchedStdoutSink::log(const spdlog::details::log_msg& message) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    line_.clear();
    formatter_->format(message, line_);  // the formatter caches time fields: not thread-safe
    if (buffer_.size() + line_.size() > kBufferBytesMax) {
      ++dropped_;
      ++dropped_unreported_;
      return;
    }
    if (buffer_.capacity() == 0) buffer_.reserve(kBatchBytes * 2);
    buffer_.append(line_.data(), line_.size());
    wake = buffer_.size() >= kBatchBytes;
  }
  if (wake) wake_.notify_one();
}

void BatchedStdoutSink::flush() {
  WriteOut();
}

void BatchedStdoutSink::set_pattern(const std::string& pattern) {
  set_formatter(std::make_unique<spdlog::pattern_formatter>(pattern));
}

void BatchedStdoutSink::set_formatter(std::unique_ptr<spdlog::formatter> formatter) {
  std::lock_guard lock(mutex_);
  formatter_ = std::move(formatter);
}

std::uint64_t BatchedStdoutSink::dropped() const {
  std::lock_guard lock(mutex_);
  return dropped_;
}

void BatchedStdoutSink::Loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, kBatchInterval,
                   [this] { return stopping_ || buffer_.size() >= kBatchBytes; });
    if (buffer_.empty() && dropped_unreported_ == 0) continue;
    lock.unlock();
    WriteOut();
    lock.lock();
  }
}

void BatchedStdoutSink::WriteOut() {
  std::lock_guard write_lock(write_mutex_);
  std::string batch;
  std::uint64_t dropped = 0;
  {
    std::lock_guard lock(mutex_);
    batch.swap(buffer_);
    dropped = dropped_unreported_;
    dropped_unreported_ = 0;
  }
  if (dropped > 0) {
    batch += fmt::format(
        R"({{"level":"warning","log":{{"msg":"log lines dropped: output stalled","lines":{}}}}})"
        "\n",
        dropped);
  }
  if (batch.empty()) return;
  std::fwrite(batch.data(), 1, batch.size(), stdout);
  std::fflush(stdout);
}

}  // namespace linli::http
