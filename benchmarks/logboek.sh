#!/usr/bin/env bash
# The processing log's cost, side by side in one run: the same seeded work dir of run.sh
# served by this code twice, 2 workers each: with the log (logging on) and with
# LOGBOEK_UIT_ALLEEN_VOOR_METING=1 (logging off: no processing log, no audit trail; refused
# outside the development server), per scenario one right after the other; reads a-d and
# writes f, f2 at c=8, ROUNDS times. Then the log's size per request and per subject.
#   benchmarks/logboek.sh WORKDIR
# Env: SCENARIOS (a,b,c,d,f,f2), ROUNDS (4), DURATION (6), WARMUP (2), WORKERS (2), THREADS (2).
set -euo pipefail
WORK=${1:?seeded work dir of benchmarks/run.sh}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -f "$HARNESS/load.py" ] || HARNESS=$ROOT/benchmarks/harness
BENCHPY=$ROOT/.benchenv/bin/python
PY=$ROOT/.venv/bin/python
[ -x "$BENCHPY" ] || { echo "run benchmarks/run.sh first (it creates .benchenv)"; exit 1; }
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
export KLANTINTERACTIES_DEV=1 ACCESS_LOG=0 MAX_REQUESTS=0 EMBEDDED_PGDATA=$WORK/pgdata
(cd "$ROOT" && $PY manage.py migrate --noinput > /dev/null)
for port in 8331 8332; do
    if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
        echo "port $port is in use (a server of an earlier run?)"; exit 1
    fi
    # 8331 without the log, 8332 with it.
    uit=0
    [ $port = 8331 ] && uit=1
    (cd "$ROOT" && LOGBOEK_UIT_ALLEEN_VOOR_METING=$uit exec .venv/bin/gunicorn \
        klantinteracties.wsgi -c klantinteracties/gunicorn.conf.py --workers "${WORKERS:-2}" \
        --bind 127.0.0.1:$port > "$WORK/server-$port.log" 2>&1) &
    PIDS+=($!)
    for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
done
TOKEN=$(cat "$WORK/token")
$PY "$ROOT/benchmarks/prewarm.py" "$(cd "$ROOT" && $PY benchmarks/dsn.py)" > /dev/null
size() {
    (cd "$ROOT" && $PY -c "
import os, django
os.environ['DJANGO_SETTINGS_MODULE'] = 'klantinteracties.settings'
django.setup()
from django.db import connection
with connection.cursor() as c:
    c.execute(\"SELECT (SELECT count(*) FROM logboek_handeling), (SELECT count(*) FROM logboek_verwerking), pg_total_relation_size('logboek_handeling'), pg_total_relation_size('logboek_verwerking'), (SELECT count(*) FROM logboek_auditrecord), pg_total_relation_size('logboek_auditrecord')\")
    print(*c.fetchone())")
}
logged() { size | cut -d' ' -f1; }
read_once() {
    curl -s -o /dev/null -H "Authorization: Token $TOKEN" \
        "http://127.0.0.1:$1/klantinteracties/api/v1/partijen?pageSize=1"
}
n0=$(logged); read_once 8331; n1=$(logged); read_once 8332; n2=$(logged)
[ "$n1" = "$n0" ] || { echo "the 'off' server wrote the log: wrong setting"; exit 1; }
[ "$n2" -gt "$n1" ] || { echo "the 'on' server wrote no log"; exit 1; }
before=$(size)
cd "$HARNESS"
# Results of an earlier run in the same work dir would count as rounds of this one.
rm -f "$WORK"/logboek-uit-*.json "$WORK"/logboek-aan-*.json
for round in $(seq "${ROUNDS:-4}"); do
    # Per scenario off and on right after each other, so that the machine's drift over a
    # round weighs on both alike; which goes first alternates from round to round.
    order="uit aan"
    [ $((round % 2)) = 0 ] && order="aan uit"
    for scenario in $(echo "${SCENARIOS:-a,b,c,d,f,f2}" | tr , ' '); do
        for who in $order; do
            port=8331
            [ "$who" = aan ] && port=8332
            BASE_URL=http://127.0.0.1:$port/klantinteracties/api/v1 TOKEN=$TOKEN \
                "$BENCHPY" load.py --ids "$WORK/ids.json" --duration "${DURATION:-6}" \
                --warmup "${WARMUP:-2}" --pause 1 --scenarios "$scenario" \
                --concurrency "${CONCURRENCY:-8}" --label "logging $who" \
                --out "$WORK/logboek-$who-$round-$scenario.json" > /dev/null
        done
    done
done
after=$(size)
cd "$ROOT"
$PY benchmarks/logboek_table.py "$WORK" "$before" "$after" | tee "$WORK/logboek.md"
