"""Locate the bundled ontology and canned queries.

Installed wheels ship them under ``legkg/data``; a source checkout (or an
editable install) reads them from the repository's ``ontology/`` and
``queries/`` folders.

Example:
    >>> ontology_path().name
    'legkg-edit.owl'
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent.parent  # the legkg package
_REPO = _PKG.parent


def _first(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    return candidates[-1]


def ontology_path() -> Path:
    """The source ontology (RDF/XML)."""
    return _first(_PKG / "data" / "legkg-edit.owl", _REPO / "ontology" / "legkg-edit.owl")


def queries_dir() -> Path:
    """The folder of canned ``.rq`` queries."""
    return _first(_PKG / "data" / "queries", _REPO / "queries")
