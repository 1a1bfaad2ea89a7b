"""Starts the built `understudy` binary on a free loopback port and hands out real clients.

The binary comes from INTEROP_BINARY, else .build/debug/understudy (what `swift build`
produced). Every server binds 127.0.0.1 and is stopped (SIGTERM) by the fixture that made it.
"""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("INTEROP_BINARY", ROOT / ".build" / "debug" / "understudy"))
# The test data the repository carries (seed definitions, conformance cases, vectors); see
# Tests/Fixtures/README.md for where each came from.
FIXTURES = ROOT / "Tests" / "Fixtures"

DUMMY_KEY = "AKIDUNDERSTUDYTEST01"
DUMMY_SECRET = "understudy-test-secret"


def aws_cli(server, *args, region="us-east-1", output="json", **environment):
    """The AWS CLI against `server` with the dummy key and no profile or config of this
    machine; extra keyword arguments are environment variables (AWS_MAX_ATTEMPTS="1")."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID=DUMMY_KEY, AWS_SECRET_ACCESS_KEY=DUMMY_SECRET, AWS_DEFAULT_REGION=region,
               AWS_ENDPOINT_URL=server.url, AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null", **environment)
    env.pop("AWS_PROFILE", None)
    command = ["aws", *args] + (["--output", output] if output else [])
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def aws_json(server, *args, **environment):
    """The AWS CLI's answer as JSON ({} for none); a failed command fails the test."""
    result = aws_cli(server, *args, AWS_MAX_ATTEMPTS="1", **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def finished(client, arn, timeout=10):
    """The execution's description once it is no longer RUNNING (or when `timeout` ends)."""
    deadline = time.monotonic() + timeout
    while True:
        described = client.describe_execution(executionArn=arn)
        if described["status"] != "RUNNING" or time.monotonic() > deadline:
            return described
        time.sleep(0.02)


def history(client, arn):
    """Every history event of an execution (one page of up to 1,000)."""
    return client.get_execution_history(executionArn=arn, maxResults=1000)["events"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One running binary."""

    def __init__(self, *args, env=None, config_text=None, tmp_path=None):
        self.port = free_port()
        self.args = [str(BINARY), "serve", "--port", str(self.port), *args]
        if config_text is not None:
            path = Path(tmp_path) / "understudy.yml"
            path.write_text(config_text)
            self.args += ["--config", str(path)]
        environment = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}
        environment.update(env or {})
        self.process = subprocess.Popen(
            self.args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self._wait_ready()

    def _wait_ready(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise RuntimeError(f"understudy exited {self.process.returncode}: {err.decode()}")
            try:
                with urllib.request.urlopen(self.url + "/_understudy/health", timeout=0.5) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("understudy did not become ready")

    def admin(self, path, method="GET", body=None, headers=None):
        # State-changing admin calls must say they are JSON (a browser's cross-origin "simple"
        # request cannot), or the server answers 415.
        headers = dict(headers or {})
        if method != "GET":
            headers.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(self.url + "/_understudy/" + path, method=method, data=body, headers=headers)
        with urllib.request.urlopen(req, timeout=5) as r:
            return json.loads(r.read())

    def client(self, service, region="us-east-1", key=DUMMY_KEY, secret=DUMMY_SECRET, **config):
        config.setdefault("retries", {"max_attempts": 1, "mode": "standard"})
        return boto3.client(
            service,
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
            config=Config(**config),
        )

    def stop(self, timeout=10.0):
        return stop_process(self.process, timeout)


def stop_process(process, timeout=10.0):
    """SIGTERM (the graceful shutdown a user's Ctrl-C gives), SIGKILL if it outstays `timeout`;
    closes its pipes and returns its exit status."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream:
            stream.close()
    return process.returncode
