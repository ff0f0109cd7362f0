#include <catch2/catch.hpp>

#include <sys/socket.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>

#include "clients/http/curl_transport.hpp"
#include "core/call_meter.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"
#include "tests/support/local_http_server.hpp"

namespace {

using namespace std::chrono_literals;
using scs::test::LocalHttpServer;
using Reply = LocalHttpServer::Reply;

/// Short timeouts and backoff, so failure paths take milliseconds.
scs::TransportOptions fast(int retries = 2) {
  scs::TransportOptions options;
  options.connect_timeout = 1000ms;
  options.request_timeout = 2000ms;
  options.max_retries = retries;
  options.initial_backoff = 10ms;
  return options;
}

scs::HttpRequest get(const std::string& url) { return {"GET", url, {}, ""}; }

/// Whether the server received the request (`arrived` set by its handler). A client that gave
/// up may leave before the server thread read the request, so this waits for it; the limit is
/// only a guard against hanging.
bool server_saw_request(const LocalHttpServer& server, const std::atomic<bool>& arrived) {
  const auto until = std::chrono::steady_clock::now() + 30s;
  while (!arrived && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
  return arrived && server.requests().size() == 1;
}

}  // namespace

TEST_CASE("a GET returns status, headers and body, and is counted once") {
  LocalHttpServer server;
  server.enqueue(Reply::with(200, R"({"ok": true})").header("Content-Type", "application/json"));
  scs::CurlTransport transport(fast());
  scs::CallStats stats;
  scs::HttpResponse response;
  {
    const scs::MeterScope scope(stats);
    response = transport.send({"GET", server.url("/v2.1/flavors?x=1"), {{"X-Test", "yes"}}, ""});
  }
  CHECK(response.status == 200);
  CHECK(response.body == R"({"ok": true})");
  CHECK(response.header("content-type") == "application/json");
  CHECK(stats.calls == 1);
  CHECK(stats.retries == 0);
  CHECK(stats.bytes_received > response.body.size());  // headers count too
  CHECK(stats.bytes_sent > 0);
  const auto requests = server.requests();
  REQUIRE(requests.size() == 1);
  CHECK(requests[0].target == "/v2.1/flavors?x=1");
  CHECK(scs::find_header(requests[0].headers, "X-Test") == "yes");
}

TEST_CASE("methods and bodies reach the server as given") {
  LocalHttpServer server;
  server.set_handler([](const LocalHttpServer::Request&) { return Reply::with(200); });
  scs::CurlTransport transport(fast());
  transport.send({"POST", server.url("/p"), {{"Content-Type", "application/json"}}, R"({"a": 1})"});
  transport.send({"PUT", server.url("/u"), {}, "put-body"});
  transport.send({"DELETE", server.url("/d"), {}, ""});
  transport.send({"HEAD", server.url("/h"), {}, ""});
  const auto requests = server.requests();
  REQUIRE(requests.size() == 4);
  CHECK(requests[0].method == "POST");
  CHECK(requests[0].body == R"({"a": 1})");
  CHECK(scs::find_header(requests[0].headers, "Expect").empty());
  CHECK(requests[1].method == "PUT");
  CHECK(requests[1].body == "put-body");
  CHECK(requests[2].method == "DELETE");
  CHECK(requests[3].method == "HEAD");
}

TEST_CASE("503 is retried with backoff and each retry is counted", "[timing]") {
  LocalHttpServer server;
  server.enqueue(Reply::with(503, "busy"));
  server.enqueue(Reply::with(503, "busy"));
  server.enqueue(Reply::with(200, "{}"));
  scs::CurlTransport transport(fast(3));
  scs::CallStats stats;
  {
    const scs::MeterScope scope(stats);
    CHECK(transport.send(get(server.url())).status == 200);
  }
  CHECK(server.requests().size() == 3);
  CHECK(stats.calls == 3);
  CHECK(stats.retries == 2);
}

TEST_CASE("after the last retry the 5xx answer is returned as it is", "[timing]") {
  LocalHttpServer server;
  server.set_handler([](const auto&) { return Reply::with(502, "bad gateway"); });
  scs::CurlTransport transport(fast(2));
  const auto response = transport.send(get(server.url()));
  CHECK(response.status == 502);
  CHECK(response.body == "bad gateway");
  CHECK(server.requests().size() == 3);
}

TEST_CASE("a POST is not repeated after a 502, but is after a 503", "[timing]") {
  LocalHttpServer server;
  server.enqueue(Reply::with(502));
  server.enqueue(Reply::with(503));
  server.enqueue(Reply::with(201));
  scs::CurlTransport transport(fast(3));
  CHECK(transport.send({"POST", server.url(), {}, "{}"}).status == 502);
  CHECK(transport.send({"POST", server.url(), {}, "{}"}).status == 201);
  CHECK(server.requests().size() == 3);
}

TEST_CASE("429 waits as long as Retry-After asks", "[timing]") {
  LocalHttpServer server;
  server.enqueue(Reply::with(429).header("Retry-After", "1"));
  server.enqueue(Reply::with(200));
  scs::CurlTransport transport(fast(1));
  const auto start = std::chrono::steady_clock::now();
  CHECK(transport.send(get(server.url())).status == 200);
  CHECK(std::chrono::steady_clock::now() - start >= 950ms);
}

TEST_CASE("a timeout is an UnreachableError naming the host", "[timing]") {
  LocalHttpServer server;
  // Never answers while the test runs (a delayed reply ends when the server stops): only the
  // request timeout can end the request, and the message says it did. No wall-clock bound.
  server.set_handler([](const auto&) { return Reply::with(200).after(600'000ms); });
  auto options = fast(0);
  options.request_timeout = 200ms;
  scs::CurlTransport transport(options);
  CHECK_THROWS_MATCHES(
      transport.send(get(server.url("/slow?secret=x"))), scs::UnreachableError,
      Catch::Matchers::Message(fmt::format("cannot reach http://127.0.0.1:{}: no answer within 200 ms "
                                           "(connect timeout 1000 ms)",
                                           server.port())));
}

TEST_CASE("connection refused is an UnreachableError after the retries, each one counted", "[timing]") {
  const scs::test::ClosedPort closed;  // held for the whole test: nobody can start listening there
  const int port = closed.port();
  scs::CurlTransport transport(fast(2));
  scs::CallStats stats;
  {
    const scs::MeterScope scope(stats);
    CHECK_THROWS_MATCHES(transport.send(get(fmt::format("http://127.0.0.1:{}/v3/auth/tokens", port))),
                         scs::UnreachableError,
                         Catch::Matchers::Message(fmt::format(
                             "cannot reach http://127.0.0.1:{}: Connection refused (3 attempts)", port)));
  }
  CHECK(stats.calls == 3);
  CHECK(stats.retries == 2);
}

TEST_CASE("an answer cut off before its Content-Length is an UnreachableError", "[timing]") {
  LocalHttpServer server;
  server.set_handler([](const auto&) { return Reply::with(200, R"({"flavors": [1, 2, 3]})").cut_at(8); });
  scs::CurlTransport transport(fast(1));
  CHECK_THROWS_AS(transport.send(get(server.url())), scs::UnreachableError);
  CHECK(server.requests().size() == 2);
}

TEST_CASE("a dropped connection is retried", "[timing]") {
  LocalHttpServer server;
  server.enqueue(Reply::dropped());
  server.enqueue(Reply::with(200, "{}"));
  scs::CurlTransport transport(fast(2));
  CHECK(transport.send(get(server.url())).status == 200);
}

TEST_CASE("connections are kept alive between requests") {
  LocalHttpServer server;
  server.set_handler([](const auto&) { return Reply::with(200, "{}"); });
  scs::CurlTransport transport(fast());
  for (int i = 0; i < 5; ++i) CHECK(transport.send(get(server.url())).status == 200);
  CHECK(server.connections() == 1);
}

TEST_CASE("many threads share one transport") {
  LocalHttpServer server;
  server.set_handler(
      [](const LocalHttpServer::Request& request) { return Reply::with(200, request.target); });
  scs::CurlTransport transport(fast());
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        const std::string path = fmt::format("/t{}/{}", t, i);
        if (transport.send(get(server.url(path))).body == path) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(good == 80);
  CHECK(server.connections() <= 8);
}

TEST_CASE("a testcase's deadline ends a hanging request", "[timing]") {
  LocalHttpServer server;
  std::atomic<bool> arrived{false};
  // Never answers while the test runs; notes that the request came (it was in flight).
  server.set_handler([&arrived](const auto&) {
    arrived = true;
    return Reply::with(200).after(600'000ms);
  });
  auto options = fast(0);
  options.request_timeout = 60'000ms;  // were the deadline ignored, this would end it: "no answer within"
  scs::CurlTransport transport(options);
  {
    const scs::CancellationScope scope(std::chrono::steady_clock::now() + 500ms, nullptr);
    CHECK_THROWS_WITH(transport.send(get(server.url("/slow?sig=secret"))),
                      "time budget exceeded while waiting for GET " + server.url("/slow"));
  }
  // The deadline ended a request the server had, not one that was never sent.
  CHECK(server_saw_request(server, arrived));
}

TEST_CASE("Ctrl-C ends a hanging request", "[timing]") {
  LocalHttpServer server;
  std::atomic<bool> interrupted{false};
  // The interrupt comes while the request hangs: the server raises it on receipt.
  server.set_handler([&interrupted](const auto&) {
    interrupted = true;
    return Reply::with(200).after(600'000ms);
  });
  auto options = fast(0);
  options.request_timeout = 60'000ms;
  scs::CurlTransport transport(options);
  const scs::CancellationScope scope(std::chrono::steady_clock::now() + 1h, &interrupted);
  CHECK_THROWS_AS(transport.send(get(server.url())), scs::Interrupted);
  CHECK(server.requests().size() == 1);
}

TEST_CASE("TLS is verified, a failed handshake is an UnreachableError naming the host") {
  // A plain-HTTP server that answers at once, whatever it is sent: the client's TLS hello gets
  // an HTTP error page back, which no TLS handshake accepts. (LocalHttpServer would wait for
  // an HTTP request that never comes, and the request would end by its timeout instead.)
  scs::test::LoopbackListener server;
  static const std::atomic<bool> never_stopped{false};
  server.start([](int fd) {
    if (!scs::test::wait_readable(fd, never_stopped)) return;  // the client's TLS hello
    char hello[4096];
    (void)::recv(fd, hello, sizeof hello, 0);
    const std::string_view page = "HTTP/1.1 400 Bad Request\r\nContent-Length: 10\r\n\r\nplain http";
    (void)::send(fd, page.data(), page.size(), MSG_NOSIGNAL);
  });
  auto options = fast(0);
  options.request_timeout = 60'000ms;  // the handshake fails, not a timer
  scs::CurlTransport transport(options);
  const auto url = fmt::format("https://127.0.0.1:{}/v3", server.port());
  CHECK_THROWS_AS(transport.send(get(url)), scs::UnreachableError);
  CHECK_THROWS_WITH(transport.send(get(url)),
                    Catch::StartsWith(fmt::format("cannot reach https://127.0.0.1:{}: ", server.port())) &&
                        !Catch::Contains("no answer within"));
}
