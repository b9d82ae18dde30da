#!/usr/bin/env bash
# Growth with size, measured under the same machine conditions: serve two seeded work dirs of
# run.sh at once (2 workers each) and run the same scenarios against them in turn, ROUNDS
# times, then print the p50 of each run and the median ratio per scenario.
#   benchmarks/alternate.sh SMALL_WORKDIR LARGE_WORKDIR
# Env: SCENARIOS (a,b,c,d), CONCURRENCY (1), ROUNDS (4), DURATION (8), WARMUP (3),
#      BENCH_HARNESS and PREWARM as in run.sh. Both work dirs must have been seeded by run.sh.
# On a shared machine the speed drifts by tens of percent within minutes; runs of the two
# sizes minutes apart compare the drift as much as the sizes.
set -euo pipefail
SMALL=${1:?small work dir}
LARGE=${2:?large work dir}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HARNESS=${BENCH_HARNESS:-$ROOT/../shared/bench}
[ -f "$HARNESS/load.py" ] || HARNESS=$ROOT/benchmarks/harness
BENCHPY=$ROOT/.benchenv/bin/python
[ -x "$BENCHPY" ] || { echo "run benchmarks/run.sh first (it creates .benchenv)"; exit 1; }
OUT=$(mktemp -d)
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true; rm -rf "$OUT"' EXIT
export KLANTINTERACTIES_DEV=1 ACCESS_LOG=0 MAX_REQUESTS=0
port=8321
for dir in "$SMALL" "$LARGE"; do
    EMBEDDED_PGDATA=$dir/pgdata "$ROOT/.venv/bin/gunicorn" klantinteracties.wsgi \
        -c "$ROOT/klantinteracties/gunicorn.conf.py" --workers 2 --bind 127.0.0.1:$port \
        > "$OUT/server-$port.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 60); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.5; done
    # As in run.sh: a cluster just started would measure the disk at first.
    if [ "${PREWARM:-1}" = 1 ]; then
        EMBEDDED_PGDATA=$dir/pgdata "$ROOT/.venv/bin/python" "$ROOT/benchmarks/prewarm.py" \
            "$(EMBEDDED_PGDATA=$dir/pgdata "$ROOT/.venv/bin/python" "$ROOT/benchmarks/dsn.py")"
    fi
    port=$((port + 1))
done
cd "$HARNESS"
for round in $(seq "${ROUNDS:-4}"); do
    port=8321
    for dir in "$SMALL" "$LARGE"; do
        BASE_URL=http://127.0.0.1:$port/klantinteracties/api/v1 TOKEN=$(cat "$dir/token") \
            "$BENCHPY" load.py --ids "$dir/ids.json" --duration "${DURATION:-8}" \
            --warmup "${WARMUP:-3}" --pause 0 --scenarios "${SCENARIOS:-a,b,c,d}" \
            --concurrency "${CONCURRENCY:-1}" --out "$OUT/$round-$port.json" > /dev/null 2>&1
        port=$((port + 1))
    done
done
"$BENCHPY" - "$OUT" "${ROUNDS:-4}" "$SMALL" "$LARGE" <<'PY'
import json, statistics, sys
out, rounds, small, large = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
def p50s(round_, port):
    runs = json.load(open(f"{out}/{round_}-{port}.json"))["runs"]
    return {(r["scenario"], r["concurrency"]): r["p50_ms"] for r in runs}
rows = [(p50s(r, 8321), p50s(r, 8322)) for r in range(1, rounds + 1)]
print(f"p50 ms per round, {small} / {large}; ratio = large / small")
print("| scenario | c | " + " | ".join(f"round {r}" for r in range(1, rounds + 1)) + " | median ratio |")
print("|---|---|" + "---|" * rounds + "---|")
for key in sorted(rows[0][0]):
    cells = [f"{a[key]:.2f} / {b[key]:.2f}" for a, b in rows]
    ratio = statistics.median(b[key] / a[key] for a, b in rows)
    print(f"| {key[0]} | {key[1]} | " + " | ".join(cells) + f" | {ratio:.2f}x |")
PY
