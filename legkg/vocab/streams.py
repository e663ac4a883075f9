"""Streaming an RDF file into a named graph of the linked store, in parallel where that pays.

pyoxigraph's bulk loader parses a file into sorted batches of about a million triples and
spreads the batches over the cores itself; but a file of one or two batches (10^6 triples of
N-Triples is one) is parsed and sorted on a single core. An N-Triples file is a list of
independent lines, so such a file is cut at line boundaries into one part per core (up to
:data:`MAX_PARTS`) and each part bulk-loaded on its own thread; the loader releases Python's
lock, so the parts run side by side (10^6 triples on 2 cores: 7 s instead of 13). Bigger files
go as one stream: two loaders side by side each hold their own batches (10^7 triples cut in
two: 3.2 GiB at peak instead of 1.7). Gzipped N-Triples that would be cut are unzipped to
a scratch file first (0.8 s for 10^6 triples), which saves more than it costs.

Blank nodes are the exception: each load names a file's blank nodes afresh, so ``_:b1`` in
two parts would become two nodes. A file is only cut when the bytes ``_:`` occur nowhere in
it (one fast scan); otherwise it, like Turtle and RDF/XML, goes to the loader as one stream.
N-Quads and TriG are read quad by quad (every quad goes to the graph).

Example:
    >>> plan_parts(Path("codes.nt"), "nt", zipped=False)  # doctest: +SKIP
    [(0, 67108871), (67108871, 132421311)]
"""

from __future__ import annotations

import gzip
import mmap
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError

FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
           "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML}
Tick = Callable[[int, int, int], None]  # bytes read, bytes in all, triples so far (0 if not known yet)
MAX_PARTS = 4  # each loader holds its own sorted batches: more parts, more memory
MIN_PART_BYTES = 16 << 20  # below this a thread costs more than it saves
CUT_UP_TO = 256 << 20  # about two of the loader's batches of N-Triples; above, it uses the cores itself


