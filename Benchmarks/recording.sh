#!/usr/bin/env bash
# Record and replay figures for Benchmarks/README.md, in one run on this machine:
#   InvokeModel answered from a cassette (--mode replay) beside the same call emulated, with
#   wrk at 50 connections; and the first byte of a stream through the recorder (--mode record,
#   forwarding to a second server over loopback) beside the first byte from that server
#   directly, each the median of many calls.
# Needs: wrk. Usage: Benchmarks/recording.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source Benchmarks/support.sh
prepare_release
emulator=18591
recorder=18592
replayer=18593
model="anthropic.claude-3-5-haiku-20241022-v1%3A0"
body='{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":"benchmark prompt"}]}'

"$binary" --port $emulator --time-scale 0 2>/dev/null & echo $! > "$work/emulator.pid"
AWS_ACCESS_KEY_ID=AKIABENCHMARKRECORD1 AWS_SECRET_ACCESS_KEY=benchmark-secret \
    "$binary" --port $recorder --mode record --recordings "$work/cassette" --upstream "http://127.0.0.1:$emulator" 2>/dev/null &
echo $! > "$work/recorder.pid"
sleep 1
# One call of each kind through the recorder makes the cassette.
curl -sf -X POST "http://127.0.0.1:$recorder/model/$model/invoke" -d "$body" -o /dev/null
curl -sf -X POST "http://127.0.0.1:$recorder/model/$model/invoke-with-response-stream" -d "$body" -o /dev/null
sleep 0.5
"$binary" --port $replayer --mode replay --recordings "$work/cassette" --time-scale 0 2>/dev/null & echo $! > "$work/replayer.pid"
sleep 1
cmp <(curl -sf -X POST "http://127.0.0.1:$replayer/model/$model/invoke" -d "$body") \
    <(curl -sf -X POST "http://127.0.0.1:$emulator/model/$model/invoke" -d "$body") >/dev/null \
    || echo "note: replayed and emulated answers differ in bytes (request ids, dates)" >&2

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
rps() { wrk -t2 -c50 -d"${duration}s" -s "$work/post.lua" "$1" | awk '/Requests\/sec/ {print $2}'; }
emulated=$(rps "http://127.0.0.1:$emulator/model/$model/invoke")
replayed=$(rps "http://127.0.0.1:$replayer/model/$model/invoke")

# Time to the first byte of a stream's body, one connection at a time: 300 calls straight to
# the upstream server and 300 through the recorder, taken in turns so both see the same machine,
# each a fresh connection. Prints the two medians and the median of the pairs' differences.
first_bytes=$(python3 - $emulator $recorder "$body" <<'PY'
import http.client, statistics, sys, time
direct_port, recorder_port, body = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
path = "/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream"
def first_byte(port):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers={"Content-Type": "application/json"})
    response = connection.getresponse()
    response.read(1)
    elapsed = (time.perf_counter() - started) * 1000
    response.read()
    connection.close()
    return elapsed
pairs = [(first_byte(direct_port), first_byte(recorder_port)) for _ in range(300)]
direct = statistics.median(d for d, _ in pairs)
through = statistics.median(t for _, t in pairs)
added = statistics.median(t - d for d, t in pairs)
print(f"{direct:.2f} {through:.2f} {added:.2f}")
PY
)
read -r direct through added <<<"$first_bytes"

echo "InvokeModel, 50 connections: emulated $emulated req/s, replayed $replayed req/s"
echo "stream first byte, median of 300: direct $direct ms, through the recorder $through ms, added $added ms"
