#!/usr/bin/env python
"""The requests/s of a restricted application against a full-rights token, side by side.

python benchmarks/autorisatie_table.py WORKDIR   (the autorisatie-<who>-<round>.json files of
benchmarks/run.sh with AUTORISATIE=1): per scenario the median rps of each over the rounds,
and the restricted one's share of the full one's.
"""

import json
import statistics
import sys
from pathlib import Path


def main(work: str) -> None:
    rps: dict = {}
    engines = set()
    for path in sorted(Path(work).glob("autorisatie-*-*.json")):
        who = path.stem.split("-")[1]
        load = json.loads(path.read_text())
        engines.add(load.get("engine"))
        for run in load["runs"]:
            rps.setdefault((run["scenario"], who), []).append(run["rps"])
    print(f"engine: {', '.join(sorted(filter(None, engines)))}")
    print("| scenario | full rights rps | restricted rps | restricted / full |")
    print("|---|---|---|---|")
    for scenario in sorted({scenario for scenario, _ in rps}):
        full = statistics.median(rps[(scenario, "volledig")])
        restricted = statistics.median(rps[(scenario, "beperkt")])
        print(f"| {scenario} | {full:.1f} | {restricted:.1f} | {restricted / full:.0%} |")


if __name__ == "__main__":
    main(sys.argv[1])
