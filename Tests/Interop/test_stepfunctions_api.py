"""Step Functions through boto3: the API's operations and errors (the recorded executions are in
test_conformance.py)."""
import concurrent.futures
import json
import subprocess
import time

import pytest

from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/r"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": {"ok": True}, "End": True}}})
WAIT = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 30, "End": True}}})


@pytest.fixture
def sfn(server):
    return server.client("stepfunctions", inject_host_prefix=False)


def test_state_machine_lifecycle(sfn):
    created = sfn.create_state_machine(name="lifecycle", definition=PASS, roleArn=ROLE)
    arn = created["stateMachineArn"]
    assert arn == "arn:aws:states:us-east-1:000000000000:stateMachine:lifecycle"
    assert sfn.create_state_machine(name="lifecycle", definition=PASS, roleArn=ROLE)["stateMachineArn"] == arn, "idempotent"
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="lifecycle", definition=WAIT, roleArn=ROLE)
    assert e.value.response["Error"]["Code"] == "StateMachineAlreadyExists"
    described = sfn.describe_state_machine(stateMachineArn=arn)
    assert described["definition"] == PASS and described["type"] == "STANDARD" and described["status"] == "ACTIVE"
    assert any(m["stateMachineArn"] == arn for m in sfn.list_state_machines()["stateMachines"])
    updated = sfn.update_state_machine(stateMachineArn=arn, definition=WAIT)
    assert updated["revisionId"] and sfn.describe_state_machine(stateMachineArn=arn)["definition"] == WAIT
    sfn.delete_state_machine(stateMachineArn=arn)
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine(stateMachineArn=arn)
    assert e.value.response["Error"]["Code"] == "StateMachineDoesNotExist"


def test_execution_lifecycle_and_history(sfn):
    arn = sfn.create_state_machine(name="exec-lifecycle", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    started = sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"a":1}')
    assert started["executionArn"].endswith(":execution:exec-lifecycle:run-1")
    for _ in range(100):
        described = sfn.describe_execution(executionArn=started["executionArn"])
        if described["status"] != "RUNNING":
            break
        time.sleep(0.02)
    assert described["status"] == "SUCCEEDED" and json.loads(described["output"]) == {"ok": True}
    history = sfn.get_execution_history(executionArn=started["executionArn"])["events"]
    assert [e["type"] for e in history] == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"]
    assert [e["id"] for e in history] == [1, 2, 3, 4] and [e["previousEventId"] for e in history] == [0, 1, 2, 3]
    assert history[1]["stateEnteredEventDetails"] == {"name": "P", "input": '{"a":1}', "inputDetails": {"truncated": False}}
    reverse = sfn.get_execution_history(executionArn=started["executionArn"], reverseOrder=True)["events"]
    assert reverse[0]["type"] == "ExecutionSucceeded"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, name="run-1", input='{"a":2}')
    assert e.value.response["Error"]["Code"] == "ExecutionAlreadyExists"
    assert sfn.list_executions(stateMachineArn=arn)["executions"][0]["name"] == "run-1"
    assert sfn.describe_state_machine_for_execution(executionArn=started["executionArn"])["definition"] == PASS


