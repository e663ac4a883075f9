"""The export writer registry: each ``legkg export --format`` name, what it writes and how.

A format renders the ontology to one or more files; ``suffixes`` says which. A one-file
format writes the ``--output`` path as given; a format of several files (KGX nodes and
edges) takes ``--output`` as a prefix. Renderers are imported only when used, so this
module stays light enough for the command line to import at start.

Example:
    >>> EXPORTERS["kgx"].suffixes
    ('_nodes.tsv', '_edges.tsv')
    >>> sorted(EXPORTERS)[:3]
    ['jsonld', 'kgx', 'kgx-jsonl']
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its help text, renderer (``module:function``) and file suffixes."""

    name: str
    help: str
    renderer: str
    suffixes: tuple[str, ...] = ("",)

    @property
    def single_file(self) -> bool:
        return self.suffixes == ("",)

    @property
    def rdf(self) -> bool:
        """An RDF syntax, written for the published graph or (``source``) the ontology alone."""
        return self.renderer.startswith("legkg.publish.export:")

    def render(self, ontology: Path | None, source: bool = False, asserted: bool = False) -> dict[str, bytes]:
        """Render the ontology: file suffix -> content (suffix ``""`` for a one-file format)."""
        module, _, function = self.renderer.partition(":")
        render = getattr(importlib.import_module(module), function)
        return render(ontology, source, asserted) if self.rdf else render(ontology)

    def paths(self, output: str) -> list[str]:
        """The files written for ``--output``: the path itself, or the prefix plus each suffix."""
        return [output + s for s in self.suffixes]


EXPORTERS: dict[str, ExportFormat] = {f.name: f for f in [
    ExportFormat("ttl", "Turtle", "legkg.publish.export:render_ttl"),
    ExportFormat("owl", "RDF/XML", "legkg.publish.export:render_owl"),
    ExportFormat("nt", "N-Triples", "legkg.publish.export:render_nt"),
    ExportFormat("jsonld", "JSON-LD", "legkg.publish.export:render_jsonld"),
    ExportFormat("kgx", "KGX TSV for Biolink graphs: PREFIX_nodes.tsv and PREFIX_edges.tsv",
                 "legkg.publish.kgx:render_kgx_tsv", ("_nodes.tsv", "_edges.tsv")),
    ExportFormat("kgx-jsonl", "KGX JSON Lines: PREFIX_nodes.jsonl and PREFIX_edges.jsonl",
                 "legkg.publish.kgx:render_kgx_jsonl", ("_nodes.jsonl", "_edges.jsonl")),
    ExportFormat("obo", "OBO flat file 1.4 (oak, pronto, ROBOT)", "legkg.publish.obo:render_obo"),
    ExportFormat("obographs", "OBO Graphs JSON (oak, pronto, ROBOT)", "legkg.publish.obo:render_obographs"),
]}
