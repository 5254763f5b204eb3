#!/usr/bin/env bash
# Fault tests on this machine: database outage, SMTP down, geocoder down, a worker killed.
#
#   bench/faults/run_faults.sh        # about 3 minutes; writes bench/results/faults.md
#
# Builds a fresh PostgreSQL database (LISTINGS synthetic listings and a few accounts), then runs
# bench/faults/faults.py against gunicorn on 127.0.0.1. The database scenario stops THIS machine's
# PostgreSQL cluster (PG_CLUSTER, default "15 main") once, for OUTAGE_SECONDS (default 6, at most
# 10): other programs using it see the same short outage. Needs root (or the postgres user) for
# pg_ctlcluster. SCENARIOS="database smtp geocoder worker" picks scenarios.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=${VENV:-.venv}
PY=$VENV/bin/python
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432}
FAULT_DB=${FAULT_DB:-naoberkaart_faults}
LISTINGS=${LISTINGS:-5000}
OUT=${OUT:-bench/results/faults.md}
export OUTAGE_SECONDS=${OUTAGE_SECONDS:-6}
if awk "BEGIN { exit !($OUTAGE_SECONDS > 10) }"; then
    echo "OUTAGE_SECONDS must be 10 or less: the cluster is shared" >&2
    exit 2
fi
export FAULT_WORK=$(mktemp -d /tmp/naoberkaart-faults.XXXXXX)
export DATABASE_URL=$PG_URL/$FAULT_DB
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/14}
export SECRET_KEY=fault-test-only

cleanup() {
    pg_ctlcluster --skip-systemctl-redirect ${PG_CLUSTER:-15 main} start 2>/dev/null || true
    "$PY" -c "import psycopg, sys; psycopg.connect(sys.argv[1] + '/postgres', autocommit=True).execute('DROP DATABASE IF EXISTS \"' + sys.argv[2] + '\" WITH (FORCE)')" "$PG_URL" "$FAULT_DB" || true
}
trap cleanup EXIT

"$PY" scripts/pgdb.py create "$PG_URL" "$FAULT_DB"
"$VENV/bin/flask" --app wsgi db upgrade >"$FAULT_WORK/migrate.log" 2>&1
"$VENV/bin/flask" --app wsgi seed-synthetic --listings "$LISTINGS" --volunteers 1000 | tail -n 1
"$PY" bench/load/prepare.py "$FAULT_WORK/data.json" 40
"$PY" -c "import os, redis; redis.Redis.from_url(os.environ['REDIS_URL']).flushdb()"
"$PY" bench/faults/faults.py "$FAULT_WORK/data.json" "$OUT"
echo "logs: $FAULT_WORK"
