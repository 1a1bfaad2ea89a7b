#!/usr/bin/env bash
# What --data-dir costs (issue 23's benchmarks): PutObject of 4 KiB, CreateStateMachine and
# StartExecution (a STANDARD one-Pass machine) per second with a data directory beside the
# same binary without one, each with wrk on 1 and 8 connections, and the database's size per
# 1,000 state machines and executions. A PUT is fsynced (body and description) before it is
# answered; a state machine is a committed SQLite row, an execution two (start and end).
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
machines=$(curl -fsS "http://127.0.0.1:18601/_understudy/health" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["dataDirectory"]["databaseBytes"])')
counts=$("$python" - "$work/data/understudy.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(*(db.execute(f"SELECT COUNT(*), COALESCE(SUM(LENGTH(document)), 0) FROM {t}").fetchone() for t in ("state_machines", "executions")))
PY
)
echo "understudy.db: $machines bytes in all; documents: $counts (state machines: count, bytes; executions: count, bytes)"
# Start-up on that data directory: from exec to the first health answer.
kill "$(cat "$work/disk.pid")"; rm -f "$work/disk.pid"; sleep 1
"$python" - "$binary" "$work/data" <<'PY'
import subprocess, sys, time, urllib.request
started = time.perf_counter()
process = subprocess.Popen([sys.argv[1], "--port", "18602", "--data-dir", sys.argv[2]], stderr=subprocess.DEVNULL)
while True:
    try:
        urllib.request.urlopen("http://127.0.0.1:18602/_understudy/health", timeout=1).read()
        break
    except OSError:
        time.sleep(0.002)
print(f"start-up on that data directory, exec to first answer: {1000 * (time.perf_counter() - started):.0f} ms")
process.terminate(); process.wait()
PY
