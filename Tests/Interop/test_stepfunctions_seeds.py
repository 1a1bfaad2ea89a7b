"""The seed flows through boto3 and the AWS CLI: seed 000 (EXPRESS, start-sync-execution,
Retry), seed 001 (STANDARD, start-execution + describe-execution), seed 003 (inline Map of
Bedrock calls, results in input order)."""
import json
import time

import pytest

from harness import FIXTURES, aws_json

SEEDS = FIXTURES / "seeds"
ROLE = "arn:aws:iam::123456789012:role/seed-role"
RFP_QUESTIONS = [
    "Can you describe your technical capabilities and infrastructure?",
    "What security measures do you have in place to protect data and privacy?",
    "Can you provide case studies or examples of similar projects you have handled?",
    "How do you handle project management, and what tools do you use?",
    "What are your support and maintenance services like?",
    "What is your pricing model?",
    "Can you provide references from other clients?",
    "How do you ensure the scalability of your solution?",
    "What is your approach to data backup and recovery?",
]


def definition(name, model_id=None):
    text = (SEEDS / "asl" / name).read_text()
    return text.replace("${ModelId}", model_id) if model_id else text


@pytest.fixture(scope="module")
def instant(request):
    from harness import Server

    s = Server("--time-scale", "0")
    request.addfinalizer(s.stop)
    return s


def sfn(server):
    return server.client("stepfunctions", inject_host_prefix=False)


def aws(server, *args):
    return aws_json(server, *args, AWS_DISABLE_HOST_PREFIX_INJECTION="true")



