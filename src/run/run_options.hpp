#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace scs {

/// Options of `scs-conformance run`; the names follow the official scs-compliance-check.py
/// where they overlap (--subject, --date, --version, --tests, --sections, --assign, --output).
struct RunOptions {
  std::string scope_file;
  // --scope given more than once: run_command() certifies the same subject against each scope
  // in turn, one run and one set of reports per scope (see run_command()).
  std::vector<std::string> extra_scope_files;
  std::optional<std::string> os_cloud;
  std::optional<std::string> subject;
  std::optional<std::string> date;
  std::optional<std::string> version;
  std::optional<std::string> tests;
  std::optional<std::vector<std::string>> sections;
  std::vector<std::string> assignments;        // KEY=VALUE
  std::vector<std::string> attestation_files;  // --attest: results of manual testcases (run/attestations.hpp)
  std::optional<std::string> output_yaml, output_json, output_junit, output_markdown, output_html;
  std::optional<std::string> record_dir, replay_dir;
  // Kubernetes (KaaS scopes): the cluster and the scope variables the official KaaS scope uses.
  std::optional<std::string> kubeconfig;      // one file; else KUBECONFIG, ~/.kube/config, in-cluster
  std::optional<std::string> context;         // else current-context
  std::optional<std::string> work_dir;        // → subject_root: where long-running tools keep results
  std::optional<std::string> execution_mode;  // parallel | serial | dry → execution_mode
  bool offline = false;                       // → offline=true: no network but the cloud/cluster
  unsigned parallel = 64;  // read-only testcases at once: most wait for a memoised collection
  std::chrono::seconds budget{120};
  bool read_only = false;            // leave out the testcases that create resources
  bool include_recommended = false;  // also run the "-rec" modules' testcases (never deciding)
  bool include_unscoped = false;     // also run the testcases no module lists (never deciding)
  bool quiet = false;
  bool colour = false;
  bool allow_privileged_roles = false;  // run although the token has admin or manager
  // The clouds.yaml entry of an admin account, for the testcases with required_role admin
  // (scs-0302); used only together with allow_privileged_roles.
  std::optional<std::string> admin_cloud;
  bool token_cache = true;               // keep Keystone tokens between runs (--no-token-cache)
  std::optional<std::string> state_dir;  // the journal's directory (default: state_directory())
  std::vector<std::string> argv;         // as given, for the report
  // Certification: sign the YAML report and upload it (run_command() only, after writing).
  std::optional<std::string> sign_key;
  std::optional<std::string> upload_url;
  std::optional<std::string> monitor_credentials;  // else $SCS_MONITOR_USER/$SCS_MONITOR_PASSWORD
};

}  // namespace scs
