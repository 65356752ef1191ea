#pragma once
// Helpers for the ledger's process-level tests: spawning `linli` (serve and CLI commands) and a
// minimal blocking HTTP/1.1 client that, unlike the API harness, treats "no response" as an
// ordinary outcome — the server is being killed on purpose.
#include <arpa/inet.h>
#include <chrono>
#include <cstdint>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <optional>
#include <regex>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/json.hpp>

namespace linli::ledger_process {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

// fork + exec with stdout/stderr to files; the child dies with the test (PDEATHSIG).
inline pid_t Spawn(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
  std::vector<char*> argv;
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  const std::string out_path = out.string();
  const std::string err_path = err.string();
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) return pid;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(127);
  const int in_fd = open("/dev/null", O_RDONLY);
  const int out_fd = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (in_fd < 0 || out_fd < 0 || err_fd < 0) _exit(126);
  dup2(in_fd, 0);
  dup2(out_fd, 1);
  dup2(err_fd, 2);
  execv(argv[0], argv.data());
  _exit(127);
}

inline std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The exit code of a finished child, -1 when it was signalled.
inline int WaitExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -2;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// A `linli serve` child on a free port.
struct Server {
  pid_t pid = -1;
  std::uint16_t port = 0;
  fs::path out;
  fs::path err;
};

// Starts `linli serve` with `db` and waits (up to 60 s) for its "listening on" line.
inline std::optional<Server> StartServer(const std::string& bin, const std::string& db,
                                         const fs::path& dir, const std::string& name) {
  Server server;
  server.out = dir / (name + ".out");
  server.err = dir / (name + ".err");
  fs::create_directories(dir / "web");
  // A previous server's "listening on" line must not be mistaken for this one's.
  std::error_code ec;
  fs::remove(server.out, ec);
  server.pid = Spawn({bin, "serve", "--db", db, "--address", "127.0.0.1", "--port", "0",
                      "--threads", "2", "--web-root", (dir / "web").string()},
                     server.out, server.err);
  static const std::regex kListening(R"(listening on http://127\.0\.0\.1:([0-9]+))");
  const auto deadline = SteadyClock::now() + std::chrono::seconds(60);
  while (SteadyClock::now() < deadline) {
    std::smatch match;
    const std::string text = ReadFile(server.out);
    if (std::regex_search(text, match, kListening)) {
      server.port = static_cast<std::uint16_t>(std::stoi(match[1].str()));
      return server;
    }
    int status = 0;
    if (waitpid(server.pid, &status, WNOHANG) == server.pid) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(server.pid, SIGKILL);
  WaitExit(server.pid);
  return std::nullopt;
}

struct Reply {
  int status = 0;  // 0: no (complete) response
  std::string headers;
  std::string body;
  boost::json::value Json() const {
    boost::system::error_code ec;
    auto value = boost::json::parse(body, ec);
    return ec ? boost::json::value() : value;
  }
  std::string Reason() const {
    auto json = Json();
    if (!json.is_object() || !json.as_object().contains("reason")) return "";
    return std::string(json.at("reason").as_string());
  }
};

// One request on a fresh connection ("Connection: close"); a response counts only when the
// whole body (Content-Length) arrived.
inline Reply Http(std::uint16_t port, const std::string& method, const std::string& target,
                  const std::string& body, const std::vector<std::string>& headers,
                  int timeout_ms = 10000) {
  Reply reply;
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return reply;
  timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return reply;
  }
  std::string request =
      method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + "Connection: close\r\n";
  for (const auto& header : headers) request += header + "\r\n";
  if (!body.empty()) {
    request +=
        "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  }
  request += "\r\n" + body;
  if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    close(fd);
    return reply;
  }
  std::string raw;
  char buffer[8192];
  while (true) {
    const ssize_t n = recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    raw.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  const auto end = raw.find("\r\n\r\n");
  if (end == std::string::npos || raw.size() < 12) return reply;
  std::string head = raw.substr(0, end);
  std::string content = raw.substr(end + 4);
  std::smatch match;
  static const std::regex kLength(R"(\r\n[Cc]ontent-[Ll]ength: *([0-9]+))");
  if (std::regex_search(head, match, kLength) && content.size() != std::stoul(match[1].str())) {
    return reply;  // cut off: the server died mid-response
  }
  reply.status = std::stoi(raw.substr(9, 3));
  reply.headers = std::move(head);
  reply.body = std::move(content);
  return reply;
}

// A signed-in browser-like session: the cookie and CSRF token.
struct Session {
  std::string cookie;
  std::string csrf;
  std::vector<std::string> Headers(const std::string& idempotency_key = "") const {
    std::vector<std::string> out{"Cookie: " + cookie, "X-CSRF-Token: " + csrf};
    if (!idempotency_key.empty()) out.push_back("Idempotency-Key: " + idempotency_key);
    return out;
  }
};

inline std::optional<Session> Login(std::uint16_t port, const std::string& login) {
  auto reply = Http(port, "POST", "/api/v1/auth/login",
                    R"({"login":")" + login + R"(","password":"linli-demo-pass"})", {});
  if (reply.status != 200) return std::nullopt;
  std::smatch match;
  static const std::regex kCookie(R"([Ss]et-[Cc]ookie: *(linli_session=[^;\r\n]+))");
  if (!std::regex_search(reply.headers, match, kCookie)) return std::nullopt;
  Session session;
  session.cookie = match[1].str();
  session.csrf = std::string(reply.Json().at("csrf_token").as_string());
  return session;
}

}  // namespace linli::ledger_process
