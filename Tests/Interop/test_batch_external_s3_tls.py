"""Batch jobs against an `https://` external S3 endpoint: nginx terminates TLS, with a test CA
and certificate made here by the openssl tool, in front of a second Understudy in strict SigV4
mode. The batch server trusts the CA only through SSL_CERT_FILE (OpenSSL's own variable), so
the same job fails when it is not given: the certificate is checked, not merely accepted."""
import shutil
import subprocess
import time

import pytest

from harness import free_port
from test_batch_external_s3 import EXTERNAL_KEY, EXTERNAL_SECRET
from test_batch_inference import MODEL, ROLE, messages_record, read_lines, upload, wait

pytestmark = pytest.mark.skipif(
    not (shutil.which("openssl") and shutil.which("nginx")), reason="needs the openssl tool and nginx")


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture
def tls_front(tmp_path, make_server):
    """A strict-mode Understudy behind nginx on https://localhost:PORT; yields (store, port, ca)."""
    external = make_server("--auth", "strict", "--credentials", f"{EXTERNAL_KEY}:{EXTERNAL_SECRET}")
    ca, key, csr, cert = (tmp_path / n for n in ("ca.pem", "server.key", "server.csr", "server.pem"))
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", tmp_path / "ca.key", "-out", ca, "-days", "2", "-subj", "/CN=Interop Test CA")
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    (tmp_path / "server.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", tmp_path / "ca.key", "-CAcreateserial",
            "-out", cert, "-days", "2", "-extfile", tmp_path / "server.ext")
    port = free_port()
    (tmp_path / "nginx").mkdir()
    config = tmp_path / "nginx.conf"
    config.write_text(f"""
daemon off;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/nginx/body;
    proxy_temp_path {tmp_path}/nginx/proxy;
    fastcgi_temp_path {tmp_path}/nginx/fastcgi;
    uwsgi_temp_path {tmp_path}/nginx/uwsgi;
    scgi_temp_path {tmp_path}/nginx/scgi;
    server {{
        listen 127.0.0.1:{port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        client_max_body_size 0;
        # Bodies stay in memory: workers run as another user when the tests run as root, and
        # could not write nginx's temporary files under tmp_path.
        client_body_buffer_size 16m;
        proxy_request_buffering off;
        proxy_buffering off;
        location / {{
            proxy_pass http://127.0.0.1:{external.port};
            proxy_set_header Host $http_host;
            proxy_http_version 1.1;
        }}
    }}
}}
""")
    nginx = subprocess.Popen(["nginx", "-p", str(tmp_path), "-c", str(config)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{port}", "-brief"],
                             input=b"", capture_output=True).returncode != 0:
            if nginx.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"nginx did not start: {nginx.stderr.read().decode() if nginx.poll() is not None else 'timeout'}")
            time.sleep(0.05)
        yield external.client("s3", key=EXTERNAL_KEY, secret=EXTERNAL_SECRET), port, ca
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)


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
