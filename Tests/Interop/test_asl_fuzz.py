"""The random-ASL fuzzer (issue 19, item 0): seeded definitions of every state type in both
query languages, with extreme intrinsics, waits, retries and JSONata (asl_gen.py), run as
EXPRESS (StartSyncExecution), as STANDARD (StartExecution, then DescribeExecution until it ends,
or StopExecution) and one state at a time through TestState. The server must stay up, answer
every call in AWS's shape (no 5xx), end every execution within a bound, and keep its RSS
bounded.

Bounded: ASL_FUZZ_SEED and ASL_FUZZ_COUNT (definitions at --time-scale 0; a twentieth of that,
at least 4, in real time with waits and backoffs under a second) keep the file near a minute.
Definitions with a loop, or a retrier of 1,000 attempts or more, run as EXPRESS until five minutes
of the execution's clock have passed, as on AWS (a loop that never waits: five real minutes; see
the focused tests at the end, which move the clock); the main run starts those as STANDARD only.
"""
import collections
import json
import os
import random
import threading
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError, ReadTimeoutError

from asl_gen import FAILING, AslGenerator, tags_of
from harness import Server

SEED = int(os.environ.get("ASL_FUZZ_SEED", "19"))
COUNT = int(os.environ.get("ASL_FUZZ_COUNT", "250"))
REALTIME_COUNT = max(COUNT // 20, 4)
ROLE = "arn:aws:iam::123456789012:role/asl-fuzz"
SYNC_BOUND = 20  # seconds an EXPRESS execution may take to answer at --time-scale 0
STANDARD_BOUND = 15  # seconds before a STANDARD execution still running is stopped
RSS_LIMIT_KIB = 768 * 1024
RESET_EVERY = 50  # cases between resets of the server's state
KNOWN_HANGS = {"loop", "many-retries"}
# Problems the fuzzer finds that have a focused xfail test below; counted, not failed on.
KNOWN_PROBLEMS = {}
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"}
ONE_ATTEMPT = {"total_max_attempts": 1}  # a timed-out call is not sent again


class Target:
    """A server under fuzz, started again after a hang so one finding does not hide the rest."""

    def __init__(self, *args):
        self.args = args
        self.server = Server(*args)
        self.names = iter(range(1_000_000))
        self.prepare()

    def prepare(self):
        s3 = self.server.client("s3")
        s3.create_bucket(Bucket="asl-fuzz")
        s3.put_object(Bucket="asl-fuzz", Key="k", Body=b'{"stored": true}')

    def reset(self):
        """Clears the server's state: a STANDARD loop keeps 25,000 history events, so RSS is
        bounded per window of cases, not over a whole long run."""
        self.server.admin("reset", method="POST", body=b"{}")
        self.prepare()

    def client(self, read_timeout=SYNC_BOUND):
        return self.server.client("stepfunctions", inject_host_prefix=False, read_timeout=read_timeout, connect_timeout=5,
                                  retries=ONE_ATTEMPT)

    def restart(self):
        self.server.stop(timeout=2)
        self.server = Server(*self.args)
        self.prepare()

    def healthy(self):
        with urllib.request.urlopen(self.server.url + "/_understudy/health", timeout=5) as answer:
            return answer.status == 200

    def rss_kib(self):
        return self.rss_of(self.server)

    @staticmethod
    def rss_of(server):
        with open(f"/proc/{server.process.pid}/status") as status:
            return int(next(line for line in status if line.startswith("VmRSS")).split()[1])

    def cpu_share(self, seconds):
        """The share of one core the server used over `seconds` (nothing else runs meanwhile)."""
        return busy_share(self.server.process.pid, seconds)

    def stop(self):
        self.server.stop(timeout=2)


def busy_share(pid, seconds):
    def ticks():
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime
    before = ticks()
    time.sleep(seconds)
    return (ticks() - before) / os.sysconf("SC_CLK_TCK") / seconds


def aws_shaped(error):
    """A ClientError the server wrote: a code, a message, a 4xx."""
    response = error.response
    status = response["ResponseMetadata"].get("HTTPStatusCode", 0)
    problems = []
    if status >= 500 or status < 400:
        problems.append(f"status {status}")
    if not response["Error"].get("Code"):
        problems.append("no error code")
    return problems


def check_result(kind, result):
    problems = []
    status = result.get("status")
    if status not in TERMINAL:
        problems.append(f"{kind} ended {status}")
    if status == "SUCCEEDED" and "output" in result:
        json.loads(result["output"])
    if status == "FAILED" and not result.get("error"):
        problems.append(f"{kind} FAILED with an empty error")
    return problems


def run_case(target, case, express=True):
    """Runs one case every way; returns what went wrong (empty when all was well) and how the
    STANDARD execution ended ("refused" when the definition was)."""
    client = target.client()
    problems = []
    definition = json.dumps(case.definition)
    suffix = next(target.names)
    try:
        standard = client.create_state_machine(name=f"fuzz-{suffix}", definition=definition, roleArn=ROLE)["stateMachineArn"]
    except ClientError as error:
        return aws_shaped(error), "refused"  # the refusal is what is checked
    execution = client.start_execution(stateMachineArn=standard, input=json.dumps(case.payload))["executionArn"]
    if express and not case.tags & KNOWN_HANGS:
        arn = client.create_state_machine(name=f"fuzz-x-{suffix}", definition=definition, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
        try:
            problems += check_result("EXPRESS", client.start_sync_execution(stateMachineArn=arn, input=json.dumps(case.payload)))
        except ReadTimeoutError:
            problems.append(f"EXPRESS did not answer within {SYNC_BOUND} s")
        except ClientError as error:
            problems += aws_shaped(error)
    started = time.monotonic()
    while True:
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "RUNNING" or time.monotonic() - started > STANDARD_BOUND:
            break
        time.sleep(0.01)
    if described["status"] == "RUNNING":
        client.stop_execution(executionArn=execution, error="Fuzz.Stopped", cause="past the bound")
        described = client.describe_execution(executionArn=execution)
        if described["status"] != "ABORTED":
            problems.append(f"STANDARD still {described['status']} after StopExecution")
        time.sleep(0.2)
        if target.cpu_share(0.5) > 0.6:
            problems.append("the server is still busy after StopExecution")
    problems += check_result("STANDARD", described)
    client.get_execution_history(executionArn=execution, maxResults=1000)
    problems += state_alone(client, case)
    return problems, described["status"]


def state_alone(client, case):
    """TestState on one state of the definition, with the same input."""
    name, state = random.Random(json.dumps(case.definition)).choice(list(case.definition["States"].items()))
    # TestState answers a state's own retrier at once (RETRIABLE); what its branches or item
    # processor do runs in full, without the five minutes of an EXPRESS execution.
    inner = {key: value for key, value in state.items() if key != "Retry"}
    if tags_of({"StartAt": name, "States": {name: inner}}) & KNOWN_HANGS:
        return []
    if case.definition.get("QueryLanguage") == "JSONata":
        state = dict(state, QueryLanguage="JSONata")
    try:
        result = client.test_state(definition=json.dumps(state), roleArn=ROLE, input=json.dumps(case.payload))
    except ClientError as error:
        return aws_shaped(error)
    except ReadTimeoutError:
        return [f"TestState of {name} did not answer within {SYNC_BOUND} s"]
    if result.get("status") not in ("SUCCEEDED", "FAILED", "RETRIABLE", "CAUGHT_ERROR"):
        return [f"TestState ended {result.get('status')}"]
    return []


def known(problem):
    return any(signature in problem for signature in KNOWN_PROBLEMS)


def fuzz(target, generator, count, label):
    failures, peak, known_count, outcomes = [], 0, 0, collections.Counter()
    for index in range(count):
        if index and index % RESET_EVERY == 0:
            target.reset()
        case = generator.case()
        try:
            problems, outcome = run_case(target, case)
            outcomes[outcome] += 1
        except ClientError as error:
            problems = [f"{error.operation_name}: {p}" for p in aws_shaped(error)] or []
        except Exception as error:  # noqa: BLE001 - a parse error or dropped connection is the finding
            problems = [f"{type(error).__name__}: {error}"]
        alive = target.server.process.poll() is None and target.healthy()
        if not alive:
            problems.append("the server died")
        rss = target.rss_kib() if alive else 0
        peak = max(peak, rss)
        if rss > RSS_LIMIT_KIB:
            problems.append(f"RSS {rss} KiB")
        known_count += sum(1 for problem in problems if known(problem))
        if any("busy" in problem for problem in problems):
            target.restart()  # a known runaway: start clean for the next case
        problems = [problem for problem in problems if not known(problem)]
        if problems:
            failures.append(f"{label} case {index} (seed {SEED}): {problems}\n{case!r}"[:3000])
            if any(word in p for p in problems for word in ("did not answer", "died", "RSS", "busy")):
                target.restart()  # a runaway keeps a core; start clean for the next case
    print(f"{label}: {dict(outcomes)}, {known_count} known problems (KNOWN_PROBLEMS), peak RSS {peak // 1024} MiB")
    assert sum(outcomes.values()) - outcomes["refused"] >= count // 2, "most definitions must run, not just be refused"
    return failures, peak


@pytest.fixture(scope="module")
def instant():
    target = Target("--time-scale", "0")
    yield target
    target.stop()


def test_random_definitions_on_an_instant_clock(instant):
    started = time.monotonic()
    failures, peak = fuzz(instant, AslGenerator(random.Random(f"{SEED}-instant")), COUNT, "instant")
    print(f"{COUNT} definitions in {time.monotonic() - started:.1f} s")
    assert not failures, f"{len(failures)} of {COUNT} cases went wrong:\n" + "\n\n".join(failures[:10])


def test_random_definitions_in_real_time():
    target = Target()
    try:
        generator = AslGenerator(random.Random(f"{SEED}-realtime"), realtime=True, loops=False)
        failures, _ = fuzz(target, generator, REALTIME_COUNT, "realtime")
    finally:
        target.stop()
    assert not failures, "\n\n".join(failures[:10])


# --- Known findings: focused reproducers, each on a server of its own with a short bound, marked
# until the engine is fixed (remove the marker then). A hang leaves a runaway behind, so each
# server is killed, not asked to stop.

HANG_BOUND = 5
FAILING_TASK = {"Type": "Task", "Resource": FAILING, "Parameters": {"FunctionName": "f"}}
LOOPS = {
    "choice-to-itself": {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "C"}], "Default": "E"},
        "E": {"Type": "Succeed"}}},
    "pass-choice": {"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "P"}], "Default": "E"},
        "E": {"Type": "Succeed"}}},
    "catch-back": {"StartAt": "T", "States": {
        "T": dict(FAILING_TASK, Catch=[{"ErrorEquals": ["States.ALL"], "Next": "T"}], End=True)}},
}


