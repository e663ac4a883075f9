"""Answer plain-English questions with canned queries: no network, no language model.

A question is linked to entities (:mod:`legkg.answers.mentions`), matched against a list
of question forms, and answered by the canned query each form names, with the
article sentences behind the rows. A question no form fits gets an honest
"I can't answer that", never a guess.

Example:
    >>> from legkg.store.local import open_backend
    >>> a = ask(open_backend(), "Which conditions affecting the sciatic nerve cause numbness?")
    >>> sorted(r["label"] for r in a.rows)
    ['piriformis syndrome', 'sciatica']
"""

from __future__ import annotations

import re
from collections.abc import Callable

from legkg.answers.lookup import find_conditions
from legkg.answers.mentions import Linker, Mention
from legkg.core.errors import LegkgError, Misuse
from legkg.store.canned import run_canned
from legkg.store.local import Backend
from legkg.store.queries import internal_query, load_query
from legkg.store.terms import TermIndex, normalise


class CannotAnswer(LegkgError):
    """No supported question form fits: exit 1 with the closest forms."""


class Answer:
    """What was asked, how it was answered, and the rows."""

    def __init__(self, form: str, queries: list[str], columns: list[str], rows: list[dict],
                 mentions: list[Mention]) -> None:
        self.form, self.queries, self.columns, self.rows, self.mentions = form, queries, columns, rows, mentions

    def sparql(self) -> str:
        """The text of every canned query that was run."""
        return "\n".join(f"# {name}.rq\n{load_query(name).text}" for name in self.queries)


FORMS = [
    "which conditions affect <anatomy> [and cause <symptom>]?",
    "what can cause <symptom>?",
    "what causes <condition>?",
    "what does <condition> cause?",
    "what are the symptoms of <condition>?",
    "what makes <condition> worse?",
    "what makes <condition> better?",
    "which conditions are worse with <activity>?",
    "what does <symptom or situation> warrant?",
    "what are the red flags?",
    "where is <anatomy>?",
    "what is <term>?",
    "how is <condition> treated?",
    "how does <condition> work (its mechanisms)?",
    "what does <condition> affect?",
    "what kinds of <term> are there?",
]


def _has(q: str, pattern: str) -> bool:
    return re.search(pattern, q) is not None


class _Asker:
    def __init__(self, backend: Backend, question: str) -> None:
        self.backend = backend
        self.index = TermIndex.load(backend)
        self.mentions = Linker(self.index).link(question)
        self.q = " ".join(re.findall(r"[a-z0-9']+", normalise(question).replace("’", "'")))

    def of(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.entity.kind in kinds]

    def canned(self, form: str, name: str, param: str, mention: Mention) -> Answer:
        columns, rows = run_canned(self.backend, name, [(param, mention.entity.id)], self.index)
        return Answer(form, [name], columns, rows, self.mentions)

    def conditions(self, form: str) -> Answer:
        filters = {"anatomy": [], "symptom": [], "mechanism": [], "category": []}
        names = []
        for m in self.mentions:
            key = {"anatomy": "anatomy", "symptom": "symptom", "mechanism": "mechanism", "condition": "category"}.get(
                m.entity.kind)
            if key:
                filters[key].append(m.entity.id)
                names.append(f"conditions-by-{key}")
        rows = find_conditions(self.backend, **filters)
        for r in rows:
            r["source"] = self._sentence(r["id"])
        return Answer(form, list(dict.fromkeys(names)), ["id", "label", "article_category", "source"], rows,
                      self.mentions)

    def _sentence(self, curie: str) -> str | None:
        import pyoxigraph as ox

        node = ox.NamedNode(self.index.resolve(curie).iri)
        for r in self.backend.select(internal_query("describe-annotations"), {"entity": node}):
            if r["p"].value.endswith("/sourceSentence"):
                return r["value"].value
        return None

    def define(self, mention: Mention) -> Answer:
        from legkg.answers.lookup import describe

        rows = [r for r in describe(self.backend, mention.entity.id)
                if r["field"] in ("kind", "definition", "article sentence", "synonym")]
        out = [{"id": r["id"], "label": r["label"], "field": r["field"], "value": r["value"]} for r in rows]
        return Answer("what is <term>?", [], ["id", "label", "field", "value"], out, self.mentions)


Rule = Callable[[_Asker], "Answer | None"]


def _first(a: _Asker, *kinds: str) -> Mention | None:
    found = a.of(*kinds)
    return found[0] if found else None


