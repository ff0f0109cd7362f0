#!/usr/bin/python3
"""Put the SCS test cloud into a scenario.

    seed.py SCENARIO        reconcile the cloud with scenarios/SCENARIO.yaml
    seed.py --list          list the scenarios with their descriptions
    seed.py --show SCENARIO print the resolved scenario (base merged in) as YAML

What it manages, as testcloud-admin unless noted:
  - flavors: every flavor in the cloud is one of the scenario's (others are deleted);
  - images: every public or community image, and every image of the admin project, is one of
    the scenario's; images are tiny files generated here, uploaded with the scenario's properties;
  - volume types: every type except __DEFAULT__ is one of the scenario's;
  - catalog services the scenario marks false are removed; those marked true are restored from
    the copy of their endpoints that this script keeps in $SCS_CLOUD_STATE/seed/catalog.json;
  - network: an external network (admin) and, as testcloud-member, the member project's network,
    subnet, router and security group (created when missing; never deleted).
Objects that already match are left alone, so seeding the same scenario again is quick.
On success the scenario name is written to $SCS_CLOUD_STATE/scenario.
"""
import argparse
import concurrent.futures
import copy
import fcntl
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests.adapters
import urllib3
import yaml

STATE = Path(os.environ.get("SCS_CLOUD_STATE", "/var/tmp/scs-testcloud"))
os.environ.setdefault("OS_CLIENT_CONFIG_FILE", str(STATE / "clouds.yaml"))

import openstack  # noqa: E402  (reads OS_CLIENT_CONFIG_FILE, set just above)
import zones  # noqa: E402  (availability zones: zones.py beside this file)
from keystoneauth1 import adapter as ks_adapter  # noqa: E402
from keystoneauth1 import exceptions as ks_exceptions  # noqa: E402

import keystone_policy  # noqa: E402  (scs-0302: the scenario's `keystone` section)

SCENARIO_DIR = Path(__file__).resolve().parent / "scenarios"
SECTIONS = ("flavors", "images", "volume_types", "services", "network", "zones", "keystone")
META_KEYS = ("base", "description", "expect")
ADMIN_CLOUD, MEMBER_CLOUD = "testcloud-admin", "testcloud-member"
CATALOG_BACKUP = STATE / "seed" / "catalog.json"

# Other services find these through the catalog (nova needs placement, glance, neutron, cinder;
# everything needs keystone): removing them would break the cloud rather than the scenario.
NEVER_REMOVE = {"identity", "compute", "image", "network", "placement", "volumev3"}

# APIs served by uwsgi with one or two single-threaded workers and HTTP/1.1 keep-alive: an idle
# client connection pins a worker until uwsgi's socket timeout (4 s), so a second connection
# (another thread of ours, or a service validating our token) stalls 4 s. uwsgi ignores the
# client's "Connection: close", so we close our sockets after each request ourselves; on
# 127.0.0.1 a new connection costs next to nothing.
SINGLE_WORKER_SERVICES = {"identity", "compute", "placement", "key-manager", "load-balancer"}

# Glance image attributes that are not free-form properties; never compared as properties.
GLANCE_CORE = {
    "id", "name", "status", "visibility", "protected", "checksum", "owner", "size",
    "virtual_size", "min_ram", "min_disk", "disk_format", "container_format", "created_at",
    "updated_at", "tags", "file", "self", "schema", "os_hidden", "os_hash_algo", "os_hash_value",
    "locations", "direct_url", "stores",
}
GLANCE_INTERNAL_PREFIXES = ("os_glance_", "owner_specified.")
IMAGE_FORMATS = ("raw", "qcow2")
ENCRYPTION_KEYS = ("provider", "cipher", "key_size", "control_location")

print_lock = threading.Lock()


class CloudError(Exception):
    """A failure with a one-line message naming what failed (smoke.py uses it too)."""


def say(message):
    with print_lock:
        print(message, flush=True)


# ---------------------------------------------------------------------------------------------
# Scenarios


def merge_patch(target, patch):
    """RFC 7386 merge: mappings merge key by key, null deletes a key, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def load_scenario(name, _chain=()):
    """Scenario NAME's desired state (its base chain merged in), description and expect."""
    path = SCENARIO_DIR / f"{name}.yaml"
    if not path.is_file():
        raise CloudError(f"unknown scenario {name!r} (known: {', '.join(scenario_names())})")
    if name in _chain:
        raise CloudError(f"scenario {name}: base cycle {' -> '.join(_chain + (name,))}")
    data = yaml.safe_load(path.read_text()) or {}
    unknown = set(data) - set(SECTIONS) - set(META_KEYS)
    if unknown:
        raise CloudError(f"{path.name}: unknown keys {sorted(unknown)}")
    state = {}
    if data.get("base"):
        base = load_scenario(data["base"], _chain + (name,))
        state = {k: base[k] for k in SECTIONS if k in base}
    state = merge_patch(state, {k: data[k] for k in SECTIONS if k in data})
    state.update(name=name, description=data.get("description", ""), expect=data.get("expect"))
    validate(state)
    validate_expect(name, state["expect"])
    return state


