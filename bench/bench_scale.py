"""Scale benchmark through legkg's own commands: a big vocabulary linked beside the ontology.

For each size (default 10^6 and 10^7 triples) it generates an OBO-shaped vocabulary as
N-Triples, MONDO-like: OWL classes with a label, an exact and a related synonym, a parent
(``rdfs:subClassOf``, a 10-way tree), a ``hasDbXref`` and a ``skos:exactMatch`` to a code;
the codes that legkg's own mappings use (SNOMED CT, ICD-10-CM, UMLS, MeSH, DOID, ...) are
spread among them, and the MONDO classes legkg maps to are classes of it, so the cross
queries have rows. Then, every step a fresh process:

- **load**: ``legkg link FILE --name synth`` into an empty cache (wall time and peak RSS of
  the whole process, store size; median of ``--load-runs``);
- **cold queries, local**: ``legkg --with synth link query linked-codes`` (the canned
  cross query) and ``legkg --with synth sparql --file Q`` for three shapes: **lookup** a
  class by synonym, **join** conditions that affect the sciatic nerve, their codes and the
  vocabulary's classes matching them, with their parents (ontology x vocabulary), **path**
  the classes under one class (``rdfs:subClassOf*``, up to 1,111);
- **servers**: Fuseki (Jena TDB2, loaded by ``tdb2.tdbloader``) and Oxigraph server (loaded by
  ``oxigraph load``), each holding ``legkg export --format nt`` and the vocabulary, queried by
  ``legkg --endpoint URL sparql --file Q`` (a fresh legkg process; one warm-up query first);
- **side by side**: Jena's ``tdb2.tdbquery`` (a fresh JVM per query over the TDB2 database) and
  rdflib (one process parses the same N-Triples and runs the same queries; its cold time is
  start-up + parse + query; up to ``--rdflib-max`` triples).

Servers come from ``.ci/install-servers.sh``, Jena's tools from ``bench/fetch-jena.sh``.

Example:
    python bench/bench_scale.py --sizes 1e5 --runs 3 --load-runs 1       # a quick run (about a minute)
    python bench/bench_scale.py --write bench/scale-results.md --json bench/scale-results.json \\
        --plot bench/scale.png --docs docs/scaling-out.md
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
import textwrap
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
LEGKG_BIN = str(BIN / "legkg")
OBO = "http://purl.obolibrary.org/obo/"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OIO = "http://www.geneontology.org/formats/oboInOwl#"
LEGKG = "https://w3id.org/legkg/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
MATCHES = [SKOS + m for m in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")]
FANOUT, FIRST = 10, 8_000_000  # synthetic MONDO numbers start here, far from the real ones
PER_CLASS = 7
PREFIXES = (f"PREFIX rdfs: <{RDFS}>\nPREFIX skos: <{SKOS}>\nPREFIX oboInOwl: <{OIO}>\nPREFIX obo: <{OBO}>\n"
            f"PREFIX legkg: <{LEGKG}>\n")
SHAPES = ["canned", "lookup", "join", "path"]


# ---------------------------------------------------------------- data


def mapped_codes(ontology_nt: Path) -> list[str]:
    """Every code legkg maps a term to (objects of its skos:*Match triples), as IRIs."""
    codes: set[str] = set()
    with ontology_nt.open(encoding="utf-8") as f:
        for line in f:
            parts = line.split(" ", 2)
            if len(parts) == 3 and parts[1][1:-1] in MATCHES and parts[2].startswith("<"):
                codes.add(parts[2].split(">", 1)[0][1:])
    return sorted(codes)


def classes_for(triples: int) -> int:
    return max(100, triples // PER_CLASS)


def iri(i: int) -> str:
    return f"<{OBO}MONDO_{FIRST + i}>"


def write_vocabulary(path: Path, n: int, codes: list[str]) -> int:
    """Write ``n`` synthetic classes (and the MONDO classes legkg maps to) as N-Triples; return the triple count."""
    mondo = [c for c in codes if c.startswith(OBO + "MONDO_")]
    others = [c for c in codes if not c.startswith(OBO + "MONDO_")]
    stride = max(1, n // (len(others) + 1))
    real = {i * stride + 1: code for i, code in enumerate(others)}
    count = 0
    with path.open("w", encoding="utf-8") as out:
        lines: list[str] = []
        for i in range(n):
            c = iri(i)
            target = real.get(i, f"http://snomed.info/id/{i}99")
            lines.append(f"{c} <{RDF_TYPE}> <{OWL_CLASS}> .\n"
                         f'{c} <{RDFS}label> "synthetic disease {i}" .\n'
                         f'{c} <{OIO}hasExactSynonym> "disease {i} exact" .\n'
                         f'{c} <{OIO}hasRelatedSynonym> "disease {i} related" .\n'
                         f'{c} <{OIO}hasDbXref> "DOID:{FIRST + i}" .\n'
                         f"{c} <{SKOS}exactMatch> <{target}> .\n")
            count += 6
            if i:
                lines.append(f"{c} <{RDFS}subClassOf> {iri((i - 1) // FANOUT)} .\n")
                count += 1
            if len(lines) >= 20_000:
                out.write("".join(lines))
                lines.clear()
        for k, code in enumerate(mondo):
            lines.append(f'<{code}> <{RDF_TYPE}> <{OWL_CLASS}> .\n<{code}> <{RDFS}label> "synthetic class {k}" .\n'
                         f"<{code}> <{RDFS}subClassOf> {iri(k % n)} .\n")
            count += 3
        out.write("".join(lines))
    return count


def subtree_root(n: int) -> int:
    """A class three levels above the deepest ones, so its subtree has up to 1,111 classes."""
    depth, first = 0, 0
    while first + FANOUT ** depth < n:
        first += FANOUT ** depth
        depth += 1
    return sum(FANOUT ** d for d in range(max(0, depth - 3)))


def queries(n: int) -> dict[str, str]:
    """The query texts, with their prefixes, for a vocabulary of ``n`` classes."""
    canned = (ROOT / "queries" / "linked" / "linked-codes.rq").read_text(encoding="utf-8")
    matches = "|".join(f"<{m}>" for m in MATCHES)
    return {
        "canned": PREFIXES + "\n".join(line for line in canned.splitlines() if not line.startswith("#")) + "\n",
        "lookup": PREFIXES + f'SELECT ?c ?label WHERE {{ ?c oboInOwl:hasExactSynonym "disease {n // 2} exact" ; '
                             "rdfs:label ?label }\n",
        "join": PREFIXES + "SELECT DISTINCT ?cond ?code ?class ?label ?parent_label WHERE {\n"
                           f"  ?cond legkg:affects legkg:SciaticNerve ; {matches} ?code .\n"
                           "  ?class skos:exactMatch ?code ; rdfs:label ?label ; rdfs:subClassOf ?parent .\n"
                           "  ?parent rdfs:label ?parent_label .\n} ORDER BY ?cond ?code\n",
        "path": PREFIXES + f"SELECT ?d ?label WHERE {{ ?d rdfs:subClassOf* <{OBO}MONDO_{FIRST + subtree_root(n)}> ; "
                           "rdfs:label ?label }\n",
    }


# ---------------------------------------------------------------- processes


def measured(cmd: list[str], env: dict[str, str] | None = None,
             timeout: float = 3600) -> tuple[float, int, str, float]:
    """Run a process to completion; its wall seconds, peak RSS (KiB, ``os.wait4``), stdout and CPU seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, stdin=subprocess.DEVNULL)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise RuntimeError(f"{' '.join(cmd[:4])} gave no answer in {timeout:.0f} s")
            time.sleep(0.002)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])} failed: {' '.join(err.read().decode()[-400:].split())}")
        return wall, usage.ru_maxrss, out.read().decode(), usage.ru_utime + usage.ru_stime


