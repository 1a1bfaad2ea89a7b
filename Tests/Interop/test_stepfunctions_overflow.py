"""Numbers from definitions and inputs that used to trap the whole server (issue 19): a Wait's
SecondsPath, a year-9999 Timestamp, a JSONata Seconds, a retrier's backoff, task timeouts and
heartbeats, Map concurrency and tolerance, ItemBatcher sizes, a slice's step. Each reproducer
runs on a live server through boto3; the execution fails as AWS fails it (`States.Runtime`,
`States.QueryEvaluationError`) or simply waits, and the server answers afterwards."""
import json
import time

import pytest

ROLE = "arn:aws:iam::123456789012:role/overflow"
HUGE = 9223372036854775807
FAILING_TASK = "arn:aws:states:::lambda:invoke"  # no integration here: States.TaskFailed
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
TRIVIAL = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "alive", "End": True}}}


@pytest.fixture(scope="module")
def instant(request):
    from harness import Server

    s = Server("--time-scale", "0")
    request.addfinalizer(s.stop)
    return s


@pytest.fixture(scope="module")
def realtime(request):
    from harness import Server

    s = Server("--time-scale", "1")
    request.addfinalizer(s.stop)
    return s


def sfn(server):
    return server.client("stepfunctions", inject_host_prefix=False)


_names = iter(range(1_000_000))


def machine(client, definition, type="EXPRESS"):
    name = f"overflow-{next(_names)}"
    return client.create_state_machine(name=name, roleArn=ROLE, type=type, definition=json.dumps(definition))["stateMachineArn"]


def run_sync(server, definition, payload=None):
    client = sfn(server)
    out = client.start_sync_execution(stateMachineArn=machine(client, definition), input=json.dumps(payload or {}))
    assert_alive(server)
    return out


def finished(client, execution):
    """The execution's description once it has left RUNNING (or after about 4 s)."""
    for _ in range(200):
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            break
        time.sleep(0.02)
    return described


def assert_alive(server):
    """The server still runs executions: a trivial one answers at once."""
    client = sfn(server)
    started = time.monotonic()
    out = client.start_sync_execution(stateMachineArn=machine(client, TRIVIAL), input="{}")
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == "alive"
    assert time.monotonic() - started < 5


def wait(field, value, jsonata=False):
    definition = {"StartAt": "W", "States": {"W": {"Type": "Wait", field: value, "End": True}}}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def task(resource=FAILING_TASK, jsonata=False, **fields):
    state = {"Type": "Task", "Resource": resource, **fields, "End": True}
    if resource == "arn:aws:states:::bedrock:invokeModel":
        body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
        state["Arguments" if jsonata else "Parameters"] = {"ModelId": HAIKU, "Body": body}
    definition = {"StartAt": "T", "States": {"T": state}}
    if jsonata:
        definition["QueryLanguage"] = "JSONata"
    return definition


def mapping(items="$.xs", processor_config=None, **fields):
    processor = {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}
    if processor_config:
        processor["ProcessorConfig"] = processor_config
    return {"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": items, **fields, "ItemProcessor": processor, "End": True}}}


HUGE_RETRY = [{"ErrorEquals": ["States.ALL"], "IntervalSeconds": 99999999, "BackoffRate": 1000000, "MaxAttempts": 10}]


# --- On an instant clock the waits end at once: an Express execution's five minutes run out.

@pytest.mark.parametrize("definition, payload", [
    (wait("SecondsPath", "$.s"), {"s": 9223372036854775}),
    (wait("SecondsPath", "$.s"), {"s": HUGE}),
    (wait("Timestamp", "9999-12-31T23:59:59Z"), {}),
    (wait("Timestamp", "{% '9999-12-31T23:59:59Z' %}", jsonata=True), {}),
    (wait("Seconds", "{% 9223372036854775 %}", jsonata=True), {}),
], ids=["seconds-path", "seconds-path-int64-max", "timestamp-9999", "jsonata-timestamp-9999", "jsonata-seconds"])
def test_huge_waits_end_on_an_instant_clock(instant, definition, payload):
    # An Express execution lasts five minutes at most: the huge wait ends it there.
    out = run_sync(instant, definition, payload)
    assert out["status"] == "TIMED_OUT" and out["error"] == "States.Timeout", out


