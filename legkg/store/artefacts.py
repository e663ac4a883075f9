"""Find a current inferred-facts artefact without loading the reasoning code.

The query path needs only this: read the first line of the committed artefact
(or the cached one), compare its source key with the source's, and use it if it
matches. Building a new artefact is :mod:`legkg.reasoning.reason`'s job.

Example:
    >>> source_key(b"abc").endswith("-0.1.0")
    True
"""

from __future__ import annotations

import contextlib

TYPE_CHECKING = False  # pathlib is loaded only where a Path is made: start-up stays light
if TYPE_CHECKING:
    from pathlib import Path

ARTEFACT_NAME = "legkg-inferred.nq"
HEADER = "# legkg-inferred source-key="
END = b"# legkg: end of inferences\n"


def source_key(data: bytes, suffix: str = ".owl") -> str:
    """The key of an ontology source (its bytes and file type) for inferred artefacts."""
    from legkg.store.files import content_key

    return content_key(data, suffix.lower().encode("utf-8"), b"inferred-v1")


def bundled_artefact() -> Path:
    """Where the committed artefact of the bundled ontology lives (``ontology/inferred``)."""
    from legkg.core.resources import ontology_path

    return ontology_path().parent / "inferred" / ARTEFACT_NAME


def cached_artefact(key: str) -> Path:
    """Where an artefact built on this machine for a source with this key is cached."""
    from legkg.store.files import cache_dir

    return cache_dir() / f"inferred-{key}.nq"


def read_key(path: Path | str) -> str | None:
    """The source key written in an artefact's first line, or None."""
    try:
        with open(path, "rb") as f:
            first = f.readline().decode("utf-8", "replace").strip()
    except OSError:
        return None
    if not first.startswith(HEADER):
        return None
    return first[len(HEADER):].split()[0]


def current_artefact(key: str) -> bytes | None:
    """The committed or cached inferences for a source with this key, if one is whole and current."""
    import os.path

    from legkg.core.resources import ontology_file
    from legkg.store.files import cache_file

    bundled = os.path.join(os.path.dirname(ontology_file()), "inferred", ARTEFACT_NAME)  # as bundled_artefact()
    for candidate in (bundled, cache_file(f"inferred-{key}.nq")):  # cached_artefact(key), without pathlib
        if read_key(candidate) == key:
            with contextlib.suppress(OSError), open(candidate, "rb") as f:
                blob = f.read()
                if blob.endswith(END):
                    return blob
    return None
