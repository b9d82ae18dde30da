#!/usr/bin/env python3
"""Worker memory under a long run of expand requests.

Sends --requests GET requests (default 20,000), one at a time, to a gunicorn server and samples
the VmRSS of the server's workers (children of --server-pid) before the first request and after
every --every requests. Start the server with WORKERS=1 and MAX_REQUESTS=0 so one worker serves
everything and is never recycled (`MEMORY=1 benchmarks/run.sh N WORKDIR` does this).

The requests cycle through expand-heavy reads, with parameters drawn from the ids file:
  b  klantcontacten?hadBetrokkene__wasPartij__uuid=..&expand=hadBetrokkenen,gingOverOnderwerpobjecten
  c  klantcontacten?pageSize=20&hadBetrokkene__wasPartij__partijIdentificator__..&expand=gingOverOnderwerpobjecten
  a  partijen?partijIdentificator__..&expand=digitaleAdressen
  k  klantcontacten/<uuid>?expand=hadBetrokkenen,gingOverOnderwerpobjecten
  l  klantcontacten?expand=hadBetrokkenen,gingOverOnderwerpobjecten   (a full page, 1 in 20)

Output: a markdown table (requests, RSS per worker in MB) on stdout and, with --out, JSON.
Bounded: stops after --requests requests or --max-seconds, whichever comes first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
import urllib.parse

import httpx


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def workers(server_pid: int) -> list[int]:
    with open(f"/proc/{server_pid}/task/{server_pid}/children") as fh:
        return sorted(int(p) for p in fh.read().split())


def paths(ids: dict, rng: random.Random, n: int) -> list[str]:
    with_kc = [p for p in ids["partijen"] if p.get("kc", 0) > 0]
    personen_kc = [p for p in with_kc if p["idType"] == "bsn"]
    personen = [p for p in ids["partijen"] if p["idType"] == "bsn"]
    kcs = ids["klantcontacten"]
    both = "hadBetrokkenen,gingOverOnderwerpobjecten"
    q = lambda d: urllib.parse.urlencode(d, safe=",")  # noqa: E731
    out = []
    for i in range(n):
        kind = "l" if i % 20 == 19 else "bcak"[i % 4]
        if kind == "b":
            p = rng.choice(with_kc)
            out.append(
                "klantcontacten?" + q({"hadBetrokkene__wasPartij__uuid": p["uuid"], "expand": both})
            )
        elif kind == "c":
            p = rng.choice(personen_kc)
            out.append(
                "klantcontacten?"
                + q(
                    {
                        "pageSize": 20,
                        "hadBetrokkene__wasPartij__partijIdentificator__codeSoortObjectId": "bsn",
                        "hadBetrokkene__wasPartij__partijIdentificator__objectId": p["idValue"],
                        "expand": "gingOverOnderwerpobjecten",
                    }
                )
            )
        elif kind == "a":
            p = rng.choice(personen)
            out.append(
                "partijen?"
                + q(
                    {
                        "partijIdentificator__codeObjecttype": "natuurlijk_persoon",
                        "partijIdentificator__codeSoortObjectId": "bsn",
                        "partijIdentificator__objectId": p["idValue"],
                        "soortPartij": "persoon",
                        "expand": "digitaleAdressen",
                    }
                )
            )
        elif kind == "k":
            out.append(f"klantcontacten/{rng.choice(kcs)}?" + q({"expand": both}))
        else:
            out.append("klantcontacten?" + q({"expand": both}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--ids", required=True)
    ap.add_argument("--server-pid", type=int, required=True, help="gunicorn master pid")
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--every", type=int, default=1000)
    ap.add_argument("--max-seconds", type=float, default=900)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out")
    args = ap.parse_args()
    base = os.environ["BASE_URL"].rstrip("/")
    host = urllib.parse.urlsplit(base).hostname or ""
    if not (host == "localhost" or host.startswith("127.")):
        sys.exit(f"refusing to target non-loopback host {host!r}")
    with open(args.ids) as fh:
        ids = json.load(fh)
    todo = paths(ids, random.Random(args.seed), args.requests)
    headers = {"Authorization": f"Token {os.environ['TOKEN']}", "Accept": "application/json"}

    pids = workers(args.server_pid)
    samples = [{"requests": 0, "seconds": 0.0, "rss_kb": {p: rss_kb(p) for p in pids}}]
    statuses: dict[int, int] = {}
    start = time.monotonic()
    done = 0
    with httpx.Client(base_url=base + "/", headers=headers, timeout=30) as client:
        for path in todo:
            status = client.get(path).status_code
            statuses[status] = statuses.get(status, 0) + 1
            done += 1
            if done % args.every == 0 or done == len(todo):
                now = workers(args.server_pid)
                if now != pids:
                    print(f"workers changed: {pids} -> {now}", file=sys.stderr)
                    pids = now
                samples.append(
                    {
                        "requests": done,
                        "seconds": round(time.monotonic() - start, 1),
                        "rss_kb": {p: rss_kb(p) for p in pids},
                    }
                )
                print(
                    f"{done:6d} requests  {samples[-1]['seconds']:6.1f}s  "
                    + "  ".join(
                        f"{p}:{kb / 1024:.1f}MB" for p, kb in samples[-1]["rss_kb"].items()
                    ),
                    file=sys.stderr,
                    flush=True,
                )
            if time.monotonic() - start > args.max_seconds:
                print("stopped: --max-seconds reached", file=sys.stderr)
                break

    print(f"requests: {done}, statuses: {dict(sorted(statuses.items()))}")
    print()
    print("| requests | seconds | " + " | ".join(f"RSS MB pid {p}" for p in pids) + " |")
    print("|---|---|" + "---|" * len(pids))
    for s in samples:
        print(
            f"| {s['requests']} | {s['seconds']} | "
            + " | ".join(f"{s['rss_kb'].get(p, 0) / 1024:.1f}" for p in pids)
            + " |"
        )
    if args.out:
        with open(args.out, "w") as fh:
            json.dump({"statuses": statuses, "samples": samples}, fh, indent=1)


if __name__ == "__main__":
    main()
