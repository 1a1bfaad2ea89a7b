"""`understudy recordings list/show/verify` through the built binary, on cassettes this file
writes itself in the documented format (index.json plus one pretty JSON file per interaction),
so the format is checked from outside the Swift code that writes it."""
import base64
import json
import os
import subprocess
import struct

import pytest

from harness import BINARY, FIXTURES

TIMEOUT = 30
PLANTED_KEY = "AKIAIOSFODNN7EXAMPLE"


def understudy(*args):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, env=environment, timeout=TIMEOUT)


def frame_payload(frame_bytes):
    """The payload of one encoded event-stream message (prelude: total and headers lengths)."""
    total, headers_length = struct.unpack(">II", frame_bytes[:8])
    return frame_bytes[12 + headers_length : total - 4]


def recorded_frames():
    """The first Bedrock stream vector as a cassette writes frames: headers typed, the chunk's
    `bytes` shown decoded."""
    case = json.loads((FIXTURES / "vectors" / "bedrock_eventstream.json").read_text())["cases"][0]
    frames = []
    for i, frame in enumerate(case["frames"]):
        payload = json.loads(frame_payload(bytes.fromhex(frame["hex"])))
        payload["bytes"] = json.loads(base64.b64decode(payload["bytes"]))
        assert all(h["type"] == "string" for h in frame["headers"])
        frames.append({
            "offsetMillis": 25 * i,
            # Every Bedrock header is a string, which a cassette writes as the plain value.
            "headers": {h["name"]: h["value"] for h in frame["headers"]},
            "bytesEncoding": "json",
            "payloadEncoding": "json",
            "payload": payload,
        })
    return frames


def write_cassette(directory):
    interactions = [
        {
            "service": "states",
            "operation": "DescribeExecution",
            "resource": "arn:aws:states:us-east-1:123456789012:execution:Joke:run-1",
            "request": {
                "method": "POST", "path": "/", "query": "",
                "headers": {"X-Amz-Target": "AWSStepFunctions.DescribeExecution"},
                "bodyEncoding": "json",
                "body": {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:Joke:run-1"},
            },
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/x-amz-json-1.0"},
                "bodyEncoding": "json",
                "body": {"executionArn": "arn:aws:states:us-east-1:123456789012:execution:Joke:run-1", "status": "RUNNING"},
            },
        },
        {
            "service": "bedrock-runtime",
            "operation": "InvokeModelWithResponseStream",
            "resource": "anthropic.claude-3-haiku-20240307-v1:0",
            "request": {
                "method": "POST", "path": "/model/anthropic.claude-3-haiku-20240307-v1:0/invoke-with-response-stream", "query": "",
                "headers": {"Content-Type": "application/json"},
                "bodyEncoding": "json",
                "body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]},
            },
            "response": {
                "status": 200,
                "headers": {"Content-Type": "application/vnd.amazon.eventstream"},
                "frames": recorded_frames(),
            },
        },
        {
            "service": "s3",
            "operation": "GetObject",
            "resource": "batch/in/part-1.jsonl",
            "request": {"method": "GET", "path": "/batch/in/part-1.jsonl", "query": "", "headers": {}},
            "response": {"status": 404, "headers": {"Content-Type": "application/xml"}, "bodyEncoding": "text",
                         "body": "<Error><Code>NoSuchKey</Code></Error>"},
        },
    ]
    entries = []
    for number, interaction in enumerate(interactions, start=1):
        name = f"{number:04d}-{interaction['service']}-{interaction['operation']}.json"
        (directory / name).write_text(json.dumps(interaction, indent=2) + "\n")
        entries.append({"file": name, "service": interaction["service"], "operation": interaction["operation"],
                        "resource": interaction["resource"]})
    (directory / "index.json").write_text(json.dumps({"format": 1, "interactions": entries}, indent=2) + "\n")
    return [entry["file"] for entry in entries]


@pytest.fixture
def cassette(tmp_path):
    files = write_cassette(tmp_path)
    return tmp_path, files


