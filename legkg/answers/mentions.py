"""Find the ontology entities mentioned in free text.

Longest match first over word n-grams of a question, tolerant of case,
hyphens, simple plurals, word order and small typos. Generic words that name a
whole kind ("condition", "symptom", "care") are left to the question patterns.

Example:
    >>> from legkg.store.local import open_backend
    >>> from legkg.store.terms import TermIndex
    >>> linker = Linker(TermIndex.load(open_backend()))
    >>> [m.entity.label for m in linker.link("Which conditions affecting the sciatc nerve cause numbness?")]
    ['sciatic nerve', 'numbness']
"""

from __future__ import annotations

import re

from legkg.core.prefixes import LEGKG
from legkg.store.terms import Entity, TermIndex, normalise, singulars

ROOTS = {LEGKG + n for n in ("AnatomicalEntity", "Condition", "Mechanism", "ClinicalFinding", "Situation",
                             "CareOption", "UrgencyLevel", "Frequency", "Onset", "Activity", "Movement")}
FUNCTION_WORDS = {"a", "an", "the", "of", "in", "on", "is", "are", "be", "to", "and", "or", "with", "what", "which",
                  "that", "does", "do", "can", "it", "for", "me", "about", "how", "when", "where", "why", "should",
                  "could", "would", "have", "has", "get", "make", "makes", "by", "at", "from", "there"}
KIND_WORDS = {"cause", "causes", "sign", "signs", "symptom", "symptoms", "condition", "conditions", "care",
              "treatment", "worse", "better", "i", "my", "your"}
STOPWORDS = FUNCTION_WORDS | KIND_WORDS
FILLER = {"i", "my", "your", "the", "a", "an"}
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def tokens(text: str) -> list[str]:
    """The words of a text as the linker counts them (a mention's start and end index this list).

    Example:
        >>> tokens("I can't lift my leg!")
        ['i', 'cant', 'lift', 'my', 'leg']
    """
    return _WORD.findall(normalise(text).replace("'", ""))


class Mention:
    """An entity found in the text, with the words that named it."""

    __slots__ = ("entity", "text", "start", "end", "fuzzy", "alternatives")

    def __init__(self, entity: Entity, text: str, start: int, end: int, fuzzy: bool,
                 alternatives: list[Entity] | None = None) -> None:
        self.entity, self.text, self.start, self.end, self.fuzzy = entity, text, start, end, fuzzy
        self.alternatives = alternatives or []  # other entities the words name just as well

    def __repr__(self) -> str:
        return f"Mention({self.entity.label!r} from {self.text!r})"


def _keys(name: str) -> set[str]:
    norm = normalise(name).replace("'", "")
    words = [w for w in _WORD.findall(norm) if w not in FILLER] or _WORD.findall(norm)
    joined = " ".join(words)
    return {joined, " ".join(sorted(words))}


class Linker:
    """Entity linking against labels and synonyms."""

    def __init__(self, index: TermIndex, max_words: int = 9) -> None:
        self.index = index
        self.max_words = max_words
        self.names: dict[str, list[Entity]] = {}
        for e in index.entities.values():
            if e.iri in ROOTS:
                continue
            for name in (e.label, *e.synonyms):
                for key in _keys(name):
                    if key and key not in STOPWORDS:
                        bucket = self.names.setdefault(key, [])
                        if e not in bucket:
                            bucket.append(e)

    @property
    def _keys_list(self) -> list[str]:
        if not hasattr(self, "_keys_cache"):
            self._keys_cache = [k for k in self.names if len(k) >= 4]
        return self._keys_cache

    def link(self, text: str) -> list[Mention]:
        """Entities mentioned in ``text``, in order, longest match first, no overlaps."""
        words = tokens(text)
        taken = [False] * len(words)
        found: list[Mention] = []
        for n in range(min(self.max_words, len(words)), 0, -1):
            for fuzzy in (False, True) if n <= 4 else (False,):
                for i in range(len(words) - n + 1):
                    if any(taken[i:i + n]):
                        continue
                    gram = words[i:i + n]
                    if gram[0] in STOPWORDS or gram[-1] in FUNCTION_WORDS:
                        continue
                    entities = self._lookup(gram, fuzzy)
                    if entities:
                        found.append(Mention(entities[0], " ".join(gram), i, i + n, fuzzy, entities[1:]))
                        taken[i:i + n] = [True] * n
        return sorted(found, key=lambda m: m.start)

    def _lookup(self, gram: list[str], fuzzy: bool) -> list[Entity]:
        """The entities the words name: one, or several equally good (an ambiguity), or none."""
        candidates: list[Entity] = []
        phrase = " ".join(gram)
        for form in [phrase, *singulars(phrase)]:
            for key in _keys(form):
                candidates = self.names.get(key, [])
                if candidates:
                    break
            if candidates:
                break
        if fuzzy and len(phrase) >= 5:
            import difflib

            close = difflib.get_close_matches(phrase, self._keys_list, n=1, cutoff=0.85)
            candidates = self.names[close[0]] if close else []
        if len(candidates) <= 1:
            return list(candidates)
        # prefer the one entity whose label (not a synonym) was named
        labelled = [e for e in candidates if normalise(e.label).replace("'", "") == phrase]
        return labelled if len(labelled) == 1 else list(candidates)
