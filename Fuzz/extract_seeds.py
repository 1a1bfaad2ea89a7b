#!/usr/bin/env python3
"""Writes each fuzz target's seed corpus from the repository's own test data.

    Fuzz/extract_seeds.py OUT

OUT/<target>/ gets one file per seed, named by its SHA-1 so reruns write nothing new. The
seeds are the test vectors as they are (event-stream frames, signed requests, aws-chunked
bodies, JSON documents, ASL definitions, the JSONata expressions inside them); gzip seeds are
made here from fixture files. Seeds kept in git (Fuzz/Corpus/<target>/) are read by
scripts/fuzz beside these.
"""
import base64
import glob
import gzip
import hashlib
import json
import os
import re
import sys
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "Tests", "Fixtures")
# A seed larger than this would make libFuzzer mutate inputs of that size for every target run;
# the few fixture files above it (JSONTestSuite's deep-nesting cases) add nothing the smaller
# ones do not.
MAX_SEED = 100_000


def fixture(*parts):
    return os.path.join(FIXTURES, *parts)


def load(*parts):
    with open(fixture(*parts), encoding="utf-8") as f:
        return json.load(f)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def definitions():
    """Every ASL definition in the fixtures, as text."""
    for path in sorted(glob.glob(fixture("seeds", "asl", "*.json"))):
        yield read_bytes(path).decode("utf-8")
    for path in sorted(glob.glob(fixture("conformance", "asl", "cases", "*.json"))):
        with open(path, encoding="utf-8") as f:
            definition = json.load(f)["definition"]
        yield definition if isinstance(definition, str) else json.dumps(definition)


def jsonata_expressions():
    """The text inside every `{% ... %}` string of the definitions."""
    def walk(value):
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{%") and text.endswith("%}"):
                yield text[2:-2].strip()
        elif isinstance(value, dict):
            for member in value.values():
                yield from walk(member)
        elif isinstance(value, list):
            for item in value:
                yield from walk(item)

    for text in definitions():
        try:
            yield from walk(json.loads(text))
        except ValueError:
            continue


def swift_test_expressions():
    """The expressions of the JSONata unit tests: the first string of each `("…", …)` case."""
    literal = re.compile(r'\(\s*"((?:[^"\\]|\\.)*)"\s*,')
    escape = re.compile(r'\\(u\{[0-9A-Fa-f]+\}|.)')

    def unescape(match):
        code = match.group(1)
        if code.startswith("u{"):
            return chr(int(code[2:-1], 16))
        return {"n": "\n", "t": "\t", "r": "\r", "0": "\0"}.get(code, code)

    for path in sorted(glob.glob(os.path.join(ROOT, "Tests", "JSONataTests", "*.swift"))):
        with open(path, encoding="utf-8") as f:
            for match in literal.finditer(f.read()):
                yield escape.sub(unescape, match.group(1))


def json_seeds():
    for folder in ("test_parsing", "test_transform"):
        for path in sorted(glob.glob(fixture("vectors", "json", folder, "*.json"))):
            yield read_bytes(path)
    for text in definitions():
        yield text.encode("utf-8")


def event_stream_seeds():
    # The first byte is the target's mode: 0 decodes the frames as they are.
    for case in load("vectors", "eventstream.json")["cases"]:
        # The oversized cases are a prelude and a repeated byte: the prelude alone is refused.
        yield b"\x00" + bytes.fromhex(case["hex"] if "hex" in case else case["prefix_hex"])
        if case.get("chunks_hex"):
            yield b"\x00" + b"".join(bytes.fromhex(chunk) for chunk in case["chunks_hex"])
    for case in load("vectors", "bedrock_eventstream.json")["cases"]:
        yield b"\x00" + b"".join(bytes.fromhex(frame["hex"]) for frame in case["frames"])
    for case in load("vectors", "smithy", "restJson1_eventstream.json")["cases"]:
        for event in case.get("case", {}).get("events", []):
            if "bytes" in event:
                yield b"\x00" + base64.b64decode(event["bytes"])


