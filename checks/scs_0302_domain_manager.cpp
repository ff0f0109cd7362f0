// scs-0302: the Domain Manager persona of Keystone. A user with the `manager` role on a domain
// manages the users, projects, groups and role assignments of that domain, and nothing else.
// https://docs.scs.community/standards/scs-0302-v1-domain-manager-role
//
// Judged by behaviour, as the customer meets it: with the cloud's admin account (the testcases
// say `required_role: admin`; the run needs --admin-cloud and --allow-privileged-roles) each
// testcase makes a fixture domain with a Domain Manager whose password is generated here and
// never shown, logs in as that user (password, scoped to the domain) and tries what the
// standard allows and what it forbids. Every Keystone object is journaled in the admin cloud's
// journal before it is created and deleted at the end (domains disabled first).
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "checks/resource_checks.hpp"
#include "clients/openstack/openstack.hpp"
#include "clients/openstack/resource_session.hpp"
#include "core/errors.hpp"

namespace scs::checks {

namespace {

using nlohmann::json;

// A password only this run knows: 32 characters from the kernel's random source. It goes into
// two request bodies (user create, token request) and nowhere else.
std::string generate_password() {
  constexpr std::string_view alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::random_device random;
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  std::string password;
  for (int i = 0; i < 32; ++i) password += alphabet[pick(random)];
  return password;
}

std::string id_in(const json& answer, const char* key) {
  if (!answer.is_object() || !answer.contains(key) || !answer[key].is_object() ||
      !answer[key].contains("id") || !answer[key]["id"].is_string()) {
    throw UnreachableError(fmt::format("Keystone's answer has no {}.id", key));
  }
  return answer[key]["id"].get<std::string>();
}

bool lists_id(const std::vector<json>& items, const std::string& id) {
  for (const auto& item : items) {
    if (item.is_object() && item.value("id", "") == id) return true;
  }
  return false;
}

// Refusals the standard wants for what lies outside the manager's domain or powers: 403, or
// 404 (Keystone hides what a token may not see). Anything else the API says decides nothing.
bool refused(const HttpError& error) { return error.status() == 403 || error.status() == 404; }

/// One testcase's fixture: domain A with its Domain Manager (and, when asked, domain B with a
/// user, a project and a group the manager must not reach), made with the admin account.
class Fixture {
 public:
  Fixture(Context& context, const Params& params)
      : admin_(context.admin_openstack()),
        transport_(context.admin_transport()),
        session_(admin_, context.admin_journal(), wait_policy(params)) {}

  /// The roles by name (admin's view); FAIL-worthy when `manager` is missing.
  std::string role_id(const std::string& name) {
    if (roles_.is_null()) {
      roles_ = json::object();
      for (const auto& role : admin_.get_all("identity", "/v3/roles", "roles")) {
        if (role.is_object() && role.contains("name") && role["name"].is_string())
          roles_[role["name"].get<std::string>()] = role.value("id", "");
      }
    }
    return roles_.value(name, "");
  }

  /// Makes domain A and its manager; returns false (nothing made) when there is no `manager` role.
  bool set_up(bool other_domain) {
    manager_role_ = role_id("manager");
    if (manager_role_.empty()) return false;
    domain_a_ = create_as(admin_, "domain", "0302-domain", "/v3/domains", json::object());
    const auto password = generate_password();
    manager_name_ = session_.name("0302-manager");
    manager_id_ = session_.create("user", manager_name_, [&] {
      return id_in(
          admin_.send_json(
              "POST", "identity", "/v3/users",
              json{{"user", {{"name", manager_name_}, {"domain_id", domain_a_}, {"password", password}}}}),
          "user");
    });
    admin_.send_json("PUT", "identity",
                     fmt::format("/v3/domains/{}/users/{}/roles/{}", domain_a_, manager_id_, manager_role_),
                     json::object());
    if (other_domain) {
      domain_b_ = create_as(admin_, "domain", "0302-other-domain", "/v3/domains", json::object());
      other_user_ = create_as(admin_, "user", "0302-other-user", "/v3/users", {{"domain_id", domain_b_}});
      other_project_ =
          create_as(admin_, "project", "0302-other-project", "/v3/projects", {{"domain_id", domain_b_}});
      other_group_ = create_as(admin_, "group", "0302-other-group", "/v3/groups", {{"domain_id", domain_b_}});
    }
    // The manager's own login: password, scoped to its domain, over the admin account's transport
    // (never recorded). Its token carries the manager role only.
    CloudConfig cloud = admin_.cloud();
    cloud.auth_type = "password";
    cloud.user_id.clear();
    cloud.username = manager_name_;
    cloud.user_domain_id = domain_a_;
    cloud.user_domain_name.clear();
    cloud.password = password;
    cloud.project_id.clear();
    cloud.project_name.clear();
    cloud.project_domain_id.clear();
    cloud.project_domain_name.clear();
    cloud.domain_id = domain_a_;
    cloud.domain_name.clear();
    cloud.application_credential_id.clear();
    cloud.application_credential_name.clear();
    cloud.application_credential_secret.clear();
    cloud.token.clear();
    manager_ = std::make_unique<OpenStack>(std::move(cloud), transport_);
    (void)manager_->token();
    return true;
  }

