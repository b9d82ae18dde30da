#!/usr/bin/env python
"""The requests/s with the processing log on against off, and the log's size.

python benchmarks/logboek_table.py WORKDIR "BEFORE" "AFTER" (as benchmarks/logboek.sh calls
it): per scenario the median rps of each over the rounds and the share; then the bytes the
log grew by, per handeling (one per request) and per record (one per subject).
"""

import json
import statistics
import sys
from pathlib import Path


def main(work: str, before: str, after: str) -> None:
    # {(scenario, who): {round: rps}}, from logboek-<who>-<round>[-<scenario>].json.
    rps: dict = {}
    for path in sorted(Path(work).glob("logboek-*-*.json")):
        who, round_ = path.stem.split("-")[1:3]
        for run in json.loads(path.read_text())["runs"]:
            rps.setdefault((run["scenario"], who), {})[round_] = run["rps"]
    rounds = len(rps[next(iter(rps))])
    print(f"median of {rounds} rounds, c=8; single rounds: on / off of the same round")
    print("| scenario | logging off rps | logging on rps | on / off | single rounds |")
    print("|---|---|---|---|---|")
    for scenario in sorted({scenario for scenario, _ in rps}):
        off, on = rps[(scenario, "uit")], rps[(scenario, "aan")]
        shares = [on[r] / off[r] for r in off if r in on]
        median_off, median_on = statistics.median(off.values()), statistics.median(on.values())
        print(
            f"| {scenario} | {median_off:.1f} | {median_on:.1f} | {median_on / median_off:.0%} "
            f"| {min(shares):.0%}-{max(shares):.0%} |"
        )
    b = [int(x) for x in before.split()]
    a = [int(x) for x in after.split()]
    handelingen, records = a[0] - b[0], a[1] - b[1]
    grown = (a[2] - b[2]) + (a[3] - b[3])
    audits, audit_bytes = a[4] - b[4], a[5] - b[5]
    print()
    print(
        f"log: {handelingen} handelingen (one per request), {records} records (one per "
        f"subject), {grown / 1e6:.1f} MB with their indexes: "
        f"{(a[2] - b[2]) / max(handelingen, 1):.0f} bytes per request, "
        f"{(a[3] - b[3]) / max(records, 1):.0f} bytes per subject record, "
        f"{grown / max(handelingen, 1):.0f} bytes per request in all"
    )
    print(f"audit trail: {audits} records, {audit_bytes / max(audits, 1):.0f} bytes each")


if __name__ == "__main__":
    main(*sys.argv[1:4])
