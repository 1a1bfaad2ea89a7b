"""Budgets for what a user's expression may cost (issue 19), on a live server through boto3: each
reproducer of the hardening review fails its execution with the right error within seconds (a
catastrophic regex, a doubling string, a cross join, an empty-matching regex, intrinsics past
AWS's limits or a 64-bit integer), a trivial execution started meanwhile answers at once, and
the server stays up; a catastrophic canned-rule regex leaves InvokeModel and health answering."""
import concurrent.futures
import json
import time
import urllib.request

import pytest

from harness import Server

ROLE = "arn:aws:iam::123456789012:role/budgets"
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
# Each reproducer must end within this; a debug build spends a whole budget in about 2 s.
BOUND_SECONDS = 5.0
CATASTROPHIC = "a" * 30 + "!"


@pytest.fixture(scope="module")
def busy():
    """A server of its own: these tests keep a core busy on purpose."""
    s = Server()
    yield s
    s.stop()


@pytest.fixture(scope="module")
def sfn(busy):
    return busy.client("stepfunctions", inject_host_prefix=False)


def healthy(server):
    with urllib.request.urlopen(server.url + "/_understudy/health", timeout=2) as r:
        return r.status == 200


def express(sfn, name, definition):
    return sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE, type="EXPRESS")["stateMachineArn"]


def jsonata_machine(sfn, name, expression):
    return express(sfn, name, {"QueryLanguage": "JSONata", "StartAt": "E",
                               "States": {"E": {"Type": "Pass", "Output": {"v": "{% " + expression + " %}"}, "End": True}}})


def timed(sfn, arn, payload):
    started = time.monotonic()
    result = sfn.start_sync_execution(stateMachineArn=arn, input=json.dumps(payload))
    return result, time.monotonic() - started


@pytest.fixture(scope="module")
def trivial(sfn):
    return express(sfn, "budgets-trivial", {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}})


JSONATA_CASES = [
    # name, expression, input, cause fragments
    ("match", "$match($states.input.s, /^(a+)+$/)", {"s": CATASTROPHIC}, ["U1001", "/^(a+)+$/"]),
    ("replace", "$replace($states.input.s, /^(a+)+$/, 'x')", {"s": CATASTROPHIC}, ["U1001", "/^(a+)+$/"]),
    ("contains", "$contains($states.input.s, /^(a+)+$/)", {"s": CATASTROPHIC}, ["U1001", "/^(a+)+$/"]),
    ("split", "$split($states.input.s, /^(a+)+$/)", {"s": CATASTROPHIC}, ["U1001", "/^(a+)+$/"]),
    ("backref", "$match($states.input.s, /^((a+)\\2?)+$/)", {"s": CATASTROPHIC}, ["U1001", "regular expression"]),
    ("doubling", "$reduce([1..40], function($a, $v) { $a & $a }, 'ab')", {}, ["D3150", "a string longer than 6990256 bytes"]),
    ("crossjoin", "$count($states.input.a.($states.input.b))", {"a": list(range(9000)), "b": list(range(9000))},
     ["D3150", "MB of values built"]),
    # A recursion with no end: JSONata's stack-overflow error at its depth limit (or, in a
    # build with large frames, StackGuard's), never the server's stack.
    ("recursion", "($f := function($n) { $f($n + 1) + 1 }; $f(0))", {}, ["U1001", "non-terminating recursive function"]),
    ("mutual-recursion", "($a := function($n) { $b($n) }; $b := function($n) { $a($n + 1) }; $a(0))", {}, ["U1001"]),
    ("split-empty", "$split($states.input.s, /x*/)", {"s": "ab" * 50000}, ["D1004", "zero length string"]),
    ("replace-empty", "$replace($states.input.s, /x*/, '-')", {"s": "ab" * 50000}, ["D1004", "zero length string"]),
]


@pytest.mark.parametrize("name,expression,payload,fragments", JSONATA_CASES, ids=[c[0] for c in JSONATA_CASES])
def test_jsonata_reproducers_fail_quickly(sfn, name, expression, payload, fragments):
    arn = jsonata_machine(sfn, "budgets-" + name, expression)
    result, elapsed = timed(sfn, arn, payload)
    assert result["status"] == "FAILED", result
    assert result["error"] == "States.QueryEvaluationError"
    for fragment in fragments:
        assert fragment in result["cause"], result["cause"]
    assert elapsed < BOUND_SECONDS, f"{name} took {elapsed:.1f} s"


