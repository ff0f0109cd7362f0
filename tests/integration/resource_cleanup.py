#!/usr/bin/python3
"""Integration test: nothing the tool creates survives, in every exit path.

Against the running test cloud (seeded), as testcloud-member:
  1. SIGKILL in the middle of scs-0117 (once its backup is being made), then
     `scs-conformance cleanup`: nothing named scs-conformance-* may remain.
  2. SIGINT in the middle of a full run: exit 130, the JSON report is written and marked
     interrupted, and nothing remains (without running cleanup).
  3. A full run of SCS-compatible IaaS v5.1: nothing remains, the journal has no open entry.
  4. (first) testcloud-admin is refused: exit 78, one line, nothing journalled.
After each, the objects named with the tool's prefix are counted through the API (servers,
volumes, backups, networks, subnets, routers, ports, security groups, secrets) and printed as
`leftovers after …: N`. Closing line: `N passed, M failed`.

Usage: resource_cleanup.py SCS_CONFORMANCE_BINARY
"""
import json
import os
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request

import yaml

PREFIX = "scs-conformance-"
CLOUD = "testcloud-member"
LISTINGS = [  # (service type, path, key)
    ("compute", "/servers", "servers"),
    ("volumev3", "/volumes/detail", "volumes"),
    ("volumev3", "/backups/detail", "backups"),
    ("network", "/v2.0/networks", "networks"),
    ("network", "/v2.0/subnets", "subnets"),
    ("network", "/v2.0/routers", "routers"),
    ("network", "/v2.0/ports", "ports"),
    ("network", "/v2.0/security-groups", "security_groups"),
    ("key-manager", "/v1/secrets?limit=100", "secrets"),
]


def tls_context():
    # The test cloud may put a TLS front with its own CA before some endpoints.
    context = ssl.create_default_context()
    ca = os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "tls", "ca.pem")
    if os.path.exists(ca):
        context.load_verify_locations(ca)
    return context


