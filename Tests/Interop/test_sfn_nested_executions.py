"""A parent state machine runs a child through `arn:aws:states:::states:startExecution`:
request-response, `.sync`, `.sync:2` and `.waitForTaskToken`, a failing child included, with
the shapes AWS records (connect-stepfunctions; localstack's AWS-validated snapshots)."""
import json
import time

import pytest

from harness import Server, finished, history

ROLE = "arn:aws:iam::123456789012:role/nested"
CHILD = {"StartAt": "Greet", "States": {"Greet": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $.who)"}, "End": True}}}
FAILING_CHILD = {"StartAt": "Boom", "States": {"Boom": {"Type": "Fail", "Error": "SomeFailure", "Cause": "the child failed"}}}
WAITING_CHILD = {"StartAt": "Hold", "States": {"Hold": {"Type": "Wait", "Seconds": 3600, "End": True}}}


@pytest.fixture(scope="module")
def server(request):
    s = Server("--time-scale", "0")
    request.addfinalizer(s.stop)
    return s


@pytest.fixture
def client(server):
    return server.client("stepfunctions")


def machine(client, name, definition):
    return client.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]


def parent(client, name, resource, child_arn, extra=None):
    task = {"Type": "Task", "Resource": resource, "End": True,
            "Parameters": {"StateMachineArn": child_arn, "Name": f"{name}-child", "Input": {"who": "ada", **(extra or {})}}}
    return machine(client, name, {"StartAt": "Run", "States": {"Run": task}})


def test_request_response_starts_the_child(client):
    child = machine(client, "rr-child", CHILD)
    arn = client.start_execution(stateMachineArn=parent(client, "rr", "arn:aws:states:::states:startExecution", child), input="{}")["executionArn"]
    out = finished(client, arn)
    assert out["status"] == "SUCCEEDED", out
    result = json.loads(out["output"])
    assert list(result) == ["ExecutionArn", "SdkHttpMetadata", "SdkResponseMetadata", "StartDate"]
    assert result["ExecutionArn"] == child.replace(":stateMachine:", ":execution:") + ":rr-child"
    assert result["SdkHttpMetadata"]["HttpStatusCode"] == 200
    assert isinstance(result["StartDate"], int)
    assert finished(client, result["ExecutionArn"])["status"] == "SUCCEEDED"
    types = [e["type"] for e in history(client, arn)]
    assert "TaskSubmitted" not in types
    scheduled = next(e for e in history(client, arn) if e["type"] == "TaskScheduled")["taskScheduledEventDetails"]
    assert (scheduled["resourceType"], scheduled["resource"]) == ("states", "startExecution")


def test_sync_answers_the_childs_description(client):
    child = machine(client, "sync-child", CHILD)
    arn = client.start_execution(stateMachineArn=parent(client, "sync", "arn:aws:states:::states:startExecution.sync", child), input="{}")["executionArn"]
    out = finished(client, arn)
    assert out["status"] == "SUCCEEDED", out
    result = json.loads(out["output"])
    assert list(result) == ["ExecutionArn", "Input", "InputDetails", "Name", "Output", "OutputDetails", "StartDate", "StateMachineArn", "Status", "StopDate"]
    assert result["Output"] == '{"greeting":"hi ada"}' and result["Input"] == '{"who":"ada"}'
    assert result["Status"] == "SUCCEEDED" and result["Name"] == "sync-child" and result["StateMachineArn"] == child
    types = [e["type"] for e in history(client, arn)]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    submitted = json.loads(history(client, arn)[4]["taskSubmittedEventDetails"]["output"])
    assert submitted["ExecutionArn"] == result["ExecutionArn"]


def test_sync2_answers_json(client):
    child = machine(client, "sync2-child", CHILD)
    out = finished(client, client.start_execution(
        stateMachineArn=parent(client, "sync2", "arn:aws:states:::states:startExecution.sync:2", child), input="{}")["executionArn"])
    result = json.loads(out["output"])
    assert result["Output"] == {"greeting": "hi ada"} and result["Input"] == {"who": "ada"}
    resource = next(e for e in history(client, out["executionArn"]) if e["type"] == "TaskSucceeded")["taskSucceededEventDetails"]["resource"]
    assert resource == "startExecution.sync:2"


def test_a_failing_child_fails_the_task(client):
    child = machine(client, "failing-child", FAILING_CHILD)
    out = finished(client, client.start_execution(
        stateMachineArn=parent(client, "failing", "arn:aws:states:::states:startExecution.sync", child), input="{}")["executionArn"])
    assert out["status"] == "FAILED" and out["error"] == "States.TaskFailed", out
    cause = json.loads(out["cause"])
    assert list(cause)[:3] == ["Cause", "Error", "ExecutionArn"]
    assert (cause["Error"], cause["Cause"], cause["Status"]) == ("SomeFailure", "the child failed", "FAILED")
    assert "Output" not in cause


def test_a_missing_child_machine_is_the_services_error(client):
    missing = "arn:aws:states:us-east-1:000000000000:stateMachine:nobody"
    out = finished(client, client.start_execution(
        stateMachineArn=parent(client, "missing", "arn:aws:states:::states:startExecution.sync", missing), input="{}")["executionArn"])
    assert out["error"] == "StepFunctions.StateMachineDoesNotExistException", out
    assert out["cause"].startswith(f"State Machine Does Not Exist: '{missing}' (Service: AWSStepFunctions; Status Code: 400; Error Code: StateMachineDoesNotExist;")


def test_wait_for_task_token_waits_for_the_child_to_send_it(client):
    child = machine(client, "token-child", WAITING_CHILD)
    definition = {"StartAt": "Run", "States": {"Run": {
        "Type": "Task", "Resource": "arn:aws:states:::states:startExecution.waitForTaskToken", "End": True,
        "Parameters": {"StateMachineArn": child, "Name": "token-child-run",
                       "Input": {"token.$": "$$.Task.Token", "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id"}}}}}
    arn = client.start_execution(stateMachineArn=machine(client, "token", definition), input="{}")["executionArn"]
    child_arn = child.replace(":stateMachine:", ":execution:") + ":token-child-run"
    deadline = time.monotonic() + 5
    while True:
        try:
            child_input = json.loads(client.describe_execution(executionArn=child_arn)["input"])
            break
        except client.exceptions.ExecutionDoesNotExist:
            assert time.monotonic() < deadline
            time.sleep(0.02)
    assert child_input["AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID"] == arn
    assert client.describe_execution(executionArn=arn)["status"] == "RUNNING"
    client.send_task_success(taskToken=child_input["token"], output='{"done": true}')
    out = finished(client, arn)
    assert out["status"] == "SUCCEEDED" and json.loads(out["output"]) == {"done": True}, out
    client.stop_execution(executionArn=child_arn)