def rows_in(out: str) -> int:
    """Rows of a JSON answer: a legkg array or W3C SPARQL results."""
    data = json.loads(out)
    return len(data) if isinstance(data, list) else len(data["results"]["bindings"])


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(argv: list[str], ready: str, log: Path, env: dict[str, str] | None = None):
    """A server process, stopped on exit; waits until ``ready`` answers."""
    with log.open("wb") as f:
        proc = subprocess.Popen(argv, stdout=f, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env={**os.environ, **(env or {})}, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(ready, timeout=2):
                    break
            except urllib.error.HTTPError:
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{argv[0]} did not start: {log.read_text()[-400:]}") from None
                time.sleep(0.3)
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)


def tools() -> dict[str, str]:
    """Paths of the Fuseki jar, Oxigraph server and Jena's class path (installed on first use)."""
    out = subprocess.run([str(ROOT / ".ci" / "install-servers.sh"), "fuseki", "python"], capture_output=True,
                         text=True, check=True, timeout=1800).stdout
    found = dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)
    found["jena"] = subprocess.run(["bash", str(HERE / "fetch-jena.sh")], capture_output=True, text=True, check=True,
                                   timeout=1800).stdout.strip()
    return found


# ---------------------------------------------------------------- one size


RDFLIB = textwrap.dedent("""
    import json, sys, time
    t0 = time.perf_counter()
    import rdflib
    g = rdflib.Graph()
    for f in sys.argv[1:3]:
        g.parse(f, format="nt")
    print(json.dumps({"parse": time.perf_counter() - t0, "triples": len(g)}), flush=True)
    for name, text in json.loads(sys.argv[3]).items():
        t = time.perf_counter()
        n = len(list(g.query(text)))
        print(json.dumps({name: time.perf_counter() - t, name + "_rows": n}), flush=True)
""")


