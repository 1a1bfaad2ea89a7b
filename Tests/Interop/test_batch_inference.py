"""Batch inference (seed 004): JSONL in S3, model-invocation jobs, their outputs, and the same
from a state machine (`bedrock:createModelInvocationJob.sync`)."""
import json
import os
import subprocess
import time
import uuid

import pytest
from botocore.exceptions import ClientError

from harness import DUMMY_KEY, DUMMY_SECRET, FIXTURES

MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
ROLE = "arn:aws:iam::123456789012:role/BedrockBatchRole"


def messages_record(i):
    return {"recordId": f"REC{i:08d}", "modelInput": {
        "anthropic_version": "bedrock-2023-05-31", "max_tokens": 64,
        "messages": [{"role": "user", "content": [{"type": "text", "text": f"Summarize document {i}."}]}]}}


def upload(s3, bucket, key, records, extra_lines=()):
    lines = [json.dumps(r) for r in records] + list(extra_lines)
    s3.put_object(Bucket=bucket, Key=key, Body=("\n".join(lines) + "\n").encode())


def new_bucket(s3):
    name = f"batch-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def create(bedrock, bucket, name="job", input_prefix="input/", **extra):
    return bedrock.create_model_invocation_job(
        jobName=name, roleArn=ROLE, modelId=extra.pop("modelId", MODEL),
        inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/{input_prefix}"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/output/"}}, **extra)["jobArn"]


def wait(bedrock, arn, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        job = bedrock.get_model_invocation_job(jobIdentifier=arn)
        if job["status"] in ("Completed", "PartiallyCompleted", "Failed", "Stopped", "Expired") or time.monotonic() > deadline:
            return job
        time.sleep(0.05)


def read_lines(s3, bucket, key):
    return [json.loads(line) for line in s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode().splitlines()]


def test_seed_004_flow_through_boto3(server):
    s3, bedrock = server.client("s3"), server.client("bedrock")
    bucket = new_bucket(s3)
    upload(s3, bucket, "input/part-1.jsonl", [messages_record(i) for i in range(60)])
    upload(s3, bucket, "input/part-2.jsonl", [messages_record(i) for i in range(60, 120)],
           extra_lines=["{not json", json.dumps({"recordId": "NOINPUT"}), json.dumps({"recordId": "BADBODY", "modelInput": {"max_tokens": 5}})])
    s3.put_object(Bucket=bucket, Key="input/readme.txt", Body=b"ignored: not .jsonl")
    arn = create(bedrock, bucket, name="seed-004")
    assert arn.startswith("arn:aws:bedrock:us-east-1:") and len(arn.rsplit("/", 1)[1]) == 12
    job = wait(bedrock, arn)
    assert job["status"] == "Completed", job.get("message")
    assert (job["totalRecordCount"], job["processedRecordCount"], job["successRecordCount"], job["errorRecordCount"]) == (123, 123, 120, 3)
    job_id = arn.rsplit("/", 1)[1]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=bucket, Prefix="output/")["Contents"])
    assert keys == [f"output/{job_id}/manifest.json.out", f"output/{job_id}/part-1.jsonl.out", f"output/{job_id}/part-2.jsonl.out"]
    first = read_lines(s3, bucket, f"output/{job_id}/part-1.jsonl.out")
    assert [r["recordId"] for r in first] == [f"REC{i:08d}" for i in range(60)]
    assert list(first[0]) == ["recordId", "modelInput", "modelOutput"]
    assert first[0]["modelInput"] == messages_record(0)["modelInput"]
    assert first[0]["modelOutput"]["type"] == "message" and first[0]["modelOutput"]["content"][0]["text"]
    second = read_lines(s3, bucket, f"output/{job_id}/part-2.jsonl.out")
    bad = second[-3:]
    assert all(set(r) >= {"recordId", "error"} and "modelOutput" not in r for r in bad)
    assert len(bad[0]["recordId"]) == 11 and bad[0]["error"]["errorCode"] == 400
    assert bad[2]["recordId"] == "BADBODY" and "anthropic_version" in bad[2]["error"]["errorMessage"]
    manifest = json.loads(s3.get_object(Bucket=bucket, Key=f"output/{job_id}/manifest.json.out")["Body"].read())
    assert list(manifest) == ["totalRecordCount", "processedRecordCount", "successRecordCount", "errorRecordCount", "inputTokenCount", "outputTokenCount"]
    assert manifest["successRecordCount"] == 120 and manifest["errorRecordCount"] == 3 and manifest["outputTokenCount"] > 0
    assert bedrock.get_model_invocation_job(jobIdentifier=job_id)["jobArn"] == arn


