import pytest

from harness import BINARY, Server


def pytest_sessionstart(session):
    if not BINARY.exists():
        raise pytest.UsageError(f"{BINARY} not found: build first (swift build) or set INTEROP_BINARY")


@pytest.fixture(scope="session")
def server():
    s = Server()
    yield s
    s.stop()


@pytest.fixture
def make_server(tmp_path):
    started = []

    def make(*args, **kwargs):
        s = Server(*args, tmp_path=tmp_path, **kwargs)
        started.append(s)
        return s

    yield make
    for s in started:
        s.stop()


@pytest.fixture(scope="session")
def bedrock(server):
    return server.client("bedrock")
