#pragma once

// The images the image standards judge, shared by scs-0101, scs-0102 and scs-0104.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "clients/openstack/openstack.hpp"

namespace scs::checks {

/// The public and community images of the project's Glance listing, in listing order: the
/// images a provider offers every customer (as in the official suite; private and shared
/// images belong to single projects).
std::vector<const nlohmann::json*> offered_images(OpenStack& openstack);

/// "image NAME (id ID)" for evidence.
std::string describe_image(const nlohmann::json& image);

/// The image's top-level property `key` as text ("" when absent or null; numbers and
/// booleans as JSON).
std::string image_property(const nlohmann::json& image, const std::string& key);

}  // namespace scs::checks
