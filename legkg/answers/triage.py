"""What a set of symptoms and situations warrants, according to the article.

The answer never goes below the article's general advice (the urgency level the ontology
marks ``legkg:isBaselineAdvice``); a trigger the article names raises it, and the most urgent
input wins, so a red flag is never outranked by a milder sign. Conditions are ranked by how many
inputs the article's facts explain, then by the urgency of what they explain (the condition a
red flag may indicate comes first), then by the strength of the facts. Every reason, condition
and caution carries the sentence of the fact behind it. The levels, the baseline, the triggers
and the disclaimer all come from the ontology, so the same code answers over another ontology
that follows docs/modelling.md.

Example:
    >>> from legkg.store.local import open_backend
    >>> t = triage(open_backend(), symptoms=["numbness", "groin numbness"])
    >>> t["level"], t["conditions"][0]["label"]
    ('urgent evaluation', 'serious spinal condition')
"""

from __future__ import annotations

from collections.abc import Sequence

from legkg.core.errors import LegkgError, Misuse
from legkg.store.canned import run_canned, to_value
from legkg.store.local import Backend
from legkg.store.queries import internal_query
from legkg.store.terms import Entity, TermIndex

# Facts about a condition or a sign that a reader should see beside the level: how sudden or
# severe the article says it is, and what it may indicate.
CAUTION_RELATIONS = ("legkg:hasOnset", "legkg:hasSeverity", "legkg:mayIndicate")


def triage(backend: Backend, symptoms: Sequence[str] = (), situations: Sequence[str] = ()) -> dict:
    """Urgency level (never below the article's general advice), reasons, conditions and cautions, all cited."""
    if not symptoms and not situations:
        raise Misuse("give at least one --symptom or --situation")
    index = TermIndex.load(backend)
    inputs = [index.resolve(t, {"symptom"}, role="symptom") for t in symptoms]
    inputs += [index.resolve(t, {"situation", "onset"}, role="situation") for t in situations]
    inputs = list(dict.fromkeys(inputs))
    levels = run_canned(backend, "urgency-levels")[1]
    base = next((r for r in levels if r.get("baseline") in (True, "true", 1)), None)
    if base is None:
        raise LegkgError("the ontology marks no urgency level as its general advice (legkg:isBaselineAdvice), "
                         "so no answer can be given; see docs/modelling.md")
    reasons = [_reason(backend, index, e, base) for e in inputs]
    top = max([*reasons, _floor(base)], key=lambda r: r["rank"])
    conditions = _rank_conditions(backend, index, inputs, {r["input_id"]: r["rank"] for r in reasons})
    return {
        "level": top["level"],
        "level_id": top["level_id"],
        "rank": top["rank"],
        "red_flag": any(r.get("red_flag") for r in reasons),
        "baseline": {"level": base["label"], "level_id": base["id"], "source": base.get("source")},
        "reasons": sorted(reasons, key=lambda r: (-r["rank"], r["input"])),
        "conditions": conditions,
        "cautions": _cautions(backend, index, inputs, conditions[:3]),
        "note": _note(backend, next((lv for lv in levels if lv["id"] == top["level_id"]), base)),
    }


def _floor(base: dict) -> dict:
    return {"level": base["label"], "level_id": base["id"], "rank": base["rank"]}


def _reason(backend: Backend, index: TermIndex, e: Entity, base: dict) -> dict:
    """The level one input warrants, with the sentence; the general advice when the article names none."""
    _, rows = run_canned(backend, "urgency-of", [("sign", e.id)], index)
    if rows and rows[0]["rank"] >= base["rank"]:
        best = rows[0]  # the query orders by rank, most urgent first
        _, flags = run_canned(backend, "red-flags")
        red = any(f["id"] == (best["via"] or e.id) and f.get("red_flag") in (True, "true", 1) for f in flags)
        return {"input": e.label, "input_id": e.id, "level": best["label"], "level_id": best["id"],
                "rank": best["rank"], "via": best["via"], "modality": best.get("modality"),
                "red_flag": red, "source": best["source"]}
    return {"input": e.label, "input_id": e.id, "level": base["label"], "level_id": base["id"],
            "rank": base["rank"], "via": None, "modality": None, "red_flag": False, "general_advice": True,
            "source": base.get("source")}


def _rank_conditions(backend: Backend, index: TermIndex, inputs: list[Entity], urgency: dict[str, int]) -> list[dict]:
    """Conditions whose facts explain inputs: most inputs first, then the most urgent, then the strongest facts."""
    supers: dict[str, set[str]] = {}
    for r in backend.select(internal_query("superclasses")):
        supers.setdefault(r["class"].value, set()).add(r["super"].value)
    facts: dict[str, tuple[str, list[dict]]] = {}
    for r in backend.select(internal_query("condition-features")):
        fact = {k: to_value(r.get(k)) for k in ("feature", "relation", "modality", "strength", "source")}
        fact["feature"] = r["feature"].value
        facts.setdefault(r["condition"].value, (r["label"].value, []))[1].append(fact)

    def explains(feature: str, given: str) -> bool:  # the condition's feature is the input or a kind of it
        return feature == given or given in supers.get(feature, ())

    ranked = []
    for iri, (label, feats) in facts.items():
        evidence = {}
        for e in inputs:
            found = sorted((f for f in feats if explains(f["feature"], e.iri)),
                           key=lambda f: -(f["strength"] or 0))
            if found:
                evidence[e] = found[0]
        if not evidence:
            continue
        entity = index.get(iri)
        ranked.append({
            "id": entity.id if entity else iri, "label": label,
            "matched": [e.label for e in evidence], "missing": [e.label for e in inputs if e not in evidence],
            "score": len(evidence), "urgency": max(urgency.get(e.id, 0) for e in evidence),
            "evidence": [{"input": e.label, "relation": f["relation"], "modality": f["modality"],
                          "source": f["source"]} for e, f in evidence.items()],
            "_strength": sum(f["strength"] or 0 for f in evidence.values()),
        })
    ranked.sort(key=lambda r: (-r["score"], -r["urgency"], -r["_strength"], r["label"]))
    for r in ranked:
        del r["_strength"]
    return ranked


def _cautions(backend: Backend, index: TermIndex, inputs: list[Entity], conditions: list[dict]) -> list[dict]:
    """What the article says of how sudden or serious the leading conditions are, or what a sign may indicate."""
    out = []
    for about in [*(e.id for e in inputs), *(c["id"] for c in conditions)]:
        _, rows = run_canned(backend, "facts-of", [("entity", about)], index)
        label = index.resolve(about).label
        for r in rows:  # a severity stated for all conditions at once says nothing of this one
            own = r["relation"] != "legkg:hasSeverity" or r["stated_for"] == label
            if r["relation"] in CAUTION_RELATIONS and own:
                out.append({"about": label, "relation": r["relation_label"],
                            "value": r["label"], "value_id": r["id"], "modality": r["modality"],
                            "source": r["source"]})
    return out


def _note(backend: Backend, level: dict) -> str:
    """The ontology's own disclaimer, the article it comes from, and what the level means."""
    rows = backend.select(internal_query("disclaimer"))
    comment = rows[0]["comment"].value if rows and "comment" in rows[0] else ""
    title = rows[0]["title"].value if rows and "title" in rows[0] else ""
    parts = [comment, f"Source: “{title}”." if title else "",
             f"{level['label'][:1].upper()}{level['label'][1:]}: {level['definition']}" if level.get("definition")
             else ""]
    return " ".join(p for p in parts if p)
