#include "tests/support/local_http_server.hpp"

#include <sys/socket.h>

#include <fmt/format.h>

namespace scs::test {

namespace {

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace

LocalHttpServer::LocalHttpServer() {
  handler_ = [](const Request& request) {
    return Reply::with(500, fmt::format("no scripted reply for {} {}", request.method, request.target));
  };
  listener_.start([this](int fd) { serve(fd); });
}

LocalHttpServer::~LocalHttpServer() {
  {
    const std::lock_guard lock(mutex_);  // so a delayed reply cannot miss the wake-up
    stop_ = true;
  }
  stopped_.notify_all();
  listener_.stop();
}

std::string LocalHttpServer::url(std::string_view path) const {
  return fmt::format("http://127.0.0.1:{}{}", port(), path);
}

void LocalHttpServer::enqueue(Reply reply) {
  const std::lock_guard lock(mutex_);
  replies_.push_back(std::move(reply));
}

void LocalHttpServer::set_handler(Handler handler) {
  const std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

std::vector<LocalHttpServer::Request> LocalHttpServer::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

LocalHttpServer::Reply LocalHttpServer::next_reply(const Request& request) {
  const std::lock_guard lock(mutex_);
  requests_.push_back(request);
  if (!replies_.empty()) {
    Reply reply = std::move(replies_.front());
    replies_.pop_front();
    return reply;
  }
  return handler_(request);
}

bool LocalHttpServer::sleep_unless_stopped(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stopped_.wait_for(lock, delay, [this] { return stop_.load(); });
}

void LocalHttpServer::serve(int fd) {
  RequestReader reader([&](std::string& buffer) {
    if (!wait_readable(fd, stop_)) return false;
    char chunk[4096];
    const auto got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(got));
    return true;
  });
  while (!stop_) {
    auto wire = reader.next();
    if (!wire) return;
    Reply reply = next_reply(
        {std::move(wire->method), std::move(wire->target), std::move(wire->headers), std::move(wire->body)});
    if (reply.delay.count() > 0 && !sleep_unless_stopped(reply.delay)) return;
    if (reply.drop) return;
    const bool close = reply.close || reply.truncate_at != std::string::npos;
    std::string answer = response_head(reply.status, reply.headers, reply.body.size(), close);
    answer += reply.truncate_at == std::string::npos ? reply.body : reply.body.substr(0, reply.truncate_at);
    if (!send_all(fd, answer) || close) return;
  }
}

}  // namespace scs::test
