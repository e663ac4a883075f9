"""Scale benchmark: a persistent pyoxigraph store against rdflib, from 10^4 to 5x10^6 triples.

Part 1 (the ontology): the canned query ``conditions-by-anatomy-and-symptom`` (sciatic nerve,
numbness) as fresh processes, side by side: the ``legkg`` command, the plain rdflib script
(``bench/rdflib_baseline.py``) and Apache Jena's ``arq`` (``bench/fetch-jena.sh``) with the
same query text, the parameters bound by a VALUES block.

Part 1b (a real vocabulary): ``legkg link icd10cm`` (load time, peak RSS, store size, a
second run that finds it current) and the cold cross query ``icd10cm-chapters``.

Part 2 (scale): a synthetic SKOS vocabulary linked to the ontology (concepts with a label,
a notation, a 10-way ``skos:broader`` tree and, for every 100th concept, a
``skos:relatedMatch`` to a legkg condition or symptom) is written beside the ontology's
triples as N-Triples at each size. For each size it measures, every step a fresh process:

- load: ``Store(dir).bulk_load(...)`` of the file into the default graph; wall time (median
  of ``--load-runs``), peak RSS (``os.wait4``), size of the store folder on disk; at the
  ``--named-graph`` sizes also into a named graph, as ``legkg link`` holds a vocabulary;
- cold query: a process that opens the store with ``Store.read_only`` and answers one of
  three query shapes: selective lookup (a notation), a 3-pattern join into the ontology,
  a transitive path (``skos:broader*``); the median of ``--runs`` processes;
- rdflib: one process parses the same N-Triples and runs the same three queries; its cold
  latency for a shape is start-up + parse + that query (rdflib keeps nothing on disk).

Cold latency is measured to the moment the child has its answer (it prints ``time.time()``),
so the interpreter's exit (slow for rdflib, which frees millions of objects) is not counted.

Example:
    python bench/bench_scale.py --max-triples 100000 --runs 3        # a quick run
    python bench/bench_scale.py --write bench/scale-results.md --plot bench/scale.png
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent
SIZES = [10_000, 100_000, 1_000_000, 5_000_000]
SYN = "https://example.org/synth/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LEGKG = "https://w3id.org/legkg/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FANOUT = 10
LINK_EVERY = 100
PREFIXES = f"PREFIX skos: <{SKOS}>\nPREFIX legkg: <{LEGKG}>\nPREFIX syn: <{SYN}>\n"


# ---------------------------------------------------------------- data


def ontology_ntriples(cache: Path) -> bytes:
    """The triples legkg's embedded store queries (ontology, relation graph, inferences), as N-Triples."""
    env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
    code = ("import sys, pyoxigraph as ox; from legkg.store.local import load_store; "
            "sys.stdout.buffer.write(load_store().dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()))")
    return subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True).stdout


def link_targets(ontology_nt: bytes) -> list[str]:
    """legkg conditions and symptoms (subjects of legkg:affects or legkg:hasSymptom edges, and their symptoms)."""
    targets: set[str] = set()
    for line in ontology_nt.decode("utf-8").splitlines():
        parts = line.split(" ", 3)
        if len(parts) == 4 and parts[1] in (f"<{LEGKG}affects>", f"<{LEGKG}hasSymptom>"):
            targets.add(parts[0][1:-1])
            if parts[1] == f"<{LEGKG}hasSymptom>" and parts[2].startswith(f"<{LEGKG}"):
                targets.add(parts[2][1:-1])
    return sorted(t for t in targets if t.startswith(LEGKG))


def concepts_for(triples: int, base: int) -> int:
    """How many synthetic concepts make about ``triples`` triples together with ``base`` ontology triples."""
    per = 5 + 1 / LINK_EVERY  # type, label, notation, inScheme, broader (+ a link every LINK_EVERY)
    return max(10, int((triples - base) / per))


