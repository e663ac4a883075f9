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

RDFLIB_FORMATS = {"ttl": "turtle", "owl": "xml", "nt": "nt", "jsonld": "json-ld"}


def export_ontology(path: Path | None, fmt: str) -> bytes:
    """Read the ontology (RDF/XML, Turtle or N-Triples) and return it as ``fmt`` bytes."""
    import rdflib

    path = Path(path) if path else ontology_path()
    graph = rdflib.Graph()
    try:
        graph.parse(path, format=rdflib.util.guess_format(str(path)) or "xml")
    except OSError as e:
        raise LegkgError(f"cannot read ontology {path}: {e.strerror or e}") from None
    except Exception as e:  # rdflib raises many parser-specific types
        raise LegkgError(f"{path}: cannot parse: {' '.join(str(e).split())}") from None
    return graph.serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")
