#include "core/registry.hpp"

#include <stdexcept>

namespace scs {

void Registry::add(std::string key, CheckFn check) {
  if (!checks_.emplace(key, std::move(check)).second) {
    throw std::logic_error("check registered twice: " + key);
  }
}

const CheckFn* Registry::find(std::string_view key) const {
  const auto it = checks_.find(key);
  return it == checks_.end() ? nullptr : &it->second;
}

std::vector<std::string> Registry::keys() const {
  std::vector<std::string> keys;
  keys.reserve(checks_.size());
  for (const auto& [key, check] : checks_) keys.push_back(key);
  return keys;
}

}  // namespace scs