  /// Creates a Keystone object of `type` (journaled first) as `as`; `extra` goes into its body.
  std::string create_as(OpenStack& as, const std::string& type, const std::string& what,
                        const std::string& collection, const json& extra) {
    const auto name = session_.name(what);
    return session_.create(type, name, [&] {
      json object = extra;
      object["name"] = name;
      return id_in(as.send_json("POST", "identity", collection, json{{type, object}}), type.c_str());
    });
  }

  /// Deletes what is left (the manager's own deletions are confirmed as gone); problems as lines.
  std::vector<std::string> clean_up() { return session_.cleanup(); }

  OpenStack& admin() { return admin_; }
  OpenStack& manager() { return *manager_; }
  const std::string& domain_a() const { return domain_a_; }
  const std::string& domain_b() const { return domain_b_; }
  const std::string& manager_id() const { return manager_id_; }
  const std::string& other_user() const { return other_user_; }
  const std::string& other_project() const { return other_project_; }
  const std::string& other_group() const { return other_group_; }

 private:
  OpenStack& admin_;
  Transport& transport_;
  ResourceSession session_;
  json roles_;
  std::string manager_role_, domain_a_, domain_b_, manager_name_, manager_id_;
  std::string other_user_, other_project_, other_group_;
  std::unique_ptr<OpenStack> manager_;
};

/// What the manager was denied that the standard grants, or granted that it denies.
struct Findings {
  std::vector<Finding> list;
  int refusals_tried = 0;  // forbidden and hidden steps, for the passing summary

  // A step the standard allows: a 403 is a finding (and ends the testcase's further steps).
  bool allowed(const std::string& step, const std::function<void()>& action) {
    try {
      action();
      return true;
    } catch (const HttpError& error) {
      if (error.status() != 403) throw;
      list.push_back({"domain manager", fmt::format("may not {} (HTTP 403)", step)});
      return false;
    }
  }

  // A step the standard forbids: success is a finding.
  void forbidden(const std::string& step, const std::function<void()>& action) {
    ++refusals_tried;
    try {
      action();
    } catch (const HttpError& error) {
      if (refused(error)) return;
      throw;
    }
    list.push_back({"domain manager", fmt::format("could {}", step)});
  }

