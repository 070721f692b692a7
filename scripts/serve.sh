#!/usr/bin/env bash
# Starts (or restarts) gunicorn and the task worker in the background; `stop` stops them.
# Called by `make run` / `make stop` with scripts/env.sh already sourced.
# The worker (`manage.py units_run_worker`, which itself waits out database restarts) runs under
# a small supervisor loop (`serve.sh supervise-worker`) that starts it again if it exits anyway:
# var/run/worker-supervisor.pid is the loop, var/run/worker.pid the current worker.
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${SERVE_RUN_DIR:-var/run}  # pid files (tests of the supervisor use their own)
LOG=var/log
mkdir -p "$RUN" "$LOG"

alive() {  # a zombie (exited, not yet reaped by its parent) counts as stopped
    kill -0 "$1" 2>/dev/null || return 1
    [ -r "/proc/$1/stat" ] || return 0
    [ "$(sed -E 's/.*\) (.).*/\1/' "/proc/$1/stat")" != Z ]
}

stop_pid() {  # stop_pid <pidfile> <name> [tenths of a second to wait before KILL]
    local file=$1 pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if alive "$pid"; then
        kill -TERM "$pid"
        for _ in $(seq "${3:-50}"); do alive "$pid" || break; sleep 0.1; done
        alive "$pid" && kill -KILL "$pid" 2>/dev/null
        echo "$2 stopped"
    fi
    rm -f "$file"
}

stop() {
    stop_pid "$RUN/gunicorn.pid" "web server"
    # The supervisor passes TERM on to the worker, which finishes its current task first (an
    # upload commit takes seconds); then whatever is left of the worker is stopped on its own.
    stop_pid "$RUN/worker-supervisor.pid" "task worker supervisor" 300
    stop_pid "$RUN/worker.pid" "task worker"
}

# Runs the worker in the foreground and starts it again whenever it exits, waiting 1 s, doubling
# up to 30 s while it keeps exiting quickly. TERM/INT stop the worker, then the loop.
supervise_worker() {
    local child="" delay=1 started status
    trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" || true; fi; rm -f "$RUN/worker.pid"; exit 0' TERM INT
    while true; do
        started=$SECONDS
        python manage.py units_run_worker "$@" &
        child=$!
        echo "$child" > "$RUN/worker.pid"
        status=0
        wait "$child" || status=$?
        child=""
        if (( SECONDS - started > 60 )); then delay=1; fi
        echo "$(date '+%F %T') task worker exited with status $status; starting it again in ${delay} s" >&2
        sleep "$delay" &  # in the background, so TERM is handled at once
        wait $! || true
        delay=$(( delay * 2 > 30 ? 30 : delay * 2 ))
    done
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
    nohup "$PWD/scripts/serve.sh" supervise-worker >>"$LOG/worker.log" 2>&1 &
    echo $! > "$RUN/worker-supervisor.pid"
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
    supervise-worker) shift; supervise_worker "$@" ;;
    *) echo "usage: $0 start|stop|supervise-worker" >&2; exit 2 ;;
esac
