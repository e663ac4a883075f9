"""The backend contract and the embedded store.

A backend answers SPARQL with parameters bound as RDF terms. The embedded
backend holds the ontology in memory with pyoxigraph, plus a relation graph
derived from it (``queries/internal/relation-graph.ru`` and ``closures.ru``). The derived graph is
cached as N-Triples keyed by the source's content (:mod:`legkg.store.source`), so later runs only parse.

Example:
    >>> from pyoxigraph import NamedNode
    >>> b = open_backend()
    >>> rows = b.select("SELECT ?l WHERE { ?c rdfs:label ?l }",
    ...                 {"c": NamedNode("https://w3id.org/legkg/Sciatica")})
    >>> rows[0]["l"].value
    'sciatica'
"""

from __future__ import annotations

import contextlib
import os.path
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

import pyoxigraph as ox

from legkg.core.errors import LegkgError, QueryFailed
from legkg.core.prefixes import PREFIXES
from legkg.store.dump import MARKER, cached_dump, parse_dump
from legkg.store.files import atomic_write, cache_dir, cache_file, seal
from legkg.store.source import (  # the names other modules read from here
    PUBLISHED_GRAPH,
    RULES,
    Source,
    StaleInferences,
    read_ontology,
)
from legkg.store.source import VOID as _VOID

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["PUBLISHED_GRAPH", "RULES", "Backend", "LocalBackend", "Row", "StaleInferences", "Term", "cached_dump",
           "load_store", "open_backend", "parse_dump", "parse_into", "published_graph", "read_ontology", "with_values"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = dict[str, Term]

_FORMATS = {
    ".owl": ox.RdfFormat.RDF_XML,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".jsonld": ox.RdfFormat.JSON_LD,
}


class Backend(Protocol):
    """What every backend offers: SELECT rows, and any query serialised."""

    label: str

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        """Run a SELECT query with variables bound to RDF terms; return rows of terms."""
        ...

    def raw(self, query: str, result_format: str) -> tuple[str, bytes]:
        """Run any query; return its kind ('select', 'ask' or 'graph') and serialised answer."""
        ...


_MARKER = MARKER


def _describe_graph(store: ox.Store, key: str) -> None:
    """Add the published graph's version triples: the ontology's version, a content key and the triple count.

    ``legkg endpoint check`` compares them with a server's copy.
    """
    g, dg = ox.NamedNode(PUBLISHED_GRAPH), ox.DefaultGraph()
    for quad in list(store.quads_for_pattern(g, None, None, dg)):  # a published graph loaded again
        store.remove(quad)
    owl = "http://www.w3.org/2002/07/owl#"
    rows = list(store.query(f"SELECT ?v WHERE {{ ?o a <{owl}Ontology> ; <{owl}versionInfo> ?v }}"))
    version = rows[0]["v"].value if rows else "unversioned"
    facts = [(ox.NamedNode(RDF_TYPE), ox.NamedNode(_VOID + "Dataset")),
             (ox.NamedNode(owl + "versionInfo"), ox.Literal(version)),
             (ox.NamedNode("http://purl.org/dc/terms/identifier"), ox.Literal(key))]
    total = sum(1 for _ in store.quads_for_pattern(None, None, None, dg)) + len(facts) + 1
    facts.append((ox.NamedNode(_VOID + "triples"), ox.Literal(str(total), datatype=ox.NamedNode(XSD_INTEGER))))
    store.extend(ox.Quad(g, p, o, dg) for p, o in facts)


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"


def parse_into(store: ox.Store, data: bytes, path: Path) -> None:
    """Parse an RDF file's bytes into a store; a syntax error names the file, line and column."""
    from legkg.store.inputs import check_rdf

    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LegkgError(f"{path}: unknown RDF file type {path.suffix!r}; use .owl, .ttl, .nt or .jsonld")
    check_rdf(data, path)
    try:
        store.load(data, format=fmt, base_iri=path.resolve().as_uri())
    except MemoryError:
        raise LegkgError(f"{path}: the parser ran out of memory (a token over its 16 MiB buffer, or a file too "
                         "big for this machine)") from None
    except SyntaxError as e:
        where = _position(e, data, fmt)
        message = str(e.args[0]) if e.args else str(e)
        raise LegkgError(f"{path}{where}: not valid {fmt.name}: {_one_line(Exception(message))}") from None


def _position(e: SyntaxError, data: bytes, fmt: ox.RdfFormat) -> str:
    """``:line:column`` of a syntax error, from the parser or, for XML, from expat."""
    if e.lineno:
        return f":{e.lineno}:{e.offset or 1}"
    if fmt == ox.RdfFormat.RDF_XML:
        import xml.parsers.expat

        parser = xml.parsers.expat.ParserCreate()
        try:
            parser.Parse(data, True)
        except xml.parsers.expat.ExpatError as x:
            return f":{x.lineno}:{x.offset + 1}"
    return ""


def published_graph(path: Path | None = None, asserted: bool = False) -> bytes:
    """The published graph as N-Triples: what ``export``, ``release`` and ``push`` write and canned queries read.

    The ontology, its relation graph, the reasoner's inferences (each marked by a node naming
    it inferred), the closures of ``queries/internal/closures.ru`` and the version triples.

    Example:
        >>> b"<https://w3id.org/legkg/isA>" in published_graph()
        True
    """
    store = load_store(path, asserted)
    return store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())


