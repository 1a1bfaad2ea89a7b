"""Mocked results held against their API's output shape (`fieldValidationMode`), through boto3:
TestState's `mock` (STRICT by default, a mismatch a ValidationException in AWS's words, the
cases LocalStack recorded against AWS in test_field_validation_mode*.snapshot.json), and the
mock configuration file's `fieldValidationMode` (NONE by default; per file or per test case,
a mismatch failing the execution with States.Runtime)."""
import json

import pytest

from harness import Server, finished

ROLE = "arn:aws:iam::123456789012:role/r"
PREFIX = "Mock result schema validation error: "

PUT_EVENTS = {"Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
              "Parameters": {"Entries": [{"Source": "s", "DetailType": "d", "Detail": {}}]}, "End": True}
START_EXECUTION = {"Type": "Task", "Resource": "arn:aws:states:::states:startExecution",
                   "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:Target"},
                   "ResultPath": "$.targetExecutionResult", "End": True}
LAMBDA = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
          "Parameters": {"FunctionName": "f", "Payload.$": "$"}, "End": True}
DYNAMODB = {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
            "Parameters": {"TableName": "t", "Item": {"id": {"S": "1"}}}, "End": True}
GET_OBJECT = {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
              "Parameters": {"Bucket": "b", "Key": "k"}, "End": True}


@pytest.fixture
def sfn(server):
    return server.client("stepfunctions", inject_host_prefix=False)


def answer(sfn, state, result, mode=None, **extra):
    mock = {"result": json.dumps(result)}
    if mode is not None:
        mock["fieldValidationMode"] = mode
    return sfn.test_state(definition=json.dumps(state), roleArn=ROLE, input="{}", mock=mock, **extra)


def refused(sfn, state, result, mode=None):
    with pytest.raises(sfn.exceptions.ValidationException) as caught:
        answer(sfn, state, result, mode)
    response = caught.value.response
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    return response["Error"]["Message"]


@pytest.mark.parametrize("mode", [None, "STRICT", "PRESENT"])
def test_fields_the_model_does_not_have_pass(sfn, mode):
    for result in ({"random": "json"}, {}):
        answered = answer(sfn, PUT_EVENTS, result, mode)
        assert answered["status"] == "SUCCEEDED" and json.loads(answered["output"]) == result


@pytest.mark.parametrize("mode", [None, "STRICT", "PRESENT"])
def test_wrong_types_are_refused_in_aws_words(sfn, mode):
    assert refused(sfn, PUT_EVENTS, {"Entries": "a string"}, mode) == PREFIX + "Field 'Entries' must be an array"
    assert refused(sfn, PUT_EVENTS, {"Entries": [{"EventId": ["a list"]}]}, mode) == PREFIX + "Field 'EventId' must be a string"
    assert refused(sfn, PUT_EVENTS, {"Entries": [{"EventId": "ok"}, {"EventId": ["second"]}]}, mode) == PREFIX + "Field 'EventId' must be a string"
    assert refused(sfn, START_EXECUTION, {"ExecutionArn": "arn", "StartDate": True}, mode) == PREFIX + "Field 'StartDate' must be a string"
    assert refused(sfn, LAMBDA, {"StatusCode": "200"}, mode) == PREFIX + "Field 'StatusCode' must be a number"
    assert refused(sfn, DYNAMODB, {"ConsumedCapacity": {"CapacityUnits": "123.45"}}, mode) == PREFIX + "Field 'CapacityUnits' must be a number"
    assert refused(sfn, GET_OBJECT, {"ContentLength": "9000"}, mode) == PREFIX + "Field 'ContentLength' must be a number"
    assert refused(sfn, GET_OBJECT, {"StorageClass": "Papyrus"}, mode) == PREFIX + "Field 'StorageClass' is not an expected value"


def test_strict_wants_required_fields_and_present_does_not(sfn):
    assert refused(sfn, START_EXECUTION, {}) == PREFIX + "Required field 'ExecutionArn' is missing"
    lower = {"executionArn": "arn", "startDate": "2025-01-01T00:00:00Z"}
    assert refused(sfn, START_EXECUTION, lower, "STRICT") == PREFIX + "Required field 'ExecutionArn' is missing"
    for result in ({}, lower):
        answered = answer(sfn, START_EXECUTION, result, "PRESENT")
        assert answered["status"] == "SUCCEEDED"
        assert json.loads(answered["output"]) == {"targetExecutionResult": result}
    fine = {"ExecutionArn": "arn:aws:states:us-east-1:000000000000:execution:Target:x", "StartDate": "2025-01-01T00:00:00Z"}
    assert answer(sfn, START_EXECUTION, fine)["status"] == "SUCCEEDED"


