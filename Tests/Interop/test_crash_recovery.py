"""Crash recovery under load (issue 23's acceptance test). StartExecution on machines with a
Wait, an inline Map of Bedrock calls and an activity (a callback answered by a worker), S3 PUTs
that overwrite each other and batch inference jobs run while the server is killed with SIGKILL
three times at moments a seeded random stream picks, and restarted on the same --data-dir each
time. Afterwards every execution whose StartExecution was answered ends as it does in a run
without a crash on a server with the same seed (status and output); its history has
consecutive ids and no event twice; every acknowledged object reads back whole with its digest
(or with a later body whose PUT was under way), nothing partial is listed; batch jobs complete
with all their records. Bounded: each phase has a deadline, about a minute in all."""
import datetime
import hashlib
import json
import os
import random
import signal
import threading
import time

import botocore.exceptions

from harness import Server

ROLE = "arn:aws:iam::000000000000:role/crash"
MODEL = "anthropic.claude-3-haiku-20240307-v1:0"
SEED = "20261206"
# Batch jobs paced over a few real seconds, so the kills find them under way.
CONFIG = "bedrock:\n  batch:\n    minimumRecords: 10\n    inProgressSeconds: 4\n"
LOAD_SECONDS = 6.0
KILLS = 3


def ask(prompt_path):
    return {"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
            "Parameters": {"ModelId": MODEL, "Body": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 40,
                                                      "messages": [{"role": "user", "content": [{"type": "text", "text.$": prompt_path}]}]}},
            "ResultSelector": {"text.$": "$.Body.content[0].text", "tokens.$": "$.Body.usage.output_tokens"},
            # A call under way at the kill fails with States.TaskFailed; the Retry calls again.
            "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 4, "IntervalSeconds": 1, "BackoffRate": 1}]}


