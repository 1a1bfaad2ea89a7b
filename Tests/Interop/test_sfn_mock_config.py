"""Step Functions Local's mock configuration file, unchanged: loaded from SFN_MOCK_CONFIG,
test cases chosen with `stateMachineArn#TestCase` through boto3 and the AWS CLI, counters as
Step Functions Local 2.0 keeps them, edits picked up, broken files refused naming where.
Also a Lambda Task through a Lambda Invoke API endpoint (a stub started here)."""
import http.server
import json
import os
import shutil
import threading
import time
import urllib.parse

import pytest

from harness import FIXTURES, Server, aws_json, finished, history

ROLE = "arn:aws:iam::123456789012:role/mocks"
MOCKS = FIXTURES / "mock-config"


@pytest.fixture
def mock_file(tmp_path):
    path = tmp_path / "MockConfigFile.json"
    shutil.copy(MOCKS / "MockConfigFile.json", path)
    return path


@pytest.fixture
def mocked(mock_file, request):
    server = Server("--time-scale", "0", env={"SFN_MOCK_CONFIG": str(mock_file)})
    request.addfinalizer(server.stop)
    return server


def lambda_sqs(client):
    definition = (MOCKS / "LambdaSQSIntegration.asl.json").read_text()
    return client.create_state_machine(name="LambdaSQSIntegration", definition=definition, roleArn=ROLE)["stateMachineArn"]



def test_happy_path_through_boto3(mocked):
    client = mocked.client("stepfunctions")
    machine = lambda_sqs(client)
    arn = client.start_execution(stateMachineArn=machine + "#HappyPath", name="happy", input='{"data": "test input"}')["executionArn"]
    assert arn == "arn:aws:states:us-east-1:000000000000:execution:LambdaSQSIntegration:happy"
    described = finished(client, arn)
    assert described["status"] == "SUCCEEDED", described
    assert described["stateMachineArn"] == machine
    assert json.loads(described["output"]) == {
        "MD5OfMessageBody": "3bcb6e8e-7h85-4375-b0bc-1a59812c6e51", "MessageId": "3bcb6e8e-8b51-4375-b0bc-1a59812c6e51"}
    events = history(client, arn)
    types = [e["type"] for e in events]
    assert types == [
        "ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
        "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"]
    assert all(e["previousEventId"] == e["id"] - 1 for e in events[1:])
    scheduled = events[2]["taskScheduledEventDetails"]
    assert scheduled["resourceType"] == "lambda" and scheduled["resource"] == "invoke"
    assert json.loads(scheduled["parameters"]) == {"Payload": {"data": "test input"}, "FunctionName": "HelloWorldFunction"}
    succeeded = events[4]["taskSucceededEventDetails"]
    assert json.loads(succeeded["output"]) == {"StatusCode": 200, "Payload": {"StatusCode": 200, "body": "Hello from Lambda!"}}
    sqs = events[7]["taskScheduledEventDetails"]
    assert sqs["resourceType"] == "sqs" and sqs["resource"] == "sendMessage"


def test_retry_path_through_the_cli(mocked):
    client = mocked.client("stepfunctions")
    machine = lambda_sqs(client)
    started = aws_json(mocked, "stepfunctions", "start-execution", "--state-machine-arn", machine + "#RetryPath",
                  "--name", "retry", "--input", '{"data": "test input"}')
    described = finished(client, started["executionArn"])
    assert described["status"] == "SUCCEEDED", described
    events = aws_json(mocked, "stepfunctions", "get-execution-history", "--execution-arn", started["executionArn"])["events"]
    failed = [e["taskFailedEventDetails"] for e in events if e["type"] == "TaskFailed"]
    assert [(f["error"], f["cause"]) for f in failed] == [
        ("Lambda.ResourceNotReadyException", "Lambda resource is not ready."),
        ("Lambda.TimeoutException", "Lambda timed out."), ("Lambda.TimeoutException", "Lambda timed out.")]
    assert sum(e["type"] == "TaskSucceeded" for e in events) == 2
    assert sum(e["type"] == "TaskStateEntered" for e in events) == 2, "retries stay inside one state entry"


