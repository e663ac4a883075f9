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

import contextlib
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.reasoning.axioms import _VOCAB, Axiom, Axioms, module
from legkg.reasoning.jvm import _JVM_FLAGS, _classpath, _run_java, find_java
from legkg.reasoning.reason import (
    NOTHING,
    OWL,
    RDF,
    Progress,
    ReasonerUnavailable,
    Result,
    _parse,
    _source,
)


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


def explain_problems(result: Result, path: Path | None, timeout: float = 120.0,
                     progress: Progress | None = None) -> Result:
    """Add to a DL reasoner's result the explanation of its inconsistency or first unsatisfiable classes.

    Example:
        >>> explain_problems(reason(BROKEN), BROKEN).explanation[0]["axiom"]  # doctest: +SKIP
        'every ...'
    """
    if result.reasoner == "rl" or (result.consistent and not result.unsatisfiable):
        return result
    (progress or (lambda m: None))("explaining ...")
    with contextlib.suppress(LegkgError):
        if not result.consistent:
            result.explanation = explain_inconsistency(path, timeout=timeout).rows()
        else:
            for c in result.unsatisfiable[:3]:
                result.explanation += explain_subsumption(path, c, NOTHING, timeout=timeout).rows()
    return result
