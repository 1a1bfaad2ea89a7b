"""The local console (/_understudy/) in a real browser: Debian's headless Chromium through
Selenium and the system chromedriver. Seed 003's Map flow and seed 000 with its first Bedrock
call throttled by a fault rule (the Task's Retry succeeds) run first; the console must draw every
state with what happened to it, show the retry on the timeline and the throttle in the journal,
and render untrusted output as text. The executions endpoint pages on the server."""
import json
import os
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from harness import FIXTURES

SEEDS = FIXTURES / "seeds" / "asl"
ROLE = "arn:aws:iam::123456789012:role/console-role"
CLAUDE_V2 = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-v2:1"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = "/usr/bin/chromedriver"
HOSTILE = "<script>alert(1)</script>"
# The page's own scripts (index.html): an injected one would make more.
PAGE_SCRIPTS = 6

needs_chromium = pytest.mark.skipif(
    CHROMIUM is None or not os.path.exists(CHROMEDRIVER),
    reason="Debian's chromium and chromium-driver are not installed (apt-get install -y chromium chromium-driver)")


def seed(name, model=None):
    text = (SEEDS / name).read_text()
    return text.replace("${ModelId}", model) if model else text


def forty_states():
    """A 40-state machine with every kind of edge: Choice rules and Default, Catch, a loop, a
    Wait, a Parallel with two branches and a Map with its processor."""
    states = {}
    for i in range(15):
        states[f"Step {i}"] = {"Type": "Pass", "Next": f"Step {i + 1}" if i < 14 else "Route"}
    states["Route"] = {"Type": "Choice", "Choices": [
        {"Variable": "$.kind", "StringEquals": "fast", "Next": "Fast 0"},
        {"Variable": "$.count", "NumericGreaterThan": 3, "Next": "Fan out"},
        {"And": [{"Variable": "$.a", "IsPresent": True}, {"Variable": "$.b", "IsPresent": True}], "Next": "Wait a bit"}],
        "Default": "Slow 0"}
    for i in range(6):
        states[f"Fast {i}"] = {"Type": "Pass", "Next": f"Fast {i + 1}" if i < 5 else "Join"}
    for i in range(5):
        states[f"Slow {i}"] = {"Type": "Task", "Resource": "arn:aws:states:::bedrock:invokeModel",
                               "Parameters": {"ModelId": CLAUDE_V2, "Body": {"prompt": "x"}},
                               "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Recover"}], "Next": f"Slow {i + 1}" if i < 4 else "Join"}
    states["Recover"] = {"Type": "Pass", "Next": "Again?"}
    states["Again?"] = {"Type": "Choice", "Choices": [{"Variable": "$.retry", "BooleanEquals": True, "Next": "Slow 0"}], "Default": "Failed"}
    states["Failed"] = {"Type": "Fail", "Error": "Gave.Up"}
    states["Wait a bit"] = {"Type": "Wait", "Seconds": 5, "Next": "Join"}
    states["Fan out"] = {"Type": "Parallel", "Next": "Each", "Branches": [
        {"StartAt": "Left 0", "States": {"Left 0": {"Type": "Pass", "Next": "Left 1"}, "Left 1": {"Type": "Pass", "End": True}}},
        {"StartAt": "Right 0", "States": {"Right 0": {"Type": "Pass", "End": True}}}]}
    states["Each"] = {"Type": "Map", "ItemsPath": "$.items", "Next": "Join", "ItemProcessor": {
        "ProcessorConfig": {"Mode": "INLINE"}, "StartAt": "Item 0",
        "States": {"Item 0": {"Type": "Pass", "Next": "Item 1"}, "Item 1": {"Type": "Pass", "End": True}}}}
    states["Join"] = {"Type": "Pass", "Next": "Done"}
    states["Done"] = {"Type": "Succeed"}
    definition = {"StartAt": "Step 0", "States": states}
    count = len(states) + 3 + 2  # and those in the Parallel's branches and the Map's processor
    assert count == 40, count
    return definition, count


