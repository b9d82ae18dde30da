#!/usr/bin/env python
"""GET /verwerkingen at scale: seed processing-log records, then time a privacy officer's
queries (by partij and by BSN) over HTTP.

    KLANTINTERACTIES_DEV=1 EMBEDDED_PGDATA=$WORK/pgdata .venv/bin/python \
        benchmarks/verwerkingen.py seed --records 20000000 --ids $WORK/ids.json
    .venv/bin/python benchmarks/verwerkingen.py measure --base http://127.0.0.1:8311 \
        --token $(cat $WORK/token) --ids $WORK/ids.json

`seed` writes handelingen of ten subjects each (partijen of the seeded register, drawn
uniformly, with their real keyed BSN/KVK hash), a second apart, ending now, straight into
the tables (INSERT ... SELECT, in batches): what the log holds after months of KCC work.
`measure` asks for the newest page of random partijen from the ids file, sequentially, and
prints p50/p90/p99.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SUBJECTS_PER_HANDELING = 10
BATCH = 100_000  # handelingen per transaction


def seed(records: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantinteracties.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from logboek.subjecten import hmac_pads

    handelingen = records // SUBJECTS_PER_HANDELING
    with connection.cursor() as cursor:
        # Every partij with its number's keyed hash, numbered for uniform drawing.
        cursor.execute("DROP TABLE IF EXISTS bench_subject")
        cursor.execute(
            "CREATE UNLOGGED TABLE bench_subject AS SELECT row_number() OVER () AS n, p.uuid,"
            " coalesce(i.code_soort_object_id, '') AS soort, sha256(%(opad)s::bytea ||"
            " sha256(%(ipad)s::bytea || convert_to(i.code_soort_object_id || ':' ||"
            " i.object_id, 'UTF8'))) AS hash FROM partijen_partij p LEFT JOIN"
            " partijen_partijidentificator i ON i.partij_id = p.id AND"
            " i.sub_identificator_van_id IS NULL",
            hmac_pads(),
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_subject (n)")
        cursor.execute("SELECT count(*) FROM bench_subject")
        (subjects,) = cursor.fetchone()
    print(f"{subjects} subjects; {handelingen} handelingen of {SUBJECTS_PER_HANDELING}", flush=True)
    started = time.monotonic()
    for offset in range(0, handelingen, BATCH):
        count = min(BATCH, handelingen - offset)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "WITH h AS (INSERT INTO logboek_handeling (trace_id, span_id, parent_span_id,"
                " naam, bewerking, start, einde, status, bron, component, applicatie_id,"
                " applicatie_weergave, gebruikers_id, gebruikers_weergave,"
                " verwerkingsactiviteit) SELECT md5(g::text), left(md5(g::text), 16), '',"
                " 'klantcontacten.list', 'lezen', now() - make_interval(secs => %(total)s - g),"
                " now() - make_interval(secs => %(total)s - g), 200, 'klantinteracties',"
                " 'bench', NULL, 'KISS', 'kcc' || (g %% 300), '', 'https://gemeente.example/va/kcc'"
                " FROM generate_series(%(first)s, %(last)s) g RETURNING id)"
                " INSERT INTO logboek_verwerking (handeling_id, subject_soort, subject_uuid,"
                " identificator_soort, identificator_hash) SELECT h.id, 'partij', s.uuid,"
                " s.soort, s.hash FROM h CROSS JOIN generate_series(1, %(per)s) k"
                " JOIN bench_subject s ON s.n = 1 + ((hashtext(h.id::text || ':' || k)::bigint"
                " & 2147483647) %% %(subjects)s) ORDER BY h.id",
                {
                    "total": handelingen,
                    "first": offset,
                    "last": offset + count - 1,
                    "per": SUBJECTS_PER_HANDELING,
                    "subjects": subjects,
                },
            )
        done = offset + count
        rate = done * SUBJECTS_PER_HANDELING / (time.monotonic() - started)
        print(f"  {done * SUBJECTS_PER_HANDELING:>11,} records, {rate:,.0f}/s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_subject")
        cursor.execute("VACUUM ANALYZE logboek_handeling")
        cursor.execute("VACUUM ANALYZE logboek_verwerking")
        cursor.execute(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('logboek_verwerking')),"
            " pg_size_pretty(pg_total_relation_size('logboek_handeling')) FROM logboek_verwerking"
        )
        print("records, size of records, size of handelingen:", cursor.fetchone())


def measure(base: str, token: str, ids: str, requests: int, seed: int = 20261207) -> None:
    partijen = json.loads(Path(ids).read_text())["partijen"]
    rng = random.Random(seed)
    url = f"{base}/klantinteracties/api/v1/verwerkingen"
    for label, params in (
        ("partij=<uuid>", lambda p: f"partij={p['uuid']}"),
        ("bsn=<bsn>", lambda p: f"bsn={p['idValue']}" if p["idType"] == "bsn" else None),
    ):
        times, counts = [], []
        while len(times) < requests:
            query = params(rng.choice(partijen))
            if query is None:
                continue
            request = urllib.request.Request(
                f"{url}?{query}", headers={"Authorization": f"Token {token}"}
            )
            start = time.perf_counter()
            with urllib.request.urlopen(request) as response:
                body = json.loads(response.read())
            times.append((time.perf_counter() - start) * 1000)
            counts.append(body["count"])
        times.sort()
        p50, p90, p99 = (times[min(len(times) - 1, int(q * len(times)))] for q in (0.5, 0.9, 0.99))
        print(
            f"GET /verwerkingen?{label}: {requests} requests, records per subject "
            f"median {statistics.median(counts):.0f}; p50 {p50:.1f} ms, "
            f"p90 {p90:.1f} ms, p99 {p99:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("seed")
    s.add_argument("--records", type=int, default=20_000_000)
    m = sub.add_parser("measure")
    m.add_argument("--base", default="http://127.0.0.1:8311")
    m.add_argument("--token", required=True)
    m.add_argument("--ids", required=True)
    m.add_argument("--requests", type=int, default=500)
    m.add_argument("--seed", type=int, default=20261207, help="Another seed: other partijen.")
    args = parser.parse_args()
    if args.command == "seed":
        seed(args.records)
    else:
        measure(args.base, args.token, args.ids, args.requests, args.seed)


if __name__ == "__main__":
    main()
