"""Converse, ConverseStream and CountTokens through boto3, for several model families."""
import json

import pytest
from botocore.exceptions import ClientError

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture(scope="module")
def runtime(server):
    return server.client("bedrock-runtime")


def user(text):
    return [{"role": "user", "content": [{"text": text}]}]


@pytest.mark.parametrize("model_id", [
    HAIKU, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", "amazon.nova-lite-v1:0", "meta.llama3-1-70b-instruct-v1:0",
    "mistral.mistral-large-2407-v1:0", "amazon.titan-text-express-v1", "anthropic.claude-v2:1",
])
def test_converse_across_families(runtime, model_id):
    response = runtime.converse(modelId=model_id, messages=user("Explain idempotency tokens"),
                                system=[{"text": "You are terse."}], inferenceConfig={"maxTokens": 300, "temperature": 0.2})
    assert response["output"]["message"]["role"] == "assistant"
    text = response["output"]["message"]["content"][0]["text"]
    assert text
    assert response["stopReason"] in ("end_turn", "max_tokens")
    usage = response["usage"]
    assert usage["totalTokens"] == usage["inputTokens"] + usage["outputTokens"]
    assert "latencyMs" in response["metrics"]


def test_converse_stream_equals_converse(runtime):
    kwargs = dict(modelId=HAIKU, messages=user("Describe event streams in AWS"), inferenceConfig={"maxTokens": 500})
    whole = runtime.converse(**kwargs)
    events = list(runtime.converse_stream(**kwargs)["stream"])
    kinds = [next(iter(e)) for e in events]
    assert kinds[0] == "messageStart" and kinds[-3:] == ["contentBlockStop", "messageStop", "metadata"]
    text = "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e)
    assert text == whole["output"]["message"]["content"][0]["text"]
    assert events[-2]["messageStop"]["stopReason"] == whole["stopReason"]
    assert events[-1]["metadata"]["usage"] == whole["usage"]


def test_converse_max_tokens_and_stop_sequences(runtime):
    short = runtime.converse(modelId=HAIKU, messages=user("Tell me everything about Step Functions"), inferenceConfig={"maxTokens": 3})
    assert short["stopReason"] == "max_tokens" and short["usage"]["outputTokens"] <= 3
    cut = runtime.converse(modelId=HAIKU, messages=user("Tell me about queues"), inferenceConfig={"stopSequences": ["."]})
    assert cut["stopReason"] == "stop_sequence"
    assert "." not in cut["output"]["message"]["content"][0]["text"]


def test_converse_tool_loop(runtime):
    tool_config = {
        "tools": [{"toolSpec": {"name": "get_weather", "description": "Current weather",
                                "inputSchema": {"json": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}}],
        "toolChoice": {"tool": {"name": "get_weather"}},
    }
    messages = user("What is the weather in Lisbon?")
    first = runtime.converse(modelId=HAIKU, messages=messages, toolConfig=tool_config)
    assert first["stopReason"] == "tool_use"
    tool_use = first["output"]["message"]["content"][0]["toolUse"]
    assert tool_use["name"] == "get_weather" and tool_use["toolUseId"].startswith("tooluse_")
    assert isinstance(tool_use["input"]["city"], str)
    messages += [first["output"]["message"],
                 {"role": "user", "content": [{"toolResult": {"toolUseId": tool_use["toolUseId"], "content": [{"json": {"tempC": 21}}]}}]}]
    second = runtime.converse(modelId=HAIKU, messages=messages, toolConfig=tool_config)
    assert second["stopReason"] == "end_turn"
    assert second["output"]["message"]["content"][0]["text"]


def test_converse_stream_tool_use_events(runtime):
    tool_config = {"tools": [{"toolSpec": {"name": "lookup", "inputSchema": {"json": {"type": "object", "properties": {"q": {"type": "string"}}, "required": ["q"]}}}}],
                   "toolChoice": {"any": {}}}
    events = list(runtime.converse_stream(modelId=HAIKU, messages=user("search please"), toolConfig=tool_config)["stream"])
    start = next(e["contentBlockStart"] for e in events if "contentBlockStart" in e)
    assert start["start"]["toolUse"]["name"] == "lookup"
    fragments = "".join(e["contentBlockDelta"]["delta"]["toolUse"]["input"] for e in events if "contentBlockDelta" in e)
    assert "q" in json.loads(fragments)
    assert events[-2]["messageStop"]["stopReason"] == "tool_use"


@pytest.mark.parametrize("messages, config, message", [
    ([{"role": "assistant", "content": [{"text": "hi"}]}], {}, "A conversation must start with a user message."),
    (user("a") + user("b"), {}, "A conversation must alternate between user and assistant roles."),
    (user("a"), {"maxTokens": 100000}, "The maximum tokens you requested exceeds the model limit of 4096."),
    (user("a"), {"temperature": 1.5}, "1 validation error detected: Value '1.5' at 'inferenceConfig.temperature' failed to satisfy constraint: Member must have value less than or equal to 1"),
])
def test_converse_validation(runtime, messages, config, message):
    with pytest.raises(ClientError) as e:
        runtime.converse(modelId=HAIKU, messages=messages, inferenceConfig=config)
    assert e.value.response["Error"]["Code"] == "ValidationException"
    assert e.value.response["Error"]["Message"].startswith(message)


def test_converse_rejects_embedding_models(runtime):
    with pytest.raises(ClientError) as e:
        runtime.converse(modelId="amazon.titan-embed-text-v2:0", messages=user("hi"))
    assert e.value.response["Error"]["Message"] == "This action doesn't support the model that you provided. Try again with a supported text or chat model."


def test_count_tokens_agrees_with_usage(runtime):
    messages = user("How many tokens is this sentence?")
    converse = runtime.converse(modelId=HAIKU, messages=messages)
    counted = runtime.count_tokens(modelId=HAIKU, input={"converse": {"messages": messages}})
    assert counted["inputTokens"] == converse["usage"]["inputTokens"]
    body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 100, "messages": [{"role": "user", "content": "How many tokens?"}]})
    invoke = json.loads(runtime.invoke_model(modelId=HAIKU, body=body)["body"].read())
    counted = runtime.count_tokens(modelId=HAIKU, input={"invokeModel": {"body": body.encode()}})
    assert counted["inputTokens"] == invoke["usage"]["input_tokens"]
