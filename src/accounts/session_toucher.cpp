#include "accounts/session_toucher.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "accounts/repo.hpp"

namespace linli::accounts {

SessionToucher::SessionToucher(storage::Store& store, std::int64_t forget_after_s)
    : store_(store), forget_after_s_(forget_after_s), thread_([this] { Loop(); }) {}

SessionToucher::~SessionToucher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  thread_.join();
}

std::int64_t SessionToucher::LastSeen(std::int64_t session_id, std::int64_t stored_last_seen_s) {
  std::lock_guard lock(mutex_);
  const auto found = seen_.find(session_id);
  return found == seen_.end() ? stored_last_seen_s
                              : std::max(stored_last_seen_s, found->second.at_s);
}

void SessionToucher::Touch(std::int64_t session_id, std::int64_t now_s) {
  {
    std::lock_guard lock(mutex_);
    Seen& seen = seen_[session_id];
    if (seen.at_s >= now_s) return;  // a touch as recent is noted already
    seen.at_s = now_s;
    seen.written = false;
    if (!seen.queued) {
      seen.queued = true;
      pending_.push_back(session_id);
    }
    ++noted_;
  }
  wake_.notify_one();
}

void SessionToucher::Flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t wanted = noted_;
  written_.wait(lock, [&] { return finished_ >= wanted; });
}

void SessionToucher::Loop() {
  std::vector<std::pair<std::int64_t, std::int64_t>> batch;  // session id, seen at
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (pending_.empty()) return;  // stopping, and nothing left to write
    batch.clear();
    for (std::int64_t id : pending_) {
      Seen& seen = seen_[id];
      seen.queued = false;
      batch.emplace_back(id, seen.at_s);
    }
    pending_.clear();
    const std::uint64_t covered = noted_;
    lock.unlock();
    const bool written = WriteBatch(batch);
    lock.lock();
    std::int64_t newest = 0;
    for (const auto& [id, at_s] : batch) {
      auto found = seen_.find(id);
      // A newer touch noted meanwhile is queued again and stays unwritten. A failed write
      // leaves the entry unwritten too: the session's next touch queues it again.
      if (written && found != seen_.end() && found->second.at_s == at_s) {
        found->second.written = true;
      }
      newest = std::max(newest, at_s);
    }
    std::erase_if(seen_, [&](const auto& entry) {
      return entry.second.written && entry.second.at_s < newest - forget_after_s_;
    });
    finished_ = std::max(finished_, covered);
    written_.notify_all();
  }
}

bool SessionToucher::WriteBatch(const std::vector<std::pair<std::int64_t, std::int64_t>>& batch) {
  auto status = store_.Write([&](storage::Session& session) -> Status {
    for (const auto& [id, at_s] : batch) LINLI_TRY(repo::TouchSession(session, id, at_s));
    return Ok();
  });
  if (!status) {
    // The in-memory time still counts for this process; the next touch retries the write.
    spdlog::warn(R"({{"msg":"session touch failed","sessions":{},"reason":"{}"}})", batch.size(),
                 status.error().reason);
    return false;
  }
  return true;
}

}  // namespace linli::accounts
