#include "tests/support/loopback_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace scs::test {

namespace {

constexpr int poll_ms = 20;

// A TCP socket bound to a port of 127.0.0.1 the kernel chooses (port 0), listening if asked.
int bound_socket(int& port, bool listening) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  const int yes = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      (listening && ::listen(fd, 64) != 0)) {
    ::close(fd);
    throw std::runtime_error("bind/listen on 127.0.0.1 failed");
  }
  socklen_t length = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  port = ntohs(address.sin_port);
  return fd;
}

int listen_socket(int& port) { return bound_socket(port, true); }

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

}  // namespace

// ---- LoopbackListener ------------------------------------------------------------------

LoopbackListener::LoopbackListener() { listen_fd_ = listen_socket(port_); }

LoopbackListener::~LoopbackListener() {
  stop();
  ::close(listen_fd_);
}

void LoopbackListener::start(Serve serve) {
  serve_ = std::move(serve);
  acceptor_ = std::thread([this] { accept_loop(); });
}

void LoopbackListener::stop() {
  stop_ = true;
  if (acceptor_.joinable()) acceptor_.join();
  for (auto& thread : threads_) thread.join();  // the acceptor is gone: nobody adds any more
  threads_.clear();
}

void LoopbackListener::accept_loop() {
  while (!stop_) {
    pollfd waiting{listen_fd_, POLLIN, 0};
    if (::poll(&waiting, 1, poll_ms) <= 0) continue;
    const int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) continue;
    ++connections_;
    const std::lock_guard lock(mutex_);
    threads_.emplace_back([this, fd] {
      serve_(fd);
      ::close(fd);
    });
  }
}

// ---- ClosedPort --------------------------------------------------------------------------

ClosedPort::ClosedPort() { fd_ = bound_socket(port_, false); }

ClosedPort::~ClosedPort() { ::close(fd_); }

// ---- requests and answers --------------------------------------------------------------

bool wait_readable(int fd, const std::atomic<bool>& stop) {
  while (!stop) {
    pollfd waiting{fd, POLLIN, 0};
    const int ready = ::poll(&waiting, 1, poll_ms);
    if (ready == 0) continue;
    return ready > 0;
  }
  return false;
}

std::optional<WireRequest> RequestReader::next() {
  std::size_t header_end;
  while ((header_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!read_some_(buffer_)) return std::nullopt;
  }
  WireRequest request;
  const std::string head = buffer_.substr(0, header_end);
  buffer_.erase(0, header_end + 4);
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
  while (buffer_.size() < content_length) {
    if (!read_some_(buffer_)) return std::nullopt;
  }
  request.body = buffer_.substr(0, content_length);
  buffer_.erase(0, content_length);
  return request;
}

std::string response_head(long status, const Headers& headers, std::size_t content_length, bool close) {
  std::string head = fmt::format("HTTP/1.1 {} {}\r\n", status, reason_phrase(status));
  for (const auto& [name, value] : headers) head += fmt::format("{}: {}\r\n", name, value);
  head += fmt::format("Content-Length: {}\r\n", content_length);
  if (close) head += "Connection: close\r\n";
  head += "\r\n";
  return head;
}

std::string reason_phrase(long status) {
  static constexpr std::pair<long, std::string_view> phrases[] = {
      {200, "OK"},
      {201, "Created"},
      {401, "Unauthorized"},
      {403, "Forbidden"},
      {404, "Not Found"},
      {406, "Not Acceptable"},
      {409, "Conflict"},
      {429, "Too Many Requests"},
      {500, "Internal Server Error"},
      {502, "Bad Gateway"},
      {503, "Service Unavailable"},
      {504, "Gateway Timeout"},
  };
  for (const auto& [code, phrase] : phrases) {
    if (code == status) return std::string(phrase);
  }
  return "Status";
}

}  // namespace scs::test
