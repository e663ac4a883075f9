"""Serialise the published graph, or the source ontology alone, in an RDF syntax.

The published graph (:func:`legkg.store.published_graph`) is what canned queries read:
load it into any SPARQL server and legkg's answers there are the embedded store's.

Example:
    >>> data = export_published(None, "nt")
    >>> b"<https://w3id.org/legkg/isA>" in data
    True
    >>> b"<https://w3id.org/legkg/isA>" in export_ontology(None, "nt")
    False
"""

from __future__ import annotations

from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.core.resources import ontology_path

RDFLIB_FORMATS = {"ttl": "turtle", "owl": "xml", "nt": "nt", "jsonld": "json-ld"}


def export_published(path: Path | None, fmt: str, asserted: bool = False) -> bytes:
    """The published graph of an ontology (the bundled one by default) as ``fmt`` bytes."""
    import pyoxigraph as ox

    from legkg.core.prefixes import PREFIXES
    from legkg.store.local import load_store

    syntax = {"ttl": ox.RdfFormat.TURTLE, "owl": ox.RdfFormat.RDF_XML, "nt": ox.RdfFormat.N_TRIPLES,
              "jsonld": ox.RdfFormat.JSON_LD}[fmt]
    store = load_store(path, asserted)
    prefixes = {} if fmt == "nt" else PREFIXES
    return store.dump(format=syntax, from_graph=ox.DefaultGraph(), prefixes=prefixes)


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
