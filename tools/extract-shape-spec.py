#!/usr/bin/env python3
"""Derive a compact shape spec from an official botocore service model.

The spec keeps only what a server needs to parse, check and answer requests: operations with their
input, output and error shapes; shapes with type, members, required, enum, min, max, pattern, list
member, map key/value, exception/fault flags and idempotency tokens. Documentation text is dropped.

Usage: tools/extract-shape-spec.py SERVICE API_VERSION [OPERATION ...] > awsproto/src/main/resources/.../SERVICE-API_VERSION.json

Naming operations keeps only those and the shapes they reach: EC2's model has hundreds of operations
and thousands of shapes, of which Stevedore serves a few.
"""
import gzip, json, os, sys

import botocore

KEEP_SHAPE = ("type", "required", "enum", "min", "max", "pattern", "exception", "fault", "error",
              "timestampFormat", "flattened", "xmlName", "locationName", "sensitive")
KEEP_MEMBER = ("shape", "idempotencyToken", "location", "locationName", "flattened", "xmlNamespace",
               "jsonvalue", "queryName")
KEEP_METADATA = ("apiVersion", "endpointPrefix", "jsonVersion", "protocol", "signingName", "targetPrefix",
                 "serviceId", "globalEndpoint", "xmlNamespace")


def load(service, version):
    base = os.path.join(os.path.dirname(botocore.__file__), "data", service, version, "service-2.json")
    if os.path.exists(base):
        return json.load(open(base))
    return json.load(gzip.open(base + ".gz"))


def compact(model):
    out = {"metadata": {k: v for k, v in model["metadata"].items() if k in KEEP_METADATA},
           "operations": {}, "shapes": {}}
    for name, op in sorted(model["operations"].items()):
        o = {"http": {"method": op["http"]["method"], "requestUri": op["http"]["requestUri"]}}
        if "responseCode" in op["http"]:
            o["http"]["responseCode"] = op["http"]["responseCode"]
        if "input" in op:
            o["input"] = op["input"]["shape"]
        if "output" in op:
            o["output"] = op["output"]["shape"]
            # The Query protocol wraps an output in <OperationResult>, named by the model.
            if "resultWrapper" in op["output"]:
                o["resultWrapper"] = op["output"]["resultWrapper"]
        o["errors"] = sorted(e["shape"] for e in op.get("errors", []))
        out["operations"][name] = o
    for name, shape in sorted(model["shapes"].items()):
        s = {k: v for k, v in shape.items() if k in KEEP_SHAPE}
        if "members" in shape:
            s["members"] = {m: {k: v for k, v in spec.items() if k in KEEP_MEMBER}
                            for m, spec in shape["members"].items()}
        for ref in ("member", "key", "value"):
            if ref in shape:
                s[ref] = {k: v for k, v in shape[ref].items() if k in KEEP_MEMBER}
        out["shapes"][name] = s
    return out


def only(model, operations):
    """The model reduced to some operations and the shapes they reach (inputs, outputs, errors)."""
    missing = [o for o in operations if o not in model["operations"]]
    if missing:
        raise SystemExit("no such operations: " + ", ".join(missing))
    ops = {name: model["operations"][name] for name in operations}
    reached, todo = set(), []
    for op in ops.values():
        todo += [op[k]["shape"] for k in ("input", "output") if k in op]
        todo += [e["shape"] for e in op.get("errors", [])]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        shape = model["shapes"][name]
        todo += [m["shape"] for m in shape.get("members", {}).values()]
        todo += [shape[ref]["shape"] for ref in ("member", "key", "value") if ref in shape]
    return dict(model, operations=ops, shapes={n: s for n, s in model["shapes"].items() if n in reached})


if __name__ == "__main__":
    service, version, operations = sys.argv[1], sys.argv[2], sys.argv[3:]
    model = load(service, version)
    if operations:
        model = only(model, operations)
    json.dump(compact(model), sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")
