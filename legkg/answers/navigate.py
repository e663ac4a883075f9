"""Walk the ontology as OAK users do: ancestors, descendants, paths and trees, by is-a or any relation.

Edges come from one canned query (``queries/internal/edges.rq``) with the relation bound as
an IRI; only entities of the term index are nodes, so ``owl:Thing`` and foreign roots stay out.

Example:
    >>> from legkg.store.local import open_backend
    >>> rows = ancestors(open_backend(), "sciatica")
    >>> "condition" in [r["label"] for r in rows]
    True
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse, UnknownTerm
from legkg.core.prefixes import expand
from legkg.store.canned import RDFS_SUBCLASS, relation_labels
from legkg.store.local import Backend
from legkg.store.queries import internal_query
from legkg.store.terms import Entity, TermIndex, normalise

IS_A_NAMES = {"i", "is a", "isa", "is_a", "subclassof", "rdfs:subclassof", "subclass of"}
SHORT_NAMES = {"p": "part of"}  # as OAK's -p p
MAX_PATHS = 20

Edges = dict[str, list[tuple[str, str]]]  # node -> [(neighbour, relation label)]


def resolve_relation(backend: Backend, text: str, labels: dict[str, tuple[str, str]] | None = None) -> str:
    """The IRI of a relation named by label, OAK short name (``i``, ``p``), CURIE or IRI.

    Example:
        >>> from legkg.store.local import open_backend
        >>> resolve_relation(open_backend(), "i").endswith("#subClassOf")
        True
    """
    labels = labels if labels is not None else relation_labels(backend)
    key = normalise(text)
    if key in IS_A_NAMES:
        return RDFS_SUBCLASS
    key = SHORT_NAMES.get(key, key)
    for iri, (label, _) in labels.items():
        if normalise(label) == key:
            return iri
    iri = text.strip("<>") if text.startswith(("http://", "https://", "<")) else expand(text.strip())
    if iri in labels:
        return iri
    names = sorted({lab for lab, _ in labels.values()})
    raise UnknownTerm(f"unknown relation {text!r}; use i (is a), p (part of) or one of: {', '.join(names)}")


def _edges(backend: Backend, index: TermIndex, relations: Sequence[str]) -> tuple[Edges, Edges]:
    """Upward and downward edges of the given relations between entities of the index."""
    labels = relation_labels(backend)
    up: Edges = {}
    down: Edges = {}
    for text in relations or ("is a",):
        iri = resolve_relation(backend, text, labels)
        forward, backward = labels.get(iri, (text, f"inverse of {text}"))
        for r in backend.select(internal_query("edges"), {"relation": ox.NamedNode(iri)}):
            child, parent = r["child"].value, r["parent"].value
            if child == parent or index.get(child) is None or index.get(parent) is None:
                continue
            up.setdefault(child, []).append((parent, forward))
            down.setdefault(parent, []).append((child, backward))
    for table in (up, down):
        for node, nbrs in table.items():
            table[node] = sorted(set(nbrs), key=lambda n: (index.get(n[0]).label.casefold(), n[0], n[1]))
    return up, down


def _row(e: Entity, **extra) -> dict:
    return {"id": e.id, "label": e.label, "kind": e.kind, **extra}


def _closure(edges: Edges, start: str) -> dict[str, int]:
    """Every node reachable from ``start`` with its shortest distance."""
    seen = {start: 0}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        for nxt, _ in edges.get(node, ()):
            if nxt not in seen:
                seen[nxt] = seen[node] + 1
                todo.append(nxt)
    del seen[start]
    return seen


def _walk(backend: Backend, term: str, relations: Sequence[str], upward: bool) -> list[dict]:
    index = TermIndex.load(backend)
    entity = index.resolve(term)
    up, down = _edges(backend, index, relations)
    found = _closure(up if upward else down, entity.iri)
    rows = [_row(index.get(iri), distance=d) for iri, d in found.items()]
    return sorted(rows, key=lambda r: (r["distance"], r["label"].casefold(), r["id"]))


def ancestors(backend: Backend, term: str, relations: Sequence[str] = ()) -> list[dict]:
    """Everything ``term`` is a kind of (or reaches by the given relations), nearest first."""
    return _walk(backend, term, relations, upward=True)


def descendants(backend: Backend, term: str, relations: Sequence[str] = ()) -> list[dict]:
    """Everything that is a kind of ``term`` (or reaches it by the given relations), nearest first."""
    return _walk(backend, term, relations, upward=False)


def paths(backend: Backend, start: str, end: str, relations: Sequence[str] = ()) -> list[dict]:
    """The shortest paths from ``start`` up to ``end`` (or, failing that, from ``end`` up to ``start``).

    Each step is a row: the path's number, the step's number, the entity and the relation
    that led to it from the step before.
    """
    index = TermIndex.load(backend)
    a, b = index.resolve(start), index.resolve(end)
    if a == b:
        raise Misuse(f"{start!r} and {end!r} name the same entity ({a.id}); give two different terms")
    up, down = _edges(backend, index, relations)
    found = _shortest(up, a.iri, b.iri) or _shortest(down, a.iri, b.iri)
    if not found:
        how = " or ".join(relations) or "is a"
        raise LegkgError(f"no path between {a.label} ({a.id}) and {b.label} ({b.id}) by {how}; "
                         "try another relation with -p")
    rows = []
    for n, steps in enumerate(found, 1):
        for i, (iri, via) in enumerate(steps):
            rows.append(_row(index.get(iri), path=n, step=i, relation=via))
    return [{k: r[k] for k in ("path", "step", "relation", "id", "label", "kind")} for r in rows]


def _shortest(edges: Edges, start: str, end: str) -> list[list[tuple[str, str]]]:
    """Every shortest path (up to MAX_PATHS) from start to end as [(node, relation into it)]."""
    dist = {start: 0}
    preds: dict[str, list[tuple[str, str]]] = {}
    todo = deque([start])
    while todo:
        node = todo.popleft()
        if node == end:
            break
        for nxt, via in edges.get(node, ()):
            if nxt not in dist:
                dist[nxt] = dist[node] + 1
                todo.append(nxt)
            if dist[nxt] == dist[node] + 1:
                preds.setdefault(nxt, []).append((node, via))
    if end not in dist:
        return []
    out: list[list[tuple[str, str]]] = []

    def back(node: str, tail: list[tuple[str, str]]) -> None:
        if len(out) >= MAX_PATHS:
            return
        if node == start:
            out.append([(start, "")] + tail)
            return
        for prev, via in preds.get(node, ()):
            back(prev, [(node, via)] + tail)

    back(end, [])
    return out


def tree(backend: Backend, term: str | None = None, relations: Sequence[str] = ()) -> list[dict]:
    """The entities under ``term`` (under every root if None) depth first, each with its depth.

    An entity reached a second time is listed again with ``repeated`` set and its subtree left out.
    """
    index = TermIndex.load(backend)
    up, _ = _edges(backend, index, relations)
    down: Edges = {}  # parent -> [(child, how the child relates to it)]
    for child, parents in up.items():
        for parent, rel in parents:
            down.setdefault(parent, []).append((child, rel))
    for nbrs in down.values():
        nbrs.sort(key=lambda n: (index.get(n[0]).label.casefold(), n[0]))
    if term is not None:
        roots = [index.resolve(term).iri]
    else:
        roots = sorted((iri for iri in index.entities if iri not in up and iri in down),
                       key=lambda i: (index.get(i).label.casefold(), i))
        if not roots:
            raise LegkgError("no entity has children by that relation")
    rows: list[dict] = []
    expanded: set[str] = set()

    def visit(iri: str, depth: int, via: str) -> None:
        repeated = iri in expanded
        rows.append(_row(index.get(iri), depth=depth, relation=via, repeated=repeated))
        if repeated:
            return
        expanded.add(iri)
        for child, rel in down.get(iri, ()):
            visit(child, depth + 1, rel)

    for root in roots:
        visit(root, 0, "")
    return [{k: r[k] for k in ("depth", "relation", "id", "label", "kind", "repeated")} for r in rows]


__all__ = ["ancestors", "descendants", "paths", "resolve_relation", "tree"]