@pytest.fixture(scope="module")
def console(request, tmp_path_factory):
    """A server (executions' time at 1/100: a 20 s retry interval takes 0.2 s) with the flows
    run, and what the tests look at."""
    from harness import Server

    server = Server("--time-scale", "0.01")
    request.addfinalizer(server.stop)
    sfn = server.client("stepfunctions", inject_host_prefix=False)
    server.admin("faults", "POST", json.dumps({
        "name": "throttle-first-try", "match": {"service": "bedrock-runtime", "model": "anthropic.claude-v2:1"},
        "when": {"attempts": [1]}, "error": {"code": "ThrottlingException"}}).encode())
    retrying = sfn.create_state_machine(name="Seed000Retry", type="EXPRESS", roleArn=ROLE,
                                        definition=seed("a_stepfunctions_bedrock_sam.claude_v2_1.asl.json", CLAUDE_V2))["stateMachineArn"]
    retried = sfn.start_sync_execution(stateMachineArn=retrying, input=json.dumps({"prompt": "\n\nHuman: How was the Moon formed?\n\nAssistant:"}))
    assert retried["status"] == "SUCCEEDED", retried
    rfp = sfn.create_state_machine(name="Seed003Map", type="EXPRESS", roleArn=ROLE, definition=seed("d_rfp_map_haiku.asl.json"))["stateMachineArn"]
    mapped = sfn.start_sync_execution(stateMachineArn=rfp, input=json.dumps({
        "questions": ["What is your pricing model?", "How do you back up data?", "Who are your references?"],
        "description": "AnyCompany Tech runs a robust, secure infrastructure."}))
    assert mapped["status"] == "SUCCEEDED", mapped
    hostile = sfn.create_state_machine(name="Hostile", roleArn=ROLE, definition=json.dumps({
        "StartAt": "Say it", "States": {"Say it": {"Type": "Pass", "Result": {"text": HOSTILE, "html": "<img src=x onerror=alert(2)>"}, "End": True}}}))["stateMachineArn"]
    started = sfn.start_execution(stateMachineArn=hostile, input=json.dumps({"note": HOSTILE}))
    for _ in range(100):
        if sfn.describe_execution(executionArn=started["executionArn"])["status"] != "RUNNING":
            break
        time.sleep(0.05)
    fanned = sfn.create_state_machine(name="Fanned", roleArn=ROLE, definition=json.dumps({"StartAt": "Fan", "States": {"Fan": {
        "Type": "Map", "ItemsPath": "$.items", "Label": "Fanout", "ToleratedFailureCount": 1, "End": True, "ItemProcessor": {
            "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"}, "StartAt": "Work", "States": {
                "Work": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 3, "Next": "Boom"}], "Default": "Ok"},
                "Ok": {"Type": "Pass", "End": True}, "Boom": {"Type": "Fail", "Error": "Bad", "Cause": "three"}}}}}}))["stateMachineArn"]
    parent = sfn.start_execution(stateMachineArn=fanned, input=json.dumps({"items": [{"n": i} for i in range(6)]}))["executionArn"]
    for _ in range(200):
        if sfn.describe_execution(executionArn=parent)["status"] != "RUNNING":
            break
        time.sleep(0.05)
    big, count = forty_states()
    forty = sfn.create_state_machine(name="FortyStates", roleArn=ROLE, definition=json.dumps(big))["stateMachineArn"]
    shots = tmp_path_factory.mktemp("console-screenshots")
    return {"server": server, "sfn": sfn, "retried": retried["executionArn"], "mapped": mapped["executionArn"],
            "hostile": started["executionArn"], "parent": parent, "forty": forty, "forty_count": count, "shots": shots}


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000", "--force-device-scale-factor=1"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def wait_for(driver, script, timeout=10.0):
    """Runs `script` (a JavaScript expression) until it is truthy; returns its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = driver.execute_script("return " + script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for: {script}")
        time.sleep(0.1)


def screenshot(driver, console, name):
    """The whole page (the window made as tall as it) under the test's tmp dir; the execution
    page also under the directory UNDERSTUDY_SCREENSHOTS names, when it is set (docs/ makes the
    README's docs/console-execution.png)."""
    height = min(4000, driver.execute_script("return document.documentElement.scrollHeight"))
    driver.set_window_size(1400, max(1000, height))
    path = console["shots"] / f"console-{name}.png"
    driver.save_screenshot(str(path))
    target = os.environ.get("UNDERSTUDY_SCREENSHOTS")
    if target and name == "execution":
        # The top of the page: header, graph, timeline, input and output, states.
        Path(target).mkdir(parents=True, exist_ok=True)
        driver.set_window_size(1400, 1150)
        driver.execute_script("window.scrollTo(0, 0)")
        driver.save_screenshot(str(Path(target) / "console-execution.png"))
    driver.set_window_size(1400, 1000)
    return path


def graph_states(driver):
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#graph g.node[data-state]'))"
        ".map(n => [n.getAttribute('data-state'), n.getAttribute('data-status'), n.getAttribute('class')])")


