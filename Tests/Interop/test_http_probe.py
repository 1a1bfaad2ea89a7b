"""The HTTP-level probe (issue 19, item 7): structured fuzz of every operation the server
serves, from the botocore models, in each service's own wire protocol and through boto3 with
its parameter validation off; malformed HTTP; slow clients; streams and uploads the client
drops. The server must stay up, answer no 5xx, word every error in its protocol's shape and
write well-formed HTTP.

Bounded: a fixed seed and count (PROBE_SEED, PROBE_COUNT: inputs per operation and mode) keep
the file well under a minute; raise PROBE_COUNT for a longer local run (docs/testing.md).
"""
import http.client
import json
import os
import random
import re
import socket
import struct
import time
import urllib.request
import xml.etree.ElementTree as ElementTree

import botocore.session
import pytest
from botocore.exceptions import ClientError

import probe_targets
from harness import Server
from raw_http import MALFORMED, STATES_HEAD, exchange, parse_responses, trickle
from shape_fuzz import ShapeFuzzer
from wire_request import EDGE_REFUSAL, FORBIDDEN_IN_XML, WireRequest, output_misfits, problems_with, xml_problem

SEED = int(os.environ.get("PROBE_SEED", "19"))
# Signatures of problems the probe finds that are still open, each with a focused xfail test
# below: counted, not failed on. None is open; the fixed ones have plain tests at the end.
KNOWN_PROBLEMS = {}
COUNT = int(os.environ.get("PROBE_COUNT", "8"))
MODELS = {"states": "stepfunctions", "bedrock-runtime": "bedrock-runtime", "bedrock": "bedrock", "s3": "s3"}
# Destructive operations go last, so the rest still find the resources the probe made.
LAST = ("Delete", "Stop", "Abort", "Complete", "Redrive")


@pytest.fixture(scope="module")
def probed(request):
    server = Server("--time-scale", "0")
    request.addfinalizer(server.stop)
    pools = probe_targets.prepare(server)
    served = server.admin("health")["services"]
    return server, pools, served


def is_known(problem):
    return any(re.search(signature, problem) for signature in KNOWN_PROBLEMS)


def healthy(server):
    with urllib.request.urlopen(server.url + "/_understudy/health", timeout=5) as answer:
        return answer.status == 200


def ordered(operations):
    return sorted(operations, key=lambda name: (name.startswith(LAST), name))


def service_model(service):
    return botocore.session.get_session().get_service_model(MODELS[service])


def inputs(model, operation, pools, rng, service, skip=()):
    """COUNT valid-shaped then COUNT off-shape inputs for one operation."""
    fuzzer = ShapeFuzzer(rng, probe_targets.pools_for(pools, service, operation.name))
    for index in range(2 * COUNT):
        yield index, fuzzer.operation_input(operation, off_shape=index >= COUNT, skip=skip)


@pytest.mark.parametrize("service", list(MODELS))
def test_every_operation_answers_fuzzed_wire_requests_in_its_protocol(probed, service):
    server, pools, served = probed
    model = service_model(service)
    rng = random.Random(f"{SEED}-wire-{service}")
    failures, sent, succeeded, known = [], 0, set(), 0
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
    for name in ordered(served[service]):
        operation = model.operation_model(name)
        for index, params in inputs(model, operation, pools, rng, service):
            request = WireRequest.for_operation(model, operation, params)
            signed = rng.random() < 0.8
            try:
                status, headers, body, response = request.send(connection, signed=signed)
            except (http.client.HTTPException, OSError) as error:
                failures.append(f"{name} #{index}: {type(error).__name__}: {error}\n  {request!r}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
                continue
            sent += 1
            # A head HTTP refuses (too long, a control character) is answered in the service's
            # shape too (test_malformed_http_is_refused_and_closed checks that it closes).
            problems = problems_with(model.protocol, request.method, status, headers, body)
            if status < 300:
                succeeded.add(name)
            for problem in problems:
                text = f"{name} #{index}: {problem}: {status} {body[:300]!r}\n  {request!r}"
                if is_known(text):
                    known += 1
                else:
                    failures.append(text)
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=15)
        assert healthy(server), f"the server stopped answering after {name}"
    connection.close()
    assert sent >= len(served[service]) * COUNT
    print(f"{service}: {sent} sent, {len(succeeded)} of {len(served[service])} operations answered 2xx at least once,"
          f" {known} known problems")
    assert len(succeeded) >= len(served[service]) // 2, f"most inputs miss the operation: only {sorted(succeeded)} succeeded"
    assert not failures, f"{len(failures)} bad answers of {sent} (PROBE_SEED={SEED}):\n" + "\n".join(failures[:25])


