"""Activities and task tokens through boto3: CreateActivity/Describe/List/Delete, a worker
loop with GetActivityTask and SendTaskSuccess/Failure/Heartbeat, heartbeat and task timeouts,
and `.waitForTaskToken` on a served integration (aws-sdk:s3:putObject carries the token)."""
import json
import threading
import time

import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/sfn"


@pytest.fixture
def sfn(make_server):
    srv = make_server()
    # A long poll lasts up to 60 s: the client must wait longer, as AWS advises.
    return srv, srv.client("stepfunctions", read_timeout=70)


def machine(client, name, definition):
    return client.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]


def wait_done(client, arn, timeout=20):
    deadline = time.monotonic() + timeout
    while (d := client.describe_execution(executionArn=arn))["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.02)
    return d


def events(client, arn):
    return client.get_execution_history(executionArn=arn)["events"]


def test_activity_api(sfn):
    _, client = sfn
    created = client.create_activity(name="review")
    arn = created["activityArn"]
    assert arn == "arn:aws:states:us-east-1:000000000000:activity:review"
    assert client.create_activity(name="review")["activityArn"] == arn, "CreateActivity is idempotent"
    described = client.describe_activity(activityArn=arn)
    assert described["name"] == "review" and described["creationDate"] == created["creationDate"]
    client.create_activity(name="second")
    page = client.list_activities(maxResults=1)
    assert [a["name"] for a in page["activities"]] == ["review"] and page["nextToken"]
    assert [a["name"] for a in client.list_activities(nextToken=page["nextToken"])["activities"]] == ["second"]
    client.delete_activity(activityArn=arn)
    with pytest.raises(client.exceptions.ActivityDoesNotExist) as raised:
        client.describe_activity(activityArn=arn)
    assert raised.value.response["Error"]["Message"] == f"Activity Does Not Exist: '{arn}'"
    with pytest.raises(client.exceptions.InvalidArn):
        client.describe_activity(activityArn="arn:aws:states:us-east-1:000000000000:stateMachine:x")
    with pytest.raises(client.exceptions.InvalidName):
        client.create_activity(name="bad name")
    with pytest.raises(client.exceptions.ActivityDoesNotExist):
        client.get_activity_task(activityArn=arn)


def test_worker_completes_and_fails_activity_tasks(sfn):
    _, client = sfn
    activity = client.create_activity(name="approve")["activityArn"]
    arn = machine(client, "approval", {"StartAt": "Ask", "States": {
        "Ask": {"Type": "Task", "Resource": activity, "Parameters": {"doc.$": "$.doc"}, "ResultPath": "$.verdict",
                "Catch": [{"ErrorEquals": ["Rejected"], "ResultPath": "$.error", "Next": "No"}], "End": True},
        "No": {"Type": "Pass", "End": True}}})

    # A worker already waiting gets the task as soon as the execution schedules it.
    got = {}
    worker = threading.Thread(target=lambda: got.update(client.get_activity_task(activityArn=activity, workerName="w-1")))
    worker.start()
    time.sleep(0.2)
    first = client.start_execution(stateMachineArn=arn, input=json.dumps({"doc": "a"}))["executionArn"]
    worker.join(10)
    assert json.loads(got["input"]) == {"doc": "a"}
    client.send_task_heartbeat(taskToken=got["taskToken"])
    client.send_task_success(taskToken=got["taskToken"], output=json.dumps({"ok": True}))
    done = wait_done(client, first)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"doc": "a", "verdict": {"ok": True}}
    types = [e["type"] for e in events(client, first)]
    assert types[2:7] == ["ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"]
    history = events(client, first)
    assert history[2]["activityScheduledEventDetails"] == {"resource": activity, "input": '{"doc":"a"}', "inputDetails": {"truncated": False}}
    assert history[3]["activityStartedEventDetails"] == {"workerName": "w-1"}
    # The token is spent.
    with pytest.raises(client.exceptions.TaskTimedOut) as raised:
        client.send_task_success(taskToken=got["taskToken"], output="{}")
    assert raised.value.response["Error"]["Message"] == "Task Timed Out: 'Provided task does not exist anymore'"

    # A task queued before any worker polls waits for one; a failure reaches Catch.
    second = client.start_execution(stateMachineArn=arn, input=json.dumps({"doc": "b"}))["executionArn"]
    task = client.get_activity_task(activityArn=activity)
    client.send_task_failure(taskToken=task["taskToken"], error="Rejected", cause="not today")
    done = wait_done(client, second)
    assert done["status"] == "SUCCEEDED"
    assert json.loads(done["output"])["error"] == {"Error": "Rejected", "Cause": "not today"}
    failed = [e for e in events(client, second) if e["type"] == "ActivityFailed"][0]
    assert failed["activityFailedEventDetails"] == {"error": "Rejected", "cause": "not today"}


