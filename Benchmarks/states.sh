#!/usr/bin/env bash
# Step Functions figures for Benchmarks/README.md, in one run on this machine:
#   StartSyncExecution of a one-Pass EXPRESS machine (wrk, 50 connections) beside nginx
#   returning the same bytes; seed 003's nine-item Map of Bedrock tasks in executions/s; a
#   10,000-item inline Map's duration; RSS after 100,000 express executions.
# Needs: wrk, nginx, boto3. Usage: Benchmarks/states.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source Benchmarks/support.sh
prepare_release
port=18596
nginx_port=18597
"$binary" --port $port --time-scale 0 2>/dev/null & echo $! > "$work/understudy.pid"
sleep 1
pid=$(cat "$work/understudy.pid")

python3 - "$port" "$work" <<'PY'
import json, sys, boto3
from botocore.config import Config
port, work = sys.argv[1], sys.argv[2]
c = boto3.client("stepfunctions", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                 aws_access_key_id="a", aws_secret_access_key="b", config=Config(inject_host_prefix=False))
role = "arn:aws:iam::000000000000:role/bench"
one = c.create_state_machine(name="OnePass", type="EXPRESS", roleArn=role,
    definition=json.dumps({"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}))["stateMachineArn"]
rfp = c.create_state_machine(name="Rfp", type="EXPRESS", roleArn=role,
    definition=open("Tests/Fixtures/seeds/asl/d_rfp_map_haiku.asl.json").read())["stateMachineArn"]
big = c.create_state_machine(name="BigMap", type="EXPRESS", roleArn=role,
    definition=json.dumps({"StartAt": "M", "States": {"M": {"Type": "Map", "ItemsPath": "$.items",
        "ItemProcessor": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}}, "End": True}}}))["stateMachineArn"]
questions = ["Can you describe your technical capabilities?", "What security measures do you have?", "Can you provide case studies?",
             "How do you handle project management?", "What are your support services like?", "What is your pricing model?",
             "Can you provide references?", "How do you ensure scalability?", "What is your approach to backup and recovery?"]
for name, arn, payload in [("one", one, {}), ("rfp", rfp, {"questions": questions, "description": "AnyCompany Tech builds robust systems."})]:
    body = json.dumps({"stateMachineArn": arn, "input": json.dumps(payload)})
    open(f"{work}/{name}.lua", "w").write(
        'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/x-amz-json-1.0"\n'
        'wrk.headers["X-Amz-Target"] = "AWSStepFunctions.StartSyncExecution"\n' % json.dumps(body))
import time, urllib.request
req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=json.dumps({"stateMachineArn": one, "input": "{}"}).encode(),
    headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "AWSStepFunctions.StartSyncExecution"})
open(f"{work}/one.json", "wb").write(urllib.request.urlopen(req).read())
items = {"items": list(range(10000))}
best = None
for _ in range(3):
    t0 = time.monotonic()
    out = c.start_sync_execution(stateMachineArn=big, input=json.dumps(items))
    elapsed = time.monotonic() - t0
    assert out["status"] == "SUCCEEDED" and len(json.loads(out["output"])) == 10000
    best = elapsed if best is None else min(best, elapsed)
open(f"{work}/bigmap.txt", "w").write(f"{best*1000:.0f}")
PY

mkdir -p "$work/www"
cp "$work/one.json" "$work/www/one.json"
start_nginx "$work" "$nginx_port" 'location / { default_type application/x-amz-json-1.0; error_page 405 =200 /one.json; try_files /one.json =404; }'
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
run() { wrk -t2 -c50 -d"${duration}s" -s "$1" "$2" | awk '/requests in/ {n=$1} /Requests\/sec/ {r=$2} END {print n, r}'; }
set -- $(run "$work/one.lua" "http://127.0.0.1:$port/"); one_requests=$1; one_rps=$2
set -- $(run "$work/one.lua" "http://127.0.0.1:$nginx_port/"); nginx_rps=$2
set -- $(run "$work/rfp.lua" "http://127.0.0.1:$port/"); rfp_rps=$2
# Top up to 100,000 express executions, then read RSS.
remaining=$((100000 - one_requests))
if [ $remaining -gt 0 ]; then
    wrk -t2 -c50 -d"$((remaining / 5000 + 2))s" -s "$work/one.lua" "http://127.0.0.1:$port/" >/dev/null
fi
rss_after=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

cat <<REPORT
machine: $(nproc) cores, $(uname -r); date: $(date -u +%F); wrk 2 threads, 50 connections, ${duration}s per run; --time-scale 0

| measure | Understudy | nginx (same bytes) | ratio |
| --- | --- | --- | --- |
| StartSyncExecution, one-Pass EXPRESS machine, req/s | $one_rps | $nginx_rps | $(python3 -c "print(f'{$one_rps/$nginx_rps:.0%}')") |
| seed 003 (nine-item Map of Bedrock tasks), executions/s | $rfp_rps | | |

10,000-item inline Map (StartSyncExecution, best of 3): $(cat "$work/bigmap.txt") ms
RSS before: $((rss_before / 1024)) MB; after 100,000+ express executions: $((rss_after / 1024)) MB
REPORT
