#!/usr/bin/python3
"""Registers the test cloud's projects, users, roles, services and endpoints in Keystone, and
writes clouds.yaml for the two users. Idempotent: existing objects are left as they are.

Usage: register.py STATE_DIR   (reads STATE_DIR/secrets.env; Keystone must answer on :5000)
"""
import os
import sys

import openstack
import yaml

HOST = "127.0.0.1"
REGION = "RegionOne"
AUTH_URL = f"http://{HOST}:5000/v3"

# type, name, URL (the same for the public, internal and admin interfaces)
SERVICES = [
    ("image", "glance", f"http://{HOST}:9292"),
    ("placement", "placement", f"http://{HOST}:8778"),
    ("compute", "nova", f"http://{HOST}:8774/v2.1"),
    ("volumev3", "cinderv3", f"http://{HOST}:8776/v3/%(project_id)s"),
    ("block-storage", "cinder", f"http://{HOST}:8776/v3/%(project_id)s"),
    ("network", "neutron", f"http://{HOST}:9696"),
    ("key-manager", "barbican", f"http://{HOST}:9311"),
    ("load-balancer", "octavia", f"http://{HOST}:9876"),
    ("object-store", "swift", f"http://{HOST}:8080/v1/AUTH_%(project_id)s"),
    ("object-store-s3", "s3", f"http://{HOST}:8080"),
]


def read_secrets(state):
    with open(os.path.join(state, "secrets.env")) as handle:
        return dict(line.strip().split("=", 1) for line in handle if "=" in line)


def ensure(find, create, name, **attrs):
    return find(name, ignore_missing=True) or create(name=name, **attrs)


def register(conn, secrets):
    ident = conn.identity
    domain = ident.find_domain("default")
    projects = {
        name: ident.find_project(name, domain_id=domain.id, ignore_missing=True)
        or ident.create_project(name=name, domain_id=domain.id, description=description)
        for name, description in [("service", "OpenStack services"),
                                  ("scs-project", "The project the SCS tests run in")]
    }
    roles = {name: ensure(ident.find_role, ident.create_role, name)
             for name in ("admin", "member", "reader", "service")}

    def user(name, password, project, role_names):
        found = ident.find_user(name, domain_id=domain.id, ignore_missing=True)
        if found is None:
            found = ident.create_user(name=name, password=password, domain_id=domain.id,
                                      default_project_id=project.id)
        for role in role_names:
            ident.assign_project_role_to_user(project, found, roles[role])

    user("scs-service", secrets["SERVICE_PASSWORD"], projects["service"], ["admin", "service"])
    user("scs-member", secrets["MEMBER_PASSWORD"], projects["scs-project"], ["member"])

    for service_type, name, url in SERVICES:
        service = next(iter(ident.services(type=service_type)), None)
        if service is None:
            service = ident.create_service(type=service_type, name=name)
        have = {e.interface for e in ident.endpoints(service_id=service.id)}
        for interface in ("public", "internal", "admin"):
            if interface not in have:
                ident.create_endpoint(service_id=service.id, interface=interface, url=url,
                                      region_id=REGION)


def write_clouds_yaml(state, secrets):
    def cloud(user, password, project):
        return {
            "auth": {"auth_url": AUTH_URL, "username": user, "password": password,
                     "project_name": project, "user_domain_name": "Default",
                     "project_domain_name": "Default"},
            "region_name": REGION, "interface": "public", "identity_api_version": 3,
        }

    clouds = {"clouds": {
        "testcloud-admin": cloud("admin", secrets["ADMIN_PASSWORD"], "admin"),
        "testcloud-member": cloud("scs-member", secrets["MEMBER_PASSWORD"], "scs-project"),
    }}
    path = os.path.join(state, "clouds.yaml")
    fd = os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        yaml.safe_dump(clouds, handle, default_flow_style=False)
    os.replace(path + ".new", path)


def main(state):
    secrets = read_secrets(state)
    conn = openstack.connect(auth_url=AUTH_URL, username="admin", password=secrets["ADMIN_PASSWORD"],
                             project_name="admin", user_domain_name="Default",
                             project_domain_name="Default", region_name=REGION)
    register(conn, secrets)
    write_clouds_yaml(state, secrets)


if __name__ == "__main__":
    main(sys.argv[1])
