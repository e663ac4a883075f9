"""Serialise the source ontology in another RDF syntax (rdflib, imported only here).

Example:
    >>> data = export_ontology(None, "nt")
    >>> b"<https://w3id.org/legkg/Sciatica>" in data
    True
"""

from __future__ import annotations

from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.core.prefixes import PREFIXES
from legkg.core.resources import ontology_path

RDFLIB_FORMATS = {"ttl": "turtle", "owl": "xml", "nt": "nt", "jsonld": "json-ld"}


def read_graph(path: Path | None):
    """The ontology (RDF/XML, Turtle or N-Triples) as an rdflib graph, with legkg's prefixes bound."""
    import rdflib

    path = Path(path) if path else ontology_path()
    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    try:
        graph.parse(path, format=rdflib.util.guess_format(str(path)) or "xml")
    except OSError as e:
        raise LegkgError(f"cannot read ontology {path}: {e.strerror or e}") from None
    except Exception as e:  # rdflib raises many parser-specific types
        raise LegkgError(f"{path}: cannot parse: {' '.join(str(e).split())}") from None
    return graph


def export_ontology(path: Path | None, fmt: str) -> bytes:
    """Read the ontology and return it as ``fmt`` bytes (``ttl``, ``owl``, ``nt`` or ``jsonld``).

    JSON-LD is written expanded (full IRIs, no ``@context``): the OWL API's JSON-LD reader
    rejects a compacted document's ``@context``.
    """
    return read_graph(path).serialize(format=RDFLIB_FORMATS[fmt], encoding="utf-8")


def render_ttl(path: Path | None) -> dict[str, bytes]:
    return {"": export_ontology(path, "ttl")}


def render_owl(path: Path | None) -> dict[str, bytes]:
    return {"": export_ontology(path, "owl")}


def render_nt(path: Path | None) -> dict[str, bytes]:
    return {"": export_ontology(path, "nt")}


def render_jsonld(path: Path | None) -> dict[str, bytes]:
    return {"": export_ontology(path, "jsonld")}
