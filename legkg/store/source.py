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

import os.path
import warnings

from legkg.core.errors import LegkgError
from legkg.core.resources import ontology_file, ontology_path, queries_folder
from legkg.store.files import content_key, read_input

TYPE_CHECKING = False  # pathlib is loaded only for a file given by the user: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path

SUFFIXES = (".owl", ".rdf", ".xml", ".ttl", ".nt", ".jsonld")  # the RDF files an ontology may be
RULES = ("relation-graph.ru", "closures.ru")  # applied in this order; each only adds edges
PUBLISHED_GRAPH = "https://w3id.org/legkg/graph"  # the published graph's own IRI: version and size
VOID = "http://rdfs.org/ns/void#"


class StaleInferences(UserWarning):
    """The ontology changed since its inferences were built: answers use the asserted axioms only."""


def read_ontology(path: Path | str) -> bytes:
    """An ontology file's bytes, bounded in size and read time (LegkgError otherwise)."""
    return read_input(path, "ontology")


def check_suffix(path: Path) -> None:
    """Refuse a file whose extension names no RDF syntax legkg reads."""
    if path.suffix.lower() not in SUFFIXES:
        raise LegkgError(f"{path}: unknown RDF file type {path.suffix!r}; use .owl, .ttl, .nt or .jsonld")


def _rules() -> list[bytes]:
    folder = os.path.join(queries_folder(), "internal")
    rules = []
    for name in RULES:
        with open(os.path.join(folder, name), "rb") as f:
            rules.append(f.read())
    return rules


class Source:
    """The files a store is built from (the ontology, the relation-graph rules, the inferences) and their key.

    ``stale`` is true when the ontology has no current inferences; a StaleInferences warning says
    so unless ``quiet``.
    """

    def __init__(self, path: Path | None = None, asserted: bool = False, quiet: bool = False) -> None:
        if path:
            from pathlib import Path

            path = Path(path)
            check_suffix(path)
            self.file, self.suffix = str(path), path.suffix
        else:  # the bundled ontology, named without pathlib
            self.file = ontology_file()
            self.suffix = os.path.splitext(self.file)[1]
        self._path = path or None
        self.data = read_ontology(self.file)
        self.rules = _rules()
        published = VOID.encode() in self.data and any(  # a published graph: its inferences are inside
            form in self.data for form in (b"<https://w3id.org/legkg/graph>", b'"https://w3id.org/legkg/graph"',
                                           b"legkg:graph "))
        self.stale = False
        self.inferred = b"" if asserted or published else self._inferred(quiet)
        parts = (self.data, *self.rules, self.suffix.lower().encode()) + ((self.inferred,) if self.inferred else ())
        self.key = content_key(*parts)

    @property
    def path(self) -> Path:
        """The ontology file."""
        if self._path is None:
            from pathlib import Path

            self._path = Path(self.file)
        return self._path

    def _inferred(self, quiet: bool) -> bytes:
        """The built inferences for this source, or nothing (with a warning) when none are current.

        The store never starts a reasoner: ``legkg build`` writes the inferences after an edit.
        """
        from legkg.store.artefacts import current_artefact, source_key

        current = current_artefact(source_key(self.data, self.suffix))
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