def load_store(path: Path | None = None, asserted: bool = False) -> ox.Store:
    """Load an ontology, its relation graph and (unless ``asserted``) the reasoner's inferences.

    The inferences (:func:`legkg.reasoning.reason.inferred_quads`) add plain ``rdfs:subClassOf`` links
    between named classes to the default graph and inferred property facts to the graph
    ``legkg:graph/inferred``; they come from an artefact keyed by the source, never stale.
    """
    return _load(path, asserted)[0]


def load_source(source: Source) -> ox.Store:
    """Parse the derived store from the cache, or build it from the source and cache it."""
    store = cached_store(source)
    if store is not None:
        return store
    store = ox.Store()
    parse_into(store, source.data, source.path)
    if source.inferred:
        store.load(source.inferred, format=ox.RdfFormat.N_QUADS, lenient=True)
    for rule in source.rules:
        store.update(rule.decode("utf-8"))
    _describe_graph(store, source.key)
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        dump = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        atomic_write(cache_dir() / f"{source.key}.nt", seal(dump, _MARKER))
    return store


def cached_store(source: Source) -> ox.Store | None:
    """The derived store parsed from the cache, or None when it is missing, cut short or changed.

    Reads only: building the store is :func:`load_source`'s job.
    """
    data = cached_dump(source)
    if data is None:
        return None
    try:
        return parse_dump(data, source.inferred)
    except (OSError, SyntaxError, ValueError):
        return None


def _load(path: Path | None = None, asserted: bool = False) -> tuple[ox.Store, str]:
    """Load the store; also return the content key of what was loaded."""
    source = Source(path, asserted)
    return load_source(source), source.key


