#pragma once
// Messages to people. The in-app inbox (a table) and the log are always there; real providers
// (SMS, WeChat, e-mail) plug in as Channels per deployment and are never called from tests.
#include <cstdint>
#include <optional>
#include <string>

namespace linli::notify {

struct Notification {
  std::int64_t id = 0;
  std::int64_t community_id = 0;
  std::int64_t user_id = 0;  // the recipient
  std::string kind;          // stable key, e.g. "resources.review.approved"
  std::string title;         // short text in the recipient's language (zh-CN default)
  std::string body;
  std::string data = "{}";  // small JSON the UI can link with, e.g. {"resource_id": 7}
  std::int64_t created_at = 0;
  std::optional<std::int64_t> read_at;
};

}  // namespace linli::notify
