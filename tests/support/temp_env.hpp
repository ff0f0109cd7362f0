#pragma once

// Scaffolding of tests that touch the file system or the process environment: a fresh
// temporary directory, and environment variables set for one test and restored afterwards.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace scs::test {

/// A fresh directory under $TMPDIR (or /tmp), named `<prefix>-XXXXXX`, removed with
/// everything in it.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "scs-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::filesystem::path operator/(const std::filesystem::path& relative) const {
    return path_ / relative;
  }
  /// Writes `text` to `relative` (creating its directories) and returns the full path.
  std::filesystem::path write(const std::filesystem::path& relative, const std::string& text) const;

 private:
  std::filesystem::path path_;
};

/// Sets environment variables for the lifetime of the object and restores what was there
/// before (set or unset).
class ScopedEnv {
 public:
  ScopedEnv() = default;
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

  void set(const std::string& name, const std::string& value);
  void unset(const std::string& name);
  /// Unsets every variable whose name starts with `prefix` ("OS_").
  void unset_prefixed(std::string_view prefix);

 private:
  void remember(const std::string& name);
  std::map<std::string, std::optional<std::string>> saved_;
};

/// The whole content of a file, bytes as they are; throws when it cannot be read.
std::string read_text(const std::filesystem::path& path);
/// Writes `text` to `path`, creating its directories; throws when that fails.
void write_text(const std::filesystem::path& path, const std::string& text);

}  // namespace scs::test