def validate(s):
    """Catch data mistakes (e.g. an unquoted 24.04 is a float) before touching the cloud."""
    where = f"scenario {s['name']}"

    def need(cond, message):
        if not cond:
            raise CloudError(f"{where}: {message}")

    for name, f in s.get("flavors", {}).items():
        for key in ("vcpus", "ram", "disk"):
            need(isinstance(f.get(key), int), f"flavor {name}: {key} must be an integer")
        for key, value in (f.get("extra_specs") or {}).items():
            need(isinstance(value, str), f"flavor {name}: extra spec {key} must be a string")
    for name, i in s.get("images", {}).items():
        need(i.get("disk_format") in IMAGE_FORMATS,
             f"image {name}: disk_format must be raw or qcow2")
        need(i.get("visibility") in ("public", "community", "private", "shared"),
             f"image {name}: visibility missing or invalid")
        for key, value in (i.get("properties") or {}).items():
            need(isinstance(value, str), f"image {name}: property {key} must be a string")
    for name, t in s.get("volume_types", {}).items():
        need(name != "__DEFAULT__", "__DEFAULT__ is Cinder's and not managed here")
        enc = t.get("encryption")
        need(enc is None or set(enc) == set(ENCRYPTION_KEYS),
             f"volume type {name}: encryption needs exactly {', '.join(ENCRYPTION_KEYS)}")
    for stype, present in s.get("services", {}).items():
        need(isinstance(present, bool), f"service {stype}: true or false")
        need(present or stype not in NEVER_REMOVE,
             f"service {stype} cannot be removed: other services need it")


VERDICTS = ("PASS", "FAIL", "ABORT", "N/A")


def validate_expect(name, expect):
    """`expect` is read by the product's integration tests: keep its shape strict."""
    def need(cond, message):
        if not cond:
            raise CloudError(f"scenario {name}: expect: {message}")

    need(isinstance(expect, dict), "missing (every scenario lists its complete expectations)")
    for version in ("v5.1", "next"):
        need(set(expect.get(version) or {}) == {"main", "recommended"},
             f"{version} needs exactly main and recommended")
    groups = [(f"{v}/{t}", expect[v][t]) for v in ("v5.1", "next") for t in ("main", "recommended")]
    for where, verdicts in groups + [("unscoped", expect.get("unscoped") or {})]:
        for testcase, verdict in verdicts.items():
            if verdict == "PASS":
                continue
            need(isinstance(verdict, dict) and verdict.get("result") in VERDICTS,
                 f"{where} {testcase}: PASS or {{result: PASS|FAIL|ABORT|N/A, why: ...}}")
            need(verdict["result"] == "PASS" or verdict.get("why"), f"{where} {testcase}: no why")


def scenario_names():
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.yaml"))


# ---------------------------------------------------------------------------------------------
# Talking to the cloud


class Api:
    """One service endpoint on a shared keystoneauth session; raises CloudError on HTTP errors."""

    def __init__(self, session, service_type, what, microversion=None, endpoint=None):
        self.what = what
        self.adapter = ks_adapter.Adapter(
            session=session, service_type=service_type, interface="public",
            region_name="RegionOne", default_microversion=microversion,
            endpoint_override=endpoint)
        if service_type in SINGLE_WORKER_SERVICES:
            try:
                no_keep_alive(session, self.adapter.get_endpoint())
            except ks_exceptions.EndpointNotFound:
                pass  # not in the catalog (a scenario may remove it): call() says so when used

    def call(self, method, path, ok=(200, 201, 202, 204), **kwargs):
        try:
            response = self.adapter.request(path, method, raise_exc=False, **kwargs)
        except ks_exceptions.ConnectFailure:
            raise CloudError(f"{self.what}: {method} {path.split('?')[0]}: "
                             f"cannot connect to {self.adapter.get_endpoint()}") from None
        except ks_exceptions.ClientException as exc:  # timeouts, no endpoint in the catalog, ...
            raise CloudError(f"{self.what}: {method} {path.split('?')[0]}: "
                             f"{type(exc).__name__}: {exc}") from None
        if response.status_code not in ok:
            raise CloudError(f"{self.what}: {method} {path.split('?')[0]}: HTTP "
                             f"{response.status_code} {_short_error(response)}")
        return response

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs).json()

    def post(self, path, body, **kwargs):
        response = self.call("POST", path, json=body, **kwargs)
        return response.json() if response.content else None

    def put(self, path, body=None, **kwargs):
        response = self.call("PUT", path, json=body, **kwargs)
        return response.json() if response.content else None

    def delete(self, path, ok=(200, 202, 204), **kwargs):
        self.call("DELETE", path, ok=ok, **kwargs)


