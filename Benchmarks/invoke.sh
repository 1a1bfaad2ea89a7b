#!/usr/bin/env bash
# Bedrock runtime figures for Benchmarks/README.md, in one run on this machine:
#   InvokeModel (Messages API, 200-token answer, latency off) and InvokeModelWithResponseStream
#   of the same answer with wrk at 50 connections, beside nginx returning the same bytes; and
#   the observed pace of a stream with 50 tokens/s configured.
# Needs: wrk and nginx. Usage: Benchmarks/invoke.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source Benchmarks/support.sh
prepare_release
port=18576
nginx_port=18577
model="anthropic.claude-3-5-haiku-20241022-v1%3A0"

# A canned 200-token answer (the generator's own answers vary in length by request).
answer=$(python3 -c "
words = ['state', 'flows', 'retry', 'failed', 'tasks', 'with', 'waits', 'and', 'jitter', 'so']
out, n = [], 0
while n < 200:
    out.append(words[n % len(words)]); n += 1
print(' '.join(out))")
cat > "$work/understudy.yml" <<YML
bedrock:
  completions:
    - name: two-hundred-tokens
      match:
        prompt: benchmark
      response:
        text: "$answer"
  latency:
    - model: anthropic.claude-3-haiku*
      timeToFirstTokenMs: 100
      tokensPerSecond: 50
YML
"$binary" --port $port --config "$work/understudy.yml" 2>/dev/null & echo $! > "$work/understudy.pid"
sleep 1
body='{"anthropic_version":"bedrock-2023-05-31","max_tokens":400,"messages":[{"role":"user","content":"benchmark prompt"}]}'
curl -sf -X POST "http://127.0.0.1:$port/model/$model/invoke" -d "$body" -o "$work/invoke.json"
curl -sf -X POST "http://127.0.0.1:$port/model/$model/invoke-with-response-stream" -d "$body" -o "$work/stream.bin"
tokens=$(python3 -c "import json;print(json.load(open('$work/invoke.json'))['usage']['output_tokens'])")
frames=$(python3 -c "
from botocore.eventstream import EventStreamBuffer
b = EventStreamBuffer(); b.add_data(open('$work/stream.bin','rb').read()); print(len(list(b)))")

cat > "$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '$body'
wrk.headers["Content-Type"] = "application/json"
LUA
# nginx answers any method with the same bytes from a file (return with a variable-free body).
mkdir -p "$work/www"
cp "$work/invoke.json" "$work/www/invoke.json"
cp "$work/stream.bin" "$work/www/stream.bin"
start_nginx "$work" "$nginx_port" 'location /invoke { default_type application/json; error_page 405 =200 /invoke.json; try_files /invoke.json =404; } location /stream { default_type application/vnd.amazon.eventstream; error_page 405 =200 /stream.bin; try_files /stream.bin =404; }'
cmp <(curl -sf -X POST "http://127.0.0.1:$nginx_port/invoke" -d x) "$work/invoke.json"

rps() { wrk -t2 -c50 -d"${duration}s" -s "$work/post.lua" "$1" | awk '/Requests\/sec/ {print $2}'; }
u_invoke=$(rps "http://127.0.0.1:$port/model/$model/invoke")
n_invoke=$(rps "http://127.0.0.1:$nginx_port/invoke")
u_stream=$(rps "http://127.0.0.1:$port/model/$model/invoke-with-response-stream")
n_stream=$(rps "http://127.0.0.1:$nginx_port/stream")

pace=$(python3 - "$port" <<'PY'
import json, sys, time, boto3
c = boto3.client("bedrock-runtime", endpoint_url=f"http://127.0.0.1:{sys.argv[1]}", region_name="us-east-1",
                 aws_access_key_id="a", aws_secret_access_key="b")
body = json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 120,
                   "messages": [{"role": "user", "content": "Explain pacing of token streams in great detail"}]})
t0 = time.monotonic(); arrivals = []; last = None
for e in c.invoke_model_with_response_stream(modelId="anthropic.claude-3-haiku-20240307-v1:0", body=body)["body"]:
    arrivals.append(time.monotonic() - t0); last = json.loads(e["chunk"]["bytes"])
tokens = last["amazon-bedrock-invocationMetrics"]["outputTokenCount"]
rate = tokens / (arrivals[-1] - arrivals[0])
print(f"{tokens} tokens, first frame at {arrivals[0]*1000:.0f} ms, observed {rate:.2f} tokens/s ({(rate-50)/50:+.1%})")
PY
)

cat <<REPORT
machine: $(nproc) cores, $(uname -r); date: $(date -u +%F); wrk 2 threads, 50 connections, ${duration}s per run
answer: $tokens output tokens; stream: $frames frames ($(wc -c < "$work/stream.bin") bytes); invoke body $(wc -c < "$work/invoke.json") bytes

| measure | Understudy | nginx (same bytes) | ratio |
| --- | --- | --- | --- |
| InvokeModel req/s | $u_invoke | $n_invoke | $(python3 -c "print(f'{$u_invoke/$n_invoke:.0%}')") |
| InvokeModelWithResponseStream streams/s | $u_stream | $n_stream | $(python3 -c "print(f'{$u_stream/$n_stream:.0%}')") |
| stream frames/s | $(python3 -c "print(f'{$u_stream*$frames:,.0f}')") | | |

pace with 50 tokens/s configured: $pace
REPORT
