#!/usr/bin/python3
"""Integration test: creating testcases against a cloud whose services refuse or fail.

Each fault is made on the running test cloud the way an operator would (as testcloud-admin),
and always undone afterwards:
  - backup-service-off: `openstack volume service set --disable HOST cinder-backup` during
    scs-0117 (Cinder still takes the backup, then refuses the restore and the backup's delete
    with 404 "Service cinder-backup could not be found");
  - volume-quota: `openstack quota set --volumes 0` during scs-0117;
  - secgroup-quota: `openstack quota set --secgroups N` (N = the groups there are) during scs-0115;
  - secret-delete-denied, backup-create-denied, secgroup-create-denied, server-create-denied: a
    policy.d override of Barbican, Cinder, Neutron or Nova (`"RULE": "!"`, the service restarted
    with `testcloud stop SERVICE` and `testcloud start`) during scs-0116, -0117, -0115, -0101;
  - instance-quota: `openstack quota set --instances 0` during scs-0101's sample VM (its network,
    subnet and router are made first and must go again);
  - cinder-api-stopped: `testcloud stop cinder-api` as soon as scs-0117's backup exists, in the
    middle of the testcase; `testcloud start` afterwards.
For each: the verdict the standard implies (FAIL naming the failing step, or ABORT where nothing
was shown), the objects the project holds afterwards exactly those the run reported as left
behind (stderr, the report's left_behind and the testcase's evidence), and the journal open for
exactly those. Where
something is left, `scs-conformance cleanup` while the fault persists must exit 1 naming it,
and after the fault is undone exit 0 and leave nothing.

Prints the matrix (fault × testcase → verdict, left, reported) and `N passed, M failed`.

Usage: fault_matrix.py SCS_CONFORMANCE_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import resource_cleanup as cloud  # noqa: E402  (the shared listing of the tool's objects)

import yaml  # noqa: E402

ADMIN = "testcloud-admin"


def openstack(*args):
    completed = subprocess.run(["openstack", "--os-cloud", ADMIN, *args], capture_output=True, text=True, timeout=120)
    if completed.returncode != 0:
        raise RuntimeError(f"openstack {' '.join(args)}: {completed.stderr.strip()}")
    return completed.stdout


def member_project():
    with open(os.environ["OS_CLIENT_CONFIG_FILE"]) as handle:
        return yaml.safe_load(handle)["clouds"][cloud.CLOUD]["auth"]["project_name"]


def backup_host():
    services = json.loads(openstack("volume", "service", "list", "--service", "cinder-backup", "-f", "json"))
    return services[0]["Host"]


class BackupServiceOff:
    name, testcase, expect, step = "backup-service-off", "scs-0117-test-backup", "FAIL", "restoring the backup"

    def make(self):
        self.host = backup_host()
        openstack("volume", "service", "set", "--disable", self.host, "cinder-backup")

    def undo(self):
        openstack("volume", "service", "set", "--enable", self.host, "cinder-backup")


class Quota:
    def __init__(self, name, testcase, expect, step, key, option, limit):
        self.name, self.testcase, self.expect, self.step = name, testcase, expect, step
        self.key, self.option, self.limit = key, option, limit

    def make(self):
        project = member_project()
        self.before = json.loads(openstack("quota", "show", project, "-f", "json"))[self.key]
        openstack("quota", "set", self.option, str(self.limit(project)), project)

    def undo(self):
        openstack("quota", "set", self.option, str(self.before), member_project())


TESTCLOUD = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cloud", "testcloud")
# Barbican reads /etc/barbican (its barbican.conf is linked there), the others the state directory.
CLOUD_ETC = os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "etc")


def restart(service):
    for command in (["stop", service], ["start"]):
        completed = subprocess.run([TESTCLOUD, *command], capture_output=True, text=True, timeout=600)
        if completed.returncode != 0:
            raise RuntimeError(f"testcloud {' '.join(command)}: {completed.stderr.strip()[-500:]}")


class PolicyOverride:
    """The member denied one API action: a policy.d override, as an operator writes one. oslo.policy
    does not notice a deleted file, so both making and undoing restart the service."""

    def __init__(self, name, testcase, expect, step, policy_dir, rule, service):
        self.name, self.testcase, self.expect, self.step = name, testcase, expect, step
        self.file = os.path.join(policy_dir, "scs-fault-matrix.yaml")
        self.rule, self.service = rule, service

    def make(self):
        os.makedirs(os.path.dirname(self.file), exist_ok=True)
        with open(self.file, "w") as handle:
            handle.write(f'"{self.rule}": "!"\n')
        restart(self.service)

    def undo(self):
        if os.path.exists(self.file):
            os.remove(self.file)
        restart(self.service)


class ApiStoppedMidway:
    """cinder-api's process stopped once the testcase's backup exists (`testcloud stop cinder-api`),
    started again afterwards (`testcloud start`)."""
    name, testcase, expect, step = "cinder-api-stopped", "scs-0117-test-backup", "ABORT", "cannot reach"
    api_down = True

    def make(self):
        pass

    @staticmethod
    def due(state):
        lines = cloud.journal_lines(state)
        backups = {line["seq"] for line in lines if line.get("op") == "create" and line.get("type") == "backup"}
        return any(line.get("op") == "id" and line["seq"] in backups for line in lines)

    def act(self):
        completed = subprocess.run([TESTCLOUD, "stop", "cinder-api"], capture_output=True, text=True, timeout=120)
        if completed.returncode != 0:
            raise RuntimeError(f"testcloud stop cinder-api: {completed.stderr.strip()[-500:]}")

    def undo(self):
        completed = subprocess.run([TESTCLOUD, "start"], capture_output=True, text=True, timeout=600)
        if completed.returncode != 0:
            raise RuntimeError(f"testcloud start: {completed.stderr.strip()[-500:]}")


def secgroups_in_use(project):
    return len(json.loads(openstack("security", "group", "list", "--project", project, "-f", "json")))


FAULTS = [
    BackupServiceOff(),
    Quota("volume-quota", "scs-0117-test-backup", "ABORT", "refused by the project's quota", "volumes",
          "--volumes", lambda project: 0),
    Quota("secgroup-quota", "scs-0115-default-rules", "ABORT", "Quota exceeded", "secgroups", "--secgroups",
          secgroups_in_use),
    PolicyOverride("secret-delete-denied", "scs-0116-permissions", "FAIL", "could not be deleted",
                   "/etc/barbican/policy.d", "secret:delete", "barbican"),
    PolicyOverride("backup-create-denied", "scs-0117-test-backup", "FAIL", "backing up the volume",
                   os.path.join(CLOUD_ETC, "cinder", "policy.d"), "backup:create", "cinder-api"),
    PolicyOverride("secgroup-create-denied", "scs-0115-default-rules", "ABORT", "403",
                   os.path.join(CLOUD_ETC, "neutron", "policy.d"), "create_security_group", "neutron-server"),
    PolicyOverride("server-create-denied", "scs-0101-entropy-avail", "ABORT", "403",
                   os.path.join(CLOUD_ETC, "nova", "policy.d"), "os_compute_api:servers:create", "nova-api"),
    Quota("instance-quota", "scs-0101-entropy-avail", "ABORT", "Quota exceeded for instances", "instances",
          "--instances", lambda project: 0),
    ApiStoppedMidway(),
]


def run_binary(binary, state, *args):
    env = dict(os.environ, SCS_STATE_DIR=state)
    return subprocess.run([binary, *args], env=env, capture_output=True, text=True, timeout=900)


def reported_left(stderr):
    """'backups NAME' for every 'left behind: TYPE NAME (id …)' line of the run."""
    plural = {"backup": "backups", "volume": "volumes", "server": "servers", "network": "networks",
              "subnet": "subnets", "router": "routers", "port": "ports", "security_group": "security_groups",
              "secret": "secrets"}
    return sorted(f"{plural.get(kind, kind)} {name}"
                  for kind, name in re.findall(r"left behind: (\S+) (\S+)", stderr))


def run_faulted(binary, fault, state, report_path):
    """The testcase's run with the fault made before it, or in its middle (fault.act)."""
    command = [binary, "run", "--os-cloud", cloud.CLOUD, "--tests", f"^{fault.testcase}$", "--quiet", "--json",
               report_path]
    if not hasattr(fault, "act"):
        return run_binary(binary, state, *command[1:]), []
    process = subprocess.Popen(command, env=dict(os.environ, SCS_STATE_DIR=state), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while process.poll() is None and not fault.due(state) and time.monotonic() < deadline:
        time.sleep(0.1)
    problems = [] if process.poll() is None else ["the testcase ended before the fault could be made"]
    fault.act()
    stdout, stderr = process.communicate(timeout=900)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr), problems


