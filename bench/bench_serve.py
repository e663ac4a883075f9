"""Load test of `legkg serve` on 127.0.0.1: concurrent clients, malformed and pathological queries mixed in.

Starts the server as a real process; client processes (several threads each) send a fixed
number of queries per client: mostly well-formed canned-style queries, 1 in 50 malformed
and 1 in 500 pathological (cartesian products over the time limit, an ORDER BY over the
memory limit, 20,000 nested groups, a SERVICE call, a negative Content-Length). Reports
failures of well-formed queries (goal: zero), latency percentiles of well-formed queries
(goal: p99 under 100 ms) and the server's memory, all its processes, sampled every 0.2 s
(goal: under 1 GiB throughout).

Example:
    python bench/bench_serve.py --clients 20 --per-client 5000 --write bench/serve-results.md
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing as mp
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

GOOD = [
    "SELECT ?c WHERE { ?c legkg:affects legkg:SciaticNerve }",
    "SELECT ?c ?l WHERE { ?c rdfs:subClassOf* legkg:Condition ; rdfs:label ?l }",
    "SELECT ?s WHERE { ?c rdfs:subClassOf* ?sup . ?sup legkg:hasSymptom ?s . ?s rdfs:subClassOf* legkg:Numbness }",
    "ASK { legkg:HerniatedDisc legkg:causes legkg:Sciatica }",
    "SELECT ?p ?o WHERE { legkg:SpinalStenosis ?p ?o } LIMIT 50",
]
BAD = "SELECT ?x WHERE { ?x legkg:affects"
PATHOLOGICAL = [  # (name, query or raw request, statuses that are right)
    ("cartesian", "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", {503}),
    ("order-by", "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?l", {503}),
    ("nested", "SELECT * WHERE " + "{" * 20000 + "}" * 20000, {400, 414, 503}),
    ("service", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", {403}),
    ("negative-length", None, {400}),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, in KiB."""
    pids = [pid]
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(p))
            except OSError:
                continue
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            continue
    return total


def one(port: int, kind: str, query: str | None, i: int) -> tuple[int | str, float]:
    """Send one request (GET and form POST alternating); return the status and the seconds it took."""
    start = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        if query is None:
            conn.putrequest("POST", "/sparql")
            conn.putheader("Content-Type", "application/sparql-query")
            conn.putheader("Content-Length", "-1")
            conn.endheaders(b"ASK {}")
        elif i % 2:
            conn.request("GET", "/sparql?" + urllib.parse.urlencode({"query": query}),
                         headers={"Accept": "application/sparql-results+json"})
        else:
            conn.request("POST", "/sparql", body=urllib.parse.urlencode({"query": query}),
                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                  "Accept": "application/sparql-results+json"})
        response = conn.getresponse()
        body = response.read()
        status: int | str = response.status
        if kind == "good" and status == 200:
            json.loads(body)
        elif kind == "good":
            status = f"{status} {body.decode(errors='replace').strip()[:80]}"
    except Exception as e:  # a refused or broken connection counts as a failure
        status = f"error {type(e).__name__}"
    finally:
        conn.close()
    return status, time.perf_counter() - start