def _short_error(response):
    """The service's error message in one line (OpenStack services wrap it differently)."""
    try:
        body = response.json()
    except ValueError:
        return " ".join(response.text.split())[:200]
    for value in (body.values() if isinstance(body, dict) else []):
        if isinstance(value, dict) and "message" in value:
            return str(value["message"])[:200]
    if isinstance(body, dict) and "message" in body:
        return str(body["message"])[:200]
    if isinstance(body, dict) and "description" in body:
        return str(body["description"])[:200]
    return json.dumps(body)[:200]


class _ClosingPool(urllib3.HTTPConnectionPool):
    """A connection pool that closes each connection after use instead of keeping it."""

    def _put_conn(self, conn):
        if conn is not None:
            conn.close()
        super()._put_conn(None)  # an empty slot: the next request opens a new connection


class _ClosingAdapter(requests.adapters.HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _ClosingPool}


def no_keep_alive(session, url):
    """Make SESSION (keystoneauth) close its connections to URL's host after every request."""
    parts = urllib3.util.parse_url(url)
    if parts.scheme == "http":
        session.session.mount(f"http://{parts.netloc}/", _ClosingAdapter())


def login(conn):
    """Get the token now (keystone's workers are few: see SINGLE_WORKER_SERVICES); returns the
    project id."""
    no_keep_alive(conn.session, conn.config.auth["auth_url"])
    return conn.session.get_project_id()


class Cloud:
    """Authenticated APIs for the admin and the member user, created once and shared by threads."""

    def __init__(self):
        try:
            admin = openstack.connect(cloud=ADMIN_CLOUD)
            member = openstack.connect(cloud=MEMBER_CLOUD)
            # Authenticate now, in one thread: later, worker threads share the tokens.
            self.admin_project = login(admin)
            self.member_project = login(member)
        except Exception as exc:  # config missing, keystone down, bad password, ...
            raise CloudError(f"cannot log in via {os.environ['OS_CLIENT_CONFIG_FILE']}: "
                             f"{type(exc).__name__}: {exc}") from None
        s = admin.session
        self.nova = Api(s, "compute", "nova", microversion="2.61")  # 2.61: extra specs inline
        self.glance = Api(s, "image", "glance")
        self.cinder = Api(s, "block-storage", "cinder")
        self.neutron = Api(s, "network", "neutron")
        self.keystone = Api(s, "identity", "keystone", endpoint=admin.config.auth["auth_url"])
        self.member_neutron = Api(member.session, "network", "neutron (member)")
        self.member_glance = Api(member.session, "image", "glance (member)")


def parallel(func, items, workers=6):
    """func over items in a thread pool; raises the first error after all have finished."""
    items = list(items)
    if not items:
        return []
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(workers, len(items))) as pool:
        futures = [pool.submit(func, item) for item in items]
        errors = [f.exception() for f in futures if f.exception()]
    if errors:
        raise errors[0]
    return [f.result() for f in futures]


class Tally:
    """Counts what a step did, for its one-line summary."""

    def __init__(self):
        self.counts = {}
        self.lock = threading.Lock()

    def add(self, what, n=1):
        with self.lock:
            self.counts[what] = self.counts.get(what, 0) + n

    def __str__(self):
        order = ("created", "updated", "recreated", "deleted", "removed", "restored", "unchanged")
        parts = [f"{self.counts[k]} {k}" for k in order if self.counts.get(k)]
        return ", ".join(parts) or "nothing to do"


# ---------------------------------------------------------------------------------------------
# Flavors


