"""Reading an ontology's logical axioms for explanations: axioms, their signatures, readable
sentences, their provenance, and ⊥-locality modules.

Example:
    >>> ax = Axioms(_parse(*_source(None)))  # doctest: +SKIP
    >>> len(module(ax.logical, {LEGKG + "Sciatica"})) > 0  # doctest: +SKIP
    True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pyoxigraph as ox

from legkg.reasoning.reason import LEGKG, NOTHING, OWL, RDF, RDFS, XSD

_VOCAB = (RDF, RDFS, OWL, XSD)
_ANNOTATION = ("http://purl.obolibrary.org/obo/", "http://www.geneontology.org/formats/oboInOwl#",
               "http://purl.org/dc/", LEGKG + "sourceSentence", LEGKG + "background", LEGKG + "inverseLabel",
               LEGKG + "urgencyRank", RDFS + "label", RDFS + "comment", RDFS + "seeAlso", OWL + "versionInfo",
               "http://www.w3.org/2004/02/skos/core#")
_DECLARATION_TYPES = {OWL + t for t in ("Class", "ObjectProperty", "NamedIndividual", "DatatypeProperty",
                                        "AnnotationProperty", "Ontology")}
_CHARACTERISTICS = {OWL + t for t in ("TransitiveProperty", "SymmetricProperty", "FunctionalProperty",
                                      "InverseFunctionalProperty", "AsymmetricProperty", "ReflexiveProperty",
                                      "IrreflexiveProperty")}
_TBOX = {RDFS + "subClassOf": "subclass", OWL + "equivalentClass": "equivalent", OWL + "disjointWith": "disjoint",
         RDFS + "subPropertyOf": "subproperty", OWL + "inverseOf": "inverse", OWL + "propertyChainAxiom": "chain",
         RDFS + "domain": "domain", RDFS + "range": "range", OWL + "sameAs": "same",
         OWL + "differentFrom": "different", OWL + "disjointUnionOf": "disjointunion"}


@dataclass(frozen=True)
class Axiom:
    """One logical axiom of the source: its kind, N-Triples lines, signature and readable parts."""

    kind: str
    subject: str
    predicate: str
    lines: tuple[str, ...]
    signature: frozenset[str]
    key: str
    expr: tuple = ()


# --- reading axioms ----------------------------------------------------------------------------

class Axioms:
    """The logical axioms, declarations, labels and provenance of one source."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store
        self.by_subject: dict[object, list[ox.Quad]] = {}
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()):
            self.by_subject.setdefault(q.subject, []).append(q)
        self.labels: dict[str, str] = {}
        self.declarations: dict[str, set[str]] = {}
        self.individuals: set[str] = set()
        self.properties: set[str] = set()
        for s, quads in self.by_subject.items():
            if not isinstance(s, ox.NamedNode):
                continue
            for q in quads:
                p, o = q.predicate.value, q.object
                if p == RDFS + "label" and isinstance(o, ox.Literal) and s.value not in self.labels:
                    self.labels[s.value] = o.value
                elif p == RDF + "type" and isinstance(o, ox.NamedNode) and o.value in _DECLARATION_TYPES:
                    self.declarations.setdefault(s.value, set()).add(o.value)
        for iri, types in self.declarations.items():
            if OWL + "NamedIndividual" in types:
                self.individuals.add(iri)
            if OWL + "ObjectProperty" in types:
                self.properties.add(iri)
        self.provenance = self._provenance()
        self.axioms = self._axioms()

    # structure
    def _closure(self, node, out: list[str], seen: set) -> None:
        if not isinstance(node, ox.BlankNode) or node in seen:
            return
        seen.add(node)
        for q in self.by_subject.get(node, ()):
            if q.predicate.value.startswith(_ANNOTATION):
                continue
            out.append(f"{q.subject} {q.predicate} {q.object} .")
            self._closure(q.object, out, seen)

    def canon(self, node) -> str:
        """A text form of a term with its blank-node structure, the same for equal copies."""
        if not isinstance(node, ox.BlankNode):
            return str(node)
        parts = sorted(f"{q.predicate.value}={self.canon(q.object)}" for q in self.by_subject.get(node, ())
                       if not q.predicate.value.startswith(_ANNOTATION))
        return "[" + ";".join(parts) + "]"

    def items(self, node) -> list:
        """The members of an RDF list."""
        out = []
        while isinstance(node, ox.BlankNode):
            first = rest = None
            for q in self.by_subject.get(node, ()):
                if q.predicate.value == RDF + "first":
                    first = q.object
                elif q.predicate.value == RDF + "rest":
                    rest = q.object
            if first is None:
                break
            out.append(first)
            node = rest
        return out

    def expr(self, node) -> tuple:
        """A class expression as a small tree: ('c', iri), ('and', ...), ('some', p, x) ..."""
        if isinstance(node, ox.NamedNode):
            return ("c", node.value)
        if not isinstance(node, ox.BlankNode):
            return ("?",)
        props = {}
        for q in self.by_subject.get(node, ()):
            props.setdefault(q.predicate.value, q.object)
        for key, tag in ((OWL + "intersectionOf", "and"), (OWL + "unionOf", "or"), (OWL + "oneOf", "one")):
            if key in props:
                return (tag, tuple(self.expr(x) for x in self.items(props[key])))
        if OWL + "complementOf" in props:
            return ("not", self.expr(props[OWL + "complementOf"]))
        p = props.get(OWL + "onProperty")
        if p is not None:
            if OWL + "someValuesFrom" in props:
                return ("some", p.value, self.expr(props[OWL + "someValuesFrom"]))
            if OWL + "allValuesFrom" in props:
                return ("all", p.value, self.expr(props[OWL + "allValuesFrom"]))
            if OWL + "hasValue" in props:
                return ("value", p.value, ("c", props[OWL + "hasValue"].value))
        return ("?",)

    def _provenance(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for s, quads in self.by_subject.items():
            ps = {q.predicate.value: q.object for q in quads}
            src = ps.get(LEGKG + "sourceSentence")
            bg = ps.get(LEGKG + "background")
            note = f"article: {src.value}" if src is not None else f"background: {bg.value}" if bg is not None else None
            if note is None:
                continue
            if OWL + "annotatedSource" in ps and OWL + "annotatedProperty" in ps and OWL + "annotatedTarget" in ps:
                key = (f"{ps[OWL + 'annotatedSource']} {ps[OWL + 'annotatedProperty']} "
                       f"{self.canon(ps[OWL + 'annotatedTarget'])}")
                found[key] = note
            elif isinstance(s, ox.BlankNode):  # an axiom written as a blank node carries its annotation itself
                found["root " + self.canon(s)] = note
        return found

    def _axioms(self) -> list[Axiom]:
        axioms: list[Axiom] = []
        for s, quads in self.by_subject.items():
            if isinstance(s, ox.BlankNode):
                types = {q.object.value for q in quads if q.predicate.value == RDF + "type"
                         and isinstance(q.object, ox.NamedNode)}
                if types & {OWL + "AllDisjointClasses", OWL + "AllDifferent"}:
                    lines: list[str] = []
                    self._closure(s, lines, set())
                    kind = "alldisjoint" if OWL + "AllDisjointClasses" in types else "alldifferent"
                    members = next((q.object for q in quads if q.predicate.value in
                                    (OWL + "members", OWL + "distinctMembers")), None)
                    axioms.append(self._make(kind, "", RDF + "type", lines, "root " + self.canon(s),
                                             ("list", tuple(self.expr(x) for x in self.items(members)))))
                continue
            if not isinstance(s, ox.NamedNode):
                continue
            for q in quads:
                p, o = q.predicate.value, q.object
                kind = _TBOX.get(p)
                if kind is None and p == RDF + "type" and isinstance(o, ox.NamedNode | ox.BlankNode):
                    if o.value in _CHARACTERISTICS if isinstance(o, ox.NamedNode) else False:
                        kind = "characteristic"
                    elif s.value in self.individuals and not (isinstance(o, ox.NamedNode) and (
                            o.value in _DECLARATION_TYPES or o.value.startswith(_VOCAB))):
                        kind = "type"
                if kind is None and p in self.properties and s.value in self.individuals \
                        and isinstance(o, ox.NamedNode):
                    kind = "value"
                if kind is None:
                    continue
                lines = [f"{s} {q.predicate} {o} ."]
                self._closure(o, lines, set())
                ex = ("list", tuple(self.expr(x) for x in self.items(o))) if kind == "chain" else self.expr(o)
                axioms.append(self._make(kind, s.value, p, lines, f"{s} {q.predicate} {self.canon(o)}", ex))
        axioms.sort(key=lambda a: a.key)
        return axioms

    def _make(self, kind: str, subject: str, predicate: str, lines: list[str], key: str, ex: tuple) -> Axiom:
        sig = frozenset(x for line in lines for x in re.findall(r"<([^>]+)>", line) if not x.startswith(_VOCAB))
        return Axiom(kind, subject, predicate, tuple(lines), sig, key, ex)

    # readable text
    def label(self, iri: str) -> str:
        if iri in self.labels:
            return self.labels[iri]
        return {NOTHING: "nothing (owl:Nothing)", OWL + "Thing": "thing"}.get(iri, re.split(r"[/#]", iri)[-1])

    def verb(self, p: str) -> str:
        text = self.label(p)
        first = text.split()[0] if text else ""
        if first.endswith("ed") or first in {"part", "located", "symptom", "mechanism", "location", "more",
                                            "less", "inverse"}:
            return "is " + text
        return text

    def text(self, e: tuple, top: bool = True) -> str:
        tag = e[0]
        if tag == "c":
            return self.label(e[1])
        if tag == "and":
            named = [x for x in e[1] if x[0] == "c"]
            rest = [x for x in e[1] if x[0] != "c"]
            head = " and ".join(self.label(x[1]) for x in named) or "thing"
            return head + ("" if not rest else " that " + " and ".join(self.text(x, False) for x in rest))
        if tag == "or":
            inner = " or ".join(self.text(x, False) for x in e[1])
            return inner if top else f"({inner})"
        if tag == "one":
            return "one of " + ", ".join(self.text(x, False) for x in e[1])
        if tag == "not":
            return "not " + self.text(e[1], False)
        if tag == "some":
            return f"{self.verb(e[1])} some {self.text(e[2], False)}"
        if tag == "all":
            return f"{self.verb(e[1])} only {self.text(e[2], False)}"
        if tag == "value":
            return f"{self.verb(e[1])} {self.label(e[2][1])}"
        return "(an expression)"

    def sentence(self, a: Axiom) -> str:
        """The axiom in plain words, e.g. 'every sciatica has mechanism some nerve compression'."""
        return re.sub(r"\b(a) ([aeiou])", r"an \2", self._sentence(a))

    def _sentence(self, a: Axiom) -> str:
        s = self.label(a.subject) if a.subject else ""
        e = a.expr
        if a.kind == "subclass":
            return f"every {s} is a {self.text(e)}" if e[0] in ("c", "and", "or") else f"every {s} {self.text(e)}"
        if a.kind == "equivalent":
            return f"a {s} is exactly a {self.text(e)}" if e[0] in ("c", "and") else \
                f"a {s} is exactly what {self.text(e)}"
        if a.kind == "disjoint":
            return f"nothing is both a {s} and a {self.text(e)}"
        if a.kind == "alldisjoint":
            return "no two of these share a member: " + ", ".join(self.text(x) for x in e[1])
        if a.kind == "alldifferent":
            return "these are all different: " + ", ".join(self.text(x) for x in e[1])
        if a.kind == "chain":
            chain = [self.label(x[1]) for x in e[1]]
            return f"what {chain[0]} something that is {' something that is '.join(chain[1:])} a thing also " \
                   f"{self.label(a.subject)} that thing ({' then '.join(chain)} implies {self.label(a.subject)})"
        if a.kind == "subproperty":
            return f"'{s}' implies '{self.text(e)}'"
        if a.kind == "inverse":
            return f"'{s}' is the inverse of '{self.text(e)}'"
        if a.kind == "characteristic":
            return f"'{s}' is {self.label(e[1]).replace('Property', '').lower() or 'special'}" \
                if e[0] == "c" else f"'{s}' has a characteristic"
        if a.kind == "domain":
            return f"anything that {self.verb(a.subject)} something is a {self.text(e)}"
        if a.kind == "range":
            return f"anything that something {self.verb(a.subject)} is a {self.text(e)}"
        if a.kind == "type":
            return f"{s} is a {self.text(e)}"
        if a.kind == "value":
            return f"{s} {self.verb(a.predicate)} {self.text(e)}"
        if a.kind == "same":
            return f"{s} is the same as {self.text(e)}"
        if a.kind == "different":
            return f"{s} is different from {self.text(e)}"
        return a.key

    def source(self, a: Axiom) -> str:
        """The article sentence or background note annotating the axiom."""
        if a.key in self.provenance:
            return self.provenance[a.key]
        if a.kind in ("domain", "range", "inverse", "characteristic", "subproperty"):
            return f"ontology design: the definition of '{self.label(a.subject)}'"
        return "no source annotation"


# --- the ⊥-locality module ---------------------------------------------------------------------

def _bot(e: tuple, sig: set[str]) -> bool:
    """Whether the expression becomes empty when every name outside ``sig`` is read as empty."""
    tag = e[0]
    if tag == "c":
        return e[1] != OWL + "Thing" and (e[1] == NOTHING or e[1] not in sig)
    if tag == "and":
        return any(_bot(x, sig) for x in e[1])
    if tag == "or":
        return all(_bot(x, sig) for x in e[1])
    if tag in ("some", "value"):
        return e[1] not in sig or (tag == "some" and _bot(e[2], sig))
    return False


def _local(a: Axiom, sig: set[str]) -> bool:
    k = a.kind
    if k == "subclass":
        return a.subject not in sig
    if k == "equivalent":
        return a.subject not in sig and _bot(a.expr, sig)
    if k == "disjoint":
        return a.subject not in sig or _bot(a.expr, sig)
    if k == "alldisjoint":
        return sum(not _bot(x, sig) for x in a.expr[1]) <= 1
    if k in ("subproperty", "characteristic", "domain", "range"):
        return a.subject not in sig
    if k == "chain":
        return any(x[1] not in sig for x in a.expr[1])
    if k == "inverse":
        return a.subject not in sig and a.expr[1] not in sig
    return False  # assertions about individuals are never local


def module(axioms: list[Axiom], seed: set[str]) -> list[Axiom]:
    """The ⊥-locality module of ``seed``: every axiom that may matter for entailments over it.

    The axioms come in breadth-first layers from the seed (those about the seed's names first),
    which puts the ones most likely to matter first.
    """
    sig = set(seed)
    chosen: list[Axiom] = []
    rest = list(axioms)
    while True:
        layer = [a for a in rest if not _local(a, sig)]
        if not layer:
            break
        chosen += layer
        taken = {id(a) for a in layer}
        rest = [a for a in rest if id(a) not in taken]
        for a in layer:
            sig |= a.signature
    return chosen


# --- checks in one JVM -------------------------------------------------------------------------

