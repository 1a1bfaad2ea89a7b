"""Who may call the admin API: in strict mode a request signed with configured credentials or
the admin token; in every mode no web page on another origin, and no state change without a
JSON content type. The health check stays open for container health checks."""
import json
import urllib.error
import urllib.request

import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from harness import DUMMY_KEY, DUMMY_SECRET

TOKEN = "local-admin-token-0123"
JSON = {"Content-Type": "application/json"}


def call(server, path, method="GET", headers=None, body=None):
    """(status, JSON body) of an admin call with exactly these headers."""
    data = body if body is not None else (b"" if method != "GET" else None)
    request = urllib.request.Request(server.url + "/_understudy/" + path, method=method, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as r:
            return r.status, json.loads(r.read() or b"{}")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


def signed(server, path, method="POST", service="understudy", secret=DUMMY_SECRET):
    request = AWSRequest(method=method, url=server.url + "/_understudy/" + path, data=b"", headers=dict(JSON))
    SigV4Auth(Credentials(DUMMY_KEY, secret), service, "us-east-1").add_auth(request)
    return dict(request.headers.items())


def bucket_exists(server, name):
    return any(b["Name"] == name for b in server.client("s3").list_buckets()["Buckets"])


@pytest.fixture
def strict(make_server):
    return make_server("--auth", "strict", "--credentials", f"{DUMMY_KEY}:{DUMMY_SECRET}", "--admin-token", TOKEN)


def test_strict_refuses_an_unsigned_reset_and_everything_survives(strict):
    strict.client("s3").create_bucket(Bucket="keep-me")
    status, body = call(strict, "reset", "POST", JSON)
    assert status == 403
    assert "signed with configured credentials or the admin token" in body["message"]
    assert len(body["required"]) == 2
    assert bucket_exists(strict, "keep-me")
    for path in ("executions", "journal", "faults/stats", "clock"):
        assert call(strict, path)[0] == 403, path
    assert call(strict, "faults", "POST", JSON, b'{"name": "x", "error": {"code": "ThrottlingException"}}')[0] == 403


def test_strict_health_stays_open(strict):
    status, body = call(strict, "health")
    assert (status, body["status"]) == (200, "running")


def test_strict_takes_a_signed_reset(strict):
    strict.client("s3").create_bucket(Bucket="gone-soon")
    status, body = call(strict, "reset", "POST", signed(strict, "reset"))
    assert (status, body) == (200, {"status": "reset"})
    assert not bucket_exists(strict, "gone-soon")
    # Any service name in the scope; a wrong secret is refused.
    assert call(strict, "journal", "GET", signed(strict, "journal", "GET", service="bedrock"))[0] == 200
    status, body = call(strict, "reset", "POST", signed(strict, "reset", secret="wrong"))
    assert status == 403 and "InvalidSignatureException" in body["message"]


def test_strict_takes_the_admin_token(strict):
    strict.client("s3").create_bucket(Bucket="gone-too")
    assert call(strict, "reset", "POST", dict(JSON, Authorization=f"Bearer {TOKEN}")) == (200, {"status": "reset"})
    assert not bucket_exists(strict, "gone-too")
    assert call(strict, "reset", "POST", dict(JSON, Authorization="Bearer not-the-token"))[0] == 403


def test_the_admin_token_comes_from_the_config_file_too(make_server):
    server = make_server(
        "--auth", "strict", "--credentials", f"{DUMMY_KEY}:{DUMMY_SECRET}", config_text="admin:\n  token: file-token-0123\n"
    )
    assert call(server, "journal", "GET", {"Authorization": "Bearer file-token-0123"})[0] == 200


CROSS_ORIGIN = [
    {"Origin": "http://evil.example", "Content-Type": "text/plain"},
    {"Origin": "http://localhost:3000", "Content-Type": "text/plain", "Sec-Fetch-Site": "same-site"},
    {"Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},
]


@pytest.mark.parametrize("mode", ["lenient", "strict", "off"])
def test_a_cross_origin_text_plain_reset_is_refused_in_every_mode(make_server, mode):
    server = make_server("--auth", mode, "--credentials", f"{DUMMY_KEY}:{DUMMY_SECRET}", "--admin-token", TOKEN)
    server.client("s3").create_bucket(Bucket="survivor")
    for headers in CROSS_ORIGIN:
        # Even with the token: a page cannot be allowed to spend the developer's credentials.
        for extra in ({}, {"Authorization": f"Bearer {TOKEN}"}):
            status, body = call(server, "reset", "POST", dict(headers, **extra), b"{}")
            assert status == 403, (headers, extra)
            assert "other origins" in body["message"]
    assert bucket_exists(server, "survivor")


BROWSER = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"}


def test_a_browser_state_change_needs_a_json_content_type(make_server):
    server = make_server()
    server.client("s3").create_bucket(Bucket="still-here")
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        assert call(server, "reset", "POST", dict(BROWSER, **{"Content-Type": content_type}), b"{}")[0] == 415
        same_origin = {"Origin": server.url, "Sec-Fetch-Site": "same-origin", "Content-Type": content_type}
        assert call(server, "reset", "POST", same_origin, b"{}")[0] == 415
    assert call(server, "faults", "DELETE", dict(BROWSER, **{"Content-Type": "text/plain"}))[0] == 415
    assert bucket_exists(server, "still-here")
    # A local tool has no browser marks: urllib's default form type still works.
    assert call(server, "reset", "POST", {"Content-Type": "application/x-www-form-urlencoded"}, b"")[0] == 200
    assert not bucket_exists(server, "still-here")


def test_a_same_origin_json_reset_works_in_lenient_mode(make_server):
    lenient = make_server()
    lenient.client("s3").create_bucket(Bucket="reset-me")
    headers = {"Origin": lenient.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
    assert call(lenient, "reset", "POST", headers, b"{}") == (200, {"status": "reset"})
    assert not bucket_exists(lenient, "reset-me")
    # Local tools, as before: curl-style calls with a JSON body.
    assert call(lenient, "reset", "POST", JSON, b"")[0] == 200
    assert call(lenient, "journal")[0] == 200
