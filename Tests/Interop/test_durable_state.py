"""The control plane under --data-dir (issue 23, first part): state machines with their
versions, aliases and tags, and activities, are in `understudy.db` and still there after a
clean restart or a kill -9, through boto3 and the AWS CLI; the file records its schema
version, and a newer or damaged one is refused naming it and left untouched. STANDARD
executions are listed at start-up from their columns; each history event is a row written as it
is recorded, read back when GetExecutionHistory asks; Distributed Map runs are kept too."""
import hashlib
import json
import os
import signal
import sqlite3
import time

import pytest

from harness import Server, aws_json, finished as wait_for

ROLE = "arn:aws:iam::123456789012:role/durable"
DEFINITION = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": "v1", "End": True}}}



def without_metadata(answer):
    return {k: v for k, v in answer.items() if k != "ResponseMetadata"}


def test_machines_aliases_tags_and_activities_survive_a_restart(tmp_path):
    data = tmp_path / "data"
    first = Server("--data-dir", str(data))
    sfn = first.client("stepfunctions")
    machine = sfn.create_state_machine(name="kept", definition=json.dumps(DEFINITION), roleArn=ROLE, publish=True,
                                       tags=[{"key": "team", "value": "ml"}])
    arn = machine["stateMachineArn"]
    updated = dict(DEFINITION, States={"P": {"Type": "Pass", "Result": "v2", "End": True}})
    update = sfn.update_state_machine(stateMachineArn=arn, definition=json.dumps(updated), publish=True, versionDescription="second")
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[
        {"stateMachineVersionArn": machine["stateMachineVersionArn"], "weight": 30},
        {"stateMachineVersionArn": update["stateMachineVersionArn"], "weight": 70}])["stateMachineAliasArn"]
    sfn.tag_resource(resourceArn=arn, tags=[{"key": "stage", "value": "dev"}])
    activity = sfn.create_activity(name="worker")["activityArn"]
    before = {
        "machine": without_metadata(sfn.describe_state_machine(stateMachineArn=arn)),
        "versions": sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"],
        "alias": without_metadata(sfn.describe_state_machine_alias(stateMachineAliasArn=alias)),
        "activity": without_metadata(sfn.describe_activity(activityArn=activity)),
    }
    health = first.admin("health")["dataDirectory"]
    assert health["directory"] == str(data) and health["database"] == str(data / "understudy.db") and health["databaseBytes"] > 0
    # The directory's size: the database with its log, and the objects' bodies.
    s3 = first.client("s3")
    s3.create_bucket(Bucket="sized")
    s3.put_object(Bucket="sized", Key="k", Body=b"x" * 100_000)
    grown = first.admin("health")["dataDirectory"]
    on_disk = sum(f.stat().st_size for f in data.iterdir() if f.name.startswith("understudy.db") and not f.name.endswith("-shm"))
    assert grown["sizeBytes"] == on_disk + 100_000, (grown, on_disk)
    first.stop()

    second = Server("--data-dir", str(data), "--time-scale", "0")
    sfn = second.client("stepfunctions")
    assert without_metadata(sfn.describe_state_machine(stateMachineArn=arn)) == before["machine"]
    assert sfn.list_state_machine_versions(stateMachineArn=arn)["stateMachineVersions"] == before["versions"]
    assert without_metadata(sfn.describe_state_machine_alias(stateMachineAliasArn=alias)) == before["alias"]
    assert without_metadata(sfn.describe_activity(activityArn=activity)) == before["activity"]
    tags = aws_json(second, "stepfunctions", "list-tags-for-resource", "--resource-arn", arn)["tags"]
    assert tags == [{"key": "team", "value": "ml"}, {"key": "stage", "value": "dev"}]
    listed = aws_json(second, "stepfunctions", "list-state-machines")["stateMachines"]
    assert [m["name"] for m in listed] == ["kept"]
    assert [a["name"] for a in aws_json(second, "stepfunctions", "list-activities")["activities"]] == ["worker"]
    # The machine runs as it was last updated, and a version as it was published.
    execution = sfn.start_execution(stateMachineArn=arn + ":1", input="{}")["executionArn"]
    described = wait_for(sfn, execution)
    assert described["output"] == '"v1"'
    # Deleting is kept too.
    sfn.delete_activity(activityArn=activity)
    second.stop()
    third = Server("--data-dir", str(data))
    assert third.client("stepfunctions").list_activities()["activities"] == []
    third.stop()


