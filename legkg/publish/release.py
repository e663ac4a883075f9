"""Protégé-ready release files, built from the source ontology.

``ontology/release/`` holds ``legkg.owl`` (RDF/XML), ``legkg.ttl`` (Turtle),
``legkg-inferred.owl`` (the source plus the reasoner's inferences, as plain OWL axioms)
and ``catalog-v001.xml`` (maps the ontology IRIs to the files, so Protégé opens them
offline). Each carries a dated version IRI. The output is deterministic, so a release can
be committed and compared with a fresh build; a build goes to a temporary folder that
replaces the old release only when every file is written.

Example:
    >>> files = build_release(output=Path("/tmp/legkg-release"), date="2026-11-23")  # doctest: +SKIP
    >>> sorted(p.name for p in files)
    ['catalog-v001.xml', 'legkg-inferred.owl', 'legkg.owl', 'legkg.ttl']
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse
from legkg.core.prefixes import LEGKG, PREFIXES
from legkg.core.resources import ontology_path

ONTOLOGY_IRI = LEGKG + "legkg.owl"
INFERRED_IRI = LEGKG + "legkg-inferred.owl"
FILES = ("legkg.owl", "legkg.ttl", "legkg-inferred.owl", "catalog-v001.xml")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_VERSION_IRI = re.compile(r'<owl:versionIRI rdf:resource="[^"]*"/>')
_VERSION_INFO = re.compile(r"<owl:versionInfo>[^<]*</owl:versionInfo>")
_ONTOLOGY_OPEN = re.compile(r'<owl:Ontology rdf:about="([^"]*)">')
RDF_TYPE = PREFIXES["rdf"] + "type"
SUBCLASS = PREFIXES["rdfs"] + "subClassOf"
OWL = PREFIXES["owl"]

Progress = Callable[[str], None]


def release_dir() -> Path:
    """The committed release folder, beside the source ontology."""
    return ontology_path().parent / "release"


def version_iri(date: str, name: str = "legkg.owl") -> str:
    """``version_iri("2026-11-23")`` -> ``'https://w3id.org/legkg/releases/2026-11-23/legkg.owl'``."""
    return f"{LEGKG}releases/{date}/{name}"


def stamp(text: str, date: str, iri: str = ONTOLOGY_IRI, name: str = "legkg.owl") -> str:
    """The RDF/XML source with its ontology IRI, version IRI and version info set for a release date."""
    m = _ONTOLOGY_OPEN.search(text)
    if m is None:
        raise LegkgError("the source has no <owl:Ontology rdf:about=...> header")
    text = text[: m.start()] + f'<owl:Ontology rdf:about="{iri}">' + text[m.end():]
    version = f'<owl:versionIRI rdf:resource="{version_iri(date, name)}"/>'
    info = f"<owl:versionInfo>{date}</owl:versionInfo>"
    end = text.index("</owl:Ontology>")
    header = text[:end]
    header = _VERSION_IRI.sub(version, header, count=1) if _VERSION_IRI.search(header) else \
        header.rstrip(" ") + f"    {version}\n    "
    header = _VERSION_INFO.sub(info, header, count=1) if _VERSION_INFO.search(header) else \
        header.rstrip(" ") + f"    {info}\n    "
    return header + text[end:]


def _kinds(store: ox.Store) -> tuple[set[str], set[str]]:
    classes = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE),
                                                                 ox.NamedNode(OWL + "Class"))}
    individuals = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(RDF_TYPE),
                                                                     ox.NamedNode(OWL + "NamedIndividual"))}
    return classes, individuals


def inferred_axioms(source: Path, data: bytes, progress: Progress | None = None) -> list[tuple[str, str, str]]:
    """(subject, property, object) of every inference: subclass links, types and class-level facts.

    Uses :func:`legkg.reasoning.build.inferred_quads` (HermiT, cached by the source's content).
    """
    from legkg.reasoning.build import inferred_quads

    blob = inferred_quads(source, data, progress)
    store = ox.Store()
    store.load(blob, format=ox.RdfFormat.N_QUADS)
    return sorted({(q.subject.value, q.predicate.value, q.object.value) for q in store
                   if isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)})


def _root_prefixes(text: str) -> dict[str, str]:
    """Namespace -> prefix for the ``xmlns:`` declarations on the RDF/XML root element."""
    root = text[text.index("<rdf:RDF"):]
    root = root[: root.index(">")]
    return {ns: prefix for prefix, ns in re.findall(r'xmlns:([A-Za-z_][\w.-]*)="([^"]*)"', root)}


def _inferred_lines(axioms: list[tuple[str, str, str]], classes: set[str], individuals: set[str],
                    prefixes: dict[str, str]) -> dict[str, list[str]]:
    """RDF/XML property elements for the inferences, by subject.

    Class facts become existential (or value) restrictions, so no punning. A property between
    individuals is written with the prefix the root element declares for its namespace; only
    an undeclared namespace gets a local ``xmlns:`` (``ns0``, ``ns1`` ...), so no local
    declaration ever takes over a prefix such as ``legkg:``.
    """
    local_names: dict[str, str] = {}
    by_subject: dict[str, list[str]] = {}
    for s, p, o in axioms:
        if p in (SUBCLASS, RDF_TYPE):
            tag = "rdfs:subClassOf" if p == SUBCLASS else "rdf:type"
            line = f'        <{tag} rdf:resource="{o}"/>\n'
        elif s in classes:
            filler = (f'<owl:hasValue rdf:resource="{o}"/>' if o in individuals
                      else f'<owl:someValuesFrom rdf:resource="{o}"/>')
            line = ("        <rdfs:subClassOf>\n            <owl:Restriction>\n"
                    f'                <owl:onProperty rdf:resource="{p}"/>\n                {filler}\n'
                    "            </owl:Restriction>\n        </rdfs:subClassOf>\n")
        elif s in individuals and o in individuals:
            ns, local = _split(p)
            if ns in prefixes:
                line = f'        <{prefixes[ns]}:{local} rdf:resource="{o}"/>\n'
            else:
                name = local_names.setdefault(ns, f"ns{len(local_names)}")
                line = f'        <{name}:{local} xmlns:{name}="{ns}" rdf:resource="{o}"/>\n'
        else:
            continue
        by_subject.setdefault(s, []).append(line)
    return by_subject


_INFERRED_NOTE = "        <!-- inferred by the reasoner (not in the source) -->\n"


def _insert_inferred(text: str, by_subject: dict[str, list[str]]) -> str:
    """Put each subject's inferred lines inside its own top-level ``owl:Class`` or
    ``owl:NamedIndividual`` element, where every RDF/XML reader (pronto too) finds them.

    A subject without such an element gets an ``rdf:Description`` block at the end.
    """
    leftovers = []
    for s in sorted(by_subject):
        lines = _INFERRED_NOTE + "".join(by_subject[s])
        for tag in ("owl:Class", "owl:NamedIndividual"):
            m = re.search(rf'\n    <{tag} rdf:about="{re.escape(s)}"(/?)>', text)
            if m is None:
                continue
            if m.group(1):  # a self-closing element: open it
                text = text[: m.start()] + f'\n    <{tag} rdf:about="{s}">\n{lines}    </{tag}>' + text[m.end():]
            else:
                end = text.index(f"\n    </{tag}>", m.end())
                text = text[: end + 1] + lines + text[end + 1:]
            break
        else:
            leftovers.append(f'    <rdf:Description rdf:about="{s}">\n{lines}    </rdf:Description>\n')
    if leftovers:
        end = text.rindex("</rdf:RDF>")
        text = text[:end].rstrip() + "\n\n" + "".join(leftovers) + "\n" + text[end:]
    return text


def _split(iri: str) -> tuple[str, str]:
    cut = max(iri.rfind("/"), iri.rfind("#")) + 1
    return iri[:cut], iri[cut:]


def render_inferred(text: str, axioms: list[tuple[str, str, str]], date: str) -> str:
    """The stamped source with each inference written inside the element of its subject."""
    store = ox.Store()
    store.load(text.encode("utf-8"), format=ox.RdfFormat.RDF_XML, base_iri=ONTOLOGY_IRI)
    classes, individuals = _kinds(store)
    stamped = stamp(text, date, INFERRED_IRI, "legkg-inferred.owl")
    return _insert_inferred(stamped, _inferred_lines(axioms, classes, individuals, _root_prefixes(stamped)))


def render_turtle(owl_text: str) -> str:
    """Deterministic Turtle for an RDF/XML text: subjects, predicates and objects in sorted order.

    Blank nodes used once are written inline (``[ ... ]``, lists as ``( ... )``), and the
    unreferenced ones (axiom annotations) as sorted ``[ ... ] .`` blocks, so no blank-node
    label ever appears and two builds of the same source give the same bytes.
    """
    import rdflib

    graph = rdflib.Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns, override=True)
    graph.parse(data=owl_text, format="xml", publicID=ONTOLOGY_IRI)
    nm = graph.namespace_manager
    first, rest, nil = rdflib.RDF.first, rdflib.RDF.rest, rdflib.RDF.nil
    refs: dict[rdflib.BNode, int] = {}
    for o in graph.objects():
        if isinstance(o, rdflib.BNode):
            refs[o] = refs.get(o, 0) + 1

    def term(t, depth: int) -> str:
        if isinstance(t, rdflib.BNode) and refs.get(t) == 1:
            items = collection(t)
            if items is not None:
                return "( " + " ".join(term(i, depth) for i in items) + " )"
            return "[ " + body(t, depth + 1, " ;\n" + "    " * (depth + 1)) + " ]"
        return t.n3(nm)

    def collection(t) -> list | None:
        items = []
        while t != nil:
            preds = set(graph.predicates(t))
            if preds - {first, rest, rdflib.RDF.type} or not isinstance(t, rdflib.BNode) or refs.get(t) != 1:
                return None
            items.append(graph.value(t, first))
            t = graph.value(t, rest)
        return items

    def body(s, depth: int, sep: str) -> str:
        parts = []
        for p in sorted(set(graph.predicates(s)), key=lambda p: (p != rdflib.RDF.type, p.n3(nm))):
            objects = sorted(term(o, depth + 1) for o in graph.objects(s, p))
            name = "a" if p == rdflib.RDF.type else p.n3(nm)
            parts.append(f"{name} " + (",\n" + "    " * (depth + 2)).join(objects))
        return sep.join(parts)

    blocks = []
    for s in set(graph.subjects()):
        if isinstance(s, rdflib.BNode) and refs.get(s, 0) == 1:
            continue
        if isinstance(s, rdflib.BNode) and refs.get(s, 0) == 0:
            blocks.append((1, "[ " + body(s, 1, " ;\n    ") + " ] ."))
        else:
            blocks.append((0, s.n3(nm) + " " + body(s, 0, " ;\n    ") + " ."))
    head = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))
    return head + "\n" + "\n\n".join(text for _, text in sorted(blocks)) + "\n"


def render_catalog(date: str) -> str:
    """The Protégé XML catalog mapping the ontology and version IRIs to the release files."""
    entries = [(ONTOLOGY_IRI, "legkg.owl"), (version_iri(date), "legkg.owl"),
               (INFERRED_IRI, "legkg-inferred.owl"), (version_iri(date, "legkg-inferred.owl"), "legkg-inferred.owl")]
    lines = ['<?xml version="1.0" encoding="UTF-8" standalone="no"?>',
             '<catalog prefer="public" xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">',
             *(f'    <uri name="{name}" uri="{file}"/>' for name, file in entries),
             "</catalog>", ""]
    return "\n".join(lines)


def render_release(source: Path | None = None, date: str | None = None,
                   progress: Progress | None = None) -> dict[str, bytes]:
    """Every release file's content, by file name (nothing is written)."""
    date = dt.datetime.now(dt.timezone.utc).date().isoformat() if date is None else date
    if not _DATE.fullmatch(date):
        raise Misuse(f"release date {date!r} is not YYYY-MM-DD")
    path = Path(source) if source else ontology_path()
    if path.suffix.lower() not in (".owl", ".rdf", ".xml"):
        raise Misuse(f"a release is built from the RDF/XML source, not {path.name}")
    from legkg.store.inputs import check_rdf
    from legkg.store.local import read_ontology

    data = read_ontology(path)
    check_rdf(data, path)
    try:
        ox.Store().load(data, format=ox.RdfFormat.RDF_XML, base_iri=ONTOLOGY_IRI)
        text = data.decode("utf-8")
    except (SyntaxError, UnicodeDecodeError) as e:
        raise LegkgError(f"{path}: not valid RDF/XML, so no release was built: {e}") from None
    say = progress or (lambda m: None)
    owl = stamp(text, date)
    say("writing Turtle ...")
    ttl = render_turtle(owl)
    say("collecting inferences ...")
    inferred = render_inferred(text, inferred_axioms(path, data, progress), date)
    return {"legkg.owl": owl.encode("utf-8"), "legkg.ttl": ttl.encode("utf-8"),
            "legkg-inferred.owl": inferred.encode("utf-8"), "catalog-v001.xml": render_catalog(date).encode("utf-8")}


def release_date(folder: Path | None = None) -> str | None:
    """The date of the release in a folder (from its version IRI), or None."""
    try:
        text = ((folder or release_dir()) / "legkg.owl").read_text(encoding="utf-8")
    except OSError:
        return None
    m = re.search(r"/releases/(\d{4}-\d{2}-\d{2})/", text)
    return m.group(1) if m else None


STAGING = ".legkg-release-staging"  # inside the release folder: the new files before they are moved in
COMMITTED = "COMMITTED"  # in the staging folder once every new file is whole


def build_release(source: Path | None = None, output: Path | None = None, date: str | None = None,
                  progress: Progress | None = None, force: bool = False) -> list[Path]:
    """Build the release files and move them into ``output``; return the files.

    Only the release's own files are written: a folder holding anything else is refused
    unless ``force``. New files are staged in a hidden folder inside ``output``, marked
    committed, then moved in one by one; a run killed part-way is finished (or, before the
    mark, rolled back) by the next run, which also removes stale temporaries.
    """
    target = Path(output) if output else release_dir()
    if str(output) == "" or (output is not None and not str(output).strip()):
        raise Misuse("the release folder is empty; give a folder with -o DIR")
    files = render_release(source, date, progress)
    try:
        return _install(target, files, force)
    except OSError as e:
        raise LegkgError(f"cannot write the release to {target}: {e.strerror or e}; "
                         f"{'the last release is unchanged' if not _staged(target) else 'the next run finishes it'}"
                         + ("" if output else "; give another folder with -o DIR")) from None


def _staged(target: Path) -> bool:
    return (target / STAGING / COMMITTED).exists()


def recover_release(target: Path) -> None:
    """Finish a release whose files were committed but not all moved in; drop uncommitted staging."""
    _adopt_legacy(target)
    staging = target / STAGING
    if not staging.is_dir():
        return
    if (staging / COMMITTED).exists():
        for name in FILES:
            if (staging / name).exists():
                (staging / name).replace(target / name)
    shutil.rmtree(staging)


def _adopt_legacy(target: Path) -> None:
    """Older builds swapped whole folders (``.NAME.new-*`` and ``.NAME.old-*``); put back what a kill left."""
    parent = target.parent
    if not parent.is_dir():
        return
    for new in sorted(parent.glob(f".{target.name}.new-*")):
        old = parent / f".{target.name}.old-{new.name.rsplit('-', 1)[-1]}"
        complete = all((new / name).is_file() for name in FILES)
        if not target.exists() and complete:
            new.rename(target)
        elif not target.exists() and old.is_dir():
            old.rename(target)
        shutil.rmtree(new, ignore_errors=True)
    for old in parent.glob(f".{target.name}.old-*"):
        if not target.exists():
            old.rename(target)
        else:
            shutil.rmtree(old, ignore_errors=True)


def _install(target: Path, files: dict[str, bytes], force: bool) -> list[Path]:
    if target.exists() and not target.is_dir():
        raise Misuse(f"{target} is a file, not a folder; give a folder with -o DIR")
    recover_release(target)
    foreign = sorted(p.name for p in target.iterdir() if p.name not in FILES) if target.is_dir() else []
    if foreign and not force:
        shown = ", ".join(foreign[:3]) + (" ..." if len(foreign) > 3 else "")
        raise Misuse(f"{target} holds other files ({shown}); give an empty or new folder, "
                     "or --force to write the release files beside them")
    target.mkdir(parents=True, exist_ok=True)
    staging = target / STAGING
    staging.mkdir()
    try:
        for name, content in files.items():
            with open(staging / name, "wb") as f:
                f.write(content)
                f.flush()
                os.fsync(f.fileno())
        (staging / COMMITTED).touch()
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    recover_release(target)
    return [target / name for name in FILES]
