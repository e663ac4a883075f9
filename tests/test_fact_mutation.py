"""Removing any one fact axiom from the ontology makes some article-fact test fail.

Each fact axiom (an annotated axiom carrying the article's modality or sentence, not marked
background) is dropped in turn from an in-memory copy of ontology/legkg-edit.owl; the query
store is rebuilt in memory (the local store's update rules, no reasoner) and the rows of
tests/data/article-facts.tsv that mention the axiom's subject are checked again. A removal is
caught when a row that held before fails after. The mutation score is printed and must be 100%:
a removal nothing catches is a fact the article table does not state, or one stated twice.

Example:
    pytest tests/test_fact_mutation.py -s
"""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from factcheck import Checker, fact_rows, problems

from legkg.store.local import RULES, LocalBackend

OWL = "http://www.w3.org/2002/07/owl#"
LEGKG = "https://w3id.org/legkg/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
FACT_AXIOMS = f"""
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <{OWL}>
SELECT DISTINCT ?ax ?s ?p ?t WHERE {{
  ?ax a <{OWL}Axiom> ; <{OWL}annotatedSource> ?s ; <{OWL}annotatedProperty> ?p ; <{OWL}annotatedTarget> ?t .
  FILTER (isIRI(?s))
  {{ ?ax <{LEGKG}modality> ?m }} UNION {{ ?ax <{LEGKG}sourceSentence> ?src }}
  FILTER NOT EXISTS {{ ?ax <{LEGKG}background> ?b }}
  FILTER (?p IN (rdfs:subClassOf, owl:equivalentClass, rdf:type) || STRSTARTS(STR(?p), "{LEGKG}"))
}}
"""

pytestmark = pytest.mark.slow


def _backend(source: ox.Store, rules: list[str]) -> LocalBackend:
    """A query store built in memory from the (mutated) source: the local store's update rules, no reasoner."""
    store = ox.Store()
    store.load(source.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
               format=ox.RdfFormat.N_TRIPLES)
    for rule in rules:  # the local store's own update rules, in order
        store.update(rule)
    return LocalBackend(store, label="mutant")


def _outcomes(backend: LocalBackend, rows: list[dict[str, str]]) -> dict[str, bool]:
    checker = Checker(backend)
    return {r["id"]: not problems(checker, r) for r in rows}


def _shape(source: ox.Store, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> object:
    """A blank node's structure (its properties and values, recursively); other nodes as they are."""
    if not isinstance(node, ox.BlankNode):
        return node
    return frozenset((q.predicate, _shape(source, q.object)) for q in source.quads_for_pattern(node, None, None))


def _stated(source: ox.Store, s: ox.NamedNode, p: ox.NamedNode, t: ox.NamedNode | ox.BlankNode | ox.Literal
            ) -> list[ox.Quad]:
    """The triples that state an annotated axiom: RDF/XML gives the axiom's target its own blank node."""
    shape = _shape(source, t)
    return [q for q in source.quads_for_pattern(s, p, None, ox.DefaultGraph())
            if q.object == t or _shape(source, q.object) == shape]


def _describe(node: ox.NamedNode | ox.BlankNode | ox.Literal, source: ox.Store) -> str:
    """A short name for a node; a blank node (a restriction, a union) by the names inside it."""
    if isinstance(node, ox.BlankNode):
        parts = []
        for q in source.quads_for_pattern(node, None, None):
            if isinstance(q.object, ox.BlankNode):
                parts.append(_describe(q.object, source))
            elif isinstance(q.object, ox.NamedNode) and not q.object.value.startswith((OWL, RDF)):
                parts.append(re.split("[/#]", q.object.value)[-1])
        return "[" + " ".join(p for p in parts if p != "[]") + "]"
    return re.split("[/#]", node.value)[-1]


def test_every_fact_axiom_removal_is_caught() -> None:
    from legkg.core.resources import ontology_path, queries_dir
    from legkg.store.local import parse_into

    path = ontology_path()
    source = ox.Store()
    parse_into(source, path.read_bytes(), path)
    rules = [(queries_dir() / "internal" / name).read_text(encoding="utf-8") for name in RULES]
    rows = fact_rows()
    baseline_backend = _backend(source, rules)
    base = Checker(baseline_backend)
    mentions: dict[str, list[dict[str, str]]] = {}
    for r in rows:
        for iri in {base.iri(r["subject"]), base.iri(r["object"])} - {None}:
            mentions.setdefault(iri, []).append(r)
    baseline = _outcomes(baseline_backend, rows)

    axioms = [(r["ax"], r["s"], r["p"], r["t"]) for r in source.query(FACT_AXIOMS)]
    assert axioms, "no fact axioms found"
    survived = []
    for ax, s, p, t in axioms:
        removed = _stated(source, s, p, t) + list(source.quads_for_pattern(ax, None, None))
        for q in removed:
            source.remove(q)
        try:
            relevant = [r for r in mentions.get(s.value, []) if baseline[r["id"]]]
            after = _outcomes(_backend(source, rules), relevant) if relevant else {}
        finally:
            for q in removed:
                source.add(q)
        if not any(not ok for ok in after.values()):
            failing = len(mentions.get(s.value, [])) - len(relevant)
            survived.append(f"{_describe(s, source)} {_describe(p, source)} {_describe(t, source)} "
                            f"({len(relevant)} rows on the subject still hold, {failing} failed already)")
    score = 100.0 * (len(axioms) - len(survived)) / len(axioms)
    print(f"\nfact-axiom mutation score: {score:.1f}% ({len(axioms) - len(survived)} of {len(axioms)} removals caught)")
    for line in survived:
        print(f"  not caught: {line}")
    assert not survived, f"mutation score {score:.1f}%: {len(survived)} removals not caught, e.g. {survived[:5]}"