def write_dataset(path: Path, n: int, ontology_nt: bytes, targets: list[str]) -> int:
    """Write the ontology's triples and ``n`` synthetic concepts as N-Triples; return the triple count."""
    count = ontology_nt.count(b"\n")
    with path.open("wb") as out:
        out.write(ontology_nt)
        scheme = f"<{SYN}scheme>"
        lines: list[str] = []
        for i in range(n):
            c = f"<{SYN}C{i}>"
            lines.append(f"{c} <{RDF_TYPE}> <{SKOS}Concept> .\n"
                         f'{c} <{SKOS}prefLabel> "synthetic concept {i}"@en .\n'
                         f'{c} <{SKOS}notation> "S{i}" .\n'
                         f"{c} <{SKOS}inScheme> {scheme} .\n")
            count += 4
            if i:
                lines.append(f"{c} <{SKOS}broader> <{SYN}C{(i - 1) // FANOUT}> .\n")
                count += 1
            if i % LINK_EVERY == 0:
                lines.append(f"{c} <{SKOS}relatedMatch> <{targets[(i // LINK_EVERY) % len(targets)]}> .\n")
                count += 1
            if len(lines) >= 50_000:
                out.write("".join(lines).encode("utf-8"))
                lines.clear()
        out.write("".join(lines).encode("utf-8"))
    return count


def subtree_root(n: int) -> int:
    """A concept three levels above the deepest ones, so its subtree has up to 1,111 concepts."""
    depth, first = 0, 0  # first id at each depth: 0, 1, 11, 111, ...
    while first + FANOUT ** depth < n:
        first += FANOUT ** depth
        depth += 1
    root_depth = max(0, depth - 3)
    return sum(FANOUT ** d for d in range(root_depth))


def queries(n: int) -> dict[str, str]:
    """The three query shapes for a vocabulary of ``n`` concepts."""
    return {
        "lookup": PREFIXES + f'SELECT ?c ?label WHERE {{ ?c skos:notation "S{n // 2}" ; skos:prefLabel ?label }}',
        "join": PREFIXES + "SELECT ?c ?label ?cond WHERE {\n  ?cond legkg:affects legkg:SciaticNerve .\n"
                           "  ?c skos:relatedMatch ?cond .\n  ?c skos:prefLabel ?label .\n}",
        "path": PREFIXES + f"SELECT DISTINCT ?d WHERE {{ ?d skos:broader* syn:C{subtree_root(n)} }}",
    }


# ---------------------------------------------------------------- processes

OX_LOAD = textwrap.dedent("""
    import sys, time, pyoxigraph as ox
    t = time.perf_counter()
    store = ox.Store(sys.argv[1])
    graph = ox.NamedNode(sys.argv[3]) if len(sys.argv) > 3 else ox.DefaultGraph()
    store.bulk_load(path=sys.argv[2], format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
    store.flush()
    n = len(store)
    del store
    print(time.perf_counter() - t, n)
""")

OX_QUERY = textwrap.dedent("""
    import sys, time
    t0 = time.perf_counter()
    import pyoxigraph as ox
    t = time.perf_counter()
    store = ox.Store.read_only(sys.argv[1])
    rows = list(store.query(sys.argv[2]))
    print(time.perf_counter() - t, len(rows), time.time())
""")

RDFLIB = textwrap.dedent("""
    import json, sys, time
    t0 = time.perf_counter()
    import rdflib
    g = rdflib.Graph()
    g.parse(sys.argv[1], format="nt")
    out = {"parse": time.perf_counter() - t0, "parsed_at": time.time(), "triples": len(g)}
    for name, text in json.loads(sys.argv[2]).items():
        t = time.perf_counter()
        rows = list(g.query(text))
        out[name] = time.perf_counter() - t
        out[name + "_rows"] = len(rows)
    print(json.dumps(out))
""")


