"""Why does the ontology entail that? Minimal justifications, found black-box with HermiT.

An entailment (``Sciatica ⊑ NerveCompressionCondition``, ``Sciatica ⊑ affects some Leg``, a
class being unsatisfiable, the ontology being inconsistent) is explained by a minimal set of
asserted axioms that entails it:

1. a ⊥-locality module of the entailment's signature keeps every justification and drops
   the rest of the ontology;
2. black-box contraction: remove axioms and ask HermiT whether the entailment still holds.
   The checks of one round run in a single JVM: each candidate axiom set is a renamed copy
   (``…_k3``) of the module with its own test class ``T ≡ C and not D``, and HermiT checks
   each test class's satisfiability (``--consistency=<T>``); T unsatisfiable means the copy
   entails ``C ⊑ D``. Copies share no names, so they cannot interact.
   Round 1 drops each axiom in turn: the axioms whose removal breaks the entailment are in
   every justification; if they entail it on their own they are the (only) justification.
   Otherwise linear contraction in rounds of prefix removals, one axiom kept per round.

Each axiom is printed as a readable sentence with the article sentence (or the background
note) behind it.

Example:
    >>> e = explain_subsumption(None, LEGKG + "Sciatica", LEGKG + "NerveCompressionCondition")  # doctest: +SKIP
    >>> [r["axiom"] for r in e.rows()][:1]  # doctest: +SKIP
    ['every sciatica has mechanism some nerve compression']
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from legkg.errors import LegkgError
from legkg.reason import (
    _JVM_FLAGS,
    LEGKG,
    NOTHING,
    OWL,
    RDF,
    RDFS,
    XSD,
    ReasonerUnavailable,
    _classpath,
    _parse,
    _run_java,
    _source,
    find_java,
)

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


@dataclass
class Explanation:
    """A minimal set of axioms behind one entailment, with the source of each."""

    goal: str
    axioms: list[Axiom]
    sentences: list[str]
    sources: list[str]
    checks: int = 0
    module_size: int = 0
    notes: list[str] = field(default_factory=list)

    def rows(self) -> list[dict]:
        """One row per axiom: step, the axiom as a sentence, and its article sentence or background note."""
        return [{"goal": self.goal, "step": i + 1, "axiom": s, "source": src}
                for i, (s, src) in enumerate(zip(self.sentences, self.sources))]


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

_IRI = re.compile(r"<([^>]+)>")
_BNODE = re.compile(r"_:(\w+)")


def _rename(line: str, k: int) -> str:
    line = _IRI.sub(lambda m: m.group(0) if m.group(1).startswith(_VOCAB) else f"<{m.group(1)}_k{k}>", line)
    return _BNODE.sub(lambda m: f"_:k{k}x{m.group(1)}", line)


def _goal_lines(goal: tuple, k: int) -> tuple[str, list[str]]:
    """A test class for copy ``k`` that is unsatisfiable exactly when the copy entails the goal."""
    t = f"urn:legkg:test:{k}"
    n = lambda iri: f"<{iri}_k{k}>" if not iri.startswith(_VOCAB) else f"<{iri}>"  # noqa: E731
    lines = [f"<{t}> <{RDF}type> <{OWL}Class> ."]
    kind = goal[0]
    if kind == "sub" and goal[2] == NOTHING:
        lines.append(f"<{t}> <{OWL}equivalentClass> {n(goal[1])} .")
        return t, lines
    subject = n(goal[1])
    if kind == "sub":
        negated = n(goal[2])
    else:  # fact: C ⊑ P some D / P value i; for an individual subject, {i} ⊑ ...
        _, _c, p, d, how = goal[:5]
        r = f"_:k{k}goalr"
        lines += [f"{r} <{RDF}type> <{OWL}Restriction> .", f"{r} <{OWL}onProperty> {n(p)} .",
                  f"{r} <{OWL}{'someValuesFrom' if how == 'some' else 'hasValue'}> {n(d)} ."]
        negated = r
        if len(goal) > 5 and goal[5] == "individual":
            nominal, items = f"_:k{k}goalo", f"_:k{k}goalol"
            lines += [f"{nominal} <{RDF}type> <{OWL}Class> .", f"{nominal} <{OWL}oneOf> {items} .",
                      f"{items} <{RDF}first> {subject} .", f"{items} <{RDF}rest> <{RDF}nil> ."]
            subject = nominal
    g, neg, l1, l2 = (f"_:k{k}goal{x}" for x in ("i", "n", "l1", "l2"))
    lines += [f"<{t}> <{OWL}equivalentClass> {g} .", f"{g} <{RDF}type> <{OWL}Class> .",
              f"{g} <{OWL}intersectionOf> {l1} .", f"{l1} <{RDF}first> {subject} .",
              f"{l1} <{RDF}rest> {l2} .", f"{l2} <{RDF}first> {neg} .", f"{l2} <{RDF}rest> <{RDF}nil> .",
              f"{neg} <{RDF}type> <{OWL}Class> .", f"{neg} <{OWL}complementOf> {negated} ."]
    return t, lines


class _Checker:
    """Answers 'does this axiom set entail the goal?' for many sets in one HermiT run."""

    def __init__(self, ax: Axioms, goal: tuple, timeout: float) -> None:
        self.ax, self.goal, self.timeout = ax, goal, timeout
        self.java = find_java(8)
        if self.java is None:
            raise ReasonerUnavailable("explanations need HermiT, which needs Java; none was found")
        self.runs = 0

    def _declarations(self, sets: list[list[Axiom]]) -> list[str]:
        sig = set().union(*(a.signature for s in sets for a in s)) | {x for x in self.goal[1:] if
                                                                      isinstance(x, str) and x.startswith("http")}
        return [f"<{iri}> <{RDF}type> <{t}> ." for iri in sorted(sig)
                for t in sorted(self.ax.declarations.get(iri, ())) if t != OWL + "Ontology"]

    def entails(self, sets: list[list[Axiom]]) -> list[bool]:
        if not sets:
            return []
        decl = self._declarations(sets)
        lines: list[str] = []
        tests = []
        for k, axioms in enumerate(sets):
            for line in decl:
                lines.append(_rename(line, k))
            for a in axioms:
                lines += [_rename(line, k) for line in a.lines]
            t, extra = _goal_lines(self.goal, k)
            tests.append(t)
            lines += extra
        with tempfile.TemporaryDirectory(prefix="legkg-explain-") as tmp:
            path = Path(tmp) / "checks.nt"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            cmd = [self.java, *_JVM_FLAGS, "-cp", _classpath("hermit"), "org.semanticweb.HermiT.cli.CommandLine",
                   "-N", *[f"--consistency=<{t}>" for t in tests], path.as_uri()]
            code, out, err = _run_java(cmd, self.timeout, "HermiT")
        self.runs += 1
        answers = dict(re.findall(r"^(\S+) is (not )?satisfiable\.", out, re.MULTILINE))
        if code != 0 or len(answers) < len(tests):
            detail = " ".join((err or out).split())[:200]
            raise LegkgError(f"HermiT could not check the explanation: {detail or 'no answer'}")
        return [answers.get(t) == "not " or answers.get(f"<{t}>") == "not " for t in tests]


def _contract(checker: _Checker, axioms: list[Axiom]) -> list[Axiom]:
    """A minimal subset of ``axioms`` (ordered most relevant first) that still entails the goal.

    Expand: the shortest tested prefix that entails. Shrink: drop each axiom in turn; the ones
    whose loss breaks the entailment are in every justification, and if they suffice they are
    the justification. Otherwise contract linearly, one kept axiom per round.
    """
    n = len(axioms)
    sizes = sorted({min(n, max(1, round(n * f / 20))) for f in range(1, 21)} | {min(n, s) for s in (4, 8, 12, 16)})
    answers = checker.entails([axioms[:s] for s in sizes])
    if not answers[-1]:
        raise LegkgError("the ontology does not entail that")
    axioms = axioms[:sizes[answers.index(True)]]
    answers = checker.entails([[b for b in axioms if b is not a] for a in axioms])
    necessary = [a for a, still in zip(axioms, answers) if not still]
    if necessary and checker.entails([necessary])[0]:
        return necessary
    kept = list(necessary)
    rest = [a for a in axioms if a not in kept]
    while rest:
        # copy i drops rest[:i]; find the last i that still entails
        answers = checker.entails([kept + rest[i:] for i in range(len(rest) + 1)])
        if answers[-1]:
            break
        last = max(i for i, ok in enumerate(answers) if ok)
        kept.append(rest[last])
        rest = rest[last + 1:]
    return kept


def _explanation(ax: Axioms, goal_text: str, chosen: list[Axiom], checks: int, size: int) -> Explanation:
    order = {"type": 0, "value": 0, "subclass": 1, "equivalent": 2, "chain": 3}
    chosen = sorted(chosen, key=lambda a: (order.get(a.kind, 4), a.key))
    return Explanation(goal_text, chosen, [ax.sentence(a) for a in chosen], [ax.source(a) for a in chosen],
                       checks, size)


def _load_axioms(path: Path | None) -> Axioms:
    path, data = _source(path)
    return Axioms(_parse(path, data))


def explain_subsumption(path: Path | None, sub: str, sup: str, timeout: float = 120.0,
                        axioms: Axioms | None = None) -> Explanation:
    """Explain ``sub ⊑ sup`` (``sup`` = owl:Nothing explains why ``sub`` is unsatisfiable).

    Example:
        >>> e = explain_subsumption(None, LEGKG + "LabralTear", LEGKG + "MechanicalSymptomCondition")  # doctest: +SKIP
        >>> len(e.axioms)  # doctest: +SKIP
        4
    """
    ax = axioms or _load_axioms(path)
    goal = ("sub", sub, sup)
    mod = module(ax.axioms, {sub, sup} - {NOTHING})
    checker = _Checker(ax, goal, timeout)
    chosen = _contract(checker, mod)
    what = "is unsatisfiable" if sup == NOTHING else re.sub(r"^a ([aeiou])", r"an \1", f"a {ax.label(sup)}")
    what = what if sup == NOTHING else f"is {what}"
    return _explanation(ax, f"{ax.label(sub)} {what}", chosen, checker.runs, len(mod))


def explain_fact(path: Path | None, subject: str, prop: str, obj: str, timeout: float = 120.0,
                 axioms: Axioms | None = None) -> Explanation:
    """Explain a class-level fact ``subject ⊑ prop some obj`` (or ``prop value obj`` for an individual).

    Example:
        >>> e = explain_fact(None, LEGKG + "Sciatica", LEGKG + "affects", LEGKG + "Leg")  # doctest: +SKIP
        >>> e.goal  # doctest: +SKIP
        'every sciatica affects some leg'
    """
    ax = axioms or _load_axioms(path)
    how = "value" if obj in ax.individuals else "some"
    goal = ("fact", subject, prop, obj, how, "individual" if subject in ax.individuals else "class")
    mod = module(ax.axioms, {subject, prop, obj})
    checker = _Checker(ax, goal, timeout)
    chosen = _contract(checker, mod)
    text = f"every {ax.label(subject)} {ax.verb(prop)} {'some ' if how == 'some' else ''}{ax.label(obj)}"
    if subject in ax.individuals:
        text = f"{ax.label(subject)} {ax.verb(prop)} {ax.label(obj)}"
    return _explanation(ax, text, chosen, checker.runs, len(mod))


def explain_inconsistency(path: Path | None, timeout: float = 120.0) -> Explanation:
    """Explain why the ontology is inconsistent: one axiom at a time, each check its own JVM run.

    Example:
        >>> explain_inconsistency(Path("tests/data/broken-inconsistent.owl")).sentences  # doctest: +SKIP
    """
    ax = _load_axioms(path)
    java = find_java(8)
    if java is None:
        raise ReasonerUnavailable("explanations need HermiT, which needs Java; none was found")
    seeds = set().union(*(a.signature for a in ax.axioms if a.kind in ("type", "value", "same", "different")))
    current = module(ax.axioms, seeds)
    runs = 0

    def consistent(axioms: list[Axiom]) -> bool:
        nonlocal runs
        sig = set().union(*(a.signature for a in axioms)) if axioms else set()
        lines = [f"<{iri}> <{RDF}type> <{t}> ." for iri in sorted(sig) for t in sorted(ax.declarations.get(iri, ()))
                 if t != OWL + "Ontology"]
        lines += [line for a in axioms for line in a.lines]
        with tempfile.TemporaryDirectory(prefix="legkg-explain-") as tmp:
            p = Path(tmp) / "check.nt"
            p.write_text("\n".join(lines) + "\n", encoding="utf-8")
            cmd = [java, *_JVM_FLAGS, "-cp", _classpath("hermit"), "org.semanticweb.HermiT.cli.CommandLine",
                   "-N", "--consistency", p.as_uri()]
            code, out, err = _run_java(cmd, timeout, "HermiT")
        runs += 1
        text = out + err
        return code == 0 and " is satisfiable." in out and "Inconsistent" not in text

    if consistent(current):
        raise LegkgError("the ontology is consistent")
    for a in list(current):
        trial = [b for b in current if b is not a]
        if not consistent(trial):
            current = trial
    return _explanation(ax, "the ontology is inconsistent", current, runs, len(current))
