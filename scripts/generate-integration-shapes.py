#!/usr/bin/env python3
"""Writes Sources/StatesEngine/Mocks/IntegrationShapesSource.swift: the output shape of every
operation of the services Step Functions integrates with, taken from botocore's service models,
for checking mocked Task results the way TestState's `fieldValidationMode` does
(https://docs.aws.amazon.com/step-functions/latest/apireference/API_MockInput.html).

Run it with the interop venv, whose botocore is pinned (Tests/Interop/requirements.txt), so the
file changes only when that pin does:

    .venv/bin/python scripts/generate-integration-shapes.py

botocore's models are Apache-2.0 (https://github.com/boto/botocore/blob/develop/LICENSE.txt);
the file records the botocore version it was made from.

The format, compact because it is compiled into the binary (as one raw string literal):

    {"botocore": "1.44.5",
     "services": {"<aws-sdk service name>": {
         "operations": {"PutEvents": <ref>, ...},   # only operations with an output
         "shapes": [<shape>, ...]}}}

A <ref> is an index into that service's "shapes", or one of the unconstrained scalars:
"s" string, "i" integer or long, "f" float or double, "b" boolean, "t" timestamp, "B" blob,
"d" document (anything: document types and event streams). A <shape> is
    ["S", {"Member": <ref>, ...}, ["Required", ...]]   structure (or union)
    ["L", <ref>]                                       list
    ["M", <ref>]                                       map (string keys)
    ["s"|"i"|"f"|"B", {"e": [...], "min": n, "max": n}] a scalar with constraints
Member names are as Step Functions returns them: the model's, first letter capitalized.
Identical shapes are stored once.
"""
import json
import os
import sys

import botocore
from botocore.loaders import Loader

# The aws-sdk service name (as Step Functions spells it in `aws-sdk:<service>:<action>`) and
# botocore's. The optimized integrations map onto these in IntegrationOperation.swift.
SERVICES = [
    ("lambda", "lambda"),
    ("sqs", "sqs"),
    ("sns", "sns"),
    ("dynamodb", "dynamodb"),
    ("eventbridge", "events"),
    ("sfn", "stepfunctions"),
    ("s3", "s3"),
    ("bedrockruntime", "bedrock-runtime"),
    ("bedrock", "bedrock"),
    ("glue", "glue"),
    ("ecs", "ecs"),
    ("batch", "batch"),
    ("athena", "athena"),
    ("codebuild", "codebuild"),
]

SCALARS = {
    "string": "s", "integer": "i", "long": "i", "float": "f", "double": "f",
    "boolean": "b", "timestamp": "t", "blob": "B",
}


def sfn_cased(name):
    return name[:1].upper() + name[1:]


def service_shapes(model):
    shapes = model["shapes"]
    ids = {}      # botocore shape name -> provisional id
    encoded = []  # provisional id -> encoded shape (refs are provisional ids or scalar codes)

    def ref(name):
        shape = shapes[name]
        kind = shape["type"]
        if shape.get("eventstream") or shape.get("document") or kind == "document":
            return "d"
        if kind in SCALARS:
            constraints = {}
            if "enum" in shape:
                constraints["e"] = shape["enum"]
            if kind in ("string", "blob", "integer", "long", "float", "double"):
                if "min" in shape and not (kind in ("string", "blob") and shape["min"] == 0):
                    constraints["min"] = shape["min"]
                if "max" in shape:
                    constraints["max"] = shape["max"]
            if not constraints:
                return SCALARS[kind]
            key = ("scalar", SCALARS[kind], json.dumps(constraints, sort_keys=True))
            if key not in ids:
                ids[key] = len(encoded)
                encoded.append([SCALARS[kind], constraints])
            return ids[key]
        if name in ids:
            return ids[name]
        ids[name] = len(encoded)
        encoded.append(None)
        if kind == "structure":
            members = {}
            for member, target in shape.get("members", {}).items():
                cased = sfn_cased(member)
                assert cased not in members, f"{name}: two members are {cased}"
                members[cased] = ref(target["shape"])
            required = [sfn_cased(m) for m in shape.get("required", [])]
            encoded[ids[name]] = ["S", members, required] if required else ["S", members]
        elif kind == "list":
            encoded[ids[name]] = ["L", ref(shape["member"]["shape"])]
        elif kind == "map":
            encoded[ids[name]] = ["M", ref(shape["value"]["shape"])]
        else:
            raise SystemExit(f"{name}: unknown shape type {kind}")
        return ids[name]

    operations = {}
    for op_name, op in sorted(model["operations"].items()):
        output = op.get("output")
        if output:
            operations[op_name] = ref(output["shape"])
    return dedupe(operations, encoded)