class LocalBackend:
    """The embedded pyoxigraph store (read-only for queries), parsed on first use.

    Its ``cache_key`` is known before the store is parsed, so what is cached beside the store
    (the term index) can be read without parsing it.
    """

    def __init__(self, store: ox.Store | None = None, label: str = "embedded store", cache_key: str | None = None,
                 loader=None) -> None:
        self._store = store
        self._loader = loader
        self.label = label
        self.cache_key = cache_key  # lets derived indexes be cached beside the store

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            self._store = self._loader()
        return self._store

    def _query(self, query: str, bindings: Mapping[str, Term] | None = None):
        try:
            return self.store.query(with_values(query, bindings), prefixes=PREFIXES)
        except SyntaxError as e:
            raise QueryFailed(f"invalid SPARQL: {_one_line(e)}") from None
        except (OSError, ValueError) as e:
            raise QueryFailed(f"query failed: {_one_line(e)}") from None

    def select(self, query: str, bindings: Mapping[str, Term] | None = None) -> list[Row]:
        result = self._query(query, bindings)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryFailed("expected a SELECT query")
        names = [v.value for v in result.variables]
        rows = []
        for sol in result:
            rows.append({n: sol[n] for n in names if sol[n] is not None})
        return rows

    def raw(self, query: str, result_format: str) -> tuple[str, bytes]:
        result = self._query(query)
        if isinstance(result, ox.QueryBoolean):
            kind = "ask"
        elif isinstance(result, ox.QuerySolutions):
            kind = "select"
        else:
            kind = "graph"
        if kind == "graph":
            fmt = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                   "xml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}.get(result_format)
        else:
            fmt = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                   "tsv": ox.QueryResultsFormat.TSV, "xml": ox.QueryResultsFormat.XML}.get(result_format)
        if fmt is None:
            raise _format_error(kind, result_format)
        try:
            data = result.serialize(format=fmt)
        except (OSError, ValueError) as e:
            raise QueryFailed(f"query failed: {_one_line(e)}") from None
        return kind, data if isinstance(data, bytes) else b""


_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)


def with_values(query: str, bindings: Mapping[str, Term] | None) -> str:
    """Bind variables by opening the query's WHERE group with a VALUES block of RDF terms.

    The terms are pyoxigraph terms, so their text form is escaped N-Triples syntax
    (an IRI cannot hold ``>`` or spaces; a literal's quotes are escaped): nothing a
    user typed reaches the query text except as a well-formed RDF term.

    Example:
        >>> with_values("SELECT ?x WHERE { ?x ?p ?o }", {"o": ox.NamedNode("https://a/b")})
        'SELECT ?x WHERE { VALUES ?o { <https://a/b> } ?x ?p ?o }'
    """
    if not bindings:
        return query
    for name, term in bindings.items():
        if not re.fullmatch(r"\w+", name) or not isinstance(term, (ox.NamedNode, ox.Literal)):
            raise QueryFailed(f"cannot bind {name!r} to {term!r}")
    block = " ".join(f"VALUES ?{k} {{ {v} }}" for k, v in bindings.items())
    body = "\n".join(" " * len(line) if line.lstrip().startswith("#") else line
                     for line in query.split("\n"))
    m = _WHERE.search(body)
    if m is None:
        raise QueryFailed("cannot bind parameters: the query has no WHERE clause")
    return query[: m.end()] + " " + block + query[m.end():]


def _format_error(kind: str, fmt: str) -> LegkgError:
    from legkg.core.errors import Misuse

    allowed = "ttl, nt, xml, jsonld or table" if kind == "graph" else "json, csv, tsv, xml or table"
    return Misuse(f"format {fmt!r} does not fit a {kind.upper()} result; use {allowed}")


def _one_line(e: Exception, limit: int = 200) -> str:
    text = " ".join(str(e).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def open_backend(ontology: Path | None = None, asserted: bool = False, source: Source | None = None,
                 preloaded: Callable[[str], ox.Store | None] | None = None) -> LocalBackend:
    """Open the embedded store over the bundled ontology (or another file), with inferences unless ``asserted``.

    ``source`` is the :class:`Source` of those two when the caller has read it already.
    ``preloaded(key)`` (:meth:`legkg.store.preload.Preload.take`) gives a store already parsed
    for that content key, or None; it is asked when the store is first used.
    """
    source = source or Source(ontology, asserted)
    if not os.path.isfile(cache_file(f"{source.key}.nt")):  # never parsed here: parse now, so bad files fail at once
        return LocalBackend(load_source(source), cache_key=source.key)

    def load() -> ox.Store:
        store = preloaded(source.key) if preloaded is not None else None
        return store if store is not None else load_source(source)

    return LocalBackend(cache_key=source.key, loader=load)
