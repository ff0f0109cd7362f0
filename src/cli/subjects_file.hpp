#pragma once

// The subjects of a batch (`scs-conformance batch SUBJECTS.yaml`):
//
//   subjects:
//     - name: provider-a              # [A-Za-z0-9._-]+, unique: names OUT/provider-a/
//       scopes: [scs-compatible-iaas] # scope files, or names of the bundled scopes; default IaaS
//       os_cloud: provider-a          # and/or kubeconfig (+ context) for KaaS scopes
//       kubeconfig: /etc/scs/a.kubeconfig
//       context: admin@a
//       replay: recordings/a          # instead of a live cloud: a recording
//       read_only: true
//       version: v5.1
//       sign_key: /etc/scs/sign.key   # sign each YAML report; upload: true or the monitor's URL
//       upload: true

#include <optional>
#include <string>
#include <vector>

namespace scs {

struct Subject {
  std::string name;
  int line = 0;  // in the subjects file, for messages
  std::vector<std::string> scopes;
  std::optional<std::string> os_cloud, kubeconfig, context, replay, version, sign_key, upload;
  bool read_only = false;
};

/// Reads and checks the whole file before anything runs: unknown keys, a missing or repeated
/// name, a scope file that does not exist are SpecError "file:line: …".
std::vector<Subject> read_subjects(const std::string& file, const std::string& standards_dir);

}  // namespace scs
