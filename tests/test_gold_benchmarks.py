"""The triage and ask benchmarks reach their goals on the committed gold sets.

Runs ``bench/gold.py``'s scoring (the same code as ``bench/bench_triage.py`` and
``bench/bench_ask.py``) through the library on tests/data/triage-vignettes.tsv and
tests/data/ask-questions.tsv, written from the article.

Example:
    pytest tests/test_gold_benchmarks.py -q
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO


@pytest.fixture(scope="module")
def gold() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gold", REPO / "bench" / "gold.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["gold"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def backend() -> Any:
    from legkg.store.local import open_backend

    return open_backend()


def test_triage_never_under_triages_and_is_right_95_percent(gold: ModuleType, backend: Any) -> None:
    scores = gold.score_triage(gold.read("triage-vignettes.tsv"), backend, gold.run_triage_library(backend))
    wrong = [f"{c['id']}: expected {c['expected']}, got {c['predicted']}" for c in scores["cases"]
             if c["verdict"] != "correct"]
    assert scores["under"] == 0, f"{scores['under']} under-triaged: {wrong}"
    assert scores["answered_out_of_scope"] == 0, wrong
    assert scores["correct_pct"] >= 95.0, f"{scores['correct_pct']:.1f}% correct: {wrong}"


def test_ask_f1_refusals_and_no_confident_wrong_answers(gold: ModuleType, backend: Any) -> None:
    scores = gold.score_ask(gold.read("ask-questions.tsv"), backend, gold.run_ask_library(backend))
    wrong = [c["question"] for c in scores["cases"] if c["category"] == gold.OUT and c["verdict"] != "refused"]
    low = [f"{c['id']} {c['question']} ({c['f1']:.2f})" for c in scores["cases"]
           if c["category"] != gold.OUT and c["f1"] < 1.0]
    assert scores["confident_wrong"] == 0, f"answered out of scope: {wrong}"
    assert scores["refusal_rate"] >= 0.98, f"refused {100 * scores['refusal_rate']:.1f}%: {wrong}"
    assert scores["f1"] >= 0.95, f"macro F1 {scores['f1']:.3f}; below 1.0: {low}"
