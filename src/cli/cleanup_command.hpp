#pragma once

#include <iosfwd>
#include <optional>
#include <string>

namespace scs {

struct CleanupOptions {
  std::optional<std::string> os_cloud;    // default: $OS_CLOUD
  std::optional<std::string> kubeconfig;  // a cluster instead of (or with --os-cloud, besides) a cloud
  std::optional<std::string> context;     // the kubeconfig context; default: current-context
  std::optional<std::string> state_dir;   // default: state_directory()
  bool dry_run = false;
};

/// `scs-conformance cleanup`: deletes what journals of earlier runs still list, plus everything
/// named with the tool's prefix (except what live runs own): in an OpenStack project in
/// dependency order, in a Kubernetes cluster (--kubeconfig/--context) the namespaces with the
/// tool's label. Prints one line per object. Returns 0 when nothing is left, 1 when something
/// could not be deleted; with --dry-run only lists what it would delete (0).
int cleanup_command(const CleanupOptions& options, std::ostream& out);

}  // namespace scs
