"""The rules that fit a question to a form, tried in order; the first that fits answers.

Each rule reads the question's entity mentions and question words and runs canned queries
(``queries/*.rq``); none holds clinical wording. The order matters: the advice forms ("what
should I do", red flags, urgency) come first, so a worried reader's question is never answered
with a list of conditions instead of the article's advice.

Example:
    >>> from legkg.store.local import open_backend
    >>> a = Asker(open_backend(), "What does groin numbness indicate?")
    >>> [r["label"] for r in _indicate(a).rows]
    ['serious spinal condition']
"""

from __future__ import annotations

from legkg.answers import relations as r
from legkg.answers.forms import Answer, Asker, Rule
from legkg.answers.lookup import find_conditions
from legkg.answers.mentions import Mention
from legkg.answers.triage import triage
from legkg.core.prefixes import LEGKG, curie
from legkg.store.canned import run_canned

STRUCTURAL = {curie(LEGKG + p) for p in ("partOf", "locatedIn", "hasPart", "locationOf", "originatesIn")}
WHAT_TO_DO = (r"\b(what (should|can|do|must) (i|we|you|he|she) do|what to do|what do i do|"
              r"should i (see|go|get|worry|call)|what now|what next|do i need)\b")


def _level_answer(form: str, result: dict, mentions: list[Mention]) -> Answer:
    """One row: the level the inputs warrant, why, and the sentence behind it."""
    top = result["reasons"][0] if result["reasons"] else {}
    row = {"id": result["level_id"], "label": result["level"], "rank": result["rank"],
           "because": top.get("input"), "source": top.get("source"), "note": result["note"]}
    return Answer(form, ["urgency-of", "urgency-levels"], ["id", "label", "rank", "because", "source", "note"],
                  [row], mentions)


def _what_to_do(a: Asker) -> Answer | None:
    """What should I do (after a fall, with groin numbness, when I cannot lift my leg)? Triage."""
    if not a.has(WHAT_TO_DO):
        return None
    signs = a.of("symptom")
    situations = a.of("situation")
    if not signs and not situations:
        # the article's general advice covers anyone who cannot lift a leg
        columns, levels = run_canned(a.backend, "urgency-levels")
        base = next((r for r in levels if r.get("baseline") in (True, "true")), None)
        if base is None:
            return None
        row = {"id": base["id"], "label": base["label"], "rank": base["rank"], "because": None,
               "source": base.get("source"), "note": None}
        return Answer("what should I do with <symptom> / after <situation>?", ["urgency-levels"],
                      ["id", "label", "rank", "because", "source", "note"], [row], a.mentions)
    result = triage(a.backend, [m.entity.id for m in signs], [m.entity.id for m in situations])
    return _level_answer("what should I do with <symptom> / after <situation>?", result,
                         [m for m in a.mentions if m.entity.kind != "urgency"])


def _red_flags(a: Asker) -> Answer | None:
    """The article's red flags (two signs) or its warning signs (everything beyond its general advice)."""
    signs = [m for m in a.of("symptom", "situation") if m.entity.id != "legkg:RedFlagSign"]
    named = any(m.entity.id == "legkg:RedFlagSign" for m in a.mentions) or a.has(r"\bred flags?\b")
    warning = a.has(r"\b(warning signs?|danger signs?|emergenc(y|ies))\b")
    if signs or not (named or warning):
        return None
    columns, rows = run_canned(a.backend, "red-flags")
    if named:
        rows = [r for r in rows if r.get("red_flag") in (True, "true")]
    else:  # warning signs: whatever ranks with the red flags or above
        floor = min((r["rank"] for r in rows if r.get("red_flag") in (True, "true")), default=0)
        rows = [r for r in rows if r["rank"] >= floor]
    return Answer("what are the red flags?", ["red-flags"], columns, rows,
                  [m for m in a.mentions if m.entity.id != "legkg:RedFlagSign"])


def _needs_level(a: Asker) -> Answer | None:
    """What needs immediate medical attention / urgent evaluation? The signs that warrant it."""
    level = a.first("urgency")
    if level is None or a.of("symptom", "situation", "condition"):
        return None
    return a.canned("how urgent is <sign>?", "facts-about", "entity", level,
                    keep=lambda r: r["relation"] == "legkg:warrants", mentions=[])


