#!/usr/bin/python3
"""Integration test: the token cache against the test cloud's real Keystone.

Runs `scs-conformance run --os-cloud testcloud-member --version v5.1 --read-only` with a cache
directory of its own (XDG_CACHE_HOME) and checks, one line each:
  first run "new", second "cached", same verdicts, same number of API calls; 0700/0600;
  the token in no output, log or report, the password not in the cache;
  a token revoked by the admin: the next run renews it, same verdicts;
  an admin role granted after the token was cached: the run is refused (exit 78), nothing
  judged; the role removed again: the cached token is accepted again;
  a changed password: no cached token is used (exit 78), and the entry is gone;
  an entry of mode 0644 and a directory of mode 0755: refused with a warning, not read;
  --no-token-cache and --record: Keystone is asked, the cache is neither read nor written,
  and the recording replays; `cleanup` forgets the cloud's token.

Usage: token_cache.py SCS_CONFORMANCE_BINARY
"""
import glob
import json
import os
import stat
import subprocess
import sys
import tempfile
import urllib.request

import yaml

STATE = os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud")
CLOUDS = os.environ.get("OS_CLIENT_CONFIG_FILE") or os.path.join(STATE, "clouds.yaml")
MEMBER = "testcloud-member"
RUN = ["--os-cloud", MEMBER, "--version", "v5.1", "--read-only"]

results = []


def check(name, ok, detail=""):
    ok = bool(ok)
    results.append(ok)
    print(f"{'ok  ' if ok else 'FAIL'} {name}{'' if ok else ': ' + detail}")


class Tool:
    def __init__(self, binary, tmp):
        self.binary, self.tmp = binary, tmp
        self.cache = os.path.join(tmp, "cache", "scs-conformance")
        self.env = dict(os.environ, XDG_CACHE_HOME=os.path.join(tmp, "cache"), OS_CLIENT_CONFIG_FILE=CLOUDS,
                        SCS_STATE_DIR=os.path.join(tmp, "state"))
        self.count = 0

    def run(self, *extra, env=None):
        """Runs the tool with every report format; returns (exit code, report, all output text)."""
        self.count += 1
        base = os.path.join(self.tmp, f"run{self.count}")
        outputs = {"-o": base + ".yaml", "--json": base + ".json", "--junit": base + ".xml",
                   "--markdown": base + ".md", "--html": base + ".html"}
        args = [a for option, path in outputs.items() for a in (option, path)]
        done = subprocess.run([self.binary, "run", *RUN, *args, *extra], capture_output=True, text=True,
                              env=env or self.env, timeout=300)
        text = done.stdout + done.stderr
        for path in outputs.values():
            if os.path.exists(path):
                text += open(path, errors="replace").read()
        report = json.load(open(outputs["--json"])) if os.path.exists(outputs["--json"]) else {}
        return done.returncode, report, text

    def entries(self):
        return sorted(glob.glob(os.path.join(self.cache, "token-*.json")))

    def cached_token(self):
        entries = self.entries()
        return json.load(open(entries[0]))["token"] if len(entries) == 1 else None


def verdicts(report):
    return {t["id"]: t["status"] for t in report.get("testcases", [])}


def token_source(report):
    return report.get("run", {}).get("token")


class Admin:
    """Keystone as the test cloud's admin: revokes tokens, grants and removes roles."""

    def __init__(self, clouds):
        admin = clouds["clouds"]["testcloud-admin"]["auth"]
        self.url = admin["auth_url"].rstrip("/")
        body = {"auth": {"identity": {"methods": ["password"], "password": {"user": {
            "name": admin["username"], "domain": {"name": admin["user_domain_name"]},
            "password": admin["password"]}}},
            "scope": {"project": {"name": admin["project_name"], "domain": {"name": admin["project_domain_name"]}}}}}
        answer = self.request("POST", "/auth/tokens", body, authenticated=False)
        self.token = answer.headers["X-Subject-Token"]

    def request(self, method, path, body=None, headers=None, authenticated=True):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json", **(headers or {})})
        if authenticated:
            request.add_header("X-Auth-Token", self.token)
        return urllib.request.urlopen(request, timeout=30)

    def find(self, collection, name):
        answer = json.load(self.request("GET", f"/{collection}?name={name}"))
        return answer[collection][0]["id"]

    def revoke(self, token):
        self.request("DELETE", "/auth/tokens", headers={"X-Subject-Token": token})

    def role_path(self, member):
        return (f"/projects/{self.find('projects', member['project_name'])}/users/"
                f"{self.find('users', member['username'])}/roles/{self.find('roles', 'admin')}")


