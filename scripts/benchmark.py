#!/usr/bin/python3
"""Benchmark: a read-only run of SCS-compatible IaaS v5.1 against the test cloud, cold and warm.

Alternates, in one session, N times (default 11):
  floor  one Keystone password token and the slowest single collection read (flavors with
         extra specs, images, volume types), each done with curl: what any cold run must wait for;
  cold   `scs-conformance run --os-cloud testcloud-member --version v5.1 --read-only
         --no-token-cache`: Keystone issues the token (the parsed specs are cached, as on any
         machine that ran the tool before);
  warm   the same run without --no-token-cache: the token cached by the previous run;
  first  the same run with an empty cache directory (XDG_CACHE_HOME): nothing cached at all,
         as on a fresh CI runner; shown, no target.
Prints the medians of wall time, CPU time, peak RSS and API calls, and the ratios against the
targets of issue 17: cold <= 1.2 x floor, warm <= 0.2 x cold, peak RSS <= 17 MiB.

Usage: scripts/benchmark.py [--runs N] [--binary PATH] [--json FILE] [-- run options, replacing
       --version v5.1 --read-only]
Needs the test cloud up (tests/cloud/testcloud up && tests/cloud/testcloud seed compliant).
Exit status 1 when a target is missed, so it can gate a change.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import yaml

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLOUD = "testcloud-member"
TARGET_COLD = 1.2
TARGET_WARM = 0.2
TARGET_RSS_MIB = 17.0


def measure_tool(binary, extra, cache_home, *more):
    with tempfile.NamedTemporaryFile(suffix=".json") as report:
        env = dict(os.environ, XDG_CACHE_HOME=cache_home)
        started = time.monotonic()
        proc = subprocess.Popen([binary, "run", "--os-cloud", CLOUD, "--quiet", "--json", report.name, *extra,
                                 *more], env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.monotonic() - started
        data = json.load(open(report.name))
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "rss_mib": usage.ru_maxrss / 1024,
            "calls": data["calls"]["calls"], "exit": os.waitstatus_to_exitcode(status),
            "token": data["run"].get("token")}


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
        subprocess.run(["curl", "-s", "-D", headers_file, "-o", os.path.join(tmp, "token.json"),
                        "-H", "Content-Type: application/json", "--data-binary", "@" + body_file,
                        auth["auth_url"].rstrip("/") + "/auth/tokens"], check=True)
        token_seconds = time.monotonic() - started
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
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--binary", default=os.path.join(TOP, "build", "src", "cli", "scs-conformance"))
    parser.add_argument("--json", help="also write the figures and every sample to FILE")
    parser.add_argument("extra", nargs="*")
    args = parser.parse_args()
    state = os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud")
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE", os.path.join(state, "clouds.yaml"))
    cloud = yaml.safe_load(open(os.environ["OS_CLIENT_CONFIG_FILE"]))["clouds"][CLOUD]
    extra = args.extra or ["--version", "v5.1", "--read-only"]

    floor, cold, warm, first = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="scs-benchmark-") as tmp:
        home = os.path.join(tmp, "cache")
        measure_tool(args.binary, extra, home)  # fills the cache: specs and token
        for i in range(args.runs):  # interleaved, so all of them see the same load
            floor.append(measure_floor(cloud))
            cold.append(measure_tool(args.binary, extra, home, "--no-token-cache"))
            warm.append(measure_tool(args.binary, extra, home))
            empty = os.path.join(tmp, f"empty-{i}")
            first.append(measure_tool(args.binary, extra, empty))
            shutil.rmtree(empty, ignore_errors=True)

    med = statistics.median
    floor_total = med([t + f for t, f in floor])
    cold_wall, warm_wall = med([r["wall"] for r in cold]), med([r["wall"] for r in warm])
    rss = max(r["rss_mib"] for r in cold + warm + first)
    first_wall = med([r["wall"] for r in first])
    figures = {
        "runs": args.runs,
        "floor_ms": floor_total * 1000, "floor_token_ms": med([t for t, _ in floor]) * 1000,
        "floor_collection_ms": med([f for _, f in floor]) * 1000,
        "cold_ms": cold_wall * 1000, "warm_ms": warm_wall * 1000, "first_ms": first_wall * 1000,
        "cold_over_floor": cold_wall / floor_total, "warm_over_cold": warm_wall / cold_wall,
        "cold_cpu_ms": med([r["cpu"] for r in cold]) * 1000, "warm_cpu_ms": med([r["cpu"] for r in warm]) * 1000,
        "peak_rss_mib": rss,
        "cold_calls": med([r["calls"] for r in cold]), "warm_calls": med([r["calls"] for r in warm]),
        "tokens": sorted({f"{r['token']}" for r in cold}) + sorted({f"{r['token']}" for r in warm}),
        "exit_codes": sorted({r["exit"] for r in cold + warm + first}),
    }
    met = (figures["cold_over_floor"] <= TARGET_COLD and figures["warm_over_cold"] <= TARGET_WARM
           and rss <= TARGET_RSS_MIB and {r["token"] for r in cold} == {"new"} and {r["token"] for r in warm} == {"cached"})
    print(f"runs:        {args.runs} of each, alternating (medians)")
    print(f"floor:       {floor_total * 1000:.0f} ms  (token {figures['floor_token_ms']:.0f} ms"
          f" + slowest collection {figures['floor_collection_ms']:.0f} ms, curl)")
    print(f"cold run:    {cold_wall * 1000:.0f} ms wall, {figures['cold_cpu_ms']:.0f} ms CPU, "
          f"{figures['cold_calls']:.0f} API calls  ({figures['cold_over_floor']:.2f} x floor; target <= {TARGET_COLD})")
    print(f"warm run:    {warm_wall * 1000:.0f} ms wall, {figures['warm_cpu_ms']:.0f} ms CPU, "
          f"{figures['warm_calls']:.0f} API calls  ({figures['warm_over_cold']:.2f} x cold; target <= {TARGET_WARM})")
    print(f"first run:   {first_wall * 1000:.0f} ms wall, {med([r['cpu'] for r in first]) * 1000:.0f} ms CPU  "
          f"(empty cache directory: {first_wall / floor_total:.2f} x floor; no target)")
    print(f"peak RSS:    {rss:.1f} MiB  (target <= {TARGET_RSS_MIB:.0f})")
    print(f"tokens:      cold {sorted({str(r['token']) for r in cold})}, warm {sorted({str(r['token']) for r in warm})}")
    print(f"exit codes:  {figures['exit_codes']}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"figures": figures, "floor": floor, "cold": cold, "warm": warm, "first": first}, handle,
                      indent=1)
    print("targets:     met" if met else "targets:     MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
