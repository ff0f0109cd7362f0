#include "core/registry.hpp"

#include <stdexcept>

namespace scs {

void Registry::add(std::string key, CheckFn check, CodeLocation where) {
  if (!checks_.emplace(key, Entry{std::move(check), where}).second) {
    throw std::logic_error("check registered twice: " + key);
  }
}

const CheckFn* Registry::find(std::string_view key) const {
  const auto it = checks_.find(key);
  return it == checks_.end() ? nullptr : &it->second.check;
}

const CodeLocation* Registry::registered_at(std::string_view key) const {
  const auto it = checks_.find(key);
  return it == checks_.end() ? nullptr : &it->second.where;
}

std::vector<std::string> Registry::keys() const {
  std::vector<std::string> keys;
  keys.reserve(checks_.size());
  for (const auto& [key, entry] : checks_) keys.push_back(key);
  return keys;
}

}  // namespace scs
