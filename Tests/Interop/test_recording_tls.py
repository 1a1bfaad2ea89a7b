"""Recording from an https endpoint (issue 20): nginx terminates TLS with a test CA in front of a
second Understudy in strict SigV4 mode, standing in for AWS. The recorder re-signs every call
for it with the credentials of its own environment, so a call the upstream accepts was signed
right; then the upstream is stopped and the cassette answers the same calls byte for byte."""
import json

import botocore.exceptions
import pytest

from test_recording import CANARY_KEY, CANARY_SECRET, MODEL, flow, messages, recorder_env
from tls_front import make_ca, make_certificate, needs_tools, tls_front

pytestmark = needs_tools
ADMIN_TOKEN = "interop-admin-token"


@pytest.fixture
def aws(make_server):
    """The stand-in for AWS: strict, accepting only the recorder's credentials."""
    return make_server("--auth", "strict", "--credentials", f"{CANARY_KEY}:{CANARY_SECRET}", "--admin-token", ADMIN_TOKEN,
                       "--time-scale", "0")


def upstream_calls(server):
    journal = server.admin("journal?limit=100", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
    entries = journal["entries"] if isinstance(journal, dict) else journal
    return [entry for entry in entries if entry.get("service") != "admin"]


def test_records_through_tls_and_replays_identically(make_server, tmp_path, aws):
    ca = make_ca(tmp_path)
    cassette = tmp_path / "cassette"
    with tls_front(tmp_path, aws.port, make_certificate(tmp_path, ca, "DNS:localhost,IP:127.0.0.1")) as port:
        recorder = make_server("--mode", "record", "--recordings", str(cassette), "--upstream", f"https://localhost:{port}",
                               "--upstream-ca-file", str(ca[0]), env=recorder_env())
        recorded = flow(recorder)
        recorder.stop()
    # The journal the refusal tests read does see what reaches the upstream.
    assert any(entry.get("operation") == "InvokeModelWithResponseStream" for entry in upstream_calls(aws)), upstream_calls(aws)[:2]
    aws.stop()
    replay = make_server("--mode", "replay", "--recordings", str(cassette), "--time-scale", "0")
    assert flow(replay) == recorded
    for path in cassette.iterdir():
        data = path.read_bytes()
        assert CANARY_SECRET.encode() not in data and CANARY_KEY.encode() not in data, path


def refused(make_server, tmp_path, url, ca_file):
    args = ["--mode", "record", "--recordings", str(tmp_path / "refused"), "--upstream", url]
    if ca_file:
        args += ["--upstream-ca-file", str(ca_file)]
    recorder = make_server(*args, env={**recorder_env(), "SSL_CERT_FILE": str(tmp_path / "nowhere.pem")})
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        recorder.client("bedrock-runtime").invoke_model(modelId=MODEL, body=messages("hello"))
    return caught.value.response


def test_an_untrusted_certificate_is_refused_and_nothing_forwarded(make_server, tmp_path, aws):
    ca = make_ca(tmp_path)
    with tls_front(tmp_path, aws.port, make_certificate(tmp_path, ca, "DNS:localhost,IP:127.0.0.1")) as port:
        response = refused(make_server, tmp_path, f"https://localhost:{port}", None)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 503
    assert "certificate verify failed" in response["Error"]["Message"], response["Error"]
    assert upstream_calls(aws) == []


def test_a_certificate_for_another_host_is_refused(make_server, tmp_path, aws):
    ca = make_ca(tmp_path)
    with tls_front(tmp_path, aws.port, make_certificate(tmp_path, ca, "DNS:elsewhere.example")) as port:
        response = refused(make_server, tmp_path, f"https://localhost:{port}", ca[0])
    assert "hostname mismatch" in response["Error"]["Message"], response["Error"]
    assert upstream_calls(aws) == []


def test_a_wrongly_signed_forward_would_be_refused_upstream(make_server, tmp_path, aws):
    """The check above means something: the strict upstream refuses a recorder whose
    credentials it does not know, and the recorder passes that refusal on as AWS gave it."""
    ca = make_ca(tmp_path)
    with tls_front(tmp_path, aws.port, make_certificate(tmp_path, ca, "DNS:localhost,IP:127.0.0.1")) as port:
        recorder = make_server("--mode", "record", "--recordings", str(tmp_path / "c"), "--upstream", f"https://localhost:{port}",
                               "--upstream-ca-file", str(ca[0]),
                               env={"AWS_ACCESS_KEY_ID": "AKIAUNKNOWNKEY000001", "AWS_SECRET_ACCESS_KEY": "nope"})
        with pytest.raises(botocore.exceptions.ClientError) as caught:
            recorder.client("bedrock-runtime").invoke_model(modelId=MODEL, body=messages("hello"))
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    assert json.dumps(caught.value.response["Error"])  # an AWS-shaped error, parsed by botocore
