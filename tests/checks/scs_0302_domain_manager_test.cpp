// scs-0302 against a fake Keystone that enforces a policy the test picks: the scs-0302 Domain
// Manager rules, Keystone's defaults (the manager may do nothing), or a leaky policy (a manager
// may do anything anywhere). The fake keeps real state (domains, users, projects, groups, roles,
// grants, memberships), so the tests also see that the fixture is cleaned up: every journal
// entry closed, nothing left in the fake, domains disabled before their deletion.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "checks/checks.hpp"
#include "clients/journal/resource_journal.hpp"
#include "clients/openstack/openstack.hpp"
#include "core/context.hpp"
#include "core/errors.hpp"
#include "core/registry.hpp"
#include "run/runner.hpp"
#include "tests/support/temp_env.hpp"

using nlohmann::json;
using scs::Status;

namespace {

enum class Policy { domain_manager, defaults, leaky };

constexpr const char* base = "http://keystone.test/v3";

class FakeKeystone final : public scs::Transport {
 public:
  explicit FakeKeystone(Policy policy, bool manager_role = true) : policy_(policy) {
    for (const auto* role : {"admin", "member", "reader", "load-balancer_member"}) add_role(role);
    if (manager_role) add_role("manager");
  }

  Policy policy_;
  std::string fail_path;  // a request whose path starts with this answers 500
  std::string fail_method;
  std::map<std::string, json> objects;           // id -> {type, name, domain_id, enabled}
  std::set<std::string> grants;                  // "scope/target/user/role"
  std::set<std::string> members;                 // "group/user"
  std::map<std::string, std::string> passwords;  // user id -> password
  std::vector<std::string> bodies;               // every request body, to look for secrets
  int enabled_domain_deletes = 0;
  std::size_t initial = 0;

  [[nodiscard]] std::size_t count(const std::string& type) const {
    return static_cast<std::size_t>(std::count_if(
        objects.begin(), objects.end(), [&](const auto& entry) { return entry.second["type"] == type; }));
  }

  scs::HttpResponse send(const scs::HttpRequest& request) override {
    bodies.push_back(request.body);
    std::string path = request.url.substr(std::string(base).size());
    std::string query;
    if (const auto q = path.find('?'); q != std::string::npos) {
      query = path.substr(q + 1);
      path.resize(q);
    }
    if (!fail_path.empty() && path.starts_with(fail_path) &&
        (fail_method.empty() || fail_method == request.method)) {
      return {500, {}, R"({"error": {"code": 500, "message": "boom"}})"};
    }
    if (path == "/auth/tokens") return authenticate(json::parse(request.body));
    std::string who;
    for (const auto& [name, value] : request.headers) {
      if (name == "X-Auth-Token") who = value.substr(4);  // "tok-" + user id
    }
    return handle(request.method, split(path), query,
                  request.body.empty() ? json() : json::parse(request.body), who);
  }

 private:
  int next_ = 0;

  void add_role(const std::string& name) { objects["role-" + name] = {{"type", "role"}, {"name", name}}; }

  static std::vector<std::string> split(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= path.size()) {
      const auto slash = path.find('/', start);
      parts.push_back(path.substr(start, slash - start));
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    return parts;
  }

  static scs::HttpResponse answer(long status, const json& body = nullptr) {
    return {status, {}, body.is_null() ? std::string() : body.dump()};
  }
  static scs::HttpResponse forbidden() { return answer(403, {{"error", {{"code", 403}}}}); }
  static scs::HttpResponse missing() { return answer(404, {{"error", {{"code", 404}}}}); }

