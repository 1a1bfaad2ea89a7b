"""InvokeModel and InvokeModelWithResponseStream through boto3 and the AWS CLI: Anthropic Text
Completions and Messages, streams chunk by chunk, determinism, and Bedrock's errors."""
import base64
import json
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from harness import DUMMY_KEY, DUMMY_SECRET

HAIKU_35 = "anthropic.claude-3-5-haiku-20241022-v1:0"


@pytest.fixture(scope="module")
def runtime(server):
    return server.client("bedrock-runtime")


def messages_body(prompt="What is an RFP?", max_tokens=400, **extra):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens,
                       "messages": [{"role": "user", "content": prompt}], **extra})


def test_seed_002_exact_request_streams_completion_chunks(runtime):
    # The seed's modelParams, sent as its Lambda sends them (contentType json, accept */*).
    params = {"max_tokens_to_sample": 2048, "temperature": 0.5, "top_k": 250, "top_p": 0.5,
              "prompt": "Explain serverless to a 5th grader."}
    response = runtime.invoke_model_with_response_stream(
        modelId="anthropic.claude-v2", contentType="application/json", accept="*/*", body=json.dumps(params))
    assert response["contentType"] == "application/json"
    assert response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "application/vnd.amazon.eventstream"
    chunks = [json.loads(event["chunk"]["bytes"]) for event in response["body"]]
    assert len(chunks) > 1
    assert all("completion" in c for c in chunks)
    assert all(c["stop_reason"] is None for c in chunks[:-1])
    last = chunks[-1]
    assert last["stop_reason"] == "stop_sequence" and last["stop"] == "\n\nHuman:"
    metrics = last["amazon-bedrock-invocationMetrics"]
    assert set(metrics) == {"inputTokenCount", "outputTokenCount", "invocationLatency", "firstByteLatency"}
    text = "".join(c["completion"] for c in chunks)
    assert text.startswith(" ") and len(text) > 20


def test_text_completion_matches_the_seed_000_shape(runtime):
    body = {"prompt": "\n\nHuman:Write 5 lines about how Moon was formed.\n\nAssistant:", "max_tokens_to_sample": 200}
    response = runtime.invoke_model(modelId="arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1", body=json.dumps(body))
    assert response["contentType"] == "application/json"
    payload = json.loads(response["body"].read())
    assert list(payload) == ["completion", "stop_reason", "stop"]
    assert payload["stop_reason"] == "stop_sequence" and payload["stop"] == "\n\nHuman:"
    assert "moon" in payload["completion"].lower()
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert int(headers["x-amzn-bedrock-output-token-count"]) > 0
    assert int(headers["x-amzn-bedrock-input-token-count"]) > 0
    assert "x-amzn-bedrock-invocation-latency" in headers


def test_messages_api_response_and_usage(runtime):
    response = runtime.invoke_model(modelId=HAIKU_35, body=messages_body(), contentType="application/json", accept="application/json")
    payload = json.loads(response["body"].read())
    assert list(payload) == ["id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage"]
    assert payload["id"].startswith("msg_bdrk_01")
    assert payload["model"] == "claude-3-5-haiku-20241022"
    assert payload["content"][0]["type"] == "text" and payload["content"][0]["text"]
    assert payload["stop_reason"] == "end_turn"
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert int(headers["x-amzn-bedrock-output-token-count"]) == payload["usage"]["output_tokens"]
    assert int(headers["x-amzn-bedrock-input-token-count"]) == payload["usage"]["input_tokens"]