def session():
    with open(os.environ["OS_CLIENT_CONFIG_FILE"]) as handle:
        cloud = yaml.safe_load(handle)["clouds"][CLOUD]
    auth = cloud["auth"]
    body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
        "name": auth["username"], "domain": {"name": auth.get("user_domain_name", "Default")},
        "password": auth["password"]}}},
        "scope": {"project": {"name": auth["project_name"],
                              "domain": {"name": auth.get("project_domain_name", "Default")}}}}}
    request = urllib.request.Request(auth["auth_url"].rstrip("/") + "/auth/tokens", json.dumps(body).encode(),
                                     {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30, context=tls_context()) as answer:
        token = answer.headers["X-Subject-Token"]
        catalog = json.load(answer)["token"]["catalog"]
    endpoints = {}
    for entry in catalog:
        for endpoint in entry["endpoints"]:
            if endpoint["interface"] == "public":
                endpoints[entry["type"]] = endpoint["url"].rstrip("/")
    return token, endpoints


def leftovers():
    """Objects named with the tool's prefix, as 'kind name' strings."""
    token, endpoints = session()
    found = []
    for service, path, key in LISTINGS:
        base = endpoints.get(service) or (endpoints.get("block-storage") if service == "volumev3" else None)
        if base is None:
            continue
        request = urllib.request.Request(base + path, headers={"X-Auth-Token": token, "Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=30, context=tls_context()) as answer:
            items = json.load(answer).get(key, [])
        found += [f"{key} {item.get('name')}" for item in items if (item.get("name") or "").startswith(PREFIX)]
    return found


def journal_lines(state):
    path = os.path.join(state, f"journal-{CLOUD}.jsonl")
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [json.loads(line) for line in handle if line.strip().endswith("}")]


def wait_for_journal(state, process, predicate, timeout=300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if any(predicate(line) for line in journal_lines(state)):
            return True
        time.sleep(0.2)
    return False


def open_entries(state):
    opened = {}
    for line in journal_lines(state):
        key = (line["run"], line["seq"])
        if line["op"] == "create":
            opened[key] = line["name"]
        elif line["op"] == "close":
            opened.pop(key, None)
    return opened


def leftover_problems(state, left, label="left behind"):
    """What every exit path must not leave: objects in the cloud (`left`), open journal entries."""
    problems = []
    if left:
        problems.append(f"{label}: {left}")
    still_open = open_entries(state)
    if still_open:
        problems.append(f"journal entries still open: {still_open}")
    return problems


def run_tool(binary, state, *args):
    env = dict(os.environ, SCS_STATE_DIR=state)
    return subprocess.Popen([binary, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_sigkill_then_cleanup(binary, state):
    process = run_tool(binary, state, "run", "--os-cloud", CLOUD, "-t", "scs-0117", "--quiet")
    midway = wait_for_journal(state, process, lambda l: l["op"] == "id" and any(
        c["op"] == "create" and c["type"] == "backup" and c["seq"] == l["seq"] and c["run"] == l["run"]
        for c in journal_lines(state)))
    process.kill()
    process.wait()
    before = leftovers()
    cleanup = run_tool(binary, state, "cleanup", "--os-cloud", CLOUD)
    out, err = cleanup.communicate(timeout=600)
    left = leftovers()
    print(f"leftovers after SIGKILL mid scs-0117: {len(before)} ({', '.join(before)})")
    print(f"leftovers after SIGKILL + cleanup: {len(left)} {left}")
    print("  cleanup said: " + out.strip().replace("\n", "\n  cleanup said: "))
    problems = []
    if not midway:
        problems.append("the run never reached the backup step")
    if not before:
        problems.append("SIGKILL left nothing behind: the test did not interrupt anything")
    if cleanup.returncode != 0:
        problems.append(f"cleanup exited {cleanup.returncode}: {err.strip()}")
    return problems + leftover_problems(state, left, "left after cleanup")


def test_sigint(binary, state):
    report = os.path.join(state, "interrupted.json")
    process = run_tool(binary, state, "run", "--os-cloud", CLOUD, "--json", report, "--quiet")
    midway = wait_for_journal(state, process, lambda l: l["op"] == "create" and l["type"] == "backup")
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=600)
    left = leftovers()
    print(f"leftovers after SIGINT mid-run: {len(left)} {left}")
    problems = []
    if not midway:
        problems.append("the run never reached scs-0117's backup")
    if process.returncode != 130:
        problems.append(f"exit code {process.returncode}, not 130: {err.strip()}")
    if not os.path.exists(report):
        problems.append("no report written")
    else:
        with open(report) as handle:
            if not json.load(handle).get("interrupted"):
                problems.append("the report does not say it was interrupted")
    return problems + leftover_problems(state, left)


def test_full_run(binary, state):
    report = os.path.join(state, "full.json")
    process = run_tool(binary, state, "run", "--os-cloud", CLOUD, "--version", "v5.1", "--json", report, "--quiet")
    _, err = process.communicate(timeout=900)
    left = leftovers()
    print(f"leftovers after a full v5.1 run (exit {process.returncode}): {len(left)} {left}")
    problems = []
    if process.returncode not in (0, 1, 2):
        problems.append(f"exit code {process.returncode}: {err.strip()}")
    return problems + leftover_problems(state, left)


def test_admin_refused(binary, state):
    process = run_tool(binary, state, "run", "--os-cloud", "testcloud-admin", "-t", "scs-0117", "--quiet")
    _, err = process.communicate(timeout=120)
    problems = []
    if process.returncode != 78:
        problems.append(f"a token with the admin role: exit {process.returncode}, not 78")
    if len(err.strip().splitlines()) != 1 or "admin" not in err:
        problems.append(f"not one line naming the role: {err.strip()!r}")
    if journal_lines(state):
        problems.append("the refused run journalled something")
    return problems


def main():
    binary = os.path.abspath(sys.argv[1])
    # The test cloud's clouds.yaml, as scripts/test and scenario_verdicts.py find it.
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    passed = failed = 0
    for test in (test_admin_refused, test_sigkill_then_cleanup, test_sigint, test_full_run):
        with tempfile.TemporaryDirectory(prefix="scs-state-") as state:
            started = time.monotonic()
            problems = test(binary, state)
            elapsed = time.monotonic() - started
        if problems:
            failed += 1
            print(f"FAIL {test.__name__} ({elapsed:.0f} s): " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {test.__name__} ({elapsed:.0f} s)")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
