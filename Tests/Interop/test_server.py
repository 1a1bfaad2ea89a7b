"""HTTP/1.1 behaviour, the admin API, configuration and graceful shutdown of the binary."""
import http.client
import json
import signal
import socket
import subprocess
import threading
import time

import pytest

from harness import BINARY, Server
from raw_http import exchange


def read_responses(sock, count, timeout=5):
    """Reads `count` HTTP responses (Content-Length framed) from a socket."""
    sock.settimeout(timeout)
    data = b""
    responses = []
    while len(responses) < count:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
        while b"\r\n\r\n" in data:
            head, rest = data.split(b"\r\n\r\n", 1)
            length = 0
            for line in head.split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(rest) < length:
                break
            responses.append((head.decode(), rest[:length]))
            data = rest[length:]
    return responses


def test_keep_alive_and_pipelining(server):
    request = b"GET /inference-profiles HTTP/1.1\r\nHost: localhost\r\n\r\n"
    health = b"GET /_understudy/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(request + health + request)
        responses = read_responses(sock, 3)
    assert [h.split("\r\n")[0] for h, _ in responses] == ["HTTP/1.1 200 OK"] * 3
    assert b"inferenceProfileSummaries" in responses[0][1]
    assert json.loads(responses[1][1])["status"] == "running"
    ids = [next(l for l in h.split("\r\n") if l.lower().startswith("x-amzn-requestid")) for h, _ in responses]
    assert len(set(ids)) == 3, "every response has its own request id"


def test_expect_100_continue(server):
    body = b"{}"
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(
            b"POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AWSStepFunctions.Nope\r\n"
            b"Content-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n"
        )
        sock.settimeout(5)
        interim = sock.recv(4096)
        assert interim.startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(body)
        final = read_responses(sock, 1)
    assert final[0][0].startswith("HTTP/1.1 400")


def test_chunked_request_body(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    conn.putrequest("POST", "/")
    conn.putheader("X-Amz-Target", "AWSStepFunctions.LaunchRocket")
    conn.putheader("Content-Type", "application/x-amz-json-1.0")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    conn.send(b"1\r\n{\r\n1\r\n}\r\n0\r\n\r\n")
    response = conn.getresponse()
    assert response.status == 400
    assert json.loads(response.read())["__type"].endswith("UnknownOperationException")


def test_connection_close_is_honoured(server):
    data, ended = exchange(server, b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=5)
    assert ended == "closed"
    assert b"Connection: close" in data and data.startswith(b"HTTP/1.1 200")


def test_journal_and_reset(make_server):
    s = make_server()
    client = s.client("bedrock")
    client.get_foundation_model(modelIdentifier="anthropic.claude-v2")
    try:
        client.get_foundation_model(modelIdentifier="acme.none-v1")
    except Exception:
        pass
    entries = s.admin("journal")["entries"]
    ops = [(e["service"], e["operation"], e["status"]) for e in entries if e["service"] != "admin"]
    assert ops[-2:] == [("bedrock", "GetFoundationModel", 200), ("bedrock", "GetFoundationModel", 400)]
    last = entries[-1]
    assert set(last) >= {"time", "service", "operation", "status", "latencyMs", "requestId"}
    assert last["attempt"] == 1, "the SDK attempt from amz-sdk-request"
    assert len(s.admin("journal?limit=1")["entries"]) == 1
    assert s.admin("reset", method="POST") == {"status": "reset"}
    assert [e for e in s.admin("journal")["entries"] if e["service"] != "admin"] == []


def test_health_lists_what_is_served(server):
    health = server.admin("health")
    assert health["version"]
    assert health["uptimeSeconds"] >= 0
    assert "ListFoundationModels" in health["services"]["bedrock"]


def test_unknown_admin_resource(server):
    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(server.url + "/_understudy/nothing")
    assert e.value.code == 404


def test_same_seed_same_request_ids(make_server):
    def ids(seed):
        s = make_server("--seed", str(seed))
        out = [s.client("bedrock").get_foundation_model(modelIdentifier="anthropic.claude-v2")["ResponseMetadata"]["RequestId"] for _ in range(3)]
        s.stop()
        return out

    assert ids(7) == ids(7)
    assert ids(7) != ids(8)


def test_graceful_shutdown_finishes_in_flight_and_exits_zero(make_server):
    s = make_server()
    # An idle keep-alive connection must not hold shutdown up.
    idle = socket.create_connection(("127.0.0.1", s.port))
    idle.sendall(b"GET /_understudy/health HTTP/1.1\r\nHost: x\r\n\r\n")
    read_responses(idle, 1)
    # A request whose body is still arriving when the signal lands completes afterwards.
    busy = socket.create_connection(("127.0.0.1", s.port))
    busy.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.Nope\r\nContent-Type: application/x-amz-json-1.0\r\nContent-Length: 2\r\n\r\n{")
    time.sleep(0.2)
    started = time.monotonic()
    s.process.send_signal(signal.SIGTERM)
    time.sleep(0.2)
    busy.sendall(b"}")
    response = read_responses(busy, 1)
    assert response and response[0][0].startswith("HTTP/1.1 400")
    assert "Connection: close" in response[0][0]
    assert s.process.wait(timeout=6) == 0
    assert time.monotonic() - started < 5.5
    # New connections are refused once it has stopped.
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", s.port), timeout=1).sendall(b"x")
    idle.close()
    busy.close()


def test_sigint_also_stops_cleanly(make_server):
    s = make_server()
    s.process.send_signal(signal.SIGINT)
    assert s.process.wait(timeout=6) == 0


def run_binary(*args, env=None, timeout=10):
    return subprocess.run([str(BINARY), *args], capture_output=True, text=True, timeout=timeout, env=env)


def test_version():
    result = run_binary("--version")
    assert result.returncode == 0
    assert result.stdout.strip().count(".") == 2


def test_unknown_config_key_names_it(tmp_path):
    config = tmp_path / "understudy.yml"
    config.write_text("server:\n  prot: 4566\n")
    result = run_binary("serve", "--config", str(config))
    assert result.returncode != 0
    assert "unknown key 'server.prot'" in result.stderr


def test_unknown_environment_variable_names_it(tmp_path):
    import os

    env = dict(os.environ, UNDERSTUDY_PROT="1")
    result = run_binary("serve", env=env)
    assert result.returncode != 0
    assert "UNDERSTUDY_PROT" in result.stderr


def test_config_file_environment_and_flag_layering(make_server, tmp_path):
    s = make_server(
        "--seed", "5",
        env={"UNDERSTUDY_AUTH": "strict", "UNDERSTUDY_CREDENTIALS": "AKIDENV:envsecret", "UNDERSTUDY_ADMIN_TOKEN": "layered-admin-token"},
        config_text="auth:\n  mode: lenient\nseed: 3\njournal:\n  size: 2\n",
    )
    # The environment's strict mode overrides the file's lenient.
    assert s.client("bedrock", key="AKIDENV", secret="envsecret").list_foundation_models()["modelSummaries"]
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError):
        s.client("bedrock", key="AKIDENV", secret="nope").list_foundation_models()
    # journal.size from the file; strict mode's admin API takes the environment's token.
    for _ in range(3):
        s.admin("health")
    assert len(s.admin("journal", headers={"Authorization": "Bearer layered-admin-token"})["entries"]) == 2


def test_binds_loopback_by_default(server):
    log = []

    def first_line():
        log.append(server.process.stderr.readline().decode())

    t = threading.Thread(target=first_line)
    t.start()
    t.join(timeout=2)
    assert log and "listening on http://127.0.0.1:" in log[0]
