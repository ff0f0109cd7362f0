#include "spec/spec_cache_key.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "core/files.hpp"
#include "spec/build_identity.hpp"

namespace scs {

namespace {

namespace fs = std::filesystem;

// Bump when what the loaders make of the same bytes changes (a parser fix, a field added to a
// spec struct or to spec_json.cpp): entries of an older format are then never read. The build
// identity catches that too for a rebuilt binary; this also covers a build that keeps its
// version, commit and executable timestamp (a package rebuilt from a patched source).
constexpr int spec_cache_format = 1;

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("SHA-256 unavailable");
  }

  // Each part with its length first, so that no two different lists of parts hash alike.
  void add(std::string_view part) {
    const auto size = static_cast<std::uint64_t>(part.size());
    if (EVP_DigestUpdate(context_.get(), &size, sizeof size) != 1 ||
        EVP_DigestUpdate(context_.get(), part.data(), part.size()) != 1)
      throw std::runtime_error("SHA-256 failed");
  }

  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1)
      throw std::runtime_error("SHA-256 failed");
    std::string text;
    for (unsigned int i = 0; i < length; ++i) text += fmt::format("{:02x}", digest[i]);
    return text;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

std::optional<std::string> key_of(std::string_view kind, const std::vector<std::string>& files) {
  try {
    Sha256 hash;
    hash.add(fmt::format("scs-conformance spec cache {}, {}", spec_cache_format, build_identity()));
    hash.add(kind);
    hash.add(std::to_string(files.size()));
    for (const auto& file : files) {
      hash.add(file);
      hash.add(read_file(file));
    }
    return hash.hex();
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::string> standards_cache_key(const std::string& directory) {
  // The same files as load_standards: regular *.yaml directly in the directory, by file name.
  std::vector<fs::path> paths;
  std::error_code error;
  for (fs::directory_iterator it(directory, error), end; !error && it != end; it.increment(error)) {
    std::error_code ignored;  // as load_standards: what cannot be stat'ed is no regular file
    if (it->is_regular_file(ignored) && it->path().extension() == ".yaml") paths.push_back(it->path());
  }
  if (error) return std::nullopt;
  std::sort(paths.begin(), paths.end(),
            [](const auto& a, const auto& b) { return a.filename() < b.filename(); });
  std::vector<std::string> files;
  for (const auto& path : paths) files.push_back(path.string());
  return key_of(fmt::format("standards in {}", directory), files);
}

std::optional<std::string> scope_cache_key(const std::string& path) { return key_of("scope", {path}); }

}  // namespace scs