def test_same_seed_same_outputs(make_server):
    outputs = []
    for _ in range(2):
        srv = make_server("--seed", "7")
        s3, bedrock = srv.client("s3"), srv.client("bedrock")
        s3.create_bucket(Bucket="same-seed")
        upload(s3, "same-seed", "input/a.jsonl", [messages_record(i) for i in range(100)])
        arn = create(bedrock, "same-seed", clientRequestToken="fixed-token")
        wait(bedrock, arn)
        job_id = arn.rsplit("/", 1)[1]
        outputs.append((arn, s3.get_object(Bucket="same-seed", Key=f"output/{job_id}/a.jsonl.out")["Body"].read()))
    assert outputs[0] == outputs[1]


def test_jobs_that_fail_and_why(server):
    s3, bedrock = server.client("s3"), server.client("bedrock")
    bucket = new_bucket(s3)
    upload(s3, bucket, "few/a.jsonl", [messages_record(i) for i in range(3)])
    upload(s3, bucket, "input/a.jsonl", [messages_record(i) for i in range(100)])
    cases = {
        "too-few": create(bedrock, bucket, name="too-few", input_prefix="few/"),
        "empty": create(bedrock, bucket, name="empty", input_prefix="nothing-here/"),
        "unknown-model": create(bedrock, bucket, name="unknown-model", modelId="anthropic.claude-nonexistent-v9:0"),
    }
    missing = bedrock.create_model_invocation_job(
        jobName="no-bucket", roleArn=ROLE, modelId=MODEL, inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://no-such-batch-bucket/in/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/output/"}})["jobArn"]
    messages = {name: wait(bedrock, arn) for name, arn in cases.items()}
    messages["no-bucket"] = wait(bedrock, missing)
    assert {name: job["status"] for name, job in messages.items()} == dict.fromkeys(messages, "Failed")
    assert "(3)" in messages["too-few"]["message"] and "(100)" in messages["too-few"]["message"]
    assert ".jsonl" in messages["empty"]["message"]
    assert messages["unknown-model"]["message"] == "The provided model identifier is invalid."
    assert "s3://no-such-batch-bucket/in/" in messages["no-bucket"]["message"]
    assert all("endTime" in job for job in messages.values())


def test_create_validation_and_idempotency(server):
    s3, bedrock = server.client("s3"), server.client("bedrock")
    bucket = new_bucket(s3)
    upload(s3, bucket, "input/a.jsonl", [messages_record(i) for i in range(100)])

    def code(**overrides):
        args = dict(jobName="ok", roleArn=ROLE, modelId=MODEL, inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/input/"}},
                    outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/output/"}})
        args.update(overrides)
        with pytest.raises(ClientError) as info:
            bedrock.create_model_invocation_job(**args)
        return info.value.response["Error"]

    assert "at 'jobName' failed to satisfy constraint" in code(jobName="bad name")["Message"]
    assert "at 'roleArn'" in code(roleArn="not-a-role")["Message"]
    assert "inputDataConfig.s3InputDataConfig.s3Uri" in code(inputDataConfig={"s3InputDataConfig": {"s3Uri": "https://x/y"}})["Message"]
    unchecked = server.client("bedrock", parameter_validation=False)  # botocore checks the range itself
    with pytest.raises(ClientError) as info:
        unchecked.create_model_invocation_job(
            jobName="ok", roleArn=ROLE, modelId=MODEL, timeoutDurationInHours=12,
            inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/input/"}}, outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/output/"}})
    error = info.value.response["Error"]
    assert error["Code"] == "ValidationException" and "greater than or equal to 24" in error["Message"]
    first = create(bedrock, bucket, name="idem", clientRequestToken="token-1")
    assert create(bedrock, bucket, name="idem", clientRequestToken="token-1") == first
    assert create(bedrock, bucket, name="idem", clientRequestToken="token-2") != first
    with pytest.raises(ClientError) as info:
        bedrock.get_model_invocation_job(jobIdentifier="zzzzzzzzzzzz")
    assert info.value.response["Error"]["Code"] == "ResourceNotFoundException"
    with pytest.raises(ClientError) as info:
        bedrock.get_model_invocation_job(jobIdentifier="NOT-AN-ID")
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_lifecycle_paced_by_the_clock_and_stop(make_server):
    srv = make_server(config_text=(
        "bedrock:\n  batch:\n    minimumRecords: 10\n    submittedSeconds: 60\n    validatingSeconds: 60\n"
        "    scheduledSeconds: 60\n    inProgressSeconds: 600\n    stoppingSeconds: 30\n"))
    s3, bedrock = srv.client("s3"), srv.client("bedrock")
    s3.create_bucket(Bucket="paced")
    upload(s3, "paced", "input/a.jsonl", [messages_record(i) for i in range(100)])

    def advance(seconds):
        srv.admin("clock", method="POST", body=json.dumps({"advanceSeconds": seconds}).encode())

    arn = create(bedrock, "paced", name="paced")
    seen = [bedrock.get_model_invocation_job(jobIdentifier=arn)["status"]]
    for _ in range(3):
        advance(60)
        seen.append(bedrock.get_model_invocation_job(jobIdentifier=arn)["status"])
    assert seen == ["Submitted", "Validating", "Scheduled", "InProgress"]
    advance(300)
    halfway = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert halfway["status"] == "InProgress" and halfway["processedRecordCount"] == 50
    assert [j["status"] for j in bedrock.list_model_invocation_jobs(statusEquals="InProgress")["invocationJobSummaries"]] == ["InProgress"]
    bedrock.stop_model_invocation_job(jobIdentifier=arn)
    assert bedrock.get_model_invocation_job(jobIdentifier=arn)["status"] == "Stopping"
    advance(30)
    stopped = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert stopped["status"] == "Stopped" and stopped["processedRecordCount"] == 50
    job_id = arn.rsplit("/", 1)[1]
    assert len(read_lines(s3, "paced", f"output/{job_id}/a.jsonl.out")) == 50
    with pytest.raises(ClientError) as info:
        bedrock.stop_model_invocation_job(jobIdentifier=arn)
    assert info.value.response["Error"]["Code"] == "ConflictException"
    second = create(bedrock, "paced", name="second")
    advance(60 * 3 + 600)
    assert bedrock.get_model_invocation_job(jobIdentifier=second)["status"] == "Completed"


