"""Check one row of tests/data/article-facts.tsv against a backend, through the describe API.

A fact (subject, relation, object, modality) holds when ``describe(subject)`` shows a relation
that reads as the row's relation (in either direction) to the object, carrying the row's
modality and citing the row's sentence. ``is a`` holds when the object is the subject or one of
its superclasses; ``is not a`` when it is neither. Relation names in the table are how a reader
says the relation; ``READINGS`` lists the property labels that read that way.

Example:
    >>> from legkg.store.local import open_backend
    >>> row = {"id": "7.3a", "subject": "hip flexor strain", "relation": "is a",
    ...        "object": "muscle strain", "modality": "always", "sentence": "..."}
    >>> problems(Checker(open_backend()), row)
    []
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

FACTS = Path(__file__).resolve().parent / "data" / "article-facts.tsv"

# How each relation of the table may be labelled in the ontology (a property's label, or the
# inverse label describe shows when the fact is stored the other way round).
READINGS: dict[str, set[str]] = {
    "requires": {"requires"},
    "indicates": {"indicates", "may indicate", "can indicate", "signals"},
    "has severity": {"has severity"},
    "has frequency": {"has frequency"},
    "has symptom": {"has symptom"},
    "contributes to": {"contributes to", "has symptom", "causes"},
    "affects": {"affects"},
    "has mechanism": {"has mechanism"},
    "occurs during": {"occurs during", "has situation", "occurs in"},
    "impairs": {"impairs"},
    "aggravated by": {"aggravated by", "worsened by"},
    "relieved by": {"relieved by", "improved by"},
    "cushions": {"cushions"},
    "located in": {"located in"},
    "originates in": {"originates in", "originates from", "arises from"},
    "causes": {"causes", "leads to", "results in"},
    "has similar symptoms to": {"has similar symptoms to"},
    "controls": {"controls"},
    "enables": {"enables", "responsible for", "allows for"},
    "part of": {"part of"},
    "has onset": {"has onset"},
    "determines": {"determines", "dictates", "determines the extent of"},
    "covers": {"covers", "surrounds", "part of"},
    "varies in": {"varies in"},
    "warrants": {"warrants"},
    "may involve": {"may involve", "involves", "includes"},
}
SPECIAL = {"is a", "is not a"}
# Facts a canned query can also show (following part-of and subclass links), as users reach them
# with `legkg conditions --anatomy/--symptom`; only rows stated for the subject itself count.
CANNED = {"affects": ("conditions-by-anatomy", "anatomy"), "has symptom": ("conditions-by-symptom", "symptom")}


def fact_rows() -> list[dict[str, str]]:
    """The rows of the fact table that state a fact (relation other than ``none``)."""
    with FACTS.open(encoding="utf-8", newline="") as fh:
        return [r for r in csv.DictReader(fh, delimiter="\t") if r["relation"] != "none"]


class Checker:
    """A backend with its term index and superclass table, read once."""

    def __init__(self, backend: Any) -> None:
        from legkg.store.queries import internal_query
        from legkg.store.terms import TermIndex, normalise

        self.backend, self.normalise = backend, normalise
        self.index = TermIndex.load(backend)
        self.supers: dict[str, set[str]] = {}
        for r in backend.select(internal_query("superclasses")):
            self.supers.setdefault(r["class"].value, set()).add(r["super"].value)
        self._described: dict[str, list[dict]] = {}

    def iri(self, name: str) -> str | None:
        """The IRI a name resolves to, or None."""
        from legkg.core.errors import LegkgError

        try:
            return self.index.resolve(name).iri
        except LegkgError:
            return None

    def describe(self, iri: str) -> list[dict]:
        from legkg.answers.lookup import describe

        if iri not in self._described:
            self._described[iri] = describe(self.backend, iri)
        return self._described[iri]

    def full_iri(self, value_id: str | None) -> str | None:
        if not value_id:
            return None
        entity = self.index.get(value_id)
        if entity is None:
            from legkg.core.prefixes import expand

            entity = self.index.get(expand(value_id))
        return entity.iri if entity else None


def problems(c: Checker, row: dict[str, str]) -> list[str]:
    """What is wrong with one fact in the backend (an empty list: the fact holds as written)."""
    s, o = c.iri(row["subject"]), c.iri(row["object"])
    out = [f"no entity named {name!r}" for name, iri in ((row["subject"], s), (row["object"], o)) if iri is None]
    if out:
        return out
    assert s is not None and o is not None
    relation = row["relation"]
    if relation == "is not a":
        return [f"{row['subject']} is a {row['object']}"] if s == o or o in c.supers.get(s, ()) else []
    if relation == "is a":
        if s != o and o not in c.supers.get(s, ()):
            return [f"{row['subject']} is not a {row['object']}"]
        direct = [f for f in _edges(c, s, o) if f["field"] == "is a"]
        shown = [f.get("modality") for f in direct if f.get("modality")]
        if shown and row["modality"] not in shown:
            return [f"modality shown {shown}, the article says {row['modality']!r}"]
        return []
    readings = READINGS.get(relation)
    if readings is None:
        return [f"relation {relation!r} has no reading in READINGS"]
    if row["modality"] == "not":
        return _denied(c, row, s, o, readings)
    edges = [f for f in _edges(c, s, o) if c.normalise(str(f["field"])) in readings] or _canned(c, relation, s, o)
    if not edges:
        return [f"describe {row['subject']!r} shows no {relation!r} to {row['object']!r}"]
    modalities = sorted({str(f.get("modality")) for f in edges})
    if row["modality"] not in modalities:
        out.append(f"modality {modalities}, the article says {row['modality']!r}")
    sources = {f.get("source") for f in edges}
    if row["sentence"] not in sources:
        out.append(f"cites {sorted(str(x) for x in sources)}, not the sentence {row['id']}")
    return out


def _canned(c: Checker, relation: str, s: str, o: str) -> list[dict]:
    """Rows of the canned query for ``relation`` that give the subject for the object, stated for the subject."""
    if relation not in CANNED:
        return []
    from legkg.store.canned import run_canned

    name, param = CANNED[relation]
    rows = run_canned(c.backend, name, [(param, o)], c.index)[1]
    return [r for r in rows if c.full_iri(r.get("id")) == s
            and (not r.get("stated_for") or c.iri(str(r["stated_for"])) == s)]


NEGATED = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX legkg: <https://w3id.org/legkg/>
SELECT ?label ?src WHERE {
  ?f rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; legkg:modality legkg:Not ; legkg:sourceSentence ?src .
  ?p rdfs:label ?label .
}
"""


def _denied(c: Checker, row: dict[str, str], s: str, o: str, readings: set[str]) -> list[str]:
    """A denied fact holds when the graph records the denial, citing the sentence, and shows no such edge."""
    import pyoxigraph as ox

    shown = [f for f in _edges(c, s, o) if c.normalise(str(f["field"])) in readings]
    if shown:
        return [f"describe {row['subject']!r} shows {row['relation']!r} to {row['object']!r}, the article denies it"]
    found = c.backend.select(NEGATED, {"s": ox.NamedNode(s), "o": ox.NamedNode(o)})
    denials = [r for r in found if c.normalise(r["label"].value) in readings]
    if not denials:
        return [f"no denial of {row['subject']!r} {row['relation']!r} {row['object']!r}"]
    if row["sentence"] not in {r["src"].value for r in denials}:
        return [f"the denial does not cite the sentence {row['id']}"]
    return []


def _edges(c: Checker, s: str, o: str) -> list[dict]:
    return [f for f in c.describe(s) if f.get("direction") in ("out", "in") and c.full_iri(f.get("value_id")) == o]
