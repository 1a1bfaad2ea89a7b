"""`understudy recordings diff` (issue 20, item 7): a cassette recorded through a recorder in
front of a second Understudy standing in for AWS is replayed against the emulator, which must
then answer every call in the same shape; edits to the cassette (a renamed member, another
status, another type) must each be reported with their path, and exit 1."""
import json
import os
import subprocess
import time
from pathlib import Path

import botocore.exceptions
import pytest

from harness import BINARY

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
ROLE = "arn:aws:iam::123456789012:role/recorded"
TIMEOUT = 60


def understudy(*args):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, env=environment, timeout=TIMEOUT)


def recorder_env():
    return {"AWS_ACCESS_KEY_ID": "AKIADIFFRECORDER0001", "AWS_SECRET_ACCESS_KEY": "diff-recorder-secret"}


def messages(text):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [{"role": "user", "content": text}]})


def flow(server):
    """What a user does: models invoked and streamed, a synchronous and a polled execution (one
    whose name AWS generates), S3 objects, and two calls that fail. Returns how many calls."""
    runtime = server.client("bedrock-runtime")
    runtime.invoke_model(modelId=MODEL, body=messages("Tell me a joke"))["body"].read()
    list(runtime.invoke_model_with_response_stream(modelId=MODEL, body=messages("Count to five"))["body"])
    runtime.converse(modelId=MODEL, messages=[{"role": "user", "content": [{"text": "Hi"}]}])
    list(runtime.converse_stream(modelId=MODEL, messages=[{"role": "user", "content": [{"text": "Hi"}]}])["stream"])
    states = server.client("stepfunctions", inject_host_prefix=False)
    passing = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
    express = states.create_state_machine(name="diff-express", definition=json.dumps(passing), roleArn=ROLE, type="EXPRESS")
    states.start_sync_execution(stateMachineArn=express["stateMachineArn"], input='{"a": 1}')
    waiting = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "Next": "P"},
                                          "P": {"Type": "Pass", "End": True}}}
    standard = states.create_state_machine(name="diff-standard", definition=json.dumps(waiting), roleArn=ROLE)
    started = states.start_execution(stateMachineArn=standard["stateMachineArn"], input="{}")
    polls = 0
    for _ in range(100):
        polls += 1
        if states.describe_execution(executionArn=started["executionArn"])["status"] != "RUNNING":
            break
        time.sleep(0.1)
    states.get_execution_history(executionArn=started["executionArn"])
    with pytest.raises(botocore.exceptions.ClientError):
        states.describe_execution(executionArn=started["executionArn"] + "-missing")
    s3 = server.client("s3")
    s3.create_bucket(Bucket="diff-bucket")
    s3.put_object(Bucket="diff-bucket", Key="k.txt", Body=b"recorded body")
    s3.get_object(Bucket="diff-bucket", Key="k.txt")["Body"].read()
    with pytest.raises(botocore.exceptions.ClientError):
        s3.get_object(Bucket="diff-bucket", Key="missing.txt")
    return 14 + polls


@pytest.fixture
def cassette(make_server, tmp_path):
    upstream = make_server()
    directory = tmp_path / "cassette"
    recorder = make_server("--mode", "record", "--recordings", str(directory), "--upstream", upstream.url, env=recorder_env())
    calls = flow(recorder)
    # The recorder writes an interaction after its answer has gone, and a stop at once can
    # lose the last one (the file without its index entry): wait for the index to list all.
    deadline = time.monotonic() + 10
    while len(interaction_files(directory)) < calls and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(interaction_files(directory)) == calls
    recorder.stop()
    upstream.stop()
    return directory


def interaction_files(directory):
    return [directory / entry["file"] for entry in json.loads((directory / "index.json").read_text())["interactions"]]


def edit(path, change):
    interaction = json.loads(path.read_text())
    change(interaction["response"])
    path.write_text(json.dumps(interaction, indent=2) + "\n")


