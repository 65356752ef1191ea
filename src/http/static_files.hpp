#pragma once
// Serves the built web UI (web/dist) with SPA fallback: unknown paths without a file extension
// get index.html so client-side routes survive a reload. Rejects traversal ("..", "\\", NUL).
#include <filesystem>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/message.hpp"

namespace linli::http {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root);
  // Thread-safe; caches file contents (the UI is small and immutable while serving).
  Response Serve(const Request& request);

 private:
  struct File {
    std::string body;
    std::string content_type;
    std::string etag;
  };
  const File* Load(const std::string& relative);

  std::filesystem::path root_;
  std::mutex mutex_;
  std::unordered_map<std::string, File> cache_;
};

}  // namespace linli::http
