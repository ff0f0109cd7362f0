#include "clients/http/curl_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <mutex>
#include <optional>
#include <thread>

#include <fmt/format.h>

#include "core/call_meter.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

constexpr auto max_backoff = std::chrono::milliseconds(30'000);
constexpr auto max_retry_after = std::chrono::milliseconds(60'000);

// libcurl wants curl_global_init() once per process before any other call, and it is not
// thread-safe itself; a function-local static is initialised exactly once.
void init_libcurl_once() {
  static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (code != CURLE_OK) throw Error(fmt::format("cannot initialise libcurl: {}", curl_easy_strerror(code)));
}

struct CurlSlist {
  curl_slist* list = nullptr;
  CurlSlist() = default;
  CurlSlist(const CurlSlist&) = delete;
  CurlSlist& operator=(const CurlSlist&) = delete;
  ~CurlSlist() { curl_slist_free_all(list); }
  void add(const std::string& line) {
    curl_slist* next = curl_slist_append(list, line.c_str());
    if (next == nullptr) throw std::bad_alloc();
    list = next;
  }
};

/// scheme://host:port of a URL, for messages (never the path or query, which may hold ids or
/// secrets the reader does not need).
std::string origin_of(const std::string& url) {
  CURLU* handle = curl_url();
  if (handle == nullptr) return url;
  std::string out = url;
  if (curl_url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    char* scheme = nullptr;
    char* host = nullptr;
    char* port = nullptr;
    if (curl_url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
        curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
        curl_url_get(handle, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
      out = fmt::format("{}://{}:{}", scheme, host, port);
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
  }
  curl_url_cleanup(handle);
  return out;
}

std::string size_text(std::size_t bytes) {
  if (bytes >= (1U << 20) && bytes % (1U << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  return fmt::format("{} bytes", bytes);
}

/// The URL without its query, which may carry signatures or tokens.
std::string without_query(const std::string& url) { return url.substr(0, url.find('?')); }

bool may_change_state(const std::string& method) { return method == "POST" || method == "PATCH"; }

/// Connection-level failures worth another attempt. For requests that may change state only
/// those where the server cannot have seen the request.
bool retryable(CURLcode code, bool changes_state) {
  switch (code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_GOT_NOTHING:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return !changes_state;
    default:
      return false;
  }
}

bool retryable(long status, bool changes_state) {
  if (status == 429 || status == 503) return true;  // the server refused before acting
  if (status == 502 || status == 504) return !changes_state;
  return false;
}

/// Retry-After is either delta-seconds or an HTTP-date.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (value.size() > 6) return max_retry_after;
    return std::chrono::seconds(std::stol(std::string(value)));
  }
  const time_t when = curl_getdate(std::string(value).c_str(), nullptr);
  if (when < 0) return std::nullopt;
  const auto delta = std::chrono::system_clock::from_time_t(when) - std::chrono::system_clock::now();
  return std::max(std::chrono::milliseconds(0), std::chrono::duration_cast<std::chrono::milliseconds>(delta));
}

/// Sleeps, but wakes up for a deadline or Ctrl-C.
void wait_for(std::chrono::milliseconds delay) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (std::chrono::steady_clock::now() < until) {
    throw_if_cancelled();
    std::this_thread::sleep_for(std::min(std::chrono::milliseconds(50), delay));
  }
  throw_if_cancelled();
}

std::string trim(std::string_view text) {
  const auto begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  const auto end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

/// The answer's body as it arrives, up to a limit.
struct BodySink {
  std::string* body;
  std::size_t limit;
  bool exceeded = false;
};

size_t on_body(char* data, size_t size, size_t count, void* user) {
  auto& sink = *static_cast<BodySink*>(user);
  const std::size_t bytes = size * count;
  if (sink.body->size() + bytes > sink.limit) {
    sink.exceeded = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  sink.body->append(data, bytes);
  return bytes;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& headers = *static_cast<Headers*>(user);
  const std::string_view line(data, size * count);
  if (line.rfind("HTTP/", 0) == 0) {
    headers.clear();  // a new response (after 100 Continue, for instance)
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    headers.emplace_back(trim(line.substr(0, colon)), trim(line.substr(colon + 1)));
  }
  return size * count;
}

int on_progress(void*, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return cancellation_requested() ? 1 : 0;
}

/// What one curl_easy_perform() gave: an HTTP answer, or a curl error.
struct Attempt {
  CURLcode code = CURLE_OK;
  std::string error;  // curl's error buffer
  bool body_too_large = false;
  long os_errno = 0;
  HttpResponse response;
  CallStats stats;
};

/// The request URL with its host replaced by `name`, and the CURLOPT_CONNECT_TO entry that
/// sends the connection to the original host and port.
std::pair<std::string, std::string> renamed_host(const std::string& url, const std::string& name) {
  CURLU* handle = curl_url();
  if (handle == nullptr) throw std::bad_alloc();
  std::pair<std::string, std::string> out{url, {}};
  char* host = nullptr;
  char* port = nullptr;
  char* renamed = nullptr;
  if (curl_url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
      curl_url_get(handle, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(handle, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK &&
      curl_url_set(handle, CURLUPART_HOST, name.c_str(), 0) == CURLUE_OK &&
      curl_url_get(handle, CURLUPART_URL, &renamed, 0) == CURLUE_OK) {
    out = {renamed, fmt::format("{}:{}:{}:{}", name, port, host, port)};
  }
  curl_free(host);
  curl_free(port);
  curl_free(renamed);
  curl_url_cleanup(handle);
  return out;
}

void set_blob(CURL* handle, CURLoption option, const std::string& pem) {
  curl_blob blob{const_cast<char*>(pem.data()), pem.size(), CURL_BLOB_COPY};
  curl_easy_setopt(handle, option, &blob);
}

}  // namespace

struct CurlTransport::Impl {
  TransportOptions options;
  TlsMaterial tls;
  CURLSH* share = nullptr;
  // DNS and TLS sessions are shared between handles (with locks); connections are not, as
  // libcurl does not support sharing its connection cache between concurrent threads. Each
  // pooled handle keeps its own live connections instead, so reuse is per handle.
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  std::mutex pool_mutex;
  std::vector<CURL*> idle;

  static void lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks.at(static_cast<size_t>(data)).lock();
  }
  static void unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks.at(static_cast<size_t>(data)).unlock();
  }

  Impl(TransportOptions opts, TlsMaterial material) : options(std::move(opts)), tls(std::move(material)) {
    init_libcurl_once();
    share = curl_share_init();
    if (share == nullptr) throw Error("cannot initialise libcurl: curl_share_init failed");
    curl_share_setopt(share, CURLSHOPT_LOCKFUNC, &Impl::lock);
    curl_share_setopt(share, CURLSHOPT_UNLOCKFUNC, &Impl::unlock);
    curl_share_setopt(share, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }

  ~Impl() {
    for (CURL* handle : idle) curl_easy_cleanup(handle);
    curl_share_cleanup(share);
  }

  CURL* acquire() {
    {
      const std::lock_guard lock(pool_mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    CURL* handle = curl_easy_init();
    if (handle == nullptr) throw Error("cannot initialise libcurl: curl_easy_init failed");
    // curl_easy_reset() keeps the share, live connections and caches, so this is set once.
    curl_easy_setopt(handle, CURLOPT_SHARE, share);
    return handle;
  }

  void release(CURL* handle) {
    const std::lock_guard lock(pool_mutex);
    idle.push_back(handle);
  }

  Attempt perform(CURL* handle, const HttpRequest& request) {
    curl_easy_reset(handle);
    Attempt attempt;
    std::array<char, CURL_ERROR_SIZE> error{};
    CurlSlist headers;
    for (const auto& [name, value] : request.headers) headers.add(fmt::format("{}: {}", name, value));
    headers.add("Expect:");  // no 100-continue round trip for bodies

    CurlSlist connect_to;
    std::string url = request.url;
    if (!tls.server_name.empty()) {
      auto [renamed, route] = renamed_host(request.url, tls.server_name);
      url = std::move(renamed);
      if (!route.empty()) connect_to.add(route);
    }
    curl_easy_setopt(handle, CURLOPT_URL, url.c_str());
    if (connect_to.list != nullptr) curl_easy_setopt(handle, CURLOPT_CONNECT_TO, connect_to.list);
    curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);  // required with threads
    curl_easy_setopt(handle, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
    curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(handle, CURLOPT_USERAGENT, "scs-conformance/" SCS_VERSION);
    curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
    curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
    if (!options.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options.ca_file.c_str());
    if (!options.client_cert.empty()) curl_easy_setopt(handle, CURLOPT_SSLCERT, options.client_cert.c_str());
    if (!options.client_key.empty()) curl_easy_setopt(handle, CURLOPT_SSLKEY, options.client_key.c_str());
    if (!tls.ca_pem.empty()) {
      set_blob(handle, CURLOPT_CAINFO_BLOB, tls.ca_pem);
      curl_easy_setopt(handle, CURLOPT_CAPATH, nullptr);  // only the cluster's CA, as client-go
    }
    if (!tls.client_cert_pem.empty()) {
      set_blob(handle, CURLOPT_SSLCERT_BLOB, tls.client_cert_pem);
      curl_easy_setopt(handle, CURLOPT_SSLCERTTYPE, "PEM");
    }
    if (!tls.client_key_pem.empty()) {
      set_blob(handle, CURLOPT_SSLKEY_BLOB, tls.client_key_pem);
      curl_easy_setopt(handle, CURLOPT_SSLKEYTYPE, "PEM");
    }
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, headers.list);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error.data());
    curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, &on_body);
    BodySink sink{&attempt.response.body, options.max_body_bytes};
    curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink);
    // A Content-Length above the limit ends the transfer before any of it is read.
    curl_easy_setopt(handle, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options.max_body_bytes));
    curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(handle, CURLOPT_HEADERDATA, &attempt.response.headers);
    curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, &on_progress);
    // Redirects are not followed: OpenStack APIs do not redirect, and following one would
    // send the X-Auth-Token to wherever it points.

    if (request.method == "GET") {
      curl_easy_setopt(handle, CURLOPT_HTTPGET, 1L);
    } else if (request.method == "HEAD") {
      curl_easy_setopt(handle, CURLOPT_NOBODY, 1L);
    } else {
      if (request.method != "POST") curl_easy_setopt(handle, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      if (request.method == "POST" || !request.body.empty()) {
        curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
        curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.c_str());
      }
    }

    attempt.code = curl_easy_perform(handle);
    attempt.error = error.data();
    attempt.body_too_large = sink.exceeded || attempt.code == CURLE_FILESIZE_EXCEEDED;
    if (attempt.body_too_large) attempt.response.body.clear();
    curl_easy_getinfo(handle, CURLINFO_OS_ERRNO, &attempt.os_errno);
    long header_bytes = 0;
    long request_bytes = 0;
    curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &attempt.response.status);
    curl_easy_getinfo(handle, CURLINFO_HEADER_SIZE, &header_bytes);
    curl_easy_getinfo(handle, CURLINFO_REQUEST_SIZE, &request_bytes);
    attempt.stats.calls = 1;
    attempt.stats.bytes_received = static_cast<std::uint64_t>(header_bytes) + attempt.response.body.size();
    attempt.stats.bytes_sent =
        static_cast<std::uint64_t>(request_bytes) + (request_bytes > 0 ? request.body.size() : 0);
    curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, nullptr);  // `error` dies with this frame
    curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(handle, CURLOPT_CONNECT_TO, nullptr);
    return attempt;
  }

  std::string reason(const Attempt& attempt) const {
    if (attempt.body_too_large)
      return fmt::format("the answer is longer than {}", size_text(options.max_body_bytes));
    switch (attempt.code) {
      case CURLE_COULDNT_CONNECT:
        if (attempt.os_errno != 0) return std::strerror(static_cast<int>(attempt.os_errno));
        break;
      case CURLE_OPERATION_TIMEDOUT:
        return fmt::format("no answer within {} ms (connect timeout {} ms)", options.request_timeout.count(),
                           options.connect_timeout.count());
      default:
        break;
    }
    return attempt.error.empty() ? curl_easy_strerror(attempt.code) : attempt.error;
  }
};