def test_stop_execution(server):
    sfn = server.client("stepfunctions")
    arn = sfn.create_state_machine(name="stoppable", definition=WAIT, roleArn=ROLE)["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn)["executionArn"]
    assert sfn.describe_execution(executionArn=ex)["status"] == "RUNNING"
    sfn.stop_execution(executionArn=ex, error="Manual", cause="stopped by test")
    described = sfn.describe_execution(executionArn=ex)
    assert described["status"] == "ABORTED" and described["error"] == "Manual"
    time.sleep(0.1)
    events = sfn.get_execution_history(executionArn=ex)["events"]
    assert events[-1]["type"] == "ExecutionAborted" and events[-1]["executionAbortedEventDetails"]["cause"] == "stopped by test"
    assert sfn.describe_execution(executionArn=ex)["status"] == "ABORTED", "the stopped run does not finish later"
    assert sfn.list_executions(stateMachineArn=arn, statusFilter="ABORTED")["executions"]


@pytest.mark.parametrize("call, code", [
    (lambda c: c.describe_state_machine(stateMachineArn="arn:aws:states:us-east-1:000000000000:stateMachine:none"), "StateMachineDoesNotExist"),
    (lambda c: c.describe_state_machine(stateMachineArn="not-an-arn"), "InvalidArn"),
    (lambda c: c.describe_execution(executionArn="arn:aws:states:us-east-1:000000000000:execution:none:x"), "ExecutionDoesNotExist"),
    (lambda c: c.create_state_machine(name="bad", definition="{}", roleArn=ROLE), "InvalidDefinition"),
    (lambda c: c.create_state_machine(name="bad name!", definition=PASS, roleArn=ROLE), "InvalidName"),
    (lambda c: c.list_state_machines(nextToken="garbage"), "InvalidToken"),
])
def test_api_errors(sfn, call, code):
    with pytest.raises(ClientError) as e:
        call(sfn)
    assert e.value.response["Error"]["Code"] == code
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_sync_execution_needs_express_and_input_must_be_json(sfn):
    arn = sfn.create_state_machine(name="standard-only", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    with pytest.raises(ClientError) as e:
        sfn.start_sync_execution(stateMachineArn=arn)
    assert e.value.response["Error"]["Code"] == "StateMachineTypeNotSupported"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=arn, input="not json")
    assert e.value.response["Error"]["Code"] == "InvalidExecutionInput"


def test_validate_state_machine_definition(sfn):
    assert sfn.validate_state_machine_definition(definition=PASS)["result"] == "OK"
    bad = sfn.validate_state_machine_definition(definition=json.dumps({"StartAt": "Missing", "States": {"P": {"Type": "Pass", "End": True}}}))
    assert bad["result"] == "FAIL" and bad["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"


def test_tags(sfn):
    arn = sfn.create_state_machine(name="tagged", definition=PASS, roleArn=ROLE, tags=[{"key": "team", "value": "ml"}])["stateMachineArn"]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "env", "value": "test"}])
    assert sorted((t["key"], t["value"]) for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]) == [("env", "test"), ("team", "ml")]
    sfn.untag_resource(resourceArn=arn, tagKeys=["team"])
    assert sfn.list_tags_for_resource(resourceArn=arn)["tags"] == [{"key": "env", "value": "test"}]
    with pytest.raises(ClientError) as e:
        sfn.list_tags_for_resource(resourceArn="arn:aws:states:us-east-1:000000000000:stateMachine:none")
    assert e.value.response["Error"]["Code"] == "ResourceNotFound"


