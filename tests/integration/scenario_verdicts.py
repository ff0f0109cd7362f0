#!/usr/bin/python3
"""Integration test: scs-conformance against the real test cloud, in every scenario.

For each scenario in tests/cloud/scenarios/ (compliant last, so the cloud ends compliant):
seed it, run `scs-conformance run` as testcloud-member with a JSON report, and compare every
testcase the tool implements with the verdict the scenario declares for scope versions v5.1
and next (main targets). Testcases the tool does not implement yet must be reported MISSING,
never passed. Prints one line per scenario and testcase mismatch, and a closing line
`N passed, M failed` (one check per scenario).

Usage: scenario_verdicts.py SCS_CONFORMANCE_BINARY [SCENARIO...]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CLOUD = os.path.join(HERE, "..", "cloud")
SCENARIOS = os.path.join(CLOUD, "scenarios")
VERSIONS = ("v5.1", "next")


def expected_verdicts(scenario):
    with open(os.path.join(SCENARIOS, scenario + ".yaml")) as handle:
        expect = yaml.safe_load(handle)["expect"]
    verdicts = {}
    for version in VERSIONS:
        for testcase, verdict in expect[version]["main"].items():
            result = verdict if isinstance(verdict, str) else verdict["result"]
            verdicts.setdefault(testcase, result)
    return verdicts


def run_tool(binary, report_path):
    started = time.monotonic()
    completed = subprocess.run(
        [binary, "run", "--os-cloud", "testcloud-member", "--json", report_path, "--quiet"],
        capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - started
    if completed.stderr.strip():
        print(completed.stderr.strip(), file=sys.stderr)
    with open(report_path) as handle:
        return json.load(handle), completed.returncode, elapsed


def compare(scenario, report, expected):
    problems = []
    for testcase in report["testcases"]:
        tid, status = testcase["id"], testcase["status"]
        want = expected.get(tid)
        if not testcase["implemented"]:
            if testcase["verdict"] != "MISSING":
                problems.append(f"{tid}: not implemented but its verdict is {testcase['verdict']}")
            continue
        if want is None:
            problems.append(f"{tid}: the scenario declares no verdict")
        elif status != want and not (status == "N/A" and want == "PASS"):
            summary = testcase.get("summary", "")
            problems.append(f"{tid}: got {status}, scenario expects {want} ({summary})")
    return problems


def main(binary, scenarios):
    if not scenarios:
        scenarios = sorted(f[:-5] for f in os.listdir(SCENARIOS) if f.endswith(".yaml"))
        scenarios = [s for s in scenarios if s != "compliant"] + ["compliant"]
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            seed = subprocess.run([os.path.join(CLOUD, "testcloud"), "seed", scenario],
                                  capture_output=True, text=True)
            if seed.returncode != 0:
                print(f"FAIL {scenario}: seeding failed:\n{seed.stdout[-2000:]}{seed.stderr[-2000:]}")
                failed += 1
                continue
            report, rc, elapsed = run_tool(binary, os.path.join(tmp, scenario + ".json"))
            problems = compare(scenario, report, expected_verdicts(scenario))
            ran = sum(1 for t in report["testcases"] if t["implemented"])
            if problems:
                failed += 1
                print(f"FAIL {scenario} (exit {rc}, {elapsed:.1f} s, {ran} testcases run):")
                for problem in problems:
                    print(f"     {problem}")
            else:
                passed += 1
                print(f"ok   {scenario} (exit {rc}, {elapsed:.1f} s, {ran} testcases run, "
                      f"{report['calls']['calls']} API calls)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    sys.exit(main(sys.argv[1], sys.argv[2:]))
