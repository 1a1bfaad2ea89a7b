"""The container recipe, checked without a Docker engine.

docker-compose.yml and the Dockerfile are parsed and held to what issue 17 asks of them: the
port published on the host's loopback only, S3 data in a named volume at the --data-dir path,
SFN_MOCK_CONFIG passed through, a healthcheck on /_understudy/health, a non-root runtime user.
Then the binary under test is started with exactly the compose service's command and
environment (paths inside the container mapped to a temporary directory and the repository's
files), and the healthcheck command itself is run against it. (PyYAML comes with awscli.)
"""
import json
import os
import re
import shlex
import shutil
import subprocess
import time
import urllib.request

import boto3
import pytest
import yaml

from harness import BINARY, DUMMY_KEY, DUMMY_SECRET, FIXTURES, ROOT, free_port, stop_process

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SERVICE = "understudy"
HEALTH = "/_understudy/health"
MOCK_CONFIG = "/etc/understudy/MockConfigFile.json"


# --- docker-compose.yml ------------------------------------------------------------------

def interpolate(value, env):
    """Compose's variable substitution: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group("braced") or m.group("bare")
        op, default = m.group("op"), m.group("default") or ""
        if op == ":-":
            return env.get(name) or default
        if op == "-":
            return env.get(name, default)
        return env.get(name, "")

    pattern = r"\$\$|\$\{(?P<braced>\w+)(?:(?P<op>:?-)(?P<default>[^}]*))?\}|\$(?P<bare>\w+)"
    return re.sub(pattern, substitute, value)


def compose(env=None):
    """The understudy service as `docker compose config` would see it with these variables."""
    data = interpolate(yaml.safe_load(COMPOSE.read_text()), env or {})
    return data, data["services"][SERVICE]


def environment(service):
    items = service.get("environment") or {}
    if isinstance(items, list):
        items = dict(item.split("=", 1) if "=" in item else (item, os.environ.get(item, "")) for item in items)
    return {k: "" if v is None else str(v) for k, v in items.items()}


def mounts(service):
    """(source, target, read_only) for each volume, short or long syntax."""
    result = []
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            result.append((volume.get("source"), volume["target"], bool(volume.get("read_only"))))
        else:
            parts = volume.split(":")
            source, target = (parts[0], parts[1]) if len(parts) > 1 else (None, parts[0])
            result.append((source, target, len(parts) > 2 and "ro" in parts[2].split(",")))
    return result


def published(service):
    """(host_ip, host_port, container_port) for each published port."""
    result = []
    for port in service.get("ports") or []:
        if isinstance(port, dict):
            result.append((port.get("host_ip"), str(port.get("published")), str(port["target"])))
        else:
            parts = str(port).rsplit(":", 2)
            if len(parts) == 3:
                result.append((parts[0].strip("[]"), parts[1], parts[2].split("/")[0]))
            else:  # "HOST:CONTAINER" or "CONTAINER": every interface
                result.append((None, parts[0] if len(parts) == 2 else None, parts[-1].split("/")[0]))
    return result


# --- Dockerfile --------------------------------------------------------------------------

def dockerfile_stages():
    """Each stage as a list of (INSTRUCTION, arguments), continuation lines joined."""
    lines, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if current and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    stages = []
    for line in lines:
        instruction, _, arguments = line.partition(" ")
        instruction = instruction.upper()
        if instruction == "FROM":
            stages.append([])
        if stages:
            stages[-1].append((instruction, arguments.strip()))
    return stages


def last(stage, instruction):
    values = [arguments for name, arguments in stage if name == instruction]
    return values[-1] if values else None


def exec_form(arguments):
    """An instruction's command: JSON exec form, or shell form run by /bin/sh -c."""
    if arguments.startswith("["):
        return json.loads(arguments)
    return ["/bin/sh", "-c", arguments]


def healthcheck_command(arguments):
    """HEALTHCHECK [--options] CMD ... as an argv."""
    tokens = arguments.split(None)
    while tokens and tokens[0].startswith("--"):
        tokens.pop(0)
    assert tokens and tokens[0].upper() == "CMD", arguments
    return exec_form(arguments.split("CMD", 1)[1].strip())


