#!/usr/bin/python3
"""Benchmark: a full read-only run of SCS-compatible IaaS v5.1 against the test cloud.

Runs `scs-conformance run --version v5.1 --read-only` N times (default 7) as testcloud-member
(the testcases that create resources are left out: they measure the cloud, not the tool) and prints the median wall
time, CPU time (user+sys), peak RSS and API calls, next to the floor measured the same way:
one Keystone token request plus the slowest single collection read (flavors with extra
specs, images, volume types), each done with curl. Targets (issue 3): wall <= 1.2 x floor, peak RSS <= 16 MiB,
one request per collection.

Usage: scripts/benchmark.py [--runs N] [--binary PATH] [-- run options, replacing --version v5.1 --read-only]
Needs the test cloud up (tests/cloud/testcloud up && tests/cloud/testcloud seed compliant).
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def measure_tool(binary, extra):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        proc = subprocess.Popen([binary, "run", "--os-cloud", "testcloud-member", "--quiet",
                                 "--json", report.name, *extra])
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        del before
        data = json.load(open(report.name))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
            "calls": data["calls"]["calls"], "exit": os.waitstatus_to_exitcode(status)}


def curl_seconds(args):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", *args],
                         capture_output=True, text=True, check=True).stdout
    return float(out)


def measure_floor(cloud):
    """One token request and the slowest collection read, as plain curl does them."""
    auth = cloud["auth"]
    body = json.dumps({"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": auth["username"], "domain": {"name": auth["user_domain_name"]},
            "password": auth["password"]}}},
        "scope": {"project": {"name": auth["project_name"], "domain": {"name": auth["project_domain_name"]}}}}})
    with tempfile.TemporaryDirectory() as tmp:
        headers_file = os.path.join(tmp, "headers")
        body_file = os.path.join(tmp, "body")
        with open(body_file, "w") as handle:  # keeps the password off the command line
            handle.write(body)
        started = time.monotonic()
        out = subprocess.run(["curl", "-s", "-D", headers_file, "-o", os.path.join(tmp, "token.json"),
                              "-H", "Content-Type: application/json", "--data-binary", "@" + body_file,
                              auth["auth_url"].rstrip("/") + "/auth/tokens"], check=True)
        token_seconds = time.monotonic() - started
        del out
        token = next(line.split(":", 1)[1].strip() for line in open(headers_file)
                     if line.lower().startswith("x-subject-token"))
        catalog = json.load(open(os.path.join(tmp, "token.json")))["token"]["catalog"]
        def public_url(service_type):
            return next(e["url"] for s in catalog if s["type"] == service_type
                        for e in s["endpoints"] if e["interface"] == "public")

        with open(os.path.join(tmp, "auth-header"), "w") as handle:
            handle.write(f"X-Auth-Token: {token}\n")
        auth_header = ["-H", "@" + os.path.join(tmp, "auth-header")]
        collections = [
            curl_seconds(auth_header + ["-H", "OpenStack-API-Version: compute 2.61",
                                        public_url("compute") + "/flavors/detail?is_public=None"]),
            curl_seconds(auth_header + [public_url("image") + "/v2/images?member_status=all"]),
            curl_seconds(auth_header + [public_url("block-storage") + "/types"]),
        ]
    return token_seconds, max(collections)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--binary", default=os.path.join(TOP, "build", "src", "cli", "scs-conformance"))
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    state = os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud")
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE", os.path.join(state, "clouds.yaml"))
    cloud = yaml.safe_load(open(os.environ["OS_CLIENT_CONFIG_FILE"]))["clouds"]["testcloud-member"]

    tool, floor = [], []
    for _ in range(args.runs):  # interleaved, so both see the same load
        floor.append(measure_floor(cloud))
        tool.append(measure_tool(args.binary, args.extra or ["--version", "v5.1", "--read-only"]))
    med = lambda values: statistics.median(values)
    floor_total = med([t + f for t, f in floor])
    wall = med([r["wall"] for r in tool])
    print(f"runs:            {args.runs}")
    print(f"floor:           {floor_total * 1000:.0f} ms  (token {med([t for t, _ in floor]) * 1000:.0f} ms"
          f" + slowest collection {med([f for _, f in floor]) * 1000:.0f} ms, curl)")
    print(f"scs-conformance: {wall * 1000:.0f} ms wall  ({wall / floor_total:.2f} x floor; target <= 1.2)")
    print(f"CPU time:        {med([r['cpu'] for r in tool]) * 1000:.0f} ms")
    print(f"peak RSS:        {max(r['rss_mib'] for r in tool):.1f} MiB  (target <= 16)")
    print(f"API calls:       {med([r['calls'] for r in tool]):.0f} per run")
    print(f"exit codes:      {sorted(set(r['exit'] for r in tool))}")


if __name__ == "__main__":
    sys.exit(main())
