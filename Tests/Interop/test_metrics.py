"""`GET /_understudy/metrics` read as Prometheus reads it (prometheus_client's own parser), while
boto3 makes the calls that move it: requests and their latency histogram, tokens by model,
injected faults, quota and rate-limit throttles, executions, batch records, and the switch."""
import json
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError
from prometheus_client.parser import text_string_to_metric_families

from harness import finished
from test_batch_inference import create, messages_record, new_bucket, upload, wait

CLAUDE = "anthropic.claude-3-5-haiku-20241022-v1:0"
NOVA = "amazon.nova-micro-v1:0"
ROLE = "arn:aws:iam::123456789012:role/r"
PROMPT = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 60, "messages": [{"role": "user", "content": "Count to ten"}]})


def client(server, service, **config):
    """One attempt per call, so a refused call is counted once (botocore retries throttles)."""
    return server.client(service, retries={"total_max_attempts": 1}, **config)


def scrape(server):
    with urllib.request.urlopen(server.url + "/_understudy/metrics", timeout=5) as r:
        assert r.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        return list(text_string_to_metric_families(r.read().decode()))


def value(families, sample, **labels):
    """The one sample named `sample` with exactly these labels, or 0 when there is none yet."""
    found = [s.value for f in families for s in f.samples if s.name == sample and s.labels == labels]
    assert len(found) <= 1, found
    return found[0] if found else 0


def family(families, name):
    return next(f for f in families if f.name == name)


def test_invoke_model_is_counted_with_its_tokens_and_latency(make_server):
    server = make_server()
    runtime = server.client("bedrock-runtime")
    inputs = outputs = 0
    for _ in range(3):
        headers = runtime.invoke_model(modelId=CLAUDE, body=PROMPT)["ResponseMetadata"]["HTTPHeaders"]
        inputs += int(headers["x-amzn-bedrock-input-token-count"])
        outputs += int(headers["x-amzn-bedrock-output-token-count"])
    with pytest.raises(ClientError):
        runtime.invoke_model(modelId="no.such-model-v1:0", body=PROMPT)
    families = scrape(server)

    call = {"service": "bedrock-runtime", "operation": "InvokeModel"}
    assert family(families, "understudy_requests").type == "counter"
    assert value(families, "understudy_requests_total", **call, status="200") == 3
    assert value(families, "understudy_requests_total", **call, status="400") == 1
    assert value(families, "understudy_bedrock_input_tokens_total", model=CLAUDE) == inputs > 0
    assert value(families, "understudy_bedrock_output_tokens_total", model=CLAUDE) == outputs > 0

    histogram = family(families, "understudy_request_duration_seconds")
    assert histogram.type == "histogram"
    buckets = sorted((float(s.labels["le"]), s.value) for s in histogram.samples
                     if s.name.endswith("_bucket") and {k: v for k, v in s.labels.items() if k != "le"} == call)
    assert buckets[0][0] == 0.0005 and buckets[-2][0] == 10 and buckets[-1][0] == float("inf")
    counts = [count for _, count in buckets]
    assert counts == sorted(counts), "cumulative buckets never go down"
    total = value(families, "understudy_request_duration_seconds_count", **call)
    assert counts[-1] == total == 4
    assert 0 < value(families, "understudy_request_duration_seconds_sum", **call) < 10 * total


def test_converse_and_streams_count_tokens_by_model(make_server):
    server = make_server()
    runtime = server.client("bedrock-runtime")
    usage = runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "hello"}]}])["usage"]
    streamed = {}
    for event in runtime.converse_stream(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "hello"}]}])["stream"]:
        if "metadata" in event:
            streamed = event["metadata"]["usage"]
    families = scrape(server)
    assert value(families, "understudy_bedrock_input_tokens_total", model=NOVA) == usage["inputTokens"] + streamed["inputTokens"]
    assert value(families, "understudy_bedrock_output_tokens_total", model=NOVA) == usage["outputTokens"] + streamed["outputTokens"]
    assert value(families, "understudy_requests_total", service="bedrock-runtime", operation="ConverseStream", status="200") == 1


def test_an_injected_fault_is_counted_by_its_rule(make_server):
    server = make_server()
    rule = {"name": "converse-down", "match": {"operation": "Converse"}, "error": {"code": "ServiceUnavailableException"}}
    server.admin("faults", method="POST", body=json.dumps(rule).encode())
    runtime = client(server, "bedrock-runtime")
    for _ in range(2):
        with pytest.raises(ClientError) as raised:
            runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "hi"}]}])
        assert raised.value.response["Error"]["Code"] == "ServiceUnavailableException"
    families = scrape(server)
    assert value(families, "understudy_faults_injected_total", rule="converse-down") == 2
    assert server.admin("faults/stats")["rules"]["converse-down"]["hits"] == 2
    assert value(families, "understudy_requests_total", service="bedrock-runtime", operation="Converse", status="503") == 2


