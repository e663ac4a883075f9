"""Cold query benchmark: whole processes, side by side, interleaved in one run.

Measures the design question (`legkg conditions --anatomy "sciatic nerve"
--symptom numbness --format json`) as a fresh process each time, next to a bare
`python -c pass` and to `rdflib_baseline.py` (the same ontology, relation graph
and SPARQL with rdflib). Reports median and best wall time and peak memory, and
checks the goals: legkg <= 8x python start-up and <= 1/4 of the rdflib script.

Example:
    python bench/bench_query.py --runs 15 --write bench/results.md
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
BIN = Path(sys.executable).parent
QUESTION = ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness", "--format", "json"]


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Run a command to completion; return wall seconds and peak RSS in KiB."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {proc.stderr.read().decode()[:300]}")
    proc.stderr.close()
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per command (default 15)")
    parser.add_argument("--write", type=Path, help="also write a Markdown report here")
    args = parser.parse_args()
    cache = Path(tempfile.mkdtemp(prefix="legkg-bench-"))
    env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "legkg (cold process)": [str(BIN / "legkg"), *QUESTION],
        "rdflib script": [sys.executable, str(HERE / "rdflib_baseline.py")],
    }
    try:
        first, _ = run_once(commands["legkg (cold process)"], env)  # also builds the derived cache
        for cmd in commands.values():  # warm the OS file cache and .pyc files
            run_once(cmd, env)
        times: dict[str, list[float]] = {k: [] for k in commands}
        peak: dict[str, int] = dict.fromkeys(commands, 0)
        for _ in range(args.runs):
            for name, cmd in commands.items():
                t, rss = run_once(cmd, env)
                times[name].append(t)
                peak[name] = max(peak[name], rss)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    lines = [
        f"Cold query benchmark ({args.runs} interleaved runs each, {os.cpu_count()} cores, "
        f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')})",
        "",
        "| command | median ms | best ms | peak RSS MiB |",
        "|---|---:|---:|---:|",
    ]
    for name in commands:
        lines.append(f"| {name} | {med[name] * 1000:.0f} | {min(times[name]) * 1000:.0f} | {peak[name] / 1024:.0f} |")
    start_ratio = med["legkg (cold process)"] / med["python -c pass"]
    rdflib_ratio = med["legkg (cold process)"] / med["rdflib script"]
    lines += [
        "",
        f"- first legkg run with an empty cache (derives and caches the relation graph): {first * 1000:.0f} ms",
        f"- legkg / python start-up: {start_ratio:.1f}x (goal <= 8x): {'met' if start_ratio <= 8 else 'NOT met'}",
        f"- legkg / rdflib script: {rdflib_ratio:.2f} (goal <= 0.25): {'met' if rdflib_ratio <= 0.25 else 'NOT met'}",
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")


if __name__ == "__main__":
    main()