def test_list_filters_sort_and_pages(server):
    s3, bedrock = server.client("s3", region="ap-south-1"), server.client("bedrock", region="ap-south-1")
    name = f"list-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    upload(s3, name, "input/a.jsonl", [messages_record(i) for i in range(100)])
    arns = [create(bedrock, name, name=f"listed-{i}") for i in range(3)]
    newest_first = [j["jobArn"] for j in bedrock.list_model_invocation_jobs(nameContains="listed-")["invocationJobSummaries"]]
    assert newest_first == arns[::-1]
    oldest_first = bedrock.list_model_invocation_jobs(nameContains="listed-", sortOrder="Ascending")
    assert [j["jobArn"] for j in oldest_first["invocationJobSummaries"]] == arns
    pages = list(bedrock.get_paginator("list_model_invocation_jobs").paginate(nameContains="listed-", PaginationConfig={"PageSize": 2}))
    assert [len(p["invocationJobSummaries"]) for p in pages] == [2, 1]
    assert bedrock.list_model_invocation_jobs(statusEquals="Failed", nameContains="listed-")["invocationJobSummaries"] == []
    with pytest.raises(ClientError) as info:
        bedrock.list_model_invocation_jobs(statusEquals="Bogus")
    assert info.value.response["Error"]["Code"] == "ValidationException"


