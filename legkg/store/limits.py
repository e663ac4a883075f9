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


def run_with_time_limit(fn: Callable[[], T], seconds: float, memory: int | None = None) -> T:
    """Call ``fn`` in a forked child; end the child and raise QueryFailed after ``seconds``
    or once it holds more than ``memory`` bytes, saying which limit stopped it."""
    if not hasattr(os, "fork"):
        return fn()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, send the pickled outcome, leave without cleanup
        os.close(read)
        _child_limits(memory)
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
    stopped = ""
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                stopped = f"query stopped after {seconds:g} s (--timeout); narrow it or allow more time"
            elif memory is not None and resident_bytes(pid) > memory:
                stopped = (f"query stopped: it needed over {memory >> 20} MiB of memory (--memory); "
                           "narrow it or allow more")
            if stopped:
                os.kill(pid, signal.SIGKILL)
                raise QueryFailed(stopped)
            if not select.select([read], [], [], min(left, POLL))[0]:
                continue
            chunk = os.read(read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read)
        _, status = os.waitpid(pid, 0)
    if not chunks:
        raise QueryFailed(ended_message(status, memory))
    ok, value = pickle.loads(b"".join(chunks))
    if not ok:
        raise value
    return value


POLL = 0.05  # seconds between looks at a query worker's memory


def _child_limits(memory: int | None) -> None:
    """In a query worker: stay quiet on stderr, and cap the address space as a backstop."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    if memory is not None:
        cap_address_space(memory)


def cap_address_space(memory: int) -> None:
    """Limit this process's address space to what it maps now plus twice ``memory`` (a backstop to
    the parent's watch of its resident memory; an allocation past it ends the process)."""
    import resource

    try:
        with open("/proc/self/statm") as f:
            mapped = int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        resource.setrlimit(resource.RLIMIT_AS, (mapped + 2 * memory, resource.RLIM_INFINITY))
    except (OSError, ValueError):
        pass


def resident_bytes(pid: int) -> int:
    """A process's resident memory in bytes (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def cpu_seconds(pid: int) -> float:
    """Processor time a process has used so far, in seconds (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def ended_message(status: int, memory: int | None) -> str:
    """Why a query worker ended without an answer, from its wait status."""
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGABRT, signal.SIGSEGV, signal.SIGBUS) and memory is not None:
            return (f"query stopped: the query worker crashed (signal {sig}), most likely at the "
                    f"{memory >> 20} MiB memory limit; narrow the query")
        return f"query failed: the query worker crashed (signal {sig})"
    return f"query failed: the query worker ended without an answer (exit {os.WEXITSTATUS(status)})"


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
