"""Raw HTTP/1.1 on a socket, for the probe's malformed, pipelined, slow and dropped requests:
what http.client would refuse to send or would read leniently."""
import socket
import time


def exchange(server, data, timeout=2.0, half_close=False):
    """Sends `data` on a new connection; returns (bytes read, how it ended: closed, reset or open)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(data)
        if half_close:
            sock.shutdown(socket.SHUT_WR)
        received = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                return received, "open"
            except ConnectionResetError:
                return received, "reset"
            if not chunk:
                return received, "closed"
            received += chunk


def parse_responses(data, heads=()):
    """Splits bytes into HTTP/1.x responses framed by Content-Length (none after a HEAD, whose
    indexes are `heads`); fails on anything else."""
    responses = []
    while data:
        head, separator, rest = data.partition(b"\r\n\r\n")
        assert separator, f"an unterminated head: {data[:200]!r}"
        lines = head.decode("latin-1").split("\r\n")
        version, status, _ = (lines[0] + " ").split(" ", 2)
        assert version in ("HTTP/1.1", "HTTP/1.0") and status.isdigit(), f"a bad status line: {lines[0]!r}"
        headers = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            assert colon and name and name == name.strip(), f"a bad header line: {line!r}"
            headers[name.lower()] = value.strip()
        assert "content-length" in headers, f"a response without a length: {head!r}"
        length = 0 if len(responses) in heads else int(headers["content-length"])
        assert len(rest) >= length, f"a body shorter than its Content-Length: {head!r}"
        responses.append((int(status), headers, rest[:length]))
        data = rest[length:]
    return responses


STATES_HEAD = (b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: AWSStepFunctions.ListStateMachines\r\n"
               b"Content-Type: application/x-amz-json-1.0\r\n")


def trickle(server, data, every, until):
    """Sends `data` a byte at a time, `every` seconds apart, until the server answers or closes
    or `until` seconds pass; returns (what it read, seconds taken)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.settimeout(every)
        received = b""
        for byte in data:
            try:
                sock.sendall(bytes([byte]))
            except (BrokenPipeError, ConnectionResetError):
                break
            try:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
            except socket.timeout:
                pass
            except ConnectionResetError:
                break
            if time.monotonic() - started > until:
                break
        return received, time.monotonic() - started


# Each is refused by the HTTP parser itself: a bare 400 and the connection closed.
MALFORMED = {
    "bad method": b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n",
    "no version": b"GET /\r\nHost: x\r\n\r\n",
    "http/2.0 line": b"GET / HTTP/2.0\r\nHost: x\r\n\r\n",
    "http/9.9": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "h2 preface": b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n",
    "bare LF": b"GET /_understudy/health HTTP/1.1\nHost: x\n\n",
    "space in target": b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in target": b"GET /a\x00b HTTP/1.1\r\nHost: x\r\n\r\n",
    "obsolete fold": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n",
    "no colon": b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    "space before colon": b"GET / HTTP/1.1\r\nHost : x\r\n\r\n",
    "NUL in header": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
    "oversized header": b"GET / HTTP/1.1\r\nHost: x\r\nX-A: " + b"a" * 100_000 + b"\r\n\r\n",
    "oversized target": b"GET /" + b"a" * 100_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    "CL and TE": STATES_HEAD + b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "two lengths": STATES_HEAD + b"Content-Length: 2\r\nContent-Length: 3\r\n\r\n{} ",
    "negative length": STATES_HEAD + b"Content-Length: -1\r\n\r\n",
    "length with junk": STATES_HEAD + b"Content-Length: 2x\r\n\r\n{}",
    "length past 64 bits": STATES_HEAD + b"Content-Length: 99999999999999999999999\r\n\r\n",
    "unknown coding": STATES_HEAD + b"Transfer-Encoding: gzip\r\n\r\n{}",
    "chunked twice": STATES_HEAD + b"Transfer-Encoding: chunked, chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    "chunk size not hex": STATES_HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
    "negative chunk size": STATES_HEAD + b"Transfer-Encoding: chunked\r\n\r\n-2\r\n{}\r\n0\r\n\r\n",
    "chunk size past 64 bits": STATES_HEAD + b"Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n{}\r\n0\r\n\r\n",
    "chunk without CRLF": STATES_HEAD + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n",
    "binary": bytes(range(256)) * 4,
    "TLS hello": bytes.fromhex("160301020001000100fc0303") + b"\x00" * 200,
}
