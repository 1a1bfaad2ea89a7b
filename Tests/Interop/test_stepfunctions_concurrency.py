"""Parallel branches and inline Map iterations run concurrently, as in AWS: a branch waiting
for an activity worker or on real time no longer holds back its siblings, MaxConcurrency
bounds how many wait at once, and branches that never wait still replay the same history."""
import json
import time
from datetime import timedelta

from test_stepfunctions_activities import machine, wait_done

ACTIVITY_WAIT = 20


def poll(client, activity, timeout=ACTIVITY_WAIT):
    """GetActivityTask until a task comes (each long poll lasts up to 60 s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        task = client.get_activity_task(activityArn=activity, workerName="w")
        if task.get("taskToken"):
            return task
    raise AssertionError("no activity task")


def scheduled(client, execution):
    return [e for e in client.get_execution_history(executionArn=execution, maxResults=1000)["events"] if e["type"] == "ActivityScheduled"]


def test_parallel_branches_wait_for_their_workers_at_once(make_server):
    client = make_server("--time-scale", "0").client("stepfunctions", read_timeout=70)
    activity = client.create_activity(name="approve")["activityArn"]
    branch = lambda n: {"StartAt": f"Ask{n}", "States": {f"Ask{n}": {"Type": "Task", "Resource": activity, "Parameters": {"n": n}, "End": True}}}
    arn = machine(client, "approvals", {"StartAt": "All", "States": {"All": {"Type": "Parallel", "Branches": [branch(0), branch(1), branch(2)], "End": True}}})
    execution = client.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    # All three are handed out before any is answered: in order taken, branch order.
    tasks = [poll(client, activity) for _ in range(3)]
    assert [json.loads(t["input"]) for t in tasks] == [{"n": 0}, {"n": 1}, {"n": 2}]
    for task in reversed(tasks):
        client.send_task_success(taskToken=task["taskToken"], output=json.dumps({"answer": json.loads(task["input"])["n"]}))
    done = wait_done(client, execution)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == [{"answer": 0}, {"answer": 1}, {"answer": 2}]


def test_map_max_concurrency_bounds_the_waiting_iterations(make_server):
    client = make_server("--time-scale", "0").client("stepfunctions", read_timeout=70)
    activity = client.create_activity(name="review")["activityArn"]
    iteration = {"StartAt": "Review", "States": {"Review": {"Type": "Task", "Resource": activity, "End": True}}}
    definition = {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.items", "MaxConcurrency": 2,
                                                          "ItemProcessor": iteration, "End": True}}}
    execution = client.start_execution(stateMachineArn=machine(client, "reviews", definition), input=json.dumps({"items": ["a", "b", "c"]}))["executionArn"]
    first, second = poll(client, activity), poll(client, activity)
    assert [first["input"], second["input"]] == ['"a"', '"b"']
    time.sleep(0.3)
    assert len(scheduled(client, execution)) == 2  # "c" waits for a free slot
    client.send_task_success(taskToken=second["taskToken"], output='"B"')
    third = poll(client, activity)
    assert third["input"] == '"c"'
    client.send_task_success(taskToken=third["taskToken"], output='"C"')
    client.send_task_success(taskToken=first["taskToken"], output='"A"')
    done = wait_done(client, execution)
    assert done["status"] == "SUCCEEDED", done
    assert json.loads(done["output"]) == ["A", "B", "C"]


def test_waits_of_parallel_branches_overlap_on_the_execution_clock(make_server):
    client = make_server("--time-scale", "0.01").client("stepfunctions")
    wait = lambda n: {"StartAt": f"Wait{n}", "States": {f"Wait{n}": {"Type": "Wait", "Seconds": 30, "End": True}}}
    arn = machine(client, "waits", {"StartAt": "Both", "States": {"Both": {"Type": "Parallel", "Branches": [wait(0), wait(1)], "End": True}}})
    execution = client.start_execution(stateMachineArn=arn, input="{}")["executionArn"]
    done = wait_done(client, execution)
    assert done["status"] == "SUCCEEDED", done
    events = client.get_execution_history(executionArn=execution)["events"]
    types = [e["type"] for e in events]
    assert types.index("WaitStateEntered", types.index("WaitStateEntered") + 1) < types.index("WaitStateExited")
    # Two 30-second waits side by side take 30 seconds of execution time, not 60.
    assert timedelta(seconds=30) <= events[-1]["timestamp"] - events[0]["timestamp"] < timedelta(seconds=45)


def test_branches_that_never_wait_replay_the_same_history(make_server):
    inner = {"StartAt": "Tag", "States": {"Tag": {"Type": "Pass", "Parameters": {"id.$": "States.UUID()", "v.$": "$"}, "End": True}}}
    definition = {"StartAt": "Fan", "States": {"Fan": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "Each", "States": {"Each": {"Type": "Map", "ItemsPath": "$.xs", "ItemProcessor": inner, "End": True}}},
        {"StartAt": "One", "States": {"One": {"Type": "Wait", "Seconds": 5, "Next": "Two"}, "Two": {"Type": "Pass", "End": True}}}]}}}

    def history():
        client = make_server("--time-scale", "0").client("stepfunctions")
        arn = machine(client, "replay", definition)
        execution = client.start_execution(stateMachineArn=arn, name="same", input=json.dumps({"xs": [1, 2, 3]}))["executionArn"]
        assert wait_done(client, execution)["status"] == "SUCCEEDED"
        events = client.get_execution_history(executionArn=execution)["events"]
        return [(e["type"], e["id"], e["previousEventId"], json.dumps(e.get("stateExitedEventDetails"))) for e in events]

    first = history()
    assert history() == first
    types = [event[0] for event in first]
    # Depth first: the Map's iterations all finish before the second branch starts.
    assert types.index("MapStateSucceeded") < types.index("WaitStateEntered")
