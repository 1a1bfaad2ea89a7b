"""JSONata state machines and workflow variables through boto3 and the AWS CLI: seed 003
rewritten in JSONata, the Bedrock task with Arguments/Output, Assign across states and its
scoping in Map iterations, the history AWS records for them, and the definition-time checks."""
import json

import pytest

from test_stepfunctions_seeds import RFP_QUESTIONS, ROLE, aws, instant, sfn  # noqa: F401 (instant is a fixture)

HAIKU = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"

SEED_003_JSONATA = {
    "Comment": "Seed 003 in JSONata: one Bedrock call per question, results in input order",
    "QueryLanguage": "JSONata",
    "StartAt": "Answer RFP questions",
    "States": {
        "Answer RFP questions": {
            "Type": "Map",
            "Items": "{% $states.input.questions %}",
            "ItemSelector": {"question": "{% $states.context.Map.Item.Value %}", "description": "{% $states.input.description %}"},
            "ItemProcessor": {
                "ProcessorConfig": {"Mode": "INLINE"},
                "StartAt": "Bedrock InvokeModel",
                "States": {
                    "Bedrock InvokeModel": {
                        "Type": "Task",
                        "Resource": "arn:aws:states:::bedrock:invokeModel",
                        "Arguments": {
                            "ModelId": HAIKU,
                            "Body": {
                                "anthropic_version": "bedrock-2023-05-31",
                                "max_tokens": 800,
                                "messages": [{"role": "user", "content": [{"type": "text", "text": (
                                    "{% 'Answer following question thoroughly, using the following description. Do not repeat the "
                                    "question. Only respond with the answer to the question. Question: ' & $states.input.question & "
                                    "' Description: ' & $states.input.description %}")}]}],
                            },
                        },
                        "Output": {"question": "{% $states.input.question %}",
                                   "response": {"completion": "{% $states.result.Body.content[0].text %}"}},
                        "End": True,
                    }
                },
            },
            "End": True,
        }
    },
}


def run_sync(client, name, definition, payload):
    arn = client.create_state_machine(name=name, roleArn=ROLE, type="EXPRESS", definition=json.dumps(definition))["stateMachineArn"]
    return client.start_sync_execution(stateMachineArn=arn, input=json.dumps(payload))


def run_standard(client, name, definition, payload):
    arn = client.create_state_machine(name=name, roleArn=ROLE, definition=json.dumps(definition))["stateMachineArn"]
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    for _ in range(200):
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING":
            return execution, described
    raise AssertionError("execution did not finish")


def test_seed_003_in_jsonata_gives_the_same_nine_answers_as_jsonpath(server):
    client = sfn(server)
    payload = {"questions": RFP_QUESTIONS, "description": "Our company, AnyCompany Tech, has a robust infrastructure and security."}
    out = run_sync(client, "RfpJsonata", SEED_003_JSONATA, payload)
    assert out["status"] == "SUCCEEDED", out
    jsonata_results = json.loads(out["output"])
    jsonpath_definition = (__import__("test_stepfunctions_seeds").definition("d_rfp_map_haiku.asl.json"))
    arn = client.create_state_machine(name="RfpJsonpathTwin", roleArn=ROLE, type="EXPRESS", definition=jsonpath_definition)["stateMachineArn"]
    jsonpath_results = json.loads(client.start_sync_execution(stateMachineArn=arn, input=json.dumps(payload))["output"])
    assert [r["question"] for r in jsonata_results] == RFP_QUESTIONS
    assert jsonata_results == jsonpath_results