def test_hybrid_path_says_what_the_unmocked_state_needs(mocked):
    client = mocked.client("stepfunctions")
    machine = lambda_sqs(client)
    arn = client.start_execution(stateMachineArn=machine + "#HybridPath", input="{}")["executionArn"]
    described = finished(client, arn)
    assert described["status"] == "FAILED"
    assert described["error"] == "States.Runtime"
    assert "arn:aws:states:::sqs:sendMessage" in described["cause"] and "mock the state 'SQSState'" in described["cause"], described["cause"]
    assert [e["type"] for e in history(client, arn)].count("TaskSucceeded") == 1, "the Lambda state ran from its mock first"


def test_unknown_test_cases_and_plain_arns(mocked):
    client = mocked.client("stepfunctions")
    machine = lambda_sqs(client)
    with pytest.raises(client.exceptions.ClientError) as caught:
        client.start_execution(stateMachineArn=machine + "#SadPath")
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "HappyPath, HybridPath, RetryPath" in error["Message"]
    # Without a test case nothing is mocked: the Lambda state needs an endpoint and says so.
    arn = client.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
    described = finished(client, arn)
    assert described["status"] == "FAILED" and described["error"] == "States.TaskFailed", described
    assert "stepFunctions.lambdaEndpoint" in described["cause"]


def test_the_header_chooses_a_test_case(mocked):
    client = mocked.client("stepfunctions")
    machine = lambda_sqs(client)
    client.meta.events.register("before-sign.stepfunctions.StartExecution",
                                lambda request, **_: request.headers.__setitem__("X-Understudy-Test-Case", "HappyPath"))
    arn = client.start_execution(stateMachineArn=machine, input="{}")["executionArn"]
    assert finished(client, arn)["status"] == "SUCCEEDED"


def test_configured_rules_choose_test_cases_by_name(mock_file, tmp_path, request):
    server = Server("--time-scale", "0", tmp_path=tmp_path, config_text=f"""
stepFunctions:
  mockConfig: {mock_file}
  testCases:
    - {{stateMachine: LambdaSQS*, execution: "retry-*", testCase: RetryPath}}
    - {{execution: "happy-*", testCase: HappyPath}}
""")
    request.addfinalizer(server.stop)
    client = server.client("stepfunctions")
    machine = lambda_sqs(client)
    retry = client.start_execution(stateMachineArn=machine, name="retry-1", input="{}")["executionArn"]
    assert finished(client, retry)["status"] == "SUCCEEDED"
    assert sum(e["type"] == "TaskFailed" for e in history(client, retry)) == 3
    happy = client.start_execution(stateMachineArn=machine, name="happy-1", input="{}")["executionArn"]
    assert sum(e["type"] == "TaskFailed" for e in history(client, happy) if finished(client, happy)) == 0
    # The suffix comes before any rule.
    chosen = client.start_execution(stateMachineArn=machine + "#HappyPath", name="retry-2", input="{}")["executionArn"]
    assert finished(client, chosen)["status"] == "SUCCEEDED"
    assert sum(e["type"] == "TaskFailed" for e in history(client, chosen)) == 0
    plain = finished(client, client.start_execution(stateMachineArn=machine, name="other", input="{}")["executionArn"])
    assert plain["status"] == "FAILED", "no rule matches: nothing is mocked"


MAP_MOCKS = {
    "StateMachines": {"MapMachine": {"TestCases": {"Counted": {"Work": "Numbered"}}}},
    "MockedResponses": {"Numbered": {
        "0": {"Throw": {"Error": "Custom.Error", "Cause": "first"}},
        "1": {"Return": "idx1"}, "2": {"Return": "idx2"}, "3": {"Return": "idx3"}}},
}
MAP_MACHINE = {"StartAt": "Each", "States": {"Each": {
    "Type": "Map", "MaxConcurrency": 1, "End": True,
    "ItemProcessor": {"StartAt": "Work", "States": {"Work": {
        "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "f", "Payload.$": "$"},
        "Retry": [{"ErrorEquals": ["Custom.Error"], "IntervalSeconds": 1, "MaxAttempts": 3}], "End": True}}}}}}


