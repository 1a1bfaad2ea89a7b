"""Bedrock quotas through real clients: tokens per minute with Bedrock's reservation
(input + max_tokens up front, actual use after), requests per minute, separate quotas for a
cross-region profile, the admin and config surfaces, and a throttled Task in a state machine."""
import json
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError

HAIKU = "anthropic.claude-3-5-haiku-20241022-v1:0"
PROFILE = "us." + HAIKU


def post_quotas(server, quotas):
    req = urllib.request.Request(server.url + "/_understudy/quotas", data=json.dumps(quotas).encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def body(max_tokens=100, text="Write a haiku about quotas."):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens, "messages": [{"role": "user", "content": text}]})


@pytest.fixture
def metered(make_server):
    return make_server()


def test_tokens_per_minute_throttles_exactly_the_request_that_exceeds_it(metered):
    post_quotas(metered, {"model": HAIKU, "tokensPerMinute": 1000})
    runtime = metered.client("bedrock-runtime", retries={"total_max_attempts": 1})
    outcomes, usage = [], None
    for _ in range(20):
        try:
            reply = json.loads(runtime.invoke_model(modelId=HAIKU, body=body())["body"].read())
            usage = reply["usage"]
            outcomes.append("ok")
        except ClientError as e:
            assert e.response["ResponseMetadata"]["HTTPStatusCode"] == 429
            assert e.response["Error"] == {"Code": "ThrottlingException", "Message": "Too many tokens, please wait before trying again."}
            outcomes.append("throttled")
            break
    used = usage["input_tokens"] + usage["output_tokens"]
    # Admitted while what was used plus this call's reservation (input + max_tokens) fits.
    admitted = 0
    while admitted * used + usage["input_tokens"] + 100 <= 1000:
        admitted += 1
    assert outcomes == ["ok"] * admitted + ["throttled"]
    # A smaller max_tokens reserves less and still fits.
    remaining = 1000 - admitted * used
    small = remaining - usage["input_tokens"]
    if small >= 1:
        runtime.invoke_model(modelId=HAIKU, body=body(max_tokens=small))
    entries = [e for e in metered.admin("journal")["entries"] if e["operation"] == "InvokeModel"]
    assert [e.get("fault") for e in entries if e["status"] == 429] == ["quota:" + HAIKU]
    # The cross-region profile has its own quota; none is set, so it is not throttled.
    assert runtime.invoke_model(modelId=PROFILE, body=body())["ResponseMetadata"]["HTTPStatusCode"] == 200
    usage_now = metered.admin("quotas/usage")["quotas"][HAIKU]
    assert usage_now["tokensLastMinute"] <= 1000 and usage_now["requestsLastMinute"] >= admitted


def test_requests_per_minute_on_a_profile_glob_with_converse(metered):
    post_quotas(metered, {"name": "us-haiku", "model": "us.anthropic.*haiku*", "requestsPerMinute": 2})
    runtime = metered.client("bedrock-runtime", retries={"total_max_attempts": 1})
    messages = [{"role": "user", "content": [{"text": "hi"}]}]
    for _ in range(2):
        runtime.converse(modelId=PROFILE, messages=messages)
    with pytest.raises(ClientError) as caught:
        runtime.converse_stream(modelId=PROFILE, messages=messages)
    assert caught.value.response["Error"]["Message"].startswith("Too many requests, please wait before trying again.")
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    # The on-demand id is a different quota.
    runtime.converse(modelId=HAIKU, messages=messages)
    # Reset clears usage (the rule was added at run time, so reset removes it too).
    metered.admin("reset", method="POST")
    runtime.converse(modelId=PROFILE, messages=messages)


def test_admin_validation_listing_and_removal(metered):
    with pytest.raises(urllib.error.HTTPError) as bad:
        post_quotas(metered, {"model": HAIKU})
    assert bad.value.code == 400
    with pytest.raises(urllib.error.HTTPError) as bad:
        post_quotas(metered, {"model": HAIKU, "tokensPerMinute": 0})
    assert bad.value.code == 400
    post_quotas(metered, [{"model": HAIKU, "tokensPerDay": 10}, {"name": "rpm", "model": "*", "requestsPerMinute": 1000}])
    assert [q.get("name", q["model"]) for q in metered.admin("quotas")["rules"]] == [HAIKU, "rpm"]
    runtime = metered.client("bedrock-runtime", retries={"total_max_attempts": 1})
    with pytest.raises(ClientError) as caught:
        runtime.invoke_model(modelId=HAIKU, body=body())
    assert caught.value.response["Error"]["Message"] == "Too many tokens per day, please wait before trying again."
    metered.admin("quotas/" + HAIKU, method="DELETE")
    runtime.invoke_model(modelId=HAIKU, body=body())
    metered.admin("quotas", method="DELETE")
    assert metered.admin("quotas")["rules"] == []


def test_quota_from_config_throttles_a_state_machine_task(make_server):
    server = make_server("--time-scale", "0", config_text=f"""
quotas:
  - model: "{HAIKU}"
    requestsPerMinute: 1
""")
    definition = {"StartAt": "Invoke", "States": {"Invoke": {
        "Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
        "Parameters": {"ModelId": HAIKU, "Body": json.loads(body())},
        "Catch": [{"ErrorEquals": ["Bedrock.ThrottlingException"], "ResultPath": "$.error", "Next": "Throttled"}],
        "End": True}, "Throttled": {"Type": "Pass", "Result": "throttled", "End": True}}}
    sfn = server.client("stepfunctions", inject_host_prefix=False)
    arn = sfn.create_state_machine(name="Metered", type="EXPRESS", definition=json.dumps(definition),
                                   roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
    first = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert first["status"] == "SUCCEEDED" and json.loads(first["output"])["Body"]["type"] == "message"
    second = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert second["status"] == "SUCCEEDED" and json.loads(second["output"]) == "throttled"


def test_advancing_the_clock_refills_a_minute_quota(metered):
    post_quotas(metered, {"model": HAIKU, "requestsPerMinute": 1})
    runtime = metered.client("bedrock-runtime", retries={"total_max_attempts": 1})
    runtime.invoke_model(modelId=HAIKU, body=body())
    with pytest.raises(ClientError):
        runtime.invoke_model(modelId=HAIKU, body=body())
    req = urllib.request.Request(metered.url + "/_understudy/clock", data=json.dumps({"advanceSeconds": 60}).encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        assert json.loads(r.read())["advancedSeconds"] == 60
    runtime.invoke_model(modelId=HAIKU, body=body())
    with pytest.raises(ClientError):
        runtime.invoke_model(modelId=HAIKU, body=body())
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(urllib.request.Request(metered.url + "/_understudy/clock", data=b'{"advanceSeconds": -5}', method="POST"))
    assert bad.value.code == 400
    metered.admin("reset", method="POST")
    assert metered.admin("clock")["advancedSeconds"] == 0
