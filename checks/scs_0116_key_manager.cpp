// scs-0116: key manager. Presence in the catalog, and that the member role may use it.
// https://docs.scs.community/standards/scs-0116-v1-key-manager-standard
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "checks/resource_checks.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_session.hpp"
#include "core/cancellation.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

// The catalog lists a key-manager service with an endpoint this cloud's users would call (the
// configured interface, and region if one is configured). A catalog entry without such an
// endpoint is as good as none for the customer, so it fails and names what is there.
Result key_manager_present(Context& context, const Params&) {
  auto& openstack = context.openstack();
  const auto& cloud = openstack.cloud();
  std::vector<std::string> elsewhere;
  for (const auto& entry : openstack.catalog()) {
    if (entry.type != "key-manager") continue;
    for (const auto& endpoint : entry.endpoints) {
      if (endpoint.interface == cloud.interface &&
          (cloud.region_name.empty() || endpoint.region == cloud.region_name)) {
        return Result::pass(
            fmt::format("the catalog lists key-manager service {} at {}", entry.name, endpoint.url));
      }
      elsewhere.push_back(fmt::format("{} {} in {}", entry.name, endpoint.interface,
                                      endpoint.region.empty() ? "no region" : endpoint.region));
    }
  }
  if (elsewhere.empty()) {
    return Result::fail("no key-manager service in the catalog",
                        {{"service key-manager", "not in the token's service catalog"}});
  }
  const std::string region = cloud.region_name.empty() ? std::string() : " in region " + cloud.region_name;
  return Result::fail(fmt::format("the key-manager service has no {} endpoint{}", cloud.interface, region),
                      {{"service key-manager",
                        fmt::format("only these endpoints are listed: {}", fmt::join(elsewhere, ", "))}});
}

bool has_key_manager(OpenStack& openstack) {
  for (const auto& entry : openstack.catalog()) {
    if (entry.type == "key-manager") return true;
  }
  return false;
}

// The secret's id is the last segment of its href.
std::string secret_id(const std::string& ref) { return ref.substr(ref.rfind('/') + 1); }

// As the member role the run uses: create a secret, list and find it, read it, delete it.
// scs-0116 requires member to be as good as Barbican's `creator`, so a 403 anywhere is a FAIL
// naming the step; other errors could not decide anything and ABORT. Without a key manager
// the standard does not apply (N/A, which counts as passed).
Result key_manager_permissions(Context& context, const Params& params) {
  auto& openstack = context.openstack();
  if (!has_key_manager(openstack)) return Result::not_applicable("no key-manager service in the catalog");
  ResourceSession session(openstack, context.journal(), wait_policy(params));
  const auto name = session.name("secret");
  std::string step = "create a secret";
  try {
    const auto id = session.create("secret", name, [&] {
      // The payload is not secret: a fixed marker, so that recordings replay.
      const nlohmann::json body{{"name", name},
                                {"payload", "scs-conformance key manager test"},
                                {"payload_content_type", "text/plain"},
                                {"secret_type", "opaque"}};
      return secret_id(
          openstack.send_json("POST", "key-manager", "/v1/secrets", body).value("secret_ref", ""));
    });
    step = "list secrets";
    bool listed = false;
    const auto listing = fmt::format("/v1/secrets?name={}", name);
    // Barbican's name and secret_ref are strings; another type is the API misbehaving, not a
    // secret missing from the listing.
    const auto text = [&](const nlohmann::json& item, const char* key) {
      const auto it = item.find(key);
      if (it == item.end() || it->is_null()) return std::string();
      if (!it->is_string()) {
        throw UnreachableError(fmt::format("GET {} answered a secret whose '{}' is a {}, not a string",
                                           listing, key, it->type_name()));
      }
      return it->get<std::string>();
    };
    for (const auto& item : openstack.get_all("key-manager", listing, "secrets")) {
      if (text(item, "name") == name && secret_id(text(item, "secret_ref")) == id) listed = true;
    }
    if (!listed) {
      session.cleanup();
      return Result::fail(fmt::format("secret {} was created but is not in the listing", name),
                          {{fmt::format("secret {}", name), "missing from GET /v1/secrets?name=…"}});
    }
    step = "read the secret's metadata";
    openstack.get_json("key-manager", fmt::format("/v1/secrets/{}", id));
    step = "delete the secret";
    const auto problems = session.cleanup();
    if (!problems.empty()) {
      return Result::fail(fmt::format("secret {} could not be deleted: {}", name, cleanup_summary(problems)),
                          {{fmt::format("secret {}", name), cleanup_summary(problems)}});
    }
  } catch (const HttpError& error) {
    if (error.status() != 403) throw;
    return Result::fail(fmt::format("the member role may not {} (HTTP 403)", step),
                        {{"key-manager policy", fmt::format("{}: {}", step, error.what())}});
  }
  return Result::pass(fmt::format("as member: created, listed, read and deleted secret {}", name));
}

}  // namespace

void register_scs_0116(Registry& registry) {
  registry.add("key-manager-present", key_manager_present);
  registry.add("key-manager-member-permissions", key_manager_permissions);
}

}  // namespace scs::checks
