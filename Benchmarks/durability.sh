#!/usr/bin/env bash
# What --data-dir costs (issue 23's benchmarks): PutObject of 4 KiB, CreateStateMachine and
# StartExecution (a STANDARD one-Pass machine) per second with a data directory beside the
# same binary without one, each with wrk on 1 and 8 connections; the database's size per
# 1,000 executions; and start-up (exec to the first health answer) on a data directory of
# 100,000 stored executions. A PUT is fsynced (body and description) before it is answered; a
# state machine is a committed SQLite row; an execution is its row, written at start and end,
# and one committed row per history event, each written as it is recorded.
# Needs: wrk. Usage: Benchmarks/durability.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5}
source Benchmarks/support.sh
prepare_release
python=${PYTHON:-.venv/bin/python}
mkdir -p "$work/data"
"$binary" --port 18600 2>/dev/null & echo $! > "$work/memory.pid"
"$binary" --port 18601 --data-dir "$work/data" 2>/dev/null & echo $! > "$work/disk.pid"
sleep 1
for port in 18600 18601; do
    curl -fsS -X PUT "http://127.0.0.1:$port/bench" >/dev/null
    curl -fsS -X POST "http://127.0.0.1:$port/" -H "Content-Type: application/x-amz-json-1.0" \
        -H "X-Amz-Target: AWSStepFunctions.CreateStateMachine" \
        -d '{"name":"runs","roleArn":"arn:aws:iam::123456789012:role/r","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}' >/dev/null
done

head -c 4096 /dev/urandom > "$work/body"
cat > "$work/put.lua" <<LUA
local f = io.open("$work/body", "rb")
wrk.method = "PUT"
wrk.body = f:read("*a")
f:close()
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/bench/object-" .. (n % 1000))
end
LUA
# post_script FILE TARGET BODY: a wrk script POSTing awsJson1_0 `AWSStepFunctions.TARGET`
# with BODY, a Lua expression in which `name` is new for every request (this run's time and a
# random number, then a counter), so no two runs collide.
post_script() {
    cat > "$1" <<LUA
math.randomseed(os.time())
local id = tostring(os.time()) .. tostring(math.random(1, 1e9))
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSStepFunctions.$2"
request = function()
  n = n + 1
  local name = id .. "-" .. n
  return wrk.format(nil, "/", nil, $3)
end
LUA
}
post_script "$work/create.lua" CreateStateMachine \
    "'{\"name\":\"m' .. name .. '\",\"roleArn\":\"arn:aws:iam::123456789012:role/r\",\"definition\":\"{\\\\\"StartAt\\\\\":\\\\\"P\\\\\",\\\\\"States\\\\\":{\\\\\"P\\\\\":{\\\\\"Type\\\\\":\\\\\"Pass\\\\\",\\\\\"End\\\\\":true}}}\"}'"
post_script "$work/start.lua" StartExecution \
    "'{\"stateMachineArn\":\"arn:aws:states:us-east-1:000000000000:stateMachine:runs\",\"name\":\"e' .. name .. '\",\"input\":\"{}\"}'"
