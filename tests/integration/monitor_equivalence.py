#!/usr/bin/python3
"""Integration test: signed reports uploaded to the real SCS compliance monitor, judged as we judge.

Starts the official monitor (../shared/peers/scs-compliance-monitor: monitor.py unchanged, its
own PostgreSQL) on 127.0.0.1 with an account per subject, then for every report in REPORTS_DIR
(each scenario's YAML and JSON report, written by scenario_verdicts.py --reports-dir) and for
KaaS reports of the fake Kubernetes API:
  - signs it (`scs-conformance sign`) and uploads it (`scs-conformance upload`), twice: the second
    upload must be answered "already present" and still exit 0;
  - reads back GET /status?subject=... and compares, per scope version, the monitor's result with
    our verdict (PASS 1, FAIL -1, ABORT 0, MISSING null) and, per testcase, the monitor's stored
    result with ours (PASS and N/A 1, FAIL -1, ABORT 0, not run: absent), and every target the
    monitor computes with ours.
Then the negative cases, each against the real monitor: wrong password, wrong key, a tampered
report, a subject the account may not upload for, a wrong content type, an unreachable monitor;
each must give its documented exit code and one line, and the monitor must store nothing.
With --replay-examples it also replays the bundled example recordings (examples/testcloud-*; no
cloud needed), each plainly and with `--attest` (an attestation file bound to the subject: a
passing, a failing and an expired attestation of the scope's manual testcases), and compares
those reports too: the monitor must store the attested results as ours and judge them as we do.
With --live-cloud it also runs `run --read-only --sign-key --upload` against the running test
cloud, plain and with --include-recommended (the exit code must be the verdict's, the monitor's
judgement ours), then with a wrong password (the verdict's code plus 80).

Differences the monitor is known to make are listed in KNOWN_DIFFERENCES with their reason;
anything else fails the test. Prints the equivalence table and the upload times.

Usage: monitor_equivalence.py SCS_CONFORMANCE REPORTS_DIR [--fake-kube-api BINARY] [--replay-examples]
                              [--live-cloud]
(REPORTS_DIR may be empty with --replay-examples.)
"""
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))
PEER_PATH = os.path.join("shared", "peers", "scs-compliance-monitor")


def find_peer():
    """The monitor peer: $SCS_MONITOR_PEER, else shared/ beside this checkout, beside the
    repository it was cloned from (a CI clone may live elsewhere), or in /work. Missing is a
    failure of this test, never a skip."""
    if os.environ.get("SCS_MONITOR_PEER"):
        return os.environ["SCS_MONITOR_PEER"]
    candidates = [os.path.join(TOP, "..", PEER_PATH)]
    origin = subprocess.run(["git", "-C", TOP, "remote", "get-url", "origin"], capture_output=True, text=True)
    if origin.returncode == 0 and os.path.isdir(origin.stdout.strip()):
        candidates.append(os.path.join(origin.stdout.strip(), "..", PEER_PATH))
    candidates.append(os.path.join("/work", PEER_PATH))
    for candidate in candidates:
        if os.path.exists(os.path.join(candidate, "monitor")):
            return os.path.normpath(candidate)
    sys.exit(f"the compliance monitor peer is missing (looked in {', '.join(candidates)}; set SCS_MONITOR_PEER)")
KAAS_SCOPE = os.path.join(TOP, "standards", "scopes", "scs-compatible-kaas.yaml")
VALUE = {"PASS": 1, "N/A": 1, "FAIL": -1, "ABORT": 0}
VERDICT_VALUE = {"PASS": 1, "FAIL": -1, "ABORT": 0, "MISSING": None}
PASSWORD = "monitor-test-Pa55"
READER = "certbody"
INTRUDER = "intruder"

# (subject pattern, version, what) → why the monitor differs from us there. Empty: none known.
KNOWN_DIFFERENCES = {}

problems = []


def problem(text):
    problems.append(text)
    print(f"     {text}")


def run(argv, **kwargs):
    return subprocess.run(argv, capture_output=True, text=True, timeout=kwargs.pop("timeout", 900), **kwargs)


