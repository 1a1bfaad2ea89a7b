#!/usr/bin/env bash
# What metrics cost, for Benchmarks/README.md: InvokeModel req/s (wrk, 2 threads, 50
# connections) from a server counting for /_understudy/metrics (the default) and one started
# with --no-metrics, alternating the two (five rounds by default) to even out drift, then the
# medians, their ratio and the median of each round's ratio (the two runs of a round are
# seconds apart, so it is the steadier figure on a shared machine). Target: metrics on within
# 5% of off. Beside req/s, the server's own CPU time per request (from /proc/PID/stat), which
# other load on the machine disturbs far less than throughput.
# Needs: wrk. Usage: Benchmarks/metrics.sh [seconds] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
rounds=${2:-5}
source Benchmarks/support.sh
prepare_release
model="anthropic.claude-3-5-haiku-20241022-v1%3A0"
on=18580
off=18581

"$binary" --port $on 2>/dev/null & echo $! > "$work/on.pid"
"$binary" --port $off --no-metrics 2>/dev/null & echo $! > "$work/off.pid"
sleep 1
body='{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":"benchmark prompt"}]}'
for port in $on $off; do curl -sf -X POST "http://127.0.0.1:$port/model/$model/invoke" -d "$body" >/dev/null; done
# The off server must really be off (404), the on server answering the exposition format.
test "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$off/_understudy/metrics")" = 404
curl -sf "http://127.0.0.1:$on/_understudy/metrics" | grep -q '^understudy_requests_total{service="bedrock-runtime",operation="InvokeModel",status="200"}'
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
# The server's user + system CPU time so far, in clock ticks.
ticks() { awk '{print $14 + $15}' "/proc/$(cat "$work/$1.pid")/stat"; }
# One wrk run against the server named $1 on port $2: "req/s requests cpu-ticks".
run() {
    local before out
    before=$(ticks "$1")
    out=$(wrk -t2 -c50 -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$2/model/$model/invoke")
    echo "$(awk '/Requests\/sec/ {print $2}' <<< "$out") $(awk '/requests in/ {print $1}' <<< "$out") $(($(ticks "$1") - before))"
}
ons=(); offs=()
for i in $(seq "$rounds"); do
    # Alternate which goes first, so neither always runs on a warmer machine.
    if [ $((i % 2)) -eq 1 ]; then ons+=("$(run on $on)"); offs+=("$(run off $off)"); else offs+=("$(run off $off)"); ons+=("$(run on $on)"); fi
done
counted=$(curl -sf "http://127.0.0.1:$on/_understudy/metrics" | awk '/^understudy_requests_total\{service="bedrock-runtime",operation="InvokeModel",status="200"\}/ {print $2}')
python3 - "$(getconf CLK_TCK)" "$counted" "${#ons[@]}" "${ons[@]}" "${offs[@]}" <<'PY'
import statistics, sys
tick, counted, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
parse = lambda runs: [tuple(float(v) for v in r.split()) for r in runs]
on, off = parse(sys.argv[4:4 + n]), parse(sys.argv[4 + n:])
cpu = lambda r: r[2] / tick / r[1] * 1e6  # server CPU µs per request
print("| round | off req/s | on req/s | on/off | off CPU µs/req | on CPU µs/req |")
print("| --- | --- | --- | --- | --- | --- |")
for i, (x, y) in enumerate(zip(off, on), 1):
    print(f"| {i} | {x[0]:,.0f} | {y[0]:,.0f} | {y[0]/x[0]:.1%} | {cpu(x):.1f} | {cpu(y):.1f} |")
a, b = statistics.median(r[0] for r in on), statistics.median(r[0] for r in off)
ca, cb = statistics.median(cpu(r) for r in on), statistics.median(cpu(r) for r in off)
print(f"| median | {b:,.0f} | {a:,.0f} | {a/b:.1%} | {cb:.1f} | {ca:.1f} |")
print(f"median of the rounds' req/s ratios: {statistics.median(y[0] / x[0] for x, y in zip(off, on)):.1%}; "
      f"CPU per request, on over off: {ca / cb:.1%}")
print(f"InvokeModel calls the on server counted: {float(counted):,.0f}")
PY
