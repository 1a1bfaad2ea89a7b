"""Injected faults through real clients: SDK retry of throttles and dropped connections,
non-retryable errors, exceptions inside an event stream, faults on a state machine's Task,
seeded probabilities, and the admin and config surfaces."""
import json
import os
import subprocess
import time
import urllib.error
import urllib.request

import anthropic
import pytest
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, EventStreamError

from harness import DUMMY_KEY, DUMMY_SECRET

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
MESSAGES = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [{"role": "user", "content": "Hello there"}]}


def post_faults(server, rules):
    req = urllib.request.Request(server.url + "/_understudy/faults", data=json.dumps(rules).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def invoke_entries(server):
    return [e for e in server.admin("journal")["entries"] if e["operation"] == "InvokeModel"]


@pytest.fixture
def chaos(make_server):
    return make_server()


@pytest.mark.parametrize("mode", ["standard", "adaptive", "legacy"])
def test_sdk_retries_injected_throttles_until_success(chaos, mode):
    post_faults(chaos, {"name": "throttle-first-two", "match": {"service": "bedrock-runtime", "operation": "InvokeModel"},
                        "when": {"attempts": [1, 2]}, "error": {"code": "ThrottlingException"}})
    runtime = chaos.client("bedrock-runtime", retries={"max_attempts": 5, "mode": mode})
    reply = runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
    assert reply["ResponseMetadata"]["RetryAttempts"] == 2
    assert json.loads(reply["body"].read())["type"] == "message"
    calls = invoke_entries(chaos)
    assert [(e["status"], e.get("fault")) for e in calls] == [(429, "throttle-first-two"), (429, "throttle-first-two"), (200, None)]
    if mode != "legacy":  # legacy mode sends no amz-sdk-request header
        assert [e["attempt"] for e in calls] == [1, 2, 3]
    stats = chaos.admin("faults/stats")["rules"]["throttle-first-two"]
    assert stats == {"matched": 3, "hits": 2}


def test_throttle_error_is_shaped_like_bedrock(chaos):
    post_faults(chaos, {"name": "always", "match": {"model": "anthropic.*"}, "error": {"code": "ThrottlingException"}})
    runtime = chaos.client("bedrock-runtime")
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
    error = caught.value.response
    assert error["Error"]["Code"] == "ThrottlingException"
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert error["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"].startswith("ThrottlingException")
    assert "Too many requests" in error["Error"]["Message"]
    # A model the rule does not match is untouched.
    titan = runtime.invoke_model(modelId="amazon.titan-text-express-v1", body=json.dumps({"inputText": "hi"}))
    assert titan["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_validation_errors_are_not_retried(chaos):
    post_faults(chaos, {"name": "bad", "match": {"operation": "Converse"}, "error": {"code": "ValidationException", "message": "Malformed input request"}})
    runtime = chaos.client("bedrock-runtime", retries={"max_attempts": 5, "mode": "standard"})
    with pytest.raises(ClientError) as caught:
        runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert caught.value.response["Error"] == {"Message": "Malformed input request", "Code": "ValidationException"}
    assert caught.value.response["ResponseMetadata"]["RetryAttempts"] == 0
    assert [e["status"] for e in chaos.admin("journal")["entries"] if e["operation"] == "Converse"] == [400]


def test_connection_reset_is_retried_by_the_sdk(chaos):
    post_faults(chaos, {"name": "rst", "match": {"operation": "InvokeModel"}, "when": {"calls": [1]}, "connection": "reset"})
    runtime = chaos.client("bedrock-runtime", retries={"max_attempts": 3, "mode": "standard"})
    reply = runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
    assert reply["ResponseMetadata"]["RetryAttempts"] == 1
    assert chaos.admin("faults/stats")["rules"]["rst"]["hits"] == 1


def test_connection_closed_mid_body_fails_without_retries(chaos):
    post_faults(chaos, {"name": "cut", "match": {"operation": "InvokeModel"}, "connection": "close"})
    runtime = chaos.client("bedrock-runtime")
    with pytest.raises(Exception) as caught:
        runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))["body"].read()
    # botocore sees the body end early (IncompleteRead), as when a proxy drops the connection.
    assert type(caught.value).__name__ in ("ResponseStreamingError", "IncompleteReadError", "ConnectionClosedError"), caught.value
    # The server keeps serving after dropping connections.
    assert chaos.admin("health")["status"] == "running"


