#!/usr/bin/env bash
# Load test on loopback: the portal under gunicorn on PostgreSQL with Redis, beside two baselines.
#
#   bench/load/run_load.sh            # about 15 minutes with seeding; writes bench/results/load.md
#
# 1. A fresh PostgreSQL database with LISTINGS synthetic listings (seed-synthetic, which also
#    runs ANALYZE), and accounts for the logged-in users (prepare.py).
# 2. Under the same gunicorn.conf.py settings, USERS connections for DURATION seconds each:
#    - wrk (bench/load/paths.lua): the hello-world and 30 KB-page baselines (baseline_app.py),
#      then the capacity of the portal's list, detail and map-data routes: no think time, so
#      these are the most requests per second the machine serves. Each route runs twice: cold
#      (the first minute after a start or a write: the page cache is empty) and warm (every
#      path of the run asked once just before, as steady traffic keeps the page cache filled
#      within PAGE_CACHE_SECONDS); the access log of each run gives the page cache's hit rate;
#    - locust (bench/load/locustfile.py): the mix of map, map data, list, detail, search, log-in,
#      /mijn and matches by USERS users with LOAD_THINK seconds between clicks, with percentiles
#      and errors per route, each time on a new portal with empty caches (as after a deploy):
#      "mix" with the users arriving one by one (SPAWN_RATE a second), "mix-burst" with them
#      arriving as locust starts them, SPAWN_RATE users in the same instant once a second.
# Everything talks to 127.0.0.1 only; every loop and run is bounded in time.
#
# Settings (environment): PG_URL, LISTINGS (100000), VOLUNTEERS (20000), USERS (200),
# DURATION (60), LOAD_THINK ("1-5"), WEB_CONCURRENCY (4), GUNICORN_THREADS (1), PORT (8077),
# REDIS_URL (redis://127.0.0.1:6379/15),
# RUNS ("hello page list list-warm detail detail-warm mapdata mapdata-warm mix mix-burst"),
# KEEP_DB=1 keeps the database, REUSE_DB=1 skips seeding when LOAD_DB already holds LISTINGS
# listings (with KEEP_DB=1, for iterating: `KEEP_DB=1 REUSE_DB=1 RUNS="list" bench/load/run_load.sh`),
# OUT (bench/results/load.md).
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-.venv}
PY=$VENV/bin/python
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432}
LOAD_DB=${LOAD_DB:-naoberkaart_load}
LISTINGS=${LISTINGS:-100000}
VOLUNTEERS=${VOLUNTEERS:-20000}
USERS=${USERS:-200}
DURATION=${DURATION:-60}
SPAWN_RATE=${SPAWN_RATE:-50}
RUNS=${RUNS:-hello page list list-warm detail detail-warm mapdata mapdata-warm mix mix-burst}
OUT=${OUT:-bench/results/load.md}
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-4}
export GUNICORN_THREADS=${GUNICORN_THREADS:-1}
export PORT=${PORT:-8077}
export LOAD_THINK=${LOAD_THINK:-1-5}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/15}
HOST=http://127.0.0.1:$PORT
WORK=$(mktemp -d /tmp/naoberkaart-load.XXXXXX)
export LOAD_DATA=$WORK/data.json
GUNICORN_PID=""
# `env` runs the command in place, so $! is gunicorn's master itself.
PORTAL_ENV=(env "DATABASE_URL=$PG_URL/$LOAD_DB" TRUSTED_PROXIES=1 SECRET_KEY=load-test-only
    "GUNICORN_ACCESS_LOG=$WORK/access.log")

stop_server() {
    if [ -n "$GUNICORN_PID" ]; then
        kill -TERM "$GUNICORN_PID" 2>/dev/null || true
        wait "$GUNICORN_PID" 2>/dev/null || true
        GUNICORN_PID=""
    fi
}

cleanup() {
    stop_server
    if [ "${KEEP_DB:-0}" != 1 ]; then "$PY" scripts/pgdb.py drop "$PG_URL" "$LOAD_DB" || true; fi
}
trap cleanup EXIT

need_wrk() {  # Debian's wrk; installed when missing
    command -v wrk >/dev/null && return 0
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    $sudo apt-get install -y -qq wrk || { $sudo apt-get update -qq && $sudo apt-get install -y -qq wrk; }
}

wait_for() {  # URL: up to 30 s for the server to answer
    for _ in $(seq 60); do
        curl -sf -o /dev/null "$1" && return 0
        sleep 0.5
    done
    echo "server did not start; see $WORK" >&2
    exit 1
}

start_server() {  # NAME, command…
    local name=$1
    shift
    "$@" >"$WORK/$name-gunicorn.log" 2>&1 &
    GUNICORN_PID=$!
}

warm_up() {  # every worker loads templates and the gazetteer before the clock runs
    for route in list detail mapdata; do
        head -n 40 "$WORK/paths-$route.txt" | while read -r path; do
            curl -s -o /dev/null "$HOST$path" || true
        done
    done
}

wants() { [[ " $RUNS " == *" $1 "* ]]; }

