#!/usr/bin/python3
"""Waits until the cloud can really serve: the fake compute host is mapped and reported to
placement, and Cinder's volume and backup services are up. APIs answering is not enough:
a server or backup requested before that fails with NoValidHost or stays in `creating`.

Usage: wait_ready.py TIMEOUT_SECONDS   (OS_CLIENT_CONFIG_FILE points at the test cloud)
"""
import sys
import time

import openstack


def compute_ready(conn):
    services = [s for s in conn.compute.services() if s.binary == "nova-compute"]
    hypervisors = list(conn.compute.hypervisors())
    return any(s.state == "up" for s in services) and bool(hypervisors)


def volume_ready(conn):
    services = conn.block_storage.get("/os-services").json()["services"]
    up = {s["binary"] for s in services if s["state"] == "up"}
    return {"cinder-volume", "cinder-backup", "cinder-scheduler"} <= up


def main(timeout):
    conn = openstack.connect(cloud="testcloud-admin")
    deadline = time.monotonic() + timeout
    pending = {"compute": compute_ready, "block-storage": volume_ready}
    last_error = {}
    while pending and time.monotonic() < deadline:
        for name, ready in list(pending.items()):
            try:
                if ready(conn):
                    del pending[name]
            except Exception as error:  # an API still starting: try again
                last_error[name] = f"{type(error).__name__}: {error}".splitlines()[0]
        if pending:
            time.sleep(2)
    if pending:
        for name in pending:
            print(f"{name} not ready after {timeout} s"
                  + (f" (last error: {last_error[name]})" if name in last_error else ""),
                  file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