def judge(fault, state, report_path, completed):
    """Verdict, and the objects left in the project = the reported ones = the open journal entries."""
    problems = []
    with open(report_path) as handle:
        report = json.load(handle)
    outcome = next(t for t in report["testcases"] if t["id"] == fault.testcase)
    in_report = sorted(f"{item['type']}s {item['name']}" for item in report["left_behind"])
    text = outcome["summary"] + " " + " ".join(e["message"] for e in outcome["evidence"])
    if outcome["status"] != fault.expect or fault.step not in text:
        problems.append(f"verdict {outcome['status']} ({outcome['summary']}), expected {fault.expect} "
                        f"naming '{fault.step}'")
    left = sorted(cloud.leftovers())
    reported = reported_left(completed.stderr)
    in_evidence = sorted(name for name in left if name.split(" ", 1)[1] in text)
    if left != reported:
        problems.append(f"the project holds {left}, the run reported {reported}")
    if left != in_report:
        problems.append(f"the project holds {left}, the report's left_behind lists {in_report}")
    if outcome["status"] == "FAIL" and left != in_evidence:  # an ABORT's reason is one line
        problems.append(f"the testcase's evidence names {in_evidence} of {left}")
    still_open = sorted(cloud.open_entries(state).values())
    if sorted(name.split(" ", 1)[1] for name in left) != still_open:
        problems.append(f"journal entries open: {still_open}, left: {left}")
    return outcome["status"], left, reported, problems