def test_variables_flow_between_states_and_stay_inside_map_iterations(server):
    client = sfn(server)
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Remember",
        "States": {
            "Remember": {"Type": "Pass", "Assign": {"greeting": "{% 'Hello ' & $states.input.name %}", "count": 0}, "Next": "Each"},
            "Each": {
                "Type": "Map",
                "Items": "{% [1, 2, 3] %}",
                "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Inner", "States": {
                    "Inner": {"Type": "Pass", "Assign": {"count": "{% $states.input * 10 %}"},
                              "Output": "{% $greeting & ' #' & $states.input & ' count ' & $count %}", "End": True}}},
                "Assign": {"lines": "{% $states.result %}"},
                "Next": "Report",
            },
            "Report": {"Type": "Pass", "Output": {"lines": "{% $lines %}", "count": "{% $count %}", "greeting": "{% $greeting %}"}, "End": True},
        },
    }
    execution, described = run_standard(client, "JsonataVariables", definition, {"name": "Ada"})
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == {
        "lines": ["Hello Ada #1 count 0", "Hello Ada #2 count 0", "Hello Ada #3 count 0"], "count": 0, "greeting": "Hello Ada"}
    events = client.get_execution_history(executionArn=execution)["events"]
    exited = [e["stateExitedEventDetails"] for e in events if e["type"] == "PassStateExited" and e["stateExitedEventDetails"]["name"] == "Remember"]
    assert exited[0]["assignedVariables"] == {"greeting": '"Hello Ada"', "count": "0"}
    assert exited[0]["assignedVariablesDetails"] == {"truncated": False}
    # Each state that reads variables, with its names in first-mention order; `count` is a
    # built-in function name but the machine assigns it, so it is a variable here.
    references = {"Inner": ["greeting", "count"], "Report": ["lines", "count", "greeting"]}
    machine = client.describe_execution(executionArn=execution)["stateMachineArn"]
    assert client.describe_state_machine(stateMachineArn=machine)["variableReferences"] == references
    assert client.describe_state_machine_for_execution(executionArn=execution)["variableReferences"] == references
    assert client.describe_state_machine(stateMachineArn=machine, includedData="METADATA_ONLY")["definition"] == "{}"
    assert json.loads(client.describe_state_machine(stateMachineArn=machine, includedData="ALL_DATA")["definition"]) == definition


def test_jsonpath_states_assign_and_read_variables(server):
    client = sfn(server)
    definition = {
        "StartAt": "Compute",
        "States": {
            "Compute": {"Type": "Pass", "Result": {"answer": 42}, "Assign": {"theAnswer.$": "$.answer", "label": "fixed"}, "Next": "Use"},
            "Use": {"Type": "Pass", "Parameters": {"value.$": "$theAnswer", "text.$": "States.Format('{} is {}', $label, $theAnswer)"}, "End": True},
        },
    }
    execution, described = run_standard(client, "JsonpathVariables", definition, {})
    assert json.loads(described["output"]) == {"value": 42, "text": "fixed is 42"}
    machine = client.describe_state_machine_for_execution(executionArn=execution)
    assert machine["variableReferences"] == {"Use": ["theAnswer", "label"]}
    plain = client.create_state_machine(name="NoVariables", roleArn=ROLE, definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"a.$": "$.x", "b.$": "$$.Execution.Id"}, "End": True}}}))
    assert "variableReferences" not in client.describe_state_machine(stateMachineArn=plain["stateMachineArn"])


def test_parent_operator_reaches_the_enclosing_item(server):
    client = sfn(server)
    definition = {"QueryLanguage": "JSONata", "StartAt": "Flatten", "States": {"Flatten": {
        "Type": "Pass", "Output": "{% $states.input.orders.lines.{'sku': sku, 'order': %.id} %}", "End": True}}}
    payload = {"orders": [{"id": "o1", "lines": [{"sku": "a"}, {"sku": "b"}]}, {"id": "o2", "lines": [{"sku": "c"}]}]}
    out = run_sync(client, "ParentOperator", definition, payload)
    assert json.loads(out["output"]) == [{"sku": "a", "order": "o1"}, {"sku": "b", "order": "o1"}, {"sku": "c", "order": "o2"}]
    with pytest.raises(client.exceptions.InvalidDefinition) as refused:
        client.create_state_machine(name="NoParent", roleArn=ROLE, definition=json.dumps(
            {"QueryLanguage": "JSONata", "StartAt": "P", "States": {"P": {"Type": "Pass", "Output": "{% % %}", "End": True}}}))
    assert "INVALID_JSONATA_EXPRESSION" in str(refused.value) and "S0217" in str(refused.value)


