#!/usr/bin/python3
"""Integration test: every collection a check reads, answered wrongly in every way we know.

A fault proxy (this file, on 127.0.0.1, port chosen by the kernel) stands between the real
scs-conformance binary and the real test cloud (as `http_proxy`, which libcurl honours) or the
Kubernetes API (as the kubeconfig's server, forwarding to scs-fake-kube-api over TLS). It
passes every request on unchanged, except those for one collection, which get one fault:

  timeout      no answer at all (longer than the cloud's api_timeout)
  reset        the connection is reset (RST) before any answer
  5xx          HTTP 503 on every attempt (the client retries, then gives up)
  429-storm    HTTP 429 with Retry-After: 1 on every attempt
  html         HTTP 200 with an HTML page (a login portal, a proxy's error page)
  truncated    HTTP 200 with the real answer cut in half (Content-Length of the cut body)
  wrong-types  the real answer with the items' fields of other JSON types
  empty        the real answer with an empty list
  self-link    the real answer whose next link (or continue token) points back at itself
  100MB        HTTP 200, 100 MB of JSON without Content-Length

For each collection × fault: every testcase that reads the collection ABORTs with a reason
naming the collection's endpoint (none PASSes or FAILs), or the run stops with exit code 69 and
one line naming it where the collection is needed before any testcase (token, /version); every
other testcase keeps the verdict it has without a fault; the run ends within its budget; the
run's peak RSS stays under MEMORY_BOUND_MIB. Cells where an empty list is a state a cloud can
really be in are judged as such (see EXPECTED_EMPTY).

Prints the matrix and `N passed, M failed`; exit 1 on any failure.

Usage: api_faults.py SCS_CONFORMANCE SCS_FAKE_KUBE_API [COLLECTION-SUBSTRING]
"""
import http.client
import http.server
import json
import os
import re
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import yaml

CLOUD = "testcloud-member"
API_TIMEOUT_S = 3  # the cloud's api_timeout in the run: a timeout costs 4 attempts of this
BUDGET_S = 60  # --budget: per testcase
RUN_LIMIT_S = 150  # a run that takes longer has not ended within its budget
HOLD_S = 45  # how long a timeout holds a request: longer than any client timeout (Kubernetes: 30 s)
MEMORY_BOUND_MIB = 160  # peak RSS of one run, 100 MB answers included
FAULTS = ["timeout", "reset", "5xx", "429-storm", "html", "truncated", "wrong-types", "empty", "self-link",
          "100MB"]


class Collection:
    """One collection: which requests carry it, and which testcases read it."""

    def __init__(self, name, method, path_pattern, list_key, dependents, scope="iaas", extra_args=(),
                 gate=False):
        self.name, self.method, self.path = name, method, re.compile(path_pattern)
        self.list_key, self.dependents = list_key, re.compile(dependents)
        # A gate is read before any testcase runs (the token, the cluster's /version): when it
        # cannot be read, every testcase ABORTs with its reason, or the run stops with exit 69.
        self.scope, self.extra_args, self.gate = scope, list(extra_args), gate


COLLECTIONS = [
    Collection("token and catalog", "POST", r"/v3/auth/tokens$", "token.catalog", r".", gate=True),
    Collection("flavors", "GET", r"/flavors/detail", "flavors", r"scs-0100-|scs-0103-"),
    Collection("images", "GET", r"/v2/images", "images", r"scs-0102-|scs-0104-"),
    Collection("volume types", "GET", r"/types(\?|$)", "volume_types", r"scs-0114-"),
    Collection("default security group rules", "GET", r"/v2\.0/default-security-group-rules", "default_security_group_rules",
               r"scs-0115-", extra_args=["--tests", "scs-0115"]),
    Collection("secrets", "GET", r"/v1/secrets\?", "secrets", r"scs-0116-permissions",
               extra_args=["--tests", "scs-0116"]),
    # Our own scope (scs-conformance-extras): scs-0121 reads Nova's and Cinder's zones.
    Collection("compute availability zones", "GET", r"/v2\.1/os-availability-zone", "availabilityZoneInfo",
               r"scs-0121-", scope="extras", extra_args=["--tests", "scs-0121"]),
    Collection("volume availability zones", "GET", r"/v3/[^/]+/os-availability-zone", "availabilityZoneInfo",
               r"scs-0121-", scope="extras", extra_args=["--tests", "scs-0121"]),
    Collection("Kubernetes version", "GET", r"^/version$", None, r"version-policy-check", scope="kaas", gate=True),
    Collection("Kubernetes nodes", "GET", r"^/api/v1/nodes", "items", r"node-distribution-check",
               scope="kaas-extras"),
    Collection("Kubernetes storage classes", "GET", r"^/apis/storage\.k8s\.io/v1/storageclasses", "items",
               r"scs-0211-", scope="kaas-extras"),
]