def run_rdflib(ontology_nt: Path, vocab: Path, qs: dict[str, str], budget: float) -> dict:
    """rdflib in one process: parse, then each query; a query still running ``budget`` s after the parse is cut."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", RDFLIB, str(ontology_nt), str(vocab), json.dumps(qs)],
                                stdout=out, stderr=subprocess.DEVNULL)
        res: dict = {}
        peak = 0
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                peak = usage.ru_maxrss
                break
            out.seek(0)
            for line in out.read().decode().splitlines():
                res.update(json.loads(line))
            if "parse" in res and time.perf_counter() - start > res["parse"] + budget:
                with open(f"/proc/{proc.pid}/status") as f:
                    peak = next(int(x.split()[1]) for x in f if x.startswith("VmHWM"))
                proc.kill()
                os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        out.seek(0)
        for line in out.read().decode().splitlines():
            res.update(json.loads(line))
    res["peak_kib"] = peak
    res["cut"] = [k for k in qs if k not in res]
    return res


def cold(cmds: dict[str, list[str]], runs: int, env: dict[str, str] | None = None, timeout: float = 600) -> dict:
    """Median and best wall time, peak RSS and rows of each command, interleaved, after one warm-up each."""
    rows = {k: rows_in(measured(c, env, timeout)[2]) for k, c in cmds.items()}
    times: dict[str, list[float]] = {k: [] for k in cmds}
    cpu: dict[str, list[float]] = {k: [] for k in cmds}
    peak = dict.fromkeys(cmds, 0)
    for _ in range(runs):
        for k, c in cmds.items():
            wall, rss, _, used = measured(c, env, timeout)
            times[k].append(wall)
            cpu[k].append(used)
            peak[k] = max(peak[k], rss)
    return {k: {"median_s": statistics.median(v), "best_s": min(v), "cpu_s": statistics.median(cpu[k]),
                "peak_kib": peak[k], "rows": rows[k]} for k, v in times.items()}


def bench_size(work: Path, target: int, ontology_nt: Path, tool: dict[str, str], args) -> dict:
    """Generate, link, load on the servers and query one size."""
    say = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    n = classes_for(target)
    vocab = work / f"synth-{target}.nt"
    triples = write_vocabulary(vocab, n, mapped_codes(ontology_nt))
    say(f"  {target:,}: {triples:,} triples ({n:,} classes), {vocab.stat().st_size / 2**20:,.0f} MiB")
    res: dict = {"target": target, "triples": triples, "classes": n, "nt_bytes": vocab.stat().st_size}
    qdir = work / f"queries-{target}"
    qdir.mkdir(exist_ok=True)
    qs = queries(n)
    qfiles = {}
    for k, text in qs.items():
        qfiles[k] = qdir / f"{k}.rq"
        qfiles[k].write_text(text, encoding="utf-8")

    # legkg link, into an empty cache each time
    load_runs = args.load_runs if target < 5e6 else args.big_load_runs
    cache = work / "cache"
    loads = []
    for _ in range(load_runs):
        shutil.rmtree(cache, ignore_errors=True)
        env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
        measured([LEGKG_BIN, "terms", "numb"], env)  # builds legkg's own cache, not part of the link
        loads.append(measured([LEGKG_BIN, "link", str(vocab), "--name", "synth"], env))
    res["link"] = {"runs": [w for w, _, _, _ in loads], "median_s": statistics.median(w for w, _, _, _ in loads),
                   "cpu_s": statistics.median(c for _, _, _, c in loads), "peak_kib": max(r for _, r, _, _ in loads),
                   "store_bytes": folder_size(cache / "linked-store"), "summary": loads[-1][2].strip()}
    say(f"    legkg link: {res['link']['median_s']:.1f} s, {res['link']['peak_kib'] / 1024:.0f} MiB peak, "
        f"store {res['link']['store_bytes'] / 2**20:,.0f} MiB")
    local = {"canned": [LEGKG_BIN, "--with", "synth", "link", "query", "linked-codes", "--format", "json"]}
    for k in ("lookup", "join", "path"):
        local[k] = [LEGKG_BIN, "--with", "synth", "sparql", "--file", str(qfiles[k]), "--format", "json"]
    res["local"] = cold(local, args.runs, env)
    say("    legkg --with: " + ", ".join(f"{k} {v['median_s'] * 1000:.0f} ms ({v['rows']} rows)"
                                        for k, v in res["local"].items()))
    shutil.rmtree(cache, ignore_errors=True)

    # Jena TDB2: tdb2.tdbloader, tdb2.tdbquery, then Fuseki over the same database
    if tool:
        java = ["java", "-Xmx2g", "-cp", tool["jena"]]
        tdb = work / "tdb2"
        shutil.rmtree(tdb, ignore_errors=True)
        wall, rss, _, _ = measured([*java, "tdb2.tdbloader", "--loc", str(tdb), str(ontology_nt), str(vocab)])
        res["tdb2"] = {"load_s": wall, "peak_kib": rss, "store_bytes": folder_size(tdb)}
        say(f"    tdb2.tdbloader: {wall:.1f} s, {rss / 1024:.0f} MiB peak")
        res["tdbquery"] = cold({k: [*java, "tdb2.tdbquery", "--loc", str(tdb), "--query", str(f), "--results=json"]
                                for k, f in qfiles.items()}, max(1, args.runs // 2))
        say("    tdb2.tdbquery: " + ", ".join(f"{k} {v['median_s'] * 1000:.0f} ms ({v['rows']} rows)"
                                             for k, v in res["tdbquery"].items()))
        port = free_port()
        with server(["java", "-Xmx2g", "-jar", tool["fuseki"], "--loc", str(tdb), "--localhost", "--port", str(port),
                     "/ds"], f"http://127.0.0.1:{port}/$/ping", work / "fuseki.log",
                    env={"FUSEKI_BASE": str(work / "fuseki-base")}):
            res["fuseki"] = cold({k: [LEGKG_BIN, "--endpoint", f"http://127.0.0.1:{port}/ds/query", "--timeout",
                                      "300", "sparql", "--file", str(f), "--format", "json"]
                                  for k, f in qfiles.items()}, args.runs)
        say("    legkg --endpoint Fuseki: " + ", ".join(f"{k} {v['median_s'] * 1000:.0f} ms ({v['rows']} rows)"
                                                        for k, v in res["fuseki"].items()))
        shutil.rmtree(tdb, ignore_errors=True)

        oxdir = work / "oxigraph"
        shutil.rmtree(oxdir, ignore_errors=True)
        wall, rss, _, _ = measured([tool["oxigraph"], "load", "--location", str(oxdir), "--file", str(ontology_nt),
                                 "--file", str(vocab)])
        res["oxigraph_load"] = {"load_s": wall, "peak_kib": rss, "store_bytes": folder_size(oxdir)}
        say(f"    oxigraph load: {wall:.1f} s, {rss / 1024:.0f} MiB peak")
        port = free_port()
        with server([tool["oxigraph"], "serve-read-only", "--location", str(oxdir), "--bind", f"127.0.0.1:{port}"],
                    f"http://127.0.0.1:{port}/", work / "oxigraph.log"):
            res["oxigraph"] = cold({k: [LEGKG_BIN, "--endpoint", f"http://127.0.0.1:{port}/query", "--timeout", "300",
                                        "sparql", "--file", str(f), "--format", "json"]
                                    for k, f in qfiles.items()}, args.runs)
        say("    legkg --endpoint Oxigraph: " + ", ".join(f"{k} {v['median_s'] * 1000:.0f} ms ({v['rows']} rows)"
                                                          for k, v in res["oxigraph"].items()))
        shutil.rmtree(oxdir, ignore_errors=True)

    if target <= args.rdflib_max:
        ordered = {k: qs[k] for k in ("lookup", "path", "join", "canned")}  # the slowest for rdflib last
        r = run_rdflib(ontology_nt, vocab, ordered, args.rdflib_budget)
        r["budget_s"] = args.rdflib_budget
        res["rdflib"] = r
        say(f"    rdflib: parse {r['parse']:.1f} s, {r['peak_kib'] / 1024:.0f} MiB; " + ", ".join(
            f"{k} {r[k] * 1000:.0f} ms ({r[k + '_rows']} rows)" for k in qs if k in r)
            + "".join(f", {k} cut after {args.rdflib_budget:.0f} s" for k in r["cut"]))
    else:
        res["rdflib"] = {"skipped": f"not run above {args.rdflib_max:,.0f} triples (--rdflib-max)"}
    vocab.unlink()
    return res


# ---------------------------------------------------------------- report

GOALS = {1_000_000: (0.300, 10, 1024), 10_000_000: (0.500, 150, 2048)}  # cold query s, load s, load MiB


def ms(r: dict | None, k: str) -> str:
    if not r or k not in r:
        return "-"
    return "cut" if r[k]["median_s"] == float("inf") else f"{r[k]['median_s'] * 1000:,.0f}"


def engines(s: dict) -> list[tuple[str, str, str, str, dict | None]]:
    """(engine, how it loads, load s, load peak MiB, cold query results) rows for one size."""
    def load(d: dict | None, key: str = "load_s") -> tuple[str, str]:
        return (f"{d[key]:,.1f}", f"{d['peak_kib'] / 1024:,.0f}") if d else ("-", "-")

    out = [("legkg, embedded (`--with synth`)", "`legkg link FILE --name synth`",
            *load(s["link"], "median_s"), s["local"])]
    if "fuseki" in s:
        out.append(("legkg `--endpoint` Fuseki 5.6 (TDB2)", "`tdb2.tdbloader`", *load(s["tdb2"]), s["fuseki"]))
        out.append(("legkg `--endpoint` Oxigraph server", "`oxigraph load`", *load(s["oxigraph_load"]), s["oxigraph"]))
        out.append(("Jena `tdb2.tdbquery` (a JVM per query)", "(the TDB2 database above)", "", "", s["tdbquery"]))
    rd = s["rdflib"]
    if "skipped" not in rd:
        cold_rd = {k: {"median_s": rd["parse"] + rd[k], "rows": rd[k + "_rows"]} if k in rd else
                   {"median_s": float("inf"), "rows": None} for k in SHAPES}
        out.append(("rdflib (parse + query, one process)", "`Graph.parse`", f"{rd['parse']:,.1f}",
                    f"{rd['peak_kib'] / 1024:,.0f}", cold_rd))
    return out


def report(results: dict) -> str:
    env = results["env"]
    lines = [f"# Scale benchmark ({env['date']})", "",
             f"{env['cores']} cores, {env['mem_gib']:.0f} GiB, Python {env['python']}, legkg {env['legkg']}, "
             f"pyoxigraph {env['pyoxigraph']}, rdflib {env['rdflib']}, Jena/Fuseki 5.6.0, Oxigraph server 0.5.13. "
             f"Load average "
             f"{env['load_before']} at the start, {env.get('load_after', '?')} at the end (1, 5, 15 min). "
             f"Command: `{env['command']}`; it took {env.get('took_min', 0):.0f} min.", "",
             "Every figure is a whole process started afresh (wall time from start to exit; peak RSS of that "
             "process; Python's bytecode cache on, as after an install). Queries: median of "
             f"{results['runs']} interleaved runs after one warm-up (Jena `tdb2.tdbquery`: "
             f"{max(1, results['runs'] // 2)}); servers keep running between queries, so their own caches are warm; "
             "the OS file cache is warm too. The vocabulary is OBO-shaped (MONDO-like classes with a label, "
             "two synonyms, a parent, a database cross-reference and a `skos:exactMatch`); the codes legkg maps "
             "to are among its matches, so the cross queries have rows. Query shapes: **canned** "
             "`queries/linked/linked-codes.rq` (legkg terms, their codes and the vocabulary's labels and parents); "
             "**lookup** a class by synonym; **join** conditions affecting the sciatic nerve, their codes, "
             "the vocabulary classes matching them and their parents; **path** the classes under one class "
             "(`rdfs:subClassOf*`, up to 1,111).", ""]
    for s in results["sizes"]:
        lines += [f"## {s['triples']:,} triples ({s['classes']:,} classes, N-Triples "
                  f"{s['nt_bytes'] / 2**20:,.0f} MiB)", "",
                  "| engine | loaded by | load s | load peak MiB | canned ms | lookup ms | join ms | path ms |",
                  "|---|---|---:|---:|---:|---:|---:|---:|"]
        for name, how, load_s, peak, r in engines(s):
            lines.append(f"| {name} | {how} | {load_s} | {peak} | " + " | ".join(ms(r, k) for k in SHAPES) + " |")
        link = s["link"]
        lines += ["", f"`legkg link`: {', '.join(f'{w:.1f}' for w in link['runs'])} s over {len(link['runs'])} "
                  f"load(s) ({link['cpu_s']:.1f} s of CPU), store {link['store_bytes'] / 2**20:,.0f} MiB on disk; "
                  f"{link['summary'].split(' from ')[0]}. CPU time (user + system) of the cold `legkg --with` "
                  "processes, which a busy machine inflates far less than wall time: "
                  + ", ".join(f"{k} {s['local'][k]['cpu_s'] * 1000:,.0f} ms" for k in SHAPES) + "."]
        rows = {name: tuple(r[k]["rows"] for k in SHAPES) for name, _, _, _, r in engines(s)}
        first = next(iter(rows.values()))
        differ = {n: v for n, v in rows.items() if any(a is not None and a != b for a, b in zip(v, first))}
        lines += [f"Rows (canned, lookup, join, path): {first}"
                  + (f"; they differ: {differ}" if differ else ", the same for every engine that answered."), ""]
        rd = s["rdflib"]
        if rd.get("cut"):
            lines += [f"rdflib: {', '.join(rd['cut'])} cut: still running {rd['budget_s']:.0f} s after the parse "
                      "(its property-path alternation `rdfs:label|skos:prefLabel` over an unbound subject "
                      "is evaluated by enumeration).", ""]
        if "skipped" in s["rdflib"]:
            done = [x for x in results["sizes"] if "parse" in x["rdflib"]]
            guess = ""
            if done:
                k = s["triples"] / done[-1]["triples"]
                guess = (f"; scaled from {done[-1]['triples']:,} triples, its parse alone would take about "
                         f"{done[-1]['rdflib']['parse'] * k / 60:,.0f} min and "
                         f"{done[-1]['rdflib']['peak_kib'] * k / 2**20:,.0f} GiB")
            lines += [f"rdflib {s['rdflib']['skipped']}{guess}.", ""]
        ratios = []
        base = s["local"]
        for name, _, _, _, r in engines(s)[1:]:
            both = [r[k]["median_s"] / base[k]["median_s"] for k in SHAPES if r[k]["median_s"] != float("inf")]
            worst, best = min(both), max(both)
            ratios.append(f"{name}: {worst:.1f}x to {best:.1f}x")
        lines += ["Cold query time over legkg's embedded store, per shape (above 1: legkg embedded is faster): "
                  + "; ".join(ratios) + ".", ""]
    lines += ["## Summary", "", *summary(results), "", "## Goals", ""] + goals(results)
    lines += ["", "![scale benchmark](scale.png)", ""]
    return "\n".join(lines)


def summary(results: dict) -> list[str]:
    """One row per engine and size: load time and memory, the slowest cold query and the fastest."""
    out = ["| triples | engine | load s | load peak MiB | slowest cold query ms | fastest ms |",
           "|---:|---|---:|---:|---:|---:|"]
    for s in results["sizes"]:
        for name, _, load_s, peak, r in engines(s):
            answered = [r[k]["median_s"] for k in SHAPES if r[k]["median_s"] != float("inf")]
            cut = " (canned cut)" if len(answered) < len(SHAPES) else ""
            out.append(f"| {s['triples']:,} | {name} | {load_s or '-'} | {peak or '-'} | "
                       f"{max(answered) * 1000:,.0f}{cut} | {min(answered) * 1000:,.0f} |")
    return out


def write_docs(results: dict, path: Path) -> None:
    """Put the summary and the goals between the ``scale-figures`` markers of a document."""
    text = path.read_text(encoding="utf-8")
    start, end = "<!-- scale-figures:start -->\n", "<!-- scale-figures:end -->"
    env = results["env"]
    body = [f"Measured {env['date']} on {env['cores']} cores shared with other work (load average "
            f"{env['load_before']} at the start, {env.get('load_after', '?')} at the end), so wall times are high; "
            "each figure a fresh process, queries the median of "
            f"{results['runs']} runs (`{env['command']}`):", "", *summary(results), "", *goals(results), "",
            "![scale benchmark](../bench/scale.png)", ""]
    head, rest = text.split(start, 1)
    path.write_text(head + start + "\n".join(body) + rest[rest.index(end):], encoding="utf-8")


def goals(results: dict) -> list[str]:
    out = []
    for s in results["sizes"]:
        goal = next((g for t, g in GOALS.items() if 0.9 * t <= s["triples"] <= 1.1 * t), None)
        if goal is None:
            continue
        q, load_s, mib = goal
        worst = max(s["local"][k]["median_s"] for k in SHAPES)
        link = s["link"]
        cpu = max(s["local"][k].get("cpu_s", 0) for k in SHAPES)
        out.append(f"- {s['triples']:,} triples: cold query (`legkg --with`, slowest shape) under {q * 1000:.0f} ms: "
                   f"{worst * 1000:.0f} ms, {'met' if worst < q else 'NOT met'} (its CPU time: {cpu * 1000:.0f} ms); "
                   f"`legkg link` under {load_s} s and {mib / 1024:g} GiB: {link['median_s']:.1f} s "
                   f"({link.get('cpu_s', 0):.1f} s of CPU), {link['peak_kib'] / 1024:,.0f} MiB, "
                   f"{'met' if link['median_s'] < load_s and link['peak_kib'] / 1024 < mib else 'NOT met'}")
    return out


def plot(results: dict, path: Path) -> None:
    """Three panels of grouped bars per size: load time, load peak memory, cold query (slowest shape)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    fig, axes = plt.subplots(1, 3, figsize=(14, 4.6))
    names = [e[0].replace("`", "") for e in engines(sizes[-1] if "fuseki" in sizes[-1] else sizes[0])]
    names += [n for s in sizes for n in (e[0].replace("`", "") for e in engines(s)) if n not in names]
    width = 0.8 / len(names)
    for panel, (title, value) in enumerate([
            ("load time (s)", lambda e: float(e[2].replace(",", "")) if e[2] not in ("", "-") else None),
            ("load peak memory (MiB)", lambda e: float(e[3].replace(",", "")) if e[3] not in ("", "-") else None),
            ("cold query, slowest shape answered (ms)",
             lambda e: max(v for k in SHAPES if (v := e[4][k]["median_s"]) != float("inf")) * 1000)]):
        ax = axes[panel]
        for j, name in enumerate(names):
            xs, ys = [], []
            for i, s in enumerate(sizes):
                for e in engines(s):
                    if e[0].replace("`", "") == name and value(e) is not None:
                        xs.append(i + j * width)
                        ys.append(value(e))
            ax.bar(xs, ys, width, label=name, color=f"C{j}")
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(sizes))], [f"{s['triples']:,}" for s in sizes])
        ax.set_yscale("log")
        ax.set_title(title)
        ax.set_xlabel("triples in the vocabulary")
        ax.grid(True, axis="y", alpha=0.3)
    for s_i, s in enumerate(sizes):
        goal = next((g for t, g in GOALS.items() if 0.9 * t <= s["triples"] <= 1.1 * t), None)
        if goal:
            for ax, v in zip(axes, (goal[1], goal[2], goal[0] * 1000)):
                ax.hlines(v, s_i - 0.1, s_i + 0.9, colors="grey", linestyles=":")
    axes[2].legend(fontsize=7)
    fig.suptitle("legkg scale benchmark: legkg link and --with against servers, Jena and rdflib (dotted: goals)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1e6, 1e7], help="vocabulary sizes in triples")
    parser.add_argument("--runs", type=int, default=5, help="cold query processes per shape (default 5)")
    parser.add_argument("--load-runs", type=int, default=3, help="legkg link runs below 5x10^6 triples (default 3)")
    parser.add_argument("--big-load-runs", type=int, default=1, help="legkg link runs from 5x10^6 up (default 1)")
    parser.add_argument("--rdflib-max", type=float, default=1e6, help="largest size rdflib is run at (default 1e6)")
    parser.add_argument("--rdflib-budget", type=float, default=120,
                        help="seconds rdflib may spend on its queries after parsing (default 120)")
    parser.add_argument("--no-servers", action="store_true", help="skip Fuseki, Oxigraph server and Jena")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    parser.add_argument("--write", type=Path, help="write the Markdown report here")
    parser.add_argument("--plot", type=Path, help="write the PNG plot here (needs matplotlib: the bench extra)")
    parser.add_argument("--docs", type=Path, help="put the summary table in this document (docs/scaling-out.md)")
    parser.add_argument("--report-only", type=Path, metavar="JSON",
                        help="write the report and plot from a results file of an earlier run, without measuring")
    args = parser.parse_args()
    if args.report_only:
        results = json.loads(args.report_only.read_text(encoding="utf-8"))
        if args.write:
            args.write.write_text(report(results), encoding="utf-8")
        if args.plot:
            plot(results, args.plot)
        if args.docs:
            write_docs(results, args.docs)
        return
    # as after a normal install, legkg's modules are compiled once, not at every start
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.monotonic()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="legkg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    from importlib.metadata import version

    results: dict = {"env": {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(),
                             "mem_gib": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
                             "python": sys.version.split()[0], "legkg": version("legkg"),
                             "pyoxigraph": version("pyoxigraph"), "rdflib": version("rdflib"),
                             "load_before": ", ".join(f"{x:.1f}" for x in os.getloadavg()),
                             "command": "python bench/bench_scale.py " + " ".join(sys.argv[1:])},
                     "runs": args.runs, "sizes": []}
    try:
        tool = {} if args.no_servers else tools()
        ontology_nt = work / "legkg.nt"
        subprocess.run([LEGKG_BIN, "export", "--format", "nt", "-o", str(ontology_nt)], check=True,
                       env=dict(os.environ, LEGKG_CACHE_DIR=str(work / "export-cache")))
        for target in args.sizes:
            print(f"size {target:,.0f}", file=sys.stderr)
            results["sizes"].append(bench_size(work, int(target), ontology_nt, tool, args))
            if args.json:  # keep what is done if a later size fails
                args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    results["env"]["load_after"] = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    results["env"]["took_min"] = (time.monotonic() - started) / 60
    text = report(results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    if args.plot:
        plot(results, args.plot)
    if args.docs:
        write_docs(results, args.docs)


if __name__ == "__main__":
    main()