def request_text(method, target, headers, body=b""):
    lines = [f"{method} {target}"] + [f"{name}:{value}" for name, value in headers]
    return ("\n".join(lines) + "\n\n").encode("utf-8") + body


def sigv4_seeds():
    for case in load("vectors", "sigv4", "aws-c-auth-v4.json")["cases"]:
        yield case["request"].encode("utf-8")
        for variant in ("header", "query"):
            if case.get(variant, {}).get("signed_request"):
                yield case[variant]["signed_request"].encode("utf-8")
    for case in load("vectors", "sigv4", "botocore-aws4_testsuite.json")["cases"]:
        yield case["signed_request"].encode("utf-8")
    for case in load("vectors", "sigv4", "botocore-observed.json")["cases"]:
        wire = case["wire"]
        url = urlsplit(wire["url"])
        target = (url.path or "/") + ("?" + url.query if url.query else "")
        headers = [("Host", url.netloc)] + [tuple(header) for header in wire["headers"]]
        yield request_text(wire["method"], target, headers, wire.get("body_utf8", "").encode("utf-8"))
    streaming = load("vectors", "sigv4", "s3-streaming.json")["signed_chunked"]
    request = streaming["request"]
    headers = [tuple(header) for header in request["headers"]] + [("Authorization", streaming["seed"]["authorization"])]
    yield request_text(request["method"], request["path"], headers)


def chunked_seeds():
    vectors = load("vectors", "sigv4", "s3-streaming.json")
    body = b""
    for chunk in vectors["signed_chunked"]["chunks"]:
        data = chunk["data"]["repeat_char"].encode() * chunk["data"]["count"]
        body += chunk["chunk_header"].encode() + b"\r\n" + data + (b"\r\n" if data else b"")
    yield body + b"\r\n"
    trailer = vectors["signed_chunked"]["trailer"]
    lines = [f"{name}:{value}" for name, value in trailer["trailing_headers"]]
    lines.append(f"x-amz-trailer-signature:{trailer['signature']}")
    yield body + "".join(line + "\r\n" for line in lines).encode() + b"\r\n"
    yield bytes.fromhex(vectors["unsigned_trailer_observed"]["body_hex"])


def gzip_seeds():
    # mtime=0 keeps the bytes (and so the file names) the same from run to run.
    texts = [read_bytes(path) for path in sorted(glob.glob(fixture("seeds", "asl", "*.json")))[:3]]
    jsonl = b"".join(json.dumps({"recordId": f"R{i:03}", "n": i}).encode() + b"\n" for i in range(40))
    for data in texts + [jsonl, b""]:
        yield gzip.compress(data, compresslevel=9, mtime=0)
    yield gzip.compress(jsonl, compresslevel=0, mtime=0)
    yield gzip.compress(jsonl[:200], mtime=0) + gzip.compress(jsonl[200:400], mtime=0)
    yield gzip.compress(b"\x00" * 65536, mtime=0)


TARGETS = {
    "json": json_seeds,
    "eventstream": event_stream_seeds,
    "sigv4": sigv4_seeds,
    "chunked": chunked_seeds,
    "gzip": gzip_seeds,
    "asl": lambda: (text.encode("utf-8") for text in definitions()),
    "jsonata": lambda: (text.encode("utf-8") for text in [*jsonata_expressions(), *swift_test_expressions()]),
    "jsonata-eval": lambda: (text.encode("utf-8") for text in [*jsonata_expressions(), *swift_test_expressions()]),
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip())
    out = sys.argv[1]
    for target, seeds in TARGETS.items():
        folder = os.path.join(out, target)
        os.makedirs(folder, exist_ok=True)
        count = 0
        for seed in seeds():
            if len(seed) > MAX_SEED and target != "chunked":
                continue
            path = os.path.join(folder, hashlib.sha1(seed).hexdigest())
            if not os.path.exists(path):
                with open(path, "wb") as f:
                    f.write(seed)
            count += 1
        print(f"{target}: {count} seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
