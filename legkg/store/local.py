"""The backend contract and the embedded store.

A backend answers SPARQL with parameters bound as RDF terms. The embedded
backend holds the ontology in memory with pyoxigraph, plus a relation graph
derived from it (``queries/internal/relation-graph.ru`` and ``closures.ru``). The derived graph is
cached as N-Triples keyed by the source's content, so later runs only parse.

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
import re
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from legkg.core.errors import LegkgError, QueryFailed
from legkg.core.prefixes import PREFIXES
from legkg.core.resources import ontology_path, queries_dir
from legkg.store.files import atomic_write, cache_dir, content_key

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


_COMPLETE = b"# legkg: end of derived store\n"


RULES = ("relation-graph.ru", "closures.ru")  # applied in this order; each only adds edges
PUBLISHED_GRAPH = "https://w3id.org/legkg/graph"  # the published graph's own IRI: version and size
_VOID = "http://rdfs.org/ns/void#"


def _rules() -> list[bytes]:
    return [(queries_dir() / "internal" / name).read_bytes() for name in RULES]


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
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LegkgError(f"{path}: unknown RDF file type {path.suffix!r}; use .owl, .ttl, .nt or .jsonld")
    try:
        store.load(data, format=fmt, base_iri=path.resolve().as_uri())
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


class StaleInferences(UserWarning):
    """The ontology changed since its inferences were built: answers use the asserted axioms only."""


def _inferred(path: Path, source: bytes) -> bytes:
    """The built inferences for this source, or nothing (with a warning) when none are current.

    The store never starts a reasoner: ``legkg build`` writes the inferences after an edit.
    """
    from legkg.store.artefacts import current_artefact, source_key

    current = current_artefact(source_key(source, path.suffix))
    if current is not None:
        return current
    warnings.warn(StaleInferences(
        f"{path.name} changed since its inferences were built, so answers use the asserted axioms only; "
        f"run 'legkg{'' if path == ontology_path() else f' --ontology {path}'} build' to add the reasoner's"),
        stacklevel=2)
    return b""


def _load(path: Path | None = None, asserted: bool = False) -> tuple[ox.Store, str]:
    """Load the store; also return the content key of what was loaded."""
    path = Path(path) if path else ontology_path()
    if path.suffix.lower() not in _FORMATS:
        raise LegkgError(f"{path}: unknown RDF file type {path.suffix!r}; use .owl, .ttl, .nt or .jsonld")
    try:
        source = path.read_bytes()
    except OSError as e:
        raise LegkgError(f"cannot read ontology {path}: {e.strerror or e}") from None
    rules = _rules()
    published = _VOID.encode() in source and any(  # a published graph: its inferences are inside
        form in source for form in (b"<https://w3id.org/legkg/graph>", b'"https://w3id.org/legkg/graph"',
                                    b"legkg:graph "))
    inferred = b"" if asserted or published else _inferred(path, source)
    parts = (source, *rules, path.suffix.lower().encode()) + ((inferred,) if inferred else ())
    cached = cache_dir() / f"{content_key(*parts)}.nt"
    store = ox.Store()
    try:
        data = cached.read_bytes()
        if data.endswith(_COMPLETE):  # written by us, whole: skip re-validation
            store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
            if inferred:  # the default graph's share is in the dump; this adds the inferred facts' graph
                store.extend(q for q in ox.parse(inferred, format=ox.RdfFormat.N_QUADS, lenient=True)
                             if not isinstance(q.graph_name, ox.DefaultGraph))
            return store, cached.stem
    except (OSError, SyntaxError):
        store.clear()
    parse_into(store, source, path)
    if inferred:
        store.load(inferred, format=ox.RdfFormat.N_QUADS, lenient=True)
    for rule in rules:
        store.update(rule.decode("utf-8"))
    _describe_graph(store, cached.stem)
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        dump = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
        atomic_write(cached, dump + _COMPLETE)
    return store, cached.stem


class LocalBackend:
    """The embedded pyoxigraph store (read-only for queries)."""

    def __init__(self, store: ox.Store, label: str = "embedded store", cache_key: str | None = None) -> None:
        self.store = store
        self.label = label
        self.cache_key = cache_key  # lets derived indexes be cached beside the store

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


def open_backend(ontology: Path | None = None, asserted: bool = False) -> LocalBackend:
    """Open the embedded store over the bundled ontology (or another file), with inferences unless ``asserted``."""
    store, key = _load(ontology, asserted)
    return LocalBackend(store, cache_key=key)
