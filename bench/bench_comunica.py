"""Comunica's two ways to hold legkg's published graph, side by side on 127.0.0.1.

``comunica-sparql-http URL`` reads the exported file as a hypermedia source (the stock way);
``.ci/comunica-endpoint.js`` gives the same engine the same file in an N3 store (its ``rdfjs``
source type), which the test suite uses. Each query is a whole ``legkg --endpoint URL ...``
process, run ``--repeat`` times per endpoint; the table gives medians, the ratio, and whether
the rows equal the embedded store's. Three forms of one join show where the time goes: the
parameter bound by a VALUES block at the start of the group (as legkg sends it), at its end, or
written as a constant.

Example:
    python bench/bench_comunica.py --repeat 3 --write bench/comunica-results.md
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEGKG = [sys.executable, "-m", "legkg"]
TIMEOUT = 120  # seconds a query may take before it counts as timed out

JOIN = ("?c legkg:isA ?sup . ?sup legkg:aggravatedBy ?id . ?id rdfs:label ?label . ?sup rdfs:label ?for .")
QUERIES = [
    ("design question: `conditions --anatomy \"sciatic nerve\" --symptom numbness`",
     ["conditions", "--anatomy", "sciatic nerve", "--symptom", "numbness"]),
    ("`query run aggravating-situations -p condition \"spinal stenosis\"`",
     ["query", "run", "aggravating-situations", "-p", "condition", "spinal stenosis"]),
    ("`triage --symptom \"groin numbness\"`", ["triage", "--symptom", "groin numbness"]),
    ("`describe sciatica`", ["describe", "sciatica"]),
    ("four-pattern join, VALUES first (as legkg binds)",
     ["sparql", f"SELECT * WHERE {{ VALUES ?c {{ legkg:SpinalStenosis }} {JOIN} }}"]),
    ("the same join, VALUES last", ["sparql", f"SELECT * WHERE {{ {JOIN} VALUES ?c {{ legkg:SpinalStenosis }} }}"]),
    ("the same join, a constant instead of VALUES",
     ["sparql", f"SELECT * WHERE {{ {JOIN.replace('?c ', 'legkg:SpinalStenosis ', 1)} }}"]),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False


@contextlib.contextmanager
def started(argv: list[str], url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[float]:
    """Run a server until ``url`` answers; yield the seconds that took; stop its process group on exit."""
    start = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                env={**os.environ, **(env or {})})
    try:
        while not answers(url):
            if proc.poll() is not None or time.monotonic() - start > 300:
                raise SystemExit(f"{argv[0]} did not start: {log.read_text()[-800:]}")
            time.sleep(0.2)
        yield time.monotonic() - start
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


@contextlib.contextmanager
def static_files(folder: Path) -> Iterator[str]:
    """Serve a folder over HTTP from a thread, as a published dump is served on the web."""
    class Quiet(SimpleHTTPRequestHandler):
        extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".nt": "application/n-triples"}

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def legkg(*args: str) -> tuple[float, str]:
    """Run one legkg process; return its wall time and its JSON output ("timeout" or the error if it failed)."""
    start = time.monotonic()
    try:
        done = subprocess.run([*LEGKG, *args, "--format", "json"], capture_output=True, text=True,
                              timeout=TIMEOUT + 30)
    except subprocess.TimeoutExpired:
        return float(TIMEOUT), "timeout"
    took = time.monotonic() - start
    return took, normalised(done.stdout) if done.returncode == 0 else "error: " + done.stderr.strip()


def normalised(text: str) -> str:
    """A command's JSON output; for SPARQL results, its rows in a fixed order (the query has no ORDER BY)."""
    data = json.loads(text)
    if isinstance(data, dict) and "results" in data:
        data = sorted(json.dumps(row, sort_keys=True) for row in data["results"]["bindings"])
    return json.dumps(data, sort_keys=True)


