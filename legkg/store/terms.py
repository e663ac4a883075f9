"""Resolve what users type (label, synonym, CURIE or IRI) to ontology entities.

Example:
    >>> from legkg.store.local import open_backend
    >>> index = TermIndex.load(open_backend())
    >>> index.resolve("pins and needles", kinds={"symptom"}).label
    'tingling'
"""

from __future__ import annotations

import contextlib
import marshal
import re
import sys

from legkg.core.errors import AmbiguousTerm, Misuse, QueryFailed, UnknownTerm
from legkg.core.prefixes import PREFIXES, curie, expand

TYPE_CHECKING = False  # neither typing nor the RDF engine is loaded to read the index
if TYPE_CHECKING:
    from pathlib import Path

    from legkg.store.local import Backend

KINDS = ("anatomy", "condition", "mechanism", "symptom", "situation", "care", "urgency",
         "frequency", "onset", "severity")
_CURIE = re.compile(r"^[A-Za-z][\w.-]*:[^\s:<>\"{}|\\^`]+$")
ROW_COLUMNS = ("id", "label", "kind", "synonyms")  # the columns of TermIndex.rows, as `legkg terms` lists them
_HYPHENS = str.maketrans({"-": " ", "‐": " ", "–": " ", "’": "'", "‘": "'", "_": " "})


class Entity:
    """One entity: its IRI, label, kind and synonyms."""

    __slots__ = ("iri", "label", "kind", "synonyms")

    def __init__(self, iri: str, label: str, kind: str, synonyms: tuple[str, ...] = ()) -> None:
        self.iri, self.label, self.kind, self.synonyms = iri, label, kind, tuple(synonyms)

    def __repr__(self) -> str:
        return f"Entity({self.iri!r}, {self.label!r}, {self.kind!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Entity) and other.iri == self.iri

    def __hash__(self) -> int:
        return hash(self.iri)

    @property
    def id(self) -> str:
        return curie(self.iri)


def normalise(text: str) -> str:
    """Fold case, hyphens and spacing: ``'Bone-on-Bone  Friction'`` -> ``'bone on bone friction'``."""
    return " ".join(text.translate(_HYPHENS).casefold().split())


def singulars(text: str) -> list[str]:
    """Possible singular forms of a phrase's last word: ``'pinches'`` -> ``['pinche', 'pinch']``."""
    words = text.split()
    if not words:
        return []
    w, head = words[-1], words[:-1]
    found = []
    if len(w) > 4 and w.endswith("ies"):
        found.append(w[:-3] + "y")
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        found.append(w[:-1])
        if w.endswith("es"):
            found.append(w[:-2])
    return [" ".join(head + [f]) for f in found]


