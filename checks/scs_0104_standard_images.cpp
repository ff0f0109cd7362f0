// scs-0104: standard images. v1 judges them against the image spec the scope names (image_spec);
// https://docs.scs.community/standards/scs-0104-v1-standard-images
// v2 (Draft, our own testcase ids) selects them by properties: checks/standard_images_v2.cpp.
// https://docs.scs.community/standards/scs-0104-v2-standard-images
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <yaml-cpp/yaml.h>

#include "checks/checks.hpp"
#include "checks/images.hpp"
#include "checks/standard_images_v2.hpp"
#include "clients/http/http.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

struct SpecImage {
  std::string name;
  std::string name_scheme;  // a regex matched at the start of the image name; empty: exact name
  std::vector<std::string> sources;
  std::string status = "optional";
};

// The official spec URLs and our bundled copies (standards/data/), so runs need no network.
const std::map<std::string, std::string>& bundled_specs() {
  static const std::map<std::string, std::string> specs{
      {"https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/iaas/"
       "scs-0104-v1-images-v5.yaml",
       "scs-0104-v1-images-v5.yaml"},
      {"https://raw.githubusercontent.com/SovereignCloudStack/standards/main/Tests/iaas/"
       "scs-0104-v1-images.yaml",
       "scs-0104-v1-images.yaml"},
  };
  return specs;
}

// The spec's text: a bundled copy, an https URL fetched through the run's transport (recorded
// and replayed like the API calls), or a local file (relative to the working directory, read
// through the Context like the bundled ones).
std::string spec_text(Context& context, const std::string& spec) {
  if (const auto it = bundled_specs().find(spec); it != bundled_specs().end())
    return context.data_file(it->second);
  if (spec.starts_with("https://") || spec.starts_with("http://")) {
    HttpRequest request;
    request.url = spec;
    const auto response = context.transport().send(request);
    if (response.status != 200) throw Error(fmt::format("GET {} answered HTTP {}", spec, response.status));
    return response.body;
  }
  return context.data_file(std::filesystem::absolute(spec).string());
}

std::vector<SpecImage> parse_spec(const std::string& text, const std::string& origin) {
  std::vector<SpecImage> images;
  try {
    const auto root = YAML::Load(text);
    if (!root["images"] || !root["images"].IsSequence())
      throw Error(fmt::format("the image spec {} has no 'images' list", origin));
    for (const auto& node : root["images"]) {
      SpecImage image;
      image.name = node["name"].as<std::string>();
      if (node["name_scheme"]) image.name_scheme = node["name_scheme"].as<std::string>();
      if (node["status"]) image.status = node["status"].as<std::string>();
      const auto source = node["source"];
      if (source && source.IsSequence()) {
        for (const auto& prefix : source) image.sources.push_back(prefix.as<std::string>());
      } else if (source) {
        image.sources.push_back(source.as<std::string>());
      }
      images.push_back(std::move(image));
    }
  } catch (const YAML::Exception& error) {
    throw Error(fmt::format("the image spec {} is no valid spec: {}", origin, error.what()));
  }
  return images;
}

// The spec entry the testcase is about (params.image), with the testcase's own naming scheme
// if it has one (capi-1 and capi-2 judge the two schemes against the one capi entry).
std::optional<SpecImage> spec_entry(Context& context, const Params& params) {
  if (const auto it = params.find("image_spec"); it == params.end() || !it->is_string()) {
    // A testcase the scope defines but no module of the version lists (run with
    // --include-unscoped) gets no image spec: there is nothing to judge the images against.
    throw Error("no image_spec parameter: the scope version does not pass one to this testcase");
  }
  const auto spec = params.at("image_spec").get<std::string>();
  const auto wanted = params.at("image").get<std::string>();
  for (auto& image : parse_spec(spec_text(context, spec), spec)) {
    if (image.name != wanted) continue;
    if (params.contains("name_scheme")) image.name_scheme = params.at("name_scheme").get<std::string>();
    return image;
  }
  return std::nullopt;
}

std::vector<const nlohmann::json*> matching(OpenStack& openstack, const SpecImage& spec) {
  std::vector<const nlohmann::json*> found;
  const std::regex scheme(spec.name_scheme.empty() ? std::string("^$") : spec.name_scheme);
  for (const auto* image : offered_images(openstack)) {
    const auto name = image_property(*image, "name");
    const bool match = spec.name_scheme.empty()
                           ? name == spec.name
                           : std::regex_search(name, scheme, std::regex_constants::match_continuous);
    if (match) found.push_back(image);
  }
  return found;
}

std::string what(const SpecImage& spec) {
  return spec.name_scheme.empty() ? spec.name
                                  : fmt::format("{} (names matching {})", spec.name, spec.name_scheme);
}

Result not_in_spec(const Params& params) {
  return Result::not_applicable(fmt::format("the image spec {} does not list {}, so it sets no rule for it",
                                            params.at("image_spec").get<std::string>(),
                                            params.at("image").get<std::string>()));
}

// Every offered image of the entry comes from one of its sources.
Result image_source(Context& context, const Params& params) {
  const auto spec = spec_entry(context, params);
  if (!spec) return not_in_spec(params);
  const auto images = matching(context.openstack(), *spec);
  if (images.empty())
    return Result::not_applicable(fmt::format("no public image {} is offered", what(*spec)));
  std::vector<Finding> evidence;
  for (const auto* image : images) {
    const auto source = image_property(*image, "image_source");
    const bool ok = std::any_of(spec->sources.begin(), spec->sources.end(),
                                [&](const std::string& prefix) { return source.starts_with(prefix); });
    if (ok) continue;
    evidence.push_back({describe_image(*image),
                        fmt::format("image_source {} is not under {}", source.empty() ? "(none)" : source,
                                    fmt::join(spec->sources, " or "))});
  }
  if (!evidence.empty()) {
    auto summary =
        fmt::format("{} of {} images {} come from elsewhere", evidence.size(), images.size(), what(*spec));
    return Result::fail(std::move(summary), std::move(evidence));
  }
  return Result::pass(
      fmt::format("all {} images {} come from the spec's sources", images.size(), what(*spec)));
}

// Some offered image has the entry's name (or matches its scheme).
Result image_offered(Context& context, const Params& params) {
  const auto spec = spec_entry(context, params);
  if (!spec) return not_in_spec(params);
  const auto images = matching(context.openstack(), *spec);
  if (images.empty()) {
    return Result::fail(
        fmt::format("no public image {} is offered ({} in the spec)", what(*spec), spec->status),
        {{fmt::format("image {}", spec->name), "no public or community image has this name"}});
  }
  std::vector<std::string> names;
  for (const auto* image : images) names.push_back(describe_image(*image));
  return Result::pass(fmt::format("offered: {}", fmt::join(names, ", ")));
}

}  // namespace

void register_scs_0104(Registry& registry) {
  registry.add("standard-image-source", image_source);
  registry.add("standard-image-offered", image_offered);
  registry.add("standard-image-v2-release-offered", standard_release_image_offered);
  registry.add("standard-image-v2-vendor-source", generic_image_vendor_source);
  registry.add("standard-image-v2-capi-properties", capi_image_properties);
  registry.add("standard-image-v2-capi-offered", capi_image_offered);
}

}  // namespace scs::checks
