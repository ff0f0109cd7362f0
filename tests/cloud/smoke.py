#!/usr/bin/python3
"""Prove that every service of the test cloud answers the member user (testcloud-member).

    smoke.py            run all checks
    smoke.py NAME...    run only these checks (see --list)

One line per check: `ok   NAME (SECONDSs)` or `FAIL NAME: REASON`; then `N passed, M failed`.
Exit status 0 iff every check passed. Every object a check creates is named `smoke-...` and is
deleted in a `finally`, also on failure; leftovers of an interrupted run are deleted first.
No passwords, tokens or EC2 secrets are printed.
"""
import argparse
import concurrent.futures
import sys
import time
import uuid

import seed  # sets OS_CLIENT_CONFIG_FILE from SCS_CLOUD_STATE before openstack is imported
from seed import Api, CloudError

import boto3  # noqa: E402
import botocore.config  # noqa: E402
import botocore.exceptions  # noqa: E402
import openstack  # noqa: E402

PREFIX = "smoke-"
REQUIRED_SERVICES = ["identity", "image", "placement", "compute", "volumev3", "block-storage",
                     "network", "key-manager", "load-balancer", "object-store", "object-store-s3"]
KNOWN_FLAVOR = "SCS-2V-4-20s"
KNOWN_FLAVOR_SPECS = {"scs:cpu-type": "shared-core", "scs:disk0-type": "ssd",
                      "scs:name-v1": "SCS-2V:4:20s", "scs:name-v2": "SCS-2V-4-20s"}
KNOWN_IMAGE = "Ubuntu 24.04"
MEMBER_NETWORK = "member-net"
S3_FALLBACK = "http://127.0.0.1:8080"


class Member:
    """The member user's session and service APIs, shared by the checks (all threads)."""

    def __init__(self):
        try:
            conn = openstack.connect(cloud=seed.MEMBER_CLOUD)
            self.session = conn.session
            seed.login(conn)
            self.access = conn.session.auth.get_access(conn.session)
        except Exception as exc:
            raise CloudError(f"cannot log in as {seed.MEMBER_CLOUD}: {type(exc).__name__}: {exc}")
        self.user_id, self.project_id = self.access.user_id, self.access.project_id
        s = self.session
        self.keystone = Api(s, "identity", "keystone", endpoint=conn.config.auth["auth_url"])
        self.nova = Api(s, "compute", "nova", microversion="2.61")
        self.glance = Api(s, "image", "glance")
        self.cinder = Api(s, "block-storage", "cinder")
        self.neutron = Api(s, "network", "neutron")
        self.barbican = Api(s, "key-manager", "barbican")
        self.octavia = Api(s, "load-balancer", "octavia")

    def endpoint(self, service_type):
        urls = self.access.service_catalog.get_urls(service_type=service_type, interface="public")
        return urls[0] if urls else None


def wait_for(what, probe, timeout, interval=1.0):
    """Poll PROBE until it returns something truthy; CloudError after TIMEOUT seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise CloudError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def status_of(api, path, key):
    """The object's status, or 'gone' once the API answers 404."""
    response = api.call("GET", path, ok=(200, 404))
    return "gone" if response.status_code == 404 else response.json()[key]["status"]


def wait_status(api, path, key, wanted, timeout, failed=("error",)):
    def probe():
        status = status_of(api, path, key)
        if status.lower() in failed:
            raise CloudError(f"{path.rsplit('/', 2)[-2]} went to {status}")
        return status == wanted
    wait_for(f"{path} to be {wanted}", probe, timeout)


def delete_quietly(api, path, gone_timeout=60):
    """Best-effort delete for finally blocks: never raises, waits until it is gone."""
    try:
        if api.call("DELETE", path, ok=(200, 202, 204, 404)).status_code != 404:
            wait_for(f"{path} to be gone",
                     lambda: api.call("GET", path, ok=(200, 404)).status_code == 404,
                     gone_timeout)
    except Exception as exc:
        print(f"warning: could not delete {path}: {exc}", file=sys.stderr)


# ---------------------------------------------------------------------------------------------
# The checks. Each takes the Member, raises on failure, and may return a short note.

CHECKS = []


def check(name):
    def register(func):
        CHECKS.append((name, func))
        return func
    return register


@check("token-roles")
def check_token(m):
    roles = set(m.access.role_names)
    if "member" not in roles:
        raise CloudError(f"token roles {sorted(roles)} lack member")
    if roles & {"admin", "manager"}:
        raise CloudError(f"token roles {sorted(roles)} include admin or manager")


