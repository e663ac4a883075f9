"""Linked-vocabulary benchmark: a query over the ontology plus the HPO, next to the ontology alone.

Links the HPO once (timed, reported apart), then runs whole processes, interleaved:
the ontology alone (`legkg sparql` over conditions and their symptoms) and the same
question crossed into the HPO (`legkg link query hpo-nervous-system-conditions`, which
follows each symptom's HPO mapping up the HPO hierarchy). Both are cold processes with
warm caches, as a user meets them. Goal: the crossed query within 2x the ontology alone.

Example:
    python bench/bench_link.py --runs 15
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
LEGKG = [sys.executable, "-m", "legkg"]
ALONE = ["sparql", "--format", "json", "SELECT DISTINCT ?c ?s WHERE { ?c rdfs:subClassOf+ legkg:Condition ; "
         "legkg:hasSymptom ?s . ?s rdfs:label ?l }"]
CROSSED = ["link", "query", "hpo-nervous-system-conditions", "--format", "json"]


def timed(cmd: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one process; exits on failure."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[:300]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    parser.add_argument("--no-write", action="store_true", help="do not rewrite bench/link-results.md")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="legkg-bench-link-"))
    env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
    env.pop("LEGKG_ONTOLOGY", None)
    try:
        link_s = timed([*LEGKG, "link", "hpo"], env)
        relink_s = timed([*LEGKG, "link", "hpo"], env)
        for cmd in (ALONE, CROSSED):  # first runs fill the derived-store cache and the linked store's ontology
            timed([*LEGKG, *cmd], env)
        times: dict[str, list[float]] = {"alone": [], "crossed": []}
        for _ in range(args.runs):
            times["alone"].append(timed([*LEGKG, *ALONE], env))
            times["crossed"].append(timed([*LEGKG, *CROSSED], env))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    alone, crossed = statistics.median(times["alone"]), statistics.median(times["crossed"])
    ratio = crossed / alone
    report = "\n".join([
        "# Linked HPO benchmark",
        "",
        f"`python bench/bench_link.py --runs {args.runs}`: whole processes, median of {args.runs} interleaved runs.",
        "",
        "| what | median s | best s |",
        "| --- | ---: | ---: |",
        f"| ontology alone (`legkg {' '.join(ALONE[:1])} ...` conditions and symptoms) | {alone:.3f} | "
        f"{min(times['alone']):.3f} |",
        f"| ontology + HPO (`legkg {' '.join(CROSSED[:3])}`) | {crossed:.3f} | {min(times['crossed']):.3f} |",
        f"| `legkg link hpo`, first time (parse hp.obo, load the store) | {link_s:.3f} | |",
        f"| `legkg link hpo`, already linked | {relink_s:.3f} | |",
        "",
        f"Crossed / alone: **{ratio:.2f}x** (goal: at most 2x) — {'met' if ratio <= 2 else 'NOT met'}.",
        "",
    ])
    print(report)
    if not args.no_write:
        (HERE / "link-results.md").write_text(report, encoding="utf-8")
    if ratio > 2:
        raise SystemExit(f"crossed query is {ratio:.2f}x the ontology alone (goal 2x)")


if __name__ == "__main__":
    main()