def _indicate(a: Asker) -> Answer | None:
    sign = a.first("symptom", "situation")
    if sign and a.has(r"\b(indicate\w*|mean|means|sign of|signs of|point to|suggest\w*|tell me)\b"):
        return a.canned("what does <sign> indicate?", "facts-of", "entity", sign,
                        keep=lambda r: r["relation"] == "legkg:mayIndicate")
    return None


def _urgency(a: Asker) -> Answer | None:
    sign = a.first("symptom", "situation")
    if sign and a.has(r"\b(urgent|urgently|emergency|warrant|warrants|serious|worry|worried|how soon|"
                      r"see a doctor|doctor|seek|hospital|immediate|right away|dangerous)\b"):
        return a.canned("how urgent is <sign>?", "urgency-of", "sign", sign,
                        mentions=[m for m in a.mentions if m.entity.kind != "urgency"])
    return None


def _sudden_or_frequency(a: Asker) -> Answer | None:
    """Which conditions are sudden / common / less common?"""
    if a.of("symptom", "anatomy", "situation", "mechanism") or len(a.of("condition")) > 0 and not a.has(
            r"\b(causes|conditions)\b"):
        return None
    frequency = a.first("frequency")
    if frequency:
        return a.canned("which conditions are sudden / common / less common?", "conditions-by-frequency",
                        "frequency", frequency, mentions=[])
    onset = a.first("onset")
    if onset:
        return a.canned("which conditions are sudden / common / less common?", "facts-about", "entity", onset,
                        keep=lambda r: r["relation"] == "legkg:hasOnset", mentions=[])
    return None


def _differ(a: Asker) -> Answer | None:
    """How do X and Y differ? What the article says of one and not of the other."""
    named = a.of("condition", "symptom", "anatomy", "mechanism")
    if len(named) < 2 or not a.has(r"\b(differ\w*|difference|versus|vs|compare\w*|distinguish|tell apart)\b"):
        return None
    x, y = named[0], named[1]
    facts = {}
    for m in (x, y):
        _, rows = run_canned(a.backend, "facts-of", [("entity", m.entity.id)], a.index)
        facts[m.entity.id] = {(r["relation"], r["id"]): dict(r, of=m.entity.label) for r in rows
                              if r["relation"] not in STRUCTURAL or m.entity.kind == "condition"}
    only_x = [v for k, v in facts[x.entity.id].items() if k not in facts[y.entity.id]]
    only_y = [v for k, v in facts[y.entity.id].items() if k not in facts[x.entity.id]]
    columns = ["of", "relation_label", "id", "label", "modality", "source"]
    return Answer("how do <condition> and <condition> differ?", ["facts-of"], columns, only_x + only_y, a.mentions)


def _kind_of(a: Asker) -> Answer | None:
    """What is X a kind of? (not: what kinds of X are there)."""
    thing = a.first("anatomy", "condition", "symptom", "mechanism", "situation", "care")
    if thing is None or not a.has(r"\b(kind|type|sort|category|form) of\b"):
        return None
    words = a.q.split()
    after_of = [i + 1 for i, w in enumerate(words[:-1]) if w == "of" and words[i - 1] in ("kind", "type", "sort")]
    if any(i == thing.start or (i < len(words) and words[i] in ("the", "a") and i + 1 == thing.start)
           for i in after_of) and a.has(r"\b(kinds|types|sorts)\b"):
        return None  # "what kinds of strain are there?"
    return a.canned("what is <term> a kind of?", "kind-of", "entity", thing)


def _better_with(a: Asker) -> Answer | None:
    situation = a.first("situation")
    if situation and not a.of("condition") and a.has(r"\b(better|improve\w*|reliev\w*|eas(e|es|ier|ing))\b"):
        return a.canned("which conditions are worse / better with <situation>?", "facts-about", "entity",
                        situation, keep=lambda r: r["relation"] == "legkg:relievedBy")
    return None


def _impair_activity(a: Asker) -> Answer | None:
    activity = a.first("situation")
    if activity and not a.of("condition") and a.has(r"\b(impair\w*|affect\w*|hard|harder|difficult|limit\w*)\b") \
            and a.has(r"\b(conditions?|causes?|which|what)\b"):
        return a.canned("which conditions impair <activity>?", "facts-about", "entity", activity,
                        keep=lambda r: r["relation"] == "legkg:impairs")
    return None


