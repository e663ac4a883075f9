"""Parse the bundled ontology's store on a second thread while the command line is still being read.

The RDF engine parses without holding Python's lock, so a query command's start-up (Click and
its own modules) and the parse of the cached store run side by side. The thread starts at once
and does all the store's work itself: it imports the engine, reads the cache and verifies its
checksum, then parses, so the command's own start-up is not kept waiting. Only reads: when the
cache is missing, cut short or stale, the preload yields nothing and the store is built the usual
way; a store is handed over only to a command asking for the same content key.

Example:
    >>> from legkg.store.source import Source
    >>> Preload().take(Source().key) is not None
    True
"""

from __future__ import annotations

import threading


class Preload:
    """The bundled ontology's derived store, parsed from its cache on a background thread."""

    def __init__(self) -> None:
        self.key: str | None = None
        self._source = None  # the legkg.store.source.Source parsed, when there is one
        self._store = None
        self._read = threading.Event()  # set once the source is known (or known to be unusable)
        self._thread = threading.Thread(target=self._work, name="legkg-preload", daemon=True)
        self._thread.start()

    def _work(self) -> None:
        try:
            from legkg.store.local import cached_dump, parse_dump
            from legkg.store.source import Source

            source = Source(quiet=True)
            data = None if source.stale else cached_dump(source)  # stale: the command warns and builds its own
        except Exception:  # noqa: BLE001 - the command opens the store itself and reports what went wrong
            data = None
        if data is None:
            self._read.set()
            return
        self.key, self._source = source.key, source
        self._read.set()
        try:
            self._store = parse_dump(data, source.inferred)
        except Exception:  # noqa: BLE001 - the command parses the store itself and reports what went wrong
            self._store = None

    @property
    def source(self):
        """The :class:`legkg.store.source.Source` being parsed, or None; waits until it has been read."""
        self._read.wait()
        return self._source

    def take(self, key: str):
        """The store parsed for ``key``, or None (the caller then parses it); waits for the thread."""
        self.wait()
        store, self._store = self._store, None
        return store if self.key == key else None

    def wait(self) -> None:
        """Wait until the thread has finished (before the process forks or exits)."""
        self._thread.join()
