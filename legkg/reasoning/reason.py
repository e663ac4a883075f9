"""OWL reasoning: HermiT or Pellet (owlready2's bundled jars) or an OWL 2 RL fallback (owlrl).

The reasoner runs on a copy of the source in a temporary folder (the source is never
touched), under a time limit (the JVM is killed when it runs over). A run reports
consistency, unsatisfiable classes, the inferred class hierarchy (subclass links between
named classes that are not asserted) and inferred property facts. Class-level facts such
as "sciatica affects the leg" (``Sciatica ⊑ affects some Leg``) are found with probe
classes (``Probe ≡ affects some Leg``) that the reasoner classifies like any other class.

:mod:`legkg.reasoning.build` materialises the inferences into an artefact keyed by the source.

Example:
    >>> result = reason(reasoner="hermit")  # doctest: +SKIP
    >>> (LEGKG + "Sciatica", LEGKG + "NerveCompressionCondition") in result.hierarchy  # doctest: +SKIP
    True
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse
from legkg.reasoning.jvm import ReasonerUnavailable, _Raw, _run_dl, find_java

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
LEGKG = "https://w3id.org/legkg/"
PROBE = "urn:legkg:probe:"
PROTO = "urn:legkg:proto:"
INFERRED_GRAPH = LEGKG + "graph/inferred"
NOTHING = OWL + "Nothing"
THING = OWL + "Thing"
__all__ = ["ReasonerUnavailable", "Result", "find_java", "reason"]
REASONERS = ("hermit", "pellet", "rl")

Progress = Callable[[str], None]


# --- results -----------------------------------------------------------------------------------

@dataclass
class Result:
    """What a reasoner concluded about an ontology (IRIs throughout)."""

    reasoner: str
    consistent: bool
    unsatisfiable: list[str] = field(default_factory=list)
    hierarchy: list[tuple[str, str]] = field(default_factory=list)  # (sub, super), new and direct
    equivalents: list[tuple[str, str]] = field(default_factory=list)  # named classes found equivalent
    types: list[tuple[str, str]] = field(default_factory=list)  # (individual, class), new
    facts: list[tuple[str, str, str]] = field(default_factory=list)  # (subject, property, object), new
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)
    explanation: list[dict] = field(default_factory=list)  # why it is inconsistent or unsatisfiable
    labels: dict[str, str] = field(default_factory=dict)  # rdfs:label of each named entity


def _source(path: Path | None) -> tuple[Path, bytes]:
    from legkg.core.resources import ontology_path

    path = Path(path) if path else ontology_path()
    from legkg.store.local import read_ontology

    return path, read_ontology(path)


def _parse(path: Path, data: bytes) -> ox.Store:
    from legkg.store.local import parse_into

    store = ox.Store()
    parse_into(store, data, path)
    return store


class Model:
    """The named classes, individuals, properties and told hierarchy of one ontology."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        iri = _iri
        self.classes: set[str] = set()
        self.individuals: set[str] = set()
        self.properties: set[str] = set()
        self.ranges: dict[str, str] = {}
        self.told: dict[str, set[str]] = {}
        self.defined: set[str] = set()
        self.told_types: dict[str, set[str]] = {}
        self.told_values: set[tuple[str, str, str]] = set()
        self.told_edges: set[tuple[str, str, str]] = set()  # C P D from C ⊑ P some/value D
        self.inverse: dict[str, str] = {}
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, ox.DefaultGraph()):
            s, o = q.subject, q.object
            if not isinstance(s, ox.NamedNode) or not isinstance(o, ox.NamedNode):
                continue
            if o.value == OWL + "Class":
                self.classes.add(s.value)
            elif o.value == OWL + "NamedIndividual":
                self.individuals.add(s.value)
            elif o.value == OWL + "ObjectProperty":
                self.properties.add(s.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(RDF + "type"), None, ox.DefaultGraph()):
            s, o = q.subject, q.object
            if isinstance(s, ox.NamedNode) and s.value in self.individuals and isinstance(o, ox.NamedNode) \
                    and o.value not in (OWL + "NamedIndividual", OWL + "Thing"):
                self.told_types.setdefault(s.value, set()).add(o.value)
        for q in store.quads_for_pattern(None, ox.NamedNode(RDFS + "range"), None, ox.DefaultGraph()):
            if iri(q.subject) and iri(q.object):
                self.ranges[q.subject.value] = q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(OWL + "inverseOf"), None, ox.DefaultGraph()):
            if iri(q.subject) and iri(q.object):
                self.inverse[q.subject.value] = q.object.value
                self.inverse[q.object.value] = q.subject.value
        for pred in (RDFS + "subClassOf", OWL + "equivalentClass"):
            for q in store.quads_for_pattern(None, ox.NamedNode(pred), None, ox.DefaultGraph()):
                s, o = q.subject, q.object
                if not iri(s):
                    continue
                if iri(o):
                    self.told.setdefault(s.value, set()).add(o.value)
                    if pred.endswith("equivalentClass"):
                        self.told.setdefault(o.value, set()).add(s.value)
                elif pred.endswith("equivalentClass"):
                    self.defined.add(s.value)
                elif pred.endswith("subClassOf"):
                    p = _one(store, o, OWL + "onProperty")
                    d = _one(store, o, OWL + "someValuesFrom") or _one(store, o, OWL + "hasValue")
                    if iri(p) and iri(d):
                        self.told_edges.add((s.value, p.value, d.value))
        for p in self.properties:
            for q in store.quads_for_pattern(None, ox.NamedNode(p), None, ox.DefaultGraph()):
                if iri(q.subject) and iri(q.object) and q.subject.value in self.individuals:
                    self.told_values.add((q.subject.value, p, q.object.value))
        self.classes -= {THING, NOTHING}

    def told_ancestors(self, c: str) -> set[str]:
        """``c`` and every class it is told to be under (subclass and named equivalence links)."""
        seen, todo = {c}, [c]
        while todo:
            for sup in self.told.get(todo.pop(), ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        return seen


def _iri(term) -> bool:
    return isinstance(term, ox.NamedNode)


def _one(store: ox.Store, s, p: str):
    for q in store.quads_for_pattern(s, ox.NamedNode(p), None, ox.DefaultGraph()):
        return q.object
    return None


# --- Java --------------------------------------------------------------------------------------

def _probe_triples(model: Model, props: Iterable[str] | None = None) -> tuple[list[str], dict[str, tuple]]:
    """N-Triples lines of probe classes ``Probe ≡ P some D`` / ``P value i``, and what each probes."""
    lines: list[str] = []
    probes: dict[str, tuple] = {}
    under: dict[str, set[str]] = {}
    for c in model.classes:
        for a in model.told_ancestors(c):
            under.setdefault(a, set()).add(c)
    members: dict[str, set[str]] = {}
    for i, types in model.told_types.items():
        for t in types:
            for a in model.told_ancestors(t):
                members.setdefault(a, set()).add(i)
    n = 0
    for p in sorted(props if props is not None else model.properties):
        rng = model.ranges.get(p)
        if rng is None or not p.startswith(LEGKG):
            continue
        targets = [(d, "some") for d in sorted(under.get(rng, ()))] + \
                  [(i, "value") for i in sorted(members.get(rng, ()))]
        for d, how in targets:
            n += 1
            probe, r = f"{PROBE}{n}", f"_:probe{n}"
            how_p = OWL + ("someValuesFrom" if how == "some" else "hasValue")
            lines += [f"<{probe}> <{RDF}type> <{OWL}Class> .",
                      f"<{probe}> <{OWL}equivalentClass> {r} .",
                      f"{r} <{RDF}type> <{OWL}Restriction> .",
                      f"{r} <{OWL}onProperty> <{p}> .",
                      f"{r} <{how_p}> <{d}> ."]
            probes[probe] = (p, d, how)
    return lines, probes


def _closure(parents: dict[str, set[str]], equivalent: list[list[str]]) -> dict[str, set[str]]:
    """Every class's superclasses (reflexive, transitive), with equivalences both ways."""
    graph: dict[str, set[str]] = {k: set(v) for k, v in parents.items()}
    for group in equivalent:
        for a in group:
            graph.setdefault(a, set()).update(b for b in group if b != a)
    result: dict[str, set[str]] = {}

    def up(c: str) -> set[str]:
        if c in result:
            return result[c]
        seen, todo = {c}, [c]
        while todo:
            for s in graph.get(todo.pop(), ()):
                if s not in seen:
                    seen.add(s)
                    todo.append(s)
        result[c] = seen
        return seen

    for c in list(graph):
        up(c)
    return result


def _interpret(model: Model, raw: _Raw, probes: dict[str, tuple], reasoner: str) -> Result:
    """Turn a raw answer into what is new: hierarchy, types and facts beyond the asserted."""
    result = Result(reasoner, raw.consistent)
    if not raw.consistent:
        return result
    anc = _closure(raw.parents, raw.equivalent)
    named = {c for c in model.classes if not c.startswith((PROBE, PROTO))}
    for group in raw.equivalent:
        if NOTHING in group:
            result.unsatisfiable += sorted(c for c in group if c in named)
    unsat = set(result.unsatisfiable)
    real = named - unsat

    def sup(c: str) -> set[str]:
        return (anc.get(c) or {c}) | {c}

    def up(x: str) -> set[str]:  # an individual is under its told classes and theirs
        if x in model.individuals:
            return {x}.union(*(sup(t) for t in model.told_types.get(x, ()))) if model.told_types.get(x) else {x}
        return sup(x)

    told = {c: model.told_ancestors(c) for c in real}
    links = set()
    for c in real:
        ups = {s for s in sup(c) if s in real and s != c}
        for d in ups:
            if d in told[c]:
                continue
            # direct: no other named class strictly between c and d
            if any(e != d and d in sup(e) and c not in sup(e) for e in ups):
                continue
            links.add((c, d))
    for c, d in sorted(links):
        if c in sup(d) and c < d:
            result.equivalents.append((c, d))
        result.hierarchy.append((c, d))
    # facts from the probes
    entailed: dict[tuple[str, str], set[str]] = {}
    for c in real:
        for s in sup(c):
            if s in probes:
                p, d, _how = probes[s]
                entailed.setdefault((c, p), set()).add(d)
    for c, p, d in model.told_edges:
        entailed.setdefault((c, p), set()).add(d)

    for (c, p), ds in sorted(entailed.items()):
        if c in model.defined or c not in real:
            continue
        for d in sorted(ds):
            if (c, p, d) not in model.told_edges and not _redundant(c, p, d, entailed, up, real, model.defined):
                result.facts.append((c, p, d))
    # individuals
    for i in sorted(model.individuals):
        told_t = set()
        for t in model.told_types.get(i, ()):
            told_t |= {x for x in sup(t)}
        for t in sorted(raw.types.get(i, ())):
            if t in real and t not in told_t:
                result.types.append((i, t))
    for s, p, o in sorted(raw.values):
        if s in model.individuals and o in model.individuals and p.startswith(LEGKG) \
                and (s, p, o) not in model.told_values \
                and (o, model.inverse.get(p, ""), s) not in model.told_values:
            result.facts.append((s, p, o))
    return result


# --- OWL 2 RL ----------------------------------------------------------------------------------

_ANNOTATION_PREDICATES = ("http://purl.obolibrary.org/obo/", "http://www.geneontology.org/formats/oboInOwl#",
                          "http://purl.org/dc/", LEGKG + "sourceSentence", LEGKG + "background",
                          RDFS + "label", RDFS + "comment", OWL + "annotated", OWL + "versionInfo")


def _redundant(c: str, p: str, d: str, entailed: dict, sup: Callable[[str], set[str]], real: set[str],
               skip: set[str]) -> bool:
    """Whether ``c p d`` follows by subclass links alone from another entailed or told fact.

    It does if some class ``a`` that ``c`` is under (or ``c`` itself) has ``p`` to some ``d2`` under
    ``d`` (an individual is under its classes): the canned queries already follow
    ``rdfs:subClassOf*`` on both ends. Defined classes (``skip``) carry no edges in the store.
    """
    for a in sup(c):
        if a != c and (a not in real or a in skip):
            continue
        for d2 in entailed.get((a, p), ()):
            if (a, d2) == (c, d) or not (d2 == d or d in sup(d2)):
                continue
            if d2 in sup(d) and d in sup(d2) and (a == c or c in sup(a)):
                continue  # equivalent fillers or subjects: keep both rather than neither
            return True
    return False


def _run_rl(model: Model, timeout: float) -> tuple[_Raw, list[str]]:
    """OWL 2 RL with owlrl, on prototype individuals (one per named class) to read off subsumptions."""
    import rdflib

    from legkg.core.errors import require

    owlrl = require("owlrl", "reasoning with OWL 2 RL")

    g = rdflib.Graph()
    keep = []
    axiom_nodes = {q.subject for q in model.store.quads_for_pattern(
        None, ox.NamedNode(RDF + "type"), ox.NamedNode(OWL + "Axiom"), ox.DefaultGraph())}
    for q in model.store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
        if q.subject in axiom_nodes or isinstance(q.object, ox.Literal) \
                or q.predicate.value.startswith(_ANNOTATION_PREDICATES):
            continue
        keep.append(f"{q.subject} {q.predicate} {q.object} .")
    protos = {}
    for c in sorted(model.classes):
        proto = PROTO + c
        protos[proto] = c
        keep.append(f"<{proto}> <{RDF}type> <{c}> .")
    g.parse(data="\n".join(keep), format="nt")
    start = time.monotonic()
    closure = owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, rdfs_closure=False, axiomatic_triples=False,
                                     datatype_axioms=False)
    closure.expand(g)
    if time.monotonic() - start > timeout:
        raise LegkgError(f"OWL 2 RL did not finish within {timeout:g} s")
    raw = _Raw()
    err_ns = "http://www.daml.org/2002/03/agents/agent-ont#"  # where owlrl writes what it finds inconsistent
    errors = sorted(str(m) for m in g.objects(None, rdflib.URIRef(err_ns + "error")))
    unsat_protos = {p for p in protos if any(p in e for e in errors)}
    if errors and not unsat_protos:
        raw.consistent = False
        return raw, errors
    for s, o in g.subject_objects(rdflib.RDF.type):
        s, o = str(s), str(o)
        if s in protos and not isinstance(o, rdflib.BNode) and o in model.classes and o != protos[s]:
            raw.parents.setdefault(protos[s], set()).add(o)
        elif s in model.individuals and o in model.classes:
            raw.types.setdefault(s, set()).add(o)
    for a, b in g.subject_objects(rdflib.RDFS.subClassOf):
        if isinstance(a, rdflib.URIRef) and isinstance(b, rdflib.URIRef) and str(a) in model.classes \
                and str(b) in model.classes and a != b:
            raw.parents.setdefault(str(a), set()).add(str(b))
    for p in model.properties:
        for a, b in g.subject_objects(rdflib.URIRef(p)):
            if str(a) in model.individuals and str(b) in model.individuals:
                raw.values.add((str(a), p, str(b)))
    for proto in unsat_protos:
        raw.equivalent.append([NOTHING, protos[proto]])
    return raw, errors


