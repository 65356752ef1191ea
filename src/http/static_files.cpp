#include "http/static_files.hpp"

#include <fstream>
#include <sstream>

#include "core/crypto.hpp"
#include "http/problem.hpp"

namespace linli::http {
namespace {

std::string ContentTypeFor(const std::string& path) {
  const auto dot = path.rfind('.');
  const std::string ext = dot == std::string::npos ? "" : path.substr(dot + 1);
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

// Only plain relative paths below the root: no "..", no backslashes, no NUL, no hidden files.
bool IsSafeRelative(const std::string& relative) {
  if (relative.find('\0') != std::string::npos || relative.find('\\') != std::string::npos) {
    return false;
  }
  for (const auto& segment : std::filesystem::path(relative)) {
    const std::string name = segment.string();
    if (name == ".." || (name.size() > 1 && name.front() == '.')) return false;
  }
  return true;
}

}  // namespace

StaticFiles::StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}

const StaticFiles::File* StaticFiles::Load(const std::string& relative) {
  std::lock_guard lock(mutex_);
  if (auto found = cache_.find(relative); found != cache_.end()) return &found->second;
  const auto full = root_ / relative;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(full, ec)) return nullptr;
  std::ifstream in(full, std::ios::binary);
  std::ostringstream contents;
  contents << in.rdbuf();
  File file{contents.str(), ContentTypeFor(relative), ""};
  file.etag = "\"" + crypto::Sha256Hex(file.body).substr(0, 16) + "\"";
  return &cache_.emplace(relative, std::move(file)).first->second;
}

Response StaticFiles::Serve(const Request& request) {
  std::string relative = request.path.substr(1);
  if (!IsSafeRelative(relative)) {
    return ProblemResponse({Errc::kInvalidArgument, "invalid_path", "path not allowed"},
                           request.request_id);
  }
  const bool has_extension = std::filesystem::path(relative).has_extension();
  if (relative.empty() || relative.back() == '/') relative += "index.html";
  const File* file = Load(relative);
  if (file == nullptr && !has_extension) file = Load("index.html");  // SPA route
  if (file == nullptr) {
    return ProblemResponse({Errc::kNotFound, "not_found", "no such file"}, request.request_id);
  }
  Response response;
  response.content_type = file->content_type;
  response.With("ETag", file->etag);
  // Vite puts content hashes in asset names, so those never change; pages must revalidate.
  response.With("Cache-Control", relative.starts_with("assets/")
                                     ? "public, max-age=31536000, immutable"
                                     : "no-cache");
  if (file->content_type.starts_with("text/html")) {
    response.With("Content-Security-Policy",
                  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' "
                  "'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'");
  }
  if (auto match = request.Header("if-none-match"); match && *match == file->etag) {
    response.status = 304;
    return response;
  }
  response.body = file->body;
  return response;
}

}  // namespace linli::http
