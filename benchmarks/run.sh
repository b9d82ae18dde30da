#!/usr/bin/env bash
# Seed N klantcontacten into a separate embedded PostgreSQL, serve with gunicorn (2 workers),
# run the harness's load.py and floor.py, and sample the workers' RSS.
#   benchmarks/run.sh <klantcontacten> [workdir]
# Env: BENCH_HARNESS (default ../shared/bench, or benchmarks/harness), PORT (8311),
#      DURATION (10), WARMUP (2), SCENARIOS (a,b,c,d,e1,e2,f,f2), CONCURRENCY (1,8), WORKERS (2),
#      SHARED_BUFFERS (1GB, PostgreSQL's buffer cache of the benchmark cluster), PREWARM (1: load
#      the schema's tables and indexes into it with pg_prewarm before measuring).
# MEMORY=1: one worker, and instead of the load and floor runs benchmarks/memory.py sends
#      REQUESTS (20000) expand requests and samples the worker's RSS every 1,000.
# AUTORISATIE=1: instead, reads a-d at c=8 for the full-rights token and for a restricted
#      application (no klantcontacten.vertrouwelijk, identificatoren shielded), alternately
#      ROUNDS (3) times (AUTH_SCENARIOS: a,b,c,d), and their ratio (autorisatie_table.py).
set -euo pipefail
N=${1:?number of klantcontacten}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${2:-/tmp/klantinteracties-bench-$N}
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -f "$HARNESS/load.py" ] || HARNESS=$ROOT/benchmarks/harness
PORT=${PORT:-8311}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-2}
SCENARIOS=${SCENARIOS:-a,b,c,d,e1,e2,f,f2}
CONCURRENCY=${CONCURRENCY:-1,8}
MEMORY=${MEMORY:-0}
WORKERS=${WORKERS:-2}
[ "$MEMORY" = 1 ] && WORKERS=1
PY=$ROOT/.venv/bin/python
BENCHPY=$ROOT/.benchenv/bin/python
export KLANTINTERACTIES_DEV=1 EMBEDDED_PGDATA=$WORK/pgdata ACCESS_LOG=0 MAX_REQUESTS=0

if [ ! -x "$BENCHPY" ]; then
    python3 -m venv "$ROOT/.benchenv"
    "$ROOT/.benchenv/bin/pip" install --quiet -r "$HARNESS/requirements.txt"
fi
mkdir -p "$WORK"
cd "$ROOT"
$PY manage.py migrate --noinput >/dev/null
# The benchmark cluster gets a production-like buffer cache (default 128MB): the data of the
# larger sizes must not depend on the OS page cache of a shared machine. Applies from the
# next start of the embedded server.
$PY -c "
import os, django
os.environ['DJANGO_SETTINGS_MODULE'] = 'klantinteracties.settings'
django.setup()
from django.db import connection
connection.ensure_connection()
connection.connection.autocommit = True
with connection.cursor() as cursor:
    cursor.execute(\"ALTER SYSTEM SET shared_buffers = '${SHARED_BUFFERS:-1GB}'\")"
if [ ! -f "$WORK/ids.json" ]; then
    $PY benchmarks/generate.py --klantcontacten "$N" --out "$WORK/ids.json"
fi
[ -f "$WORK/token" ] || $PY manage.py createtoken bench | tail -1 > "$WORK/token"
DSN=$($PY benchmarks/dsn.py)

$ROOT/.venv/bin/gunicorn klantinteracties.wsgi -c klantinteracties/gunicorn.conf.py \
    --workers $WORKERS --bind 127.0.0.1:$PORT > "$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done

# A production server runs with a warm buffer cache; the benchmark cluster has just been
# restarted, and on the larger data sets the first minutes would measure the disk. Load every
# table and index of the schema into shared_buffers (as far as SHARED_BUFFERS holds them).
if [ "${PREWARM:-1}" = 1 ]; then
    $PY benchmarks/prewarm.py "$DSN"
fi

# RSS of the workers (children of the master), every second: "epoch pid rss_kb".
( while kill -0 $SERVER 2>/dev/null; do
    for pid in $(pgrep -P $SERVER); do echo "$(date +%s) $pid $(awk '/VmRSS/{print $2}' /proc/$pid/status)"; done
    sleep 1
  done ) > "$WORK/rss.log" 2>/dev/null &

export BASE_URL=http://127.0.0.1:$PORT/klantinteracties/api/v1 TOKEN=$(cat "$WORK/token")
if [ "$MEMORY" = 1 ]; then
    $BENCHPY "$ROOT/benchmarks/memory.py" --ids "$WORK/ids.json" --server-pid $SERVER \
        --requests "${REQUESTS:-20000}" --out "$WORK/memory.json" | tee "$WORK/memory.md"
    exit 0
fi
if ! command -v wrk >/dev/null; then
    # load.py then drives every scenario with its asyncio client, which shares the two cores
    # and costs about 0.8 ms of CPU per request itself: part of every latency measured.
    echo "warning: wrk is not installed (apt install wrk); the read scenarios run on" \
         "load.py's asyncio client, whose own cost is in every figure" >&2
fi
if [ "${AUTORISATIE:-0}" = 1 ]; then
    # Reads a-d at c=8 for the full-rights token and for an application without
    # klantcontacten.vertrouwelijk and with identificatoren shielded, alternately ROUNDS times
    # on this one server (docs/autorisatie.md; table by benchmarks/autorisatie_table.py).
    if [ ! -f "$WORK/token-beperkt" ]; then
        $PY manage.py createapplicatie bench-beperkt --scope partijen.lezen \
            --scope klantcontacten.lezen --scope taken.lezen --afgeschermd identificatoren \
            --token | sed -n 's/^token: //p' > "$WORK/token-beperkt"
    fi
    cd "$HARNESS"
    for round in $(seq "${ROUNDS:-3}"); do
        for who in volledig beperkt; do
            token=$TOKEN
            [ "$who" = beperkt ] && token=$(cat "$WORK/token-beperkt")
            TOKEN=$token $BENCHPY load.py --ids "$WORK/ids.json" --duration "$DURATION" \
                --warmup "$WARMUP" --pause 1 --scenarios "${AUTH_SCENARIOS:-a,b,c,d}" --concurrency 8 \
                --label "$N klantcontacten, $who" --out "$WORK/autorisatie-$who-$round.json" \
                > /dev/null
        done
    done
    cd "$ROOT"
    $PY benchmarks/autorisatie_table.py "$WORK" | tee "$WORK/autorisatie.md"
    exit 0
fi
cd "$HARNESS"
$BENCHPY load.py --ids "$WORK/ids.json" --duration "$DURATION" --warmup "$WARMUP" --pause 1 \
    --scenarios "$SCENARIOS" --concurrency "$CONCURRENCY" --label "$N klantcontacten" \
    --out "$WORK/load.json" | tee "$WORK/load.md"
$BENCHPY floor.py --dsn "$DSN" --queries "$ROOT/benchmarks/floor.sql" --ids "$WORK/ids.json" \
    --duration "$DURATION" --warmup "$WARMUP" --concurrency "$CONCURRENCY" \
    --label "$N klantcontacten" --out "$WORK/floor.json" | tee "$WORK/floor.md"
echo "worker RSS (MB): first / max / last per pid"
awk '{ if (!($2 in first)) first[$2]=$3; last[$2]=$3; if ($3>max[$2]) max[$2]=$3 }
     END { for (p in first) printf "  pid %s: %.0f / %.0f / %.0f\n", p, first[p]/1024, max[p]/1024, last[p]/1024 }' \
    "$WORK/rss.log" | tee "$WORK/rss.md"
