"""Numbers given to the admin API or the config are range-checked when accepted, with a 400
(or a start-up error) naming the field; none can make a later call trap the server."""
import json
import urllib.error
import urllib.request

import pytest

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"


def post(server, path, body):
    request = urllib.request.Request(
        server.url + "/_understudy/" + path, method="POST", data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def invoke(server, prompt):
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 20, "messages": [{"role": "user", "content": prompt}]}
    response = server.client("bedrock-runtime").invoke_model(modelId=MODEL, body=json.dumps(body))
    return json.loads(response["body"].read())


@pytest.mark.parametrize(
    "latency, field",
    [
        ({"tokensPerSecond": 1e-300}, "latency.tokensPerSecond"),
        ({"timeToFirstTokenMs": 9223372036854775000}, "latency.timeToFirstTokenMs"),
        ({"timeToFirstTokenMs": 2**63 - 1, "tokensPerSecond": 1}, "latency.timeToFirstTokenMs"),
    ],
)
def test_trapping_latencies_are_refused_and_the_server_lives(make_server, latency, field):
    server = make_server()
    rule = {"name": "slow", "match": {"prompt": "slow"}, "response": {"text": "Done."}, "latency": latency}
    status, body = post(server, "completions", rule)
    assert status == 400
    assert field in body["message"]
    assert server.admin("completions")["rules"] == [], "a refused rule is not added"
    # The call that used to trap is answered, and the server is still up.
    assert invoke(server, "slow please")["content"]
    assert server.process.poll() is None
    assert server.admin("health")["status"] == "running"


@pytest.mark.parametrize(
    "path, body, field",
    [
        ("completions", {"name": "u", "response": {"text": "x", "usage": {"outputTokens": 2**63 - 1}}}, "usage.outputTokens"),
        (
            "faults",
            {"name": "w", "when": {"between": {"start": "2030-01-01T00:00:00Z", "end": "2020-01-01T00:00:00Z"}}, "error": {"code": "ThrottlingException"}},
            "when.between",
        ),
        ("faults", {"name": "e", "when": {"every": 2.5}, "error": {"code": "ThrottlingException"}}, "when.every"),
        ("faults", {"name": "p", "when": {"probability": "0.5"}, "error": {"code": "ThrottlingException"}}, "when.probability"),
        ("faults", {"name": "d", "latency": {"ms": 1e300}}, "latency.ms"),
        ("rate-limits", {"service": "states", "operation": "*", "bucketSize": 1e12, "refillPerSecond": 1}, "bucketSize"),
        ("rate-limits", {"service": "states", "operation": "*", "bucketSize": 5, "refillPerSecond": 1e300}, "refillPerSecond"),
        ("quotas", {"model": "*", "tokensPerMinute": 1e19}, "tokensPerMinute"),
        ("quotas", {"model": "*", "tokensPerMinute": 10, "outputBurndown": 1000}, "outputBurndown"),
        ("clock", {"timeScale": 1e300}, "timeScale"),
        ("clock", {"advanceSeconds": 1e300}, "advanceSeconds"),
    ],
)
def test_admin_numbers_out_of_range_get_a_400_naming_the_field(make_server, path, body, field):
    server = make_server()
    status, answer = post(server, path, body)
    assert status == 400, answer
    assert field in answer["message"]
    assert server.admin("health")["status"] == "running"


def test_a_reversed_fault_window_never_reaches_a_call(make_server):
    server = make_server()
    window = {"start": "2030-01-01T00:00:00Z", "end": "2020-01-01T00:00:00Z"}
    assert post(server, "faults", {"name": "w", "when": {"between": window}, "error": {"code": "ThrottlingException"}})[0] == 400
    assert invoke(server, "hello")["content"]


def test_the_executions_limit_is_checked(server):
    with pytest.raises(urllib.error.HTTPError) as e:
        server.admin("executions?limit=lots")
    assert e.value.code == 400


@pytest.mark.parametrize(
    "config, field",
    [
        ("bedrock:\n  latency:\n    - model: '*'\n      tokensPerSecond: 1.0e-300\n", "latency.tokensPerSecond"),
        ("bedrock:\n  latency:\n    - timeToFirstTokenMs: 9223372036854775000\n", "latency.timeToFirstTokenMs"),
        ("server:\n  shutdownGraceSeconds: 9223372036854775807\n", "server.shutdownGraceSeconds"),
        ("journal:\n  size: 100000000000\n", "journal.size"),
    ],
)
def test_config_numbers_out_of_range_stop_start_up_naming_the_key(make_server, config, field):
    with pytest.raises(RuntimeError, match=field.replace(".", r"\.")):
        make_server(config_text=config)


def test_flags_out_of_range_stop_start_up(make_server):
    with pytest.raises(RuntimeError, match="--time-scale must be a number from 0 to 1000"):
        make_server("--time-scale", "1e300")
