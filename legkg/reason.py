"""OWL reasoning: HermiT or Pellet (owlready2's bundled jars) or an OWL 2 RL fallback (owlrl).

The reasoner runs on a copy of the source in a temporary folder (the source is never
touched), under a time limit (the JVM is killed when it runs over). A run reports
consistency, unsatisfiable classes, the inferred class hierarchy (subclass links between
named classes that are not asserted) and inferred property facts. Class-level facts such
as "sciatica affects the leg" (``Sciatica ⊑ affects some Leg``) are found with probe
classes (``Probe ≡ affects some Leg``) that the reasoner classifies like any other class.

:func:`inferred_quads` materialises the inferences once into an artefact keyed by the
source's content (``ontology/inferred/legkg-inferred.nq`` for the bundled ontology when it is
current, else the user cache), rebuilt when the source changes, never used stale.

Example:
    >>> result = reason(reasoner="hermit")  # doctest: +SKIP
    >>> (LEGKG + "Sciatica", LEGKG + "NerveCompressionCondition") in result.hierarchy  # doctest: +SKIP
    True
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from legkg.errors import LegkgError, Misuse

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
REASONERS = ("hermit", "pellet", "rl")
from legkg.artefacts import END as _END  # noqa: E402
from legkg.artefacts import HEADER as _HEADER  # noqa: E402
from legkg.artefacts import bundled_artefact, current_artefact, source_key  # noqa: E402

_JVM_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss8m", "-Xmx1500M"]

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


class ReasonerUnavailable(LegkgError):
    """No Java runtime fit for the chosen reasoner."""


# --- the source, read once ---------------------------------------------------------------------

def _source(path: Path | None) -> tuple[Path, bytes]:
    from legkg.resources import ontology_path

    path = Path(path) if path else ontology_path()
    try:
        return path, path.read_bytes()
    except OSError as e:
        raise LegkgError(f"cannot read ontology {path}: {e.strerror or e}") from None


def _parse(path: Path, data: bytes) -> ox.Store:
    from legkg.store import parse_into

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

def _java_major(java: str) -> int:
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=20).stderr
    except (OSError, subprocess.SubprocessError):
        return 0
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out)
    if not m:
        return 0
    major = int(m.group(1))
    return int(m.group(2) or 0) if major == 1 else major


def find_java(minimum: int = 8) -> str | None:
    """A Java runtime of at least this major version: $LEGKG_JAVA, $JAVA_HOME, PATH, /usr/lib/jvm.

    Example:
        >>> find_java(8) is None or find_java(8).endswith("java")
        True
    """
    candidates = [os.environ.get("LEGKG_JAVA")]
    if os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(os.environ["JAVA_HOME"]) / "bin" / "java"))
    candidates.append(shutil.which("java"))
    candidates += sorted(glob.glob("/usr/lib/jvm/*/bin/java"), reverse=True)
    seen = set()
    for c in candidates:
        if not c or c in seen or not os.access(c, os.X_OK):
            continue
        seen.add(c)
        if minimum <= 8 or _java_major(c) >= minimum:
            return c
    return None


def _classpath(name: str) -> str:
    from owlready2 import reasoning

    return reasoning._HERMIT_CLASSPATH if name == "hermit" else reasoning._PELLET_CLASSPATH


def _kill(proc: subprocess.Popen) -> None:
    """Kill a JVM we started, with its process group, and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()


def _run_java(command: list[str], timeout: float, what: str) -> tuple[int, str, str]:
    """Run a JVM; on timeout kill its whole process group and raise a one-line error."""
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as e:
        raise ReasonerUnavailable(f"cannot start Java for {what}: {e.strerror or e}") from None
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise LegkgError(f"{what} did not finish within {timeout:g} s; the JVM was stopped "
                         "(raise --timeout, or try --reasoner rl)") from None
    except BaseException:  # interrupted: never leave a JVM behind
        _kill(proc)
        raise
    return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")


# --- writing the reasoner's input --------------------------------------------------------------

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


def _write_input(store: ox.Store, extra: list[str], folder: Path) -> Path:
    """Write the ontology (plus extra N-Triples) for the JVM, loaded and saved through owlready2."""
    import owlready2

    raw = folder / "input-raw.nt"
    data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    imports = f"<{OWL}imports>".encode()
    data = b"\n".join(line for line in data.split(b"\n") if imports not in line)  # reason offline, on this file
    raw.write_bytes(data + b"\n" + ("\n".join(extra) + "\n").encode("utf-8"))
    world = owlready2.World()
    try:
        world.get_ontology(raw.as_uri()).load()
    except Exception as e:  # owlready2 raises many kinds of errors on bad input
        raise LegkgError(f"owlready2 cannot load the ontology: {' '.join(str(e).split())[:200]}") from None
    out = folder / "input.nt"
    world.save(str(out), format="ntriples")
    world.close()
    return out