def test_bedrock_task_in_jsonata_with_retry_and_catch(instant):
    client = sfn(instant)
    definition = {
        "QueryLanguage": "JSONata",
        "StartAt": "Ask",
        "States": {
            "Ask": {
                "Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
                "Arguments": {"ModelId": "{% $states.input.model %}", "Body": {
                    "anthropic_version": "bedrock-2023-05-31", "max_tokens": 200,
                    "messages": [{"role": "user", "content": "{% $states.input.prompt %}"}]}},
                "Output": {"text": "{% $states.result.Body.content[0].text %}", "stop": "{% $states.result.Body.stop_reason %}"},
                "Retry": [{"ErrorEquals": ["Bedrock.ThrottlingException"], "MaxAttempts": 2}],
                "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {"failed": "{% $states.errorOutput.Error %}"}, "Next": "Failed"}],
                "End": True,
            },
            "Failed": {"Type": "Pass", "End": True},
        },
    }
    arn = instant.client("stepfunctions", inject_host_prefix=False).create_state_machine(
        name="JsonataBedrock", roleArn=ROLE, type="EXPRESS", definition=json.dumps(definition))["stateMachineArn"]
    ok = client.start_sync_execution(stateMachineArn=arn, input=json.dumps({"model": HAIKU, "prompt": "Say hello"}))
    assert ok["status"] == "SUCCEEDED", ok
    result = json.loads(ok["output"])
    assert result["text"] and result["stop"] == "end_turn"
    bad = client.start_sync_execution(stateMachineArn=arn, input=json.dumps({"model": "no.such-model-v1", "prompt": "x"}))
    assert bad["status"] == "SUCCEEDED", bad
    assert json.loads(bad["output"])["failed"].startswith("Bedrock.")


def test_query_evaluation_errors_fail_with_aws_causes_and_can_be_caught(server):
    client = sfn(server)
    failing = {"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "Output": {"v": "{% $states.input.absent %}"}, "End": True}}}
    execution, described = run_standard(client, "JsonataUndefined", failing, {})
    assert described["status"] == "FAILED"
    assert described["error"] == "States.QueryEvaluationError"
    assert described["cause"] == ("An error occurred while executing the state 'S' (entered at the event id #2). "
                                  "The JSONata expression '$states.input.absent' specified for the field 'Output/v' returned nothing (undefined).")
    events = client.get_execution_history(executionArn=execution)["events"]
    evaluation = [e for e in events if e["type"] == "EvaluationFailed"][0]["evaluationFailedEventDetails"]
    assert evaluation["location"] == "Output/v" and evaluation["state"] == "S"

    typed = {"QueryLanguage": "JSONata", "StartAt": "S", "States": {"S": {"Type": "Pass", "Output": "{% 1 + 'a' %}", "End": True}}}
    _, described = run_standard(client, "JsonataTypeError", typed, {})
    assert described["cause"].endswith("The JSONata expression '1 + 'a'' specified for the field 'Output' threw an error during evaluation. "
                                       "T2002: The right side of the \"+\" operator must evaluate to a number")

    caught = {"QueryLanguage": "JSONata", "StartAt": "M", "States": {
        "M": {"Type": "Map", "Items": "{% 'not an array' %}",
              "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
              "Catch": [{"ErrorEquals": ["States.QueryEvaluationError"], "Assign": {"why": "{% $states.errorOutput.Cause %}"},
                         "Output": "{% $states.errorOutput.Error %}", "Next": "Done"}], "End": True},
        "Done": {"Type": "Pass", "Output": {"error": "{% $states.input %}", "why": "{% $why %}"}, "End": True}}}
    _, described = run_standard(client, "JsonataCaught", caught, {})
    output = json.loads(described["output"])
    assert output["error"] == "States.QueryEvaluationError"
    assert "Expected 'array', but was 'string' for value: \"not an array\"" in output["why"]


@pytest.mark.parametrize("definition,code,location", [
    ({"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass", "Output": {"v": "{% phone %}"}, "End": True}}},
     "UNSUPPORTED_JSONATA_EXPRESSION", "/States/E/Output/v"),
    ({"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass", "Output": "{% a[1,2) %}", "End": True}}},
     "INVALID_JSONATA_EXPRESSION", "/States/E/Output"),
    ({"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass", "Output": "{% " + "(" * 5000 + "1" + ")" * 5000 + " %}", "End": True}}},
     "INVALID_JSONATA_EXPRESSION", "/States/E/Output"),
    ({"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass", "Parameters": {}, "End": True}}},
     "SCHEMA_VALIDATION_FAILED", "/States/E"),
    ({"StartAt": "E", "States": {"E": {"Type": "Pass", "Output": {}, "End": True}}},
     "SCHEMA_VALIDATION_FAILED", "/States/E"),
    ({"QueryLanguage": "JSONata", "StartAt": "E", "States": {"E": {"Type": "Pass", "QueryLanguage": "JSONPath", "End": True}}},
     "SCHEMA_VALIDATION_FAILED", "/States/E"),
])
def test_definitions_are_checked_for_their_query_language(server, definition, code, location):
    result = aws(server, "stepfunctions", "validate-state-machine-definition", "--definition", json.dumps(definition))
    assert result["result"] == "FAIL"
    assert result["diagnostics"][0]["code"] == code
    assert result["diagnostics"][0]["location"] == location


