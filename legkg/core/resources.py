"""Locate the bundled ontology and canned queries.

Installed wheels ship them under ``legkg/data``; a source checkout (or an
editable install) reads them from the repository's ``ontology/`` and
``queries/`` folders.

Example:
    >>> ontology_path().name
    'legkg-edit.owl'
"""

from __future__ import annotations

import os.path

TYPE_CHECKING = False  # pathlib is loaded only by callers that want Path objects: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path

_PKG = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))  # the legkg package
_REPO = os.path.dirname(_PKG)


def _first(*candidates: str) -> str:
    for c in candidates:
        if os.path.exists(c):
            return c
    return candidates[-1]


def ontology_file() -> str:
    """The source ontology (RDF/XML), as a plain path string."""
    return _first(os.path.join(_PKG, "data", "legkg-edit.owl"), os.path.join(_REPO, "ontology", "legkg-edit.owl"))


def queries_folder() -> str:
    """The folder of canned ``.rq`` queries, as a plain path string."""
    return _first(os.path.join(_PKG, "data", "queries"), os.path.join(_REPO, "queries"))


def ontology_path() -> Path:
    """The source ontology (RDF/XML)."""
    from pathlib import Path

    return Path(ontology_file())


def queries_dir() -> Path:
    """The folder of canned ``.rq`` queries."""
    from pathlib import Path

    return Path(queries_folder())
