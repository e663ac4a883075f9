"""Serialise the source ontology in another RDF syntax (rdflib, imported only here).

Example:
    >>> data = export_ontology(None, "nt")
    >>> b"<https://w3id.org/legkg/Sciatica>" in data
    True
"""

from __future__ import annotations

from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.core.resources import ontology_path
from legkg.store.inputs import check_rdf
from legkg.store.local import read_ontology

RDFLIB_FORMATS = {"ttl": "turtle", "owl": "xml", "nt": "nt", "jsonld": "json-ld"}


def export_ontology(path: Path | None, fmt: str) -> bytes:
    """Read the ontology (RDF/XML, Turtle or N-Triples) and return it as ``fmt`` bytes."""
    import rdflib

    path = Path(path) if path else ontology_path()
    data = read_ontology(path)
    check_rdf(data, path)
    graph = rdflib.Graph()
    try:
        graph.parse(data=data, format=rdflib.util.guess_format(str(path)) or "xml", publicID=path.resolve().as_uri())
    except Exception as e:  # rdflib raises many parser-specific types
        raise LegkgError(f"{path}: cannot parse: {' '.join(str(e).split())}") from None
    return graph.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
