#pragma once
// Slides sessions' idle expiry without a write on the request path. Authenticate notes "seen
// at" in memory; a background thread writes everything noted since its last write in one
// Store::Write. Until a touch is written (and for a while after), the in-memory time counts
// as last-seen too, so a session never expires because its touch is still queued.
//
// Across processes (PostgreSQL) the others see the touch once it is written, a few
// milliseconds later; idle expiry is measured in hours, so that is immaterial.
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "storage/store.hpp"

namespace linli::accounts {

class SessionToucher {
 public:
  // `forget_after_s`: how long a written touch stays in memory (it must exceed the time a
  // request can take between reading the session row and asking LastSeen).
  SessionToucher(storage::Store& store, std::int64_t forget_after_s);
  ~SessionToucher();  // writes what is pending, then stops
  SessionToucher(const SessionToucher&) = delete;
  SessionToucher& operator=(const SessionToucher&) = delete;

  // The later of the stored last-seen and any touch of the session noted here (epoch s).
  std::int64_t LastSeen(std::int64_t session_id, std::int64_t stored_last_seen_s);
  // Notes that the session was used at now_s; written soon, in the background. Never blocks
  // on the database.
  void Touch(std::int64_t session_id, std::int64_t now_s);
  // Blocks until every touch noted before the call is written (or its write failed).
  void Flush();

 private:
  struct Seen {
    std::int64_t at_s = 0;
    bool queued = false;   // in pending_
    bool written = false;  // at_s is in the database
  };

  void Loop();
  bool WriteBatch(const std::vector<std::pair<std::int64_t, std::int64_t>>& batch);

  storage::Store& store_;
  const std::int64_t forget_after_s_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable written_;
  std::unordered_map<std::int64_t, Seen> seen_;  // by session id
  std::vector<std::int64_t> pending_;            // session ids with an unwritten touch
  std::uint64_t noted_ = 0;                      // batches asked for / finished, for Flush
  std::uint64_t finished_ = 0;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace linli::accounts
