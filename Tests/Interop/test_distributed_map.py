"""Distributed Map over S3: ItemReader (CSV, JSON, JSONL, object listing), ItemBatcher,
ResultWriter, tolerated failures, through boto3."""
import json
import time

import pytest

ROLE = "arn:aws:iam::123456789012:role/sfn"


@pytest.fixture
def clients(make_server):
    srv = make_server("--time-scale", "0")
    return srv.client("s3"), srv.client("stepfunctions")


def run(sfn, definition, payload=None, name="dmap"):
    arn = sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload or {}))["executionArn"]
    deadline = time.monotonic() + 60
    while (described := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING" and time.monotonic() < deadline:
        time.sleep(0.05)
    return described


def distributed(reader=None, processor_states=None, **extra):
    state = {"Type": "Map", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Work",
        "States": processor_states or {"Work": {"Type": "Pass", "End": True}}}, "End": True}
    if reader:
        state["ItemReader"] = reader
    state.update(extra)
    return {"StartAt": "Fan", "States": {"Fan": state}}


def test_ten_thousand_line_csv_with_result_writer(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="dmap")
    rows = ["id,name,score"] + [f"{i},\"Name, {i}\",{i % 97}" for i in range(10_000)]
    s3.put_object(Bucket="dmap", Key="data/rows.csv", Body="\n".join(rows).encode())
    definition = distributed(
        reader={"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                "Parameters": {"Bucket": "dmap", "Key.$": "$.key"}},
        processor_states={"Work": {"Type": "Pass", "Parameters": {"id.$": "$.id", "upper.$": "States.Format('{}!', $.name)"}, "End": True}},
        ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "dmap", "Prefix": "results"}})
    done = run(sfn, definition, {"key": "data/rows.csv"})
    assert done["status"] == "SUCCEEDED", done
    output = json.loads(done["output"])
    assert output["MapRunArn"].startswith("arn:aws:states:us-east-1:") and ":mapRun:dmap/Fan:" in output["MapRunArn"]
    details = output["ResultWriterDetails"]
    assert details["Bucket"] == "dmap" and details["Key"].startswith("results/") and details["Key"].endswith("/manifest.json")
    manifest = json.loads(s3.get_object(Bucket="dmap", Key=details["Key"])["Body"].read())
    assert manifest["MapRunArn"] == output["MapRunArn"] and manifest["ResultFiles"]["FAILED"] == []
    succeeded_key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
    results = json.loads(s3.get_object(Bucket="dmap", Key=succeeded_key)["Body"].read())
    assert len(results) == 10_000 and all(r["Status"] == "SUCCEEDED" for r in results)
    assert json.loads(results[3]["Input"]) == {"id": "3", "name": "Name, 3", "score": "3"}
    assert json.loads(results[3]["Output"]) == {"id": "3", "upper": "Name, 3!"}
    events = [e["type"] for e in sfn.get_execution_history(executionArn=done["executionArn"], maxResults=1000)["events"]]
    assert "MapRunStarted" in events and "MapRunSucceeded" in events and "MapIterationStarted" not in events


