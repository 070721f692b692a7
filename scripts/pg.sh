#!/usr/bin/env bash
# A project-local PostgreSQL cluster, for development and tests.
#   scripts/pg.sh start     create (first time) and start the cluster, create the database
#   scripts/pg.sh stop      stop it
#   scripts/pg.sh destroy   stop it and delete it (make clean)
#   scripts/pg.sh url       print its DATABASE_URL
#   scripts/pg.sh where     print the folder that holds it
#   scripts/pg.sh status
# TCP on 127.0.0.1 only, on a port chosen free when the cluster is created (kept in <folder>/port),
# so it never clashes with another PostgreSQL. UTF-8 locale: pg_trgm needs it for Thai.
#
# Where it lives: var/pg in the checkout. When run as root, the server runs as the `postgres` OS
# user (PostgreSQL refuses root), and that user must be able to reach var/pg through every folder
# above it. A checkout in root's home (mode 700) is out of its reach: rather than loosen the
# permissions of the user's own folders, the cluster then lives in $PG_FALLBACK_ROOT (default
# /var/lib/lao-portal), in a folder named after the checkout's path, and var/pg-location records
# where, so that stop, destroy and the next start find it.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
LOCAL=$ROOT/var/pg
POINTER=$ROOT/var/pg-location
FALLBACK_ROOT=${PG_FALLBACK_ROOT:-/var/lib/lao-portal}
DB_NAME=${PG_DB_NAME:-lao_portal}

find_bindir() {
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir
        return
    fi
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
    if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then
        echo "$dir"
        return
    fi
    echo "error: PostgreSQL server binaries (initdb, pg_ctl) not found; run scripts/system-deps.sh" >&2
    exit 1
}

as_owner() {  # run a command as the cluster's OS user
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# The folder of an existing cluster (the recorded one, else var/pg); empty when none exists yet.
existing() {
    if [ -s "$POINTER" ]; then
        cat "$POINTER"
    elif [ -d "$LOCAL" ]; then
        echo "$LOCAL"
    fi
}

# Can the server's OS user create and use a folder here? Always, unless we run as root.
reachable_by_server() {
    [ "$(id -u)" != 0 ] && return 0
    mkdir -p "$LOCAL"
    chown postgres: "$LOCAL"
    (cd / && runuser -u postgres -- test -w "$LOCAL" -a -x "$LOCAL")
}

# Choose where a new cluster goes (var/pg, or the fallback outside the checkout) and record it.
choose() {
    if reachable_by_server; then
        rm -f "$POINTER"
        echo "$LOCAL"
        return
    fi
    rmdir "$LOCAL" 2>/dev/null || true
    local name
    name=$(basename "$ROOT")-$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
    mkdir -p "$FALLBACK_ROOT"
    chmod 755 "$FALLBACK_ROOT"
    mkdir -p "$FALLBACK_ROOT/$name"
    echo "$FALLBACK_ROOT/$name" > "$POINTER"
    echo "The postgres user cannot reach $LOCAL (a folder above it is closed to other users);" \
        "the cluster lives in $FALLBACK_ROOT/$name instead (recorded in var/pg-location)." >&2
    echo "$FALLBACK_ROOT/$name"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

PGROOT=$(existing)
DATA=${PGROOT:+$PGROOT/data}

port() { cat "$PGROOT/port"; }

url() { echo "postgres://postgres@127.0.0.1:$(port)/$DB_NAME"; }

init() {
    local bindir=$1 port=${PG_PORT:-54329}
    mkdir -p "$ROOT/var"
    PGROOT=$(choose)
    DATA=$PGROOT/data
    while port_in_use "$port"; do port=$((port + 1)); done
    echo "$port" > "$PGROOT/port"
    mkdir -p "$DATA"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
        chown -R postgres: "$PGROOT"
    fi
    chmod 700 "$DATA"
    as_owner "$bindir/initdb" -D "$DATA" -E UTF8 --locale=C.UTF-8 -A trust -U postgres >/dev/null
    cat >> "$DATA/postgresql.conf" <<CONF

# LAO Portal development cluster (scripts/pg.sh): loopback TCP only, durability traded for speed.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = ''
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
shared_buffers = 256MB
work_mem = 16MB
maintenance_work_mem = 256MB
CONF
    echo "PostgreSQL cluster created in $PGROOT (port $port)"
}

start() {
    local bindir
    bindir=$(find_bindir)
    if [ -z "$PGROOT" ] || [ ! -f "$DATA/PG_VERSION" ]; then
        init "$bindir"
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        if ! as_owner "$bindir/pg_ctl" -D "$DATA" -l "$PGROOT/server.log" -w -t 60 start >/dev/null; then
            # Another server took the port since the cluster was made: move to a free one, once.
            if tail -n 5 "$PGROOT/server.log" | grep -q "Address already in use"; then
                local port
                port=$(( $(port) + 1 ))
                while port_in_use "$port"; do port=$((port + 1)); done
                echo "$port" > "$PGROOT/port"
                echo "port = $port" | as_owner tee -a "$DATA/postgresql.conf" >/dev/null
                echo "PostgreSQL port in use: moved the cluster to port $port"
            fi
            as_owner "$bindir/pg_ctl" -D "$DATA" -l "$PGROOT/server.log" -w -t 60 start >/dev/null \
                || { echo "error: PostgreSQL did not start; see $PGROOT/server.log" >&2; tail -n 20 "$PGROOT/server.log" >&2; exit 1; }
        fi
    fi
    local psql=("$bindir/psql" -h 127.0.0.1 -p "$(port)" -U postgres -d postgres -qtA)
    if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
        "${psql[@]}" -c "CREATE DATABASE $DB_NAME"
    fi
}

stop() {
    [ -n "$PGROOT" ] && [ -f "$DATA/PG_VERSION" ] || return 0
    local bindir
    bindir=$(find_bindir)
    if as_owner "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_owner "$bindir/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
        echo "PostgreSQL stopped"
    fi
}

destroy() {
    stop
    [ -n "$PGROOT" ] || return 0
    rm -rf "$PGROOT"
    rm -f "$POINTER"
    echo "PostgreSQL cluster removed from $PGROOT"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    destroy) destroy ;;
    url) url ;;
    where) echo "${PGROOT:-none}" ;;
    status) [ -n "$PGROOT" ] && as_owner "$(find_bindir)/pg_ctl" -D "$DATA" status ;;
    *) echo "usage: $0 start|stop|destroy|url|where|status" >&2; exit 2 ;;
esac
