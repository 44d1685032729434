#!/usr/bin/env bash
# Throwaway PostgreSQL and Redis for the ledger and budget tests, on 127.0.0.1
# and free ports, with their data in a temporary directory.
#
#   scripts/services.sh start [ENV_FILE]   start both, write ENV_FILE (default
#                                          $TMPDIR/tiergate-services.env) and print it
#   scripts/services.sh stop [ENV_FILE]    stop both and delete their data
#
# ENV_FILE holds shell exports:
#   TIERGATE_TEST_PG_URL=postgresql://tiergate@127.0.0.1:PORT/tiergate
#   TIERGATE_TEST_REDIS_URL=redis://127.0.0.1:PORT
# Use:  source "$(scripts/services.sh start | tail -1 | cut -d' ' -f2)"  or  . ENV_FILE
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
ENV_FILE=${2:-${TMPDIR:-/tmp}/tiergate-services.env}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# PostgreSQL refuses to run as root: run its binaries as the postgres user then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    if [ -f "$ENV_FILE" ]; then
        echo "services: $ENV_FILE exists; run '$0 stop $ENV_FILE' first" >&2
        exit 1
    fi
    local dir
    dir=$(mktemp -d "${TMPDIR:-/tmp}/tiergate-services.XXXXXX")
    chmod 755 "$dir"
    local pg_port redis_port
    pg_port=$(free_port)
    redis_port=$(free_port)

    mkdir -p "$dir/pg"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres "$dir/pg"
    fi
    as_pg "$PG_BIN/initdb" -D "$dir/pg/data" -U tiergate --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 || {
        cat "$dir/initdb.log" >&2
        exit 1
    }
    as_pg "$PG_BIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $dir/pg -c fsync=off -c synchronous_commit=off" start >/dev/null
    as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U tiergate tiergate

    redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize yes \
        --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
    for _ in $(seq 1 50); do
        if redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null 2>&1; then
            break
        fi
        sleep 0.1
    done
    redis-cli -h 127.0.0.1 -p "$redis_port" ping >/dev/null

    cat >"$ENV_FILE" <<ENV
export TIERGATE_SERVICES_DIR=$dir
export TIERGATE_TEST_PG_URL=postgresql://tiergate@127.0.0.1:$pg_port/tiergate
export TIERGATE_TEST_REDIS_URL=redis://127.0.0.1:$redis_port
ENV
    cat "$ENV_FILE"
    echo "env: $ENV_FILE"
}

stop() {
    if [ ! -f "$ENV_FILE" ]; then
        echo "services: no $ENV_FILE; nothing to stop" >&2
        exit 0
    fi
    # shellcheck disable=SC1090
    . "$ENV_FILE"
    local dir=$TIERGATE_SERVICES_DIR
    if [ -f "$dir/redis.pid" ]; then
        kill "$(cat "$dir/redis.pid")" 2>/dev/null || true
    fi
    if [ -d "$dir/pg/data" ]; then
        as_pg "$PG_BIN/pg_ctl" -D "$dir/pg/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    case "$dir" in
        */tiergate-services.*) rm -rf "$dir" ;;
    esac
    rm -f "$ENV_FILE"
    echo "services stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    *) echo "usage: $0 start|stop [ENV_FILE]" >&2; exit 2 ;;
esac
