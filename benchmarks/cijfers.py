#!/usr/bin/env python3
"""p50 and p99 of the management figures' typical requests (GET /klantcontactcijfers).

    benchmarks/cijfers.py WORKDIR [--base-url URL] [--requests N] [--tot 2026-01-01]
    benchmarks/cijfers.py --token TOKEN --base-url URL

WORKDIR is a work dir seeded by run.sh (its token; generate.py puts the contacts in the
three years before 2026-01-01, nine in ten with a metadata `afdeling`), served at --base-url
(as run.sh serves it: `.../klantinteracties/api/v1`; start it with SCENARIOS= or keep its
server). Each request runs N times over one keep-alive connection; the first five are left
out (PostgreSQL's first plans, cold caches). Target: p50 under 100 ms at 1,000,000
klantcontacten. Prints a Markdown table; --restricted TOKEN adds the same requests for an
application without `klantcontacten.vertrouwelijk`.
"""

import argparse
import datetime as dt
import http.client
import statistics
import urllib.parse
from pathlib import Path

# The timing of benchmarks/filters.py (this script is run from its folder, as that one is).
from filters import p99, timed


def requests(tot: dt.date) -> list[tuple[str, dict]]:
    def terug(dagen: int) -> str:
        return (tot - dt.timedelta(days=dagen)).isoformat()

    return [
        (
            "per month by kanaal, a year",
            {"periode": "maand", "groep": "kanaal", "van": terug(365), "tot": tot.isoformat()},
        ),
        (
            "per day by onderwerp, a month",
            {"periode": "dag", "groep": "onderwerp", "van": terug(31), "tot": tot.isoformat()},
        ),
        (
            "per week by metadata.afdeling, a month",
            {
                "periode": "week",
                "groep": "metadata.afdeling",
                "van": terug(31),
                "tot": tot.isoformat(),
            },
        ),
        (
            "per week by indicatieContactGelukt, three years",
            {
                "periode": "week",
                "groep": "indicatieContactGelukt",
                "van": terug(1096),
                "tot": tot.isoformat(),
            },
        ),
        (
            "per day by metadata.afdeling, two months (the longest), kanaal telefoon",
            {
                "periode": "dag",
                "groep": "metadata.afdeling",
                "van": terug(62),
                "tot": tot.isoformat(),
                "kanaal": "telefoon",
            },
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workdir", type=Path, nargs="?")
    parser.add_argument("--base-url", default="http://127.0.0.1:8311/klantinteracties/api/v1")
    parser.add_argument("--token", help="default: WORKDIR/token")
    parser.add_argument("--restricted", help="the token of an application without vertrouwelijk")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--tot", type=dt.date.fromisoformat, default=dt.date(2026, 1, 1), help="end of the ranges"
    )
    args = parser.parse_args()
    if args.token is None:
        if args.workdir is None:
            parser.error("give WORKDIR or --token")
        args.token = (args.workdir / "token").read_text().strip()
    tokens = [("full", args.token)]
    if args.restricted:
        tokens.append(("restricted", args.restricted))
    base = urllib.parse.urlsplit(args.base_url)
    connection = http.client.HTTPConnection(base.hostname, base.port)
    print("| request | application | p50 ms | p99 ms | rows | klantcontacten |")
    print("|---|---|---|---|---|---|")
    for label, params in requests(args.tot):
        for who, token in tokens:
            url = f"{base.path}/klantcontactcijfers?{urllib.parse.urlencode(params)}"
            times, body = timed(connection, url, token, args.requests)
            total = sum(row["aantal"] for row in body["resultaten"])
            print(
                f"| {label} | {who} | {statistics.median(times):.1f} | {p99(times):.1f} "
                f"| {len(body['resultaten'])} | {total} |"
            )


if __name__ == "__main__":
    main()
