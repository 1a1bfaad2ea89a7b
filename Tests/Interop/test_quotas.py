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
    req = urllib.request.Request(server.url + "/_understudy/quotas", data=json.dumps(quotas).encode(), method="POST", headers={"Content-Type": "application/json"})
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
    req = urllib.request.Request(metered.url + "/_understudy/clock", data=json.dumps({"advanceSeconds": 60}).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        assert json.loads(r.read())["advancedSeconds"] == 60
    runtime.invoke_model(modelId=HAIKU, body=body())
    with pytest.raises(ClientError):
        runtime.invoke_model(modelId=HAIKU, body=body())
    with pytest.raises(urllib.error.HTTPError) as bad:
        urllib.request.urlopen(urllib.request.Request(metered.url + "/_understudy/clock", data=b'{"advanceSeconds": -5}', method="POST", headers={"Content-Type": "application/json"}))
    assert bad.value.code == 400
    metered.admin("reset", method="POST")
    assert metered.admin("clock")["advancedSeconds"] == 0


SONNET_4_US = "us.anthropic.claude-sonnet-4-20250514-v1:0"


def test_realistic_preset_from_config_has_aws_published_defaults(make_server):
    server = make_server(config_text="quotas: realistic\n")
    rules = {r["name"]: r for r in server.admin("quotas")["rules"]}
    # The General Reference's defaults: on-demand on the model id, cross-region on each profile,
    # tokens per day = TPM x 24 x 60. Global profiles and requests per minute are not published.
    assert rules["realistic/" + HAIKU] == {"name": "realistic/" + HAIKU, "model": HAIKU, "tokensPerMinute": 2000000, "tokensPerDay": 2880000000}
    assert rules["realistic/" + PROFILE]["tokensPerMinute"] == 4000000
    assert rules["realistic/" + SONNET_4_US]["tokensPerMinute"] == 200000
    assert rules["realistic/amazon.titan-embed-text-v2:0"]["tokensPerMinute"] == 300000
    assert "realistic/anthropic.claude-sonnet-4-20250514-v1:0" not in rules  # profile-only model
    assert not [n for n in rules if n.startswith("realistic/global.") or "requestsPerMinute" in rules[n]]
    runtime = server.client("bedrock-runtime", retries={"total_max_attempts": 1})
    runtime.invoke_model(modelId=SONNET_4_US, body=body(max_tokens=1000))
    # 199,500 input tokens + max_tokens 1,000 cannot fit in Sonnet 4's 200,000 a minute.
    with pytest.raises(ClientError) as throttled:
        runtime.invoke_model(modelId=SONNET_4_US, body=body(max_tokens=1000, text="word " * 199500))
    assert throttled.value.response["Error"] == {"Code": "ThrottlingException", "Message": "Too many tokens, please wait before trying again."}
    assert throttled.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    entries = [e for e in server.admin("journal")["entries"] if e["operation"] == "InvokeModel"]
    assert entries[-1]["fault"] == "quota:realistic/" + SONNET_4_US


def test_realistic_preset_through_the_admin_api_and_an_unknown_preset(metered):
    assert post_quotas(metered, [{"preset": "realistic"}, {"name": "mine", "model": HAIKU, "tokensPerMinute": 10}])
    names = [r["name"] for r in metered.admin("quotas")["rules"]]
    assert "realistic/" + HAIKU in names and names[-1] == "mine" and len(names) > 40
    with pytest.raises(urllib.error.HTTPError) as bad:
        post_quotas(metered, {"preset": "generous"})
    assert bad.value.code == 400
    assert "unknown quota preset 'generous'" in json.loads(bad.value.read())["message"]


def test_embeddings_use_the_model_token_quota(metered):
    titan = "amazon.titan-embed-text-v2:0"
    post_quotas(metered, {"model": titan, "tokensPerMinute": 30})
    runtime = metered.client("bedrock-runtime", retries={"total_max_attempts": 1})
    first = runtime.invoke_model(modelId=titan, body=json.dumps({"inputText": "word " * 20}))
    assert json.loads(first["body"].read())["inputTextTokenCount"] == 20
    assert metered.admin("quotas/usage")["quotas"][titan]["tokensLastMinute"] == 20
    with pytest.raises(ClientError) as throttled:
        runtime.invoke_model(modelId=titan, body=json.dumps({"inputText": "word " * 11}))
    assert throttled.value.response["Error"]["Message"] == "Too many tokens, please wait before trying again."
    runtime.invoke_model(modelId=titan, body=json.dumps({"inputText": "word " * 10}))
    assert metered.admin("quotas/usage")["quotas"][titan]["tokensLastMinute"] == 30


def test_each_region_and_account_has_its_own_quota(metered):
    post_quotas(metered, {"model": HAIKU, "requestsPerMinute": 1})
    east = metered.client("bedrock-runtime", retries={"total_max_attempts": 1})
    east.invoke_model(modelId=HAIKU, body=body())
    with pytest.raises(ClientError):
        east.invoke_model(modelId=HAIKU, body=body())
    # Failing over to another region (or account) finds that region's quota untouched.
    metered.client("bedrock-runtime", region="us-west-2", retries={"total_max_attempts": 1}).invoke_model(modelId=HAIKU, body=body())
    other_account = metered.client("bedrock-runtime", key="210987654321", retries={"total_max_attempts": 1})
    other_account.invoke_model(modelId=HAIKU, body=body())
    assert metered.admin("quotas/usage")["quotas"][HAIKU]["requestsLastMinute"] == 3
