"""Build the inferred artefact: reason once and write the inferences the store loads.

The store never reasons: after an edit it answers from the asserted axioms and says so, until
``legkg build`` (this module) writes an artefact keyed by the source's content:
``ontology/inferred/legkg-inferred.nq`` for the bundled ontology, else the user cache.

Example:
    >>> blob = inferred_quads(None, ontology_path().read_bytes())  # doctest: +SKIP
    >>> blob.startswith(b"# legkg-inferred")  # doctest: +SKIP
    True
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from legkg.core.errors import LegkgError, Misuse
from legkg.core.resources import ontology_path
from legkg.reasoning.jvm import find_java
from legkg.reasoning.reason import (
    INFERRED_GRAPH,
    LEGKG,
    RDF,
    RDFS,
    REASONERS,
    Progress,
    ReasonerUnavailable,
    Result,
    _source,
    reason,
)
from legkg.store.artefacts import END as _END
from legkg.store.artefacts import HEADER as _HEADER
from legkg.store.artefacts import bundled_artefact, current_artefact, read_key, source_key
from legkg.store.files import atomic_write, cache_dir


def _artefact_bytes(key: str, result: Result) -> bytes:
    lines = [f"{_HEADER}{key} reasoner={result.reasoner}"]
    sub = f"<{RDFS}subClassOf>"
    note = f'"inferred by the reasoner ({result.reasoner}), not asserted; \'legkg explain\' shows why"@en'
    for n, (c, d) in enumerate(result.hierarchy):
        lines.append(f"<{c}> {sub} <{d}> .")
        ax = f"_:inferred{n}"  # reified like the asserted facts, so 'legkg describe' can say where it comes from
        lines += [f"{ax} <{RDF}subject> <{c}> .", f"{ax} <{RDF}predicate> {sub} .", f"{ax} <{RDF}object> <{d}> .",
                  f"{ax} <{LEGKG}background> {note} ."]
    for i, t in result.types:
        lines.append(f"<{i}> <{RDF}type> <{t}> .")
    for s, p, o in result.facts:
        lines.append(f"<{s}> <{p}> <{o}> <{INFERRED_GRAPH}> .")
    return ("\n".join(lines) + "\n").encode("utf-8") + _END


def materialise(path: Path | None = None, reasoner: str = "hermit", timeout: float = 120.0,
                progress: Progress | None = None) -> tuple[bytes, Result]:
    """Reason once and return the artefact (N-Quads: hierarchy and types in the default graph,
    property facts in ``legkg:graph/inferred``) and the result.

    Example:
        >>> data, result = materialise()  # doctest: +SKIP
        >>> data.startswith(b"# legkg-inferred")  # doctest: +SKIP
        True
    """
    path, data = _source(path)
    result = reason(path, reasoner=reasoner, timeout=timeout, progress=progress)
    key = source_key(data, path.suffix)
    if not result.consistent:
        raise LegkgError(f"{path} is inconsistent, so no inferences are loaded: run 'legkg --ontology {path} reason' "
                         "for the explanation, or query with --asserted")
    return _artefact_bytes(key, result), result


def inferred_quads(path: Path | None, data: bytes, progress: Progress | None = None,
                   reasoner: str | None = None, timeout: float | None = None) -> bytes:
    """The current inferences for this source: the committed artefact, the cache, or a new run.

    Never stale: an artefact is used only if its first line names this source's key (its bytes
    and file type). Without Java, a new run uses the OWL 2 RL fallback, except for the bundled
    ontology, whose stale artefact is an error rather than a silently weaker answer.
    ``LEGKG_REASONER`` (hermit, pellet, rl) and ``LEGKG_REASON_TIMEOUT`` choose the run.
    """
    suffix = Path(path).suffix if path else ontology_path().suffix
    key = source_key(data, suffix)
    bundled = bundled_artefact()
    cached = cache_dir() / f"inferred-{key}.nq"
    current = current_artefact(key)
    if current is not None:
        return current
    chosen = (reasoner or os.environ.get("LEGKG_REASONER", "")).strip().lower()
    if chosen and chosen not in REASONERS:
        raise Misuse(f"LEGKG_REASONER={chosen!r} is not a reasoner; use {', '.join(REASONERS)}")
    if not chosen:
        is_bundled = path is None or Path(path).resolve() == ontology_path().resolve()
        if find_java(8) is None:
            if is_bundled:
                raise ReasonerUnavailable(
                    f"the inferences in {bundled} are stale for the edited ontology and no Java was found to "
                    "rebuild them: install Java, set LEGKG_REASONER=rl for the weaker OWL 2 RL fallback, or "
                    "query with --asserted")
            chosen = "rl"
        else:
            chosen = "hermit"
    timeout = timeout or _env_seconds("LEGKG_REASON_TIMEOUT", 300.0)
    blob, _ = materialise(path, reasoner=chosen, timeout=timeout, progress=progress)
    with contextlib.suppress(OSError):  # a read-only cache only costs speed
        atomic_write(cached, blob)
    return blob


def write_bundled_artefact(progress: Progress | None = None, timeout: float = 300.0) -> Path:
    """Rebuild ``ontology/inferred/legkg-inferred.nq`` for the bundled ontology (needs Java).

    Example:
        legkg reason --write-artefact
    """
    blob, _ = materialise(None, timeout=timeout, progress=progress)
    target = bundled_artefact()
    try:
        atomic_write(target, blob)
    except OSError as e:
        raise LegkgError(f"cannot write {target}: {e.strerror or e}; the old artefact is unchanged "
                         "(run it from a source checkout you can write to)") from None
    return target


def build(path: Path | None = None, reasoner: str | None = None, timeout: float = 300.0,
          progress: Progress | None = None) -> tuple[bool, Path]:
    """Make the inferences for an ontology current; return whether it reasoned and where they are.

    Nothing runs when a current artefact exists (committed or cached). Otherwise the reasoner
    (``reasoner``, else ``LEGKG_REASONER``, else HermiT, or OWL 2 RL without Java for another
    ontology) runs once and the artefact is cached, keyed by the source's content.

    Example:
        >>> build()  # doctest: +SKIP
        (False, PosixPath('.../ontology/inferred/legkg-inferred.nq'))
    """
    path = Path(path) if path else ontology_path()
    from legkg.store.local import read_ontology

    data = read_ontology(path)
    key = source_key(data, path.suffix)
    if current_artefact(key) is not None:
        where = bundled_artefact() if read_key(bundled_artefact()) == key else cache_dir() / f"inferred-{key}.nq"
        return False, where
    inferred_quads(path, data, progress, reasoner=reasoner, timeout=timeout)
    return True, cache_dir() / f"inferred-{key}.nq"


def _env_seconds(name: str, default: float) -> float:
    """A positive, finite number of seconds from the environment (Misuse otherwise)."""
    import math

    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise Misuse(f"{name}={text!r} is not a positive number of seconds")
    return value
