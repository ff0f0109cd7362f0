#!/usr/bin/python3
"""Integration test: creating testcases against a cloud whose services refuse or fail.

Each fault is made on the running test cloud the way an operator would (as testcloud-admin),
and always undone afterwards:
  - backup-service-off: `openstack volume service set --disable HOST cinder-backup` during
    scs-0117 (Cinder still takes the backup, then refuses the restore and the backup's delete
    with 404 "Service cinder-backup could not be found");
  - volume-quota: `openstack quota set --volumes 0` during scs-0117;
  - secgroup-quota: `openstack quota set --secgroups N` (N = the groups there are) during scs-0115;
  - secret-delete-denied: a Barbican policy.d override (`"secret:delete": "!"`, Barbican restarted
    with `testcloud stop barbican` and `testcloud start`) during scs-0116;
  - instance-quota: `openstack quota set --instances 0` during scs-0101's sample VM (its network,
    subnet and router are made first and must go again).
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
BARBICAN_POLICY = "/etc/barbican/policy.d/scs-fault-matrix.yaml"


def restart(service):
    for command in (["stop", service], ["start"]):
        completed = subprocess.run([TESTCLOUD, *command], capture_output=True, text=True, timeout=600)
        if completed.returncode != 0:
            raise RuntimeError(f"testcloud {' '.join(command)}: {completed.stderr.strip()[-500:]}")


class BarbicanDeletePolicy:
    """The member may not delete secrets: a policy.d override, as an operator writes one. oslo.policy
    does not notice a deleted file, so both making and undoing restart Barbican."""
    name, testcase, expect, step = "secret-delete-denied", "scs-0116-permissions", "FAIL", "could not be deleted"

    def make(self):
        with open(BARBICAN_POLICY, "w") as handle:
            handle.write('"secret:delete": "!"\n')
        restart("barbican")

    def undo(self):
        if os.path.exists(BARBICAN_POLICY):
            os.remove(BARBICAN_POLICY)
        restart("barbican")


def secgroups_in_use(project):
    return len(json.loads(openstack("security", "group", "list", "--project", project, "-f", "json")))


FAULTS = [
    BackupServiceOff(),
    Quota("volume-quota", "scs-0117-test-backup", "ABORT", "refused by the project's quota", "volumes",
          "--volumes", lambda project: 0),
    Quota("secgroup-quota", "scs-0115-default-rules", "ABORT", "Quota exceeded", "secgroups", "--secgroups",
          secgroups_in_use),
    BarbicanDeletePolicy(),
    Quota("instance-quota", "scs-0101-entropy-avail", "ABORT", "Quota exceeded for instances", "instances",
          "--instances", lambda project: 0),
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


def check_fault(binary, fault, state, report_path):
    problems = []
    fault.make()
    try:
        completed = run_binary(binary, state, "run", "--os-cloud", cloud.CLOUD, "--tests", f"^{fault.testcase}$",
                               "--quiet", "--json", report_path)
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
        if left != in_evidence:
            problems.append(f"the testcase's evidence names {in_evidence} of {left}")
        still_open = sorted(cloud.open_entries(state).values())
        if sorted(name.split(" ", 1)[1] for name in left) != still_open:
            problems.append(f"journal entries open: {still_open}, left: {left}")
        if left:
            during = run_binary(binary, state, "cleanup", "--os-cloud", cloud.CLOUD)
            if during.returncode != 1 or not all(name.split(" ", 1)[1] in during.stdout + during.stderr
                                                 for name in left):
                problems.append(f"cleanup during the fault: exit {during.returncode}, "
                                f"{(during.stdout + during.stderr).strip()!r}")
    finally:
        fault.undo()
    if left:
        time.sleep(2)  # the re-enabled service reports in
        after = run_binary(binary, state, "cleanup", "--os-cloud", cloud.CLOUD)
        if after.returncode != 0:
            problems.append(f"cleanup after the fault: exit {after.returncode}: {after.stdout.strip()}")
    problems += cloud.leftover_problems(state, cloud.leftovers(), "left after cleanup")
    return outcome["status"], left, reported, problems


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