INTRINSIC_CASES = [
    ("range", "States.ArrayRange(1, 1000000000, 1)", {}, "more than 1000 items"),
    ("add-max", "States.MathAdd(9223372036854775807, 1)", {}, "States.MathAdd"),
    ("random-width", "States.MathRandom(-9223372036854775808, 9223372036854775807)", {}, "States.MathRandom"),
    ("add-huge", "States.MathAdd($.n, 1)", {"n": 1.5e300}, "States.MathAdd"),
    ("getitem-huge", "States.ArrayGetItem(States.Array(1, 2), $.n)", {"n": 1e300}, "States.ArrayGetItem"),
    ("partition-huge", "States.ArrayPartition(States.Array(1, 2), $.n)", {"n": -1e300}, "States.ArrayPartition"),
    ("range-huge", "States.ArrayRange(1, $.n, 1)", {"n": 1e300}, "States.ArrayRange"),
    ("random-huge", "States.MathRandom($.n, 10)", {"n": -1e300}, "States.MathRandom"),
]


@pytest.mark.parametrize("name,call,payload,fragment", INTRINSIC_CASES, ids=[c[0] for c in INTRINSIC_CASES])
def test_intrinsics_fail_with_states_runtime(sfn, busy, name, call, payload, fragment):
    arn = express(sfn, "budgets-intrinsic-" + name, {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"v.$": call}, "End": True}}})
    result, elapsed = timed(sfn, arn, payload)
    assert result["status"] == "FAILED", result
    assert result["error"] == "States.Runtime"
    assert fragment in result["cause"], result["cause"]
    assert elapsed < BOUND_SECONDS
    assert healthy(busy), "the server is still up"


def test_test_state_reports_the_regex_budget(sfn):
    state = {"QueryLanguage": "JSONata", "Type": "Pass", "Output": "{% $match($states.input.s, /^(a+)+$/) %}", "End": True}
    started = time.monotonic()
    result = sfn.test_state(definition=json.dumps(state), roleArn=ROLE, input=json.dumps({"s": CATASTROPHIC}))
    assert time.monotonic() - started < BOUND_SECONDS
    assert result["status"] == "FAILED" and result["error"] == "States.QueryEvaluationError"
    assert "U1001" in result["cause"]


def test_a_trivial_execution_answers_while_two_runaways_run(sfn, busy, trivial):
    """Two threads run catastrophic executions back to back, so both cores are taken by
    runaway regexes the whole time; trivial executions started meanwhile still answer within
    about one runaway's budget."""
    evil = jsonata_machine(sfn, "budgets-runaway", "$match($states.input.s, /^(a+)+$/)")
    stop = time.monotonic() + 4.0

    def run_away():
        client = busy.client("stepfunctions", inject_host_prefix=False)
        results = []
        while time.monotonic() < stop:
            results.append(timed(client, evil, {"s": CATASTROPHIC}))
        return results

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        runaways = [pool.submit(run_away) for _ in range(2)]
        time.sleep(0.5)
        for _ in range(5):
            result, elapsed = timed(sfn, trivial, {})
            assert result["status"] == "SUCCEEDED" and json.loads(result["output"]) == {"ok": True}
            # About one runaway's regex budget at most (under a second in a debug build).
            assert elapsed < 2.0, f"a trivial execution took {elapsed:.1f} s beside two runaways"
            assert healthy(busy)
            time.sleep(0.2)
        for future in runaways:
            results = future.result(timeout=60)
            assert results
            for failed, took in results:
                assert failed["error"] == "States.QueryEvaluationError" and took < BOUND_SECONDS
    assert healthy(busy)


def test_a_catastrophic_completion_rule_leaves_the_server_answering(make_server):
    server = make_server()
    rules = [{"name": "evil", "match": {"prompt": {"regex": "^(a+)+$"}}, "response": {"text": "evil"}}]
    request = urllib.request.Request(server.url + "/_understudy/completions", data=json.dumps(rules).encode(), method="POST")
    with urllib.request.urlopen(request, timeout=5) as r:
        assert r.status == 200
    runtime = server.client("bedrock-runtime")
    body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 20, "messages": [{"role": "user", "content": "a" * 40 + "!"}]}

    def invoke():
        started = time.monotonic()
        reply = json.loads(runtime.invoke_model(modelId=HAIKU, body=json.dumps(body))["body"].read())
        return reply, time.monotonic() - started

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        calls = [pool.submit(invoke) for _ in range(4)]
        for _ in range(5):
            started = time.monotonic()
            assert healthy(server)
            assert time.monotonic() - started < 1.0, "health answers while rules are matched"
        for call in calls:
            reply, elapsed = call.result(timeout=30)
            assert reply["content"][0]["text"] != "evil", "a match that runs out of budget is no match"
            assert elapsed < BOUND_SECONDS
    matched = json.loads(runtime.invoke_model(modelId=HAIKU, body=json.dumps({**body, "messages": [{"role": "user", "content": "a" * 40}]}))["body"].read())
    assert matched["content"][0]["text"] == "evil", "the rule still matches where it can"
    assert healthy(server)
