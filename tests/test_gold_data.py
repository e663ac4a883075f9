"""The gold tables in tests/data/ are complete and well formed against the article itself.

These checks read only the article and the tables (never the ontology): every sentence of the
article's body is covered by a fact row and quoted verbatim, modalities come from one small
vocabulary, and the triage and question sets are as large and as safe as their README says.

Example:
    pytest tests/test_gold_data.py -q
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest
from conftest import DATA, REPO

ARTICLE = REPO / "ontology" / "source" / "why-cant-i-lift-my-leg.txt"
BODY_LINES = 33  # the last three lines of the page are headlines of unrelated pages
HEADINGS = (1, 5, 13, 21, 29)
MODALITIES = {"always", "typically", "often", "commonly", "can", "may", "less commonly", "especially",
              "for example", "not"}
LEVELS = ["seek medical guidance", "consult a healthcare professional", "urgent evaluation",
          "immediate medical attention"]
OUT = "out-of-scope"


def read(name: str) -> list[dict[str, str]]:
    """Rows of one gold table as dicts."""
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def article_sentences() -> dict[str, str]:
    """Sentence id (line.sentence) -> sentence, for the article's body."""
    path = Path(os.environ.get("LEGKG_ARTICLE") or ARTICLE)
    if not path.is_file():
        pytest.fail(f"article not found at {path}; set LEGKG_ARTICLE to its path")
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n")[:BODY_LINES], 1):
        if not line.strip():
            continue
        parts = [line.strip()] if n in HEADINGS else re.split(r"(?<=[.?!])\s+(?=[A-Z“])", line.strip())
        out.update({f"{n}.{i}": p for i, p in enumerate(parts, 1)})
    return out


def sentence_id(row_id: str) -> str:
    return row_id.rstrip("abcdefghijklmnopqrstuvwxyz")


def test_every_body_sentence_has_a_fact_row_quoted_verbatim() -> None:
    sentences = article_sentences()
    rows = read("article-facts.tsv")
    seen = set()
    for r in rows:
        sid = sentence_id(r["id"])
        assert sid in sentences, f"{r['id']}: no such sentence in lines 1-{BODY_LINES}"
        assert r["sentence"] == sentences[sid], f"{r['id']}: sentence is not the article's text"
        seen.add(sid)
    assert sorted(set(sentences) - seen) == []
    assert len({r["id"] for r in rows}) == len(rows), "fact ids repeat"


def test_fact_rows_are_complete() -> None:
    for r in read("article-facts.tsv"):
        if r["relation"] == "none":
            assert r["scope_note"] and not r["subject"] and not r["object"], r["id"]
            continue
        assert r["subject"] and r["relation"] and r["object"], r["id"]
        assert r["modality"] in MODALITIES, f"{r['id']}: modality {r['modality']!r}"
        assert r["scope_note"], f"{r['id']}: no scope note"


def test_no_fact_comes_from_the_unrelated_headlines() -> None:
    words = re.compile(r"weed|cannab|antibiot|clot|bruis|LDCT|lung|screening", re.IGNORECASE)
    for r in read("article-facts.tsv"):
        assert not words.search(" ".join((r["subject"], r["object"], r["sentence"]))), r["id"]


def test_vignettes_are_enough_and_never_below_the_floor() -> None:
    rows = read("triage-vignettes.tsv")
    assert len(rows) >= 60
    levels = {r["expected_level"] for r in rows}
    assert levels <= {*LEVELS, OUT}
    assert levels >= {*LEVELS, OUT}, "every level, and cases outside the article, are represented"
    for r in rows:
        assert r["why"], r["id"]
        assert r["symptoms"] or r["situations"], r["id"]
        text = " ".join((r["vignette"], r["symptoms"])).lower()
        if re.search(r"lift|rais", text) and re.search(r"\b(leg|thigh)", text):  # the floor applies
            assert r["expected_level"] in LEVELS, r["id"]


def test_questions_are_enough_with_refusals() -> None:
    rows = read("ask-questions.tsv")
    assert len(rows) >= 150
    out = [r for r in rows if r["category"] == OUT]
    assert len(out) >= 40
    assert all(not r["answers"] for r in out), "an out-of-scope question's gold answer is a refusal"
    assert all(r["answers"] for r in rows if r["category"] == "in-scope")
    assert {r["category"] for r in rows} == {"in-scope", OUT}
    forms = {r["form"] for r in rows}
    assert {"what-to-do", "conditions-by-onset", "conditions-by-frequency", "indicates", "differ", "kind-of"} <= forms
    assert len({r["question"] for r in rows}) == len(rows), "questions repeat"
