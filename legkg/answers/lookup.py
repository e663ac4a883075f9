"""Look-ups behind ``conditions``, ``describe`` and ``terms``: each returns rows ready for a writer.

Example:
    >>> from legkg.store.local import open_backend
    >>> rows = find_conditions(open_backend(), anatomy=["sciatic nerve"], symptom=["numbness"])
    >>> [r["id"] for r in rows]
    ['legkg:PiriformisSyndrome', 'legkg:Sciatica']
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from legkg.core.prefixes import PREFIXES
from legkg.store.canned import relation_labels, run_canned, to_value
from legkg.store.local import Backend, Row
from legkg.store.queries import internal_query
from legkg.store.terms import TermIndex

DEFINITION = PREFIXES["obo"] + "IAO_0000115"
ANNOTATION_FIELDS = {
    PREFIXES["rdfs"] + "label": "label",
    DEFINITION: "definition",
    PREFIXES["oboInOwl"] + "hasExactSynonym": "synonym",
    PREFIXES["oboInOwl"] + "hasRelatedSynonym": "related synonym",
    PREFIXES["legkg"] + "sourceSentence": "article sentence",
    PREFIXES["legkg"] + "background": "background",
    PREFIXES["legkg"] + "urgencyRank": "urgency rank",
}


def match_fields() -> dict[str, str]:
    """The SKOS mapping predicates and their field names (``exact match`` ...)."""
    from legkg.store.codes import MATCHES

    return {PREFIXES["skos"] + m: f"{m.removesuffix('Match')} match" for m in MATCHES}


def _code_curie(iri: str) -> str:
    from legkg.store.codes import VOCABULARIES

    for v in VOCABULARIES.values():
        if iri.startswith(v.namespace):
            return f"{v.prefix}:{iri[len(v.namespace):]}"
    return iri


def find_conditions(backend: Backend, anatomy: Sequence[str] = (), symptom: Sequence[str] = (),
                    mechanism: Sequence[str] = (), category: Sequence[str] = ()) -> list[dict]:
    """Conditions meeting every filter; each filter follows part-of and subclass links.

    Each filter is a list of terms; a single string counts as one term.
    """
    anatomy, symptom, mechanism, category = (
        [f] if isinstance(f, str) else list(f) for f in (anatomy, symptom, mechanism, category))
    filters = [("conditions-by-anatomy", "anatomy", v) for v in anatomy]
    filters += [("conditions-by-symptom", "symptom", v) for v in symptom]
    filters += [("conditions-by-mechanism", "mechanism", v) for v in mechanism]
    filters += [("conditions-by-category", "category", v) for v in category]
    if not filters:
        return run_canned(backend, "all-conditions")[1]
    index = TermIndex.load(backend)
    result: dict[str, dict] | None = None
    for name, param, value in filters:
        rows = run_canned(backend, name, [(param, value)], index)[1]
        found: dict[str, dict] = {}
        for r in rows:  # one row per condition: the first fact that matched, with its modality and sentence
            found.setdefault(r["id"], r)
        result = found if result is None else {k: v for k, v in result.items() if k in found}
    return sorted((result or {}).values(), key=lambda r: (str(r["label"]).casefold(), r["id"]))


def list_terms(backend: Backend, text: str | None = None, kind: str | None = None) -> list[dict]:
    """Entities whose label or synonym contains ``text``, optionally of one kind."""
    return TermIndex.load(backend).rows(text, kind)


def describe(backend: Backend, term: str) -> list[dict]:
    """Everything about one entity, as rows of (field, value, direction, source)."""
    from legkg.store.codes import match_code, vocabulary_of

    index = TermIndex.load(backend)
    entity = index.resolve(term)
    node = ox.NamedNode(entity.iri)
    fields = match_fields()
    relations = relation_labels(backend)
    base = {"id": entity.id, "label": entity.label}
    rows = [dict(base, field="kind", direction="", value=entity.kind, value_id=None, source=None, modality=None)]
    if vocabulary_of(term.strip()) is not None and entity.iri != term.strip():
        match = match_code(backend, term.strip())
        if match is not None and match.iri == entity.iri:
            rows.append(dict(base, field="resolved from", direction="", value=match.note(), value_id=match.mapped,
                             source=None, modality=None))
    for r in backend.select(internal_query("describe-annotations"), {"entity": node}):
        field = ANNOTATION_FIELDS.get(r["p"].value)
        if field and field != "label":
            rows.append(dict(base, field=field, direction="", value=to_value(r["value"]),
                             value_id=None, source=None, modality=None))
    for r in backend.select(internal_query("describe-mappings"), {"entity": node}):
        code = _code_curie(r["code"].value)
        rows.append(dict(base, field=fields[r["p"].value], direction="", value=code, value_id=code,
                         source=None, modality=None))
    facts = []
    for r in backend.select(internal_query("describe-out"), {"entity": node}):
        facts.append(_fact(base, index, relations, r["p"].value, r["o"].value, "out", r))
    for r in backend.select(internal_query("describe-in"), {"entity": node}):
        facts.append(_fact(base, index, relations, r["p"].value, r["s"].value, "in", r))
    facts = [f for f in facts if f is not None]
    order = {"resolved from": -1, "definition": 0, "synonym": 1, "related synonym": 2, "article sentence": 3,
             "background": 4, "urgency rank": 5, **{f: 6 + i for i, f in enumerate(fields.values())}}
    rows[1:] = sorted(rows[1:], key=lambda r: (order.get(r["field"], 9), str(r["value"])))
    way = {"out": 0, "in": 1}
    facts.sort(key=lambda f: (way[f["direction"]], f["field"], str(f["value"]).casefold()))
    return rows + _dedupe(facts)


def _dedupe(facts: list[dict]) -> list[dict]:
    seen: dict[tuple, dict] = {}
    for f in facts:
        key = (f["field"], f["direction"], f["value_id"])
        if key not in seen or (f["source"] and not seen[key]["source"]):
            seen[key] = f
    return list(seen.values())


def _fact(base: dict, index: TermIndex, relations: dict, p: str, other: str, direction: str,
          r: Row) -> dict | None:
    target = index.get(other)
    if target is None or p not in relations:
        return None
    field = relations[p][0 if direction == "out" else 1]
    source = r["source"].value if "source" in r else None
    if source is None and "background" in r:
        source = f"background: {r['background'].value}"
    modality = r["modality"].value if "modality" in r else None
    return dict(base, field=field, direction=direction, value=target.label, value_id=target.id,
                source=source, modality=modality)


