#include "checks/images.hpp"

#include <fmt/format.h>

namespace scs::checks {

std::vector<const nlohmann::json*> offered_images(OpenStack& openstack) {
  std::vector<const nlohmann::json*> offered;
  for (const auto& image : openstack.images()) {
    const auto visibility = image_property(image, "visibility");
    if (visibility == "public" || visibility == "community") offered.push_back(&image);
  }
  return offered;
}

std::string describe_image(const nlohmann::json& image) {
  return fmt::format("image {} (id {})", image_property(image, "name"), image_property(image, "id"));
}

std::string image_property(const nlohmann::json& image, const std::string& key) {
  if (!image.is_object()) return {};
  const auto it = image.find(key);
  if (it == image.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace scs::checks