def machines(activity_arn):
    return {
        "wait-ask": {"StartAt": "Prompt", "States": {
            "Prompt": {"Type": "Pass", "Parameters": {"prompt.$": "States.Format('Tell me about {} in one line.', $.topic)"}, "Next": "Pause"},
            "Pause": {"Type": "Wait", "Seconds": 1, "Next": "Ask"},
            "Ask": {**ask("$.prompt"), "ResultPath": "$.answer", "Next": "Done"},
            "Done": {"Type": "Pass", "OutputPath": "$.answer", "End": True}}},
        "fan-out": {"StartAt": "Each", "States": {
            "Each": {"Type": "Map", "ItemsPath": "$.questions", "MaxConcurrency": 2, "ResultPath": "$.answers", "Next": "Rest",
                     "ItemProcessor": {"ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "One", "States": {"One": {**ask("$"), "End": True}}}},
            "Rest": {"Type": "Wait", "Seconds": 1, "OutputPath": "$.answers", "End": True}}},
        "callback": {"StartAt": "Work", "States": {
            "Work": {"Type": "Task", "Resource": activity_arn, "TimeoutSeconds": 15,
                     "Retry": [{"ErrorEquals": ["States.Timeout", "States.TaskFailed"], "MaxAttempts": 3, "IntervalSeconds": 1}],
                     "ResultPath": "$.work", "Next": "Done"},
            "Done": {"Type": "Pass", "OutputPath": "$.work", "End": True}}},
    }


def execution_input(index):
    kind = ("wait-ask", "fan-out", "callback")[index % 3]
    if kind == "wait-ask":
        return kind, {"topic": f"topic {index}"}
    if kind == "fan-out":
        return kind, {"questions": [f"Question {index}.{q}?" for q in range(3)]}
    return kind, {"job": index}


def batch_records(count, tag):
    lines = [json.dumps({"recordId": f"{tag}{i:05d}", "modelInput": {
        "anthropic_version": "bedrock-2023-05-31", "max_tokens": 32,
        "messages": [{"role": "user", "content": [{"type": "text", "text": f"Summarize {tag} {i}."}]}]}}) for i in range(count)]
    return ("\n".join(lines) + "\n").encode()


class Target:
    """The server the load goes to; replaced at each restart."""

    def __init__(self, server):
        self.lock = threading.Lock()
        self.server = server

    def client(self, service, **config):
        with self.lock:
            server = self.server
        config.setdefault("connect_timeout", 1)
        config.setdefault("read_timeout", 10)
        return server.client(service, **config)


def set_up(server):
    sfn = server.client("stepfunctions")
    activity = sfn.create_activity(name="crash-worker")["activityArn"]
    arns = {name: sfn.create_state_machine(name=name, definition=json.dumps(definition), roleArn=ROLE)["stateMachineArn"]
            for name, definition in machines(activity).items()}
    s3 = server.client("s3")
    for bucket in ("load", "jobs"):
        s3.create_bucket(Bucket=bucket)
    return activity, arns


def worker(target, activity, stop):
    """Answers activity tasks: the output follows from the input alone."""
    while not stop.is_set():
        try:
            sfn = target.client("stepfunctions", read_timeout=70)
            task = sfn.get_activity_task(activityArn=activity, workerName="crash")
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            time.sleep(0.05)
            continue
        token = task.get("taskToken")
        if not token:
            continue
        output = json.dumps({"done": json.loads(task["input"])["job"] * 2})
        for _ in range(100):
            try:
                target.client("stepfunctions").send_task_success(taskToken=token, output=output)
                break
            except botocore.exceptions.ClientError:
                break  # spent (a timeout retried it): nothing to answer
            except botocore.exceptions.BotoCoreError:
                time.sleep(0.05)  # the server is restarting: answer again


def load_executions(target, arns, stop, started):
    index = 0
    while not stop.is_set():
        kind, payload = execution_input(index)
        name = f"run-{index:04d}"
        try:
            answer = target.client("stepfunctions").start_execution(stateMachineArn=arns[kind], name=name, input=json.dumps(payload))
            started.append((name, kind, payload, answer["startDate"]))
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            pass  # not acknowledged: it may or may not exist
        index += 1
        time.sleep(0.04)


def load_objects(target, stop, sent, acknowledged, rng):
    index = 0
    while not stop.is_set():
        key = f"k{index % 12:02d}"
        body = rng.randbytes(rng.randint(1, 96 * 1024))
        sent.setdefault(key, []).append(hashlib.sha256(body).hexdigest())
        try:
            target.client("s3").put_object(Bucket="load", Key=key, Body=body)
            acknowledged[key] = len(sent[key]) - 1
        except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
            pass
        index += 1


def start_job(client, s3, name):
    s3.put_object(Bucket="jobs", Key=f"{name}/in.jsonl", Body=batch_records(30, name))
    return client.create_model_invocation_job(
        jobName=name, roleArn=ROLE, modelId=MODEL,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://jobs/{name}/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://jobs/out-{name}/"}})["jobArn"]


def kill(server):
    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    for stream in (server.process.stdout, server.process.stderr):
        stream.close()


def settle(sfn, arns_by_name, deadline):
    """Every execution's description once none is RUNNING (or at the deadline)."""
    while True:
        described = {name: sfn.describe_execution(executionArn=arn) for name, arn in arns_by_name.items()}
        if all(d["status"] != "RUNNING" for d in described.values()) or time.monotonic() > deadline:
            return described
        time.sleep(0.2)


def check_history(events, name):
    ids = [e["id"] for e in events]
    assert ids == list(range(1, len(ids) + 1)), f"{name}: ids {ids}"
    assert all(0 <= e["previousEventId"] < e["id"] for e in events), name
    types = [e["type"] for e in events]
    assert types.count("ExecutionStarted") == 1 and types[0] == "ExecutionStarted", f"{name}: {types}"
    assert types[-1] in ("ExecutionSucceeded", "ExecutionFailed") and sum(t.startswith("Execution") for t in types) == 2, f"{name}: {types}"
    seen = set()
    for e in events:
        detail = json.dumps({k: v for k, v in e.items() if k not in ("id", "timestamp")}, sort_keys=True, default=str)
        assert detail not in seen, f"{name}: event {e['id']} ({e['type']}) recorded twice"
        seen.add(detail)


def test_sigkill_three_times_under_mixed_load(tmp_path):
    data = tmp_path / "data"
    rng = random.Random(int(SEED))
    args = ("--data-dir", str(data), "--seed", SEED)
    servers = [Server(*args, config_text=CONFIG, tmp_path=tmp_path)]
    target = Target(servers[0])
    try:
        activity, arns = set_up(servers[0])
        first_job = start_job(servers[0].client("bedrock"), servers[0].client("s3"), "before")
        load_stop, worker_stop = threading.Event(), threading.Event()
        started, sent, acknowledged = [], {}, {}
        threads = [threading.Thread(target=worker, args=(target, activity, worker_stop), daemon=True),
                   threading.Thread(target=load_executions, args=(target, arns, load_stop, started), daemon=True),
                   threading.Thread(target=load_objects, args=(target, load_stop, sent, acknowledged, random.Random(7)), daemon=True)]
        for thread in threads:
            thread.start()
        moments = sorted(rng.uniform(0.5, LOAD_SECONDS) for _ in range(KILLS))
        began, jobs, kills = time.monotonic(), [first_job], []
        for number, moment in enumerate(moments):
            time.sleep(max(0.0, began + moment - time.monotonic()))
            if number == 0:
                try:
                    jobs.append(start_job(target.client("bedrock"), target.client("s3"), "during"))
                except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError):
                    pass
            kills.append(datetime.datetime.now(datetime.timezone.utc))
            kill(servers[-1])
            servers.append(Server(*args, config_text=CONFIG, tmp_path=tmp_path))
            with target.lock:
                target.server = servers[-1]
        time.sleep(max(0.0, began + LOAD_SECONDS + 1 - time.monotonic()))
        load_stop.set()
        for thread in threads[1:]:
            thread.join(timeout=15)
        assert len(started) > 60, f"only {len(started)} executions were acknowledged"

        server = servers[-1]
        sfn = server.client("stepfunctions")
        account_arn = {name: arns[kind].replace(":stateMachine:", ":execution:") + ":" + name for name, kind, _, _ in started}
        start_dates = {name: date for name, _, _, date in started}
        # The worker keeps answering until every execution has ended.
        outcomes = settle(sfn, account_arn, time.monotonic() + 60)
        still = [n for n, d in outcomes.items() if d["status"] == "RUNNING"]
        assert not still, f"still running: {still[:5]}"
        spanning = 0
        for name in account_arn:
            events = sfn.get_execution_history(executionArn=account_arn[name], maxResults=1000)["events"]
            check_history(events, name)
            spanning += any(events[0]["timestamp"] < moment < events[-1]["timestamp"] for moment in kills)
            # Resumed from what was recorded, not run again: the start is the one answered.
            assert abs((events[0]["timestamp"] - start_dates[name]).total_seconds()) < 0.1, f"{name} started again after a restart"


        assert spanning >= 3, f"only {spanning} executions were running at a kill"

        # Objects: the last acknowledged body, or a later one whose PUT was under way.
        s3 = server.client("s3")
        listed = {o["Key"] for o in s3.list_objects_v2(Bucket="load").get("Contents", [])}
        assert set(acknowledged) <= listed
        for key in listed:
            digest = hashlib.sha256(s3.get_object(Bucket="load", Key=key)["Body"].read()).hexdigest()
            assert digest in sent[key][acknowledged.get(key, 0):], f"{key}: neither the last acknowledged body nor a later one" 

        # Batch jobs complete with every record.
        bedrock = server.client("bedrock")
        deadline = time.monotonic() + 30
        for job in jobs:
            while (described := bedrock.get_model_invocation_job(jobIdentifier=job))["status"] != "Completed" and time.monotonic() < deadline:
                assert described["status"] in ("Submitted", "Validating", "Scheduled", "InProgress"), described
                time.sleep(0.2)
            assert (described["status"], described["processedRecordCount"], described["successRecordCount"]) == ("Completed", 30, 30), described
            job_id = job.rsplit("/", 1)[1]
            name = described["jobName"]
            out = s3.get_object(Bucket="jobs", Key=f"out-{name}/{job_id}/in.jsonl.out")["Body"].read().decode().splitlines()
            assert sorted(json.loads(line)["recordId"] for line in out) == [f"{name}{i:05d}" for i in range(30)]
        worker_stop.set()

        # The same executions on a server with the same seed that is never killed.
        reference = Server("--seed", SEED, config_text=CONFIG, tmp_path=tmp_path)
        servers.append(reference)
        reference_activity, reference_arns = set_up(reference)
        assert (reference_activity, reference_arns) == (activity, arns)
        calm_stop = threading.Event()
        calm = threading.Thread(target=worker, args=(Target(reference), activity, calm_stop), daemon=True)
        calm.start()
        rsfn = reference.client("stepfunctions")
        for name, kind, payload, _ in started:
            rsfn.start_execution(stateMachineArn=arns[kind], name=name, input=json.dumps(payload))
        expected = settle(rsfn, account_arn, time.monotonic() + 60)
        calm_stop.set()
        for name in account_arn:
            got, want = outcomes[name], expected[name]
            assert (got["status"], got.get("output"), got.get("error")) == (want["status"], want.get("output"), want.get("error")), name
    finally:
        for event in ("load_stop", "worker_stop"):
            if event in locals():
                locals()[event].set()
        for server in servers:
            if server.process.poll() is None:
                server.stop()