def bcrypt_hash(password):
    completed = run(["/usr/bin/python3", "-c",
                     "import sys; from passlib.hash import bcrypt; print(bcrypt.hash(sys.argv[1]))", password])
    if completed.returncode != 0:
        sys.exit(f"cannot hash a password with passlib: {completed.stderr.strip()}")
    return completed.stdout.strip()


def make_key(directory, name):
    path = os.path.join(directory, name)
    completed = run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", path])
    if completed.returncode != 0:
        sys.exit(f"ssh-keygen failed: {completed.stderr}")
    with open(path + ".pub") as handle:
        key_type, key_data = handle.read().split()[:2]
    return path, key_type, key_data


def credentials_file(directory, account, password=PASSWORD):
    path = os.path.join(directory, f"credentials-{account}-{len(password)}")
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as handle:
        handle.write(f"{account}:{password}\n")
    return path


def bootstrap(directory, subjects, provider_key, intruder_key):
    hashed = bcrypt_hash(PASSWORD)
    lines = ["accounts:"]

    def account(subject, key, roles):
        lines.extend([f"  - subject: {subject}", "    api_keys:", f"      - \"{hashed}\"", "    keys:" if key else "    keys: []"])
        if key:
            lines.extend([f"      - public_key: \"{key[2]}\"", f"        public_key_type: {key[1]}",
                          "        public_key_name: ci"])
        lines.append(f"    roles: [{', '.join(roles)}]")

    for subject in subjects:
        account(subject, provider_key, [])
    account(READER, None, ["read_any"])
    account(INTRUDER, intruder_key, [])
    path = os.path.join(directory, "bootstrap.yaml")
    with open(path, "w") as handle:
        handle.write("\n".join(lines) + "\n")
    return path


class Monitor:
    def __init__(self, state, bootstrap_file):
        self.state = state
        self.script = os.path.join(find_peer(), "monitor")
        started = time.monotonic()
        completed = run([self.script, "start", "--state", state, "--bootstrap", bootstrap_file], timeout=600)
        if completed.returncode != 0:
            sys.exit(f"the monitor did not start:\n{completed.stdout}{completed.stderr}")
        self.url = re.search(r"url=(\S+)", completed.stdout).group(1)
        print(f"monitor up at {self.url} in {time.monotonic() - started:.1f} s")

    def stop(self):
        run([self.script, "stop", "--state", self.state], timeout=120)

    def get(self, path, account=READER):
        request = urllib.request.Request(self.url + path, headers={
            "Accept": "application/json",
            "Authorization": "Basic " + base64.b64encode(f"{account}:{PASSWORD}".encode()).decode()})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.load(answer)

    def post_raw(self, body, content_type, account):
        request = urllib.request.Request(self.url + "/reports", data=body, method="POST", headers={
            "Content-Type": content_type,
            "Authorization": "Basic " + base64.b64encode(f"{account}:{PASSWORD}".encode()).decode()})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def stored_reports(self, subject):
        return len(self.get(f"/reports?subject={subject}&limit=1000"))

    def has_report(self, run_uuid):
        try:
            self.get(f"/reports/{run_uuid}")
            return True
        except urllib.error.HTTPError as error:
            if error.code == 404:
                return False
            raise


def sign_and_upload(binary, report, key, credentials, monitor_url, extra=()):
    signed = run([binary, "sign", report, "--key", key])
    if signed.returncode != 0:
        return signed, 0.0
    started = time.monotonic()
    uploaded = run([binary, "upload", report, "--monitor", monitor_url, "--credentials", credentials, *extra])
    return uploaded, time.monotonic() - started


def ours(report_json):
    with open(report_json) as handle:
        report = json.load(handle)
    versions = {v["name"]: VERDICT_VALUE[v["verdict"]] for v in report["versions"]}
    targets = {(v["name"], t["name"]): VERDICT_VALUE[t["verdict"]] for v in report["versions"] for t in v["targets"]}
    validity = {v["name"]: v["validity"] for v in report["versions"]}
    testcases = {t["id"]: VALUE[t["status"]] for t in report["testcases"] if t["implemented"]}
    # Attested manual testcases (run --attest) have a result; unattested ones are MISSING (absent).
    testcases.update({t["id"]: VALUE[t["status"]] for t in report.get("manual_testcases", []) if t["implemented"]})
    return report, versions, validity, testcases, targets


