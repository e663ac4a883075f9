"""What a set of symptoms and situations warrants, according to the article.

The level is the most urgent one any input warrants (so a red flag is never
outranked by a milder sign); an input the article gives no urgency for falls
back to its baseline guidance. Conditions are ranked by how many inputs their
symptoms or aggravating situations explain.

Example:
    >>> from legkg.store.local import open_backend
    >>> t = triage(open_backend(), symptoms=["numbness", "groin numbness"])
    >>> t["level"], t["rank"]
    ('urgent evaluation', 3)
"""

from __future__ import annotations

from collections.abc import Sequence

from legkg.core.errors import LegkgError, Misuse
from legkg.store.canned import run_canned
from legkg.store.local import Backend
from legkg.store.queries import internal_query
from legkg.store.terms import Entity, TermIndex

NOTE = ("This is information from one article, not a diagnosis. If you are worried, "
        "contact a healthcare professional.")
BASELINE_WHY = "the article gives no specific urgency for this; its general advice applies"


def triage(backend: Backend, symptoms: Sequence[str] = (), situations: Sequence[str] = ()) -> dict:
    """Urgency level, reasons with article sentences, and the best-matching conditions."""
    if not symptoms and not situations:
        raise Misuse("give at least one --symptom or --situation")
    index = TermIndex.load(backend)
    inputs = [index.resolve(t, {"symptom"}, role="symptom") for t in symptoms]
    inputs += [index.resolve(t, {"situation"}, role="situation") for t in situations]
    inputs = list(dict.fromkeys(inputs))
    reasons = [_reason(backend, index, e) for e in inputs]
    top = max(reasons, key=lambda r: r["rank"])
    return {
        "level": top["level"],
        "level_id": top["level_id"],
        "rank": top["rank"],
        "reasons": sorted(reasons, key=lambda r: (-r["rank"], r["input"])),
        "conditions": _rank_conditions(backend, index, inputs),
        "note": NOTE,
    }


def _reason(backend: Backend, index: TermIndex, e: Entity) -> dict:
    _, rows = run_canned(backend, "urgency-of", [("sign", e.id)], index)
    if rows:
        best = rows[0]  # the query orders by rank, most urgent first
        return {"input": e.label, "input_id": e.id, "level": best["label"], "level_id": best["id"],
                "rank": best["rank"], "via": best["via"], "source": best["source"]}
    _, levels = run_canned(backend, "urgency-levels")
    base = next((r for r in levels if r.get("baseline") in (True, "true")), None)
    if base is None:
        raise LegkgError("the ontology marks no urgency level as its general advice (legkg:isBaselineAdvice)")
    sentence = base.get("source")
    return {"input": e.label, "input_id": e.id, "level": base["label"], "level_id": base["id"], "rank": base["rank"],
            "via": None, "source": f"{BASELINE_WHY}: {sentence}" if sentence else BASELINE_WHY}


def _rank_conditions(backend: Backend, index: TermIndex, inputs: list[Entity]) -> list[dict]:
    supers: dict[str, set[str]] = {}
    for r in backend.select(internal_query("superclasses")):
        supers.setdefault(r["class"].value, set()).add(r["super"].value)
    features: dict[str, tuple[str, set[str]]] = {}
    for r in backend.select(internal_query("condition-features")):
        features.setdefault(r["condition"].value, (r["label"].value, set()))[1].add(r["feature"].value)

    def explains(feature: str, given: str) -> bool:  # the condition's feature is the input or a kind of it
        return feature == given or given in supers.get(feature, ())

    ranked = []
    for iri, (label, feats) in features.items():
        matched = [e for e in inputs if any(explains(f, e.iri) for f in feats)]
        if matched:
            missing = [e.label for e in inputs if e not in matched]
            ranked.append({"id": index.get(iri).id if index.get(iri) else iri, "label": label,
                           "matched": [e.label for e in matched], "missing": missing, "score": len(matched)})
    return sorted(ranked, key=lambda r: (-r["score"], r["label"]))
