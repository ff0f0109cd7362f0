#include "core/context.hpp"

#include <mutex>

#include "core/data_dir.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"

namespace scs {

struct Context::DataFiles {
  std::mutex mutex;
  std::optional<std::filesystem::path> standards_dir;
  std::map<std::filesystem::path, std::string> files;  // nodes are stable: references stay valid
};

Context::Context(OpenStack* openstack, Transport* transport, Clock clock)
    : openstack_(openstack),
      transport_(transport),
      clock_(std::move(clock)),
      data_(std::make_shared<DataFiles>()) {}

Context& Context::with_standards_dir(std::filesystem::path dir) {
  const std::lock_guard lock(data_->mutex);
  data_->standards_dir = std::move(dir);
  data_->files.clear();
  return *this;
}

const std::filesystem::path& Context::standards_dir() const {
  const std::lock_guard lock(data_->mutex);
  if (!data_->standards_dir) data_->standards_dir = locate_standards_dir();
  return *data_->standards_dir;
}

std::filesystem::path Context::data_path(std::string_view name) const {
  return standards_dir() / "data" / std::filesystem::path(name);
}

const std::string& Context::data_file(std::string_view name) const {
  const auto path = data_path(name);
  const std::lock_guard lock(data_->mutex);
  if (const auto it = data_->files.find(path); it != data_->files.end()) return it->second;
  return data_->files.emplace(path, read_file(path, "the data file")).first->second;
}

ProcessRunner& Context::processes() const {
  if (processes_ == nullptr) throw Error("this run cannot start programs (it has no process runner)");
  return *processes_;
}

OpenStack& Context::openstack() const {
  if (openstack_ == nullptr) throw Error("this run has no OpenStack cloud (use --os-cloud or OS_CLOUD)");
  return *openstack_;
}

Kubernetes& Context::kubernetes() const {
  if (kubernetes_ == nullptr)
    throw Error("this run has no Kubernetes cluster (use --kubeconfig or KUBECONFIG)");
  return *kubernetes_;
}

Transport& Context::transport() const {
  if (transport_ == nullptr) throw Error("this run has no network transport");
  return *transport_;
}

ResourceJournal& Context::journal() const {
  if (journal_ == nullptr) throw Error("this run keeps no resource journal, so it cannot create resources");
  return *journal_;
}

namespace {
// One line, naming what the user must add: the admin account is never given by default.
constexpr const char* no_admin =
    "needs the cloud's admin account: run with --allow-privileged-roles --admin-cloud CLOUD "
    "(a clouds.yaml entry with the admin role), and only testcases with required_role admin get it";
}  // namespace

OpenStack& Context::admin_openstack() const {
  if (admin_openstack_ == nullptr) throw Error(no_admin);
  return *admin_openstack_;
}

ResourceJournal& Context::admin_journal() const {
  if (admin_journal_ == nullptr) throw Error(no_admin);
  return *admin_journal_;
}

Transport& Context::admin_transport() const {
  if (admin_transport_ == nullptr) throw Error(no_admin);
  return *admin_transport_;
}

ResourceJournal& Context::cluster_journal() const {
  if (cluster_journal_ == nullptr)
    throw Error("this run keeps no resource journal for the cluster, so it cannot create resources");
  return *cluster_journal_;
}

}  // namespace scs