def test_an_acknowledged_machine_survives_kill_9(tmp_path):
    data = tmp_path / "data"
    server = Server("--data-dir", str(data))
    sfn = server.client("stepfunctions")
    arns = [sfn.create_state_machine(name=f"m{i}", definition=json.dumps(DEFINITION), roleArn=ROLE)["stateMachineArn"] for i in range(20)]
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    again = Server("--data-dir", str(data))
    names = [m["stateMachineArn"] for m in again.client("stepfunctions").list_state_machines()["stateMachines"]]
    assert sorted(names) == sorted(arns)
    # A reset clears the database too.
    again.admin("reset", method="POST", body=b"{}")
    again.stop()
    last = Server("--data-dir", str(data))
    assert last.client("stepfunctions").list_state_machines()["stateMachines"] == []
    last.stop()


def test_standard_executions_and_their_histories_survive(tmp_path):
    data = tmp_path / "data"
    server = Server("--data-dir", str(data))
    sfn = server.client("stepfunctions")
    machine = sfn.create_state_machine(name="runs", definition=json.dumps({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {"greeting.$": "States.Format('hi {}', $.who)"}, "Next": "Hold"},
        "Hold": {"Type": "Choice", "Choices": [{"Variable": "$.greeting", "StringEquals": "hi wait", "Next": "Long"}], "Default": "Done"},
        "Long": {"Type": "Wait", "Seconds": 3, "Next": "Done"},
        "Done": {"Type": "Succeed"}}}), roleArn=ROLE)["stateMachineArn"]
    finished = sfn.start_execution(stateMachineArn=machine, name="quick", input='{"who": "ada"}')["executionArn"]
    wait_for(sfn, finished)
    before = without_metadata(sfn.describe_execution(executionArn=finished))
    history = sfn.get_execution_history(executionArn=finished)["events"]
    waiting = sfn.start_execution(stateMachineArn=machine, name="waiting", input='{"who": "wait"}')["executionArn"]
    deadline = time.monotonic() + 10
    while (recorded := sfn.get_execution_history(executionArn=waiting)["events"])[-1]["type"] != "WaitStateEntered" and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()

    again = Server("--data-dir", str(data))
    sfn = again.client("stepfunctions")
    assert without_metadata(sfn.describe_execution(executionArn=finished)) == before
    assert sfn.get_execution_history(executionArn=finished)["events"] == history
    listed = {e["name"]: e["status"] for e in aws_json(again, "stepfunctions", "list-executions", "--state-machine-arn", machine)["executions"]}
    assert listed == {"quick": "SUCCEEDED", "waiting": "RUNNING"}
    # It was running: it goes on from its recorded events, and its Wait ends three seconds
    # after it began before the kill, not after the restart.
    assert wait_for(sfn, waiting, timeout=10)["status"] == "SUCCEEDED"
    events = sfn.get_execution_history(executionArn=waiting)["events"]
    assert events[:6] == recorded
    assert [e["type"] for e in events] == ["ExecutionStarted", "PassStateEntered", "PassStateExited", "ChoiceStateEntered", "ChoiceStateExited",
                                           "WaitStateEntered", "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"]
    assert [e["id"] for e in events] == list(range(1, 11)) and [e["previousEventId"] for e in events] == list(range(0, 10))
    waited = (events[6]["timestamp"] - events[5]["timestamp"]).total_seconds()
    assert 3 <= waited < 3.5, waited
    again.stop()
    # The finished execution's history is in the events table, not in its document, and its
    # definition is kept once for both executions.
    with sqlite3.connect(data / "understudy.db") as connection:
        documents = [row[0] for row in connection.execute("SELECT document FROM executions")]
        assert len(documents) == 2 and not any('"history"' in d or "StartAt" in d for d in documents)
        assert connection.execute("SELECT COUNT(*) FROM definitions").fetchone() == (1,)
        assert connection.execute("SELECT COUNT(*) FROM history_events").fetchone() == (len(history) + len(events),)
    connection.close()
    # A finished execution answers the same after a second, clean restart.
    last = Server("--data-dir", str(data))
    sfn = last.client("stepfunctions")
    assert sfn.get_execution_history(executionArn=finished)["events"] == history
    assert sfn.get_execution_history(executionArn=waiting, reverseOrder=True)["events"][0]["type"] == "ExecutionSucceeded"
    last.stop()


