#pragma once

// Keys made by the real ssh-keygen for the signature tests, in a temporary directory.

#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/temp_env.hpp"

namespace scs::test {

struct ToolResult {
  int exit_code = -1;
  std::string out, err;
};

/// Runs a program without a shell (stdin from `input`), capturing its output.
ToolResult run_tool(const std::vector<std::string>& argv, const std::string& input = {});

/// `ssh-keygen -t TYPE -N PASSPHRASE -f DIR/NAME -C COMMENT`; returns the private key's path
/// (the public key is beside it, NAME.pub). Fails the test when ssh-keygen does.
std::filesystem::path make_key(const TempDir& dir, const std::string& name,
                               const std::string& type = "ed25519", const std::string& passphrase = "");

/// A report as `run -o` writes it (small, but with every field the monitor reads).
std::string sample_report(const std::string& subject = "cloud-a",
                          const std::string& run_uuid = "0b9a3fdc-1f4e-4c6f-9d0e-3a7c1b2d4e5f");

}  // namespace scs::test