wrk_run() {  # NAME: the paths in $WORK/paths-NAME.txt (NAME-warm: the same paths) at full speed
    wants "$1" || return 0
    local paths="$WORK/paths-${1%-warm}.txt" logged
    if [[ $1 == *-warm ]]; then warm_cache "$paths"; fi
    echo "== $1: wrk, $USERS connections, ${DURATION}s"
    logged=$(access_lines)
    wrk -t2 -c"$USERS" -d"${DURATION}s" --timeout 30s -s bench/load/paths.lua "$HOST" \
        -- "$paths" >"$WORK/$1-wrk.log" 2>&1 || true
    tail -n +"$((logged + 1))" "$WORK/access.log" >"$WORK/$1-access.log" 2>/dev/null || true
    tail -n 1 "$WORK/$1-wrk.log" | tee "$WORK/$1.json"
}

access_lines() { if [ -f "$WORK/access.log" ]; then wc -l <"$WORK/access.log"; else echo 0; fi; }

warm_cache() {  # PATHS_FILE: ask every distinct path once, 4 at a time (fills the page cache)
    echo "== warming the page cache: $(sort -u "$1" | wc -l) paths"
    sort -u "$1" | sed "s|^|$HOST|" | xargs -P 4 -n 100 curl -s >/dev/null || true
}

locust_mix() {  # NAME: mix (users arrive one by one) or mix-burst (in locust's bursts)
    wants "$1" || return 0
    local spread=1
    [ "$1" = mix ] || spread=0
    start_portal
    echo "== $1: locust, $USERS users, think time ${LOAD_THINK}s, ${DURATION}s, empty caches"
    local logged
    logged=$(access_lines)
    LOAD_ARRIVAL_SPREAD=$spread LOAD_REQUEST_LOG="$WORK/$1_requests.csv" "$VENV/bin/locust" \
        -f bench/load/locustfile.py --headless --host "$HOST" \
        -u "$USERS" -r "$SPAWN_RATE" -t "${DURATION}s" --stop-timeout 5 \
        --csv "$WORK/$1" --only-summary Visitor Member >"$WORK/$1-locust.log" 2>&1 || true
    tail -n +"$((logged + 1))" "$WORK/access.log" >"$WORK/$1-access.log" 2>/dev/null || true
    grep -E "Aggregated" "$WORK/$1_stats.csv" || true
    stop_server
}

seeded_listings() {  # how many listings LOAD_DB holds (0 when it does not exist)
    "$PY" - "$PG_URL/$LOAD_DB" <<'PY' 2>/dev/null || echo 0
import sys, psycopg
with psycopg.connect(sys.argv[1], connect_timeout=5) as conn:
    print(conn.execute("SELECT count(*) FROM listing").fetchone()[0])
PY
}

psql_run() {  # SQL outside a transaction (VACUUM)
    "$PY" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(sys.argv[2])' \
        "$PG_URL/$LOAD_DB" "$1"
}

seed() {
    if [ "${REUSE_DB:-0}" = 1 ] && [ "$(seeded_listings)" -ge "$LISTINGS" ]; then
        echo "== reusing the seeded $LOAD_DB"
        "${PORTAL_ENV[@]}" "$VENV/bin/flask" --app wsgi db upgrade >"$WORK/migrate.log" 2>&1
    else
        echo "== seeding $LISTINGS listings into $LOAD_DB"
        "$PY" scripts/pgdb.py create "$PG_URL" "$LOAD_DB"
        "${PORTAL_ENV[@]}" "$VENV/bin/flask" --app wsgi db upgrade >"$WORK/migrate.log" 2>&1
        time "${PORTAL_ENV[@]}" "$VENV/bin/flask" --app wsgi seed-synthetic \
            --listings "$LISTINGS" --volunteers "$VOLUNTEERS"
    fi
    "${PORTAL_ENV[@]}" "$PY" bench/load/prepare.py "$LOAD_DATA" 50
    # What autovacuum does minutes after a bulk load: the visibility map lets the read paths
    # answer from their covering indexes (index-only scans) instead of visiting the table.
    psql_run "VACUUM ANALYZE"
}

baselines() {
    start_server baseline "$VENV/bin/gunicorn" -c gunicorn.conf.py --pythonpath bench/load \
        baseline_app:app
    wait_for "$HOST/"
    wrk_run hello
    wrk_run page
    stop_server
}

start_portal() {  # a new portal with empty caches, every worker warmed up
    "$PY" -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"
    start_server portal "${PORTAL_ENV[@]}" "$VENV/bin/gunicorn" -c gunicorn.conf.py wsgi:app
    wait_for "$HOST/healthz"
    warm_up
}

capacity() {
    [[ " $RUNS " =~ " "(list|detail|mapdata) ]] || return 0
    start_portal
    for route in list detail mapdata; do
        wrk_run "$route"
        wrk_run "$route-warm"
    done
    stop_server
}

need_wrk
seed
baselines
capacity
locust_mix mix
locust_mix mix-burst
"$PY" bench/load/report.py "$WORK" "$OUT" "bench/load/run_load.sh  # USERS=$USERS DURATION=$DURATION \
LISTINGS=$LISTINGS WEB_CONCURRENCY=$WEB_CONCURRENCY GUNICORN_THREADS=$GUNICORN_THREADS LOAD_THINK=$LOAD_THINK"
echo "logs and CSV files: $WORK"
