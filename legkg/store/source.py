"""What the embedded store is built from, and its cache key, known without parsing anything.

The ontology's bytes, the relation-graph rules and the current inferences are read and
checksummed (cheap); the key names the derived store and term index cached under it. Nothing
here imports the RDF engine, so the term index can be read by a command that never opens
the store.

Example:
    >>> Source().key.endswith("-0.1.0")
    True
"""

from __future__ import annotations

import warnings
from pathlib import Path

from legkg.core.errors import LegkgError
from legkg.core.resources import ontology_path, queries_dir
from legkg.store.files import content_key, read_input

SUFFIXES = (".owl", ".rdf", ".xml", ".ttl", ".nt", ".jsonld")  # the RDF files an ontology may be
RULES = ("relation-graph.ru", "closures.ru")  # applied in this order; each only adds edges
PUBLISHED_GRAPH = "https://w3id.org/legkg/graph"  # the published graph's own IRI: version and size
VOID = "http://rdfs.org/ns/void#"


class StaleInferences(UserWarning):
    """The ontology changed since its inferences were built: answers use the asserted axioms only."""


def read_ontology(path: Path) -> bytes:
    """An ontology file's bytes, bounded in size and read time (LegkgError otherwise)."""
    return read_input(path, "ontology")


def check_suffix(path: Path) -> None:
    """Refuse a file whose extension names no RDF syntax legkg reads."""
    if path.suffix.lower() not in SUFFIXES:
        raise LegkgError(f"{path}: unknown RDF file type {path.suffix!r}; use .owl, .ttl, .nt or .jsonld")


def _rules() -> list[bytes]:
    return [(queries_dir() / "internal" / name).read_bytes() for name in RULES]


class Source:
    """The files a store is built from (the ontology, the relation-graph rules, the inferences) and their key.

    ``stale`` is true when the ontology has no current inferences; a StaleInferences warning says
    so unless ``quiet``.
    """

    def __init__(self, path: Path | None = None, asserted: bool = False, quiet: bool = False) -> None:
        path = Path(path) if path else ontology_path()
        check_suffix(path)
        self.data = read_ontology(path)
        self.path = path
        self.rules = _rules()
        published = VOID.encode() in self.data and any(  # a published graph: its inferences are inside
            form in self.data for form in (b"<https://w3id.org/legkg/graph>", b'"https://w3id.org/legkg/graph"',
                                           b"legkg:graph "))
        self.stale = False
        self.inferred = b"" if asserted or published else self._inferred(quiet)
        parts = (self.data, *self.rules, path.suffix.lower().encode()) + ((self.inferred,) if self.inferred else ())
        self.key = content_key(*parts)

    def _inferred(self, quiet: bool) -> bytes:
        """The built inferences for this source, or nothing (with a warning) when none are current.

        The store never starts a reasoner: ``legkg build`` writes the inferences after an edit.
        """
        from legkg.store.artefacts import current_artefact, source_key

        current = current_artefact(source_key(self.data, self.path.suffix))
        if current is not None:
            return current
        self.stale = True
        if not quiet:
            path = self.path
            warnings.warn(StaleInferences(
                f"{path.name} changed since its inferences were built, so answers use the asserted axioms only; "
                f"run 'legkg{'' if path == ontology_path() else f' --ontology {path}'} build' to add the "
                "reasoner's"), stacklevel=3)
        return b""
