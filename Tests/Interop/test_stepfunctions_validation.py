"""Definition diagnostics through boto3, the AWS CLI and `understudy validate`: every problem in
AWS's order and words, the EXPRESS type's limits, maxResults/truncated, and CreateStateMachine's
InvalidDefinition message that joins them."""
import json
import subprocess

import pytest
from botocore.exceptions import ClientError

from test_stepfunctions_seeds import ROLE, aws

WAIT_FOR_TOKEN = json.dumps({"StartAt": "SendMessageWithWait", "States": {"SendMessageWithWait": {
    "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/000000000000/q", "MessageBody": {"token.$": "$$.Task.Token"}},
    "End": True}}})
# AWS's answer for this one is quoted in localstack/localstack#12487.
DANGLING = json.dumps({"StartAt": "pass1", "States": {"pass1": {"Type": "Pass", "Next": "pass3"}, "pass2": {"Type": "Pass", "End": True}}})
MANY = json.dumps({"StartAt": "A", "States": {
    "A": {"Type": "Pass", "TimeoutSeconds": 3, "Next": "B"},
    "B": {"Type": "Task", "Retry": [{"ErrorEquals": ["States.ALL", "X"]}], "Next": "C"},
    "C": {"Type": "Wait", "Seconds": -1, "Next": "Gone"}}})


@pytest.fixture
def sfn(server):
    return server.client("stepfunctions", inject_host_prefix=False)


def diagnostics(result):
    return [(d["code"], d["message"], d.get("location")) for d in result["diagnostics"]]


def test_not_a_definition(sfn):
    result = sfn.validate_state_machine_definition(definition="not a definition")
    source = '[Source: (String)"not a definition"; line: 1, column: 4]'
    assert result["result"] == "FAIL" and result["truncated"] is False
    assert diagnostics(result) == [("INVALID_JSON_DESCRIPTION", "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or "
                                    "token 'null', 'true' or 'false')\n at " + source, source)]
    assert diagnostics(sfn.validate_state_machine_definition(definition="{}")) == [
        ("SCHEMA_VALIDATION_FAILED", "These fields are required: [States, StartAt]", "/")]
    no_start = json.dumps({"States": {"P": {"Type": "Pass", "End": True}}})
    assert diagnostics(sfn.validate_state_machine_definition(definition=no_start, type="EXPRESS")) == [
        ("SCHEMA_VALIDATION_FAILED", "These fields are required: [StartAt]", "/")]


def test_every_problem_is_listed_in_order_and_max_results_truncates(sfn):
    expected = [
        ("SCHEMA_VALIDATION_FAILED", "Field 'TimeoutSeconds' is not supported", "/States/A"),
        ("SCHEMA_VALIDATION_FAILED", "These fields are required: [Resource]", "/States/B"),
        ("SCHEMA_VALIDATION_FAILED", "States.ALL must appear alone and at end of list", "/States/B/Retry[0]/ErrorEquals"),
        ("SCHEMA_VALIDATION_FAILED", "Minimum value is 0", "/States/C/Seconds"),
        ("MISSING_TRANSITION_TARGET", "Missing 'Next' target: Gone", "/States/C/Next"),
        ("MISSING_END_STATE", "Workflow has no terminal state", None),
    ]
    result = sfn.validate_state_machine_definition(definition=MANY)
    assert result["result"] == "FAIL" and result["truncated"] is False
    assert diagnostics(result) == expected
    assert "location" not in result["diagnostics"][-1], "a whole-workflow problem has no location"
    first_two = sfn.validate_state_machine_definition(definition=MANY, maxResults=2)
    assert diagnostics(first_two) == expected[:2] and first_two["truncated"] is True


def test_create_state_machine_joins_the_diagnostics(sfn):
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="dangling", definition=DANGLING, roleArn=ROLE)
    assert e.value.response["Error"]["Code"] == "InvalidDefinition"
    assert e.value.response["Error"]["Message"] == (
        "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, "
        "MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'")
    loop = json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}})
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="loop", definition=loop, roleArn=ROLE)
    assert e.value.response["Error"]["Message"] == "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'"


def test_express_machines_refuse_wait_for_task_token(sfn):
    assert sfn.validate_state_machine_definition(definition=WAIT_FOR_TOKEN, type="STANDARD")["result"] == "OK"
    result = sfn.validate_state_machine_definition(definition=WAIT_FOR_TOKEN, type="EXPRESS")
    assert diagnostics(result) == [("SCHEMA_VALIDATION_FAILED", "Express state machine does not support '.waitForTaskToken' service integration ",
                                    "/States/SendMessageWithWait/Resource")]
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name="express-wftt", definition=WAIT_FOR_TOKEN, roleArn=ROLE, type="EXPRESS")
    assert e.value.response["Error"]["Code"] == "InvalidDefinition"
    standard = sfn.create_state_machine(name="standard-wftt", definition=WAIT_FOR_TOKEN, roleArn=ROLE)["stateMachineArn"]
    plain = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    express = sfn.create_state_machine(name="express-plain", definition=plain, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    with pytest.raises(ClientError) as e:
        sfn.update_state_machine(stateMachineArn=express, definition=WAIT_FOR_TOKEN)
    assert e.value.response["Error"]["Code"] == "InvalidDefinition"
    sfn.update_state_machine(stateMachineArn=standard, definition=plain)


def test_the_cli_and_understudy_validate_list_every_problem(server, tmp_path):
    from harness import BINARY

    result = aws(server, "stepfunctions", "validate-state-machine-definition", "--definition", MANY, "--max-results", "3")
    assert [d["code"] for d in result["diagnostics"]] == ["SCHEMA_VALIDATION_FAILED"] * 3 and result["truncated"] is True
    path = tmp_path / "many.json"
    path.write_text(MANY)
    checked = subprocess.run([str(BINARY), "validate", str(path)], capture_output=True, text=True)
    assert checked.returncode == 1
    assert [d["code"] for d in json.loads(checked.stdout)["diagnostics"]] == ["SCHEMA_VALIDATION_FAILED"] * 4 + [
        "MISSING_TRANSITION_TARGET", "MISSING_END_STATE"]


def test_test_state_checks_the_state_it_runs(sfn):
    with pytest.raises(ClientError) as e:
        sfn.test_state(definition=json.dumps({"Type": "Pass", "Catch": [], "Next": "Elsewhere"}), roleArn=ROLE, input="{}")
    assert e.value.response["Error"]["Code"] == "InvalidDefinition"
    assert e.value.response["Error"]["Message"] == "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Field 'Catch' is not supported at /'"
    ran = sfn.test_state(definition=json.dumps({"Type": "Pass", "Result": {"ok": True}, "Next": "Elsewhere"}), roleArn=ROLE, input="{}")
    assert ran["status"] == "SUCCEEDED" and json.loads(ran["output"]) == {"ok": True} and ran["nextState"] == "Elsewhere"