@check("catalog")
def check_catalog(m):
    have = set(m.access.service_catalog.get_endpoints(interface="public"))
    missing = [t for t in REQUIRED_SERVICES if t not in have]
    if missing:
        raise CloudError(f"catalog lacks {', '.join(missing)}")


@check("flavors")
def check_flavors(m):
    flavors = {f["name"]: f for f in m.nova.get("/flavors/detail")["flavors"]}
    flavor = flavors.get(KNOWN_FLAVOR)
    if flavor is None:
        raise CloudError(f"flavor {KNOWN_FLAVOR} not visible ({len(flavors)} flavors)")
    specs = flavor.get("extra_specs") or {}
    wrong = {k: specs.get(k) for k, v in KNOWN_FLAVOR_SPECS.items() if specs.get(k) != v}
    if wrong:
        raise CloudError(f"{KNOWN_FLAVOR} extra specs wrong: {wrong}")
    return f"{len(flavors)} flavors"


@check("images")
def check_images(m):
    images = m.glance.get("/v2/images?visibility=public&limit=200")["images"]
    image = next((i for i in images if i["name"] == KNOWN_IMAGE), None)
    if image is None:
        raise CloudError(f"public image {KNOWN_IMAGE!r} not visible ({len(images)} public images)")
    expect = {"status": "active", "os_distro": "ubuntu", "os_version": "24.04",
              "os_hash_algo": "sha512"}
    wrong = {k: image.get(k) for k, v in expect.items() if image.get(k) != v}
    if wrong or not image.get("image_source"):
        raise CloudError(f"{KNOWN_IMAGE}: unexpected {wrong or 'missing image_source'}")
    return f"{len(images)} public images"


@check("volume-types")
def check_volume_types(m):
    types = m.cinder.get("/types")["volume_types"]
    described = [t["name"] for t in types if (t.get("description") or "").startswith("[scs:")]
    if not described:
        raise CloudError(f"no volume type with an [scs:...] aspect list among {len(types)}")
    return f"{len(types)} types, {len(described)} with aspects"


@check("security-groups")
def check_security_groups(m):
    """A new group must have egress rules for IPv4 and IPv6 and no ingress (as scs-0115 checks)."""
    for old in m.neutron.get(f"/v2.0/security-groups?name={PREFIX}sg")["security_groups"]:
        delete_quietly(m.neutron, f"/v2.0/security-groups/{old['id']}")
    groups = m.neutron.get("/v2.0/security-groups")["security_groups"]
    group = m.neutron.post("/v2.0/security-groups", {"security_group": {
        "name": f"{PREFIX}sg", "description": "smoke test"}})["security_group"]
    try:
        rules = group["security_group_rules"]
        ingress = [r for r in rules if r["direction"] == "ingress"]
        egress = {r["ethertype"] for r in rules if r["direction"] == "egress"}
        if ingress or egress != {"IPv4", "IPv6"}:
            raise CloudError(f"new group has {len(ingress)} ingress rules, "
                             f"egress for {sorted(egress)}")
    finally:
        delete_quietly(m.neutron, f"/v2.0/security-groups/{group['id']}")
    return f"{len(groups)} groups"


@check("secrets")
def check_secrets(m):
    for old in m.barbican.get(f"/v1/secrets?name={PREFIX}secret")["secrets"]:
        delete_quietly(m.barbican, _secret_path(old["secret_ref"]))
    payload = uuid.uuid4().hex
    ref = m.barbican.post("/v1/secrets", {
        "name": f"{PREFIX}secret", "payload": payload, "payload_content_type": "text/plain",
        "secret_type": "opaque"})["secret_ref"]
    path = _secret_path(ref)
    try:
        got = m.barbican.call("GET", f"{path}/payload", headers={"Accept": "text/plain"}).text
        if got != payload:
            raise CloudError("payload read back differs from the one stored")
    finally:
        delete_quietly(m.barbican, path)


def _secret_path(ref):
    return "/v1/secrets/" + ref.rstrip("/").rsplit("/", 1)[-1]


@check("server")
def check_server(m):
    for old in m.nova.get("/servers", params={"name": f"^{PREFIX}server$"})["servers"]:
        delete_quietly(m.nova, f"/servers/{old['id']}")
    flavor, image = _tiny_flavor_and_image(m)
    network = _member_network(m)
    server = m.nova.post("/servers", {"server": {
        "name": f"{PREFIX}server", "imageRef": image["id"], "flavorRef": flavor["id"],
        "networks": [{"uuid": network["id"]}]}})["server"]
    path = f"/servers/{server['id']}"
    try:
        wait_status(m.nova, path, "server", "ACTIVE", timeout=90)
        m.nova.delete(path)
        wait_for("server to be gone", lambda: status_of(m.nova, path, "server") == "gone", 60)
    finally:
        delete_quietly(m.nova, path)
    return f"{flavor['name']}, {image['name']}"