def plan_parts(path: Path, fmt: str, zipped: bool, cores: int | None = None) -> list[tuple[int, int]]:
    """Byte ranges, cut after a newline, to load side by side; one range when the file must be one stream.

    Example:
        >>> plan_parts(Path("codes.ttl"), "ttl", zipped=False)  # doctest: +SKIP
        [(0, 1234)]
    """
    size = path.stat().st_size
    parts = min(cores or os.cpu_count() or 1, MAX_PARTS, max(1, size // MIN_PART_BYTES))
    if fmt != "nt" or zipped or parts < 2 or size > CUT_UP_TO:
        return [(0, size)]
    with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if data.find(b"_:") != -1:
            return [(0, size)]
        cuts = [0]
        for i in range(1, parts):
            end = data.find(b"\n", max(cuts[-1], size * i // parts))
            if end == -1 or end + 1 >= size:
                break
            cuts.append(end + 1)
    cuts.append(size)
    return [(a, b) for a, b in zip(cuts, cuts[1:]) if b > a]


class _Reader:
    """A binary reader over one byte range of the file (or the whole file, decompressed for .gz);
    it counts the bytes read from disk and stops early when ``stop`` is set."""

    def __init__(self, path: Path, span: tuple[int, int], zipped: bool, stop: threading.Event) -> None:
        self.raw = path.open("rb")
        self.raw.seek(span[0])
        self.left = span[1] - span[0]
        self.read_bytes = 0
        self.stream = gzip.GzipFile(fileobj=self.raw, mode="rb") if zipped else None
        self.stop = stop

    def read(self, n: int = -1) -> bytes:
        if self.stop.is_set():
            return b""
        try:
            if self.stream is not None:
                data = self.stream.read(n)
                self.read_bytes = self.raw.tell()
                return data
            data = self.raw.read(self.left if n < 0 else min(n, self.left))
        except (OSError, EOFError) as e:  # a damaged or truncated gzip file
            raise LegkgError(f"cannot read {self.raw.name}: {' '.join(str(e).split())[:160]}") from None
        self.left -= len(data)
        self.read_bytes += len(data)
        return data

    def close(self) -> None:
        if self.stream is not None:
            self.stream.close()
        self.raw.close()


def syntax_error(path: Path, e: SyntaxError, first_line: int = 1) -> LegkgError:
    """A one-line error naming the file and, when the parser gives one, the line in the whole file."""
    text = " ".join(str(e).split())
    text = re.sub(r"^Parser error (at|between) [^:]*: ", "", text)
    text = re.sub(r" \(line \d+\)$", "", text)[:200]
    where = f"{path}:{e.lineno + first_line - 1}" if e.lineno else str(path)
    return LegkgError(f"{where}: not valid RDF: {text}")


def load_file(store: ox.Store, path: Path, fmt: str, zipped: bool, graph: ox.NamedNode, tick: Tick,
              scratch: Path | None = None) -> None:
    """Stream the file into ``graph``, reporting bytes read (and, for N-Quads and TriG, quads loaded).

    Gzipped N-Triples that could be cut are first unzipped to ``scratch`` (when given), then
    loaded in parts from there and the copy removed.

    Example:
        >>> load_file(ox.Store(), Path("codes.nt"), "nt", False, ox.NamedNode("urn:g"),
        ...           lambda *a: None)  # doctest: +SKIP
    """
    if fmt == "nt" and zipped and scratch is not None and _unzip_to_cut(path, scratch):
        try:
            _load(store, scratch, fmt, False, graph, tick, shown=path)
        finally:
            scratch.unlink(missing_ok=True)
        return
    _load(store, path, fmt, zipped, graph, tick, shown=path)


def _unzip_to_cut(path: Path, target: Path) -> bool:
    """Unzip gzipped N-Triples to ``target`` when the result could be cut into parts: at most
    :data:`CUT_UP_TO` bytes, no blank node and more than one core; otherwise write nothing."""
    if path.stat().st_size > CUT_UP_TO or (os.cpu_count() or 1) < 2:
        return False
    written, last, fits = 0, b"", False
    try:
        with gzip.open(path, "rb") as src, target.open("wb") as out:
            while chunk := src.read(4 << 20):
                written += len(chunk)
                if written > CUT_UP_TO or b"_:" in chunk or last + chunk[:1] == b"_:":
                    break
                out.write(chunk)
                last = chunk[-1:]
            else:
                fits = written >= 2 * MIN_PART_BYTES  # else one part anyway: read the gzip file itself
    except (OSError, EOFError):  # a damaged file: the one stream reports it
        fits = False
    if not fits:
        target.unlink(missing_ok=True)
    return fits


def _load(store: ox.Store, path: Path, fmt: str, zipped: bool, graph: ox.NamedNode, tick: Tick,
          shown: Path) -> None:
    total = path.stat().st_size
    spans = plan_parts(path, fmt, zipped)
    stop = threading.Event()
    readers = [_Reader(path, span, zipped, stop) for span in spans]
    quads = [0]
    errors: list[tuple[int, BaseException]] = []
    lock = threading.Lock()
    base = shown.resolve().as_uri()

    def progress() -> None:
        with lock:
            tick(sum(r.read_bytes for r in readers), total, quads[0])

    def run(i: int) -> None:
        reader = readers[i]
        try:
            if fmt in ("nq", "trig"):
                _extend(store, reader, fmt, base, graph, quads, progress)
            else:
                timed = _Ticking(reader, progress)
                store.bulk_load(timed, FORMATS[fmt], base_iri=base, to_graph=graph)
        except BaseException as e:  # noqa: BLE001 - reported on the calling thread below
            with lock:
                if not stop.is_set():  # a part cut short because another failed is not the cause
                    errors.append((i, e))
                stop.set()  # the other parts end at their next read

    if len(readers) == 1:
        try:
            run(0)
        finally:
            readers[0].close()
    else:
        threads = [threading.Thread(target=run, args=(i,), name=f"legkg-load-{i}", daemon=True)
                   for i in range(len(readers))]
        for t in threads:
            t.start()
        try:
            for t in threads:
                t.join()
        except BaseException:  # interrupted: the parts stop at their next read; the load is undone later
            stop.set()
            raise
        for r in readers:
            r.close()
    if errors:
        i, e = min(errors, key=lambda x: x[0])
        _raise(path, spans[i][0], e, shown)
    tick(total, total, quads[0])


def _raise(path: Path, offset: int, e: BaseException, shown: Path) -> None:
    """Raise the one-line error of a failed part; lines and names are those of the file the user gave."""
    if isinstance(e, SyntaxError):
        first = 1
        if offset:
            with path.open("rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
                first = data[:offset].count(b"\n") + 1
        raise syntax_error(shown, e, first) from None
    if isinstance(e, LegkgError):
        raise e
    if isinstance(e, OSError):
        raise LegkgError(f"loading {shown} failed: {' '.join(str(e).split())[:200]}") from None
    raise e


class _Ticking:
    """Reports progress after each read of the wrapped reader."""

    def __init__(self, reader: _Reader, progress: Callable[[], None]) -> None:
        self.reader, self.progress = reader, progress

    def read(self, n: int = -1) -> bytes:
        data = self.reader.read(n)
        self.progress()
        return data


def _extend(store: ox.Store, reader: _Reader, fmt: str, base: str, graph: ox.NamedNode, quads: list[int],
            progress: Callable[[], None]) -> None:
    batch: list[ox.Quad] = []
    for q in ox.parse(_Ticking(reader, progress), FORMATS[fmt], base_iri=base):
        batch.append(ox.Quad(q.subject, q.predicate, q.object, graph))
        if len(batch) >= 100_000:
            store.bulk_extend(batch)
            quads[0] += len(batch)
            batch.clear()
    store.bulk_extend(batch)
    quads[0] += len(batch)
