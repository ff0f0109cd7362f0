#!/usr/bin/python3
"""Integration test: scs-0125 against the test cloud's TLS front (tests/cloud/lib/tls.sh).

Runs `scs-conformance run --scope standards/scopes/scs-conformance-extras.yaml` as
  testcloud-tls       (RegionTLS: every API behind Mozilla-intermediate nginx)  → both PASS, exit 0
  testcloud-tls-weak  (RegionTLSWeak: identity behind the weak port 15001)      → FAIL naming 15001, exit 1
  testcloud-tls-down  (RegionTLSDown: identity on a port nobody listens on)     → ABORT, exit 2
  testcloud-member    (RegionOne: plain http)                                   → https-endpoints FAIL, exit 1
and testcloud-tls without its `cacert` (exit 69, one line naming the https URL), and checks
that --tests selects one testcase. Prints one line per run and `N passed, M failed`.

Usage: tls_front.py SCS_CONFORMANCE_BINARY
"""
import json
import os
import subprocess
import sys
import tempfile
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.join(HERE, "..", "..")
CLOUD = os.path.join(HERE, "..", "cloud")
SCOPE = os.path.join(TOP, "standards", "scopes", "scs-conformance-extras.yaml")
TLS = "scs-0125-tls-intermediate"
HTTPS = "scs-0125-https-endpoints"


def run(binary, cloud, tmp, extra=(), env=None):
    report = os.path.join(tmp, f"{cloud}.json")
    if os.path.exists(report):
        os.remove(report)
    started = time.monotonic()
    done = subprocess.run([binary, "run", "--scope", SCOPE, "--os-cloud", cloud, "--json", report, "--quiet",
                           *extra], capture_output=True, text=True, timeout=300, env=env)
    elapsed = time.monotonic() - started
    with open(report) as handle:
        outcomes = {t["id"]: t for t in json.load(handle)["testcases"]}
    return done, outcomes, elapsed


def evidence(outcome):
    return " | ".join(f"{e['subject']}: {e['message']}" for e in outcome.get("evidence", []))


def main(binary):
    checks = []  # (name, ok, detail)

    def expect(name, ok, detail=""):
        checks.append((name, ok, detail))

    with tempfile.TemporaryDirectory() as tmp:
        done, out, took = run(binary, "testcloud-tls", tmp)
        expect(f"testcloud-tls: both PASS, exit 0 ({took:.1f} s)",
               done.returncode == 0 and out[TLS]["status"] == "PASS" and out[HTTPS]["status"] == "PASS",
               f"exit {done.returncode}; {out[TLS]['summary']}; {evidence(out[TLS])}; {out[HTTPS]['summary']}")

        done, out, took = run(binary, "testcloud-tls-weak", tmp)
        text = evidence(out[TLS])
        expect(f"testcloud-tls-weak: FAIL naming the weak port, exit 1 ({took:.1f} s)",
               done.returncode == 1 and out[TLS]["status"] == "FAIL" and "127.0.0.1:15001" in text
               and "accepts TLSv1.1" in text and "825 days" in text and "19292" not in text,
               f"exit {done.returncode}; {out[TLS]['summary']}; {text}")

        done, out, took = run(binary, "testcloud-tls-down", tmp)
        expect(f"testcloud-tls-down: ABORT naming the dead port, exit 2 ({took:.1f} s)",
               done.returncode == 2 and out[TLS]["status"] == "ABORT" and "15002" in out[TLS]["summary"],
               f"exit {done.returncode}; {out[TLS]['summary']}")

        done, out, took = run(binary, "testcloud-member", tmp)
        expect(f"testcloud-member: http endpoints FAIL, TLS N/A, exit 1 ({took:.1f} s)",
               done.returncode == 1 and out[HTTPS]["status"] == "FAIL" and out[TLS]["status"] == "N/A"
               and "http://127.0.0.1:5000/v3" in evidence(out[HTTPS]),
               f"exit {done.returncode}; {out[HTTPS]['summary']}")

        done, out, took = run(binary, "testcloud-tls", tmp, ["--tests", TLS])
        expect("--tests selects only scs-0125-tls-intermediate",
               out[TLS]["implemented"] and out[TLS]["status"] == "PASS" and HTTPS not in out,
               json.dumps({k: v.get("status") for k, v in out.items()}))

        # The same cloud without its CA file: the run cannot start, with one clear line.
        state = os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud")
        with open(os.path.join(state, "clouds.yaml")) as handle:
            clouds = yaml.safe_load(handle)
        cloud = clouds["clouds"]["testcloud-tls"]
        cloud.pop("cacert", None)
        no_ca = os.path.join(tmp, "clouds.yaml")
        fd = os.open(no_ca, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            yaml.safe_dump({"clouds": {"testcloud-tls": cloud}}, handle)
        env = dict(os.environ, OS_CLIENT_CONFIG_FILE=no_ca)
        done, out, took = run(binary, "testcloud-tls", tmp, env=env)
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        expect(f"testcloud-tls without cacert: exit 69, one line naming the URL ({took:.1f} s)",
               done.returncode == 69 and len(lines) == 1 and "https://127.0.0.1:15000" in lines[0],
               f"exit {done.returncode}; stderr: {done.stderr.strip()}")

    failed = 0
    for name, ok, detail in checks:
        print(f"{'ok  ' if ok else 'FAIL'} {name}")
        if not ok:
            failed += 1
            print(f"     {detail}")
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    # Idempotent: re-registers https endpoints a scenario's catalog changes may have dropped.
    subprocess.run([os.path.join(CLOUD, "testcloud"), "tls-up"], check=True)
    sys.exit(main(sys.argv[1]))