  // A listing of another domain's objects: refused, or answered without any of them.
  void hidden(const std::string& step, OpenStack& as, const std::string& path, const std::string& key,
              const std::string& domain) {
    ++refusals_tried;
    std::vector<json> items;
    try {
      items = as.get_all("identity", path, key);
    } catch (const HttpError& error) {
      if (refused(error)) return;
      throw;
    }
    for (const auto& item : items) {
      if (item.is_object() && item.value("domain_id", "") == domain) {
        list.push_back(
            {"domain manager", fmt::format("could {} (GET {} lists {})", step, path, item.value("id", ""))});
        return;
      }
    }
  }
};

Result verdict(Fixture& fixture, const Findings& findings, const std::string& passed,
               const std::string& failed) {
  const auto problems = fixture.clean_up();
  if (!findings.list.empty()) {
    std::vector<std::string> what;
    for (const auto& finding : findings.list) what.push_back(finding.message);
    return Result::fail(fmt::format("{}: {}", failed, fmt::join(what, "; ")), findings.list);
  }
  if (!problems.empty()) {
    return Result::abort(fmt::format("could not delete the fixture: {}", cleanup_summary(problems)));
  }
  return Result::pass(passed);
}

Result no_manager_role() {
  return Result::fail("the identity service has no role named 'manager'",
                      {{"role manager", "missing: scs-0302 requires it for the Domain Manager"}});
}

// --- the testcases -------------------------------------------------------------------------

Result manager_role_present(Context& context, const Params& params) {
  Fixture fixture(context, params);
  if (fixture.role_id("manager").empty()) return no_manager_role();
  return Result::pass("the identity service has the role 'manager'");
}

// The manager creates a user/project/group in its domain, finds it in the domain's listing,
// reads it, updates its description and deletes it.
Result manages(Context& context, const Params& params, const std::string& type, const std::string& plural) {
  Fixture fixture(context, params);
  if (!fixture.set_up(false)) return no_manager_role();
  auto& manager = fixture.manager();
  Findings findings;
  std::string id;
  const auto collection = fmt::format("/v3/{}", plural);
  [&] {
    if (!findings.allowed(fmt::format("create a {} in its domain", type), [&] {
          id = fixture.create_as(manager, type, "0302-" + type, collection,
                                 {{"domain_id", fixture.domain_a()}});
        }))
      return;
    if (!findings.allowed(fmt::format("list the {} of its domain", plural), [&] {
          const auto items = manager.get_all(
              "identity", fmt::format("{}?domain_id={}", collection, fixture.domain_a()), plural);
          if (!lists_id(items, id)) {
            findings.list.push_back({fmt::format("{} {}", type, id),
                                     "created by the manager but missing from its domain's listing"});
          }
        }))
      return;
    const auto item = fmt::format("{}/{}", collection, id);
    if (!findings.allowed(fmt::format("read a {} of its domain", type),
                          [&] { (void)manager.get_json("identity", item); }))
      return;
    if (!findings.allowed(fmt::format("update a {} of its domain", type), [&] {
          manager.send_json("PATCH", "identity", item,
                            json{{type, {{"description", "updated by scs-0302"}}}});
        }))
      return;
    findings.allowed(fmt::format("delete a {} of its domain", type),
                     [&] { (void)manager.delete_path("identity", item); });
  }();
  return verdict(fixture, findings,
                 fmt::format("the domain manager created, listed, read, updated and deleted a {}", type),
                 fmt::format("the domain manager cannot manage {}", plural));
}

Result manages_users(Context& context, const Params& params) {
  return manages(context, params, "user", "users");
}
Result manages_projects(Context& context, const Params& params) {
  return manages(context, params, "project", "projects");
}

// Groups: as users and projects, plus adding a user of the domain to the group and removing it.
Result manages_groups(Context& context, const Params& params) {
  auto result = manages(context, params, "group", "groups");
  if (result.status != Status::pass) return result;
  Fixture fixture(context, params);
  if (!fixture.set_up(false)) return no_manager_role();
  auto& manager = fixture.manager();
  Findings findings;
  const auto group = fixture.create_as(fixture.admin(), "group", "0302-group", "/v3/groups",
                                       {{"domain_id", fixture.domain_a()}});
  const auto user = fixture.create_as(fixture.admin(), "user", "0302-user", "/v3/users",
                                      {{"domain_id", fixture.domain_a()}});
  const auto membership = fmt::format("/v3/groups/{}/users/{}", group, user);
  [&] {
    if (!findings.allowed("add a user of its domain to a group of its domain",
                          [&] { manager.send_json("PUT", "identity", membership, json::object()); }))
      return;
    if (!findings.allowed("list the users of a group of its domain", [&] {
          if (!lists_id(manager.get_all("identity", fmt::format("/v3/groups/{}/users", group), "users"),
                        user)) {
            findings.list.push_back(
                {fmt::format("group {}", group), "the user added by the manager is not listed"});
          }
        }))
      return;
    findings.allowed("remove a user from a group of its domain",
                     [&] { (void)manager.delete_path("identity", membership); });
  }();
  return verdict(
      fixture, findings,
      "the domain manager created, listed, read, updated and deleted a group, and added and removed "
      "a member",
      "the domain manager cannot manage groups");
}

// The roles the CSP lets managers assign (param `roles`, default member): on a project of the
// domain and on the domain, to a user of the domain; checked by listing, then revoked.
Result assigns_roles(Context& context, const Params& params) {
  Fixture fixture(context, params);
  if (!fixture.set_up(false)) return no_manager_role();
  std::vector<std::string> roles{"member"};
  if (params.contains("roles")) roles = params.at("roles").get<std::vector<std::string>>();
  auto& manager = fixture.manager();
  Findings findings;
  const auto user = fixture.create_as(fixture.admin(), "user", "0302-user", "/v3/users",
                                      {{"domain_id", fixture.domain_a()}});
  const auto project = fixture.create_as(fixture.admin(), "project", "0302-project", "/v3/projects",
                                         {{"domain_id", fixture.domain_a()}});
  for (const auto& role : roles) {
    const auto role_id = fixture.role_id(role);
    if (role_id.empty()) {
      findings.list.push_back({fmt::format("role {}", role), "missing (the scope's roles param names it)"});
      continue;
    }
    for (const auto& place :
         {std::pair{fmt::format("/v3/projects/{}/users/{}/roles", project, user),
                    "on a project of its domain"},
          std::pair{fmt::format("/v3/domains/{}/users/{}/roles", fixture.domain_a(), user),
                    "on its domain"}}) {
      // References, not a structured binding: clang 14 (the fuzz build) cannot capture those.
      const auto& target = place.first;
      const auto* const what = place.second;
      const auto grant = fmt::format("{}/{}", target, role_id);
      if (!findings.allowed(fmt::format("assign {} {} to a user of its domain", role, what),
                            [&] { manager.send_json("PUT", "identity", grant, json::object()); }))
        continue;
      if (!findings.allowed(fmt::format("list the roles of a user {}", what), [&] {
            if (!lists_id(manager.get_all("identity", target, "roles"), role_id)) {
              findings.list.push_back({fmt::format("role {}", role),
                                       fmt::format("assigned {} by the manager but not listed", what)});
            }
          }))
        continue;
      findings.allowed(fmt::format("revoke {} {} from a user of its domain", role, what),
                       [&] { (void)manager.delete_path("identity", grant); });
    }
  }
  return verdict(fixture, findings,
                 fmt::format("the domain manager assigned and revoked {} on a project and on its domain",
                             fmt::join(roles, ", ")),
                 "the domain manager cannot assign the roles the CSP permits");
}

// `admin` is never assignable by a manager: not to a user of its domain (on a project or the
// domain), not to itself.
Result cannot_assign_admin(Context& context, const Params& params) {
  Fixture fixture(context, params);
  if (!fixture.set_up(false)) return no_manager_role();
  const auto admin_role = fixture.role_id("admin");
  if (admin_role.empty()) return Result::abort("the identity service has no 'admin' role to try");
  auto& manager = fixture.manager();
  Findings findings;
  const auto user = fixture.create_as(fixture.admin(), "user", "0302-user", "/v3/users",
                                      {{"domain_id", fixture.domain_a()}});
  const auto project = fixture.create_as(fixture.admin(), "project", "0302-project", "/v3/projects",
                                         {{"domain_id", fixture.domain_a()}});
  const auto put = [&](const std::string& path) {
    manager.send_json("PUT", "identity", path, json::object());
  };
  findings.forbidden("assign admin on a project of its domain to a user of its domain", [&] {
    put(fmt::format("/v3/projects/{}/users/{}/roles/{}", project, user, admin_role));
  });
  findings.forbidden("assign admin on its domain to a user of its domain", [&] {
    put(fmt::format("/v3/domains/{}/users/{}/roles/{}", fixture.domain_a(), user, admin_role));
  });
  findings.forbidden("assign admin on its domain to itself", [&] {
    put(fmt::format("/v3/domains/{}/users/{}/roles/{}", fixture.domain_a(), fixture.manager_id(),
                    admin_role));
  });
  // Whatever was granted goes with the fixture's users and domain.
  return verdict(
      fixture, findings,
      fmt::format("the domain manager was refused the admin role ({} attempts)", findings.refusals_tried),
      "the domain manager can hand out admin");
}

// Nothing of another domain is visible or changeable.
Result stays_in_domain(Context& context, const Params& params) {
  Fixture fixture(context, params);
  if (!fixture.set_up(true)) return no_manager_role();
  auto& manager = fixture.manager();
  Findings findings;
  const auto b = fixture.domain_b();
  const auto member = fixture.role_id("member");
  const auto hidden = [&](const std::string& step, const std::string& path, const std::string& key) {
    findings.hidden(step, manager, path, key, b);
  };
  findings.forbidden("read the other domain",
                     [&] { (void)manager.get_json("identity", "/v3/domains/" + b); });
  hidden("list the other domain's users", fmt::format("/v3/users?domain_id={}", b), "users");
  hidden("see the other domain's users in an unfiltered listing", "/v3/users", "users");
  hidden("list the other domain's projects", fmt::format("/v3/projects?domain_id={}", b), "projects");
  hidden("list the other domain's groups", fmt::format("/v3/groups?domain_id={}", b), "groups");
  findings.forbidden("read a user of the other domain",
                     [&] { (void)manager.get_json("identity", "/v3/users/" + fixture.other_user()); });
  findings.forbidden("read a project of the other domain",
                     [&] { (void)manager.get_json("identity", "/v3/projects/" + fixture.other_project()); });
  findings.forbidden("update a user of the other domain", [&] {
    manager.send_json("PATCH", "identity", "/v3/users/" + fixture.other_user(),
                      json{{"user", {{"description", "changed by scs-0302"}}}});
  });
  findings.forbidden("create a project in the other domain", [&] {
    (void)fixture.create_as(manager, "project", "0302-foreign-project", "/v3/projects", {{"domain_id", b}});
  });
  findings.forbidden("create a user in the other domain", [&] {
    (void)fixture.create_as(manager, "user", "0302-foreign-user", "/v3/users", {{"domain_id", b}});
  });
  findings.forbidden("delete a group of the other domain",
                     [&] { (void)manager.delete_path("identity", "/v3/groups/" + fixture.other_group()); });
  if (!member.empty()) {
    findings.forbidden("assign member on a project of the other domain to a user of it", [&] {
      manager.send_json("PUT", "identity",
                        fmt::format("/v3/projects/{}/users/{}/roles/{}", fixture.other_project(),
                                    fixture.other_user(), member),
                        json::object());
    });
    findings.forbidden("assign itself member on a project of the other domain", [&] {
      manager.send_json("PUT", "identity",
                        fmt::format("/v3/projects/{}/users/{}/roles/{}", fixture.other_project(),
                                    fixture.manager_id(), member),
                        json::object());
    });
  }
  return verdict(fixture, findings,
                 fmt::format("the domain manager could neither see nor change another domain ({} attempts)",
                             findings.refusals_tried),
                 "the domain manager reaches beyond its domain");
}

// Domains and roles stay the CSP's: no new domain, no new role, no change to an existing one.
Result cannot_change_domains_or_roles(Context& context, const Params& params) {
  Fixture fixture(context, params);
  if (!fixture.set_up(false)) return no_manager_role();
  auto& manager = fixture.manager();
  Findings findings;
  const auto role = fixture.create_as(fixture.admin(), "role", "0302-role", "/v3/roles", json::object());
  findings.forbidden("create a domain", [&] {
    (void)fixture.create_as(manager, "domain", "0302-manager-domain", "/v3/domains", json::object());
  });
  findings.forbidden("create a role", [&] {
    (void)fixture.create_as(manager, "role", "0302-manager-role", "/v3/roles", json::object());
  });
  findings.forbidden("update a role", [&] {
    manager.send_json("PATCH", "identity", "/v3/roles/" + role, json{{"role", {{"description", "changed"}}}});
  });
  findings.forbidden("delete a role", [&] { (void)manager.delete_path("identity", "/v3/roles/" + role); });
  return verdict(fixture, findings, "the domain manager could not create domains or roles, nor change them",
                 "the domain manager can change domains or roles");
}

}  // namespace

void register_scs_0302(Registry& registry) {
  registry.add("domain-manager-role-present", manager_role_present);
  registry.add("domain-manager-manages-users", manages_users);
  registry.add("domain-manager-manages-projects", manages_projects);
  registry.add("domain-manager-manages-groups", manages_groups);
  registry.add("domain-manager-assigns-roles", assigns_roles);
  registry.add("domain-manager-cannot-assign-admin", cannot_assign_admin);
  registry.add("domain-manager-stays-in-domain", stays_in_domain);
  registry.add("domain-manager-cannot-change-domains-or-roles", cannot_change_domains_or_roles);
}

}  // namespace scs::checks