def main():
    binary = sys.argv[1]
    clouds = yaml.safe_load(open(CLOUDS))
    password = clouds["clouds"][MEMBER]["auth"]["password"]
    admin = Admin(clouds)
    with tempfile.TemporaryDirectory(prefix="scs-token-cache-") as tmp:
        tool = Tool(binary, tmp)

        # New, then cached.
        code1, first, text1 = tool.run()
        code2, second, text2 = tool.run()
        check("first run asks Keystone", token_source(first) == "new", str(token_source(first)))
        check("second run uses the cached token", token_source(second) == "cached", str(token_source(second)))
        check("same exit code and verdicts", code1 == code2 and verdicts(first) == verdicts(second) and verdicts(first),
              f"{code1} vs {code2}")
        check("same number of API calls (validation instead of issue)",
              first["calls"]["calls"] == second["calls"]["calls"], f"{first['calls']} vs {second['calls']}")
        entry = tool.entries()
        check("one entry, 0600, in a 0700 directory",
              len(entry) == 1 and stat.S_IMODE(os.stat(entry[0]).st_mode) == 0o600
              and stat.S_IMODE(os.stat(tool.cache).st_mode) == 0o700, str(entry))
        token = tool.cached_token()
        check("the password is not in the cache", all(password not in open(f, errors="replace").read()
                                                       for f in glob.glob(os.path.join(tool.cache, "*"))))
        check("the token is in no output or report", token and token not in text1 and token not in text2)
        check("the text summary says where the token came from", "cached token" in text2)

        # Revoked by the admin: renewed, same verdicts.
        admin.revoke(token)
        code, report, text = tool.run()
        check("a revoked cached token is renewed", token_source(report) == "renewed" and code == code1
              and verdicts(report) == verdicts(first), f"{token_source(report)}, exit {code}")
        check("the renewed token replaced the cached one", tool.cached_token() not in (None, token))
        check("the renewed token is in no output", tool.cached_token() not in text)

        # An admin role granted after the token was cached: refused.
        role = admin.role_path(clouds["clouds"][MEMBER]["auth"])
        admin.request("PUT", role)
        try:
            code, report, text = tool.run()
            results_now = set(verdicts(report).values())
            check("a cached token that has gained the admin role is refused",
                  code == 78 and "admin" in (report.get("aborted_run") or "") and results_now <= {"ABORT", "MISSING"},
                  f"exit {code}, {report.get('aborted_run')}, {results_now}")
        finally:
            admin.request("DELETE", role)
        code, report, _ = tool.run()
        # Keystone works a token's roles out when it validates it: the same token is good again.
        check("after the role is removed, the cached token is accepted again", token_source(report) == "cached"
              and code == code1 and verdicts(report) == verdicts(first), f"{token_source(report)}, exit {code}")

        # A changed password: the cached token is not used.
        changed = yaml.safe_load(open(CLOUDS))
        changed["clouds"][MEMBER]["auth"]["password"] = "not-the-password"
        changed_file = os.path.join(tmp, "clouds-changed.yaml")
        with open(changed_file, "w") as handle:
            yaml.safe_dump(changed, handle)
        code, report, text = tool.run(env=dict(tool.env, OS_CLIENT_CONFIG_FILE=changed_file))
        check("a changed password uses no cached token", code == 78 and "HTTP 401" in text, f"exit {code}")
        check("and the entry of the old password is gone", tool.entries() == [], str(tool.entries()))
        tool.run()  # a good token again

        # Modes: refused with a warning, never read.
        entry = tool.entries()[0]
        os.chmod(entry, 0o644)
        code, report, text = tool.run()
        check("an entry of mode 0644 is refused with a warning", token_source(report) == "new"
              and "warning: token cache:" in text and "its mode is 0644" in text, text[-300:])
        check("and replaced by a 0600 one", stat.S_IMODE(os.stat(entry).st_mode) == 0o600)
        os.chmod(tool.cache, 0o755)
        before = open(entry).read()
        code, report, text = tool.run()
        os.chmod(tool.cache, 0o700)
        check("a directory of mode 0755 is refused with a warning, nothing written",
              token_source(report) == "new" and "its mode is 0755" in text and open(entry).read() == before,
              text[-300:])

        # --no-token-cache and --record leave the cache alone; the recording replays.
        before = open(entry).read()
        code, report, _ = tool.run("--no-token-cache")
        check("--no-token-cache asks Keystone and leaves the cache alone",
              token_source(report) == "new" and open(entry).read() == before)
        recording = os.path.join(tmp, "recording")
        code, report, _ = tool.run("--record", recording)
        cassettes = "".join(open(f).read() for f in glob.glob(os.path.join(recording, "*.json")))
        check("--record asks Keystone, the cache is left alone, the token is not recorded",
              token_source(report) == "new" and open(entry).read() == before and "/auth/tokens" in cassettes
              and tool.cached_token() not in cassettes)
        replay = subprocess.run([binary, "run", "--replay", recording, "--version", "v5.1", "--read-only", "-q",
                                 "--json", os.path.join(tmp, "replay.json")], env=tool.env, capture_output=True)
        replayed = json.load(open(os.path.join(tmp, "replay.json")))
        check("the recording replays with the same verdicts, no token source",
              replay.returncode == code1 and verdicts(replayed) == verdicts(first) and token_source(replayed) is None,
              f"exit {replay.returncode}")

        # cleanup forgets the cloud's token.
        done = subprocess.run([binary, "cleanup", "--os-cloud", MEMBER], env=tool.env, capture_output=True,
                              text=True, timeout=300)
        check("cleanup forgets the cloud's cached token", done.returncode == 0 and tool.entries() == []
              and "forgot the cached token of cloud 'testcloud-member'" in done.stdout, done.stdout + done.stderr)

    print(f"{sum(results)} passed, {len(results) - sum(results)} failed")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
