"""The command line's own behaviour, through the built binary: what it says and how it exits
when the port is taken, the host carries a port, the configuration is wrong, a local run fails,
and what --version reports. Every server started here binds loopback and is stopped."""
import os
import re
import select
import signal
import socket
import subprocess
from pathlib import Path

import pytest

from harness import BINARY, ROOT, free_port, stop_process

TIMEOUT = 30


def understudy(*args, env=None, cwd=None):
    """Runs the binary to completion with no UNDERSTUDY_* from the caller's environment."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}
    environment.update(env or {})
    return subprocess.run(
        [str(BINARY), *args], capture_output=True, text=True, env=environment, cwd=cwd, timeout=TIMEOUT
    )


def serve_expecting_exit(*args, env=None):
    """`serve` that must fail before it listens; if it does start, it is stopped and the test fails."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}
    environment.update(env or {})
    process = subprocess.Popen(
        [str(BINARY), "serve", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment
    )
    try:
        out, err = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
        pytest.fail(f"understudy serve {' '.join(args)} kept running: {err}")
    return process.returncode, out, err


def test_port_in_use_names_the_address_and_the_way_out():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = serve_expecting_exit("--host", "127.0.0.1", "--port", str(port))
    assert code == 1, err
    assert f"127.0.0.1:{port} is already in use" in err
    assert "--port 0" in err
    assert "bind(descriptor" not in err and "errno" not in err


@pytest.mark.parametrize("host", ["127.0.0.1:4778", "[::1]:4778", "localhost:4778"])
def test_host_with_a_port_is_refused_by_the_flag(host):
    code, out, err = serve_expecting_exit("--host", host, "--port", str(free_port()))
    assert code == 64, err
    assert "--host takes an address without a port" in err
    assert "--port 4778" in err
    assert "Usage:" not in err
    assert "SocketAddressError" not in err


def test_host_with_a_port_is_refused_in_the_file_and_the_environment(tmp_path):
    config = tmp_path / "understudy.yml"
    config.write_text('server:\n  host: "127.0.0.1:4778"\n')
    code, out, err = serve_expecting_exit("--config", str(config), "--port", str(free_port()))
    assert code == 64, err
    assert "server.host takes an address without a port" in err and "server.port: 4778" in err
    assert "Usage:" not in err

    code, out, err = serve_expecting_exit("--port", str(free_port()), env={"UNDERSTUDY_HOST": "127.0.0.1:4778"})
    assert code == 64, err
    assert "UNDERSTUDY_HOST takes an address without a port" in err and "UNDERSTUDY_PORT=4778" in err
    assert "Usage:" not in err


def test_ipv6_loopback_still_serves():
    if not socket.has_ipv6:
        pytest.skip("no IPv6")
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback here")
    process = subprocess.Popen(
        [str(BINARY), "serve", "--host", "::1", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")},
    )
    try:
        ready, _, _ = select.select([process.stderr], [], [], TIMEOUT)
        assert ready, "understudy serve --host ::1 said nothing"
        line = process.stderr.readline()
        assert re.search(r"listening on http://\[::1\]:\d+", line), line
    finally:
        stop_process(process)


def test_configuration_errors_print_no_usage(tmp_path):
    config = tmp_path / "understudy.yml"
    config.write_text("bogus: 1\n")
    code, out, err = serve_expecting_exit("--config", str(config), "--port", str(free_port()))
    assert code == 64, err
    assert "unknown key 'bogus'" in err
    assert "Usage:" not in err

    code, out, err = serve_expecting_exit("--port", "70000")
    assert code == 64, err
    assert "--port must be 0-65535" in err and "Usage:" not in err

    code, out, err = serve_expecting_exit("--port", str(free_port()), env={"UNDERSTUDY_PORTT": "1"})
    assert code == 64, err
    assert "unknown environment variable UNDERSTUDY_PORTT" in err and "Usage:" not in err


def test_unknown_flags_still_show_usage():
    code, out, err = serve_expecting_exit("--no-such-flag")
    assert code == 64, err
    assert "Usage:" in err


def test_version_names_the_commit():
    result = understudy("--version")
    assert result.returncode == 0, result.stderr
    match = re.fullmatch(r"understudy (\d+\.\d+\.\d+\S*) \(commit ([0-9a-f]{4,40}|unknown)\)\n", result.stdout)
    assert match, result.stdout
    try:
        inside = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--show-toplevel"], capture_output=True, text=True, timeout=10
        )
    except FileNotFoundError:
        pytest.skip("git is not installed")
    if inside.returncode != 0 or Path(inside.stdout.strip()).resolve() != ROOT.resolve():
        pytest.skip(f"{ROOT} is not a git checkout")
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10, check=True
    ).stdout.strip()
    assert match.group(2) == head, "the binary was built from another commit: rebuild (swift build)"


def test_run_of_a_failing_execution_exits_non_zero(tmp_path):
    definition = tmp_path / "fail.json"
    definition.write_text('{"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Boom", "Cause": "it broke"}}}')
    result = understudy("run", str(definition), "--time-scale", "0")
    assert result.returncode == 1, result.stderr
    assert '"status": "FAILED"' in result.stdout
    assert '"error": "Boom"' in result.stdout
    assert "the execution did not succeed: FAILED" in result.stderr
    assert '"Boom"' in result.stderr and '"it broke"' in result.stderr


def test_run_of_a_succeeding_execution_exits_zero(tmp_path):
    definition = tmp_path / "pass.json"
    definition.write_text('{"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}')
    result = understudy("run", str(definition), "--input", '{"a": 1}', "--time-scale", "0")
    assert result.returncode == 0, result.stderr
    assert '"status": "SUCCEEDED"' in result.stdout
    assert result.stderr == ""
