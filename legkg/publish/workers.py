"""Query worker processes for ``legkg serve``: two lanes, so cheap queries never wait behind heavy ones.

Every query starts in the quick lane with a short budget: 0.5 s of processor time (so a
busy machine does not make a cheap query look heavy), or 2 s in all. A query past it is stopped,
remembered as heavy, and run again in the heavy lane, which has its own workers and a bounded
queue; queries already known as heavy (also those stopped at the memory limit) go there
directly. Each worker is watched for time and resident memory: over either limit it is
ended and replaced, and the answer says which limit stopped the query; a worker that
dies on its own is reported as crashed.

Example:
    pool = WorkerPool(None, quick=2, heavy=1, timeout=10.0, memory=256 << 20)
    status, media, body, note = pool.run("ASK {}", "json", "ttl", 10000)
    pool.stop()
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import queue
import signal
import threading
import time
from collections import OrderedDict
from pathlib import Path

from legkg.store.limits import POLL, cap_address_space, cpu_seconds, resident_bytes

TEXT = "text/plain; charset=utf-8"
QUICK_SECONDS = 0.5  # the quick lane's budget per query
HEAVY_WAITING = 32  # heavy queries that may wait for a heavy worker; more get 503 at once
STARTUP_SECONDS = 120.0  # a new worker must load its store within this time
_SLOW = object()  # past the quick lane's budget
_OVER_MEMORY = object()  # past the memory limit in the quick lane
GRAPH_MEDIA = {"ttl": "text/turtle; charset=utf-8", "nt": "application/n-triples", "xml": "application/rdf+xml",
               "jsonld": "application/ld+json"}


ROW_BYTES = {"json": 3, "xml": 9, "csv": 2, "tsv": 1}  # the fewest bytes a row takes: '{},' '<result/>' CRLF LF


class _Full(Exception):
    """More bytes than an answer may have before its rows must be counted."""


class _Capped:
    """A binary sink that refuses to hold more than ``size`` bytes."""

    def __init__(self, size: int) -> None:
        self.size, self.used, self.parts = size, 0, []

    def write(self, data) -> int:
        self.used += len(data)
        if self.used > self.size:
            raise _Full
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def execute(store, query: str, results_fmt: str, graph_fmt: str, row_limit: int) -> tuple[int, str, bytes, str]:
    """Run one query; return HTTP status, media type, body and a truncation note ('' if none).

    SELECT answers are written by pyoxigraph itself when they fit in ``row_limit`` times the fewest
    bytes a row can take (so they cannot hold more rows than allowed); longer ones are run again
    and cut to ``row_limit`` rows here.
    """
    import pyoxigraph as ox

    from legkg.core.prefixes import PREFIXES
    from legkg.store.results import MEDIA, serialise, serialise_boolean

    try:
        result = store.query(query, prefixes=PREFIXES)
        if isinstance(result, ox.QueryBoolean):
            return 200, MEDIA[results_fmt], serialise_boolean(bool(result), results_fmt), ""
        if isinstance(result, ox.QuerySolutions):
            sink = _Capped(row_limit * ROW_BYTES[results_fmt])
            native = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                      "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}[results_fmt]
            try:
                result.serialize(sink, format=native)
                return 200, MEDIA[results_fmt], b"".join(sink.parts), ""
            except _Full:
                result = store.query(query, prefixes=PREFIXES)
            names = [v.value for v in result.variables]
            rows = []
            for solution in result:
                if len(rows) == row_limit:
                    return 200, MEDIA[results_fmt], serialise(names, rows, results_fmt), f"rows cut to {row_limit}"
                rows.append([solution[n] for n in names])
            return 200, MEDIA[results_fmt], serialise(names, rows, results_fmt), ""
        triples = []
        note = ""
        for triple in result:
            if len(triples) == row_limit:
                note = f"triples cut to {row_limit}"
                break
            triples.append(triple)
        fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "xml": ox.RdfFormat.RDF_XML,
               "jsonld": ox.RdfFormat.JSON_LD}[graph_fmt]
        return 200, GRAPH_MEDIA[graph_fmt], ox.serialize(triples, format=fmt, prefixes=PREFIXES), note
    except SyntaxError as e:
        return 400, "text/plain; charset=utf-8", f"invalid SPARQL query: {' '.join(str(e).split())}\n".encode(), ""
    except (OSError, ValueError, RuntimeError) as e:
        return 500, "text/plain; charset=utf-8", f"query failed: {' '.join(str(e).split())}\n".encode(), ""


def encode_query(query: str, results_fmt: str, graph_fmt: str, row_limit: int) -> bytes:
    """A query as the bytes sent to a worker (plain bytes through the pipe: no pickling)."""
    return f"{results_fmt}\t{graph_fmt}\t{row_limit}\n{query}".encode("utf-8", "surrogatepass")


def decode_query(message: bytes) -> tuple[str, str, str, int]:
    """The arguments of :func:`execute` from :func:`encode_query`'s bytes."""
    head, _, query = message.decode("utf-8", "surrogatepass").partition("\n")
    results_fmt, graph_fmt, row_limit = head.split("\t")
    return query, results_fmt, graph_fmt, int(row_limit)


