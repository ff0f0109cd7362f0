#include "core/context.hpp"

#include "core/errors.hpp"

namespace scs {

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

ResourceJournal& Context::cluster_journal() const {
  if (cluster_journal_ == nullptr)
    throw Error("this run keeps no resource journal for the cluster, so it cannot create resources");
  return *cluster_journal_;
}

}  // namespace scs