def _tiny_flavor_and_image(m):
    """The smallest flavor with a root disk (zero-disk ones boot only from volume for members)
    and an active public image that fits it."""
    flavors = sorted((f for f in m.nova.get("/flavors/detail")["flavors"] if f["disk"] > 0),
                     key=lambda f: (f["ram"], f["vcpus"], f["disk"]))
    images = [i for i in m.glance.get("/v2/images?visibility=public&limit=200")["images"]
              if i["status"] == "active"]
    for flavor in flavors:
        fitting = [i for i in images
                   if i["min_disk"] <= flavor["disk"] and i["min_ram"] <= flavor["ram"]]
        if fitting:
            return flavor, min(fitting, key=lambda i: i["name"])
    raise CloudError(f"no flavor with disk that fits a public image "
                     f"({len(flavors)} flavors with disk, {len(images)} active images)")


def _member_network(m):
    nets = m.neutron.get(f"/v2.0/networks?name={MEMBER_NETWORK}")["networks"]
    if not nets:  # some other project network with a subnet will do
        nets = [n for n in m.neutron.get(f"/v2.0/networks?project_id={m.project_id}")["networks"]
                if n["subnets"] and not n.get("router:external")]
    if not nets or not nets[0]["subnets"]:
        raise CloudError(f"member network {MEMBER_NETWORK} with a subnet not found (run seed.py)")
    return nets[0]


@check("volume-backup")
def check_volume_backup(m):
    for old in m.cinder.get(f"/backups?name={PREFIX}backup")["backups"]:
        delete_quietly(m.cinder, f"/backups/{old['id']}")
    for old in m.cinder.get(f"/volumes?name={PREFIX}volume")["volumes"]:
        delete_quietly(m.cinder, f"/volumes/{old['id']}")
    volume = m.cinder.post("/volumes", {"volume": {"size": 1, "name": f"{PREFIX}volume"}})["volume"]
    volume_path, backup_path = f"/volumes/{volume['id']}", None
    try:
        wait_status(m.cinder, volume_path, "volume", "available", timeout=60)
        backup = m.cinder.post("/backups", {"backup": {
            "volume_id": volume["id"], "name": f"{PREFIX}backup"}})["backup"]
        backup_path = f"/backups/{backup['id']}"
        wait_status(m.cinder, backup_path, "backup", "available", timeout=120)
        m.cinder.delete(backup_path)
        wait_for("backup to be gone", lambda: status_of(m.cinder, backup_path, "backup") == "gone",
                 60)
        m.cinder.delete(volume_path)
        wait_for("volume to be gone", lambda: status_of(m.cinder, volume_path, "volume") == "gone",
                 60)
    finally:
        if backup_path:  # the volume cannot go while its backup exists
            delete_quietly(m.cinder, backup_path)
        delete_quietly(m.cinder, volume_path)


@check("load-balancer")
def check_load_balancer(m):
    providers = {p["name"] for p in m.octavia.get("/v2/lbaas/providers")["providers"]}
    lbs = m.octavia.get("/v2/lbaas/loadbalancers")["loadbalancers"]
    if providers <= {"noop_driver"}:
        # The noop provider leaves every new LB in PENDING_CREATE, and Octavia deletes only
        # ACTIVE or ERROR ones: a created LB could never be removed. So prove the create path
        # and the member's permission with a request Octavia must reject after the policy check.
        response = m.octavia.call("POST", "/v2/lbaas/loadbalancers", ok=(400, 404), json={
            "loadbalancer": {"name": f"{PREFIX}lb", "vip_subnet_id": str(uuid.uuid4())}})
        return (f"list only: {len(lbs)} LBs; the noop provider keeps new LBs in PENDING_CREATE, "
                f"which Octavia refuses to delete; create with a bogus subnet -> "
                f"HTTP {response.status_code} as expected")
    return _load_balancer_cycle(m, len(lbs))


