"""Keystone's Domain Manager policy for the test cloud (scs-0302), one scenario section:

    keystone:
      domain_manager: true   # the policy scs-0302 asks for (Keystone before 2024.2), role `manager`
      domain_manager: false  # Keystone's defaults: a manager can do nothing (broken-domain-manager)

The test cloud runs Keystone Zed, so the standard's implementation notes apply: Keystone's
policy gets the Domain Manager rules on top of the default ("base") rules.
https://docs.scs.community/standards/scs-0302-v1-domain-manager-role

The rules go into a file of Keystone's policy directory (oslo.policy's `policy_dirs`, default
`policy.d` beside keystone.conf), which oslo.policy re-reads whenever the directory changes: no
restart, and removing the file gives the defaults back at once.
"""
import os
import tempfile
from pathlib import Path

import yaml

STATE = Path(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"))
POLICY_FILE = STATE / "etc" / "keystone" / "policy.d" / "scs-domain-manager.yaml"

# The roles a manager may assign and revoke (the implementation notes' default rule).
MANAGED_ROLES = ("member", "load-balancer_member")

R = "(role:reader and system_scope:all)"
A = "(role:admin and system_scope:all)"


def _grant_base(role):
    """The default rule of the grant APIs for reader or admin: user/group and project/domain of
    the token's domain, and a global or same-domain role."""
    pairs = [("user.domain_id", "project.domain_id"), ("user.domain_id", "domain.id"),
             ("group.domain_id", "project.domain_id"), ("group.domain_id", "domain.id")]
    either = " or ".join(f"(role:{role} and domain_id:%(target.{a})s and domain_id:%(target.{b})s)"
                         for a, b in pairs)
    return either


def base_rules():
    """Section A of the implementation notes: Keystone's defaults the manager rules extend."""
    read = lambda target: f"{R} or (role:reader and domain_id:%(target.{target})s)"  # noqa: E731
    write = lambda target: f"{A} or (role:admin and domain_id:%(target.{target})s)"  # noqa: E731
    role_domain = "(domain_id:%(target.role.domain_id)s or None:%(target.role.domain_id)s)"
    rules = {
        "base_get_domain": f"{R} or token.domain.id:%(target.domain.id)s or "
                           "token.project.domain.id:%(target.domain.id)s",
        "base_list_domains": R,
        "base_list_roles": R,
        "base_get_role": R,
        "base_list_users": read("domain_id"),
        "base_get_user": f"{R} or (role:reader and token.domain.id:%(target.user.domain_id)s) or "
                         "user_id:%(target.user.id)s",
        "base_list_projects": read("domain_id"),
        "base_get_project": f"{read('project.domain_id')} or project_id:%(target.project.id)s",
        "base_list_user_projects": f"{read('user.domain_id')} or user_id:%(target.user.id)s",
        "base_check_grant": f"{R} or ({_grant_base('reader')}) and {role_domain}",
        "base_list_grants": f"{R} or {_grant_base('reader')}",
        "base_create_grant": f"{A} or ({_grant_base('admin')}) and {role_domain}",
        "base_revoke_grant": f"{A} or ({_grant_base('admin')}) and {role_domain}",
        "base_list_role_assignments": read("domain_id"),
        "base_list_groups": read("group.domain_id"),
        "base_get_group": read("group.domain_id"),
        "base_list_groups_for_user": f"{read('user.domain_id')} or user_id:%(user_id)s",
        "base_list_users_in_group": read("group.domain_id"),
    }
    for verb in ("create", "update", "delete"):
        rules[f"base_{verb}_user"] = f"{A} or (role:admin and token.domain.id:%(target.user.domain_id)s)"
        rules[f"base_{verb}_project"] = write("project.domain_id")
        rules[f"base_{verb}_group"] = write("group.domain_id")
    both = "domain_id:%(target.group.domain_id)s and domain_id:%(target.user.domain_id)s"
    rules["base_remove_user_from_group"] = f"{A} or (role:admin and {both})"
    rules["base_add_user_to_group"] = f"{A} or (role:admin and {both})"
    rules["base_check_user_in_group"] = f"{R} or (role:reader and {both})"
    return rules


def manager_rules():
    """Section B: the Domain Manager, limited to its token's domain and the managed roles."""
    in_domain = lambda target: f"rule:is_domain_manager and token.domain.id:%(target.{target})s"  # noqa: E731
    rules = {
        "is_domain_manager": "role:manager",
        "is_domain_managed_role": " or ".join(f"'{r}':%(target.role.name)s" for r in MANAGED_ROLES),
        "identity:get_domain": "rule:base_get_domain or rule:admin_required",
        "identity:list_domains": "rule:is_domain_manager or rule:base_list_domains or rule:admin_required",
        "identity:list_roles": "rule:is_domain_manager or rule:base_list_roles or rule:admin_required",
        "identity:get_role": "(rule:is_domain_manager and rule:is_domain_managed_role) or rule:base_get_role "
                             "or rule:admin_required",
        "is_domain_user_project_grant": "token.domain.id:%(target.user.domain_id)s and "
                                        "token.domain.id:%(target.project.domain_id)s",
        "is_domain_group_project_grant": "token.domain.id:%(target.group.domain_id)s and "
                                         "token.domain.id:%(target.project.domain_id)s",
        "is_domain_level_group_grant": "token.domain.id:%(target.group.domain_id)s and "
                                       "token.domain.id:%(target.domain.id)s",
        "is_domain_level_user_grant": "token.domain.id:%(target.user.domain_id)s and "
                                      "token.domain.id:%(target.domain.id)s",
        "domain_manager_grant": "rule:is_domain_manager and (rule:is_domain_user_project_grant or "
                                "rule:is_domain_group_project_grant or rule:is_domain_level_group_grant or "
                                "rule:is_domain_level_user_grant)",
        "identity:check_grant": "rule:domain_manager_grant or rule:base_check_grant or rule:admin_required",
        "identity:list_grants": "rule:domain_manager_grant or rule:base_list_grants or rule:admin_required",
        "identity:create_grant": "(rule:domain_manager_grant and rule:is_domain_managed_role) or "
                                 "rule:base_create_grant or rule:admin_required",
        "identity:revoke_grant": "(rule:domain_manager_grant and rule:is_domain_managed_role) or "
                                 "rule:base_revoke_grant or rule:admin_required",
        "identity:list_role_assignments": f"({in_domain('domain_id')}) or rule:base_list_role_assignments "
                                          "or rule:admin_required",
    }
    targets = {"user": "user.domain_id", "project": "project.domain_id", "group": "group.domain_id"}
    for kind, target in targets.items():
        plural = kind + "s"
        listing = "domain_id" if kind != "group" else target
        extra = f" or {R}" if kind == "group" else ""
        rules[f"identity:list_{plural}"] = (f"({in_domain(listing)}){extra} or rule:base_list_{plural} "
                                            "or rule:admin_required")
        rules[f"identity:get_{kind}"] = f"({in_domain(target)}){extra} or rule:base_get_{kind} or rule:admin_required"
        for verb in ("create", "update", "delete"):
            rules[f"identity:{verb}_{kind}"] = (f"({in_domain(target)}) or rule:base_{verb}_{kind} "
                                                "or rule:admin_required")
    rules["identity:list_user_projects"] = (f"({in_domain('user.domain_id')}) or rule:base_list_user_projects "
                                            "or rule:admin_required")
    rules["identity:list_groups_for_user"] = (f"({in_domain('user.domain_id')}) or "
                                              "rule:base_list_groups_for_user or rule:admin_required")
    rules["identity:list_users_in_group"] = (f"({in_domain('group.domain_id')}) or "
                                             "rule:base_list_users_in_group or rule:admin_required")
    both = f"{in_domain('group.domain_id')} and token.domain.id:%(target.user.domain_id)s"
    for api in ("remove_user_from_group", "check_user_in_group", "add_user_to_group"):
        rules[f"identity:{api}"] = f"({both}) or rule:base_{api} or rule:admin_required"
    return rules


def policy_text():
    header = ("# scs-0302 Domain Manager policy (Keystone before 2024.2), written by the test cloud's seed\n"
              "# (tests/cloud/keystone_policy.py): https://docs.scs.community/standards/"
              "scs-0302-v1-domain-manager-role\n")
    return header + yaml.safe_dump({**base_rules(), **manager_rules()}, sort_keys=False, width=1000)


def _write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, prefix=".tmp-") as handle:
        handle.write(text)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)


def sync_keystone_policy(cloud, wanted, error=RuntimeError):
    """Reconciles the policy file and the `manager` role with the scenario's `keystone` section."""
    unknown = set(wanted) - {"domain_manager"}
    if unknown or not isinstance(wanted.get("domain_manager", False), bool):
        raise error(f"keystone: only domain_manager: true|false is known (got {sorted(wanted)})")
    # The role is there in both cases: the broken scenario differs only in the policy.
    roles = cloud.keystone.get("/roles?name=manager")["roles"]
    made = ""
    if not roles:
        cloud.keystone.post("/roles", {"role": {"name": "manager"}})
        made = ", role manager created"
    if wanted.get("domain_manager", False):
        text = policy_text()
        if POLICY_FILE.is_file() and POLICY_FILE.read_text() == text:
            return f"Domain Manager policy in place{made}"
        _write(POLICY_FILE, text)
        return f"Domain Manager policy written to {POLICY_FILE}{made}"
    if POLICY_FILE.exists():
        POLICY_FILE.unlink()
        return f"Domain Manager policy removed (Keystone's defaults){made}"
    return f"Keystone's default policy{made}"


STEP = ("keystone", "keystone", sync_keystone_policy)