def test_list_prints_one_line_per_interaction(cassette):
    directory, _ = cassette
    result = understudy("recordings", "list", str(directory))
    assert result.returncode == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows == [
        ["1", "states", "DescribeExecution", "arn:aws:states:us-east-1:123456789012:execution:Joke:run-1", "200", "-"],
        ["2", "bedrock-runtime", "InvokeModelWithResponseStream", "anthropic.claude-3-haiku-20240307-v1:0", "200", str(len(recorded_frames()))],
        ["3", "s3", "GetObject", "batch/in/part-1.jsonl", "404", "-"],
    ]


def test_show_prints_the_interaction_with_its_frames_decoded(cassette):
    directory, files = cassette
    result = understudy("recordings", "show", str(directory), "2")
    assert result.returncode == 0, result.stderr
    first, rest = result.stdout.split("\n", 1)
    assert first == f"# 2: {files[1]}"
    shown = json.loads(rest)
    assert shown["operation"] == "InvokeModelWithResponseStream"
    texts = [f["payload"]["bytes"].get("delta", {}).get("text") for f in shown["response"]["frames"]]
    assert "Hello" in texts, "the chunk's model event is shown decoded, not as base64"
    assert shown["response"]["frames"][1]["offsetMillis"] == 25
    assert '\n  "service": "bedrock-runtime",\n' in rest, "2-space indentation, members in file order"


def test_show_refuses_a_number_the_cassette_does_not_have(cassette):
    directory, _ = cassette
    result = understudy("recordings", "show", str(directory), "4")
    assert result.returncode == 64
    assert "has no interaction 4 (it has 3, numbered from 1)" in result.stderr


def test_verify_passes_a_clean_cassette(cassette):
    directory, _ = cassette
    result = understudy("recordings", "verify", str(directory))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"{directory}: 3 interaction(s), 4 file(s) scanned, no problems"


def test_verify_names_the_file_and_line_of_a_planted_access_key(cassette):
    directory, files = cassette
    path = directory / files[0]
    lines = path.read_text().split("\n")
    line_number = next(i for i, line in enumerate(lines) if '"RUNNING"' in line) + 1
    lines[line_number - 1] = lines[line_number - 1].replace('"RUNNING"', f'"{PLANTED_KEY}"')
    column = lines[line_number - 1].index(PLANTED_KEY) + 1
    path.write_text("\n".join(lines))
    result = understudy("recordings", "verify", str(directory))
    assert result.returncode == 1
    assert result.stdout.splitlines() == [f"{files[0]}:{line_number}: AWS access key id at column {column} (AKIA…)"]
    assert PLANTED_KEY not in result.stdout + result.stderr, "the report does not print the key again"
    assert "1 problem(s)" in result.stderr


def test_verify_finds_configured_secrets_and_signing_text(cassette):
    directory, files = cassette
    (directory / "notes.txt").write_text("first line\nurl ?X-Amz-Signature=deadbeef\n")
    result = understudy("recordings", "verify", str(directory), "--secret", "Joke:run-1")
    assert result.returncode == 1
    problems = result.stdout.splitlines()
    assert "notes.txt:2: request signature at column 6 (X-Am…)" in problems
    secret_files = {p.split(":")[0] for p in problems if "configured secret" in p}
    assert secret_files == {files[0], "index.json"}


def test_broken_files_are_named_with_their_line(cassette):
    directory, files = cassette
    text = (directory / files[2]).read_text().replace('"status": 404', '"status": 404,,')
    (directory / files[2]).write_text(text)
    line_number = text.split("\n").index(next(line for line in text.split("\n") if ",," in line)) + 1
    listed = understudy("recordings", "list", str(directory))
    assert listed.returncode == 1
    assert len(listed.stdout.splitlines()) == 3, "the readable interactions are still listed"
    assert f"{files[2]}" in listed.stderr and f"line {line_number}" in listed.stderr
    verified = understudy("recordings", "verify", str(directory))
    assert verified.returncode == 1
    assert verified.stdout.splitlines()[0].startswith(f"{files[2]}:{line_number}: not JSON")


def test_a_directory_without_an_index_is_not_a_cassette(tmp_path):
    for command in (["list", str(tmp_path)], ["verify", str(tmp_path)], ["show", str(tmp_path), "1"]):
        result = understudy("recordings", *command)
        assert result.returncode == 1, command
        assert "no index.json: not a cassette directory" in result.stdout + result.stderr, command
