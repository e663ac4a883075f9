"""Traceability and hygiene of the real ontology (ontology/legkg-edit.owl), read with rdflib."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import rdflib
from conftest import ONTOLOGY, REPO
from rdflib import OWL, RDF, RDFS, BNode, Literal, URIRef
from rdflib.namespace import DCTERMS

LEGKG = rdflib.Namespace("https://w3id.org/legkg/")
DEFINITION = URIRef("http://purl.obolibrary.org/obo/IAO_0000115")
SOURCE = LEGKG.sourceSentence
BACKGROUND = LEGKG.background
ARTICLE_LINES = 33  # the rest of the file is unrelated headlines


def _article_path() -> Path:
    env = os.environ.get("LEGKG_ARTICLE")
    return Path(env) if env else REPO / "ontology" / "source" / "why-cant-i-lift-my-leg.txt"


@pytest.fixture(scope="module")
def article_lines() -> list[str]:
    path = _article_path()
    if not path.is_file():
        pytest.fail(f"article not found at {path}; set LEGKG_ARTICLE to its path")
    return path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def article(article_lines: list[str]) -> str:
    return "\n".join(article_lines[:ARTICLE_LINES])


# The page the article came from listed three unrelated headlines after its body; the bundled
# source leaves them out, and nothing in the ontology may come from them.
UNRELATED_HEADLINES = ["Can You Smoke Weed While Taking Antibiotics?", "Can Blood Clots Cause Bruising?",
                       "What Is LDCT Screening for Lung Cancer?"]


@pytest.fixture(scope="module")
def trailer(article_lines: list[str]) -> list[str]:
    return UNRELATED_HEADLINES


@pytest.fixture(scope="module")
def graph() -> rdflib.Graph:
    return rdflib.Graph().parse(ONTOLOGY, format="xml")


def _name(g: rdflib.Graph, node: rdflib.term.Node) -> str:
    return g.namespace_manager.normalizeUri(node) if isinstance(node, URIRef) else repr(node)


def _entities(g: rdflib.Graph) -> list[URIRef]:
    """Named classes and individuals of the legkg namespace."""
    found = set(g.subjects(RDF.type, OWL.Class)) | set(g.subjects(RDF.type, OWL.NamedIndividual))
    return sorted(e for e in found if isinstance(e, URIRef) and str(e).startswith(str(LEGKG)))


def _axioms(g: rdflib.Graph) -> list[rdflib.term.Node]:
    return list(g.subjects(RDF.type, OWL.Axiom))


def test_article_has_expected_shape(article_lines: list[str], trailer: list[str]) -> None:
    assert article_lines[0].startswith("Why Can"), article_lines[0]
    assert len(article_lines) <= ARTICLE_LINES, "the bundled source holds the article's body only"
    assert not [h for h in UNRELATED_HEADLINES if h in "\n".join(article_lines)]


def test_source_sentences_are_verbatim(graph: rdflib.Graph, article: str) -> None:
    values = {str(o) for o in graph.objects(None, SOURCE)}
    assert len(values) > 20, values
    missing = sorted(v for v in values if v not in article)
    assert not missing, "not verbatim in the article's first 33 lines:\n" + "\n".join(missing)


def test_no_source_quotes_the_unrelated_headlines(graph: rdflib.Graph, trailer: list[str]) -> None:
    values = {str(o) for o in graph.objects(None, SOURCE)}
    bad = sorted(v for v in values for t in trailer if t in v or v in t)
    assert not bad, bad
    text = ONTOLOGY.read_text(encoding="utf-8").casefold()
    for headline in trailer:
        assert headline.casefold() not in text, headline
    for word in ("weed", "antibiotic", "bruising", "ldct", "lung cancer", "blood clot"):
        assert word not in text, f"{word!r} from the unrelated headlines appears in the ontology"


def test_every_entity_has_one_label(graph: rdflib.Graph) -> None:
    bad = [(_name(graph, e), list(graph.objects(e, RDFS.label))) for e in _entities(graph)
           if len(list(graph.objects(e, RDFS.label))) != 1]
    assert not bad, bad


def test_labels_are_unique(graph: rdflib.Graph) -> None:
    seen: dict[str, str] = {}
    dupes = []
    for e in _entities(graph):
        label = str(graph.value(e, RDFS.label)).casefold()
        if label in seen:
            dupes.append((label, seen[label], _name(graph, e)))
        seen[label] = _name(graph, e)
    assert not dupes, dupes


def test_every_entity_has_a_definition(graph: rdflib.Graph) -> None:
    bad = [_name(graph, e) for e in _entities(graph)
           if not [d for d in graph.objects(e, DEFINITION) if str(d).strip()]]
    assert not bad, bad


def test_every_entity_is_sourced_or_background(graph: rdflib.Graph) -> None:
    bad = [_name(graph, e) for e in _entities(graph)
           if (e, SOURCE, None) not in graph and (e, BACKGROUND, None) not in graph]
    assert not bad, bad


def test_every_axiom_annotation_has_exactly_one_provenance(graph: rdflib.Graph) -> None:
    axioms = _axioms(graph)
    assert axioms, "no owl:Axiom annotations"
    bad = []
    for ax in axioms:
        n = len(list(graph.objects(ax, SOURCE))) + len(list(graph.objects(ax, BACKGROUND)))
        if n != 1:
            bad.append((_name(graph, graph.value(ax, OWL.annotatedSource)), n))
    assert not bad, bad


def test_axioms_are_well_formed(graph: rdflib.Graph) -> None:
    bad = [ax for ax in _axioms(graph)
           if None in (graph.value(ax, OWL.annotatedSource), graph.value(ax, OWL.annotatedProperty),
                       graph.value(ax, OWL.annotatedTarget))]
    assert not bad, bad
    # each annotated axiom is also asserted
    unasserted = []
    for ax in _axioms(graph):
        s, p, o = (graph.value(ax, x) for x in (OWL.annotatedSource, OWL.annotatedProperty,
                                                OWL.annotatedTarget))
        if isinstance(o, BNode):
            continue
        if (s, p, o) not in graph:
            unasserted.append((_name(graph, s), _name(graph, p), _name(graph, o)))
    assert not unasserted, unasserted


def _conditions(g: rdflib.Graph) -> set[URIRef]:
    return {c for c in g.transitive_subjects(RDFS.subClassOf, LEGKG.Condition)
            if isinstance(c, URIRef)}


def _restriction_key(g: rdflib.Graph, r: rdflib.term.Node) -> tuple:
    """A restriction by structure (annotated axioms hold a copy of the blank node)."""
    def filler(o: rdflib.term.Node) -> str:  # an "or" filler by its members, not its blank node
        members = g.value(o, OWL.unionOf) if isinstance(o, BNode) else None
        return "or(" + ",".join(sorted(str(m) for m in g.items(members))) + ")" if members else str(o)

    fillers = tuple(sorted((str(p), filler(o)) for p in (OWL.someValuesFrom, OWL.hasValue, OWL.allValuesFrom)
                           for o in g.objects(r, p)))
    return (g.value(r, OWL.onProperty), fillers)


def test_every_condition_restriction_is_annotated(graph: rdflib.Graph) -> None:
    annotated = {(graph.value(ax, OWL.annotatedSource),
                  _restriction_key(graph, graph.value(ax, OWL.annotatedTarget)))
                 for ax in _axioms(graph)
                 if graph.value(ax, OWL.annotatedProperty) == RDFS.subClassOf
                 and isinstance(graph.value(ax, OWL.annotatedTarget), BNode)}
    missing = []
    count = 0
    for c in _conditions(graph):
        for r in graph.objects(c, RDFS.subClassOf):
            if isinstance(r, BNode) and (r, RDF.type, OWL.Restriction) in graph:
                count += 1
                if (c, _restriction_key(graph, r)) not in annotated:
                    prop = graph.value(r, OWL.onProperty)
                    filler = graph.value(r, OWL.someValuesFrom) or graph.value(r, OWL.hasValue)
                    missing.append((_name(graph, c), _name(graph, prop), _name(graph, filler)))
    assert count > 25, count  # the universal facts; hedged ones are annotation assertions, checked below
    assert not missing, missing


def test_every_hedged_fact_has_modality_and_sentence(graph: rdflib.Graph) -> None:
    """A hedged fact (can, often ...) is an annotation assertion whose axiom gives its modality and sentence."""
    hedge_of = rdflib.URIRef("https://w3id.org/legkg/hedgeOf")
    modality = rdflib.URIRef("https://w3id.org/legkg/modality")
    sentence = rdflib.URIRef("https://w3id.org/legkg/sourceSentence")
    hedged = set(graph.subjects(hedge_of, None))
    facts = [(s, h, o) for h in hedged for s, o in graph.subject_objects(h)]
    assert len(facts) > 100, len(facts)
    bad = []
    for s, h, o in facts:
        axioms = [ax for ax in graph.subjects(OWL.annotatedSource, s)
                  if graph.value(ax, OWL.annotatedProperty) == h and graph.value(ax, OWL.annotatedTarget) == o]
        if len(axioms) != 1 or graph.value(axioms[0], modality) is None or graph.value(axioms[0], sentence) is None:
            bad.append((_name(graph, s), _name(graph, h), _name(graph, o)))
    assert not bad, bad


def test_restrictions_are_well_formed(graph: rdflib.Graph) -> None:
    bad = []
    for r in graph.subjects(RDF.type, OWL.Restriction):
        prop = graph.value(r, OWL.onProperty)
        fillers = [o for p in (OWL.someValuesFrom, OWL.hasValue, OWL.allValuesFrom)
                   for o in graph.objects(r, p)]
        if prop is None or (prop, RDF.type, OWL.ObjectProperty) not in graph or len(fillers) != 1:
            bad.append((prop, fillers))
    assert not bad, bad


def test_every_object_property_has_domain_range_label(graph: rdflib.Graph) -> None:
    props = [p for p in graph.subjects(RDF.type, OWL.ObjectProperty) if isinstance(p, URIRef)]
    assert len(props) >= 10, props
    bad = []
    for p in props:
        for needed in (RDFS.domain, RDFS.range, RDFS.label):
            if (p, needed, None) not in graph:
                bad.append((_name(graph, p), _name(graph, needed)))
    assert not bad, bad


def test_every_referenced_legkg_term_is_declared(graph: rdflib.Graph) -> None:
    declared = set()
    for t in (OWL.Class, OWL.NamedIndividual, OWL.ObjectProperty, OWL.AnnotationProperty,
              OWL.DatatypeProperty, OWL.Ontology):
        declared |= set(graph.subjects(RDF.type, t))
    used = {n for triple in graph for n in triple
            if isinstance(n, URIRef) and str(n).startswith(str(LEGKG))}
    undeclared = sorted(_name(graph, n) for n in used - declared
                        if not str(n).startswith(str(LEGKG) + "releases/"))
    assert not undeclared, undeclared


def test_ontology_header(graph: rdflib.Graph) -> None:
    [onto] = list(graph.subjects(RDF.type, OWL.Ontology))
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, OWL.versionIRI):
        value = graph.value(onto, p)
        assert value is not None and str(value).strip(), f"ontology header lacks {_name(graph, p)}"
    assert isinstance(graph.value(onto, OWL.versionIRI), URIRef)
    assert isinstance(graph.value(onto, DCTERMS.license), URIRef | Literal)


def test_article_categories_present(graph: rdflib.Graph) -> None:
    cats = {str(graph.value(c, RDFS.label)) for c in graph.subjects(RDFS.subClassOf, LEGKG.Condition)}
    assert {"musculoskeletal cause", "nerve-related or spinal cause",
            "broader medical condition"} <= cats, cats


def test_parses_with_owlready2(tmp_path: Path) -> None:
    owlready2 = pytest.importorskip("owlready2")
    world = owlready2.World()
    onto = world.get_ontology(ONTOLOGY.resolve().as_uri()).load()
    names = {c.iri for c in onto.classes()}
    assert str(LEGKG.Sciatica) in names and str(LEGKG.Condition) in names, sorted(names)[:10]
    sciatica = world[str(LEGKG.Sciatica)]
    assert any(getattr(r, "property", None) is not None and r.property.iri == str(LEGKG.affects)
               for r in sciatica.is_a), sciatica.is_a