def measure(url: str, repeat: int, local: dict[str, str]) -> dict[str, tuple[float, str]]:
    """Median seconds of each query against ``url``, and "same", "differs" or why it failed.

    After a failure (Comunica restarts a worker whose query ran past its timeout) the next run
    waits until the endpoint answers again.
    """
    count = ["--endpoint", url, "--timeout", str(TIMEOUT), "sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    legkg(*count)
    out = {}
    for title, args in QUERIES:
        runs = []
        for _ in range(repeat):
            runs.append(legkg("--endpoint", url, "--timeout", str(TIMEOUT), *args))
            if runs[-1][1].startswith(("error", "timeout")):
                deadline = time.monotonic() + 300
                while legkg(*count)[1].startswith(("error", "timeout")) and time.monotonic() < deadline:
                    time.sleep(2)
        failed = next((text for _, text in runs if text.startswith(("error", "timeout"))), None)
        verdict = failed or ("same" if all(text == local[title] for _, text in runs) else "differs")
        out[title] = (statistics.median(t for t, _ in runs), verdict)
        print(f"  {title}: {out[title][0]:.2f} s, {verdict}", file=sys.stderr)
    return out


def report(version: str, starts: dict[str, float], results: dict[str, dict], repeat: int) -> str:
    file, store = results["file"], results["store"]
    lines = [
        "# Comunica: file source and N3 store",
        "",
        f"Written by `bench/bench_comunica.py --repeat {repeat}`: Comunica {version} (`@comunica/query-sparql`) "
        "on 127.0.0.1 over the graph `legkg export` writes. Each figure is the median wall time of whole "
        f"`legkg --endpoint URL ... --format json` processes (Python start-up included); a query over {TIMEOUT} s "
        "counts as a time-out. \"same\" says every run gave the embedded store's output.",
        "",
        f"Ready to answer: file source {starts['file']:.1f} s, N3 store {starts['store']:.1f} s.",
        "",
        "| query | file source (`comunica-sparql-http URL`) | N3 store (`.ci/comunica-endpoint.js`) | ratio |",
        "| --- | --- | --- | --- |",
    ]
    for title, _ in QUERIES:
        (a, verdict_a), (b, verdict_b) = file[title], store[title]
        cells = [f"{t:.2f} s ({v})" if v in ("same", "differs") else f"failed after {t:.1f} s: {v.splitlines()[0][:90]}"
                 for t, v in ((a, verdict_a), (b, verdict_b))]
        ratio = f"{a / b:.1f}×" if "same" == verdict_a == verdict_b else "–"
        lines.append(f"| {title} | {cells[0]} | {cells[1]} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query per endpoint (median)")
    parser.add_argument("--write", type=Path, help="write the Markdown results here")
    opts = parser.parse_args(argv)
    if not shutil.which("node"):
        raise SystemExit("node is not installed")
    installed = subprocess.run([str(REPO / ".ci" / "install-servers.sh"), "comunica"], capture_output=True,
                               text=True, check=True).stdout
    program = Path(dict(line.split("\t", 1) for line in installed.splitlines())["comunica"])
    modules = program.parent.parent
    version = next(line.split('"')[3] for line in (modules / "@comunica/query-sparql/package.json").read_text()
                   .splitlines() if '"version"' in line)
    results, starts = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "legkg.nt"
        subprocess.run([*LEGKG, "export", "--format", "nt", "--output", str(data)], check=True, capture_output=True)
        local = {title: legkg(*args)[1] for title, args in QUERIES}
        port = free_port()
        with static_files(Path(tmp)) as base, started(
                [str(program), f"{base}/legkg.nt", "--port", str(port), "--timeout", str(TIMEOUT)],
                f"http://127.0.0.1:{port}/sparql", Path(tmp) / "file.log") as starts["file"]:
            print("file source", file=sys.stderr)
            results["file"] = measure(f"http://127.0.0.1:{port}/sparql", opts.repeat, local)
        port = free_port()
        with started(["node", str(REPO / ".ci" / "comunica-endpoint.js"), str(data), str(port), str(TIMEOUT)],
                     f"http://127.0.0.1:{port}/sparql", Path(tmp) / "store.log",
                     env={"NODE_PATH": str(modules)}) as starts["store"]:
            print("N3 store", file=sys.stderr)
            results["store"] = measure(f"http://127.0.0.1:{port}/sparql", opts.repeat, local)
    text = report(version, starts, results, opts.repeat)
    if opts.write:
        opts.write.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
