"""The triage and question benchmarks meet their goals on the committed gold sets.

The gold sets (tests/data/triage-vignettes.tsv, tests/data/ask-questions.tsv) are written from
the article; bench/bench_triage.py and bench/bench_ask.py print the full reports.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import gold  # noqa: E402

from legkg.store.local import open_backend  # noqa: E402


@pytest.fixture(scope="module")
def backend():
    return open_backend()


def test_triage_vignettes_meet_the_goals(backend) -> None:
    """Semigran-style scoring: no vignette below the level the article supports, at least 95% right."""
    scores = gold.score_triage(gold.read("triage-vignettes.tsv"), backend, gold.run_triage_library(backend))
    wrong = [c for c in scores["cases"] if c["verdict"] != "correct"]
    assert scores["total"] >= 60, scores["total"]
    assert scores["under"] == 0, wrong
    assert scores["correct_pct"] >= 95.0, wrong
    assert scores["answered_out_of_scope"] == 0, wrong


def test_questions_meet_the_goals(backend) -> None:
    """QALD-style scoring: macro F1 at least 0.95, at least 98% of out-of-scope questions refused, none
    answered with confidence."""
    scores = gold.score_ask(gold.read("ask-questions.tsv"), backend, gold.run_ask_library(backend))
    weak = [(c["id"], c["question"], round(c.get("f1", 0), 2)) for c in scores["cases"]
            if c["category"] != gold.OUT and c.get("f1", 0) < 1]
    assert scores["total"] >= 150, scores["total"]
    assert scores["f1"] >= 0.95, weak
    assert scores["refusal_rate"] >= 0.98, [c for c in scores["cases"] if c["category"] == gold.OUT]
    assert scores["confident_wrong"] == 0