def no_alert(driver):
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        return True
    raise AssertionError(f"an alert opened: {text}")


def open_execution(driver, console, arn):
    driver.get(console["server"].url + "/_understudy/executions/" + urllib.request.quote(arn, safe=""))
    wait_for(driver, "document.querySelectorAll('#graph g.node[data-state]').length > 0 && document.querySelector('#calls .call, #calls .message')")


@needs_chromium
def test_the_retried_execution_shows_its_retry_and_the_throttle(console, browser):
    open_execution(browser, console, console["retried"])
    states = graph_states(browser)
    assert [s[0] for s in states] == ["Bedrock InvokeModel"]
    assert states[0][1] == "retried" and "st-retried" in states[0][2].split()
    # The timeline: one entry, two attempts, the first failed, a retry mark where the second starts.
    row = "document.querySelector('#timeline .tl-row[data-state=\"Bedrock InvokeModel\"]')"
    assert browser.execute_script(f"return {row}.getAttribute('data-attempts')") == "2"
    assert browser.execute_script(f"return {row}.querySelectorAll('.tl-seg.attempt.failed').length") == 1
    assert browser.execute_script(f"return {row}.querySelectorAll('.tl-seg.attempt.ok').length") == 1
    assert browser.execute_script(f"return {row}.querySelectorAll('.tl-retry').length") == 1
    # The execution's service calls (from the journal): the throttled call and the one that answered.
    calls = browser.execute_script(
        "return Array.from(document.querySelectorAll('#calls .call')).map(c => [c.querySelector('.http').textContent, c.textContent])")
    assert [c[0] for c in calls] == ["429", "200"], calls
    assert "throttle-first-try" in calls[0][1] and "ThrottlingException" in calls[0][1]
    assert "How was the Moon formed?" in calls[1][1] and "Max tokens" in calls[1][1], calls[1][1]
    assert "tokens in" in calls[1][1]
    screenshot(browser, console, "execution")


@needs_chromium
def test_the_map_flow_colours_every_state(console, browser):
    open_execution(browser, console, console["mapped"])
    states = dict((s[0], s[1]) for s in graph_states(browser))
    assert states == {"Answer RFP questions": "succeeded", "Bedrock InvokeModel": "succeeded"}
    assert browser.execute_script("return document.querySelectorAll('#timeline .tl-row[data-state=\"Bedrock InvokeModel\"]').length") == 3
    assert len(browser.execute_script("return document.querySelectorAll('#calls .call')")) == 3
    screenshot(browser, console, "map-execution")


