"""Time and size limits for users' own queries.

A local query cannot be interrupted from Python, so it runs in a forked copy of
this process (which already holds the store) and the copy is ended when the
time is up. Answers over the row limit are cut, and the caller is told.

Example:
    >>> run_with_time_limit(lambda: 6 * 7, 5.0)
    42
    >>> cut_results(b'{"head":{"vars":["s"]},"results":{"bindings":[]}}', "select", "json", 10)
    (b'{"head":{"vars":["s"]},"results":{"bindings":[]}}', 0, False)
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox

from legkg.core.errors import LegkgError, QueryFailed

T = TypeVar("T")
_RESULTS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML, "csv": ox.QueryResultsFormat.CSV,
            "tsv": ox.QueryResultsFormat.TSV}
_GRAPHS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
           "jsonld": ox.RdfFormat.JSON_LD}


def run_with_time_limit(fn: Callable[[], T], seconds: float) -> T:
    """Call ``fn`` in a forked child; end the child and raise QueryFailed after ``seconds``."""
    if not hasattr(os, "fork"):
        return fn()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the pickled outcome, leave without cleanup
        os.close(read)
        try:
            payload = pickle.dumps((True, fn()))
        except LegkgError as e:
            payload = pickle.dumps((False, e))
        except BaseException as e:  # noqa: BLE001 - reported by the parent as one line
            payload = pickle.dumps((False, QueryFailed(f"query failed: {type(e).__name__}: {e}")))
        with os.fdopen(write, "wb") as f:
            f.write(payload)
        os._exit(0)
    os.close(write)
    chunks, deadline = [], time.monotonic() + seconds
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([read], [], [], left)[0]:
                os.kill(pid, signal.SIGKILL)
                raise QueryFailed(f"query stopped after {seconds:g} s (--timeout); narrow it or allow more time")
            chunk = os.read(read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read)
        os.waitpid(pid, 0)
    if not chunks:
        raise QueryFailed("query failed: the worker ended without an answer")
    ok, value = pickle.loads(b"".join(chunks))
    if not ok:
        raise value
    return value


def cut_results(data: bytes, kind: str, fmt: str, limit: int, out: str | None = None) -> tuple[bytes, int, bool]:
    """Cut a serialised answer to ``limit`` rows (or triples), re-written as ``out`` (default ``fmt``).

    Returns the answer, its size and whether it was cut. CSV cannot be read back, so
    SELECT answers meant for CSV are fetched as TSV and written out as CSV.
    """
    from legkg.store.results import serialise

    out = out or fmt
    if kind == "ask":
        return data, 1, False
    if kind == "select":
        parsed = ox.parse_query_results(data, format=_RESULTS[fmt])
        names = [v.value for v in parsed.variables]
        rows = []
        for solution in parsed:
            if len(rows) == limit:
                return serialise(names, rows, out), limit, True
            rows.append([solution[n] for n in names])
        return (data if out == fmt else serialise(names, rows, out)), len(rows), False
    triples = list(ox.parse(data, format=_GRAPHS[fmt]))
    if len(triples) <= limit:
        return data, len(triples), False
    from legkg.core.prefixes import PREFIXES

    kept = [ox.Triple(q.subject, q.predicate, q.object) for q in triples[:limit]]
    return ox.serialize(kept, format=_GRAPHS[fmt], prefixes=PREFIXES if fmt == "ttl" else None), limit, True
