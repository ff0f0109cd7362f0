#!/usr/bin/env python3
"""The bundled example recordings replay to their scenario's verdicts, creating testcases
included, and a replay leaves nothing behind.

    example_recordings.py BINARY
    example_recordings.py --report REPORT.json --scenario SCENARIO --exit-code N
        (judges a replay made elsewhere, e.g. by the installed package in a clean root)

examples/testcloud-compliant and examples/testcloud-broken are full runs against the real test
cloud (scripts/record-examples). Each is replayed with a private HOME and TMPDIR: every testcase
must give the verdict tests/cloud/scenarios/<scenario>.yaml declares (none "not replayed"), the
exit code must follow from those verdicts, and neither the state directory (the journal of a
real cloud) nor a scratch directory may remain afterwards.
"""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scenario_verdicts  # noqa: E402  (the scenario expectations and their comparison)

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
EXAMPLES = {"testcloud-compliant": "compliant", "testcloud-broken": "broken-flavors"}


def expected_exit_code(expected):
    statuses = set(expected.values())
    if "FAIL" in statuses:
        return 1
    return 2 if "ABORT" in statuses else 0


def files_below(directory):
    return sorted(os.path.join(root, name) for root, _, names in os.walk(directory) for name in names)


def judge(report, scenario, returncode):
    """What is wrong with a replay's report and exit code, against the scenario."""
    # The examples are recorded without --include-recommended: their main targets only.
    expected = scenario_verdicts.expected_verdicts(scenario, targets=("main",))
    problems = scenario_verdicts.compare(report, expected, set())
    for testcase in report["testcases"]:
        if testcase.get("summary", "").startswith("not replayed"):
            problems.append(f"{testcase['id']}: {testcase['summary']}")
    want = expected_exit_code(expected)
    if returncode != want:
        problems.append(f"exit code {returncode}, the scenario's verdicts give {want}")
    return problems


def check(binary, example, scenario):
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        home, tmp = os.path.join(scratch, "home"), os.path.join(scratch, "tmp")
        os.makedirs(home)
        os.makedirs(tmp)
        report_path = os.path.join(scratch, "report.json")
        env = {k: v for k, v in os.environ.items() if k not in ("SCS_STATE_DIR", "XDG_STATE_HOME")}
        env.update(HOME=home, TMPDIR=tmp)
        completed = subprocess.run(
            [binary, "run", "--replay", os.path.join(TOP, "examples", example), "--json", report_path, "--quiet"],
            capture_output=True, text=True, env=env, timeout=120)
        if completed.stderr.strip():
            problems.append(f"stderr: {completed.stderr.strip()}")
        with open(report_path) as handle:
            report = json.load(handle)
        problems += judge(report, scenario, completed.returncode)
        # The spec cache may stay (parsed standards and scope, like any run's); nothing else, and
        # never a token: a replay has none to keep.
        spec_cache = os.path.join(home, ".cache", "scs-conformance")
        left = [f for f in files_below(home) + files_below(tmp)
                if not (os.path.dirname(f) == spec_cache
                        and os.path.basename(f).startswith(("specs-", "scope-")))]
        if left:
            problems.append(f"the replay left files behind: {left}")
        creating = scenario_verdicts.creating_testcases()
        ran = [t["id"] for t in report["testcases"] if t["id"] in creating and t["implemented"]]
        print(f"{example} ({scenario}): exit {completed.returncode}, "
              f"{len(report['testcases'])} testcases, {len(ran)} of them create resources")
    return problems


def main():
    if sys.argv[1] == "--report":
        args = dict(zip(sys.argv[1::2], sys.argv[2::2]))
        with open(args["--report"]) as handle:
            problems = judge(json.load(handle), args["--scenario"], int(args["--exit-code"]))
        for problem in problems:
            print(f"{args['--report']}: {problem}")
        return 1 if problems else 0
    binary = os.path.abspath(sys.argv[1])
    failed = False
    for example, scenario in EXAMPLES.items():
        for problem in check(binary, example, scenario):
            print(f"{example}: {problem}")
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