def _treatment_plan(a: Asker) -> Answer | None:
    if a.of("condition", "symptom") or not a.has(r"\b(treat\w*|therap\w*|care|manag\w*|plan)\b"):
        return None
    columns, rows = run_canned(a.backend, "treatment-plan")
    steps = {r["stated_for"] for r in rows}  # the plan itself is a step, not something it involves
    rows = [r for r in rows if r["id"] not in {m.entity.id for m in a.mentions} and r["label"] not in steps]
    return Answer("how is <condition> treated?", ["treatment-plan"], columns, rows, a.mentions)


def _where(a: Asker) -> Answer | None:
    thing = a.first("anatomy", "symptom", "condition")
    if thing is None or not a.has(r"^where\b|\b(located|location|where is|where are|found)\b"):
        return None
    if thing.entity.kind == "condition":  # where a condition is: where the structures it affects are
        _, rows = run_canned(a.backend, "facts-of", [("entity", thing.entity.id)], a.index)
        located = [r for r in rows if r["relation"] == "legkg:locatedIn"]
        for r in [r for r in rows if r["relation"] == "legkg:affects"] if not located else []:
            _, where = run_canned(a.backend, "location-of", [("entity", r["id"])], a.index)
            located += [dict(w, via=r["label"]) for w in where if w["relation"] == "located in"]
        return Answer("where is <term>?", ["facts-of", "location-of"],
                      ["id", "label", "relation", "via", "modality", "source"], located, a.mentions)
    return a.canned("where is <term>?", "location-of", "entity", thing)


def _does(a: Asker) -> Answer | None:
    """What does a structure or an activity do, control, require, cover?"""
    thing = a.first("anatomy", "situation", "care")
    if thing is None or a.of("condition", "symptom") or not a.has(
            r"\bwhat (does|do|is|are)\b.*\b(do|does|control\w*|require\w*|need\w*|cover\w*|enable\w*|"
            r"responsible for|for|involve\w*|allow\w*)\b"):
        return None
    _, rows = run_canned(a.backend, "facts-of", [("entity", thing.entity.id)], a.index)
    rows = [r for r in rows if r["relation"] not in STRUCTURAL] or rows
    return Answer("what does <structure> do?", ["facts-of"], ["id", "label", "relation_label", "modality", "source"],
                  rows, a.mentions)


def _conditions(a: Asker) -> Answer | None:
    filters = a.of("anatomy", "symptom", "mechanism")
    asks = a.has(r"\b(conditions?|causes?|cause|caused|diseases?|disorders?|problems?|issues?|injur\w*|could|might|"
                 r"why|which|produce|give|lead|does|do|affect\w*|involv\w*|list|show|make)\b")
    categories = [m for m in a.of("condition") if m.entity.id.endswith(("Cause", "MedicalCondition"))]
    if not asks or not (filters or categories):
        return None
    found = {"anatomy": [], "symptom": [], "mechanism": [], "category": []}
    names = []
    for m in a.mentions:
        key = {"anatomy": "anatomy", "symptom": "symptom", "mechanism": "mechanism",
               "condition": "category"}.get(m.entity.kind)
        if key:
            found[key].append(m.entity.id)
            names.append(f"conditions-by-{key}")
    rows = find_conditions(a.backend, **found)
    return Answer("which conditions affect <anatomy> [and cause <symptom>]?", list(dict.fromkeys(names)),
                  ["id", "label", "article_category", "modality", "source"], rows, a.mentions)


def advice_rules() -> list[Rule]:
    """The rules for a worried reader's questions, tried before any other."""
    return [_needs_level, _what_to_do, _red_flags, _indicate, _urgency]


def lookup_rules() -> list[Rule]:
    """The rules for questions about conditions, structures and situations."""
    return [_sudden_or_frequency, _differ, _kind_of, r.worse, r.better, _better_with, _treatment_plan,
            r.treat, _where, r.symptoms, r.effects, r.mechanism, r.kinds, r.affects, r.impairs,
            _impair_activity, r.causes_of, _does, _conditions, r.what_is]


RULES: list[Rule] = advice_rules() + lookup_rules()