def test_json_jsonl_listing_readers_and_batching(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="readers")
    s3.put_object(Bucket="readers", Key="items.json", Body=json.dumps([{"n": i} for i in range(7)]).encode())
    s3.put_object(Bucket="readers", Key="items.jsonl", Body=b'{"n":1}\n{"n":2}\n\n{"n":3}\n')
    for name in ("p/a.txt", "p/b.txt"):
        s3.put_object(Bucket="readers", Key=name, Body=b"xyz")
    batched = distributed(
        reader={"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSON", "MaxItems": 5},
                "Parameters": {"Bucket": "readers", "Key": "items.json"}},
        ItemBatcher={"MaxItemsPerBatch": 2, "BatchInput": {"run.$": "$.run"}})
    done = run(sfn, batched, {"run": "r1"}, name="batched")
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == [
        {"BatchInput": {"run": "r1"}, "Items": [{"n": 0}, {"n": 1}]},
        {"BatchInput": {"run": "r1"}, "Items": [{"n": 2}, {"n": 3}]},
        {"BatchInput": {"run": "r1"}, "Items": [{"n": 4}]}]
    lines = distributed(reader={"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
                                "Parameters": {"Bucket": "readers", "Key": "items.jsonl"}})
    assert json.loads(run(sfn, lines, name="lines")["output"]) == [{"n": 1}, {"n": 2}, {"n": 3}]
    listing = distributed(reader={"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "readers", "Prefix": "p/"}})
    listed = json.loads(run(sfn, listing, name="listing")["output"])
    assert [item["Key"] for item in listed] == ["p/a.txt", "p/b.txt"]
    assert set(listed[0]) == {"Etag", "Key", "LastModified", "Size", "StorageClass"} and listed[0]["Size"] == 3
    assert isinstance(listed[0]["LastModified"], int)


def test_failures_tolerance_and_missing_objects(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="fails")
    failing = {"Work": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 2, "Next": "Boom"}], "Default": "Ok"},
               "Ok": {"Type": "Succeed"}, "Boom": {"Type": "Fail", "Error": "Item.Bad", "Cause": "too big"}}
    tolerant = distributed(processor_states=failing, ItemsPath="$.items", ToleratedFailureCount=2,
                           ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "fails", "Prefix": "out/"}})
    done = run(sfn, tolerant, {"items": [{"n": i} for i in range(5)]}, name="tolerant")
    assert done["status"] == "SUCCEEDED", done
    manifest_key = json.loads(done["output"])["ResultWriterDetails"]["Key"]
    manifest = json.loads(s3.get_object(Bucket="fails", Key=manifest_key)["Body"].read())
    failed = json.loads(s3.get_object(Bucket="fails", Key=manifest["ResultFiles"]["FAILED"][0]["Key"])["Body"].read())
    assert [f["Error"] for f in failed] == ["Item.Bad", "Item.Bad"] and failed[0]["Status"] == "FAILED"
    strict = distributed(processor_states=failing, ItemsPath="$.items", ToleratedFailureCount=1)
    failed_run = run(sfn, strict, {"items": [{"n": i} for i in range(5)]}, name="strict")
    assert failed_run["status"] == "FAILED" and failed_run["error"] == "States.ExceedToleratedFailureThreshold"
    missing = distributed(reader={"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
                                  "Parameters": {"Bucket": "fails", "Key": "absent.csv"}})
    gone = run(sfn, missing, name="missing")
    assert gone["status"] == "FAILED" and gone["error"] == "States.ItemReaderFailed" and "does not exist" in gone["cause"]


