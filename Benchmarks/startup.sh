#!/usr/bin/env bash
# Start-up figure for Benchmarks/README.md: wall time from exec of the release binary to its
# first 200 from /_understudy/health, polled over fresh connections; median (and range) over
# several runs, each on a new free loopback port. Target: <= 50 ms. Then the same from a cold
# page cache: before each of 5 more runs the binary's own pages are dropped (posix_fadvise
# DONTNEED on that one file; the shared libraries stay cached), as after a fresh install.
# Measures the self-contained binary that scripts/release makes (built first when missing,
# in .build-static), or the binary given. Needs only python3.
# Usage: Benchmarks/startup.sh [runs] [binary]   (defaults 21, .build-static/understudy)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-21}
binary=${2:-.build-static/understudy}
if [ ! -x "$binary" ]; then
    if [ $# -ge 2 ]; then echo "startup.sh: $binary not found" >&2; exit 2; fi
    scripts/release >/dev/null
fi

python3 - "$binary" "$runs" <<'PY'
import os, socket, statistics, subprocess, sys, time

binary, runs = sys.argv[1], int(sys.argv[2])
env = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSTUDY_")}


def first_answer(cold):
    """Milliseconds from exec to the first 200 from /_understudy/health."""
    if cold:
        fd = os.open(binary, os.O_RDONLY)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.monotonic()
    p = subprocess.Popen([binary, "serve", "--port", str(port)], stderr=subprocess.DEVNULL, env=env)
    while True:
        if p.poll() is not None:
            sys.exit(f"startup.sh: {binary} exited with {p.returncode}")
        if time.monotonic() - t0 > 10:
            p.kill()
            sys.exit("startup.sh: no answer within 10 s")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as c:
                c.sendall(b"GET /_understudy/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                if c.recv(16).startswith(b"HTTP/1.1 200"):
                    break
        except OSError:
            pass
        time.sleep(0.0005)
    elapsed = (time.monotonic() - t0) * 1000
    p.terminate()
    p.wait()
    return elapsed


def summary(times):
    return f"median {statistics.median(times):.1f} ms over {len(times)} runs (min {min(times):.1f}, max {max(times):.1f})"


warm = [first_answer(cold=False) for _ in range(runs)]
cold = [first_answer(cold=True) for _ in range(5)]

with open("/proc/meminfo") as f:
    mem = next(int(line.split()[1]) for line in f if line.startswith("MemTotal")) / 1048576
print(f"machine: {os.cpu_count()} cores, {mem:.0f} GiB, {os.uname().release}; date: {time.strftime('%Y-%m-%d', time.gmtime())}")
print(f"binary: {binary} ({os.path.getsize(binary) / 1048576:.1f} MiB)")
print(f"start to first answer: {summary(warm)}")
print(f"start to first answer, binary not in the page cache: {summary(cold)}")
PY