def huge_retry(rate):
    return {"StartAt": "T", "States": {"T": dict(FAILING_TASK, End=True, Retry=[
        {"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": rate}])}}


@pytest.fixture
def own_server():
    servers = []

    def start(*args):
        servers.append(Server(*args))
        return servers[-1]

    yield start
    for server in servers:
        server.process.kill()
        server.stop(timeout=1)


def express_run(server, definition, payload=None, bound=HANG_BOUND):
    client = server.client("stepfunctions", inject_host_prefix=False, read_timeout=bound, retries=ONE_ATTEMPT)
    arn = client.create_state_machine(name=f"hang-{time.monotonic_ns()}", definition=json.dumps(definition),
                                      roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    try:
        return client.start_sync_execution(stateMachineArn=arn, input=json.dumps(payload or {"x": 1}))
    except ReadTimeoutError:
        pytest.fail(f"no answer within {bound} s")


def express_run_past_five_minutes(server, definition, payload=None, running_for=1.0):
    """Starts an EXPRESS execution in the background and, after `running_for` real seconds,
    advances the server's clock 301 s. An execution's clock is the real clock plus the waits it
    skipped, so on an instant clock a loop that never waits ends, as on AWS, at five minutes of
    that clock: in real time, or at once when the clock is moved. Returns the answer and whether
    the execution was still running when the clock moved."""
    answer = {}

    def call():
        try:
            answer["result"] = express_run(server, definition, payload, bound=HANG_BOUND + running_for)
        except BaseException as error:  # noqa: BLE001 - reported on the test's thread
            answer["error"] = error

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(timeout=running_for)
    running = thread.is_alive()
    server.admin("clock", method="POST", body=json.dumps({"advanceSeconds": 301}).encode())
    thread.join(timeout=HANG_BOUND)
    assert not thread.is_alive(), f"no answer within {HANG_BOUND} s of the clock passing five minutes"
    if "error" in answer:
        raise answer["error"]
    return answer["result"], running


@pytest.mark.parametrize("name", list(LOOPS))
def test_an_express_loop_on_an_instant_clock_times_out(own_server, name):
    result, running = express_run_past_five_minutes(own_server("--time-scale", "0"), LOOPS[name])
    assert running, "the loop runs until its clock passes five minutes"
    assert result["status"] == "TIMED_OUT" and result["error"] == "States.Timeout", result


@pytest.mark.parametrize("rate", [2.0, 1.0])
def test_an_express_retry_of_99999999_attempts_ends(own_server, rate):
    result = express_run(own_server("--time-scale", "0"), huge_retry(rate))
    assert result["status"] == "TIMED_OUT" and result["error"] == "States.Timeout", result


def test_retry_backoff_counts_toward_the_express_limit(own_server):
    server = own_server("--time-scale", "0")
    waits = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 200, "Next": "V"},
                                        "V": {"Type": "Wait", "Seconds": 200, "End": True}}}
    assert express_run(server, waits)["status"] == "TIMED_OUT"
    backoff = {"StartAt": "T", "States": {"T": dict(FAILING_TASK, End=True, Retry=[
        {"ErrorEquals": ["States.ALL"], "IntervalSeconds": 200, "MaxAttempts": 3, "BackoffRate": 1.0}])}}
    result = express_run(server, backoff)
    assert result["status"] == "TIMED_OUT" and result["error"] == "States.Timeout", result


