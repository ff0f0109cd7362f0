#include "core/context.hpp"

#include "core/errors.hpp"

namespace scs {

OpenStack& Context::openstack() const {
  if (openstack_ == nullptr) throw Error("this run has no OpenStack cloud (use --os-cloud or OS_CLOUD)");
  return *openstack_;
}

Transport& Context::transport() const {
  if (transport_ == nullptr) throw Error("this run has no network transport");
  return *transport_;
}

}  // namespace scs
