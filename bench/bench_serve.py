"""Load test of `legkg serve` on 127.0.0.1: concurrent clients, malformed and pathological queries mixed in.

Starts the server as a real process and waits until its start-up work (rendering the web
pages) is done; client processes (several threads each) then send a fixed number of queries
per client, each client over one kept-alive HTTP/1.1 connection as browsers and SPARQL
libraries do: mostly well-formed queries, 1 in 50 malformed and 1 in 500 pathological
(cartesian products over the time limit, an ORDER BY over the memory limit, 20,000 nested
groups, a SERVICE call, a negative Content-Length), spread evenly over the run. Reports
failures of well-formed queries (goal: zero), latency percentiles of well-formed queries
(goal: p99 under 100 ms), the server's memory, all its processes, sampled every 0.2 s (goal:
under 1 GiB throughout), and the processor time server and clients used per query. The
server keeps no answer cache. A second, shorter run opens a new connection per query.

Example:
    python bench/bench_serve.py --write bench/serve-results.md
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
    total = 0
    for p in [pid, *children(pid)]:
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS"))
        except (OSError, StopIteration):
            continue
    return total


class Client:
    """One client: a kept-alive HTTP/1.1 connection (as browsers and SPARQL libraries keep one), or a new one
    per request with ``keep_alive=False``."""

    def __init__(self, port: int, keep_alive: bool = True) -> None:
        self.port, self.keep_alive = port, keep_alive
        self.conn: http.client.HTTPConnection | None = None

    def send(self, kind: str, query: str | None, i: int) -> tuple[int | str, float]:
        """Send one request (GET and form POST alternating); return the status and the seconds it took."""
        start = time.perf_counter()
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn = self.conn
        keep = self.keep_alive
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
            keep = keep and not response.will_close
            status: int | str = response.status
            if kind == "good" and status == 200:
                json.loads(body)
            elif kind == "good":
                status = f"{status} {body.decode(errors='replace').strip()[:80]}"
        except Exception as e:  # a refused or broken connection counts as a failure
            status = f"error {type(e).__name__}"
            keep = False
        if not keep:
            conn.close()
            self.conn = None
        return status, time.perf_counter() - start


def one(port: int, kind: str, query: str | None, i: int) -> tuple[int | str, float]:
    """Send one request on a connection of its own."""
    return Client(port, keep_alive=False).send(kind, query, i)


def client_process(port: int, threads: int, clients: int, per_client: int, first: int, bad_every: int,
                   bad_every_slow: int, keep_alive: bool, out) -> None:
    """Run ``threads`` clients of ``per_client`` queries each; send back (kind, name, status, seconds) rows
    and the processor seconds this process used."""
    rows: list[tuple[str, str, int | str, float, float]] = []
    lock = threading.Lock()
    before = os.times()

    def client(c: int) -> None:
        session = Client(port, keep_alive)
        for n in range(per_client):
            i = n * clients + first + c  # numbered in the order sent, so the odd queries come spread out
            if i % bad_every_slow == 7:
                name, query, _ = PATHOLOGICAL[(i // bad_every_slow) % len(PATHOLOGICAL)]
                kind = "pathological"
            elif i % bad_every == 3:
                name, query, kind = "malformed", BAD, "bad"
            else:
                query = GOOD[i % len(GOOD)]
                name, kind = f"good-{i % len(GOOD)}", "good"
            at = time.time()
            status, took = session.send(kind, query, i)
            with lock:
                rows.append((kind, name, status, took, at))

    pool = [threading.Thread(target=client, args=(c,)) for c in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    after = os.times()
    out.send((rows, after.user + after.system - before.user - before.system))
    out.close()


README = Path(__file__).resolve().parent.parent / "README.md"
MARK_START = "<!-- bench-serve:start (written by bench/bench_serve.py; do not edit) -->"
MARK_END = "<!-- bench-serve:end -->"


def readme_line(readme: Path, r: dict, results: Path) -> None:
    """Put the main run's figures in the README, between its marks."""
    text = readme.read_text(encoding="utf-8")
    if MARK_START not in text:
        return
    link = os.path.relpath(results.resolve(), readme.parent)
    line = (f"`legkg serve` under {r['total']:,} queries from {r['clients']} clients (1 in 50 malformed, 1 in 500 "
            f"pathological, {os.cpu_count()} cores shared with the clients): {r['well-formed failed']} well-formed "
            "queries failed, p99 "
            f"{r['latency ms'][2]:.0f} ms, peak memory {r['memory MiB'][2]:.0f} MiB ([{link}]({link})).\n")
    head, rest = text.split(MARK_START, 1)
    _, tail = rest.split(MARK_END, 1)
    readme.write_text(f"{head}{MARK_START}\n{line}{MARK_END}{tail}", encoding="utf-8")


