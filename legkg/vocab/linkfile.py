"""Linking any RDF vocabulary from a file: ``legkg link FILE --name NAME``.

The file (N-Triples, N-Quads, Turtle, TriG or RDF/XML, gzipped or not; the format comes
from the extension) is streamed into the persistent linked store of :mod:`legkg.vocab.linked`
as the named graph ``https://w3id.org/legkg/graph/NAME``, without being read into Python:
N-Triples, Turtle and RDF/XML as one stream into pyoxigraph's bulk loader, which writes
sorted batches of bounded size (10^7 triples: 1.7 GiB at peak), N-Quads and TriG quad by
quad (every quad goes to the vocabulary's graph). One bulk load per file, not one per
block: each extra load into a store that already holds the vocabulary's keys costs more
than the last (10^7 triples in 32 MiB blocks took five times as long).

A load is recoverable: before it starts, the name's key is removed and a ``loading`` mark
written; only a complete load sets the key again. A load that fails (bad syntax, no
triples) is rolled back; a load killed part-way is rolled back by the next ``link``, and
until then ``--with NAME`` refuses the name rather than answer from a partial graph.

Example:
    >>> info = link_file(Path("mondo.owl"), "mondo")  # doctest: +SKIP
    >>> info["triples"], info["loaded"]  # doctest: +SKIP
    (2345678, True)
"""

from __future__ import annotations

import gzip
import hashlib
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse
from legkg.vocab import linked as link
from legkg.vocab.linked import check_name, loading_names

FORMATS = {"nt": ox.RdfFormat.N_TRIPLES, "nq": ox.RdfFormat.N_QUADS, "ttl": ox.RdfFormat.TURTLE,
           "trig": ox.RdfFormat.TRIG, "xml": ox.RdfFormat.RDF_XML}
EXTENSIONS = {".nt": "nt", ".ntriples": "nt", ".nq": "nq", ".nquads": "nq", ".ttl": "ttl", ".turtle": "ttl",
              ".trig": "trig", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".rdfxml": "xml"}
_VOCAB = link.VOCAB
Say = Callable[[str], None]
Tick = Callable[[int, int, int], None]  # bytes read, bytes in all, triples so far (0 if not known yet)


def file_format(path: Path, given: str | None = None) -> tuple[str, bool]:
    """The format name (nt, nq, ttl, trig, xml) from ``--format`` or the extension, and whether it is gzipped.

    Example:
        >>> file_format(Path("mondo.nt.gz"))
        ('nt', True)
    """
    suffixes = [s.lower() for s in path.suffixes]
    zipped = bool(suffixes) and suffixes[-1] in (".gz", ".gzip")
    if zipped:
        suffixes.pop()
    if given:
        return given, zipped
    fmt = EXTENSIONS.get(suffixes[-1]) if suffixes else None
    if fmt is None:
        raise Misuse(f"cannot tell the format of {path.name} from its extension; give --format "
                     f"({', '.join(FORMATS)}), e.g. --format ttl")
    return fmt, zipped


def _fingerprint(path: Path, fmt: str) -> str:
    """A key for this copy of the file: size, modification time and a hash of its first and last MiB."""
    st = path.stat()
    h = hashlib.sha256()
    with path.open("rb") as f:
        h.update(f.read(1 << 20))
        if st.st_size > 2 << 20:
            f.seek(-(1 << 20), 2)
            h.update(f.read())
    return f"{fmt}:{st.st_size}:{st.st_mtime_ns}:{h.hexdigest()[:24]}"


class _Counted:
    """A binary reader that counts the bytes read from the file on disk (compressed, for .gz)."""

    def __init__(self, path: Path, zipped: bool, tick: Callable[[int], None]) -> None:
        self.raw = path.open("rb")
        self.stream = gzip.GzipFile(fileobj=self.raw, mode="rb") if zipped else self.raw
        self.tick = tick

    def read(self, n: int = -1) -> bytes:
        try:
            data = self.stream.read(n)
        except (OSError, EOFError) as e:  # a damaged or truncated gzip file
            raise LegkgError(f"cannot read {self.raw.name}: {' '.join(str(e).split())[:160]}") from None
        self.tick(self.raw.tell())
        return data

    def close(self) -> None:
        self.stream.close()
        self.raw.close()


def _syntax(path: Path, e: SyntaxError) -> LegkgError:
    """A one-line error naming the file and, when the parser gives one, the line."""
    text = " ".join(str(e).split())
    text = re.sub(r"^Parser error (at|between) [^:]*: ", "", text)
    text = re.sub(r" \(line \d+\)$", "", text)[:200]
    where = f"{path}:{e.lineno}" if e.lineno else str(path)
    return LegkgError(f"{where}: not valid RDF: {text}")