# --- parsing the reasoners' answers ------------------------------------------------------------

_TOKEN = re.compile(r"<([^>]+)>|owl:(\w+)")
_LINE = re.compile(r"^(SubClassOf|EquivalentClasses|Type|ClassAssertion)\( (.*) \)\s*$", re.MULTILINE)
_PROPS = re.compile(r"^<([^>]+)> \(known instances:\s*(.*?)\s*\|\s*possible instances:", re.MULTILINE)
_PAIR = re.compile(r"\(<([^>]+)>, <([^>]+)>\)")


def _tokens(text: str) -> list[str]:
    return [m.group(1) or OWL + m.group(2) for m in _TOKEN.finditer(text)]


@dataclass
class _Raw:
    """A reasoner's raw answer: direct parents, equivalences, types and property values."""

    consistent: bool = True
    parents: dict[str, set[str]] = field(default_factory=dict)
    equivalent: list[list[str]] = field(default_factory=list)
    types: dict[str, set[str]] = field(default_factory=dict)
    values: set[tuple[str, str, str]] = field(default_factory=set)


def _parse_hermit(out: str) -> _Raw:
    raw = _Raw()
    for kind, body in _LINE.findall(out):
        toks = _tokens(body)
        if kind == "SubClassOf" and len(toks) == 2:
            raw.parents.setdefault(toks[0], set()).add(toks[1])
        elif kind == "EquivalentClasses":
            raw.equivalent.append(toks)
        elif kind in ("Type", "ClassAssertion") and len(toks) == 2:
            a, b = toks if kind == "Type" else toks[::-1]
            raw.types.setdefault(a, set()).add(b)
    for prop, known in _PROPS.findall(out):
        for a, b in _PAIR.findall(known):
            raw.values.add((a, prop, b))
    return raw


def _parse_pellet(out: str) -> _Raw:
    raw = _Raw()
    stack: list[tuple[int, list[str]]] = []
    for line in out.splitlines():
        if not line.strip() or line.startswith("PROPINST:"):
            if line.startswith("PROPINST:"):
                parts = line.split()[1:]
                if len(parts) == 3:
                    raw.values.add((parts[0], parts[1], parts[2]))
            continue
        stripped = line.lstrip()
        depth = len(line) - len(stripped)
        head, _, inds = stripped.partition(" - ")
        names = [n.strip() for n in head.split(" = ")]
        if not all(re.match(r"^[a-z][\w+.-]*:", n) for n in names):
            continue
        if len(names) > 1:
            raw.equivalent.append(names)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        if stack:
            for n in names:
                raw.parents.setdefault(n, set()).update(stack[-1][1])
        stack.append((depth, names))
        if inds:
            for i in inds.strip()[1:-1].split(", "):
                if "Anonymous" not in i:
                    raw.types.setdefault(i.strip(), set()).update(names)
    return raw


# --- running a DL reasoner ---------------------------------------------------------------------

