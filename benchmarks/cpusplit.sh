#!/usr/bin/env bash
# Where a scenario's CPU goes: serve a work dir seeded by run.sh (2 workers, as run.sh), run
# one scenario at one concurrency ROUNDS times, each against a server started anew, and print
# per run the rate and the CPU time per request (per pair for f2) of the gunicorn workers, of
# all PostgreSQL processes and of the load client, read from /proc over the measured run and
# its warm-up, and the rate at which that CPU time would keep the machine's cores busy.
#   benchmarks/cpusplit.sh WORKDIR
# Env: SCENARIO (f2), CONCURRENCY (8), ROUNDS (3), DURATION (8), WARMUP (1), PORT (8331),
#      BENCH_HARNESS as in run.sh. Extra gunicorn options in GUNICORN_ARGS. APP: the WSGI
#      application served (klantinteracties.wsgi; benchmarks.nullapp:application for the
#      cost of gunicorn alone).
set -euo pipefail
WORK=${1:?work dir seeded by run.sh}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -f "$HARNESS/load.py" ] || HARNESS=$ROOT/benchmarks/harness
BENCHPY=$ROOT/.benchenv/bin/python
[ -x "$BENCHPY" ] || { echo "run benchmarks/run.sh first (it creates .benchenv)"; exit 1; }
PORT=${PORT:-8331}
export KLANTINTERACTIES_DEV=1 EMBEDDED_PGDATA=$WORK/pgdata ACCESS_LOG=0 MAX_REQUESTS=0
OUT=$(mktemp -d)
SERVER=
trap '[ -n "$SERVER" ] && kill $SERVER 2>/dev/null; rm -rf "$OUT"' EXIT

# Clock ticks of user and system time, summed over the given pids.
ticks() { for p in "$@"; do awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null; done |
          awk '{s += $1} END {print s + 0}'; }
# "pid ticks" of the work dir's PostgreSQL: the postmaster and its children (backends start
# when a worker first connects). Other clusters on the machine do not count.
# None when nothing started it (APP=benchmarks.nullapp:application).
pg_ticks() { [ -f "$WORK/pgdata/postmaster.pid" ] || return 0
             local postmaster; postmaster=$(head -1 "$WORK/pgdata/postmaster.pid")
             for p in $postmaster $(pgrep -P "$postmaster"); do
                 awk -v p="$p" '{print p, $14 + $15}' "/proc/$p/stat" 2>/dev/null; done; }

echo "| run | ${SCENARIO:-f2} c=${CONCURRENCY:-8} per s | workers | PostgreSQL | client | sum | at $(nproc) busy cores |"
echo "|---|---|---|---|---|---|---|"
for round in $(seq "${ROUNDS:-3}"); do
    cd "$ROOT"
    # shellcheck disable=SC2086
    .venv/bin/gunicorn ${APP:-klantinteracties.wsgi} -c klantinteracties/gunicorn.conf.py --workers 2 \
        --bind 127.0.0.1:$PORT ${GUNICORN_ARGS:-} > "$OUT/server.log" 2>&1 &
    SERVER=$!
    for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.5; done
    sleep 1
    mapfile -t workers < <(pgrep -P $SERVER)
    w0=$(ticks "${workers[@]}")
    pg_ticks > "$OUT/pg0"
    cd "$HARNESS"
    # The client's CPU during the runs: its rusage, read by a wrapper, minus that of a run of
    # the same command with no duration (start-up, the API counts and probes).
    BASE_URL=http://127.0.0.1:$PORT/klantinteracties/api/v1 TOKEN=$(cat "$WORK/token") \
        "$BENCHPY" - "$BENCHPY" load.py --ids "$WORK/ids.json" --duration "${DURATION:-8}" \
        --warmup "${WARMUP:-1}" --pause 0 --scenarios "${SCENARIO:-f2}" \
        --concurrency "${CONCURRENCY:-8}" --out "$OUT/load.json" > "$OUT/client" 2>/dev/null <<'PY'
import resource, subprocess, sys
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
command = sys.argv[1:]
empty = list(command)
for option in ("--duration", "--warmup"):
    empty[empty.index(option) + 1] = "0"
subprocess.run(empty, check=True, stdout=subprocess.DEVNULL)
start_up = cpu()
subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
print(cpu() - 2 * start_up)
PY
    w1=$(ticks "${workers[@]}")
    pg_ticks > "$OUT/pg1"
    # Processes started during the run count from zero.
    pg=$(awk 'NR == FNR {before[$1] = $2; next} {s += $2 - before[$1]} END {print s + 0}' \
         "$OUT/pg0" "$OUT/pg1")
    kill $SERVER; wait $SERVER 2>/dev/null || true
    SERVER=
    "$BENCHPY" - "$OUT/load.json" "$(cat "$OUT/client")" "$((w1 - w0))" "$pg" \
        "$(getconf CLK_TCK)" "${WARMUP:-1}" "$round" <<'PY'
import json, os, sys
load, client_s, worker_ticks, pg_ticks, hz, warmup, round_ = sys.argv[1:]
run = json.load(open(load))["runs"][-1]
# The warm-up ran at about the measured rate: count its requests in.
units = run["rps"] * (run["seconds"] + float(warmup))
parts = [int(worker_ticks) / int(hz), int(pg_ticks) / int(hz), float(client_s)]
ms = [1000 * p / units for p in parts]
cores = os.cpu_count()
print(f"| {round_} | {run['rps']} | {ms[0]:.1f} ms | {ms[1]:.1f} ms | {ms[2]:.1f} ms | "
      f"{sum(ms):.1f} ms | {1000 * cores / sum(ms):.0f} per s |")
PY
done
