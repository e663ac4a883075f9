"""What each page shows, gathered with the same library calls as the command line.

A term page is ``legkg describe`` arranged for reading (plus the term's codes in
other vocabularies, its picture and, for signs and situations, the urgency they
warrant); the landing page lists the article's categories of causes and its
urgency ladder from canned queries.

Example:
    >>> from legkg.store.local import open_backend
    >>> page = term_content(open_backend(), "pins and needles")
    >>> page["label"], page["kind"]
    ('tingling', 'symptom')
"""

from __future__ import annotations

from collections.abc import Sequence

import pyoxigraph as ox

from legkg.answers.lookup import describe
from legkg.answers.triage import triage
from legkg.core.errors import LegkgError
from legkg.core.prefixes import PREFIXES, curie
from legkg.store.canned import run_canned
from legkg.store.codes import VOCABULARIES
from legkg.store.local import Backend
from legkg.store.queries import internal_query
from legkg.store.terms import TermIndex

SKOS = PREFIXES["skos"]
OBO = PREFIXES["obo"]
# Where a person reads a code: each vocabulary's own browser (OBO ontologies through their PURLs).
CODE_PAGES = {
    "ICD10CM": "https://icd10cmtool.cdc.gov/?fy=FY2025&query={local}",
    "HP": OBO + "HP_{local}",
    "MONDO": OBO + "MONDO_{local}",
    "DOID": OBO + "DOID_{local}",
    "UBERON": OBO + "UBERON_{local}",
    "FMA": OBO + "FMA_{local}",
    "MESH": "https://meshb.nlm.nih.gov/record/ui?ui={local}",
    "SNOMEDCT": "https://browser.ihtsdotools.org/?perspective=full&conceptId1={local}",
    "UMLS": "https://uts.nlm.nih.gov/uts/umls/concept/{local}",
}
MATCH_WORDS = {"exactMatch": "exact match", "closeMatch": "close match", "broadMatch": "broader term",
               "narrowMatch": "narrower term", "relatedMatch": "related term"}
# Fields of ``describe`` that are not relations, in the order a page shows them.
TEXT_FIELDS = ("definition", "article sentence", "background", "urgency rank")
SYNONYM_SUFFIX = "synonym"
URGENT_KINDS = ("symptom", "situation", "onset")
STANDARD_KEYS = {"id", "label", "field", "direction", "value", "value_id", "source"}


def term_content(backend: Backend, term: str, index: TermIndex | None = None) -> dict:
    """Everything a term page shows, as plain values."""
    rows = describe(backend, term)
    index = index or TermIndex.load(backend)
    entity = index.resolve(term)
    page = {"id": entity.id, "iri": entity.iri, "label": entity.label, "kind": entity.kind,
            "text": {f: [] for f in TEXT_FIELDS}, "synonyms": {}, "relations": [], "codes": [], "urgency": None}
    for r in rows:
        field = r["field"]
        if field == "kind":
            continue
        if r["direction"] in ("out", "in"):
            page["relations"].append(_relation(r, entity.label))
        elif field.endswith(SYNONYM_SUFFIX):
            scope = field[: -len(SYNONYM_SUFFIX)].strip() or "exact"
            page["synonyms"].setdefault(scope, []).append(str(r["value"]))
        else:
            page["text"].setdefault(field, []).append(str(r["value"]))
    page["groups"] = _group(page["relations"])
    page["codes"] = term_codes(backend, entity.iri)
    if entity.kind in URGENT_KINDS:
        page["urgency"] = _urgency(backend, index, entity.id, entity.kind)
    return page


def _relation(r: dict, label: str) -> dict:
    """One fact of ``describe`` for a page: its sentence or background note, whether inferred, any extra fields."""
    source = r.get("source") or ""
    if source.startswith("background: "):
        note, sentence = source[len("background: "):], ""
    else:
        note, sentence = "", source
    status = r.get("status")
    if status is None:
        status = "inferred" if "inferred" in note else "asserted"
    extra = {k: v for k, v in r.items() if k not in STANDARD_KEYS and k != "status" and v not in (None, "")}
    explain = None
    if status == "inferred" and r["direction"] == "out":
        explain = f'legkg explain "{label}" --as "{r["value"]}"' if r["field"] == "is a" else \
            f'legkg explain --fact "{label} {r["field"]} {r["value"]}"'
    return {"field": r["field"], "direction": r["direction"], "value": r["value"], "value_id": r["value_id"],
            "sentence": sentence, "note": note, "status": status, "modality": extra.pop("modality", None),
            "chain": extra.pop("chain", None), "explain": explain, "extra": extra}


def _group(relations: Sequence[dict]) -> list[dict]:
    groups: dict[tuple[str, str], list[dict]] = {}
    for rel in relations:
        groups.setdefault((rel["direction"], rel["field"]), []).append(rel)
    return [{"direction": d, "field": f, "items": items} for (d, f), items in groups.items()]


def term_codes(backend: Backend, iri: str) -> list[dict]:
    """The term's codes in other vocabularies, each with its mapping predicate and official page."""
    codes = []
    for r in backend.select(internal_query("term-mappings"), {"entity": ox.NamedNode(iri)}):
        target, predicate = r["target"].value, r["p"].value.rsplit("#", 1)[-1]
        for v in VOCABULARIES.values():
            if target.startswith(v.namespace):
                local = target[len(v.namespace):]
                codes.append({"vocabulary": v.name, "prefix": v.prefix, "code": f"{v.prefix}:{local}",
                              "predicate": MATCH_WORDS.get(predicate, predicate), "skos": f"skos:{predicate}",
                              "url": CODE_PAGES.get(v.prefix, target).format(local=local)})
                break
        else:
            codes.append({"vocabulary": "", "prefix": "", "code": curie(target), "skos": f"skos:{predicate}",
                          "predicate": MATCH_WORDS.get(predicate, predicate), "url": target})
    return sorted(codes, key=lambda c: (c["vocabulary"], c["code"]))


def _urgency(backend: Backend, index: TermIndex, term_id: str, kind: str) -> dict | None:
    try:
        result = triage(backend, symptoms=[term_id]) if kind == "symptom" else triage(backend, situations=[term_id])
    except LegkgError:
        return None
    for r in result["reasons"]:  # a level stated for a more general sign: name it
        via = r.get("via")
        general = index.resolve(via) if via and via != r["input_id"] else None
        r["via_label"], r["via_id"] = (general.label, general.id) if general else (None, None)
    return result


def landing_content(backend: Backend) -> dict:
    """The article's categories of causes with their conditions, and its urgency ladder."""
    _, conditions = run_canned(backend, "all-conditions")
    categories: dict[str, list[dict]] = {}
    for row in conditions:
        if row.get("article_category"):
            categories.setdefault(str(row["article_category"]), []).append(row)
    _, ladder = run_canned(backend, "urgency-levels")
    _, flags = run_canned(backend, "red-flags")
    signs: dict[str, list[dict]] = {}
    for row in flags:
        bucket = signs.setdefault(str(row["urgency"]), [])
        if all(b["id"] != row["id"] for b in bucket):
            bucket.append(row)
    for level in ladder:
        level["signs"] = signs.get(str(level["id"]), [])
    return {"categories": [{"label": k, "conditions": v} for k, v in categories.items()], "ladder": ladder,
            "note": triage_note(backend)}


def triage_note(backend: Backend) -> str:
    """The ontology's not-a-diagnosis note (its disclaimer), shown with every urgency."""
    rows = backend.select(internal_query("disclaimer"))
    return str(rows[0]["comment"].value) if rows and "comment" in rows[0] else ""
