#!/usr/bin/python3
"""Registers the TLS front's https endpoints in Keystone, in regions of their own, and adds the
clouds `testcloud-tls` and `testcloud-tls-weak` to clouds.yaml. Idempotent: only missing regions
and endpoints are created; existing endpoints (RegionOne's http ones) are never touched.

Why separate regions: every scenario's cloud selects RegionOne and must keep seeing exactly
the catalog it saw before; the TLS clouds select RegionTLS (all good), RegionTLSWeak (one
weak endpoint beside a good one) or RegionTLSDown (an https endpoint nobody answers on), so
scs-0125 can be shown passing, failing and aborting on one cloud.

Usage: register_tls.py STATE_DIR WEAK_PORT < "backend_port tls_port" lines
"""
import os
import sys

import openstack
import yaml

HOST = "127.0.0.1"
AUTH_URL = f"http://{HOST}:5000/v3"
GOOD_REGION = "RegionTLS"
WEAK_REGION = "RegionTLSWeak"
DOWN_REGION = "RegionTLSDown"
DOWN_PORT = 15002  # nothing listens here: the unreachable case


def read_secrets(state):
    with open(os.path.join(state, "secrets.env")) as handle:
        return dict(line.strip().split("=", 1) for line in handle if "=" in line)


def https_url(url, ports):
    """RegionOne's http URL with the TLS front's port for the same backend, or None."""
    prefix = f"http://{HOST}:"
    if not url.startswith(prefix):
        return None
    rest = url[len(prefix):]
    port, _, path = rest.partition("/")
    if port not in ports:
        return None
    return f"https://{HOST}:{ports[port]}" + (f"/{path}" if path else "")


def ensure_endpoint(ident, service, region, url, existing):
    if any(e.service_id == service.id and e.region_id == region and e.interface == "public" for e in existing):
        return 0
    ident.create_endpoint(service_id=service.id, interface="public", url=url, region_id=region)
    return 1


def register(conn, ports, weak_port):
    ident = conn.identity
    for region in (GOOD_REGION, WEAK_REGION, DOWN_REGION):
        if ident.find_region(region, ignore_missing=True) is None:
            ident.create_region(id=region, description="scs-conformance test cloud: TLS front")
    existing = list(ident.endpoints())
    services = {s.id: s for s in ident.services()}
    created = 0
    # Services that a scenario removed on purpose stay removed: only RegionOne's present
    # public endpoints are mirrored.
    for endpoint in existing:
        if endpoint.region_id != "RegionOne" or endpoint.interface != "public":
            continue
        url = https_url(endpoint.url, ports)
        service = services.get(endpoint.service_id)
        if url is None or service is None:
            continue
        created += ensure_endpoint(ident, service, GOOD_REGION, url, existing)
        if service.type == "identity":
            weak = f"https://{HOST}:{weak_port}" + url.split(f":{ports['5000']}", 1)[1]
            created += ensure_endpoint(ident, service, WEAK_REGION, weak, existing)
            down = f"https://{HOST}:{DOWN_PORT}" + url.split(f":{ports['5000']}", 1)[1]
            created += ensure_endpoint(ident, service, DOWN_REGION, down, existing)
        if service.type == "image":
            created += ensure_endpoint(ident, service, WEAK_REGION, url, existing)
    print(f"[register_tls] {created} https endpoints created", file=sys.stderr)


def add_clouds(state):
    path = os.path.join(state, "clouds.yaml")
    with open(path) as handle:
        clouds = yaml.safe_load(handle)
    member = clouds["clouds"]["testcloud-member"]
    for name, region in (("testcloud-tls", GOOD_REGION), ("testcloud-tls-weak", WEAK_REGION),
                         ("testcloud-tls-down", DOWN_REGION)):
        cloud = dict(member, region_name=region, cacert=os.path.join(state, "tls", "ca.pem"))
        cloud["auth"] = dict(member["auth"], auth_url=f"https://{HOST}:15000/v3")
        clouds["clouds"][name] = cloud
    fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        yaml.safe_dump(clouds, handle, default_flow_style=False)
    os.replace(path + ".new", path)


def main(state, weak_port):
    ports = {}
    for line in sys.stdin:
        if line.split():
            backend, tls = line.split()
            ports[backend] = tls
    secrets = read_secrets(state)
    conn = openstack.connect(auth_url=AUTH_URL, username="admin", password=secrets["ADMIN_PASSWORD"],
                             project_name="admin", user_domain_name="Default",
                             project_domain_name="Default", region_name="RegionOne")
    register(conn, ports, weak_port)
    add_clouds(state)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
