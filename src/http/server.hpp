#pragma once
// The HTTP/1.1 server (Boost.Beast, kept out of this header so routes compile fast).
// I/O threads parse and write; handlers run on a bounded worker pool (503 when its queue is
// full) because they may block on the database. SIGINT/SIGTERM stop accepting, let in-flight
// requests finish (bounded), then return from Run().
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/metrics.hpp"
#include "http/router.hpp"

namespace linli::http {

struct ServerOptions {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;  // 0: pick a free port (printed, and returned by port())
  int io_threads = 2;
  int worker_threads = 8;
  bool trust_proxy = false;  // honour X-Forwarded-Proto/For from a load balancer
};

class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds the listening socket; after this port() is the real port.
  Status Listen();
  std::uint16_t port() const;
  // Serves until Stop() or a signal. Blocks.
  void Run();
  // Thread-safe; begins graceful shutdown.
  void Stop();

  class Impl;  // public only so the .cpp's session type can name it; opaque here

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace linli::http