rate() {  # connections url script: requests per second; refuses runs with errors
    local out
    out=$(wrk -t1 -c"$1" -d"${duration}s" -s "$3" "$2")
    if grep -q "Non-2xx" <<<"$out"; then echo "FAILED: $2 answered non-2xx" >&2; exit 1; fi
    awk '/Requests\/sec/ {printf "%.0f", $2}' <<<"$out"
}
for c in 1 8; do
    memory=$(rate "$c" http://127.0.0.1:18600 "$work/put.lua"); disk=$(rate "$c" http://127.0.0.1:18601 "$work/put.lua")
    echo "PutObject 4 KiB, $c connection(s): memory $memory/s, --data-dir $disk/s ($(awk -v a="$disk" -v b="$memory" 'BEGIN {printf "%.0f%%", 100 * a / b}'))"
    memory=$(rate "$c" http://127.0.0.1:18600 "$work/create.lua"); disk=$(rate "$c" http://127.0.0.1:18601 "$work/create.lua")
    echo "CreateStateMachine, $c connection(s): memory $memory/s, --data-dir $disk/s ($(awk -v a="$disk" -v b="$memory" 'BEGIN {printf "%.0f%%", 100 * a / b}'))"
    memory=$(rate "$c" http://127.0.0.1:18600 "$work/start.lua"); disk=$(rate "$c" http://127.0.0.1:18601 "$work/start.lua")
    echo "StartExecution, $c connection(s): memory $memory/s, --data-dir $disk/s ($(awk -v a="$disk" -v b="$memory" 'BEGIN {printf "%.0f%%", 100 * a / b}'))"
done
counts=$("$python" - "$work/data/understudy.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for table in ("state_machines", "executions", "history_events", "definitions"):
    print(f"{table} {db.execute(f'SELECT COUNT(*) FROM {table}').fetchone()[0]}", end="; ")
PY
)
echo "understudy.db after the runs: $(du -b "$work/data/understudy.db" | cut -f1) bytes; rows: $counts"
kill "$(cat "$work/disk.pid")"; rm -f "$work/disk.pid"; sleep 1

# 100,000 stored executions of the shape the server writes: ten executions run by the server
# itself (the one-Pass machine), then each of them copied 10,000 times in SQL (its row under a
# new name and position, its events under that position), so columns, documents and event
# records are the server's own. The size per 1,000 is the file's growth over the copies.
mkdir -p "$work/many"
"$binary" --port 18603 --data-dir "$work/many" 2>/dev/null & echo $! > "$work/many.pid"
sleep 1
curl -fsS -X POST "http://127.0.0.1:18603/" -H "Content-Type: application/x-amz-json-1.0" -H "X-Amz-Target: AWSStepFunctions.CreateStateMachine" \
    -d '{"name":"runs","roleArn":"arn:aws:iam::123456789012:role/r","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}' >/dev/null
for i in $(seq 1 10); do
    curl -fsS -X POST "http://127.0.0.1:18603/" -H "Content-Type: application/x-amz-json-1.0" -H "X-Amz-Target: AWSStepFunctions.StartExecution" \
        -d "{\"stateMachineArn\":\"arn:aws:states:us-east-1:000000000000:stateMachine:runs\",\"name\":\"seed-$i\",\"input\":\"{\\\"n\\\":$i}\"}" >/dev/null
done
sleep 1
kill "$(cat "$work/many.pid")"; rm -f "$work/many.pid"; sleep 1
"$python" - "$work/many/understudy.db" <<'PY'
import os, sqlite3, sys
path = sys.argv[1]
db = sqlite3.connect(path)
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
before = os.path.getsize(path)
seeds = db.execute("SELECT position, key, name, document, machine_arn, status, start, stop, definition FROM executions").fetchall()
assert len(seeds) == 10 and all(s[5] == "SUCCEEDED" for s in seeds), seeds
events = {p: db.execute("SELECT id, record FROM history_events WHERE execution = ?", (p,)).fetchall() for p, *_ in seeds}
with db:
    for copy in range(10_000):
        for position, key, name, document, machine, status, start, stop, definition in seeds:
            copied = f"{name}-{copy}"
            new = db.execute(
                "INSERT INTO executions (key, document, name, machine_arn, status, start, stop, definition) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (key[: -len(name)] + copied, document, copied, machine, status, start + copy, stop + copy, definition)).lastrowid
            db.executemany("INSERT INTO history_events (execution, id, record) VALUES (?, ?, ?)", [(new, i, r) for i, r in events[position]])
db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
count = db.execute("SELECT COUNT(*) FROM executions").fetchone()[0]
per_thousand = (os.path.getsize(path) - before) / (count - 10) * 1000
print(f"stored executions: {count}; database size per 1,000 executions (a one-Pass run, {len(events[seeds[0][0]])} events): {per_thousand / 1024:.0f} KiB")
PY
"$python" - "$binary" "$work/many" <<'PY'
import json, statistics, subprocess, sys, time, urllib.request
runs = []
for attempt in range(5):
    started = time.perf_counter()
    process = subprocess.Popen([sys.argv[1], "--port", "18602", "--data-dir", sys.argv[2]], stderr=subprocess.DEVNULL)
    while True:
        try:
            urllib.request.urlopen("http://127.0.0.1:18602/_understudy/health", timeout=1).read()
            break
        except OSError:
            time.sleep(0.002)
    runs.append(1000 * (time.perf_counter() - started))
    if attempt == 0:
        request = urllib.request.Request("http://127.0.0.1:18602/", method="POST", data=json.dumps(
            {"stateMachineArn": "arn:aws:states:us-east-1:000000000000:stateMachine:runs", "maxResults": 1000}).encode(),
            headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.ListExecutions"})
        assert len(json.load(urllib.request.urlopen(request))["executions"]) == 1000
        rss = int(next(l.split()[1] for l in open(f"/proc/{process.pid}/status") if l.startswith("VmRSS")))
    process.terminate(); process.wait()
print(f"start-up with 100,010 stored executions, exec to first health answer: median {statistics.median(runs):.0f} ms "
      f"(min {min(runs):.0f}, max {max(runs):.0f}, {len(runs)} runs); RSS after start-up and one listing: {rss / 1024:.0f} MiB")
PY
