"""The HTTP edge's limits (issue 19): early errors reach the client, slow and idle clients are
closed, half-closed clients are answered, large downloads are paced by the client, and a full
connection table makes new clients wait instead of failing."""
import json
import socket
import threading
import time

import botocore
import pytest

from harness import Server, stop_process


def recv_until_closed(sock, timeout=5.0):
    sock.settimeout(timeout)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return data + b"<reset>"
        if not chunk:
            return data
        data += chunk


def connect(server):
    return socket.create_connection(("127.0.0.1", server.port), timeout=5)


def test_refused_head_is_answered_while_the_body_is_still_coming(server):
    """NIO refuses a malformed head with 400 and `Connection: close`; the server then drains
    what the client keeps sending instead of resetting, so the client reads the 400."""
    for _ in range(3):
        s = connect(server)
        s.sendall(b"PUT /bucket/key HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\nBad Header: x\r\n\r\n")
        for _ in range(400):
            s.sendall(b"a" * 10000)  # raised ECONNRESET before
        answer = recv_until_closed(s)
        s.close()
        assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:200]
        assert b"<reset>" not in answer


def test_oversized_upload_is_refused_before_its_body(make_server):
    """botocore sends `Expect: 100-continue` with large bodies: the over-limit answer comes at
    once, in S3's own shape, without a `100 Continue` first."""
    s = make_server("--max-body-bytes", "1000000")
    s3 = s.client("s3")
    s3.create_bucket(Bucket="uploads")
    started = time.monotonic()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.put_object(Bucket="uploads", Key="big", Body=b"x" * 3_000_000)
    assert e.value.response["Error"]["Code"] == "EntityTooLarge"
    assert time.monotonic() - started < 2
    s3.put_object(Bucket="uploads", Key="small", Body=b"x" * 1000)

    sock = connect(s)
    sock.sendall(b"PUT /uploads/k HTTP/1.1\r\nHost: x\r\nContent-Length: 9000000000\r\nExpect: 100-continue\r\n\r\n")
    answer = recv_until_closed(sock)
    assert answer.startswith(b"HTTP/1.1 400 Bad Request\r\n"), answer[:200]
    assert b"100 Continue" not in answer and b"<EntityTooLarge" not in answer
    assert b"<Code>EntityTooLarge</Code>" in answer


def test_no_100_continue_for_http_1_0(server):
    s = connect(server)
    s.sendall(b"PUT /onezero HTTP/1.0\r\nHost: x\r\nContent-Length: 0\r\nExpect: 100-continue\r\n\r\n")
    answer = recv_until_closed(s)
    assert answer.startswith(b"HTTP/1.0 200 OK\r\n"), answer[:100]
    assert b"100 Continue" not in answer


WAIT_ONE = json.dumps({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "End": True}}})


def test_half_closed_client_still_gets_its_answer(server):
    sfn = server.client("stepfunctions")
    arn = sfn.create_state_machine(
        name="halfclose", definition=WAIT_ONE, roleArn="arn:aws:iam::000000000000:role/r", type="EXPRESS"
    )["stateMachineArn"]
    body = json.dumps({"stateMachineArn": arn, "input": "{}"}).encode()
    s = connect(server)
    s.sendall(
        b"POST / HTTP/1.1\r\nHost: sync-states.us-east-1.amazonaws.com\r\nContent-Type: application/x-amz-json-1.0\r\n"
        b"X-Amz-Target: AWSStepFunctions.StartSyncExecution\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    s.shutdown(socket.SHUT_WR)
    answer = recv_until_closed(s, timeout=10)
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n"), answer[:200]
    assert b'"status":"SUCCEEDED"' in answer


def test_slow_clients_are_closed_by_the_header_timeout(make_server, tmp_path):
    s = make_server(config_text="server:\n  headerTimeoutSeconds: 1\n  idleTimeoutSeconds: 2\n")
    slow = []
    for _ in range(200):
        c = connect(s)
        c.sendall(b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n")  # never finished
        slow.append(c)
    # Everyone else is still served meanwhile.
    s.client("stepfunctions").list_state_machines()
    time.sleep(1.5)
    closed = 0
    for c in slow:
        answer = recv_until_closed(c, timeout=2)
        if answer.startswith(b"HTTP/1.1 408 Request Timeout"):
            closed += 1
        c.close()
    assert closed == 200
    # A connection that sends nothing is closed after the idle timeout.
    idle = connect(s)
    started = time.monotonic()
    assert recv_until_closed(idle, timeout=5) == b""
    assert 1.5 < time.monotonic() - started < 4


def test_download_is_paced_by_the_client(server):
    """A client that does not read holds back the server's copy after a few chunks: the
    server keeps answering others and the slow client still gets every byte."""
    s3 = server.client("s3")
    s3.create_bucket(Bucket="big")
    payload = bytes(range(256)) * (64 * 1024 * 4)  # 64 MiB
    s3.put_object(Bucket="big", Key="blob", Body=payload)
    readers = []
    for _ in range(6):
        c = connect(server)
        c.sendall(b"GET /big/blob HTTP/1.1\r\nHost: x\r\n\r\n")
        readers.append(c)
    time.sleep(0.5)
    rss_kib = int(next(l for l in open(f"/proc/{server.process.pid}/status") if l.startswith("VmRSS")).split()[1])
    # The object (64 MiB, held once) plus a chunk per reader (~105 MiB); copies per reader made ~290.
    assert rss_kib < 200 * 1024, rss_kib
    s3.head_object(Bucket="big", Key="blob")
    data = recv_response(readers[0], len(payload))
    assert data.endswith(payload[-1000:])
    for c in readers:
        c.close()


def recv_response(sock, body_length, timeout=30.0):
    sock.settimeout(timeout)
    data = bytearray()
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return bytes(data)
        data += chunk
        end = data.find(b"\r\n\r\n")
        if end >= 0 and len(data) - end - 4 >= body_length:
            return bytes(data)


def test_connection_limit_makes_clients_wait_not_fail(make_server, tmp_path):
    s = make_server(config_text="server:\n  maxConnections: 4\n")
    held = [connect(s) for _ in range(4)]
    results = []

    def call():
        results.append(s.client("stepfunctions").list_state_machines()["stateMachines"])

    waiting = threading.Thread(target=call)
    waiting.start()
    time.sleep(0.5)
    assert not results  # queued in the backlog, not refused
    held[0].close()
    waiting.join(timeout=10)
    assert results == [[]]
    for c in held[1:]:
        c.close()


@pytest.mark.parametrize(
    "key,value",
    [("headerTimeoutSeconds", 0), ("idleTimeoutSeconds", 100000), ("maxConnections", 0), ("shutdownGraceSeconds", -1)],
)
def test_edge_limits_are_range_checked(tmp_path, key, value):
    import subprocess

    from harness import BINARY

    path = tmp_path / "understudy.yml"
    path.write_text(f"server:\n  {key}: {value}\n")
    run = subprocess.run([str(BINARY), "serve", "--config", str(path), "--port", "0"], capture_output=True, timeout=10)
    assert run.returncode != 0
    assert f"server.{key} must be a whole number from" in run.stderr.decode()
