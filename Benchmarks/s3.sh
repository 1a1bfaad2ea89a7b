#!/usr/bin/env bash
# S3 and batch inference figures for Benchmarks/README.md:
#  1. a 10,000-record batch inference job, from CreateModelInvocationJob to Completed (latency
#     model off, default phases), through boto3;
#  2. GetObject and PutObject of 1 MiB (wrk, 1 and 8 connections) beside nginx serving the
#     same 1 MiB file.
# Needs: wrk, nginx, boto3. Usage: Benchmarks/s3.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source Benchmarks/support.sh
prepare_release
python=${PYTHON:-.venv/bin/python}
"$binary" --port 18590 2>/dev/null & echo $! > "$work/understudy.pid"
sleep 1

"$python" - <<'PY'
import json, time, boto3
kw = dict(endpoint_url="http://127.0.0.1:18590", region_name="us-east-1", aws_access_key_id="k", aws_secret_access_key="s")
s3, bedrock = boto3.client("s3", **kw), boto3.client("bedrock", **kw)
s3.create_bucket(Bucket="bench")
lines = [json.dumps({"recordId": f"R{i:010d}", "modelInput": {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200,
         "messages": [{"role": "user", "content": f"Summarize record {i} in two sentences."}]}}) for i in range(10_000)]
s3.put_object(Bucket="bench", Key="in/records.jsonl", Body="\n".join(lines).encode())
started = time.perf_counter()
arn = bedrock.create_model_invocation_job(jobName="bench", roleArn="arn:aws:iam::123456789012:role/r",
    modelId="anthropic.claude-3-haiku-20240307-v1:0", inputDataConfig={"s3InputDataConfig": {"s3Uri": "s3://bench/in/"}},
    outputDataConfig={"s3OutputDataConfig": {"s3Uri": "s3://bench/out/"}})["jobArn"]
while (job := bedrock.get_model_invocation_job(jobIdentifier=arn))["status"] not in ("Completed", "Failed"):
    time.sleep(0.01)
elapsed = time.perf_counter() - started
assert job["status"] == "Completed" and job["successRecordCount"] == 10_000, job
print(f"batch job, 10,000 records: create to Completed in {elapsed:.2f} s")
s3.put_object(Bucket="bench", Key="mib", Body=bytes(1024 * 1024))
PY

mkdir -p "$work/www"
head -c 1048576 /dev/zero > "$work/www/mib"
start_nginx "$work" 18591 "location / { }"
head -c 1048576 /dev/zero > "$work/body"
cat > "$work/put.lua" <<LUA
local f = io.open("$work/body", "rb")
wrk.method = "PUT"
wrk.body = f:read("*a")
f:close()
LUA
measure() {  # connections url [script]: MB/s (1 MiB per request); refuses runs with errors
    local extra=() out
    [ -n "${3:-}" ] && extra=(-s "$3")
    out=$(wrk -t1 -c"$1" -d"${duration}s" "${extra[@]}" "$2")
    if grep -q "Non-2xx" <<<"$out"; then echo "FAILED: $2 answered non-2xx" >&2; exit 1; fi
    awk '/Requests\/sec/ {printf "%.0f MB/s", $2}' <<<"$out"
}
for c in 1 8; do
    echo "GetObject 1 MiB, $c connection(s): understudy $(measure $c http://127.0.0.1:18590/bench/mib); nginx $(measure $c http://127.0.0.1:18591/mib)"
    echo "PutObject 1 MiB, $c connection(s): understudy $(measure $c http://127.0.0.1:18590/bench/put-target "$work/put.lua")"
done