# A Content-Length that is not the body's makes the server wait for bytes that never come.
BOTO3_SKIP = ("ContentLength",)


def boto3_problem(error, answer, operation):
    """Why botocore failed on an answer it got (`answer`: the raw status, content type and body
    as botocore had them; it turns an S3 200 whose body does not parse into a 500)."""
    status, body = answer.get("status", 0), answer.get("body", b"")
    if status == 400 and not body:
        return f"{EDGE_REFUSAL}: {type(error).__name__}: {error}"
    if "xml" in answer.get("content-type", ""):
        try:
            ElementTree.fromstring(body)
        except ElementTree.ParseError:
            return xml_problem("answer", body) + f" ({error})"
    misfit = output_misfits(operation, body) if status < 300 and body[:1] == b"{" else []
    return f"{type(error).__name__}: {error} {misfit}"


@pytest.mark.parametrize("service", list(MODELS))
def test_every_operation_answers_boto3_without_parameter_validation(probed, service):
    """botocore serializes what it can of off-shape inputs, and must parse every answer: an
    exception once the request was sent, or a 5xx, is a malformed answer."""
    server, pools, served = probed
    client = server.client(MODELS[service], parameter_validation=False, inject_host_prefix=False,
                           read_timeout=15, connect_timeout=5, retries={"total_max_attempts": 1})
    model = client.meta.service_model
    answer = {}
    client.meta.events.register("before-send", lambda **kwargs: answer.update(sent=True))
    client.meta.events.register("before-parse", lambda response_dict=None, **kwargs: answer.update(
        status=response_dict["status_code"], body=response_dict["body"] if isinstance(response_dict["body"], bytes) else b"",
        **{"content-type": response_dict["headers"].get("content-type", "")}))
    rng = random.Random(f"{SEED}-boto3-{service}")
    failures, answered, known = [], 0, 0
    for name in ordered(served[service]):
        operation = model.operation_model(name)
        method = getattr(client, botocore.xform_name(name))
        for index, params in inputs(model, operation, pools, rng, service, skip=BOTO3_SKIP):
            answer.clear()
            problem = None
            try:
                reply = method(**params)
                for stream_name in ("body", "stream", "Body"):
                    stream = reply.get(stream_name)
                    if hasattr(stream, "read"):
                        stream.read()
                    elif stream is not None and hasattr(stream, "__iter__") and not isinstance(stream, (bytes, str)):
                        for _ in stream:
                            pass
                answered += 1
            except ClientError as error:
                answered += 1
                status = error.response["ResponseMetadata"].get("HTTPStatusCode", 0)
                code = error.response["Error"].get("Code")
                if status >= 500 or not code:
                    problem = boto3_problem(error, answer, operation)
            except Exception as error:  # noqa: BLE001 - past the client's own checks, anything else is the finding
                wrapped = getattr(error, "kwargs", {}).get("error")
                if answer.get("sent") and not isinstance(wrapped, (ValueError, TypeError)):
                    problem = boto3_problem(error, answer, operation)
                # else botocore or its HTTP client refused to send it
            if problem and is_known(problem):
                known += 1
            elif problem:
                failures.append(f"{name} #{index}: {problem}"[:1500])
        assert healthy(server), f"the server stopped answering after {name}"
    print(f"{service}: {answered} answered through boto3, {known} known problems")
    assert answered >= len(served[service]) * COUNT
    assert not failures, f"{len(failures)} bad answers of {answered} (PROBE_SEED={SEED}):\n" + "\n".join(failures[:25])