def test_throttles_are_counted_by_quota_and_by_rate_limit(make_server):
    server = make_server(config_text=f"""
quotas:
  - {{name: one-a-minute, model: "{NOVA}", requestsPerMinute: 1}}
rateLimits:
  - {{name: slow-listing, service: states, operation: ListStateMachines, bucketSize: 1, refillPerSecond: 0.001}}
""")
    runtime, sfn = client(server, "bedrock-runtime"), client(server, "stepfunctions")
    runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    with pytest.raises(ClientError) as quota:
        runtime.converse(modelId=NOVA, messages=[{"role": "user", "content": [{"text": "hi"}]}])
    assert quota.value.response["Error"]["Code"] == "ThrottlingException"
    sfn.list_state_machines()
    with pytest.raises(ClientError) as limited:
        sfn.list_state_machines()
    assert limited.value.response["Error"]["Code"] == "ThrottlingException"
    families = scrape(server)
    assert value(families, "understudy_quota_throttles_total", quota="one-a-minute") == 1
    assert value(families, "understudy_rate_limit_throttles_total", rate_limit="slow-listing") == 1
    assert value(families, "understudy_faults_injected_total", rule="slow-listing") == 0


def test_executions_are_counted_as_they_start_and_end_by_type_and_status(make_server):
    server = make_server("--time-scale", "0")
    sfn = client(server, "stepfunctions", inject_host_prefix=False)
    passing = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
    failing = json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Nope"}}})
    waiting = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "End": True}}})
    express = sfn.create_state_machine(name="Quick", type="EXPRESS", definition=passing, roleArn=ROLE)["stateMachineArn"]
    standard = sfn.create_state_machine(name="Broken", definition=failing, roleArn=ROLE)["stateMachineArn"]
    assert sfn.start_sync_execution(stateMachineArn=express)["status"] == "SUCCEEDED"
    assert finished(sfn, sfn.start_execution(stateMachineArn=standard)["executionArn"])["status"] == "FAILED"

    before = scrape(server)
    assert value(before, "understudy_executions_started_total", type="EXPRESS") == 1
    assert value(before, "understudy_executions_finished_total", type="EXPRESS", status="SUCCEEDED") == 1
    assert value(before, "understudy_executions_started_total", type="STANDARD") == 1
    assert value(before, "understudy_executions_finished_total", type="STANDARD", status="FAILED") == 1

    # A stopped execution ends once, ABORTED, though its run ends after the stop.
    slow = sfn.create_state_machine(name="Slow", definition=waiting, roleArn=ROLE)["stateMachineArn"]
    server.admin("clock", method="POST", body=json.dumps({"timeScale": 1}).encode())
    arn = sfn.start_execution(stateMachineArn=slow)["executionArn"]
    sfn.stop_execution(executionArn=arn)
    time.sleep(0.2)
    after = scrape(server)
    assert value(after, "understudy_executions_started_total", type="STANDARD") == 2
    assert value(after, "understudy_executions_finished_total", type="STANDARD", status="ABORTED") == 1
    finished_standard = sum(s.value for f in after if f.name == "understudy_executions_finished"
                            for s in f.samples if s.name.endswith("_total") and s.labels["type"] == "STANDARD")
    assert finished_standard == 2


def test_batch_records_are_counted_when_the_job_ends(make_server):
    server = make_server()
    s3, bedrock = server.client("s3"), server.client("bedrock")
    bucket = new_bucket(s3)
    model = "anthropic.claude-3-haiku-20240307-v1:0"
    upload(s3, bucket, "input/records.jsonl", [messages_record(i) for i in range(101)], extra_lines=["{not json"])
    job = wait(bedrock, create(bedrock, bucket, name="counted", modelId=model))
    assert job["status"] == "Completed", job.get("message")
    families = scrape(server)
    assert value(families, "understudy_bedrock_batch_records_processed_total", model=model, result="succeeded") == job["successRecordCount"] == 101
    assert value(families, "understudy_bedrock_batch_records_processed_total", model=model, result="failed") == job["errorRecordCount"] == 1


@pytest.mark.parametrize("how", ["config", "flag"])
def test_metrics_can_be_turned_off(make_server, how):
    server = make_server(config_text="metrics:\n  enabled: false\n") if how == "config" else make_server("--no-metrics")
    server.client("bedrock-runtime").invoke_model(modelId=CLAUDE, body=PROMPT)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(server.url + "/_understudy/metrics", timeout=5)
    assert refused.value.code == 404
    assert refused.value.headers["x-amzn-ErrorType"] == "NotFound"
    assert "metrics.enabled: false" in json.loads(refused.value.read())["message"]
