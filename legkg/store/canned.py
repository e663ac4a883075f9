"""Run canned and raw queries on any backend and turn their answers into plain rows.

Example:
    >>> from legkg.store.local import open_backend
    >>> columns, rows = run_canned(open_backend(), "red-flags")
    >>> "label" in columns
    True
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from legkg.core.errors import Misuse
from legkg.core.prefixes import PREFIXES, curie
from legkg.store.local import Backend, Row
from legkg.store.queries import CannedQuery, internal_query, load_query
from legkg.store.terms import TermIndex

RDFS_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
RDF_TYPE = PREFIXES["rdf"] + "type"
def to_value(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str | int | float | None:
    """Turn an RDF term into a plain value: IRIs become CURIEs, numbers numbers."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return curie(term.value)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    dt = term.datatype.value if term.datatype else ""
    if dt.endswith(("#integer", "#int", "#long", "#nonNegativeInteger")):
        try:
            return int(term.value)
        except ValueError:
            return term.value
    if dt.endswith(("#decimal", "#double", "#float")):
        try:
            return float(term.value)
        except ValueError:
            return term.value
    return term.value


def plain_rows(rows: Iterable[Row], columns: Sequence[str]) -> list[dict]:
    """Rows of RDF terms as dicts of plain values, with every column present."""
    return [{c: to_value(r.get(c)) for c in columns} for r in rows]


def select_columns(query: str) -> list[str]:
    """The projected variables of a SELECT query, in order (``SELECT ?a ?b``)."""
    import re

    head = re.search(r"SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(.*?)\s*(?:WHERE|\{)", query,
                     re.IGNORECASE | re.DOTALL)
    return re.findall(r"\?(\w+)", head.group(1)) if head else []


def bind_params(index: TermIndex, query: CannedQuery,
                values: Sequence[tuple[str, str]]) -> dict[str, ox.NamedNode]:
    """Resolve ``-p NAME VALUE`` pairs to RDF terms for the query's parameters."""
    declared = {p.name: p for p in query.params}
    bound: dict[str, ox.NamedNode] = {}
    for name, value in values:
        if name not in declared:
            names = ", ".join(declared) or "none"
            raise Misuse(f"query {query.name!r} has no parameter {name!r} (parameters: {names})")
        if name in bound:
            raise Misuse(f"parameter {name!r} given twice")
        p = declared[name]
        bound[name] = ox.NamedNode(index.resolve(value, set(p.kinds), role="/".join(p.kinds)).iri)
    missing = [p for p in query.params if p.name not in bound]
    if missing:
        p = missing[0]
        raise Misuse(f"query {query.name!r} needs -p {p.name} VALUE ({'/'.join(p.kinds)}: {p.help})")
    return bound


def run_canned(backend: Backend, name: str, values: Sequence[tuple[str, str]] = (),
               index: TermIndex | None = None) -> tuple[list[str], list[dict]]:
    """Run a canned query with its parameters given as text; return columns and rows."""
    query = load_query(name)
    if query.params or values:
        index = index or TermIndex.load(backend)
        bindings = bind_params(index, query, values)
    else:
        bindings = {}
    columns = select_columns(query.text)
    return columns, plain_rows(backend.select(query.text, bindings), columns)


def relation_labels(backend: Backend) -> dict[str, tuple[str, str]]:
    labels = {RDFS_SUBCLASS: ("is a", "has subtype"), RDF_TYPE: ("instance of", "has instance")}
    for r in backend.select(internal_query("relation-index")):
        label = r["label"].value
        inverse = r["inverse_label"].value if "inverse_label" in r else f"inverse of {label}"
        labels[r["entity"].value] = (label, inverse)
    return labels


def query_catalogue() -> list[dict]:
    """Every canned query with its title, parameters and description."""
    from legkg.store.queries import all_queries

    return [{"id": q.name, "label": q.title,
             "parameters": ", ".join(f"{p.name} ({'|'.join(p.kinds)})" for p in q.params),
             "description": q.description} for q in all_queries()]


_UPDATE = (  # compiled when a query is checked, not on every run
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b"
)


def run_sparql(backend: Backend, text: str, fmt: str, allow_service: bool = False, timeout: float = 30.0,
               limit: int = 10_000, memory: int | None = 1 << 30) -> tuple[str, list[str], bytes | list[dict], bool]:
    """Run a user's query; return its kind, columns, serialised bytes or table rows, and whether it was cut.

    SERVICE clauses, which make the engine call other servers, are refused unless allowed. A
    local query is stopped after ``timeout`` seconds or past ``memory`` bytes, and its answer
    cut to ``limit`` rows.
    """
    from legkg.store.limits import cut_results, run_with_time_limit
    from legkg.store.local import LocalBackend
    from legkg.store.sparqltext import query_kind, service_targets, strip_comments

    def fetch(query_format: str) -> tuple[str, bytes]:
        if isinstance(backend, LocalBackend):
            backend.store  # noqa: B018 - parsed before the fork, in this process, never in the child
            return run_with_time_limit(lambda: backend.raw(text, query_format), timeout, memory)
        return backend.raw(text, query_format)

    def limited(query_format: str) -> tuple[str, bytes, bool]:
        if query_format == "csv" and query_kind(text) == "select":  # CSV cannot be read back: go through TSV
            kind, data = fetch("tsv")
            data, _, cut = cut_results(data, kind, "tsv", limit, out="csv")
            return kind, data, cut
        kind, data = fetch(query_format)
        data, _, cut = cut_results(data, kind, query_format, limit)
        return kind, data, cut

    text = text.removeprefix("\ufeff")  # a byte order mark left by some editors
    if not text.strip():
        raise Misuse("empty query")
    if re.match(_UPDATE, strip_comments(text), re.IGNORECASE):
        raise Misuse("SPARQL updates are refused: legkg sparql only reads, and never changes the ontology")
    if not allow_service and service_targets(text, PREFIXES):
        raise Misuse("SERVICE (federated) queries reach other servers; pass --allow-service to run one")
    if fmt != "table":
        kind, data, cut = limited(fmt)
        return kind, [], data, cut
    kind = query_kind(text)
    if kind == "graph":
        _, data, cut = limited("ttl")
        return kind, [], data, cut
    if kind == "ask":
        answer = json.loads(fetch("json")[1])["boolean"]
        return kind, ["answer"], [{"answer": "yes" if answer else "no"}], False
    _, data, cut = limited("tsv")
    return (kind, *_tsv_rows(data), cut)


def _tsv_rows(data: bytes) -> tuple[list[str], list[dict]]:
    result = ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV)
    columns = [v.value for v in result.variables]
    return columns, [{c: to_value(sol[c]) for c in columns} for sol in result]