def client_process(port: int, threads: int, per_client: int, first: int, bad_every: int, bad_every_slow: int,
                   out) -> None:
    """Run ``threads`` clients of ``per_client`` queries each; send back (kind, name, status, seconds) rows."""
    rows: list[tuple[str, str, int | str, float]] = []
    lock = threading.Lock()

    def client(c: int) -> None:
        for n in range(per_client):
            i = (first + c) * per_client + n
            if i % bad_every_slow == 7:
                name, query, _ = PATHOLOGICAL[(i // bad_every_slow) % len(PATHOLOGICAL)]
                kind = "pathological"
            elif i % bad_every == 3:
                name, query, kind = "malformed", BAD, "bad"
            else:
                query = GOOD[i % len(GOOD)]
                name, kind = f"good-{i % len(GOOD)}", "good"
            status, took = one(port, kind, query, i)
            with lock:
                rows.append((kind, name, status, took))

    pool = [threading.Thread(target=client, args=(c,)) for c in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    out.send(rows)
    out.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=5000, help="queries each client sends")
    parser.add_argument("--processes", type=int, default=4, help="client processes the clients are spread over")
    parser.add_argument("--slow-every", type=int, default=500, help="every Nth query is pathological")
    parser.add_argument("--bad-every", type=int, default=50, help="every Nth query is malformed")
    parser.add_argument("--query-timeout", type=float, default=2.0)
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    args.load = os.getloadavg()[0]
    port = free_port()
    legkg = str(Path(sys.executable).parent / "legkg")
    server = subprocess.Popen([legkg, "serve", "--port", str(port), "--query-timeout", str(args.query_timeout)],
                              stderr=subprocess.PIPE, text=True)
    memory: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while one(port, "good", "ASK {}", 1)[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        idle = rss_kib(server.pid)
        done = threading.Event()

        def sampler() -> None:
            while not done.is_set():
                memory.append(rss_kib(server.pid))
                time.sleep(0.2)

        watcher = threading.Thread(target=sampler)
        watcher.start()
        ctx = mp.get_context("spawn")
        per_process = [args.clients // args.processes + (p < args.clients % args.processes)
                       for p in range(args.processes)]
        pipes, procs, first = [], [], 0
        started = time.perf_counter()
        for threads in per_process:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=client_process, args=(port, threads, args.per_client, first, args.bad_every,
                                                            args.slow_every, send))
            proc.start()
            pipes.append(recv)
            procs.append(proc)
            first += threads
        rows = [row for recv in pipes for row in recv.recv()]
        elapsed = time.perf_counter() - started
        for proc in procs:
            proc.join()
        done.set()
        watcher.join()
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    write_report(args, rows, elapsed, memory, idle, stderr)


def write_report(args, rows, elapsed: float, memory: list[int], idle: int, stderr: str) -> None:
    expected = {"good": {200}, "bad": {400}}
    right = {name: ok for name, _, ok in PATHOLOGICAL}
    outcome = Counter(f"{name if kind == 'pathological' else kind} -> {status}" for kind, name, status, _ in rows)
    failures = [f"{kind} {name} got {status}" for kind, name, status, _ in rows
                if status not in expected.get(kind, right.get(name, set()))]
    good = sorted(took for kind, _, status, took in rows if kind == "good")
    q = statistics.quantiles(good, n=100)
    total = len(rows)
    lines = [
        f"Load test of legkg serve ({args.clients} clients x {args.per_client} queries = {total}, 1 in "
        f"{args.slow_every} pathological, 1 in {args.bad_every} malformed, {args.query_timeout:g} s query limit, "
        f"default memory limit and workers, clients and server on the same {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}; load average before the run {args.load:.1f})",
        "",
        f"- wall time {elapsed:.1f} s, {total / elapsed:.0f} queries/s",
        f"- well-formed queries failed: {sum(1 for f in failures if f.startswith('good'))} (goal 0)",
        f"- unexpected answers of any kind: {len(failures)}",
        f"- well-formed latency ms: median {q[49] * 1000:.1f}, p95 {q[94] * 1000:.1f}, p99 {q[98] * 1000:.1f} "
        f"(goal under 100), max {good[-1] * 1000:.0f}",
        f"- server memory (all processes) MiB: idle {idle / 1024:.0f}, mean {statistics.mean(memory) / 1024:.0f}, "
        f"peak {max(memory) / 1024:.0f} (goal under 1024), sampled every 0.2 s",
        f"- server stderr lines: {len([line for line in stderr.splitlines() if line.strip()])} "
        f"(tracebacks: {stderr.count('Traceback')})",
        "- outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(outcome.items())),
        *(f"- unexpected: {f}" for f in sorted(set(failures))[:20]),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")
    if any(f.startswith("good") for f in failures):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
