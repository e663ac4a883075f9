"""Draw the neighbourhood of an entity as Graphviz DOT, SVG/PNG (through `dot`) or Mermaid.

Example:
    >>> from legkg.store.local import open_backend
    >>> text = render(neighbourhood(open_backend(), "sciatica", depth=1), "mermaid")
    >>> text.splitlines()[0]
    'graph LR'
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pyoxigraph as ox

from legkg.core.errors import LegkgError, Misuse
from legkg.store.canned import RDF_TYPE, RDFS_SUBCLASS, relation_labels
from legkg.store.local import Backend
from legkg.store.queries import internal_query
from legkg.store.terms import Entity, TermIndex

COLOURS = {"anatomy": "#cfe8ff", "condition": "#ffd6d6", "mechanism": "#fff1c2", "symptom": "#dff5d8",
           "situation": "#eadcff", "care": "#d8f3f0", "urgency": "#ffc9a3", "frequency": "#eeeeee", "onset": "#eeeeee",
           "severity": "#eeeeee"}
FORMATS = ("svg", "png", "dot", "mermaid")


class Graph:
    """Nodes (entities) and labelled edges around a centre."""

    def __init__(self, centre: Entity) -> None:
        self.centre = centre
        self.nodes: dict[str, Entity] = {centre.iri: centre}
        self.edges: set[tuple[str, str, str]] = set()


def neighbourhood(backend: Backend, term: str, depth: int = 1, max_nodes: int = 60) -> Graph:
    """Entities within ``depth`` relations of ``term`` (both directions), at most ``max_nodes``."""
    if not 1 <= depth <= 4:
        raise Misuse("--depth must be between 1 and 4")
    index = TermIndex.load(backend)
    centre = index.resolve(term)
    relations = relation_labels(backend)
    graph = Graph(centre)
    frontier = [centre.iri]
    for _ in range(depth):
        nxt = []
        for iri in frontier:
            node = ox.NamedNode(iri)
            out = [(iri, r["p"].value, r["o"].value) for r in backend.select(internal_query("describe-out"),
                                                                                 {"entity": node})]
            inc = [(r["s"].value, r["p"].value, iri) for r in backend.select(internal_query("describe-in"),
                                                                                {"entity": node})]
            for s, p, o in out + inc:
                if p == RDF_TYPE or p not in relations or index.get(s) is None or index.get(o) is None:
                    continue
                for end in (s, o):
                    if end not in graph.nodes and len(graph.nodes) < max_nodes:
                        graph.nodes[end] = index.get(end)
                        nxt.append(end)
                if s in graph.nodes and o in graph.nodes:
                    graph.edges.add((s, "is a" if p == RDFS_SUBCLASS else relations[p][0], o))
        frontier = nxt
    return graph


def render(graph: Graph, fmt: str) -> str:
    """The graph as DOT or Mermaid text."""
    if fmt == "mermaid":
        return _mermaid(graph)
    return _dot(graph)


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _dot(graph: Graph) -> str:
    lines = ["digraph legkg {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
             '  edge [fontname="Helvetica", fontsize=10];']
    for iri, e in sorted(graph.nodes.items()):
        width = ", penwidth=2" if iri == graph.centre.iri else ""
        lines.append(f"  {_q(e.id)} [label={_q(e.label)}, fillcolor={_q(COLOURS.get(e.kind, '#ffffff'))}{width}];")
    for s, label, o in sorted(graph.edges):
        lines.append(f"  {_q(graph.nodes[s].id)} -> {_q(graph.nodes[o].id)} [label={_q(label)}];")
    return "\n".join(lines + ["}", ""])


def _mermaid(graph: Graph) -> str:
    ids = {iri: re.sub(r"\W", "_", e.id) for iri, e in graph.nodes.items()}
    lines = ["graph LR"]
    for iri, e in sorted(graph.nodes.items()):
        label = e.label.replace('"', "'")
        lines.append(f'  {ids[iri]}["{label}"]:::{e.kind}')
    for s, label, o in sorted(graph.edges):
        lines.append(f"  {ids[s]} -->|{label}| {ids[o]}")
    for kind, colour in COLOURS.items():
        lines.append(f"  classDef {kind} fill:{colour},stroke:#555")
    return "\n".join(lines) + "\n"


def draw(graph: Graph, fmt: str) -> bytes:
    """The picture's bytes: DOT or Mermaid text, or SVG/PNG drawn by Graphviz's ``dot``."""
    if fmt not in FORMATS:
        raise Misuse(f"unknown graph format {fmt!r}; use {', '.join(FORMATS)}")
    if fmt in ("dot", "mermaid"):
        return render(graph, fmt).encode("utf-8")
    dot = shutil.which("dot")
    if dot is None:
        raise LegkgError("Graphviz's 'dot' is not installed (apt-get install graphviz); "
                         "--format dot or mermaid work without it")
    done = subprocess.run([dot, f"-T{fmt}"], input=_dot(graph).encode("utf-8"), capture_output=True, timeout=60)
    if done.returncode != 0:
        raise LegkgError(f"dot failed: {' '.join(done.stderr.decode(errors='replace').split())[:200]}")
    return done.stdout
