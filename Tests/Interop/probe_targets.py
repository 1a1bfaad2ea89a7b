"""What the HTTP probe aims at: resources made on the server before fuzzing, and the member
values (by the member's name in the botocore model) that name them, so a fuzzed call often
reaches an existing state machine, execution, bucket, upload or model instead of stopping at
"not found"."""
import json
import time

ROLE = "arn:aws:iam::123456789012:role/probe"
PASS = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})
DISTRIBUTED = json.dumps({"StartAt": "M", "States": {"M": {
    "Type": "Map", "ItemsPath": "$.xs", "End": True,
    "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                      "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}})
HAIKU = "anthropic.claude-3-haiku-20240307-v1:0"
MODELS = [HAIKU, "anthropic.claude-v2", "amazon.titan-embed-text-v2:0", "meta.llama3-8b-instruct-v1:0",
          "amazon.nova-micro-v1:0", "cohere.embed-english-v3", "us.anthropic.claude-3-haiku-20240307-v1:0"]
BODIES = [
    json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}).encode(),
    json.dumps({"prompt": "\n\nHuman: hi\n\nAssistant:", "max_tokens_to_sample": 20}).encode(),
    json.dumps({"inputText": "hello"}).encode(),
    json.dumps({"prompt": "hi", "max_gen_len": 20}).encode(),
    json.dumps({"texts": ["hi"], "input_type": "search_document"}).encode(),
]
BUCKET = "probe-bucket"

# Operations that would wait on a resource the probe made (GetActivityTask long-polls 60 s
# on an existing activity): these get no pooled values for the members named.
UNPOOLED = {"GetActivityTask": {"activityArn"}}


def prepare(server):
    """Makes the resources, returns {service: {member name: [values]}}."""
    sfn = server.client("stepfunctions", inject_host_prefix=False)
    s3 = server.client("s3")
    bedrock = server.client("bedrock")
    suffix = str(time.monotonic_ns())[-8:]

    standard = sfn.create_state_machine(name=f"probe-standard-{suffix}", definition=PASS, roleArn=ROLE, publish=True)
    express = sfn.create_state_machine(name=f"probe-express-{suffix}", definition=PASS, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    version = standard["stateMachineVersionArn"]
    alias = sfn.create_state_machine_alias(name="live", routingConfiguration=[{"stateMachineVersionArn": version, "weight": 100}])["stateMachineAliasArn"]
    execution = sfn.start_execution(stateMachineArn=standard["stateMachineArn"], input="{}")["executionArn"]
    mapped = sfn.create_state_machine(name=f"probe-map-{suffix}", definition=DISTRIBUTED, roleArn=ROLE)["stateMachineArn"]
    map_execution = sfn.start_execution(stateMachineArn=mapped, input=json.dumps({"xs": [1, 2, 3]}))["executionArn"]
    activity = sfn.create_activity(name=f"probe-activity-{suffix}")["activityArn"]
    map_runs = []
    for _ in range(100):
        map_runs = [run["mapRunArn"] for run in sfn.list_map_runs(executionArn=map_execution)["mapRuns"]]
        if map_runs:
            break
        time.sleep(0.02)

    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="obj", Body=b"hello")
    s3.put_object(Bucket=BUCKET, Key="dir/a b/\u00fc.txt", Body=b"{}")
    rows = "\n".join(json.dumps({"recordId": f"R{i:03}", "modelInput": json.loads(BODIES[0])}) for i in range(100))
    s3.put_object(Bucket=BUCKET, Key="batch/in.jsonl", Body=rows.encode())
    upload = s3.create_multipart_upload(Bucket=BUCKET, Key="multi")["UploadId"]
    input_config = {"s3InputDataConfig": {"s3Uri": f"s3://{BUCKET}/batch/"}}
    output_config = {"s3OutputDataConfig": {"s3Uri": f"s3://{BUCKET}/out/"}}
    job = bedrock.create_model_invocation_job(jobName=f"probe-{suffix}", roleArn=ROLE, modelId=HAIKU,
                                              inputDataConfig=input_config, outputDataConfig=output_config)["jobArn"]
    machines = [standard["stateMachineArn"], express, version, alias]
    return {
        "states": {
            "stateMachineArn": machines, "executionArn": [execution, map_execution], "activityArn": [activity],
            "resourceArn": machines + [activity], "mapRunArn": map_runs or [map_execution],
            "stateMachineAliasArn": [alias], "stateMachineVersionArn": [version], "roleArn": [ROLE],
            "definition": [PASS, DISTRIBUTED], "input": ["{}", '{"xs": [1, 2]}'], "name": [f"probe-named-{suffix}"],
            "routingConfiguration": [[{"stateMachineVersionArn": version, "weight": 100}]],
        },
        "bedrock-runtime": {
            "modelId": MODELS, "body": BODIES, "contentType": ["application/json"], "accept": ["application/json"],
            "messages": [[{"role": "user", "content": [{"text": "hi"}]}]],
        },
        "bedrock": {
            "modelIdentifier": MODELS, "modelId": MODELS, "jobIdentifier": [job], "roleArn": [ROLE],
            "inferenceProfileIdentifier": ["us.anthropic.claude-3-haiku-20240307-v1:0"],
            "inputDataConfig": [input_config], "outputDataConfig": [output_config],
        },
        "s3": {
            "Bucket": [BUCKET], "Key": ["obj", "dir/a b/\u00fc.txt", "multi"], "UploadId": [upload],
            "CopySource": [f"{BUCKET}/obj"], "PartNumber": [1, 2], "Body": [b"hello", b""],
        },
    }


def pools_for(pools, service, operation_name):
    skip = UNPOOLED.get(operation_name, set())
    return {name: values for name, values in pools[service].items() if name not in skip}