CurlTransport::CurlTransport(TransportOptions options) : CurlTransport(std::move(options), TlsMaterial{}) {}

CurlTransport::CurlTransport(TransportOptions options, TlsMaterial tls)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(tls))) {}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::send(const HttpRequest& request) {
  try {
    return send_with_retries(request);
  } catch (const BudgetExceeded&) {
    // The testcase ran out of time here: say on what, as the unreachable errors do.
    throw BudgetExceeded(fmt::format("time budget exceeded while waiting for {} {}", request.method,
                                     without_query(request.url)));
  }
}

HttpResponse CurlTransport::send_with_retries(const HttpRequest& request) {
  const bool changes_state = may_change_state(request.method);
  const int max_attempts = 1 + std::max(0, impl_->options.max_retries);
  auto backoff = impl_->options.initial_backoff;
  for (int number = 1;; ++number) {
    throw_if_cancelled();
    CURL* handle = impl_->acquire();
    Attempt attempt;
    try {
      attempt = impl_->perform(handle, request);
    } catch (...) {
      impl_->release(handle);
      throw;
    }
    impl_->release(handle);
    attempt.stats.retries = number > 1 ? 1 : 0;
    count_call(attempt.stats);

    if (attempt.code == CURLE_ABORTED_BY_CALLBACK) throw_if_cancelled();
    const bool more = number < max_attempts;
    if (attempt.code == CURLE_OK) {
      if (!more || !retryable(attempt.response.status, changes_state)) return std::move(attempt.response);
      auto delay = backoff;
      if (const auto asked = parse_retry_after(attempt.response.header("Retry-After"))) {
        delay = std::min(*asked, max_retry_after);
      }
      wait_for(delay);
    } else {
      if (!more || !retryable(attempt.code, changes_state)) {
        const std::string attempts = number > 1 ? fmt::format(" ({} attempts)", number) : std::string();
        throw UnreachableError(
            fmt::format("cannot reach {}: {}{}", origin_of(request.url), impl_->reason(attempt), attempts));
      }
      wait_for(backoff);
    }
    backoff = std::min(backoff * 2, max_backoff);
  }
}

}  // namespace scs