def _load(store: ox.Store, path: Path, fmt: str, zipped: bool, graph: ox.NamedNode, tick: Tick) -> None:
    """Stream the file into ``graph``, reporting bytes read (and, for N-Quads and TriG, quads loaded)."""
    total = path.stat().st_size
    done = [0, 0]  # bytes read, quads so far

    def read(n: int) -> None:
        done[0] = n
        tick(n, total, done[1])

    reader = _Counted(path, zipped, read)
    base = path.resolve().as_uri()
    try:
        if fmt in ("nq", "trig"):
            batch: list[ox.Quad] = []
            for q in ox.parse(reader, FORMATS[fmt], base_iri=base):
                batch.append(ox.Quad(q.subject, q.predicate, q.object, graph))
                if len(batch) >= 100_000:
                    store.bulk_extend(batch)
                    done[1] += len(batch)
                    batch.clear()
            store.bulk_extend(batch)
            done[1] += len(batch)
        else:
            store.bulk_load(reader, FORMATS[fmt], base_iri=base, to_graph=graph)
    except SyntaxError as e:
        raise _syntax(path, e) from None
    except OSError as e:
        raise LegkgError(f"loading {path} failed: {' '.join(str(e).split())[:200]}") from None
    finally:
        reader.close()
    tick(total, total, done[1])


def _meta(store: ox.Store, name: str) -> dict[str, str]:
    subject = ox.NamedNode(_VOCAB + name)
    return {q.predicate.value.rsplit(":", 1)[1]: q.object.value
            for q in store.quads_for_pattern(subject, None, None, ox.NamedNode(link.META_GRAPH))}


def _set_meta(store: ox.Store, name: str, **values: str) -> None:
    subject, meta = ox.NamedNode(_VOCAB + name), ox.NamedNode(link.META_GRAPH)
    for q in list(store.quads_for_pattern(subject, None, None, meta)):
        store.remove(q)
    store.extend([ox.Quad(subject, ox.NamedNode(f"urn:legkg:{k}"), ox.Literal(v), meta) for k, v in values.items()])


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}"))
    return int(rows[0]["n"].value)


def _recover() -> None:
    """Finish or undo a store rebuild that was stopped between its two renames."""
    path = link.store_path()
    old, new = path.with_name(path.name + ".old"), path.with_name(path.name + ".rebuild")
    if old.exists() and not path.exists():
        old.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(new, ignore_errors=True)


class _Held:
    """The writable store, held in one place so that it can be closed and reopened (RocksDB allows one
    handle per folder and process)."""

    def __init__(self) -> None:
        self.store: ox.Store | None = link._open(read_only=False)

    def reopen(self) -> None:
        self.store = None
        import gc

        gc.collect()
        self.store = link._open(read_only=False)


