"""Each reading command as a fresh process, against python start-up and a floor script, in one run.

For every command: ``python -c pass``, ``legkg ...`` (the installed console script) and its
floor (``bench/floor.py``: the same engine, the same cached data and query, no CLI), run
interleaved, with ``python -c 'import click'`` for the share Click alone takes. Reports
medians and the ratios to python start-up, checks the goals (query commands <= 6x, ``terms``
and completion <= 4x) and writes bench/commands-results.md and the table in docs/benchmarks.md.

Example:
    python bench/bench_commands.py --runs 10
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
ROOT = HERE.parent
BIN = Path(sys.executable).parent
LEGKG = str(BIN / "legkg")
FLOOR = [sys.executable, str(HERE / "floor.py")]
DESIGN = ["store", "conditions-by-anatomy-and-symptom", "anatomy", "SciaticNerve", "symptom", "Numbness"]
# name, legkg arguments, floor arguments, goal (x python start-up), extra environment
COMMANDS = [
    ("conditions", ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "-f", "json"], DESIGN, 6, {}),
    ("describe", ["describe", "sciatica", "-f", "json"], ["store", "symptoms-of", "condition", "Sciatica"], 6, {}),
    ("query run", ["query", "run", "red-flags", "-f", "json"], ["store", "red-flags"], 6, {}),
    ("ancestors", ["ancestors", "sciatica", "-f", "json"], ["store", "kinds-of", "entity", "Condition"], 6, {}),
    ("ask", ["ask", "what makes spinal stenosis worse?", "-f", "json"],
     ["store", "aggravating-situations", "condition", "SpinalStenosis"], 6, {}),
    ("sparql", ["sparql", "SELECT ?l WHERE { legkg:Sciatica rdfs:label ?l }", "-f", "json"], ["store", "red-flags"],
     6, {}),
    ("terms", ["terms", "numb", "-f", "json"], ["terms"], 4, {}),
    ("completion", [], ["terms"], 4,
     {"_LEGKG_COMPLETE": "bash_complete", "COMP_WORDS": "legkg describe numb", "COMP_CWORD": "2"}),
]
MARK_START = "<!-- bench-commands:start (written by bench/bench_commands.py; do not edit) -->"
MARK_END = "<!-- bench-commands:end -->"
SUMMARY_START = "<!-- bench-commands-summary:start (written by bench/bench_commands.py) -->"
SUMMARY_END = "<!-- bench-commands-summary:end -->"


def run_once(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.decode()[:300]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per command (default 10)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="legkg-bench-"))
    env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
    env.pop("LEGKG_ONTOLOGY", None)
    # Time an installed program as people run it: with its modules' bytecode cached (pip compiles it at
    # install time; an editable install writes it on the first run, the warm-up below).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    try:
        run_once([LEGKG, "terms", "-f", "json"], env)  # fills the cache: derived store and term index
        jobs = {"python -c pass": ([sys.executable, "-c", "pass"], env),
                "import click": ([sys.executable, "-c", "import click"], env)}
        for name, cli_args, floor_args, _, extra in COMMANDS:
            jobs[f"legkg {name}"] = ([LEGKG, *cli_args], dict(env, **extra))
            jobs[f"floor {name}"] = ([*FLOOR, *floor_args], env)
        for cmd, e in jobs.values():  # warm the OS file cache and .pyc files
            run_once(cmd, e)
        times: dict[str, list[float]] = {k: [] for k in jobs}
        for _ in range(args.runs):
            for key, (cmd, e) in jobs.items():
                times[key].append(run_once(cmd, e))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    base = med["python -c pass"]
    lines = [
        f"{args.runs} interleaved runs each, {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{time.strftime('%Y-%m-%d')}; python -c pass: {base:.0f} ms (median); python -c 'import click' "
        f"(Click alone, which every query command loads): {med['import click']:.0f} ms, "
        f"{med['import click'] / base:.1f}x.",
        "",
        "| command | legkg ms | x python | floor ms | x python | goal | met |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for name, _, _, goal, _ in COMMANDS:
        cli_ms, floor_ms = med[f"legkg {name}"], med[f"floor {name}"]
        ratio = cli_ms / base
        lines.append(f"| {name} | {cli_ms:.0f} | {ratio:.1f} | {floor_ms:.0f} | {floor_ms / base:.1f} | "
                     f"<= {goal}x | {'yes' if ratio <= goal else 'no'} |")
    report = "\n".join(lines) + "\n"
    print(report)
    if args.no_write:
        return
    (HERE / "commands-results.md").write_text("# Commands against python start-up and the floor\n\n" + report,
                                              encoding="utf-8")
    doc = ROOT / "docs" / "benchmarks.md"
    text = doc.read_text(encoding="utf-8")
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    doc.write_text(f"{head}{MARK_START}\n{report}{MARK_END}{tail}", encoding="utf-8")
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    head, rest = text.split(SUMMARY_START, 1)
    _, tail = rest.split(SUMMARY_END, 1)
    readme.write_text(f"{head}{SUMMARY_START}{summary(med, base)}{SUMMARY_END}{tail}", encoding="utf-8")


def summary(med: dict[str, float], base: float) -> str:
    """One line for the README: the cold commands' ratios to Python's start-up."""
    def span(names: list[str]) -> str:
        low, high = (f"{r:.1f}" for r in sorted(med[f"legkg {n}"] / base for n in names)[::len(names) - 1])
        return f"{low}x" if low == high else f"{low}-{high}x"

    queries = [name for name, _, _, goal, _ in COMMANDS if goal == 6]
    return (f"Cold commands: queries {span(queries)} Python's start-up (goal 6x), `terms` and completion "
            f"{span(['terms', 'completion'])} (goal 4x; Click alone {med['import click'] / base:.1f}x).")


if __name__ == "__main__":
    main()
