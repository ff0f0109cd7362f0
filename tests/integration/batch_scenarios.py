#!/usr/bin/python3
"""A batch over the test cloud's scenarios: every scenario the scenario stage recorded becomes a
subject of its own (replayed, read-only), plus the live test cloud under its own name; one
`batch --jobs 4` checks them all.

Asserts: each replayed subject's testcases have the statuses of the scenario's live run (the
resource-creating ones are left out); the overview (index.json) has one row per subject with the
verdicts of that subject's own report and exit code, and the batch exits with the worst; a broken
subject (no such cloud) is that subject's error only; Chromium renders index.html with every
subject linked (a screenshot is kept beside it).

Usage: batch_scenarios.py SCS_CONFORMANCE_BINARY REPORTS_DIR
REPORTS_DIR is the scenario stage's (DIR/<scenario>.json and DIR/recordings/<scenario>).
"""
import json
import os
import shutil
import subprocess
import sys

SEVERITY = {130: 7, 70: 6, 78: 5, 69: 4, 64: 3, 1: 2, 2: 1, 0: 0}


def status_of(testcase):
    return testcase["status"] if testcase["status"] is not None else testcase["verdict"]


def main(binary, reports_dir):
    recordings = os.path.join(reports_dir, "recordings")
    scenarios = sorted(os.listdir(recordings)) if os.path.isdir(recordings) else []
    if not scenarios:
        print(f"FAIL no recordings in {recordings}: run the scenario stage first")
        return 1
    out = os.path.join(reports_dir, "batch")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    subjects = os.path.join(out, "subjects.yaml")
    with open(subjects, "w") as handle:
        handle.write("subjects:\n")
        for scenario in scenarios:
            handle.write(f"  - name: {scenario}\n    replay: {os.path.join(recordings, scenario)}\n"
                         "    read_only: true\n")
        handle.write("  - name: testcloud-live\n    os_cloud: testcloud-member\n    read_only: true\n")
        handle.write("  - name: broken\n    os_cloud: no-such-cloud\n")
    done = subprocess.run([binary, "batch", subjects, "--out", out, "--jobs", "4"], capture_output=True, text=True,
                          timeout=900)
    problems = []
    index = json.load(open(os.path.join(out, "index.json")))
    rows = {row["subject"]: row for row in index["subjects"]}
    if set(rows) != set(scenarios) | {"testcloud-live", "broken"}:
        problems.append(f"the overview has the subjects {sorted(rows)}")
    worst = 0
    for name, row in rows.items():
        worst = max(worst, row["exit_code"], key=lambda code: SEVERITY.get(code, 6))
        if name == "broken":
            if row["exit_code"] != 78 or "no-such-cloud" not in (row["error"] or ""):
                problems.append(f"broken: exit {row['exit_code']}, error {row['error']!r}")
            continue
        own_path = os.path.join(out, name, "report.json")
        if not os.path.exists(own_path):
            problems.append(f"{name}: no report ({row['error']})")
            continue
        own = json.load(open(own_path))
        if row["versions"] != {v["name"]: v["verdict"] for v in own["versions"]}:
            problems.append(f"{name}: the overview's verdicts {row['versions']} are not its report's")
        if row["exit_code"] != own["exit_code"]:
            problems.append(f"{name}: exit {row['exit_code']} in the overview, {own['exit_code']} in its report")
        if name in scenarios:
            live = {t["id"]: status_of(t) for t in json.load(open(os.path.join(reports_dir, name + ".json")))["testcases"]}
            replayed = {t["id"]: status_of(t) for t in own["testcases"]}
            differing = sorted(i for i, status in replayed.items() if status != "MISSING" and live.get(i) != status)
            if differing:
                problems.append(f"{name}: replayed statuses differ from the live run for {differing}")
    if done.returncode != worst:
        problems.append(f"batch exited {done.returncode}, the worst subject's code is {worst}")
    # The overview as a person sees it.
    browser = shutil.which("chromium")
    if browser is None:
        problems.append("chromium is not installed")
    else:
        page = "file://" + os.path.abspath(os.path.join(out, "index.html"))
        dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page],
                             capture_output=True, text=True, timeout=120).stdout
        for name in rows:
            if name != "broken" and f'<a href="{name}/report.html">{name}</a>' not in dom:
                problems.append(f"index.html as Chromium renders it lacks the link to {name}")
        subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                        "--window-size=1100,700", f"--screenshot={os.path.join(out, 'index.png')}", page],
                       capture_output=True, timeout=120)
    for problem in problems:
        print(f"FAIL {problem}")
    if not problems:
        print(f"ok   batch of {len(rows)} subjects: verdicts per subject, the overview, exit {done.returncode}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    # The live subject uses the test cloud's clouds.yaml, as the scenario stage does.
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    sys.exit(main(sys.argv[1], sys.argv[2]))