def _drop(held: _Held, graph: ox.NamedNode, say: Say) -> None:
    """Remove a graph; a big one by copying the rest of the store into a new folder (far faster)."""
    store = held.store
    big = sum(1 for _ in zip(range(20_001), store.quads_for_pattern(None, None, None, graph))) > 20_000
    if not big:
        store.remove_graph(graph)
        store.flush()
        return
    path = link.store_path()
    new_path = path.with_name(path.name + ".rebuild")
    shutil.rmtree(new_path, ignore_errors=True)
    say(f"removing the graph <{graph.value}>: copying the rest of {path} ...")
    new = ox.Store(str(new_path))
    with tempfile.TemporaryDirectory(dir=path.parent) as tmp:
        dump = Path(tmp) / "graph.nt"
        for g in [ox.DefaultGraph(), *store.named_graphs()]:
            if g != graph:
                store.dump(output=str(dump), format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                new.bulk_load(path=str(dump), format=ox.RdfFormat.N_TRIPLES, to_graph=g, lenient=True)
    new.flush()
    del store, new
    held.store = None
    import gc

    gc.collect()  # close both folders before swapping them
    old = path.with_name(path.name + ".old")
    path.rename(old)
    new_path.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    held.reopen()


def link_file(path: Path, name: str, fmt: str | None = None, force: bool = False, say: Say | None = None,
              tick: Tick | None = None) -> dict:
    """Load an RDF file into the linked store as vocabulary ``name`` unless this copy is already there.

    ``say`` gets a line per step, ``tick(read, total, triples)`` the bytes read so far. Returns
    the graph, triples, source, format, store folder and whether it loaded.

    Example:
        >>> link_file(Path("codes.ttl"), "codes", say=print)["triples"]  # doctest: +SKIP
        1234
    """
    say = say or (lambda message: None)
    tick = tick or (lambda read, total, triples: None)
    check_name(name)
    if fmt is not None and fmt not in FORMATS:
        raise Misuse(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    fmt, zipped = file_format(path, fmt)
    try:
        if not path.is_file():
            raise LegkgError(f"{path}: no such file" if not path.exists() else f"{path} is not a file")
        if path.stat().st_size == 0:
            raise LegkgError(f"{path} is empty: no triples to link")
        key = _fingerprint(path, fmt)
    except OSError as e:
        raise LegkgError(f"cannot read {path}: {e.strerror or e}") from None
    if not force and link.store_path().exists():
        store = link._open(read_only=True)
        if link._key(store, name) == key:
            say(f"{name} is already linked from this copy of {path.name}; not reloading (--force reloads)")
            return _summary(store, name, loaded=False)
        del store
    with link.writer_lock(say):
        _recover()
        held = _Held()
        if not force and link._key(held.store, name) == key:  # another process loaded it while we waited
            return _summary(held.store, name, loaded=False)
        return _link(held, path, name, fmt, zipped, key, say, tick)


def _link(held: _Held, path: Path, name: str, fmt: str, zipped: bool, key: str, say: Say, tick: Tick) -> dict:
    graph = ox.NamedNode(link.graph_iri(name))
    before = _meta(held.store, name)
    link._clear_key(held.store, name)  # first: a load stopped part-way leaves the name not linked
    _set_meta(held.store, name, state="loading", source=str(path.resolve()), format=fmt)
    held.store.flush()
    if held.store.contains_named_graph(graph):
        what = "an interrupted load" if before.get("state") == "loading" else f"the previous {name}"
        say(f"removing {what} from the store ...")
        _drop(held, graph, say)
    start = time.monotonic()
    say(f"loading {path} ({fmt}{', gzipped' if zipped else ''}) into {link.store_path()} as <{graph.value}> ...")
    try:
        _load(held.store, path, fmt, zipped, graph, tick)
        triples = _count(held.store, graph)
        if triples == 0:
            raise LegkgError(f"{path} holds no triples; nothing linked")
    except LegkgError:  # bad data: undo what was loaded (an interrupted load is undone by the next run)
        _drop(held, graph, say)
        for q in list(held.store.quads_for_pattern(ox.NamedNode(_VOCAB + name), None, None,
                                                   ox.NamedNode(link.META_GRAPH))):
            held.store.remove(q)
        held.store.flush()
        raise
    _set_meta(held.store, name, state="linked", source=str(path.resolve()), format=fmt, triples=str(triples))
    link._set_key(held.store, name, key)
    held.store.flush()
    held.store.optimize()
    say(f"linked {name}: {triples:,} triples in {time.monotonic() - start:.1f} s")
    from legkg.store.local import open_backend

    link._replace_ontology(held.store, open_backend(), say)  # so the first queries only read
    return _summary(held.store, name, loaded=True)


def _summary(store: ox.Store, name: str, loaded: bool) -> dict:
    meta = _meta(store, name)
    return {"name": name, "graph": link.graph_iri(name), "triples": int(meta.get("triples", 0)),
            "source": meta.get("source", ""), "format": meta.get("format", ""), "store": str(link.store_path()),
            "loaded": loaded}


def linked_list() -> list[dict]:
    """Every vocabulary in the linked store: name, graph, triples, source and state.

    Example:
        >>> [r["name"] for r in linked_list()]  # doctest: +SKIP
        ['hpo', 'mondo']
    """
    if not link.store_path().exists():
        return []
    store = link._open(read_only=True)
    rows = []
    for name in link.linked_names(store):
        meta = _meta(store, name)
        if name in link.LINKED:
            graph = ox.NamedNode(link.graph_iri(name))
            meta = {"triples": str(_count(store, graph)), "source": f"bundled ('legkg link {name}')"}
        rows.append({"name": name, "graph": link.graph_iri(name), "triples": int(meta.get("triples", 0)),
                     "source": meta.get("source", ""), "state": "linked"})
    for name in loading_names(store):
        meta = _meta(store, name)
        rows.append({"name": name, "graph": link.graph_iri(name), "triples": 0, "source": meta.get("source", ""),
                     "state": "incomplete: run 'legkg link' again to finish"})
    return rows