def _or_list(items: list[str]) -> str:
    quoted = [f"'{i}'" for i in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


class TermIndex:
    """Labels and synonyms of every entity, for lookup and suggestions."""

    def __init__(self, entities: list[Entity]) -> None:
        self.entities = {e.iri: e for e in entities}
        self.backend: Backend | None = None
        self._tables: tuple[dict[str, list[tuple[Entity, bool]]], ...] | None = None
        self._cached_tables: tuple[list, list] | None = None  # as read from the cache, made into tables when used

    def _name_tables(self) -> tuple[dict[str, list[tuple[Entity, bool]]], ...]:
        """Entities by normalised name, and by the singular of a name ('cog wheel' for 'cog wheels').

        Built on the first look-up (from the cache's copy when there is one): a search needs neither.
        """
        if self._tables is None and self._cached_tables is not None:
            get = self.entities.__getitem__
            self._tables = tuple({k: [(get(iri), label) for iri, label in bucket] for k, bucket in table}
                                 for table in self._cached_tables)
        if self._tables is None:
            names: dict[str, list[tuple[Entity, bool]]] = {}
            singular_names: dict[str, list[tuple[Entity, bool]]] = {}
            for e in self.entities.values():
                for name, is_label in [(e.label, True)] + [(s, False) for s in e.synonyms]:
                    key = normalise(name)
                    for table, k in [(names, key)] + [(singular_names, c) for c in singulars(key)]:
                        bucket = table.setdefault(k, [])
                        if all(x.iri != e.iri for x, _ in bucket):
                            bucket.append((e, is_label))
            self._tables = (names, singular_names)
        return self._tables

    @classmethod
    def load(cls, backend: Backend) -> TermIndex:
        """Read the index from a backend (cached beside a local store, and kept on the backend once read)."""
        index = getattr(backend, "term_index", None)
        if isinstance(index, cls):
            return index
        index = cls._load(backend)
        index.backend = backend  # codes of mapped vocabularies (ICD10CM:M54.30) are looked up in it on demand
        with contextlib.suppress(AttributeError):
            backend.term_index = index
        return index

    @classmethod
    def cached(cls, key: str) -> TermIndex | None:
        """The index cached beside the store with this key, if it is there, whole and unchanged.

        Reads one small file: neither the store nor the RDF engine is loaded, and the name tables
        come ready-made.
        """
        from legkg.store.files import unseal

        try:
            with open(_cache_path(key), "rb") as f:
                data = unseal(f.read(), _MARKER)  # its check is verified before it is read
            if data:
                entities, names, singular_names = marshal.loads(data)
                index = cls([Entity(*e) for e in entities])
                if index.entities:
                    index._cached_tables = (names, singular_names)
                    return index
        except (OSError, ValueError, TypeError, KeyError, EOFError):
            pass
        return None

    def _dump(self) -> bytes:
        """The entities and name tables, as :meth:`cached` reads them."""
        tables = [[(k, [(e.iri, label) for e, label in bucket]) for k, bucket in table.items()]
                  for table in self._name_tables()]
        data = marshal.dumps(([(e.iri, e.label, e.kind, e.synonyms) for e in self.entities.values()], *tables))
        return data + b"\n"  # the seal's marker starts a line; marshal ignores what follows its data

    @classmethod
    def _load(cls, backend: Backend) -> TermIndex:
        key = getattr(backend, "cache_key", None)
        if key:
            from legkg.store.files import atomic_write, seal

            index = cls.cached(key)
            if index is not None:
                return index
            index = cls._query(backend)
            with contextlib.suppress(OSError):
                atomic_write(_cache_path(key), seal(index._dump(), _MARKER))
            return index
        return cls._query(backend)

    @classmethod
    def _query(cls, backend: Backend) -> TermIndex:
        from legkg.store.queries import internal_query

        found: dict[str, dict] = {}
        for row in backend.select(internal_query("term-index")):
            if not {"entity", "label", "kind"} <= row.keys():
                raise QueryFailed(f"{backend.label} answered the term index query without ?entity, ?label and ?kind "
                                  "in every row; is it serving the legkg ontology?")
            iri = row["entity"].value
            item = found.setdefault(iri, {"label": row["label"].value, "kind": row["kind"].value,
                                          "synonyms": []})
            syn = row.get("synonym")
            if syn is not None and syn.value not in item["synonyms"]:
                item["synonyms"].append(syn.value)
        return cls([Entity(i, d["label"], d["kind"], tuple(sorted(d["synonyms"], key=str.casefold)))
                    for i, d in sorted(found.items())])

    def get(self, iri: str) -> Entity | None:
        return self.entities.get(iri)

    def resolve(self, text: str, kinds: set[str] | frozenset[str] | None = None,
                role: str | None = None) -> Entity:
        """Find the one entity ``text`` names, among ``kinds`` if given.

        Raises UnknownTerm (with suggestions), AmbiguousTerm (with candidates) or
        Misuse for an empty value.
        """
        role = role or ("/".join(sorted(kinds)) if kinds else "term")
        if not text.strip():
            what = "term" if role == "term" else f"{role} term"
            raise Misuse(f"empty {what}; give a label, synonym, CURIE or IRI")
        if "\x00" in text or len(text) > 1000:
            raise UnknownTerm(f"unknown {role} {_short(text)!r}; terms are short names such as 'sciatica'")
        iri = self._as_iri(text.strip())
        if iri is not None:
            e = self.entities.get(iri)
            if e is None:
                raise UnknownTerm(f"no entity with the IRI <{iri}> in the ontology")
            return self._check_kind(e, kinds, role, text)
        key = normalise(text)
        hits = self._lookup(key)
        allowed = [(e, lab) for e, lab in hits if not kinds or e.kind in kinds]
        if not allowed:
            if hits:
                e = hits[0][0]
                raise UnknownTerm(f"{text.strip()!r} is {_a(e.kind)} ({e.label}), not {_a(role)} term")
            raise UnknownTerm(self._unknown_message(text, kinds, role))
        labelled = [e for e, lab in allowed if lab]
        if len(labelled) == 1:
            return labelled[0]
        if len(allowed) == 1:
            return allowed[0][0]
        cands = "; ".join(f"{e.id} ({e.label}, {e.kind})" for e, _ in allowed)
        raise AmbiguousTerm(f"{text.strip()!r} is ambiguous: it names {cands}; use one of the ids")

    def _lookup(self, key: str) -> list[tuple[Entity, bool]]:
        """Entities named ``key``: exactly, then as the singular of a name, then in the singular."""
        for k in (key, *singulars(key)):
            for table in self._name_tables():
                if k in table:
                    return table[k]
        return []

    def _as_iri(self, text: str) -> str | None:
        if text.startswith("<") and text.endswith(">"):
            return text[1:-1]
        if re.match(r"^https?://\S+$", text):
            return text
        if _CURIE.match(text) and not text.lower().startswith(("http:", "https:")):
            iri = expand(text)
            if iri is None and self.backend is not None:
                from legkg.store.codes import resolve_code

                iri = resolve_code(self.backend, text)
            if iri is None:
                prefix = text.split(":", 1)[0]
                from legkg.store.codes import VOCABULARIES

                known = ", ".join(sorted(PREFIXES)) + "; mapped vocabularies: " + ", ".join(VOCABULARIES)
                raise UnknownTerm(f"unknown prefix {prefix!r} in {text!r}; known prefixes: {known}")
            return iri
        return None

    @staticmethod
    def _check_kind(e: Entity, kinds, role: str, text: str) -> Entity:
        if kinds and e.kind not in kinds:
            raise UnknownTerm(f"{text.strip()!r} is {_a(e.kind)} ({e.label}), not {_a(role)} term")
        return e

    def _unknown_message(self, text: str, kinds, role: str) -> str:
        names: dict[str, str] = {}
        for key, bucket in self._name_tables()[0].items():
            for e, _ in bucket:
                if not kinds or e.kind in kinds:
                    names.setdefault(key, e.label)
        import difflib

        close = difflib.get_close_matches(normalise(text), list(names), n=6, cutoff=0.6)
        labels = list(dict.fromkeys(names[c] for c in close))[:3]
        msg = f"unknown {role} {_short(text.strip())!r}"
        if labels:
            return f"{msg}; did you mean {_or_list(labels)}?"
        hint = f" --kind {next(iter(kinds))}" if kinds and len(kinds) == 1 else ""
        return f"{msg}; list the known terms with 'legkg terms{hint}'"

    def search(self, text: str | None = None, kind: str | None = None) -> list[Entity]:
        """Entities whose label or a synonym contains ``text`` (all if None), sorted by label."""
        needle = normalise(text) if text else ""
        out = []
        for e in self.entities.values():
            if kind and e.kind != kind:
                continue
            if needle and not any(needle in normalise(n) for n in (e.label, *e.synonyms)):
                continue
            out.append(e)
        return sorted(out, key=lambda e: (e.label.casefold(), e.iri))

    def rows(self, text: str | None = None, kind: str | None = None) -> list[dict]:
        """What ``legkg terms`` lists: the matches of :meth:`search` as rows of id, label, kind and synonyms."""
        return [{"id": e.id, "label": e.label, "kind": e.kind, "synonyms": "; ".join(e.synonyms)}
                for e in self.search(text, kind)]


_MARKER = "legkg: end of term index"


def _cache_path(key: str) -> str:
    """Where the term index of the store with this key is cached: marshal data, so per Python version."""
    from legkg.store.files import cache_file

    return cache_file(f"{key}.terms.{sys.implementation.cache_tag}.marshal")


def embedded_index(ontology: Path | None = None, asserted: bool = False, quiet: bool = False,
                   build: bool = True) -> TermIndex | None:
    """The term index of the embedded store over an ontology, read from its cache when it is there.

    Only when it is not is the store opened (and the index cached); with ``build`` false, None is
    returned instead. A StaleInferences warning says when the ontology's inferences are not built,
    unless ``quiet``.

    Example:
        >>> embedded_index().resolve("numbness").id
        'legkg:Numbness'
    """
    from legkg.store.source import Source

    source = Source(ontology, asserted, quiet=quiet)
    index = TermIndex.cached(source.key)
    if index is None and build:
        from legkg.store.local import open_backend

        index = TermIndex.load(open_backend(ontology, asserted, source=source))
    return index


def _a(word: str) -> str:
    """``'anatomy'`` -> ``'an anatomy'``."""
    return f"{'an' if word[:1] in 'aeiou' else 'a'} {word}"


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