def test_map_runs_survive_a_restart(tmp_path):
    data = tmp_path / "data"
    server = Server("--data-dir", str(data))
    sfn = server.client("stepfunctions")
    definition = {"StartAt": "Fan", "States": {"Fan": {
        "Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2, "ToleratedFailureCount": 1, "Label": "Fanned",
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Work",
                          "States": {"Work": {"Type": "Pass", "End": True}}}, "End": True}}}
    machine = sfn.create_state_machine(name="fans", definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=machine, input=json.dumps({"items": [1, 2, 3]}))["executionArn"]
    assert wait_for(sfn, execution)["status"] == "SUCCEEDED"
    listed = sfn.list_map_runs(executionArn=execution)["mapRuns"]
    assert len(listed) == 1
    described = without_metadata(sfn.describe_map_run(mapRunArn=listed[0]["mapRunArn"]))
    assert described["status"] == "SUCCEEDED" and described["executionCounts"]["succeeded"] == 3
    server.stop()

    again = Server("--data-dir", str(data))
    sfn = again.client("stepfunctions")
    assert sfn.list_map_runs(executionArn=execution)["mapRuns"] == listed
    assert without_metadata(sfn.describe_map_run(mapRunArn=listed[0]["mapRunArn"])) == described
    # A reset forgets them with the rest.
    again.admin("reset", method="POST", body=b"{}")
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=listed[0]["mapRunArn"])
    again.stop()
    with sqlite3.connect(data / "understudy.db") as connection:
        for table in ("executions", "history_events", "definitions", "map_runs"):
            assert connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone() == (0,), table
    connection.close()


def test_start_up_answers_health_quickly_with_stored_executions(tmp_path):
    data = tmp_path / "data"
    server = Server("--data-dir", str(data))
    sfn = server.client("stepfunctions")
    machine = sfn.create_state_machine(name="many", definition=json.dumps(DEFINITION), roleArn=ROLE)["stateMachineArn"]
    arns = [sfn.start_execution(stateMachineArn=machine, name=f"e{i}")["executionArn"] for i in range(200)]
    wait_for(sfn, arns[-1])
    server.stop()
    started = time.monotonic()
    again = Server("--data-dir", str(data))
    health = again.admin("health")
    elapsed = time.monotonic() - started
    assert health["dataDirectory"]["schemaVersion"] == 5 and health["dataDirectory"]["databaseBytes"] > 0
    assert elapsed < 5, elapsed
    sfn = again.client("stepfunctions")
    listed = sfn.list_executions(stateMachineArn=machine, maxResults=1000)["executions"]
    assert sorted(e["executionArn"] for e in listed) == sorted(arns)
    assert sfn.describe_execution(executionArn=arns[0])["output"] == '"v1"'
    # The console pages through them too, newest first: the executions started since (one
    # here), then those stored before the restart, each once.
    newest = sfn.start_execution(stateMachineArn=machine, name="after")["executionArn"]
    seen, token = [], None
    for _ in range(10):
        page = again.admin("console/executions?limit=70" + (f"&nextToken={token}" if token else ""))
        seen += [row["executionArn"] for row in page["executions"]]
        token = page.get("nextToken")
        if not token:
            break
    assert seen == [newest] + arns[::-1]
    succeeded = again.admin(f"console/executions?limit=500&status=SUCCEEDED&machine={machine}")["executions"]
    assert {row["executionArn"] for row in succeeded} >= set(arns)
    again.stop()


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_newer_or_damaged_database_is_refused_and_left_alone(tmp_path):
    data = tmp_path / "data"
    Server("--data-dir", str(data)).stop()
    database = data / "understudy.db"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = digest(database)
    with pytest.raises(RuntimeError) as refused:
        Server("--data-dir", str(data))
    assert f"{database} has schema version 99, newer than this Understudy knows (5)" in str(refused.value)
    assert digest(database) == before

    database.write_bytes(b"this is not a database" * 100)
    before = digest(database)
    with pytest.raises(RuntimeError) as refused:
        Server("--data-dir", str(data))
    assert f"{database} is not a usable Understudy database" in str(refused.value)
    assert digest(database) == before