  scs::HttpResponse authenticate(const json& body) {
    const auto& user = body["auth"]["identity"]["password"]["user"];
    const json catalog = json::array(
        {{{"type", "identity"},
          {"name", "keystone"},
          {"endpoints",
           json::array({{{"interface", "public"}, {"region_id", "RegionOne"}, {"url", base}}})}}});
    std::string id = "admin";
    json roles = json::array({{{"name", "admin"}}});
    if (user.value("name", "") != "admin") {
      id.clear();
      for (const auto& [key, object] : objects) {
        if (object["type"] == "user" && object["name"] == user.value("name", "")) id = key;
      }
      if (id.empty() || passwords[id] != user.value("password", ""))
        return answer(401, {{"error", {{"code", 401}}}});
      roles = json::array();
      for (const auto& grant : grants) {
        if (grant.find("/" + id + "/") != std::string::npos) {
          roles.push_back({{"name", objects[grant.substr(grant.rfind('/') + 1)]["name"]}});
        }
      }
    }
    json token = {{"user", {{"id", id}, {"name", user.value("name", "")}}},
                  {"roles", roles},
                  {"catalog", catalog},
                  {"expires_at", "2099-01-01T00:00:00.000000Z"}};
    return {201, {{"X-Subject-Token", "tok-" + id}}, json{{"token", token}}.dump()};
  }

  // The manager's domain: where it holds `manager` (only the domain-scoped grant counts).
  [[nodiscard]] std::string manager_domain(const std::string& who) const {
    for (const auto& grant : grants) {
      if (grant.starts_with("domains/") && grant.ends_with("/" + who + "/role-manager")) {
        return grant.substr(8, grant.find('/', 8) - 8);
      }
    }
    return {};
  }

  // The policy: what `who` may do to something of `domain` (with `role` for grants).
  [[nodiscard]] bool may(const std::string& who, const std::string& action, const std::string& domain,
                         const std::string& role = {}) const {
    if (who == "admin") return true;
    const auto own = manager_domain(who);
    if (own.empty()) return false;
    switch (policy_) {
      case Policy::defaults:
        return false;
      case Policy::leaky:
        return true;
      case Policy::domain_manager:
        if (action == "create_domain" || action == "write_role" || action == "get_other_domain") return false;
        if (action == "list_roles") return true;
        if (action == "grant" && role != "member" && role != "load-balancer_member") return false;
        return domain == own;
    }
    return false;
  }

  std::string domain_of(const std::string& id) {
    if (!objects.contains(id)) return {};
    const auto& object = objects[id];
    return object["type"] == "domain" ? id : object.value("domain_id", "");
  }