def test_map_runs_and_their_child_executions(clients):
    _, sfn = clients
    definition = distributed(
        processor_states={"Work": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 3, "Next": "Boom"}], "Default": "Ok"},
                          "Ok": {"Type": "Pass", "Parameters": {"me.$": "$$.Execution.Id", "machine.$": "$$.StateMachine.Id"}, "End": True},
                          "Boom": {"Type": "Fail", "Error": "Bad", "Cause": "three"}},
        ItemsPath="$.items", Label="Fanout", MaxConcurrency=4, ToleratedFailureCount=1, ToleratedFailurePercentage=10)
    done = run(sfn, definition, {"items": [{"n": i} for i in range(6)]}, name="runs")
    assert done["status"] == "SUCCEEDED", done
    runs = sfn.list_map_runs(executionArn=done["executionArn"])["mapRuns"]
    assert len(runs) == 1
    listed = runs[0]
    assert ":mapRun:runs/Fanout:" in listed["mapRunArn"] and listed["stateMachineArn"].endswith(":stateMachine:runs/Fanout")
    assert listed["executionArn"] == done["executionArn"] and listed["stopDate"] >= listed["startDate"]
    described = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert described["status"] == "SUCCEEDED"
    assert (described["maxConcurrency"], described["toleratedFailureCount"], described["toleratedFailurePercentage"]) == (4, 1, 10.0)
    for counts in (described["itemCounts"], described["executionCounts"]):
        assert (counts["total"], counts["succeeded"], counts["failed"], counts["pending"], counts["running"]) == (6, 5, 1, 0, 0)
        assert counts["resultsWritten"] == 0
    children = sfn.list_executions(mapRunArn=listed["mapRunArn"])["executions"]
    assert len(children) == 6 and sorted(c["status"] for c in children) == ["FAILED"] + ["SUCCEEDED"] * 5
    # Each child is an execution of its own, as its context object says.
    ok = next(c for c in children if c["status"] == "SUCCEEDED")
    assert json.loads(sfn.describe_execution(executionArn=ok["executionArn"])["output"]) == {
        "me": ok["executionArn"], "machine": listed["stateMachineArn"]}
    failed = next(c for c in children if c["status"] == "FAILED")
    child = sfn.describe_execution(executionArn=failed["executionArn"])
    assert child["mapRunArn"] == listed["mapRunArn"] and (child["error"], child["cause"]) == ("Bad", "three")
    assert json.loads(child["input"]) == {"n": 3}
    history = [e["type"] for e in sfn.get_execution_history(executionArn=failed["executionArn"])["events"]]
    assert history[0] == "ExecutionStarted" and history[-1] == "ExecutionFailed" and "FailStateEntered" in history
    machine = sfn.describe_state_machine_for_execution(executionArn=failed["executionArn"])
    assert machine["mapRunArn"] == listed["mapRunArn"] and machine["label"] == "Fanout"
    assert json.loads(machine["definition"])["StartAt"] == "Work"
    sfn.update_map_run(mapRunArn=listed["mapRunArn"], maxConcurrency=2, toleratedFailureCount=3)
    updated = sfn.describe_map_run(mapRunArn=listed["mapRunArn"])
    assert (updated["maxConcurrency"], updated["toleratedFailureCount"], updated["toleratedFailurePercentage"]) == (2, 3, 10.0)
    missing = listed["mapRunArn"].rsplit(":", 1)[0] + ":00000000-0000-0000-0000-000000000000"
    with pytest.raises(sfn.exceptions.ResourceNotFound):
        sfn.describe_map_run(mapRunArn=missing)
    with pytest.raises(sfn.exceptions.InvalidArn):
        sfn.update_map_run(mapRunArn="arn:aws:states:us-east-1:123456789012:execution:runs:x", maxConcurrency=1)
    with pytest.raises(sfn.exceptions.ExecutionDoesNotExist):
        sfn.list_map_runs(executionArn=done["executionArn"] + "-missing")