def _red_flags(a: _Asker) -> Answer | None:
    named = [m for m in a.mentions if m.entity.id == "legkg:RedFlagSign"]
    signs = [m for m in a.of("symptom", "situation") if m.entity.id != "legkg:RedFlagSign"]
    if (named or _has(a.q, r"\b(red flags?|warning signs?|emergenc(y|ies)|when (should i|to) (see|seek|get))\b")) \
            and not signs:
        columns, rows = run_canned(a.backend, "red-flags")
        return Answer("what are the red flags?", ["red-flags"], columns, rows, a.mentions)
    return None


def _urgency(a: _Asker) -> Answer | None:
    sign = _first(a, "symptom", "situation")
    if sign and _has(a.q, r"\b(urgent|urgently|emergency|warrant|warrants|serious|worry|worried|how soon|"
                          r"see a doctor|doctor|seek|red flag|hospital|er|immediate|right away|dangerous)\b"):
        return a.canned("what does <symptom or situation> warrant?", "urgency-of", "sign", sign)
    return None


def _worse(a: _Asker) -> Answer | None:
    if not _has(a.q, r"\b(worse|worsen|worsens|worsening|aggravat\w*|flare\w*|trigger\w*|hurt more)\b"):
        return None
    cond = _first(a, "condition")
    if cond:
        return a.canned("what makes <condition> worse?", "aggravating-situations", "condition", cond)
    act = _first(a, "situation")
    if act:
        return a.canned("which conditions are worse with <activity>?", "conditions-by-situation", "situation", act)
    return None


def _better(a: _Asker) -> Answer | None:
    cond = _first(a, "condition")
    if cond and _has(a.q, r"\b(better|reliev\w*|eas(e|es|ing)|improv\w*|soothe\w*)\b"):
        return a.canned("what makes <condition> better?", "relieving-situations", "condition", cond)
    return None


def _is_category(m: Mention) -> bool:
    return m.entity.id.endswith(("Cause", "MedicalCondition"))


def _treat(a: _Asker) -> Answer | None:
    cond = _first(a, "condition")
    if cond and _has(a.q, r"\b(treat\w*|therap\w*|care|manag\w*|cure\w*|fix\w*|options?|help|do about|"
                          r"what to do|what can i do|surgery|medication)\b"):
        return a.canned("how is <condition> treated?", "care-options", "condition", cond)
    return None


def _where(a: _Asker) -> Answer | None:
    thing = _first(a, "anatomy", "symptom")
    if thing and _has(a.q, r"^where\b|\b(located|location|where is|where are|found)\b"):
        return a.canned("where is <anatomy>?", "location-of", "entity", thing)
    return None


def _mechanism(a: _Asker) -> Answer | None:
    cond = _first(a, "condition")
    if cond and _has(a.q, r"\b(mechanisms?|how does|how do|why does|what happens|process|work)\b") \
            and not _has(a.q, r"\bhow do(es)? .* (treat|feel)"):
        return a.canned("how does <condition> work (its mechanisms)?", "mechanisms-of", "condition", cond)
    return None


def _symptoms(a: _Asker) -> Answer | None:
    cond = _first(a, "condition")
    if cond and _has(a.q, r"\b(symptoms?|signs?|feel|feels|presents?|experience)\b"):
        return a.canned("what are the symptoms of <condition>?", "symptoms-of", "condition", cond)
    return None


def _effects(a: _Asker) -> Answer | None:
    cause = _first(a, "condition", "mechanism")
    verb = r"\b(cause|lead to|result in|bring on|trigger)\b"
    if cause and _has(a.q, r"\b(does|do|can|could|may|might)\b.*" + verb) and cause.start < _position(a.q, verb) \
            and not _has(a.q, r"\b(why|the cause|causes of|cause of|what causes)\b"):
        columns, rows = run_canned(a.backend, "effects-of", [("cause", cause.entity.id)], a.index)
        return Answer("what does <condition> cause?", ["effects-of"], columns, rows, a.mentions)
    return None


def _position(q: str, pattern: str) -> int:
    """Word position of the first match of ``pattern`` in the question."""
    m = re.search(pattern, q)
    return len(q[: m.start()].split()) if m else 10**6


