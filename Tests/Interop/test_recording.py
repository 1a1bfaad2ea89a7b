"""Record and replay (issue 20): a recorder in front of a second Understudy standing in for AWS,
then the same calls answered from the cassette with the upstream gone.

The recorder re-signs every call with the credentials in its own environment (canaries here),
so the tests also check that neither the client's nor the recorder's secrets reach the disk.
"""
import json
import time
import urllib.parse
from pathlib import Path

import boto3
import botocore.exceptions
from botocore.config import Config
import pytest

from harness import DUMMY_KEY, free_port

CANARY_KEY = "AKIACANARYRECORDER01"
CANARY_SECRET = "canary-secret-Zq8vW3xR5tYp0LmN2bVc4XsA7dFg"
CANARY_TOKEN = "canary-session-token-IQoJb3JpZ2luX2VjEXAMPLEonlyForTests"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
ROLE = "arn:aws:iam::123456789012:role/recorded"


def messages(text):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64, "messages": [{"role": "user", "content": text}]})


def recorder_env():
    return {"AWS_ACCESS_KEY_ID": CANARY_KEY, "AWS_SECRET_ACCESS_KEY": CANARY_SECRET, "AWS_SESSION_TOKEN": CANARY_TOKEN}


def sfn(server):
    return server.client("stepfunctions", inject_host_prefix=False)


