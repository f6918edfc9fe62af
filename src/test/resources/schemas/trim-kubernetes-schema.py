#!/usr/bin/env python3
"""Builds kubernetes-kinds.schema.json (beside this script) from the JSON schemas that fabric8's Kubernetes model jars
ship on Maven Central (io.fabric8:kubernetes-model-{core,apps,policy}:6.13.4, schema/validation-schema.json): only the
kinds k8s/ uses and what they reference; strict (additionalProperties false, so a misspelt field fails), with
IntOrString and Quantity as Kubernetes writes them (a number or a string) and fabric8's Java hints dropped.

    for a in core apps policy; do mvn -q dependency:get -Dartifact=io.fabric8:kubernetes-model-$a:6.13.4 -Dtransitive=false
      unzip -o -d /tmp/k8s-schema/$a ~/.m2/repository/io/fabric8/kubernetes-model-$a/6.13.4/kubernetes-model-$a-6.13.4.jar \
        schema/validation-schema.json; done
    python3 src/test/resources/schemas/trim-kubernetes-schema.py /tmp/k8s-schema
"""
import json
import os
import sys

KINDS = {
    ("v1", "Namespace"): "kubernetes_core_Namespace",
    ("v1", "ConfigMap"): "kubernetes_core_ConfigMap",
    ("v1", "Secret"): "kubernetes_core_Secret",
    ("v1", "Service"): "kubernetes_core_Service",
    ("apps/v1", "Deployment"): "kubernetes_apps_Deployment",
    ("apps/v1", "StatefulSet"): "kubernetes_apps_StatefulSet",
    ("policy/v1", "PodDisruptionBudget"): "kubernetes_policy_v1_PodDisruptionBudget",
}
NUMBER_OR_STRING = {"type": ["integer", "string"]}
REPLACED = {
    "kubernetes_apimachinery_pkg_util_intstr_IntOrString": NUMBER_OR_STRING,
    "kubernetes_resource_Quantity": {"type": ["number", "string"]},
    "k8s_io_apimachinery_pkg_api_resource_Quantity": {"type": ["number", "string"]},
    "kubernetes_apimachinery_Time": {"type": "string"},
    "kubernetes_apimachinery_MicroTime": {"type": "string"},
    "kubernetes_apimachinery_pkg_apis_FieldsV1": {"type": "object"},
    "kubernetes_apimachinery_pkg_runtime_RawExtension": {"type": "object"},
}
JAVA_HINTS = {"javaType", "javaInterfaces", "existingJavaType", "javaOmitEmpty", "required", "default"}


def clean(node):
    if isinstance(node, dict):
        out = {k: clean(v) for k, v in node.items() if k not in JAVA_HINTS}
        if out.get("type") == "object" and "properties" in out:
            out["additionalProperties"] = False
        return out
    if isinstance(node, list):
        return [clean(v) for v in node]
    return node


def refs(node, found):
    if isinstance(node, dict):
        ref = node.get("$ref")
        if ref:
            found.add(ref.split("/")[-1])
        for v in node.values():
            refs(v, found)
    elif isinstance(node, list):
        for v in node:
            refs(v, found)


def main(root):
    definitions = {}
    for module in ("core", "apps", "policy"):
        with open(os.path.join(root, module, "schema", "validation-schema.json")) as f:
            definitions.update(json.load(f)["definitions"])
    keep, todo = {}, list(KINDS.values())
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        if name in REPLACED:
            keep[name] = REPLACED[name]
            continue
        keep[name] = clean(definitions[name])
        found = set()
        refs(keep[name], found)
        todo.extend(found - keep.keys())
    schema = {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "description": "Kubernetes kinds used by k8s/, from io.fabric8:kubernetes-model-{core,apps,policy}:6.13.4 "
                       "schema/validation-schema.json, trimmed and made strict by trim-kubernetes-schema.py",
        "kinds": {api + " " + kind: "#/definitions/" + name for (api, kind), name in KINDS.items()},
        "definitions": dict(sorted(keep.items())),
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kubernetes-kinds.schema.json")
    with open(out, "w") as f:
        json.dump(schema, f, indent=1, sort_keys=False)
        f.write("\n")
    print(out, len(keep), "definitions")


if __name__ == "__main__":
    main(sys.argv[1])
