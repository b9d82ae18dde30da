#!/usr/bin/env python
"""Markdown table of one benchmark run: load.py's and floor.py's JSON, against the reference.

python benchmarks/table.py WORKDIR/load.json WORKDIR/floor.json
"""

import json
import sys

# Open Klant 2.18 at 20k, c=8 (../shared/bench/REFERENCE.md): rps, p99 ms.
REFERENCE = {
    "a": (15.3, 1254),
    "b": (14.2, 3024),
    "c": (37.3, 746),
    "d": (3.7, 2937),
    "e1": (8.5, 1250),
    "e2": (5.1, 1884),
    "f": (31.2, 570),
    "f2": (37.0, 445),
}


def main(load_path: str, floor_path: str | None = None) -> None:
    load = json.load(open(load_path))
    floor = json.load(open(floor_path)) if floor_path else {"runs": []}
    runs = {(r["scenario"], r["concurrency"]): r for r in load["runs"]}
    floors = {(r["scenario"], r["concurrency"]): r for r in floor["runs"]}
    print(
        "| scenario | c=1 rps | c=1 p50 | c=1 p99 | c=8 rps | c=8 p50 | c=8 p95 | c=8 p99 | err "
        "| floor p50 c=1 | API p50 / floor | c=8 rps vs ref | c=8 p99 vs ref |"
    )
    print("|" + "---|" * 13)
    for scenario in REFERENCE:
        one, eight = runs.get((scenario, 1)), runs.get((scenario, 8))
        if not one or not eight:
            continue
        base = floors.get((scenario, 1))
        ref_rps, ref_p99 = REFERENCE[scenario]
        ratio = f"{one['p50_ms'] / base['p50_ms']:.1f}x" if base else "-"
        cells = [
            f"{scenario} {one['name']}",
            f"{one['rps']:.1f}",
            f"{one['p50_ms']:.1f}",
            f"{one['p99_ms']:.1f}",
            f"{eight['rps']:.1f}",
            f"{eight['p50_ms']:.1f}",
            f"{eight['p95_ms']:.1f}",
            f"{eight['p99_ms']:.1f}",
            str(one["errors"] + eight["errors"]),
            f"{base['p50_ms']:.2f}" if base else "-",
            ratio,
            f"{eight['rps'] / ref_rps:.1f}x",
            f"{eight['p99_ms'] / ref_p99:.3f}",
        ]
        print("| " + " | ".join(cells) + " |")
    engines = sorted({run.get("engine", "?") for run in load["runs"]})
    print(f"\nload engine: {', '.join(engines)}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
