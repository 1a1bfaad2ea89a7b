#!/usr/bin/env python3
"""Builds the seed cassette (recordings/seeds) from the answers the seed documents publish.

Nothing here was recorded live: the seed documents print what AWS answered them (the AWS CLI's
output for 000 and 001, the execution output for 003), and this script turns those printed
answers back into the wire answers AWS sent, beside the requests that the seed's own AWS CLI
commands send. Run it again after editing anything under recordings/published or the seed
definitions under Tests/Fixtures/seeds/asl; it rewrites recordings/seeds and
recordings/definitions whole, so the result is the same bytes every time.

Usage: python3 recordings/make_seed_cassettes.py
"""
import datetime
import json
import pathlib
import shutil
import uuid

HERE = pathlib.Path(__file__).resolve().parent
PUBLISHED = HERE / "published"
DEFINITIONS = HERE / "definitions"
CASSETTE = HERE / "seeds"
FIXTURES = HERE.parent / "Tests" / "Fixtures" / "seeds" / "asl"

# What the assembled answers need and the documents do not print. Invented, and said so in
# recordings/README.md: role ARNs, creation dates, request ids, 003's names, dates and token counts.
ACCOUNT_000 = "123456789012"
ACCOUNT_001 = "0123456789101"  # as 001's document prints it (13 digits, sic)
ACCOUNT_003 = "123456789012"
STATES_HEADERS = {"Content-Type": "application/x-amz-json-1.0"}
STATES_JSON = "application/x-amz-json-1.0"


def epoch(printed):
    """The AWS CLI prints a timestamp in the reader's zone; Step Functions sends epoch seconds."""
    moment = datetime.datetime.fromisoformat(printed)
    return round(moment.timestamp(), 3)


def request_id(label):
    """A fixed, made-up request id per interaction, so regenerating gives the same bytes."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "understudy-seed-cassette:" + label))


def read_published(name):
    return json.loads((PUBLISHED / name).read_text())


def states_call(label, operation, body, answer, resource=None):
    """One Step Functions interaction: awsJson1_0, `X-Amz-Target` naming the operation."""
    return {
        "label": label,
        "service": "states",
        "operation": operation,
        "resource": resource,
        "request": {
            "method": "POST",
            "path": "/",
            "query": "",
            "headers": {"X-Amz-Target": "AWSStepFunctions." + operation, "Content-Type": STATES_JSON},
            "bodyEncoding": "json",
            "body": body,
        },
        "response": {
            "status": 200,
            "headers": {"x-amzn-RequestId": request_id(label), "Content-Type": STATES_JSON},
            "bodyEncoding": "json",
            "body": answer,
        },
    }


def invoke_model_call(label, model_id, body, answer):
    """One Bedrock InvokeModel, as a state machine's `bedrock:invokeModel` Task sends it."""
    return {
        "label": label,
        "service": "bedrock-runtime",
        "operation": "InvokeModel",
        "resource": model_id,
        "request": {
            "method": "POST",
            "path": "/model/" + model_id + "/invoke",
            "query": "",
            "headers": {"Content-Type": "application/json", "Accept": "application/json"},
            "bodyEncoding": "json",
            "body": body,
        },
        "response": {
            "status": 200,
            "headers": {"x-amzn-RequestId": request_id(label), "Content-Type": "application/json"},
            "bodyEncoding": "json",
            "body": answer,
        },
    }


def definition_text(name, text):
    """Writes a definition the seed's create-state-machine command reads, and returns its text."""
    path = DEFINITIONS / name
    path.write_text(text)
    return text


def seed_000():
    """000: EXPRESS, start-sync-execution; the document prints the CLI's answer whole."""
    printed = read_published("000-start-sync-execution.out.json")
    model = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"
    template = (FIXTURES / "a_stepfunctions_bedrock_sam.claude_v2_1.asl.json").read_text()
    definition = definition_text("000-express-sync-claude-v2-1.asl.json", template.replace("${ModelId}", model))
    machine = printed["stateMachineArn"]
    name = machine.rsplit(":", 1)[1]
    answer = dict(printed)
    answer["startDate"] = epoch(printed["startDate"])
    answer["stopDate"] = epoch(printed["stopDate"])
    created = round(answer["startDate"] - 600, 3)
    model_answer = json.loads(printed["output"])["Body"]
    return [
        states_call("000-1", "CreateStateMachine",
                    {"name": name, "definition": definition,
                     "roleArn": f"arn:aws:iam::{ACCOUNT_000}:role/StateMachineExpressSyncToBedrockRole", "type": "EXPRESS"},
                    {"stateMachineArn": machine, "creationDate": created}),
        states_call("000-2", "StartSyncExecution",
                    {"stateMachineArn": machine, "name": printed["name"], "input": printed["input"]},
                    answer, resource=machine),
        invoke_model_call("000-3", model, {"prompt": json.loads(printed["input"])["prompt"], "max_tokens_to_sample": 200},
                          model_answer),
    ]


