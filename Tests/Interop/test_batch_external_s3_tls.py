"""Batch jobs against an `https://` external S3 endpoint: nginx terminates TLS, with a test CA
and certificate made here by the openssl tool, in front of a second Understudy in strict SigV4
mode. The batch server trusts the CA only through SSL_CERT_FILE (OpenSSL's own variable), so
the same job fails when it is not given: the certificate is checked, not merely accepted."""
import pytest

from tls_front import make_ca, make_certificate, needs_tools
from tls_front import tls_front as front
from test_batch_external_s3 import EXTERNAL_KEY, EXTERNAL_SECRET
from test_batch_inference import MODEL, ROLE, messages_record, read_lines, upload, wait

pytestmark = needs_tools


@pytest.fixture
def tls_front(tmp_path, make_server):
    """A strict-mode Understudy behind nginx on https://localhost:PORT; yields (store, port, ca)."""
    external = make_server("--auth", "strict", "--credentials", f"{EXTERNAL_KEY}:{EXTERNAL_SECRET}")
    ca = make_ca(tmp_path)
    with front(tmp_path, external.port, make_certificate(tmp_path, ca, "DNS:localhost,IP:127.0.0.1")) as port:
        yield external.client("s3", key=EXTERNAL_KEY, secret=EXTERNAL_SECRET), port, ca[0]


def batch_server(make_server, port, env):
    return make_server(env=env, config_text=(
        "bedrock:\n  batch:\n    s3:\n"
        f"      endpoint: https://localhost:{port}\n"
        "      region: us-east-1\n"
        f"      accessKeyId: {EXTERNAL_KEY}\n"
        f"      secretAccessKey: {EXTERNAL_SECRET}\n"))


def run_job(server):
    bedrock = server.client("bedrock")
    arn = bedrock.create_model_invocation_job(
        jobName="over-tls", roleArn=ROLE, modelId=MODEL,
        inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://outside/in/"}},
        outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://outside/out/"}})["jobArn"]
    return arn, wait(bedrock, arn)


def test_job_over_https_verifies_the_endpoint(make_server, tls_front):
    store, port, ca = tls_front
    store.create_bucket(Bucket="outside")
    upload(store, "outside", "in/part-1.jsonl", [messages_record(i) for i in range(100)])

    # Without the CA: the system trust store refuses the certificate and the job fails.
    untrusting = batch_server(make_server, port, env={"SSL_CERT_FILE": str(ca.parent / "nowhere.pem")})
    _, refused = run_job(untrusting)
    assert refused["status"] == "Failed", refused
    assert "Unable to access" in refused["message"], refused
    assert "Contents" not in store.list_objects_v2(Bucket="outside", Prefix="out/")

    trusting = batch_server(make_server, port, env={"SSL_CERT_FILE": str(ca)})
    arn, job = run_job(trusting)
    assert job["status"] == "Completed", (job.get("message"), trusting.process.poll())
    job_id = arn.rsplit("/", 1)[1]
    keys = sorted(o["Key"] for o in store.list_objects_v2(Bucket="outside", Prefix="out/")["Contents"])
    assert keys == [f"out/{job_id}/manifest.json.out", f"out/{job_id}/part-1.jsonl.out"]
    lines = read_lines(store, "outside", f"out/{job_id}/part-1.jsonl.out")
    assert [line["recordId"] for line in lines] == [f"REC{i:08d}" for i in range(100)]
