"""Quality checks: the QC queries in ``queries/qc`` and the SHACL shapes in ``ontology/shapes``.

Each QC query is named ``*-violation.rq`` and returns one row (``?entity ?message``) per
violation, so zero rows means the check passes. The SHACL shapes say what every
condition must carry; they run with pyshacl over the ontology plus its relation graph.

Example:
    >>> violations = validate()
    >>> violations
    []
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from legkg.core.resources import ontology_path, queries_dir
from legkg.store.canned import to_value
from legkg.store.local import LocalBackend, open_backend
from legkg.store.queries import CannedQuery, parse_query

COLUMNS = ["check", "entity", "message"]


@dataclass(frozen=True)
class Violation:
    """One failed check on one entity."""

    check: str
    entity: str
    message: str

    def row(self) -> dict:
        return {"check": self.check, "entity": self.entity, "message": self.message}


def shapes_path() -> Path:
    """The SHACL shapes file (beside the source ontology)."""
    return ontology_path().parent / "shapes" / "legkg-shapes.ttl"


def qc_queries() -> list[CannedQuery]:
    """Every QC query (``queries/qc/*-violation.rq``), sorted by name."""
    folder = queries_dir() / "qc"
    return [parse_query(p.stem, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*-violation.rq"))]


def run_qc(backend: LocalBackend) -> list[Violation]:
    """Run every QC query; each row is a violation."""
    out = []
    for q in qc_queries():
        check = q.name.removesuffix("-violation")
        for row in backend.select(q.text):
            out.append(Violation(check, str(to_value(row.get("entity"))), str(to_value(row.get("message")))))
    return out


def run_shacl(store: ox.Store, shapes: Path | None = None) -> list[Violation]:
    """Validate the store's default graph (ontology plus relation graph) against the SHACL shapes."""
    import rdflib

    from legkg.core.errors import require

    pyshacl = require("pyshacl", "SHACL validation")

    data = rdflib.Graph().parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()),
                                format="nt")
    shape_graph = rdflib.Graph().parse(shapes or shapes_path(), format="turtle")
    _, results, _ = pyshacl.validate(data, shacl_graph=shape_graph, advanced=False, inference="none",
                                     allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    out = []
    for result in results.subjects(rdflib.RDF.type, sh.ValidationResult):
        focus = results.value(result, sh.focusNode)
        message = results.value(result, sh.resultMessage)
        source = results.value(result, sh.sourceShape)
        node_shape = next(shape_graph.subjects(sh.property, source), source)
        label = shape_graph.value(node_shape, rdflib.RDFS.label)
        check = f"shacl-{str(label).replace(' ', '-')}" if label else "shacl"
        out.append(Violation(check, str(to_value(ox.NamedNode(str(focus)))), str(message)))
    return sorted(out, key=lambda v: (v.check, v.entity, v.message))


def validate(ontology: Path | None = None, shapes: Path | None = None) -> list[Violation]:
    """Run all QC queries and SHACL shapes over an ontology (the bundled one by default)."""
    backend = open_backend(ontology, asserted=True)  # the source as written, without inferences
    return run_qc(backend) + run_shacl(backend.store, shapes)