def compose_healthcheck_command(test):
    if isinstance(test, str):
        return ["/bin/sh", "-c", test]
    kind, *rest = test
    if kind == "CMD-SHELL":
        return ["/bin/sh", "-c", rest[0]]
    assert kind == "CMD", test
    return rest


def flag(argv, name):
    for i, token in enumerate(argv):
        if token == name and i + 1 < len(argv):
            return argv[i + 1]
        if token.startswith(name + "="):
            return token.split("=", 1)[1]
    return None


def runtime():
    return dockerfile_stages()[-1]


def service_argv(service):
    """ENTRYPOINT + the compose command, or the Dockerfile's CMD when compose sets none."""
    stage = runtime()
    entrypoint = exec_form(last(stage, "ENTRYPOINT"))
    command = service.get("command")
    if command is None:
        command = exec_form(last(stage, "CMD"))
    elif isinstance(command, str):
        command = shlex.split(command)
    return entrypoint + command


# --- the checks ----------------------------------------------------------------------------

def test_ports_are_published_on_host_loopback_only():
    _, service = compose()
    ports = published(service)
    assert ports, "the service publishes no port"
    for host_ip, _, _ in ports:
        assert host_ip == "127.0.0.1", f"port published on {host_ip or 'every interface'}"
    argv = service_argv(service)
    assert {container for _, _, container in ports} == {flag(argv, "--port")}
    assert last(runtime(), "EXPOSE").split("/")[0] == flag(argv, "--port")


def test_data_lives_in_a_named_volume_at_the_data_dir():
    data, service = compose()
    data_dir = flag(service_argv(service), "--data-dir") or environment(service).get("UNDERSTUDY_DATA_DIR")
    assert data_dir, "the service keeps S3 data in memory (no --data-dir)"
    sources = [source for source, target, _ in mounts(service) if target == data_dir]
    assert sources, f"nothing is mounted at {data_dir}"
    assert sources[0] in (data.get("volumes") or {}), f"{sources[0]} is not a named volume"
    assert data_dir in last(runtime(), "VOLUME")


def test_configuration_file_is_mounted_read_only_and_exists():
    _, service = compose()
    config = environment(service)["UNDERSTUDY_CONFIG"]
    mounted = [(source, ro) for source, target, ro in mounts(service) if target == config]
    assert mounted, f"UNDERSTUDY_CONFIG names {config}, which nothing mounts"
    source, read_only = mounted[0]
    assert read_only
    # The default source is committed, so `docker compose up` works on a fresh clone (a
    # missing file would be mounted as an empty directory and stop start-up).
    assert (COMPOSE.parent / source).is_file()


def test_sfn_mock_config_is_passed_through():
    _, service = compose({"SFN_MOCK_CONFIG": MOCK_CONFIG})
    assert environment(service).get("SFN_MOCK_CONFIG") == MOCK_CONFIG
    _, unset = compose()
    assert "SFN_MOCK_CONFIG" in environment(unset)


def test_healthchecks_target_the_health_endpoint_with_an_installed_tool():
    _, service = compose()
    port = flag(service_argv(service), "--port")
    installs = " ".join(arguments for name, arguments in runtime() if name == "RUN")
    for argv in (compose_healthcheck_command(service["healthcheck"]["test"]), healthcheck_command(last(runtime(), "HEALTHCHECK"))):
        assert f"http://127.0.0.1:{port}{HEALTH}" in " ".join(argv)
        tool = argv[0] if argv[0] != "/bin/sh" else shlex.split(argv[2])[0]
        assert re.search(rf"apt-get install[^&;]*\b{re.escape(tool)}\b", installs), f"{tool} is not installed in the runtime stage"


def test_runtime_stage_runs_as_a_non_root_user():
    stage = runtime()
    user = last(stage, "USER")
    assert user, "the runtime stage runs as root"
    name = user.split(":")[0]
    assert name not in ("root", "0")
    run = " ".join(arguments for instruction, arguments in stage if instruction == "RUN")
    assert re.search(rf"useradd\b.*\b{re.escape(name)}\b", run), f"{name} is never created"
    assert re.search(rf"chown \S*{re.escape(name)}\S* /data\b", run), "/data is not the user's"
    assert exec_form(last(stage, "ENTRYPOINT")) == ["understudy"]
    assert any("/usr/local/bin/understudy" in arguments for instruction, arguments in stage if instruction == "COPY")


