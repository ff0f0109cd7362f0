#include "run/early_token.hpp"

#include <cstdlib>

#include "clients/http/curl_transport.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/token_cache.hpp"
#include "clients/tls/tls_probe_transport.hpp"
#include "core/cache_dir.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs {

namespace {

bool set(const char* variable) {
  const char* value = std::getenv(variable);
  return value != nullptr && value[0] != '\0';
}

bool assigned(const std::map<std::string, std::string>& assignment, const char* name) {
  const auto it = assignment.find(name);
  return it != assignment.end() && !it->second.empty();
}

}  // namespace

EarlyToken::~EarlyToken() {
  // The background request uses the client and its transport: it ends before they go.
  abandoned = true;
  if (done.valid()) done.wait();
}

std::unique_ptr<EarlyToken> start_early_token(const RunOptions& options,
                                              const std::map<std::string, std::string>& assignment) {
  if (options.replay_dir || options.record_dir || options.offline) return nullptr;
  CloudSelection selection;
  if (options.os_cloud) {
    selection.cloud = options.os_cloud;
  } else if (assigned(assignment, "os_cloud")) {
    selection.cloud = assignment.at("os_cloud");
  } else if (!set("OS_CLOUD")) {
    return nullptr;
  }
  if (options.kubeconfig || options.context || assigned(assignment, "kubeconfig") ||
      assigned(assignment, "context") || set("KUBECONFIG")) {
    return nullptr;
  }
  auto early = std::make_unique<EarlyToken>();
  try {
    early->cloud = resolve_cloud(selection);
  } catch (const Error&) {
    return nullptr;  // the session resolves it again and reports the error where it always did
  }
  // The same transports as connect_live() builds for the cloud.
  early->leg.base = std::make_unique<TlsProbeTransport>(
      std::make_unique<CurlTransport>(early->cloud.transport), early->cloud.transport);
  early->openstack = std::make_unique<OpenStack>(early->cloud, early->leg.get());
  if (options.token_cache) {
    if (const auto directory = cache_directory()) {
      early->cache = std::make_unique<TokenCache>(*directory);
      early->openstack->use_token_cache(*early->cache);
    }
  }
  early->done = std::async(std::launch::async, [openstack = early->openstack.get(), &calls = early->calls,
                                                &abandoned = early->abandoned] {
    const MeterScope meter(calls);
    // No deadline of its own (the transport's timeouts apply); it ends when abandoned.
    const CancellationScope cancellation(std::chrono::steady_clock::now() + std::chrono::hours(24),
                                         &abandoned);
    try {
      openstack->token();
    } catch (...) {
      // Kept by the client: the session's token() reports it, once, as without this head start.
    }
  });
  return early;
}

}  // namespace scs
