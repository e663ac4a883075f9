"""Answer plain-English questions with canned queries: no network, no language model.

A question is linked to entities (:mod:`legkg.answers.mentions`), checked against what the
article covers, matched against the question forms of :mod:`legkg.answers.forms`, and answered
by the canned queries each form names, with the sentence of each fact behind the rows. A
question outside the article, or one no form fits, gets an honest "I can't answer that",
never a guess; a word that names two things is asked back.

Example:
    >>> from legkg.store.local import open_backend
    >>> a = ask(open_backend(), "Which conditions affecting the sciatic nerve cause numbness?")
    >>> sorted(r["label"] for r in a.rows)
    ['piriformis syndrome', 'sciatica']
"""

from __future__ import annotations

import re

from legkg.answers.forms import FORMS, QUESTION_WORDS, Answer, Asker, close_word
from legkg.answers.mentions import Mention
from legkg.answers.rules import RULES
from legkg.core.errors import AmbiguousTerm, LegkgError, Misuse
from legkg.store.local import Backend

__all__ = ["Answer", "CannotAnswer", "FORMS", "ask"]


class CannotAnswer(LegkgError):
    """No supported question form fits, or the question is outside the article: exit 1."""


# Asking for more than the article gives: dosing, ranking treatments, a diagnosis, a prognosis.
BEYOND_THE_ARTICLE = re.compile(
    r"\b(best|dose|doses|dosage|how much|how many|mg|milligrams?|prognosis|life expectancy|recovery|how long|"
    r"do i have|have i had|am i going|is my .* (cancer|serious)|what'?s wrong with me|diagnose me|"
    r"ignore (previous|all)|instructions)\b")
_WORDS = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")


def ask(backend: Backend, question: str) -> Answer:
    """Answer a question, or raise CannotAnswer saying why (with the closest supported forms)."""
    if not question.strip():
        raise Misuse("empty question; ask for example 'what causes sciatica?'")
    if len(question) > 2000 or "\x00" in question:
        raise CannotAnswer("I can't answer that. Questions are one sentence of plain words. "
                           f"Try: {'; '.join(FORMS[:3])}")
    a = Asker(backend, question)
    ambiguous(a.mentions)
    unknown = unknown_words(a)
    _check_scope(a, set(unknown))
    for rule in RULES:
        answer = rule(a)
        if answer is not None:
            answer.not_in_article = unknown
            return answer
    recognised = ", ".join(f"{m.entity.label} ({m.entity.kind})" for m in a.mentions) or "no terms"
    raise CannotAnswer(f"I can't answer that. Recognised: {recognised}. Try: {'; '.join(_closest_forms(a))}")


def _check_scope(a: Asker, unknown: set[str]) -> None:
    """Refuse questions about what the article does not cover, or that ask more than it gives."""
    if BEYOND_THE_ARTICLE.search(a.q):
        raise CannotAnswer("I can't answer that. The article gives no diagnosis, dosing, ranking of treatments, "
                           f"prognosis or recovery times; ask a healthcare professional. Try: {'; '.join(FORMS[:3])}")
    words = a.words
    if not a.mentions and unknown:
        raise CannotAnswer(f"I can't answer that. The article does not speak of {' '.join(sorted(unknown)[:3])}. "
                           f"Try: {'; '.join(FORMS[:3])}")
    for m in a.mentions:  # "shoulder pain", "numbness in the wrist": a symptom of a part the article omits
        near = [words[m.start - 1]] if m.start > 0 else []
        rest = words[m.end:m.end + 3]
        if rest[:1] in (["in"], ["of"]):
            near += [w for w in rest[1:] if w not in ("the", "my", "your", "a")][:1]
        for w in near:
            if w in unknown and m.entity.kind in ("symptom", "anatomy", "condition"):
                raise CannotAnswer(f"I can't answer that. The article does not speak of {w} {m.entity.label}; "
                                   f"it is about difficulty lifting a leg. Try: {'; '.join(_closest_forms(a))}")
    focus = re.match(r"^(?:what|which)(?: is| are)?(?: the| a)? ([a-z]+)", " ".join(words))
    if focus and focus.group(1) in unknown:
        raise CannotAnswer(f"I can't answer that. The article does not speak of {focus.group(1)}. "
                           f"Try: {'; '.join(_closest_forms(a))}")


def unknown_words(a: Asker) -> list[str]:
    """Words of the question that are neither question words nor words of the article's terms.

    An answered question keeps them (``Answer.not_in_article``) so the answer can say that the
    article does not mention them: "does ibuprofen help sciatica?" is answered with what the
    article says of treatment, and the reader is told that it never mentions ibuprofen.

    Example:
        >>> from legkg.store.local import open_backend
        >>> unknown_words(Asker(open_backend(), "does ibuprofen help sciatica?"))
        ['ibuprofen']
    """
    known = QUESTION_WORDS | a.vocabulary()
    mended = a.q.split()  # a misspelt question word ("symtoms") is not an unknown topic
    covered = {i for m in a.mentions for i in range(m.start, m.end)}
    unknown: list[str] = []
    short_words = sorted(w for w in QUESTION_WORDS if len(w) < 6)
    for i, w in enumerate(a.words):
        if i in covered or w.isdigit() or {w, mended[i]} & known or w in unknown:
            continue
        if len(w) < 5 and close_word(w, short_words) != w:  # "wat" is "what"
            continue
        unknown.append(w)
    return unknown


def _closest_forms(a: Asker) -> list[str]:
    if not a.mentions:
        return FORMS[:3]
    m = a.mentions[0]
    label = m.entity.label
    by_kind = {
        "condition": [f"what causes {label}?", f"what are the symptoms of {label}?", f"what makes {label} worse?"],
        "symptom": [f"what can cause {label}?", f"what should I do with {label}?", f"what is {label}?"],
        "anatomy": [f"which conditions affect the {label}?", f"where is the {label}?", f"what is the {label}?"],
        "mechanism": [f"which conditions involve {label}?", f"what does {label} cause?", f"what is {label}?"],
        "situation": [f"which conditions are worse with {label}?", f"what should I do after {label}?"],
    }
    return by_kind.get(m.entity.kind, [f"what is {label}?"])


def ambiguous(mentions: list[Mention]) -> None:
    """Ask back when a word names several entities equally well (never take the first silently)."""
    for m in mentions:
        if m.alternatives:
            names = " or ".join(f"{e.label} ({e.kind})" for e in [m.entity, *m.alternatives])
            raise AmbiguousTerm(f"'{m.text}' could mean {names}: which one? Ask again with the full name")