def test_none_checks_nothing_and_a_bad_mode_is_refused(sfn):
    assert answer(sfn, START_EXECUTION, {"StartDate": True}, "NONE")["status"] == "SUCCEEDED"
    lambda_result = {"StatusCode": 200, "Payload": {"answer": 42}}
    # AWS holds lambda:invoke's Payload to the API's blob (text); NONE mocks it as a run sees it.
    assert refused(sfn, LAMBDA, lambda_result) == PREFIX + "Field 'Payload' must be a string"
    assert json.loads(answer(sfn, LAMBDA, lambda_result, "NONE")["output"]) == lambda_result
    assert answer(sfn, LAMBDA, {"StatusCode": 200, "Payload": '{"answer": 42}'})["status"] == "SUCCEEDED"
    message = refused(sfn, LAMBDA, lambda_result, "LOOSE")
    assert message == ("1 validation error detected: Value 'LOOSE' at 'mock.fieldValidationMode' failed to satisfy constraint: "
                       "Member must satisfy enum value set: [STRICT, PRESENT, NONE]")


def test_errors_and_unmodelled_resources_are_not_checked(sfn):
    caught = sfn.test_state(definition=json.dumps(START_EXECUTION), roleArn=ROLE, input="{}",
                            mock={"errorOutput": {"error": "States.TaskFailed", "cause": "x"}, "fieldValidationMode": "STRICT"})
    assert caught["status"] == "FAILED" and caught["error"] == "States.TaskFailed"
    bare = {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:000000000000:function:f", "End": True}
    assert answer(sfn, bare, {"anything": [1, 2]})["status"] == "SUCCEEDED"


MOCKS = {
    "StateMachines": {"Events": {"TestCases": {
        "Good": {"Put": "GoodEvents"},
        "Bad": {"Put": "BadEvents"},
        "Unchecked": {"Put": "BadEvents", "fieldValidationMode": "NONE"},
    }}},
    "MockedResponses": {
        "GoodEvents": {"0": {"Return": {"Entries": [{"EventId": "e-1"}], "FailedEntryCount": 0}}},
        "BadEvents": {"0": {"Return": {"Entries": [{"EventId": 7}], "FailedEntryCount": 0}}},
    },
}
MACHINE = {"StartAt": "Put", "States": {"Put": {
    "Type": "Task", "Resource": "arn:aws:states:::events:putEvents",
    "Parameters": {"Entries": [{"Source": "s", "DetailType": "d", "Detail": {}}]},
    "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Fallback"}], "End": True},
    "Fallback": {"Type": "Pass", "End": True}}}


def run(client, machine, case):
    return finished(client, client.start_execution(stateMachineArn=f"{machine}#{case}", input="{}")["executionArn"])


def mock_server(tmp_path, request, config):
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps(config))
    server = Server("--time-scale", "0", tmp_path=tmp_path, env={"SFN_MOCK_CONFIG": str(path)})
    request.addfinalizer(server.stop)
    client = server.client("stepfunctions")
    machine = client.create_state_machine(name="Events", definition=json.dumps(MACHINE), roleArn=ROLE)["stateMachineArn"]
    return client, machine


def test_a_mock_file_checks_nothing_without_a_mode(tmp_path, request):
    client, machine = mock_server(tmp_path, request, MOCKS)
    bad = run(client, machine, "Bad")
    assert bad["status"] == "SUCCEEDED", bad
    assert json.loads(bad["output"]) == {"Entries": [{"EventId": 7}], "FailedEntryCount": 0}


def test_a_mock_file_with_a_mode_fails_a_mismatch_past_any_catch(tmp_path, request):
    client, machine = mock_server(tmp_path, request, dict(MOCKS, fieldValidationMode="STRICT"))
    assert run(client, machine, "Good")["status"] == "SUCCEEDED"
    bad = run(client, machine, "Bad")
    assert bad["status"] == "FAILED", bad
    assert bad["error"] == "States.Runtime"
    assert (PREFIX + "Field 'EventId' must be a string (the mocked response 'BadEvents' of test case 'Bad', "
            "invocation 0 of the state 'Put', fieldValidationMode STRICT)") in bad["cause"], bad["cause"]
    events = client.get_execution_history(executionArn=bad["executionArn"])["events"]
    assert not any(e["type"] == "TaskScheduled" for e in events), "the mismatched Task is never scheduled"
    assert not any(e["type"] == "PassStateEntered" for e in events), "States.Runtime is not caught by States.ALL"
    # The test case's own value wins over the file's.
    assert run(client, machine, "Unchecked")["status"] == "SUCCEEDED"


def test_a_bad_mode_in_the_file_is_refused_naming_where(tmp_path):
    path = tmp_path / "MockConfigFile.json"
    config = json.loads(json.dumps(MOCKS))
    config["StateMachines"]["Events"]["TestCases"]["Bad"]["fieldValidationMode"] = "SOMETIMES"
    path.write_text(json.dumps(config))
    with pytest.raises(RuntimeError) as caught:
        Server(env={"SFN_MOCK_CONFIG": str(path)})
    assert "StateMachines.Events.TestCases.Bad.fieldValidationMode: must be STRICT, PRESENT or NONE" in str(caught.value)