def test_map_run_fails_past_its_tolerance_and_writes_results_when_it_succeeds(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="runs-out")
    boom = {"Work": {"Type": "Fail", "Error": "Bad"}}
    failing = run(sfn, distributed(processor_states=boom, ItemsPath="$.items"), {"items": [1, 2, 3]}, name="runs-fail")
    assert failing["status"] == "FAILED" and failing["error"] == "States.ExceedToleratedFailureThreshold"
    run_arn = sfn.list_map_runs(executionArn=failing["executionArn"])["mapRuns"][0]["mapRunArn"]
    counts = sfn.describe_map_run(mapRunArn=run_arn)
    assert counts["status"] == "FAILED" and counts["executionCounts"]["failed"] == 1 and counts["executionCounts"]["pending"] == 2
    batched = distributed(ItemsPath="$.items", ItemBatcher={"MaxItemsPerBatch": 2},
                          ResultWriter={"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "runs-out", "Prefix": "r"}})
    done = run(sfn, batched, {"items": [1, 2, 3, 4, 5]}, name="runs-batched")
    assert done["status"] == "SUCCEEDED", done
    described = sfn.describe_map_run(mapRunArn=json.loads(done["output"])["MapRunArn"])
    assert described["itemCounts"]["total"] == 5 and described["itemCounts"]["resultsWritten"] == 5
    assert described["executionCounts"]["total"] == 3 and described["executionCounts"]["resultsWritten"] == 3


def test_distributed_map_in_jsonata(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="jsonata-dmap")
    s3.put_object(Bucket="jsonata-dmap", Key="in/rows.jsonl", Body=b"\n".join(json.dumps({"n": i}).encode() for i in range(7)))
    definition = {"QueryLanguage": "JSONata", "StartAt": "Fan", "States": {"Fan": {
        "Type": "Map",
        "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL", "MaxItems": "{% $states.input.limit %}"},
                       "Arguments": {"Bucket": "{% $states.input.bucket %}", "Key": "in/rows.jsonl"}},
        "ItemSelector": {"value": "{% $states.context.Map.Item.Value.n * 10 %}", "index": "{% $states.context.Map.Item.Index %}"},
        "ItemBatcher": {"MaxItemsPerBatch": "{% 2 %}", "BatchInput": {"tag": "{% $states.input.tag %}"}},
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Sum", "States": {
            "Sum": {"Type": "Pass", "Output": {"tag": "{% $states.input.BatchInput.tag %}", "total": "{% $sum($states.input.Items.value) %}"}, "End": True}}},
        "ToleratedFailurePercentage": "{% 50 %}", "MaxConcurrency": "{% 3 %}",
        "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject", "Arguments": {"Bucket": "{% $states.input.bucket %}", "Prefix": "out"}},
        "Output": "{% $states.result.ResultWriterDetails %}",
        "End": True}}}
    done = run(sfn, definition, {"bucket": "jsonata-dmap", "limit": 5, "tag": "t1"}, name="jsonata-dmap")
    assert done["status"] == "SUCCEEDED", done
    details = json.loads(done["output"])
    assert details["Bucket"] == "jsonata-dmap" and details["Key"].startswith("out/")
    manifest = json.loads(s3.get_object(Bucket="jsonata-dmap", Key=details["Key"])["Body"].read())
    results = json.loads(s3.get_object(Bucket="jsonata-dmap", Key=manifest["ResultFiles"]["SUCCEEDED"][0]["Key"])["Body"].read())
    assert [json.loads(r["Output"]) for r in results] == [{"tag": "t1", "total": 10}, {"tag": "t1", "total": 50}, {"tag": "t1", "total": 40}]
    run_arn = sfn.list_map_runs(executionArn=done["executionArn"])["mapRuns"][0]["mapRunArn"]
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert (described["maxConcurrency"], described["toleratedFailurePercentage"]) == (3, 50.0)
    assert described["itemCounts"]["total"] == 5 and described["executionCounts"]["total"] == 3


def test_parent_timeout_reaches_into_child_executions(clients):
    _, sfn = clients
    definition = distributed(processor_states={"Work": {"Type": "Wait", "Seconds": 3, "End": True}}, ItemsPath="$.items")
    definition["TimeoutSeconds"] = 5
    done = run(sfn, definition, {"items": [1, 2, 3]}, name="runs-timeout")
    assert (done["status"], done["error"]) == ("TIMED_OUT", "States.Timeout")
    run_arn = sfn.list_map_runs(executionArn=done["executionArn"])["mapRuns"][0]["mapRunArn"]
    described = sfn.describe_map_run(mapRunArn=run_arn)
    assert described["status"] == "ABORTED"
    assert (described["executionCounts"]["succeeded"], described["executionCounts"]["aborted"], described["executionCounts"]["pending"]) == (1, 2, 0)


def pairs_processor():
    # Each child returns an array (two elements), so FLATTEN has something to splice; item 2 fails.
    return {"Check": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 2, "Next": "Boom"}], "Default": "Pair"},
            "Pair": {"Type": "Pass", "Parameters": {"list.$": "States.Array($.n, States.MathAdd($.n, 100))"}, "OutputPath": "$.list", "End": True},
            "Boom": {"Type": "Fail", "Error": "Two", "Cause": "no twos"}}


def writer_definition(result_writer):
    definition = distributed(processor_states=pairs_processor(), ItemsPath="$.items", ToleratedFailureCount=5, ResultWriter=result_writer)
    definition["States"]["Fan"]["ItemProcessor"]["StartAt"] = "Check"
    return definition


