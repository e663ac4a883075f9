"""Read whatever a SPARQL server answers: any W3C results format or RDF syntax, by its content type.

Servers differ: Virtuoso names blank nodes ``nodeID://b1``, Comunica adds members to
SPARQL JSON, rdflib-endpoint answers XML when asked for TSV, Comunica answers a
CONSTRUCT with TriG. Every blank node becomes a fresh pyoxigraph blank node (the same
one for the same server id within one answer), and unknown JSON members are ignored.

Example:
    >>> kind, names, rows = parse_results(b'{"head":{"vars":["x"]},"results":{"bindings":'
    ...     b'[{"x":{"type":"bnode","value":"nodeID://b1"}}]},"metadata":{}}', "application/sparql-results+json")
    >>> kind, names, type(rows[0][0]).__name__
    ('select', ['x'], 'BlankNode')
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal
RESULTS_ACCEPT = "application/sparql-results+json, application/sparql-results+xml;q=0.9, " \
                 "text/tab-separated-values;q=0.5"
GRAPH_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8, " \
               "application/ld+json;q=0.5, application/n-quads;q=0.4, application/trig;q=0.4"
_SR = "{http://www.w3.org/2005/sparql-results#}"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_GRAPH_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG, "text/n3": ox.RdfFormat.N3,
}


class _Bnodes(dict):
    """Server blank node ids to fresh pyoxigraph blank nodes, one per id."""

    def __missing__(self, key: str) -> ox.BlankNode:
        node = ox.BlankNode()
        self[key] = node
        return node


def _json_term(value: dict, bnodes: _Bnodes) -> Term:
    kind, text = value.get("type"), value.get("value")
    if not isinstance(text, str):
        raise ValueError("a term without a value")
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return bnodes[text]
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang") or value.get("lang")
        if lang:
            return ox.Literal(text, language=lang)
        if value.get("datatype"):
            return ox.Literal(text, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(text)
    raise ValueError(f"unknown term type {kind!r}")


def _xml_term(node: ET.Element, bnodes: _Bnodes) -> Term:
    text = node.text or ""
    if node.tag == _SR + "uri":
        return ox.NamedNode(text.strip())
    if node.tag == _SR + "bnode":
        return bnodes[text.strip()]
    if node.tag == _SR + "literal":
        if node.get(_XML_LANG):
            return ox.Literal(text, language=node.get(_XML_LANG))
        if node.get("datatype"):
            return ox.Literal(text, datatype=ox.NamedNode(node.get("datatype")))
        return ox.Literal(text)
    raise ValueError(f"unknown term element {node.tag!r}")


def _from_json(body: bytes) -> tuple[str, list[str], list[list[Term | None]] | bool]:
    data = json.loads(body)
    if "boolean" in data:
        return "ask", [], bool(data["boolean"])
    names = list(data["head"]["vars"])
    bnodes = _Bnodes()
    rows = [[_json_term(b[n], bnodes) if n in b else None for n in names] for b in data["results"]["bindings"]]
    return "select", names, rows


def _from_xml(body: bytes) -> tuple[str, list[str], list[list[Term | None]] | bool]:
    root = ET.fromstring(body)
    boolean = root.find(_SR + "boolean")
    if boolean is not None:
        return "ask", [], (boolean.text or "").strip() == "true"
    names = [v.get("name") for v in root.iter(_SR + "variable")]
    bnodes = _Bnodes()
    rows = []
    for result in root.iter(_SR + "result"):
        row: dict[str, Term] = {}
        for binding in result.findall(_SR + "binding"):
            row[binding.get("name")] = _xml_term(binding[0], bnodes)
        rows.append([row.get(n) for n in names])
    return "select", names, rows


def _from_tsv(body: bytes) -> tuple[str, list[str], list[list[Term | None]] | bool]:
    lines = body.decode("utf-8").split("\n")
    head = [h.strip().strip('"') for h in lines[0].rstrip("\r").split("\t")]  # Virtuoso quotes its names
    fixed = "\t".join(h if h.startswith("?") else "?" + h for h in head)
    text = "\n".join([fixed, *lines[1:]]).encode("utf-8")
    parsed = ox.parse_query_results(text, format=ox.QueryResultsFormat.TSV)
    if isinstance(parsed, ox.QueryBoolean):
        return "ask", [], bool(parsed)
    names = [v.value for v in parsed.variables]
    bnodes = _Bnodes()
    rows = [[bnodes[t.value] if isinstance(t, ox.BlankNode) else t for t in (s[n] for n in names)] for s in parsed]
    return "select", names, rows


def parse_results(body: bytes, ctype: str) -> tuple[str, list[str], list[list[Term | None]] | bool]:
    """SELECT or ASK results in JSON, XML or TSV, chosen by content type (then by a look at the bytes).

    Returns ``("ask", [], answer)`` or ``("select", variables, rows)``; rows align with the variables.
    Raises ValueError (or a parser's own error) when the bytes are not results.
    """
    start = body.lstrip()[:1]
    if "json" in ctype or (ctype in ("text/plain", "application/octet-stream", "") and start == b"{"):
        return _from_json(body)
    if "xml" in ctype or start == b"<":
        return _from_xml(body)
    if "tab-separated" in ctype:
        return _from_tsv(body)
    raise ValueError(f"cannot read SPARQL results of type {ctype or 'unknown'}")


def parse_graph(body: bytes, ctype: str) -> list[ox.Triple]:
    """The triples of a CONSTRUCT or DESCRIBE answer in any RDF syntax, chosen by content type."""
    fmt = _GRAPH_TYPES.get(ctype)
    if fmt is None:
        raise ValueError(f"cannot read RDF of type {ctype or 'unknown'}")
    bnodes = _Bnodes()

    def fresh(t):
        return bnodes[t.value] if isinstance(t, ox.BlankNode) else t

    return [ox.Triple(fresh(q.subject), q.predicate, fresh(q.object)) for q in ox.parse(body, format=fmt)]
