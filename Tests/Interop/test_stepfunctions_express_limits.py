"""AWS's limits on EXPRESS executions (issue 19): at most five minutes, then TIMED_OUT with
States.Timeout; bounded memory whatever they loop over; a loop never starves other
executions; a reset stops executions still running."""
import json
import threading
import time

ROLE = "arn:aws:iam::000000000000:role/r"

LOOP = json.dumps({
    "StartAt": "Again",
    "States": {
        "Again": {"Type": "Pass", "Result": {"n": 1}, "Next": "Loop?"},
        "Loop?": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericEquals": 1, "Next": "Again"}], "Default": "Done"},
        "Done": {"Type": "Succeed"},
    },
})
QUICK = json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}})


def rss_mib(server):
    with open(f"/proc/{server.process.pid}/status") as status:
        return int(next(l for l in status if l.startswith("VmRSS")).split()[1]) / 1024


def start_in_background(sfn, arn):
    answer = {}

    def call():
        answer["result"] = sfn.start_sync_execution(stateMachineArn=arn, input="{}")

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    return thread, answer


def test_an_express_loop_times_out_at_five_minutes_in_bounded_memory(make_server):
    server = make_server()  # fresh, so its memory is this test's
    sfn = server.client("stepfunctions", read_timeout=60, inject_host_prefix=False)
    loop = sfn.create_state_machine(name="loop", definition=LOOP, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    quick = sfn.create_state_machine(name="quick", definition=QUICK, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    thread, answer = start_in_background(sfn, loop)
    time.sleep(2)
    assert thread.is_alive()
    # Others are served while it loops: the loop yields between its states.
    started = time.monotonic()
    assert sfn.start_sync_execution(stateMachineArn=quick, input="{}")["status"] == "SUCCEEDED"
    assert time.monotonic() - started < 1
    assert rss_mib(server) < 100
    # Five minutes of the execution's clock pass: AWS ends an Express execution there.
    server.admin("clock", method="POST", body=json.dumps({"advanceSeconds": 301}).encode())
    thread.join(timeout=10)
    result = answer["result"]
    assert result["status"] == "TIMED_OUT"
    assert result["error"] == "States.Timeout"
    assert rss_mib(server) < 100


def test_reset_stops_a_running_express_execution(server):
    sfn = server.client("stepfunctions", read_timeout=60, inject_host_prefix=False)
    loop = sfn.create_state_machine(name="loop", definition=LOOP, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    thread, answer = start_in_background(sfn, loop)
    time.sleep(0.5)
    started = time.monotonic()
    server.admin("reset", method="POST")
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 1
    assert answer["result"]["status"] != "SUCCEEDED"
    assert sfn.list_state_machines()["stateMachines"] == []


NESTED_MAP = json.dumps({
    "StartAt": "Prep",
    "States": {
        "Prep": {"Type": "Pass", "Parameters": {"xs.$": "States.ArrayRange(1, 1000, 1)", "ys.$": "States.ArrayRange(1, 1000, 1)"}, "Next": "Outer"},
        "Outer": {
            "Type": "Map", "ItemsPath": "$.xs", "ItemSelector": {"ys.$": "$.ys"}, "End": True,
            "ItemProcessor": {"StartAt": "Inner", "States": {"Inner": {
                "Type": "Map", "ItemsPath": "$.ys", "End": True,
                "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}}}},
        },
    },
})


def test_a_fan_out_too_large_for_its_output_stops_early(make_server):
    """A 1,000 x 1,000 nested Map whose results cannot fit in 256 KiB fails with
    States.DataLimitExceeded as soon as they are too large, not after a million iterations."""
    server = make_server("--time-scale", "0")
    sfn = server.client("stepfunctions", read_timeout=60, inject_host_prefix=False)
    arn = sfn.create_state_machine(name="nested", definition=NESTED_MAP, roleArn=ROLE, type="EXPRESS")["stateMachineArn"]
    started = time.monotonic()
    result = sfn.start_sync_execution(stateMachineArn=arn, input="{}")
    assert result["status"] == "FAILED" and result["error"] == "States.DataLimitExceeded"
    assert result["cause"] == "The state/task 'Outer' returned a result with a size exceeding the maximum number of bytes service limit."
    assert time.monotonic() - started < 10  # 44 s before
    assert rss_mib(server) < 100