def test_seed_000_express_start_sync_execution_with_the_cli(instant):
    arn = sfn(instant).create_state_machine(
        name="StateMachineExpressSyncToBedrock",
        definition=definition("a_stepfunctions_bedrock_sam.claude_v2_1.asl.json", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"),
        roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    out = aws(instant, "stepfunctions", "start-sync-execution", "--name", "test", "--state-machine-arn", arn,
              "--input", json.dumps({"prompt": "\n\nHuman:Write 5 lines about how Moon was formed.\n\nAssistant:"}))
    assert out["status"] == "SUCCEEDED"
    assert out["executionArn"].startswith(f"arn:aws:states:us-east-1:000000000000:express:StateMachineExpressSyncToBedrock:test:")
    assert out["inputDetails"] == {"included": True} and out["billingDetails"]["billedMemoryUsedInMB"] == 64
    output = json.loads(out["output"])
    assert list(output) == ["Body", "ContentType"] and output["ContentType"] == "application/json"
    assert list(output["Body"]) == ["completion", "stop_reason", "stop"]
    assert output["Body"]["stop_reason"] == "stop_sequence" and output["Body"]["stop"] == "\n\nHuman:"


def test_seed_000_current_revision_with_an_inference_profile(instant):
    client = sfn(instant)
    arn = client.create_state_machine(
        name="SonnetExpress", type="EXPRESS", roleArn=ROLE,
        definition=definition("a2_stepfunctions_bedrock_sam.sonnet_4_5.asl.json",
                              "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-sonnet-4-5-20250929-v1:0"))["stateMachineArn"]
    out = client.start_sync_execution(stateMachineArn=arn, input=json.dumps({"prompt": "Write 5 lines about the Moon"}))
    assert out["status"] == "SUCCEEDED", out
    body = json.loads(out["output"])["Body"]
    assert body["type"] == "message" and body["content"][0]["text"]


def test_seed_000_retries_two_throttles_instantly(instant):
    import urllib.request

    rule = {"name": "throttle-twice", "match": {"model": "anthropic.claude-v2:1"},
            "responses": [{"error": {"code": "ThrottlingException"}}, {"error": {"code": "ThrottlingException"}}, {"text": "The Moon formed from debris."}]}
    urllib.request.urlopen(urllib.request.Request(instant.url + "/_understudy/completions", data=json.dumps(rule).encode(), method="POST", headers={"Content-Type": "application/json"}))
    client = sfn(instant)
    arn = client.create_state_machine(
        name="RetryingExpress", type="EXPRESS", roleArn=ROLE,
        definition=definition("a_stepfunctions_bedrock_sam.claude_v2_1.asl.json", "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"))["stateMachineArn"]
    started = time.monotonic()
    out = client.start_sync_execution(stateMachineArn=arn, input=json.dumps({"prompt": "\n\nHuman:Moon?\n\nAssistant:"}))
    assert time.monotonic() - started < 5, "20 s and 200 s backoffs elapse instantly with --time-scale 0"
    assert out["status"] == "SUCCEEDED", out
    assert json.loads(out["output"])["Body"]["completion"] == " The Moon formed from debris."
    # The task's calls went through the dispatcher: the journal shows all three attempts.
    calls = [e for e in instant.admin("journal")["entries"] if e["service"] == "bedrock-runtime" and e.get("rule") == "throttle-twice"]
    assert [(e["operation"], e["status"]) for e in calls[-3:]] == [("InvokeModel", 429), ("InvokeModel", 429), ("InvokeModel", 200)]
    urllib.request.urlopen(urllib.request.Request(instant.url + "/_understudy/completions/throttle-twice", method="DELETE", headers={"Content-Type": "application/json"}))


def test_bedrock_errors_surface_as_bedrock_error_names(instant):
    client = sfn(instant)
    arn = client.create_state_machine(
        name="BadModel", type="EXPRESS", roleArn=ROLE,
        definition=json.dumps({"StartAt": "Invoke", "States": {"Invoke": {"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
                                "Parameters": {"ModelId": "anthropic.nope-v1:0", "Body": {"prompt": "x"}}, "End": True}}}))["stateMachineArn"]
    out = client.start_sync_execution(stateMachineArn=arn, input="{}")
    assert out["status"] == "FAILED"
    assert out["error"] == "Bedrock.ValidationException"
    assert out["cause"].startswith("The provided model identifier is invalid. (Service: BedrockRuntime, Status Code: 400, Request ID: ")


def test_seed_001_standard_start_then_describe_with_the_cli(server):
    arn = sfn(server).create_state_machine(
        name="CdkBedrockJoke", roleArn=ROLE,
        definition=definition("b_cdk_bedrock_invoke_model.claude_instant_v1.asl.json"))["stateMachineArn"]
    started = aws(server, "stepfunctions", "start-execution", "--state-machine-arn", arn, "--input", json.dumps({"prompt": "Write me a joke"}))
    assert started["executionArn"].endswith(":execution:CdkBedrockJoke:" + started["executionArn"].split(":")[-1])
    for _ in range(100):
        described = aws(server, "stepfunctions", "describe-execution", "--execution-arn", started["executionArn"])
        if described["status"] != "RUNNING":
            break
        time.sleep(0.05)
    assert described["status"] == "SUCCEEDED"
    output = json.loads(described["output"])
    assert list(output) == ["joke"] and "joke" in output["joke"].lower()


@pytest.mark.parametrize("asl", ["d_rfp_map_haiku.asl.json", "d_rfp_map_haiku.pass_projection.asl.json"])
def test_seed_003_map_of_bedrock_calls_in_order(server, asl):
    client = sfn(server)
    arn = client.create_state_machine(name="Rfp" + str(abs(hash(asl)) % 10000), roleArn=ROLE, type="EXPRESS", definition=definition(asl))["stateMachineArn"]
    payload = {"questions": RFP_QUESTIONS, "description": "Our company, AnyCompany Tech, has a robust infrastructure and security."}
    out = client.start_sync_execution(stateMachineArn=arn, input=json.dumps(payload))
    assert out["status"] == "SUCCEEDED", out
    results = json.loads(out["output"])
    assert [r["question"] for r in results] == RFP_QUESTIONS
    assert all(r["response"]["completion"] for r in results)
    assert len({r["response"]["completion"] for r in results}) == 9, "each question gets its own answer"


def test_aws_sdk_converse_integration(instant):
    client = sfn(instant)
    definition = json.dumps({"StartAt": "Ask", "States": {"Ask": {
        "Type": "Task", "Resource": "arn:aws:states:::aws-sdk:bedrockruntime:converse",
        "Parameters": {"ModelId": "us.anthropic.claude-haiku-4-5-20251001-v1:0",
                       "Messages": [{"Role": "user", "Content": [{"Text.$": "$.question"}]}],
                       "InferenceConfig": {"MaxTokens": 200}},
        "ResultSelector": {"answer.$": "$.Output.Message.Content[0].Text", "stop.$": "$.StopReason", "tokens.$": "$.Usage.OutputTokens"},
        "End": True}}})
    arn = client.create_state_machine(name="SdkConverse", type="EXPRESS", roleArn=ROLE, definition=definition)["stateMachineArn"]
    out = client.start_sync_execution(stateMachineArn=arn, input=json.dumps({"question": "What is a state machine?"}))
    assert out["status"] == "SUCCEEDED", out
    result = json.loads(out["output"])
    assert result["answer"] and result["stop"] == "end_turn" and result["tokens"] > 0