def sync_flavors(cloud, wanted):
    tally = Tally()
    have = cloud.nova.get("/flavors/detail?is_public=None")["flavors"]
    by_name, duplicates = {}, []
    for flavor in have:
        if flavor["name"] in by_name:
            duplicates.append(flavor)
        else:
            by_name[flavor["name"]] = flavor
    doomed = duplicates + [f for n, f in by_name.items() if n not in wanted]

    def delete(flavor):
        cloud.nova.delete(f"/flavors/{flavor['id']}")
        tally.add("deleted")

    def ensure(name):
        want, flavor = wanted[name], by_name.get(name)
        if flavor and not _flavor_shape_matches(flavor, want):
            # Nova flavors are immutable: a new shape needs a new flavor.
            cloud.nova.delete(f"/flavors/{flavor['id']}")
            flavor, action = None, "recreated"
        else:
            action = "created" if flavor is None else None
        if flavor is None:
            flavor = cloud.nova.post("/flavors", {"flavor": {
                "name": name, "vcpus": want["vcpus"], "ram": want["ram"], "disk": want["disk"],
                "os-flavor-access:is_public": True}})["flavor"]
            flavor["extra_specs"] = {}
        changed = _sync_extra_specs(cloud.nova, f"/flavors/{flavor['id']}/os-extra_specs",
                                    flavor.get("extra_specs") or {}, want.get("extra_specs") or {})
        tally.add(action or ("updated" if changed else "unchanged"))

    # Delete first: a recreated name must not collide with a doomed duplicate.
    parallel(delete, doomed)
    parallel(ensure, wanted)
    return tally


def _flavor_shape_matches(flavor, want):
    return (flavor["vcpus"] == want["vcpus"] and flavor["ram"] == want["ram"]
            and flavor["disk"] == want["disk"] and flavor.get("os-flavor-access:is_public", True)
            and not flavor.get("OS-FLV-EXT-DATA:ephemeral") and not flavor.get("swap"))


def _sync_extra_specs(api, path, have, want):
    """Make the extra specs at PATH exactly WANT; True if anything changed."""
    to_set = {k: v for k, v in want.items() if have.get(k) != v}
    to_remove = [k for k in have if k not in want]
    if to_set:
        api.post(path, {"extra_specs": to_set})
    for key in to_remove:
        api.delete(f"{path}/{key}")
    return bool(to_set or to_remove)


# ---------------------------------------------------------------------------------------------
# Images


class ImageFiles:
    """Tiny image files, generated once per run: a zero-filled raw file and an empty qcow2."""

    def __init__(self):
        self._data = {}
        self._lock = threading.Lock()

    def get(self, disk_format):
        with self._lock:
            if disk_format not in self._data:
                self._data[disk_format] = self._make(disk_format)
            return self._data[disk_format]

    @staticmethod
    def _make(disk_format):
        if disk_format == "raw":
            return bytes(16 * 1024)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "tiny.qcow2")
            # Small clusters keep the file a few KB; the virtual size (1 GiB) fits every min_disk.
            proc = subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-o",
                                   "cluster_size=4096", path, "1G"], capture_output=True, text=True)
            if proc.returncode != 0:
                raise CloudError(f"qemu-img create failed: {proc.stderr.strip()}")
            return Path(path).read_bytes()


def list_images(glance):
    """All images the admin can see, including hidden ones (Glance hides those by default)."""
    images = []
    for hidden in ("false", "true"):
        url = f"/v2/images?visibility=all&os_hidden={hidden}&limit=500"
        while url:
            page = glance.get(url)
            images += page["images"]
            url = page.get("next")
    return images


# The test cloud's guest (tests/cloud/guest/build-guest.sh): Debian 12's cloud kernel and an
# initramfs that runs the config drive's user data. Every image a scenario offers boots it:
# Nova's libvirt driver boots the kernel and ramdisk named by kernel_id and ramdisk_id directly,
# the image's own (empty) disk attached. The two are the admin project's, shared with the member
# project, so they are in no public listing the checks judge.
GUEST_DIR = os.environ.get("SCS_GUEST_DIR", "/var/cache/scs-conformance/guest")
GUEST_BUILD = Path(__file__).resolve().parent / "guest" / "build-guest.sh"
GUEST_PARTS = {"scs-testcloud-guest-kernel": ("aki", "vmlinuz"),
               "scs-testcloud-guest-ramdisk": ("ari", "initrd.gz")}
GUEST_COMMAND_LINE = "console=ttyS0 quiet"


