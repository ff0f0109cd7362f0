#include "tests/support/local_http_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include <fmt/format.h>

namespace scs::test {

namespace {

constexpr int poll_ms = 20;

int listen_socket(int& port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(fd, 64) != 0) {
    ::close(fd);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

bool send_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const auto sent = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

std::string reason_phrase(long status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 406:
      return "Not Acceptable";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Status";
  }
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

LocalHttpServer::LocalHttpServer() {
  listen_fd_ = listen_socket(port_);
  handler_ = [](const Request& request) {
    return Reply::with(500, fmt::format("no scripted reply for {} {}", request.method, request.target));
  };
  acceptor_ = std::thread([this] { accept_loop(); });
}

LocalHttpServer::~LocalHttpServer() {
  {
    const std::lock_guard lock(mutex_);  // so a delayed reply cannot miss the wake-up
    stop_ = true;
  }
  stopped_.notify_all();
  acceptor_.join();
  for (auto& thread : threads_) thread.join();
  ::close(listen_fd_);
}

std::string LocalHttpServer::url(std::string_view path) const {
  return fmt::format("http://127.0.0.1:{}{}", port_, path);
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

int LocalHttpServer::unused_port() {
  int port = 0;
  ::close(listen_socket(port));
  return port;
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

void LocalHttpServer::accept_loop() {
  while (!stop_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, poll_ms) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    const std::lock_guard lock(mutex_);
    threads_.emplace_back([this, fd] {
      serve(fd);
      ::close(fd);
    });
  }
}

void LocalHttpServer::serve(int fd) {
  std::string buffer;
  const auto read_more = [&]() -> bool {
    while (!stop_) {
      pollfd waiting{fd, POLLIN, 0};
      const int ready = ::poll(&waiting, 1, poll_ms);
      if (ready == 0) continue;
      if (ready < 0) return false;
      char chunk[4096];
      const auto got = ::recv(fd, chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(got));
      return true;
    }
    return false;
  };
  while (!stop_) {
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more()) return;
    }
    Request request;
    const std::string head = buffer.substr(0, header_end);
    buffer.erase(0, header_end + 4);
    std::size_t line_end = head.find("\r\n");
    const std::string request_line = head.substr(0, line_end);
    const auto space1 = request_line.find(' ');
    const auto space2 = request_line.find(' ', space1 + 1);
    request.method = request_line.substr(0, space1);
    request.target = request_line.substr(space1 + 1, space2 - space1 - 1);
    std::size_t content_length = 0;
    while (line_end != std::string::npos) {
      const auto start = line_end + 2;
      line_end = head.find("\r\n", start);
      const std::string line =
          head.substr(start, line_end == std::string::npos ? std::string::npos : line_end - start);
      const auto colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      request.headers.emplace_back(line.substr(0, colon), value);
      if (lower(line.substr(0, colon)) == "content-length") content_length = std::stoul(value);
    }
    while (buffer.size() < content_length) {
      if (!read_more()) return;
    }
    request.body = buffer.substr(0, content_length);
    buffer.erase(0, content_length);

    Reply reply = next_reply(request);
    if (reply.delay.count() > 0 && !sleep_unless_stopped(reply.delay)) return;
    if (reply.drop) return;
    std::string answer = fmt::format("HTTP/1.1 {} {}\r\n", reply.status, reason_phrase(reply.status));
    for (const auto& [name, value] : reply.headers) answer += fmt::format("{}: {}\r\n", name, value);
    answer += fmt::format("Content-Length: {}\r\n", reply.body.size());
    const bool close = reply.close || reply.truncate_at != std::string::npos;
    if (close) answer += "Connection: close\r\n";
    answer += "\r\n";
    answer += reply.truncate_at == std::string::npos ? reply.body : reply.body.substr(0, reply.truncate_at);
    if (!send_all(fd, answer) || close) return;
  }
}

}  // namespace scs::test