def _worker(conn, ontology: str | None, memory: int, nice: int = 0) -> None:
    """Run queries sent over ``conn`` against a store of our own until told to stop."""
    import os

    if nice:
        os.nice(nice)  # heavy queries yield the processor to quick ones

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # an allocation failure past the address-space cap must not spill a backtrace
    from legkg.store.local import load_store

    store = load_store(Path(ontology) if ontology else None)
    cap_address_space(memory)
    conn.send_bytes(b"ready")
    pid = os.getpid()
    while True:
        try:
            message = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not message:
            return
        status, media, body, note = execute(store, *decode_query(message))
        head = f"{status}\t{resident_bytes(pid)}\t{media}\t{note}\n".encode()  # the server need not read /proc
        conn.send_bytes(head + body)


class _Worker:
    def __init__(self, ctx, ontology: str | None, memory: int, nice: int = 0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, ontology, memory, nice), daemon=True)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # inherited: Ctrl-C is not the
        try:                                                                  # worker's, even while it starts
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(2)
        with contextlib.suppress(OSError):
            self.conn.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.conn.send_bytes(b"")
        self.process.join(1)
        if self.process.is_alive():
            self.kill()


class _Lane:
    """A fixed number of workers; a stopped one is replaced in the background."""

    def __init__(self, name: str, size: int, ctx, ontology: str | None, memory: int, spares: int = 0,
                 nice: int = 0) -> None:
        self.name, self.ctx, self.ontology, self.memory, self.nice = name, ctx, ontology, memory, nice
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.spare: queue.Queue[_Worker] = queue.Queue()  # loaded workers that take over at once
        self.all: list[_Worker] = []
        self.lock = threading.Lock()
        self.closed = False
        self.starting: list[_Worker] = []
        self.threads: list[threading.Thread] = []
        for worker in [_Worker(ctx, ontology, memory, nice) for _ in range(size)]:
            self._add(worker)
        for worker in [_Worker(ctx, ontology, memory, nice) for _ in range(spares)]:
            self._add(worker, self.spare)

    def _add(self, worker: _Worker | None = None, into: queue.Queue | None = None) -> None:
        with self.lock:
            if self.closed:
                return
            worker = worker or _Worker(self.ctx, self.ontology, self.memory, self.nice)
            self.starting.append(worker)
        try:  # a worker takes queries once its store is loaded
            ready = worker.conn.poll(STARTUP_SECONDS) and worker.conn.recv_bytes() == b"ready"
        except (EOFError, OSError):
            ready = False
        with self.lock:
            self.starting.remove(worker)
            if self.closed or not ready:
                worker.kill()
                return
            self.all.append(worker)
        (self.idle if into is None else into).put(worker)

    def acquire(self, wait: float) -> _Worker | None:
        try:
            return self.idle.get(timeout=wait)
        except queue.Empty:
            return None

    def release(self, worker: _Worker, resident: int) -> None:
        if resident > self.memory // 2:  # bloated by an earlier answer: start afresh
            self.replace(worker)
        else:
            self.idle.put(worker)

    def replace(self, worker: _Worker) -> None:
        worker.kill()
        with self.lock:
            if worker in self.all:
                self.all.remove(worker)
        try:  # a spare takes over at once, and a new spare loads in the background
            self.idle.put(self.spare.get_nowait())
            target = self.spare
        except queue.Empty:
            target = None  # the lane is one short until the new worker is ready
        thread = threading.Thread(target=self._add, args=(None, target), daemon=True)
        with self.lock:
            self.threads = [t for t in self.threads if t.is_alive()] + [thread]
        thread.start()

    def stop(self) -> None:
        with self.lock:
            self.closed = True
            workers, starting, threads = list(self.all), list(self.starting), list(self.threads)
        for w in starting:
            w.kill()
        for w in workers:
            w.stop()
        for t in threads:
            t.join(10)


