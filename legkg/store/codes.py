"""Codes of other vocabularies: which vocabularies legkg maps to, and finding the term a code names.

The mappings themselves live in the ontology as SKOS mapping annotations (see
:mod:`legkg.vocab.mappings`); the term index resolves a code such as ``ICD10CM:M54.30`` here.

Example:
    >>> VOCABULARIES["HP"].namespace
    'http://purl.obolibrary.org/obo/HP_'
"""

from __future__ import annotations

from typing import NamedTuple

import pyoxigraph as ox

from legkg.core.errors import AmbiguousTerm, UnknownTerm
from legkg.core.prefixes import PREFIXES, curie

MATCHES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
SKOS = PREFIXES["skos"]


class Vocabulary(NamedTuple):  # a named tuple, not a dataclass: the query path stays light
    """A vocabulary legkg maps to: its CURIE prefix, IRI namespace, local-id pattern and name."""

    prefix: str
    namespace: str
    pattern: str
    name: str


VOCABULARIES: dict[str, Vocabulary] = {v.prefix: v for v in [
    Vocabulary("ICD10CM", "http://purl.bioontology.org/ontology/ICD10CM/", r"[A-Z][0-9][0-9AB](\.[0-9A-Z]{1,4})?",
               "ICD-10-CM"),
    Vocabulary("HP", "http://purl.obolibrary.org/obo/HP_", r"[0-9]{7}", "Human Phenotype Ontology"),
    Vocabulary("MONDO", "http://purl.obolibrary.org/obo/MONDO_", r"[0-9]{7}", "Mondo Disease Ontology"),
    Vocabulary("DOID", "http://purl.obolibrary.org/obo/DOID_", r"[0-9]+", "Human Disease Ontology"),
    Vocabulary("UBERON", "http://purl.obolibrary.org/obo/UBERON_", r"[0-9]{7}", "Uberon anatomy ontology"),
    Vocabulary("FMA", "http://purl.obolibrary.org/obo/FMA_", r"[0-9]+", "Foundational Model of Anatomy"),
    Vocabulary("MESH", "http://id.nlm.nih.gov/mesh/", r"[CDQ][0-9]{6,9}", "MeSH"),
    Vocabulary("SNOMEDCT", "http://snomed.info/id/", r"[1-9][0-9]{5,17}", "SNOMED CT"),
    Vocabulary("UMLS", "https://uts.nlm.nih.gov/uts/umls/concept/", r"C[0-9]{7}", "UMLS Metathesaurus"),
]}
ALIASES = {"HPO": "HP", "ICD10": "ICD10CM", "ICD-10-CM": "ICD10CM", "SNOMED": "SNOMEDCT", "SCTID": "SNOMEDCT",
           "MSH": "MESH", "MeSH": "MESH"}



class CodeMatch(NamedTuple):
    """How a code was resolved: the legkg entity, the mapped code and predicate, and whether the
    code given is a broader ICD-10-CM category holding the mapped code."""

    iri: str
    code: str
    mapped: str
    predicate: str
    via_category: bool

    def note(self) -> str:
        """One line for people: ``ICD10CM:M54.3, a broader ICD-10-CM category: legkg maps ...``."""
        if self.via_category:
            return (f"{self.code} is a broader ICD-10-CM category; legkg maps the code {self.mapped} under it "
                    f"({self.predicate}), not {self.code} itself")
        return f"{self.code} ({self.predicate})"


def vocabulary_of(code: str) -> Vocabulary | None:
    """The mapping vocabulary a CURIE such as ``HP:0033748`` belongs to, or None."""
    prefix = code.partition(":")[0]
    return VOCABULARIES.get(prefix) or VOCABULARIES.get(ALIASES.get(prefix, prefix.upper()))


def match_code(backend, code: str) -> CodeMatch | None:
    """Resolve a vocabulary code such as ``ICD10CM:M54.30`` to the legkg entity mapped to it.

    An ICD-10-CM category also finds the one entity mapped under it (``ICD10CM:M54.3``), and
    says so (``via_category``). Returns None when the prefix is not a mapping vocabulary.
    """
    v = vocabulary_of(code)
    if v is None:
        return None
    local = code.partition(":")[2].strip()
    target = v.namespace + local
    values = " ".join(f"skos:{m}" for m in MATCHES)
    query = (f"SELECT DISTINCT ?entity ?p ?target WHERE {{ VALUES ?p {{ {values} }} ?entity ?p ?target . "
             f"FILTER (isIRI(?entity) && STRSTARTS(STR(?target), STR(?ns))) }}")
    rows = backend.select(query, {"ns": ox.Literal(target if v.prefix == "ICD10CM" else v.namespace)})
    exact = [r for r in rows if r["target"].value == target]
    via_category = False
    if not exact and v.prefix == "ICD10CM":
        exact, via_category = rows, True  # a category: every mapped code under it
    if not exact:
        raise UnknownTerm(f"no legkg term is mapped to {v.prefix}:{local}; see 'legkg mappings --vocabulary "
                          f"{v.prefix}'")
    entities = sorted({r["entity"].value for r in exact})
    if len(entities) > 1:
        preferred = sorted({r["entity"].value for r in exact if r["p"].value == SKOS + "exactMatch"})
        if len(preferred) != 1:
            names = ", ".join(curie(e) for e in entities)
            raise AmbiguousTerm(f"{v.prefix}:{local} is mapped to {names}; use one of the ids")
        entities = preferred
    row = min((r for r in exact if r["entity"].value == entities[0]), key=lambda r: r["target"].value)
    mapped = v.prefix + ":" + row["target"].value[len(v.namespace):]
    return CodeMatch(entities[0], f"{v.prefix}:{local}", mapped, "skos:" + row["p"].value[len(SKOS):], via_category)


def resolve_code(backend, code: str) -> str | None:
    """The IRI of the legkg entity mapped to a vocabulary code such as ``ICD10CM:M54.30``.

    An ICD-10-CM category also finds the one entity mapped under it (``ICD10CM:M54.3``).
    Returns None when the prefix is not a mapping vocabulary.
    """
    match = match_code(backend, code)
    return match.iri if match else None