def test_messages_stream_event_sequence_equals_non_streamed_text(runtime):
    body = messages_body("Summarize the retry semantics of Step Functions")
    whole = json.loads(runtime.invoke_model(modelId=HAIKU_35, body=body)["body"].read())
    events = [json.loads(e["chunk"]["bytes"]) for e in runtime.invoke_model_with_response_stream(modelId=HAIKU_35, body=body)["body"]]
    types = [e["type"] for e in events]
    assert types[0] == "message_start" and types[1] == "content_block_start"
    assert types[-3:] == ["content_block_stop", "message_delta", "message_stop"]
    assert set(types[2:-3]) == {"content_block_delta"}
    text = "".join(e["delta"]["text"] for e in events if e["type"] == "content_block_delta")
    assert text == whole["content"][0]["text"]
    assert events[-2]["usage"]["output_tokens"] == whole["usage"]["output_tokens"]
    assert events[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"] == whole["usage"]["output_tokens"]


def test_raw_stream_chunks_carry_bytes_and_padding(server):
    import urllib.request

    req = urllib.request.Request(
        server.url + "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke-with-response-stream",
        data=messages_body().encode(), method="POST")
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        assert r.headers["X-Amzn-Bedrock-Content-Type"] == "application/json"
    from botocore.eventstream import EventStreamBuffer

    buffer = EventStreamBuffer()
    buffer.add_data(raw)
    messages = list(buffer)
    assert messages
    for message in messages:
        assert message.headers[":event-type"] == "chunk" and message.headers[":message-type"] == "event"
        payload = json.loads(message.payload)
        assert set(payload) == {"bytes", "p"}
        json.loads(base64.b64decode(payload["bytes"]))


def test_same_request_same_bytes(runtime):
    body = messages_body("Deterministic answers please")
    first = runtime.invoke_model(modelId=HAIKU_35, body=body)["body"].read()
    second = runtime.invoke_model(modelId=HAIKU_35, body=body)["body"].read()
    assert first == second


def test_inference_profile_ids_and_arns_invoke(runtime):
    for model_id in [
        "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/global.anthropic.claude-haiku-4-5-20251001-v1:0",
    ]:
        payload = json.loads(runtime.invoke_model(modelId=model_id, body=messages_body())["body"].read())
        assert payload["type"] == "message"


def test_on_demand_not_supported_for_profile_only_models(runtime):
    with pytest.raises(ClientError) as e:
        runtime.invoke_model(modelId="anthropic.claude-sonnet-4-5-20250929-v1:0", body=messages_body())
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert "with on-demand throughput isn\u2019t supported" in e.value.response["Error"]["Message"]


@pytest.mark.parametrize(
    "model_id, body, message",
    [
        ("anthropic.claude-nope-v1:0", messages_body(), "The provided model identifier is invalid."),
        (HAIKU_35, "not json", "Malformed input request: #: "),
        (HAIKU_35, json.dumps({"anthropic_version": "bedrock-2023-05-31", "messages": []}),
         "Malformed input request: #: required key [max_tokens] not found, please reformat your input and try again."),
        (HAIKU_35, messages_body(max_tokens=100000),
         "max_tokens: 100000 > 8192, which is the maximum allowed number of output tokens for claude-3-5-haiku-20241022"),
        (HAIKU_35, messages_body(temperature=2),
         "Malformed input request: #/temperature: 2 is not less or equal to 1, please reformat your input and try again."),
        ("anthropic.claude-v2", json.dumps({"prompt": "hi"}),
         "Malformed input request: #: required key [max_tokens_to_sample] not found, please reformat your input and try again."),
    ],
)
def test_validation_errors(runtime, model_id, body, message):
    with pytest.raises(ClientError) as e:
        runtime.invoke_model(modelId=model_id, body=body)
    err = e.value.response
    assert err["Error"]["Code"] == "ValidationException"
    assert err["Error"]["Message"].startswith(message)
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_embedding_model_does_not_stream(runtime):
    with pytest.raises(ClientError) as e:
        runtime.invoke_model_with_response_stream(modelId="amazon.titan-embed-text-v2:0", body=json.dumps({"inputText": "hi"}))
    assert e.value.response["Error"]["Code"] == "ValidationException"


def test_tool_choice_forces_a_tool_call(runtime):
    tools = [{"name": "lookup_order", "description": "Find an order",
              "input_schema": {"type": "object", "properties": {"order_id": {"type": "string"}, "express": {"type": "boolean"}},
                               "required": ["order_id", "express"]}}]
    body = messages_body("Where is my order?", tools=tools, tool_choice={"type": "tool", "name": "lookup_order"})
    payload = json.loads(runtime.invoke_model(modelId=HAIKU_35, body=body)["body"].read())
    assert payload["stop_reason"] == "tool_use"
    block = payload["content"][0]
    assert block["type"] == "tool_use" and block["name"] == "lookup_order"
    assert isinstance(block["input"]["order_id"], str) and isinstance(block["input"]["express"], bool)


def test_aws_cli_invoke_model(server, tmp_path):
    out = tmp_path / "out.json"
    env = dict(os.environ, AWS_ACCESS_KEY_ID=DUMMY_KEY, AWS_SECRET_ACCESS_KEY=DUMMY_SECRET, AWS_DEFAULT_REGION="us-east-1",
               AWS_ENDPOINT_URL=server.url, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    result = subprocess.run(
        ["aws", "bedrock-runtime", "invoke-model", "--model-id", "anthropic.claude-instant-v1",
         "--body", json.dumps({"prompt": "\n\nHuman: Tell me a joke\n\nAssistant:", "max_tokens_to_sample": 50}),
         "--cli-binary-format", "raw-in-base64-out", str(out)],
        capture_output=True, text=True, env=env, timeout=60)
    if "cli-binary-format" in result.stderr:  # awscli v1 has no --cli-binary-format; its blobs are raw already
        result = subprocess.run(
            ["aws", "bedrock-runtime", "invoke-model", "--model-id", "anthropic.claude-instant-v1",
             "--body", json.dumps({"prompt": "\n\nHuman: Tell me a joke\n\nAssistant:", "max_tokens_to_sample": 50}), str(out)],
            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["contentType"] == "application/json"
    payload = json.loads(out.read_text())
    assert payload["completion"] and payload["stop_reason"] in ("stop_sequence", "max_tokens")


def test_extended_thinking(runtime):
    sonnet = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
    body = messages_body("Plan a migration", max_tokens=4000, thinking={"type": "enabled", "budget_tokens": 2000})
    payload = json.loads(runtime.invoke_model(modelId=sonnet, body=body)["body"].read())
    assert [b["type"] for b in payload["content"]] == ["thinking", "text"]
    assert payload["content"][0]["thinking"] and payload["content"][0]["signature"]
    events = [json.loads(e["chunk"]["bytes"]) for e in runtime.invoke_model_with_response_stream(modelId=sonnet, body=body)["body"]]
    deltas = [e["delta"] for e in events if e["type"] == "content_block_delta"]
    assert "".join(d["thinking"] for d in deltas if d["type"] == "thinking_delta") == payload["content"][0]["thinking"]
    assert [d["signature"] for d in deltas if d["type"] == "signature_delta"] == [payload["content"][0]["signature"]]
    assert "".join(d["text"] for d in deltas if d["type"] == "text_delta") == payload["content"][1]["text"]
    with pytest.raises(ClientError) as e:
        runtime.invoke_model(modelId=sonnet, body=messages_body("x", max_tokens=4000, thinking={"type": "enabled", "budget_tokens": 100}))
    assert "budget_tokens: Input should be greater than or equal to 1024" in e.value.response["Error"]["Message"]
    converse = runtime.converse(modelId=sonnet, messages=[{"role": "user", "content": [{"text": "Plan a migration"}]}],
                                inferenceConfig={"maxTokens": 4000},
                                additionalModelRequestFields={"thinking": {"type": "enabled", "budget_tokens": 1024}})
    blocks = converse["output"]["message"]["content"]
    assert blocks[0]["reasoningContent"]["reasoningText"]["text"] and blocks[1]["text"]
