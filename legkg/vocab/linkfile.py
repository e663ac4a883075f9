"""Linking any RDF vocabulary from a file: ``legkg link FILE --name NAME``.

The file (N-Triples, N-Quads, Turtle, TriG or RDF/XML, gzipped or not; the format comes
from the extension) is streamed into the persistent linked store of :mod:`legkg.vocab.linked`
as the named graph ``https://w3id.org/legkg/graph/NAME``, without being read into Python
(:mod:`legkg.vocab.streams`: one bulk load per file, or per part of a file cut for the cores).
One bulk load per file or part, not one per block: each extra load into a store that already
holds the vocabulary's keys costs more than the last (10^7 triples in 32 MiB blocks took five
times as long).

A load is recoverable: before it starts, the name's key is removed and a ``loading`` mark
written; only a complete load sets the key again. A load that fails (bad syntax, no
triples) is rolled back, and a reload that fails puts the copy linked before back; a load
killed part-way is rolled back by the next ``link``, and until then ``--with NAME`` refuses
the name rather than answer from a partial graph.

Example:
    >>> info = link_file(Path("mondo.owl"), "mondo")  # doctest: +SKIP
    >>> info["triples"], info["loaded"]  # doctest: +SKIP
    (2345678, True)
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse
from legkg.vocab import linked as link
from legkg.vocab.linked import check_name, loading_names
from legkg.vocab.streams import FORMATS, Tick, load_file

EXTENSIONS = {".nt": "nt", ".ntriples": "nt", ".nq": "nq", ".nquads": "nq", ".ttl": "ttl", ".turtle": "ttl",
              ".trig": "trig", ".rdf": "xml", ".owl": "xml", ".xml": "xml", ".rdfxml": "xml"}
_VOCAB = link.VOCAB
# The bulk loader writes a big file as many overlapping sorted batches (of about a million triples);
# compacting them makes the first queries faster (10^7 triples: a subclass-path query 0.35 s instead
# of 1 s) at a cost (38 to 54 s). A file of up to 256 MiB of RDF (about two batches of N-Triples) gains too
# little for the time (10^6 triples: 3 to 4 s to gain 30 ms), so it is left as loaded.
COMPACT_ABOVE = 256 << 20
SMALL_STORE = 32 << 20  # up to about 300,000 quads on disk: counted in well under 0.1 s
Say = Callable[[str], None]


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


def _quads_if_small(store: ox.Store) -> int | None:
    """Every quad in the store when its folder is small enough to count them at once (else None).

    A new graph's triples are then the store's quads after the load less these: counting every key
    of the store is more than twice as fast as counting one graph with SPARQL, which decodes each
    quad (10^6 triples: 0.3 s instead of 0.7; 10^7, compacted: 3.7 s instead of about 7).
    """
    folder = link.store_path()
    size = sum(f.stat().st_size for f in folder.iterdir() if f.is_file()) if folder.is_dir() else 0
    return len(store) if size <= SMALL_STORE else None


def _compact(store: ox.Store) -> str:
    """Compact the store; return why it failed, or an empty string (the load is complete without it,
    only its first queries are slower)."""
    try:
        store.optimize()
    except OSError as e:
        return " ".join(str(e).split())[:160]
    return ""


def _recover() -> None:
    """Finish or undo a store rebuild that was stopped between its two renames."""
    path = link.store_path()
    old, new = path.with_name(path.name + ".old"), path.with_name(path.name + ".rebuild")
    if old.exists() and not path.exists():
        old.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    shutil.rmtree(new, ignore_errors=True)
    # a reload stopped part-way: the store holds it as loading and the next run reloads it
    shutil.rmtree(path.with_name(path.name + ".previous"), ignore_errors=True)
    _scratch().unlink(missing_ok=True)


def _scratch() -> Path:
    """Where a gzipped N-Triples file is unzipped to be loaded in parts."""
    path = link.store_path()
    return path.with_name(path.name + ".unzipped.nt")


class _Held:
    """The writable store, held in one place so that it can be closed and reopened (RocksDB allows one
    handle per folder and process)."""

    def __init__(self) -> None:
        self.store: ox.Store | None = link._open(read_only=False)

    def reopen(self) -> None:
        _close(self)
        self.store = link._open(read_only=False)


def _drop(held: _Held, graph: ox.NamedNode, say: Say, keep: bool = False) -> list[ox.Quad] | Path | None:
    """Remove a graph; a big one by copying the rest of the store into a new folder (far faster).

    With ``keep``, what was removed is returned so that :func:`_restore` can put it back: a small
    graph's quads, or a big graph's whole previous store folder (moved aside, not deleted)."""
    store = held.store
    big = sum(1 for _ in zip(range(20_001), store.quads_for_pattern(None, None, None, graph))) > 20_000
    if not big:
        quads = list(store.quads_for_pattern(None, None, None, graph)) if keep else None
        store.remove_graph(graph)
        store.flush()
        return quads
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
    _close(held)  # close both folders before swapping them
    old = path.with_name(path.name + ".old")
    path.rename(old)
    new_path.rename(path)
    previous = None
    if keep:
        previous = path.with_name(path.name + ".previous")
        old.rename(previous)
    shutil.rmtree(old, ignore_errors=True)
    held.reopen()
    return previous


def _close(held: _Held) -> None:
    held.store = None
    import gc

    gc.collect()


def _restore(held: _Held, previous: list[ox.Quad] | Path, graph: ox.NamedNode, say: Say) -> None:
    """Put back the copy a failed reload removed (the caller then restores its marks)."""
    say(f"restoring the previous <{graph.value}> ...")
    if isinstance(previous, Path):  # the whole previous folder: swap it back in
        _close(held)
        path = link.store_path()
        shutil.rmtree(path)
        previous.rename(path)
        held.reopen()
    else:
        held.store.remove_graph(graph)
        held.store.extend(previous)


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
    before, old_key = _meta(held.store, name), link._key(held.store, name)
    link._clear_key(held.store, name)  # first: a load stopped part-way leaves the name not linked
    _set_meta(held.store, name, state="loading", source=str(path.resolve()), format=fmt)
    held.store.flush()
    previous = None
    if held.store.contains_named_graph(graph):
        reload = before.get("state") == "linked" and old_key is not None
        say(f"removing {f'the previous {name}' if reload else 'an interrupted load'} from the store ...")
        previous = _drop(held, graph, say, keep=reload)  # kept until the new copy is complete
    start = time.monotonic()
    say(f"loading {path} ({fmt}{', gzipped' if zipped else ''}) into {link.store_path()} as <{graph.value}> ...")
    failure, problem = None, ""
    quads_before = _quads_if_small(held.store)  # nothing but this load writes to the store until it is counted
    try:
        parsed = load_file(held.store, path, fmt, zipped, graph, tick, scratch=_scratch())
        if parsed > COMPACT_ABOVE:  # first: the compacted store is counted faster (10^7: 3.5 s, not 5.5)
            say("compacting the store ...")
            problem = _compact(held.store)
        triples = _count(held.store, graph) if quads_before is None else len(held.store) - quads_before
        if triples == 0:
            raise LegkgError(f"{path} holds no triples; nothing linked")
    except LegkgError as e:
        failure = e.with_traceback(None)  # its frames would keep the store open
        failure.__context__ = None
    if failure is not None:  # bad data: undo what was loaded (an interrupted load is undone by the next run)
        if isinstance(previous, Path):
            _restore(held, previous, graph, say)  # the previous folder has no trace of this load
        else:
            _drop(held, graph, say)
            if previous is not None:
                _restore(held, previous, graph, say)
        for q in list(held.store.quads_for_pattern(ox.NamedNode(_VOCAB + name), None, None,
                                                   ox.NamedNode(link.META_GRAPH))):
            held.store.remove(q)
        if previous is not None and old_key is not None:  # the previous copy is linked again, as it was
            _set_meta(held.store, name, **before)
            link._set_key(held.store, name, old_key)
        held.store.flush()
        raise failure
    if isinstance(previous, Path):
        shutil.rmtree(previous, ignore_errors=True)
    _set_meta(held.store, name, state="linked", source=str(path.resolve()), format=fmt, triples=str(triples))
    link._set_key(held.store, name, key)
    held.store.flush()
    from legkg.store.local import open_backend

    link._replace_ontology(held.store, open_backend(), say)  # so the first queries only read
    if problem:
        say(f"the store could not be compacted ({problem}); queries over {name} work, more slowly")
    say(f"linked {name}: {triples:,} triples in {time.monotonic() - start:.1f} s")
    return _summary(held.store, name, loaded=True)


def unlink(name: str, say: Say | None = None) -> dict:
    """Remove a linked vocabulary (complete or partly loaded) from the linked store; the rest stays.

    Returns its name, graph and the triples removed.

    Example:
        >>> unlink("mondo")["triples"]  # doctest: +SKIP
        2345678
    """
    say = say or (lambda message: None)
    check_name(name, builtin=True)
    if name in ("ontology", "linked-meta"):
        raise Misuse(f"{name!r} is legkg's own part of the linked store, not a vocabulary; "
                     "'legkg link list' lists the vocabularies")
    if not link.store_path().exists():
        raise LegkgError(f"{name} is not linked: nothing is linked yet")
    with link.writer_lock(say):
        _recover()
        held = _Held()
        known = link.linked_names(held.store) + loading_names(held.store)
        if name not in known:
            listed = f" (linked: {', '.join(known)})" if known else ": nothing is linked yet"
            raise LegkgError(f"{name} is not linked{listed}")
        graph = ox.NamedNode(link.graph_iri(name))
        triples = _count(held.store, graph)
        link._clear_key(held.store, name)  # first: a removal stopped part-way never leaves a partial graph linked
        _set_meta(held.store, name, state="loading")
        held.store.flush()
        if held.store.contains_named_graph(graph):
            say(f"removing {name} ({triples:,} triples) from {link.store_path()} ...")
            _drop(held, graph, say)
        for q in list(held.store.quads_for_pattern(ox.NamedNode(_VOCAB + name), None, None,
                                                   ox.NamedNode(link.META_GRAPH))):
            held.store.remove(q)
        held.store.flush()
    return {"name": name, "graph": graph.value, "triples": triples}


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