def flow(server):
    """The calls a user makes, and what each answered (bytes where the body is the point)."""
    runtime = server.client("bedrock-runtime")
    out = {}
    invoked = runtime.invoke_model(modelId=MODEL, body=messages("Tell me a joke"))
    out["invoke"] = (invoked["body"].read(), invoked["ResponseMetadata"]["RequestId"])
    streamed = runtime.invoke_model_with_response_stream(modelId=MODEL, body=messages("Count to five"))
    out["stream"] = [event["chunk"]["bytes"] for event in streamed["body"]]
    conversed = runtime.converse_stream(modelId=MODEL, messages=[{"role": "user", "content": [{"text": "Hi"}]}])
    out["converse"] = [sorted(event.keys()) for event in conversed["stream"]]
    states = sfn(server)
    definition = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}}
    express = states.create_state_machine(name="recorded-express", definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS")
    synced = states.start_sync_execution(stateMachineArn=express["stateMachineArn"], input='{"a": 1}')
    out["sync"] = (synced["status"], synced["output"], synced["executionArn"])
    standard = states.create_state_machine(name="recorded-standard", definition=json.dumps(definition), roleArn=ROLE)
    started = states.start_execution(stateMachineArn=standard["stateMachineArn"], name="run-1", input="{}")
    statuses = []
    for _ in range(50):
        described = states.describe_execution(executionArn=started["executionArn"])
        statuses.append(described["status"])
        if described["status"] != "RUNNING":
            break
        time.sleep(0.05)
    out["standard"] = (statuses[-1], described.get("output"))
    s3 = server.client("s3")
    s3.create_bucket(Bucket="recorded-bucket")
    s3.put_object(Bucket="recorded-bucket", Key="k.txt", Body=b"recorded body")
    out["s3"] = s3.get_object(Bucket="recorded-bucket", Key="k.txt")["Body"].read()
    return out


@pytest.fixture
def recorded(make_server, tmp_path):
    """A cassette recorded through a recorder in front of an emulating upstream."""
    upstream = make_server("--time-scale", "0")
    cassette = tmp_path / "cassette"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    answers = flow(recorder)
    recorder.stop()
    upstream.stop()
    return cassette, answers


def test_replay_answers_as_recorded_with_the_upstream_gone(make_server, recorded):
    cassette, recorded_answers = recorded
    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0")
    assert flow(replay) == recorded_answers


def test_no_secret_reaches_the_cassette(recorded):
    cassette, _ = recorded
    files = [path for path in Path(cassette).rglob("*") if path.is_file()]
    assert len(files) > 5
    for path in files:
        data = path.read_bytes()
        for secret in (CANARY_SECRET, CANARY_TOKEN, CANARY_KEY, DUMMY_KEY, "Signature=", "X-Amz-Security-Token"):
            assert secret.encode() not in data, f"{secret} in {path}"


def test_streams_are_recorded_frame_by_frame(recorded):
    cassette, answers = recorded
    index = json.loads((Path(cassette) / "index.json").read_text())
    entries = index["interactions"] if isinstance(index, dict) else index
    files = [Path(cassette) / (entry["file"] if isinstance(entry, dict) else entry) for entry in entries]
    streams = [json.loads(f.read_text()) for f in files if "InvokeModelWithResponseStream" in f.name]
    assert len(streams) == 1
    frames = streams[0]["response"]["frames"]
    assert len(frames) == len(answers["stream"]) and len(frames) > 2
    assert all(isinstance(frame["offsetMillis"], int) for frame in frames)


def test_a_request_with_no_recording_names_the_nearest(make_server, recorded):
    cassette, _ = recorded
    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0")
    runtime = replay.client("bedrock-runtime")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        runtime.invoke_model(modelId=MODEL, body=messages("Tell me a story"))
    error = caught.value.response["Error"]
    assert error["Code"] == "UnderstudyNoRecording"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert "InvokeModel" in error["Message"] and "body.messages[0].content" in error["Message"], error["Message"]
    s3 = replay.client("s3")
    with pytest.raises(botocore.exceptions.ClientError) as missing:
        s3.get_object(Bucket="recorded-bucket", Key="other.txt")
    assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_on_miss_emulate_answers_from_the_emulator(make_server, recorded):
    cassette, answers = recorded
    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--on-miss", "emulate", "--time-scale", "0")
    runtime = replay.client("bedrock-runtime")
    assert runtime.invoke_model(modelId=MODEL, body=messages("Tell me a joke"))["body"].read() == answers["invoke"][0]
    emulated = json.loads(runtime.invoke_model(modelId=MODEL, body=messages("Something never recorded"))["body"].read())
    assert emulated["type"] == "message"


def test_on_miss_record_forwards_and_keeps_the_new_call(make_server, recorded):
    cassette, _ = recorded
    upstream = make_server("--time-scale", "0")
    replay = make_server(
        "--mode", "replay", "--recordings", str(cassette), "--on-miss", "record", "--upstream", upstream.url, env=recorder_env())
    before = len(list(Path(cassette).glob("*.json")))
    runtime = replay.client("bedrock-runtime")
    first = runtime.invoke_model(modelId=MODEL, body=messages("A new question"))["body"].read()
    assert len(list(Path(cassette).glob("*.json"))) == before + 1
    upstream.stop()
    assert runtime.invoke_model(modelId=MODEL, body=messages("A new question"))["body"].read() == first


def test_each_call_is_on_disk_when_its_answer_ends(make_server, tmp_path):
    """A recorder stopped (or listed) right after a call keeps that call: the interaction is
    written before the client sees the answer's last byte, for sized bodies and streams alike."""
    upstream = make_server("--time-scale", "0")
    cassette = tmp_path / "c"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    runtime = recorder.client("bedrock-runtime")

    def listed():
        return [entry["operation"] for entry in json.loads((cassette / "index.json").read_text())["interactions"]]

    for round in range(5):
        runtime.invoke_model(modelId=MODEL, body=messages(f"Question {round}"))["body"].read()
        assert listed()[-1] == "InvokeModel" and len(listed()) == 2 * round + 1
        list(runtime.invoke_model_with_response_stream(modelId=MODEL, body=messages(f"Stream {round}"))["body"])
        assert listed()[-1] == "InvokeModelWithResponseStream" and len(listed()) == 2 * round + 2


def virtual_hosted_s3(server):
    """An S3 client using virtual-hosted addressing (the bucket in the Host, as botocore
    chooses for a named endpoint), its calls sent to the server's loopback address: names under
    `.localhost` do not resolve on every machine."""
    port = urllib.parse.urlsplit(server.url).port
    s3 = boto3.client(
        "s3", endpoint_url=f"http://localhost:{port}", region_name="us-east-1", aws_access_key_id=DUMMY_KEY,
        aws_secret_access_key="dummy-secret", config=Config(s3={"addressing_style": "virtual"}, retries={"max_attempts": 1}))

    def to_loopback(request, **_):
        url = urllib.parse.urlsplit(request.url)
        assert url.hostname.endswith(".localhost"), request.url
        request.headers["Host"] = url.netloc
        request.url = urllib.parse.urlunsplit((url.scheme, f"127.0.0.1:{port}", url.path, url.query, ""))

    s3.meta.events.register_first("before-send.s3", to_loopback)
    return s3


def test_virtual_hosted_s3_calls_keep_their_bucket(make_server, tmp_path):
    """Two buckets with the same key, written virtual-hosted style: each recording names its
    bucket in a path-style path, and replay answers either style from it."""
    upstream = make_server("--time-scale", "0")
    cassette = tmp_path / "c"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    s3 = virtual_hosted_s3(recorder)
    for bucket in ("vh-one", "vh-two"):
        s3.create_bucket(Bucket=bucket)
        s3.put_object(Bucket=bucket, Key="same.txt", Body=f"body of {bucket}".encode())
    assert s3.get_object(Bucket="vh-one", Key="same.txt")["Body"].read() == b"body of vh-one"
    assert s3.get_object(Bucket="vh-two", Key="same.txt")["Body"].read() == b"body of vh-two"
    recorder.stop()
    upstream.stop()
    paths = [json.loads(path.read_text())["request"]["path"] for path in sorted(cassette.glob("0*.json"))]
    assert paths == ["/vh-one", "/vh-one/same.txt", "/vh-two", "/vh-two/same.txt", "/vh-one/same.txt", "/vh-two/same.txt"], paths

    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0")
    assert virtual_hosted_s3(replay).get_object(Bucket="vh-two", Key="same.txt")["Body"].read() == b"body of vh-two"
    path_style = replay.client("s3", s3={"addressing_style": "path"})
    assert path_style.get_object(Bucket="vh-one", Key="same.txt")["Body"].read() == b"body of vh-one"


def test_replay_paces_streams_by_the_time_scale_set_now(make_server, tmp_path):
    """A stream recorded with 300 ms before its first frame replays at once under time scale 0,
    and at its recorded pace after the admin API sets the scale to 1."""
    latency = "bedrock:\n  latency:\n    - model: '*'\n      timeToFirstTokenMs: 300\n      tokensPerSecond: 200\n"
    upstream = make_server("--time-scale", "1", config_text=latency)
    cassette = tmp_path / "c"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    list(recorder.client("bedrock-runtime").invoke_model_with_response_stream(modelId=MODEL, body=messages("Paced"))["body"])
    recorder.stop()
    upstream.stop()

    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0")
    runtime = replay.client("bedrock-runtime")

    def first_frame_after():
        started = time.monotonic()
        stream = runtime.invoke_model_with_response_stream(modelId=MODEL, body=messages("Paced"))["body"]
        next(iter(stream))
        elapsed = time.monotonic() - started
        list(stream)
        return elapsed

    assert first_frame_after() < 0.2
    replay.admin("clock", method="POST", body=json.dumps({"timeScale": 1}).encode())
    assert first_frame_after() >= 0.28


def test_calls_whose_answer_was_never_read_are_kept(make_server, tmp_path):
    """boto3 hands InvokeModel's body over unread; a client that takes the headers and stops
    leaves the recorder to finish the answer alone, and a stop right after still keeps every
    call (shutdown waits for the cassette)."""
    upstream = make_server("--time-scale", "0")
    cassette = tmp_path / "c"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    runtime = recorder.client("bedrock-runtime")
    for round in range(6):
        runtime.invoke_model(modelId=MODEL, body=messages(f"Unread {round}"))["ResponseMetadata"]["RequestId"]
    recorder.stop()
    upstream.stop()
    entries = json.loads((cassette / "index.json").read_text())["interactions"]
    assert [entry["operation"] for entry in entries] == ["InvokeModel"] * 6
    assert not list(cassette.glob("*.tmp-*"))


def test_head_requests_are_recorded_and_replayed(make_server, tmp_path):
    """A HEAD's answer has no body for the client; the recorder still reads the upstream's to
    its end and keeps the call."""
    upstream = make_server("--time-scale", "0")
    cassette = tmp_path / "c"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    s3 = recorder.client("s3")
    s3.create_bucket(Bucket="heads")
    s3.put_object(Bucket="heads", Key="k", Body=b"twelve bytes")
    recorded = s3.head_object(Bucket="heads", Key="k")
    assert recorded["ContentLength"] == 12
    recorder.stop()
    upstream.stop()
    operations = [entry["operation"] for entry in json.loads((cassette / "index.json").read_text())["interactions"]]
    assert operations == ["CreateBucket", "PutObject", "HeadObject"], operations
    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0")
    replayed = replay.client("s3").head_object(Bucket="heads", Key="k")
    assert replayed["ContentLength"] == 12 and replayed["ETag"] == recorded["ETag"]


def test_an_unreachable_upstream_is_a_retryable_error(make_server, tmp_path):
    recorder = make_server(
        "--mode", "record", "--recordings", str(tmp_path / "c"), "--upstream", f"http://127.0.0.1:{free_port()}", env=recorder_env())
    runtime = recorder.client("bedrock-runtime")
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        runtime.invoke_model(modelId=MODEL, body=messages("hello"))
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert caught.value.response["Error"]["Code"] == "ServiceUnavailableException"


def test_faults_and_the_journal_apply_on_top_of_replay(make_server, recorded, tmp_path):
    cassette, answers = recorded
    config = "faults:\n  - name: replay-throttle\n    match: {service: bedrock-runtime, operation: InvokeModel}\n" \
             "    when: {calls: [1]}\n    error: {code: ThrottlingException}\n"
    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0", config_text=config)
    runtime = replay.client("bedrock-runtime", retries={"total_max_attempts": 1, "mode": "standard"})
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        runtime.invoke_model(modelId=MODEL, body=messages("Tell me a joke"))
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert runtime.invoke_model(modelId=MODEL, body=messages("Tell me a joke"))["body"].read() == answers["invoke"][0]
    journal = replay.admin("journal?limit=10")
    entries = journal["entries"] if isinstance(journal, dict) else journal
    invokes = [entry for entry in entries if entry.get("operation") == "InvokeModel"]
    assert len(invokes) == 2 and {entry.get("status") for entry in invokes} == {200, 429}, invokes


def test_reset_rewinds_replayed_sequences(make_server, tmp_path):
    upstream = make_server("--time-scale", "0")
    cassette = tmp_path / "sequence"
    recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", upstream.url, env=recorder_env())
    runtime = recorder.client("bedrock-runtime")
    recorded = [runtime.invoke_model(modelId=MODEL, body=messages("Same question"))["ResponseMetadata"]["RequestId"] for _ in range(2)]
    recorder.stop()
    upstream.stop()
    assert recorded[0] != recorded[1]
    replay = make_server("--mode", "replay", "--recordings", str(cassette))
    runtime = replay.client("bedrock-runtime")
    ids = lambda n: [runtime.invoke_model(modelId=MODEL, body=messages("Same question"))["ResponseMetadata"]["RequestId"] for _ in range(n)]
    # In recorded order, then the last again and again.
    assert ids(3) == [recorded[0], recorded[1], recorded[1]]
    replay.admin("reset", method="POST", body=b"{}")
    assert ids(1) == [recorded[0]]
