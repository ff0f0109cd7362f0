#include "tests/support/kube_harness.hpp"

#include <exception>
#include <fstream>
#include <random>

#include <fmt/format.h>

#include "checks/checks.hpp"
#include "clients/kubernetes/kube_config.hpp"
#include "clients/kubernetes/kubernetes.hpp"
#include "core/registry.hpp"

namespace scs::testing {

namespace {

int line_count(const std::filesystem::path& file) {
  std::ifstream in(file);
  int lines = 0;
  std::string line;
  while (std::getline(in, line)) ++lines;
  return lines;
}

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
  journal_records_.push_back(journal_file_.empty() ? 0 : line_count(journal_file_));
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

int KubeHarness::journal_records_before(std::string_view method, std::string_view url_part) const {
  const std::lock_guard lock(mutex_);
  for (std::size_t i = 0; i < requests_.size(); ++i) {
    if (requests_[i].starts_with(fmt::format("{} ", method)) &&
        requests_[i].find(url_part) != std::string::npos)
      return journal_records_[i];
  }
  return -1;
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
  std::random_device random;
  const auto run_id = fmt::format("{:06x}", random() & 0xffffffU);
  const auto dir = std::filesystem::temp_directory_path() / ("scs-kube-harness-" + run_id);
  Result result;
  {
    ResourceJournal journal(dir, "harness", config.context, "", run_id);
    {
      const std::lock_guard lock(mutex_);
      journal_file_ = journal.file();
    }
    Context context(nullptr, this, [now] { return now; });
    context.with_kubernetes(&kubernetes)
        .with_variables(std::move(variables))
        .with_cluster_journal(&journal)
        .with_processes(processes_)
        .with_standards_dir(std::string(SCS_SOURCE_DIR) + "/standards");
    try {
      result = (*fn)(context, params);
    } catch (const std::exception& error) {
      result = Result::abort(error.what());
    }
    open_entries_ = journal.open_entries();
    const std::lock_guard lock(mutex_);
    journal_file_.clear();
  }
  std::filesystem::remove_all(dir);
  return result;
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