def test_a_standard_execution_past_the_year_9999_keeps_a_readable_history(instant):
    client = sfn(instant)
    arn = machine(client, {"StartAt": "W", "States": {
        "W": {"Type": "Wait", "SecondsPath": "$.s", "Next": "After"},
        "After": {"Type": "Pass", "Parameters": {"entered.$": "$$.State.EnteredTime"}, "End": True}}}, type="STANDARD")
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"s": HUGE}))["executionArn"]
    for _ in range(200):
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            break
        time.sleep(0.02)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {"entered": "9999-12-31T23:59:59.999Z"}
    events = client.get_execution_history(executionArn=execution)["events"]
    assert events[-1]["type"] == "ExecutionSucceeded" and events[-1]["timestamp"].year == 9999
    assert_alive(instant)


@pytest.mark.parametrize("expression, message", [
    ("-1", "must be an integer greater than or equal to 0, but was -1."),
    ("-9223372036854775807", "must be an integer greater than or equal to 0"),
    ("1e300", "Expected 'integer', but was 'number' for value: 1e+300"),
    ("9223372036854775807 * 10", "must be an integer greater than or equal to 0"),
])
def test_jsonata_seconds_that_are_no_wait_fail_the_state(instant, expression, message):
    out = run_sync(instant, wait("Seconds", "{% " + expression + " %}", jsonata=True))
    assert out["status"] == "FAILED" and out["error"] == "States.QueryEvaluationError", out
    assert message in out["cause"]


def test_huge_retry_backoff_retries_to_the_end_on_an_instant_clock(instant):
    """Backoff passes on the execution's clock: as STANDARD the ten attempts run to the end
    (years of backoff, skipped), as EXPRESS the first backoff outlasts the five minutes."""
    client = sfn(instant)
    for retry in (HUGE_RETRY, [{**HUGE_RETRY[0], "MaxDelaySeconds": 3600, "JitterStrategy": "FULL"}]):
        execution = client.start_execution(stateMachineArn=machine(client, task(Retry=retry), type="STANDARD"), input="{}")["executionArn"]
        described = finished(client, execution)
        assert described["status"] == "FAILED" and described["error"] == "States.TaskFailed", described
        out = run_sync(instant, task(Retry=retry))
        assert out["status"] == "TIMED_OUT" and out["error"] == "States.Timeout", out


@pytest.mark.parametrize("field", ["TimeoutSecondsPath", "HeartbeatSecondsPath"])
def test_task_timeouts_from_the_input(instant, field):
    huge = run_sync(instant, task("arn:aws:states:::bedrock:invokeModel", **{field: "$.t"}), {"t": HUGE})
    assert huge["status"] == "SUCCEEDED", huge
    for bad in (-5, 0, 1e300):
        out = run_sync(instant, task("arn:aws:states:::bedrock:invokeModel", **{field: "$.t"}), {"t": bad})
        assert out["status"] == "FAILED" and out["error"] == "States.Runtime", out
        assert f"does not reference a valid positive integer value: $.t == {json.dumps(bad)}" in out["cause"]


@pytest.mark.parametrize("field", ["TimeoutSeconds", "HeartbeatSeconds"])
def test_jsonata_task_timeouts(instant, field):
    huge = run_sync(instant, task("arn:aws:states:::bedrock:invokeModel", jsonata=True, **{field: "{% 9223372036854775 %}"}))
    assert huge["status"] == "SUCCEEDED", huge
    negative = run_sync(instant, task("arn:aws:states:::bedrock:invokeModel", jsonata=True, **{field: "{% -1 %}"}))
    assert negative["status"] == "FAILED" and negative["error"] == "States.QueryEvaluationError", negative