def cpu_seconds_tree(pid: int) -> float:
    """Processor seconds used by a process, its live children and the children it has reaped."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += sum(int(x) for x in fields[11:15 if p == pid else 13]) / tick
    return total


def children(pid: int) -> list[int]:
    found = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(p))
            except OSError:
                continue
    return found


def settle(pid: int, longest: float = 120.0) -> float:
    """Wait until the server has finished its start-up work (under 5% of a core for a second); return the wait."""
    start = time.monotonic()
    last = cpu_seconds_tree(pid)
    while time.monotonic() - start < longest:
        time.sleep(1.0)
        now = cpu_seconds_tree(pid)
        if now - last < 0.05:
            break
        last = now
    return time.monotonic() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--per-client", type=int, default=5000, help="queries each client sends")
    parser.add_argument("--processes", type=int, default=4, help="client processes the clients are spread over")
    parser.add_argument("--slow-every", type=int, default=500, help="every Nth query is pathological")
    parser.add_argument("--bad-every", type=int, default=50, help="every Nth query is malformed")
    parser.add_argument("--query-timeout", type=float, default=2.0)
    parser.add_argument("--new-connections-per-client", type=int, default=500, metavar="N",
                        help="then a second, shorter run whose clients open a connection per query (0: skip it)")
    parser.add_argument("--serve-option", action="append", default=[], metavar="OPTION",
                        help="pass an option to legkg serve (e.g. --serve-option=--workers=3); repeatable")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    results = [run(args, args.per_client, keep_alive=True)]
    if args.new_connections_per_client:
        results.append(run(args, args.new_connections_per_client, keep_alive=False))
    report = "\n".join(describe(args, r) for r in results)
    print(report)
    if args.write:
        args.write.write_text(report, encoding="utf-8")
        readme_line(README, results[0], args.write)
    if any(r["well-formed failed"] for r in results):
        raise SystemExit(1)


def run(args, per_client: int, keep_alive: bool) -> dict:
    """Start a server, load it with the clients, and return what was measured."""
    port = free_port()
    legkg = str(Path(sys.executable).parent / "legkg")
    server = subprocess.Popen([legkg, "serve", "--port", str(port), "--query-timeout", str(args.query_timeout),
                               *args.serve_option], stderr=subprocess.PIPE, text=True)
    memory: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while one(port, "good", "ASK {}", 1)[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("server did not start")
            time.sleep(0.2)
        settled = settle(server.pid)
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
        load_before = os.getloadavg()[0]
        server_cpu = cpu_seconds_tree(server.pid)
        started = time.perf_counter()
        for threads in per_process:
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=client_process, args=(port, threads, args.clients, per_client, first,
                                                            args.bad_every, args.slow_every, keep_alive, send))
            proc.start()
            pipes.append(recv)
            procs.append(proc)
            first += threads
        answers = [recv.recv() for recv in pipes]
        elapsed = time.perf_counter() - started
        server_cpu = cpu_seconds_tree(server.pid) - server_cpu
        load_after = os.getloadavg()[0]
        for proc in procs:
            proc.join()
        done.set()
        watcher.join()
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    rows = [row for part, _ in answers for row in part]
    if os.environ.get("BENCH_SERVE_DUMP"):
        Path(os.environ["BENCH_SERVE_DUMP"]).write_text(json.dumps(rows))
    return measure(rows, elapsed, memory, idle, stderr) | {
        "keep-alive": keep_alive, "per client": per_client, "clients": args.clients,
        "load": (load_before, load_after), "settled": settled,
        "client cpu": sum(cpu for _, cpu in answers), "server cpu": server_cpu}


def measure(rows, elapsed: float, memory: list[int], idle: int, stderr: str) -> dict:
    """Failures, latency percentiles of well-formed queries, memory and outcomes of one run."""
    expected = {"good": {200}, "bad": {400}}
    right = {name: ok for name, _, ok in PATHOLOGICAL}
    outcome = Counter(f"{name if kind == 'pathological' else kind} -> {status}" for kind, name, status, *_ in rows)
    failures = [f"{kind} {name} got {status}" for kind, name, status, *_ in rows
                if status not in expected.get(kind, right.get(name, set()))]
    good = sorted(took for kind, _, status, took, _ in rows if kind == "good")
    q = statistics.quantiles(good, n=100)
    return {"total": len(rows), "elapsed": elapsed, "failures": failures,
            "well-formed failed": sum(1 for f in failures if f.startswith("good")),
            "latency ms": (q[49] * 1000, q[94] * 1000, q[98] * 1000, good[-1] * 1000),
            "memory MiB": (idle / 1024, statistics.mean(memory) / 1024, max(memory) / 1024),
            "stderr lines": len([line for line in stderr.splitlines() if line.strip()]),
            "tracebacks": stderr.count("Traceback"), "outcome": outcome}


def describe(args, r: dict) -> str:
    """The results file: one paragraph per run."""
    median, p95, p99, most = r["latency ms"]
    idle, mean, peak = r["memory MiB"]
    total, elapsed = r["total"], r["elapsed"]
    lines = [
        f"Load test of legkg serve ({args.clients} clients x {r['per client']} queries = {total}, 1 in "
        f"{args.slow_every} pathological, 1 in {args.bad_every} malformed, {args.query_timeout:g} s query limit, "
        f"{' '.join(['legkg serve', *args.serve_option]) if args.serve_option else 'default limits and workers'}, "
        f"{'one kept-alive connection per client' if r['keep-alive'] else 'a new connection per query'}, "
        f"no answer cache, clients and server on the same {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}; "
        f"load average {r['load'][0]:.1f} before the run and {r['load'][1]:.1f} after; "
        f"started after the server's start-up work, {r['settled']:.0f} s)",
        "",
        f"- wall time {elapsed:.1f} s, {total / elapsed:.0f} queries/s",
        f"- well-formed queries failed: {r['well-formed failed']} (goal 0)",
        f"- unexpected answers of any kind: {len(r['failures'])}",
        f"- well-formed latency ms: median {median:.1f}, p95 {p95:.1f}, p99 {p99:.1f} (goal under 100), "
        f"max {most:.0f}",
        f"- server memory (all processes) MiB: idle {idle:.0f}, mean {mean:.0f}, peak {peak:.0f} "
        f"(goal under 1024), sampled every 0.2 s",
        f"- processor time per query: server (all processes) {r['server cpu'] / total * 1000:.2f} ms, "
        f"clients {r['client cpu'] / total * 1000:.2f} ms; the {os.cpu_count()} cores offer "
        f"{os.cpu_count() * elapsed / total * 1000:.2f} ms",
        f"- server stderr lines: {r['stderr lines']} (tracebacks: {r['tracebacks']})",
        "- outcomes: " + ", ".join(f"{k}: {v}" for k, v in sorted(r["outcome"].items())),
        *(f"- unexpected: {f}" for f in sorted(set(r["failures"]))[:20]),
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