def known(subject, version, what):
    for (pattern, known_version, known_what), reason in KNOWN_DIFFERENCES.items():
        if re.fullmatch(pattern, subject) and known_version in (version, "*") and known_what == what:
            return reason
    return None


def compare(monitor, subject, report_json, table):
    before = len(problems)
    report, our_versions, validity, our_testcases, our_targets = ours(report_json)
    status = monitor.get(f"/status?subject={subject}")
    scope_uuid = report["scope"]["uuid"]
    theirs = status.get(subject, {}).get(scope_uuid)
    if theirs is None:
        problem(f"{subject}: the monitor has no result for scope {scope_uuid}")
        return
    for version, result in theirs["versions"].items():
        mine = our_versions.get(version, "absent")
        table.append((subject, version, theirs["versions"][version]["validity"], mine, result["result"]))
        if mine != result["result"]:
            reason = known(subject, version, "version")
            if reason:
                print(f"     known: {subject} {version}: ours {mine}, monitor {result['result']}: {reason}")
            else:
                problem(f"{subject} {version}: ours {mine}, monitor {result['result']}")
        for target, target_result in result["targets"].items():
            mine = our_targets.get((version, target), "absent")
            if mine != target_result["result"] and not known(subject, version, "target " + target):
                problem(f"{subject} {version} target {target}: ours {mine}, monitor {target_result['result']}")
    for version in our_versions:
        if version not in theirs["versions"] and validity[version] in ("effective", "warn"):
            problem(f"{subject} {version} ({validity[version]}): the monitor does not evaluate it")
    their_testcases = {tc: value["result"] for tc, value in theirs["results"].items()}
    for testcase in sorted(set(our_testcases) | set(their_testcases)):
        mine, other = our_testcases.get(testcase, "absent"), their_testcases.get(testcase, "absent")
        if mine != other:
            reason = known(subject, "*", testcase)
            if reason:
                print(f"     known: {subject} {testcase}: ours {mine}, monitor {other}: {reason}")
            else:
                problem(f"{subject} {testcase}: ours {mine}, monitor {other}")
    print(f"{'ok  ' if len(problems) == before else 'FAIL'} {subject}: {len(their_testcases)} testcase results, versions "
          + ", ".join(f"{v}={r['result']} ({', '.join(r['targets'])})" for v, r in theirs["versions"].items()))


def with_new_run_uuid(directory, report, name):
    """A copy of the report under a fresh run uuid (the monitor stores each run uuid once)."""
    with open(report) as handle:
        text = handle.read()
    old = re.search(r"^run:\n  uuid: (\S+)$", text, re.M).group(1)
    fresh = str(uuid.uuid4())
    path = os.path.join(directory, name)
    with open(path, "w") as handle:
        handle.write(text.replace(old, fresh))
    return path, fresh


def one_line(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) == 1


