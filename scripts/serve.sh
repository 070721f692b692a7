#!/usr/bin/env bash
# Starts (or restarts) gunicorn and the task worker in the background; `stop` stops them.
# Called by `make run` / `make stop` with scripts/env.sh already sourced.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=var/run
LOG=var/log
mkdir -p "$RUN" "$LOG"

stop_pid() {  # stop_pid <pidfile> <name>
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
        echo "$2 stopped"
    fi
    rm -f "$file"
}

stop() {
    stop_pid "$RUN/gunicorn.pid" "web server"
    stop_pid "$RUN/worker.pid" "task worker"
}

start() {
    stop >/dev/null
    if (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null; then
        echo "error: $HOST:$PORT is already in use; set PORT=... (e.g. make run PORT=8001)" >&2
        exit 1
    fi
    # gunicorn sync workers: cores + 1 measured fastest with PostgreSQL on the same box.
    local workers=${WEB_CONCURRENCY:-$(( $(nproc) + 1 ))}
    gunicorn config.wsgi \
        --bind "$HOST:$PORT" --workers "$workers" \
        --timeout 60 --max-requests 1000 --max-requests-jitter 100 \
        --access-logfile "$LOG/access.log" --error-logfile "$LOG/gunicorn.log" \
        --pid "$RUN/gunicorn.pid" --daemon
    nohup python manage.py db_worker >"$LOG/worker.log" 2>&1 &
    echo $! > "$RUN/worker.pid"
    for _ in $(seq 100); do
        if python -c "import urllib.request, sys; urllib.request.urlopen('http://$HOST:$PORT/healthz', timeout=1)" 2>/dev/null; then
            return 0
        fi
        sleep 0.2
    done
    echo "error: the portal did not answer on http://$HOST:$PORT/healthz; see $LOG/gunicorn.log" >&2
    tail -n 30 "$LOG/gunicorn.log" >&2
    exit 1
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
