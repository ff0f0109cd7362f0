#!/usr/bin/env python3
"""Keeps examples/kubernetes from rotting: every manifest parsed by kubectl and checked against
the Kubernetes API schema, offline.

usage: kubernetes_manifests.py [--kubectl PATH] [DIR]   (default: examples/kubernetes)

kubectl cannot validate offline: `kubectl create --dry-run=client` (with or without
--validate=false) needs an API server for discovery, to map a kind to its resource, and
validation needs the server's OpenAPI document. So kubectl does what it can without one:
`kubectl label --local -f FILE -o json` parses each file (YAML, every document, apiVersion and
kind present) and `kubectl kustomize DIR` renders the whole set as `kubectl apply -k` would. Its
JSON output is then checked field by field against the models of Debian's Kubernetes Python
client (python3-kubernetes, generated from the API's OpenAPI schema): unknown fields, wrong
types and missing required fields fail. Then what the examples promise: one image reference,
non-root with a read-only root filesystem, resources set, Secrets mounted read-only, and the
indexed Job's completions equal to its subject files. Exit 0 when all hold, 1 otherwise.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml
import kubernetes.client as models

failures = []


def fail(where, message):
    failures.append(f"{where}: {message}")


def kubectl(binary, *args):
    # A kubeconfig pointing nowhere: nothing here may reach a cluster (or whatever listens on
    # kubectl's default localhost:8080). The token is never sent; without one, kubectl 1.20 asks
    # for a user name on the terminal even with --local.
    with tempfile.NamedTemporaryFile("w", suffix=".kubeconfig") as config:
        config.write(
            "apiVersion: v1\nkind: Config\nclusters: [{name: none, cluster: {server: 'https://127.0.0.1:1'}}]\n"
            "users: [{name: none, user: {token: never-sent}}]\ncontexts: [{name: none, context: {cluster: none, user: none}}]\n"
            "current-context: none\n")
        config.flush()
        env = dict(os.environ, KUBECONFIG=config.name)
        return subprocess.run([binary, *args], capture_output=True, text=True, env=env, timeout=60)


def model_for(api_version, kind):
    version = api_version.split("/")[-1]
    name = version[0].upper() + version[1:] + kind
    return getattr(models, name, None), name


QUANTITY_MAPS = {"requests", "limits", "capacity"}


def check_value(where, value, type_name, key=""):
    """Checks value against an OpenAPI type name of the Python client's models."""
    if value is None:
        return
    if type_name.startswith("list["):
        if not isinstance(value, list):
            return fail(where, f"expected a list, got {type(value).__name__}")
        for index, item in enumerate(value):
            check_value(f"{where}[{index}]", item, type_name[5:-1])
        return
    if type_name.startswith("dict("):
        if not isinstance(value, dict):
            return fail(where, f"expected a map, got {type(value).__name__}")
        inner = type_name[type_name.index(",") + 1:-1].strip()
        for k, item in value.items():
            if inner == "str" and key in QUANTITY_MAPS and isinstance(item, (int, float)):
                continue  # a quantity may be written as a number
            check_value(f"{where}.{k}", item, inner)
        return
    simple = {"str": str, "int": int, "bool": bool, "float": (int, float)}
    if type_name in simple:
        if isinstance(value, bool) and type_name != "bool":
            return fail(where, f"expected {type_name}, got a boolean")
        if not isinstance(value, simple[type_name]):
            fail(where, f"expected {type_name}, got {type(value).__name__} {value!r}")
        return
    if type_name in ("object", "datetime", "date"):
        return
    klass = getattr(models, type_name)
    if not isinstance(value, dict):
        return fail(where, f"expected an object ({type_name}), got {type(value).__name__}")
    by_json = {json_name: attr for attr, json_name in klass.attribute_map.items()}
    for k, item in value.items():
        if k not in by_json:
            fail(where, f"unknown field {k!r} in {type_name}")
            continue
        check_value(f"{where}.{k}", item, klass.openapi_types[by_json[k]], k)


def check_object(where, obj):
    klass, name = model_for(obj.get("apiVersion", ""), obj.get("kind", ""))
    if klass is None:
        return fail(where, f"no Kubernetes API type {name} (apiVersion {obj.get('apiVersion')}, kind {obj.get('kind')})")
    before = len(failures)
    check_value(f"{where} {obj['kind']}/{obj.get('metadata', {}).get('name')}", obj, name)
    if len(failures) == before:
        try:  # required fields: the models' constructors refuse a missing one
            models.ApiClient()._ApiClient__deserialize(obj, name)
        except ValueError as error:
            fail(where, f"{obj['kind']}: {error}")


def pod_specs(obj):
    spec = obj.get("spec", {})
    if obj["kind"] == "CronJob":
        yield spec["jobTemplate"]["spec"], spec["jobTemplate"]["spec"]["template"]["spec"]
    elif obj["kind"] == "Job":
        yield spec, spec["template"]["spec"]