def _load_balancer_cycle(m, listed):
    """Create, list, delete a real LB (for providers that make LBs ACTIVE)."""
    for old in m.octavia.get(f"/v2/lbaas/loadbalancers?name={PREFIX}lb")["loadbalancers"]:
        delete_quietly(m.octavia, f"/v2/lbaas/loadbalancers/{old['id']}", gone_timeout=120)
    subnet = _member_network(m)["subnets"][0]
    lb = m.octavia.post("/v2/lbaas/loadbalancers", {"loadbalancer": {
        "name": f"{PREFIX}lb", "vip_subnet_id": subnet}})["loadbalancer"]
    path = f"/v2/lbaas/loadbalancers/{lb['id']}"
    try:
        names = [x["name"] for x in m.octavia.get("/v2/lbaas/loadbalancers")["loadbalancers"]]
        if f"{PREFIX}lb" not in names:
            raise CloudError("new load balancer not listed")
        wait_for("load balancer to be ACTIVE", lambda: m.octavia.get(path)["loadbalancer"][
            "provisioning_status"] in ("ACTIVE", "ERROR"), 120)
        m.octavia.delete(path)
    finally:
        delete_quietly(m.octavia, path, gone_timeout=120)
    return f"{listed} LBs before"


@check("s3-buckets")
def check_s3_buckets(m):
    credential, created = _ec2_credential(m)
    try:
        s3 = _s3_client(m, credential["access"], credential["secret"])
        buckets = s3.list_buckets()["Buckets"]
    except botocore.exceptions.ClientError as exc:
        raise CloudError(f"ListBuckets: {exc.response['Error'].get('Code')}") from None
    finally:
        if created:  # not named, so not ours to keep: leave nothing behind
            m.keystone.delete(f"/users/{m.user_id}/credentials/OS-EC2/{credential['access']}")
    return f"{len(buckets)} buckets" + (", with a temporary EC2 credential" if created else "")


def _ec2_credential(m):
    """The member's EC2 credential for this project; (credential, True) if made just now."""
    path = f"/users/{m.user_id}/credentials/OS-EC2"
    for credential in m.keystone.get(path)["credentials"]:
        if credential["tenant_id"] == m.project_id:
            return credential, False
    return m.keystone.post(path, {"tenant_id": m.project_id})["credential"], True


def _s3_client(m, access, secret):
    return boto3.client(
        "s3", endpoint_url=m.endpoint("object-store-s3") or S3_FALLBACK,
        aws_access_key_id=access, aws_secret_access_key=secret, region_name="us-east-1",
        config=botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                      connect_timeout=10, read_timeout=30))


@check("s3-bogus-key")
def check_s3_bogus_key(m):
    s3 = _s3_client(m, f"{PREFIX}no-such-key", uuid.uuid4().hex)
    try:
        s3.list_buckets()
    except botocore.exceptions.ClientError as exc:
        code = exc.response["Error"].get("Code")
        # Stock Swift s3api checks the signature first; Ceph RGW and AWS name the key.
        if code not in ("SignatureDoesNotMatch", "InvalidAccessKeyId"):
            raise CloudError(f"bogus key gave {code}, expected an S3 refusal of the credential") from None
        return code
    raise CloudError("ListBuckets with a bogus access key succeeded")


# ---------------------------------------------------------------------------------------------


def run_check(member, name, func):
    t0 = time.monotonic()
    try:
        note = func(member)
        line = f"ok   {name} ({time.monotonic() - t0:.1f}s)" + (f" {note}" if note else "")
        return True, line
    except CloudError as exc:
        return False, f"FAIL {name}: {exc}"
    except Exception as exc:  # a bug, or a library error: still one line naming the check
        return False, f"FAIL {name}: {type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def main():
    names = [name for name, _ in CHECKS]
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checks", nargs="*", metavar="CHECK", help="only these checks")
    parser.add_argument("--list", action="store_true", help="list the checks")
    args = parser.parse_args()
    if args.list:
        print("\n".join(names))
        return 0
    unknown = [c for c in args.checks if c not in names]
    if unknown:
        parser.error(f"unknown checks {unknown}; known: {', '.join(names)}")
    selected = [(n, f) for n, f in CHECKS if not args.checks or n in args.checks]

    start = time.monotonic()
    try:
        member = Member()
    except CloudError as exc:
        print(f"FAIL login: {exc}")
        print(f"0 passed, {len(selected)} failed")
        return 1
    passed = failed = 0
    # The slow checks (server, backup) wait on the cloud, not on us: run everything at once.
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(selected)) as pool:
        futures = [pool.submit(run_check, member, name, func) for name, func in selected]
        for future in concurrent.futures.as_completed(futures):
            ok, line = future.result()
            print(line, flush=True)
            passed, failed = passed + ok, failed + (not ok)
    print(f"smoke: {time.monotonic() - start:.1f} s in total", file=sys.stderr)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