def test_writer_config_shapes_the_exported_files(clients):
    s3, sfn = clients
    s3.create_bucket(Bucket="shaped")
    items = {"items": [{"n": 1}, {"n": 2}, {"n": 3}]}
    flat = run(sfn, writer_definition({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "shaped", "Prefix": "flat"},
                                       "WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSONL"}}), items, name="flat")
    assert flat["status"] == "SUCCEEDED", flat
    manifest = json.loads(s3.get_object(Bucket="shaped", Key=json.loads(flat["output"])["ResultWriterDetails"]["Key"])["Body"].read())
    succeeded_key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
    failed_key = manifest["ResultFiles"]["FAILED"][0]["Key"]
    assert succeeded_key.endswith("/SUCCEEDED_0.jsonl") and failed_key.endswith("/FAILED_0.jsonl")
    body = s3.get_object(Bucket="shaped", Key=succeeded_key)["Body"].read().decode()
    assert body == "1\n101\n3\n103\n"
    assert manifest["ResultFiles"]["SUCCEEDED"][0]["Size"] == len(body)
    failed = [json.loads(line) for line in s3.get_object(Bucket="shaped", Key=failed_key)["Body"].read().decode().splitlines()]
    # A failed child keeps its whole record whatever the transformation.
    assert [(f["Status"], f["Error"], f["Cause"]) for f in failed] == [("FAILED", "Two", "no twos")]

    compact = run(sfn, writer_definition({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "shaped", "Prefix": "compact"},
                                          "WriterConfig": {"Transformation": "COMPACT"}}), items, name="compact")
    manifest = json.loads(s3.get_object(Bucket="shaped", Key=json.loads(compact["output"])["ResultWriterDetails"]["Key"])["Body"].read())
    succeeded_key = manifest["ResultFiles"]["SUCCEEDED"][0]["Key"]
    assert succeeded_key.endswith("/SUCCEEDED_0.json")
    assert json.loads(s3.get_object(Bucket="shaped", Key=succeeded_key)["Body"].read()) == [[1, 101], [3, 103]]


def test_writer_config_alone_shapes_the_state_output(clients):
    s3, sfn = clients
    items = {"items": [{"n": 1}, {"n": 2}, {"n": 3}]}
    flat = run(sfn, writer_definition({"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}), items, name="preview-flat")
    assert flat["status"] == "SUCCEEDED", flat
    assert json.loads(flat["output"]) == [1, 101, {"Error": "Two", "Cause": "no twos"}, 3, 103]
    assert s3.list_buckets()["Buckets"] == []

    none = run(sfn, writer_definition({"WriterConfig": {"Transformation": "NONE"}}), items, name="preview-none")
    records = json.loads(none["output"])
    assert [r["Status"] for r in records] == ["SUCCEEDED", "FAILED", "SUCCEEDED"]
    assert json.loads(records[0]["Output"]) == [1, 101] and json.loads(records[0]["Input"]) == {"n": 1}


@pytest.mark.parametrize("writer, location", [
    ({"WriterConfig": {"Transformation": "SQUASH"}}, "/States/Fan/ResultWriter/WriterConfig/Transformation"),
    ({"WriterConfig": {"OutputType": "CSV"}}, "/States/Fan/ResultWriter/WriterConfig/OutputType"),
    ({}, "/States/Fan/ResultWriter"),
])
def test_bad_writer_config_is_an_invalid_definition(clients, writer, location):
    _, sfn = clients
    with pytest.raises(sfn.exceptions.InvalidDefinition) as raised:
        sfn.create_state_machine(name="bad-writer", definition=json.dumps(writer_definition(writer)), roleArn=ROLE)
    assert location in raised.value.response["Error"]["Message"]
    diagnostics = sfn.validate_state_machine_definition(definition=json.dumps(writer_definition(writer)))["diagnostics"]
    assert diagnostics[0]["code"] == "SCHEMA_VALIDATION_FAILED" and diagnostics[0]["location"] == location
