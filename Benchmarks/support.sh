# Sourced by the benchmark scripts.
#
# make_work: a scratch directory in $work that nginx's workers (www-data) can read; on exit
# every process whose pid file is in it is stopped and the directory removed.
make_work() {
    work=$(mktemp -d)
    chmod 755 "$work"
    trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
}

# prepare_release: make_work, then a release build of the server as $binary; or, with
# BENCHMARK_BINARY set, that binary as it is (to compare builds in one sitting; not an
# UNDERSTUDY_ name, which the server would refuse as an unknown setting).
prepare_release() {
    make_work
    if [ -n "${BENCHMARK_BINARY:-}" ]; then
        binary=$BENCHMARK_BINARY
        return
    fi
    swift build -c release --product understudy >/dev/null
    binary=.build/release/understudy
}

# start_nginx WORK PORT LOCATIONS writes a minimal nginx config (no access log, workers =
# cores) serving WORK/www with the given location blocks, and starts it; its pid file is
# WORK/nginx.pid (make_work's trap stops it).
start_nginx() {
    local work=$1 port=$2 locations=$3
    cat > "$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$port;
        root $work/www;
        $locations
    }
}
CONF
    nginx -c "$work/nginx.conf"
    sleep 0.5
}