def negative_cases(binary, monitor, work, reports, keys):
    provider, foreign, intruder = keys
    subject, report = reports[0]

    def expect(name, completed, code, phrase, run_uuid):
        before_after = monitor.stored_reports(subject)
        stored = monitor.has_report(run_uuid)
        ok = completed.returncode == code and phrase in completed.stderr and one_line(completed.stderr) and not stored
        print(f"{'ok  ' if ok else 'FAIL'} negative: {name}: exit {completed.returncode}, "
              f"{completed.stderr.strip()!r}, stored: {stored} ({before_after} reports of {subject})")
        if not ok:
            problem(f"negative case {name}: expected exit {code} and one line with {phrase!r}, nothing stored")

    count = monitor.stored_reports(subject)
    # wrong password
    path, fresh = with_new_run_uuid(work, report, "wrong-password.yaml")
    completed, _ = sign_and_upload(binary, path, provider, credentials_file(work, subject, "not-the-password"),
                                   monitor.url)
    expect("wrong password", completed, 78, "refused the password", fresh)
    if "not-the-password" in completed.stdout + completed.stderr:
        problem("the password was printed")
    # wrong key: the monitor holds another key for this subject
    path, fresh = with_new_run_uuid(work, report, "wrong-key.yaml")
    completed, _ = sign_and_upload(binary, path, foreign, credentials_file(work, subject), monitor.url)
    expect("wrong key", completed, 78, "could not verify the signature", fresh)
    # tampered: we refuse before sending; the monitor refuses the same body too
    path, fresh = with_new_run_uuid(work, report, "tampered.yaml")
    run([binary, "sign", path, "--key", provider])
    with open(path) as handle:
        text = handle.read()
    with open(path, "w") as handle:
        handle.write(text.replace(": -1\n", ": 1\n", 1) if ": -1\n" in text else text.replace(": 0\n", ": 1\n", 1))
    completed = run([binary, "upload", path, "--monitor", monitor.url, "--credentials", credentials_file(work, subject)])
    expect("tampered report (refused by us)", completed, 78, "does not hold", fresh)
    with open(path + ".sig", "rb") as sig, open(path, "rb") as body:
        status = monitor.post_raw(sig.read() + b"&" + body.read(), "application/x-signed-yaml", subject)
    print(f"{'ok  ' if status == 401 else 'FAIL'} negative: tampered report sent as is: the monitor answers {status}")
    if status != 401 or monitor.has_report(fresh):
        problem(f"the monitor took a tampered report (HTTP {status})")
    # a subject the account may not upload for
    path, fresh = with_new_run_uuid(work, report, "foreign-subject.yaml")
    completed, _ = sign_and_upload(binary, path, intruder, credentials_file(work, INTRUDER), monitor.url)
    expect("subject of another account", completed, 78, "may not upload reports for subject", fresh)
    # wrong content type
    path, fresh = with_new_run_uuid(work, report, "content-type.yaml")
    completed, _ = sign_and_upload(binary, path, provider, credentials_file(work, subject), monitor.url,
                                   ("--content-type", "application/yaml"))
    expect("wrong content type", completed, 78, "does not accept content type", fresh)
    # unreachable
    path, fresh = with_new_run_uuid(work, report, "unreachable.yaml")
    completed, _ = sign_and_upload(binary, path, provider, credentials_file(work, subject), "http://127.0.0.1:9")
    expect("unreachable monitor", completed, 69, "not uploaded", fresh)
    if monitor.stored_reports(subject) != count:
        problem(f"the negative cases changed what the monitor holds for {subject}")