# --- the public entry points -------------------------------------------------------------------

def reason(path: Path | None = None, reasoner: str = "hermit", timeout: float = 120.0, probes: bool = True,
           progress: Progress | None = None) -> Result:
    """Run a reasoner over the ontology (a temporary copy) and report what it infers.

    ``reasoner`` is ``hermit``, ``pellet`` or ``rl``; ``hermit`` falls back to ``rl`` when no
    Java is found (the result's notes say so). :func:`legkg.reasoning.explain.explain_problems`
    adds the explanation of an inconsistency or an unsatisfiable class.

    Example:
        >>> r = reason(reasoner="hermit")  # doctest: +SKIP
        >>> r.consistent, r.unsatisfiable  # doctest: +SKIP
        (True, [])
    """
    if reasoner not in REASONERS:
        raise Misuse(f"unknown reasoner {reasoner!r}; use {', '.join(REASONERS)}")
    say = progress or (lambda m: None)
    path, data = _source(path)
    model = Model(_parse(path, data))
    notes: list[str] = []
    if reasoner == "hermit" and shutil.which("java") is None and find_java(8) is None:
        reasoner = "rl"
        notes.append("no Java found: used the OWL 2 RL fallback (owlrl), which cannot infer class-level "
                     "existential facts or use the property chain across existentials")
    start = time.monotonic()
    if reasoner == "rl":
        say("running OWL 2 RL (owlrl) ...")
        raw, errors = _run_rl(model, timeout)
        notes += [f"owlrl: {e}" for e in errors[:5]]
        probe_map: dict[str, tuple] = {}
    else:
        extra, probe_map = _probe_triples(model) if probes else ([], {})
        say(f"running {'HermiT' if reasoner == 'hermit' else 'Pellet'} with {len(probe_map)} probe classes ...")
        raw = _run_dl(reasoner, model.store, extra, timeout)
    result = _interpret(model, raw, probe_map, reasoner)
    result.seconds = time.monotonic() - start
    result.notes = notes
    for q in model.store.quads_for_pattern(None, ox.NamedNode(RDFS + "label"), None, ox.DefaultGraph()):
        if isinstance(q.subject, ox.NamedNode) and q.subject.value not in result.labels:
            result.labels[q.subject.value] = q.object.value
    return result