def verdicts(stdout):
    """Interaction number to its line's verdict, and the indented lines under it."""
    lines, details, current = {}, {}, None
    for line in stdout.splitlines():
        if line.startswith("    "):
            details.setdefault(current, []).append(line.strip())
        elif line.split() and line.split()[0].isdigit():
            current = int(line.split()[0])
            lines[current] = line
    return lines, details


def test_an_unedited_cassette_has_the_emulators_shape(cassette):
    result = understudy("recordings", "diff", str(cassette))
    assert result.returncode == 0, result.stdout + result.stderr
    lines, _ = verdicts(result.stdout)
    files = interaction_files(cassette)
    assert len(lines) == len(files) >= 17
    assert all(line.endswith("same shape") for line in lines.values()), result.stdout
    operations = [line.split()[2] for line in lines.values()]
    assert operations.count("DescribeExecution") >= 3, result.stdout
    # The polled execution was RUNNING on the upstream; the emulator at time scale 0 is done.
    assert "note: body.status: AWS RUNNING, emulator SUCCEEDED" in result.stdout
    assert "all the same shape" in result.stdout.splitlines()[-1]


def test_edits_are_reported_with_their_paths(cassette):
    files = {path.name.split("-", 1)[1]: path for path in interaction_files(cassette)}
    converse = files["bedrock-runtime-Converse.json"]
    edit(converse, lambda r: r["body"]["output"].update({"note": r["body"]["output"].pop("message")}))
    put = files["s3-PutObject.json"]
    edit(put, lambda r: r.update({"status": 202}))
    created = files["states-CreateStateMachine.json"]
    edit(created, lambda r: r["body"].update({"creationDate": "yesterday"}))

    result = understudy("recordings", "diff", str(cassette))
    assert result.returncode == 1, result.stdout + result.stderr
    lines, details = verdicts(result.stdout)
    numbers = {path.name: int(path.name[:4]) for path in files.values()}
    assert lines[numbers[converse.name]].endswith("2 differences"), result.stdout
    assert details[numbers[converse.name]] == [
        "body.output.note: AWS sends it (object), the emulator does not",
        "body.output.message: the emulator sends it (object), AWS does not",
    ]
    assert lines[numbers[put.name]].endswith("1 difference")
    assert details[numbers[put.name]] == ["status: AWS 202, emulator 200"]
    assert details[numbers[created.name]] == ["body.creationDate: AWS string, emulator number"]
    changed = {numbers[converse.name], numbers[put.name], numbers[created.name]}
    assert all(line.endswith("same shape") for n, line in lines.items() if n not in changed), result.stdout
    assert "3 with 4 differences" in result.stdout.splitlines()[-1]

    machine = json.loads(understudy("recordings", "diff", "--json", str(cassette)).stdout)
    assert machine["summary"] == {"interactions": len(lines), "sameShape": len(lines) - 3, "different": 3, "differences": 4}
    reported = {(d["kind"], d["path"]) for i in machine["interactions"] for d in i["differences"]}
    assert reported == {("missingMember", "body.output.note"), ("extraMember", "body.output.message"), ("status", "status"),
                        ("type", "body.creationDate")}


def test_an_error_code_that_differs_is_reported(cassette):
    last = interaction_files(cassette)[-1]
    assert last.name.endswith("s3-GetObject.json")
    assert json.loads(last.read_text())["response"]["status"] == 404
    edit(last, lambda r: r.update({"body": r["body"].replace("NoSuchKey", "AccessDenied")}))
    result = understudy("recordings", "diff", "--json", str(cassette))
    assert result.returncode == 1
    report = json.loads(result.stdout)
    (different,) = [i for i in report["interactions"] if not i["sameShape"]]
    assert different["file"] == last.name
    assert different["differences"] == [{"kind": "errorCode", "path": "errorCode", "recorded": "AccessDenied", "emulated": "NoSuchKey",
                                         "description": "errorCode: AWS AccessDenied, emulator NoSuchKey"}]


def test_a_directory_that_is_no_cassette_fails(tmp_path):
    result = understudy("recordings", "diff", str(tmp_path))
    assert result.returncode == 1
    assert "index.json" in result.stderr