def test_callback_task_with_huge_timeouts(instant):
    instant.client("s3").create_bucket(Bucket="overflow-tokens")
    definition = task("arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken",
                      Parameters={"Bucket": "overflow-tokens", "Key": "token", "Body.$": "$$.Task.Token"},
                      TimeoutSecondsPath="$.t", HeartbeatSecondsPath="$.t")
    client = sfn(instant)
    execution = client.start_execution(stateMachineArn=machine(client, definition, type="STANDARD"), input=json.dumps({"t": HUGE}))["executionArn"]
    described = finished(client, execution)
    # On an instant clock even the longest timeout passes at once.
    assert described["status"] == "FAILED" and described["error"] == "States.Timeout", described
    assert_alive(instant)


@pytest.mark.parametrize("fields, payload, message", [
    ({"MaxConcurrencyPath": "$.n"}, {"n": HUGE}, 'The MaxConcurrencyPath field refers to value "9223372036854775807" which is not a valid integer: $.n'),
    ({"MaxConcurrencyPath": "$.n"}, {"n": 1e300}, 'The MaxConcurrencyPath field refers to value "1e+300" which is not a valid integer: $.n'),
    ({"ToleratedFailureCountPath": "$.n"}, {"n": HUGE}, 'The ToleratedFailureCountPath field refers to value "9223372036854775807" which is not a valid integer: $.n'),
    ({"ToleratedFailurePercentagePath": "$.n"}, {"n": 1e300}, "ToleratedFailurePercentage must be between 0 and 100."),
    ({"MaxConcurrency": HUGE}, {}, 'The MaxConcurrencyPath field refers to value "9223372036854775807" which is not a valid integer: '),
])
def test_huge_map_settings_fail_the_state(instant, fields, payload, message):
    out = run_sync(instant, mapping(**fields), {"xs": [1, 2], **payload})
    assert out["status"] == "FAILED" and out["error"] == "States.Runtime", out
    assert out["cause"].endswith(message), out["cause"]


def test_large_map_settings_that_fit(instant):
    out = run_sync(instant, mapping(MaxConcurrency=99999999999, ToleratedFailureCount=9000000000000000000), {"xs": [1, 2]})
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == [1, 2], out


def test_huge_item_batcher_sizes(instant):
    definition = mapping(processor_config={"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                         ItemBatcher={"MaxItemsPerBatch": HUGE, "MaxInputBytesPerBatch": HUGE})
    out = run_sync(instant, definition, {"xs": [1, 2, 3]})
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == [{"Items": [1, 2, 3]}], out


def test_slice_with_a_huge_step(instant):
    out = run_sync(instant, mapping(items=f"$.xs[1:5:{HUGE}]"), {"xs": [1, 2, 3]})
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == [2], out


def test_test_state_with_a_huge_wait(instant):
    client = sfn(instant)
    out = client.test_state(definition=json.dumps({"Type": "Wait", "SecondsPath": "$.s", "End": True}), roleArn=ROLE, input=json.dumps({"s": HUGE}))
    assert out["status"] == "SUCCEEDED", out
    assert_alive(instant)


# --- In real time the same numbers are waits that outlast any execution: it stays RUNNING.

@pytest.mark.parametrize("definition, payload", [
    (wait("SecondsPath", "$.s"), {"s": 9223372036854775}),
    (wait("Timestamp", "9999-12-31T23:59:59Z"), {}),
    (wait("Timestamp", "{% '9999-12-31T23:59:59Z' %}", jsonata=True), {}),
    (wait("Seconds", "{% 9223372036854775 %}", jsonata=True), {}),
    (task(Retry=HUGE_RETRY), {}),
], ids=["seconds-path", "timestamp-9999", "jsonata-timestamp-9999", "jsonata-seconds", "retry-backoff"])
def test_huge_waits_in_real_time_keep_the_execution_running(realtime, definition, payload):
    client = sfn(realtime)
    execution = client.start_execution(stateMachineArn=machine(client, definition, type="STANDARD"), input=json.dumps(payload))["executionArn"]
    time.sleep(0.3)
    assert client.describe_execution(executionArn=execution)["status"] == "RUNNING"
    assert_alive(realtime)
    client.stop_execution(executionArn=execution, error="Overflow", cause="stopped by test")
    assert client.describe_execution(executionArn=execution)["status"] == "ABORTED"
    assert_alive(realtime)
