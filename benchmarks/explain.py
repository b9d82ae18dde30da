#!/usr/bin/env python
"""EXPLAIN (ANALYZE, BUFFERS) of every SQL statement the API issues for the read scenarios.

Sends one request per scenario in-process (Django test client, parameters from the ids
file), captures its statements and explains each one.  Prints markdown.

    KLANTINTERACTIES_DEV=1 EMBEDDED_PGDATA=/tmp/bench/pgdata \
        .venv/bin/python benchmarks/explain.py --ids ids.json > explain.md
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klantinteracties.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from klantinteracties.api.models import Token  # noqa: E402

BASE = "/klantinteracties/api/v1/"


def scenario_urls(ids: dict, deep_page: int) -> dict:
    persoon = next(p for p in ids["partijen"] if p["idType"] == "bsn" and p["kc"] > 0)
    frequent = max(ids["partijen"], key=lambda p: p["kc"])
    actor = max(ids["actoren"], key=lambda a: a["taken"])
    bsn = persoon["idValue"]
    return {
        "a partij_by_bsn": "partijen?partijIdentificator__codeObjecttype=natuurlijk_persoon"
        f"&partijIdentificator__codeSoortObjectId=bsn&partijIdentificator__objectId={bsn}"
        "&soortPartij=persoon&expand=digitaleAdressen",
        "b kc_of_partij (most frequent caller)": "klantcontacten?hadBetrokkene__wasPartij__uuid="
        f"{frequent['uuid']}&expand=hadBetrokkenen,gingOverOnderwerpobjecten",
        "c portal_history": "klantcontacten?pageSize=20"
        "&hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId=bsn"
        f"&hadBetrokkene__wasPartij__partijIdentificator__objectId={bsn}"
        "&expand=gingOverOnderwerpobjecten",
        "d taken_of_actor (busiest actor)": f"internetaken?toegewezenAanActor__uuid={actor['uuid']}",
        "e1 partijen_page1": "partijen",
        "e2 partijen_deep": f"partijen?page={deep_page}",
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ids", required=True)
    args = ap.parse_args()
    ids = json.loads(Path(args.ids).read_text())
    token, key = Token.objects.create_token("explain")
    try:
        client = Client(HTTP_AUTHORIZATION=f"Token {key}", HTTP_HOST="127.0.0.1")
        count = client.get(BASE + "partijen").json()["count"]
        deep_page = max(1, int(-(-count // 100) * 0.9))
        for name, url in scenario_urls(ids, deep_page).items():
            client.get(BASE + url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(BASE + url)
            print(
                f"### {name}\n\n`GET {url}` -> {response.status_code}, "
                f"{len(queries.captured_queries)} statements\n"
            )
            for query in queries.captured_queries:
                sql = query["sql"]
                if "api_token" in sql:
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                    plan = "\n".join(row[0] for row in cursor.fetchall())
                print(
                    "```\n"
                    + sql[:600]
                    + (" ..." if len(sql) > 600 else "")
                    + "\n\n"
                    + plan
                    + "\n```\n"
                )
    finally:
        token.delete()


if __name__ == "__main__":
    main()
