#include "clients/openstack/keystone_auth.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/errors.hpp"

namespace scs::keystone {

namespace {

using nlohmann::json;

/// {"id": …} or {"name": …} of a domain; null when neither is known.
json domain(const std::string& id, const std::string& name) {
  if (!id.empty()) return {{"id", id}};
  if (!name.empty()) return {{"name", name}};
  return nullptr;
}

/// A user by id, or by name within its domain.
json user(const CloudConfig& cloud) {
  if (!cloud.user_id.empty()) return {{"id", cloud.user_id}};
  json out = {{"name", cloud.username}};
  if (auto d = domain(cloud.user_domain_id, cloud.user_domain_name); !d.is_null())
    out["domain"] = std::move(d);
  return out;
}

json scope(const CloudConfig& cloud) {
  if (!cloud.project_id.empty()) return {{"project", {{"id", cloud.project_id}}}};
  if (!cloud.project_name.empty()) {
    json project = {{"name", cloud.project_name}};
    if (auto d = domain(cloud.project_domain_id, cloud.project_domain_name); !d.is_null()) {
      project["domain"] = std::move(d);
    }
    return {{"project", std::move(project)}};
  }
  if (auto d = domain(cloud.domain_id, cloud.domain_name); !d.is_null()) return {{"domain", std::move(d)}};
  return nullptr;  // unscoped: no catalog, but a valid token
}

std::string text(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string token_url(std::string_view auth_url) {
  std::string base(auth_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with("/v3")) return base + "/auth/tokens";
  if (base.ends_with("/v2.0")) base.resize(base.size() - 5);  // v2 is gone; its v3 sibling is not
  return base + "/v3/auth/tokens";
}

std::string auth_request_body(const CloudConfig& cloud) {
  json identity;
  const bool application_credential = cloud.auth_type == "v3applicationcredential";
  if (application_credential) {
    json credential = {{"secret", cloud.application_credential_secret}};
    if (!cloud.application_credential_id.empty()) {
      credential["id"] = cloud.application_credential_id;
    } else {
      credential["name"] = cloud.application_credential_name;
      credential["user"] = user(cloud);
    }
    identity = {{"methods", {"application_credential"}}, {"application_credential", std::move(credential)}};
  } else if (cloud.auth_type == "token" || cloud.auth_type == "v3token") {
    identity = {{"methods", {"token"}}, {"token", {{"id", cloud.token}}}};
  } else {
    json password_user = user(cloud);
    password_user["password"] = cloud.password;
    identity = {{"methods", {"password"}}, {"password", {{"user", std::move(password_user)}}}};
  }
  json auth = {{"identity", std::move(identity)}};
  // An application credential carries its own scope; Keystone rejects another one.
  if (!application_credential) {
    if (auto s = scope(cloud); !s.is_null()) auth["scope"] = std::move(s);
  }
  return json{{"auth", std::move(auth)}}.dump();
}

TokenInfo parse_token(const json& body) {
  if (!body.is_object() || !body.contains("token") || !body["token"].is_object()) {
    throw UnreachableError("Keystone's token answer has no 'token' object");
  }
  const json& token = body["token"];
  TokenInfo info;
  if (const auto it = token.find("user"); it != token.end() && it->is_object()) {
    info.user_id = text(*it, "id");
    info.user_name = text(*it, "name");
  }
  if (const auto it = token.find("project"); it != token.end() && it->is_object()) {
    info.project_id = text(*it, "id");
    info.project_name = text(*it, "name");
  }
  if (const auto it = token.find("expires_at"); it != token.end() && it->is_string()) {
    info.expires_at = it->get<std::string>();
  }
  if (const auto it = token.find("roles"); it != token.end() && it->is_array()) {
    for (const auto& role : *it) {
      if (role.is_object()) info.roles.push_back(text(role, "name"));
    }
  }
  // The catalog decides which services the cloud has: one of another shape, or none, would
  // let every service testcase judge an answer that is not the cloud's.
  const auto catalog = token.find("catalog");
  if (catalog == token.end() || !catalog->is_array() || catalog->empty()) {
    throw UnreachableError("Keystone's token answer has no catalog (is the cloud's project scope right?)");
  }
  const auto string_member = [](const json& object, const char* key, std::string_view what) {
    const auto it = object.find(key);
    if (it == object.end() || !it->is_string()) {
      throw UnreachableError(
          fmt::format("Keystone's token answer has a catalog {} whose '{}' is {}", what, key,
                      it == object.end() ? "missing" : std::string("a ") + it->type_name()));
    }
    return it->get<std::string>();
  };
  for (const auto& service : *catalog) {
    if (!service.is_object()) {
      throw UnreachableError(
          fmt::format("Keystone's token answer has a catalog entry that is a {}", service.type_name()));
    }
    CatalogEntry entry{string_member(service, "type", "service"), text(service, "name"), {}};
    const auto eps = service.find("endpoints");
    if (eps == service.end() || !eps->is_array()) {
      throw UnreachableError(fmt::format(
          "Keystone's token answer has a catalog service '{}' without an endpoints list", entry.type));
    }
    for (const auto& ep : *eps) {
      if (!ep.is_object()) {
        throw UnreachableError(fmt::format("Keystone's token answer has an endpoint of '{}' that is a {}",
                                           entry.type, ep.type_name()));
      }
      std::string region = text(ep, "region_id");
      if (region.empty()) region = text(ep, "region");
      entry.endpoints.push_back({string_member(ep, "interface", "endpoint"), std::move(region),
                                 string_member(ep, "url", "endpoint")});
    }
    info.catalog.push_back(std::move(entry));
  }
  return info;
}

}  // namespace scs::keystone