# --- Raw HTTP: malformed heads and bodies, pipelining, HTTP/1.0, early close.

@pytest.mark.parametrize("data", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_http_is_refused_and_closed(probed, data):
    server = probed[0]
    received, ended = exchange(server, data)
    (status, headers, body), = parse_responses(received)
    assert status == 400 and headers.get("connection") == "close", received[:300]
    assert body and any(h in headers for h in ("x-amz-request-id", "x-amzn-requestid")), received[:300]
    assert ended == "closed"
    assert healthy(server)


def test_requests_the_parser_tolerates_are_answered(probed):
    """Leading empty lines, an absolute target, a chunk extension, an unknown expectation and
    5,000 headers are read as RFC 9112 lets a server read them."""
    server = probed[0]
    health = b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n"
    for data in (b"\r\n\r\n" + health + b"\r\n",
                 b"GET http://x/_understudy/health HTTP/1.1\r\nHost: x\r\n\r\n",
                 STATES_HEAD + b"Transfer-Encoding: chunked\r\n\r\n2;a=b\r\n{}\r\n0\r\n\r\n",
                 STATES_HEAD + b"Expect: 200-ok\r\nContent-Length: 2\r\n\r\n{}",
                 health + b"".join(b"X-%d: a\r\n" % i for i in range(5000)) + b"\r\n"):
        received, ended = exchange(server, data, half_close=True)
        (status, _, _), = parse_responses(received)
        assert status == 200, received[:300]


def test_pipelined_requests_are_answered_in_order(probed):
    server = probed[0]
    server.client("s3").create_bucket(Bucket="pipelined")
    server.client("s3").put_object(Bucket="pipelined", Key="obj", Body=b"hello")
    body = b'{"maxResults": 1}'
    requests = [
        b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n\r\n",
        STATES_HEAD + b"Content-Length: %d\r\n\r\n%s" % (len(body), body),
        b"GET /pipelined/obj HTTP/1.1\r\nHost: x\r\n\r\n",
        STATES_HEAD.replace(b"ListStateMachines", b"LaunchRocket") + b"Content-Length: 2\r\n\r\n{}",
        b"GET /foundation-models/anthropic.claude-v2 HTTP/1.1\r\nHost: x\r\n\r\n",
        STATES_HEAD + b"Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n",
        b"HEAD /pipelined/obj HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /pipelined/obj HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n\r\n",  # after the close: never answered
    ]
    received, ended = exchange(server, b"".join(requests), timeout=5)
    assert ended == "closed"
    responses = parse_responses(received, heads=(6,))
    assert [status for status, _, _ in responses] == [200, 200, 200, 400, 200, 200, 200, 200]
    bodies = [body for _, _, body in responses]
    assert b'"status":"running"' in bodies[0] and b'"stateMachines"' in bodies[1] and bodies[2] == b"hello"
    assert b"UnknownOperationException" in bodies[3] and b'"modelId":"anthropic.claude-v2"' in bodies[4]
    assert responses[6][1]["content-length"] == "5" and bodies[7] == b"hello"
    assert responses[7][1]["connection"] == "close"


def test_http_1_0_is_answered_in_1_0_and_closed(probed):
    server = probed[0]
    request = (b"POST / HTTP/1.0\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
               b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{}")
    received, ended = exchange(server, request)
    assert received.startswith(b"HTTP/1.0 200 OK\r\n") and ended == "closed", received[:200]
    (status, _, body), = parse_responses(received)
    assert json.loads(body) == {"stateMachines": []} or "stateMachines" in json.loads(body)
    kept = request.replace(b"HTTP/1.0\r\n", b"HTTP/1.0\r\nConnection: keep-alive\r\n")
    received, ended = exchange(server, kept + kept, timeout=1)
    assert [status for status, _, _ in parse_responses(received)] == [200, 200]


@pytest.mark.parametrize("cut", [10, 40, 120, 200, None])
def test_a_client_that_closes_early_leaves_the_server_answering(probed, cut):
    """The connection drops inside the request line, the head, or the body of a PUT and of a
    StartSyncExecution, or right after the whole request: no answer is owed, a body cut short
    is not stored, and the server serves the next client."""
    server = probed[0]
    server.client("s3").create_bucket(Bucket="early")
    body = json.dumps({"stateMachineArn": probed[1]["states"]["stateMachineArn"][1], "input": "{}"}).encode()
    sync = (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.StartSyncExecution\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
    key = f"early-{cut or 'whole'}"
    put = b"PUT /early/%s HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n%s" % (key.encode(), b"x" * 1000)
    for request in (sync, put):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(request[:cut])
            if cut is not None:  # a reset, not a FIN: the client is gone
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert healthy(server)
    time.sleep(0.1)
    status, _, _, _ = WireRequest("GET", f"/early/{key}", {}, b"", "s3").send(
        http.client.HTTPConnection("127.0.0.1", server.port, timeout=5))
    assert status == (200 if cut is None else 404), "a body cut short is never stored"


# --- Slow clients, against a server with short edge timeouts.

@pytest.fixture(scope="module")
def impatient(request, tmp_path_factory):
    config = tmp_path_factory.mktemp("impatient") / "understudy.yml"
    config.write_text("server:\n  headerTimeoutSeconds: 1\n  idleTimeoutSeconds: 2\n")
    server = Server("--time-scale", "0", "--config", str(config))
    request.addfinalizer(server.stop)
    return server


def test_a_head_sent_a_byte_at_a_time_is_cut_off_by_the_header_timeout(impatient):
    """Slowloris: bytes keep coming, but the head is not whole within headerTimeoutSeconds."""
    head = b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 200 + b"\r\n\r\n"
    received, took = trickle(impatient, head, every=0.1, until=6)
    assert received.startswith(b"HTTP/1.1 408 Request Timeout\r\n"), received[:200]
    assert 0.9 < took < 3, took
    assert healthy(impatient)


def test_a_body_that_stops_coming_is_cut_off_by_the_idle_timeout(impatient):
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", impatient.port), timeout=6) as sock:
        sock.sendall(b"PUT /probe-slow/key HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 10)
        received = b""
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
    assert 1.5 < time.monotonic() - started < 4
    assert b"HTTP/1.1 5" not in received
    assert healthy(impatient)


def test_many_slow_clients_do_not_stop_the_others(impatient):
    slow = [socket.create_connection(("127.0.0.1", impatient.port), timeout=5) for _ in range(100)]
    for index, sock in enumerate(slow):
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n" if index % 2 else b"PUT /b/k HTTP/1.1\r\nContent-Length: 9\r\n\r\nx")
    started = time.monotonic()
    assert healthy(impatient)
    impatient.client("stepfunctions").list_state_machines()
    assert time.monotonic() - started < 1
    time.sleep(2.5)
    for sock in slow:
        sock.settimeout(3)
        try:
            assert sock.recv(65536) is not None
            assert sock.recv(1) == b""
        except ConnectionResetError:
            pass
        sock.close()


# --- Streams and uploads the client drops halfway.

@pytest.fixture(scope="module")
def paced(request, tmp_path_factory):
    """Real time, with model latency: a stream of a few hundred tokens takes seconds."""
    config = tmp_path_factory.mktemp("paced") / "understudy.yml"
    config.write_text('bedrock:\n  latency:\n    - model: "anthropic.claude-3-haiku*"\n'
                      "      timeToFirstTokenMs: 20\n      tokensPerSecond: 100\n")
    server = Server("--config", str(config))
    request.addfinalizer(server.stop)
    return server


LONG_ANSWER = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 2000,
               "messages": [{"role": "user", "content": "Write a long essay about rivers. " * 20}]}


def test_a_response_stream_dropped_midway_leaves_the_server_answering(paced):
    runtime = paced.client("bedrock-runtime", read_timeout=10)
    for _ in range(3):
        reply = runtime.invoke_model_with_response_stream(modelId=probe_targets.HAIKU, body=json.dumps(LONG_ANSWER))
        events = iter(reply["body"])
        assert "chunk" in next(events)
        reply["body"].close()  # the socket goes with it, mid-stream
        messages = [{"role": "user", "content": [{"text": "Write a long essay about rivers. " * 20}]}]
        stream = runtime.converse_stream(modelId=probe_targets.HAIKU, messages=messages, inferenceConfig={"maxTokens": 2000})["stream"]
        assert "messageStart" in next(iter(stream))
        stream.close()
    started = time.monotonic()
    assert healthy(paced)
    short = dict(LONG_ANSWER, max_tokens=5)
    answer = json.loads(runtime.invoke_model(modelId="anthropic.claude-v2", body=json.dumps(
        {"prompt": "\n\nHuman: hi\n\nAssistant:", "max_tokens_to_sample": 5}))["body"].read())
    assert answer["completion"]
    whole = list(runtime.invoke_model_with_response_stream(modelId=probe_targets.HAIKU, body=json.dumps(short))["body"])
    assert whole and "chunk" in whole[0]
    assert time.monotonic() - started < 5


def test_an_upload_dropped_midway_stores_nothing(paced):
    s3 = paced.client("s3")
    s3.create_bucket(Bucket="dropped")
    for key, head in (("plain", b"Content-Length: 8000000\r\n"),
                      ("chunked", b"Transfer-Encoding: chunked\r\n"),
                      ("aws-chunked", b"Content-Encoding: aws-chunked\r\nX-Amz-Decoded-Content-Length: 8000000\r\n"
                                      b"X-Amz-Content-SHA256: STREAMING-UNSIGNED-PAYLOAD-TRAILER\r\nTransfer-Encoding: chunked\r\n")):
        with socket.create_connection(("127.0.0.1", paced.port), timeout=5) as sock:
            sock.sendall(b"PUT /dropped/" + key.encode() + b" HTTP/1.1\r\nHost: x\r\n" + head + b"\r\n")
            piece = b"y" * 65536
            for _ in range(16):
                sock.sendall(piece if key == "plain" else b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with pytest.raises(ClientError) as missing:
            s3.head_object(Bucket="dropped", Key=key)
        assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    s3.put_object(Bucket="dropped", Key="after", Body=b"z" * 1000)
    assert s3.get_object(Bucket="dropped", Key="after")["Body"].read() == b"z" * 1000
    upload = s3.create_multipart_upload(Bucket="dropped", Key="parts")["UploadId"]
    with socket.create_connection(("127.0.0.1", paced.port), timeout=5) as sock:
        sock.sendall(b"PUT /dropped/parts?partNumber=1&uploadId=" + upload.encode() +
                     b" HTTP/1.1\r\nHost: x\r\nContent-Length: 6000000\r\n\r\n" + b"p" * 1000000)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    assert s3.list_parts(Bucket="dropped", Key="parts", UploadId=upload).get("Parts", []) == []
    assert healthy(paced)


def test_bodies_near_the_limit_are_answered_in_shape(make_server):
    """One huge string in each protocol's body, just under and just over --max-body-bytes."""
    server = make_server("--time-scale", "0", "--max-body-bytes", "4000000")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    models = {service: service_model(service) for service in MODELS}
    cases = [("states", "CreateStateMachine", lambda s: {"name": "big", "roleArn": probe_targets.ROLE, "definition": s}),
             ("states", "StartExecution", lambda s: {"stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:none", "input": s}),
             ("bedrock-runtime", "InvokeModel", lambda s: {"modelId": probe_targets.HAIKU, "body": json.dumps(
                 dict(LONG_ANSWER, messages=[{"role": "user", "content": s}])).encode()}),
             ("bedrock-runtime", "Converse", lambda s: {"modelId": probe_targets.HAIKU, "messages": [{"role": "user", "content": [{"text": s}]}]}),
             ("s3", "DeleteObjects", lambda s: {"Bucket": "nobucket", "Delete": {"Objects": [{"Key": s[:900]}] * (len(s) // 1000)}})]
    for service, name, make in cases:
        model = models[service]
        operation = model.operation_model(name)
        for size, limit_status in ((3_900_000, None), (4_100_000, 413)):
            text = ("🦄" * (size // 4 - 200)) if service != "s3" else "k" * size
            request = WireRequest.for_operation(model, operation, make(text))
            status, headers, body, response = request.send(connection)
            problems = problems_with(model.protocol, request.method, status, headers, body)
            assert not problems, (name, size, status, body[:300])
            if limit_status and len(request.body) > 4_000_000:
                assert status in (limit_status, 400), (name, status, body[:200])
            if response.will_close:
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    assert healthy(server)


# --- Findings of the probe (issue 19), each guarding its fix.

def test_a_connect_request_gets_a_framed_answer_and_the_connection_stays_usable(probed):
    server = probed[0]
    received, ended = exchange(server, b"CONNECT x:443 HTTP/1.1\r\nHost: x\r\n\r\n"
                               b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n\r\n", timeout=2)
    responses = parse_responses(received)
    assert responses[0][0] == 405 and b"<Code>MethodNotAllowed</Code>" in responses[0][2]
    assert ended == "closed" or (len(responses) == 2 and responses[1][0] == 200)


def test_two_host_headers_are_refused(probed):
    received, _ = exchange(probed[0], b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", half_close=True)
    (status, _, _), = parse_responses(received)
    assert status == 400


def test_an_oversized_head_gets_an_s3_error(probed):
    received, _ = exchange(probed[0], b"GET /probe-bucket/obj HTTP/1.1\r\nHost: x\r\nx-amz-meta-big: " + b"a" * 100_000 + b"\r\n\r\n")
    (status, headers, body), = parse_responses(received)
    assert status == 400 and not problems_with("rest-xml", "GET", status, headers, body)


def test_s3_xml_escapes_control_characters(probed):
    server = probed[0]
    s3 = server.client("s3")
    s3.create_bucket(Bucket="controls")
    s3.put_object(Bucket="controls", Key="a\rb", Body=b"x")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    _, _, listing, _ = WireRequest("GET", "/controls?list-type=2", {}, b"", "s3").send(connection)
    keys = [key.text for key in ElementTree.fromstring(listing).iter("{http://s3.amazonaws.com/doc/2006-03-01/}Key")]
    assert keys == ["a\rb"], listing
    status, headers, error, _ = WireRequest("GET", "/controls/%01key", {}, b"", "s3").send(connection)
    assert status == 404 and not problems_with("rest-xml", "GET", status, headers, error), error


@pytest.mark.parametrize("vpc_config", ["x", [1]])
def test_a_batch_job_with_an_off_shape_vpc_config_is_refused(make_server, vpc_config):
    server = make_server("--time-scale", "0")
    probe_targets.prepare(server)
    body = {"jobName": "offshape", "roleArn": probe_targets.ROLE, "modelId": probe_targets.HAIKU, "vpcConfig": vpc_config,
            "inputDataConfig": {"s3InputDataConfig": {"s3Uri": f"s3://{probe_targets.BUCKET}/batch/"}},
            "outputDataConfig": {"s3OutputDataConfig": {"s3Uri": f"s3://{probe_targets.BUCKET}/out/"}}}
    request = WireRequest("POST", "/model-invocation-job", {"Content-Type": "application/json"}, json.dumps(body).encode(), "bedrock")
    status, headers, answer, _ = request.send(http.client.HTTPConnection("127.0.0.1", server.port, timeout=5))
    server.client("bedrock").list_model_invocation_jobs()  # raises when a stored job no longer fits the model
    assert status == 400 and headers.get("x-amzn-errortype", "").startswith("ValidationException"), answer


@pytest.mark.parametrize("method, path", [("PUT", "/dots/../x"), ("GET", "/dots/../x"), ("PUT", "/dots/%2E%2E/x"),
                                          ("PUT", "/dots/.."), ("POST", "/dots/../../etc/passwd?uploads")])
def test_a_key_with_a_dot_dot_segment_gets_an_s3_error(probed, method, path):
    server = probed[0]
    server.client("s3").create_bucket(Bucket="dots")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    status, headers, body, _ = WireRequest(method, path, {}, b"data" if method == "PUT" else b"", "s3").send(connection)
    assert not problems_with("rest-xml", method, status, headers, body), (status, body)