def dedupe(operations, encoded):
    """Stores identical shapes once: merges until no two encodings are equal, then numbers
    the survivors from 0 in first-use order."""
    alias = list(range(len(encoded)))

    def resolve(r):
        while isinstance(r, int) and alias[r] != r:
            r = alias[r]
        return r

    def rewrite(shape):
        if shape[0] == "S":
            out = ["S", {k: resolve(v) for k, v in shape[1].items()}]
            return out + shape[2:]
        if shape[0] in ("L", "M"):
            return [shape[0], resolve(shape[1])]
        return shape

    while True:
        seen = {}
        changed = False
        for index, shape in enumerate(encoded):
            if alias[index] != index:
                continue
            key = json.dumps(rewrite(shape), sort_keys=True)
            if key in seen:
                alias[index] = seen[key]
                changed = True
            else:
                seen[key] = index
        if not changed:
            break

    order = {}

    def number(r):
        r = resolve(r)
        if not isinstance(r, int):
            return r
        if r not in order:
            order[r] = None
            shape = encoded[r]
            if shape[0] == "S":
                for v in shape[1].values():
                    number(v)
            elif shape[0] in ("L", "M"):
                number(shape[1])
        return r

    for r in operations.values():
        number(r)
    final = {old: new for new, old in enumerate(order)}

    def renumber(r):
        r = resolve(r)
        return final[r] if isinstance(r, int) else r

    shapes = []
    for old in order:
        shape = rewrite(encoded[old])
        if shape[0] == "S":
            shape = ["S", {k: renumber(v) for k, v in shape[1].items()}] + shape[2:]
        elif shape[0] in ("L", "M"):
            shape = [shape[0], renumber(shape[1])]
        shapes.append(shape)
    return {"operations": {k: renumber(v) for k, v in operations.items()}, "shapes": shapes}


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    target = os.path.join(root, "Sources", "StatesEngine", "Mocks", "IntegrationShapesSource.swift")
    loader = Loader()
    services = {}
    for sfn_name, botocore_name in SERVICES:
        model = loader.load_service_model(botocore_name, "service-2")
        services[sfn_name] = service_shapes(model)
    document = {"botocore": botocore.__version__, "services": services}
    text = json.dumps(document, separators=(",", ":"), sort_keys=False)
    # One raw string literal: the compiler reads it as a single token, where `.embedInCode`
    # made an array literal of every byte that took over three minutes to compile.
    assert "\\" not in text and '"#' not in text
    with open(target, "w") as f:
        f.write("// Generated by scripts/generate-integration-shapes.py from botocore's service models\n")
        f.write("// (Apache-2.0). Do not edit; run the script again.\n\n")
        f.write("/// The output shapes `IntegrationShapes` reads, as compact JSON.\n")
        f.write("enum IntegrationShapesSource {\n    static let json = #\"\"\"\n")
        f.write(text)
        f.write("\n\"\"\"#\n}\n")
    for name, service in services.items():
        size = len(json.dumps(service, separators=(",", ":")))
        print(f"{name}: {len(service['operations'])} operations, {len(service['shapes'])} shapes, {size} bytes", file=sys.stderr)
    print(f"{target}: {len(text) + 1} bytes (botocore {botocore.__version__})", file=sys.stderr)


if __name__ == "__main__":
    main()
