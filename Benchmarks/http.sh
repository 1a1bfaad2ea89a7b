#!/usr/bin/env bash
# HTTP figures for Benchmarks/README.md, all in one run on this machine:
#   idle RSS, and wrk against GetFoundationModel at 1 and 50 connections beside nginx serving
#   the very same bytes. (Start-up is Benchmarks/startup.sh's.)
# Needs: wrk and nginx (apt-get install wrk nginx-light). Usage: Benchmarks/http.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10}
source Benchmarks/support.sh
prepare_release
port=18566
nginx_port=18567
path="/foundation-models/anthropic.claude-3-5-haiku-20241022-v1%3A0"

"$binary" --port $port 2>/dev/null & echo $! > "$work/understudy.pid"
sleep 1
pid=$(cat "$work/understudy.pid")
idle_rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
curl -sf "http://127.0.0.1:$port$path" -o "$work/body.json"

mkdir -p "$work/www/foundation-models"
cp "$work/body.json" "$work/www/foundation-models/anthropic.claude-3-5-haiku-20241022-v1:0"
start_nginx "$work" "$nginx_port" 'location / { default_type application/json; try_files $uri =404; }'
cmp <(curl -sf "http://127.0.0.1:$nginx_port$path") "$work/body.json"

run() {  # url threads connections -> "req/s p50"
    wrk -t"$2" -c"$3" -d"${duration}s" --latency "$1" | awk '
        /Requests\/sec/ {rps=$2}
        /^ +50%/ {p50=$2}
        END {print rps, p50}'
}
read -r u1 u1p < <(run "http://127.0.0.1:$port$path" 1 1)
read -r n1 n1p < <(run "http://127.0.0.1:$nginx_port$path" 1 1)
read -r u50 u50p < <(run "http://127.0.0.1:$port$path" 2 50)
read -r n50 n50p < <(run "http://127.0.0.1:$nginx_port$path" 2 50)
loaded_rss=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

cat <<REPORT
machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -r); date: $(date -u +%F)
body: GetFoundationModel, $(wc -c < "$work/body.json") bytes; wrk ${duration}s per run

| measure | Understudy | nginx | ratio |
| --- | --- | --- | --- |
| req/s, 1 connection | $u1 (p50 $u1p) | $n1 (p50 $n1p) | $(python3 -c "print(f'{$u1/$n1:.0%}')") |
| req/s, 50 connections | $u50 (p50 $u50p) | $n50 (p50 $n50p) | $(python3 -c "print(f'{$u50/$n50:.0%}')") |

RSS idle: $((idle_rss / 1024)) MB; after the runs: $((loaded_rss / 1024)) MB
REPORT
