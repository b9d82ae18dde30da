#!/usr/bin/env bash
# What the retention job of klantcontacten (manage.py bewaartermijnen, docs/regie.md) costs,
# on a seeded work dir of run.sh (it destroys data: use a copy):
# 1. reads a-d at c=8 without the job (the baseline);
# 2. the job, with a term that expires the klantcontacten before CUTOFF (default: the oldest
#    tenth of the data set), and the same reads while it runs; the job's time and summary.
#   benchmarks/bewaartermijnen.sh WORKDIR
# Env: DURATION (10), WARMUP (2), BATCH (5000), PAUZE (0), CUTOFF (percentile, 0.1), PORT (8332).
set -euo pipefail
WORK=${1:?seeded work dir of benchmarks/run.sh (a copy: the job destroys data)}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -f "$HARNESS/load.py" ] || HARNESS=$ROOT/benchmarks/harness
BENCHPY=$ROOT/.benchenv/bin/python
PY=$ROOT/.venv/bin/python
[ -x "$BENCHPY" ] || { echo "run benchmarks/run.sh first (it creates .benchenv)"; exit 1; }
PORT=${PORT:-8332}
export KLANTINTERACTIES_DEV=1 ACCESS_LOG=0 MAX_REQUESTS=0 EMBEDDED_PGDATA=$WORK/pgdata
cd "$ROOT"
$PY manage.py migrate --noinput > /dev/null
$ROOT/.venv/bin/gunicorn klantinteracties.wsgi -c klantinteracties/gunicorn.conf.py \
    --workers 2 --bind 127.0.0.1:$PORT > "$WORK/server-retention.log" 2>&1 &
SERVER=$!
JOB=""
trap 'kill $SERVER $JOB 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done
$PY benchmarks/prewarm.py "$($PY benchmarks/dsn.py)" > /dev/null
TOKEN=$(cat "$WORK/token")
BASE=http://127.0.0.1:$PORT/klantinteracties/api/v1
reads() {
    (cd "$HARNESS" && BASE_URL=$BASE TOKEN=$TOKEN "$BENCHPY" load.py --ids "$WORK/ids.json" \
        --duration "${DURATION:-10}" --warmup "${WARMUP:-2}" --pause 1 --scenarios a,b,c,d \
        --concurrency 8 --label "$1" --out "$WORK/retention-$1.json" \
        | grep -E '^\| [a-d] ' | sed "s/^/$1 /")
}
DAYS=$($PY manage.py shell -c "
from django.db import connection
from django.utils import timezone
with connection.cursor() as c:
    c.execute('SELECT percentile_disc(%s) WITHIN GROUP (ORDER BY plaatsgevonden_op)'
              ' FROM klantcontacten_klantcontact', [${CUTOFF:-0.1}])
    print((timezone.now() - c.fetchone()[0]).days)" 2>/dev/null | tail -1)
echo "term: $DAYS days"
$PY manage.py shell -c "
from klantcontacten.models import Klantcontact
print('klantcontacten before:', Klantcontact.objects.count())" 2>/dev/null | tail -1

reads zonder

start=$(date +%s.%N)
BEWAARTERMIJN_KLANTCONTACTEN_DAGEN=$DAYS $PY manage.py bewaartermijnen --alleen klantcontacten \
    --batch "${BATCH:-5000}" --pauze "${PAUZE:-0}" > "$WORK/retention-job.log" 2>&1 &
JOB=$!
reads tijdens
wait $JOB
JOB=""
echo "job: $(awk "BEGIN {printf \"%.1f\", $(date +%s.%N) - $start}") s wall: $(cat "$WORK/retention-job.log")"
$PY manage.py shell -c "
from klantcontacten.models import Klantcontact
print('klantcontacten after:', Klantcontact.objects.count())" 2>/dev/null | tail -1