def test_converse_type_job(server):
    s3, bedrock = server.client("s3"), server.client("bedrock")
    bucket = new_bucket(s3)
    records = [{"recordId": f"C{i:010d}", "modelInput": {"messages": [{"role": "user", "content": [{"text": f"Hi {i}"}]}],
                                                           "inferenceConfig": {"maxTokens": 32}}} for i in range(100)]
    upload(s3, bucket, "input/c.jsonl", records)
    arn = create(bedrock, bucket, name="converse", modelInvocationType="Converse")
    job = wait(bedrock, arn)
    assert job["status"] == "Completed" and job["modelInvocationType"] == "Converse"
    line = read_lines(s3, bucket, f"output/{arn.rsplit('/', 1)[1]}/c.jsonl.out")[0]
    assert line["modelOutput"]["output"]["message"]["role"] == "assistant" and line["modelOutput"]["stopReason"]


def test_cli_job_commands(server):
    s3 = server.client("s3")
    bucket = new_bucket(s3)
    upload(s3, bucket, "input/a.jsonl", [messages_record(i) for i in range(100)])
    env = dict(os.environ, AWS_ACCESS_KEY_ID=DUMMY_KEY, AWS_SECRET_ACCESS_KEY=DUMMY_SECRET, AWS_DEFAULT_REGION="us-east-1",
               AWS_ENDPOINT_URL=server.url, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    created = subprocess.run([
        "aws", "bedrock", "create-model-invocation-job", "--job-name", "cli-job", "--role-arn", ROLE, "--model-id", MODEL,
        "--input-data-config", json.dumps({"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/input/"}}),
        "--output-data-config", json.dumps({"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/output/"}}), "--output", "json"],
        capture_output=True, text=True, env=env, timeout=60)
    assert created.returncode == 0, created.stderr
    arn = json.loads(created.stdout)["jobArn"]
    got = subprocess.run(["aws", "bedrock", "get-model-invocation-job", "--job-identifier", arn, "--output", "json"],
                         capture_output=True, text=True, env=env, timeout=60)
    assert json.loads(got.stdout)["status"] == "Completed"


def run_machine(sfn, definition, payload, name):
    arn = sfn.create_state_machine(name=name, definition=definition, roleArn="arn:aws:iam::123456789012:role/sfn")["stateMachineArn"]
    execution = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    deadline = time.monotonic() + 30
    while True:
        described = sfn.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(0.05)


def test_state_machine_sync_job_seed_definition(make_server):
    srv = make_server("--time-scale", "0")
    s3, sfn = srv.client("s3"), srv.client("stepfunctions")
    s3.create_bucket(Bucket="sfn-batch")
    upload(s3, "sfn-batch", "in/records.jsonl", [messages_record(i) for i in range(100)])
    definition = (FIXTURES / "seeds" / "asl" / "e_batch_inference.sync.asl.json").read_text()
    done = run_machine(sfn, definition, {"jobName": "from-sfn", "modelId": MODEL, "inputUri": "s3://sfn-batch/in/", "outputUri": "s3://sfn-batch/out/"}, "batch-sync")
    assert done["status"] == "SUCCEEDED", done
    output = json.loads(done["output"])
    assert output["Status"] == "Completed" and output["JobName"] == "from-sfn" and output["SuccessRecordCount"] == 100
    assert output["OutputDataConfig"]["S3OutputDataConfig"]["S3Uri"] == "s3://sfn-batch/out/"
    job_id = output["JobArn"].rsplit("/", 1)[1]
    assert len(read_lines(s3, "sfn-batch", f"out/{job_id}/records.jsonl.out")) == 100
    failing = run_machine(sfn, definition, {"jobName": "doomed", "modelId": MODEL, "inputUri": "s3://sfn-batch/empty/", "outputUri": "s3://sfn-batch/out/"}, "batch-sync-fail")
    assert failing["status"] == "FAILED" and failing["error"] == "Bedrock.ModelInvocationJobFailed"
    assert json.loads(failing["cause"])["Status"] == "Failed"
    history = sfn.get_execution_history(executionArn=failing["executionArn"])["events"]
    assert [e["type"] for e in history if e["type"] in ("TaskScheduled", "TaskStarted", "TaskFailed", "TaskSucceeded")] == ["TaskScheduled", "TaskStarted", "TaskFailed"]


