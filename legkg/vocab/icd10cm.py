"""The ICD-10-CM code set as a SKOS hierarchy, for the local linked store.

The codes, titles and hierarchy come from the ``simple-icd-10-cm`` package, which ships
the CMS release files (public domain). Every chapter, block, category and subcategory
becomes a ``skos:Concept`` in the scheme ``<http://purl.bioontology.org/ontology/ICD10CM>``
with ``skos:notation``, ``skos:prefLabel`` (English), ``skos:inScheme`` and
``skos:broader`` to its parent; chapters are ``skos:topConceptOf`` the scheme.

IRIs are the BioPortal ones, the same namespace as the ``ICD10CM:`` CURIEs of
``ontology/mappings/legkg.sssom.tsv`` and the ontology's ``skos:*Match`` annotations, so
the two join: ``ICD10CM:M54.30`` is ``<http://purl.bioontology.org/ontology/ICD10CM/M54.30>``.
Blocks and chapters are named by their code range (``M50-M54``, ``M00-M99``); a block of a
single category is ``B20-B20`` beside the category ``B20``. A chapter's notation is its
number (``13``), as in the CMS tabular list.

``link_icd10cm`` loads the graph once per package release into the persistent linked store of
:mod:`legkg.vocab.linked` (named graph ``https://w3id.org/legkg/graph/icd10cm``), where
``legkg.vocab.linked.open_linked(graphs=["icd10cm"])`` queries it together with the ontology
(``queries/linked/icd10cm-chapters.rq``: the chapter of every condition's code).

Example:
    >>> concept = next(c for c in concepts() if c.code == "M54.30")
    >>> concept.iri, concept.parent
    ('http://purl.bioontology.org/ontology/ICD10CM/M54.30', 'http://purl.bioontology.org/ontology/ICD10CM/M54.3')
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.core.prefixes import PREFIXES
from legkg.vocab.mappings import VOCABULARIES

NAMESPACE = VOCABULARIES["ICD10CM"].namespace
SCHEME = NAMESPACE.rstrip("/")
GRAPH = "https://w3id.org/legkg/graph/icd10cm"
FORMAT = "skos-1"  # the shape of the graph built here: part of the load key, bump it when the shape changes
SKOS = PREFIXES["skos"]
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_RANGE = re.compile(r"\(([A-Z0-9]{3}-[A-Z0-9]{3})\)\s*$")


@dataclass(frozen=True)
class Concept:
    """One ICD-10-CM code: its kind, IRI, notation, title and parent IRI (None for a chapter)."""

    code: str
    kind: str  # chapter, block, category or subcategory
    iri: str
    notation: str
    label: str
    parent: str | None


def _icd():
    from legkg.core.errors import require

    return require("simple_icd_10_cm", "ICD-10-CM")


def source_version() -> str:
    """The package version and the CMS release it ships, e.g. ``'simple-icd-10-cm 1.5.0, April 2026'``.

    Found without importing the package (which parses the whole tabular list on import).
    """
    import importlib.util
    from importlib.metadata import version

    spec = importlib.util.find_spec("simple_icd_10_cm")
    if spec is None or not spec.submodule_search_locations:
        from legkg.core.errors import require

        require("simple_icd_10_cm", "ICD-10-CM")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    release = sorted(p.stem.removeprefix("code-list-").replace("-", " ") for p in data.glob("code-list-*.txt"))
    return f"simple-icd-10-cm {version('simple-icd-10-cm')}" + (f", {release[-1]}" if release else "")


def concepts() -> Iterator[Concept]:
    """Every code of the package's release, parents before children."""
    icd = _icd()
    codes = icd.get_all_codes(True)
    seen: set[str] = set()
    chapter_iri: dict[str, str] = {}

    def block_iri(code: str) -> str:
        return NAMESPACE + (code if "-" in code else f"{code}-{code}")

    for code in codes:
        again = code in seen
        seen.add(code)
        if icd.is_chapter(code):
            desc = icd.get_description(code)
            m = _RANGE.search(desc)
            iri = NAMESPACE + (m.group(1) if m else f"chapter-{code}")
            chapter_iri[code] = iri
            yield Concept(code, "chapter", iri, code, desc, None)
            continue
        if icd.is_block(code) and not again:  # a single-category block comes first, then its category
            parent = icd.get_parent(code, prioritize_blocks=True)
            up = chapter_iri[parent] if icd.is_chapter(parent) else block_iri(parent)
            iri = block_iri(code)
            yield Concept(code, "block", iri, iri[len(NAMESPACE):], icd.get_description(code, prioritize_blocks=True),
                          up)
            continue
        parent = icd.get_parent(code)
        up = block_iri(parent) if icd.is_block(parent) else NAMESPACE + parent
        kind = "category" if icd.is_category(code) else "subcategory"
        yield Concept(code, kind, NAMESPACE + code, code, icd.get_description(code), up)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'


