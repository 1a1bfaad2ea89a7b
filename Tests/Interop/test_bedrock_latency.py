"""The latency model: time to first token and tokens per second, per model and per rule,
streamed in real time; headers and metrics report what was simulated."""
import json
import time

import pytest

HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"


@pytest.fixture
def slow(make_server):
    return make_server(config_text="""
bedrock:
  latency:
    - model: anthropic.claude-3-haiku*
      timeToFirstTokenMs: 150
      tokensPerSecond: 50
""")


def body(max_tokens=30, text="Explain pacing of token streams in detail"):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": max_tokens, "messages": [{"role": "user", "content": text}]})


def test_stream_is_paced_at_the_configured_rate(slow):
    runtime = slow.client("bedrock-runtime")
    started = time.monotonic()
    response = runtime.invoke_model_with_response_stream(modelId=HAIKU, body=body())
    arrivals, events = [], []
    for event in response["body"]:
        arrivals.append(time.monotonic() - started)
        events.append(json.loads(event["chunk"]["bytes"]))
    tokens = events[-1]["amazon-bedrock-invocationMetrics"]["outputTokenCount"]
    metrics = events[-1]["amazon-bedrock-invocationMetrics"]
    assert metrics["firstByteLatency"] == 150
    assert metrics["invocationLatency"] == 150 + round(tokens / 50 * 1000)
    assert 0.12 <= arrivals[0] <= 0.5, arrivals[0]
    observed_rate = tokens / (arrivals[-1] - arrivals[0])
    assert abs(observed_rate - 50) / 50 < 0.05 + 0.04 / (arrivals[-1] - arrivals[0]), (observed_rate, arrivals)


def test_whole_response_waits_and_reports_latency(slow):
    runtime = slow.client("bedrock-runtime")
    started = time.monotonic()
    response = runtime.invoke_model(modelId=HAIKU, body=body(max_tokens=10))
    elapsed = time.monotonic() - started
    latency = int(response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-bedrock-invocation-latency"])
    payload = json.loads(response["body"].read())
    assert latency == 150 + round(payload["usage"]["output_tokens"] / 50 * 1000)
    assert elapsed >= latency / 1000 * 0.95
    converse = runtime.converse(modelId=HAIKU, messages=[{"role": "user", "content": [{"text": "hi"}]}], inferenceConfig={"maxTokens": 5})
    assert converse["metrics"]["latencyMs"] == 150 + round(converse["usage"]["outputTokens"] / 50 * 1000)


def test_other_models_stay_instant_and_rules_override(slow):
    runtime = slow.client("bedrock-runtime")
    started = time.monotonic()
    response = runtime.invoke_model(modelId="anthropic.claude-3-5-haiku-20241022-v1:0", body=body())
    assert time.monotonic() - started < 0.5
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-bedrock-invocation-latency"] == "0"
    import urllib.request
    rule = {"name": "fast", "match": {"prompt": "quick"}, "response": {"text": "Done."}, "latency": {"timeToFirstTokenMs": 10, "tokensPerSecond": 1000}}
    urllib.request.urlopen(urllib.request.Request(slow.url + "/_understudy/completions", data=json.dumps(rule).encode(), method="POST", headers={"Content-Type": "application/json"}))
    response = runtime.invoke_model(modelId=HAIKU, body=body(text="quick one"))
    assert int(response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-bedrock-invocation-latency"]) == 10 + round(2 / 1000 * 1000)