def ensure_guest(cloud):
    """The guest's kernel and ramdisk images (uploaded again when the files changed): their ids."""
    subprocess.run(["bash", str(GUEST_BUILD), GUEST_DIR], check=True)
    existing = {i["name"]: i for i in list_images(cloud.glance) if i["name"] in GUEST_PARTS}
    ids = {}
    for name, (fmt, file_name) in GUEST_PARTS.items():
        data = Path(GUEST_DIR, file_name).read_bytes()
        image = existing.get(name)
        if image and (image.get("size") != len(data) or image["status"] != "active"):
            cloud.glance.call("DELETE", f"/v2/images/{image['id']}", ok=(204, 404))
            image = None
        if image is None:
            image = cloud.glance.post("/v2/images", {"name": name, "disk_format": fmt, "container_format": fmt,
                                                     "visibility": "shared"})
            cloud.glance.call("PUT", f"/v2/images/{image['id']}/file", data=data,
                              headers={"Content-Type": "application/octet-stream"})
        members = cloud.glance.get(f"/v2/images/{image['id']}/members")["members"]
        if not any(m["member_id"] == cloud.member_project for m in members):
            cloud.glance.post(f"/v2/images/{image['id']}/members", {"member": cloud.member_project})
        cloud.member_glance.call("PUT", f"/v2/images/{image['id']}/members/{cloud.member_project}",
                                 data=json.dumps({"status": "accepted"}),
                                 headers={"Content-Type": "application/json"})
        ids[name] = image["id"]
    return {"kernel_id": ids["scs-testcloud-guest-kernel"], "ramdisk_id": ids["scs-testcloud-guest-ramdisk"],
            "os_command_line": GUEST_COMMAND_LINE}


def sync_images(cloud, wanted):
    tally = Tally()
    files = ImageFiles()
    boot = ensure_guest(cloud)
    # The guest's kernel and ramdisk for every image; a scenario may set its own command line.
    wanted = {name: dict(want, properties=dict(boot, **(want.get("properties") or {})))
              for name, want in wanted.items()}
    managed = [i for i in list_images(cloud.glance)
               if (i["visibility"] in ("public", "community") or i["owner"] == cloud.admin_project)
               and i["name"] not in GUEST_PARTS]
    by_name, doomed = {}, []
    for image in sorted(managed, key=lambda i: i["created_at"]):
        if image["name"] in wanted and image["name"] not in by_name:
            by_name[image["name"]] = image
        else:
            doomed.append(image)  # not in the scenario, or a duplicate name

    def delete(image):
        if image.get("protected"):
            _patch_image(cloud.glance, image["id"], [{"op": "replace", "path": "/protected",
                                                      "value": False}])
        cloud.glance.delete(f"/v2/images/{image['id']}")

    def ensure(name):
        want, image = wanted[name], by_name.get(name)
        if image and _image_needs_new_upload(image, want):
            delete(image)
            image, action = None, "recreated"
        else:
            action = "created" if image is None else None
        if image is None:
            _create_image(cloud.glance, name, want, files.get(want["disk_format"]))
            tally.add(action)
            return
        ops = _image_patch(image, want)
        if ops:
            _patch_image(cloud.glance, image["id"], ops)
        tally.add("updated" if ops else "unchanged")

    def delete_counted(image):
        delete(image)
        tally.add("deleted")

    parallel(delete_counted, doomed)
    parallel(ensure, wanted, workers=4)
    return tally


def _image_needs_new_upload(image, want):
    return (image["status"] != "active" or image["disk_format"] != want["disk_format"]
            or image["container_format"] != "bare")


def _wanted_core(want):
    return {"visibility": want["visibility"], "min_disk": want.get("min_disk", 0),
            "min_ram": want.get("min_ram", 0), "os_hidden": bool(want.get("os_hidden", False)),
            "protected": False}


def _image_properties(image):
    return {k: v for k, v in image.items()
            if k not in GLANCE_CORE and not k.startswith(GLANCE_INTERNAL_PREFIXES)}


def _image_patch(image, want):
    """JSON-patch operations that turn IMAGE into WANT (core attributes and properties)."""
    ops = [{"op": "replace", "path": f"/{k}", "value": v}
           for k, v in _wanted_core(want).items() if image.get(k) != v]
    have_props, want_props = _image_properties(image), want.get("properties") or {}
    for key, value in want_props.items():
        if key not in have_props:
            ops.append({"op": "add", "path": f"/{key}", "value": value})
        elif have_props[key] != value:
            ops.append({"op": "replace", "path": f"/{key}", "value": value})
    ops += [{"op": "remove", "path": f"/{k}"} for k in have_props if k not in want_props]
    return ops


def _patch_image(glance, image_id, ops):
    glance.call("PATCH", f"/v2/images/{image_id}", data=json.dumps(ops),
                headers={"Content-Type": "application/openstack-images-v2.1-json-patch"})