def ntriples(progress: Callable[[int], None] | None = None) -> Iterator[str]:
    """The SKOS graph as N-Triples lines; ``progress(n)`` is told every 1,000 concepts.

    Example:
        >>> lines = list(ntriples())
        >>> f'<{NAMESPACE}M54.30> <{SKOS}notation> "M54.30" .\\n' in lines
        True
    """
    scheme = f"<{SCHEME}>"
    concept, broader, top = f"<{SKOS}Concept>", f"<{SKOS}broader>", f"<{SKOS}topConceptOf>"
    yield f"{scheme} <{_RDF_TYPE}> <{SKOS}ConceptScheme> .\n"
    yield f"{scheme} <{SKOS}prefLabel> \"ICD-10-CM\"@en .\n"
    yield f"{scheme} <http://www.w3.org/2002/07/owl#versionInfo> {_literal(source_version())} .\n"
    n = 0
    for c in concepts():
        s = f"<{c.iri}>"
        yield f"{s} <{_RDF_TYPE}> {concept} .\n"
        yield f"{s} <{SKOS}inScheme> {scheme} .\n"
        yield f"{s} <{SKOS}notation> {_literal(c.notation)} .\n"
        yield f"{s} <{SKOS}prefLabel> {_literal(c.label)}@en .\n"
        if c.parent:
            yield f"{s} {broader} <{c.parent}> .\n"
        else:
            yield f"{s} {top} {scheme} .\n"
            yield f"{scheme} <{SKOS}hasTopConcept> {s} .\n"
        n += 1
        if progress and n % 1_000 == 0:
            progress(n)
    if progress:
        progress(n)


def write_ntriples(path: Path, progress: Callable[[int], None] | None = None) -> int:
    """Write the SKOS graph to an N-Triples file; return the number of triples."""
    count = 0
    with path.open("w", encoding="utf-8") as out:
        chunk: list[str] = []
        for line in ntriples(progress):
            chunk.append(line)
            if len(chunk) >= 20_000:
                out.write("".join(chunk))
                count += len(chunk)
                chunk.clear()
        out.write("".join(chunk))
        count += len(chunk)
    return count


def link_icd10cm(force: bool = False, progress: Callable[[str], None] | None = None) -> dict:
    """Load ICD-10-CM into the linked store unless this release is already there; return a summary.

    The check opens the store read-only; only a load opens it for writing, under the linked
    store's writer lock (a second writer waits for the first, readers never do). The graph is
    bulk-loaded in chunks of 100,000 triples, with a line of progress for each.

    Example:
        >>> info = link_icd10cm(progress=print)  # doctest: +SKIP
        reading the ICD-10-CM code set (simple-icd-10-cm 1.5.0, April 2026, 98,505 codes) and loading it ...
          10,000/98,505 concepts, 100,000 triples
        ...
        >>> info["concepts"], info["loaded"]  # doctest: +SKIP
        (98505, True)
    """

    from legkg.store.files import content_key
    from legkg.vocab import linked as link

    say = progress or (lambda message: None)
    version = source_version()
    key = content_key(f"{version} {FORMAT}".encode())
    path = link.store_path()
    if not force and path.exists():
        store = link._open(read_only=True)
        if link._key(store, "icd10cm") == key:
            say(f"ICD-10-CM ({version}) is already linked and current in {path}; not reloading")
            return _summary(store, version, path, loaded=False)
        del store
    with link.writer_lock(say):  # one writer at a time; readers go on reading
        store = link._open(read_only=False)
        if not force and link._key(store, "icd10cm") == key:  # another run loaded it while this one waited
            say(f"ICD-10-CM ({version}) was linked by another run in {path}; not reloading")
            return _summary(store, version, path, loaded=False)
        _load(store, key, version, path, say)
        del store
    return _summary(link._open(read_only=True), version, path, loaded=True)


def _load(store, key: str, version: str, path: Path, say: Callable[[str], None]) -> None:
    """Replace the ICD-10-CM graph in the (writable) linked store, marking it linked only once whole."""
    import pyoxigraph as ox

    from legkg.vocab import linked as link

    start = time.monotonic()
    graph = ox.NamedNode(GRAPH)
    meta = ox.NamedNode(link.META_GRAPH)
    for q in list(store.quads_for_pattern(None, link._KEY["icd10cm"], None, meta)):
        store.remove(q)  # a load that stops half-way leaves no key, so the next run loads again
    if store.contains_named_graph(graph):
        say(f"removing the previous ICD-10-CM graph from {path} ...")
        store.remove_graph(graph)
    total = len(_icd().get_all_codes(True))
    say(f"reading the ICD-10-CM code set ({version}, {total:,} codes) and loading it into {path} ...")
    loaded, done = 0, [0]
    lines = ntriples(progress=lambda n: done.__setitem__(0, n))
    while True:
        chunk = list(itertools.islice(lines, 100_000))
        if not chunk:
            break
        try:
            store.bulk_load(input="".join(chunk).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES, to_graph=graph,
                            lenient=True)  # our own output: skip re-validating every IRI
        except (OSError, SyntaxError) as e:
            raise LegkgError(f"loading ICD-10-CM into {path} failed: {' '.join(str(e).split())[:200]}") from None
        loaded += len(chunk)
        say(f"  {done[0]:,}/{total:,} concepts, {loaded:,} triples")
    link._set_key(store, "icd10cm", key)
    store.flush()
    store.optimize()
    say(f"linked ICD-10-CM: {loaded:,} triples in {time.monotonic() - start:.1f} s")


def _summary(store, version: str, path: Path, loaded: bool) -> dict:
    """What the linked graph holds: its IRI, concept and triple counts, release, store folder."""
    def count(pattern: str) -> int:
        rows = list(store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ {pattern} }} }}"))
        return int(rows[0]["n"].value)

    return {"graph": GRAPH, "concepts": count(f"?c a <{SKOS}Concept>"), "triples": count("?s ?p ?o"),
            "version": version, "store": str(path), "loaded": loaded}
