#!/usr/bin/env bash
# What --data-dir costs (issue 23's benchmarks): PutObject of 4 KiB and CreateStateMachine
# per second with a data directory beside the same binary without one, each with wrk on 1
# and 8 connections, and the database's size per 1,000 state machines. A PUT is fsynced
# (body and description) before it is answered; a state machine is a committed SQLite row.
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
for port in 18600 18601; do curl -fsS -X PUT "http://127.0.0.1:$port/bench" >/dev/null; done

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
# Unique names per thread and request: wrk's one thread per connection group counts on.
cat > "$work/create.lua" <<'LUA'
local n = 0
local id = tostring(math.random(1, 1e9))
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
wrk.headers["X-Amz-Target"] = "AWSStepFunctions.CreateStateMachine"
request = function()
  n = n + 1
  local body = '{"name":"m' .. id .. '-' .. n .. '","roleArn":"arn:aws:iam::123456789012:role/r",'
    .. '"definition":"{\\"StartAt\\":\\"P\\",\\"States\\":{\\"P\\":{\\"Type\\":\\"Pass\\",\\"End\\":true}}}"}'
  return wrk.format(nil, "/", nil, body)
end
LUA
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
done
machines=$(curl -fsS "http://127.0.0.1:18601/_understudy/health" | "$python" -c 'import json,sys; print(json.load(sys.stdin)["dataDirectory"]["databaseBytes"])')
count=$("$python" - "$work/data/understudy.db" <<'PY'
import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM state_machines").fetchone()[0])
PY
)
echo "understudy.db: $machines bytes for $count state machines ($(awk -v b="$machines" -v n="$count" 'BEGIN {printf "%.0f", 1000 * b / n / 1024}') KiB per 1,000)"