def test_stages_share_a_distribution():
    """The binary links the build image's glibc, libstdc++ and OpenSSL: the runtime must match."""
    stages = dockerfile_stages()
    assert len(stages) >= 2
    build_image = last(stages[0], "FROM").split()[0]
    runtime_image = last(stages[-1], "FROM").split()[0]
    assert build_image.startswith("swift:6.3")
    codename = build_image.rsplit("-", 1)[-1]
    assert codename in ("bookworm", "noble") and codename in runtime_image


def test_dockerfile_cmd_serves_as_compose_does():
    """`docker run` without compose serves the same way (compose's command, when it has one)."""
    _, service = compose()
    command = exec_form(last(runtime(), "CMD"))
    assert command == service.get("command", command)
    assert flag(command, "--host") == "0.0.0.0" and flag(command, "--data-dir")


def test_compose_service_starts_and_passes_its_healthcheck(tmp_path):
    _, service = compose({"SFN_MOCK_CONFIG": MOCK_CONFIG})
    container_port = flag(service_argv(service), "--port")
    port = str(free_port())
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    # Where the container's paths are here: the data volume is a temporary directory and the
    # configuration file is the repository's file that compose mounts.
    paths = {}
    for source, target, _ in mounts(service):
        named = source is None or not source.startswith((".", "/", "~"))
        paths[target] = str(data_dir) if named else str((COMPOSE.parent / source).resolve())
    # The mock file a user mounts beside the configuration (compose passes SFN_MOCK_CONFIG on).
    paths[MOCK_CONFIG] = str(FIXTURES / "mock-config" / "MockConfigFile.json")

    def here(value):
        for inside, outside in paths.items():
            if value == inside or value.startswith(inside + "/"):
                return outside + value[len(inside):]
        return value

    argv = service_argv(service)
    assert flag(argv, "--host") == "0.0.0.0"
    translated = []
    for i, token in enumerate(argv):
        previous = argv[i - 1] if i else None
        if i == 0:
            token = str(BINARY)
        elif previous == "--port":
            token = port
        elif token == "0.0.0.0":
            # Inside its own network namespace the container binds every interface; here the
            # test shares the machine's, so it binds loopback only.
            token = "127.0.0.1"
        else:
            token = here(token)
        translated.append(token)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}
    env.update({k: here(v) for k, v in environment(service).items()})
    assert environment(service)["SFN_MOCK_CONFIG"] == MOCK_CONFIG and os.path.isfile(env["UNDERSTUDY_CONFIG"])

    process = subprocess.Popen(translated, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"{translated} exited {process.returncode}: {process.stderr.read().decode()}")
            try:
                with urllib.request.urlopen(url + HEALTH, timeout=0.5) as r:
                    if r.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, "the server did not answer"
                time.sleep(0.02)

        checks = [compose_healthcheck_command(service["healthcheck"]["test"]), healthcheck_command(last(runtime(), "HEALTHCHECK"))]
        for check in checks:
            check = [part.replace(f"127.0.0.1:{container_port}/", f"127.0.0.1:{port}/") for part in check]
            if shutil.which(check[0]):
                result = subprocess.run(check, capture_output=True, timeout=10)
                assert result.returncode == 0, f"{check}: {result.stderr.decode()}"
            else:  # the tool is not on this machine: the same GET, by hand
                target = next(part for part in check if part.startswith("http://"))
                with urllib.request.urlopen(target, timeout=5) as r:
                    assert r.status == 200

        # The mock file SFN_MOCK_CONFIG names is in force.
        with urllib.request.urlopen(url + "/_understudy/mock-config", timeout=5) as r:
            assert json.loads(r.read())["testCases"] == {"LambdaSQSIntegration": ["HappyPath", "HybridPath", "RetryPath"]}

        # The volume is where --data-dir keeps S3 objects.
        s3 = boto3.client("s3", endpoint_url=url, region_name="us-east-1", aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_SECRET)
        s3.create_bucket(Bucket="container-check")
        s3.put_object(Bucket="container-check", Key="kept.txt", Body=b"kept")
        assert any(path.is_file() for path in data_dir.rglob("*"))
    finally:
        status = stop_process(process)
    assert status == 0
