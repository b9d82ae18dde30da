#!/usr/bin/env bash
# What the outbox costs writes, and how soon an event arrives, in one run on a seeded work
# dir of run.sh (one server, 2 workers):
# 1. writes f and f2 at c=8, ROUNDS times, in turn with the outbox off (no destination:
#    nothing is written), written (a webhook destination for every type: the events are
#    written with each change, no worker runs) and on (the same, with the delivery worker
#    running beside the server and a receiver taking every event);
# 2. commit-to-delivery latency: RATE writes/s (POST klantcontact) for LATENCY_SECONDS with the
#    worker running; p50 and p99 from each event's aanmaakdatum to its receipt.
#   benchmarks/gebeurtenissen.sh WORKDIR
# Env: ROUNDS (2), DURATION (8), WARMUP (2), RATE (100), LATENCY_SECONDS (20), PORT (8331).
set -euo pipefail
WORK=${1:?seeded work dir of benchmarks/run.sh}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -f "$HARNESS/load.py" ] || HARNESS=$ROOT/benchmarks/harness
BENCHPY=$ROOT/.benchenv/bin/python
PY=$ROOT/.venv/bin/python
[ -x "$BENCHPY" ] || { echo "run benchmarks/run.sh first (it creates .benchenv)"; exit 1; }
PORT=${PORT:-8331}
RECEIVER_PORT=$((PORT + 100))
export KLANTINTERACTIES_DEV=1 ACCESS_LOG=0 MAX_REQUESTS=0 EMBEDDED_PGDATA=$WORK/pgdata
for port in $PORT $RECEIVER_PORT; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "port $port is in use (a server of an earlier run?)"; exit 1
    fi
done
cd "$ROOT"
$PY manage.py migrate --noinput > /dev/null
PIDS=()
WORKER=""
trap 'kill "${PIDS[@]}" $WORKER 2>/dev/null || true' EXIT
$ROOT/.venv/bin/gunicorn klantinteracties.wsgi -c klantinteracties/gunicorn.conf.py \
    --workers 2 --bind 127.0.0.1:$PORT > "$WORK/server-events.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done
RECEIVED=$WORK/events-received.log
: > "$RECEIVED"
$PY benchmarks/gebeurtenissen.py ontvanger --port $RECEIVER_PORT --out "$RECEIVED" &
PIDS+=($!)
$PY benchmarks/prewarm.py "$($PY benchmarks/dsn.py)" > /dev/null
HOOK=http://127.0.0.1:$RECEIVER_PORT/
TOKEN=$(cat "$WORK/token")
BASE=http://127.0.0.1:$PORT/klantinteracties/api/v1
start_worker() { $PY manage.py afleveren > "$WORK/worker.log" 2>&1 & WORKER=$!; }
worker_cpu() { awk '{print ($14 + $15) / 100}' "/proc/$WORKER/stat"; }
# What the worker cost while the writes were measured: its CPU seconds (user + system) and
# the deliveries received.
CPU_AT=0
RECEIVED_AT=0
stop_worker() {
    [ -n "$WORKER" ] || return 0
    sleep 2
    echo "worker: $(awk "BEGIN {print $(worker_cpu) - $CPU_AT}") s CPU for" \
        "$(($(wc -l < "$RECEIVED") - RECEIVED_AT)) deliveries"
    kill "$WORKER" && wait "$WORKER" 2>/dev/null || true
    WORKER=""
}

for round in $(seq "${ROUNDS:-2}"); do
    for state in uit geschreven aan; do
        if [ "$state" = uit ]; then
            $PY benchmarks/gebeurtenissen.py bestemming --url "$HOOK" --uit
        else
            $PY benchmarks/gebeurtenissen.py bestemming --url "$HOOK" --aan
        fi
        # The worker first sends what the state before wrote, so that it sends only what
        # the measured writes announce.
        if [ "$state" = aan ]; then
            start_worker
            $PY benchmarks/gebeurtenissen.py wachten
            CPU_AT=$(worker_cpu)
            RECEIVED_AT=$(wc -l < "$RECEIVED")
        fi
        (cd "$HARNESS" && BASE_URL=$BASE TOKEN=$TOKEN "$BENCHPY" load.py --ids "$WORK/ids.json" \
            --duration "${DURATION:-8}" --warmup "${WARMUP:-2}" --pause 1 --scenarios f,f2 \
            --concurrency 8 --label "outbox $state" --out "$WORK/events-$state-$round.json" \
            | grep -E '^\| f' | sed "s/^/$state $round /")
        stop_worker
    done
done

# Latency: the worker beside the server (after it has sent what the rounds left), paced writes.
$PY benchmarks/gebeurtenissen.py bestemming --url "$HOOK" --aan
start_worker
$PY benchmarks/gebeurtenissen.py wachten
CPU_AT=$(worker_cpu)
RECEIVED_AT=$(wc -l < "$RECEIVED")
since=$(date +%s.%N)
$PY benchmarks/gebeurtenissen.py schrijven --base-url "$BASE" --token "$TOKEN" --rate "${RATE:-100}" --duration "${LATENCY_SECONDS:-20}"
sleep 5
stop_worker
$PY benchmarks/gebeurtenissen.py latentie "$RECEIVED" --na "$since"
$PY benchmarks/gebeurtenissen.py bestemming --url "$HOOK" --uit
