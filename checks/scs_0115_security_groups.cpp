// scs-0115: default rules of security groups. No ingress except from the group itself (only
// in the default group), egress open for IPv4 and IPv6.
// https://docs.scs.community/standards/scs-0115-v1-default-rules-for-security-groups
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "checks/resource_checks.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_session.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

using nlohmann::json;

std::string text_of(const json& rule, const char* key) {
  const auto it = rule.find(key);
  if (it == rule.end() || it->is_null()) return {};
  return it->is_string() ? it->get<std::string>() : it->dump();
}

// "ingress IPv4 tcp 22-22 from 0.0.0.0/0"
std::string describe_rule(const json& rule) {
  auto text = fmt::format("{} {}", text_of(rule, "direction"), text_of(rule, "ethertype"));
  const auto protocol = text_of(rule, "protocol");
  text += protocol.empty() ? " any protocol" : " " + protocol;
  const auto min = text_of(rule, "port_range_min"), max = text_of(rule, "port_range_max");
  if (!min.empty()) text += fmt::format(" ports {}-{}", min, max);
  if (const auto prefix = text_of(rule, "remote_ip_prefix"); !prefix.empty()) text += " from/to " + prefix;
  if (const auto group = text_of(rule, "remote_group_id"); !group.empty()) text += " remote group " + group;
  return text;
}

bool open_egress(const json& rule) {
  const auto prefix = text_of(rule, "remote_ip_prefix");
  return text_of(rule, "protocol").empty() && text_of(rule, "port_range_min").empty() &&
         text_of(rule, "remote_group_id").empty() &&
         (prefix.empty() || prefix == "0.0.0.0/0" || prefix == "::/0");
}

// The default-security-group-rules API (Neutron ≥ 2023.2): the templates new groups get.
Result judge_templates(const std::vector<json>& rules) {
  std::vector<Finding> evidence;
  bool egress[2][2] = {};  // [IPv4, IPv6][default group, other groups]
  for (const auto& rule : rules) {
    const auto subject = fmt::format("default rule {}", text_of(rule, "id"));
    const bool in_default = rule.value("used_in_default_sg", false);
    const bool in_custom = rule.value("used_in_non_default_sg", false);
    if (text_of(rule, "direction") == "ingress") {
      if (text_of(rule, "remote_group_id") == "PARENT" && !in_custom) continue;
      evidence.push_back(
          {subject,
           fmt::format("{} is ingress ({}{})", describe_rule(rule), in_default ? "default group" : "",
                       in_custom ? (in_default ? ", other groups" : "other groups") : "")});
      continue;
    }
    const auto ethertype = text_of(rule, "ethertype");
    if (!open_egress(rule) || (ethertype != "IPv4" && ethertype != "IPv6")) continue;
    auto& flags = egress[ethertype == "IPv6" ? 1 : 0];
    flags[0] = flags[0] || in_default;
    flags[1] = flags[1] || in_custom;
  }
  for (int family = 0; family < 2; ++family) {
    for (int group = 0; group < 2; ++group) {
      if (egress[family][group]) continue;
      evidence.push_back({fmt::format("egress {}", family == 0 ? "IPv4" : "IPv6"),
                          fmt::format("no open egress rule for {} groups", group == 0 ? "default" : "new")});
    }
  }
  if (!evidence.empty())
    return Result::fail("the default security group rules break scs-0115", std::move(evidence));
  return Result::pass(
      fmt::format("{} default security group rules: no ingress but from the group itself, egress "
                  "open for IPv4 and IPv6",
                  rules.size()));
}

// Without that API: a new group shows the defaults it was given.
Result judge_new_group(const std::string& name, const std::vector<json>& rules) {
  std::vector<Finding> evidence;
  bool egress[2] = {false, false};
  for (const auto& rule : rules) {
    if (text_of(rule, "direction") == "ingress") {
      evidence.push_back({fmt::format("rule {} of new group {}", text_of(rule, "id"), name),
                          fmt::format("{}: a new group must not allow ingress", describe_rule(rule))});
    } else if (open_egress(rule)) {
      const auto ethertype = text_of(rule, "ethertype");
      if (ethertype == "IPv4") egress[0] = true;
      if (ethertype == "IPv6") egress[1] = true;
    }
  }
  for (int family = 0; family < 2; ++family) {
    if (egress[family]) continue;
    evidence.push_back({fmt::format("new group {}", name),
                        fmt::format("has no open {} egress rule", family == 0 ? "IPv4" : "IPv6")});
  }
  if (!evidence.empty()) {
    return Result::fail(fmt::format("a new security group gets rules scs-0115 does not allow"),
                        std::move(evidence));
  }
  return Result::pass(
      fmt::format("a new security group has no ingress and open IPv4 and IPv6 egress ({} rules; "
                  "checked by creating and deleting {}, as this Neutron has no "
                  "default-security-group-rules API)",
                  rules.size(), name));
}

Result default_rules(Context& context, const Params& params) {
  auto& openstack = context.openstack();
  try {
    return judge_templates(
        openstack.get_all("network", "/v2.0/default-security-group-rules", "default_security_group_rules"));
  } catch (const HttpError& error) {
    if (error.status() != 404) throw;  // 404: this Neutron predates the API
  }
  ResourceSession session(openstack, context.journal(), wait_policy(params));
  const auto name = session.name("secgroup");
  const auto id = session.create("security_group", name, [&] {
    const json body{{"security_group", {{"name", name}, {"description", "scs-0115 default rules test"}}}};
    return openstack.send_json("POST", "network", "/v2.0/security-groups", body)["security_group"].value("id",
                                                                                                         "");
  });
  const auto group = openstack.get_json("network", "/v2.0/security-groups/" + id)["security_group"];
  std::vector<json> rules;
  if (const auto it = group.find("security_group_rules"); it != group.end() && it->is_array())
    rules.assign(it->begin(), it->end());
  auto result = judge_new_group(name, rules);
  if (const auto problems = session.cleanup(); !problems.empty()) {
    return Result::abort(fmt::format("the test group could not be deleted: {}", cleanup_summary(problems)));
  }
  return result;
}

}  // namespace

void register_scs_0115(Registry& registry) { registry.add("security-group-default-rules", default_rules); }

}  // namespace scs::checks
