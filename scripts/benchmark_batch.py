#!/usr/bin/python3
"""Benchmark: a batch of 20 subjects with --jobs 4 against 20 sequential runs.

The subjects: the scenario recordings (replayed, read-only) under several subject names, and
the live test cloud (testcloud-member, read-only) under several subject names, 20 in all.
Prints the wall time of the batch and of the same 20 subjects as sequential `run` processes,
the batch process's peak RSS, and whether every subject made the same API calls both ways.

Usage: scripts/benchmark_batch.py [--live N] BINARY RECORDINGS_DIR
RECORDINGS_DIR: the scenario stage's build/integration-reports/recordings. Needs the test cloud
up (OS_CLIENT_CONFIG_FILE pointing at its clouds.yaml) for the live subjects.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time


def subjects(recordings, live, total=20):
    scenarios = sorted(os.listdir(recordings))
    out = []
    for i in range(total - live):
        scenario = scenarios[i % len(scenarios)]
        out.append({"name": f"{scenario}-{i}", "replay": os.path.join(recordings, scenario)})
    for i in range(live):
        out.append({"name": f"live-{i}", "os_cloud": "testcloud-member"})
    return out


def run_measured(command):
    started = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    return time.monotonic() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--live", type=int, default=6)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("binary")
    parser.add_argument("recordings")
    args = parser.parse_args()
    chosen = subjects(args.recordings, args.live)
    with tempfile.TemporaryDirectory() as tmp:
        subjects_file = os.path.join(tmp, "subjects.yaml")
        with open(subjects_file, "w") as handle:
            handle.write("subjects:\n")
            for subject in chosen:
                handle.write(f"  - name: {subject['name']}\n    read_only: true\n")
                for key in ("replay", "os_cloud"):
                    if key in subject:
                        handle.write(f"    {key}: {subject[key]}\n")
        batch_out = os.path.join(tmp, "batch")
        batch_wall, batch_rss, batch_code = run_measured(
            [args.binary, "batch", subjects_file, "--out", batch_out, "--jobs", str(args.jobs)])
        sequential_wall = 0.0
        sequential_rss = 0.0
        calls_differ = []
        for subject in chosen:
            report = os.path.join(tmp, subject["name"] + ".json")
            command = [args.binary, "run", "--quiet", "--read-only", "--subject", subject["name"], "--json", report]
            command += ["--replay", subject["replay"]] if "replay" in subject else ["--os-cloud", subject["os_cloud"]]
            wall, rss, _ = run_measured(command)
            sequential_wall += wall
            sequential_rss = max(sequential_rss, rss)
            alone = json.load(open(report))["calls"]["calls"]
            batched = json.load(open(os.path.join(batch_out, subject["name"], "report.json")))["calls"]["calls"]
            if alone != batched:
                calls_differ.append(f"{subject['name']}: {alone} alone, {batched} in the batch")
    print(f"subjects: {len(chosen)} ({len(chosen) - args.live} replayed, {args.live} live), --jobs {args.jobs}")
    print(f"batch: {batch_wall:.2f} s wall, peak RSS {batch_rss:.1f} MiB, exit {batch_code}")
    print(f"sequential runs: {sequential_wall:.2f} s wall in total, peak RSS of one run {sequential_rss:.1f} MiB")
    print(f"speed-up: {sequential_wall / batch_wall:.2f}x")
    print("API calls per subject: " + ("the same in the batch and alone" if not calls_differ else "; ".join(calls_differ)))
    return 0 if not calls_differ else 1


if __name__ == "__main__":
    sys.exit(main())
