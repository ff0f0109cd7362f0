#pragma once

#include <atomic>
#include <future>
#include <map>
#include <memory>
#include <string>

#include "clients/openstack/cloud_config.hpp"
#include "core/call_meter.hpp"
#include "run/connection.hpp"
#include "run/run_options.hpp"

namespace scs {

class OpenStack;
class TokenCache;

/// The OpenStack token of a run, asked for while the specs load: Keystone's password hash is
/// most of a cold run, and nothing about it depends on the specs. Started only when the run is
/// live (no --record, --replay or --offline), names a cloud (--os-cloud, --assign os_cloud=…,
/// OS_CLOUD) and names no cluster (--kubeconfig, --context, --assign kubeconfig=… or
/// context=…, KUBECONFIG): then the plan needs that cloud. clouds.yaml is resolved first, so a
/// configuration error costs no request (nothing starts, and the session reports the error as
/// it would have). The session takes the client over when its plan needs the cloud.
struct EarlyToken {
  CloudConfig cloud;
  Leg leg;                            // the transport the client below uses
  std::unique_ptr<TokenCache> cache;  // unless --no-token-cache
  std::unique_ptr<OpenStack> openstack;
  CallStats calls;                     // the token request's, made on the background thread
  std::atomic<bool> abandoned{false};  // set when the run ends before it needs the token
  std::future<void> done;              // the background token(); errors stay in the client

  /// Abandons a request still under way (a usage or spec error ended the run before the
  /// session took the client over), so the error is reported at once, not after Keystone.
  ~EarlyToken();
};

/// Starts the token request in the background when the options allow it (see EarlyToken);
/// nullptr otherwise.
std::unique_ptr<EarlyToken> start_early_token(const RunOptions& options,
                                              const std::map<std::string, std::string>& assignment);

}  // namespace scs
