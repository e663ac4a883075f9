"""Reasoner benchmark: HermiT, Pellet (with Java 25) and OWL 2 RL on the ontology, and cold queries.

Each reasoner runs end to end as ``legkg.reasoning.reason.reason`` does it (owlready2 load of a temporary
copy, the JVM with 500+ probe classes, parsing); the query rows time a fresh ``legkg`` process
with an empty cache (cold: parse, relation graph, inferences from the committed artefact) and
with a warm cache, over the inferred store and with ``--asserted``, and the first query on an
edited copy (the artefact is stale, so HermiT runs once, then the cache serves).

Example:
    python bench/bench_reason.py --runs 3 --write bench/reason-results.md
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
QUESTION = ["conditions", "--category", "nerve compression condition", "--format", "json"]


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall seconds of ``runs`` calls."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def legkg(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "legkg"), *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                   env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", type=Path, help="Write the results as Markdown to this file.")
    args = parser.parse_args()

    from legkg.reasoning.reason import find_java, reason

    rows: list[tuple[str, list[float], str]] = []
    if find_java(8):
        result = reason(reasoner="hermit")
        rows.append(("HermiT (owlready2 jar), whole run", timed(lambda: reason(reasoner="hermit"), args.runs),
                     f"{len(result.hierarchy)} links, {len(result.facts)} facts"))
    if find_java(25):
        result = reason(reasoner="pellet")
        rows.append(("Pellet (Java 25), whole run", timed(lambda: reason(reasoner="pellet"), args.runs),
                     f"{len(result.hierarchy)} links, {len(result.facts)} facts"))
    result = reason(reasoner="rl")
    rows.append(("OWL 2 RL (owlrl), whole run", timed(lambda: reason(reasoner="rl"), max(1, args.runs // 2)),
                 f"{len(result.hierarchy)} links, {len(result.facts)} facts"))

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.pop("LEGKG_ONTOLOGY", None)

        def cold(extra: list[str]) -> Callable[[], None]:
            def go() -> None:
                cache = Path(tempfile.mkdtemp(dir=tmp))
                legkg(extra + QUESTION, dict(env, LEGKG_CACHE_DIR=str(cache)))
            return go

        warm_env = dict(env, LEGKG_CACHE_DIR=str(Path(tmp) / "warm"))
        legkg(QUESTION, warm_env)
        legkg(["--asserted", *QUESTION], warm_env)
        rows.append(("query, cold cache, with inferences", timed(cold([]), args.runs * 2), "committed artefact"))
        rows.append(("query, cold cache, --asserted", timed(cold(["--asserted"]), args.runs * 2), ""))
        rows.append(("query, warm cache, with inferences", timed(lambda: legkg(QUESTION, warm_env), args.runs * 2),
                     ""))
        rows.append(("query, warm cache, --asserted",
                     timed(lambda: legkg(["--asserted", *QUESTION], warm_env), args.runs * 2), ""))
        if find_java(8):
            edited = Path(tmp) / "edited.owl"
            text = (REPO / "ontology" / "legkg-edit.owl").read_text(encoding="utf-8")

            def stale() -> None:
                edited.write_text(text.replace("</rdf:RDF>", f"<!-- {time.time_ns()} -->\n</rdf:RDF>"),
                                  encoding="utf-8")
                cold(["--ontology", str(edited)])()
            rows.append(("first query on an edited copy (HermiT runs)", timed(stale, args.runs), "then cached"))
        python = timed(lambda: subprocess.run([sys.executable, "-c", "pass"], check=True), args.runs * 2)
        rows.append(("python -c pass", python, "start-up floor"))

    lines = ["# Reasoner benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"Java {shutil.which('java') or 'none'}; {args.runs} runs (medians, best).", "",
             "| what | median s | best s | note |", "| --- | ---: | ---: | --- |"]
    for name, times, note in rows:
        lines.append(f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | {note} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