def test_one_counter_per_state_across_retries_and_map_items(mock_file, request):
    """Step Functions Local 2.0 answers ["idx1", "idx2"]: the first item's retry takes
    invocation 1 and the second item invocation 2 (floci-io/floci#3254)."""
    mock_file.write_text(json.dumps(MAP_MOCKS))
    server = Server("--time-scale", "0", "--mock-config", str(mock_file))
    request.addfinalizer(server.stop)
    client = server.client("stepfunctions")
    machine = client.create_state_machine(name="MapMachine", definition=json.dumps(MAP_MACHINE), roleArn=ROLE)["stateMachineArn"]
    arn = client.start_execution(stateMachineArn=machine + "#Counted", input='["a", "b"]')["executionArn"]
    described = finished(client, arn)
    assert described["status"] == "SUCCEEDED", described
    assert json.loads(described["output"]) == ["idx1", "idx2"]
    # Each execution counts from 0 again.
    again = finished(client, client.start_execution(stateMachineArn=machine + "#Counted", input='["a"]')["executionArn"])
    assert json.loads(again["output"]) == ["idx1"]


def test_edits_are_picked_up_and_broken_files_refused(mocked, mock_file):
    client = mocked.client("stepfunctions")
    machine = lambda_sqs(client)
    config = json.loads(mock_file.read_text())
    config["MockedResponses"]["MockedSQSSuccess"]["0"]["Return"]["MessageId"] = "edited"
    mock_file.write_text(json.dumps(config))
    os.utime(mock_file, (time.time() + 5, time.time() + 5))
    out = finished(client, client.start_execution(stateMachineArn=machine + "#HappyPath", input="{}")["executionArn"])
    assert json.loads(out["output"])["MessageId"] == "edited"

    config["MockedResponses"]["MockedLambdaRetry"]["1-2"] = {"Throw": {"Cause": "no error name"}}
    mock_file.write_text(json.dumps(config))
    os.utime(mock_file, (time.time() + 10, time.time() + 10))
    # The edit that broke it is refused; the mocks in force stay.
    out = finished(client, client.start_execution(stateMachineArn=machine + "#HappyPath", input="{}")["executionArn"])
    assert json.loads(out["output"])["MessageId"] == "edited"
    shown = mocked.admin("mock-config")
    assert shown["problem"].startswith('MockedResponses.MockedLambdaRetry."1-2".Throw.Error: must be a non-empty string'), shown["problem"]
    assert shown["testCases"] == {"LambdaSQSIntegration": ["HappyPath", "HybridPath", "RetryPath"]}


def test_a_broken_file_at_start_is_named(tmp_path):
    path = tmp_path / "MockConfigFile.json"
    path.write_text(json.dumps({"StateMachines": {"M": {"TestCases": {"C": {"S": "Missing"}}}}, "MockedResponses": {}}))
    with pytest.raises(RuntimeError) as caught:
        Server(env={"SFN_MOCK_CONFIG": str(path)})
    assert "StateMachines.M.TestCases.C.S: no mocked response named 'Missing' in MockedResponses" in str(caught.value)


def test_the_admin_api_sets_mocks_and_localstacks_variable_loads_them(mock_file, request):
    server = Server("--time-scale", "0", env={"LOCALSTACK_SFN_MOCK_CONFIG": str(mock_file)})
    request.addfinalizer(server.stop)
    assert server.admin("mock-config")["source"] == str(mock_file)
    client = server.client("stepfunctions")
    token_machine = client.create_state_machine(name="Callback", roleArn=ROLE, definition=json.dumps({"StartAt": "Wait", "States": {
        "Wait": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
                 "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}}, "Next": "Work"},
        "Work": {"Type": "Task", "Resource": "arn:aws:states:::activity:nobody", "End": True}}}))["stateMachineArn"]
    try:
        server.admin("mock-config", method="PUT", body=b'{"MockedResponses": {"R": {"0": {"Return": 1, "Throw": {"Error": "E"}}}}}')
        raise AssertionError("a broken configuration was accepted")
    except Exception as error:  # urllib's HTTPError
        assert error.code == 400
        assert json.loads(error.read())["message"] == 'the mock configuration was refused: MockedResponses.R."0": has both Return and Throw; give one'
    server.admin("mock-config", method="PUT", body=json.dumps({
        "StateMachines": {"Callback": {"TestCases": {"Token": {"Wait": "Done"}, "Activity": {"Wait": "Done", "Work": "Done"}}}},
        "MockedResponses": {"Done": {"0": {"Return": {"ok": True}}}}}).encode())
    # A mocked .waitForTaskToken Task completes with its mock; nobody sends the token.
    arn = client.start_execution(stateMachineArn=token_machine + "#Activity", input="{}")["executionArn"]
    described = finished(client, arn)
    assert described["status"] == "FAILED" and described["error"] == "States.Runtime", described
    assert "Activity state cannot be mocked" in described["cause"]
    events = history(client, arn)
    assert json.loads([e for e in events if e["type"] == "TaskSucceeded"][0]["taskSucceededEventDetails"]["output"]) == {"ok": True}
    server.admin("reset", method="POST", body=b"{}")
    assert server.admin("mock-config")["source"] == str(mock_file), "a reset goes back to the file"