def cleanup_during(binary, state, names):
    """`cleanup` while the fault persists: exit 1, naming what it could not delete."""
    during = run_binary(binary, state, "cleanup", "--os-cloud", cloud.CLOUD)
    text = during.stdout + during.stderr
    if during.returncode != 1 or not all(name in text for name in names):
        return [f"cleanup during the fault: exit {during.returncode}, {text.strip()!r}"]
    return []


def check_fault(binary, fault, state, report_path):
    # A fault that takes an API away (cinder-api stopped) is judged once it is back: the
    # project cannot be listed before.
    api_down = getattr(fault, "api_down", False)
    fault.make()
    try:
        completed, problems = run_faulted(binary, fault, state, report_path)
        if api_down:
            problems += cleanup_during(binary, state, sorted(cloud.open_entries(state).values()))
        else:
            verdict, left, reported, judged = judge(fault, state, report_path, completed)
            problems += judged
            if left:
                problems += cleanup_during(binary, state, [name.split(" ", 1)[1] for name in left])
    finally:
        fault.undo()
    if api_down:
        verdict, left, reported, judged = judge(fault, state, report_path, completed)
        problems += judged
    if left:
        time.sleep(2)  # the re-enabled service reports in
        after = run_binary(binary, state, "cleanup", "--os-cloud", cloud.CLOUD)
        if after.returncode != 0:
            problems.append(f"cleanup after the fault: exit {after.returncode}: {after.stdout.strip()}")
    problems += cloud.leftover_problems(state, cloud.leftovers(), "left after cleanup")
    return verdict, left, reported, problems


def main():
    binary = os.path.abspath(sys.argv[1])
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    if cloud.leftovers():
        sys.exit(f"the project is not clean before the matrix: {cloud.leftovers()}")
    passed = failed = 0
    rows = []
    for fault in FAULTS:
        with tempfile.TemporaryDirectory(prefix="scs-fault-") as state:
            started = time.monotonic()
            try:
                verdict, left, reported, problems = check_fault(binary, fault, state, os.path.join(state, "r.json"))
            except Exception as error:  # a broken fault setup is a failure of this test, never a skip
                verdict, left, reported, problems = "?", [], [], [f"{type(error).__name__}: {error}"]
        rows.append((fault.name, fault.testcase, verdict, left, reported))
        status = "ok  " if not problems else "FAIL"
        print(f"{status} {fault.name} × {fault.testcase}: {verdict}, left {left} "
              f"({time.monotonic() - started:.0f} s){'' if not problems else ': ' + '; '.join(problems)}")
        passed, failed = (passed + 1, failed) if not problems else (passed, failed + 1)
    print("\nfault | testcase | verdict | left after the run | reported as left")
    for row in rows:
        print(" | ".join(str(cell) for cell in row))
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