  scs::HttpResponse handle(const std::string& method, const std::vector<std::string>& p,
                           const std::string& query, const json& body, const std::string& who) {
    static const std::map<std::string, std::string> singular{{"domains", "domain"},
                                                             {"users", "user"},
                                                             {"projects", "project"},
                                                             {"groups", "group"},
                                                             {"roles", "role"}};
    const auto& collection = p.at(0);
    const auto type = singular.at(collection);
    // Grants: /{projects|domains}/T/users/U/roles[/R]
    if (p.size() >= 5 && p[2] == "users" && p[4] == "roles") {
      const auto& target = p[1];
      const auto& user = p[3];
      if (!objects.contains(target) || !objects.contains(user)) return missing();
      const bool same = domain_of(target) == domain_of(user);
      if (p.size() == 5) {
        if (!may(who, "grant", same ? domain_of(target) : "", "member")) return forbidden();
        json roles = json::array();
        for (const auto& grant : grants) {
          if (grant.starts_with(fmt::format("{}/{}/{}/", collection, target, user))) {
            roles.push_back({{"id", grant.substr(grant.rfind('/') + 1)}});
          }
        }
        return answer(200, {{"roles", roles}});
      }
      const auto& role = p[5];
      if (!objects.contains(role)) return missing();
      if (!may(who, "grant", same ? domain_of(target) : "", objects[role]["name"])) return forbidden();
      const auto key = fmt::format("{}/{}/{}/{}", collection, target, user, role);
      if (method == "PUT") grants.insert(key);
      if (method == "DELETE") grants.erase(key);
      return answer(204);
    }
    // Group membership: /groups/G/users[/U]
    if (collection == "groups" && p.size() >= 3 && p[2] == "users") {
      const auto& group = p[1];
      if (!objects.contains(group)) return missing();
      if (!may(who, "member", domain_of(group))) return forbidden();
      if (p.size() == 3) {
        json users = json::array();
        for (const auto& member : members) {
          if (member.starts_with(group + "/")) users.push_back({{"id", member.substr(group.size() + 1)}});
        }
        return answer(200, {{"users", users}});
      }
      if (method == "PUT") members.insert(group + "/" + p[3]);
      if (method == "DELETE") members.erase(group + "/" + p[3]);
      return answer(204);
    }
    if (p.size() == 1 && method == "GET") {
      if (type == "role") {
        if (!may(who, "list_roles", "")) return forbidden();
      } else {
        std::string domain;
        if (query.starts_with("domain_id=")) domain = query.substr(10);
        if (who != "admin" && domain.empty()) domain = manager_domain(who);  // Keystone's default filter
        if (!may(who, "list", domain)) return forbidden();
      }
      json items = json::array();
      for (const auto& [id, object] : objects) {
        if (object["type"] != type) continue;
        if (query.starts_with("name=") && object["name"] != query.substr(5)) continue;
        if (query.starts_with("domain_id=") && object.value("domain_id", "") != query.substr(10)) continue;
        if (who != "admin" && type != "role" && policy_ != Policy::leaky &&
            object.value("domain_id", "") != manager_domain(who))
          continue;
        json item = object;
        item["id"] = id;
        items.push_back(item);
      }
      return answer(200, {{collection, items}, {"links", {{"next", nullptr}}}});
    }
    if (p.size() == 1 && method == "POST") {
      json object = body.at(type);
      const std::string domain = type == "domain" ? "" : object.value("domain_id", "");
      const auto action = type == "domain" ? "create_domain" : type == "role" ? "write_role" : "create";
      if (!may(who, action, domain)) return forbidden();
      const auto id = fmt::format("{}-{}", type, ++next_);
      if (object.contains("password")) {
        passwords[id] = object["password"];
        object.erase("password");
      }
      object["type"] = type;
      if (type == "domain") object["enabled"] = true;
      objects[id] = object;
      json out = object;
      out["id"] = id;
      return answer(201, {{type, out}});
    }
    const auto& id = p.at(1);
    if (!objects.contains(id) || objects[id]["type"] != type) return missing();
    const auto domain = domain_of(id);
    std::string action = type == "role" ? "write_role" : "write";
    if (type == "domain" && method == "GET") action = "get_other_domain";
    if (type == "domain" && method != "GET") action = "create_domain";
    if (method == "GET" && type != "domain") action = "read";
    if (type == "domain" && method == "GET" && domain == manager_domain(who)) action = "read";
    if (!may(who, action, domain)) return forbidden();
    if (method == "GET") return answer(200, {{type, objects[id]}});
    if (method == "PATCH") {
      objects[id].update(body.at(type));
      return answer(200, {{type, objects[id]}});
    }
    if (method == "DELETE") {
      if (type == "domain" && objects[id].value("enabled", true)) {
        ++enabled_domain_deletes;
        return forbidden();
      }
      // A domain takes what it holds with it, as Keystone's does.
      for (auto it = objects.begin(); it != objects.end();) {
        if (it->first == id || (type == "domain" && it->second.value("domain_id", "") == id)) {
          it = objects.erase(it);
        } else {
          ++it;
        }
      }
      return answer(204);
    }
    return answer(405);
  }
};

scs::CloudConfig admin_cloud() {
  scs::CloudConfig cloud;
  cloud.name = "fake-admin";
  cloud.auth_type = "password";
  cloud.auth_url = base;
  cloud.username = "admin";
  cloud.password = "admin-password";
  cloud.user_domain_name = "Default";
  cloud.project_name = "admin";
  cloud.project_domain_name = "Default";
  cloud.region_name = "RegionOne";
  return cloud;
}

struct Outcome {
  scs::Result result;
  std::size_t open = 0;
};

// Runs one scs-0302 check with the admin account on `keystone`, as the runner would hand it.
Outcome run_0302(FakeKeystone& keystone, const std::string& check,
                 const scs::Params& params = {{"poll_seconds", 0}}) {
  scs::Registry registry;
  scs::checks::register_scs_0302(registry);
  const scs::test::TempDir state("scs-0302-test");
  scs::OpenStack admin(admin_cloud(), keystone);
  scs::ResourceJournal journal(state.path(), "fake-admin", "RegionOne", "admin", "abc123");
  scs::Context context(nullptr, nullptr);
  context.with_admin(&admin, &journal, &keystone);
  keystone.initial = keystone.objects.size();
  Outcome outcome;
  try {
    outcome.result = (*registry.find(check))(context, params);
  } catch (const scs::Error& error) {
    outcome.result = scs::Result::abort(error.what());
  }
  outcome.open = journal.open_entries().size();
  return outcome;
}

const std::vector<std::string> all_checks{
    "domain-manager-role-present",     "domain-manager-manages-users",
    "domain-manager-manages-projects", "domain-manager-manages-groups",
    "domain-manager-assigns-roles",    "domain-manager-cannot-assign-admin",
    "domain-manager-stays-in-domain",  "domain-manager-cannot-change-domains-or-roles"};

}  // namespace