def _run_dl(reasoner: str, store: ox.Store, extra: list[str], timeout: float) -> _Raw:
    java = find_java(25 if reasoner == "pellet" else 8)
    if java is None:
        need = "Java 25 or later (set LEGKG_JAVA to its java)" if reasoner == "pellet" else "Java (java on PATH)"
        raise ReasonerUnavailable(f"{reasoner} needs {need}; none was found (try --reasoner rl)")
    with tempfile.TemporaryDirectory(prefix="legkg-reason-") as tmp:
        path = _write_input(store, extra, Path(tmp))
        if reasoner == "hermit":
            cmd = [java, *_JVM_FLAGS, "-cp", _classpath("hermit"), "org.semanticweb.HermiT.cli.CommandLine",
                   "-c", "-I", "-Y", path.as_uri()]
        else:
            cmd = [java, *_JVM_FLAGS, "-cp", _classpath("pellet"), "pellet.Pellet", "realize", "--loader", "Jena",
                   "--input-format", "N-Triples", "--ignore-imports", "--infer-prop-values", str(path)]
        code, out, err = _run_java(cmd, timeout, "HermiT" if reasoner == "hermit" else "Pellet")
    if code != 0:
        text = out + err
        if "Inconsistent ontology" in text or "Ontology is inconsistent" in text or "inconsistent" in text.lower():
            return _Raw(consistent=False)
        detail = " ".join(line for line in text.splitlines() if line.strip() and not line.startswith("\tat "))
        raise LegkgError(f"{reasoner} failed: {' '.join(detail.split())[:300]}")
    return _parse_hermit(out) if reasoner == "hermit" else _parse_pellet(out)


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
    import owlrl
    import rdflib

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
           explain_problems: bool = True, progress: Progress | None = None) -> Result:
    """Run a reasoner over the ontology (a temporary copy) and report what it infers.

    ``reasoner`` is ``hermit``, ``pellet`` or ``rl``; ``hermit`` falls back to ``rl`` when no
    Java is found (the result's notes say so).

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
    if explain_problems and reasoner != "rl" and (not result.consistent or result.unsatisfiable):
        from legkg.explain import explain_inconsistency, explain_subsumption

        say("explaining ...")
        with contextlib.suppress(LegkgError):
            if not result.consistent:
                result.explanation = explain_inconsistency(path, timeout=timeout).rows()
            else:
                for c in result.unsatisfiable[:3]:
                    result.explanation += explain_subsumption(path, c, NOTHING, timeout=timeout).rows()
    return result


def _artefact_bytes(key: str, result: Result) -> bytes:
    lines = [f"{_HEADER}{key} reasoner={result.reasoner}"]
    sub = f"<{RDFS}subClassOf>"
    note = f'"inferred by the reasoner ({result.reasoner}), not asserted; \'legkg explain\' shows why"@en'
    for n, (c, d) in enumerate(result.hierarchy):
        lines.append(f"<{c}> {sub} <{d}> .")
        ax = f"_:inferred{n}"  # reified like the asserted facts, so 'legkg describe' can say where it comes from
        lines += [f"{ax} <{RDF}subject> <{c}> .", f"{ax} <{RDF}predicate> {sub} .", f"{ax} <{RDF}object> <{d}> .",
                  f"{ax} <{LEGKG}background> {note} ."]
    for i, t in result.types:
        lines.append(f"<{i}> <{RDF}type> <{t}> .")
    for s, p, o in result.facts:
        lines.append(f"<{s}> <{p}> <{o}> <{INFERRED_GRAPH}> .")
    return ("\n".join(lines) + "\n").encode("utf-8") + _END


def materialise(path: Path | None = None, reasoner: str = "hermit", timeout: float = 120.0,
                progress: Progress | None = None) -> tuple[bytes, Result]:
    """Reason once and return the artefact (N-Quads: hierarchy and types in the default graph,
    property facts in ``legkg:graph/inferred``) and the result.

    Example:
        >>> data, result = materialise()  # doctest: +SKIP
        >>> data.startswith(b"# legkg-inferred")  # doctest: +SKIP
        True
    """
    path, data = _source(path)
    result = reason(path, reasoner=reasoner, timeout=timeout, explain_problems=False, progress=progress)
    key = source_key(data, path.suffix)
    if not result.consistent:
        raise LegkgError(f"{path} is inconsistent, so no inferences are loaded: run 'legkg --ontology {path} reason' "
                         "for the explanation, or query with --asserted")
    return _artefact_bytes(key, result), result


def inferred_quads(path: Path | None, data: bytes, progress: Progress | None = None) -> bytes:
    """The current inferences for this source: the committed artefact, the cache, or a new run.

    Never stale: an artefact is used only if its first line names this source's key (its bytes
    and file type). Without Java, a new run uses the OWL 2 RL fallback, except for the bundled
    ontology, whose stale artefact is an error rather than a silently weaker answer.
    ``LEGKG_REASONER`` (hermit, pellet, rl) and ``LEGKG_REASON_TIMEOUT`` choose the run.
    """
    from legkg.resources import ontology_path
    from legkg.store import atomic_write, cache_dir

    suffix = Path(path).suffix if path else ontology_path().suffix
    key = source_key(data, suffix)
    bundled = bundled_artefact()
    cached = cache_dir() / f"inferred-{key}.nq"
    current = current_artefact(key)
    if current is not None:
        return current
    chosen = os.environ.get("LEGKG_REASONER", "").strip().lower()
    if chosen and chosen not in REASONERS:
        raise Misuse(f"LEGKG_REASONER={chosen!r} is not a reasoner; use {', '.join(REASONERS)}")
    if not chosen:
        is_bundled = path is None or Path(path).resolve() == ontology_path().resolve()
        if find_java(8) is None:
            if is_bundled:
                raise ReasonerUnavailable(
                    f"the inferences in {bundled} are stale for the edited ontology and no Java was found to "
                    "rebuild them: install Java, set LEGKG_REASONER=rl for the weaker OWL 2 RL fallback, or "
                    "query with --asserted")
            chosen = "rl"
        else:
            chosen = "hermit"
    timeout = float(os.environ.get("LEGKG_REASON_TIMEOUT", "300"))
    blob, _ = materialise(path, reasoner=chosen, timeout=timeout, progress=progress)
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        atomic_write(cached, blob)
    return blob


def write_bundled_artefact(progress: Progress | None = None, timeout: float = 300.0) -> Path:
    """Rebuild ``ontology/inferred/legkg-inferred.nq`` for the bundled ontology (needs Java).

    Example:
        legkg reason --write-artefact
    """
    from legkg.store import atomic_write

    blob, _ = materialise(None, timeout=timeout, progress=progress)
    target = bundled_artefact()
    atomic_write(target, blob)
    return target
