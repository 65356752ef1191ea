#include "http/server.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <random>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include "core/limits.hpp"
#include "http/json.hpp"
#include "http/problem.hpp"

namespace linli::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// A fixed set of threads with a bounded queue: TrySubmit refuses work instead of queueing
// without limit, so overload turns into fast 503s rather than growing latency and memory.
class WorkerPool {
 public:
  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
  }
  ~WorkerPool() { Shutdown(); }

  bool TrySubmit(std::function<void()> task) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_ || tasks_.size() >= limits::kWorkerQueueMax) return false;
      tasks_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }

  std::size_t Depth() {
    std::lock_guard lock(mutex_);
    return tasks_.size();
  }

  // Runs what is queued, then joins.
  void Shutdown() {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
      stopping_ = true;
    }
    cv_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> task;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

Verb ToVerb(bhttp::verb verb) {
  switch (verb) {
    case bhttp::verb::get: return Verb::kGet;
    case bhttp::verb::head: return Verb::kHead;
    case bhttp::verb::post: return Verb::kPost;
    case bhttp::verb::put: return Verb::kPut;
    case bhttp::verb::patch: return Verb::kPatch;
    case bhttp::verb::delete_: return Verb::kDelete;
    case bhttp::verb::options: return Verb::kOptions;
    default: return Verb::kOther;
  }
}

