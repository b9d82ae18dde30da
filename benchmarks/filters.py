#!/usr/bin/env python3
"""p50 of list requests whose filters select few or no rows by a value a generic plan cannot
know (a soort, a code, a kanaal), next to the selective ones of the load scenarios.

    benchmarks/filters.py WORKDIR [--base-url URL] [--requests N]

WORKDIR is a work dir seeded by run.sh (its ids.json and token), served at --base-url (as
run.sh serves it: `.../klantinteracties/api/v1`). Each request runs N times over one
keep-alive connection; the p50 leaves out the first five (PostgreSQL makes its first plans
of a prepared statement then). Prints a Markdown table.
"""

import argparse
import http.client
import json
import statistics
import time
import urllib.parse
from pathlib import Path


def requests(ids: dict) -> list[tuple[str, str, dict]]:
    partij = ids["partijen"][0]
    actor = ids["actoren"][0]["uuid"]
    history = "hadBetrokkene__wasPartij__partijIdentificator__"
    return [
        ("partij by BSN (a)", "partijen", {"partijIdentificator__objectId": partij["idValue"]}),
        (
            "klantcontacten of a partij (b)",
            "klantcontacten",
            {"hadBetrokkene__wasPartij__uuid": partij["uuid"]},
        ),
        (
            "history by BSN (c)",
            "klantcontacten",
            {f"{history}codeSoortObjectId": "bsn", f"{history}objectId": partij["idValue"]},
        ),
        ("taken of an actor (d)", "internetaken", {"toegewezenAanActor__uuid": actor}),
        (
            "klantcontacten of RSIN holders (none)",
            "klantcontacten",
            {f"{history}codeSoortObjectId": "rsin"},
        ),
        (
            "klantcontacten, register xyz (none)",
            "klantcontacten",
            {f"{history}codeRegister": "xyz"},
        ),
        ("klantcontacten, kanaal post (none)", "klantcontacten", {"kanaal": "post"}),
        (
            "klantcontacten, onderwerpobject of type x (none)",
            "klantcontacten",
            {"onderwerpobject__onderwerpobjectidentificatorCodeObjecttype": "x"},
        ),
        (
            "betrokkenen, register xyz (none)",
            "betrokkenen",
            {"wasPartij__partijIdentificator__codeRegister": "xyz"},
        ),
        (
            "digitale adressen of contactpersonen (none)",
            "digitaleadressen",
            {"verstrektDoorPartij__soortPartij": "contactpersoon"},
        ),
        ("partijen, soort contactpersoon (none)", "partijen", {"soortPartij": "contactpersoon"}),
        (
            "partijen, vestiging under an RSIN (none)",
            "partijen",
            {"subIdentificatorVan__codeSoortObjectId": "rsin"},
        ),
        ("partijen, RSIN (none)", "partijen", {"partijIdentificator__codeSoortObjectId": "rsin"}),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--base-url", default="http://127.0.0.1:8321/klantinteracties/api/v1")
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    ids = json.loads((args.workdir / "ids.json").read_text())
    token = (args.workdir / "token").read_text().strip()
    base = urllib.parse.urlsplit(args.base_url)
    connection = http.client.HTTPConnection(base.hostname, base.port)
    print("| request | p50 ms | count |")
    print("|---|---|---|")
    for label, path, params in requests(ids):
        url = f"{base.path}/{path}?{urllib.parse.urlencode(params)}"
        times = []
        for _ in range(args.requests):
            start = time.perf_counter()
            connection.request("GET", url, headers={"Authorization": f"Token {token}"})
            response = connection.getresponse()
            body = response.read()
            times.append((time.perf_counter() - start) * 1000)
            if response.status != 200:
                raise SystemExit(f"{url}: {response.status} {body[:200]!r}")
        count = json.loads(body)["count"]
        print(f"| {label} | {statistics.median(times[5:]):.1f} | {count} |")


if __name__ == "__main__":
    main()
