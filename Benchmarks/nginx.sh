# Sourced by the benchmark scripts: start_nginx WORK PORT LOCATIONS writes a minimal nginx
# config (no access log, workers = cores) serving WORK/www with the given location blocks,
# and starts it; its pid file is WORK/nginx.pid (the scripts' traps stop it).
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