def test_exception_inside_the_stream_reaches_boto3(chaos):
    post_faults(chaos, {"name": "midstream", "match": {"operation": "InvokeModelWithResponseStream"},
                        "stream": {"afterEvents": 2, "exception": "ThrottlingException"}})
    runtime = chaos.client("bedrock-runtime")
    response = runtime.invoke_model_with_response_stream(modelId=HAIKU, body=json.dumps(MESSAGES))
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    received = []
    with pytest.raises(EventStreamError) as caught:
        for event in response["body"]:
            received.append(json.loads(event["chunk"]["bytes"]))
    assert [e["type"] for e in received] == ["message_start", "content_block_start"]
    assert caught.value.response["Error"]["Code"] == "throttlingException"


def test_model_stream_error_reaches_the_anthropic_sdk(chaos):
    post_faults(chaos, {"name": "model-error", "match": {"model": "anthropic.*"},
                        "stream": {"afterEvents": 3, "exception": "ModelStreamErrorException"}})
    client = anthropic.AnthropicBedrock(aws_access_key=DUMMY_KEY, aws_secret_key=DUMMY_SECRET, aws_region="us-east-1",
                                        base_url=chaos.url, max_retries=0)
    seen = []
    with pytest.raises(Exception) as caught:
        with client.messages.stream(model=HAIKU, max_tokens=100, messages=[{"role": "user", "content": "Hello"}]) as stream:
            for event in stream:
                seen.append(event.type)
    assert seen[:2] == ["message_start", "content_block_start"]
    assert "message_stop" not in seen
    assert "ModelStreamError" in str(caught.value) or "modelStreamError" in str(caught.value)


def test_stream_stats_and_removal_through_the_admin_api(chaos):
    post_faults(chaos, [{"name": "a", "match": {"operation": "Converse"}, "latency": {"ms": 50}},
                        {"name": "b", "match": {"operation": "InvokeModel"}, "error": {"code": "ServiceUnavailableException"}}])
    assert [r["name"] for r in chaos.admin("faults")["rules"]] == ["a", "b"]
    runtime = chaos.client("bedrock-runtime")
    started = time.monotonic()
    runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert time.monotonic() - started >= 0.05
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    chaos.admin("faults/b", method="DELETE")
    assert runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))["ResponseMetadata"]["HTTPStatusCode"] == 200
    chaos.admin("faults", method="DELETE")
    assert chaos.admin("faults")["rules"] == []
    with pytest.raises(urllib.error.HTTPError) as missing:
        chaos.admin("faults/nope", method="DELETE")
    assert missing.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as invalid:
        post_faults(chaos, {"name": "x", "error": {"code": "ThrottlingException"}, "latency": {"ms": 1}})
    assert invalid.value.code == 400


def test_same_seed_same_fault_sequence(make_server):
    def outcomes(seed):
        server = make_server("--seed", str(seed)) if seed is not None else make_server()
        post_faults(server, {"name": "coin", "match": {"operation": "InvokeModel"}, "when": {"probability": 0.5},
                             "error": {"code": "ThrottlingException"}})
        runtime = server.client("bedrock-runtime", retries={"total_max_attempts": 1})
        result = []
        for _ in range(24):
            try:
                runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
                result.append(200)
            except ClientError as e:
                result.append(e.response["ResponseMetadata"]["HTTPStatusCode"])
        return result

    first, second, other = outcomes(7), outcomes(7), outcomes(8)
    assert first == second
    assert 0 < first.count(429) < 24
    assert first != other


def test_faults_from_the_config_file_and_reset(make_server):
    config = """
faults:
  - name: states-throttle
    match: {service: states, operation: ListStateMachines}
    when: {calls: [1]}
    error: {code: ThrottlingException}
"""
    server = make_server(config_text=config)
    sfn = server.client("stepfunctions", inject_host_prefix=False, retries={"total_max_attempts": 1, "mode": "standard"})
    with pytest.raises(ClientError) as caught:
        sfn.list_state_machines()
    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert caught.value.response["Error"]["Message"] == "Rate exceeded"
    assert sfn.list_state_machines()["stateMachines"] == []
    # Reset restores the configured rules and their counters.
    server.admin("reset", method="POST")
    with pytest.raises(ClientError):
        sfn.list_state_machines()


