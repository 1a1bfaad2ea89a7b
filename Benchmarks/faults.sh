#!/usr/bin/env bash
# Fault-rule overhead for Benchmarks/README.md: InvokeModel req/s (wrk, 2 threads, 50
# connections) with no rules, then with 10 fault rules and 2 quotas that are consulted on
# every call but never fire. Alternates the two servers three times to even out drift.
# Needs: wrk. Usage: Benchmarks/faults.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source Benchmarks/support.sh
prepare_release
model="anthropic.claude-3-5-haiku-20241022-v1%3A0"

{
    echo "faults:"
    for i in 1 2 3 4 5 6 7 8 9 10; do
        case $((i % 4)) in
        0) echo "  - {name: r$i, match: {service: bedrock-runtime, operation: Converse}, error: {code: ThrottlingException}}" ;;
        1) echo "  - {name: r$i, match: {model: \"amazon.*\"}, latency: {ms: 100}}" ;;
        2) echo "  - {name: r$i, match: {operation: InvokeModel}, when: {attempts: [7]}, connection: reset}" ;;
        3) echo "  - {name: r$i, match: {operation: \"Invoke*\", model: \"anthropic.*\"}, when: {probability: 0.0}, error: {code: ServiceUnavailableException}}" ;;
        esac
    done
    echo "quotas:"
    echo "  - {model: \"anthropic.claude-3-5-haiku*\", requestsPerMinute: 100000000}"
    echo "  - {model: \"us.*\", tokensPerMinute: 1000}"
} > "$work/rules.yml"
echo "seed: 0" > "$work/none.yml"

"$binary" --port 18578 --config "$work/none.yml" 2>/dev/null & echo $! > "$work/none.pid"
"$binary" --port 18579 --config "$work/rules.yml" 2>/dev/null & echo $! > "$work/rules.pid"
sleep 1
body='{"anthropic_version":"bedrock-2023-05-31","max_tokens":200,"messages":[{"role":"user","content":"benchmark prompt"}]}'
for port in 18578 18579; do curl -sf -X POST "http://127.0.0.1:$port/model/$model/invoke" -d "$body" >/dev/null; done
cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
rps() { wrk -t2 -c50 -d"${duration}s" -s "$work/post.lua" "http://127.0.0.1:$1/model/$model/invoke" | awk '/Requests\/sec/ {print $2}'; }
none=(); rules=()
for _ in 1 2 3; do none+=("$(rps 18578)"); rules+=("$(rps 18579)"); done
# The quota's minute window holds every admitted call: the rules server has seen the most.
usage=$(curl -sf "http://127.0.0.1:18579/_understudy/quotas/usage")
python3 - "${none[*]}" "${rules[*]}" "$usage" <<'PY'
import json, statistics, sys
none = [float(x) for x in sys.argv[1].split()]
rules = [float(x) for x in sys.argv[2].split()]
n, r = statistics.median(none), statistics.median(rules)
print(f"InvokeModel req/s, median of 3: no rules {n:,.0f} ({', '.join(f'{x:,.0f}' for x in none)}); "
      f"10 fault rules + 2 quotas {r:,.0f} ({', '.join(f'{x:,.0f}' for x in rules)}); ratio {r/n:.1%}")
print("quota usage:", json.loads(sys.argv[3])["quotas"])
PY