def test_runaway_loops_leave_the_server_serving(own_server):
    """Two EXPRESS loops (as many as cores) still running after their callers gave up: other
    executions are served, reset stops them, SIGTERM ends the server. (A retrier without end
    no longer runs away: its backoff ends it at five minutes of its clock, see
    test_an_express_retry_of_99999999_attempts_ends.)"""
    server = own_server("--time-scale", "0")
    client = server.client("stepfunctions", inject_host_prefix=False, read_timeout=2, retries=ONE_ATTEMPT)
    trivial = client.create_state_machine(name="trivial", roleArn=ROLE, type="EXPRESS", definition=json.dumps(
        {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
    for _ in range(2):
        arn = client.create_state_machine(name=f"runaway-{time.monotonic_ns()}", roleArn=ROLE, type="EXPRESS",
                                          definition=json.dumps(LOOPS["choice-to-itself"]))["stateMachineArn"]
        with pytest.raises(ReadTimeoutError):
            client.start_sync_execution(stateMachineArn=arn, input='{"x": 1}')
    patient = server.client("stepfunctions", inject_host_prefix=False, read_timeout=HANG_BOUND, retries=ONE_ATTEMPT)
    assert patient.start_sync_execution(stateMachineArn=trivial, input="{}")["status"] == "SUCCEEDED"
    server.admin("reset", method="POST", body=b"{}")
    assert busy_share(server.process.pid, 1.0) < 0.5, "reset stops every execution still running"
    server.process.terminate()
    server.process.wait(timeout=10)


def test_stop_execution_ends_a_retrying_map(own_server):
    server = own_server("--time-scale", "0")
    client = server.client("stepfunctions", inject_host_prefix=False)
    definition = {"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {
        "Type": "Map", "Items": "{% $states.input.s %}", "End": True,
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
        "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 99999999, "BackoffRate": 1.5, "MaxDelaySeconds": 1}]}}}
    arn = client.create_state_machine(name="retrying-map", roleArn=ROLE, definition=json.dumps(definition))["stateMachineArn"]
    execution = client.start_execution(stateMachineArn=arn, input='{"s": "no list"}')["executionArn"]
    time.sleep(0.5)
    client.stop_execution(executionArn=execution)
    assert client.describe_execution(executionArn=execution)["status"] == "ABORTED"
    time.sleep(0.2)
    assert busy_share(server.process.pid, 1.0) < 0.5


def map_alone_with_retry(server, attempts):
    client = server.client("stepfunctions", inject_host_prefix=False, read_timeout=HANG_BOUND, retries=ONE_ATTEMPT)
    state = {"Type": "Map", "QueryLanguage": "JSONata", "Items": "{% $states.input.s %}", "End": True,
             "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
             "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": attempts}]}
    try:
        result = client.test_state(definition=json.dumps(state), roleArn=ROLE, input='{"s": "no list"}')
    except ReadTimeoutError:
        pytest.fail(f"no answer within {HANG_BOUND} s")
    assert result["status"] == "RETRIABLE" and result["error"] == "States.QueryEvaluationError", result


def test_test_state_of_a_map_with_a_retry_answers_retriable(instant):
    map_alone_with_retry(instant.server, 3)


def test_test_state_of_a_map_with_a_huge_retry_answers(own_server):
    map_alone_with_retry(own_server("--time-scale", "0"), 99999999)


@pytest.mark.parametrize("value", [[1], {"a": 1}, 5, None, True])
def test_a_fail_state_whose_error_path_is_no_string_names_an_error(instant, value):
    definition = {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.o", "CausePath": "$.o"}}}
    result = express_run(instant.server, definition, {"o": value})
    assert result["status"] == "FAILED" and result["error"] == "States.Runtime", result
    assert "'$.o' specified for the field 'ErrorPath' returned an unexpected result type. Expected 'string'" in result["cause"], result


@pytest.mark.parametrize("field", ["Error", "Cause"])
def test_a_jsonata_fail_state_whose_error_is_no_string_names_an_error(instant, field):
    state = {"Type": "Fail", "Error": "E", "Cause": "c"}
    state[field] = "{% $states.input.o %}"
    definition = {"QueryLanguage": "JSONata", "StartAt": "F", "States": {"F": state}}
    result = express_run(instant.server, definition, {"o": [1]})
    assert result["status"] == "FAILED" and result["error"] == "States.QueryEvaluationError", result
    assert f"specified for the field '{field}' returned an unexpected result type" in result["cause"], result


def runs_away(client, case):
    """Whether a case really loops or retries on and on: as STANDARD it reaches the history
    quota or is still running after a few seconds."""
    try:
        arn = client.create_state_machine(name=f"gen-{time.monotonic_ns()}", definition=json.dumps(case.definition), roleArn=ROLE)["stateMachineArn"]
    except ClientError:
        return False
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps(case.payload))["executionArn"]
    started = time.monotonic()
    while (described := client.describe_execution(executionArn=execution))["status"] == "RUNNING":
        if time.monotonic() - started > 3:
            client.stop_execution(executionArn=execution)
            return True
        time.sleep(0.02)
    return "25000" in (described.get("cause") or "")


def test_generated_runaways_end_as_express(own_server):
    """The first generated definitions (of the seed's) that run away as STANDARD, run as EXPRESS
    until their clock passes five minutes."""
    generator = AslGenerator(random.Random(f"{SEED}-hangs"))
    scout = own_server("--time-scale", "0")
    client = scout.client("stepfunctions", inject_host_prefix=False)
    runaways = []
    for _ in range(60):
        case = generator.case()
        if case.tags & KNOWN_HANGS and runs_away(client, case):
            runaways.append(case)
            if len(runaways) == 2:
                break
    assert runaways, "the generator makes runaways"
    server = own_server("--time-scale", "0")
    for case in runaways:
        result, _ = express_run_past_five_minutes(server, case.definition, case.payload)
        assert result["status"] in TERMINAL, f"{result}\n{case!r}"


def test_a_looping_execution_holds_its_payload_once(own_server):
    server = own_server("--time-scale", "0")
    client = server.client("stepfunctions", inject_host_prefix=False)
    loop = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$", "IsPresent": True, "Next": "C"}], "Default": "E"},
        "E": {"Type": "Succeed"}}}
    arn = client.create_state_machine(name="payload-loop", roleArn=ROLE, definition=json.dumps(loop))["stateMachineArn"]
    before = Target.rss_of(server)
    execution = client.start_execution(stateMachineArn=arn, input=json.dumps({"pad": "x" * 20_000}))["executionArn"]
    started = time.monotonic()
    while (described := client.describe_execution(executionArn=execution))["status"] == "RUNNING" and time.monotonic() - started < 30:
        time.sleep(0.05)
    assert described["status"] == "FAILED" and "25000" in described["cause"], described
    grown = Target.rss_of(server) - before
    assert grown < 100 * 1024, f"RSS grew {grown // 1024} MiB for one execution"
