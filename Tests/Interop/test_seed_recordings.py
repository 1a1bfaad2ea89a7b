"""The committed seed cassette (recordings/seeds): each seed's own AWS CLI command, sent to a
replaying server, prints what the seed document prints; with only Bedrock replayed, the seed's
state machine runs locally and its model calls get the published answers.

The expected outputs are the files under recordings/published, cut verbatim from the seed
documents; the cassette is built from them by recordings/make_seed_cassettes.py, so these tests
also fail when the generator or the cassette drifts from what the documents print.
"""
import json
import os
import subprocess
import time

import pytest

from harness import BINARY, DUMMY_KEY, DUMMY_SECRET, ROOT

RECORDINGS = ROOT / "recordings"
CASSETTE = RECORDINGS / "seeds"
PUBLISHED = RECORDINGS / "published"
DEFINITIONS = RECORDINGS / "definitions"

MACHINE_000 = "arn:aws:states:us-east-1:123456789012:stateMachine:StateMachineExpressSyncToBedrock-MXFRi47uY7pX"
INPUT_000 = '{"prompt": "\\n\\nHuman:Write 5 lines about how Moon was formed.\\n\\nAssistant:"}'
MACHINE_001 = "arn:aws:states:us-east-1:0123456789101:stateMachine:StateMachine2E01A3A5-GeJycj800pUN"
EXECUTION_001 = "arn:aws:states:us-east-1:0123456789101:execution:StateMachine2E01A3A5-GeJycj800pUN:387b0976-feb6-4c8c-9abe-af427546df3c"
MACHINE_003 = "arn:aws:states:us-east-1:123456789012:stateMachine:RFPQuestionAnswering"


