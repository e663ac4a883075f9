"""Library functions behind the commands: each returns rows (dicts) ready for a writer.

Example:
    >>> from legkg.store import open_backend
    >>> rows = find_conditions(open_backend(), anatomy=["sciatic nerve"], symptom=["numbness"])
    >>> [r["id"] for r in rows]
    ['legkg:PiriformisSyndrome', 'legkg:Sciatica']
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

import pyoxigraph as ox

from legkg.errors import Misuse
from legkg.prefixes import PREFIXES, curie
from legkg.queries import CannedQuery, internal_query, load_query
from legkg.store import Backend, Row
from legkg.terms import TermIndex

RDFS_SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
RDF_TYPE = PREFIXES["rdf"] + "type"
DEFINITION = PREFIXES["obo"] + "IAO_0000115"
ANNOTATION_FIELDS = {
    PREFIXES["rdfs"] + "label": "label",
    DEFINITION: "definition",
    PREFIXES["oboInOwl"] + "hasExactSynonym": "synonym",
    PREFIXES["oboInOwl"] + "hasRelatedSynonym": "related synonym",
    PREFIXES["legkg"] + "sourceSentence": "article sentence",
    PREFIXES["legkg"] + "background": "background",
    PREFIXES["legkg"] + "urgencyRank": "urgency rank",
}


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


def find_conditions(backend: Backend, anatomy: Sequence[str] = (), symptom: Sequence[str] = (),
                    mechanism: Sequence[str] = (), category: Sequence[str] = ()) -> list[dict]:
    """Conditions meeting every filter; each filter follows part-of and subclass links."""
    filters = [("conditions-by-anatomy", "anatomy", v) for v in anatomy]
    filters += [("conditions-by-symptom", "symptom", v) for v in symptom]
    filters += [("conditions-by-mechanism", "mechanism", v) for v in mechanism]
    filters += [("conditions-by-category", "category", v) for v in category]
    if not filters:
        return run_canned(backend, "all-conditions")[1]
    index = TermIndex.load(backend)
    result: dict[str, dict] | None = None
    for name, param, value in filters:
        rows = run_canned(backend, name, [(param, value)], index)[1]
        found = {r["id"]: r for r in rows}
        result = found if result is None else {k: v for k, v in result.items() if k in found}
    return sorted((result or {}).values(), key=lambda r: (str(r["label"]).casefold(), r["id"]))


def list_terms(backend: Backend, text: str | None = None, kind: str | None = None) -> list[dict]:
    """Entities whose label or synonym contains ``text``, optionally of one kind."""
    index = TermIndex.load(backend)
    return [{"id": e.id, "label": e.label, "kind": e.kind, "synonyms": "; ".join(e.synonyms)}
            for e in index.search(text, kind)]


def describe(backend: Backend, term: str) -> list[dict]:
    """Everything about one entity, as rows of (field, value, direction, source)."""
    index = TermIndex.load(backend)
    entity = index.resolve(term)
    node = ox.NamedNode(entity.iri)
    relations = relation_labels(backend)
    base = {"id": entity.id, "label": entity.label}
    rows = [dict(base, field="kind", direction="", value=entity.kind, value_id=None, source=None)]
    for r in backend.select(internal_query("describe-annotations"), {"entity": node}):
        field = ANNOTATION_FIELDS.get(r["p"].value)
        if field and field != "label":
            rows.append(dict(base, field=field, direction="", value=to_value(r["value"]),
                             value_id=None, source=None))
    facts = []
    for r in backend.select(internal_query("describe-out"), {"entity": node}):
        facts.append(_fact(base, index, relations, r["p"].value, r["o"].value, "out", r))
    for r in backend.select(internal_query("describe-in"), {"entity": node}):
        facts.append(_fact(base, index, relations, r["p"].value, r["s"].value, "in", r))
    facts = [f for f in facts if f is not None]
    order = {"definition": 0, "synonym": 1, "related synonym": 2, "article sentence": 3,
             "background": 4, "urgency rank": 5}
    rows[1:] = sorted(rows[1:], key=lambda r: (order.get(r["field"], 9), str(r["value"])))
    facts.sort(key=lambda f: (f["direction"] != "out", f["field"], str(f["value"]).casefold()))
    return rows + _dedupe(facts)


def _dedupe(facts: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for f in facts:
        key = (f["field"], f["direction"], f["value_id"])
        if key not in seen or (f["source"] and not seen[key]["source"]):
            seen[key] = f
    return list(seen.values())


def relation_labels(backend: Backend) -> dict[str, tuple[str, str]]:
    labels = {RDFS_SUBCLASS: ("is a", "has subtype"), RDF_TYPE: ("instance of", "has instance")}
    for r in backend.select(internal_query("relation-index")):
        label = r["label"].value
        inverse = r["inverse_label"].value if "inverse_label" in r else f"inverse of {label}"
        labels[r["entity"].value] = (label, inverse)
    return labels


def _fact(base: dict, index: TermIndex, relations: dict, p: str, other: str, direction: str,
          r: Row) -> dict | None:
    target = index.get(other)
    if target is None or p not in relations:
        return None
    field = relations[p][0 if direction == "out" else 1]
    source = r["source"].value if "source" in r else None
    if source is None and "background" in r:
        source = f"background: {r['background'].value}"
    return dict(base, field=field, direction=direction, value=target.label, value_id=target.id,
                source=source)


def query_catalogue() -> list[dict]:
    """Every canned query with its title, parameters and description."""
    from legkg.queries import all_queries

    return [{"id": q.name, "label": q.title,
             "parameters": ", ".join(f"{p.name} ({'|'.join(p.kinds)})" for p in q.params),
             "description": q.description} for q in all_queries()]


_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)


def run_sparql(backend: Backend, text: str, fmt: str, allow_service: bool = False, timeout: float = 30.0,
               limit: int = 10_000) -> tuple[str, list[str], bytes | list[dict], bool]:
    """Run a user's query; return its kind, columns, serialised bytes or table rows, and whether it was cut.

    SERVICE clauses, which make the engine call other servers, are refused unless allowed. The
    query is stopped after ``timeout`` seconds, and its answer cut to ``limit`` rows.
    """
    from legkg.limits import cut_results, run_with_time_limit
    from legkg.sparqltext import query_kind, strip_comments
    from legkg.store import LocalBackend

    def fetch(query_format: str) -> tuple[str, bytes]:
        if isinstance(backend, LocalBackend):
            return run_with_time_limit(lambda: backend.raw(text, query_format), timeout)
        return backend.raw(text, query_format)

    def limited(query_format: str) -> tuple[str, bytes, bool]:
        if query_format == "csv" and query_kind(text) == "select":  # CSV cannot be read back: go through TSV
            kind, data = fetch("tsv")
            data, _, cut = cut_results(data, kind, "tsv", limit, out="csv")
            return kind, data, cut
        kind, data = fetch(query_format)
        data, _, cut = cut_results(data, kind, query_format, limit)
        return kind, data, cut

    if not text.strip():
        raise Misuse("empty query")
    if _UPDATE.match(strip_comments(text)):
        raise Misuse("SPARQL updates are refused: legkg sparql only reads, and never changes the ontology")
    if not allow_service and re.search(r"\bSERVICE\b", strip_comments(text), re.IGNORECASE):
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
