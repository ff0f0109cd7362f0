#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "clients/http/http.hpp"
#include "tests/support/loopback_http.hpp"

namespace scs::test {

/// A misbehaving HTTP/1.1 endpoint on 127.0.0.1 for transport tests: it answers with scripted
/// replies (status, headers, body, delays, truncated bodies, dropped connections) and records
/// what it was asked. It knows nothing about OpenStack; OpenStack behaviour is tested against
/// cassettes recorded from a real cloud.
class LocalHttpServer {
 public:
  struct Request {
    std::string method;
    std::string target;  // path and query, as sent
    Headers headers;
    std::string body;
  };

  struct Reply {
    long status = 200;
    Headers headers;  // Content-Length is added
    std::string body;
    std::chrono::milliseconds delay{0};  // wait this long before answering
    bool close = false;                  // close the connection after answering
    std::size_t truncate_at =
        std::string::npos;  // send only this much body (full Content-Length), then close
    bool drop = false;      // close the connection without answering

    static Reply with(long status, std::string body = {}) {
      Reply reply;
      reply.status = status;
      reply.body = std::move(body);
      return reply;
    }
    static Reply dropped() {
      Reply reply;
      reply.drop = true;
      return reply;
    }
    Reply& header(std::string name, std::string value) {
      headers.emplace_back(std::move(name), std::move(value));
      return *this;
    }
    Reply& after(std::chrono::milliseconds wait) {
      delay = wait;
      return *this;
    }
    Reply& cut_at(std::size_t bytes) {
      truncate_at = bytes;
      return *this;
    }
  };

  using Handler = std::function<Reply(const Request&)>;

  LocalHttpServer();
  ~LocalHttpServer();
  LocalHttpServer(const LocalHttpServer&) = delete;
  LocalHttpServer& operator=(const LocalHttpServer&) = delete;

  [[nodiscard]] int port() const { return listener_.port(); }
  /// http://127.0.0.1:<port><path>
  [[nodiscard]] std::string url(std::string_view path = "/") const;

  /// Replies are used in order; with none left the handler answers (default: 500).
  void enqueue(Reply reply);
  void set_handler(Handler handler);

  [[nodiscard]] std::vector<Request> requests() const;
  [[nodiscard]] std::size_t connections() const { return listener_.connections(); }

 private:
  void serve(int fd);
  Reply next_reply(const Request& request);
  bool sleep_unless_stopped(std::chrono::milliseconds delay);

  std::atomic<bool> stop_{false};
  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  std::deque<Reply> replies_;
  Handler handler_;
  std::vector<Request> requests_;
  LoopbackListener listener_;
};

}  // namespace scs::test
