"""Page render time of `legkg serve` under concurrent clients (goal: p95 < 50 ms with 20 clients).

Two measures:
1. cold: every page of the site rendered once in this process (no server, nothing cached),
   the time of each render;
2. served: `legkg serve` started as a real process on 127.0.0.1; after one pass over every
   page, N client threads request a mix of pages (term pages in HTML and RDF, the landing,
   term list, search, canned query forms with answers, the SPARQL editor) for a fixed number
   of requests; the time of each request is recorded.

Example:
    python bench/bench_pages.py --clients 20 --requests 4000 --write bench/pages-results.md
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

BIN = Path(sys.executable).with_name("legkg")
EDITOR_QUERY = "SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }"


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cold() -> list[tuple[str, float]]:
    """Render every page once in-process, nothing cached; return (path, seconds)."""
    from legkg.publish.web.app import Site

    site = Site()
    site.paths()  # loads the store, the term index and the templates
    times = []
    for path in site.paths():
        start = time.perf_counter()
        answer = site.handle("GET", path, "", {})
        times.append((path, time.perf_counter() - start))
        assert answer is not None and answer[0] == 200, path
    return times


def mix(paths: list[str]) -> list[str]:
    """The requests clients send: every page, plus searches, canned answers and editor queries."""
    pages = [p for p in paths if p.endswith(".html") or p.startswith("/legkg/")]
    extra = ["/search.html?q=pins+and+needles", "/search.html?q=flexor", "/search.html?q=ICD10CM%3AM54.3",
             "/queries/conditions-by-anatomy.html?anatomy=sciatic+nerve",
             "/queries/conditions-by-symptom.html?symptom=numbness",
             "/queries/conditions-by-anatomy.csv?anatomy=hip",
             "/query.html?" + urllib.parse.urlencode({"query": EDITOR_QUERY}),
             "/legkg/Sciatica", "/legkg/Tingling"]
    return pages + extra * 10


def served(clients: int, requests: int) -> dict:
    proc = subprocess.Popen([str(BIN), "serve", "--port", "0"], stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "pages at " not in line:
            line = proc.stderr.readline()
            if not line:
                raise RuntimeError("legkg serve did not start")
        base = line.split("pages at ", 1)[1].split()[0].rstrip("/")
        from legkg.publish.web.app import Site

        paths = mix(Site().paths())
        for p in paths:  # one pass: every page made once, as a reader's first visit would
            urllib.request.urlopen(base + p, timeout=60).read()
        rng = random.Random(17)
        plan = [rng.choice(paths) for _ in range(requests)]
        latencies: list[float] = []
        statuses: Counter = Counter()
        lock = threading.Lock()
        cursor = iter(plan)

        def client() -> None:
            while True:
                with lock:
                    path = next(cursor, None)
                if path is None:
                    return
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(base + path, timeout=60) as r:
                        r.read()
                        status = r.status
                except urllib.error.HTTPError as e:
                    status = e.code
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    statuses[status] += 1

        threads = [threading.Thread(target=client) for _ in range(clients)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        return {"latencies": latencies, "statuses": statuses, "wall": wall, "pages": len(set(paths))}
    finally:
        proc.terminate()
        proc.wait(10)


def report(cold_times: list[tuple[str, float]], run: dict, clients: int) -> str:
    ms = [t * 1000 for _, t in cold_times]
    html = [t * 1000 for p, t in cold_times if p.endswith(".html") and p.startswith("/legkg/")]
    lat = [t * 1000 for t in run["latencies"]]
    p95 = pct(lat, 95)
    lines = [
        "# Page render times",
        "",
        f"Written by `python bench/bench_pages.py` on {platform.platform()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}.",
        "",
        "## Served, under concurrent clients",
        "",
        f"`legkg serve` on 127.0.0.1, {clients} client threads, {len(lat)} requests over {run['pages']} "
        f"addresses (every page of the site in HTML and RDF, searches, canned answers, editor queries), "
        "after one pass over every address. Each request is a new connection; the time includes",
        "waiting in the server's listen queue.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| p50 | {pct(lat, 50):.1f} ms |",
        f"| p95 | {p95:.1f} ms |",
        f"| p99 | {pct(lat, 99):.1f} ms |",
        f"| max | {max(lat):.1f} ms |",
        f"| throughput | {len(lat) / run['wall']:.0f} requests/s |",
        f"| statuses | {', '.join(f'{k}: {v}' for k, v in sorted(run['statuses'].items()))} |",
        f"| goal p95 < 50 ms | {'met' if p95 < 50 else 'NOT met'} |",
        "",
        "## Cold: each page rendered once, nothing cached",
        "",
        "In-process, one at a time, with an empty cache folder: what the first reader of a page waits",
        "for (a term page draws its picture with Graphviz). The server renders every page in the",
        "background from its start, so readers rarely wait this long.",
        "",
        "| pages | median | p95 | max | term pages (HTML) median |",
        "|---|---|---|---|---|",
        f"| {len(ms)} | {statistics.median(ms):.1f} ms | {pct(ms, 95):.1f} ms | {max(ms):.1f} ms | "
        f"{statistics.median(html):.1f} ms |",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    import os
    import tempfile

    os.environ["LEGKG_CACHE_DIR"] = tempfile.mkdtemp(prefix="legkg-bench-pages-")  # nothing drawn before
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--write", type=Path, help="Markdown file for the results")
    args = parser.parse_args()
    cold_times = cold()
    run = served(args.clients, args.requests)
    text = report(cold_times, run, args.clients)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
