"""Batch jobs against an external S3-compatible endpoint (`bedrock.batch.s3`): a second
Understudy, in strict SigV4 mode, stands in for MinIO or S3, so every request the job makes
must be signed correctly to be answered."""
import json
import subprocess

import pytest

from harness import BINARY, free_port
from test_batch_inference import MODEL, ROLE, messages_record, read_lines, upload, wait

EXTERNAL_KEY = "AKIAEXTERNALSTORE001"
EXTERNAL_SECRET = "external-store-secret"


@pytest.fixture
def external(make_server):
    return make_server("--auth", "strict", "--credentials", f"{EXTERNAL_KEY}:{EXTERNAL_SECRET}")


def batch_server(make_server, external, secret=EXTERNAL_SECRET, port=None):
    return make_server(config_text=(
        "bedrock:\n  batch:\n    s3:\n"
        f"      endpoint: http://127.0.0.1:{port or external.port}\n"
        "      region: us-east-1\n"
        f"      accessKeyId: {EXTERNAL_KEY}\n"
        f"      secretAccessKey: {secret}\n"))


def test_job_reads_and_writes_the_external_endpoint(make_server, external):
    store = external.client("s3", key=EXTERNAL_KEY, secret=EXTERNAL_SECRET)
    store.create_bucket(Bucket="outside")
    # Keys that need percent-encoding, in the path and in the signature.
    upload(store, "outside", "in/part one+a.jsonl", [messages_record(i) for i in range(60)])
    upload(store, "outside", "in/deeper/part-2.jsonl", [messages_record(i) for i in range(60, 110)], extra_lines=["{not json"])
    store.put_object(Bucket="outside", Key="in/readme.txt", Body=b"not an input")

    main = batch_server(make_server, external)
    bedrock = main.client("bedrock")
    arn = bedrock.create_model_invocation_job(
        jobName="external", roleArn=ROLE, modelId=MODEL,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://outside/in/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://outside/out/"}})["jobArn"]
    job = wait(bedrock, arn)
    assert job["status"] == "Completed", job
    job_id = arn.rsplit("/", 1)[1]

    keys = sorted(o["Key"] for o in store.list_objects_v2(Bucket="outside", Prefix="out/")["Contents"])
    assert keys == [f"out/{job_id}/manifest.json.out", f"out/{job_id}/part one+a.jsonl.out", f"out/{job_id}/part-2.jsonl.out"]
    first = read_lines(store, "outside", f"out/{job_id}/part one+a.jsonl.out")
    assert [line["recordId"] for line in first] == [f"REC{i:08d}" for i in range(60)]
    assert all("modelOutput" in line for line in first)
    manifest = json.loads(store.get_object(Bucket="outside", Key=f"out/{job_id}/manifest.json.out")["Body"].read())
    assert (manifest["totalRecordCount"], manifest["successRecordCount"], manifest["errorRecordCount"]) == (111, 110, 1)

    # Nothing went to the batch server's own store.
    assert main.client("s3").list_buckets()["Buckets"] == []


def test_external_endpoint_refusals_fail_the_job(make_server, external):
    store = external.client("s3", key=EXTERNAL_KEY, secret=EXTERNAL_SECRET)
    store.create_bucket(Bucket="outside")
    upload(store, "outside", "in/a.jsonl", [messages_record(i) for i in range(100)])

    def run(server, input_uri="s3://outside/in/"):
        bedrock = server.client("bedrock")
        arn = bedrock.create_model_invocation_job(
            jobName="refused", roleArn=ROLE, modelId=MODEL,
            inputDataConfig={"s3InputDataConfig": {"s3Uri": input_uri}},
            outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://outside/out/"}})["jobArn"]
        return wait(bedrock, arn)

    # A wrong secret: the endpoint refuses every signed request, so the output is unreachable.
    wrong = run(batch_server(make_server, external, secret="not-the-secret"))
    assert wrong["status"] == "Failed"
    assert wrong["message"].startswith("Unable to access the output S3 location s3://outside/out/.")

    # A bucket the endpoint does not have.
    missing = run(batch_server(make_server, external), input_uri="s3://elsewhere/in/")
    assert missing["status"] == "Failed"
    assert missing["message"].startswith("Unable to access the input S3 location s3://elsewhere/in/.")

    # Nobody listening.
    gone = run(batch_server(make_server, external, port=free_port()))
    assert gone["status"] == "Failed"
    assert "output S3 location" in gone["message"]
    assert store.list_objects_v2(Bucket="outside", Prefix="out/").get("KeyCount") == 0


@pytest.mark.parametrize("section, message", [
    ("endpoint: ftp://s3.amazonaws.com", "bedrock.batch.s3.endpoint must be http://host[:port] or https://host[:port]"),
    ("endpoint: http://127.0.0.1:9000\n      region: us-east-1", "bedrock.batch.s3 needs accessKeyId and secretAccessKey"),
    ("region: us-east-1", "bedrock.batch.s3.endpoint is required"),
    ("endpoint: http://127.0.0.1:9000\n      bucket: x", "bedrock.batch.s3"),
])
def test_bad_external_endpoint_config_is_refused_at_start(tmp_path, section, message):
    path = tmp_path / "understudy.yml"
    path.write_text(f"bedrock:\n  batch:\n    s3:\n      {section}\n")
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run([str(BINARY), "serve", "--port", "0", "--config", str(path)],
                            capture_output=True, text=True, timeout=10, env=env)
    assert result.returncode != 0
    assert message in result.stderr
