#include "tests/support/kube_harness.hpp"

#include <exception>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "clients/kube_config.hpp"
#include "clients/kubernetes.hpp"
#include "core/registry.hpp"

namespace scs::testing {

namespace {

bool matches(const KubeAnswer& answer, const HttpRequest& request) {
  if (answer.method != request.method) return false;
  if (answer.url_part.ends_with('$'))
    return request.url.ends_with(answer.url_part.substr(0, answer.url_part.size() - 1));
  return request.url.find(answer.url_part) != std::string::npos;
}

}  // namespace

KubeHarness& KubeHarness::answer(KubeAnswer answer) {
  const std::lock_guard lock(mutex_);
  answers_.push_back(std::move(answer));
  return *this;
}

HttpResponse KubeHarness::send(const HttpRequest& request) {
  const std::lock_guard lock(mutex_);
  requests_.push_back(fmt::format("{} {}", request.method, request.url));
  for (auto& answer : answers_) {
    if (answer.times == 0 || !matches(answer, request)) continue;
    if (answer.times > 0) --answer.times;
    return {answer.status, {{"Content-Type", "application/json"}}, answer.body};
  }
  return {
      404,
      {{"Content-Type", "application/json"}},
      R"({"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404})"};
}

std::vector<std::string> KubeHarness::requests() const {
  const std::lock_guard lock(mutex_);
  return requests_;
}

int KubeHarness::count(std::string_view method, std::string_view url_part) const {
  const std::lock_guard lock(mutex_);
  int n = 0;
  for (const auto& line : requests_) {
    if (line.starts_with(fmt::format("{} ", method)) && line.find(url_part) != std::string::npos) ++n;
  }
  return n;
}

Result KubeHarness::run(const std::string& check, const Params& params,
                        std::map<std::string, std::string> variables,
                        std::chrono::system_clock::time_point now) {
  KubeConfig config;
  config.context = "harness";
  config.cluster_name = "harness";
  config.user_name = "harness-admin";
  config.server = std::string(server);
  config.token = std::string(token);
  Kubernetes kubernetes(config, *this);
  Registry registry;
  checks::register_all_checks(registry);
  const auto* fn = registry.find(check);
  if (fn == nullptr) return Result::abort("no check " + check);
  Context context(nullptr, this, [now] { return now; });
  context.with_kubernetes(&kubernetes).with_variables(std::move(variables));
  try {
    return (*fn)(context, params);
  } catch (const std::exception& error) {
    return Result::abort(error.what());
  }
}

std::chrono::system_clock::time_point at(std::string_view date) {
  const int year = std::stoi(std::string(date.substr(0, 4)));
  const auto month = static_cast<unsigned>(std::stoi(std::string(date.substr(5, 2))));
  const auto day = static_cast<unsigned>(std::stoi(std::string(date.substr(8, 2))));
  const std::chrono::sys_days days{std::chrono::year{year} / std::chrono::month{month} /
                                   std::chrono::day{day}};
  return std::chrono::system_clock::time_point(days) + std::chrono::hours(12);
}

}  // namespace scs::testing