class LambdaStub(http.server.BaseHTTPRequestHandler):
    """The Lambda Invoke API as `sam local start-lambda` serves it: `greet` answers, `boom`
    raises, anything else does not exist."""
    calls = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        LambdaStub.calls.append((self.path, json.loads(body or b"null")))
        name = urllib.parse.unquote(self.path.split("/")[3]).split(":function:")[-1]
        if name == "greet":
            self.answer(200, {"greeting": "hello " + json.loads(body)["who"]}, {"X-Amz-Executed-Version": "$LATEST"})
        elif name == "boom":
            self.answer(200, {"errorMessage": "it broke", "errorType": "CustomError"}, {"X-Amz-Function-Error": "Unhandled"})
        else:
            self.answer(404, {"Type": "User", "message": f"Function not found: {name}"}, {"x-amzn-ErrorType": "ResourceNotFoundException"})

    def answer(self, status, body, headers):
        data = json.dumps(body).encode()
        self.send_response(status)
        for name, value in {**headers, "Content-Type": "application/json", "Content-Length": str(len(data)),
                            "x-amzn-RequestId": "stub-request"}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def lambda_stub(request):
    stub = http.server.ThreadingHTTPServer(("127.0.0.1", 0), LambdaStub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    request.addfinalizer(stub.shutdown)
    return f"http://127.0.0.1:{stub.server_address[1]}"


def test_lambda_tasks_reach_the_lambda_endpoint(lambda_stub, request):
    server = Server("--time-scale", "0", "--lambda-endpoint", lambda_stub)
    request.addfinalizer(server.stop)
    client = server.client("stepfunctions")

    def run(resource, parameters):
        state = {"Type": "Task", "Resource": resource, "End": True}
        if parameters is not None:
            state["Parameters"] = parameters
        name = f"m{len(LambdaStub.calls)}{abs(hash(resource)) % 1000}"
        machine = client.create_state_machine(name=name, roleArn=ROLE, definition=json.dumps({"StartAt": "Call", "States": {"Call": state}}))
        return finished(client, client.start_execution(stateMachineArn=machine["stateMachineArn"], input='{"who": "ada"}')["executionArn"])

    out = run("arn:aws:states:::lambda:invoke", {"FunctionName": "greet", "Payload.$": "$"})
    assert out["status"] == "SUCCEEDED", out
    result = json.loads(out["output"])
    assert result["Payload"] == {"greeting": "hello ada"} and result["StatusCode"] == 200 and result["ExecutedVersion"] == "$LATEST"
    assert list(result) == ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"]
    assert result["SdkResponseMetadata"] == {"RequestId": "stub-request"}
    assert LambdaStub.calls[-1] == ("/2015-03-31/functions/greet/invocations", {"who": "ada"})

    bare = run("arn:aws:lambda:us-east-1:123456789012:function:greet", None)
    assert bare["status"] == "SUCCEEDED", (bare.get("error"), bare.get("cause"))
    assert json.loads(bare["output"]) == {"greeting": "hello ada"}, bare
    events = history(client, bare["executionArn"])
    assert [e["type"] for e in events[2:5]] == ["LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded"]
    assert events[2]["lambdaFunctionScheduledEventDetails"] == {
        "input": '{"who":"ada"}', "inputDetails": {"truncated": False}, "resource": "arn:aws:lambda:us-east-1:123456789012:function:greet"}
    assert "lambdaFunctionStartedEventDetails" not in events[3]

    failed = run("arn:aws:states:::lambda:invoke", {"FunctionName": "boom", "Payload.$": "$"})
    assert failed["status"] == "FAILED" and failed["error"] == "CustomError", failed
    assert json.loads(failed["cause"])["errorMessage"] == "it broke"

    missing = run("arn:aws:states:::lambda:invoke", {"FunctionName": "nope", "Payload.$": "$"})
    assert missing["error"] == "Lambda.ResourceNotFoundException", missing
    assert LambdaStub.calls[-3][0] == "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Agreet/invocations"
    assert missing["cause"] == (
        "Function not found: nope (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: stub-request; Proxy: null)")
