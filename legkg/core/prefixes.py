"""Prefixes predeclared in queries and used to shorten IRIs to CURIEs.

Example:
    >>> curie("https://w3id.org/legkg/Sciatica")
    'legkg:Sciatica'
    >>> expand("legkg:Sciatica")
    'https://w3id.org/legkg/Sciatica'
"""

from __future__ import annotations

LEGKG = "https://w3id.org/legkg/"

PREFIXES: dict[str, str] = {
    "legkg": LEGKG,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "oboInOwl": "http://www.geneontology.org/formats/oboInOwl#",
    "obo": "http://purl.obolibrary.org/obo/",
}

_BY_LENGTH = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def curie(iri: str) -> str:
    """Shorten an IRI with the longest matching prefix; return it unchanged if none fits."""
    for prefix, ns in _BY_LENGTH:
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def expand(value: str) -> str | None:
    """Expand ``prefix:local`` to an IRI, or return None if the prefix is unknown."""
    prefix, sep, local = value.partition(":")
    if not sep or prefix not in PREFIXES:
        return None
    return PREFIXES[prefix] + local


def sparql_prologue() -> str:
    """PREFIX lines for every known prefix."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