def aws(server, tmp_path, *args, zone="UTC0"):
    """The AWS CLI as a reader of the seed would run it: timestamps as ISO 8601 in the reader's
    zone (the documents were printed in +05:30 and -05:00), the host prefix off for localhost."""
    config = tmp_path / "aws-config"
    config.write_text("[default]\ncli_timestamp_format = iso8601\n")
    env = dict(
        os.environ,
        AWS_ACCESS_KEY_ID=DUMMY_KEY,
        AWS_SECRET_ACCESS_KEY=DUMMY_SECRET,
        AWS_DEFAULT_REGION="us-east-1",
        AWS_CONFIG_FILE=str(config),
        AWS_SHARED_CREDENTIALS_FILE="/dev/null",
        AWS_MAX_ATTEMPTS="1",
        AWS_DISABLE_HOST_PREFIX_INJECTION="true",
        TZ=zone,
    )
    env.pop("AWS_PROFILE", None)
    env.pop("AWS_ENDPOINT_URL", None)
    result = subprocess.run(["aws", *args, "--endpoint-url", server.url], capture_output=True, text=True, env=env,
                            timeout=60, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def published(name):
    return (PUBLISHED / name).read_text()


@pytest.fixture
def replay(make_server):
    return make_server("--mode", "replay", "--recordings", str(CASSETTE), "--time-scale", "0")


def test_the_cassette_verifies_and_lists_every_seed_call():
    verify = subprocess.run([str(BINARY), "recordings", "verify", str(CASSETTE)], capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "18 interaction(s)" in verify.stdout
    listing = subprocess.run([str(BINARY), "recordings", "list", str(CASSETTE)], capture_output=True, text=True)
    assert listing.returncode == 0, listing.stderr
    operations = [line.split()[2] for line in listing.stdout.splitlines() if line.strip()]
    assert operations.count("CreateStateMachine") == 3
    assert operations.count("InvokeModel") == 11
    assert {"StartSyncExecution", "StartExecution", "DescribeExecution"} <= set(operations)


def test_000_start_sync_execution_prints_the_documented_output(replay, tmp_path):
    created = aws(replay, tmp_path, "stepfunctions", "create-state-machine", "--name",
                  "StateMachineExpressSyncToBedrock-MXFRi47uY7pX", "--type", "EXPRESS", "--role-arn",
                  "arn:aws:iam::123456789012:role/StateMachineExpressSyncToBedrockRole",
                  "--definition", "file://recordings/definitions/000-express-sync-claude-v2-1.asl.json")
    assert json.loads(created)["stateMachineArn"] == MACHINE_000
    printed = aws(replay, tmp_path, "stepfunctions", "start-sync-execution", "--name", "test", "--state-machine-arn",
                  MACHINE_000, "--input", INPUT_000, "--region", "us-east-1", zone="IST-5:30")
    assert printed == published("000-start-sync-execution.out.json")


def test_001_start_then_describe_print_the_documented_outputs(replay, tmp_path):
    created = aws(replay, tmp_path, "stepfunctions", "create-state-machine", "--name", "StateMachine2E01A3A5-GeJycj800pUN",
                  "--role-arn", "arn:aws:iam::0123456789101:role/StepFunctionBedrockStack-StateMachineRole",
                  "--definition", "file://recordings/definitions/001-cdk-invoke-model-claude-instant-v1.asl.json")
    assert json.loads(created)["stateMachineArn"] == MACHINE_001
    started = aws(replay, tmp_path, "stepfunctions", "start-execution", "--state-machine-arn", MACHINE_001, zone="EST5")
    assert started == published("001-start-execution.out.json")
    described = aws(replay, tmp_path, "stepfunctions", "describe-execution", "--execution-arn", EXECUTION_001, zone="EST5")
    assert described == published("001-describe-execution.out.json")


def test_003_map_execution_returns_the_documented_answers(replay, tmp_path):
    aws(replay, tmp_path, "stepfunctions", "create-state-machine", "--name", "RFPQuestionAnswering", "--type", "EXPRESS",
        "--role-arn", "arn:aws:iam::123456789012:role/RFPQuestionAnsweringRole",
        "--definition", "file://recordings/definitions/003-rfp-map-haiku.asl.json")
    answer = json.loads(aws(replay, tmp_path, "stepfunctions", "start-sync-execution", "--state-machine-arn", MACHINE_003,
                            "--input", "file://recordings/published/003-input.json"))
    assert answer["status"] == "SUCCEEDED"
    assert json.loads(answer["output"]) == json.loads(published("003-execution-output.console.json"))["output"]


def test_a_command_the_seeds_do_not_give_is_a_near_miss(replay, tmp_path):
    config = tmp_path / "aws-config"
    config.write_text("[default]\n")
    env = dict(os.environ, AWS_ACCESS_KEY_ID=DUMMY_KEY, AWS_SECRET_ACCESS_KEY=DUMMY_SECRET, AWS_DEFAULT_REGION="us-east-1",
               AWS_CONFIG_FILE=str(config), AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_MAX_ATTEMPTS="1")
    result = subprocess.run(["aws", "stepfunctions", "start-execution", "--state-machine-arn", MACHINE_001,
                             "--input", '{"prompt": "Write me a joke"}', "--endpoint-url", replay.url],
                            capture_output=True, text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "UnderstudyNoRecording" in result.stderr and "001-02-states-StartExecution.json" in result.stderr


@pytest.fixture
def models_replayed(make_server, tmp_path):
    config = f"mode: replay\nrecording:\n  dir: {CASSETTE}\n  services: [bedrock-runtime]\n"
    return make_server("--time-scale", "0", config_text=config)


def local_machine(server, tmp_path, name, definition, kind):
    created = aws(server, tmp_path, "stepfunctions", "create-state-machine", "--name", name, "--type", kind,
                  "--role-arn", "arn:aws:iam::000000000000:role/SeedRole", "--definition", f"file://{DEFINITIONS / definition}")
    return json.loads(created)["stateMachineArn"]


def test_state_machines_run_locally_on_the_recorded_model_answers(models_replayed, tmp_path):
    machine = local_machine(models_replayed, tmp_path, "Seed000", "000-express-sync-claude-v2-1.asl.json", "EXPRESS")
    answer = json.loads(aws(models_replayed, tmp_path, "stepfunctions", "start-sync-execution", "--name", "test",
                            "--state-machine-arn", machine, "--input", INPUT_000))
    assert answer["output"] == json.loads(published("000-start-sync-execution.out.json"))["output"]

    machine = local_machine(models_replayed, tmp_path, "Seed001", "001-cdk-invoke-model-claude-instant-v1.asl.json", "STANDARD")
    execution = json.loads(aws(models_replayed, tmp_path, "stepfunctions", "start-execution", "--state-machine-arn", machine))
    deadline = time.monotonic() + 20
    while True:
        described = json.loads(aws(models_replayed, tmp_path, "stepfunctions", "describe-execution",
                                   "--execution-arn", execution["executionArn"]))
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert described["output"] == json.loads(published("001-describe-execution.out.json"))["output"]

    machine = local_machine(models_replayed, tmp_path, "Seed003", "003-rfp-map-haiku.asl.json", "EXPRESS")
    answer = json.loads(aws(models_replayed, tmp_path, "stepfunctions", "start-sync-execution", "--state-machine-arn", machine,
                            "--input", "file://recordings/published/003-input.json"))
    assert json.loads(answer["output"]) == json.loads(published("003-execution-output.console.json"))["output"]