def test_token_errors(sfn):
    _, client = sfn
    with pytest.raises(client.exceptions.InvalidToken) as raised:
        client.send_task_success(taskToken="not-a-token", output="{}")
    assert raised.value.response["Error"]["Message"] == "Invalid Token: 'Invalid token'"
    with pytest.raises(client.exceptions.TaskTimedOut):
        client.send_task_heartbeat(taskToken="AQC" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB")
    activity = client.create_activity(name="json")["activityArn"]
    arn = machine(client, "json-out", {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}})
    execution = client.start_execution(stateMachineArn=arn)["executionArn"]
    token = client.get_activity_task(activityArn=activity)["taskToken"]
    with pytest.raises(client.exceptions.InvalidOutput):
        client.send_task_success(taskToken=token, output="{not json")
    client.stop_execution(executionArn=execution)
    assert wait_done(client, execution)["status"] == "ABORTED"
    with pytest.raises(client.exceptions.TaskTimedOut):
        client.send_task_success(taskToken=token, output="{}")


def test_heartbeat_and_task_timeouts(make_server):
    srv = make_server("--time-scale", "0.01")
    client = srv.client("stepfunctions")
    activity = client.create_activity(name="slow")["activityArn"]
    arn = machine(client, "timeouts", {"StartAt": "A", "States": {
        "A": {"Type": "Task", "Resource": activity, "HeartbeatSeconds": 20, "TimeoutSeconds": 600,
              "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 1, "IntervalSeconds": 1}], "End": True}}})
    execution = client.start_execution(stateMachineArn=arn)["executionArn"]
    done = wait_done(client, execution)
    # The heartbeat (0.2 s real) lapses twice: the retry that States.Timeout allows, then the end.
    assert (done["status"], done["error"]) == ("FAILED", "States.HeartbeatTimeout")
    timed_out = [e for e in events(client, execution) if e["type"] == "ActivityTimedOut"]
    assert len(timed_out) == 2 and timed_out[0]["activityTimedOutEventDetails"] == {"error": "States.HeartbeatTimeout"}
    scheduled = [e for e in events(client, execution) if e["type"] == "ActivityScheduled"][0]["activityScheduledEventDetails"]
    assert (scheduled["timeoutInSeconds"], scheduled["heartbeatInSeconds"]) == (600, 20)


def test_wait_for_task_token_through_s3(make_server):
    srv = make_server("--time-scale", "0.01")
    client, s3 = srv.client("stepfunctions"), srv.client("s3")
    s3.create_bucket(Bucket="callbacks")
    arn = machine(client, "callback", {"StartAt": "Hand", "States": {
        "Hand": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken", "TimeoutSeconds": 3000,
                 "Parameters": {"Bucket": "callbacks", "Key": "token", "Body.$": "$$.Task.Token"}, "End": True}}})
    execution = client.start_execution(stateMachineArn=arn)["executionArn"]
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            token = s3.get_object(Bucket="callbacks", Key="token")["Body"].read().decode()
            break
        except ClientError:
            time.sleep(0.02)
    assert token.startswith("AQC")
    client.send_task_success(taskToken=token, output=json.dumps({"approved": True}))
    done = wait_done(client, execution)
    assert done["status"] == "SUCCEEDED" and json.loads(done["output"]) == {"approved": True}
    types = [e["type"] for e in events(client, execution)]
    assert types[2:6] == ["TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded"]
    submitted = [e for e in events(client, execution) if e["type"] == "TaskSubmitted"][0]["taskSubmittedEventDetails"]
    assert submitted["resource"] == "s3:putObject.waitForTaskToken" and "ETag" in json.loads(submitted["output"])

    # Nobody answers: TimeoutSeconds (0.2 s real at this scale) ends it with TaskTimedOut.
    quick = machine(client, "callback-timeout", {"StartAt": "Hand", "States": {
        "Hand": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject.waitForTaskToken", "TimeoutSeconds": 20,
                 "Parameters": {"Bucket": "callbacks", "Key": "t2", "Body.$": "$$.Task.Token"}, "End": True}}})
    execution = client.start_execution(stateMachineArn=quick)["executionArn"]
    done = wait_done(client, execution)
    assert (done["status"], done["error"]) == ("FAILED", "States.Timeout")
    assert [e for e in events(client, execution) if e["type"] == "TaskTimedOut"][0]["taskTimedOutEventDetails"]["error"] == "States.Timeout"


def test_activity_worker_through_the_aws_cli(sfn):
    from test_aws_cli import aws

    srv, client = sfn
    created = aws(srv, "stepfunctions", "create-activity", "--name", "cli-worker")
    assert created.returncode == 0, created.stderr
    activity = json.loads(created.stdout)["activityArn"]
    arn = machine(client, "cli-activity", {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": activity, "End": True}}})
    execution = client.start_execution(stateMachineArn=arn, input='{"n":1}')["executionArn"]
    task = aws(srv, "stepfunctions", "get-activity-task", "--activity-arn", activity, "--worker-name", "cli")
    assert task.returncode == 0, task.stderr
    token = json.loads(task.stdout)["taskToken"]
    sent = aws(srv, "stepfunctions", "send-task-success", "--task-token", token, "--task-output", '{"done":true}')
    assert sent.returncode == 0, sent.stderr
    assert json.loads(wait_done(client, execution)["output"]) == {"done": True}
    again = aws(srv, "stepfunctions", "send-task-success", "--task-token", token, "--task-output", "{}")
    assert again.returncode == 255  # awscli v1: 255 for a service error
    assert "An error occurred (TaskTimedOut) when calling the SendTaskSuccess operation: Task Timed Out: 'Provided task does not exist anymore'" in again.stderr
