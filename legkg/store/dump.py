"""The derived store's cache: its N-Triples read and checked, and parsed; all the preload needs.

Kept apart from :mod:`legkg.store.local` so that the second thread of :mod:`legkg.store.preload`
starts parsing after importing only the RDF engine and the cache's file helpers.

Example:
    >>> from legkg.store.source import Source
    >>> len(parse_dump(cached_dump(Source()))) > 1000
    True
"""

from __future__ import annotations

import pyoxigraph as ox

from legkg.store.files import cache_file, unseal

TYPE_CHECKING = False  # typing is not imported: the preload starts sooner
if TYPE_CHECKING:
    from legkg.store.source import Source

MARKER = "legkg: end of derived store"  # the seal's marker on the cached N-Triples


def cached_dump(source: Source) -> bytes | None:
    """The cached N-Triples of the derived store, if legkg wrote them and they are whole and unchanged
    (their checksum matches); None otherwise."""
    try:
        with open(cache_file(f"{source.key}.nt"), "rb") as f:
            return unseal(f.read(), MARKER) or None
    except OSError:
        return None


def parse_dump(data: bytes, inferred: bytes = b"") -> ox.Store:
    """A store from the cached N-Triples, parsed without re-validation, plus the inferred facts' graph.

    The engine does not hold Python's lock while parsing, so another thread can run meanwhile.
    """
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES, lenient=True)
    if inferred:  # the default graph's share is in the dump; this adds the inferred facts' graph
        store.extend(q for q in ox.parse(inferred, format=ox.RdfFormat.N_QUADS, lenient=True)
                     if not isinstance(q.graph_name, ox.DefaultGraph))
    return store
