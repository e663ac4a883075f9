"""What the page modules share: the response type, media types and the site interface the query pages use.

Example:
    >>> RESULT_FORMATS["csv"]
    'CSV'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

Response = tuple[int, dict[str, str], bytes]
# Runs a raw SPARQL query: (query, results format, graph format) -> (status, media type, body, note).
Runner = Callable[[str, str, str], tuple[int, str, bytes, str]]
HTML = "text/html; charset=utf-8"
ONTOLOGY_NAME = "legkg"  # https://w3id.org/legkg/legkg.owl is the ontology IRI
RESULT_FORMATS = {"json": "SPARQL JSON", "xml": "SPARQL XML", "csv": "CSV", "tsv": "TSV"}
ASSETS = {"style.css": "text/css; charset=utf-8", "search.js": "text/javascript; charset=utf-8",
          "favicon.svg": "image/svg+xml"}


class Pages(Protocol):
    """The parts of :class:`legkg.publish.web.app.Site` that page modules use."""

    backend: Any
    index: Any
    static: bool
    runner: Runner | None

    def term_href(self, value_id: str | None, root: str = "../") -> str | None: ...

    def render(self, template: str, root: str, **values: Any) -> bytes: ...

    def cached(self, key: tuple, make: Callable[[], Response], typed: bool = False) -> Response: ...