def _create_image(glance, name, want, data):
    body = dict(_wanted_core(want), name=name, disk_format=want["disk_format"],
                container_format="bare", **(want.get("properties") or {}))
    image = glance.post("/v2/images", body)
    try:
        glance.call("PUT", f"/v2/images/{image['id']}/file", data=data,
                    headers={"Content-Type": "application/octet-stream"})
        status = glance.get(f"/v2/images/{image['id']}")["status"]
        if status != "active":
            raise CloudError(f"glance: image {name!r} is {status} after upload, not active")
    except Exception:
        # A queued image without size would make the scs-0102 checks abort: never leave one.
        glance.call("DELETE", f"/v2/images/{image['id']}", ok=(204, 404))
        raise


# ---------------------------------------------------------------------------------------------
# Volume types


def sync_volume_types(cloud, wanted):
    tally = Tally()
    have = {t["name"]: t for t in cloud.cinder.get("/types?is_public=None")["volume_types"]}
    doomed = [t for n, t in have.items() if n not in wanted and n != "__DEFAULT__"]

    def delete(vtype):
        encryption = cloud.cinder.get(f"/types/{vtype['id']}/encryption")
        if encryption.get("encryption_id"):
            cloud.cinder.delete(f"/types/{vtype['id']}/encryption/{encryption['encryption_id']}")
        cloud.cinder.delete(f"/types/{vtype['id']}")
        tally.add("deleted")

    def ensure(name):
        want, vtype = wanted[name], have.get(name)
        description = want.get("description") or ""
        changed = False
        if vtype is None:
            vtype = cloud.cinder.post("/types", {"volume_type": {
                "name": name, "description": description, "os-volume-type-access:is_public": True,
                "extra_specs": want.get("extra_specs") or {}}})["volume_type"]
        else:
            if (vtype.get("description") or "") != description:
                cloud.cinder.put(f"/types/{vtype['id']}",
                                 {"volume_type": {"description": description}})
                changed = True
            changed |= _sync_extra_specs(cloud.cinder, f"/types/{vtype['id']}/extra_specs",
                                         vtype.get("extra_specs") or {},
                                         want.get("extra_specs") or {})
        changed |= _sync_encryption(cloud.cinder, vtype["id"], want.get("encryption"))
        tally.add("created" if name not in have else "updated" if changed else "unchanged")

    parallel(delete, doomed)
    parallel(ensure, wanted)
    return tally


def _sync_encryption(cinder, type_id, want):
    """Make the type's encryption spec WANT (None = unencrypted); True if anything changed."""
    have = cinder.get(f"/types/{type_id}/encryption")
    have_spec = {k: have.get(k) for k in ENCRYPTION_KEYS} if have.get("encryption_id") else None
    if have_spec == want:
        return False
    if have_spec is not None:
        cinder.delete(f"/types/{type_id}/encryption/{have['encryption_id']}")
    if want is not None:
        cinder.post(f"/types/{type_id}/encryption", {"encryption": dict(want)})
    return True


# ---------------------------------------------------------------------------------------------
# Catalog services


def sync_services(cloud, wanted):
    tally = Tally()
    services = cloud.keystone.get("/services")["services"]
    endpoints = cloud.keystone.get("/endpoints")["endpoints"]
    backup = _load_catalog_backup()
    for stype, present in wanted.items():
        found = [s for s in services if s["type"] == stype]
        for service in found:
            own = [e for e in endpoints if e["service_id"] == service["id"]]
            if own:  # keep the newest definition, so a restore gives back exactly this
                backup[stype] = {
                    "service": {k: service[k] for k in ("type", "name", "description",
                                                        "enabled") if service.get(k) is not None},
                    "endpoints": [{k: e[k] for k in ("interface", "region_id", "url", "enabled")}
                                  for e in sorted(own, key=lambda e: e["interface"])]}
        _save_catalog_backup(backup)  # before deleting anything
        if found and not present:
            for service in found:
                for endpoint in (e for e in endpoints if e["service_id"] == service["id"]):
                    cloud.keystone.delete(f"/endpoints/{endpoint['id']}")
                cloud.keystone.delete(f"/services/{service['id']}")
            tally.add("removed")
        elif not found and present:
            _restore_service(cloud.keystone, stype, backup.get(stype))
            tally.add("restored")
        else:
            tally.add("unchanged")
    return tally


def _restore_service(keystone, stype, saved):
    if not saved:
        raise CloudError(f"keystone: cannot restore service {stype}: no saved definition in "
                         f"{CATALOG_BACKUP} (re-register it, e.g. with 'testcloud up')")
    service = keystone.post("/services", {"service": saved["service"]})["service"]
    for endpoint in saved["endpoints"]:
        keystone.post("/endpoints", {"endpoint": dict(endpoint, service_id=service["id"])})