def _causes_of(a: _Asker) -> Answer | None:
    if not _has(a.q, r"\b(causes?|caused|cause of|due to|result of|results from|leads? to|behind|reasons?|why)\b"):
        return None
    cond = _first(a, "condition")
    if cond and _is_category(cond):
        return None
    if cond and not a.of("anatomy", "symptom", "mechanism") and len(a.of("condition")) == 1:
        return a.canned("what causes <condition>?", "causes-of", "condition", cond)
    return None


def _affects(a: _Asker) -> Answer | None:
    cond = _first(a, "condition")
    if cond and not a.of("anatomy", "symptom") and _has(a.q, r"\b(affect|affects|damage|damages|involve|involves|"
                                                           r"part of the body|structures?|anatomy)\b"):
        return a.canned("what does <condition> affect?", "anatomy-of", "condition", cond)
    return None


def _impairs(a: _Asker) -> Answer | None:
    cond = _first(a, "condition")
    if cond and _has(a.q, r"\b(impair\w*|movements?|activities|difficult|hard to|harder)\b"):
        return a.canned("what does <condition> affect?", "impaired-activities", "condition", cond)
    return None


def _kinds(a: _Asker) -> Answer | None:
    named = a.of("anatomy", "condition", "symptom", "mechanism", "situation", "care")
    thing = max(named, key=lambda m: (len(m.text.split()), -m.start)) if named else None  # the most specific
    if thing and _has(a.q, r"\b(kinds?|types?|examples?|forms?|which muscles|list)\b"):
        return a.canned("what kinds of <term> are there?", "kinds-of", "entity", thing)
    if thing and thing.entity.id == "legkg:HipFlexorMuscle":
        columns, rows = run_canned(a.backend, "hip-flexor-muscles")
        return Answer("what kinds of <term> are there?", ["hip-flexor-muscles"], columns, rows, a.mentions)
    return None


def _conditions(a: _Asker) -> Answer | None:
    filters = a.of("anatomy", "symptom", "mechanism")
    asks_conditions = _has(a.q, r"\b(conditions?|causes?|cause|diseases?|disorders?|problems?|issues?|injur\w*|"
                                r"could|might|why|which|produce|give|lead|does|do|affect\w*|involv\w*|list|show)\b")
    if filters and asks_conditions:
        return a.conditions("which conditions affect <anatomy> [and cause <symptom>]?")
    categories = [m for m in a.of("condition") if _is_category(m)]
    if categories and asks_conditions:
        return a.conditions("which conditions affect <anatomy> [and cause <symptom>]?")
    return None


def _what_is(a: _Asker) -> Answer | None:
    if len(a.mentions) == 1 and _has(a.q, r"^(what is|what's|whats|what are|define|definition|explain|describe|"
                                          r"tell me about|meaning of|who is)\b|\bmean\b"):
        return a.define(a.mentions[0])
    return None


RULES: list[Rule] = [_red_flags, _urgency, _worse, _better, _treat, _where, _effects, _mechanism, _symptoms,
                     _kinds, _affects, _impairs, _causes_of, _conditions, _what_is]


def ask(backend: Backend, question: str) -> Answer:
    """Answer a question, or raise CannotAnswer with the closest supported forms."""
    if not question.strip():
        raise Misuse("empty question; ask for example 'what causes sciatica?'")
    if len(question) > 2000 or "\x00" in question:
        raise CannotAnswer("I can't answer that: questions are one sentence of plain words")
    a = _Asker(backend, question)
    for rule in RULES:
        answer = rule(a)
        if answer is not None:
            return answer
    recognised = ", ".join(f"{m.entity.label} ({m.entity.kind})" for m in a.mentions) or "no terms"
    forms = _closest_forms(a)
    raise CannotAnswer(f"I can't answer that. Recognised: {recognised}. Try: {'; '.join(forms)}")


def _closest_forms(a: _Asker) -> list[str]:
    if not a.mentions:
        return FORMS[:3]
    m = a.mentions[0]
    label = m.entity.label
    by_kind = {
        "condition": [f"what causes {label}?", f"what are the symptoms of {label}?", f"what makes {label} worse?"],
        "symptom": [f"what can cause {label}?", f"what does {label} warrant?", f"what is {label}?"],
        "anatomy": [f"which conditions affect the {label}?", f"where is the {label}?", f"what is the {label}?"],
        "mechanism": [f"which conditions involve {label}?", f"what does {label} cause?", f"what is {label}?"],
        "situation": [f"which conditions are worse with {label}?", f"what does {label} warrant?"],
    }
    return by_kind.get(m.entity.kind, [f"what is {label}?"])