def check_promises(objects, expected_image):
    config_maps = {o["metadata"]["name"]: o for o in objects if o["kind"] == "ConfigMap"}
    workloads = [o for o in objects if o["kind"] in ("CronJob", "Job")]
    if not workloads:
        fail("examples", "no CronJob or Job")
    indexed = 0
    for obj in workloads:
        where = f"{obj['kind']}/{obj['metadata']['name']}"
        for job, pod in pod_specs(obj):
            if job.get("completionMode") == "Indexed":
                indexed += 1
                subject_files = set()
                for volume in pod.get("volumes", []):
                    if "configMap" in volume:
                        data = config_maps.get(volume["configMap"]["name"], {}).get("data", {})
                        subject_files |= {k for k in data if re.fullmatch(r"subject-\d+\.yaml", k)}
                wanted = {f"subject-{i}.yaml" for i in range(job.get("completions", 1))}
                if subject_files != wanted:
                    fail(where, f"completions {job.get('completions')} but subject files {sorted(subject_files)}")
            for key in ("backoffLimit", "activeDeadlineSeconds"):
                if key not in job:
                    fail(where, f"no {key}")
            context = pod.get("securityContext", {})
            if context.get("runAsNonRoot") is not True or not context.get("runAsUser"):
                fail(where, "not runAsNonRoot with a runAsUser")
            secret_volumes = {v["name"] for v in pod.get("volumes", []) if "secret" in v}
            for container in pod["containers"]:
                if container["image"] != expected_image:
                    fail(where, f"image {container['image']}, not {expected_image}")
                if container.get("securityContext", {}).get("readOnlyRootFilesystem") is not True:
                    fail(where, "root filesystem not read-only")
                resources = container.get("resources", {})
                if not {"cpu", "memory"} <= set(resources.get("requests", {})) or \
                        not {"cpu", "memory"} <= set(resources.get("limits", {})):
                    fail(where, "cpu and memory requests and limits are not all set")
                for mount in container.get("volumeMounts", []):
                    if mount["name"] in secret_volumes and mount.get("readOnly") is not True:
                        fail(where, f"Secret volume {mount['name']} mounted writable")
    if indexed == 0:
        fail("examples", "no indexed Job (completionMode: Indexed)")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kubectl", default="kubectl")
    parser.add_argument("dir", nargs="?", default=os.path.join(os.path.dirname(__file__), "../../examples/kubernetes"))
    args = parser.parse_args()
    directory = os.path.abspath(args.dir)

    with open(os.path.join(directory, "kustomization.yaml")) as file:
        kustomization = yaml.safe_load(file)
    images = kustomization.get("images", [])
    if len(images) != 1:
        fail("kustomization.yaml", "not exactly one image")
        expected_image = None
    else:
        expected_image = f"{images[0]['newName']}:{images[0]['newTag']}"

    objects = []
    files = sorted(f for f in os.listdir(directory) if f.endswith(".yaml") and f != "kustomization.yaml")
    for name in files:
        before = len(failures)
        result = kubectl(args.kubectl, "label", "--local", "-f", os.path.join(directory, name),
                         "-o", "json", "scs-conformance.example/parsed=true")
        if result.returncode != 0:
            fail(name, f"kubectl could not parse it: {result.stderr.strip()}")
            continue
        items = []  # kubectl 1.20 prints a List for several documents, newer ones a JSON stream
        decoder, text, position = json.JSONDecoder(), result.stdout.strip(), 0
        while position < len(text):
            parsed, position = decoder.raw_decode(text, position)
            items += parsed["items"] if parsed.get("kind") == "List" else [parsed]
            position = len(text) - len(text[position:].lstrip())
        for obj in items:
            obj["metadata"]["labels"].pop("scs-conformance.example/parsed")
            check_object(name, obj)
            objects.append(obj)
        if len(failures) == before:
            print(f"ok   - {name}: {len(items)} object(s) parsed by kubectl, schema checked")

    result = kubectl(args.kubectl, "kustomize", directory)
    if result.returncode != 0:
        fail("kustomization.yaml", f"kubectl kustomize failed: {result.stderr.strip()}")
    else:
        rendered = [o for o in yaml.safe_load_all(result.stdout) if o]
        listed = {(o["kind"], o["metadata"]["name"]) for o in rendered}
        for obj in rendered:
            check_object("kubectl kustomize", obj)
        print(f"ok   - kubectl kustomize: {len(rendered)} objects")
        secret_kinds = [o for o in rendered if o["kind"] == "Secret"]
        if secret_kinds:
            fail("kustomization.yaml", "applies Secrets: their sample values would overwrite the real ones")
        unlisted = [(o["kind"], o["metadata"]["name"]) for o in objects
                    if o["kind"] != "Secret" and (o["kind"], o["metadata"]["name"]) not in listed]
        if unlisted:
            fail("kustomization.yaml", f"leaves out {unlisted}")
    if expected_image:
        check_promises(objects, expected_image)

    for failure in failures:
        print(f"FAIL - {failure}")
    print(f"{len(files)} manifests, {len(failures)} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
