"""Question forms about one condition or term: its symptoms, causes, effects, mechanisms, care,
what it affects or impairs, what makes it worse or better, its kinds and what it is.

Example:
    >>> from legkg.store.local import open_backend
    >>> a = Asker(open_backend(), "what are the symptoms of sciatica?")
    >>> "numbness" in [r["label"] for r in symptoms(a).rows]
    True
"""

from __future__ import annotations

import re

from legkg.answers.forms import Answer, Asker
from legkg.answers.mentions import Mention
from legkg.store.canned import run_canned


def _define(a: Asker, mention: Mention) -> Answer:
    from legkg.answers.lookup import describe

    rows = [r for r in describe(a.backend, mention.entity.id)
            if r["field"] in ("kind", "definition", "article sentence", "synonym")]
    out = [{"id": r["id"], "label": r["label"], "field": r["field"], "value": r["value"]} for r in rows]
    return Answer("what is <term>?", [], ["id", "label", "field", "value"], out, a.mentions)


def worse(a: Asker) -> Answer | None:
    if not a.has(r"\b(worse|worsen|worsens|worsening|aggravat\w*|flare\w*|trigger\w*|hurt more)\b"):
        return None
    cond = a.first("condition")
    if cond:
        return a.canned("what makes <condition> worse?", "aggravating-situations", "condition", cond)
    act = a.first("situation")
    if act:
        return a.canned("which conditions are worse with <activity>?", "conditions-by-situation", "situation", act)
    return None


def better(a: Asker) -> Answer | None:
    cond = a.first("condition")
    if cond and a.has(r"\b(better|reliev\w*|eas(e|es|ing)|improv\w*|soothe\w*)\b"):
        return a.canned("what makes <condition> better?", "relieving-situations", "condition", cond)
    return None


def _is_category(m: Mention) -> bool:
    return m.entity.id.endswith(("Cause", "MedicalCondition"))


def treat(a: Asker) -> Answer | None:
    cond = a.first("condition")
    if cond and a.has(r"\b(treat\w*|therap\w*|care|manag\w*|cure\w*|fix\w*|options?|help|do about|"
                          r"what to do|what can i do|surgery|medication)\b"):
        return a.canned("how is <condition> treated?", "care-options", "condition", cond)
    return None


def mechanism(a: Asker) -> Answer | None:
    cond = a.first("condition")
    if cond and a.has(r"\b(mechanisms?|how does|how do|why does|what happens|process|work|do to)\b") \
            and not a.has(r"\bhow do(es)? .* (treat|feel)"):
        return a.canned("how does <condition> work (its mechanisms)?", "mechanisms-of", "condition", cond)
    return None


def symptoms(a: Asker) -> Answer | None:
    cond = a.first("condition")
    if cond and a.has(r"\b(symptoms?|signs?|feel|feels|presents?|experience)\b"):
        return a.canned("what are the symptoms of <condition>?", "symptoms-of", "condition", cond)
    return None


def effects(a: Asker) -> Answer | None:
    cause = a.first("condition", "mechanism")
    verb = r"\b(cause|lead to|result in|bring on|trigger)\b"
    if cause and a.has(r"\b(does|do|can|could|may|might)\b.*" + verb) and cause.start < _position(a.q, verb) \
            and not a.has(r"\b(why|the cause|causes of|cause of|what causes)\b"):
        return a.canned("what does <condition> cause?", "effects-of", "cause", cause)
    return None


def _position(q: str, pattern: str) -> int:
    """Word position of the first match of ``pattern`` in the question."""
    m = re.search(pattern, q)
    return len(q[: m.start()].split()) if m else 10**6


def causes_of(a: Asker) -> Answer | None:
    if not a.has(r"\b(causes?|caused|cause of|due to|result of|results? from|leads? to|behind|reasons?|why)\b"):
        return None
    cond = a.first("condition")
    if cond and _is_category(cond):
        return None
    if cond and not a.of("anatomy", "symptom", "mechanism") and len(a.of("condition")) == 1:
        return a.canned("what causes <condition>?", "causes-of", "condition", cond)
    return None


def affects(a: Asker) -> Answer | None:
    cond = a.first("condition")
    if cond and not a.of("anatomy", "symptom") and a.has(r"\b(affect|affects|damage|damages|involve|involves|"
                                                           r"part of the body|structures?|anatomy)\b"):
        return a.canned("what does <condition> affect?", "anatomy-of", "condition", cond)
    return None


def impairs(a: Asker) -> Answer | None:
    cond = a.first("condition")
    if cond and a.has(r"\b(impair\w*|movements?|activities|difficult|hard to|harder)\b"):
        return a.canned("what does <condition> affect?", "impaired-activities", "condition", cond)
    return None


def kinds(a: Asker) -> Answer | None:
    named = a.of("anatomy", "condition", "symptom", "mechanism", "situation", "care")
    thing = max(named, key=lambda m: (len(m.text.split()), -m.start)) if named else None  # the most specific
    plural = thing is not None and thing.text.endswith("s") and not thing.entity.label.endswith("s")
    if thing and (a.has(r"\b(kinds?|types?|examples?|forms?|which muscles|list)\b")
                  or plural and a.has(r"^what are (the )?") and thing.end == len(a.q.split())):
        return a.canned("what kinds of <term> are there?", "kinds-of", "entity", thing)
    if thing and thing.entity.id == "legkg:HipFlexorMuscle":
        columns, rows = run_canned(a.backend, "hip-flexor-muscles")
        return Answer("what kinds of <term> are there?", ["hip-flexor-muscles"], columns, rows, a.mentions)
    return None


def what_is(a: Asker) -> Answer | None:
    if len(a.mentions) == 1 and a.has(r"^(what is|what's|whats|what are|define|definition|explain|describe|"
                                          r"tell me about|meaning of|who is)\b|\bmean\b"):
        return _define(a, a.mentions[0])
    return None