def _load_catalog_backup():
    try:
        return json.loads(CATALOG_BACKUP.read_text())
    except FileNotFoundError:
        return {}


def _save_catalog_backup(backup):
    CATALOG_BACKUP.parent.mkdir(parents=True, exist_ok=True)
    tmp = CATALOG_BACKUP.with_suffix(".new")
    tmp.write_text(json.dumps(backup, indent=2, sort_keys=True) + "\n")
    tmp.replace(CATALOG_BACKUP)


# ---------------------------------------------------------------------------------------------
# Network fixtures


def sync_network(cloud, wanted):
    tally = Tally()
    external_id = None
    if wanted.get("external"):
        external_id = _ensure_external_network(cloud.neutron, wanted["external"], tally)
    if wanted.get("member"):
        _ensure_member_fixtures(cloud.member_neutron, wanted["member"], external_id, tally)
    return tally


def _find_one(neutron, path, collection, **filters):
    """The one object at /v2.0/PATH matching FILTERS (None if there is none)."""
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    found = neutron.get(f"/v2.0/{path}?{query}")[collection]
    if len(found) > 1:
        raise CloudError(f"neutron: {len(found)} {collection} match {filters}; expected one")
    return found[0] if found else None


def _ensure_external_network(neutron, want, tally):
    net = _find_one(neutron, "networks", "networks", name=want["name"])
    if net is None:
        net = neutron.post("/v2.0/networks", {"network": {
            "name": want["name"], "router:external": True, "shared": False,
            "provider:network_type": "flat",
            "provider:physical_network": want["physical_network"]}})["network"]
        tally.add("created")
    elif not net.get("router:external"):
        neutron.put(f"/v2.0/networks/{net['id']}", {"network": {"router:external": True}})
        tally.add("updated")
    else:
        tally.add("unchanged")
    _ensure_subnet(neutron, net["id"], f"{want['name']}-subnet", want["cidr"], False, tally)
    return net["id"]


def _ensure_subnet(neutron, network_id, name, cidr, dhcp, tally):
    subnet = _find_one(neutron, "subnets", "subnets", name=name, network_id=network_id)
    if subnet is None:
        subnet = neutron.post("/v2.0/subnets", {"subnet": {
            "name": name, "network_id": network_id, "cidr": cidr, "ip_version": 4,
            "enable_dhcp": dhcp}})["subnet"]
        tally.add("created")
    elif subnet["cidr"] != cidr:
        raise CloudError(f"neutron: subnet {name} has cidr {subnet['cidr']}, scenario wants {cidr}")
    else:
        tally.add("unchanged")
    return subnet


def _ensure_member_fixtures(neutron, want, external_id, tally):
    net = _find_one(neutron, "networks", "networks", name=want["network"])
    if net is None:
        net = neutron.post("/v2.0/networks", {"network": {"name": want["network"]}})["network"]
        tally.add("created")
    else:
        tally.add("unchanged")
    subnet = _ensure_subnet(neutron, net["id"], want["subnet"]["name"], want["subnet"]["cidr"],
                            True, tally)
    _ensure_router(neutron, want["router"], subnet, external_id, tally)
    _ensure_security_group(neutron, want["security_group"], tally)


def _ensure_router(neutron, name, subnet, external_id, tally):
    router = _find_one(neutron, "routers", "routers", name=name)
    gateway = {"network_id": external_id} if external_id else None
    if router is None:
        router = neutron.post("/v2.0/routers", {"router": {
            "name": name, "external_gateway_info": gateway or {}}})["router"]
        tally.add("created")
    elif gateway and (router.get("external_gateway_info") or {}).get("network_id") != external_id:
        neutron.put(f"/v2.0/routers/{router['id']}", {"router": {"external_gateway_info": gateway}})
        tally.add("updated")
    else:
        tally.add("unchanged")
    ports = neutron.get(f"/v2.0/ports?device_id={router['id']}&network_id={subnet['network_id']}")
    if not ports["ports"]:
        neutron.put(f"/v2.0/routers/{router['id']}/add_router_interface",
                    {"subnet_id": subnet["id"]})
        tally.add("created")


def _rule_key(rule):
    """What makes two rules the same for us (neutron adds ids, descriptions, ...)."""
    port = rule.get("port")
    return (rule["direction"], rule["ethertype"], rule.get("protocol"),
            port if port is not None else rule.get("port_range_min"),
            port if port is not None else rule.get("port_range_max"),
            rule.get("remote_ip_prefix"))


