#pragma once

// The HTTP/1.1 plumbing the test servers share (LocalHttpServer in plain text, FakeKubeApi
// over TLS): a listening socket on 127.0.0.1 with a thread per connection, reading requests
// off a connection, and the head of an answer.

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "clients/http/http.hpp"

namespace scs::test {

/// A socket listening on a free port of 127.0.0.1 (bound on construction, so port() is known
/// at once). start() hands every connection to `serve` in a thread of its own and closes the
/// connection when `serve` returns; stop() (or the destructor) stops accepting and joins every
/// thread, so `serve` must return once its owner tells it to.
class LoopbackListener {
 public:
  using Serve = std::function<void(int fd)>;

  LoopbackListener();
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  void start(Serve serve);
  void stop();

  [[nodiscard]] int port() const { return port_; }
  [[nodiscard]] std::size_t connections() const { return connections_.load(); }

 private:
  void accept_loop();

  Serve serve_;
  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> connections_{0};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::thread acceptor_;
};

/// A port on 127.0.0.1 where nobody listens, for as long as this object lives: a socket bound
/// to a port the kernel chose and never listening, so a connection is refused (RST), and no
/// other test or process can take the port meanwhile (which a port bound, released and then
/// used could not promise under `ctest -j`).
class ClosedPort {
 public:
  ClosedPort();
  ~ClosedPort();
  ClosedPort(const ClosedPort&) = delete;
  ClosedPort& operator=(const ClosedPort&) = delete;

  [[nodiscard]] int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

/// One request as it came over the wire.
struct WireRequest {
  std::string method;
  std::string target;  // path and query, as sent
  Headers headers;
  std::string body;
};

/// Reads the HTTP/1.1 requests of one connection, one after the other. `read_some` appends
/// what arrives next to its argument and returns false when the connection has ended or the
/// server is stopping.
class RequestReader {
 public:
  using ReadSome = std::function<bool(std::string& buffer)>;

  explicit RequestReader(ReadSome read_some) : read_some_(std::move(read_some)) {}

  /// The next request; nullopt when the connection ended before it was complete.
  std::optional<WireRequest> next();

 private:
  ReadSome read_some_;
  std::string buffer_;
};

/// Waits until `fd` has something to read (polling, to notice `stop`): false on an error or
/// once `stop` is set.
bool wait_readable(int fd, const std::atomic<bool>& stop);

/// The status line and headers of an answer, with Content-Length (and "Connection: close"
/// when `close`) added after `headers`; the body follows it.
std::string response_head(long status, const Headers& headers, std::size_t content_length,
                          bool close = false);

/// "OK", "Not Found", …; "Status" for a code without a phrase here.
std::string reason_phrase(long status);

}  // namespace scs::test