// Request ids: echo a sane incoming X-Request-Id (tracing across a load balancer), else mint
// one. Not a secret, so a fast thread-local generator is enough.
std::string RequestIdFor(const bhttp::request<bhttp::string_body>& message) {
  auto incoming = message["X-Request-Id"];
  if (!incoming.empty() && incoming.size() <= 64 &&
      std::all_of(incoming.begin(), incoming.end(),
                  [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-'; })) {
    return std::string(incoming);
  }
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return fmt::format("{:016x}", engine());
}

// Header text as sent: a CR or LF from a handler must never start a new header line.
void AppendHeaderText(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
}

void AppendHeader(std::string& out, std::string_view name, std::string_view value) {
  AppendHeaderText(out, name);
  out += ": ";
  AppendHeaderText(out, value);
  out += "\r\n";
}

// The status line and header block of an HTTP/1.1 response, written by hand: Beast's
// serializer walks a chain of buffer views per field and cost ~15% of a small response.
// Every response carries its Content-Length (HEAD: the length the GET body would have).
void AppendResponseHead(std::string& out, const Response& response, bool keep_alive,
                        std::size_t content_length) {
  out.reserve(192 + response.content_type.size() + response.headers.size() * 64);
  const auto status = static_cast<unsigned>(response.status);
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  const auto reason = bhttp::obsolete_reason(static_cast<bhttp::status>(status));
  out.append(reason.data(), reason.size());
  out += "\r\nServer: linli\r\n";
  if (!response.content_type.empty()) AppendHeader(out, "Content-Type", response.content_type);
  out += "X-Content-Type-Options: nosniff\r\nReferrer-Policy: same-origin\r\n";
  for (const auto& [name, value] : response.headers) AppendHeader(out, name, value);
  if (!keep_alive) out += "Connection: close\r\n";
  out += "Content-Length: ";
  out += std::to_string(content_length);
  out += "\r\n\r\n";
}

std::string JsonEscape(std::string_view text) {
  return boost::json::serialize(boost::json::string_view(text.data(), text.size()));
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, const Router& router, Metrics& metrics)
      : options_(std::move(options)),
        router_(router),
        metrics_(metrics),
        contexts_(MakeContexts(options_.io_threads)),
        acceptor_(*contexts_.front()),
        signals_(*contexts_.front(), SIGINT, SIGTERM),
        workers_(options_.worker_threads) {
    metrics_.AddGauge("linli_http_in_flight", "Requests being handled.",
                      [this] { return static_cast<double>(in_flight_.load()); });
    metrics_.AddGauge("linli_http_worker_queue_depth", "Requests waiting for a worker.",
                      [this] { return static_cast<double>(workers_.Depth()); });
  }

  Status Listen() {
    beast::error_code ec;
    auto address = asio::ip::make_address(options_.address, ec);
    if (ec) return Error{Errc::kInvalidArgument, "invalid_address", options_.address};
    tcp::endpoint endpoint{address, options_.port};
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Error{
          Errc::kUnavailable, "listen_failed",
          fmt::format("cannot listen on {}:{}: {}", options_.address, options_.port, ec.message())};
    }
    port_ = acceptor_.local_endpoint().port();
    return Ok();
  }

  std::uint16_t port() const { return port_; }

  void Run() {
    signals_.async_wait([this](beast::error_code ec, int) {
      if (!ec) BeginShutdown();
    });
    Accept();
    // While a handler runs on a worker its connection has no pending I/O; without these
    // guards a loop could run out of work and return before the handler's response is written.
    std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards;
    for (auto& context : contexts_) guards.push_back(asio::make_work_guard(*context));
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < contexts_.size(); ++i) {
      threads.emplace_back([context = contexts_[i].get()] { context->run(); });
    }
    contexts_.front()->run();
    for (auto& thread : threads) thread.join();
    workers_.Shutdown();
  }

  void Stop() {
    asio::post(*contexts_.front(), [this] { BeginShutdown(); });
  }

  // Called on a worker thread.
  Response Handle(Request& request, SteadyClock::time_point started) {
    Dispatched dispatched;
    try {
      dispatched = router_.Dispatch(request);
    } catch (const std::exception& exception) {  // the one catch per request
      spdlog::error(R"({{"msg":"handler threw","request_id":{},"what":{}}})",
                    JsonEscape(request.request_id), JsonEscape(exception.what()));
      dispatched.response =
          ProblemResponse({Errc::kInternal, "internal_error", ""}, request.request_id);
      dispatched.route = "(exception)";
    }
    Log(request, dispatched, started);
    return std::move(dispatched.response);
  }

  void Log(const Request& request, const Dispatched& dispatched, SteadyClock::time_point started) {
    const double duration_s = std::chrono::duration<double>(SteadyClock::now() - started).count();
    metrics_.ObserveRequest(dispatched.response.status, duration_s);
    if (!spdlog::should_log(spdlog::level::info)) return;
    // The route pattern, never the raw path: paths can carry tracking codes and feed tokens.
    std::string line;
    line.reserve(160 + request.request_id.size() + dispatched.route.size());
    JsonWriter(line)
        .BeginObject()
        .Key("msg")
        .String("request")
        .Key("request_id")
        .String(request.request_id)
        .Key("method")
        .String(VerbName(request.verb))
        .Key("route")
        .String(dispatched.route)
        .Key("status")
        .Int(dispatched.response.status)
        .Key("duration_ms")
        .Fixed(duration_s * 1000, 3)
        .Key("bytes")
        .Int(static_cast<std::int64_t>(dispatched.response.body.size()))
        .EndObject();
    spdlog::info("{}", line);
  }

  bool Submit(std::function<void()> task) {
    if (stopping_.load()) return false;
    return workers_.TrySubmit(std::move(task));
  }

  bool stopping() const { return stopping_.load(); }
  const Router& router() const { return router_; }
  const ServerOptions& options() const { return options_; }
  std::atomic<int>& in_flight() { return in_flight_; }

 private:
  void Accept() {
    // Connections are dealt to the I/O threads in turn; each connection then stays on its
    // thread's io_context, which only that thread runs: no strands, no shared scheduler lock.
    auto& context = *contexts_[next_context_++ % contexts_.size()];
    acceptor_.async_accept(context, [this](beast::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor_.is_open()) return;
      } else {
        StartSession(std::move(socket));
      }
      Accept();
    });
  }

  void StartSession(tcp::socket socket);

  // Stop accepting; wait (bounded) for in-flight requests to be answered, then stop the loop.
  void BeginShutdown() {
    if (stopping_.exchange(true)) return;
    spdlog::info(R"({{"msg":"shutting down","in_flight":{}}})", in_flight_.load());
    beast::error_code ignored;
    acceptor_.close(ignored);
    drain_deadline_ = SteadyClock::now() + std::chrono::seconds(limits::kReadTimeoutS);
    WaitForDrain();
  }

  // In-flight counts a request until its response is fully written, so stopping the loop once
  // it reaches zero loses no answer; idle keep-alive connections are simply closed.
  void WaitForDrain() {
    if (in_flight_.load() == 0 || SteadyClock::now() >= drain_deadline_) {
      for (auto& context : contexts_) context->stop();
      return;
    }
    drain_timer_.expires_after(std::chrono::milliseconds(10));
    drain_timer_.async_wait([this](beast::error_code) { WaitForDrain(); });
  }

  ServerOptions options_;
  const Router& router_;
  Metrics& metrics_;
  static std::vector<std::unique_ptr<asio::io_context>> MakeContexts(int count) {
    std::vector<std::unique_ptr<asio::io_context>> contexts;
    for (int i = 0; i < std::max(1, count); ++i) {
      contexts.push_back(std::make_unique<asio::io_context>(1));  // 1: run by one thread
    }
    return contexts;
  }

  // One io_context per I/O thread. The first also owns the acceptor, signals and drain timer.
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::size_t next_context_ = 0;  // used on the first context's thread only
  tcp::acceptor acceptor_;
  asio::signal_set signals_;
  WorkerPool workers_;
  asio::steady_timer drain_timer_{*contexts_.front()};
  SteadyClock::time_point drain_deadline_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  std::uint16_t port_ = 0;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Server::Impl& server)
      : stream_(std::move(socket)), server_(server) {}

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
  }

 private:
  void ReadHeader() {
    parser_.emplace();
    parser_->header_limit(limits::kHeaderBytesMax);
    parser_->body_limit(limits::kUploadBodyBytesMax);
    stream_.expires_after(std::chrono::seconds(limits::kIdleTimeoutS));
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHeader(ec); });
  }

  void OnHeader(beast::error_code ec) {
    if (ec == bhttp::error::header_limit) {
      return Reject(431, {Errc::kInvalidArgument, "header_too_large", "request header too large"});
    }
    if (ec) return Close();
    const auto& header = parser_->get();
    const auto target = header.target();
    const auto path_end = target.find('?');
    const RoutePlan plan = server_.router().PlanFor(
        ToVerb(header.method()),
        std::string_view(target.data(), std::min(target.size(), path_end)));
    const std::size_t limit = plan.body_bytes_max;
    run_inline_ = plan.run_inline;
    // Beast compares Content-Length with the limit when the header completes, so a declared
    // size is checked here; chunked bodies are cut off by body_limit as they arrive.
    if (auto declared = parser_->content_length(); declared && *declared > limit) {
      return Reject(413, {Errc::kPayloadTooLarge, "body_too_large", "request body too large"});
    }
    parser_->body_limit(limit);
    if (parser_->is_done()) return OnBody({});  // no body (most GETs): no second read op
    stream_.expires_after(std::chrono::seconds(limits::kReadTimeoutS));
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = shared_from_this()](beast::error_code read_ec, std::size_t) {
                        self->OnBody(read_ec);
                      });
  }

  void OnBody(beast::error_code ec) {
    if (ec == bhttp::error::body_limit) {
      return Reject(413, {Errc::kPayloadTooLarge, "body_too_large", "request body too large"});
    }
    if (ec) return Close();
    auto message = parser_->release();
    keep_alive_ = message.keep_alive() && ++served_ < 10000;
    head_ = message.method() == bhttp::verb::head;
    const auto started = SteadyClock::now();
    if (run_inline_ && !server_.stopping()) return HandleInline(message, started);
    auto request = std::make_shared<Request>();
    if (auto converted = Convert(message, *request); !converted) {
      return Reject(400, converted.error());
    }
    server_.in_flight().fetch_add(1);
    const bool accepted = server_.Submit([self = shared_from_this(), request, started] {
      Response response = self->server_.Handle(*request, started);
      asio::post(self->stream_.get_executor(), [self, response = std::move(response)]() mutable {
        self->counted_in_flight_ = true;
        self->Write(std::move(response));
      });
    });
    if (!accepted) {
      server_.in_flight().fetch_sub(1);
      keep_alive_ = false;
      Write(ProblemResponse({Errc::kUnavailable, "server_busy", "server is busy; retry shortly"},
                            request->request_id)
                .With("Retry-After", "1"));
    }
  }

  // A route that only reads briefly (RouteOptions::run_inline) is answered on this I/O
  // thread: no queueing on the worker pool and no hand-off back. The I/O threads bound how
  // many such handlers run at once.
  void HandleInline(const bhttp::request<bhttp::string_body>& message,
                    SteadyClock::time_point started) {
    Request request;
    if (auto converted = Convert(message, request); !converted) {
      return Reject(400, converted.error());
    }
    server_.in_flight().fetch_add(1);
    counted_in_flight_ = true;
    Write(server_.Handle(request, started));
  }

  Status Convert(const bhttp::request<bhttp::string_body>& message, Request& request) {
    request.verb = ToVerb(message.method());
    request.target = std::string(message.target());
    request.request_id = RequestIdFor(message);
    auto parsed = boost::urls::parse_origin_form(request.target);
    if (!parsed) {
      return Error{Errc::kInvalidArgument, "invalid_target", "request target is malformed"};
    }
    request.path = parsed->path();  // percent-decoded
    if (request.path.empty()) request.path = "/";
    for (auto param : parsed->params()) {
      request.query.emplace_back(param.key, param.has_value ? param.value : "");
    }
    for (const auto& field : message) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers.emplace_back(std::move(name), std::string(field.value()));
    }
    request.body = message.body();
    if (remote_address_.empty()) {  // once per connection: getpeername is a system call
      beast::error_code ec;
      auto remote = stream_.socket().remote_endpoint(ec);
      remote_address_ = ec ? "-" : remote.address().to_string();
    }
    request.remote_address = remote_address_;
    if (server_.options().trust_proxy) {
      request.secure = request.Header("x-forwarded-proto") == std::string_view("https");
      if (auto forwarded = request.Header("x-forwarded-for")) {
        request.remote_address = std::string(forwarded->substr(0, forwarded->find(',')));
      }
    }
    return Ok();
  }

  void Reject(int status, const Error& error) {
    keep_alive_ = false;
    Write(ProblemResponse(status, error, "-"));
  }

  void Write(Response response) {
    if (server_.stopping()) keep_alive_ = false;
    const std::size_t size = response.body.size();
    out_head_.clear();
    AppendResponseHead(out_head_, response, keep_alive_, size);
    out_body_ = head_ ? std::string() : std::move(response.body);
    const std::array<asio::const_buffer, 2> buffers{asio::buffer(out_head_),
                                                    asio::buffer(out_body_)};
    stream_.expires_after(std::chrono::seconds(limits::kReadTimeoutS));
    asio::async_write(stream_, buffers,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (self->counted_in_flight_) {
                          self->counted_in_flight_ = false;
                          self->server_.in_flight().fetch_sub(1);
                        }
                        if (ec || !self->keep_alive_) return self->Close();
                        self->ReadHeader();
                      });
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  Server::Impl& server_;
  std::string out_head_;  // the response being written (one at a time per connection)
  std::string out_body_;
  bool keep_alive_ = false;
  bool head_ = false;
  bool run_inline_ = false;
  bool counted_in_flight_ = false;
  std::string remote_address_;  // this response is in the server's in-flight count
  std::size_t served_ = 0;
};

}  // namespace

void Server::Impl::StartSession(tcp::socket socket) {
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  std::make_shared<Session>(std::move(socket), *this)->Start();
}

Server::Server(ServerOptions options, const Router& router, Metrics& metrics)
    : impl_(std::make_unique<Impl>(std::move(options), router, metrics)) {}
Server::~Server() = default;
Status Server::Listen() {
  return impl_->Listen();
}
std::uint16_t Server::port() const {
  return impl_->port();
}
void Server::Run() {
  impl_->Run();
}
void Server::Stop() {
  impl_->Stop();
}

}  // namespace linli::http