def seed_001():
    """001: STANDARD, start-execution then describe-execution; both answers printed.

    The printed answers come from the document's first stack, whose prompt is a literal
    ("Give me a cowboy joke") and whose input is `{}`; the fixture is its second stack
    (States.Format over the input), so the first is derived from it here.
    """
    started = read_published("001-start-execution.out.json")
    described = read_published("001-describe-execution.out.json")
    model = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-instant-v1"
    prompt = "\n\nHuman:Give me a cowboy joke\n\nAssistant:"
    second = (FIXTURES / "b_cdk_bedrock_invoke_model.claude_instant_v1.asl.json").read_text()
    formatted = json.dumps("prompt.$") + ":" + json.dumps("States.Format('\n\nHuman:{}\n\nAssistant:', $$.Execution.Input.prompt)")
    if formatted not in second:
        raise SystemExit("the 001 fixture no longer has the States.Format prompt this script replaces")
    definition = definition_text("001-cdk-invoke-model-claude-instant-v1.asl.json",
                                 second.replace(formatted, json.dumps("prompt") + ":" + json.dumps(prompt)))
    machine = described["stateMachineArn"]
    execution = started["executionArn"]
    start = epoch(started["startDate"])
    description = dict(described)
    description["startDate"] = epoch(described["startDate"])
    description["stopDate"] = epoch(described["stopDate"])
    joke = json.loads(described["output"])["joke"]
    return [
        states_call("001-1", "CreateStateMachine",
                    {"name": machine.rsplit(":", 1)[1], "definition": definition,
                     "roleArn": f"arn:aws:iam::{ACCOUNT_001}:role/StepFunctionBedrockStack-StateMachineRole"},
                    {"stateMachineArn": machine, "creationDate": round(start - 600, 3)}),
        states_call("001-2", "StartExecution", {"stateMachineArn": machine},
                    {"executionArn": execution, "startDate": start}, resource=machine),
        states_call("001-3", "DescribeExecution", {"executionArn": execution}, description, resource=execution),
        invoke_model_call("001-4", model, {"prompt": prompt, "max_tokens_to_sample": 256},
                          {"completion": joke, "stop_reason": "stop_sequence", "stop": "\n\nHuman:"}),
    ]


def seed_003():
    """003: an inline Map, one Claude 3.5 Haiku call per question; the document prints the
    execution's output (run from the console), so the envelope around it is assembled."""
    payload_text = (PUBLISHED / "003-input.json").read_text()
    payload = json.loads(payload_text)
    printed = read_published("003-execution-output.console.json")["output"]
    model = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"
    definition = definition_text("003-rfp-map-haiku.asl.json", (FIXTURES / "d_rfp_map_haiku.asl.json").read_text())
    name = "RFPQuestionAnswering"
    machine = f"arn:aws:states:us-east-1:{ACCOUNT_003}:stateMachine:{name}"
    execution_name = "6f0c3b52-8d0e-4a53-9f2e-3c1b7a2d9e41"
    start = epoch("2024-11-20T10:15:02.412000+00:00")
    calls = [
        states_call("003-1", "CreateStateMachine",
                    {"name": name, "definition": definition,
                     "roleArn": f"arn:aws:iam::{ACCOUNT_003}:role/RFPQuestionAnsweringRole", "type": "EXPRESS"},
                    {"stateMachineArn": machine, "creationDate": round(start - 600, 3)}),
        states_call("003-2", "StartSyncExecution", {"stateMachineArn": machine, "input": payload_text},
                    {"executionArn": f"arn:aws:states:us-east-1:{ACCOUNT_003}:express:{name}:{execution_name}:{execution_name}",
                     "stateMachineArn": machine, "name": execution_name, "startDate": start,
                     "stopDate": round(start + 9.734, 3), "status": "SUCCEEDED", "input": payload_text,
                     "inputDetails": {"included": True},
                     "output": json.dumps(printed, separators=(",", ":"), ensure_ascii=False),
                     "outputDetails": {"included": True},
                     "billingDetails": {"billedMemoryUsedInMB": 64, "billedDurationInMilliseconds": 9800}},
                    resource=machine),
    ]
    if [item["question"] for item in printed] != payload["questions"]:
        raise SystemExit("003's printed answers are not in the order of its questions")
    for number, item in enumerate(printed, start=3):
        text = ("Answer following question thoroughly, using the following description. Do not repeat the "
                f"question. Only respond with the answer to the question. Question: {item['question']} "
                f"Description: {payload['description']}")
        answer = item["response"]["completion"]
        calls.append(invoke_model_call(
            f"003-{number}", model,
            {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 800,
             "messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]},
            {"id": "msg_bdrk_" + uuid.uuid5(uuid.NAMESPACE_URL, item["question"]).hex[:24],
             "type": "message", "role": "assistant", "model": "claude-3-5-haiku-20241022",
             "content": [{"type": "text", "text": answer}],
             "stop_reason": "end_turn", "stop_sequence": None,
             "usage": {"input_tokens": len(text) // 4, "output_tokens": len(answer) // 4}}))
    return calls


def interaction_file(call):
    """The file a recorder would write, members in the cassette's order."""
    document = {"service": call["service"], "operation": call["operation"]}
    if call["resource"] is not None:
        document["resource"] = call["resource"]
    document["request"] = call["request"]
    document["response"] = call["response"]
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main():
    DEFINITIONS.mkdir(exist_ok=True)
    if CASSETTE.exists():
        shutil.rmtree(CASSETTE)
    CASSETTE.mkdir()
    entries = []
    for call in seed_000() + seed_001() + seed_003():
        seed, number = call["label"].split("-")
        file = f"{seed}-{int(number):02d}-{call['service']}-{call['operation']}.json"
        (CASSETTE / file).write_text(interaction_file(call))
        entry = {"file": file, "service": call["service"], "operation": call["operation"]}
        if call["resource"] is not None:
            entry["resource"] = call["resource"]
        entries.append(entry)
    (CASSETTE / "index.json").write_text(json.dumps({"format": 1, "interactions": entries}, indent=2) + "\n")
    print(f"wrote {len(entries)} interactions to {CASSETTE}")


if __name__ == "__main__":
    main()