def kaas_reports(binary, fake_kube_api, work):
    """KaaS reports of the fake API's clusters: (subject, yaml, json)."""
    out = []
    for cluster in ("good", "bad-version"):
        kubeconfig = os.path.join(work, f"kubeconfig-{cluster}")
        server = subprocess.Popen([fake_kube_api, "--cluster", cluster, "--kubeconfig", kubeconfig],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        try:
            ready = server.stdout.readline()
            if not ready.startswith("ready"):
                sys.exit(f"the fake Kubernetes API did not start: {ready!r}")
            subject = f"kaas-{cluster}"
            yaml_path, json_path = os.path.join(work, subject + ".yaml"), os.path.join(work, subject + ".json")
            # The stub sonobuoy replays recorded results of a passing conformance run.
            stubs = os.path.join(TOP, "tests", "checks", "fixtures", "kaas")
            env = dict(os.environ, PATH=os.path.join(stubs, "bin") + ":" + os.environ["PATH"], STUB_SCENARIO="pass",
                       STUB_RESULTS=os.path.join(stubs, "results"), STUB_LOG=os.path.join(work, subject + "-stub.log"))
            completed = run([binary, "run", "--scope", KAAS_SCOPE, "--kubeconfig", kubeconfig, "--offline",
                             "--subject", subject, "--work-dir", os.path.join(work, subject + "-work"),
                             "-o", yaml_path, "--json", json_path, "--quiet"], env=env)
            print(f"     {subject}: run exit {completed.returncode}")
            out.append((subject, yaml_path, json_path))
        finally:
            server.stdin.close()
            server.wait(timeout=30)
    return out


ATTESTATIONS = """attestations:
  - testcase: key-manager-docs-check
    result: pass
    evidence: https://docs.example.com/key-manager
    attested_by: {{name: Test Person, organisation: Monitor Test}}
    attested_on: 2026-12-01
    valid_until: 2027-12-01
    subject: {subject}
  - testcase: domain-manager-check
    result: fail
    evidence: https://tickets.example.com/SCS-42
    attested_by: {{name: Test Person, organisation: Monitor Test}}
    attested_on: 2026-12-01
    valid_until: 2027-12-01
  - testcase: availability-zones-check
    result: pass
    evidence: https://docs.example.com/availability-zones
    attested_by: {{name: Test Person, organisation: Monitor Test}}
    attested_on: 2025-01-01
    valid_until: 2025-12-31
"""


def replay_reports(binary, work):
    """Reports of the example recordings replayed, plainly and with --attest: (subject, yaml, json).
    The attestations' dates are fixed: a replay's reference date is its recording's (2026-12-07)."""
    out = []
    for example in ("testcloud-compliant", "testcloud-broken"):
        for attested in (False, True):
            subject = f"replay-{example}{'-attested' if attested else ''}"
            yaml_path, json_path = os.path.join(work, subject + ".yaml"), os.path.join(work, subject + ".json")
            extra = []
            if attested:
                attestations = os.path.join(work, subject + "-attestations.yaml")
                with open(attestations, "w") as handle:
                    handle.write(ATTESTATIONS.format(subject=subject))
                extra = ["--attest", attestations]
            completed = run([binary, "run", "--replay", os.path.join(TOP, "examples", example), "--subject", subject,
                             *extra, "-o", yaml_path, "--json", json_path, "--quiet"])
            print(f"     {subject}: run exit {completed.returncode}")
            if completed.returncode not in (0, 1, 2):
                problem(f"{subject}: the replay failed: exit {completed.returncode}: {completed.stderr.strip()}")
                continue
            if attested:
                with open(json_path) as handle:
                    manual = {t["id"]: t["verdict"] for t in json.load(handle).get("manual_testcases", [])}
                want = {"key-manager-docs-check": "PASS", "domain-manager-check": "FAIL",
                        "availability-zones-check": "MISSING"}
                if manual != want:
                    problem(f"{subject}: manual testcases {manual}, expected {want}")
            out.append((subject, yaml_path, json_path))
    return out


def live_run(binary, monitor, work, provider, table):
    """run --sign-key --upload against the running test cloud (read-only, also with the recommended
    testcases), then once with a wrong password: the verdict's exit code plus 80."""
    for subject, extra in (("live-run", []), ("live-run-rec", ["--include-recommended"])):
        yaml_path, json_path = os.path.join(work, subject + ".yaml"), os.path.join(work, subject + ".json")
        completed = run([binary, "run", "--os-cloud", "testcloud-member", "--read-only", "--subject", subject, *extra,
                         "-o", yaml_path, "--json", json_path, "--sign-key", provider, "--upload", monitor.url,
                         "--monitor-credentials", credentials_file(work, subject)])
        with open(json_path) as handle:
            expected_code = json.load(handle)["exit_code"]
        uploaded = [line for line in completed.stdout.splitlines() if line.startswith("uploaded ")]
        ok = completed.returncode == expected_code and len(uploaded) == 1 and "stored" in uploaded[0]
        print(f"{'ok  ' if ok else 'FAIL'} run --upload {' '.join(extra)}: exit {completed.returncode} "
              f"(the verdict's {expected_code}); {uploaded}")
        if not ok:
            problem(f"run --upload: exit {completed.returncode}, expected {expected_code}: {completed.stderr.strip()}")
        compare(monitor, subject, json_path, table)
    completed = run([binary, "run", "--os-cloud", "testcloud-member", "--read-only", "--subject", "live-run", "--quiet",
                     "-o", os.path.join(work, "live-wrong.yaml"), "--sign-key", provider, "--upload", monitor.url,
                     "--monitor-credentials", credentials_file(work, "live-run", "wrong-password")])
    ok = completed.returncode == expected_code + 80 and "refused the password" in completed.stderr
    print(f"{'ok  ' if ok else 'FAIL'} run --upload with a wrong password: exit {completed.returncode} "
          f"(expected {expected_code + 80})")
    if not ok:
        problem(f"run --upload with a wrong password: exit {completed.returncode}: {completed.stderr.strip()}")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    binary, reports_dir = os.path.abspath(argv[0]), argv[1]
    fake_kube_api = argv[argv.index("--fake-kube-api") + 1] if "--fake-kube-api" in argv else None
    live = "--live-cloud" in argv
    replays = "--replay-examples" in argv
    scenario_reports = sorted(f[:-5] for f in os.listdir(reports_dir) if f.endswith(".yaml") and not f.endswith(".sig"))
    if not scenario_reports and not replays:
        sys.exit(f"no reports in {reports_dir}: run scenario_verdicts.py --reports-dir {reports_dir} first")
    work = tempfile.mkdtemp(prefix="scs-monitor-test-")
    monitor = None
    try:
        reports = []
        for name in scenario_reports:
            yaml_path = os.path.join(work, name + ".yaml")
            shutil.copy(os.path.join(reports_dir, name + ".yaml"), yaml_path)
            reports.append((f"scenario-{name}", yaml_path, os.path.join(reports_dir, name + ".json")))
        if fake_kube_api:
            reports.extend(kaas_reports(binary, fake_kube_api, work))
        if replays:
            reports.extend(replay_reports(binary, work))
        provider, foreign, intruder = (make_key(work, n) for n in ("provider", "foreign", "intruder"))
        subjects = [subject for subject, _, _ in reports] + (["live-run", "live-run-rec"] if live else [])
        monitor = Monitor(os.path.join(work, "monitor"), bootstrap(work, subjects, provider, intruder))
        table, times, http_times = [], [], []
        for subject, yaml_path, json_path in reports:
            credentials = credentials_file(work, subject)
            completed, seconds = sign_and_upload(binary, yaml_path, provider[0], credentials, monitor.url)
            if completed.returncode != 0 or "stored" not in completed.stdout:
                problem(f"{subject}: upload failed: exit {completed.returncode}: {completed.stderr.strip()}")
                continue
            times.append(seconds)
            http_times.extend(float(t) for t in re.findall(r"stored, ([0-9.]+) s", completed.stdout))
            again = run([binary, "upload", yaml_path, "--monitor", monitor.url, "--credentials", credentials])
            if again.returncode != 0 or "already present" not in again.stdout:
                problem(f"{subject}: the second upload: exit {again.returncode}: {again.stdout}{again.stderr}")
            compare(monitor, subject, json_path, table)
        negative_cases(binary, monitor, work, [(s, y) for s, y, _ in reports],
                       (provider[0], foreign[0], intruder[0]))
        if live:
            live_run(binary, monitor, work, provider[0], table)
        print("\nsubject | version | validity | ours | monitor")
        for row in table:
            print(" | ".join(str(cell) for cell in row))
        if times:
            print(f"\nupload (sign excluded, process start included): {len(times)} uploads, "
                  f"median {sorted(times)[len(times) // 2]:.2f} s, max {max(times):.2f} s; the HTTP request alone "
                  f"(as the tool measures it): median {sorted(http_times)[len(http_times) // 2]:.2f} s, "
                  f"max {max(http_times):.2f} s")
    finally:
        if monitor:
            monitor.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(problems)} unexplained differences or failures")
    return 0 if not problems else 1


if __name__ == "__main__":
    os.environ.setdefault("OS_CLIENT_CONFIG_FILE",
                          os.path.join(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"), "clouds.yaml"))
    sys.exit(main(sys.argv[1:]))
