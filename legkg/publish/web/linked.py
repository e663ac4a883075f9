"""Linked data: pick a format by extension or Accept header, and describe a term or the ontology in RDF.

Example:
    >>> negotiate("", "text/turtle;q=0.9, text/html;q=0.5")
    'ttl'
    >>> negotiate(".jsonld", "text/html")
    'jsonld'
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from legkg.core.prefixes import PREFIXES
from legkg.publish.accept import ranked_media

OWL = PREFIXES["owl"]
RDF_FORMATS = {
    "ttl": (ox.RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "owl": (ox.RdfFormat.RDF_XML, "application/rdf+xml"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json"),
    "nt": (ox.RdfFormat.N_TRIPLES, "application/n-triples"),
}
EXTENSIONS = {".html": "html", ".ttl": "ttl", ".owl": "owl", ".rdf": "owl", ".jsonld": "jsonld", ".nt": "nt"}
ACCEPTED = {"text/html": "html", "application/xhtml+xml": "html", "text/turtle": "ttl",
            "application/x-turtle": "ttl", "application/rdf+xml": "owl", "application/owl+xml": "owl",
            "application/ld+json": "jsonld", "application/json": "jsonld", "application/n-triples": "nt",
            "text/plain": "nt"}


def negotiate(extension: str, accept: str) -> str | None:
    """The format a request asks for: its extension wins, then the Accept header's best match (HTML by default).

    Returns None when the extension is unknown or Accept names only formats we do not serve.
    """
    if extension:
        return EXTENSIONS.get(extension.lower())
    if not accept.strip():
        return "html"
    for q, media in ranked_media(accept):
        if q <= 0:
            break
        if media in ACCEPTED:
            return ACCEPTED[media]
        if media in ("*/*", "text/*"):
            return "html"
    return None


class SourceGraph:
    """The source ontology as asserted (no derived facts), for serving terms and the whole ontology."""

    def __init__(self, path: Path) -> None:
        from legkg.store.local import parse_into

        self.path = path
        self.store = ox.Store()
        parse_into(self.store, path.read_bytes(), path)

    def term(self, iri: str, fmt: str) -> bytes:
        """The term's concise bounded description plus the annotated axioms about it."""
        node = ox.NamedNode(iri)
        triples: list[ox.Triple] = []
        seen: set[ox.BlankNode] = set()

        def add(subject) -> None:
            for q in self.store.quads_for_pattern(subject, None, None, ox.DefaultGraph()):
                triples.append(ox.Triple(q.subject, q.predicate, q.object))
                if isinstance(q.object, ox.BlankNode) and q.object not in seen:
                    seen.add(q.object)
                    add(q.object)

        add(node)
        for q in self.store.quads_for_pattern(None, ox.NamedNode(OWL + "annotatedSource"), node, ox.DefaultGraph()):
            if isinstance(q.subject, ox.BlankNode) and q.subject not in seen:
                seen.add(q.subject)
                add(q.subject)
        return ox.serialize(triples, format=RDF_FORMATS[fmt][0], prefixes=PREFIXES)

    def has(self, iri: str) -> bool:
        """Whether the source says anything about this IRI."""
        return any(True for _ in self.store.quads_for_pattern(ox.NamedNode(iri), None, None, ox.DefaultGraph()))

    def whole(self, fmt: str) -> bytes:
        """The whole ontology: the file itself (or its Turtle sibling, as a release has), else re-serialised."""
        if fmt == "owl" and self.path.suffix.lower() in (".owl", ".rdf", ".xml"):
            return self.path.read_bytes()
        sibling = self.path.with_suffix(".ttl")
        if fmt == "ttl" and sibling.is_file():
            return sibling.read_bytes()
        return self.store.dump(format=RDF_FORMATS[fmt][0], from_graph=ox.DefaultGraph(), prefixes=PREFIXES)
