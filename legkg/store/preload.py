"""Parse the bundled ontology's store on a second thread while the command line is still being read.

The RDF engine parses without holding Python's lock, so a query command's start-up (Click and
its own modules) and the parse of the cached store run side by side. The cache is read and
its checksum verified first, on the calling thread; only the parse runs on the other one.
Only reads: when the cache is missing, cut short or stale, the preload yields nothing and the
store is built the usual way; a store is handed over only to a command asking for the same
content key.

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
        self.source = None  # the legkg.store.source.Source parsed, when there is one
        self._store = None
        self._thread: threading.Thread | None = None
        try:
            from legkg.store.dump import cached_dump  # the engine and the cache alone: the parse starts soon
            from legkg.store.source import Source

            source = Source(quiet=True)
            data = None if source.stale else cached_dump(source)  # stale: the command warns and builds its own
        except Exception:  # noqa: BLE001 - the command opens the store itself and reports what went wrong
            return
        if data is not None:
            self.key, self.source = source.key, source
            self._thread = threading.Thread(target=self._parse, args=(data, source.inferred), name="legkg-preload",
                                            daemon=True)
            self._thread.start()

    def _parse(self, data: bytes, inferred: bytes) -> None:
        from legkg.store.dump import parse_dump

        try:
            self._store = parse_dump(data, inferred)
        except Exception:  # noqa: BLE001 - the command parses the store itself and reports what went wrong
            self._store = None

    def take(self, key: str):
        """The store parsed for ``key``, or None (the caller then parses it); waits for the thread."""
        self.wait()
        store, self._store = self._store, None
        return store if self.key == key else None

    def wait(self) -> None:
        """Wait until the thread has finished (before the process forks or exits)."""
        if self._thread is not None:
            self._thread.join()
