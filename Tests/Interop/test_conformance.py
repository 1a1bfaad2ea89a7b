"""The ASL executions recorded against real AWS Step Functions (Tests/Fixtures/conformance/asl),
one pytest item per case, run through boto3 against one server at `--time-scale 0`.

The cases run eight at a time (as the recorded runner's `--jobs 8` does) the first time any of
them is asked for, and each item then reports its own case, so a failure names the case and
says what differed instead of failing one test for all 434. `-k` selects cases by id; only the
selected ones run.
"""
import concurrent.futures
import importlib.util
import json

import pytest

from harness import FIXTURES, Server

CONFORMANCE = FIXTURES / "conformance" / "asl"
CASE_FILES = sorted((CONFORMANCE / "cases").glob("*.json"))


def _load_runner():
    """The recorded runner (`run.py`) compares an execution with AWS's recording, placeholders
    and all; the suite reuses its comparison rather than keeping a second one."""
    spec = importlib.util.spec_from_file_location("conformance_run", CONFORMANCE / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER = _load_runner()


def test_fixtures_hold_every_recorded_case():
    # The count the recordings were delivered with; fewer means fixtures went missing.
    assert len(CASE_FILES) >= 434


@pytest.fixture(scope="module")
def conformance_server():
    s = Server("--time-scale", "0")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def results(request, conformance_server):
    """Runs every selected case once, concurrently, and keeps each one's verdict by file name."""
    selected = [item.callspec.params["case_file"] for item in request.session.items
                if getattr(item, "callspec", None) and "case_file" in item.callspec.params]
    server = conformance_server

    def run(path):
        case = json.loads(path.read_text())
        return path.name, RUNNER.run_case(server.url, case, timeout=30.0, check_cause=True, run_tag="interop")

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        return dict(pool.map(run, selected))


@pytest.mark.parametrize("case_file", CASE_FILES, ids=[p.stem for p in CASE_FILES])
def test_recorded_execution(results, case_file):
    verdict = results[case_file.name]
    assert verdict["ok"], verdict["reason"]
