#!/usr/bin/python3
"""Integration test: scs-conformance against the real test cloud, in every scenario.

For each scenario in tests/cloud/scenarios/ (compliant last, so the cloud ends compliant):
seed it, run `scs-conformance run` as testcloud-member with a JSON report, and compare every
testcase the tool implements with the verdict the scenario declares for scope versions v5.1
and next, main and recommended targets, and the unscoped testcases (the run adds the
recommended and unscoped testcases, which never decide); N/A is a verdict of its own.
Testcases of our own scope (standards/scopes/scs-conformance-extras.yaml) that a scenario
declares under `expect.extras` are checked by a second run of that scope, limited to them and
with the admin account (scs-0302 needs it), which must leave nothing behind.
Testcases the tool does not implement yet must be reported MISSING,
never passed.


Only `compliant` and `broken-entropy` (whose sample VM must report a starved pool) get the
full run. The other scenarios differ from it in flavors, images,
volume types and the catalog, which only the read-only testcases look at, so they run with
`--read-only`: the testcases that create resources (a VM whose console is watched until it
is quiet, a volume backup, ...) are proven here by the compliant run and in
resource_cleanup.py. Those left out must not run, must be counted MISSING in every main
target that lists them, and the run's verdict must not be PASS.

Prints one line per scenario (seeding and run time) and per mismatch, and a closing line
`N passed, M failed` (one check per scenario).

With `--reports-dir DIR` (anywhere among the arguments; created if need be) the reports are
kept: each scenario's run also gets `--subject scenario-<scenario>` and writes the YAML report
for the compliance monitor to DIR/<scenario>.yaml, and its JSON report is DIR/<scenario>.json
(a scenario's reports from an earlier run are removed before it is seeded). Without it the
JSON reports go to a temporary directory and no YAML report is written. With it, each run is
also recorded into DIR/recordings/<scenario> (the batch stage replays them).

Usage: scenario_verdicts.py [--reports-dir DIR] SCS_CONFORMANCE_BINARY [SCENARIO...]
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
CLOUD = os.path.join(HERE, "..", "cloud")
SCENARIOS = os.path.join(CLOUD, "scenarios")
STANDARDS = os.path.join(HERE, "..", "..", "standards")
VERSIONS = ("v5.1", "next")
# The run adds the recommended testcases (--include-recommended) and those no module lists
# (--include-unscoped, declared once under `expect.unscoped`).
TARGETS = ("main", "recommended", "unscoped")
VERDICTS = ("PASS", "FAIL", "ABORT", "N/A")  # N/A is a verdict of its own, never taken for PASS
FULL_RUN = {"compliant", "broken-entropy"}  # every other scenario runs --read-only


def expected_verdicts(scenario, targets=None):
    """{testcase: verdict} over the targets (default: main and recommended) of the versions
    compared. A testcase declared in several places must be declared alike: the report has one
    outcome."""
    targets = targets or TARGETS
    with open(os.path.join(SCENARIOS, scenario + ".yaml")) as handle:
        expect = yaml.safe_load(handle)["expect"]
    verdicts = {}
    for version in VERSIONS:
        declared = expect[version]
        if set(declared) - {"main", "recommended"}:
            sys.exit(f"{scenario}: {version} declares targets {sorted(set(declared))}, "
                     "this test compares main and recommended (unscoped is declared once, beside the versions)")
        for target in (t for t in targets if t != "unscoped"):
            for testcase, verdict in (declared.get(target) or {}).items():
                result = verdict if isinstance(verdict, str) else verdict["result"]
                if result not in VERDICTS:
                    sys.exit(f"{scenario}: {testcase} declares '{result}', not one of {VERDICTS}")
                if verdicts.setdefault(testcase, result) != result:
                    sys.exit(f"{scenario}: {testcase} is declared {verdicts[testcase]} and {result}")
    if "unscoped" in targets:
        # Testcases the scope defines but no module lists: one list, for every version.
        for testcase, verdict in (expect.get("unscoped") or {}).items():
            result = verdict if isinstance(verdict, str) else verdict["result"]
            if result not in VERDICTS:
                sys.exit(f"{scenario}: {testcase} declares '{result}', not one of {VERDICTS}")
            if verdicts.setdefault(testcase, result) != result:
                sys.exit(f"{scenario}: {testcase} is declared {verdicts[testcase]} and {result}")
    if len(verdicts) < 40:
        sys.exit(f"{scenario}: only {len(verdicts)} declared verdicts; the file lost its targets?")
    return verdicts


EXTRAS_SCOPE = os.path.join(STANDARDS, "scopes", "scs-conformance-extras.yaml")


def extras_problems(binary, scenario, report_path):
    """Our own scope (scs-conformance-extras) is run once more for the testcases the scenario
    declares under `expect.extras` ({testcase: verdict}, main and recommended targets alike),
    and only those, with the admin account (--admin-cloud testcloud-admin
    --allow-privileged-roles) that scs-0302 needs; never --read-only, as the declared testcases
    are chosen on purpose (scs-0302's create Keystone objects); problems as lines. The run must
    leave nothing in either journal. A scenario without `extras` declares none."""
    with open(os.path.join(SCENARIOS, scenario + ".yaml")) as handle:
        declared = yaml.safe_load(handle)["expect"].get("extras") or {}
    if not declared:
        return [], 0
    expected = {}
    for testcase, verdict in declared.items():
        expected[testcase] = verdict if isinstance(verdict, str) else verdict["result"]
        if expected[testcase] not in VERDICTS:
            sys.exit(f"{scenario}: extras {testcase} declares '{expected[testcase]}', not one of {VERDICTS}")
    command = [binary, "run", "--os-cloud", "testcloud-member", "--admin-cloud", "testcloud-admin",
               "--allow-privileged-roles", "--scope", EXTRAS_SCOPE, "--json", report_path,
               "--quiet", "--include-recommended", "--tests", "|".join(sorted(expected))]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if completed.stderr.strip():
        print(completed.stderr.strip(), file=sys.stderr)
    if not os.path.exists(report_path):
        return [f"extras run wrote no report (exit {completed.returncode})"], 0
    with open(report_path) as handle:
        report = json.load(handle)
    reported = {t["id"]: t for t in report["testcases"]}
    problems = [f"extras: left behind {report['left_behind']}"] if report.get("left_behind") else []
    for testcase, want in sorted(expected.items()):
        got = reported.get(testcase)
        if got is None or not got["implemented"]:
            problems.append(f"extras {testcase}: the scenario expects {want}, the report does not have it run")
        elif got["status"] != want:
            problems.append(f"extras {testcase}: got {got['status']}, scenario expects {want} "
                            f"({got.get('summary', '')})")
    return problems, len(expected)


def creating_testcases():
    """The ids our standard files mark `creates_resources: true` (read here, not from the tool)."""
    ids = set()
    for path in glob.glob(os.path.join(STANDARDS, "*.yaml")):
        with open(path) as handle:
            standard = yaml.safe_load(handle)
        ids.update(t["id"] for t in standard.get("testcases", []) if t.get("creates_resources"))
    if not ids:
        sys.exit(f"no testcase in {STANDARDS} creates resources: wrong directory?")
    return ids


def seed(scenario):
    started = time.monotonic()
    completed = subprocess.run([os.path.join(CLOUD, "testcloud"), "seed", scenario],
                               capture_output=True, text=True)
    return completed, time.monotonic() - started


def run_tool(binary, report_path, read_only, subject=None, yaml_path=None, record_dir=None):
    command = [binary, "run", "--os-cloud", "testcloud-member", "--json", report_path, "--quiet",
               "--include-recommended", "--include-unscoped"]
    if record_dir is not None:
        command += ["--record", record_dir]
    if read_only:
        command.append("--read-only")
    if subject is not None:
        command += ["--subject", subject]
    if yaml_path is not None:
        command += ["-o", yaml_path]
    started = time.monotonic()
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    elapsed = time.monotonic() - started
    if completed.stderr.strip():
        print(completed.stderr.strip(), file=sys.stderr)
    with open(report_path) as handle:
        return json.load(handle), completed.returncode, elapsed


def compare(report, expected, left_out):
    """Mismatches between the report and the scenario; `left_out` are the ids --read-only skips
    (empty for a full run)."""
    problems = []
    reported = {}
    for testcase in report["testcases"]:
        tid, status = testcase["id"], testcase["status"]
        reported[tid] = testcase
        want = expected.get(tid)
        if not testcase["implemented"]:
            if testcase["verdict"] != "MISSING":
                problems.append(f"{tid}: not implemented but its verdict is {testcase['verdict']}")
            continue
        if tid in left_out:
            problems.append(f"{tid}: creates resources but ran under --read-only (got {status})")
        elif want is None:
            problems.append(f"{tid}: the scenario declares no verdict")
        elif status != want:
            summary = testcase.get("summary", "")
            problems.append(f"{tid}: got {status}, scenario expects {want} ({summary})")
    for tid in sorted(set(expected) - set(reported) - left_out):
        problems.append(f"{tid}: the scenario expects {expected[tid]}, the report does not have it")
    problems += compare_targets(report, reported, left_out)
    return problems


def compare_targets(report, reported, left_out):
    """Every main target counts a testcase that did not run (left out or not implemented) as
    MISSING, never as passed; a run that left out a required testcase is not PASS."""
    problems = []
    incomplete = False
    for version in report["versions"]:
        if version["name"] not in VERSIONS:
            continue
        for target in version["targets"]:
            if target["name"] != "main":
                continue
            ids = target["testcases"]
            not_run = [t for t in ids if t not in reported or not reported[t]["implemented"]]
            where = f"{version['name']} main"
            if any(t in left_out for t in ids) and version["decides_exit"]:
                incomplete = True
            unexplained = [t for t in not_run if t not in reported and t not in left_out]
            if unexplained:
                problems.append(f"{where}: {', '.join(unexplained)} neither ran nor were reported "
                                "not implemented, and --read-only does not leave them out")
            if target["missing"] != len(not_run):
                problems.append(f"{where}: counts {target['missing']} missing, but {len(not_run)} "
                                f"did not run ({', '.join(not_run)})")
            counted = target["passed"] + target["failed"] + target["aborted"] + target["missing"]
            if counted != len(ids):
                problems.append(f"{where}: counts {counted} testcases, lists {len(ids)}")
            if not_run and target["verdict"] == "PASS":
                problems.append(f"{where}: verdict PASS although {', '.join(not_run)} did not run")
    if incomplete and (report["verdict"] == "PASS" or report["exit_code"] == 0):
        problems.append(f"verdict {report['verdict']}, exit {report['exit_code']} although "
                        "--read-only left out required testcases")
    return problems


def status_of(testcase):
    return testcase["status"] if testcase["status"] is not None else testcase["verdict"]


def check_diff(binary, reports_dir, baseline, scenario):
    """`diff BASELINE SCENARIO` names exactly the testcases whose status differs, and
    --fail-on new-failures exits 1 exactly when one got worse; problems as lines."""
    old_path = os.path.join(reports_dir, baseline + ".json")
    new_path = os.path.join(reports_dir, scenario + ".json")
    old = {t["id"]: status_of(t) for t in json.load(open(old_path))["testcases"]}
    new = {t["id"]: status_of(t) for t in json.load(open(new_path))["testcases"]}
    differing = {i for i in old.keys() | new.keys() if old.get(i) != new.get(i)}
    incomplete = ("ABORT", "MISSING")
    got_worse = any((new[i] == "FAIL" and old[i] != "FAIL") or (new[i] in incomplete and old[i] not in incomplete)
                    for i in differing if i in old and i in new)
    done = subprocess.run([binary, "diff", old_path, new_path, "--format", "json", "--fail-on", "new-failures"],
                          capture_output=True, text=True)
    if done.returncode not in (0, 1):
        return [f"diff exited {done.returncode}: {done.stderr.strip()}"]
    answer = json.loads(done.stdout)
    named = {c["name"] for key in ("new_failures", "newly_aborted", "fixed", "added", "removed", "other")
             for c in answer[key]}
    problems = []
    if named != differing:
        problems.append(f"diff names {sorted(named ^ differing)} wrongly (differing: {len(differing)}, "
                        f"named: {len(named)})")
    severity = {"FAIL": 3, "MISSING": 2, "ABORT": 1}
    got_worse = got_worse or any(v["before"] and v["after"] and severity.get(v["after"], 0) > severity.get(v["before"], 0)
                                 for v in answer["versions"])
    if (done.returncode == 1) != got_worse:
        problems.append(f"diff --fail-on new-failures exited {done.returncode}")
    return problems


def main(binary, scenarios, reports_dir=None):
    if reports_dir is not None:
        os.makedirs(reports_dir, exist_ok=True)
    if not scenarios:
        scenarios = sorted(f[:-5] for f in os.listdir(SCENARIOS) if f.endswith(".yaml"))
        scenarios = [s for s in scenarios if s != "compliant"] + ["compliant"]
    creating = creating_testcases()
    passed = failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            if reports_dir is not None:
                json_path = os.path.join(reports_dir, scenario + ".json")
                yaml_path = os.path.join(reports_dir, scenario + ".yaml")
                for stale in (json_path, yaml_path):  # an earlier run's reports never pass for this one's
                    if os.path.exists(stale):
                        os.remove(stale)
            seeded, seed_seconds = seed(scenario)
            if seeded.returncode != 0:
                print(f"FAIL {scenario}: seeding failed:\n{seeded.stdout[-2000:]}{seeded.stderr[-2000:]}")
                failed += 1
                continue
            read_only = scenario not in FULL_RUN
            if reports_dir is None:
                report, rc, elapsed = run_tool(binary, os.path.join(tmp, scenario + ".json"), read_only)
            else:
                # Recorded too: the batch stage replays every scenario as a subject of its own.
                record_dir = os.path.join(reports_dir, "recordings", scenario)
                shutil.rmtree(record_dir, ignore_errors=True)
                report, rc, elapsed = run_tool(binary, json_path, read_only, subject=f"scenario-{scenario}",
                                               yaml_path=yaml_path, record_dir=record_dir)
            expected = expected_verdicts(scenario)
            left_out = creating if read_only else set()
            problems = compare(report, expected, left_out)
            extras, extras_run = extras_problems(binary, scenario, os.path.join(tmp, scenario + "-extras.json"))
            problems += extras
            ran = sum(1 for t in report["testcases"] if t["implemented"])
            mode = f"read-only, {len(left_out & set(expected))} left out" if read_only else "full"
            line = (f"{scenario} ({mode}; seed {seed_seconds:.1f} s; run: exit {rc}, {elapsed:.1f} s, "
                    f"{ran} testcases run" + (f", {extras_run} of the extras scope" if extras_run else ""))
            if problems:
                failed += 1
                print(f"FAIL {line}):")
                for problem in problems:
                    print(f"     {problem}")
            else:
                passed += 1
                print(f"ok   {line}, {report['calls']['calls']} API calls)")
    # What changed between the compliant cloud and each broken one, as `diff` says it.
    if reports_dir is not None and "compliant" in scenarios:
        for scenario in scenarios:
            if scenario == "compliant" or not os.path.exists(os.path.join(reports_dir, scenario + ".json")):
                continue
            problems = check_diff(binary, reports_dir, "compliant", scenario)
            if problems:
                failed += 1
                print(f"FAIL diff compliant {scenario}: " + "; ".join(problems))
            else:
                passed += 1
                print(f"ok   diff compliant {scenario}: names exactly the testcases that differ")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def parse_arguments(argv):
    """(binary, scenarios, reports_dir) from argv[1:]; `--reports-dir DIR` (or
    `--reports-dir=DIR`) may stand anywhere, everything else is positional as before."""
    positional = []
    reports_dir = None
    arguments = iter(argv)
    for argument in arguments:
        if argument == "--reports-dir" or argument.startswith("--reports-dir="):
            if reports_dir is not None:
                sys.exit("--reports-dir is given more than once\n\n" + __doc__)
            reports_dir = argument.partition("=")[2] if "=" in argument else next(arguments, "")
            if not reports_dir:
                sys.exit("--reports-dir needs a directory\n\n" + __doc__)
        else:
            positional.append(argument)
    if not positional:
        sys.exit(__doc__)
    return positional[0], positional[1:], reports_dir


if __name__ == "__main__":
    binary, scenarios, reports_dir = parse_arguments(sys.argv[1:])
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    sys.exit(main(binary, scenarios, reports_dir))
