"""The availability zones of the test cloud (scs-0121), as seed.py's `zones` step.

A scenario's `zones` section:

    zones:
      compute:               # nova-compute host -> availability zone; false: service disabled
        testcloud-az2: az2   # nova would be Nova's default zone, i.e. in no zone aggregate
      storage:               # cinder-volume host -> enabled (its zone is configuration:
        testcloud-az2@file_az2: false   # lib/zones.sh puts testcloud-az2@file_az2 in az2)

(false, not null: a scenario's null deletes the key it inherits.) A host in another zone than `nova` joins the aggregate `scs-zone-<zone>` (created with that
`availability_zone`); aggregates named `scs-zone-*` that no host needs any more are deleted,
other aggregates are left alone. Hosts the section does not name are left as they are.
"""
import time

DEFAULT_ZONE = "nova"  # Nova's default_availability_zone: hosts in no zone aggregate
PREFIX = "scs-zone-"
SERVICE_WAIT_S = 60  # a compute host just started is mapped into the cell within ~10 s


class ZoneError(Exception):
    pass


def validate(zones):
    problems = []
    for host, zone in (zones.get("compute") or {}).items():
        if zone is not False and not (isinstance(zone, str) and zone):
            problems.append(f"zones: compute host {host}: a zone name or false")
    for host, enabled in (zones.get("storage") or {}).items():
        if not isinstance(enabled, bool):
            problems.append(f"zones: storage host {host}: true or false")
    unknown = set(zones) - {"compute", "storage"}
    if unknown:
        problems.append(f"zones: unknown keys {sorted(unknown)}")
    return problems


def _services(api, path, binary, hosts, what):
    """{host: service} for every host in `hosts`, waiting for hosts that have not registered yet."""
    deadline = time.monotonic() + SERVICE_WAIT_S
    while True:
        found = {s["host"]: s for s in api.get(f"{path}?binary={binary}")["services"] if s["host"] in hosts}
        missing = sorted(set(hosts) - set(found))
        if not missing:
            return found
        if time.monotonic() > deadline:
            raise ZoneError(f"{what}: no {binary} service on host {', '.join(missing)} "
                            "(is the test cloud up with lib/zones.sh?)")
        time.sleep(3)


def _sync_compute(nova, wanted, tally):
    services = _services(nova, "/os-services", "nova-compute", wanted, "nova")
    aggregates = {a["name"]: a for a in nova.get("/os-aggregates")["aggregates"] if a["name"].startswith(PREFIX)}
    # Leave wrong aggregates first: Nova refuses a host in two zones at once.
    for aggregate in aggregates.values():
        for host in list(aggregate["hosts"] or []):
            zone = wanted.get(host, aggregate["availability_zone"])
            if host in wanted and (zone is False or PREFIX + zone != aggregate["name"]):
                nova.post(f"/os-aggregates/{aggregate['id']}/action", {"remove_host": {"host": host}})
                aggregate["hosts"].remove(host)
                tally.add("updated")
    for host, zone in wanted.items():
        if zone is False or zone == DEFAULT_ZONE:
            continue
        aggregate = aggregates.get(PREFIX + zone)
        if aggregate is None:
            aggregate = nova.post("/os-aggregates", {"aggregate": {"name": PREFIX + zone, "availability_zone": zone}})[
                "aggregate"]
            aggregate["hosts"] = []
            aggregates[aggregate["name"]] = aggregate
            tally.add("created")
        if host not in (aggregate["hosts"] or []):
            nova.post(f"/os-aggregates/{aggregate['id']}/action", {"add_host": {"host": host}})
            aggregate["hosts"] = (aggregate["hosts"] or []) + [host]
            tally.add("updated")
    for aggregate in aggregates.values():
        if not aggregate["hosts"]:
            nova.delete(f"/os-aggregates/{aggregate['id']}")
            tally.add("deleted")
    for host, zone in wanted.items():
        service = services[host]
        status = "disabled" if zone is False else "enabled"
        if service["status"] != status:
            body = {"status": status}
            if zone is False:
                body["disabled_reason"] = "scenario without this host's zone"
            nova.put(f"/os-services/{service['id']}", body)  # microversion >= 2.53: by service id
            tally.add("updated")


def _sync_storage(cinder, wanted, tally):
    services = _services(cinder, "/os-services", "cinder-volume", wanted, "cinder")
    for host, enabled in wanted.items():
        status = "enabled" if enabled else "disabled"
        if services[host]["status"] != status:
            cinder.put(f"/os-services/{'enable' if enabled else 'disable'}",
                       {"host": host, "binary": "cinder-volume"})
            tally.add("updated")


def sync_zones(cloud, wanted, tally):
    """Reconciles the cloud's zones with the scenario's `zones` section."""
    problems = validate(wanted)
    if problems:
        raise ZoneError("; ".join(problems))
    _sync_compute(cloud.nova, wanted.get("compute") or {}, tally)
    _sync_storage(cloud.cinder, wanted.get("storage") or {}, tally)
    return tally