TEST_CASE("scs-0302 passes every testcase with the Domain Manager policy, and cleans up",
          "[checks][scs-0302]") {
  for (const auto& check : all_checks) {
    FakeKeystone keystone(Policy::domain_manager);
    const auto outcome = run_0302(keystone, check);
    INFO(check << ": " << outcome.result.summary);
    CHECK(outcome.result.status == Status::pass);
    CHECK(outcome.open == 0);
    CHECK(keystone.objects.size() == keystone.initial);  // domains, users, projects, groups, roles gone
    CHECK(keystone.count("domain") == 0);
    CHECK(keystone.enabled_domain_deletes == 0);  // disabled before the delete
  }
}

TEST_CASE("scs-0302 fails what Keystone's default policy denies a manager, naming the step",
          "[checks][scs-0302]") {
  for (const auto& check : {"domain-manager-manages-users", "domain-manager-manages-projects",
                            "domain-manager-manages-groups", "domain-manager-assigns-roles"}) {
    FakeKeystone keystone(Policy::defaults);
    const auto outcome = run_0302(keystone, check);
    INFO(check << ": " << outcome.result.summary);
    CHECK(outcome.result.status == Status::fail);
    CHECK_THAT(outcome.result.summary, Catch::Contains("(HTTP 403)"));
    CHECK(outcome.open == 0);
    CHECK(keystone.count("domain") == 0);
  }
  // What the standard forbids stays forbidden under the defaults.
  for (const auto& check : {"domain-manager-cannot-assign-admin", "domain-manager-stays-in-domain",
                            "domain-manager-cannot-change-domains-or-roles"}) {
    FakeKeystone keystone(Policy::defaults);
    CHECK(run_0302(keystone, check).result.status == Status::pass);
  }
}

TEST_CASE("scs-0302 fails a manager that reaches beyond its domain or hands out admin",
          "[checks][scs-0302]") {
  {
    FakeKeystone keystone(Policy::leaky);
    const auto outcome = run_0302(keystone, "domain-manager-cannot-assign-admin");
    CHECK(outcome.result.status == Status::fail);
    CHECK_THAT(outcome.result.summary, Catch::Contains("could assign admin on its domain to itself"));
    CHECK(outcome.open == 0);
    CHECK(keystone.objects.size() == keystone.initial);
  }
  {
    FakeKeystone keystone(Policy::leaky);
    const auto outcome = run_0302(keystone, "domain-manager-stays-in-domain");
    CHECK(outcome.result.status == Status::fail);
    CHECK_THAT(outcome.result.summary, Catch::Contains("could read the other domain"));
    CHECK_THAT(outcome.result.summary, Catch::Contains("could create a project in the other domain"));
    CHECK(outcome.open == 0);  // the project it could create went with the rest
    CHECK(keystone.objects.size() == keystone.initial);
  }
  {
    FakeKeystone keystone(Policy::leaky);
    const auto outcome = run_0302(keystone, "domain-manager-cannot-change-domains-or-roles");
    CHECK(outcome.result.status == Status::fail);
    CHECK_THAT(outcome.result.summary, Catch::Contains("could create a domain"));
    CHECK(outcome.open == 0);
    CHECK(keystone.objects.size() == keystone.initial);
  }
}

