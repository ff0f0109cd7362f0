// clouds.yaml, secure.yaml and clouds-public.yaml (src/clients/openstack/cloud_config.hpp
// resolve_cloud). The input holds the three files and, optionally, the cloud to select, separated
// by lines "#@@"; they are written to this process's scratch directory, which is also the
// working directory and the only place the search path can find anything.
#include <cstdlib>

#include "clients/openstack/cloud_config.hpp"
#include "fuzz_support.hpp"

extern "C" char** environ;

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // No OS_* variable may add an `envvars` cloud or move the files; no home, no XDG directories
  // outside the scratch directory.
  std::vector<std::string> names;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view item(*entry);
    if (item.starts_with("OS_")) names.emplace_back(item.substr(0, item.find('=')));
  }
  for (const auto& name : names) ::unsetenv(name.c_str());
  const auto dir = scs::fuzz::scratch();
  ::setenv("HOME", (dir / "home").c_str(), 1);
  ::setenv("XDG_CONFIG_HOME", (dir / "xdg").c_str(), 1);
  ::setenv("XDG_CONFIG_DIRS", (dir / "xdg-dirs").c_str(), 1);
  std::filesystem::current_path(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parts = scs::fuzz::split(scs::fuzz::text_of(data, size), "\n#@@\n");
  const auto clouds = scs::fuzz::put_file("clouds.yaml", parts[0]);
  scs::fuzz::put_file("secure.yaml", parts.size() > 1 ? parts[1] : "");
  scs::fuzz::put_file("clouds-public.yaml", parts.size() > 2 ? parts[2] : "");
  scs::CloudSelection selection;
  selection.config_file = clouds.string();
  if (parts.size() > 3 && !parts[3].empty()) selection.cloud = std::string(parts[3]);
  scs::fuzz::contract([&] {
    const auto cloud = scs::resolve_cloud(selection);
    (void)cloud.secrets();
  });
  return 0;
}