def test_test_state_runs_jsonata_states_with_variables(server):
    client = sfn(server)
    task = json.dumps({
        "QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
        "Arguments": {"ModelId": HAIKU, "Body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 50,
                                                 "messages": [{"role": "user", "content": "{% $prompt %}"}]}},
        "Output": {"greeting": "{% $prefix & $states.result.Body.content[0].text %}"},
        "Catch": [{"ErrorEquals": ["States.ALL"], "Output": {"caught": "{% $states.errorOutput.Error %}"}, "Next": "Recover"}],
        "End": True})
    # NONE: InvokeModel's model makes Body a blob (text); a run sees it as JSON (fieldValidationMode).
    mocked = client.test_state(definition=task, roleArn=ROLE, input="{}", variables=json.dumps({"prompt": "hi", "prefix": "> "}),
                               mock={"result": json.dumps({"Body": {"content": [{"type": "text", "text": "hello"}]}}), "fieldValidationMode": "NONE"})
    assert mocked["status"] == "SUCCEEDED", mocked
    assert json.loads(mocked["output"]) == {"greeting": "> hello"}
    caught = client.test_state(definition=task, roleArn=ROLE, input="{}", variables=json.dumps({"prompt": "hi", "prefix": ""}),
                               mock={"errorOutput": {"error": "Bedrock.ValidationException", "cause": "bad"}})
    assert caught["status"] == "CAUGHT_ERROR" and caught["nextState"] == "Recover"
    assert json.loads(caught["output"]) == {"caught": "Bedrock.ValidationException"}
    undefined = client.test_state(definition=task, roleArn=ROLE, input="{}",
                                  mock={"result": json.dumps({"Body": {"content": [{"type": "text", "text": "hello"}]}}), "fieldValidationMode": "NONE"})
    assert undefined["status"] == "CAUGHT_ERROR"


def test_cli_runs_and_validates_jsonata_machines(tmp_path):
    import subprocess

    from harness import BINARY

    machine = tmp_path / "jsonata.asl.json"
    machine.write_text(json.dumps({"QueryLanguage": "JSONata", "StartAt": "A", "States": {
        "A": {"Type": "Pass", "Assign": {"n": "{% $count($states.input.items) %}"}, "Output": "{% $states.input.items.($ * 2) %}", "Next": "B"},
        "B": {"Type": "Pass", "Output": {"doubled": "{% $states.input %}", "n": "{% $n %}"}, "End": True}}}))
    ran = subprocess.run([str(BINARY), "run", str(machine), "--input", '{"items": [1, 2, 3]}'], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["status"] == "SUCCEEDED" and result["output"] == {"doubled": [2, 4, 6], "n": 3}
    bad = tmp_path / "bad.asl.json"
    bad.write_text(json.dumps({"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% foo %}", "End": True}}}))
    checked = subprocess.run([str(BINARY), "validate", str(bad)], capture_output=True, text=True)
    assert json.loads(checked.stdout)["diagnostics"][0]["code"] == "UNSUPPORTED_JSONATA_EXPRESSION"