# An empty list that a real cloud can answer, judged like any other state: no default rules
# (a new group gets no rules: scs-0115 FAILs for the missing egress), no storage class
# (scs-0211 FAILs: there is no default class). Everything else empty is never a real state.
EXPECTED_EMPTY = {"default security group rules": "FAIL", "Kubernetes storage classes": "FAIL"}
# The secrets listing is asked with ?name=: an empty answer is "the secret is not listed",
# which scs-0116 judges (FAIL), as the official check does.
EXPECTED_EMPTY["secrets"] = "FAIL"


# --- the fault proxy -------------------------------------------------------------------------

HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
              "proxy-authorization", "content-length", "content-encoding"}


def flip_types(value):
    """The same structure with every scalar of another JSON type."""
    if isinstance(value, dict):
        return {key: flip_types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [flip_types(item) for item in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return 7
    return value


class FaultProxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, kube_upstream=None, kube_ca=None):
        super().__init__(("127.0.0.1", 0), ProxyHandler)
        self.kube_upstream = kube_upstream  # https://127.0.0.1:PORT of the fake API
        self.kube_context = ssl.create_default_context(cafile=kube_ca) if kube_ca else None
        self.collection = None
        self.fault = None
        self.hits = 0
        self.not_applicable = None

    def matches(self, method, path):
        collection = self.collection
        return collection is not None and method == collection.method and collection.path.search(path)


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _target(self):
        """(scheme, host:port, path) of the request: a proxy request names them; a request
        to the proxy itself (the kubeconfig's server) goes to the Kubernetes API."""
        path = self.path
        if path.startswith("http://") or path.startswith("https://"):
            url = urllib.parse.urlsplit(path)
            path = url.path + (f"?{url.query}" if url.query else "")
            if url.port != self.server.server_address[1]:
                return url.scheme, url.netloc, path
        upstream = urllib.parse.urlsplit(self.server.kube_upstream)
        return upstream.scheme, upstream.netloc, path

    def _forward(self, scheme, netloc, path, body):
        if scheme == "https":
            connection = http.client.HTTPSConnection(netloc, timeout=60, context=self.server.kube_context)
        else:
            connection = http.client.HTTPConnection(netloc, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP and k.lower() != "host"}
        headers["Host"] = netloc
        headers["Accept-Encoding"] = "identity"
        connection.request(self.command, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        connection.close()
        return response.status, [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP], data

    def _send(self, status, headers, data, close=False):
        self.send_response(status)
        for key, value in headers:
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        scheme, netloc, path = self._target()
        server = self.server
        if not server.matches(self.command, path):
            self._send(*self._forward(scheme, netloc, path, body))
            return
        server.hits += 1
        fault, collection = server.fault, server.collection
        if fault == "timeout":
            time.sleep(HOLD_S)
            self.close_connection = True
            return
        if fault == "reset":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            return
        if fault == "5xx":
            self._send(503, [("Content-Type", "text/plain")], b"Service Unavailable")
            return
        if fault == "429-storm":
            self._send(429, [("Content-Type", "text/plain"), ("Retry-After", "1")], b"Too Many Requests")
            return
        if fault == "html":
            page = b"<html><head><title>Please log in</title></head><body>Portal</body></html>"
            self._send(200, [("Content-Type", "text/html")], page)
            return
        if fault == "100MB":
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            key = (collection.list_key or "items").encode()
            chunk = b'{"id": "x", "name": "' + b"y" * 990 + b'"},'
            try:
                self.wfile.write(b'{"' + key + b'": [')
                for _ in range(100 * 1024):
                    self.wfile.write(chunk)
                self.wfile.write(b'{}]}')
            except (BrokenPipeError, ConnectionResetError):
                pass
            return
        status, headers, data = self._forward(scheme, netloc, path, body)
        if not 200 <= status < 300:
            # Nothing to distort: the collection does not exist here (Neutron before 2023.2 has
            # no default-security-group-rules). The cell is reported as not applicable.
            server.not_applicable = f"the real answer is HTTP {status}"
            self._send(status, headers, data)
            return
        if fault == "truncated":
            self._send(status, headers, data[: len(data) // 2])
            return
        answer = json.loads(data)
        key = collection.list_key
        # The object holding the list: the answer itself, or the token for the catalog.
        holder = answer["token"] if key == "token.catalog" else answer
        key = "catalog" if key == "token.catalog" else key
        if fault == "wrong-types":
            if key is None:
                answer = flip_types(answer)
            else:
                holder[key] = flip_types(holder.get(key))
        elif fault == "empty":
            if key is None:
                answer = {}
            else:
                holder[key] = []
        elif fault == "self-link":
            if key == "items":
                # The first page again, with a continue token that asks for the first page.
                answer.setdefault("metadata", {})["continue"] = "0"
            elif key == "images":
                answer["next"] = path
            elif key is not None:
                url = f"{scheme}://{netloc}{path}"
                answer[f"{key}_links"] = [{"rel": "next", "href": url}]
        headers = [(k, v) for k, v in headers if k.lower() != "content-type"] + [("Content-Type", "application/json")]
        self._send(status, headers, json.dumps(answer).encode())

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


# --- runs ------------------------------------------------------------------------------------

def run(binary, args, env, report):
    """Runs scs-conformance; returns (exit code, stderr, report or None, seconds, peak RSS MiB)."""
    start = time.monotonic()
    process = subprocess.Popen([binary, "run", *args, "--json", report, "-q", "--budget", str(BUDGET_S)],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    stderr_lines = []
    reader = threading.Thread(target=lambda: stderr_lines.extend(process.stderr), daemon=True)
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    seconds = time.monotonic() - start
    result = None
    if os.path.exists(report):
        with open(report) as handle:
            result = json.load(handle)
        os.unlink(report)
    return process.returncode, "".join(stderr_lines).strip(), result, seconds, usage.ru_maxrss / 1024


def verdicts(report):
    return {item["id"]: item for item in (report or {}).get("testcases", [])}


def judge_cell(collection, fault, baseline, outcome):
    """A list of problems with one cell's run; empty when it behaved."""
    code, stderr, report, seconds, rss = outcome
    problems = []
    if seconds > RUN_LIMIT_S:
        problems.append(f"took {seconds:.0f} s (limit {RUN_LIMIT_S} s)")
    if rss > MEMORY_BOUND_MIB:
        problems.append(f"peak RSS {rss:.0f} MiB (bound {MEMORY_BOUND_MIB} MiB)")
    if "Traceback" in stderr or "terminate called" in stderr:
        problems.append(f"crashed: {stderr[:200]}")
    expected_empty = EXPECTED_EMPTY.get(collection.name) if fault == "empty" else None
    results = verdicts(report)
    if collection.gate and not results:
        lines = stderr.splitlines()
        if code != 69:
            problems.append(f"exit code {code}, expected 69 (unreachable): {stderr[:200]}")
        elif len(lines) != 1:
            problems.append(f"{len(lines)} lines on stderr, expected one: {stderr[:300]}")
        return problems
    if not results:
        return problems + [f"no report (exit {code}): {stderr[:200]}"]
    dependents = [tid for tid in results if collection.dependents.search(tid)]
    if collection.gate and all(item["status"] == "ABORT" and names_endpoint(collection, item["summary"])
                               for item in results.values()):
        dependents = list(results)  # the gate closed: everything ABORTed naming it
    if not dependents:
        problems.append("no testcase of the collection ran")
    for tid, item in results.items():
        status = item["status"]
        if tid in dependents:
            before = baseline.get(tid, {})
            if status == "N/A" and before.get("status") == "N/A" and before.get("summary") == item["summary"]:
                continue  # decided without the collection (e.g. a rule the spec does not set)
            if expected_empty:
                if status != expected_empty:
                    problems.append(f"{tid}: {status}, expected {expected_empty} ({item['summary'][:120]})")
            elif status != "ABORT":
                problems.append(f"{tid}: {status}, expected ABORT ({item['summary'][:120]})")
            elif not names_endpoint(collection, item["summary"]):
                problems.append(f"{tid}: the reason does not name the endpoint: {item['summary'][:200]}")
        elif tid in baseline and status != baseline[tid]["status"]:
            problems.append(f"{tid} (not reading {collection.name}): {status}, {baseline[tid]['status']} without "
                            f"the fault ({item['summary'][:120]})")
    if report and report.get("left_behind"):
        problems.append(f"left behind: {report['left_behind']}")
    return problems


def names_endpoint(collection, summary):
    # The endpoint as a reader sees it: the collection's path, or the host and port it lives on
    # when no answer came at all (the reason then carries the request too).
    fragment = {"token and catalog": "/v3/auth/tokens", "flavors": "/flavors/detail", "images": "/v2/images",
                "volume types": "/types", "default security group rules": "/v2.0/default-security-group-rules",
                "secrets": "/v1/secrets", "Kubernetes nodes": "/api/v1/nodes",
                "Kubernetes storage classes": "/storageclasses", "Kubernetes version": "/version",
                "compute availability zones": ":8774/v2.1/os-availability-zone",
                "volume availability zones": "/os-availability-zone"}[collection.name]
    return fragment in summary


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    binary, fake_kube_api = (os.path.abspath(path) for path in argv[1:3])
    only = argv[3] if len(argv) == 4 else ""
    work = tempfile.mkdtemp(prefix="scs-api-faults-")
    # The test cloud's clouds.yaml, as scripts/test runs it (no OS_CLIENT_CONFIG_FILE exported).
    state = os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud")
    with open(os.environ.get("OS_CLIENT_CONFIG_FILE") or os.path.join(state, "clouds.yaml")) as handle:
        clouds = yaml.safe_load(handle)
    clouds["clouds"][CLOUD]["api_timeout"] = API_TIMEOUT_S
    clouds_file = os.path.join(work, "clouds.yaml")
    with open(clouds_file, "w") as handle:
        yaml.safe_dump({"clouds": {CLOUD: clouds["clouds"][CLOUD]}}, handle)

    # The fake Kubernetes API, and a kubeconfig that sends its requests through the proxy.
    kube_in = os.path.join(work, "kubeconfig.fake")
    kube_server = subprocess.Popen([fake_kube_api, "--cluster", "good", "--kubeconfig", kube_in],
                                   stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ready = kube_server.stdout.readline().split()
    upstream = dict(part.split("=", 1) for part in ready[1:])["server"]
    with open(kube_in) as handle:
        kubeconfig = yaml.safe_load(handle)
    cluster = kubeconfig["clusters"][0]["cluster"]
    ca_file = os.path.join(work, "kube-ca.pem")
    with open(ca_file, "wb") as handle:
        import base64
        handle.write(base64.b64decode(cluster.pop("certificate-authority-data")))

    proxy = FaultProxy(kube_upstream=upstream, kube_ca=ca_file)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    port = proxy.server_address[1]
    cluster["server"] = f"http://127.0.0.1:{port}"
    kube_out = os.path.join(work, "kubeconfig")
    with open(kube_out, "w") as handle:
        yaml.safe_dump(kubeconfig, handle)
    os.chmod(kube_out, 0o600)

    env = dict(os.environ, OS_CLIENT_CONFIG_FILE=clouds_file, http_proxy=f"http://127.0.0.1:{port}",
               HTTP_PROXY="", no_proxy="", NO_PROXY="", https_proxy="", HTTPS_PROXY="")
    scopes = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "standards", "scopes")
    # --no-token-cache: every cell asks Keystone itself, since the token request is one of the
    # collections faulted (the cache has tests of its own: token_cache.py).
    arguments = {"iaas": ["--os-cloud", CLOUD, "--read-only", "--no-token-cache"]}
    # scs-0121 is a recommended testcase of the extras scope.
    arguments["extras"] = ["--scope", os.path.join(scopes, "scs-conformance-extras.yaml"), "--os-cloud", CLOUD,
                           "--include-recommended", "--no-token-cache"]
    for scope, file in (("kaas", "scs-compatible-kaas.yaml"), ("kaas-extras", "scs-conformance-kaas-extras.yaml")):
        arguments[scope] = ["--scope", os.path.join(scopes, file), "--kubeconfig", kube_out, "--offline"]
    report = os.path.join(work, "report.json")
    baselines = {}
    failed = passed = 0
    rows = []
    worst_rss = worst_seconds = 0.0
    try:
        for collection in (c for c in COLLECTIONS if only in c.name):
            args = arguments[collection.scope] + collection.extra_args
            if collection.extra_args:
                args = [a for a in args if a != "--read-only"]
            key = (collection.scope, tuple(collection.extra_args))
            if key not in baselines:
                proxy.collection = None
                code, stderr, result, _, _ = run(binary, args, env, report)
                if not result:
                    print(f"baseline {key}: no report (exit {code}): {stderr}")
                    return 1
                baselines[key] = verdicts(result)
            for fault in FAULTS:
                if fault == "self-link" and collection.list_key in (None, "token.catalog"):
                    rows.append((collection.name, fault, "n/a", "", "-", "-"))
                    continue
                proxy.collection, proxy.fault, proxy.hits, proxy.not_applicable = collection, fault, 0, None
                outcome = run(binary, args, env, report)
                proxy.collection = None
                if proxy.not_applicable:
                    rows.append((collection.name, fault, "n/a", proxy.not_applicable, "-", "-"))
                    continue
                problems = judge_cell(collection, fault, baselines[key], outcome)
                if proxy.hits == 0:
                    problems.append("the fault was never injected (no request matched)")
                code, stderr, result, seconds, rss = outcome
                worst_rss, worst_seconds = max(worst_rss, rss), max(worst_seconds, seconds)
                shown = summary_of(collection, result, stderr, code)
                rows.append((collection.name, fault, "ok" if not problems else "FAILED", shown,
                             f"{seconds:.1f}", f"{rss:.0f}"))
                if problems:
                    failed += 1
                    for problem in problems:
                        print(f"FAILED {collection.name} × {fault}: {problem}")
                else:
                    passed += 1
    finally:
        proxy.shutdown()
        kube_server.stdin.close()
        kube_server.wait(timeout=30)
    print(f"{'collection':<30} {'fault':<12} {'':<7} {'s':>5} {'MiB':>4}  what the dependents said")
    for name, fault, state, shown, seconds, rss in rows:
        print(f"{name:<30} {fault:<12} {state:<7} {seconds:>5} {rss:>4}  {shown}")
    print(f"slowest run {worst_seconds:.1f} s (limit {RUN_LIMIT_S} s), "
          f"largest peak RSS {worst_rss:.0f} MiB (bound {MEMORY_BOUND_MIB} MiB)")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def summary_of(collection, report, stderr, code):
    results = verdicts(report)
    if not results:
        return f"exit {code}: {stderr.splitlines()[0][:110] if stderr else ''}"
    dependents = [item for tid, item in results.items() if collection.dependents.search(tid)]
    statuses = sorted({item["status"] for item in dependents})
    first = dependents[0]["summary"][:100] if dependents else ""
    return f"{len(dependents)}× {'/'.join(statuses)}: {first}"


if __name__ == "__main__":
    sys.exit(main(sys.argv))
