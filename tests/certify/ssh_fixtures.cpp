#include "tests/certify/ssh_fixtures.hpp"

#include <fmt/format.h>
#include <catch2/catch.hpp>

#include "clients/process/subprocess.hpp"

namespace scs::test {

ToolResult run_tool(const std::vector<std::string>& argv, const std::string& input) {
  ProcessOptions options;
  options.argv = argv;
  options.stdin_data = input;
  const auto result = run_process(options);
  return {result.exit_code, result.out, result.err};
}

std::filesystem::path make_key(const TempDir& dir, const std::string& name, const std::string& type,
                               const std::string& passphrase) {
  const auto key = dir / name;
  const auto made =
      run_tool({"ssh-keygen", "-q", "-t", type, "-N", passphrase, "-C", name + "@test", "-f", key.string()});
  REQUIRE(made.exit_code == 0);
  return key;
}

std::string sample_report(const std::string& subject, const std::string& run_uuid) {
  return fmt::format(R"(---
spec:
  uuid: 50393e6f-2ae1-4c5c-a62c-3b75f2abef3f
  name: SCS-compatible IaaS
  url: https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/scs-compatible-iaas.yaml
checked_at: 2026-12-07 10:00:00.000000
reference_date: 2026-12-07
subject: {}
run:
  uuid: {}
  argv: []
  assignment: {{}}
  sections: null
  forced_version: null
  forced_tests: null
  invocations:
    {}:
      id: {}
      results:
        scs-0100-syntax-check: 1
        scs-0100-semantics-check: -1
        scs-0101-entropy-avail: 0
)",
                     subject, run_uuid, run_uuid, run_uuid);
}

}  // namespace scs::test