def _ensure_security_group(neutron, want, tally):
    group = _find_one(neutron, "security-groups", "security_groups", name=want["name"])
    if group is None:
        group = neutron.post("/v2.0/security-groups", {"security_group": {
            "name": want["name"], "description": want.get("description", "")}})["security_group"]
        tally.add("created")
    have = {_rule_key(r): r for r in group["security_group_rules"]}
    wanted = {_rule_key(r): r for r in want.get("rules", [])}
    for key, rule in wanted.items():
        if key not in have:
            body = {"security_group_id": group["id"], "direction": rule["direction"],
                    "ethertype": rule["ethertype"], "protocol": rule.get("protocol"),
                    "remote_ip_prefix": rule.get("remote_ip_prefix")}
            if rule.get("port") is not None:
                body.update(port_range_min=rule["port"], port_range_max=rule["port"])
            neutron.post("/v2.0/security-group-rules", {"security_group_rule": body})
            tally.add("created")
    # Extra ingress rules go; egress rules are neutron's defaults and stay.
    for key, rule in have.items():
        if key not in wanted and rule["direction"] == "ingress":
            neutron.delete(f"/v2.0/security-group-rules/{rule['id']}")
            tally.add("deleted")


# ---------------------------------------------------------------------------------------------
# Main


# (label, scenario section, function); the catalog step comes first, see seed().
# Keystone only, like the catalog step: run beside it, before the others (keystone_policy.py).
KEYSTONE_STEP = ("keystone", "keystone",
                 lambda cloud, wanted: keystone_policy.sync_keystone_policy(cloud, wanted, CloudError))

STEPS = [
    ("services", "services", sync_services),
    ("flavors", "flavors", sync_flavors),
    ("images", "images", sync_images),
    ("volume types", "volume_types", sync_volume_types),
    ("network", "network", sync_network),
    ("zones", "zones", lambda cloud, wanted: zones.sync_zones(cloud, wanted, Tally())),  # zones.py
]


def seed(scenario):
    start = time.monotonic()
    cloud = Cloud()
    say(f"seeding scenario {scenario['name']} (login {time.monotonic() - start:.1f} s)")

    def run(step):
        label, section, func = step
        t0 = time.monotonic()
        try:
            result = func(cloud, scenario.get(section) or {})
            say(f"  {label:<13} {time.monotonic() - t0:5.1f} s  {result}")
            return None
        except CloudError as exc:
            say(f"  {label:<13} FAILED: {exc}")
        except Exception as exc:  # a bug or a dead service: still name the step
            say(f"  {label:<13} FAILED: {type(exc).__name__}: {exc}")
        return label

    # The catalog step talks to keystone only: run it before the other services start asking
    # keystone to validate our token (see SINGLE_WORKER_SERVICES). The other steps touch
    # different services, so they run side by side.
    failed = [label for label in [run(STEPS[0]), run(KEYSTONE_STEP)] if label]
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(STEPS) - 1) as pool:
        failed += [label for label in pool.map(run, STEPS[1:]) if label]
    return failed, time.monotonic() - start


def write_scenario_marker(name):
    tmp = STATE / "scenario.new"
    tmp.write_text(name + "\n")
    tmp.replace(STATE / "scenario")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", nargs="?", help="name of a file in scenarios/, without .yaml")
    parser.add_argument("--list", action="store_true", help="list the scenarios")
    parser.add_argument("--show", action="store_true", help="print the resolved scenario")
    args = parser.parse_args()
    try:
        if args.list:
            for name in scenario_names():
                print(f"{name:<22} {load_scenario(name)['description']}")
            return 0
        if not args.scenario:
            parser.error("which scenario? (see --list)")
        scenario = load_scenario(args.scenario)
        if args.show:
            yaml.safe_dump(scenario, sys.stdout, sort_keys=False, allow_unicode=True)
            return 0
        if not STATE.is_dir():
            raise CloudError(f"no state directory {STATE}: is the test cloud up?")
        with open(STATE / "seed.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # two seeds at once would fight over the same objects
            # Until this run succeeds the cloud is in no known scenario.
            (STATE / "scenario").unlink(missing_ok=True)
            failed, seconds = seed(scenario)
            if failed:
                say(f"FAILED to seed scenario {scenario['name']} ({', '.join(failed)}) "
                    f"after {seconds:.1f} s")
                return 1
            write_scenario_marker(scenario["name"])
        say(f"seeded scenario {scenario['name']} in {seconds:.1f} s")
        return 0
    except CloudError as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