@needs_chromium
def test_distributed_map_children_are_listed_under_their_map_run(console, browser):
    open_execution(browser, console, console["parent"])
    wait_for(browser, "document.querySelectorAll('#mapruns .maprun tr[data-arn]').length === 6")
    assert "Fanout" in browser.execute_script("return document.getElementById('mapruns').textContent")
    screenshot(browser, console, "map-run")
    # The executions list leaves children to their map run.
    browser.get(console["server"].url + "/_understudy/#executions")
    wait_for(browser, "document.querySelectorAll('.exec-list tr[data-arn]').length > 0")
    listed = browser.execute_script("return Array.from(document.querySelectorAll('.exec-list tr[data-arn]')).map(r => r.getAttribute('data-arn'))")
    assert console["parent"] in listed and not any("Fanned/Fanout" in arn for arn in listed)
    # The failed child: its Choice succeeded, its Fail state failed, its Pass state was not reached.
    children = console["sfn"].list_executions(mapRunArn=console["sfn"].list_map_runs(executionArn=console["parent"])["mapRuns"][0]["mapRunArn"])
    failed = next(c["executionArn"] for c in children["executions"] if c["status"] == "FAILED")
    open_execution(browser, console, failed)
    assert {s[0]: s[1] for s in graph_states(browser)} == {"Work": "succeeded", "Boom": "failed", "Ok": "notreached"}
    screenshot(browser, console, "map-run-child")
    assert console["parent"] in browser.execute_script("return document.querySelector('#exec-head a[href*=\"executions/\"]').href").replace("%3A", ":")


@needs_chromium
def test_untrusted_output_renders_as_text(console, browser):
    open_execution(browser, console, console["hostile"])
    wait_for(browser, "document.getElementById('exec-output')")
    no_alert(browser)
    assert browser.execute_script("return document.querySelectorAll('script').length") == PAGE_SCRIPTS
    assert browser.execute_script("return document.querySelectorAll('main img, main script').length") == 0
    assert HOSTILE in browser.execute_script("return document.getElementById('exec-output').textContent")
    assert HOSTILE in browser.execute_script("return document.getElementById('io').textContent")
    assert browser.execute_script("return document.querySelector('#graph g.node').getAttribute('data-status')") == "succeeded"
    no_alert(browser)


@needs_chromium
def test_a_forty_state_machine_is_drawn_without_overlaps(console, browser):
    browser.get(console["server"].url + "/_understudy/machines/" + urllib.request.quote(console["forty"], safe=""))
    wait_for(browser, "document.querySelectorAll('#graph g.node[data-state]').length > 0")
    boxes = browser.execute_script(
        "return Array.from(document.querySelectorAll('#graph g.node[data-state] > rect.box'))"
        ".map(r => { const b = r.getBoundingClientRect(); return [r.parentNode.getAttribute('data-state'), b.left, b.top, b.right, b.bottom]; })")
    assert len(boxes) == console["forty_count"] == 40
    names = {b[0] for b in boxes}
    assert {"Route", "Fan out", "Left 1", "Right 0", "Each", "Item 1", "Failed", "Done"} <= names
    inside = {"Left 0", "Left 1", "Right 0", "Item 0", "Item 1"}
    groups = {"Fan out", "Each"}
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if {a[0], b[0]} & groups and {a[0], b[0]} & inside:
                continue  # a group holds its branches' states
            overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            assert not overlap, (a, b)
    labels = browser.execute_script("return Array.from(document.querySelectorAll('#graph .edge-label text')).map(t => t.textContent)")
    assert "Default" in labels and '$.kind == "fast"' in labels and "Rule 3" in labels
    assert any(label.startswith("Catch States.ALL") for label in labels)
    assert browser.execute_script("return document.querySelectorAll('#graph path.edge.back').length") >= 1
    screenshot(browser, console, "machine-graph")