def test_state_machine_request_response_and_s3_sdk_tasks(make_server):
    srv = make_server("--time-scale", "0")
    s3, sfn = srv.client("s3"), srv.client("stepfunctions")
    s3.create_bucket(Bucket="sfn-objects")
    upload(s3, "sfn-objects", "in/a.jsonl", [messages_record(i) for i in range(100)])
    definition = {"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:putObject",
                "Parameters": {"Bucket": "sfn-objects", "Key": "notes/n.json", "Body.$": "$.note"}, "ResultPath": "$.put", "Next": "Get"},
        "Get": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket": "sfn-objects", "Key": "notes/n.json"},
                "ResultSelector": {"Note.$": "States.StringToJson($.Body)", "Type.$": "$.ContentType"}, "ResultPath": "$.got", "Next": "List"},
        "List": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:listObjectsV2", "Parameters": {"Bucket": "sfn-objects", "Prefix": "notes/"},
                 "ResultSelector": {"Keys.$": "$.Contents[*].Key", "Count.$": "$.KeyCount"}, "ResultPath": "$.list", "Next": "Create"},
        "Create": {"Type": "Task", "Resource": "arn:aws:states:::bedrock:createModelInvocationJob",
                   "Parameters": {"JobName": "rr", "RoleArn": ROLE, "ModelId": MODEL, "InputDataConfig": {"S3InputDataConfig": {"S3Uri": "s3://sfn-objects/in/"}},
                                  "OutputDataConfig": {"S3OutputDataConfig": {"S3Uri": "s3://sfn-objects/out/"}}}, "ResultPath": "$.job", "Next": "Describe"},
        "Describe": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:bedrock:getModelInvocationJob",
                     "Parameters": {"JobIdentifier.$": "$.job.JobArn"}, "ResultSelector": {"Status.$": "$.Status"}, "ResultPath": "$.described", "Next": "Missing"},
        "Missing": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:s3:getObject", "Parameters": {"Bucket": "sfn-objects", "Key": "absent"},
                    "Catch": [{"ErrorEquals": ["S3.NoSuchKeyException"], "ResultPath": "$.caught", "Next": "Done"}], "End": True},
        "Done": {"Type": "Succeed"}}}
    done = run_machine(sfn, json.dumps(definition), {"note": {"text": "hi"}}, "s3-and-jobs")
    assert done["status"] == "SUCCEEDED", done
    output = json.loads(done["output"])
    assert output["got"] == {"Note": {"text": "hi"}, "Type": "binary/octet-stream"}
    assert output["list"] == {"Keys": ["notes/n.json"], "Count": 1}
    assert output["job"]["JobArn"].startswith("arn:aws:bedrock:us-east-1:")
    assert output["described"] == {"Status": "Completed"}
    assert output["caught"]["Error"] == "S3.NoSuchKeyException" and "Status Code: 404" in output["caught"]["Cause"]


def test_records_over_the_job_quota_fail_validation_without_running(make_server):
    """AWS's "Records per batch inference job" quota (50,000 by default, here 150): the job
    fails in validation and reading it stays instant, however large the input."""
    srv = make_server(config_text="bedrock:\n  batch:\n    maximumRecords: 150\n")
    s3, bedrock = srv.client("s3"), srv.client("bedrock")
    s3.create_bucket(Bucket="quota")
    upload(s3, "quota", "input/a.jsonl", [messages_record(i) for i in range(100)])
    upload(s3, "quota", "input/b.jsonl", [messages_record(i) for i in range(100)])
    arn = create(bedrock, "quota", name="too-many")
    job = bedrock.get_model_invocation_job(jobIdentifier=arn)
    assert job["status"] == "Failed"
    assert job["message"] == "The number of records in the input exceeds the maximum number of records per batch inference job (150)."
    assert "processedRecordCount" not in job
    upload(s3, "quota", "input/b.jsonl", [messages_record(i) for i in range(50)])
    assert bedrock.get_model_invocation_job(jobIdentifier=create(bedrock, "quota", name="at-limit"))["status"] == "Completed"
