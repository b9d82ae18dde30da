#!/usr/bin/env python3
"""p50 of list requests whose filters select few or no rows by a value a generic plan cannot
know (a soort, a code, a kanaal), next to the selective ones of the load scenarios, and of
the lookups by what a caller gives (a referentienummer, part of a digitaal adres).
With `--set lijsten`: the orders, batch lookups, threads and work list expansions of
docs/lijsten.md instead.

    benchmarks/filters.py WORKDIR [--base-url URL] [--requests N] [--set filters|lijsten]

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
    first = ids["start_index"]
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
        # What a caller gives: a referentienummer, an e-mail address, a telephone number (as
        # KISS searches, with the soort of both; generate.py's first partij's adressen).
        ("klantcontacten by referentienummer (none)", "klantcontacten", {"referentienummer": "R0"}),
        ("interne taken by referentienummer (none)", "internetaken", {"referentienummer": "T0"}),
        (
            "betrokkenen by referentienummer (none)",
            "betrokkenen",
            {"hadKlantcontact__referentienummer": "R0"},
        ),
        (
            "persoon by e-mail address",
            "digitaleadressen",
            kiss("email", f"klant{first}@example.nl"),
        ),
        (
            "persoon by telephone number",
            "digitaleadressen",
            kiss("telefoonnummer", f"06{10_000_000 + first:08d}"),
        ),
        (
            "adres by part of it (none)",
            "digitaleadressen",
            {"adres__icontains": "nobody@nowhere.nl"},
        ),
        (
            "klantcontacten by a betrokkene's adres (none)",
            "klantcontacten",
            {"hadBetrokkene__digitaaladres__adres__icontains": "0699999999"},
        ),
        ("adres by a common part", "digitaleadressen", {"adres__icontains": "example.nl"}),
        (
            "telefoonnummer by a common part of e-mail addresses (none)",
            "digitaleadressen",
            {"soortDigitaalAdres": "telefoonnummer", "adres__icontains": "example.nl"},
        ),
        ("adres by two characters", "digitaleadressen", {"adres__icontains": "06"}),
        ("adres by two characters (none)", "digitaleadressen", {"adres__icontains": "ab"}),
    ]


def lijsten(ids: dict) -> list[tuple[str, str, dict]]:
    """docs/lijsten.md: what a KCC and a portal ask with the additions."""
    # The partij and the actor with the most klantcontacten and taken of the sample.
    partij = max(ids["partijen"], key=lambda p: p.get("kc", 0))
    actor = max(ids["actoren"], key=lambda a: a.get("taken", 0))["uuid"]
    of_partij = {"hadBetrokkene__wasPartij__uuid": partij["uuid"]}
    of_actor = {"toegewezenAanActor__uuid": actor}
    history = "hadBetrokkene__wasPartij__partijIdentificator__"
    werklijst = "toegewezenAanActoren,aanleidinggevendKlantcontact.hadBetrokkenen"
    return [
        ("history of a partij, default order (b)", "klantcontacten", of_partij),
        (
            "history of a partij, -plaatsgevondenOp",
            "klantcontacten",
            {**of_partij, "ordering": "-plaatsgevondenOp"},
        ),
        (
            "history of a partij, plaatsgevondenOp",
            "klantcontacten",
            {**of_partij, "ordering": "plaatsgevondenOp"},
        ),
        (
            "history by BSN (or KvK-nummer), plaatsgevondenOp, expand",
            "klantcontacten",
            {
                f"{history}codeSoortObjectId": partij["idType"],
                f"{history}objectId": partij["idValue"],
                "ordering": "plaatsgevondenOp",
                "expand": "hadBetrokkenen",
            },
        ),
        ("all klantcontacten, default order", "klantcontacten", {}),
        (
            "all klantcontacten, plaatsgevondenOp",
            "klantcontacten",
            {"ordering": "plaatsgevondenOp"},
        ),
        ("all klantcontacten, -nummer", "klantcontacten", {"ordering": "-nummer"}),
        ("work list, default order (d)", "internetaken", of_actor),
        ("work list, toegewezenOp", "internetaken", {**of_actor, "ordering": "toegewezenOp"}),
        (
            "work list te_verwerken, toegewezenOp",
            "internetaken",
            {**of_actor, "status": "te_verwerken", "ordering": "toegewezenOp"},
        ),
        ("work list, expand", "internetaken", {**of_actor, "expand": werklijst}),
        (
            "work list, -afgehandeldOp (sorted)",
            "internetaken",
            {**of_actor, "ordering": "-afgehandeldOp"},
        ),
        (
            "100 klantcontacten by uuid__in",
            "klantcontacten",
            {"uuid__in": ",".join(ids["klantcontacten"][:100])},
        ),
        (
            "50 actoren by uuid__in",
            "actoren",
            {"uuid__in": ",".join(a["uuid"] for a in ids["actoren"])},
        ),
        (
            "replies to a klantcontact",
            "klantcontacten",
            {"onderwerpobject__wasKlantcontact__uuid": ids["klantcontacten"][0]},
        ),
        (
            "a klantcontact with its replies",
            "klantcontacten",
            {"uuid__in": ids["klantcontacten"][0], "expand": "vervolgKlantcontacten"},
        ),
    ]


SETS = {"filters": requests, "lijsten": lijsten}


def kiss(soort: str, adres: str) -> dict:
    return {
        "verstrektDoorPartij__soortPartij": "persoon",
        "soortDigitaalAdres": soort,
        "adres__icontains": adres,
    }


def timed(connection, url: str, token: str, n: int) -> tuple[list[float], dict]:
    """The milliseconds of n GETs of url over one keep-alive connection, without the first
    five (PostgreSQL makes its first plans of a prepared statement then), and the last body."""
    times = []
    for _ in range(n):
        start = time.perf_counter()
        connection.request("GET", url, headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        body = response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            raise SystemExit(f"{url}: {response.status} {body[:300]!r}")
    return (times[5:] if n > 10 else times), json.loads(body)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path)
    parser.add_argument("--base-url", default="http://127.0.0.1:8321/klantinteracties/api/v1")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--set", choices=sorted(SETS), default="filters")
    args = parser.parse_args()
    ids = json.loads((args.workdir / "ids.json").read_text())
    token = (args.workdir / "token").read_text().strip()
    base = urllib.parse.urlsplit(args.base_url)
    connection = http.client.HTTPConnection(base.hostname, base.port)
    print("| request | p50 ms | p99 ms | count |")
    print("|---|---|---|---|")
    for label, path, params in SETS[args.set](ids):
        url = f"{base.path}/{path}?{urllib.parse.urlencode(params)}"
        measured, body = timed(connection, url, token, args.requests)
        print(
            f"| {label} | {statistics.median(measured):.1f} | {p99(measured):.1f} "
            f"| {body['count']} |"
        )


if __name__ == "__main__":
    main()