@needs_chromium
def test_the_journal_grows_live_and_shows_the_throttle(console, browser):
    browser.get(console["server"].url + "/_understudy/#journal")
    wait_for(browser, "document.querySelectorAll('#journal .call').length > 0")
    text = browser.execute_script("return document.getElementById('journal').textContent")
    assert "throttle-first-try" in text and "429" in text
    browser.execute_script("window.stillTheSamePage = true")
    runtime = console["server"].client("bedrock-runtime")
    runtime.invoke_model(modelId="anthropic.claude-instant-v1", body=json.dumps({"prompt": "\n\nHuman: live?\n\nAssistant:", "max_tokens_to_sample": 20}))
    wait_for(browser, "document.getElementById('journal').textContent.includes('live?')")
    stream = runtime.invoke_model_with_response_stream(
        modelId="anthropic.claude-instant-v1", body=json.dumps({"prompt": "\n\nHuman: stream?\n\nAssistant:", "max_tokens_to_sample": 20}))
    assert list(stream["body"])
    wait_for(browser, "Array.from(document.querySelectorAll('#journal .call')).some(c => c.textContent.includes('stream?') && c.querySelectorAll('ol.frames li').length > 1)")
    assert browser.execute_script("return window.stillTheSamePage") is True, "the page did not reload"
    screenshot(browser, console, "journal")
    browser.get(console["server"].url + "/_understudy/#rules")
    wait_for(browser, "document.querySelector('tr[data-rule=\"throttle-first-try\"]')")
    row = browser.execute_script("return document.querySelector('tr[data-rule=\"throttle-first-try\"]').textContent")
    assert "throttle-first-try" in row


def test_the_executions_endpoint_pages_on_the_server(make_server):
    """2,000 STANDARD executions: a page of 50 comes back quickly, and following nextToken
    visits each execution once, newest first; a status filter pages the same way."""
    server = make_server("--time-scale", "0")
    sfn = server.client("stepfunctions", inject_host_prefix=False)
    arn = sfn.create_state_machine(name="Many", roleArn=ROLE, definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    clients = [server.client("stepfunctions", inject_host_prefix=False) for _ in range(8)]

    def start(i):
        return clients[i % 8].start_execution(stateMachineArn=arn, name=f"run-{i:04d}")["executionArn"]

    with ThreadPoolExecutor(8) as pool:
        started = list(pool.map(start, range(2000)))

    def get(**query):
        url = server.url + "/_understudy/console/executions?" + urllib.parse.urlencode(query)
        began = time.monotonic()
        with urllib.request.urlopen(url, timeout=5) as r:
            body = json.loads(r.read())
        return body, time.monotonic() - began

    first, took = get(limit=50)
    assert took < 1.0, f"a page took {took:.2f} s"
    assert len(first["executions"]) == 50 and "nextToken" in first
    assert set(first["executions"][0]) >= {"executionArn", "name", "status", "startDate", "stateMachineName", "type"}
    assert "input" not in first["executions"][0], "a page row carries no payload"
    seen, token, pages = [], None, 0
    while True:
        query = {"limit": 200, "machine": arn}
        if token:
            query["nextToken"] = token
        page, took = get(**query)
        assert took < 1.0
        seen += [e["executionArn"] for e in page["executions"]]
        pages += 1
        token = page.get("nextToken")
        if not token:
            break
    assert pages == 10 and len(seen) == 2000 and set(seen) == set(started)
    starts = [e["startDate"] for e in first["executions"]]
    assert starts == sorted(starts, reverse=True), "newest first"
    succeeded, _ = get(limit=500, status="SUCCEEDED")
    assert len(succeeded["executions"]) == 500 and all(e["status"] == "SUCCEEDED" for e in succeeded["executions"])
    none, _ = get(limit=5, status="FAILED")
    assert none == {"executions": []}
    bad = urllib.request.Request(server.url + "/_understudy/console/executions?limit=100000")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bad, timeout=5)
    assert refused.value.code == 400