def test_the_cli_prints_an_injected_error(chaos):
    post_faults(chaos, {"name": "deny", "match": {"service": "bedrock", "operation": "ListFoundationModels"},
                        "error": {"code": "AccessDeniedException", "message": "You don't have access to the model with the specified model ID."}})
    env = dict(os.environ, AWS_ACCESS_KEY_ID=DUMMY_KEY, AWS_SECRET_ACCESS_KEY=DUMMY_SECRET, AWS_DEFAULT_REGION="us-east-1",
               AWS_ENDPOINT_URL=chaos.url, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_MAX_ATTEMPTS="1")
    result = subprocess.run(["aws", "bedrock", "list-foundation-models"], capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 255  # awscli v1: 255 for a service error
    assert ("An error occurred (AccessDeniedException) when calling the ListFoundationModels operation: "
            "You don't have access to the model with the specified model ID.") in result.stderr


def test_state_machine_task_retries_injected_throttles_instantly(make_server):
    server = make_server("--time-scale", "0")
    post_faults(server, {"name": "task-throttle", "match": {"service": "bedrock-runtime", "stateMachine": "Flaky*"},
                         "when": {"calls": [1, 2]}, "error": {"code": "ThrottlingException"}})
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
        "Parameters": {"ModelId": HAIKU, "Body": MESSAGES},
        "Retry": [{"ErrorEquals": ["Bedrock.ThrottlingException"], "IntervalSeconds": 20, "MaxAttempts": 3, "BackoffRate": 10}],
        "End": True}}}
    sfn = server.client("stepfunctions", inject_host_prefix=False)
    arn = sfn.create_state_machine(name="FlakyExpress", type="EXPRESS", definition=json.dumps(definition),
                                   roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
    started = time.monotonic()
    out = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert time.monotonic() - started < 5
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"])["Body"]["type"] == "message"
    assert server.admin("faults/stats")["rules"]["task-throttle"] == {"matched": 3, "hits": 2}
    # Without a Retry the fault fails the execution with the Bedrock error name.
    definition["States"]["Invoke"].pop("Retry")
    post_faults(server, {"name": "task-throttle", "match": {"service": "bedrock-runtime", "stateMachine": "Flaky*"}, "error": {"code": "ThrottlingException"}})
    arn2 = sfn.create_state_machine(name="FlakyNoRetry", type="EXPRESS", definition=json.dumps(definition),
                                    roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
    failed = sfn.start_sync_execution(stateMachineArn=arn2, input="{}")
    assert failed["status"] == "FAILED"
    assert failed["error"] == "Bedrock.ThrottlingException"


@pytest.mark.parametrize("kind", ["corruptCrc", "truncate"])
def test_broken_stream_frames_fail_the_reader(chaos, kind):
    post_faults(chaos, {"name": "broken", "match": {"operation": "ConverseStream"}, "stream": {"afterEvents": 1, "kind": kind}})
    runtime = chaos.client("bedrock-runtime")
    stream = runtime.converse_stream(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "hi"}]}])["stream"]
    received = []
    with pytest.raises(Exception) as caught:
        for event in stream:
            received.append(event)
        raise AssertionError("the stream ended cleanly")
    assert not isinstance(caught.value, AssertionError), received
    assert [list(e) for e in received] == [["messageStart"]]
    if kind == "corruptCrc":
        assert "Checksum" in type(caught.value).__name__ or "CRC" in str(caught.value) or "checksum" in str(caught.value).lower()


def test_between_window_follows_the_advanced_clock(chaos):
    import datetime

    now = datetime.datetime.fromisoformat(chaos.admin("clock")["now"].replace("Z", "+00:00"))
    iso = lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ")
    post_faults(chaos, {"name": "window", "match": {"operation": "InvokeModel"},
                        "when": {"between": {"start": iso(now + datetime.timedelta(seconds=300)), "end": iso(now + datetime.timedelta(seconds=900))}},
                        "error": {"code": "ServiceUnavailableException"}})
    runtime = chaos.client("bedrock-runtime", retries={"total_max_attempts": 1})
    runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
    urllib.request.urlopen(urllib.request.Request(chaos.url + "/_understudy/clock", data=b'{"advanceSeconds": 600}', method="POST", headers={"Content-Type": "application/json"}))
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 503
    urllib.request.urlopen(urllib.request.Request(chaos.url + "/_understudy/clock", data=b'{"advanceSeconds": 600}', method="POST", headers={"Content-Type": "application/json"}))
    runtime.invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))


@pytest.mark.parametrize("rule", [
    {"name": "x", "latency": {"ms": 1, "jitterMs": 2 ** 63 - 1}},
    {"name": "x", "latency": {"ms": -5}},
    {"name": "x", "stream": {"afterEvents": -1, "kind": "truncate"}},
    {"name": "x", "error": {"code": "ThrottlingException", "status": 200}},
    {"name": "x", "error": {"code": "ThrottlingException"}, "when": {"probability": 2}},
])
def test_out_of_range_rules_are_refused_and_the_server_keeps_serving(chaos, rule):
    with pytest.raises(urllib.error.HTTPError) as refused:
        post_faults(chaos, rule)
    assert refused.value.code == 400
    assert json.loads(refused.value.read())["message"].startswith("rule 'x'")
    assert chaos.admin("faults")["rules"] == []
    assert chaos.client("bedrock-runtime").invoke_model(modelId=HAIKU, body=json.dumps(MESSAGES))["ResponseMetadata"]["HTTPStatusCode"] == 200
