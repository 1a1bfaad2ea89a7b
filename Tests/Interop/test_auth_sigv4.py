"""Strict SigV4 beyond a wrong secret: the body must be the one signed, dates must be dates,
presigned URLs live at most a week, the scope is for the request's day, `host` is signed, and
a request with thousands of signed headers is answered at once. Each refusal as the service
words it: S3's XML codes, Coral's `__type` for Step Functions, `x-amzn-ErrorType` for Bedrock.
"""
import datetime
import hashlib
import hmac
import html
import http.client
import json
import re
import time

import pytest
from botocore.auth import S3SigV4Auth, SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from harness import DUMMY_KEY, DUMMY_SECRET

SFN_HEADERS = {"X-Amz-Target": "AWSStepFunctions.ListStateMachines", "Content-Type": "application/x-amz-json-1.0"}


@pytest.fixture
def strict(make_server):
    return make_server("--auth", "strict", "--credentials", f"{DUMMY_KEY}:{DUMMY_SECRET}")


def send(server, method, path, body=b"", headers=()):
    """Sends exactly these headers (plus Host and Content-Length) and this body."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest(method, path, skip_accept_encoding=True)
    for name, value in (headers.items() if isinstance(headers, dict) else headers):
        conn.putheader(name, value)
    conn.putheader("Content-Length", str(len(body)))
    conn.endheaders(body)
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data


def botocore_signed(server, method, path, body, service, headers=None, s3=False):
    """Headers as botocore signs the request (S3's signer adds X-Amz-Content-SHA256)."""
    request = AWSRequest(method=method, url=server.url + path, data=body, headers=dict(headers or {}))
    auth = S3SigV4Auth if s3 else SigV4Auth
    auth(Credentials(DUMMY_KEY, DUMMY_SECRET), service, "us-east-1").add_auth(request)
    return dict(request.headers.items())


def hand_signed(server, method, path, body, service, headers, signed_names, payload_hash=None, amz_date=None):
    """SigV4 written out, for what botocore will not do: leave `host` unsigned, sign
    UNSIGNED-PAYLOAD for a JSON service, sign 5,000 headers without botocore's quadratic loop."""
    amz_date = amz_date or datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    headers = dict(headers, **{"X-Amz-Date": amz_date})
    everything = {k.lower(): v for k, v in headers.items()}
    everything["host"] = f"127.0.0.1:{server.port}"
    payload_hash = payload_hash or hashlib.sha256(body).hexdigest()
    names = sorted(signed_names + ["x-amz-date"])
    canonical = "\n".join(
        [method, path, "", "".join(f"{n}:{' '.join(everything[n].split())}\n" for n in names), ";".join(names), payload_hash]
    )
    scope = f"{amz_date[:8]}/us-east-1/{service}/aws4_request"
    to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = ("AWS4" + DUMMY_SECRET).encode()
    for part in (amz_date[:8], "us-east-1", service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    headers["Authorization"] = f"AWS4-HMAC-SHA256 Credential={DUMMY_KEY}/{scope}, SignedHeaders={';'.join(names)}, Signature={signature}"
    return headers


def xml_field(data, name):
    match = re.search(rf"<{name}>(.*?)</{name}>", data.decode())
    return html.unescape(match.group(1)) if match else None


def s3_put(strict, key, body):
    return botocore_signed(strict, "PUT", f"/bucket/{key}", body, "s3", s3=True)


# --- the body is the one signed --------------------------------------------------------


def test_a_replayed_put_object_with_another_body_is_refused(strict):
    strict.client("s3").create_bucket(Bucket="bucket")
    headers = s3_put(strict, "key", b"original")
    assert send(strict, "PUT", "/bucket/key", b"original", headers)[0] == 200
    status, response_headers, data = send(strict, "PUT", "/bucket/key", b"poisoned", headers)
    assert status == 400
    assert xml_field(data, "Code") == "XAmzContentSHA256Mismatch"
    assert xml_field(data, "Message") == "The provided 'x-amz-content-sha256' header does not match what was computed."
    assert xml_field(data, "ClientComputedContentSHA256") == hashlib.sha256(b"original").hexdigest()
    assert xml_field(data, "S3ComputedContentSHA256") == hashlib.sha256(b"poisoned").hexdigest()
    stored = strict.client("s3").get_object(Bucket="bucket", Key="key")["Body"].read()
    assert stored == b"original", "the replay must not be stored"


def test_s3_refuses_a_content_hash_that_is_no_hash(strict):
    headers = s3_put(strict, "key", b"x")
    headers["X-Amz-Content-SHA256"] = "not-a-hash"
    status, _, data = send(strict, "PUT", "/bucket/key", b"x", headers)
    assert (status, xml_field(data, "Code"), xml_field(data, "ArgumentValue")) == (400, "InvalidArgument", "not-a-hash")


def test_s3_accepts_unsigned_payload(strict):
    strict.client("s3").create_bucket(Bucket="open")
    # botocore signs payloads over http, so this is what it sends over https with signing off.
    headers = hand_signed(
        strict, "PUT", "/open/key", b"any body", "s3", {"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}, ["host", "x-amz-content-sha256"],
        payload_hash="UNSIGNED-PAYLOAD",
    )
    assert send(strict, "PUT", "/open/key", b"any body", headers)[0] == 200
    assert strict.client("s3").get_object(Bucket="open", Key="key")["Body"].read() == b"any body"


def test_step_functions_hashes_the_body_itself(strict):
    headers = botocore_signed(strict, "POST", "/", b"{}", "states", SFN_HEADERS)
    assert send(strict, "POST", "/", b"{}", headers)[0] == 200
    status, _, data = send(strict, "POST", "/", b'{"maxResults": 1}', headers)
    assert status == 400
    assert json.loads(data)["__type"] == "com.amazon.coral.service#InvalidSignatureException"

    unsigned = hand_signed(
        strict, "POST", "/", b"{}", "states", dict(SFN_HEADERS, **{"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"}),
        ["x-amz-target", "content-type", "host", "x-amz-content-sha256"], payload_hash="UNSIGNED-PAYLOAD",
    )
    status, _, data = send(strict, "POST", "/", b"{}", unsigned)
    assert (status, json.loads(data)["__type"]) == (400, "com.amazon.coral.service#InvalidSignatureException")


def test_bedrock_hashes_the_body_itself(strict):
    body = json.dumps({"messages": [{"role": "user", "content": "hi"}], "max_tokens": 5, "anthropic_version": "bedrock-2023-05-31"}).encode()
    path = "/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke"
    headers = botocore_signed(strict, "POST", path, body, "bedrock", {"Content-Type": "application/json"})
    assert send(strict, "POST", path, body, headers)[0] == 200
    status, response_headers, _ = send(strict, "POST", path, body.replace(b"hi", b"yo"), headers)
    assert status == 403
    assert response_headers["x-amzn-errortype"].split(":")[0] == "InvalidSignatureException"


# --- dates, lifetimes, scopes and host -------------------------------------------------


@pytest.mark.parametrize("date", ["20200101T000000", "garbage", "20241301T000000Z"])
def test_a_malformed_x_amz_date_is_refused_on_every_service(strict, date):
    headers = dict(botocore_signed(strict, "POST", "/", b"{}", "states", SFN_HEADERS), **{"X-Amz-Date": date})
    status, _, data = send(strict, "POST", "/", b"{}", headers)
    body = json.loads(data)
    assert (status, body["__type"]) == (400, "com.amazon.coral.service#IncompleteSignatureException")
    assert body["message"] == f"Date must be in ISO-8601 'basic format'. Got '{date}'. See http://en.wikipedia.org/wiki/ISO_8601"

    headers = dict(botocore_signed(strict, "GET", "/foundation-models", b"", "bedrock"), **{"X-Amz-Date": date})
    status, response_headers, _ = send(strict, "GET", "/foundation-models", b"", headers)
    assert (status, response_headers["x-amzn-errortype"].split(":")[0]) == (403, "IncompleteSignatureException")

    headers = dict(s3_put(strict, "key", b"x"), **{"X-Amz-Date": date})
    status, _, data = send(strict, "PUT", "/bucket/key", b"x", headers)
    assert (status, xml_field(data, "Code")) == (403, "AccessDenied")
    assert xml_field(data, "Message") == "AWS authentication requires a valid Date or x-amz-date header"


def test_a_scope_for_another_day_is_refused(strict):
    headers = botocore_signed(strict, "POST", "/", b"{}", "states", SFN_HEADERS)
    day = headers["X-Amz-Date"][:8]
    yesterday = (datetime.datetime.strptime(day, "%Y%m%d") - datetime.timedelta(days=1)).strftime("%Y%m%d")
    headers["Authorization"] = headers["Authorization"].replace(f"/{day}/", f"/{yesterday}/")
    status, _, data = send(strict, "POST", "/", b"{}", headers)
    body = json.loads(data)
    assert (status, body["__type"]) == (400, "com.amazon.coral.service#InvalidSignatureException")
    assert body["message"] == (
        f"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: "
        f"'{yesterday}' != '{day}', from '{headers['X-Amz-Date']}'."
    )

    headers = s3_put(strict, "key", b"x")
    headers["Authorization"] = headers["Authorization"].replace(f"/{day}/", f"/{yesterday}/")
    status, _, data = send(strict, "PUT", "/bucket/key", b"x", headers)
    assert (status, xml_field(data, "Code")) == (400, "AuthorizationHeaderMalformed")
    assert "Invalid credential date. Date is not the same as X-Amz-Date." in xml_field(data, "Message")


def test_host_must_be_signed(strict):
    headers = hand_signed(strict, "POST", "/", b"{}", "states", SFN_HEADERS, ["x-amz-target", "content-type"])
    assert "host" not in headers["Authorization"].split("SignedHeaders=")[1].split(",")[0].split(";")
    status, _, data = send(strict, "POST", "/", b"{}", headers)
    body = json.loads(data)
    assert (status, body["__type"]) == (400, "com.amazon.coral.service#InvalidSignatureException")
    assert body["message"] == "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."

    s3_headers = {"X-Amz-Content-SHA256": hashlib.sha256(b"").hexdigest()}
    headers = hand_signed(strict, "GET", "/bucket", b"", "s3", s3_headers, ["x-amz-content-sha256"])
    status, _, data = send(strict, "GET", "/bucket", b"", headers)
    assert (status, xml_field(data, "Code"), xml_field(data, "HeadersNotSigned")) == (403, "AccessDenied", "host")


def get(strict, url):
    return send(strict, "GET", url[len(strict.url):])


def test_a_presigned_url_lives_at_most_a_week(strict):
    s3 = strict.client("s3", signature_version="s3v4")
    s3.create_bucket(Bucket="shared")
    s3.put_object(Bucket="shared", Key="k", Body=b"v")
    assert get(strict, s3.generate_presigned_url("get_object", Params={"Bucket": "shared", "Key": "k"}, ExpiresIn=604800))[0] == 200
    status, _, data = get(strict, s3.generate_presigned_url("get_object", Params={"Bucket": "shared", "Key": "k"}, ExpiresIn=604801))
    assert (status, xml_field(data, "Code")) == (400, "AuthorizationQueryParametersError")
    assert xml_field(data, "Message") == "X-Amz-Expires must be less than a week (in seconds) that is 604800"


@pytest.mark.parametrize("date", ["20200101T000000", "garbage", "20241301T000000Z"])
def test_a_presigned_url_with_a_malformed_date_never_works(strict, date):
    s3 = strict.client("s3", signature_version="s3v4")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "shared", "Key": "k"}, ExpiresIn=60)
    status, _, data = get(strict, re.sub(r"X-Amz-Date=[^&]+", f"X-Amz-Date={date}", url))
    assert (status, xml_field(data, "Code")) == (400, "AuthorizationQueryParametersError")
    assert xml_field(data, "Message").startswith("X-Amz-Date must be in the ISO8601 Long Format")


def test_a_presigned_url_for_another_day_is_refused(strict):
    s3 = strict.client("s3", signature_version="s3v4")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "shared", "Key": "k"}, ExpiresIn=60)
    day = re.search(r"X-Amz-Date=(\d{8})", url).group(1)
    status, _, data = get(strict, url.replace(f"%2F{day}%2F", "%2F20200101%2F"))
    assert (status, xml_field(data, "Code")) == (400, "AuthorizationQueryParametersError")
    assert xml_field(data, "Message") == "Invalid credential date. Date is not the same as X-Amz-Date."


# --- cost -----------------------------------------------------------------------------


def base36(n):
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[n] if n < 36 else base36(n // 36) + digits[n % 36]


def test_five_thousand_signed_headers_are_answered_at_once(strict):
    # Short names: the HTTP parser takes about 80 KiB of header lines, the signed-header list
    # included.
    extra = {f"a{base36(i)}": "v" for i in range(5000)}
    headers = hand_signed(strict, "POST", "/", b"{}", "states", dict(SFN_HEADERS, **extra), ["x-amz-target", "content-type", "host"] + [n.lower() for n in extra])
    started = time.monotonic()
    for _ in range(3):
        status, _, data = send(strict, "POST", "/", b"{}", headers)
        assert status == 200, data
    elapsed = time.monotonic() - started
    assert elapsed < 1.5, f"three requests with 5,000 signed headers took {elapsed:.2f} s"