TEST_CASE("scs-0302 fails every testcase without a manager role", "[checks][scs-0302]") {
  for (const auto& check : all_checks) {
    FakeKeystone keystone(Policy::domain_manager, false);
    const auto outcome = run_0302(keystone, check);
    CHECK(outcome.result.status == Status::fail);
    CHECK_THAT(outcome.result.summary, Catch::Contains("no role named 'manager'"));
    CHECK(keystone.objects.size() == keystone.initial);
  }
}

TEST_CASE("scs-0302 aborts on API errors and still deletes what it made", "[checks][scs-0302]") {
  FakeKeystone keystone(Policy::domain_manager);
  keystone.fail_path = "/projects";
  keystone.fail_method = "POST";
  const auto outcome = run_0302(keystone, "domain-manager-manages-projects");
  CHECK(outcome.result.status == Status::abort);
  CHECK_THAT(outcome.result.summary,
             Catch::Contains("POST http://keystone.test/v3/projects answered HTTP 500"));
  CHECK(outcome.open == 0);
  CHECK(keystone.count("domain") == 0);
  CHECK(keystone.count("user") == 0);
}

TEST_CASE("scs-0302 never shows the generated password", "[checks][scs-0302]") {
  FakeKeystone keystone(Policy::defaults);
  const auto outcome = run_0302(keystone, "domain-manager-manages-users");
  REQUIRE(keystone.passwords.size() == 1);
  const auto password = keystone.passwords.begin()->second;
  CHECK(password.size() == 32);
  CHECK(outcome.result.summary.find(password) == std::string::npos);
  for (const auto& finding : outcome.result.evidence) {
    CHECK(finding.message.find(password) == std::string::npos);
    CHECK(finding.subject.find(password) == std::string::npos);
  }
}

TEST_CASE("scs-0302 refuses to run without the admin account, saying which options", "[checks][scs-0302]") {
  scs::Registry registry;
  scs::checks::register_scs_0302(registry);
  FakeKeystone keystone(Policy::domain_manager);
  scs::OpenStack admin(admin_cloud(), keystone);
  const scs::test::TempDir state("scs-0302-test");
  scs::ResourceJournal journal(state.path(), "fake-admin", "RegionOne", "admin", "abc123");
  scs::Context plain(nullptr, nullptr);
  scs::Context with_admin(plain);
  with_admin.with_admin(&admin, &journal, &keystone);

  const auto planned = [&](const std::string& id, const std::string& role) {
    scs::PlannedTestcase testcase;
    testcase.id = id;
    testcase.standard = "scs-0302";
    testcase.check = registry.find("domain-manager-role-present");
    testcase.params = scs::Params::object();
    testcase.required_role = role;
    return testcase;
  };
  const std::vector<scs::PlannedTestcase> testcases{planned("admin-testcase", "admin"),
                                                    planned("member-testcase", "member")};
  // Without --admin-cloud/--allow-privileged-roles the session has no admin context: ABORT.
  const auto without = scs::run_testcases(testcases, plain, {});
  CHECK(without[0].result.status == Status::abort);
  CHECK_THAT(without[0].result.summary, Catch::Contains("--allow-privileged-roles --admin-cloud CLOUD"));
  // With it, only the testcase whose spec says required_role admin gets the admin account.
  scs::RunnerOptions options;
  options.admin_context = &with_admin;
  const auto with = scs::run_testcases(testcases, plain, options);
  CHECK(with[0].result.status == Status::pass);
  CHECK(with[1].result.status == Status::abort);
  CHECK_THAT(with[1].result.summary, Catch::Contains("only testcases with required_role admin get it"));
}