def run_measured(cmd: list[str], env: dict[str, str] | None = None,
                 timeout: float | None = None) -> tuple[float, int, str, float]:
    """Run a process to completion, reaped with ``os.wait4``.

    Returns its wall seconds, its own peak RSS (KiB), its stdout and the wall-clock time
    (``time.time()``) it was started at, so that a child printing ``time.time()`` when its
    answer is ready gives the latency to the answer, without the interpreter's exit.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        spawned = time.time()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=env)
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise subprocess.TimeoutExpired(cmd, timeout or 0)
            time.sleep(0.002)
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:3])} failed: {err.read().decode()[-400:]}")
        return elapsed, usage.ru_maxrss, out.read().decode(), spawned


def folder_size(path: Path) -> int:
    """Bytes used by the files under a folder."""
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# ---------------------------------------------------------------- part 1: the ontology


def values_query(text: str, bindings: dict[str, str]) -> str:
    """The canned query with its parameters bound by a VALUES block, as legkg binds them.

    Done in a child process, so that this one stays small (a child's peak RSS counts the
    parent's pages it shares between fork and exec).
    """
    code = ("import json, sys; from pyoxigraph import NamedNode; from legkg.store.local import with_values; "
            "t, b = json.loads(sys.stdin.read()); "
            "sys.stdout.write(with_values(t, {k: NamedNode(v) for k, v in b.items()}))")
    return subprocess.run([sys.executable, "-c", code], input=json.dumps([text, bindings]), text=True,
                          capture_output=True, check=True).stdout


def bench_ontology(work: Path, runs: int, ontology_nt: bytes) -> dict:
    """Cold latency of the design question: legkg vs the rdflib script vs arq, interleaved."""
    cache = work / "legkg-cache"
    env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
    text = (ROOT / "queries" / "conditions-by-anatomy-and-symptom.rq").read_text(encoding="utf-8")
    bound = values_query(text, {"anatomy": f"{LEGKG}SciaticNerve", "symptom": f"{LEGKG}Numbness"})
    qfile = work / "conditions-by-anatomy-and-symptom.rq"
    qfile.write_text(bound, encoding="utf-8")
    derived = work / "legkg-derived.nt"
    derived.write_bytes(ontology_nt)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "legkg query run (cold process)": [str(BIN / "legkg"), "query", "run", "conditions-by-anatomy-and-symptom",
                                           "-p", "anatomy", "sciatic nerve", "-p", "symptom", "numbness",
                                           "--format", "json"],
        "rdflib script (bench/rdflib_baseline.py)": [sys.executable, str(HERE / "rdflib_baseline.py")],
    }
    notes = []
    try:
        cp = subprocess.run(["bash", str(HERE / "fetch-jena.sh")], capture_output=True, text=True, check=True,
                            timeout=600).stdout.strip()
        java = ["java", "-Xshare:auto", "-cp", cp, "arq.sparql", "--results=json", "--query", str(qfile)]
        commands["Jena arq, legkg's derived triples (.nt)"] = [*java, "--data", str(derived)]
        commands["Jena arq, the .owl source only"] = [*java, "--data", str(ROOT / "ontology" / "legkg-edit.owl")]
    except (subprocess.SubprocessError, OSError) as e:
        notes.append(f"arq not measured: {e}")
    rows: dict[str, int] = {}
    for name, cmd in list(commands.items()):  # warm-up: builds legkg's cache, warms the OS file cache
        try:
            _, _, out, _ = run_measured(cmd, env)
        except RuntimeError as e:
            notes.append(f"{name} not measured: {' '.join(str(e).split())[-300:]}")
            del commands[name]
            continue
        rows[name] = _count_rows(out)
    times: dict[str, list[float]] = {k: [] for k in commands}
    peak: dict[str, int] = dict.fromkeys(commands, 0)
    for _ in range(runs):
        for name, cmd in commands.items():
            t, rss, _, _ = run_measured(cmd, env)
            times[name].append(t)
            peak[name] = max(peak[name], rss)
    return {"runs": runs, "bound_query": bound, "notes": notes,
            "results": {k: {"median_s": statistics.median(v), "best_s": min(v), "peak_kib": peak[k],
                            "rows": rows[k]} for k, v in times.items()}}


def _count_rows(out: str) -> int:
    """Rows in a JSON answer: a legkg array, or W3C SPARQL results; -1 if not JSON."""
    try:
        data = json.loads(out)
    except ValueError:
        return -1
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict) and "results" in data:
        return len(data["results"]["bindings"])
    return -1


# ---------------------------------------------------------------- part 1b: a real linked vocabulary

LINKED_QUERY = textwrap.dedent("""
    import time
    from legkg.vocab.linked import open_linked, run_linked
    rows = run_linked(open_linked(graphs=["icd10cm"]), "icd10cm-chapters")[1]
    print(len(rows), time.time())
""")


def bench_icd10cm(work: Path, runs: int) -> dict:
    """``legkg link icd10cm`` (load time, peak RSS, store size) and the cold cross query ``icd10cm-chapters``."""
    cache = work / "icd10cm-cache"
    env = dict(os.environ, LEGKG_CACHE_DIR=str(cache))
    wall, rss, out, _ = run_measured([str(BIN / "legkg"), "link", "icd10cm"], env)
    res: dict = {"link_s": wall, "link_peak_kib": rss, "summary": out.strip().split(" in /")[0],
                 "store_bytes": folder_size(cache / "linked-store")}
    _, _, out, _ = run_measured([sys.executable, "-c", LINKED_QUERY], env)  # copies the ontology in, once
    wall, _, again, _ = run_measured([str(BIN / "legkg"), "link", "icd10cm"], env)
    res["relink_s"] = wall
    lat = []
    for _ in range(runs):
        _, rss, out, spawned = run_measured([sys.executable, "-c", LINKED_QUERY], env)
        n, answered = out.split()
        lat.append(float(answered) - spawned)
        res["query_peak_kib"] = rss
    res.update(query_cold_s=statistics.median(lat), query_best_s=min(lat), rows=int(n), runs=runs)
    shutil.rmtree(cache, ignore_errors=True)
    return res


# ---------------------------------------------------------------- part 2: scale


def bench_size(work: Path, target: int, ontology_nt: bytes, targets: list[str], runs: int,
               rdflib_max: int, rdflib_timeout: float, named_graph: bool = False, load_runs: int = 1) -> dict:
    """Generate, load and query one size; rdflib too when ``target <= rdflib_max``."""
    base = ontology_nt.count(b"\n")
    n = concepts_for(target, base)
    data = work / f"data-{target}.nt"
    t = time.perf_counter()
    triples = write_dataset(data, n, ontology_nt, targets)
    gen = time.perf_counter() - t
    print(f"  {target:>9,}: {triples:,} triples ({n:,} concepts) written in {gen:.1f} s", file=sys.stderr)
    store = work / f"store-{target}"
    shutil.rmtree(store, ignore_errors=True)
    loads = []
    for _ in range(load_runs):  # median of fresh loads into an empty folder
        shutil.rmtree(store, ignore_errors=True)
        loads.append(run_measured([sys.executable, "-c", OX_LOAD, str(store), str(data)]))
    wall = statistics.median(w for w, _, _, _ in loads)
    rss = max(r for _, r, _, _ in loads)
    inner, loaded = loads[-1][2].split()
    res: dict = {"target": target, "triples": triples, "concepts": n, "nt_bytes": data.stat().st_size,
                 "ox": {"load_s": wall, "load_all_s": [w for w, _, _, _ in loads], "load_inner_s": float(inner),
                        "loaded": int(loaded), "peak_kib": rss, "store_bytes": folder_size(store)}}
    size_mib = res["ox"]["store_bytes"] / 2**20
    print(f"    oxigraph load {wall:.1f} s, {rss / 1024:.0f} MiB peak, store {size_mib:.0f} MiB", file=sys.stderr)
    if named_graph:  # as a linked vocabulary is held: a named graph, indexed six ways instead of three
        named = work / f"store-{target}-named"
        shutil.rmtree(named, ignore_errors=True)
        wall, rss, out, _ = run_measured([sys.executable, "-c", OX_LOAD, str(named), str(data), SYN + "graph"])
        res["ox_named"] = {"load_s": wall, "peak_kib": rss, "store_bytes": folder_size(named)}
        shutil.rmtree(named, ignore_errors=True)
        print(f"    oxigraph load into a named graph {wall:.1f} s, {rss / 1024:.0f} MiB peak, "
              f"store {res['ox_named']['store_bytes'] / 2**20:.0f} MiB", file=sys.stderr)
    qs = queries(n)
    res["queries"] = qs
    for name, text in qs.items():
        walls, inners, nrows = [], [], 0
        for _ in range(runs):
            _, _, out, spawned = run_measured([sys.executable, "-c", OX_QUERY, str(store), text])
            inner_s, nrows_s, answered = out.split()
            walls.append(float(answered) - spawned)
            inners.append(float(inner_s))
            nrows = int(nrows_s)
        res["ox"][name] = {"cold_s": statistics.median(walls), "open_query_s": statistics.median(inners),
                           "rows": nrows}
        print(f"    oxigraph {name}: cold {statistics.median(walls) * 1000:.0f} ms "
              f"(open+query {statistics.median(inners) * 1000:.0f} ms, {nrows} rows)", file=sys.stderr)
    if target <= rdflib_max:
        try:
            wall, rss, out, spawned = run_measured([sys.executable, "-c", RDFLIB, str(data), json.dumps(qs)],
                                                   timeout=rdflib_timeout)
            r = json.loads(out)
            r.update(process_s=wall, peak_kib=rss)
            for k in qs:  # a fresh process answering this one query: start-up, parse, the query
                r[k + "_cold_s"] = r["parsed_at"] - spawned + r[k]
            res["rdflib"] = r
            print(f"    rdflib parse {r['parse']:.1f} s, {rss / 1024:.0f} MiB peak; queries "
                  + ", ".join(f"{k} {r[k] * 1000:.0f} ms ({r[k + '_rows']} rows)" for k in qs), file=sys.stderr)
        except subprocess.TimeoutExpired:
            res["rdflib"] = {"skipped": f"gave up after {rdflib_timeout:.0f} s"}
    else:
        res["rdflib"] = {"skipped": f"not run above {rdflib_max:,} triples (--rdflib-max)"}
    data.unlink()
    shutil.rmtree(store, ignore_errors=True)
    return res


# ---------------------------------------------------------------- report


def report(results: dict) -> str:
    """The Markdown report."""
    env = results["env"]
    lines = [f"# Scale benchmark ({env['date']})", "",
             f"{env['cores']} cores, {env['mem_gib']:.0f} GiB, Python {env['python']}, pyoxigraph {env['pyoxigraph']}, "
             f"rdflib {env['rdflib']}. Generated by `bench/bench_scale.py`; every figure is a fresh process. "
             "\"Cold\" means a new process: the time from starting it to having the answer (interpreter start, "
             "imports, opening the store or parsing the file, the query), not counting the interpreter's exit; "
             "the OS file cache is warm (it is not dropped between runs).", ""]
    onto = results.get("ontology")
    if onto:
        lines += ["## The ontology: the design question as a cold process", "",
                  f"`conditions-by-anatomy-and-symptom` with anatomy = sciatic nerve, symptom = numbness; median and "
                  f"best of {onto['runs']} interleaved runs after a warm-up.", "",
                  "| command | median ms | best ms | peak RSS MiB | rows |", "|---|---:|---:|---:|---:|"]
        for name, r in onto["results"].items():
            lines.append(f"| {name} | {r['median_s'] * 1000:.0f} | {r['best_s'] * 1000:.0f} | "
                         f"{r['peak_kib'] / 1024:.0f} | {r['rows'] if r['rows'] >= 0 else '-'} |")
        lines += [""] + [f"- {n}" for n in onto["notes"]]
        lines += ["", "arq gets the query text legkg runs (the parameters bound by a VALUES block). On the `.owl` "
                  "source alone it finds nothing: the direct edges the query follows (`legkg:affects`, "
                  "`legkg:hasSymptom`) are derived by legkg from the OWL restrictions (relation graph), so the fair "
                  "comparison is arq on the same derived triples (`.nt`).", ""]
    icd = results.get("icd10cm")
    if icd:
        lines += ["## A real linked vocabulary: ICD-10-CM", "",
                  f"`legkg link icd10cm` ({icd['summary']}): {icd['link_s']:.1f} s, peak RSS "
                  f"{icd['link_peak_kib'] / 1024:.0f} MiB, store folder {icd['store_bytes'] / 2**20:.0f} MiB; "
                  f"run again (current, not reloaded): {icd['relink_s'] * 1000:.0f} ms.", "",
                  f"The cross query `queries/linked/icd10cm-chapters.rq` (the ICD-10-CM chapter of every condition's "
                  f"code) as a fresh process (`open_linked(graphs=['icd10cm'])`, the store opened read-only): median "
                  f"{icd['query_cold_s'] * 1000:.0f} ms, best {icd['query_best_s'] * 1000:.0f} ms over {icd['runs']} "
                  f"runs, {icd['rows']} rows, peak RSS {icd['query_peak_kib'] / 1024:.0f} MiB.", ""]
    sizes = results["sizes"]
    shapes = ["lookup", "join", "path"]
    lines += ["## Scale: a synthetic vocabulary linked to the ontology", "",
              "Each concept has a type, a label, a notation, `skos:inScheme` and `skos:broader` "
              f"(a {FANOUT}-way tree); "
              f"every {LINK_EVERY}th has a `skos:relatedMatch` to a legkg condition or symptom. The ontology's own "
              "triples are included. Query shapes: **lookup** a concept by notation with its label; **join** "
              "concepts linked to conditions that affect the sciatic nerve, with their labels (3 patterns, across "
              "vocabulary and ontology); **path** the concepts under one concept (`skos:broader*`, up to "
              f"1,111 concepts, listed). Cold query: median of {results['runs']} processes per shape; load: median of "
              f"{results.get('load_runs', 1)} loads into an empty folder, peak RSS the largest.", "",
              "| triples | N-Triples MiB | load s | load peak MiB | store MiB | lookup ms | join ms | path ms |"
              " rdflib parse s | rdflib peak MiB | rdflib lookup ms | rdflib join ms | rdflib path ms | speed-up |",
              "|---:|" + "---:|" * 13]
    for s in sizes:
        ox_ = s["ox"]
        rd = s["rdflib"]
        row = [f"{s['triples']:,}", f"{s['nt_bytes'] / 2**20:.0f}", f"{ox_['load_s']:.1f}",
               f"{ox_['peak_kib'] / 1024:.0f}", f"{ox_['store_bytes'] / 2**20:.0f}"]
        row += [f"{ox_[k]['cold_s'] * 1000:.0f}" for k in shapes]
        if "skipped" in rd:
            row += ["-", "-", "-", "-", "-", "-"]
        else:
            row += [f"{rd['parse']:.1f}", f"{rd['peak_kib'] / 1024:.0f}"]
            row += [f"{rd[k + '_cold_s'] * 1000:.0f}" for k in shapes]
            row.append(f"{min(rd[k + '_cold_s'] / ox_[k]['cold_s'] for k in shapes):.0f}x")
        lines.append("| " + " | ".join(row) + " |")
    for s in sizes:
        if "ox_named" in s:
            nm = s["ox_named"]
            lines += ["", f"Loaded into a named graph instead (as `legkg link` holds a vocabulary; pyoxigraph indexes "
                      f"named-graph quads six ways, the default graph three), {s['triples']:,} triples: "
                      f"{nm['load_s']:.1f} s, peak {nm['peak_kib'] / 1024:.0f} MiB, store "
                      f"{nm['store_bytes'] / 2**20:.0f} MiB."]
    lines += ["", "Rows answered (oxigraph / rdflib, which must agree): " + "; ".join(
        f"{s['triples']:,}: " + ", ".join(
            f"{k} {s['ox'][k]['rows']}" + ("" if "skipped" in s["rdflib"] else f"/{s['rdflib'][k + '_rows']}")
            for k in shapes) for s in sizes), ""]
    skipped = [f"{s['triples']:,} ({s['rdflib']['skipped']})" for s in sizes if "skipped" in s["rdflib"]]
    if skipped:
        lines += [f"rdflib not measured at: {'; '.join(skipped)}.", ""]
    lines += ["Open+query time inside the process (without interpreter start-up and imports), ms: " + "; ".join(
        f"{s['triples']:,}: " + ", ".join(f"{k} {s['ox'][k]['open_query_s'] * 1000:.0f}" for k in shapes)
        for s in sizes), ""]
    lines += ["## Goals", ""] + goals(results)
    lines += ["", "![scale benchmark](scale.png)", ""]
    return "\n".join(lines)


def goals(results: dict) -> list[str]:
    """The issue's goals, each met or not."""
    out = []
    million = [s for s in results["sizes"] if 0.9e6 <= s["triples"] <= 1.1e6]
    for s in million:
        worst = max(s["ox"][k]["cold_s"] for k in ("lookup", "join", "path"))
        out.append(f"- cold canned query against a {s['triples']:,}-triple store under 300 ms: slowest shape "
                   f"{worst * 1000:.0f} ms: {'met' if worst < 0.3 else 'NOT met'}")
        ok = s["ox"]["load_s"] < 10 and s["ox"]["peak_kib"] < 2**20
        out.append(f"- one-off load of {s['triples']:,} triples under 10 s and 1 GiB: {s['ox']['load_s']:.1f} s, "
                   f"{s['ox']['peak_kib'] / 1024:.0f} MiB: {'met' if ok else 'NOT met'}")
    for s in results["sizes"]:
        rd = s["rdflib"]
        if "skipped" in rd:
            continue
        ratio = min(rd[k + "_cold_s"] / s["ox"][k]["cold_s"] for k in ("lookup", "join", "path"))
        out.append(f"- at least 10x faster than rdflib at {s['triples']:,} triples (cold query, worst shape): "
                   f"{ratio:.0f}x: {'met' if ratio >= 10 else 'NOT met'}")
    return out


def plot(results: dict, path: Path) -> None:
    """Four log-log panels: load time, peak memory, store size, cold query latency."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = results["sizes"]
    x = [s["triples"] for s in sizes]
    rd = [s for s in sizes if "skipped" not in s["rdflib"]]
    xr = [s["triples"] for s in rd]
    fig, axes = plt.subplots(2, 2, figsize=(11, 8))
    ax = axes[0][0]
    ax.plot(x, [s["ox"]["load_s"] for s in sizes], "o-", label="pyoxigraph bulk load (on disk)")
    ax.plot(xr, [s["rdflib"]["parse"] for s in rd], "s--", label="rdflib parse (in memory)")
    ax.set_title("load time (s)")
    ax = axes[0][1]
    ax.plot(x, [s["ox"]["peak_kib"] / 1024 for s in sizes], "o-", label="pyoxigraph load, peak RSS")
    ax.plot(xr, [s["rdflib"]["peak_kib"] / 1024 for s in rd], "s--", label="rdflib parse+query, peak RSS")
    ax.axhline(1024, color="grey", lw=0.8, ls=":")
    ax.set_title("peak memory (MiB)")
    ax = axes[1][0]
    ax.plot(x, [s["ox"]["store_bytes"] / 2**20 for s in sizes], "o-", label="pyoxigraph store folder")
    ax.plot(x, [s["nt_bytes"] / 2**20 for s in sizes], "^:", label="N-Triples file")
    ax.set_title("size on disk (MiB)")
    ax = axes[1][1]
    for k, m in (("lookup", "o"), ("join", "v"), ("path", "D")):
        ax.plot(x, [s["ox"][k]["cold_s"] * 1000 for s in sizes], m + "-", label=f"pyoxigraph {k}")
        ax.plot(xr, [s["rdflib"][k + "_cold_s"] * 1000 for s in rd], m + "--", alpha=0.6, label=f"rdflib {k}")
    ax.axhline(300, color="grey", lw=0.8, ls=":")
    ax.set_title("cold query latency, fresh process (ms)")
    for ax in axes.flat:
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("triples")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=7)
    fig.suptitle("legkg scale benchmark: pyoxigraph on-disk store vs rdflib")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


# ---------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-triples", type=float, default=SIZES[-1], help="largest size to run (default 5e6)")
    parser.add_argument("--rdflib-max", type=float, default=1e6,
                        help="largest size rdflib is run at (default 1e6; 5e6 needs minutes and ~7 GiB per run)")
    parser.add_argument("--rdflib-timeout", type=float, default=1200, help="give up on one rdflib run after this")
    parser.add_argument("--named-graph", type=float, nargs="*", default=[1e6],
                        help="sizes also loaded into a named graph, as a linked vocabulary is (default 1e6)")
    parser.add_argument("--load-runs", type=int, default=3, help="loads per size, median taken (default 3)")
    parser.add_argument("--runs", type=int, default=5, help="cold query processes per shape and size (default 5)")
    parser.add_argument("--ontology-runs", type=int, default=10, help="runs per command in part 1 (default 10)")
    parser.add_argument("--skip-ontology", action="store_true", help="skip part 1 (legkg vs rdflib vs arq)")
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temporary folder)")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON")
    parser.add_argument("--write", type=Path, help="write the Markdown report here")
    parser.add_argument("--plot", type=Path,
                        help="write the PNG plot here (needs matplotlib: pip install -e '.[bench]')")
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="legkg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    from importlib.metadata import version  # not the packages themselves: this process stays small

    results: dict = {"env": {"date": time.strftime("%Y-%m-%d"), "cores": os.cpu_count(),
                             "mem_gib": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30,
                             "python": sys.version.split()[0], "pyoxigraph": version("pyoxigraph"),
                             "rdflib": version("rdflib")},
                     "runs": args.runs, "load_runs": args.load_runs, "sizes": []}
    try:
        ontology_nt = ontology_ntriples(work / "legkg-cache")
        if not args.skip_ontology:
            print("part 1: the ontology, legkg vs rdflib vs arq", file=sys.stderr)
            results["ontology"] = bench_ontology(work, args.ontology_runs, ontology_nt)
            for name, r in results["ontology"]["results"].items():
                print(f"  {name}: {r['median_s'] * 1000:.0f} ms ({r['rows']} rows)", file=sys.stderr)
        if not args.skip_ontology:
            print("part 1b: ICD-10-CM linked beside the ontology", file=sys.stderr)
            results["icd10cm"] = bench_icd10cm(work, args.runs)
            print(f"  {results['icd10cm']}", file=sys.stderr)
        targets = link_targets(ontology_nt)
        print(f"part 2: scale ({len(targets)} legkg conditions and symptoms to link to)", file=sys.stderr)
        for target in SIZES:
            if target > args.max_triples:
                break
            results["sizes"].append(bench_size(work, target, ontology_nt, targets, args.runs, int(args.rdflib_max),
                                               args.rdflib_timeout, named_graph=target in args.named_graph,
                                               load_runs=args.load_runs))
            if args.json:  # keep what is done if a later size fails
                args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results)
    print(text)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    if args.write:
        args.write.write_text(text, encoding="utf-8")
    if args.plot:
        plot(results, args.plot)


if __name__ == "__main__":
    main()
