"""Parse the bundled ontology's store on a second thread while the command line is still being read.

The RDF engine parses without holding Python's lock, so a query command's start-up (Click and
its own modules) and the parse of the cached store run side by side. Only reads: when the
cache is missing, cut short or stale, the preload yields nothing and the store is built the
usual way; a store is handed over only to a command asking for the same content key.

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
        self._store = None
        self._thread = threading.Thread(target=self._run, name="legkg-preload", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            from legkg.store.local import cached_store
            from legkg.store.source import Source

            source = Source(quiet=True)
            if not source.stale:  # no current inferences: the command warns, and builds its own store
                self._store = cached_store(source)
                self.key = source.key
        except Exception:  # noqa: BLE001 - the command opens the store itself and reports what went wrong
            self._store = None

    def take(self, key: str):
        """The store parsed for ``key``, or None (the caller then parses it); waits for the thread."""
        self.wait()
        store, self._store = self._store, None
        return store if self.key == key else None

    def wait(self) -> None:
        """Wait until the thread has finished (before the process forks or exits)."""
        self._thread.join()