class WorkerPool:
    """The quick and heavy lanes, with the limits every query runs under."""

    def __init__(self, ontology: Path | None, quick: int = 2, heavy: int = 1, timeout: float = 10.0,
                 memory: int = 256 << 20) -> None:
        self.timeout, self.memory = timeout, memory
        self.quick_seconds = min(QUICK_SECONDS, timeout)
        ctx = mp.get_context("spawn")
        source = str(ontology) if ontology else None
        self.quick = _Lane("quick", max(1, quick), ctx, source, memory, spares=1)
        self.heavy = _Lane("heavy", max(1, heavy), ctx, source, memory, nice=10)
        self._known_heavy: OrderedDict[str, None] = OrderedDict()
        self._waiting = threading.BoundedSemaphore(HEAVY_WAITING)
        self._lock = threading.Lock()

    def run(self, query: str, results_fmt: str, graph_fmt: str, row_limit: int) -> tuple[int, str, bytes, str]:
        """Run a query in the right lane; return HTTP status, media type, body and a note."""
        message = encode_query(query, results_fmt, graph_fmt, row_limit)
        key = " ".join(query.split())
        spent = 0.0
        if key not in self._known_heavy:
            worker = self.quick.acquire(self.timeout * 3 + 10)
            if worker is None:
                return 503, TEXT, b"all query workers are busy; try again\n", ""
            if key in self._known_heavy:  # found heavy while this one waited
                self.quick.idle.put(worker)
            else:
                started = time.monotonic()
                answer = self._run_on(worker, self.quick, message, self.timeout, final=False)
                if answer is _OVER_MEMORY:  # stopped, and sent to the heavy lane next time: the quick lane's
                    self._remember_heavy(key)  # workers are not ended again and again for it
                    return self._memory_answer()
                if answer is not _SLOW:
                    return answer
                spent = time.monotonic() - started
                self._remember_heavy(key)
        if not self._waiting.acquire(blocking=False):
            return 503, TEXT, b"too many long-running queries are waiting; try again later\n", ""
        try:
            worker = self.heavy.acquire(self.timeout * 3 + 10)
        finally:
            self._waiting.release()
        if worker is None:
            return 503, TEXT, b"the workers for long-running queries stayed busy; try again later\n", ""
        started = time.monotonic()
        answer = self._run_on(worker, self.heavy, message, max(0.1, self.timeout - spent), final=True)
        if answer[0] == 200 and time.monotonic() - started < self.quick_seconds:
            with self._lock:  # quick after all (it was slowed by others): back to the quick lane next time
                self._known_heavy.pop(key, None)
        return answer

    def _remember_heavy(self, key: str) -> None:
        with self._lock:
            self._known_heavy[key] = None
            while len(self._known_heavy) > 1024:
                self._known_heavy.popitem(last=False)

    def _memory_answer(self) -> tuple[int, str, bytes, str]:
        message = f"query stopped: over the {self.memory >> 20} MiB memory limit (--query-memory)\n"
        return 503, TEXT, message.encode(), ""

    def _run_on(self, worker: _Worker, lane: _Lane, message: bytes, budget: float, final: bool):
        try:
            worker.conn.send_bytes(message)
        except OSError:
            lane.replace(worker)
            return 503, TEXT, b"query failed: the query worker had ended; try again\n", ""
        started = time.monotonic()
        deadline = started + budget
        cpu_start = None  # read only for a query still running at the first look: most have answered by then
        while not worker.conn.poll(max(0.0, min(deadline - time.monotonic(), POLL))):
            left = deadline - time.monotonic()
            if not final:
                if cpu_start is None:  # count all the time since it was sent as processor time
                    cpu_start = cpu_seconds(worker.process.pid) - (time.monotonic() - started)
                if (cpu_seconds(worker.process.pid) - cpu_start > self.quick_seconds
                        or budget - left > 4 * self.quick_seconds):
                    lane.replace(worker)  # heavy by the processor time it used, however busy the machine is
                    return _SLOW
            if left <= 0:
                lane.replace(worker)
                message = f"query stopped: over the {self.timeout:g} s limit (--query-timeout)\n"
                return 503, TEXT, message.encode(), ""
            if resident_bytes(worker.process.pid) > self.memory:
                lane.replace(worker)
                return self._memory_answer() if final else _OVER_MEMORY
        try:
            head, _, body = worker.conn.recv_bytes().partition(b"\n")
        except (EOFError, OSError):
            worker.process.join(1)
            code = worker.process.exitcode
            lane.replace(worker)
            why = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
            hint = f", most likely at the {self.memory >> 20} MiB memory limit" if code == -signal.SIGABRT else ""
            return 503, TEXT, f"query failed: the query worker crashed ({why}{hint})\n".encode(), ""
        status, resident, media, note = head.decode().split("\t")
        lane.release(worker, int(resident))
        return int(status), media, body, note

    def stop(self) -> None:
        self.quick.stop()
        self.heavy.stop()
