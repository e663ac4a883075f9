"""Web pages over the ontology: a page per term at the path of its IRI, a landing page, query pages.

``handle`` answers one GET or HEAD request (None: no such page, so 404); the
server in :mod:`legkg.publish.serve` calls it for every request that is not
the SPARQL endpoint. ``configure`` chooses the ontology and the runner of
users' raw queries (the endpoint's workers). :func:`legkg.publish.web.static.write_site`
writes the same pages as files. Templates and assets ship in this package.

May import ``legkg.answers``, ``legkg.vocab``, ``legkg.reasoning``, ``legkg.store`` and ``legkg.core``.

Example:
    >>> status, headers, body = handle("GET", "/legkg/Sciatica", "", {"Accept": "text/html"})
    >>> status, b"sciatica" in body
    (200, True)
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path

from legkg.publish.web.app import Site
from legkg.publish.web.common import Response, Runner

__all__ = ["Site", "configure", "handle", "warm"]

_lock = threading.Lock()
_site: Site | None = None


def configure(ontology: Path | None = None, runner: Runner | None = None) -> Site:
    """Serve the pages of this ontology (the bundled one by default); raw queries go to ``runner``."""
    global _site
    with _lock:
        _site = Site(ontology, runner)
        return _site


def warm() -> None:
    """Render every page in the background (one thread), so that readers find them made."""
    (_site or configure()).warm(threads=1)


def handle(method: str, path: str, query: str, headers: Mapping[str, str]) -> Response | None:
    """Answer a request for a page: (status, headers, body), or None when ``path`` is not a page."""
    global _site
    site = _site
    if site is None:
        with _lock:
            if _site is None:
                _site = Site()
            site = _site
    return site.handle(method, path, query, headers)
