"""Step Functions API rate limits through real clients: token buckets per account and region,
StartExecution's separate Standard and Express buckets, AWS's throttling error, refills that
follow the clock, the admin and config surfaces, and the `realistic` preset of AWS's table."""
import json
import time
import urllib.error
import urllib.request

import pytest
from botocore.exceptions import ClientError
from test_aws_cli import aws

ROLE = "arn:aws:iam::123456789012:role/r"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def post(server, path, body):
    req = urllib.request.Request(server.url + "/_understudy/" + path, data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req) as r:
        return json.loads(r.read())


def machines(sfn):
    standard = sfn.create_state_machine(name="Std", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    express = sfn.create_state_machine(name="Exp", type="EXPRESS", definition=PASS, roleArn=ROLE)["stateMachineArn"]
    return standard, express


def test_start_execution_bucket_throttles_standard_machines_and_refills_with_the_clock(make_server):
    server = make_server(config_text="""
rateLimits:
  - service: states
    operation: StartExecution
    stateMachineType: STANDARD
    bucketSize: 2
    refillPerSecond: 0.01
""")
    sfn = server.client("stepfunctions", retries={"total_max_attempts": 1})
    standard, express = machines(sfn)
    sfn.start_execution(stateMachineArn=standard)
    sfn.start_execution(stateMachineArn=standard)
    with pytest.raises(ClientError) as throttled:
        sfn.start_execution(stateMachineArn=standard)
    error = throttled.value.response
    assert error["Error"] == {"Code": "ThrottlingException", "Message": "Rate exceeded"}
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
    # The Express bucket is another one; other operations are not limited.
    for _ in range(3):
        sfn.start_execution(stateMachineArn=express)
    sfn.describe_state_machine(stateMachineArn=standard)
    # Each account and region has its own bucket.
    other = server.client("stepfunctions", region="eu-west-1", retries={"total_max_attempts": 1})
    eu_standard, _ = machines(other)
    other.start_execution(stateMachineArn=eu_standard)
    # 100 seconds at 0.01 a second puts one token back.
    post(server, "clock", {"advanceSeconds": 100})
    sfn.start_execution(stateMachineArn=standard)
    with pytest.raises(ClientError):
        sfn.start_execution(stateMachineArn=standard)
    starts = [e for e in server.admin("journal")["entries"] if e["operation"] == "StartExecution" and e["status"] == 400]
    assert [e["fault"] for e in starts] == ["rateLimit:states:StartExecution:STANDARD"] * 2
    assert server.admin("rate-limits/stats")["rules"] == {"states:StartExecution:STANDARD": {"refused": 2}}


def test_aws_cli_prints_the_throttle_as_aws_would(make_server):
    server = make_server()
    post(server, "rate-limits", {"service": "states", "operation": "List*", "bucketSize": 1, "refillPerSecond": 0.001})
    assert aws(server, "stepfunctions", "list-state-machines").returncode == 0
    result = aws(server, "stepfunctions", "list-state-machines")
    # A throttle that used up the retries exits 255, as the CLI does against AWS.
    assert result.returncode == 255
    assert "An error occurred (ThrottlingException) when calling the ListStateMachines operation (reached max retries: 0): Rate exceeded" in result.stderr


def test_realistic_preset_follows_the_published_table_by_region(make_server):
    server = make_server()
    post(server, "rate-limits", {"preset": "realistic"})
    rules = {r["name"]: r for r in server.admin("rate-limits")["rules"]}
    assert rules["realistic/StartExecution:STANDARD"] == {
        "name": "realistic/StartExecution:STANDARD", "service": "states", "operation": "StartExecution", "stateMachineType": "STANDARD",
        "regions": ["us-east-1", "us-west-2", "eu-west-1"], "bucketSize": 1300, "refillPerSecond": 300}
    assert rules["realistic/StartExecution:STANDARD:other-regions"]["bucketSize"] == 800
    assert rules["realistic/StartExecution:EXPRESS"]["bucketSize"] == 6000
    assert rules["realistic/DescribeExecution:other-regions"]["refillPerSecond"] == 10
    assert not [n for n in rules if "StartSyncExecution" in n]
    # ValidateStateMachineDefinition: a bucket of 100 refilled once a second, in every region.
    sfn = server.client("stepfunctions", region="ap-southeast-2", retries={"total_max_attempts": 1})
    started, allowed = time.monotonic(), 0
    while True:
        try:
            sfn.validate_state_machine_definition(definition=PASS)
            allowed += 1
        except ClientError as e:
            assert e.response["Error"]["Code"] == "ThrottlingException"
            break
        assert allowed < 1000
    assert 100 <= allowed <= 100 + int(time.monotonic() - started) + 1
    server.admin("rate-limits", method="DELETE")
    sfn.validate_state_machine_definition(definition=PASS)


def test_invalid_rate_limits_are_refused(make_server):
    server = make_server()
    for bad in [{"operation": "StartExecution", "bucketSize": 1, "refillPerSecond": 1},
                {"service": "states", "operation": "StartExecution", "bucketSize": 0, "refillPerSecond": 1},
                {"service": "states", "operation": "StartExecution", "bucketSize": 1, "refillPerSecond": 0},
                {"service": "states", "operation": "StartExecution", "stateMachineType": "FAST", "bucketSize": 1, "refillPerSecond": 1},
                {"preset": "generous"}]:
        with pytest.raises(urllib.error.HTTPError) as refused:
            post(server, "rate-limits", bad)
        assert refused.value.code == 400
    assert server.admin("rate-limits")["rules"] == []