def test_refused_tags_are_not_applied(sfn):
    arn = sfn.create_state_machine(name="tag-limit", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": f"k{i}", "value": "v"} for i in range(50)])
    with pytest.raises(ClientError) as e:
        sfn.tag_resource(resourceArn=arn, tags=[{"key": "k0", "value": "changed"}, {"key": "one-too-many", "value": "v"}])
    assert e.value.response["Error"]["Code"] == "TooManyTags"
    tags = {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}
    assert len(tags) == 50 and tags["k0"] == "v" and "one-too-many" not in tags


def test_concurrent_tagging_keeps_every_change(server):
    """Four clients tag and untag one machine at once; each thread's own keys end as it left them."""
    client = server.client("stepfunctions", inject_host_prefix=False)
    arn = client.create_state_machine(name="tag-race", definition=PASS, roleArn=ROLE)["stateMachineArn"]

    def churn(worker):
        c = server.client("stepfunctions", inject_host_prefix=False)
        for round in range(40):
            c.tag_resource(resourceArn=arn, tags=[{"key": f"w{worker}-{round % 5}", "value": str(round)}])
            if round % 3 == 0:
                c.untag_resource(resourceArn=arn, tagKeys=[f"w{worker}-{(round + 1) % 5}"])
            c.list_tags_for_resource(resourceArn=arn)
        return worker

    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        assert sorted(pool.map(churn, range(4))) == [0, 1, 2, 3]
    tags = {t["key"]: t["value"] for t in client.list_tags_for_resource(resourceArn=arn)["tags"]}
    # Replaying one thread's sequence alone gives what it must have left.
    for worker in range(4):
        expected = {}
        for round in range(40):
            expected[f"w{worker}-{round % 5}"] = str(round)
            if round % 3 == 0:
                expected.pop(f"w{worker}-{(round + 1) % 5}", None)
        assert {k: v for k, v in tags.items() if k.startswith(f"w{worker}-")} == expected


def test_admin_shows_express_executions(make_server):
    s = make_server("--time-scale", "0")
    client = s.client("stepfunctions", inject_host_prefix=False)
    definition = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Result": 42, "End": True}}})
    arn = client.create_state_machine(name="express-admin", definition=definition, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    client.start_sync_execution(stateMachineArn=arn, input='{"x":1}')
    executions = s.admin("executions")["executions"]
    assert executions[0]["type"] == "EXPRESS" and executions[0]["status"] == "SUCCEEDED"
    assert executions[0]["input"] == {"x": 1} and executions[0]["output"] == 42
    assert executions[0]["statesVisited"] == ["A", "B"]


def test_cli_validate_and_run(tmp_path):
    from harness import BINARY

    good = tmp_path / "good.json"
    good.write_text(json.dumps({"StartAt": "Hello", "States": {"Hello": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $.name)"}, "End": True}}}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"StartAt": "Nope", "States": {"Hello": {"Type": "Pass", "End": True}}}))
    ok = subprocess.run([str(BINARY), "validate", str(good)], capture_output=True, text=True)
    assert ok.returncode == 0 and json.loads(ok.stdout)["result"] == "OK"
    failed = subprocess.run([str(BINARY), "validate", str(bad)], capture_output=True, text=True)
    assert failed.returncode == 1 and json.loads(failed.stdout)["diagnostics"][0]["code"] == "MISSING_TRANSITION_TARGET"
    run = subprocess.run([str(BINARY), "run", str(good), "--input", '{"name":"ada"}', "--time-scale", "0"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result == {"status": "SUCCEEDED", "output": {"greeting": "hi ada"}, "statesVisited": ["Hello"]}


def test_time_scale_zero_keeps_execution_time(make_server):
    s = make_server("--time-scale", "0")
    client = s.client("stepfunctions", inject_host_prefix=False)
    definition = json.dumps({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 240, "Next": "T"},
        "T": {"Type": "Pass", "Parameters": {"entered.$": "$$.State.EnteredTime", "started.$": "$$.Execution.StartTime"}, "End": True}}})
    arn = client.create_state_machine(name="virtual-time", definition=definition, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    t0 = time.monotonic()
    out = client.start_sync_execution(stateMachineArn=arn)
    assert time.monotonic() - t0 < 2, "four minutes' wait elapses instantly (Express allows five)"
    times = json.loads(out["output"])
    from datetime import datetime
    parse = lambda t: datetime.fromisoformat(t.replace("Z", "+00:00"))
    assert (parse(times["entered"]) - parse(times["started"])).total_seconds() >= 240


def test_execution_timeout(make_server):
    s = make_server("--time-scale", "0")
    client = s.client("stepfunctions", inject_host_prefix=False)
    definition = json.dumps({"TimeoutSeconds": 5, "StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 10, "End": True}}})
    arn = client.create_state_machine(name="times-out", definition=definition, roleArn=ROLE)["stateMachineArn"]
    ex = client.start_execution(stateMachineArn=arn)["executionArn"]
    for _ in range(100):
        described = client.describe_execution(executionArn=ex)
        if described["status"] != "RUNNING":
            break
        time.sleep(0.02)
    assert described["status"] == "TIMED_OUT" and described["error"] == "States.Timeout"
    assert client.get_execution_history(executionArn=ex, reverseOrder=True)["events"][0]["type"] == "ExecutionTimedOut"


def test_task_timeout_from_simulated_latency(make_server):
    s = make_server("--time-scale", "0", config_text="""
bedrock:
  latency:
    - model: anthropic.claude-3-haiku*
      timeToFirstTokenMs: 5000
      tokensPerSecond: 10
""")
    client = s.client("stepfunctions", inject_host_prefix=False)
    definition = json.dumps({"StartAt": "Invoke", "States": {
        "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel", "TimeoutSeconds": 2,
                   "Parameters": {"ModelId": "anthropic.claude-3-haiku-20240307-v1:0",
                                  "Body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50, "messages": [{"role": "user", "content": "hi"}]}},
                   "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TimedOut"}], "End": True},
        "TimedOut": {"Type": "Pass", "Result": "caught", "End": True}}})
    arn = client.create_state_machine(name="task-timeout", definition=definition, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    out = client.start_sync_execution(stateMachineArn=arn)
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == "caught"


def wait_done(client, arn):
    for _ in range(200):
        described = client.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING":
            return described
        time.sleep(0.02)
    return described


def test_versions_and_aliases(sfn):
    v1_def = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v1", "End": True}}})
    v2_def = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v2", "End": True}}})
    created = sfn.create_state_machine(name="versioned", definition=v1_def, roleArn=ROLE, publish=True, versionDescription="first")
    arn, v1 = created["stateMachineArn"], created["stateMachineVersionArn"]
    assert v1 == arn + ":1"
    revision = sfn.update_state_machine(stateMachineArn=arn, definition=v2_def)["revisionId"]
    v2 = sfn.publish_state_machine_version(stateMachineArn=arn, revisionId=revision)["stateMachineVersionArn"]
    assert v2 == arn + ":2"
    assert [v["stateMachineVersionArn"] for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]] == [v2, v1]
    assert json.loads(sfn.describe_state_machine(stateMachineArn=v1)["definition"]) == json.loads(v1_def)
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}])["stateMachineAliasArn"]
    assert alias == arn + ":live"
    ex = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    done = wait_done(sfn, ex)
    assert json.loads(done["output"]) == "v1" and done["stateMachineAliasArn"] == alias and done["stateMachineVersionArn"] == v1
    sfn.update_state_machine_alias(stateMachineAliasArn=alias, routingConfiguration=[{"stateMachineVersionArn": v2, "weight": 100}])
    assert json.loads(wait_done(sfn, sfn.start_execution(stateMachineArn=alias)["executionArn"])["output"]) == "v2"
    assert json.loads(wait_done(sfn, sfn.start_execution(stateMachineArn=v1)["executionArn"])["output"]) == "v1"
    assert sfn.describe_state_machine_alias(stateMachineAliasArn=alias)["routingConfiguration"] == [{"stateMachineVersionArn": v2, "weight": 100}]
    assert [a["stateMachineAliasArn"] for a in sfn.list_state_machine_aliases(stateMachineArn=arn)["stateMachineAliases"]] == [alias]
    with pytest.raises(ClientError) as e:
        sfn.delete_state_machine_version(stateMachineVersionArn=v2)
    assert e.value.response["Error"]["Code"] == "ConflictException"
    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    sfn.delete_state_machine_version(stateMachineVersionArn=v2)
    assert [v["stateMachineVersionArn"] for v in sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"]] == [v1]


def test_redrive_resumes_from_the_failed_state(make_server):
    import urllib.request

    s = make_server("--time-scale", "0")
    rule = {"name": "fail-once", "match": {"prompt": "redrive me"},
            "responses": [{"error": {"code": "ServiceUnavailableException"}}, {"text": "Recovered."}]}
    urllib.request.urlopen(urllib.request.Request(s.url + "/_understudy/completions", data=json.dumps(rule).encode(), method="POST", headers={"Content-Type": "application/json"}))
    client = s.client("stepfunctions")
    definition = json.dumps({"StartAt": "Prepare", "States": {
        "Prepare": {"Type": "Pass", "Result": {"prompt": "redrive me"}, "Next": "Invoke"},
        "Invoke": {"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
                   "Parameters": {"ModelId": "anthropic.claude-3-haiku-20240307-v1:0",
                                  "Body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                                           "messages": [{"role": "user", "content.$": "$.prompt"}]}},
                   "ResultSelector": {"text.$": "$.Body.content[0].text", "redrives.$": "$$.Execution.RedriveCount"},
                   "End": True}}})
    arn = client.create_state_machine(name="redrivable", definition=definition, roleArn=ROLE)["stateMachineArn"]
    ex = client.start_execution(stateMachineArn=arn)["executionArn"]
    failed = wait_done(client, ex)
    assert failed["status"] == "FAILED" and failed["error"] == "Bedrock.ServiceUnavailableException"
    assert failed["redriveStatus"] == "REDRIVABLE"
    assert client.redrive_execution(executionArn=ex)["redriveDate"]
    done = wait_done(client, ex)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"text": "Recovered.", "redrives": 1}
    assert done["redriveCount"] == 1
    types = [e["type"] for e in client.get_execution_history(executionArn=ex)["events"]]
    assert types.count("ExecutionRedriven") == 1 and types.count("PassStateEntered") == 1, types
    with pytest.raises(ClientError) as e:
        client.redrive_execution(executionArn=ex)
    assert e.value.response["Error"]["Code"] == "ExecutionNotRedrivable"


def test_test_state(sfn):
    task = json.dumps({"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
                       "Parameters": {"ModelId": "anthropic.claude-3-haiku-20240307-v1:0", "Body": {"x.$": "$.x"}},
                       "ResultSelector": {"answer.$": "$.Body.answer"}, "ResultPath": "$.result", "Next": "After",
                       "Retry": [{"ErrorEquals": ["Bedrock.ThrottlingException"], "MaxAttempts": 2}],
                       "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Handle"}]})
    # NONE: the API's model makes Body a blob (text) and wants ContentType; a run sees Body as JSON.
    ok = sfn.test_state(definition=task, roleArn=ROLE, input='{"x":1}', inspectionLevel="DEBUG",
                        mock={"result": json.dumps({"Body": {"answer": 42}}), "fieldValidationMode": "NONE"})
    assert ok["status"] == "SUCCEEDED" and ok["nextState"] == "After"
    assert json.loads(ok["output"]) == {"x": 1, "result": {"answer": 42}}
    assert json.loads(ok["inspectionData"]["afterParameters"]) == {"ModelId": "anthropic.claude-3-haiku-20240307-v1:0", "Body": {"x": 1}}
    throttled = sfn.test_state(definition=task, input='{"x":1}', mock={"errorOutput": {"error": "Bedrock.ThrottlingException", "cause": "slow down"}})
    assert throttled["status"] == "RETRIABLE" and throttled["error"] == "Bedrock.ThrottlingException"
    caught = sfn.test_state(definition=task, input='{"x":1}', mock={"errorOutput": {"error": "Bedrock.ThrottlingException", "cause": "slow down"}},
                            stateConfiguration={"retrierRetryCount": 2})
    assert caught["status"] == "CAUGHT_ERROR" and caught["nextState"] == "Handle"
    assert json.loads(caught["output"]) == {"Error": "Bedrock.ThrottlingException", "Cause": "slow down"}
    choice = json.dumps({"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 1, "Next": "Big"}], "Default": "Small"})
    assert sfn.test_state(definition=choice, input='{"n": 5}')["nextState"] == "Big"
    failed = sfn.test_state(definition=json.dumps({"Type": "Pass", "Parameters": {"v.$": "$.missing"}, "End": True}), input="{}")
    assert failed["status"] == "FAILED" and failed["error"] == "States.Runtime"


def test_admin_clock_sets_the_time_scale(make_server):
    import urllib.request

    s = make_server()
    assert s.admin("clock")["timeScale"] == 1
    req = urllib.request.Request(s.url + "/_understudy/clock", data=json.dumps({"timeScale": 0}).encode(), method="POST", headers={"Content-Type": "application/json"})
    assert json.loads(urllib.request.urlopen(req).read())["timeScale"] == 0
    client = s.client("stepfunctions", inject_host_prefix=False)
    arn = client.create_state_machine(name="long-wait", definition=json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 290, "End": True}}}),
                                      roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    t0 = time.monotonic()
    assert client.start_sync_execution(stateMachineArn=arn)["status"] == "SUCCEEDED"
    assert time.monotonic() - t0 < 2
