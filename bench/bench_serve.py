"""Load test of `legkg serve` on 127.0.0.1: concurrent clients, bounded in count and time.

Starts the server as a real process, then N client threads send a fixed number
of queries: mostly well-formed canned-style queries, with slow (over the time
limit) and malformed ones mixed in. Reports failures of well-formed queries
(goal: zero), status counts, latency percentiles and the server's memory
(all its processes) sampled during the run (goal: flat).

Example:
    python bench/bench_serve.py --clients 20 --queries 5000 --write bench/serve-results.md
"""

from __future__ import annotations

import argparse
import json
import os
import socket
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

GOOD = [
    "SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }",
    "SELECT ?c ?l WHERE { ?c rdfs:subClassOf* legkg:Condition ; rdfs:label ?l }",
    "SELECT ?s WHERE { ?c rdfs:subClassOf* ?sup . ?sup legkg:hasSymptom ?s . ?s rdfs:subClassOf* legkg:Numbness }",
    "ASK { legkg:HerniatedDisc legkg:causes legkg:Sciatica }",
    "SELECT ?p ?o WHERE { legkg:SpinalStenosis ?p ?o } LIMIT 50",
]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
BAD = "SELECT ?x WHERE { ?x legkg:affects"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    total = 0
    pids = [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(p))
            except OSError:
                continue
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            continue
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--queries", type=int, default=5000)
    parser.add_argument("--slow-every", type=int, default=500, help="every Nth query is slow")
    parser.add_argument("--bad-every", type=int, default=50, help="every Nth query is malformed")
    parser.add_argument("--query-timeout", type=float, default=2.0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    port = free_port()
    legkg = str(Path(sys.executable).parent / "legkg")
    server = subprocess.Popen([legkg, "serve", "--port", str(port), "--query-timeout", str(args.query_timeout)],
                              stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        else:
            raise SystemExit("server did not start")
        counter = iter(range(args.queries))
        lock = threading.Lock()
        outcome: Counter[str] = Counter()
        latencies: list[float] = []
        memory: list[int] = []
        failures: list[str] = []

        def client() -> None:
            while True:
                with lock:
                    i = next(counter, None)
                if i is None:
                    return
                kind = "slow" if i % args.slow_every == 1 else "bad" if i % args.bad_every == 2 else "good"
                query = {"slow": SLOW, "bad": BAD}.get(kind, GOOD[i % len(GOOD)])
                request = url + "?" + urllib.parse.urlencode({"query": query})
                start = time.perf_counter()
                try:
                    with urllib.request.urlopen(request, timeout=60) as r:
                        status = r.status
                        json.loads(r.read())
                except urllib.error.HTTPError as e:
                    status = e.code
                    if kind == "good":
                        status = f"{e.code} {e.read().decode(errors='replace').strip()[:80]}"
                except Exception as e:  # a refused or broken connection counts as a failure
                    status = f"error {type(e).__name__}"
                took = time.perf_counter() - start
                expected = {"good": 200, "slow": 503, "bad": 400}[kind]
                with lock:
                    outcome[f"{kind} -> {status}"] += 1
                    if kind == "good":
                        latencies.append(took)
                    if status != expected:
                        failures.append(f"{kind} query got {status}")

        def sampler() -> None:
            while any(t.is_alive() for t in threads):
                memory.append(rss_kib(server.pid))
                time.sleep(0.5)

        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        watcher = threading.Thread(target=sampler)
        watcher.start()
        for t in threads:
            t.join()
        watcher.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(10)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100)
    third = max(1, len(memory) // 3)
    lines = [
        f"Load test of legkg serve ({args.clients} clients, {args.queries} queries, 1 in {args.slow_every} slow, "
        f"1 in {args.bad_every} malformed, {args.query_timeout:g} s query limit, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')})",
        "",
        f"- wall time {elapsed:.1f} s, {args.queries / elapsed:.0f} queries/s",
        f"- well-formed queries failed: {sum(1 for f in failures if f.startswith('good'))} (goal 0)",
        f"- unexpected answers of any kind: {len(failures)}",
        f"- well-formed latency ms: median {q[49] * 1000:.1f}, p95 {q[94] * 1000:.1f}, p99 {q[98] * 1000:.1f}, "
        f"max {latencies[-1] * 1000:.0f}",
        f"- server memory (all processes) MiB: first third mean {statistics.mean(memory[:third]) / 1024:.0f}, "
        f"last third mean {statistics.mean(memory[-third:]) / 1024:.0f}, peak {max(memory) / 1024:.0f}",
        "- outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())),
        *(f"- unexpected: {f}" for f in sorted(set(failures))),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")
    if any(f.startswith("good") for f in failures):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
