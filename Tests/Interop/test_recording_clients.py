"""Record and replay with the clients people build with (issue 20): the Anthropic SDK, a Strands
agent's tool loop and the AWS CLI through the recorder (recording from an https endpoint), then
the same answers from the cassette; a stream's recorded pacing kept at time scale 1; and a state
machine run locally while only its model calls are recorded (`recording.services`)."""
import json
import os
import subprocess
import time

import pytest

from harness import DUMMY_KEY, DUMMY_SECRET
from test_recording import MODEL, ROLE, messages, recorder_env
from tls_front import make_ca, make_certificate, needs_tools, tls_front

pytestmark = needs_tools

HAIKU_35 = "anthropic.claude-3-5-haiku-20241022-v1:0"


@pytest.fixture
def record_then_replay(make_server, tmp_path):
    """Runs `work(server)` through a recorder in front of an emulating upstream behind nginx's
    TLS (a test CA made here, as a real AWS endpoint is https), stops both, then through a
    replaying server; returns both results. `config` goes to the recorder and the replayer
    alike, `upstream_config` to the upstream."""
    ca = make_ca(tmp_path)
    certificate = make_certificate(tmp_path, ca, "DNS:localhost,IP:127.0.0.1")

    def run(work, config=None, upstream_config=None, replay_args=("--time-scale", "0")):
        upstream = make_server("--time-scale", "0", config_text=upstream_config) if upstream_config else make_server("--time-scale", "0")
        cassette = tmp_path / f"cassette-{len(list(tmp_path.glob('cassette-*')))}"
        with tls_front(tmp_path, upstream.port, certificate) as port:
            args = ("--mode", "record", "--recordings", str(cassette), "--upstream", f"https://localhost:{port}",
                    "--upstream-ca-file", str(ca[0]))
            recorder = make_server(*args, env=recorder_env(), config_text=config) if config else make_server(*args, env=recorder_env())
            recorded = work(recorder)
            recorder.stop()
        upstream.stop()
        replay_args = ("--mode", "replay", "--recordings", str(cassette), *replay_args)
        replay = make_server(*replay_args, config_text=config) if config else make_server(*replay_args)
        return recorded, work(replay), cassette
    return run


def test_anthropic_sdk(record_then_replay):
    from anthropic import AnthropicBedrock

    def work(server):
        client = AnthropicBedrock(aws_access_key=DUMMY_KEY, aws_secret_key=DUMMY_SECRET, aws_region="us-east-1",
                                  base_url=server.url, max_retries=0)
        kwargs = dict(model=HAIKU_35, max_tokens=200, messages=[{"role": "user", "content": "Explain backoff with jitter"}])
        whole = client.messages.create(**kwargs)
        with client.messages.stream(**kwargs) as stream:
            deltas = list(stream.text_stream)
        return whole.id, whole.content[0].text, deltas

    recorded, replayed, _ = record_then_replay(work)
    assert replayed == recorded
    assert len(recorded[2]) > 1


def test_strands_agent_tool_loop(record_then_replay, monkeypatch):
    from strands import Agent, tool
    from strands.models import BedrockModel

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", DUMMY_KEY)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", DUMMY_SECRET)

    def work(server):
        calls = []

        @tool
        def word_count(text: str) -> int:
            """Count the words in a text."""
            calls.append(text)
            return len(text.split())

        model = BedrockModel(model_id=HAIKU_35, region_name="us-east-1", endpoint_url=server.url, max_tokens=300)
        result = Agent(model=model, tools=[word_count], callback_handler=None)("Use the word_count tool on the phrase: the quick brown fox")
        return calls, result.stop_reason, str(result)

    recorded, replayed, _ = record_then_replay(work)
    assert recorded[0], "the agent called its tool"
    assert replayed == recorded


def test_aws_cli(record_then_replay, tmp_path):
    def work(server):
        out = tmp_path / f"out-{server.port}.json"
        env = dict(os.environ, AWS_ACCESS_KEY_ID=DUMMY_KEY, AWS_SECRET_ACCESS_KEY=DUMMY_SECRET, AWS_DEFAULT_REGION="us-east-1",
                   AWS_ENDPOINT_URL=server.url, AWS_MAX_ATTEMPTS="1", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
        env.pop("AWS_PROFILE", None)
        result = subprocess.run(
            ["aws", "bedrock-runtime", "invoke-model", "--model-id", MODEL, "--body", messages("Tell me a joke"),
             str(out)], capture_output=True, text=True, env=env, timeout=60)
        assert result.returncode == 0, result.stderr
        return out.read_bytes()

    recorded, replayed, _ = record_then_replay(work)
    assert json.loads(recorded)["content"][0]["text"]
    assert replayed == recorded


def test_replayed_stream_keeps_its_recorded_pacing(record_then_replay):
    latency = "bedrock:\n  latency:\n    - model: '*'\n      timeToFirstTokenMs: 300\n      tokensPerSecond: 40\n"

    def work(server):
        runtime = server.client("bedrock-runtime")
        started = time.monotonic()
        response = runtime.invoke_model_with_response_stream(modelId=MODEL, body=messages("Count to ten slowly"))
        arrivals = [time.monotonic() - started for _ in response["body"]]
        return arrivals

    recorded, replayed, cassette = record_then_replay(work, upstream_config=latency, replay_args=("--time-scale", "1"))
    assert len(recorded) == len(replayed) > 5
    assert recorded[-1] > 0.5, "the upstream paced its stream"
    # Frame by frame: each replayed frame within 10% (and 40 ms of jitter) of when it came live.
    for live, again in zip(recorded, replayed):
        assert abs(again - live) <= 0.1 * live + 0.04, (live, again)


def test_a_local_workflow_records_only_its_model_calls(record_then_replay):
    config = "recording:\n  services: [bedrock-runtime]\n"
    definition = {"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
        "Parameters": {"ModelId": MODEL, "Body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
                                                  "messages": [{"role": "user", "content": "Name a colour"}]}},
        "ResultSelector": {"text.$": "$.Body.content[0].text"}, "End": True}}}

    def work(server):
        sfn = server.client("stepfunctions", inject_host_prefix=False)
        arn = sfn.create_state_machine(name="local-flow", definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
        out = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
        return out["status"], out.get("output")

    recorded, replayed, cassette = record_then_replay(work, config=config)
    assert recorded[0] == "SUCCEEDED" and json.loads(recorded[1])["text"]
    assert replayed == recorded
    kept = sorted(p.name for p in cassette.glob("0*.json"))
    assert kept == ["0001-bedrock-runtime-InvokeModel.json"], kept
